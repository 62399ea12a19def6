//! Patents over the storage layer (SQLite by default, PostgreSQL with `MEDIST_TEST_DATABASE_URL`): a family with
//! owners, inventors and applications, the event-order rules refusing bad histories, counts by filing and
//! registration year, and the KPI records behind `patent_applications` / `patent_registrations`.

use chrono::NaiveDate;
use medist_db::entities::{institution, patent_event, person, project};
use medist_db::patents::{self as p, ApplicationInput, EventInput, FamilyInput};
use medist_db::{StoreError, Who, demo, kpi, testing};
use medist_ip::InventorShare;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn who() -> Who {
    Who::system("test")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ev(kind: &str, date: NaiveDate, number: Option<&str>) -> EventInput {
    EventInput { kind: kind.into(), date, number: number.map(str::to_string), note: String::new() }
}

struct Setup {
    consortium_id: i64,
    institutions: Vec<i64>,
    people: Vec<i64>,
    project_id: i64,
}

async fn setup(db: &medist_db::Db) -> Setup {
    let s = demo::load(db, &who()).await.unwrap();
    let institutions = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(s.consortium_id))
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    let people = person::Entity::find().all(&db.conn).await.unwrap().into_iter().map(|p| p.id).take(3).collect();
    let project_id = project::Entity::find()
        .filter(project::Column::ConsortiumId.eq(s.consortium_id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    Setup { consortium_id: s.consortium_id, institutions, people, project_id }
}

fn family(s: &Setup, title: &str, applications: Vec<ApplicationInput>) -> FamilyInput {
    FamilyInput {
        title_ko: title.into(),
        title_en: String::new(),
        owner_institution_ids: vec![s.institutions[0], s.institutions[1]],
        inventors: vec![
            InventorShare { person_id: s.people[0], share_bp: 6000 },
            InventorShare { person_id: s.people[1], share_bp: 4000 },
        ],
        project_ids: vec![s.project_id],
        applications,
        is_sample: false,
    }
}

fn field_codes(e: StoreError) -> Vec<(String, String)> {
    match e {
        StoreError::Invalid(f) => f.0.into_iter().map(|x| (x.field, x.code)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn families_events_counts_and_kpi_records() {
    let t = testing::fresh().await.unwrap();
    let s = setup(&t.db).await;
    let before_events = patent_event::Entity::find().count(&t.db.conn).await.unwrap();

    // Filed 2031, registered 2032 (years no demo record uses).
    let f = p::create_family(
        &t.db,
        &who(),
        s.consortium_id,
        &family(
            &s,
            "혈당 예측 장치",
            vec![ApplicationInput {
                jurisdiction: "KR".into(),
                events: vec![
                    ev("registered", d(2032, 5, 2), Some("102345678")),
                    ev("filed", d(2031, 3, 2), Some("1020310012345")),
                ],
            }],
        ),
    )
    .await
    .unwrap();
    let v = p::get_family(&t.db, f.id).await.unwrap();
    assert_eq!(v.owners.len(), 2);
    assert_eq!(v.inventors.len(), 2);
    assert_eq!(v.project_ids, vec![s.project_id]);
    let a = &v.applications[0];
    assert_eq!(a.events.len(), 2);
    assert_eq!(a.events[0].kind, "filed");
    assert_eq!(a.events[0].number.as_deref(), Some("10-2031-0012345"), "numbers are stored canonical");
    let st = a.status.as_ref().unwrap();
    assert_eq!(st.state.code(), "registered");
    assert_eq!(st.registration_number.as_deref(), Some("10-2345678"));

    // Counted in the filing year and in the registration year, never the other way.
    let counts = p::counts(&t.db, s.consortium_id).await.unwrap();
    let y31 = counts.iter().find(|c| c.year == 2031).unwrap();
    let y32 = counts.iter().find(|c| c.year == 2032).unwrap();
    assert_eq!((y31.filed, y31.registered), (1, 0));
    assert_eq!((y32.filed, y32.registered), (0, 1));

    // The KPI records: the seed KPIs count these rows, the filing in 2031, the registration in 2032.
    let filed_id = a.events[0].id;
    let reg_id = a.events[1].id;
    let recs = kpi::records(&t.db, s.consortium_id, "patent_event").await.unwrap();
    assert_eq!(recs.len() as u64, before_events + 2);
    for (code, id, year) in [("patent_applications", filed_id, 2031), ("patent_registrations", reg_id, 2032)] {
        let k = kpi::list(&t.db, s.consortium_id).await.unwrap().into_iter().find(|k| k.code == code).unwrap();
        let rule = kpi::check_rule(&k.rule_text).unwrap();
        let schema = kpi::schema();
        let value = medist_performance::evaluate(
            &rule,
            &schema.entities["patent_event"],
            &recs,
            d(2020, 1, 1),
            d(2040, 12, 31),
        );
        let c = value.counted.iter().find(|c| c.record_id == id).unwrap_or_else(|| panic!("{code} counts {id}"));
        assert_eq!(c.year, year, "{code}");
        assert!(!value.counted.iter().any(|c| c.record_id == if id == filed_id { reg_id } else { filed_id }));
        assert_eq!(value.by_year.get(&(if year == 2031 { 2032 } else { 2031 })).copied().unwrap_or(0), 0);
        assert_eq!(value.by_year.get(&year), Some(&1));
        assert!(kpi::evaluate_kpi(&t.db, k).await.unwrap().rule_errors.is_empty());
    }

    // Events added later are checked against the stored ones.
    let e = p::add_event(&t.db, &who(), a.application.id, &ev("rejected", d(2033, 1, 1), None)).await.unwrap_err();
    assert_eq!(field_codes(e)[0], ("kind".to_string(), medist_ip::Reason::RejectionAfterRegistration.to_string()));
    p::add_event(&t.db, &who(), a.application.id, &ev("abandoned", d(2034, 1, 1), None)).await.unwrap();
    let v = p::get_family(&t.db, f.id).await.unwrap();
    assert_eq!(v.applications[0].status.as_ref().unwrap().state.code(), "abandoned");
    // A later abandonment does not remove the registration from the counts.
    let counts = p::counts(&t.db, s.consortium_id).await.unwrap();
    assert_eq!(counts.iter().find(|c| c.year == 2032).unwrap().registered, 1);
}

#[tokio::test]
async fn bad_families_are_refused_with_the_rules_message_and_nothing_is_written() {
    let t = testing::fresh().await.unwrap();
    let s = setup(&t.db).await;
    let before = patent_event::Entity::find().count(&t.db.conn).await.unwrap();
    // Registration before filing.
    let e = p::create_family(
        &t.db,
        &who(),
        s.consortium_id,
        &family(
            &s,
            "잘못된 이력",
            vec![ApplicationInput {
                jurisdiction: "KR".into(),
                events: vec![
                    ev("filed", d(2031, 3, 2), Some("10-2031-0012345")),
                    ev("registered", d(2031, 3, 1), Some("10-2345678")),
                ],
            }],
        ),
    )
    .await
    .unwrap_err();
    let codes = field_codes(e);
    assert_eq!(codes[0].0, "applications[0].events[1]");
    assert_eq!(codes[0].1, "registration on 2031-03-01 is before the filing on 2031-03-02");
    // A PCT application is never registered.
    let e = p::create_family(
        &t.db,
        &who(),
        s.consortium_id,
        &family(
            &s,
            "PCT 등록",
            vec![ApplicationInput {
                jurisdiction: "PCT".into(),
                events: vec![
                    ev("filed", d(2031, 3, 2), Some("PCT/KR2031/001234")),
                    ev("registered", d(2033, 1, 1), Some("X")),
                ],
            }],
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(field_codes(e)[0].1, medist_ip::Reason::PctNotRegistrable.to_string());
    // Shares must add up to 100%.
    let mut bad = family(&s, "지분 오류", vec![]);
    bad.inventors[1].share_bp = 3000;
    let codes = field_codes(p::create_family(&t.db, &who(), s.consortium_id, &bad).await.unwrap_err());
    assert_eq!(codes[0].0, "inventors");
    // Unknown owner: refused in the transaction, nothing written.
    let mut bad = family(&s, "소유 기관 오류", vec![]);
    bad.owner_institution_ids = vec![i64::MAX];
    let codes = field_codes(p::create_family(&t.db, &who(), s.consortium_id, &bad).await.unwrap_err());
    assert_eq!(codes[0].1, "unknown-institution");
    assert_eq!(patent_event::Entity::find().count(&t.db.conn).await.unwrap(), before);
    assert!(p::list_families(&t.db, s.consortium_id).await.unwrap().iter().all(|f| f.family.is_sample));
}
