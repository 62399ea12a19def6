//! Accounts, roles, sessions, API tokens and login throttling. All state lives in the database, so
//! several `medist serve` processes behind a load balancer agree on who is logged in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use chrono::{DateTime, Duration, Utc};
use medist_core::access::{Actor, Grant, Role, Scope};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::{api_token, app_user, consortium, institution, login_failure, person, role_grant, session};
use crate::error::unique_as;
use crate::{Db, StoreError, Who, now, random_hex, sha256_hex};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const SESSION_HOURS: i64 = 12;
/// Failed logins allowed per account, and per client address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const TOKEN_PREFIX: &str = "mdt_";

/// Argon2id with the crate's default (OWASP-recommended) parameters. CPU-heavy: run it off the async
/// executor (`spawn_blocking`).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Config(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

async fn hash_off_thread(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Config(format!("password hashing task failed: {e}")))?
}

/// A random password for new accounts: 20 characters from an unambiguous alphabet.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 20];
    getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
    buf.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect()
}

pub fn check_password_strength(password: &str) -> Result<(), StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::invalid("password", "password-too-short"));
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub person_id: Option<i64>,
    pub locale: String,
    pub disabled: bool,
    pub grants: Vec<Grant>,
}

fn user_json(u: &app_user::Model) -> serde_json::Value {
    json!({"id": u.id, "login": u.login, "display_name": u.display_name, "person_id": u.person_id,
           "locale": u.locale, "disabled": u.disabled})
}

pub async fn count_users(db: &Db) -> Result<u64, StoreError> {
    Ok(app_user::Entity::find().count(&db.conn).await?)
}

pub async fn create_user(
    db: &Db,
    who: &Who,
    login: &str,
    display_name: &str,
    password: &str,
    person_id: Option<i64>,
) -> Result<app_user::Model, StoreError> {
    let login = login.trim().to_lowercase();
    let mut errs = medist_core::FieldErrors::new();
    if login.is_empty() || login.chars().any(char::is_whitespace) || login.len() > 254 {
        errs.add("login", "invalid-login");
    }
    if display_name.trim().is_empty() {
        errs.add("display_name", "required");
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        errs.add("password", "password-too-short");
    }
    errs.into_result()?;
    let hash = hash_off_thread(password.to_string()).await?;
    let txn = db.write().await?;
    if app_user::Entity::find().filter(app_user::Column::Login.eq(login.clone())).one(&txn).await?.is_some() {
        return Err(StoreError::Conflict { code: "duplicate-login", field: Some("login") });
    }
    if let Some(pid) = person_id
        && person::Entity::find_by_id(pid).one(&txn).await?.is_none()
    {
        return Err(StoreError::invalid("person_id", "unknown-person"));
    }
    let m = app_user::ActiveModel {
        login: Set(login),
        display_name: Set(display_name.trim().to_string()),
        password_hash: Set(hash),
        person_id: Set(person_id),
        locale: Set("ko".into()),
        disabled: Set(false),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unique_as("login", "duplicate-login"))?;
    record(&txn, who, "create", "user", m.id, None, Some(user_json(&m))).await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn user_by_login(db: &Db, login: &str) -> Result<Option<app_user::Model>, StoreError> {
    Ok(app_user::Entity::find().filter(app_user::Column::Login.eq(login.trim().to_lowercase())).one(&db.conn).await?)
}

pub async fn get_user(db: &Db, id: i64) -> Result<app_user::Model, StoreError> {
    app_user::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("user", id))
}

