//! Education as a trainee, a mentor, a coordinator, the program office and a reviewer see it.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

async fn trainee_ids(app: &TestApp) -> Vec<i64> {
    medist_db::education::list_trainees(
        &app.db,
        app.consortium_id,
        &Default::default(),
        chrono::Utc::now().date_naive(),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.trainee.id)
    .collect()
}

#[tokio::test]
async fn a_trainee_reads_an_audit_that_counts_a_partner_institution_course() {
    let app = TestApp::new().await;
    let ids = trainee_ids(&app).await;
    let s = app.session("trainee@miracle.example").await;
    let page = app.get(&format!("/trainees/{}", ids[0]), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["졸업요건 심사", "MED6501", "→ BSE7201", "타 기관 학점", "남은 요건", "학위논문 심사 통과"]
    {
        assert!(page.body.contains(text), "missing {text}");
    }
    let audit = app.api("GET", &format!("/api/v1/trainees/{}/audit", ids[0]), Some(&s), None).await.json();
    assert_eq!(audit["program_code"], "joint_phd");
    assert_eq!(audit["report"]["met"], false);
    let text = audit["text"].as_str().unwrap();
    assert!(text.contains("MED6501 at CNU_MED") && text.contains("as BSE7201 by equivalence"), "{text}");
    assert_eq!(audit["report"]["transfer_credits"]["applied"], "3");
    // Someone else's record stays closed.
    assert_eq!(app.get(&format!("/trainees/{}", ids[1]), Some(&s)).await.status, StatusCode::FORBIDDEN);
    let mine =
        app.api("GET", &format!("/api/v1/consortia/{}/trainees", app.consortium_id), Some(&s), None).await.json();
    assert_eq!(mine["total"], 1);

    // What-if against the MD-PhD.
    let wi = app.api("GET", &format!("/api/v1/trainees/{}/audit?what_if=md_phd", ids[0]), Some(&s), None).await.json();
    assert_eq!(wi["what_if"], true);
    assert_eq!(wi["program_code"], "md_phd");
    let missing = app.api("GET", &format!("/api/v1/trainees/{}/audit?what_if=astronomy", ids[0]), Some(&s), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_mentor_sees_their_trainees_and_overdue_milestones() {
    let app = TestApp::new().await;
    let s = app.session("faculty@miracle.example").await;
    let list =
        app.api("GET", &format!("/api/v1/consortia/{}/trainees", app.consortium_id), Some(&s), None).await.json();
    let me = medist_db::accounts::user_by_login(&app.db, "faculty@miracle.example")
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let items = list["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items.iter().all(|r| r["trainee"]["clinical_mentor_id"] == me || r["trainee"]["scientist_mentor_id"] == me)
    );
    assert!(items.iter().any(|r| r["overdue_milestones"].as_i64().unwrap() > 0), "some mentee is late");
    let page = app.get("/trainees", Some(&s)).await;
    assert!(page.body.contains("기한 지난 단계") && page.body.contains("badge bad"));
    // The mentor reads a mentee's file but cannot change it.
    let id = items[0]["trainee"]["id"].as_i64().unwrap();
    let file = app.api("GET", &format!("/api/v1/trainees/{id}"), Some(&s), None).await.json();
    assert_eq!(file["can_manage"], false);
    let r =
        app.api("POST", &format!("/api/v1/trainees/{id}/status"), Some(&s), Some(json!({"status": "on_leave"}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn status_changes_follow_the_state_machine_and_are_recorded() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let rows = medist_db::education::list_trainees(
        &app.db,
        app.consortium_id,
        &Default::default(),
        chrono::Utc::now().date_naive(),
    )
    .await
    .unwrap();
    let applicant = rows.iter().find(|r| r.trainee.status == "applicant").unwrap().trainee.id;
    let r = app
        .api("POST", &format!("/api/v1/trainees/{applicant}/status"), Some(&s), Some(json!({"status": "enrolled"})))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "illegal-transition");
    let r = app
        .api(
            "POST",
            &format!("/api/v1/trainees/{applicant}/status"),
            Some(&s),
            Some(json!({"status": "admitted", "reason": "합격"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let file = app.api("GET", &format!("/api/v1/trainees/{applicant}"), Some(&s), None).await.json();
    assert_eq!(file["trainee"]["status"], "admitted");
    assert_eq!(file["status_history"][0]["from_status"], "applicant");
    assert_eq!(file["status_history"][0]["changed_by"], "office@miracle.example");
    assert_eq!(file["next_statuses"], json!(["enrolled", "withdrawn"]));
    let r = app
        .api("POST", &format!("/api/v1/trainees/{applicant}/status"), Some(&s), Some(json!({"status": "retired"})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn coordinators_see_their_institution_and_reviewers_only_the_catalog() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let gist = app.session("coordinator.gist@miracle.example").await;
    let list = app.api("GET", &format!("/api/v1/consortia/{c}/trainees"), Some(&gist), None).await.json();
    let home = app.inst("GIST");
    assert!(list["total"].as_i64().unwrap() > 20);
    assert!(list["items"].as_array().unwrap().iter().all(|r| r["trainee"]["home_institution_id"] == home));
    let other = app.inst("CNU Medicine");
    let r = app.api("GET", &format!("/api/v1/consortia/{c}/trainees?institution_id={other}"), Some(&gist), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let reviewer = app.session("reviewer@miracle.example").await;
    assert_eq!(app.get("/trainees", Some(&reviewer)).await.status, StatusCode::FORBIDDEN);
    let catalog = app.api("GET", &format!("/api/v1/consortia/{c}/catalog"), Some(&reviewer), None).await.json();
    assert_eq!(catalog["courses"].as_array().unwrap().len(), 16);
    assert_eq!(catalog["programs"].as_array().unwrap().len(), 2);
    let page = app.get("/education", Some(&reviewer)).await;
    assert!(page.body.contains("공동교과목") && page.body.contains("교과목 동등 인정"));
}
