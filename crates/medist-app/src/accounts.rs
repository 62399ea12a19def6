//! Accounts, roles and API tokens.

use chrono::{DateTime, Utc};
use medist_core::access::{Action, Grant, Resource, Scope};
use medist_db::Db;
use medist_db::accounts::{self as store, NewToken, UserView};
use medist_db::entities::{api_token, app_user};

use crate::{AppError, AppResult, Caller};

pub async fn list_users(db: &Db, caller: &Caller) -> AppResult<Vec<UserView>> {
    caller.require(Action::Read, Resource::Accounts)?;
    Ok(store::list_users(db).await?)
}

pub async fn create_user(
    db: &Db,
    caller: &Caller,
    login: &str,
    display_name: &str,
    password: &str,
    person_id: Option<i64>,
) -> AppResult<app_user::Model> {
    caller.require(Action::Create, Resource::Accounts)?;
    Ok(store::create_user(db, &caller.who, login, display_name, password, person_id).await?)
}

pub async fn grant(db: &Db, caller: &Caller, user_id: i64, g: Grant) -> AppResult<()> {
    caller.require(Action::Update, Resource::Accounts)?;
    Ok(store::grant(db, &caller.who, user_id, g).await?)
}

pub async fn revoke(db: &Db, caller: &Caller, user_id: i64, g: Grant) -> AppResult<()> {
    caller.require(Action::Update, Resource::Accounts)?;
    Ok(store::revoke(db, &caller.who, user_id, g).await?)
}

pub async fn set_disabled(db: &Db, caller: &Caller, user_id: i64, disabled: bool) -> AppResult<()> {
    caller.require(Action::Update, Resource::Accounts)?;
    if disabled && user_id == caller.actor.user_id {
        return Err(AppError::Conflict { code: "cannot-disable-self", field: None });
    }
    Ok(store::set_disabled(db, &caller.who, user_id, disabled).await?)
}

/// An administrator sets a new password for an account (`medist user passwd`).
pub async fn reset_password(db: &Db, caller: &Caller, user_id: i64, password: &str) -> AppResult<()> {
    caller.require(Action::Update, Resource::Accounts)?;
    Ok(store::set_password(db, &caller.who, user_id, password).await?)
}

/// A user changes their own password, proving the current one.
pub async fn change_own_password(db: &Db, caller: &Caller, current: &str, new: &str) -> AppResult<()> {
    caller.require(Action::Update, Resource::OwnAccount)?;
    let u = store::get_user(db, caller.actor.user_id).await?;
    if !store::verify_password(current, &u.password_hash) {
        let mut e = medist_core::FieldErrors::new();
        e.add("current_password", "wrong-password");
        return Err(AppError::Invalid(e));
    }
    Ok(store::set_password(db, &caller.who, u.id, new).await?)
}

pub async fn create_token(
    db: &Db,
    caller: &Caller,
    user_id: i64,
    name: &str,
    scope: Scope,
    expires_at: Option<DateTime<Utc>>,
) -> AppResult<NewToken> {
    if user_id == caller.actor.user_id {
        caller.require(Action::Update, Resource::OwnAccount)?;
    } else {
        caller.require(Action::Update, Resource::Accounts)?;
    }
    Ok(store::create_token(db, &caller.who, user_id, name, scope, expires_at).await?)
}

pub async fn list_tokens(db: &Db, caller: &Caller, user_id: i64) -> AppResult<Vec<api_token::Model>> {
    if user_id != caller.actor.user_id {
        caller.require(Action::Read, Resource::Accounts)?;
    }
    Ok(store::list_tokens(db, user_id).await?)
}

pub async fn revoke_token(db: &Db, caller: &Caller, token_id: i64) -> AppResult<()> {
    let t = store::get_token(db, token_id).await?;
    if t.user_id == caller.actor.user_id {
        caller.require(Action::Update, Resource::OwnAccount)?;
    } else {
        caller.require(Action::Update, Resource::Accounts)?;
    }
    Ok(store::revoke_token(db, &caller.who, token_id).await?)
}