pub async fn set_password(db: &Db, who: &Who, user_id: i64, password: &str) -> Result<(), StoreError> {
    check_password_strength(password)?;
    let hash = hash_off_thread(password.to_string()).await?;
    let txn = db.write().await?;
    let u =
        app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(|| StoreError::not_found("user", user_id))?;
    let mut am: app_user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.update(&txn).await?;
    // A new password ends every other session of the account.
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&txn).await?;
    record(&txn, who, "password", "user", user_id, None, None).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn set_locale(db: &Db, user_id: i64, locale: &str) -> Result<(), StoreError> {
    if !["ko", "en"].contains(&locale) {
        return Err(StoreError::invalid("locale", "unknown-value"));
    }
    let u = get_user(db, user_id).await?;
    if u.locale == locale {
        return Ok(());
    }
    // Written to the audit log like every other change, so that cached sign-ins (keyed by the data version) pick
    // up the new language on the next request.
    let txn = db.write().await?;
    let (login, before) = (u.login.clone(), u.locale.clone());
    let mut am: app_user::ActiveModel = u.into();
    am.locale = Set(locale.to_string());
    am.update(&txn).await?;
    record(
        &txn,
        &Who::user(user_id, &login),
        "locale",
        "user",
        user_id,
        Some(json!({"locale": before})),
        Some(json!({"locale": locale})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn set_disabled(db: &Db, who: &Who, user_id: i64, disabled: bool) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let u =
        app_user::Entity::find_by_id(user_id).one(&txn).await?.ok_or_else(|| StoreError::not_found("user", user_id))?;
    let before = user_json(&u);
    let mut am: app_user::ActiveModel = u.into();
    am.disabled = Set(disabled);
    let after = am.update(&txn).await?;
    if disabled {
        session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&txn).await?;
    }
    record(
        &txn,
        who,
        if disabled { "disable" } else { "enable" },
        "user",
        user_id,
        Some(before),
        Some(user_json(&after)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn grants_of(db: &Db, user_id: i64) -> Result<Vec<Grant>, StoreError> {
    let rows = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .order_by_asc(role_grant::Column::Id)
        .all(&db.conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|g| {
            Some(Grant {
                role: Role::parse(&g.role)?,
                consortium_id: g.consortium_id,
                institution_id: g.institution_id,
            })
        })
        .collect())
}

pub async fn list_users(db: &Db) -> Result<Vec<UserView>, StoreError> {
    let users = app_user::Entity::find().order_by_asc(app_user::Column::Id).all(&db.conn).await?;
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let grants = grants_of(db, u.id).await?;
        out.push(UserView {
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            person_id: u.person_id,
            locale: u.locale,
            disabled: u.disabled,
            grants,
        });
    }
    Ok(out)
}

pub async fn grant(db: &Db, who: &Who, user_id: i64, g: Grant) -> Result<(), StoreError> {
    g.validate().map_err(|code| StoreError::invalid("role", code))?;
    let txn = db.write().await?;
    if app_user::Entity::find_by_id(user_id).one(&txn).await?.is_none() {
        return Err(StoreError::not_found("user", user_id));
    }
    if let Some(c) = g.consortium_id
        && consortium::Entity::find_by_id(c).one(&txn).await?.is_none()
    {
        return Err(StoreError::invalid("consortium_id", "unknown-consortium"));
    }
    if let Some(i) = g.institution_id {
        let inst = institution::Entity::find_by_id(i).one(&txn).await?;
        match inst {
            None => return Err(StoreError::invalid("institution_id", "unknown-institution")),
            Some(inst) if g.consortium_id.is_some_and(|c| c != inst.consortium_id) => {
                return Err(StoreError::invalid("institution_id", "institution-not-in-consortium"));
            }
            _ => {}
        }
    }
    let existing = grants_of_txn(&txn, user_id).await?;
    if existing.contains(&g) {
        return Err(StoreError::Conflict { code: "duplicate-grant", field: Some("role") });
    }
    let m = role_grant::ActiveModel {
        user_id: Set(user_id),
        role: Set(g.role.as_str().to_string()),
        consortium_id: Set(g.consortium_id),
        institution_id: Set(g.institution_id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        who,
        "grant",
        "user",
        user_id,
        None,
        serde_json::to_value(&g).ok().map(|v| json!({"grant": v, "grant_id": m.id})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn grants_of_txn(txn: &sea_orm::DatabaseTransaction, user_id: i64) -> Result<Vec<Grant>, StoreError> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|g| {
            Some(Grant {
                role: Role::parse(&g.role)?,
                consortium_id: g.consortium_id,
                institution_id: g.institution_id,
            })
        })
        .collect())
}

pub async fn revoke(db: &Db, who: &Who, user_id: i64, g: Grant) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let rows = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(user_id)).all(&txn).await?;
    let Some(row) = rows.into_iter().find(|r| {
        r.role == g.role.as_str() && r.consortium_id == g.consortium_id && r.institution_id == g.institution_id
    }) else {
        return Err(StoreError::not_found("grant", format!("{} of user {user_id}", g.role.as_str())));
    };
    if g.role == Role::Admin {
        let admins = role_grant::Entity::find().filter(role_grant::Column::Role.eq("admin")).count(&txn).await?;
        if admins <= 1 {
            return Err(StoreError::Conflict { code: "last-admin", field: Some("role") });
        }
    }
    role_grant::Entity::delete_by_id(row.id).exec(&txn).await?;
    record(&txn, who, "revoke", "user", user_id, serde_json::to_value(&g).ok().map(|v| json!({"grant": v})), None)
        .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn actor_for(db: &Db, user: &app_user::Model, scope: Scope) -> Result<Actor, StoreError> {
    Ok(Actor { user_id: user.id, person_id: user.person_id, grants: grants_of(db, user.id).await?, scope })
}

// ---------------------------------------------------------------- login and throttling

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong login or password, or a disabled account: one generic answer for all three.
    Invalid,
    /// Too many failures recently, for this account or this address.
    Throttled,
}

async fn failures_since(db: &Db, key: &str, since: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(login_failure::Entity::find()
        .filter(login_failure::Column::ThrottleKey.eq(key))
        .filter(login_failure::Column::At.gt(since))
        .count(&db.conn)
        .await?)
}

/// A hash of a throwaway password, so that an unknown login costs as much time as a known one.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("medist-timing-equaliser").unwrap_or_default())
}

