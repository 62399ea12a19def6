//! The research & translation part of the MIRACLE demo, all marked as sample data: needs from the three tracks
//! in Korean, two screening rounds (one closed, one open with scores), twelve projects at different stages with
//! gate reviews, IRB approvals (one about to expire, one lapsed), research data sets and access requests, the
//! joint institute's rooms (1,332 m²) with allocations, shared equipment with bookings, and researchers' keywords.
//!
//! It is written through the same store functions the UI uses, so every rule and the audit log apply.

use chrono::{Duration, NaiveDate, Utc};
use medist_research::irb_and_data::{DataAccessAction, IrbApproval};
use medist_research::need::{NeedAction, NeedInput};
use medist_research::project::{GateDecision, GateReview, MemberRole, ProjectAim, ProjectStatus, Track};
use medist_research::screening::{Criterion, ScoreScale, ScreeningRound};
use medist_research::space::Area;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::{app_user, institution};
use crate::research::{self as r, DatasetInput, MemberInput, NeedMeta, ProjectInput, ScoreInput};
use crate::{Db, StoreError, Who};

/// (track, title, problem, population, outcome, disease area, setting, urgency, institution index).
type NeedSeed =
    (Track, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, usize);

const NEEDS: [NeedSeed; 10] = [
    (
        Track::ImmunoOncology,
        "면역관문억제제 반응 예측",
        "면역관문억제제 투여 전에 반응 여부를 예측할",
        "진행성 비소세포폐암 환자",
        "효과 없는 치료와 면역 관련 부작용을 줄이기",
        "C34",
        "종양내과 외래",
        "high",
        2,
    ),
    (
        Track::ImmunoOncology,
        "CAR-T 사이토카인 방출 증후군 조기 경보",
        "CAR-T 투여 후 사이토카인 방출 증후군을 증상 전에 알아낼",
        "재발성 림프종 환자",
        "중환자실 전원을 줄이기",
        "C83",
        "혈액종양내과 병동",
        "critical",
        3,
    ),
    (
        Track::ImmunoOncology,
        "간세포암 색전술 후 재발 예측",
        "경동맥화학색전술 후 조기 재발을 예측할",
        "간세포암 환자",
        "추적 검사 간격을 환자별로 정하기",
        "C22",
        "소화기내과 외래",
        "medium",
        3,
    ),
    (
        Track::RegenerativeMedicine,
        "당뇨발 궤양 치유 촉진",
        "잘 낫지 않는 당뇨발 궤양의 조직 재생을 앞당길",
        "제2형 당뇨병 환자",
        "하지 절단을 줄이기",
        "E11.5",
        "내분비내과·성형외과 협진",
        "high",
        2,
    ),
    (
        Track::RegenerativeMedicine,
        "무릎 골관절염 연골 재생",
        "손상된 무릎 연골을 수술 없이 재생할",
        "초기 골관절염 환자",
        "인공관절 수술 시기를 늦추기",
        "M17",
        "정형외과 외래",
        "medium",
        1,
    ),
    (
        Track::RegenerativeMedicine,
        "심근경색 후 심근 재생",
        "심근경색 후 손상된 심근의 기능을 되살릴",
        "급성 심근경색 생존자",
        "심부전 진행을 막기",
        "I21",
        "심장내과 병동",
        "high",
        2,
    ),
    (
        Track::MultimodalMedicine,
        "흉부 X선과 EMR 통합 패혈증 조기 예측",
        "흉부 X선 영상과 전자의무기록을 함께 분석해 패혈증을 조기에 예측할",
        "응급실 내원 성인 환자",
        "항생제 투여까지의 시간을 줄이기",
        "A41",
        "응급의학과",
        "critical",
        2,
    ),
    (
        Track::MultimodalMedicine,
        "뇌졸중 영상·임상 통합 예후 예측",
        "뇌 MRI와 임상 정보를 통합해 기능 회복을 예측할",
        "급성 허혈성 뇌졸중 환자",
        "재활 계획을 일찍 세우기",
        "I63",
        "신경과 병동",
        "medium",
        3,
    ),
    (
        Track::MultimodalMedicine,
        "농어촌 고령 환자 원격 모니터링",
        "웨어러블 신호로 고혈압 악화를 집에서 감지할",
        "전남 농어촌 고령 환자",
        "응급 내원을 줄이기",
        "I10",
        "지역 보건지소 연계",
        "low",
        2,
    ),
    (
        Track::ImmunoOncology,
        "위암 복막전이 조기 진단",
        "복막 전이를 CT보다 먼저 찾아낼",
        "진행성 위암 환자",
        "치료 전략을 일찍 바꾸기",
        "C16",
        "외과 외래",
        "medium",
        1,
    ),
];

