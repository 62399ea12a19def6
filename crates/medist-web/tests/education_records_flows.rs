//! The program office's lists in and out (roster, courses, enrollments as CSV and XLSX), milestones and the
//! mentor's overdue list, exceptions, development plans with sign-off, alumni positions and the training tables.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use medist_core::access::Role;
use medist_tabular::{CellValue, SheetData};
use serde_json::{Value, json};

const ROSTER_HEADER: &str =
    "성명,영문 성명,이메일,구분,소속 기관,학위과정,트랙,학적 상태,임상 지도교수,기초 지도교수,시작일";

fn roster_csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from(ROSTER_HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.into_bytes()
}

const GOOD_1: &str = "김하늘,Haneul Kim,haneul.kim@gist.example,박사과정,GIST,joint_phd,면역항암,재학,faculty01.sample@miracle.example,faculty07.sample@miracle.example,2026-03-02";
const GOOD_2: &str = "이바다,Bada Lee,bada.lee@cnu.example,MD-PhD 학생,CNU_MED,md_phd,재생의학,지원,박서준,faculty08.sample@miracle.example,2026-09-01";

async fn trainee_by_email(app: &TestApp, email: &str) -> i64 {
    let person = app.person(email).await;
    medist_db::education::list_trainees(
        &app.db,
        app.consortium_id,
        &Default::default(),
        chrono::Utc::now().date_naive(),
    )
    .await
    .unwrap()
    .into_iter()
    .find(|r| r.trainee.person_id == person)
    .unwrap()
    .trainee
    .id
}

async fn trainee_count(app: &TestApp) -> usize {
    medist_db::education::list_trainees(
        &app.db,
        app.consortium_id,
        &Default::default(),
        chrono::Utc::now().date_naive(),
    )
    .await
    .unwrap()
    .len()
}

#[tokio::test]
async fn a_coordinator_previews_then_imports_a_roster_all_or_nothing() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    let before = trainee_count(&app).await;
    // A bad roster: every problem named by row and column, nothing written.
    let bad = roster_csv(&[
        GOOD_1,
        "박하나,,not-an-email,박사과정,GIST,joint_phd,심장학,재학,,,2026-03-02",
        "최두리,Duri Choi,duri@x.example,박사과정,MARS,astronomy,면역항암,졸업,nobody@nowhere.example,,2026-03-02",
        GOOD_1,
    ]);
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=trainees&name=roster.csv"), &office, &bad)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let report = r.json();
    assert_eq!(report["written"], false);
    let problems: Vec<(i64, String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["column"].as_str().unwrap_or("").to_string(),
                p["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (row, col, field) in [
        (3, "C", "email"),
        (3, "G", "track"),
        (4, "E", "home_institution"),
        (4, "F", "program"),
        (4, "I", "clinical_mentor"),
        (5, "C", "email"),
    ] {
        assert!(
            problems.iter().any(|(r, c, f)| *r == row && c == col && f == field),
            "row {row} column {col} ({field}) not reported: {problems:?}"
        );
    }
    let ended =
        report["problems"].as_array().unwrap().iter().find(|p| p["row"] == 4 && p["field"] == "ended_on").unwrap();
    assert_eq!(ended["message"], "is required for a graduate");
    assert_eq!(trainee_count(&app).await, before, "nothing was written");

    // The coordinator of GIST previews a good roster in the web UI, then imports it.
    let gist = app.session("coordinator.gist@miracle.example").await;
    let good = roster_csv(&[GOOD_1]);
    let page = app
        .post_file_with("/education/import", &gist, &[("list", "trainees"), ("dry_run", "on")], "roster.csv", &good)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("미리 보기: 모든 행이 올바릅니다"), "{}", page.body);
    assert_eq!(trainee_count(&app).await, before);
    let page = app.post_file_with("/education/import", &gist, &[("list", "trainees")], "roster.csv", &good).await;
    assert!(page.body.contains("저장했습니다"), "{}", page.body);
    assert_eq!(trainee_count(&app).await, before + 1);
    // … but not trainees of another institution.
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=trainees"), &gist, &roster_csv(&[GOOD_2]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("you may not add trainees of 'CNU_MED'"), "{}", r.body);

    // The office imports both rows: the first is already there and left alone (a re-import adds nothing).
    let both = roster_csv(&[GOOD_1, GOOD_2]);
    let r = app.api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=trainees"), &office, &both).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = r.json();
    assert_eq!((report["new_records"].as_i64(), report["already_present"].as_i64()), (Some(1), Some(1)));
    assert_eq!(trainee_count(&app).await, before + 2);
    let again =
        app.api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=trainees"), &office, &both).await.json();
    assert_eq!((again["new_records"].as_i64(), again["already_present"].as_i64()), (Some(0), Some(2)));
    assert_eq!(trainee_count(&app).await, before + 2);

    // The imported trainee has mentors (by e-mail and by a unique name) and a recorded status.
    let id = trainee_by_email(&app, "bada.lee@cnu.example").await;
    let file = app.api("GET", &format!("/api/v1/trainees/{id}"), Some(&office), None).await.json();
    assert_eq!(file["trainee"]["status"], "applicant");
    assert_eq!(file["trainee"]["category"], "md_phd_student");
    assert_eq!(file["clinical_mentor"]["email"], "faculty01.sample@miracle.example");
    assert_eq!(file["status_history"][0]["reason"], "imported from upload.csv");
}

