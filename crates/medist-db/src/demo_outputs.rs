//! Sample publications of the MIRACLE demo and a sample SCI journal list, so that the publication pages, the SCI
//! badges and the SCI-papers KPI show something on a fresh start. The publications go through the same BibTeX
//! reader and import as a researcher's file; the list through the same checks as an uploaded one.

use medist_biblio::sci::{JournalEntry, journal_entry};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entities::publication;
use crate::outputs::{self, ImportOptions};
use crate::{Db, StoreError, Who};

/// The file name the sample publications are recorded under.
pub const SAMPLE_BIB: &str = "MIRACLE-sample-publications.bib";
const BIB: &str = include_str!("../demo/publications_sample.bib");
const SCI: &str = include_str!("../demo/sci_journals_sample.csv");

/// The sample SCI list: `Journal name,ISSN,eISSN,Edition,Year` with no quoted cells.
pub fn sample_sci_list() -> Result<Vec<JournalEntry>, StoreError> {
    SCI.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let c: Vec<&str> = line.split(',').collect();
            let cell = |n: usize| c.get(n).copied().unwrap_or("");
            journal_entry(cell(0), cell(1), cell(2), cell(3), cell(4).trim().parse().ok())
                .map_err(|p| StoreError::Config(format!("sci_journals_sample.csv row {}: {}", i + 2, p[0].message)))
        })
        .collect()
}

pub async fn load(db: &Db, who: &Who, consortium_id: i64) -> Result<(), StoreError> {
    crate::sci::replace_years(db, who, consortium_id, &sample_sci_list()?, "sci_journals_sample.csv (sample)").await?;
    let opts = ImportOptions { dry_run: false, valid_only: false, source_name: SAMPLE_BIB.into() };
    let records = medist_biblio::BibtexReader::new(BIB.as_bytes());
    let report = outputs::import(db, who, consortium_id, records, &opts, |_| {}).await?;
    if report.error_count > 0 {
        return Err(StoreError::Config(format!("sample publications: {}", report.errors.join("; "))));
    }
    publication::Entity::update_many()
        .col_expr(publication::Column::IsSample, Expr::value(true))
        .filter(publication::Column::SourceName.eq(SAMPLE_BIB))
        .exec(&db.conn)
        .await?;
    Ok(())
}

