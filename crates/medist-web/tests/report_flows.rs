//! The dashboard and the annual report: the downloaded XLSX and CSV carry the same figures as the live KPIs.

mod common;

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, DataType, Reader, Xlsx};
use common::TestApp;

#[tokio::test]
async fn the_annual_report_xlsx_and_csv_match_the_live_kpis() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let c = app.consortium_id;
    let kpis = app.api("GET", &format!("/api/v1/consortia/{c}/kpis"), Some(&s), None).await.json();
    let year = 2026;
    let projects = kpis.as_array().unwrap().iter().find(|k| k["kpi"]["code"] == "projects").unwrap();
    let live = projects["value"]["by_year"][year.to_string()].as_i64().unwrap_or(0);
    assert!(live >= 10, "the demo's approved projects are counted: {live}");

    let r = app.get(&format!("/api/v1/consortia/{c}/reports/annual?year={year}&format=xlsx&lang=en"), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("medist-annual-report-2026-en.xlsx"));
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(r.bytes.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "Summary");
    assert!(names.iter().any(|n| n == "Papers") && names.iter().any(|n| n == "Budget"), "{names:?}");
    let summary = wb.worksheet_range("Summary").unwrap();
    let row = summary
        .rows()
        .find(|row| row.iter().any(|d| matches!(d, Data::String(s) if s == "projects")))
        .expect("a row for the projects KPI");
    let numbers: Vec<f64> = row.iter().filter_map(|d| d.as_f64()).collect();
    assert!(numbers.contains(&80.0), "target 80: {row:?}");
    assert!(numbers.contains(&(live as f64)), "value {live} in {row:?}");
    // The commercialization sheet lists the transfers and the startup, with the amounts in won.
    let sheet = wb.worksheet_range("Commercialization").unwrap();
    let text: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|d| d.to_string())).collect();
    assert!(text.iter().any(|t| t.contains("(주)미라클진단 (샘플)")), "{text:?}");
    assert!(sheet.rows().any(|row| row.iter().any(|d| d.as_f64() == Some(62_500_000.0))), "upfront + royalty");
    // The budget sheet holds the year's lines in won.
    let sheet = wb.worksheet_range("Budget").unwrap();
    assert!(sheet.rows().any(|row| row.iter().any(|d| d.as_f64().is_some_and(|v| v >= 1_000_000.0))));

    let csv = app.get(&format!("/api/v1/consortia/{c}/reports/annual?year={year}&format=csv"), Some(&s)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM so Excel shows 한글");
    let line = csv.body.lines().find(|l| l.contains(",projects,")).expect("a CSV line for projects");
    assert!(line.contains(&format!(",{live},")), "{line}");

    // Bad input: a year outside the funded period, an unknown format.
    let bad = app.get(&format!("/api/v1/consortia/{c}/reports/annual?year=2031&format=xlsx"), Some(&s)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["code"], "year-out-of-period");
    let bad = app.get(&format!("/api/v1/consortia/{c}/reports/annual?year=2027&format=docx"), Some(&s)).await;
    assert_eq!(bad.json()["code"], "unknown-format");
    // Trainees and clinicians do not get the ministries' report.
    let t = app.session("trainee@miracle.example").await;
    let denied = app.get(&format!("/api/v1/consortia/{c}/reports/annual?year={year}"), Some(&t)).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_dashboard_shows_kpi_cards_and_svg_charts_for_the_chosen_year() {
    let app = TestApp::new().await;
    let s = app.session("reviewer@miracle.example").await;
    let r = app.get("/dashboard?year=2027", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<svg"), "server-rendered charts");
    assert!(r.body.contains("role=\"img\""));
    assert!(r.body.contains("194억 원"));
    assert!(r.body.contains("<option value=\"2027\" selected>"));
    assert!(r.body.contains("/reports/annual?year=2027&amp;format=pdf"));
}

#[tokio::test]
async fn the_dashboard_narrows_kpis_and_budget_to_one_institution() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let caller = medist_app::Caller::cli();
    let now = chrono::Utc::now();
    let whole = medist_app::report::annual(&app.db, &caller, app.consortium_id, 2026, now).await.unwrap();
    let value = |r: &medist_report::AnnualReport, code: &str| {
        r.kpis().find(|(_, k)| k.code == code).map(|(_, k)| k.cumulative).unwrap()
    };
    let mut budget_parts = 0;
    let mut projects_parts = 0;
    let mut sci_parts = 0;
    for (short, id) in &app.inst {
        let one =
            medist_app::report::annual_for(&app.db, &caller, app.consortium_id, 2026, now, Some(*id)).await.unwrap();
        assert!(value(&one, "projects") <= value(&whole, "projects"), "{short}");
        assert!(one.budget.iter().all(|b| whole.budget.contains(b)), "{short}: only its own lines");
        budget_parts += one.budget.len();
        projects_parts += value(&one, "projects");
        sci_parts += value(&one, "sci_papers");
    }
    assert!(value(&whole, "sci_papers") > 0);
    assert!(sci_parts >= value(&whole, "sci_papers"), "a paper counts for each institution of its authors");
    assert_eq!(budget_parts, whole.budget.len(), "every line belongs to exactly one institution");
    assert!(projects_parts >= value(&whole, "projects"), "every project has members from at least one institution");
    let gist = app.inst["GIST"];
    let r = app.get(&format!("/dashboard?year=2026&institution={gist}"), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("<option value=\"{gist}\" selected>")), "the filter is kept");
    assert!(r.body.contains("부처 보고서는 언제나 컨소시엄 전체입니다"));
    let all = app.get("/dashboard?year=2026&institution=", Some(&s)).await;
    assert_eq!(all.status, StatusCode::OK, "an empty choice is the whole consortium");
    let bad = app.get("/dashboard?year=2026&institution=999999", Some(&s)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_annual_report_pdf_carries_the_live_figures_in_korean() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let c = app.consortium_id;
    let kpis = app.api("GET", &format!("/api/v1/consortia/{c}/kpis"), Some(&s), None).await.json();
    let projects = kpis.as_array().unwrap().iter().find(|k| k["kpi"]["code"] == "projects").unwrap();
    let live = projects["value"]["total"].as_i64().unwrap();
    let r = app.get("/reports/annual?year=2026&format=pdf", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.bytes.starts_with(b"%PDF"));
    let text = pdf_extract::extract_text_from_mem(&r.bytes).unwrap();
    std::fs::write(std::env::temp_dir().join("medist-report-test.txt"), &text).ok();
    assert!(text.contains("194억"), "the budget in 억 원");
    assert!(text.contains("공동연구과제"), "the KPI names in Korean");
    let line = text.lines().find(|l| l.contains("projects")).unwrap_or_default();
    assert!(line.split_whitespace().any(|w| w == live.to_string()), "projects value {live} in: {line}");
}
