//! The budget as the program office, a coordinator and a reviewer use it.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn overview_shows_the_seed_totals_and_checks() {
    let app = TestApp::new().await;
    let s = app.session("reviewer@miracle.example").await;
    let page = app.get("/budget", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "사업비 집행 현황",
        "194억 원",
        "광주과학기술원",
        "과기정통부",
        "인건비",
        "정부출연금 총액 166억 원 이하",
        "충족",
    ] {
        assert!(page.body.contains(text), "missing {text}");
    }
    assert!(!page.body.contains("미충족"), "every seed check passes on the demo");
    let api = app.api("GET", &format!("/api/v1/consortia/{}/budget", app.consortium_id), Some(&s), None).await.json();
    assert_eq!(api["total"]["budget_krw"], 19_400_000_000i64);
    assert_eq!(api["can_manage"], false);
    let gist = app.inst("GIST").to_string();
    let gist_row =
        api["by_institution"].as_array().unwrap().iter().find(|r| r["key"] == gist.as_str()).unwrap().clone();
    let gist_gov: i64 =
        api["constraints"].as_array().unwrap().iter().find(|c| c["code"] == "gist_share").unwrap()["actual"]
            .as_i64()
            .unwrap();
    assert_eq!(gist_gov, 3976);
    assert!(gist_row["spent_krw"].as_i64().unwrap() > 0, "sample expenditures in 2026");
    // Faculty do not see the budget at all.
    let f = app.session("faculty@miracle.example").await;
    assert_eq!(app.get("/budget", Some(&f)).await.status, StatusCode::FORBIDDEN);
    assert!(!app.get("/consortium", Some(&f)).await.body.contains("href=\"/budget\""));
}

#[tokio::test]
async fn a_coordinator_records_expenditures_with_evidence_within_the_budget() {
    let app = TestApp::new().await;
    let s = app.session("coordinator.gist@miracle.example").await;
    let (lines, ledger) = medist_db::funding::load_ledger(&app.db.conn, app.consortium_id).await.unwrap();
    let line = lines
        .iter()
        .find(|l| l.institution_id == app.inst("GIST") && l.year == 2026 && l.category == "research_activity")
        .unwrap();
    let remaining = ledger.remaining(line.id).0;
    let path = format!("/budget/lines/{}/expenditures", line.id);

    let r = app
        .post_form(
            &path,
            Some(&s),
            &[("date", "2026-09-01"), ("amount", "12.5"), ("description", ""), ("evidence", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("원 단위 정수"), "amount");
    assert!(r.body.contains("필수 항목입니다"), "description");
    assert!(r.body.contains("증빙을 하나 이상"), "evidence");

    let too_much = format!("{}", remaining + 1);
    let r = app
        .post_form(
            &path,
            Some(&s),
            &[("date", "2026-09-01"), ("amount", &too_much), ("description", "시약"), ("evidence", "INV-77")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("예산 잔액을 넘습니다"), "{}", r.body);

    let r = app
        .post_form(
            &path,
            Some(&s),
            &[("date", "2027-01-05"), ("amount", "1,000,000"), ("description", "시약"), ("evidence", "INV-77")],
        )
        .await;
    assert!(r.body.contains("연도에 속하지 않습니다"), "a 2026 line takes 2026 dates");

    let r = app
        .post_form(
            &path,
            Some(&s),
            &[
                ("date", "2026-09-01"),
                ("amount", "1,000,000"),
                ("description", "시약 구입"),
                ("evidence", "INV-77\nPO-2026-0042"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let view = app.api("GET", &format!("/api/v1/budget/lines/{}", line.id), Some(&s), None).await.json();
    assert_eq!(view["remaining_krw"], remaining - 1_000_000);
    assert_eq!(view["can_spend"], true);
    assert_eq!(view["can_manage"], false);
    let page = app.get(&format!("/budget/lines/{}", line.id), Some(&s)).await;
    assert!(page.body.contains("PO-2026-0042"));

    // Another institution's line is not theirs to spend.
    let other = lines.iter().find(|l| l.institution_id == app.inst("CNUH") && l.year == 2026).unwrap();
    let r = app
        .post_form(
            &format!("/budget/lines/{}/expenditures", other.id),
            Some(&s),
            &[("date", "2026-09-01"), ("amount", "1"), ("description", "x"), ("evidence", "y")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_program_office_amends_closes_and_changes_a_check() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let c = app.consortium_id;
    let (lines, ledger) = medist_db::funding::load_ledger(&app.db.conn, c).await.unwrap();
    let spent_line = lines.iter().find(|l| ledger.spent(l.id).0 > 0).unwrap();
    let spent = ledger.spent(spent_line.id).0;
    let current = ledger.current(spent_line.id).0;

    let cut = format!("-{}", current - spent + 1);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/budget/lines/{}/amendments", spent_line.id),
            Some(&s),
            Some(json!({"delta": cut, "date": "2026-10-01", "reason": "재배분"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "below-spent");
    let r = app
        .api(
            "POST",
            &format!("/api/v1/budget/lines/{}/amendments", spent_line.id),
            Some(&s),
            Some(json!({"delta": "+1억", "date": "2026-10-01", "reason": "장비 추가"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // One more government won now breaks the 16.6 billion check.
    let overview = app.api("GET", &format!("/api/v1/consortia/{c}/budget"), Some(&s), None).await.json();
    let gov =
        overview["constraints"].as_array().unwrap().iter().find(|x| x["code"] == "government_total").unwrap().clone();
    let program =
        overview["constraints"].as_array().unwrap().iter().find(|x| x["code"] == "program_total").unwrap().clone();
    assert_eq!(program["passed"], false, "the total is no longer 19.4 billion");
    assert_eq!(program["actual"], 19_500_000_000i64);
    assert_eq!(gov["passed"], spent_line.source == "matching");

    // The program office changes a check, and its result changes with it.
    let body = json!({"name_ko": "총 사업비 195억 원", "name_en": "Program budget KRW 19.5 billion",
        "check": {"kind": "amount", "of": {}, "comparison": "about", "target": 19_500_000_000i64}});
    let r =
        app.api("PUT", &format!("/api/v1/consortia/{c}/budget/constraints/program_total"), Some(&s), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let overview = app.api("GET", &format!("/api/v1/consortia/{c}/budget"), Some(&s), None).await.json();
    let program =
        overview["constraints"].as_array().unwrap().iter().find(|x| x["code"] == "program_total").unwrap().clone();
    assert_eq!(program["passed"], true);
    let bad = json!({"name_ko": "x", "name_en": "x", "check": {"kind": "share", "part": {"institutions": [9999]}, "whole": {}, "comparison": "at_most", "target_bp": 100}});
    let r = app.api("PUT", &format!("/api/v1/consortia/{c}/budget/constraints/bad"), Some(&s), Some(bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(
            "PUT",
            &format!("/api/v1/consortia/{c}/budget/constraints/bad"),
            Some(&s),
            Some(json!({"name_ko": "x", "name_en": "x", "check": {"kind": "wish"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // A closed line takes nothing more.
    let r = app.post_form(&format!("/budget/lines/{}/close", spent_line.id), Some(&s), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .api("POST", &format!("/api/v1/budget/lines/{}/expenditures", spent_line.id), Some(&s), Some(json!({"date": format!("{}-11-01", spent_line.year), "amount": "1", "description": "x", "evidence": "y"})))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "line-closed");
    // Every change is in the audit log.
    let log = app
        .api("GET", &format!("/api/v1/audit?entity=budget_line&entity_id={}", spent_line.id), Some(&s), None)
        .await
        .json();
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["close", "amend", "create"]);
}
