//! Account endpoints: who am I, accounts and roles, API tokens.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use chrono::{DateTime, Utc};
use medist_app::accounts as app;
use medist_core::access::{Grant, Scope};
use medist_db::Paged;
use medist_db::accounts::{NewToken, UserView};
use medist_db::entities::{api_token, app_user};
use serde::{Deserialize, Serialize};

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult, PageQuery, paged};
use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/password", post(change_password))
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}/grants", post(grant))
        .route("/users/{id}/revoke", post(revoke))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", delete(revoke_token))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    user: app_user::Model,
    grants: Vec<Grant>,
    scope: Scope,
}

/// The signed-in account, its roles and the scope of the credential used.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), (status = 401, body = super::Problem)))]
pub async fn me(st: axum::extract::State<AppState>, ApiCaller(c): ApiCaller) -> ApiResult<Me> {
    let user = medist_db::accounts::get_user(&st.db, c.actor.user_id).await?;
    Ok(Json(Me { user, grants: c.actor.grants.clone(), scope: c.actor.scope }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordBody,
    responses((status = 204), (status = 422, body = super::Problem)))]
pub async fn change_password(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    app::change_own_password(&st.db, &c, &b.current_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(PageQuery),
    responses((status = 200, body = Paged<UserView>), (status = 403, body = super::Problem)))]
pub async fn list_users(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(p): ApiQuery<PageQuery>,
) -> ApiResult<Paged<UserView>> {
    Ok(Json(paged(app::list_users(&st.db, &c).await?, p.page())))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUserBody {
    login: String,
    display_name: String,
    password: String,
    person_id: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUserBody,
    responses((status = 201, body = app_user::Model), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
pub async fn create_user(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<app_user::Model>), ApiError> {
    let u = app::create_user(&st.db, &c, &b.login, &b.display_name, &b.password, b.person_id).await?;
    Ok((StatusCode::CREATED, Json(u)))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/grants", tag = "accounts", params(("id" = i64, Path)), request_body = Grant,
    responses((status = 204), (status = 409, body = super::Problem)))]
pub async fn grant(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(g): ApiJson<Grant>,
) -> Result<StatusCode, ApiError> {
    app::grant(&st.db, &c, id, g).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/users/{id}/revoke", tag = "accounts", params(("id" = i64, Path)), request_body = Grant,
    responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn revoke(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(g): ApiJson<Grant>,
) -> Result<StatusCode, ApiError> {
    app::revoke(&st.db, &c, id, g).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own API tokens (never the tokens themselves, only their prefixes).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", params(PageQuery), responses((status = 200, body = Paged<api_token::Model>)))]
pub async fn list_tokens(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(p): ApiQuery<PageQuery>,
) -> ApiResult<Paged<api_token::Model>> {
    let uid = c.actor.user_id;
    Ok(Json(paged(app::list_tokens(&st.db, &c, uid).await?, p.page())))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewTokenBody {
    name: String,
    scope: Scope,
    expires_at: Option<DateTime<Utc>>,
}

/// Creates a token for the caller; the response is the only time the token is shown.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = NewTokenBody,
    responses((status = 201, body = NewToken), (status = 422, body = super::Problem)))]
pub async fn create_token(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<NewTokenBody>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let uid = c.actor.user_id;
    Ok((StatusCode::CREATED, Json(app::create_token(&st.db, &c, uid, &b.name, b.scope, b.expires_at).await?)))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = super::Problem)))]
pub async fn revoke_token(
    st: axum::extract::State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    app::revoke_token(&st.db, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
