//! A MIRACLE-like sample report (SAMPLE DATA) for tests, examples and demos.
//!
//! Real: the consortium, its institutions, period (2026–2030), total budget (194억 원, of which
//! 166억 원 government funding) and the five-year targets (150 talents, 16 joint courses,
//! 80 collaborative projects, 30 SCI papers, 22 patent applications, 8 registrations).
//! Sample: every yearly figure, person, project, paper, patent, transfer and budget line.

use chrono::{DateTime, NaiveDate};

use crate::model::*;

fn date(y: i32, m: u32, d: u32) -> Cell {
    Cell::Date(NaiveDate::from_ymd_opt(y, m, d).expect("valid sample date"))
}

fn points(targets: [i64; 5], values: &[i64]) -> Vec<YearPoint> {
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| YearPoint { year: 2026 + i as i32, target: Some(*t), value: values.get(i).copied() })
        .collect()
}

/// A KPI over 2026–2030 reported for 2027 (the second program year).
fn kpi(code: &str, name: Text, unit: Unit, targets: [i64; 5], values: [i64; 2], rule: Text) -> KpiLine {
    KpiLine {
        code: code.into(),
        name,
        unit,
        target_total: Some(targets.iter().sum()),
        target_year: Some(targets[1]),
        value_year: values[1],
        cumulative: values.iter().sum(),
        by_year: points(targets, &values),
        counting_rule: Some(rule),
    }
}

/// A KPI reported without a target (informational line).
fn info_kpi(code: &str, name: Text, unit: Unit, value_year: i64, cumulative: i64) -> KpiLine {
    KpiLine {
        code: code.into(),
        name,
        unit,
        target_total: None,
        target_year: None,
        value_year,
        cumulative,
        by_year: Vec::new(),
        counting_rule: None,
    }
}

const TRACKS: [(&str, &str); 3] =
    [("면역항암", "Immuno-oncology"), ("재생의학", "Regenerative medicine"), ("멀티모달 의학", "Multimodal medicine")];

fn track(i: usize) -> Cell {
    let (ko, en) = TRACKS[i % TRACKS.len()];
    Cell::label(ko, en)
}

fn institutions() -> [Text; 4] {
    [
        Text::new("광주과학기술원", "GIST"),
        Text::new("전남대 의과대학", "CNU College of Medicine"),
        Text::new("전남대학교병원", "CNU Hospital"),
        Text::new("화순전남대학교병원", "Hwasun CNU Hospital"),
    ]
}

fn papers() -> Section {
    let mut s = Section::new(Category::Papers);
    s.kpis.push(kpi(
        "PA-1",
        Text::new("SCI(E)급 논문", "SCI-level papers"),
        Unit::count("편", "papers"),
        [2, 5, 7, 8, 8],
        [3, 5],
        Text::new(
            "게재 연도에 SCIE 등재 학술지, 컨소시엄 소속 저자 포함, 과제 사사 표기",
            "Journal SCIE-listed in the publication year, a consortium author, grant acknowledged",
        ),
    ));
    let mut t = EvidenceTable::new(
        "papers",
        Text::new("SCI(E)급 논문 목록", "SCI-level papers"),
        vec![
            Column::new("title", "논문명", "Title"),
            Column::new("journal", "학술지", "Journal"),
            Column::new("published", "게재일", "Published"),
            Column::new("doi", "DOI", "DOI"),
            Column::new("role", "저자 역할", "Author role"),
            Column::new("track", "트랙", "Track"),
        ],
    );
    let rows = [
        (
            "[Sample] Multi-omics signatures of response to immune checkpoint blockade in hepatocellular carcinoma",
            "Sample Journal of Hepatology",
            (2027, 3, 14),
            ("교신저자", "Corresponding"),
            0,
        ),
        (
            "[Sample] Deep learning on pathology slides predicts tumour-infiltrating lymphocytes",
            "Sample Modern Pathology",
            (2027, 5, 2),
            ("제1저자", "First"),
            2,
        ),
        (
            "[Sample] Engineered hydrogel scaffolds for cardiac tissue regeneration after infarction",
            "Sample Biomaterials",
            (2027, 6, 21),
            ("교신저자", "Corresponding"),
            1,
        ),
        (
            "[Sample] A multimodal foundation model of ECG, imaging and EHR for early sepsis detection",
            "Sample npj Digital Medicine",
            (2027, 9, 8),
            ("제1저자", "First"),
            2,
        ),
        (
            "[Sample] Single-cell atlas of tertiary lymphoid structures in gastric cancer",
            "Sample Cancer Immunology Research",
            (2027, 11, 30),
            ("참여저자", "Contributing"),
            0,
        ),
    ];
    for (i, (title, journal, (y, m, d), (role_ko, role_en), tr)) in rows.into_iter().enumerate() {
        t.rows.push(vec![
            Cell::text(title),
            Cell::text(journal),
            date(y, m, d),
            Cell::text(format!("10.0000/sample.{y}.{:03}", i + 1)),
            Cell::label(role_ko, role_en),
            track(tr),
        ]);
    }
    s.evidence.push(t);
    s
}