/// Research keywords of the 18 sample faculty, in the order of `demo::FACULTY`.
const KEYWORDS: [&[&str]; 18] = [
    &["폐암", "면역항암", "immunotherapy", "lung cancer", "biomarker"],
    &["패혈증", "응급의학", "sepsis", "critical care"],
    &["간세포암", "색전술", "hepatocellular carcinoma", "interventional radiology"],
    &["당뇨병", "창상 치유", "diabetic foot", "wound healing"],
    &["뇌졸중", "신경영상", "stroke", "MRI"],
    &["골관절염", "연골", "osteoarthritis", "cartilage"],
    &["deep learning", "medical imaging", "chest X-ray", "인공지능", "영상 분석"],
    &["single-cell", "omics", "단일세포", "유전체", "T cell"],
    &["organoid", "오가노이드", "tissue engineering", "재생의학"],
    &["biomaterials", "hydrogel", "생체재료", "줄기세포", "stem cell"],
    &["EMR", "time series", "machine learning", "전자의무기록", "예측 모델"],
    &["wearable", "signal processing", "웨어러블", "원격 모니터링", "blood pressure"],
    &["cytokine", "immunology", "면역학", "CAR-T", "사이토카인"],
    &["cardiac regeneration", "cardiomyocyte", "심근", "iPSC"],
    &["radiomics", "CT", "영상체학", "liver"],
    &["multimodal", "멀티모달", "foundation model", "MRI", "stroke"],
    &["peritoneal metastasis", "gastric cancer", "liquid biopsy", "위암"],
    &["pathology", "digital pathology", "병리", "lung cancer"],
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

async fn user(db: &Db, local: &str) -> Result<Who, StoreError> {
    let login = format!("{local}@{}", crate::demo::DEMO_DOMAIN);
    let u = app_user::Entity::find()
        .filter(app_user::Column::Login.eq(&login))
        .one(&db.conn)
        .await?
        .ok_or_else(|| StoreError::not_found("user", &login))?;
    Ok(Who::user(u.id, &u.login))
}

/// Loads the research demo into the consortium; `faculty` are the 18 sample faculty's person ids.
pub async fn load(db: &Db, consortium_id: i64, faculty: &[i64]) -> Result<(), StoreError> {
    let office = user(db, "office").await?;
    let director = user(db, "director").await?;
    let clinician = user(db, "clinician").await?;
    let prof = user(db, "faculty").await?;
    let insts: Vec<i64> = institution::Entity::find()
        .filter(institution::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let today = Utc::now().date_naive();

    for (i, kw) in KEYWORDS.iter().enumerate() {
        if let Some(&p) = faculty.get(i) {
            r::set_keywords(db, &office, p, &kw.iter().map(|s| s.to_string()).collect::<Vec<_>>()).await?;
        }
    }

    // Needs: written by the sample clinician, moved along by the program office.
    let mut needs = Vec::new();
    for (track, title, problem, population, outcome, area, setting, urgency, inst) in NEEDS {
        let input = NeedInput {
            problem: problem.into(),
            population: population.into(),
            outcome: outcome.into(),
            disease_area: area.into(),
            clinical_setting: setting.into(),
            current_practice: "현재는 임상의의 경험과 단일 검사에 의존한다 (샘플).".into(),
            evidence: "최근 3년 진료 기록 검토 (샘플 데이터).".into(),
            urgency: urgency.into(),
        };
        let fields = input.validate().map_err(StoreError::Invalid)?;
        let meta = NeedMeta {
            title: format!("{title} (샘플)"),
            track: Some(track),
            institution_id: insts.get(inst).copied(),
            submitter_name: "임상의 (샘플)".into(),
            is_sample: true,
        };
        needs.push(r::create_need(db, &clinician, consortium_id, &meta, &fields, true).await?.id);
    }
    // Triage all but the last two; return one for more detail.
    for &n in &needs[..8] {
        r::transition_need(db, &office, n, NeedAction::StartTriage, "").await?;
    }
    r::transition_need(db, &office, needs[2], NeedAction::Return, "현재 진료 방식과 근거 자료를 보완해 주세요.")
        .await?;
    r::transition_need(db, &office, needs[8], NeedAction::StartTriage, "").await?;

    let setup = ScreeningRound {
        criteria: vec![
            Criterion { key: "clinical_impact".into(), weight: 4.0 },
            Criterion { key: "feasibility".into(), weight: 3.0 },
            Criterion { key: "novelty".into(), weight: 2.0 },
            Criterion { key: "commercial_potential".into(), weight: 1.0 },
        ],
        scale: ScoreScale { min: 1, max: 5 },
        disagreement_threshold: 1.0,
    };
    let panel = [office.clone(), director.clone(), prof.clone(), clinician.clone()];
    let panel_ids: Vec<i64> = panel.iter().filter_map(|w| w.user_id).collect();
    // Round 1: scored and closed; three needs selected.
    let round1 = [needs[0], needs[1], needs[3], needs[6]];
    let r1 = r::create_round(
        db,
        &office,
        consortium_id,
        "2026년 상반기 임상수요 심사 (샘플)",
        &setup,
        &panel_ids,
        &round1,
        true,
    )
    .await?;
    let grid: [[i32; 4]; 4] = [[5, 4, 4, 3], [4, 2, 5, 2], [4, 4, 3, 4], [5, 5, 4, 4]];
    for (pi, w) in panel.iter().enumerate() {
        for (ni, &n) in round1.iter().enumerate() {
            let base = grid[ni];
            let scores: Vec<ScoreInput> = setup
                .criteria
                .iter()
                .zip(base)
                .map(|(c, v)| ScoreInput {
                    criterion: c.key.clone(),
                    // Reviewers differ a little; on need 2 they disagree strongly.
                    value: if ni == 1 && pi % 2 == 1 { (v - 2).max(1) } else { (v - (pi as i32 % 2)).max(1) },
                    comment: if pi == 0 && ni == 1 {
                        "임상적 의미는 크나 데이터 확보가 어려움".into()
                    } else {
                        String::new()
                    },
                })
                .collect();
            r::score(db, w, r1.id, w.user_id.unwrap_or_default(), n, &scores).await?;
        }
    }
    r::close_round(db, &office, r1.id, &[needs[0], needs[3], needs[6]], "우선순위에서 밀림 (샘플)").await?;
    // Round 2: open, partly scored.
    let round2 = [needs[4], needs[7]];
    let r2 = r::create_round(
        db,
        &office,
        consortium_id,
        "2026년 하반기 임상수요 심사 (샘플)",
        &setup,
        &panel_ids,
        &round2,
        true,
    )
    .await?;
    for (w, vals) in [(&office, [4, 3, 3, 3]), (&prof, [3, 4, 4, 2])] {
        let scores: Vec<ScoreInput> = setup
            .criteria
            .iter()
            .zip(vals)
            .map(|(c, v)| ScoreInput { criterion: c.key.clone(), value: v, comment: String::new() })
            .collect();
        r::score(db, w, r2.id, w.user_id.unwrap_or_default(), needs[4], &scores).await?;
    }

    // Projects: (title ko, title en, aim, track, PI faculty index, other members, human data, needs, stage steps).
    type ProjectSeed = (
        &'static str,
        &'static str,
        ProjectAim,
        Track,
        usize,
        &'static [usize],
        bool,
        Option<usize>,
        usize,
        &'static str,
    );
    let projects: [ProjectSeed; 12] = [
        (
            "면역관문억제제 반응 예측 바이오마커",
            "Biomarkers predicting response to immune checkpoint inhibitors",
            ProjectAim::EarlyDiagnosis,
            Track::ImmunoOncology,
            0,
            &[7, 17],
            true,
            Some(0),
            2,
            "active",
        ),
        (
            "당뇨발 궤양 하이드로겔 치료제",
            "Hydrogel therapy for diabetic foot ulcers",
            ProjectAim::NewDrugOrTreatment,
            Track::RegenerativeMedicine,
            3,
            &[9, 8],
            true,
            Some(3),
            1,
            "active",
        ),
        (
            "흉부 X선·EMR 패혈증 예측 AI",
            "AI predicting sepsis from chest X-rays and EMR",
            ProjectAim::AiPlatformMultiOmics,
            Track::MultimodalMedicine,
            1,
            &[6, 10],
            true,
            Some(6),
            3,
            "active",
        ),
        (
            "CAR-T 사이토카인 프로파일링",
            "Cytokine profiling after CAR-T therapy",
            ProjectAim::PrecisionTreatmentTarget,
            Track::ImmunoOncology,
            2,
            &[12],
            true,
            None,
            1,
            "active",
        ),
        (
            "간세포암 영상체학 재발 예측",
            "Radiomics for recurrence of hepatocellular carcinoma",
            ProjectAim::EarlyDiagnosis,
            Track::MultimodalMedicine,
            2,
            &[14, 6],
            true,
            None,
            0,
            "active",
        ),
        (
            "연골 오가노이드 재생 플랫폼",
            "Cartilage organoid platform for regeneration",
            ProjectAim::NewDrugOrTreatment,
            Track::RegenerativeMedicine,
            5,
            &[8],
            false,
            None,
            1,
            "active",
        ),
        (
            "심근 재생 iPSC 세포치료",
            "iPSC-derived cell therapy for cardiac regeneration",
            ProjectAim::NewDrugOrTreatment,
            Track::RegenerativeMedicine,
            3,
            &[13],
            false,
            None,
            0,
            "approved",
        ),
        (
            "뇌졸중 멀티모달 예후 모델",
            "Multimodal prognosis model for stroke",
            ProjectAim::AiPlatformMultiOmics,
            Track::MultimodalMedicine,
            4,
            &[15, 10],
            true,
            None,
            2,
            "active",
        ),
        (
            "단일세포 T세포 표적 발굴",
            "Single-cell discovery of T-cell targets",
            ProjectAim::PrecisionTreatmentTarget,
            Track::ImmunoOncology,
            0,
            &[7, 12],
            true,
            None,
            1,
            "completed",
        ),
        (
            "웨어러블 고혈압 원격 모니터링",
            "Wearable remote monitoring of hypertension",
            ProjectAim::AiPlatformMultiOmics,
            Track::MultimodalMedicine,
            1,
            &[11],
            true,
            None,
            0,
            "proposed",
        ),
        (
            "위암 복막전이 액체생검",
            "Liquid biopsy for peritoneal metastasis of gastric cancer",
            ProjectAim::EarlyDiagnosis,
            Track::ImmunoOncology,
            5,
            &[16],
            true,
            None,
            0,
            "terminated",
        ),
        (
            "디지털 병리 폐암 아형 분류",
            "Digital pathology subtyping of lung cancer",
            ProjectAim::AiPlatformMultiOmics,
            Track::ImmunoOncology,
            0,
            &[],
            true,
            None,
            0,
            "active",
        ),
    ];
    let mut project_ids = Vec::new();
    for (i, (ko, en, aim, track, pi, others, human, need, steps, status)) in projects.into_iter().enumerate() {
        let mut members =
            vec![MemberInput { person_id: faculty[pi], role: MemberRole::PrincipalInvestigator, background: None }];
        for &o in others {
            members.push(MemberInput { person_id: faculty[o], role: MemberRole::CoInvestigator, background: None });
        }
        let input = ProjectInput {
            code: format!("MIR-2026-{:02}", i + 1),
            title_ko: format!("{ko} (샘플)"),
            title_en: format!("{en} (sample)"),
            aim,
            track,
            summary: "샘플 과제입니다. 실제 연구 내용이 아닙니다.".into(),
            uses_human_data: human,
            start_on: Some(d(2026, 3, 1)),
            end_on: Some(d(2030, 12, 31)),
            next_gate_on: Some(today + Duration::days(10 + 20 * i as i64)),
            is_sample: true,
        };
        let need_ids: Vec<i64> = need.map(|n| vec![needs[n]]).unwrap_or_default();
        let p = r::create_project(db, &office, consortium_id, &input, &members, &need_ids).await?;
        // Milestones (within the project period whatever day the demo is loaded): the plan, done; an interim
        // report that is overdue for project 2, due within days for project 3, later for the others; the final
        // report.
        let within = |x: NaiveDate| x.clamp(d(2026, 3, 1), d(2030, 12, 31));
        let plan = r::add_milestone(db, &office, p.id, "연구계획 확정 (샘플)", d(2026, 4, 30), "").await?;
        r::complete_milestone(db, &office, plan.id, d(2026, 4, 28), today.max(d(2026, 4, 28))).await?;
        let interim = match i {
            1 => today - Duration::days(5),
            2 => today + Duration::days(8),
            _ => today + Duration::days(60 + 10 * i as i64),
        };
        r::add_milestone(db, &office, p.id, "중간 결과 보고 (샘플)", within(interim), "단계 평가 자료로 제출").await?;
        r::add_milestone(db, &office, p.id, "최종 결과 보고 (샘플)", d(2030, 11, 30), "").await?;
        if status != "proposed" {
            r::change_project_status(db, &office, p.id, ProjectStatus::Approved, "").await?;
        }
        if status != "proposed" && status != "approved" {
            r::change_project_status(db, &office, p.id, ProjectStatus::Active, "").await?;
        }
        for s in 0..steps {
            let review = GateReview {
                decision: GateDecision::Advance,
                evidence: vec![format!("단계 {} 결과 보고서 (샘플) MIR-2026-{:02}-G{}", s + 1, i + 1, s + 1)],
                new_aim: None,
            };
            r::gate_review(db, &office, p.id, &review, "", Some(today + Duration::days(90))).await?;
        }
        if i == 4 {
            let review = GateReview {
                decision: GateDecision::Continue,
                evidence: vec!["중간 평가 보고서 (샘플): 검증 코호트 추가 필요".into()],
                new_aim: None,
            };
            r::gate_review(db, &office, p.id, &review, "", Some(today + Duration::days(7))).await?;
        }
        match status {
            "completed" => {
                r::change_project_status(db, &office, p.id, ProjectStatus::Completed, "").await?;
            }
            "terminated" => {
                let review = GateReview {
                    decision: GateDecision::Stop,
                    evidence: vec!["전임상 결과 미달 보고서 (샘플)".into()],
                    new_aim: None,
                };
                r::gate_review(db, &office, p.id, &review, "민감도 목표 미달로 중단 (샘플)", None).await?;
            }
            _ => {}
        }
        project_ids.push(p.id);
    }

    // IRB approvals: most valid; project 3 about to expire; project 5 lapsed; project 12 has none.
    let boards = ["전남대학교병원 IRB", "화순전남대학교병원 IRB", "GIST IRB"];
    for (i, &pid) in project_ids.iter().enumerate() {
        if !projects[i].6 || i == 11 || i == 9 {
            continue;
        }
        let (approved_on, expires_on) = match i {
            2 => (today - Duration::days(340), today + Duration::days(20)),
            4 => (today - Duration::days(400), today - Duration::days(30)),
            _ => (today - Duration::days(60), today + Duration::days(300)),
        };
        let approval = IrbApproval {
            number: format!("{}-2026-{:03}", ["CNUH", "CNUHH", "GIST"][i % 3], 100 + i),
            board: boards[i % 3].into(),
            approved_on,
            expires_on,
        };
        r::add_irb(db, &office, pid, &approval).await?;
    }

    // Research data sets and access requests.
    let sets = [
        ("폐암 면역치료 EMR 추출본 (샘플)", "emr_extract", "restricted", 2usize, 1usize),
        ("응급실 흉부 X선 영상 (샘플)", "imaging", "restricted", 2, 1),
        ("단일세포 유전체 데이터 (샘플)", "genomics_omics", "highly_restricted", 0, 7),
        ("뇌졸중 멀티모달 코호트 (샘플)", "multimodal", "restricted", 3, 4),
    ];
    let mut dataset_ids = Vec::new();
    for (name, kind, sens, inst, steward) in sets {
        let input = DatasetInput {
            name: name.into(),
            kind: kind.into(),
            sensitivity: sens.into(),
            institution_id: insts[inst],
            steward_person_id: faculty.get(steward).copied(),
            description: "가명처리된 샘플 데이터 카탈로그 항목".into(),
            is_sample: true,
        };
        dataset_ids.push(r::create_dataset(db, &office, consortium_id, &input).await?.id);
    }
    let a1 = r::create_access_request(
        db,
        &prof,
        consortium_id,
        project_ids[0],
        dataset_ids[0],
        "면역치료 반응 예측 모델 학습 (샘플)",
        true,
        true,
        true,
    )
    .await?;
    r::transition_access(
        db,
        &office,
        a1.id,
        DataAccessAction::Approve { valid_until: today + Duration::days(200) },
        "",
    )
    .await?;
    let a2 = r::create_access_request(
        db,
        &prof,
        consortium_id,
        project_ids[2],
        dataset_ids[1],
        "패혈증 예측 모델 외부 검증 (샘플)",
        true,
        true,
        true,
    )
    .await?;
    r::transition_access(db, &office, a2.id, DataAccessAction::Approve { valid_until: today + Duration::days(10) }, "")
        .await?;
    r::create_access_request(
        db,
        &prof,
        consortium_id,
        project_ids[7],
        dataset_ids[3],
        "뇌졸중 예후 모델 개발 (샘플)",
        true,
        true,
        true,
    )
    .await?;
    r::create_access_request(
        db,
        &prof,
        consortium_id,
        project_ids[8],
        dataset_ids[2],
        "T세포 표적 재분석 (샘플)",
        true,
        false,
        true,
    )
    .await?;

    // The joint institute: 1,332 m² in seven rooms, allocated to groups.
    let rooms = [
        ("JRI-101", "공동연구실 A", "1F", "420"),
        ("JRI-102", "오가노이드 코어", "1F", "180"),
        ("JRI-201", "AI 컴퓨팅실", "2F", "120"),
        ("JRI-202", "세미나실", "2F", "150"),
        ("JRI-203", "동물실험 준비실", "2F", "140"),
        ("JRI-301", "연구지원 사무공간", "3F", "210"),
        ("JRI-302", "의사과학자 연구실", "3F", "112"),
    ];
    let mut room_ids = Vec::new();
    for (code, name, floor, m2) in rooms {
        let area = Area::parse_m2(m2).unwrap_or(Area(0));
        room_ids.push(
            r::create_room(db, &office, consortium_id, code, &format!("{name} (샘플)"), floor, area, true).await?.id,
        );
    }
    for (room, group, m2) in [
        (0, "면역항암 트랙", "180"),
        (0, "재생의학 트랙", "160"),
        (1, "재생의학 트랙", "150"),
        (2, "멀티모달 트랙", "100"),
        (5, "사업단 사무국", "120"),
        (6, "전담 의사과학자", "112"),
    ] {
        r::allocate(db, &office, room_ids[room], group, Area::parse_m2(m2).unwrap_or(Area(0))).await?;
    }
    let equipment = [
        ("EQ-CONF-01", "공초점 레이저 주사 현미경", 0usize),
        ("EQ-FACS-01", "유세포 분석기", 0),
        ("EQ-SC-01", "단일세포 시퀀싱 장비", 1),
        ("EQ-GPU-01", "GPU 서버 (8×H100)", 2),
        ("EQ-BIO-01", "3D 바이오프린터", 1),
    ];
    let mut eq_ids = Vec::new();
    for (code, name, room) in equipment {
        eq_ids.push(
            r::create_equipment(
                db,
                &office,
                consortium_id,
                code,
                &format!("{name} (샘플)"),
                Some(room_ids[room]),
                Some(insts[0]),
                "공동활용 장비 (샘플)",
                true,
            )
            .await?
            .id,
        );
    }
    let start = (today + Duration::days(1)).and_hms_opt(9, 0, 0).map(|t| t.and_utc()).unwrap_or_else(Utc::now);
    for (eq, day, hours, who) in
        [(0usize, 0i64, 3i64, &prof), (0, 0, 2, &clinician), (3, 0, 8, &prof), (1, 1, 4, &clinician), (2, 2, 6, &prof)]
    {
        let s = start + Duration::days(day) + Duration::hours(if who == &clinician && eq == 0 { 4 } else { 0 });
        r::book(db, who, eq_ids[eq], s, s + Duration::hours(hours), "샘플 예약").await?;
    }
    r::sweep(db, today).await?;
    Ok(())
}
