//! Outputs and commercialization as people use them: the program office loads SCI journal lists (a file with
//! mistakes is refused row by row, a good one changes which papers are SCI-level); the commercialization staff
//! record transfers, royalties and startups; a faculty member discloses an invention that stays confidential;
//! the staff take it through assessment to a decision.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Session, TestApp};

/// A raw upload to the API (a CSV body), with the session cookie and the CSRF header.
async fn upload(app: &TestApp, path: &str, s: &Session, bytes: &[u8]) -> common::Resp {
    let req = Request::post(path)
        .header(header::COOKIE, format!("medist_session={}", s.cookie))
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(bytes.to_vec()))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn the_office_loads_sci_lists_and_the_papers_follow() {
    let app = TestApp::new().await;
    let office = app.session("office@miracle.example").await;
    let faculty = app.session("faculty@miracle.example").await;
    let c = app.consortium_id;

    // The demo's sample list is loaded for 2026; the 2025 paper shows that no list covers its year.
    let page = app.get("/publications/sci", Some(&office)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("SCI 저널 목록") && page.body.contains("2026") && page.body.contains("SCIE 7"),
        "{}",
        page.body
    );
    let list = app.get("/publications?q=organoid", Some(&office)).await;
    assert!(list.body.contains("목록 없음"), "{}", list.body);

    // A file with mistakes: every bad row is named with its row and column, and nothing is written.
    let bad = "\u{feff}저널명,ISSN,eISSN,구분,연도\n좋은 저널,0028-0836,,SCIE,2025\n틀린 검증숫자,0028-0837,,SCIE,2025\n모르는 색인,1476-4687,,Scopus,2025\n";
    let r = app.post_file("/publications/sci", Some(&office), "목록-2025.csv", bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("잘못된 행이 있어 아무것도 저장하지 않았습니다"), "{}", r.body);
    assert!(r.body.contains("0028-0837") && r.body.contains("expected 6"), "{}", r.body);
    assert!(r.body.contains("Scopus"), "{}", r.body);
    let years = app.api("GET", &format!("/api/v1/consortia/{c}/sci-journals"), Some(&office), None).await.json();
    assert_eq!(years.as_array().unwrap().len(), 1, "nothing was written: {years}");

    // A faculty member may read the lists but not load one.
    let denied = app.post_file("/publications/sci", Some(&faculty), "x.csv", b"ISSN,Edition\n0028-0836,SCIE\n").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // A Clarivate-style export without a year column, loaded through the API for 2025.
    let jcr = "Journal name,JCR Abbreviation,Publisher,ISSN,eISSN,Category,Edition\nNATURE COMMUNICATIONS,NAT COMMUN,NATURE PORTFOLIO,N/A,2041-1723,MULTIDISCIPLINARY SCIENCES,SCIE\n";
    let r =
        upload(&app, &format!("/api/v1/consortia/{c}/sci-journals/import?name=jcr-2025.csv"), &office, jcr.as_bytes())
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no year: {}", r.body);
    assert!(r.json()["problems"][0]["message"].as_str().unwrap().contains("year"), "{}", r.body);
    let r = upload(
        &app,
        &format!("/api/v1/consortia/{c}/sci-journals/import?name=jcr-2025.csv&year=2025"),
        &office,
        jcr.as_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rep = r.json();
    assert_eq!(rep["written"], true);
    assert!(rep["ignored_columns"].as_array().unwrap().iter().any(|c| c == "Publisher"));
    // The 2025 paper in Nature Communications is now SCI-level.
    let list =
        app.api("GET", &format!("/api/v1/consortia/{c}/publications?q=organoid"), Some(&office), None).await.json();
    let p = &list["items"][0];
    assert_eq!(p["sci"]["sci_level"], true, "{p}");
    assert_eq!(p["sci"]["edition"], "SCIE");
    // Deleting the year again takes it back.
    let del = app.api("DELETE", &format!("/api/v1/consortia/{c}/sci-journals/2025"), Some(&office), None).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn commercialization_is_recorded_by_the_staff_and_disclosures_stay_confidential() {
    let app = TestApp::new().await;
    let tto = app.session("tto@miracle.example").await;
    let faculty = app.session("faculty@miracle.example").await;
    let clinician = app.session("clinician@miracle.example").await;

    let page = app.get("/commercialization", Some(&tto)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("(주)미라클진단 (샘플)") && page.body.contains("광주·전남"), "{}", page.body);
    assert!(page.body.contains("면역관문억제제 반응 예측 바이오마커 (샘플)"));

    // A transfer with an amount that is not a number is named; then recorded, then a royalty.
    let mut t = vec![
        ("licensee", "광주바이오 주식회사"),
        ("title", "패혈증 예측 알고리즘"),
        ("kind", "non_exclusive_license"),
        ("contract_date", "2026-10-01"),
        ("upfront_fee_krw", "일억"),
    ];
    let bad = app.post_form("/commercialization/transfers", Some(&tto), &t).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("원 단위 금액을 숫자로 적어 주세요") && bad.body.contains("value=\"광주바이오 주식회사\"")
    );
    t[4].1 = "100,000,000";
    let ok = app.post_form("/commercialization/transfers", Some(&tto), &t).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let tr = medist_db::commercial::list_transfers(&app.db, app.consortium_id)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.row.licensee == "광주바이오 주식회사")
        .unwrap();
    assert_eq!(tr.row.upfront_fee_krw, 100_000_000);
    let early = app
        .post_form(
            &format!("/transfers/{}/royalties", tr.row.id),
            Some(&tto),
            &[("paid_on", "2026-09-01"), ("amount_krw", "1000")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "a royalty before the contract");
    let paid = app
        .post_form(
            &format!("/transfers/{}/royalties", tr.row.id),
            Some(&tto),
            &[("paid_on", "2026-11-01"), ("amount_krw", "5,000,000")],
        )
        .await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);

    // A faculty member may not record transfers, and discloses only an invention they are an inventor of.
    assert_eq!(app.post_form("/commercialization/transfers", Some(&faculty), &t).await.status, StatusCode::FORBIDDEN);
    let me = app.person("faculty01.sample@miracle.example").await;
    let other = app.person("faculty08.sample@miracle.example").await;
    let (me, other) = (me.to_string(), other.to_string());
    let mut form = vec![
        ("title_ko", "조직 투명화 영상 분석법"),
        ("received_on", "2026-11-20"),
        ("inventor-0", other.as_str()),
        ("share-0", "100"),
    ];
    let refused = app.post_form("/commercialization/disclosures", Some(&faculty), &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("본인이 발명자로 포함된 발명만 신고할 수 있습니다"), "{}", refused.body);
    form.extend([("inventor-1", me.as_str()), ("share-1", "50")]);
    form[3].1 = "50";
    let created = app.post_form("/commercialization/disclosures", Some(&faculty), &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let loc = created.location().unwrap().to_string();
    let id: i64 = loc.trim_start_matches("/disclosures/").split('?').next().unwrap().parse().unwrap();

    // Confidential: the clinician neither lists nor opens it; the inventor does.
    let list = app.get("/commercialization", Some(&clinician)).await;
    assert!(!list.body.contains("조직 투명화 영상 분석법"), "{}", list.body);
    assert!(list.body.contains("본인이 발명자인 신고만"), "{}", list.body);
    assert_eq!(app.get(&format!("/disclosures/{id}"), Some(&clinician)).await.status, StatusCode::FORBIDDEN);
    let mine = app.get(&format!("/disclosures/{id}"), Some(&faculty)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("2027년 3월 20일"), "decision due four months after receipt: {}", mine.body);
    assert_eq!(
        app.post_form(&format!("/disclosures/{id}/action"), Some(&faculty), &[("action", "start_assessment")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The staff: deciding before an assessment is refused with the rule's words; then assess and decide.
    let go = |a: &'static str| vec![("action", a), ("on", "2026-11-25")];
    assert_eq!(
        app.post_form(&format!("/disclosures/{id}/action"), Some(&tto), &go("start_assessment")).await.status,
        StatusCode::SEE_OTHER
    );
    let early = app.post_form(&format!("/disclosures/{id}/action"), Some(&tto), &go("decide_file")).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    let score = app
        .post_form(
            &format!("/disclosures/{id}/assess"),
            Some(&tto),
            &[("grade", "A"), ("score", "140"), ("assessor", "발명평가위원회"), ("assessed_on", "2026-11-26")],
        )
        .await;
    assert_eq!(score.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(score.body.contains("value=\"140\""), "the form keeps what was typed");
    let assessed = app
        .post_form(
            &format!("/disclosures/{id}/assess"),
            Some(&tto),
            &[("grade", "A"), ("score", "85"), ("assessor", "발명평가위원회"), ("assessed_on", "2026-11-26")],
        )
        .await;
    assert_eq!(assessed.status, StatusCode::SEE_OTHER, "{}", assessed.body);
    let decided = app
        .post_form(&format!("/disclosures/{id}/action"), Some(&tto), &[("action", "decide_file"), ("on", "2026-11-27")])
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let v = app.api("GET", &format!("/api/v1/disclosures/{id}"), Some(&faculty), None).await.json();
    assert_eq!(v["row"]["state"], "decided_file");
    assert_eq!(v["disclosure"]["history"].as_array().unwrap().len(), 2);
    assert_eq!(v["deadlines"]["decision"]["status"], "done");
}