fn patents() -> Section {
    let mut s = Section::new(Category::Patents);
    s.kpis.push(kpi(
        "PT-1",
        Text::new("특허 출원", "Patent applications"),
        Unit::count("건", "applications"),
        [2, 4, 5, 6, 5],
        [2, 4],
        Text::new("출원일이 해당 연도인 국내·해외 출원", "Domestic and foreign applications filed in the year"),
    ));
    s.kpis.push(kpi(
        "PT-2",
        Text::new("특허 등록", "Patent registrations"),
        Unit::count("건", "registrations"),
        [0, 1, 2, 2, 3],
        [0, 1],
        Text::new("등록일이 해당 연도인 특허", "Patents registered (granted) in the year"),
    ));
    let mut apps = EvidenceTable::new(
        "patent_applications",
        Text::new("특허 출원 목록", "Patent applications (filed)"),
        vec![
            Column::new("application_no", "출원번호", "Application no."),
            Column::new("title", "발명의 명칭", "Title"),
            Column::new("filed", "출원일", "Filed"),
            Column::new("jurisdiction", "국가", "Jurisdiction"),
            Column::new("applicant", "출원인", "Applicant"),
        ],
    );
    let rows = [
        ("10-2027-0031245", "[예시] 면역관문억제제 반응 예측용 바이오마커 조성물", (2027, 2, 17), "KR", 0),
        ("10-2027-0078810", "[예시] 다중 모달 의료 데이터 기반 패혈증 조기 예측 방법", (2027, 5, 29), "KR", 0),
        ("PCT/KR2027/009912", "[예시] 심근 재생용 하이드로젤 지지체", (2027, 8, 11), "PCT", 3),
        ("10-2027-0140033", "[예시] 병리 영상 기반 종양침윤 림프구 정량 장치", (2027, 10, 6), "KR", 1),
    ];
    for (no, title, (y, m, d), juris, inst) in rows {
        let applicant = &institutions()[inst];
        apps.rows.push(vec![
            Cell::text(no),
            Cell::text(title),
            date(y, m, d),
            Cell::text(juris),
            Cell::Label(applicant.clone()),
        ]);
    }
    let mut regs = EvidenceTable::new(
        "patent_registrations",
        Text::new("특허 등록 목록", "Patent registrations (granted)"),
        vec![
            Column::new("registration_no", "등록번호", "Registration no."),
            Column::new("title", "발명의 명칭", "Title"),
            Column::new("application_no", "출원번호", "Application no."),
            Column::new("registered", "등록일", "Registered"),
            Column::new("owner", "권리자", "Owner"),
        ],
    );
    regs.rows.push(vec![
        Cell::text("10-2812345"),
        Cell::text("[예시] 액체생검 기반 간암 재발 예측 키트"),
        Cell::text("10-2026-0045678"),
        date(2027, 12, 3),
        Cell::Label(institutions()[0].clone()),
    ]);
    s.evidence.push(apps);
    s.evidence.push(regs);
    s
}

