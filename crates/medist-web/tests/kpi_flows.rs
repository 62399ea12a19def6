//! KPIs as the program office and a reviewer use them: targets, live values, drill-down, rule changes.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn every_seed_kpi_against_its_target_with_the_records_behind_it() {
    let app = TestApp::new().await;
    let s = app.session("reviewer@miracle.example").await;
    let c = app.consortium_id;
    let kpis = app.api("GET", &format!("/api/v1/consortia/{c}/kpis"), Some(&s), None).await.json();
    let targets: Vec<(String, i64)> = kpis
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["kpi"]["code"].as_str().unwrap().to_string(), k["kpi"]["target"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        targets,
        [
            ("talents", 150),
            ("joint_courses", 16),
            ("projects", 80),
            ("sci_papers", 30),
            ("patent_applications", 22),
            ("patent_registrations", 8)
        ]
        .map(|(c, t)| (c.to_string(), t))
        .to_vec()
    );
    let joint = kpis.as_array().unwrap().iter().find(|k| k["kpi"]["code"] == "joint_courses").unwrap();
    let catalog = app.api("GET", &format!("/api/v1/consortia/{c}/catalog"), Some(&s), None).await.json();
    let joint_courses: Vec<i64> = catalog["courses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["joint"] == true)
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert!(!joint_courses.is_empty());
    assert_eq!(joint["value"]["total"], joint_courses.len() as i64);
    let mut counted: Vec<i64> =
        joint["value"]["counted"].as_array().unwrap().iter().map(|r| r["record_id"].as_i64().unwrap()).collect();
    counted.sort();
    assert_eq!(counted, joint_courses, "the number is exactly these records");
    let detail = app.get(&format!("/kpis/{}", joint["kpi"]["id"]), Some(&s)).await;
    assert!(detail.body.contains("BSE7001 의생명공학 원리"), "the drill-down names the courses");
    let page = app.get("/kpis", Some(&s)).await;
    assert!(page.body.contains("공동교과목 개발") && page.body.contains("/ 16") && page.body.contains("특허 등록"));
    // Reviewers read but cannot change a rule.
    let id = joint["kpi"]["id"].as_i64().unwrap();
    let r =
        app.api("PUT", &format!("/api/v1/kpis/{id}/rule"), Some(&s), Some(json!({"rule_text": "count course"}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_program_office_changes_a_rule_and_sees_the_number_change() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let c = app.consortium_id;
    let kpis = app.api("GET", &format!("/api/v1/consortia/{c}/kpis"), Some(&s), None).await.json();
    let joint = kpis.as_array().unwrap().iter().find(|k| k["kpi"]["code"] == "joint_courses").unwrap().clone();
    let id = joint["kpi"]["id"].as_i64().unwrap();
    let before = joint["value"]["total"].as_i64().unwrap();

    let preview = app
        .api("POST", &format!("/api/v1/kpis/{id}/preview"), Some(&s), Some(json!({"rule_text": "count course"})))
        .await
        .json();
    assert_eq!(preview["value"]["total"], 16);
    let bad = app
        .api(
            "POST",
            &format!("/api/v1/kpis/{id}/preview"),
            Some(&s),
            Some(json!({"rule_text": "count course\nwhere colour = \"red\""})),
        )
        .await
        .json();
    assert!(bad["rule_errors"][0].as_str().unwrap().contains("no field 'colour'"), "{bad}");

    let r = app
        .post_form(&format!("/kpis/{id}/rule"), Some(&s), &[("rule_text", "count course\nwhere joint is maybe")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("line 2, column 16"), "{}", r.body);
    let r = app
        .post_form(
            &format!("/kpis/{id}/rule"),
            Some(&s),
            &[("rule_text", "count course\nwhere institution = \"GIST\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = app.api("GET", &format!("/api/v1/kpis/{id}"), Some(&s), None).await.json();
    assert_eq!(after["kpi"]["version"], 2);
    assert_eq!(after["value"]["total"], 8, "the eight GIST courses");
    assert_ne!(after["value"]["total"].as_i64().unwrap(), before);
    let log = app.api("GET", &format!("/api/v1/audit?entity=kpi&entity_id={id}"), Some(&s), None).await.json();
    assert_eq!(log["items"][0]["action"], "rule");
    assert_eq!(log["items"][0]["before"]["rule_text"], "count course\nwhere joint is true");
}
