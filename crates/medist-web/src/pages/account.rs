//! The signed-in user's own account: password and API tokens.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::{AppError, accounts};
use medist_core::access::{Grant, Scope};
use medist_db::entities::api_token;

use super::{FormState, Id, Layout, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type Fields = HashMap<String, String>;
type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(account_page))
        .route("/account/password", post(change_password))
        .route("/account/tokens", post(token_create))
        .route("/account/tokens/{id}/revoke", post(token_revoke))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    login: String,
    grants: Vec<Grant>,
    tokens: Vec<api_token::Model>,
    new_token: Option<String>,
    pw: FormState,
    tf: FormState,
}

async fn account_view(ctx: &Ctx, pw: FormState, tf: FormState, new_token: Option<String>) -> PageResult {
    let caller = ctx.caller()?;
    let auth = ctx.auth.as_ref().ok_or(AppError::Unauthenticated)?;
    let tokens = accounts::list_tokens(&ctx.st.db, &caller, auth.user.id).await?;
    let status = if pw.has_errors() || tf.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((
        status,
        page(&AccountPage {
            l: Layout::from_ctx(ctx, "account-title", "nav-account"),
            login: auth.user.login.clone(),
            grants: auth.actor.grants.clone(),
            tokens,
            new_token,
            pw,
            tf,
        }),
    )
        .into_response())
}

async fn account_page(ctx: Ctx) -> PageResult {
    account_view(&ctx, FormState::new(ctx.lang), FormState::new(ctx.lang).with("scope", "read"), None).await
}

async fn change_password(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let r = if g("new_password") != g("confirm_password") {
        let mut e = medist_core::FieldErrors::new();
        e.add("confirm_password", "passwords-differ");
        Err(AppError::Invalid(e))
    } else {
        accounts::change_own_password(&ctx.st.db, &caller, &g("current_password"), &g("new_password")).await
    };
    match r {
        // A new password ends every session, this one included: sign in again.
        Ok(()) => Ok(Redirect::to("/login?next=/account").into_response()),
        Err(e) => {
            let e = match e {
                AppError::Invalid(mut fe) => {
                    for x in fe.0.iter_mut() {
                        if x.field == "password" {
                            x.field = "new_password".into();
                        }
                    }
                    AppError::Invalid(fe)
                }
                other => other,
            };
            account_view(&ctx, FormState::new(ctx.lang).fail(e)?, FormState::new(ctx.lang).with("scope", "read"), None)
                .await
        }
    }
}

async fn token_create(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let scope = Scope::parse(&g("scope"));
    let r = match scope {
        None => {
            let mut e = medist_core::FieldErrors::new();
            e.add("scope", "unknown-value");
            Err(AppError::Invalid(e))
        }
        Some(scope) => accounts::create_token(&ctx.st.db, &caller, caller.actor.user_id, &g("name"), scope, None).await,
    };
    match r {
        Ok(t) => {
            account_view(&ctx, FormState::new(ctx.lang), FormState::new(ctx.lang).with("scope", "read"), Some(t.token))
                .await
        }
        Err(e) => {
            account_view(&ctx, FormState::new(ctx.lang), FormState::from_values(ctx.lang, v).fail(e)?, None).await
        }
    }
}

async fn token_revoke(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    accounts::revoke_token(&ctx.st.db, &caller, id).await?;
    Ok(Redirect::to("/account?ok=revoked").into_response())
}