fn commercialization() -> Section {
    let mut s = Section::new(Category::Commercialization);
    let fees = [30_000_000i64, 15_000_000];
    s.kpis.push(info_kpi("CM-1", Text::new("기술이전", "Technology transfers"), Unit::count("건", "transfers"), 2, 2));
    s.kpis.push(info_kpi(
        "CM-2",
        Text::new("기술료 수입", "Technology fees received"),
        Unit::Krw,
        fees.iter().sum(),
        fees.iter().sum(),
    ));
    s.kpis.push(info_kpi("CM-3", Text::new("창업", "Startups"), Unit::count("개", "startups"), 1, 1));
    let mut transfers = EvidenceTable::new(
        "technology_transfers",
        Text::new("기술이전 목록", "Technology transfers"),
        vec![
            Column::new("technology", "기술명", "Technology"),
            Column::new("licensee", "실시권자", "Licensee"),
            Column::new("contract_date", "계약일", "Contract date"),
            Column::new("upfront_fee_krw", "선급 기술료 (원)", "Upfront fee (KRW)"),
            Column::new("running_royalty", "경상 기술료", "Running royalty"),
        ],
    );
    transfers.rows.push(vec![
        Cell::text("[예시] 면역관문억제제 반응 예측 바이오마커"),
        Cell::text("(주)샘플바이오 [예시]"),
        date(2027, 7, 20),
        Cell::Krw(fees[0]),
        Cell::label("순매출의 2%", "2% of net sales"),
    ]);
    transfers.rows.push(vec![
        Cell::text("[예시] 병리 영상 TIL 정량 소프트웨어"),
        Cell::text("샘플메디칼 주식회사 [예시]"),
        date(2027, 11, 14),
        Cell::Krw(fees[1]),
        Cell::label("없음", "none"),
    ]);
    let mut startups = EvidenceTable::new(
        "startups",
        Text::new("창업 목록", "Startups"),
        vec![
            Column::new("name", "기업명", "Company"),
            Column::new("founded", "설립일", "Founded"),
            Column::new("institution", "기반 기관", "Institution"),
            Column::new("technology", "기반 기술", "Technology"),
            Column::new("capital_krw", "자본금 (원)", "Capital (KRW)"),
        ],
    );
    startups.rows.push(vec![
        Cell::text("(주)샘플멀티모달 [예시]"),
        date(2027, 9, 1),
        Cell::Label(institutions()[0].clone()),
        Cell::text("[예시] 다중 모달 패혈증 조기 예측"),
        Cell::Krw(100_000_000),
    ]);
    s.evidence.push(transfers);
    s.evidence.push(startups);
    s
}