#[tokio::test]
async fn rosters_come_as_xlsx_and_cp949_and_a_wrong_file_is_refused_whole() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    // XLSX with English headers.
    let headers: Vec<String> =
        ["Name (Korean)", "E-mail", "Category", "Home institution", "Program", "Track", "Status", "Start date"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let t = |s: &str| CellValue::Text(s.into());
    let sheet = SheetData {
        name: "Roster".into(),
        headers,
        rows: vec![vec![
            t("정가람"),
            t("garam@gist.example"),
            t("PhD student"),
            t("GIST"),
            t("joint_phd"),
            t("Multimodal medicine"),
            t("Admitted"),
            CellValue::Date(medist_tabular::Date::new(2026, 3, 2).unwrap()),
        ]],
    };
    let xlsx = medist_tabular::write_xlsx(&[sheet]).unwrap();
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=trainees&name=roster.xlsx"), &office, &xlsx)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["new_records"], 1);
    let id = trainee_by_email(&app, "garam@gist.example").await;
    let file = app.api("GET", &format!("/api/v1/trainees/{id}"), Some(&office), None).await.json();
    assert_eq!(
        (file["trainee"]["track"].as_str(), file["trainee"]["status"].as_str()),
        (Some("multimodal_medicine"), Some("admitted"))
    );

    // CP949 (what Korean Excel saves as "CSV").
    let (cp949, _, _) = encoding_rs::EUC_KR.encode(
        "성명,이메일,구분,소속 기관,학위과정,트랙,시작일\n문다솜,dasom@gist.example,석사과정,GIST,joint_phd,재생의학,2026-03-02\n",
    );
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=trainees&name=roster.csv"), &office, &cp949)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = trainee_by_email(&app, "dasom@gist.example").await;
    let file = app.api("GET", &format!("/api/v1/trainees/{id}"), Some(&office), None).await.json();
    assert_eq!(file["person"]["name_ko"], "문다솜");

    // Garbage and a file without the required columns: a 400 that names the file.
    let r = app
        .api_bytes(
            &format!("/api/v1/consortia/{c}/education/import?list=trainees&name=roster.xlsx"),
            &office,
            b"PK\x03\x04 not a zip",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["detail"].as_str().unwrap().starts_with("roster.xlsx"), "{}", r.body);
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=trainees&name=x.csv"), &office, b"a,b\n1,2\n")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    // The web page shows the same message instead of failing.
    let page = app.post_file_with("/education/import", &office, &[("list", "trainees")], "x.csv", b"a,b\n1,2\n").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("x.csv"), "{}", page.body);
}