/// Checks a login; records failures for throttling. `address` is the client's IP address.
pub async fn authenticate(
    db: &Db,
    login: &str,
    password: &str,
    address: &str,
) -> Result<Result<app_user::Model, LoginError>, StoreError> {
    let login = login.trim().to_lowercase();
    let since = now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let account_key = format!("account:{login}");
    let address_key = format!("address:{address}");
    if failures_since(db, &account_key, since).await? >= MAX_FAILURES_PER_ACCOUNT
        || failures_since(db, &address_key, since).await? >= MAX_FAILURES_PER_ADDRESS
    {
        return Ok(Err(LoginError::Throttled));
    }
    let user = user_by_login(db, &login).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| dummy_hash().to_string());
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|e| StoreError::Config(format!("password check task failed: {e}")))?;
    match user {
        Some(u) if ok && !u.disabled => {
            login_failure::Entity::delete_many()
                .filter(login_failure::Column::ThrottleKey.eq(account_key))
                .exec(&db.conn)
                .await?;
            Ok(Ok(u))
        }
        _ => {
            let t = now();
            for key in [account_key, address_key] {
                login_failure::ActiveModel { throttle_key: Set(key), at: Set(t), ..Default::default() }
                    .insert(&db.conn)
                    .await?;
            }
            Ok(Err(LoginError::Invalid))
        }
    }
}

/// Removes expired sessions and old login failures. Cheap; called now and then by the server.
pub async fn purge_expired(db: &Db) -> Result<(), StoreError> {
    let t = now();
    session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(t)).exec(&db.conn).await?;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(t - Duration::minutes(FAILURE_WINDOW_MINUTES)))
        .exec(&db.conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- sessions

#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie value; only its hash is stored.
    pub cookie: String,
    pub csrf_token: String,
}

pub async fn create_session(db: &Db, user_id: i64) -> Result<NewSession, StoreError> {
    let cookie = random_hex(32);
    let csrf_token = random_hex(32);
    let t = now();
    session::ActiveModel {
        id: Set(sha256_hex(&cookie)),
        user_id: Set(user_id),
        csrf_token: Set(csrf_token.clone()),
        created_at: Set(t),
        expires_at: Set(t + Duration::hours(SESSION_HOURS)),
    }
    .insert(&db.conn)
    .await?;
    Ok(NewSession { cookie, csrf_token })
}

/// The live session for a cookie value, with its account.
pub async fn session_user(db: &Db, cookie: &str) -> Result<Option<(session::Model, app_user::Model)>, StoreError> {
    let Some(s) = session::Entity::find_by_id(sha256_hex(cookie)).one(&db.conn).await? else { return Ok(None) };
    if s.expires_at < now() {
        return Ok(None);
    }
    let Some(u) = app_user::Entity::find_by_id(s.user_id).one(&db.conn).await? else { return Ok(None) };
    if u.disabled {
        return Ok(None);
    }
    Ok(Some((s, u)))
}

