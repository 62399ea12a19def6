//! What a person and a script do: sign in, switch language, fill forms with mistakes, use the API
//! with tokens, and read the operational endpoints.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use serde_json::json;

fn set_cookies(r: &common::Resp) -> Vec<String> {
    r.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

fn cookie_value(cookies: &[String], name: &str) -> Option<String> {
    cookies.iter().find_map(|c| c.strip_prefix(&format!("{name}=")).map(|v| v.split(';').next().unwrap().to_string()))
}

fn hidden_csrf(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("a form with a CSRF token");
    html[i + 19..].split('"').next().unwrap().to_string()
}

async fn login_post(app: &TestApp, pre: &str, csrf: &str, login: &str, password: &str) -> common::Resp {
    let body =
        serde_urlencoded::to_string([("login", login), ("password", password), ("csrf", csrf), ("next", "/people")])
            .unwrap();
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("medist_csrf={pre}"))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn sign_in_with_csrf_generic_errors_throttling_and_secure_cookies() {
    let app = TestApp::new().await;
    let page = app.get("/login", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("로그인"), "Korean by default");
    let pre = cookie_value(&set_cookies(&page), "medist_csrf").expect("a pre-session CSRF cookie");
    let csrf = hidden_csrf(&page.body);
    assert_eq!(pre, csrf);

    // Without the token the form is refused.
    let r = login_post(&app, &pre, "", "office@miracle.example", &app.demo_password).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A wrong password and an unknown login get the same message.
    let wrong = login_post(&app, &pre, &csrf, "office@miracle.example", "wrong password").await;
    let unknown = login_post(&app, &pre, &csrf, "nobody@miracle.example", "wrong password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("아이디 또는 비밀번호가 올바르지 않습니다"));
    assert!(unknown.body.contains("아이디 또는 비밀번호가 올바르지 않습니다"));
    assert!(!wrong.body.contains("wrong password"), "the password is never echoed");

    let ok = login_post(&app, &pre, &csrf, "office@miracle.example", &app.demo_password).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), Some("/people"));
    let cookies = set_cookies(&ok);
    let session = cookies.iter().find(|c| c.starts_with("medist_session=")).expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );

    // Five failures lock the account for a while, even with the right password.
    for _ in 0..5 {
        login_post(&app, &pre, &csrf, "tto@miracle.example", "wrong password").await;
    }
    let locked = login_post(&app, &pre, &csrf, "tto@miracle.example", &app.demo_password).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("15분"));
}

#[tokio::test]
async fn secure_cookie_flag_follows_the_configuration() {
    let app = TestApp::new().await;
    let router = medist_web::router(medist_web::AppState::new(
        app.db.clone(),
        medist_web::WebConfig { secure_cookies: true, trust_forwarded_for: false, mail: None },
    ));
    use tower::ServiceExt;
    let resp = router.oneshot(Request::get("/login").body(Body::empty()).unwrap()).await.unwrap();
    let c = resp.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(c.contains("Secure"), "{c}");
}

#[tokio::test]
async fn the_consortium_page_in_korean_and_english() {
    let app = TestApp::new().await;
    let s = app.session("reviewer@miracle.example").await;
    let ko = app.get(&format!("/consortia/{}", app.consortium_id), Some(&s)).await;
    assert_eq!(ko.status, StatusCode::OK);
    for text in [
        "MIRACLE 컨소시엄",
        "194억 원",
        "19,400,000,000원",
        "166억 원",
        "의사과학자 6",
        "의과학자 12",
        "김태 (Tae Kim)",
        "과학기술정보통신부",
    ] {
        assert!(ko.body.contains(text), "missing {text}");
    }
    // The navigation shows only what a reviewer may open.
    assert!(!ko.body.contains("href=\"/people\""));
    assert!(!ko.body.contains("href=\"/admin/audit\""));
    assert!(ko.body.contains("href=\"/institutions\""));

    let sw = app.post_form("/lang", Some(&s), &[("lang", "en"), ("next", "/consortium")]).await;
    assert_eq!(sw.status, StatusCode::SEE_OTHER);
    assert_eq!(cookie_value(&set_cookies(&sw), "medist_lang").as_deref(), Some("en"));
    // The choice is kept for the account too, so it follows the user to another browser.
    let req = Request::get(format!("/consortia/{}", app.consortium_id))
        .header(header::COOKIE, format!("medist_session={}", s.cookie))
        .body(Body::empty())
        .unwrap();
    let en = app.send(req).await;
    for text in [
        "MIRACLE consortium",
        "KRW 19.4 billion",
        "KRW 16.6 billion",
        "Physician-scientist 6",
        "Tae Kim (김태)",
        "Ministry of Science and ICT",
        "lang=\"en\"",
    ] {
        assert!(en.body.contains(text), "missing {text}");
    }
}

