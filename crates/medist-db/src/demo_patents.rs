//! The demo's sample patents: eight families owned by the consortium institutions, invented by the sample
//! faculty, linked to the demo projects; Korean applications filed in 2026–2027, a few registered, one PCT
//! application, one abandoned. Written through `crate::patents`, so the rules and the audit log apply.

use chrono::NaiveDate;
use medist_ip::InventorShare;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{institution, project};
use crate::patents::{ApplicationInput, EventInput, FamilyInput, create_family};
use crate::{Db, StoreError, Who};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn ev(kind: &str, date: NaiveDate, number: Option<&str>) -> EventInput {
    EventInput { kind: kind.into(), date, number: number.map(str::to_string), note: String::new() }
}

/// (Korean title, English title, owner institution indexes, inventor faculty indexes with shares, project index,
/// jurisdiction, events).
type Sample =
    (&'static str, &'static str, &'static [usize], &'static [(usize, u32)], usize, &'static str, Vec<EventInput>);

fn samples() -> Vec<Sample> {
    vec![
        (
            "패혈증 조기 예측을 위한 생체신호 분석 장치 및 방법",
            "Device and method for analysing vital signs to predict sepsis early",
            &[0, 2],
            &[(0, 6000), (6, 4000)],
            0,
            "KR",
            vec![
                ev("filed", d(2026, 3, 16), Some("10-2026-0034512")),
                ev("published", d(2026, 9, 18), None),
                ev("registered", d(2027, 6, 2), Some("10-2871234")),
            ],
        ),
        (
            "딥러닝 기반 흉부 X선 영상 판독 보조 시스템",
            "Deep-learning assistant for reading chest radiographs",
            &[0],
            &[(1, 5000), (7, 5000)],
            1,
            "KR",
            vec![ev("filed", d(2026, 5, 7), Some("10-2026-0058821")), ev("published", d(2026, 11, 9), None)],
        ),
        (
            "생분해성 고분자를 이용한 약물 방출 스텐트",
            "Drug-eluting stent made of a biodegradable polymer",
            &[1, 2],
            &[(2, 7000), (8, 3000)],
            2,
            "KR",
            vec![ev("filed", d(2026, 7, 21), Some("10-2026-0091107"))],
        ),
        (
            "웨어러블 혈당 측정 패치 (국제출원)",
            "Wearable glucose-monitoring patch (international application)",
            &[0, 3],
            &[(3, 5000), (9, 3000), (10, 2000)],
            3,
            "PCT",
            vec![
                ev("filed", d(2026, 9, 1), Some("PCT/KR2026/012345")),
                ev("published", d(2027, 3, 4), Some("WO2027/045678")),
            ],
        ),
        (
            "수술 부위 감염 위험 예측 모델",
            "Model predicting the risk of surgical site infection",
            &[2],
            &[(4, 10000)],
            4,
            "KR",
            vec![ev("filed", d(2026, 10, 12), Some("10-2026-0130456")), ev("abandoned", d(2027, 8, 30), None)],
        ),
        (
            "초음파 영상 기반 근감소증 진단 방법",
            "Diagnosing sarcopenia from ultrasound images",
            &[1],
            &[(5, 6000), (11, 4000)],
            5,
            "KR",
            vec![
                ev("filed", d(2027, 1, 15), Some("10-2027-0007788")),
                ev("registered", d(2027, 11, 24), Some("10-2934567")),
            ],
        ),
        (
            "환자 맞춤형 3D 프린팅 골 이식재 제조 방법",
            "Making patient-specific 3D-printed bone grafts",
            &[0, 1],
            &[(12, 5000), (2, 5000)],
            6,
            "KR",
            vec![ev("filed", d(2027, 4, 2), Some("10-2027-0045123"))],
        ),
        (
            "음성 분석을 이용한 파킨슨병 선별 장치",
            "Screening for Parkinson's disease by voice analysis",
            &[3],
            &[(13, 4000), (0, 3000), (14, 3000)],
            7,
            "KR",
            vec![ev("filed", d(2027, 6, 18), Some("10-2027-0082345")), ev("published", d(2027, 12, 20), None)],
        ),
    ]
}

/// Loads the sample patents into the consortium; `faculty` are the sample faculty's person ids.
pub async fn load(db: &Db, who: &Who, consortium_id: i64, faculty: &[i64]) -> Result<usize, StoreError> {
    let insts: Vec<i64> = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(institution::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let projects: Vec<i64> = project::Entity::find()
        .filter(project::Column::ConsortiumId.eq(consortium_id))
        .order_by_asc(project::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut n = 0;
    for (ko, en, owners, inventors, proj, jurisdiction, events) in samples() {
        let input = FamilyInput {
            title_ko: format!("{ko} (샘플)"),
            title_en: format!("{en} (sample)"),
            owner_institution_ids: owners.iter().filter_map(|&i| insts.get(i % insts.len().max(1)).copied()).collect(),
            inventors: inventors
                .iter()
                .filter_map(|&(f, bp)| faculty.get(f).map(|&person_id| InventorShare { person_id, share_bp: bp }))
                .collect(),
            project_ids: projects.get(proj).copied().into_iter().collect(),
            applications: vec![ApplicationInput { jurisdiction: jurisdiction.into(), events }],
            is_sample: true,
        };
        create_family(db, who, consortium_id, &input).await?;
        n += 1;
    }
    Ok(n)
}
