//! The research & translation story over the storage layer, on SQLite by default and on PostgreSQL when
//! `MEDIST_TEST_DATABASE_URL=postgres://…`: a need from submission to project, a gate review, IRB and data
//! access rules, the space plan, and equipment bookings that cannot overlap even under parallel requests.

use chrono::{Duration, TimeZone, Utc};
use medist_db::entities::need;
use medist_db::research::{self as r, MemberInput, NeedMeta, ProjectInput, ScoreInput};
use medist_db::{Page, StoreError, Who, demo, testing};
use medist_research::irb_and_data::{DataAccessAction, IrbApproval};
use medist_research::need::{NeedAction, NeedInput};
use medist_research::project::{GateDecision, GateReview, MemberRole, ProjectAim, ProjectStatus, Track};
use medist_research::screening::{Criterion, ScoreScale, ScreeningRound};
use medist_research::space::Area;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn who() -> Who {
    Who::system("test")
}

fn need_input(problem: &str) -> NeedInput {
    NeedInput {
        problem: problem.into(),
        population: "응급실 성인 환자".into(),
        outcome: "사망률을 줄이기".into(),
        disease_area: "A41".into(),
        clinical_setting: "응급의학과".into(),
        urgency: "high".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn demo_has_research_records_that_tell_a_story() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let projects = r::list_projects(&t.db, s.consortium_id, &Default::default(), Page::default()).await.unwrap();
    assert_eq!(projects.total, 12);
    let counts = r::project_counts(&t.db, s.consortium_id).await.unwrap();
    assert!(counts.get("stage:clinical_validation").copied().unwrap_or(0) >= 1, "{counts:?}");
    assert_eq!(counts.get("stage:commercialization"), Some(&1));
    assert_eq!(counts.get("status:terminated"), Some(&1));
    let needs = r::need_counts(&t.db, s.consortium_id).await.unwrap();
    assert_eq!(needs.get("converted_to_project"), Some(&3), "{needs:?}");
    assert_eq!(needs.get("returned"), Some(&1));
    assert_eq!(needs.get("screening"), Some(&2));
    let rounds = r::list_rounds(&t.db, s.consortium_id).await.unwrap();
    assert_eq!(rounds.len(), 2);
    let closed = rounds.iter().find(|r| r.status == "closed").unwrap();
    let v = r::round_view(&t.db, closed.id).await.unwrap();
    assert_eq!(v.results.len(), 4);
    assert!(v.results.iter().any(|r| r.high_disagreement), "one need was scored with strong disagreement");
    // The space plan fills the institute exactly.
    let space = r::space_view(&t.db, s.consortium_id).await.unwrap();
    let total: i64 = space.rooms.iter().map(|r| r.area_centi_m2).sum();
    assert_eq!(total, 133_200);
    // The lapsed IRB approval and the missing one are flagged.
    let today = Utc::now().date_naive();
    let mut flagged = 0;
    for p in &projects.items {
        let v = r::project_view(&t.db, p.project.id, today).await.unwrap();
        if v.irb_status == "missing" {
            flagged += 1;
        }
    }
    assert_eq!(flagged, 3, "MIR-2026-05 (lapsed), MIR-2026-10 (proposed, no approval yet) and MIR-2026-12 (none)");
}

#[tokio::test]
async fn a_need_goes_from_submission_through_screening_to_a_project_and_a_gate() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let c = s.consortium_id;
    let fields = need_input("패혈증을 조기에 예측할").validate().unwrap();
    let meta = NeedMeta {
        title: "패혈증 조기 예측".into(),
        track: Some(Track::MultimodalMedicine),
        institution_id: None,
        submitter_name: String::new(),
        is_sample: false,
    };
    let n = r::create_need(&t.db, &who(), c, &meta, &fields, true).await.unwrap();
    assert_eq!(n.state, "submitted");
    // Illegal transitions are refused with the rule's message, nothing changes.
    let err = r::transition_need(&t.db, &who(), n.id, NeedAction::Select, "").await.unwrap_err();
    assert!(err.to_string().contains("cannot move from submitted to selected"), "{err}");
    let err = r::transition_need(&t.db, &who(), n.id, NeedAction::StartTriage, "").await.map(|n| n.state);
    assert_eq!(err.unwrap(), "triage");
    let err = r::transition_need(&t.db, &who(), n.id, NeedAction::Return, "  ").await.unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    // A round with a panel scores it; out-of-scale scores are refused whole.
    let setup = ScreeningRound {
        criteria: vec![
            Criterion { key: "impact".into(), weight: 2.0 },
            Criterion { key: "feasibility".into(), weight: 1.0 },
        ],
        scale: ScoreScale { min: 1, max: 5 },
        disagreement_threshold: 1.0,
    };
    let office = medist_db::entities::app_user::Entity::find()
        .filter(medist_db::entities::app_user::Column::Login.eq("office@miracle.example"))
        .one(&t.db.conn)
        .await
        .unwrap()
        .unwrap();
    let round = r::create_round(&t.db, &who(), c, "테스트 라운드", &setup, &[office.id], &[n.id], false).await.unwrap();
    let bad = [ScoreInput { criterion: "impact".into(), value: 6, comment: String::new() }];
    let err = r::score(&t.db, &Who::user(office.id, &office.login), round.id, office.id, n.id, &bad).await.unwrap_err();
    assert!(err.to_string().contains("outside the scale 1–5"), "{err}");
    let good = [
        ScoreInput { criterion: "impact".into(), value: 5, comment: "중요".into() },
        ScoreInput { criterion: "feasibility".into(), value: 2, comment: String::new() },
    ];
    r::score(&t.db, &Who::user(office.id, &office.login), round.id, office.id, n.id, &good).await.unwrap();
    let v = r::round_view(&t.db, round.id).await.unwrap();
    assert_eq!(v.results.len(), 1);
    assert!((v.results[0].weighted_mean - 4.0).abs() < 1e-9, "(5×2 + 2×1) / 3 = 4");
    r::close_round(&t.db, &who(), round.id, &[n.id], "").await.unwrap();
    let n2 = need::Entity::find_by_id(n.id).one(&t.db.conn).await.unwrap().unwrap();
    assert_eq!(n2.state, "selected");
    // Members must come from the consortium; the selected need becomes the project.
    let people = medist_db::org::list_people(&t.db, &Default::default(), Page::new(None, Some(200))).await.unwrap();
    let faculty: Vec<i64> = people
        .items
        .iter()
        .filter(|p| p.name_en.contains("Park") || p.name_en.contains("Yoon"))
        .map(|p| p.id)
        .collect();
    let input = ProjectInput {
        code: "T-1".into(),
        title_ko: "패혈증 예측".into(),
        title_en: "Sepsis prediction".into(),
        aim: ProjectAim::EarlyDiagnosis,
        track: Track::MultimodalMedicine,
        summary: String::new(),
        uses_human_data: true,
        start_on: None,
        end_on: None,
        next_gate_on: None,
        is_sample: false,
    };
    let members = vec![
        MemberInput { person_id: faculty[0], role: MemberRole::PrincipalInvestigator, background: None },
        MemberInput { person_id: 999_999, role: MemberRole::CoInvestigator, background: None },
    ];
    let err = r::create_project(&t.db, &who(), c, &input, &members, &[n.id]).await.unwrap_err();
    assert!(err.to_string().contains("person 999999 does not exist"), "{err}");
    let still = need::Entity::find_by_id(n.id).one(&t.db.conn).await.unwrap().unwrap();
    assert_eq!(still.state, "selected", "nothing half-written");
    let members =
        vec![MemberInput { person_id: faculty[0], role: MemberRole::PrincipalInvestigator, background: None }];
    let p = r::create_project(&t.db, &who(), c, &input, &members, &[n.id]).await.unwrap();
    let n3 = need::Entity::find_by_id(n.id).one(&t.db.conn).await.unwrap().unwrap();
    assert_eq!((n3.state.as_str(), n3.project_id), ("converted_to_project", Some(p.id)));
    // A gate review needs an active project and evidence; only it moves the stage.
    let review = GateReview { decision: GateDecision::Advance, evidence: vec!["report.pdf".into()], new_aim: None };
    let err = r::gate_review(&t.db, &who(), p.id, &review, "", None).await.unwrap_err();
    assert!(err.to_string().contains("needs an active project"), "{err}");
    r::change_project_status(&t.db, &who(), p.id, ProjectStatus::Approved, "").await.unwrap();
    r::change_project_status(&t.db, &who(), p.id, ProjectStatus::Active, "").await.unwrap();
    let empty = GateReview { decision: GateDecision::Advance, evidence: vec![], new_aim: None };
    assert!(r::gate_review(&t.db, &who(), p.id, &empty, "", None).await.is_err());
    let after = r::gate_review(&t.db, &who(), p.id, &review, "", None).await.unwrap();
    assert_eq!(after.stage, "preclinical");
    let today = Utc::now().date_naive();
    let view = r::project_view(&t.db, p.id, today).await.unwrap();
    assert_eq!(view.events.len(), 3);
    assert_eq!(view.irb_status, "missing", "human data without an IRB approval is flagged");
    assert!(view.flags.contains(&"fewer_than_two_institutions".to_string()), "{:?}", view.flags);
    // An expired approval is refused; a valid one clears the flag.
    let expired = IrbApproval {
        number: "X-1".into(),
        board: "IRB".into(),
        approved_on: today - Duration::days(10),
        expires_on: today - Duration::days(20),
    };
    assert!(r::add_irb(&t.db, &who(), p.id, &expired).await.is_err());
    let ok = IrbApproval {
        number: "X-2".into(),
        board: "IRB".into(),
        approved_on: today - Duration::days(1),
        expires_on: today + Duration::days(100),
    };
    r::add_irb(&t.db, &who(), p.id, &ok).await.unwrap();
    assert_eq!(r::project_view(&t.db, p.id, today).await.unwrap().irb_status, "valid");
    // Data access beyond the IRB's expiry is refused.
    let ds = r::list_datasets(&t.db, c).await.unwrap()[0].id;
    let req = r::create_access_request(&t.db, &who(), c, p.id, ds, "모델 학습", true, true, false).await.unwrap();
    let long = DataAccessAction::Approve { valid_until: today + Duration::days(200) };
    let err = r::transition_access(&t.db, &who(), req.id, long, "").await.unwrap_err();
    assert!(err.to_string().contains("no IRB approval valid"), "{err}");
    let short = DataAccessAction::Approve { valid_until: today + Duration::days(50) };
    assert_eq!(r::transition_access(&t.db, &who(), req.id, short, "").await.unwrap().state, "approved");
    // The sweep records the end of access by itself once the date has passed.
    let later = today + Duration::days(51);
    let rep = r::sweep(&t.db, later).await.unwrap();
    assert!(rep.access_expired >= 1);
    assert_eq!(r::get_access_request(&t.db, req.id).await.unwrap().state, "expired");
}