fn human_resources() -> Section {
    let mut s = Section::new(Category::HumanResources);
    s.kpis.push(kpi(
        "HR-1",
        Text::new("융합인재 양성", "Convergence talents trained"),
        Unit::count("명", "persons"),
        [20, 30, 30, 35, 35],
        [18, 27],
        Text::new(
            "과정·트랙을 이수했거나 공동교과목 9학점 이상을 이수한 컨소시엄 교육생",
            "Consortium trainees who completed a program or track, or 9+ joint-course credits",
        ),
    ));
    s.kpis.push(kpi(
        "HR-2",
        Text::new("공동교과목 개발", "Joint courses developed"),
        Unit::count("개", "courses"),
        [4, 4, 3, 3, 2],
        [3, 4],
        Text::new("해당 연도에 처음 개설된 기관 간 공동교과목", "Joint courses first offered in the year"),
    ));
    let statuses = vec![
        Text::new("재학", "Enrolled"),
        Text::new("휴학", "On leave"),
        Text::new("졸업", "Graduated"),
        Text::new("중도 탈락", "Withdrawn"),
    ];
    s.breakdowns.push(Breakdown {
        key: "trainees_by_track_status".into(),
        title: Text::new("트랙·학적 상태별 교육생", "Trainees by track and status"),
        row_header: Text::new("트랙", "Track"),
        rows: TRACKS.iter().map(|(ko, en)| Text::new(*ko, *en)).collect(),
        columns: statuses,
        counts: vec![vec![16, 1, 3, 1], vec![11, 1, 2, 0], vec![19, 0, 4, 1]],
    });
    s.breakdowns.push(Breakdown {
        key: "trainees_by_program_track".into(),
        title: Text::new("과정·트랙별 교육생", "Trainees by program and track"),
        row_header: Text::new("과정", "Program"),
        rows: vec![
            Text::new("MD-PhD", "MD-PhD"),
            Text::new("박사과정", "PhD"),
            Text::new("전공의", "Residents"),
            Text::new("의과대학생", "Medical students"),
            Text::new("박사후연구원", "Postdocs"),
        ],
        columns: TRACKS.iter().map(|(ko, en)| Text::new(*ko, *en)).collect(),
        counts: vec![vec![4, 2, 3], vec![7, 5, 9], vec![5, 3, 4], vec![3, 2, 6], vec![2, 2, 2]],
    });
    // HR-1 evidence: the 27 talents counted in 2027 (pseudonymised sample IDs).
    let mut talents = EvidenceTable::new(
        "talents",
        Text::new("융합인재 양성 실적", "Convergence talents counted"),
        vec![
            Column::new("trainee", "교육생 (가명)", "Trainee (pseudonym)"),
            Column::new("program", "과정", "Program"),
            Column::new("track", "트랙", "Track"),
            Column::new("institution", "소속", "Institution"),
            Column::new("basis", "인정 근거", "Basis"),
            Column::new("credits", "공동교과목 학점", "Joint-course credits"),
            Column::new("date", "인정일", "Counted on"),
        ],
    );
    let programs =
        [("MD-PhD", "MD-PhD"), ("박사과정", "PhD"), ("전공의", "Resident"), ("의과대학생", "Medical student")];
    for i in 0..27usize {
        let (pk, pe) = programs[i % programs.len()];
        let (basis, credits) = if i % 5 == 0 {
            (Cell::label("트랙 이수", "Track completed"), 12)
        } else {
            (Cell::label("공동교과목 9학점 이상", "9+ joint-course credits"), 9 + (i % 4) as i64)
        };
        talents.rows.push(vec![
            Cell::text(format!("S-2027-{:03}", i + 1)),
            Cell::label(pk, pe),
            track(i),
            Cell::Label(institutions()[if i % 3 == 0 { 0 } else { 1 }].clone()),
            basis,
            Cell::Int(credits),
            date(2027, if i < 14 { 8 } else { 12 }, 20 + (i % 8) as u32),
        ]);
    }
    let mut courses = EvidenceTable::new(
        "joint_courses",
        Text::new("공동교과목 개발 실적", "Joint courses developed"),
        vec![
            Column::new("code", "교과목 번호", "Code"),
            Column::new("name", "교과목명", "Course"),
            Column::new("owner", "개설 기관", "Owning institution"),
            Column::new("credits", "학점", "Credits"),
            Column::new("language", "강의 언어", "Language"),
            Column::new("first_offered", "첫 개설", "First offered"),
        ],
    );
    let rows = [
        ("MST5101", ("의료 인공지능 실습", "Hands-on medical AI"), 0, 3, ("영어", "English"), "2027-1"),
        ("MST5102", ("임상 병태생리학", "Clinical pathophysiology"), 1, 3, ("한국어", "Korean"), "2027-1"),
        ("MST5203", ("멀티오믹스 데이터 분석", "Multi-omics data analysis"), 0, 3, ("영어", "English"), "2027-2"),
        (
            "MST5204",
            ("재생의학 중개연구 세미나", "Translational regenerative medicine seminar"),
            3,
            2,
            ("한국어", "Korean"),
            "2027-2",
        ),
    ];
    for (code, (ko, en), inst, credits, (lk, le), term) in rows {
        courses.rows.push(vec![
            Cell::text(code),
            Cell::label(ko, en),
            Cell::Label(institutions()[inst].clone()),
            Cell::Int(credits),
            Cell::label(lk, le),
            Cell::text(term),
        ]);
    }
    let mut graduates = EvidenceTable::new(
        "graduates",
        Text::new("졸업생", "Graduates"),
        vec![
            Column::new("trainee", "교육생 (가명)", "Trainee (pseudonym)"),
            Column::new("degree", "학위", "Degree"),
            Column::new("track", "트랙", "Track"),
            Column::new("graduated", "졸업일", "Graduated"),
            Column::new("position", "첫 진로", "First position"),
        ],
    );
    let positions = [
        ("대학 교원", "University faculty"),
        ("병원 의사과학자", "Hospital physician-scientist"),
        ("기업 연구소", "Industry R&D"),
        ("박사후연구원", "Postdoc"),
    ];
    // 3 + 2 + 4 graduates by track, as in the breakdown.
    for (i, tr) in [0usize, 0, 0, 1, 1, 2, 2, 2, 2].into_iter().enumerate() {
        let (ko, en) = positions[i % positions.len()];
        graduates.rows.push(vec![
            Cell::text(format!("G-2027-{:03}", i + 1)),
            if i % 3 == 0 { Cell::label("MD-PhD", "MD-PhD") } else { Cell::label("박사", "PhD") },
            track(tr),
            date(2027, if i % 2 == 0 { 2 } else { 8 }, 25),
            Cell::label(ko, en),
        ]);
    }
    s.evidence.push(talents);
    s.evidence.push(courses);
    s.evidence.push(graduates);
    s
}