/// Sample commercialization: three invention disclosures (one filed as a demo patent application, one decided,
/// one received and due soon), two technology transfers with royalties, and a startup in Gwangju with a seed round.
pub async fn load_commercial(db: &Db, who: &Who, consortium_id: i64, faculty: &[i64]) -> Result<(), StoreError> {
    use chrono::{Duration, NaiveDate, Utc};
    use medist_ip::disclosure::{Assessment, Decision, DisclosureAction, PublicDisclosure, PublicDisclosureKind};
    use medist_ip::startup::{InvestmentRound, RoundStage};
    use medist_ip::transfer::RoyaltyPayment;
    use medist_ip::{InventorShare, Region, Startup, TechnologyTransfer, TransferKind};

    use crate::commercial as c;
    use crate::entities::{patent_application, patent_family, project};

    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid sample date");
    let today = Utc::now().date_naive();
    let families: Vec<i64> = patent_family::Entity::find()
        .filter(patent_family::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    let projects: Vec<i64> = project::Entity::find()
        .filter(project::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let first_app = patent_application::Entity::find()
        .filter(patent_application::Column::FamilyId.eq(families[0]))
        .one(&db.conn)
        .await?
        .map(|a| a.id);
    let inv = |pairs: &[(usize, u32)]| {
        pairs.iter().map(|&(i, bp)| InventorShare { person_id: faculty[i], share_bp: bp }).collect::<Vec<_>>()
    };
    let assessment = |on| Assessment {
        grade: "A".into(),
        score: Some(82),
        assessor: "산학협력단 발명평가위원회 (샘플)".into(),
        assessed_on: on,
        comment: "선행기술 조사 결과 신규성 있음 (샘플)".into(),
    };

    // 1. Filed: received, assessed, decided to file, filed as the first sample family's application.
    let filed = c::create_disclosure(
        db,
        who,
        consortium_id,
        &c::DisclosureInput {
            title_ko: "면역관문억제제 반응 예측 바이오마커 (샘플)".into(),
            title_en: "Biomarker predicting response to immune checkpoint inhibitors (sample)".into(),
            inventors: inv(&[(0, 6000), (6, 4000)]),
            received_on: d(2026, 3, 10),
            project_ids: vec![projects[0]],
            public_disclosures: vec![PublicDisclosure {
                kind: PublicDisclosureKind::Conference,
                date: d(2026, 5, 20),
                description: "대한암학회 학술대회 포스터 (샘플)".into(),
            }],
            is_sample: true,
        },
    )
    .await?;
    c::disclosure_action(db, who, filed.id, DisclosureAction::StartAssessment, "", d(2026, 3, 12)).await?;
    c::assess_disclosure(db, who, filed.id, assessment(d(2026, 3, 30))).await?;
    c::disclosure_action(
        db,
        who,
        filed.id,
        DisclosureAction::Decide { decision: Decision::File, hold_until: None },
        "",
        d(2026, 4, 2),
    )
    .await?;
    if let Some(app) = first_app {
        c::disclosure_action(
            db,
            who,
            filed.id,
            DisclosureAction::MarkFiled { patent_application_id: app },
            "",
            d(2026, 4, 20),
        )
        .await?;
    }
    // 2. Decided to file, not filed yet, a paper planned: the filing deadline shows.
    let decided = c::create_disclosure(
        db,
        who,
        consortium_id,
        &c::DisclosureInput {
            title_ko: "연골 재생용 주사형 하이드로겔 (샘플)".into(),
            title_en: "Injectable hydrogel for cartilage regeneration (sample)".into(),
            inventors: inv(&[(2, 5000), (9, 3000), (10, 2000)]),
            received_on: d(2026, 8, 3),
            project_ids: vec![projects[2]],
            public_disclosures: vec![PublicDisclosure {
                kind: PublicDisclosureKind::Paper,
                date: d(2026, 9, 15),
                description: "Biomaterials 게재 (샘플)".into(),
            }],
            is_sample: true,
        },
    )
    .await?;
    c::disclosure_action(db, who, decided.id, DisclosureAction::StartAssessment, "", d(2026, 8, 5)).await?;
    c::assess_disclosure(db, who, decided.id, assessment(d(2026, 8, 20))).await?;
    c::disclosure_action(
        db,
        who,
        decided.id,
        DisclosureAction::Decide { decision: Decision::File, hold_until: None },
        "",
        d(2026, 8, 25).max(d(2026, 8, 25)),
    )
    .await?;
    // 3. Just received: the decision is due in four months.
    c::create_disclosure(
        db,
        who,
        consortium_id,
        &c::DisclosureInput {
            title_ko: "응급실 패혈증 조기 경보 알고리즘 (샘플)".into(),
            title_en: "Early warning algorithm for sepsis in the emergency room (sample)".into(),
            inventors: inv(&[(5, 5000), (12, 5000)]),
            received_on: today - Duration::days(20),
            project_ids: vec![],
            public_disclosures: vec![],
            is_sample: true,
        },
    )
    .await?;

    let transfers = [
        TechnologyTransfer {
            id: 0,
            title: "면역관문억제제 반응 예측 바이오마커 (샘플)".into(),
            licensee: "(주)미라클진단 (샘플)".into(),
            kind: TransferKind::ExclusiveLicense,
            contract_date: d(2026, 6, 30),
            upfront_fee_krw: 50_000_000,
            royalties: vec![RoyaltyPayment { paid_on: d(2026, 10, 31), amount_krw: 12_500_000 }],
            patent_family_ids: vec![families[0]],
            project_ids: vec![projects[0]],
            licensor_institution_ids: vec![],
        },
        TechnologyTransfer {
            id: 0,
            title: "연골 재생 하이드로겔 제조 노하우 (샘플)".into(),
            licensee: "바이오리젠 주식회사 (샘플)".into(),
            kind: TransferKind::NonExclusiveLicense,
            contract_date: d(2026, 9, 15),
            upfront_fee_krw: 20_000_000,
            royalties: vec![],
            patent_family_ids: vec![],
            project_ids: vec![projects[2]],
            licensor_institution_ids: vec![],
        },
    ];
    for t in &transfers {
        c::create_transfer(db, who, consortium_id, t, true).await?;
    }
    let s = Startup {
        id: 0,
        name: "(주)미라클진단 (샘플)".into(),
        name_en: "Miracle Diagnostics Inc. (sample)".into(),
        founded_on: d(2026, 5, 12),
        region: Region::Gwangju,
        founder_person_ids: vec![faculty[0], faculty[6]],
        patent_family_ids: vec![families[0]],
        project_ids: vec![projects[0]],
        rounds: vec![InvestmentRound {
            date: d(2026, 7, 1),
            stage: RoundStage::Seed,
            amount_krw: 300_000_000,
            investors: vec!["광주 지역 액셀러레이터 (샘플)".into()],
        }],
    };
    c::create_startup(db, who, consortium_id, &s, true).await?;
    Ok(())
}