#[tokio::test]
async fn courses_and_grades_import_with_each_institutions_scale_and_the_audit_counts_them() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    let courses = "교과목 코드,교과목명,영문 교과목명,학점,개설 기관,강의 언어,트랙,공동교과목\n\
                   BSE7999,정밀의료 데이터과학,Precision Medicine Data Science,3,GIST,영어,multimodal_medicine,Y\n\
                   BSE7101,의료 인공지능,Medical AI,3,GIST,영어,,Y\n";
    let r = app
        .api_bytes(
            &format!("/api/v1/consortia/{c}/education/import?list=courses&name=courses.csv"),
            &office,
            courses.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["new_records"].as_i64(), r.json()["already_present"].as_i64()), (Some(1), Some(1)));
    // A coordinator may not change the catalog.
    let gist = app.session("coordinator.gist@miracle.example").await;
    let r =
        app.api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=courses"), &gist, courses.as_bytes()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Enrollments: unknown course, grade off the CNU scale (A- is GIST's), duplicate row; nothing written.
    let t = "trainee02.sample@miracle.example";
    let bad = format!(
        "교육생 이메일,교과목 코드,수강 기관,학기 종료일,성적\n\
         {t},BSE7999,,2026-12-31,A-\n\
         {t},NOPE101,,2026-12-31,A0\n\
         {t},MED6301,CNU_MED,2026-12-31,A-\n\
         {t},BSE7999,,2026-12-31,A-\n"
    );
    let r = app
        .api_bytes(
            &format!("/api/v1/consortia/{c}/education/import?list=enrollments&name=grades.csv"),
            &office,
            bad.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let problems = r.json()["problems"].as_array().unwrap().clone();
    let at = |row: i64| {
        problems.iter().find(|p| p["row"] == row).unwrap_or_else(|| panic!("row {row}: {problems:?}")).clone()
    };
    assert_eq!((at(3)["column"].as_str(), at(3)["field"].as_str()), (Some("B"), Some("course")));
    assert!(at(3)["message"].as_str().unwrap().contains("NOPE101"));
    assert_eq!((at(4)["column"].as_str(), at(4)["field"].as_str()), (Some("E"), Some("grade")));
    assert!(at(4)["message"].as_str().unwrap().contains("A-"), "{}", at(4));
    assert!(at(5)["message"].as_str().unwrap().contains("row 2"), "{}", at(5));
    // The good row alone imports; a second import adds nothing; the trainee's file shows the grade.
    let good = format!("교육생 이메일,교과목 코드,학기 종료일,성적\n{t},BSE7999,2026-12-31,A-\n");
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=enrollments"), &office, good.as_bytes())
        .await;
    assert_eq!(r.json()["new_records"], 1, "{}", r.body);
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=enrollments"), &office, good.as_bytes())
        .await;
    assert_eq!((r.json()["new_records"].as_i64(), r.json()["already_present"].as_i64()), (Some(0), Some(1)));
    // An offering of one seat for that term: the seat is taken, a second trainee is refused by row.
    let catalog = app.api("GET", &format!("/api/v1/consortia/{c}/catalog"), Some(&office), None).await.json();
    let course =
        catalog["courses"].as_array().unwrap().iter().find(|x| x["code"] == "BSE7999").unwrap()["id"].as_i64().unwrap();
    let r = app
        .api(
            "POST",
            &format!("/api/v1/courses/{course}/offerings"),
            Some(&office),
            Some(json!({"term": "2026-2", "term_end": "2026-12-31", "capacity": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/courses/{course}/offerings"),
            Some(&office),
            Some(json!({"term": "2026-2", "term_end": "2026-12-31"})),
        )
        .await;
    assert_eq!(r.json()["code"], "duplicate-offering");
    let offerings = app.api("GET", &format!("/api/v1/consortia/{c}/offerings"), Some(&office), None).await.json();
    let o = offerings.as_array().unwrap().iter().find(|o| o["course_code"] == "BSE7999").unwrap().clone();
    assert_eq!((o["enrolled"].as_i64(), o["seats_left"].as_i64()), (Some(1), Some(0)));
    let full = "교육생 이메일,교과목 코드,학기 종료일\ntrainee03.sample@miracle.example,BSE7999,2026-12-31\n";
    let r = app
        .api_bytes(&format!("/api/v1/consortia/{c}/education/import?list=enrollments"), &office, full.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("is full: 1 seats, 1 already enrolled"), "{}", r.body);
    assert!(app.get("/education", Some(&office)).await.body.contains("마감"));

    let id = trainee_by_email(&app, t).await;
    let file = app.api("GET", &format!("/api/v1/trainees/{id}"), Some(&office), None).await.json();
    let e = file["enrollments"].as_array().unwrap().iter().find(|e| e["course"]["code"] == "BSE7999").unwrap().clone();
    assert_eq!((e["enrollment"]["grade"].as_str(), e["enrollment"]["credits"].as_str()), (Some("A-"), Some("3")));
}

#[tokio::test]
async fn exports_use_the_import_columns_and_import_again_unchanged() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    let total = trainee_count(&app).await;
    for list in ["trainees", "courses", "enrollments"] {
        let x = app
            .api("GET", &format!("/api/v1/consortia/{c}/education/export?list={list}&format=xlsx"), Some(&office), None)
            .await;
        assert_eq!(x.status, StatusCode::OK, "{list}: {}", x.body);
        assert!(x.bytes.starts_with(b"PK"), "{list}: an XLSX is a zip");
        let back = app
            .api_bytes(
                &format!("/api/v1/consortia/{c}/education/import?list={list}&name={list}.xlsx&dry_run=true"),
                &office,
                &x.bytes,
            )
            .await;
        assert_eq!(back.status, StatusCode::OK, "{list}: {}", back.body);
        let r = back.json();
        assert_eq!(r["new_records"], 0, "{list}: {r}");
        assert!(r["already_present"].as_i64().unwrap() > 0, "{list}: {r}");
    }
    let csv = app
        .api("GET", &format!("/api/v1/consortia/{c}/education/export?list=trainees&format=csv"), Some(&office), None)
        .await;
    assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM so Excel shows Hangul");
    assert!(csv.body.contains("성명") && csv.body.contains("학적 상태") && csv.body.contains("재학"));
    assert_eq!(csv.body.lines().count(), total + 1, "one line per trainee plus the header");
    let en = app
        .api(
            "GET",
            &format!("/api/v1/consortia/{c}/education/export?list=trainees&format=csv&lang=en"),
            Some(&office),
            None,
        )
        .await;
    assert!(en.body.contains("Home institution") && en.body.contains("Enrolled"));
    // A mentor exports only their trainees.
    let mentor = app.session("faculty@miracle.example").await;
    let mine = app.get("/education/export?list=trainees&format=csv", Some(&mentor)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.lines().count() < total / 2, "{}", mine.body.lines().count());
    let bad = app.api("GET", &format!("/api/v1/consortia/{c}/education/export?list=pets"), Some(&office), None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn milestones_and_the_mentors_overdue_list() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let mentor = app.session("faculty@miracle.example").await;
    let overdue =
        app.api("GET", &format!("/api/v1/consortia/{c}/overdue-milestones"), Some(&mentor), None).await.json();
    let list = overdue.as_array().unwrap();
    assert!(!list.is_empty(), "the demo has a mentee with a late IDP review");
    assert!(list.iter().all(|o| o["days_overdue"].as_i64().unwrap() > 0));
    let page = app.get("/trainees", Some(&mentor)).await;
    assert!(page.body.contains("id=\"overdue\""), "the mentor's page lists overdue milestones");
    let first = &list[0];
    let (mid, tid) = (first["milestone"]["id"].as_i64().unwrap(), first["trainee_id"].as_i64().unwrap());
    // The mentor records it as passed (not in the future, not twice).
    let future = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let r = app
        .api(
            "POST",
            &format!("/api/v1/trainee-milestones/{mid}/pass"),
            Some(&mentor),
            Some(json!({"passed_on": future})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.api("POST", &format!("/api/v1/trainee-milestones/{mid}/pass"), Some(&mentor), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.api("POST", &format!("/api/v1/trainee-milestones/{mid}/pass"), Some(&mentor), Some(json!({}))).await;
    assert_eq!(r.json()["code"], "already-passed");
    let after = app.api("GET", &format!("/api/v1/consortia/{c}/overdue-milestones"), Some(&mentor), None).await.json();
    assert_eq!(after.as_array().unwrap().len(), list.len() - 1);
    // A milestone through the page; a bad kind re-renders the form with the message.
    let r = app
        .post_form(
            &format!("/trainees/{tid}/milestones"),
            Some(&mentor),
            &[("kind", "dissertation_defense"), ("due_date", "2028-06-30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post_form(&format!("/trainees/{tid}/milestones"), Some(&mentor), &[("kind", "party"), ("due_date", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The trainee reads but cannot record their own milestones.
    let trainee = app.session("trainee@miracle.example").await;
    let own = app.api("GET", &format!("/api/v1/consortia/{c}/overdue-milestones"), Some(&trainee), None).await;
    assert_eq!(own.status, StatusCode::OK);
    let me = trainee_by_email(&app, "trainee01.sample@miracle.example").await;
    let r = app
        .api(
            "POST",
            &format!("/api/v1/trainees/{me}/milestones"),
            Some(&trainee),
            Some(json!({"kind": "qualifying_exam", "due_date": "2027-01-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_approved_waiver_shows_in_the_audit_and_only_the_office_approves() {
    let app = TestApp::new().await;
    let office = app.session("office@miracle.example").await;
    let id = trainee_by_email(&app, "trainee01.sample@miracle.example").await;
    let before = app.api("GET", &format!("/api/v1/trainees/{id}/audit"), Some(&office), None).await.json();
    let r = app
        .api(
            "POST",
            &format!("/api/v1/trainees/{id}/exceptions"),
            Some(&office),
            Some(json!({"kind": "waive", "requirement": "nonsense", "reason": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "requirement", "{}", r.body);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/trainees/{id}/exceptions"),
            Some(&office),
            Some(json!({"kind": "substitute", "taken_code": "MED6501", "counts_as_code": "ZZZ", "reason": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/trainees/{id}/exceptions"),
            Some(&office),
            Some(json!({"kind": "waive", "requirement": "milestones", "reason": "석사 학위 보유로 자격시험 면제"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["approver"], "office@miracle.example");
    let after = app.api("GET", &format!("/api/v1/trainees/{id}/audit"), Some(&office), None).await.json();
    assert_ne!(before["text"], after["text"]);
    assert!(after["text"].as_str().unwrap().contains("석사 학위 보유"), "{}", after["text"]);
    let mentor = app.session("faculty@miracle.example").await;
    let r = app
        .api(
            "POST",
            &format!("/api/v1/trainees/{id}/exceptions"),
            Some(&mentor),
            Some(json!({"kind": "waive", "requirement": "core", "reason": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_development_plan_is_written_by_the_trainee_and_signed_by_both_mentors() {
    let app = TestApp::new().await;
    let trainee = app.session("trainee@miracle.example").await;
    let id = trainee_by_email(&app, "trainee01.sample@miracle.example").await;
    let file = app.api("GET", &format!("/api/v1/trainees/{id}"), Some(&trainee), None).await.json();
    let plan = json!({"year": 2027, "goals": "제1저자 논문 1편", "activities": "학회 발표", "submit": true});
    let r = app.api("POST", &format!("/api/v1/trainees/{id}/plans"), Some(&trainee), Some(plan.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = r.json();
    assert_eq!(p["status"], "awaiting_sign_off");
    let pid = p["id"].as_i64().unwrap();
    let r = app
        .api("POST", &format!("/api/v1/trainees/{id}/plans"), Some(&trainee), Some(json!({"year": 1999, "goals": ""})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Someone who is not a mentor cannot sign; each mentor signs once.
    let office = app.session("office@miracle.example").await;
    assert_eq!(
        app.api("POST", &format!("/api/v1/development-plans/{pid}/sign"), Some(&office), None).await.json()["code"],
        "not-a-mentor"
    );
    let email_of = |v: &Value| v["email"].as_str().unwrap().to_string();
    let clinical = email_of(&file["clinical_mentor"]);
    let scientist = email_of(&file["scientist_mentor"]);
    let c_login = app.account_for(&clinical, Role::Faculty).await;
    let s_login = app.account_for(&scientist, Role::Faculty).await;
    let cs = app.session(&c_login).await;
    let ss = app.session(&s_login).await;
    let r = app.api("POST", &format!("/api/v1/development-plans/{pid}/sign"), Some(&cs), None).await;
    assert_eq!(r.json()["status"], "awaiting_sign_off", "{}", r.body);
    assert_eq!(
        app.api("POST", &format!("/api/v1/development-plans/{pid}/sign"), Some(&cs), None).await.json()["code"],
        "already-signed"
    );
    let page = app.get(&format!("/trainees/{id}"), Some(&ss)).await;
    assert!(page.body.contains(&format!("/development-plans/{pid}/sign")), "the scientist sees the sign button");
    let r = app.post_form(&format!("/development-plans/{pid}/sign"), Some(&ss), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plans = app.api("GET", &format!("/api/v1/trainees/{id}/plans"), Some(&trainee), None).await.json();
    let signed = plans.as_array().unwrap().iter().find(|p| p["id"] == pid).unwrap().clone();
    assert_eq!(signed["status"], "signed_off");
    // Changing the text withdraws the sign-offs.
    let mut changed = plan.clone();
    changed["goals"] = json!("제1저자 논문 2편");
    changed["submit"] = json!(false);
    let r = app.api("POST", &format!("/api/v1/trainees/{id}/plans"), Some(&trainee), Some(changed)).await.json();
    assert_eq!(r["status"], "draft");
    assert!(r["clinical_signed_by"].is_null());
}

#[tokio::test]
async fn positions_feed_the_training_tables_and_reviewers_see_aggregates_only() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    let tables = app.api("GET", &format!("/api/v1/consortia/{c}/training-tables"), Some(&office), None).await.json();
    assert_eq!(tables["alumni"]["alumni"], 4, "the demo's four alumni");
    let in_region = tables["alumni"]["in_region"].as_i64().unwrap();
    assert_eq!(in_region, 2);
    let y2020 = tables["admissions"].as_array().unwrap().iter().find(|r| r["year"] == 2020).unwrap().clone();
    assert_eq!((y2020["applicants"].as_i64(), y2020["admitted"].as_i64()), (Some(4), Some(4)));
    let entrants_2021 =
        tables["admissions"].as_array().unwrap().iter().find(|r| r["year"] == 2021).unwrap()["entrants"].clone();
    assert_eq!(entrants_2021, 4);
    // The alumnus without a position reports one himself: always self-reported, even if he says otherwise.
    let silent = tables["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["outcome"] == "graduated" && o["current_position"].is_null())
        .unwrap()
        .clone();
    let tid = silent["trainee_id"].as_i64().unwrap();
    let person = medist_db::education::get_trainee(&app.db, tid).await.unwrap().person_id;
    let email = medist_db::org::get_person(&app.db, person).await.unwrap().email;
    let login = app.account_for(&email, Role::Trainee).await;
    let me = app.session(&login).await;
    let body = json!({"title": "연구교수", "organisation": "GIST 의생명공학과", "sector": "academia", "career_type": "research",
        "region": "gwangju_jeonnam", "start_date": "2026-06-01", "source": "staff_entered"});
    let r = app.api("POST", &format!("/api/v1/trainees/{tid}/positions"), Some(&me), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["source"], "self_reported");
    let bad = json!({"title": "", "organisation": "x", "sector": "farm", "career_type": "research", "region": "abroad", "start_date": "2099-01-01"});
    let r = app.api("POST", &format!("/api/v1/trainees/{tid}/positions"), Some(&office), Some(bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["title", "sector", "start_date"]);
    let after = app.api("GET", &format!("/api/v1/consortia/{c}/training-tables"), Some(&office), None).await.json();
    assert_eq!(after["alumni"]["in_region"].as_i64(), Some(in_region + 1), "the number follows the record");

    // The page and the XLSX export; the reviewer gets the aggregate tables without names.
    let page = app.get("/education/training-tables", Some(&office)).await;
    assert!(
        page.body.contains("광주·전남 근무") && page.body.contains("재학 중 논문") && page.body.contains("연구교수")
    );
    let x = app.get("/education/export?list=training-tables&format=xlsx", Some(&office)).await;
    assert!(x.bytes.starts_with(b"PK"));
    let reviewer = app.session("reviewer@miracle.example").await;
    let agg = app.api("GET", &format!("/api/v1/consortia/{c}/training-tables"), Some(&reviewer), None).await.json();
    assert_eq!(agg["records_visible"], false);
    assert!(agg["outcomes"].as_array().unwrap().is_empty());
    assert_eq!(agg["alumni"]["alumni"], 4);
    let faculty = app.session("faculty@miracle.example").await;
    assert_eq!(
        app.api("GET", &format!("/api/v1/consortia/{c}/training-tables"), Some(&faculty), None).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn program_rules_are_checked_with_line_and_column_before_they_are_saved() {
    let app = TestApp::new().await;
    let office = app.session("office@miracle.example").await;
    let catalog =
        app.api("GET", &format!("/api/v1/consortia/{}/catalog", app.consortium_id), Some(&office), None).await.json();
    let program = catalog["programs"].as_array().unwrap().iter().find(|p| p["code"] == "joint_phd").unwrap().clone();
    let id = program["id"].as_i64().unwrap();
    let original = program["rules_text"].as_str().unwrap().to_string();
    // A syntax error, then a rule naming a course the catalog lacks and a circle.
    let r = app
        .api(
            "PUT",
            &format!("/api/v1/programs/{id}/rules"),
            Some(&office),
            Some(json!({"rules": "program joint_phd {\n  title \"x\"\n  catalog_year 20x6\n}"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["problems"][0]["line"], 3, "{}", r.body);
    let broken = original.replace("course BSE7001", "course XYZ9999").replace("use milestones", "use degree");
    let r =
        app.api("PUT", &format!("/api/v1/programs/{id}/rules"), Some(&office), Some(json!({"rules": broken}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let msgs: Vec<String> =
        r.json()["problems"].as_array().unwrap().iter().map(|p| p["message"].as_str().unwrap().to_string()).collect();
    assert!(msgs.iter().any(|m| m.contains("XYZ9999")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("circular")), "{msgs:?}");
    assert!(msgs.iter().all(|m| m.starts_with("line ")), "{msgs:?}");
    // The page shows the same problems; nothing was saved.
    let page = app
        .post_form(
            &format!("/education/programs/{id}/rules"),
            Some(&office),
            &[("rules", broken.as_str()), ("action", "save")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("XYZ9999"));
    let again =
        app.api("GET", &format!("/api/v1/consortia/{}/catalog", app.consortium_id), Some(&office), None).await.json();
    assert!(again.to_string().contains("course BSE7001"));
    // A valid change (one more elective credit) is saved and the audit follows it.
    let more = original.replace("\"Electives\" credits 6 from any", "\"Electives\" credits 9 from any");
    assert_ne!(more, original);
    let r = app.api("PUT", &format!("/api/v1/programs/{id}/rules"), Some(&office), Some(json!({"rules": more}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["saved"], true);
    let t = trainee_by_email(&app, "trainee01.sample@miracle.example").await;
    let audit = app.api("GET", &format!("/api/v1/trainees/{t}/audit"), Some(&office), None).await.json();
    assert!(audit["text"].as_str().unwrap().contains("9"), "{}", audit["text"]);
    let faculty = app.session("faculty@miracle.example").await;
    let r = app
        .api(
            "PUT",
            &format!("/api/v1/programs/{id}/rules"),
            Some(&faculty),
            Some(json!({"rules": more, "dry_run": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_roadmap_counts_its_regional_indicators_from_the_records() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    let v = app.api("GET", &format!("/api/v1/consortia/{c}/roadmap"), Some(&office), None).await.json();
    assert_eq!(v["alumni"], 4);
    assert_eq!(v["alumni_in_region"], 2);
    let phases = v["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 3);
    let p2 = phases.iter().find(|p| p["code"] == "P2").unwrap().clone();
    let ind = p2["indicators"].as_array().unwrap().iter().find(|i| i["measure"] == "alumni_in_region").unwrap().clone();
    assert_eq!(
        (ind["value"].as_i64(), ind["target"].as_i64(), ind["progress_percent"].as_i64()),
        (Some(2), Some(30), Some(6))
    );
    assert_eq!(ind["evidence"].as_array().unwrap().len(), 2, "the two alumni counted, each linked");
    assert!(ind["evidence"][0]["href"].as_str().unwrap().starts_with("/trainees/"));
    // A new position in the region moves the indicator at once.
    let tables = app.api("GET", &format!("/api/v1/consortia/{c}/training-tables"), Some(&office), None).await.json();
    let silent = tables["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["outcome"] == "graduated" && o["current_position"].is_null())
        .unwrap()["trainee_id"]
        .as_i64()
        .unwrap();
    let body = json!({"title": "연구원", "organisation": "광주과학기술원", "sector": "academia", "career_type": "research", "region": "gwangju_jeonnam", "start_date": "2026-05-01"});
    assert_eq!(
        app.api("POST", &format!("/api/v1/trainees/{silent}/positions"), Some(&office), Some(body)).await.status,
        StatusCode::CREATED
    );
    let v = app.api("GET", &format!("/api/v1/consortia/{c}/roadmap"), Some(&office), None).await.json();
    assert_eq!(v["alumni_in_region"], 3);
    // Phases may not overlap; a live indicator takes no entered value.
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/roadmap/phases"),
            Some(&office),
            Some(json!({"code": "P4", "title_ko": "4단계", "start_year": 2035, "end_year": 2037})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("overlapping-phase"), "{}", r.body);
    let r = app.api("POST", &format!("/api/v1/consortia/{c}/roadmap/phases"), Some(&office), Some(json!({"code": "P4", "title_ko": "4단계", "start_year": 2036, "end_year": 2040, "goals": [{"area": "international_cooperation", "text_ko": "공동 학위 해외 확대"}]}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app.api("POST", &format!("/api/v1/roadmap-phases/{pid}/indicators"), Some(&office), Some(json!({"area": "talent_cultivation", "name_ko": "지역 졸업생", "measure": "alumni_in_region", "manual_value": 9}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The page in Korean; a reviewer reads the counts without the names; faculty cannot add phases.
    let page = app.get("/roadmap", Some(&office)).await;
    assert!(
        page.body.contains("10년 로드맵")
            && page.body.contains("광주·전남 근무 졸업생")
            && page.body.contains("국제협력")
    );
    let reviewer = app.session("reviewer@miracle.example").await;
    let rv = app.api("GET", &format!("/api/v1/consortia/{c}/roadmap"), Some(&reviewer), None).await.json();
    assert_eq!(rv["alumni_in_region"], 3);
    assert!(rv["phases"].to_string().contains("\"evidence\":[]"));
    assert!(!rv.to_string().contains("/trainees/"));
    let faculty = app.session("faculty@miracle.example").await;
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/roadmap/phases"),
            Some(&faculty),
            Some(json!({"code": "X", "title_ko": "x", "start_year": 2041, "end_year": 2042})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_office_adds_a_program_and_an_equivalence_that_the_audit_then_uses() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let office = app.session("office@miracle.example").await;
    let rules = "program ms_bme {\n  title \"MS in Biomedical Engineering\"\n  catalog_year 2027\n  home GIST\n  requires degree\n}\n\nrequirement degree all_of {\n  course BSE7101\n  course NOPE1\n}\n";
    let r = app.api("POST", &format!("/api/v1/consortia/{c}/programs"), Some(&office), Some(json!({"code": "ms_bme", "title_ko": "의공학 석사", "kind": "ms", "catalog_year": 2027, "rules": rules}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("NOPE1") && r.json()["problems"][0]["line"] == 10, "{}", r.body);
    let good = rules.replace("  course NOPE1\n", "");
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/programs"),
            Some(&office),
            Some(
                json!({"code": "ms_bme", "title_ko": "의공학 석사", "kind": "ms", "catalog_year": 2027, "rules": good}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/programs"),
            Some(&office),
            Some(json!({"code": "ms_bme", "title_ko": "x", "kind": "ms", "catalog_year": 2027, "rules": good})),
        )
        .await;
    assert_eq!(r.json()["code"], "duplicate-program");
    let t = trainee_by_email(&app, "trainee01.sample@miracle.example").await;
    let wi = app.api("GET", &format!("/api/v1/trainees/{t}/audit?what_if=ms_bme"), Some(&office), None).await.json();
    assert_eq!(wi["program_code"], "ms_bme");

    // Equivalences: two institutions, dates in order, no overlap for the same pair.
    let eq = |from: &str, to: &str, start: &str| json!({"from_code": from, "to_code": to, "effective_from": start});
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/equivalences"),
            Some(&office),
            Some(eq("BSE7101", "BSE7102", "2026-03-01")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("same-institution"), "{}", r.body);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/equivalences"),
            Some(&office),
            Some(eq("MED6301", "BSE7401", "2026-03-01")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/equivalences"),
            Some(&office),
            Some(eq("MED6301", "BSE7401", "2027-03-01")),
        )
        .await;
    assert_eq!(r.json()["code"], "overlapping-equivalence");
    let page = app
        .post_form(
            "/education/equivalences",
            Some(&office),
            &[("from_code", "NOPE"), ("to_code", "BSE7401"), ("effective_from", "2026-03-01")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let faculty = app.session("faculty@miracle.example").await;
    let r = app
        .api(
            "POST",
            &format!("/api/v1/consortia/{c}/equivalences"),
            Some(&faculty),
            Some(eq("MED6101", "BSE7401", "2026-03-01")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