/// Ends a session (logout). The end is written to the audit log, so that every server's cache of who is signed in
/// (keyed by the data version) forgets the session at once.
pub async fn delete_session(db: &Db, cookie: &str) -> Result<(), StoreError> {
    let id = sha256_hex(cookie);
    let Some(s) = session::Entity::find_by_id(id.clone()).one(&db.conn).await? else { return Ok(()) };
    let txn = db.write().await?;
    let gone = session::Entity::delete_by_id(id).exec(&txn).await?.rows_affected;
    if gone > 0 {
        let login = app_user::Entity::find_by_id(s.user_id).one(&txn).await?.map(|u| u.login).unwrap_or_default();
        record(&txn, &Who::user(s.user_id, &login), "logout", "user", s.user_id, None, None).await?;
    }
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- API tokens

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub id: i64,
    pub name: String,
    pub scope: String,
}

pub async fn create_token(
    db: &Db,
    who: &Who,
    user_id: i64,
    name: &str,
    scope: Scope,
    expires_at: Option<DateTime<Utc>>,
) -> Result<NewToken, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::invalid("name", "required"));
    }
    let token = format!("{TOKEN_PREFIX}{}", random_hex(24));
    let txn = db.write().await?;
    if app_user::Entity::find_by_id(user_id).one(&txn).await?.is_none() {
        return Err(StoreError::not_found("user", user_id));
    }
    let m = api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.to_string()),
        prefix: Set(token[..TOKEN_PREFIX.len() + 6].to_string()),
        token_hash: Set(sha256_hex(&token)),
        scope: Set(scope.as_str().to_string()),
        created_at: Set(now()),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        who,
        "create",
        "api_token",
        m.id,
        None,
        Some(json!({"user_id": user_id, "name": m.name, "prefix": m.prefix, "scope": m.scope})),
    )
    .await?;
    txn.commit().await?;
    Ok(NewToken { token, id: m.id, name: m.name, scope: m.scope })
}

pub async fn list_tokens(db: &Db, user_id: i64) -> Result<Vec<api_token::Model>, StoreError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn get_token(db: &Db, id: i64) -> Result<api_token::Model, StoreError> {
    api_token::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("api_token", id))
}

pub async fn revoke_token(db: &Db, who: &Who, token_id: i64) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let t = api_token::Entity::find_by_id(token_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("api_token", token_id))?;
    if t.revoked_at.is_some() {
        return Err(StoreError::Conflict { code: "already-revoked", field: None });
    }
    let mut am: api_token::ActiveModel = t.clone().into();
    am.revoked_at = Set(Some(now()));
    am.update(&txn).await?;
    record(&txn, who, "revoke", "api_token", token_id, Some(json!({"prefix": t.prefix, "name": t.name})), None).await?;
    txn.commit().await?;
    Ok(())
}

/// The account and scope behind a bearer token, if the token is live.
pub async fn token_user(db: &Db, token: &str) -> Result<Option<(app_user::Model, Scope)>, StoreError> {
    Ok(token_user_until(db, token).await?.map(|(u, scope, _)| (u, scope)))
}

/// [`token_user`] with the moment the token expires, if it does.
pub async fn token_user_until(
    db: &Db,
    token: &str,
) -> Result<Option<(app_user::Model, Scope, Option<DateTime<Utc>>)>, StoreError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(t) =
        api_token::Entity::find().filter(api_token::Column::TokenHash.eq(sha256_hex(token))).one(&db.conn).await?
    else {
        return Ok(None);
    };
    let n = now();
    if t.revoked_at.is_some() || t.expires_at.is_some_and(|e| e < n) {
        return Ok(None);
    }
    let Some(u) = app_user::Entity::find_by_id(t.user_id).one(&db.conn).await? else { return Ok(None) };
    if u.disabled {
        return Ok(None);
    }
    // Record use at most once a minute, to keep reads cheap.
    if t.last_used_at.is_none_or(|l| n - l > Duration::minutes(1)) {
        let mut am: api_token::ActiveModel = t.clone().into();
        am.last_used_at = Set(Some(n));
        am.update(&db.conn).await?;
    }
    let scope = Scope::parse(&t.scope).unwrap_or(Scope::Read);
    Ok(Some((u, scope, t.expires_at)))
}