fn research() -> Section {
    let mut s = Section::new(Category::Research);
    s.kpis.push(kpi(
        "RS-1",
        Text::new("공동연구과제 수행", "Collaborative research projects"),
        Unit::count("건", "projects"),
        [10, 15, 20, 20, 15],
        [12, 17],
        Text::new(
            "임상의·과학자가 함께 참여하고 해당 연도에 착수된 승인 과제",
            "Approved projects with clinician and scientist members, started in the year",
        ),
    ));
    let mut t = EvidenceTable::new(
        "projects",
        Text::new("공동연구과제 (당해 착수)", "Collaborative projects started in the year"),
        vec![
            Column::new("code", "과제 번호", "Code"),
            Column::new("title", "과제명", "Title"),
            Column::new("track", "트랙", "Track"),
            Column::new("stage", "단계", "Stage"),
            Column::new("clinical_lead", "임상 책임 기관", "Clinical lead"),
            Column::new("science_lead", "과학 책임 기관", "Science lead"),
            Column::new("started", "착수일", "Started"),
        ],
    );
    let titles = [
        "간세포암 면역치료 반응 예측 멀티오믹스",
        "위암 삼차 림프구조 단일세포 분석",
        "폐암 액체생검 조기진단 AI",
        "CAR-T 세포 독성 예측 모델",
        "종양미세환경 공간전사체 지도",
        "심근경색 후 하이드로젤 재생 치료",
        "연골 재생 오가노이드 플랫폼",
        "줄기세포 유래 간 오가노이드 독성 평가",
        "척수손상 신경재생 스캐폴드",
        "당뇨발 창상 치유 바이오잉크",
        "ECG·영상·EHR 통합 패혈증 조기 경보",
        "뇌졸중 예후 예측 멀티모달 모델",
        "병리 영상 기반 림프구 정량",
        "중환자실 생체신호 이상 탐지",
        "의료 영상 자기지도학습 기반 모델",
        "유전체·임상 데이터 연계 희귀질환 진단",
        "웨어러블 기반 심부전 악화 예측",
    ];
    let stages = [("기초", "Basic"), ("전임상", "Preclinical"), ("임상 검증", "Clinical validation")];
    let clinical = [1usize, 2, 3];
    for (i, title) in titles.iter().enumerate() {
        let tr = i * 3 / titles.len();
        let (sk, se) = stages[i % stages.len()];
        t.rows.push(vec![
            Cell::text(format!("MRC-2027-{:02}", i + 1)),
            Cell::text(format!("[예시] {title}")),
            track(tr),
            Cell::label(sk, se),
            Cell::Label(institutions()[clinical[i % clinical.len()]].clone()),
            Cell::Label(institutions()[0].clone()),
            date(2027, 3 + (i % 9) as u32, 1),
        ]);
    }
    s.evidence.push(t);
    s
}

/// Budget lines of 2027 in million won: (institution, source, category, budget, executed).
/// The year holds 3,880 (= 19,400 / 5): 3,320 government funding (GIST 1,320) + 560 matching.
const BUDGET_2027: [(usize, FundingSource, CostCategory, i64, i64); 21] = {
    use CostCategory::*;
    use FundingSource::*;
    [
        (0, Msit, Personnel, 400, 392),
        (0, Msit, StudentPersonnel, 380, 371),
        (0, Msit, ResearchActivity, 220, 188),
        (0, Msit, ResearchMaterials, 180, 161),
        (0, Msit, Indirect, 140, 140),
        (0, Matching, FacilitiesEquipment, 200, 152),
        (1, Mohw, Personnel, 300, 296),
        (1, Mohw, StudentPersonnel, 250, 233),
        (1, Mohw, ResearchActivity, 150, 121),
        (1, Mohw, ResearchMaterials, 100, 84),
        (1, Mohw, Indirect, 100, 100),
        (1, Msit, StudentSupport, 340, 305),
        (1, Matching, ResearchActivity, 120, 97),
        (2, Mohw, Personnel, 200, 188),
        (2, Mohw, ResearchMaterials, 120, 96),
        (2, Mohw, Indirect, 80, 80),
        (2, Matching, FacilitiesEquipment, 100, 71),
        (3, Mohw, FacilitiesEquipment, 260, 214),
        (3, Mohw, ResearchMaterials, 60, 47),
        (3, Mohw, Indirect, 40, 40),
        (3, Matching, FacilitiesEquipment, 140, 118),
    ]
};

