//! Commercialization over the storage layer (SQLite by default, PostgreSQL with `MEDIST_TEST_DATABASE_URL`):
//! the demo's disclosures, transfers and startup; the yearly summary; disclosures moved only as the rules allow;
//! bad input named by field with nothing written.

use chrono::{NaiveDate, Utc};
use medist_db::commercial::{self as c, DisclosureInput};
use medist_db::entities::{invention_disclosure, person};
use medist_db::{StoreError, Who, demo, testing};
use medist_ip::disclosure::{Assessment, Decision, DisclosureAction};
use medist_ip::startup::{InvestmentRound, RoundStage};
use medist_ip::transfer::RoyaltyPayment;
use medist_ip::{InventorShare, Region, Startup, TechnologyTransfer, TransferKind};
use sea_orm::{EntityTrait, PaginatorTrait};

fn who() -> Who {
    Who::system("test")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(f) => f.0.into_iter().map(|x| x.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn the_demo_commercialization_story_and_its_yearly_summary() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let cid = s.consortium_id;
    let today = Utc::now().date_naive();

    let ds = c::list_disclosures(&t.db, cid, today).await.unwrap();
    assert_eq!(ds.len(), 3);
    let filed = ds.iter().find(|x| x.row.state == "filed").expect("one disclosure is filed");
    assert!(filed.row.patent_application_id.is_some());
    assert_eq!(filed.disclosure.history.len(), 3, "assessment started, decided, filed");
    let decided = ds.iter().find(|x| x.row.state == "decided_file").unwrap();
    assert_eq!(decided.deadlines.filing_due, Some(d(2027, 9, 15)), "12 months after the paper");
    let received = ds.iter().find(|x| x.row.state == "received").unwrap();
    assert_eq!(received.deadlines.decision_due, received.row.received_on + chrono::Months::new(4));

    let years = c::summary(&t.db, cid, 2026..=2026).await.unwrap();
    let y = &years[0];
    assert_eq!((y.transfers, y.upfront_krw, y.royalties_krw), (2, 70_000_000, 12_500_000));
    assert_eq!((y.startups, y.startups_in_region, y.investment_krw), (1, 1, 300_000_000));
    assert!(y.disclosures >= 2);
}

#[tokio::test]
async fn bad_commercialization_input_is_named_and_nothing_is_written() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let cid = s.consortium_id;
    let people: Vec<i64> = person::Entity::find().all(&t.db.conn).await.unwrap().into_iter().map(|p| p.id).collect();
    let before = invention_disclosure::Entity::find().count(&t.db.conn).await.unwrap();

    // Shares that do not add up to 100 %, and an inventor who does not exist.
    let input = DisclosureInput {
        title_ko: "새 발명".into(),
        title_en: String::new(),
        inventors: vec![
            InventorShare { person_id: people[0], share_bp: 6000 },
            InventorShare { person_id: people[1], share_bp: 3000 },
        ],
        received_on: d(2026, 11, 1),
        project_ids: vec![],
        public_disclosures: vec![],
        is_sample: false,
    };
    let e = c::create_disclosure(&t.db, &who(), cid, &input).await.unwrap_err();
    assert!(fields(e).iter().any(|f| f.starts_with("inventors")), "shares must sum to 100 %");
    let mut ghost = input.clone();
    ghost.inventors = vec![InventorShare { person_id: 999_999, share_bp: 10_000 }];
    assert_eq!(fields(c::create_disclosure(&t.db, &who(), cid, &ghost).await.unwrap_err()), ["inventors[0].person_id"]);
    assert_eq!(invention_disclosure::Entity::find().count(&t.db.conn).await.unwrap(), before);

    // The state machine: no decision before an assessment; filing needs an application of the consortium.
    let mut ok = input.clone();
    ok.inventors[1].share_bp = 4000;
    let id = c::create_disclosure(&t.db, &who(), cid, &ok).await.unwrap().id;
    let decide = DisclosureAction::Decide { decision: Decision::File, hold_until: None };
    assert!(c::disclosure_action(&t.db, &who(), id, decide, "", d(2026, 11, 2)).await.is_err(), "not under assessment");
    c::disclosure_action(&t.db, &who(), id, DisclosureAction::StartAssessment, "", d(2026, 11, 2)).await.unwrap();
    assert!(c::disclosure_action(&t.db, &who(), id, decide, "", d(2026, 11, 3)).await.is_err(), "no assessment yet");
    let bad = Assessment {
        grade: String::new(),
        score: Some(140),
        assessor: "위원회".into(),
        assessed_on: d(2026, 10, 1),
        comment: String::new(),
    };
    let f = fields(c::assess_disclosure(&t.db, &who(), id, bad).await.unwrap_err());
    assert!(f.contains(&"assessment.score".to_string()) && f.contains(&"assessment.assessed_on".to_string()), "{f:?}");
    let good = Assessment {
        grade: "B".into(),
        score: Some(70),
        assessor: "위원회".into(),
        assessed_on: d(2026, 11, 5),
        comment: String::new(),
    };
    c::assess_disclosure(&t.db, &who(), id, good).await.unwrap();
    c::disclosure_action(&t.db, &who(), id, decide, "", d(2026, 11, 6)).await.unwrap();
    let filed = DisclosureAction::MarkFiled { patent_application_id: 999_999 };
    assert_eq!(
        fields(c::disclosure_action(&t.db, &who(), id, filed, "", d(2026, 11, 7)).await.unwrap_err()),
        ["patent_application_id"]
    );
    let v = c::get_disclosure(&t.db, id, d(2026, 11, 7)).await.unwrap();
    assert_eq!(v.row.state, "decided_file", "the refused step left the disclosure as it was");

    // Transfers: a royalty before the contract and a negative fee are named.
    let mut tr = TechnologyTransfer {
        id: 0,
        title: String::new(),
        licensee: "테스트 주식회사".into(),
        kind: TransferKind::NonExclusiveLicense,
        contract_date: d(2026, 6, 1),
        upfront_fee_krw: -1,
        royalties: vec![],
        patent_family_ids: vec![],
        project_ids: vec![],
        licensor_institution_ids: vec![],
    };
    assert_eq!(fields(c::create_transfer(&t.db, &who(), cid, &tr, false).await.unwrap_err()), ["upfront_fee_krw"]);
    tr.upfront_fee_krw = 10_000_000;
    tr.patent_family_ids = vec![999_999];
    assert_eq!(fields(c::create_transfer(&t.db, &who(), cid, &tr, false).await.unwrap_err()), ["patent_family_ids[0]"]);
    tr.patent_family_ids = vec![];
    let row = c::create_transfer(&t.db, &who(), cid, &tr, false).await.unwrap();
    let early = RoyaltyPayment { paid_on: d(2026, 5, 1), amount_krw: 1_000 };
    assert_eq!(fields(c::add_royalty(&t.db, &who(), row.id, early).await.unwrap_err()), ["paid_on"]);
    let paid = c::add_royalty(&t.db, &who(), row.id, RoyaltyPayment { paid_on: d(2026, 7, 1), amount_krw: 5_000_000 })
        .await
        .unwrap();
    assert_eq!(paid.total_krw, 15_000_000);

    // Startups: founders required; a round of nothing is refused.
    let mut st = Startup {
        id: 0,
        name: "테스트랩".into(),
        name_en: String::new(),
        founded_on: d(2026, 9, 1),
        region: Region::Jeonnam,
        founder_person_ids: vec![],
        patent_family_ids: vec![],
        project_ids: vec![],
        rounds: vec![],
    };
    assert_eq!(fields(c::create_startup(&t.db, &who(), cid, &st, false).await.unwrap_err()), ["founder_person_ids"]);
    st.founder_person_ids = vec![people[0]];
    let srow = c::create_startup(&t.db, &who(), cid, &st, false).await.unwrap();
    let zero = InvestmentRound { date: d(2026, 10, 1), stage: RoundStage::Seed, amount_krw: 0, investors: vec![] };
    assert_eq!(fields(c::add_round(&t.db, &who(), srow.id, zero).await.unwrap_err()), ["amount_krw"]);
    let view = c::get_startup(&t.db, srow.id).await.unwrap();
    assert_eq!(view.region_group, "gwangju_jeonnam");
    assert!(view.startup.rounds.is_empty());
}