#[tokio::test]
async fn space_cannot_be_over_allocated() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    // The demo fills the institute's 1,332 m²: another room does not fit.
    let err = r::create_room(&t.db, &who(), s.consortium_id, "X-1", "추가 공간", "4F", Area::from_m2(10), false)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    let room =
        r::space_view(&t.db, s.consortium_id).await.unwrap().rooms.into_iter().find(|r| r.code == "JRI-302").unwrap();
    // JRI-302 (112 m²) is fully allocated already.
    assert!(r::allocate(&t.db, &who(), room.id, "새 그룹", Area::from_m2(1)).await.is_err());
}

#[tokio::test]
async fn equipment_cannot_be_double_booked_even_in_parallel() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let eq = r::list_equipment(&t.db, s.consortium_id).await.unwrap()[4].id;
    let at = |h: u32| Utc.with_ymd_and_hms(2027, 3, 2, h, 0, 0).unwrap();
    // An end before the start is refused.
    let err = r::book(&t.db, &who(), eq, at(12), at(10), "x").await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)));
    r::book(&t.db, &who(), eq, at(10), at(12), "first").await.unwrap();
    let err = r::book(&t.db, &who(), eq, at(11), at(13), "overlap").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "booking-overlap", .. }), "{err}");
    // Back to back is fine.
    r::book(&t.db, &who(), eq, at(12), at(13), "next").await.unwrap();
    // 16 parallel requests for the same slot from two pools: exactly one wins.
    let other = t.second_pool().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = if i % 2 == 0 { t.db.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            r::book(&db, &Who::system(&format!("w{i}")), eq, at(14) + Duration::minutes(i), at(16), "race").await
        }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(StoreError::Conflict { code: "booking-overlap", .. }) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(won, 1);
    let day = r::bookings(&t.db, eq, at(0), at(23)).await.unwrap();
    assert_eq!(day.len(), 3);
    // A cancelled booking frees its slot.
    let race = day.iter().find(|b| b.purpose == "race").unwrap();
    r::cancel_booking(&t.db, &who(), race.id).await.unwrap();
    r::book(&t.db, &who(), eq, at(14), at(15), "after cancel").await.unwrap();
}

