//! The research & translation pages as people use them: a clinician's need goes through triage, a screening round,
//! matching and conversion into a project that passes its first gate review; an equipment double booking is refused
//! with a clear message; a reviewer may not open the needs; the pages speak English on request.

mod common;

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use common::{Resp, TestApp};

/// The id in a redirect such as `/needs/12?ok=created`.
fn id_after(r: &Resp, prefix: &str) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "expected a redirect: {}", r.body);
    let loc = r.location().expect("a location");
    let rest = loc.strip_prefix(prefix).unwrap_or_else(|| panic!("{loc} does not start with {prefix}"));
    rest.split(['?', '/', '#']).next().unwrap().parse().unwrap_or_else(|_| panic!("no id in {loc}"))
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    medist_db::accounts::user_by_login(&app.db, login).await.unwrap().unwrap().id
}

/// Every `name="role-<id>"` in a page: the people the conversion form offers.
fn role_fields(html: &str) -> Vec<String> {
    html.match_indices("name=\"role-")
        .map(|(i, p)| html[i + p.len()..].split('"').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_need_goes_from_the_clinician_through_screening_and_matching_to_a_project_past_its_first_gate() {
    let app = TestApp::new().await;
    let clinician = app.session("clinician@miracle.example").await;
    let office = app.session("office@miracle.example").await;
    let faculty = app.session("faculty@miracle.example").await;

    // The clinician writes the need; a bad disease area and a missing part are named under their fields.
    let form = app.get("/needs/new", Some(&clinician)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("…할 방법") && form.body.contains("대상") && form.body.contains("목적"));
    let mut fields = vec![
        ("title", "폐암 수술 후 재발 조기 발견"),
        ("problem", "수술 후 폐암 재발을 혈액 검사로 조기에 찾아낼"),
        ("population", ""),
        ("outcome", "재발 치료를 일찍 시작하기"),
        ("disease_area", "lung"),
        ("clinical_setting", "흉부외과 외래"),
        ("urgency", "high"),
        ("track", "immuno_oncology"),
        ("intent", "submit"),
    ];
    let bad = app.post_form("/needs", Some(&clinician), &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("ICD-10 장(예: II) 또는 코드(예: C34, E11.5) 형식이 아닙니다."), "{}", bad.body);
    assert!(bad.body.contains("필수 항목입니다") && bad.body.contains("value=\"흉부외과 외래\""));
    fields[2].1 = "폐암 수술을 받은 환자";
    fields[4].1 = "C34";
    let created = app.post_form("/needs", Some(&clinician), &fields).await;
    let need = id_after(&created, "/needs/");
    let page = app.get(&format!("/needs/{need}?ok=submitted"), Some(&clinician)).await;
    assert!(page.body.contains("제출했습니다."));
    assert!(
        page.body.contains("폐암 수술을 받은 환자에서 재발 치료를 일찍 시작하기 위해 수술 후 폐암 재발을 혈액 검사로 조기에 찾아낼 방법"),
        "the statement reads as one sentence"
    );
    assert!(page.body.contains("제출됨") && !page.body.contains("연구자 매칭"), "matching is the office's");

    // The office triages it and sets up a round with a panel.
    let r = app.post_form(&format!("/needs/{need}/transition"), Some(&office), &[("action", "start_triage")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.post_form(&format!("/needs/{need}/transition"), Some(&office), &[("action", "reject")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a reason");
    assert!(r.body.contains("reason: required to move to rejected"), "the rule's message is shown as it is");
    let rounds = app.get("/screening", Some(&office)).await;
    assert!(rounds.body.contains(&format!("value=\"{need}\"")), "the need is offered for screening");
    let (office_id, faculty_id) =
        (user_id(&app, "office@miracle.example").await, user_id(&app, "faculty@miracle.example").await);
    let r = app
        .post_form(
            "/screening",
            Some(&office),
            &[
                ("name", "테스트 심사"),
                ("criteria", "clinical_impact 3\nfeasibility 1"),
                ("scale_min", "1"),
                ("scale_max", "5"),
                ("threshold", "1.0"),
                ("panel", &office_id.to_string()),
                ("panel", &faculty_id.to_string()),
                ("needs", &need.to_string()),
            ],
        )
        .await;
    let round = id_after(&r, "/screening/");

    // A panel member scores it; an out-of-scale score is refused with the rule's message.
    let score = |v: &'static str| {
        vec![
            ("need_id", need.to_string()),
            ("c-clinical_impact", v.to_string()),
            ("c-feasibility", "4".to_string()),
            ("comment", "혈액 검사 검증 코호트가 있음".to_string()),
        ]
    };
    let pairs = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, x)| (*k, x.clone())).collect::<Vec<_>>();
    let out_of_scale = pairs(&score("9"));
    let refs: Vec<(&str, &str)> = out_of_scale.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form(&format!("/screening/{round}/score"), Some(&faculty), &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("is outside the scale 1–5"), "{}", r.body);
    let good = pairs(&score("5"));
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form(&format!("/screening/{round}/score"), Some(&faculty), &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let coordinator = app.session("coordinator.gist@miracle.example").await;
    let r = app.post_form(&format!("/screening/{round}/score"), Some(&coordinator), &refs).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the panel scores");
    let ranking = app.get(&format!("/screening/{round}"), Some(&office)).await;
    assert_eq!(ranking.status, StatusCode::OK);
    for text in ["임상적 영향", "4.75", "5–5", "혈액 검사 검증 코호트가 있음", "2 / 2", "0 / 2"] {
        assert!(ranking.body.contains(text), "the ranking shows {text}");
    }

    // The office closes the round selecting the need.
    let r = app
        .post_form(
            &format!("/screening/{round}/close"),
            Some(&office),
            &[("selected", &need.to_string()), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.post_form(&format!("/screening/{round}/score"), Some(&faculty), &refs).await;
    assert!(r.body.contains("이미 마감된 심사입니다."), "a closed round takes no scores: {}", r.status);

    // Matching: ranked researchers with the words and records that made them match, and mixed teams.
    let page = app.get(&format!("/needs/{need}"), Some(&office)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("선정") && page.body.contains("연구자 매칭"));
    assert!(page.body.contains("<span class=\"term\">폐암</span>"), "the matched term is shown");
    assert!(page.body.contains("src-keyword") && page.body.contains("제안 연구팀"));
    let filtered = app.get(&format!("/needs/{need}?cat=medical_scientist"), Some(&office)).await;
    assert!(!filtered.body.contains(">의사과학자<br>"), "the category filter leaves physician-scientists out");

    // Conversion into a project with two of the proposed people.
    let people = role_fields(&page.body);
    assert!(people.len() >= 2, "candidates offered: {people:?}");
    let (pi, co) = (format!("role-{}", people[0]), format!("role-{}", people[1]));
    let r = app
        .post_form(
            &format!("/needs/{need}/convert"),
            Some(&office),
            &[
                ("code", "MIR-T-01"),
                ("title_ko", "폐암 재발 액체생검"),
                ("title_en", "Liquid biopsy for lung cancer recurrence"),
                ("aim", "early_diagnosis"),
                ("track", "immuno_oncology"),
                ("uses_human_data", "on"),
                (&pi, "principal_investigator"),
                (&co, "co_investigator"),
            ],
        )
        .await;
    let project = id_after(&r, "/projects/");
    let n = medist_db::research::get_need(&app.db, need).await.unwrap().need;
    assert_eq!((n.state.as_str(), n.project_id), ("converted_to_project", Some(project)));

    // Approve, activate, and record a gate review: the stage moves to preclinical.
    for status in ["approved", "active"] {
        let r = app
            .post_form(&format!("/projects/{project}/status"), Some(&office), &[("status", status), ("reason", "")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{status}: {}", r.body);
    }
    let r = app
        .post_form(&format!("/projects/{project}/gate"), Some(&office), &[("decision", "advance"), ("evidence", " ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("증빙을 하나 이상 적어야 합니다."));
    let r = app
        .post_form(
            &format!("/projects/{project}/gate"),
            Some(&office),
            &[
                ("decision", "advance"),
                ("evidence", "기초 단계 결과 보고서 T-1\ndoi:10.1000/test"),
                ("next_gate_on", "2030-06-30"),
                ("reason", "민감도 목표 달성"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = medist_db::research::get_project(&app.db, project).await.unwrap();
    assert_eq!((p.stage.as_str(), p.status.as_str()), ("preclinical", "active"));
    assert_eq!(p.next_gate_on, NaiveDate::from_ymd_opt(2030, 6, 30));
    let page = app.get(&format!("/projects/{project}"), Some(&faculty)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("aria-current=\"step\"><span class=\"n\">2</span> 전임상"), "the progress shows 전임상");
    assert!(page.body.contains("<code>doi:10.1000/test</code>") && page.body.contains("다음 단계로"));
    assert!(page.body.contains("오늘 유효한 IRB 승인이 없습니다"), "human data without IRB is flagged");
    assert!(!page.body.contains("단계 평가 기록"), "members see the review, only the office records one");

    // The code is the project's own.
    let r = app
        .post_form(
            "/projects",
            Some(&office),
            &[
                ("code", "MIR-T-01"),
                ("title_ko", "x"),
                ("title_en", "x"),
                ("aim", "early_diagnosis"),
                ("track", "immuno_oncology"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("이미 쓰고 있는 과제 코드입니다."));

    // The clinician was told the outcome.
    let notes = app.get("/notifications", Some(&clinician)).await;
    assert!(notes.body.contains("임상수요 처리 결과") && notes.body.contains(&format!("href=\"/needs/{need}\"")));
    assert!(notes.body.contains("알림 ("), "the unread count is in the navigation");
    let r = app.post_form("/notifications/read-all", Some(&clinician), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let notes = app.get("/notifications", Some(&clinician)).await;
    assert!(!notes.body.contains("알림 ("));
}

#[tokio::test]
async fn a_double_booking_through_the_form_is_refused_clearly_and_writes_nothing() {
    let app = TestApp::new().await;
    let faculty = app.session("faculty@miracle.example").await;
    let clinician = app.session("clinician@miracle.example").await;
    let eq = medist_db::research::list_equipment(&app.db, app.consortium_id).await.unwrap()[0].id;
    let path = format!("/institute/equipment/{eq}/book");
    let r = app
        .post_form(
            &path,
            Some(&faculty),
            &[("date", "2030-01-08"), ("start", "10:00"), ("end", "12:00"), ("purpose", "공초점 이미징")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some(format!("/institute/equipment/{eq}?week=2030-01-07&ok=booked").as_str()));
    let from: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
    let to: DateTime<Utc> = "2030-02-01T00:00:00Z".parse().unwrap();
    let stored = medist_db::research::bookings(&app.db, eq, from, to).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].start_at, "2030-01-08T01:00:00Z".parse::<DateTime<Utc>>().unwrap(), "10:00 KST is 01:00 UTC");

    let audit_before = medist_db::audit::verify(&app.db).await.unwrap().checked;
    let r = app
        .post_form(
            &path,
            Some(&clinician),
            &[("date", "2030-01-08"), ("start", "11:30"), ("end", "13:00"), ("purpose", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("그 시간에는 이미 다른 예약이 있습니다."), "{}", r.body);
    assert!(r.body.contains("value=\"11:30\""), "what was typed is kept");
    assert_eq!(medist_db::research::bookings(&app.db, eq, from, to).await.unwrap().len(), 1);
    assert_eq!(medist_db::audit::verify(&app.db).await.unwrap().checked, audit_before, "nothing was written");

    // Back to back is fine; the week's calendar shows both in Korea time.
    let r = app
        .post_form(
            &path,
            Some(&clinician),
            &[("date", "2030-01-08"), ("start", "12:00"), ("end", "13:00"), ("purpose", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cal = app.get(&format!("/institute/equipment/{eq}?week=2030-01-09"), Some(&faculty)).await;
    assert_eq!(cal.status, StatusCode::OK);
    assert!(cal.body.contains("10:00–12:00") && cal.body.contains("12:00–13:00"));
    // Only one's own booking shows a cancel button.
    assert_eq!(cal.body.matches("/cancel\"").count(), 1);
    let mine = stored[0].id;
    let r = app.post_form(&format!("/institute/bookings/{mine}/cancel"), Some(&clinician), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.post_form(&format!("/institute/bookings/{mine}/cancel"), Some(&faculty), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(medist_db::research::bookings(&app.db, eq, from, to).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_reviewer_may_not_open_the_needs_and_sees_no_research_navigation() {
    let app = TestApp::new().await;
    let reviewer = app.session("reviewer@miracle.example").await;
    for path in ["/needs", "/needs/new", "/projects", "/data", "/institute", "/screening"] {
        let r = app.get(path, Some(&reviewer)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let home = app.get("/notifications", Some(&reviewer)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(!home.body.contains("href=\"/needs\"") && home.body.contains("href=\"/notifications\""));
    let office = app.get("/notifications", Some(&app.session("office@miracle.example").await)).await;
    for href in ["/needs", "/screening", "/projects", "/data", "/institute"] {
        assert!(office.body.contains(&format!("href=\"{href}\"")), "the office sees {href}");
    }
}

#[tokio::test]
async fn the_research_pages_render_in_english_when_switched() {
    let app = TestApp::new().await;
    let s = app.session("office@miracle.example").await;
    let sw = app.post_form("/lang", Some(&s), &[("lang", "en"), ("next", "/needs")]).await;
    assert_eq!(sw.status, StatusCode::SEE_OTHER);
    // The first round (closed, with a need the panel disagreed on).
    let round = medist_db::research::list_rounds(&app.db, app.consortium_id).await.unwrap().last().unwrap().id;
    let project = medist_db::research::list_projects(
        &app.db,
        app.consortium_id,
        &Default::default(),
        medist_db::Page::new(Some(1), Some(1)),
    )
    .await
    .unwrap()
    .items[0]
        .project
        .id;
    let need = medist_db::research::list_needs(
        &app.db,
        app.consortium_id,
        &medist_db::research::NeedFilter { state: Some("triage".into()), ..Default::default() },
        medist_db::Page::default(),
    )
    .await
    .unwrap()
    .items[0]
        .need
        .id;
    let eq = medist_db::research::list_equipment(&app.db, app.consortium_id).await.unwrap()[0].id;
    let pages = [
        ("/needs".to_string(), vec!["Unmet clinical needs", "In triage", "lang=\"en\""]),
        (format!("/needs/{need}"), vec!["Matching researchers", "Why (matched words and sources)", "A way to "]),
        (format!("/screening/{round}"), vec!["Weighted mean", "Clinical impact", "High disagreement"]),
        (format!("/projects/{project}"), vec!["Gate review", "Preclinical", "Members"]),
        ("/projects".to_string(), vec!["Collaborative research projects", "Active"]),
        ("/data".to_string(), vec!["Data access requests", "Pseudonymized"]),
        ("/institute".to_string(), vec!["Joint research institute", "1,332 m²"]),
        (format!("/institute/equipment/{eq}"), vec!["Korea Standard Time", "Mon", "Book"]),
        ("/notifications".to_string(), vec!["Notifications"]),
    ];
    for (path, texts) in pages {
        let r = app.get(&path, Some(&s)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        for t in texts {
            assert!(r.body.contains(t), "{path} shows {t}");
        }
        for prefix in
            ["need-state-", "need-action-", "project-status-", "access-state-", "gate-decision-", "member-role-"]
        {
            assert!(!r.body.contains(prefix), "{path}: an untranslated {prefix} key");
        }
    }
}

#[tokio::test]
async fn project_members_keep_milestones_and_details_on_the_project_page() {
    let app = TestApp::new().await;
    let faculty = app.session("faculty@miracle.example").await;
    let office = app.session("office@miracle.example").await;
    let reviewer = app.session("reviewer@miracle.example").await;
    let list = medist_db::research::list_projects(
        &app.db,
        app.consortium_id,
        &medist_db::research::ProjectFilter { q: Some("MIR-2026-01".into()), ..Default::default() },
        Default::default(),
    )
    .await
    .unwrap();
    let pid = list.items[0].project.id;

    // The office sees what is overdue or due soon across projects.
    let projects = app.get("/projects", Some(&office)).await;
    assert!(projects.body.contains("기한 임박·지연 마일스톤"), "{}", projects.body);
    assert!(
        projects.body.contains("MIR-2026-02")
            && projects.body.contains("기한 지남")
            && projects.body.contains("5일 지남")
    );

    // A member adds a milestone; a due date before the project starts is named under the field.
    let page = app.get(&format!("/projects/{pid}"), Some(&faculty)).await;
    assert!(page.body.contains("연구계획 확정 (샘플)") && page.body.contains("마일스톤 추가"), "{}", page.body);
    let bad = app
        .post_form(
            &format!("/projects/{pid}/milestones"),
            Some(&faculty),
            &[("title", "예비 실험"), ("due_on", "2025-01-31")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("2026-03-01") && bad.body.contains("value=\"예비 실험\""), "{}", bad.body);
    let due = (Utc::now().date_naive() + chrono::Duration::days(40)).to_string();
    let ok = app
        .post_form(
            &format!("/projects/{pid}/milestones"),
            Some(&faculty),
            &[("title", "예비 실험 결과"), ("due_on", &due)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let ms = medist_db::research::project_milestones(&app.db, pid, Utc::now().date_naive()).await.unwrap();
    let new = ms.iter().find(|m| m.milestone.title == "예비 실험 결과").unwrap();
    assert_eq!(new.status, "upcoming");

    // Marked done from the page by a member; a ministry reviewer may not.
    let denied = app.post_form(&format!("/milestones/{}/done", new.milestone.id), Some(&reviewer), &[]).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let done = app.post_form(&format!("/milestones/{}/done", new.milestone.id), Some(&faculty), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = app.get(&format!("/projects/{pid}"), Some(&faculty)).await;
    assert!(page.body.contains("faculty@miracle.example"), "who marked it done is shown");

    // The details are edited on the page; a missing title is named under its field and nothing changes.
    let before = medist_db::research::get_project(&app.db, pid).await.unwrap();
    let bad = app
        .post_form(
            &format!("/projects/{pid}/edit"),
            Some(&faculty),
            &[("title_ko", ""), ("title_en", "x"), ("track", &before.track)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<details class=\"edit\" open>"), "the form stays open on an error");
    assert_eq!(medist_db::research::get_project(&app.db, pid).await.unwrap().title_ko, before.title_ko);
    let ok = app
        .post_form(
            &format!("/projects/{pid}/edit"),
            Some(&faculty),
            &[
                ("title_ko", "면역항암 반응 예측 바이오마커 (샘플, 수정)"),
                ("title_en", &before.title_en),
                ("track", &before.track),
                ("summary", "요약을 고쳤습니다."),
                ("uses_human_data", "on"),
                ("start_on", "2026-03-01"),
                ("end_on", "2030-12-31"),
                ("code", "HACKED"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = medist_db::research::get_project(&app.db, pid).await.unwrap();
    assert_eq!(after.title_ko, "면역항암 반응 예측 바이오마커 (샘플, 수정)");
    assert_eq!(after.summary, "요약을 고쳤습니다.");
    assert_eq!(after.code, before.code, "the code is not changed from the page");

    // The API lists the milestones with their status.
    let api = app.api("GET", &format!("/api/v1/projects/{pid}/milestones"), Some(&office), None).await;
    assert_eq!(api.status, StatusCode::OK);
    let arr = api.json();
    assert!(arr.as_array().unwrap().iter().any(|m| m["title"] == "예비 실험 결과" && m["status"] == "done"), "{arr}");
}
