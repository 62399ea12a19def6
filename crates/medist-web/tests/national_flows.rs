//! The cached dashboard and KPI drill-down stay correct: every committed change — a KPI rule changed on the page, a
//! rule or a trainee's status changed or a publication imported by another process — shows on the next request, and
//! a logout or a revoked token takes effect at once. And the dashboard renders on a generated national data set.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use medist_core::access::{Grant, Role};
use medist_db::{Who, accounts};

/// The cumulative figure of the dashboard card named `name`.
fn card(body: &str, name: &str) -> i64 {
    let at = body.find(&format!("<h2>{name}</h2>")).unwrap_or_else(|| panic!("no card {name}"));
    let rest = &body[at..];
    let big = rest.find("<p class=\"big\">").unwrap() + "<p class=\"big\">".len();
    rest[big..].split_whitespace().next().unwrap().parse().unwrap()
}

async fn dash(app: &TestApp, s: &common::Session) -> String {
    let r = app.get("/dashboard?year=2030", Some(s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

async fn kpi_id(app: &TestApp, code: &str) -> i64 {
    medist_db::kpi::list(&app.db, app.consortium_id).await.unwrap().into_iter().find(|k| k.code == code).unwrap().id
}

#[tokio::test]
async fn every_committed_change_shows_on_the_next_dashboard_request() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let talents = kpi_id(&app, "talents").await;
    let first = dash(&app, &s).await;
    let graduated = card(&first, "융합인재 양성");
    assert_eq!(card(&dash(&app, &s).await, "융합인재 양성"), graduated, "unchanged data, same figure");

    // 1. The program office changes the rule on the KPI page.
    let r = app
        .post_form(
            &format!("/kpis/{talents}/rule"),
            Some(&s),
            &[("rule_text", "count trainee\nwhere status = \"enrolled\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let enrolled = card(&dash(&app, &s).await, "융합인재 양성");
    assert_ne!(enrolled, graduated, "the rule change shows at once");

    // 2. Another process (a second connection pool, as `medist` on the command line has) changes a trainee's
    //    status: one enrolled trainee fewer.
    let other = app.second_pool().await;
    let t = medist_db::education::list_trainees(
        &other,
        app.consortium_id,
        &Default::default(),
        chrono::Utc::now().date_naive(),
    )
    .await
    .unwrap()
    .into_iter()
    .find(|t| t.trainee.status == "enrolled")
    .unwrap();
    medist_db::education::change_status(
        &other,
        &Who::system("cli"),
        t.trainee.id,
        medist_education::trainee_status::TraineeStatus::OnLeave,
        "leave",
    )
    .await
    .unwrap();
    assert_eq!(card(&dash(&app, &s).await, "융합인재 양성"), enrolled - 1, "another process's commit shows at once");

    // 3. Another process changes the rule back: the drill-down and the dashboard follow.
    medist_db::kpi::set_rule(&other, &Who::system("cli"), talents, "count trainee\nwhere status = \"graduated\"")
        .await
        .unwrap();
    assert_eq!(card(&dash(&app, &s).await, "융합인재 양성"), graduated);
    let page = app.get(&format!("/kpis/{talents}"), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("graduated") && !page.body.contains("enrolled&#34;"), "the page shows the new rule");

    // 4. Another process widens the SCI-papers rule: the drill-down follows at once.
    let sci = kpi_id(&app, "sci_papers").await;
    let before = medist_db::kpi::evaluate_kpi(&app.db, medist_db::kpi::get(&app.db, sci).await.unwrap())
        .await
        .unwrap()
        .value
        .unwrap()
        .total;
    let drill = app.get(&format!("/kpis/{sci}"), Some(&s)).await;
    assert!(drill.body.contains(&format!("<p class=\"big\">{before}</p>")), "{}", drill.body);
    medist_db::kpi::set_rule(&other, &Who::system("cli"), sci, "count publication").await.unwrap();
    let all = medist_db::kpi::evaluate_kpi(&app.db, medist_db::kpi::get(&app.db, sci).await.unwrap())
        .await
        .unwrap()
        .value
        .unwrap()
        .total;
    assert_ne!(all, before, "the new rule counts more papers");
    let drill = app.get(&format!("/kpis/{sci}"), Some(&s)).await;
    assert!(drill.body.contains(&format!("<p class=\"big\">{all}</p>")), "{}", drill.body);

    // 5. Another process imports a new publication of 2027: one more paper counted on the next request.
    let bib = "@article{cachetest, title={Cached figures stay correct}, author={Kim, Minjun}, journal={Journal of Tests}, \
               year={2027}, doi={10.5555/cache-test}}";
    let opts = medist_db::outputs::ImportOptions { source_name: "cache-test.bib".into(), ..Default::default() };
    let report = medist_db::outputs::import(
        &other,
        &Who::system("cli"),
        app.consortium_id,
        medist_biblio::BibtexReader::new(std::io::Cursor::new(bib.as_bytes().to_vec())),
        &opts,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.created, 1, "{report:?}");
    let drill = app.get(&format!("/kpis/{sci}"), Some(&s)).await;
    assert!(drill.body.contains(&format!("<p class=\"big\">{}</p>", all + 1)), "{}", drill.body);
}

#[tokio::test]
async fn logout_and_token_revocation_take_effect_at_once() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    assert_eq!(app.get("/dashboard", Some(&s)).await.status, StatusCode::OK);
    assert_eq!(app.get("/dashboard", Some(&s)).await.status, StatusCode::OK, "now from the cache");
    let out = app.post_form("/logout", Some(&s), &[]).await;
    assert!(out.status.is_redirection(), "{}", out.status);
    let after = app.get("/dashboard", Some(&s)).await;
    assert_ne!(after.status, StatusCode::OK, "the ended session is not served from the cache");

    let u = accounts::user_by_login(&app.db, "office@miracle.example").await.unwrap().unwrap();
    let tok = accounts::create_token(&app.db, &Who::system("test"), u.id, "t", medist_core::access::Scope::Read, None)
        .await
        .unwrap();
    assert_eq!(app.api_token("GET", "/api/v1/me", &tok.token, None).await.status, StatusCode::OK);
    assert_eq!(app.api_token("GET", "/api/v1/me", &tok.token, None).await.status, StatusCode::OK);
    let other = app.second_pool().await;
    accounts::revoke_token(&other, &Who::system("cli"), tok.id).await.unwrap();
    assert_eq!(app.api_token("GET", "/api/v1/me", &tok.token, None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_dashboard_and_a_drill_down_render_on_a_generated_national_set() {
    let t = medist_db::testing::fresh().await.unwrap();
    let db = t.db.clone();
    let spec = medist_db::demo_national::Spec { seed: 9, consortia: 2, people: 80, publications: 400, patents: 20 };
    medist_db::demo_national::generate(&db, &Who::system("test"), &spec, false, &mut |_| {}).await.unwrap();
    let cid = medist_db::org::list_consortia(&db).await.unwrap()[0].id;
    let who = Who::system("test");
    let u =
        accounts::create_user(&db, &who, "office@national.example", "Office", "a-long-password-1", None).await.unwrap();
    accounts::grant(
        &db,
        &who,
        u.id,
        Grant { role: Role::ProgramOffice, consortium_id: Some(cid), institution_id: None },
    )
    .await
    .unwrap();
    let session = accounts::create_session(&db, u.id).await.unwrap();
    let router = medist_web::router(medist_web::AppState::new(db.clone(), medist_web::WebConfig::default()));
    let app = TestApp::with_router(router, db.clone(), cid, t);
    let s = common::Session { cookie: session.cookie, csrf: session.csrf_token };
    let r = app.get("/dashboard?year=2030", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<svg"));
    let sci = kpi_id(&app, "sci_papers").await;
    let counted = card(&r.body, "SCI(E)급 논문");
    assert!(counted > 0, "generated papers are counted");
    let d = app.get(&format!("/kpis/{sci}"), Some(&s)).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.body.contains(&format!("<p class=\"big\">{counted}</p>")), "the drill-down shows the dashboard's figure");
    if counted > 100 {
        assert!(d.body.contains("rel=\"next\""), "more than a page of records is paged");
        assert_eq!(app.get(&format!("/kpis/{sci}?page=2"), Some(&s)).await.status, StatusCode::OK);
    }
}