const TOTAL_BUDGET: i64 = 19_400_000_000;
const EXECUTED_2026: i64 = 3_702_000_000;

fn budget_lines() -> Vec<BudgetLine> {
    BUDGET_2027
        .iter()
        .map(|&(inst, source, category, budget, executed)| BudgetLine {
            institution: institutions()[inst].clone(),
            source,
            category,
            budget_krw: budget * 1_000_000,
            executed_krw: executed * 1_000_000,
        })
        .collect()
}

fn budget(lines: &[BudgetLine]) -> Section {
    let mut s = Section::new(Category::Budget);
    let year_budget: i64 = lines.iter().map(|l| l.budget_krw).sum();
    let executed: i64 = lines.iter().map(|l| l.executed_krw).sum();
    let per_year = TOTAL_BUDGET / 5;
    s.kpis.push(KpiLine {
        code: "BG-1".into(),
        name: Text::new("사업비 집행액", "Program budget executed"),
        unit: Unit::Krw,
        target_total: Some(TOTAL_BUDGET),
        target_year: Some(year_budget),
        value_year: executed,
        cumulative: EXECUTED_2026 + executed,
        by_year: (0..5)
            .map(|i| YearPoint {
                year: 2026 + i,
                target: Some(per_year),
                value: match i {
                    0 => Some(EXECUTED_2026),
                    1 => Some(executed),
                    _ => None,
                },
            })
            .collect(),
        counting_rule: Some(Text::new(
            "증빙이 등록된 집행 건의 합계 (정부출연금 + 대응자금)",
            "Sum of expenditures with evidence (government funding + matching funds)",
        )),
    });
    s.notes.push(Text::new(
        "총사업비 194억 원 중 정부출연금 166억 원; GIST 정부출연금 66억 원(약 40%).",
        "Total budget KRW 19.4 bn, of which KRW 16.6 bn government funding; GIST receives KRW 6.6 bn (about 40%).",
    ));
    s
}

/// A MIRACLE-like report for program year 2027 (2차년도). **Sample data**: `sample_data` is set
/// and every renderer says so; see the module docs for what is real.
pub fn sample_report() -> AnnualReport {
    let lines = budget_lines();
    AnnualReport {
        program: Text::new(
            "K-MediST 의사과학자 양성사업 (과기정통부·복지부)",
            "K-MediST physician-scientist training program (MSIT, MOHW)",
        ),
        consortium: Text::new("MIRACLE 컨소시엄", "MIRACLE consortium"),
        institutions: vec![
            Text::new("광주과학기술원 (GIST)", "Gwangju Institute of Science and Technology (GIST)"),
            Text::new("전남대학교 의과대학", "Chonnam National University College of Medicine"),
            Text::new("전남대학교병원", "Chonnam National University Hospital"),
            Text::new("화순전남대학교병원", "Hwasun Chonnam National University Hospital"),
        ],
        program_year: 2027,
        period: FundedPeriod::new(2026, 2030),
        total_budget_krw: Some(TOTAL_BUDGET),
        generated_at: DateTime::parse_from_rfc3339("2028-02-15T10:00:00+09:00").expect("valid sample timestamp"),
        sample_data: true,
        sections: vec![papers(), patents(), commercialization(), human_resources(), research(), budget(&lines)],
        budget: lines,
        pipeline: vec![
            PipelineStage {
                key: "needs".into(),
                label: Text::new("미충족 임상수요", "Unmet clinical needs"),
                count: 64,
            },
            PipelineStage { key: "projects".into(), label: Text::new("공동연구과제", "Projects"), count: 29 },
            PipelineStage {
                key: "inventions".into(),
                label: Text::new("발명신고", "Invention disclosures"),
                count: 11,
            },
            PipelineStage { key: "applications".into(), label: Text::new("특허 출원", "Applications"), count: 6 },
            PipelineStage { key: "registrations".into(), label: Text::new("특허 등록", "Registrations"), count: 1 },
            PipelineStage {
                key: "transfers_startups".into(),
                label: Text::new("기술이전·창업", "Transfers & startups"),
                count: 3,
            },
        ],
    }
}
