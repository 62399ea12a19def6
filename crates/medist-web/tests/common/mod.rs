//! `TestApp`: a fresh database with the MIRACLE demo and the whole router, driven in-process.
//! Runs on SQLite, or on PostgreSQL when `MEDIST_TEST_DATABASE_URL=postgres://…`.
#![allow(dead_code)]

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use medist_core::access::{Grant, Role};
use medist_db::testing::TestDb;
use medist_db::{Db, Who, accounts, demo, org};
use medist_web::{AppState, WebConfig};
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    pub consortium_id: i64,
    /// Institution ids by short name: GIST, CNU Medicine, CNUH, Hwasun CNUH.
    pub inst: HashMap<String, i64>,
    pub demo_password: String,
    _t: TestDb,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (for files).
    #[allow(dead_code)]
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }
}

/// A signed-in browser: its session cookie and CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    pub async fn new() -> TestApp {
        let t = medist_db::testing::fresh().await.expect("a test database");
        let db = t.db.clone();
        let who = Who::system("test");
        let s = demo::load(&db, &who).await.expect("the demo loads");
        let admin = accounts::create_user(&db, &who, "admin", "Admin", &s.demo_password, None).await.unwrap();
        accounts::grant(&db, &who, admin.id, Grant { role: Role::Admin, consortium_id: None, institution_id: None })
            .await
            .unwrap();
        let inst = org::list_institutions(&db, Some(s.consortium_id), false)
            .await
            .unwrap()
            .into_iter()
            .map(|i| (i.short_name, i.id))
            .collect();
        let router = medist_web::router(AppState::new(db.clone(), WebConfig::default()));
        TestApp { router, db, consortium_id: s.consortium_id, inst, demo_password: s.demo_password, _t: t }
    }

    /// A router over a database prepared by the test itself (no demo, no institutions by name).
    pub fn with_router(router: Router, db: Db, consortium_id: i64, t: TestDb) -> TestApp {
        TestApp { router, db, consortium_id, inst: HashMap::new(), demo_password: String::new(), _t: t }
    }

    /// A second connection pool to the same database, as another process (`medist` on the command line) has.
    pub async fn second_pool(&self) -> Db {
        self._t.second_pool().await.expect("a second pool")
    }

    pub fn inst(&self, short: &str) -> i64 {
        self.inst[short]
    }

    /// The login of the account of the person with this e-mail, made (with `role` in the consortium) if the person
    /// has none yet.
    #[allow(dead_code)]
    pub async fn account_for(&self, email: &str, role: Role) -> String {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let person = self.person(email).await;
        let existing = medist_db::entities::app_user::Entity::find()
            .filter(medist_db::entities::app_user::Column::PersonId.eq(person))
            .one(&self.db.conn)
            .await
            .unwrap();
        if let Some(u) = existing {
            return u.login;
        }
        let who = Who::system("test");
        let u = accounts::create_user(&self.db, &who, email, email, &self.demo_password, Some(person)).await.unwrap();
        accounts::grant(
            &self.db,
            &who,
            u.id,
            Grant { role, consortium_id: Some(self.consortium_id), institution_id: None },
        )
        .await
        .unwrap();
        u.login
    }

    /// A session for an account, made directly in the database (the login form has its own test).
    pub async fn session(&self, login: &str) -> Session {
        let u = accounts::user_by_login(&self.db, login).await.unwrap().unwrap_or_else(|| panic!("no account {login}"));
        let s = accounts::create_session(&self.db, u.id).await.unwrap();
        Session { cookie: s.cookie, csrf: s.csrf_token }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.expect("the router answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn get(&self, path: &str, s: Option<&Session>) -> Resp {
        let mut b = Request::get(path);
        if let Some(s) = s {
            b = b.header(header::COOKIE, format!("medist_session={}", s.cookie));
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// A form post with the session's CSRF token.
    pub async fn post_form(&self, path: &str, s: Option<&Session>, fields: &[(&str, &str)]) -> Resp {
        let mut pairs: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut b = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = s {
            pairs.push(("csrf".into(), s.csrf.clone()));
            b = b.header(header::COOKIE, format!("medist_session={}", s.cookie));
        }
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// A multipart upload (a file field named `file`) with the CSRF token in the query string.
    pub async fn post_file(&self, path: &str, s: Option<&Session>, file_name: &str, content: &[u8]) -> Resp {
        let boundary = "medist-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nauto\r\n").as_bytes(),
        );
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut uri = path.to_string();
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        if let Some(s) = s {
            uri = format!("{path}?csrf={}", s.csrf);
            b = Request::post(uri.as_str())
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .header(header::COOKIE, format!("medist_session={}", s.cookie));
        }
        let _ = uri;
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// A multipart upload with extra text fields (a checkbox is a field with the value `on`).
    pub async fn post_file_with(
        &self,
        path: &str,
        s: &Session,
        fields: &[(&str, &str)],
        file_name: &str,
        content: &[u8],
    ) -> Resp {
        let boundary = "medist-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let uri = format!("{path}?csrf={}", s.csrf);
        let b = Request::post(uri.as_str())
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header(header::COOKIE, format!("medist_session={}", s.cookie));
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// Raw bytes to an API endpoint with the session cookie and the CSRF header.
    pub async fn api_bytes(&self, path: &str, s: &Session, content: &[u8]) -> Resp {
        let b = Request::post(path)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header(header::COOKIE, format!("medist_session={}", s.cookie))
            .header("x-csrf-token", s.csrf.clone());
        self.send(b.body(Body::from(content.to_vec())).unwrap()).await
    }

    /// A JSON API call with the session cookie and the CSRF header.
    pub async fn api(&self, method: &str, path: &str, s: Option<&Session>, body: Option<serde_json::Value>) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(s) = s {
            b = b.header(header::COOKIE, format!("medist_session={}", s.cookie)).header("x-csrf-token", &s.csrf);
        }
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    /// A JSON API call with a bearer token.
    pub async fn api_token(&self, method: &str, path: &str, token: &str, body: Option<serde_json::Value>) -> Resp {
        let mut b =
            Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    /// The id of a demo person by e-mail.
    pub async fn person(&self, email: &str) -> i64 {
        org::person_by_email(&self.db, email).await.unwrap().unwrap_or_else(|| panic!("no person {email}")).id
    }
}