#[tokio::test]
async fn project_milestones_are_checked_reminded_and_done_once() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let today = Utc::now().date_naive();
    let projects = r::list_projects(&t.db, s.consortium_id, &Default::default(), Page::default()).await.unwrap();
    let p2 = projects.items.iter().find(|p| p.project.code == "MIR-2026-02").unwrap().project.clone();

    // The demo gives every project three milestones; project 2's interim report is overdue.
    let list = r::project_milestones(&t.db, p2.id, today).await.unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].status, "done");
    assert_eq!(list[1].status, "overdue");
    assert_eq!(list[1].days_overdue, Some(5));
    let due = r::milestones_due(&t.db, s.consortium_id, today).await.unwrap();
    assert!(due.iter().any(|d| d.project_code == "MIR-2026-02" && d.milestone.status == "overdue"), "{due:?}");
    assert!(due.iter().any(|d| d.project_code == "MIR-2026-03" && d.milestone.status == "due_soon"), "{due:?}");
    assert!(due.iter().all(|d| d.milestone.milestone.done_on.is_none()));

    // Bad input names the field and writes nothing.
    let before = r::project_milestones(&t.db, p2.id, today).await.unwrap().len();
    let e = r::add_milestone(&t.db, &who(), p2.id, "  ", today, "").await.unwrap_err();
    assert!(matches!(&e, StoreError::Invalid(f) if f.for_field("title").is_some()), "{e:?}");
    let early = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    let e = r::add_milestone(&t.db, &who(), p2.id, "너무 이른 기한", early, "").await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(f) if f.for_field("due_on").is_some_and(|m| m.contains("2026-03-01"))),
        "{e:?}"
    );
    assert_eq!(r::project_milestones(&t.db, p2.id, today).await.unwrap().len(), before);

    // Done once, not in the future; a done milestone cannot be deleted; an open one can.
    let overdue = list[1].milestone.id;
    let e = r::complete_milestone(&t.db, &who(), overdue, today + Duration::days(1), today).await.unwrap_err();
    assert!(matches!(&e, StoreError::Invalid(f) if f.for_field("done_on").is_some()), "{e:?}");
    let m = r::complete_milestone(&t.db, &who(), overdue, today, today).await.unwrap();
    assert_eq!(m.done_on, Some(today));
    assert_eq!(m.done_by.as_deref(), Some("test"));
    assert!(r::complete_milestone(&t.db, &who(), overdue, today, today).await.is_err());
    assert!(r::delete_milestone(&t.db, &who(), overdue).await.is_err());
    let extra = r::add_milestone(&t.db, &who(), p2.id, "추가 실험", today + Duration::days(30), "").await.unwrap();
    r::delete_milestone(&t.db, &who(), extra.id).await.unwrap();
    let after = r::project_milestones(&t.db, p2.id, today).await.unwrap();
    assert_eq!(after[1].status, if today > list[1].milestone.due_on { "done_late" } else { "done" });
    assert!(
        !r::milestones_due(&t.db, s.consortium_id, today)
            .await
            .unwrap()
            .iter()
            .any(|d| d.milestone.milestone.id == overdue)
    );

    // The sweep reminds the project's people of a milestone due soon, once.
    let p3 = projects.items.iter().find(|p| p.project.code == "MIR-2026-03").unwrap().project.clone();
    let reminders = |rows: Vec<medist_db::entities::notification::Model>| {
        rows.into_iter().filter(|n| n.kind == "milestone_due" && n.subject_id == p3.id).count()
    };
    let office = medist_db::entities::app_user::Entity::find()
        .filter(medist_db::entities::app_user::Column::Login.eq("office@miracle.example"))
        .one(&t.db.conn)
        .await
        .unwrap()
        .unwrap();
    let n1 = reminders(r::notifications(&t.db, office.id, false).await.unwrap());
    assert_eq!(n1, 1, "the demo's own sweep made the reminder");
    r::sweep(&t.db, today).await.unwrap();
    assert_eq!(reminders(r::notifications(&t.db, office.id, false).await.unwrap()), 1, "not twice");

    // A closed project's milestones no longer change.
    let closed = projects.items.iter().find(|p| p.project.status == "completed").unwrap().project.clone();
    let e = r::add_milestone(&t.db, &who(), closed.id, "사후 보고", today, "").await.unwrap_err();
    assert!(matches!(&e, StoreError::Invalid(f) if f.for_field("project").is_some()), "{e:?}");
}