#[tokio::test]
async fn a_person_form_names_each_bad_field_and_writes_nothing_until_valid() {
    let app = TestApp::new().await;
    let s = app.session("coordinator.gist@miracle.example").await;
    let gist = app.inst("GIST").to_string();
    let before = medist_db::audit::verify(&app.db).await.unwrap().checked;
    let r = app
        .post_form(
            "/people",
            Some(&s),
            &[
                ("name_ko", ""),
                ("name_en", "Minji Kim"),
                ("email", "not-an-email"),
                ("orcid", "0000-0002-1825-0098"),
                ("institution_id", &gist),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("필수 항목입니다"));
    assert!(r.body.contains("이메일 주소 형식이 아닙니다"));
    assert!(r.body.contains("검증 숫자가 맞지 않습니다"));
    assert!(r.body.contains("value=\"Minji Kim\""), "what the user typed is kept");
    assert_eq!(medist_db::audit::verify(&app.db).await.unwrap().checked, before, "nothing was written");

    let dup = app
        .post_form(
            "/people",
            Some(&s),
            &[
                ("name_ko", "김민지"),
                ("name_en", "Minji Kim"),
                ("email", "faculty07.sample@miracle.example"),
                ("institution_id", &gist),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.body.contains("이미 등록된 이메일입니다"));

    let ok = app
        .post_form(
            "/people",
            Some(&s),
            &[
                ("name_ko", "김민지"),
                ("name_en", "Minji Kim"),
                ("email", "minji.kim@gist.ac.kr"),
                ("orcid", "0000-0002-1825-0097"),
                ("institution_id", &gist),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let loc = ok.location().unwrap().to_string();
    let page = app.get(&loc, Some(&s)).await;
    assert!(page.body.contains("김민지 (Minji Kim)") && page.body.contains("0000-0002-1825-0097"));
    assert!(page.body.contains("등록했습니다"), "a confirmation is shown");
    let entries = medist_db::audit::list(&app.db, &Default::default(), medist_db::Page::default()).await.unwrap();
    assert_eq!(entries.items[0].action, "create");
    assert_eq!(entries.items[0].actor_label, "coordinator.gist@miracle.example");

    // The same coordinator cannot place people at another institution.
    let other = app.inst("CNUH").to_string();
    let r = app
        .post_form(
            "/people",
            Some(&s),
            &[
                ("name_ko", "이수진"),
                ("name_en", "Sujin Lee"),
                ("email", "sujin@cnuh.example"),
                ("institution_id", &other),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("권한이 없습니다"));
}

#[tokio::test]
async fn a_browser_change_without_its_csrf_token_is_refused() {
    let app = TestApp::new().await;
    let s = app.session("admin").await;
    let req = Request::post(format!("/people/{}/archive", app.person("faculty07.sample@miracle.example").await))
        .header(header::COOKIE, format!("medist_session={}", s.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("csrf=forged"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("보안 토큰"));
    let api = app
        .send(
            Request::post("/api/v1/people")
                .header(header::COOKIE, format!("medist_session={}", s.cookie))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["code"], "csrf-failed");
}

#[tokio::test]
async fn api_tokens_scopes_problems_and_pagination() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let created =
        app.api("POST", "/api/v1/tokens", Some(&s), Some(json!({"name": "nightly export", "scope": "read"}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let token = created.json()["token"].as_str().unwrap().to_string();
    let listed = app.api("GET", "/api/v1/tokens", Some(&s), None).await.json();
    assert!(!listed.to_string().contains(&token), "a token is shown only once");

    let me = app.api_token("GET", "/api/v1/me", &token, None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"]["login"], "office@miracle.example");
    assert!(me.json()["user"].get("password_hash").is_none());

    let c = app.consortium_id;
    let page =
        app.api_token("GET", &format!("/api/v1/consortia/{c}/people?per_page=5&page=2"), &token, None).await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert_eq!(page["total"], 63, "the director, 18 dedicated faculty, 40 trainees and 4 alumni");
    assert_eq!(page["page"], 2);
    let found =
        app.api_token("GET", &format!("/api/v1/consortia/{c}/people?q=%EC%84%9C%EC%A4%80"), &token, None).await.json();
    assert_eq!(found["total"], 1, "Hangul search: 서준");

    let body = json!({"name_ko": "최하늘", "name_en": "Haneul Choi", "email": "haneul@cnuh.example", "institution_id": app.inst("CNUH").to_string()});
    let denied = app.api_token("POST", "/api/v1/people", &token, Some(body.clone())).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(denied.json()["code"], "token-read-only");
    assert_eq!(denied.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");

    let w = app.api("POST", "/api/v1/tokens", Some(&s), Some(json!({"name": "sync", "scope": "write"}))).await.json();
    let write = w["token"].as_str().unwrap().to_string();
    let made = app.api_token("POST", "/api/v1/people", &write, Some(body.clone())).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let again = app.api_token("POST", "/api/v1/people", &write, Some(body)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["code"], "duplicate-email");
    assert_eq!(again.json()["errors"][0]["field"], "email");

    let bad = app
        .api_token(
            "POST",
            "/api/v1/people",
            &write,
            Some(json!({"name_ko": "x", "email": "nope", "name_en": "", "institution_id": "abc"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        bad.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert!(fields.contains(&"email".to_string()) && fields.contains(&"name_en".to_string()), "{fields:?}");

    let req = Request::post("/api/v1/people")
        .header(header::AUTHORIZATION, format!("Bearer {write}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name_ko\": "))
        .unwrap();
    let malformed = app.send(req).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["code"], "malformed-body");

    let bad_id = app.api_token("GET", "/api/v1/people/abc", &write, None).await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_id.json()["code"], "invalid-path");
    let missing = app.api_token("GET", "/api/v1/people/999999", &write, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], "not-found");

    let id = w["id"].as_i64().unwrap();
    assert_eq!(app.api("DELETE", &format!("/api/v1/tokens/{id}"), Some(&s), None).await.status, StatusCode::NO_CONTENT);
    let revoked = app.api_token("GET", "/api/v1/me", &write, None).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked.json()["code"], "invalid-token");
}

#[tokio::test]
async fn openapi_health_readiness_and_metrics() {
    let app = TestApp::new().await;
    let doc = app.get("/api/openapi.json", None).await.json();
    assert_eq!(doc["info"]["title"], "medist API");
    for p in ["/api/v1/people/{id}", "/api/v1/consortia/{id}/people", "/api/v1/tokens", "/api/v1/audit/verify"] {
        assert!(doc["paths"].get(p).is_some(), "OpenAPI lacks {p}");
    }
    assert!(doc["components"]["schemas"].get("Person").is_some());
    assert!(doc["components"]["schemas"].get("Problem").is_some());
    assert_eq!(app.get("/healthz", None).await.body, "ok");
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json()["status"], "ready");
    app.get("/login", None).await;
    let m = app.get("/metrics", None).await;
    assert!(m.body.contains("medist_http_requests_total"), "{}", m.body);
}

#[tokio::test]
async fn audit_page_verifies_the_chain() {
    let app = TestApp::new().await;
    let s = app.session("admin").await;
    let r = app.post_form("/admin/audit/verify", Some(&s), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("감사 로그가 온전합니다"));
    let api = app.api("POST", "/api/v1/audit/verify", Some(&s), None).await.json();
    assert!(api["broken"].is_null());
    assert!(api["checked"].as_i64().unwrap() > 40);
}

#[tokio::test]
async fn a_bad_id_in_a_page_address_gets_a_translated_page() {
    let app = TestApp::new().await;
    let s = app.session("admin").await;
    let r = app.get("/people/abc", Some(&s)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("주소의 번호가 올바르지 않습니다"), "{}", r.body);
    let r = app.get("/people/424242", Some(&s)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("찾는 항목이 없습니다"));
}
