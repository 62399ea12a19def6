//! Patents over HTTP: the list with counts, a family, recording an event (and a refused one), the spreadsheet
//! import all or nothing with every bad row named by row and column, and the pages.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Session, TestApp};
use serde_json::json;

async fn import(app: &TestApp, s: &Session, csv: &str, dry_run: bool) -> common::Resp {
    let c = app.consortium_id;
    let req = Request::post(format!("/api/v1/consortia/{c}/patents/import?name=patents.csv&dry_run={dry_run}"))
        .header(header::COOKIE, format!("medist_session={}", s.cookie))
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv.to_string()))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn list_family_events_and_import() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    let reviewer = app.session("reviewer@miracle.example").await;

    // The demo: eight sample families, counts per year.
    let r = app.api("GET", &format!("/api/v1/consortia/{c}/patents"), Some(&office), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    let families = v["families"].as_array().unwrap();
    assert_eq!(families.len(), 8);
    assert!(families.iter().all(|f| f["family"]["title_ko"].as_str().unwrap().ends_with("(샘플)")));
    let filed: i64 = v["counts"].as_array().unwrap().iter().map(|c| c["filed"].as_i64().unwrap()).sum();
    assert_eq!(filed, 8);
    // Reviewers see the counts only.
    let r = app.api("GET", &format!("/api/v1/consortia/{c}/patents"), Some(&reviewer), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["families"].as_array().unwrap().len(), 0);
    assert!(!r.json()["counts"].as_array().unwrap().is_empty());

    // A pending KR application: a registration before its filing is refused with the rule's message.
    let pending = families
        .iter()
        .find(|f| {
            let a = &f["applications"][0];
            a["application"]["jurisdiction"] == "KR" && a["status"]["state"] == "filed"
        })
        .unwrap();
    let fid = pending["family"]["id"].as_i64().unwrap();
    let aid = pending["applications"][0]["application"]["id"].as_i64().unwrap();
    let r = app
        .api(
            "POST",
            &format!("/api/v1/patent-applications/{aid}/events"),
            Some(&office),
            Some(json!({"kind": "registered", "date": "2020-01-01", "number": "10-2999999"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("before the filing"), "{}", r.body);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/patent-applications/{aid}/events"),
            Some(&office),
            Some(json!({"kind": "registered", "date": "2028-02-01", "number": "102999999"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["number"], "10-2999999");
    let r = app.api("GET", &format!("/api/v1/patents/{fid}"), Some(&office), None).await;
    assert_eq!(r.json()["applications"][0]["status"]["state"], "registered");

    // Import: one bad row keeps everything out, and each problem names its row and column.
    let header = "관리번호,발명의 명칭,출원국,출원번호,출원일,등록번호,등록일,출원인,발명자\n";
    let good = "P-1,가져온 특허,KR,10-2028-0000001,2028-01-10,,,GIST,\n";
    let bad = "P-2,잘못된 특허,KR,10-2028-0000002,2028-02-01,10-2888888,2028-01-01,GIST,\nP-3,모르는 기관,KR,12345,2028-03-01,,,없는기관,\n";
    let r = import(&app, &office, &format!("{header}{good}{bad}"), false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let rep = r.json();
    assert_eq!(rep["written"], false);
    let problems = rep["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p["row"] == 3), "{problems:?}");
    assert!(problems.iter().any(|p| p["row"] == 4 && p["column"] == "D"), "{problems:?}");
    assert!(problems.iter().any(|p| p["row"] == 4 && p["column"] == "H"), "{problems:?}");
    let r = app.api("GET", &format!("/api/v1/consortia/{c}/patents"), Some(&office), None).await;
    assert_eq!(r.json()["families"].as_array().unwrap().len(), 8, "nothing was written");
    // A dry run of good rows writes nothing; the real run writes them.
    let r = import(&app, &office, &format!("{header}{good}"), true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["written"], false);
    let r = import(&app, &office, &format!("{header}{good}"), false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["written"], true);
    let r = app.api("GET", &format!("/api/v1/consortia/{c}/patents"), Some(&office), None).await;
    assert_eq!(r.json()["families"].as_array().unwrap().len(), 9);

    // Pages: the list with counts and filters, the family with its add-event form.
    let r = app.get("/patents", Some(&office)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("10-2028-0000001"));
    let r = app.get("/patents?year=2027&kind=registered", Some(&office)).await;
    assert!(!r.body.contains("10-2028-0000001"));
    let r = app.get(&format!("/patents/{fid}"), Some(&office)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("/events"), "the office may record events");
    let r = app
        .post_form(
            &format!("/patents/{fid}/events"),
            Some(&office),
            &[("application_id", &aid.to_string()), ("kind", "rejected"), ("date", "2028-03-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a registered patent cannot be rejected");
    let faculty = app.session("faculty@miracle.example").await;
    let r = app.get(&format!("/patents/{fid}"), Some(&faculty)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("name=\"application_id\""), "faculty cannot record events");
}
