//! The MIRACLE demo: the real program, ministries, consortium and institutions of the K-MediST
//! press release (`shared/seed/`), with sample people and demo accounts clearly marked as samples.

use chrono::NaiveDate;
use medist_core::access::Role;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, Set};
use serde::Serialize;
use serde_json::json;

use crate::accounts::{hash_password, random_password};
use crate::audit::record;
use crate::entities::{
    app_user, appointment, budget_constraint, budget_line, consortium, course, course_equivalence, degree_program,
    enrollment, expenditure, institution, kpi, milestone, ministry, person, program, role_grant, trainee, unit,
};
use crate::{Db, StoreError, Who, now};
use medist_funding::ledger::Category;

pub const DEMO_DOMAIN: &str = "miracle.example";

#[derive(Debug, Clone, Serialize)]
pub struct DemoAccount {
    pub login: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub consortium_id: i64,
    pub institutions: usize,
    pub people: usize,
    pub accounts: Vec<DemoAccount>,
    /// The one password of every demo account, random, shown once.
    #[serde(skip_serializing)]
    pub demo_password: String,
}

/// Sample dedicated faculty: (Hangul name, romanized name, institution index, physician-scientist?).
const FACULTY: [(&str, &str, usize, bool); 18] = [
    ("박서준", "Seojun Park", 1, true),
    ("이하은", "Haeun Lee", 2, true),
    ("최민호", "Minho Choi", 3, true),
    ("정유진", "Yujin Jung", 2, true),
    ("강도윤", "Doyun Kang", 3, true),
    ("조수아", "Sua Cho", 1, true),
    ("윤지호", "Jiho Yoon", 0, false),
    ("장예린", "Yerin Jang", 0, false),
    ("임준서", "Junseo Lim", 0, false),
    ("한소율", "Soyul Han", 0, false),
    ("오시우", "Siwoo Oh", 0, false),
    ("서지안", "Jian Seo", 0, false),
    ("신하준", "Hajun Shin", 0, false),
    ("권나은", "Naeun Kwon", 0, false),
    ("황도현", "Dohyun Hwang", 3, false),
    ("안채원", "Chaewon Ahn", 3, false),
    ("송우진", "Woojin Song", 1, false),
    ("류다인", "Dain Ryu", 2, false),
];

async fn audit_created<T: Serialize>(
    txn: &DatabaseTransaction,
    who: &Who,
    entity: &str,
    id: i64,
    m: &T,
) -> Result<(), StoreError> {
    record(txn, who, "create", entity, id, None, serde_json::to_value(m).ok()).await?;
    Ok(())
}

/// Loads the demo into an empty database, all in one transaction.
pub async fn load(db: &Db, who: &Who) -> Result<DemoSummary, StoreError> {
    if program::Entity::find().count(&db.conn).await? > 0 {
        return Err(StoreError::Conflict { code: "demo-needs-empty-database", field: None });
    }
    let demo_password = random_password();
    let pw = demo_password.clone();
    let demo_hash = tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|e| StoreError::Config(format!("password hashing task failed: {e}")))??;
    let txn = db.write().await?;
    let t = now();

    let prog = program::ActiveModel {
        code: Set("K-MediST".into()),
        name_ko: Set("K-MediST 의사과학자 양성사업".into()),
        name_en: Set("K-MediST (Korea Medical Science & Technology)".into()),
        description_ko: Set("과학기술정보통신부와 보건복지부가 공동 지원하는 한국형 의사과학자·의과학자 융합인재 양성사업. 전국 공모로 컨소시엄을 선정한다.".into()),
        description_en: Set("Physician-scientist training program jointly funded by the Ministry of Science and ICT and the Ministry of Health and Welfare; consortia are chosen by nationwide open call.".into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_created(&txn, who, "program", prog.id, &prog).await?;
    for (code, ko, en) in [
        ("MSIT", "과학기술정보통신부", "Ministry of Science and ICT"),
        ("MOHW", "보건복지부", "Ministry of Health and Welfare"),
    ] {
        let m = ministry::ActiveModel {
            program_id: Set(prog.id),
            code: Set(code.into()),
            name_ko: Set(ko.into()),
            name_en: Set(en.into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit_created(&txn, who, "ministry", m.id, &m).await?;
    }
    let cons = consortium::ActiveModel {
        program_id: Set(prog.id),
        code: Set("MIRACLE".into()),
        name_ko: Set("MIRACLE 컨소시엄".into()),
        name_en: Set("MIRACLE consortium".into()),
        full_name_en: Set(
            "Medicine-Engineering Innovation and Rendezvous for Advanced Convergence and Leader Education".into(),
        ),
        period_start_year: Set(2026),
        period_end_year: Set(2030),
        director_person_id: Set(None),
        budget_total_krw: Set(19_400_000_000),
        government_funding_krw: Set(16_600_000_000),
        is_sample: Set(false),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;

    let mut insts = Vec::new();
    for (ko, en, short, kind, code) in [
        ("광주과학기술원", "Gwangju Institute of Science and Technology", "GIST", "university", "GIST"),
        (
            "전남대학교 의과대학",
            "Chonnam National University College of Medicine",
            "CNU Medicine",
            "medical_school",
            "CNU_MED",
        ),
        ("전남대학교병원", "Chonnam National University Hospital", "CNUH", "hospital", "CNUH"),
        ("화순전남대학교병원", "Hwasun Chonnam National University Hospital", "Hwasun CNUH", "hospital", "CNUHH"),
    ] {
        let m = institution::ActiveModel {
            code: Set(code.into()),
            consortium_id: Set(cons.id),
            name_ko: Set(ko.into()),
            name_en: Set(en.into()),
            short_name: Set(short.into()),
            kind: Set(kind.into()),
            is_sample: Set(false),
            archived_at: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit_created(&txn, who, "institution", m.id, &m).await?;
        insts.push(m);
    }
    let mut units = Vec::new();
    for (inst, ko, en, kind) in [
        (0usize, "의생명공학과", "Department of Biomedical Science and Engineering", "department"),
        (0, "기술사업화센터", "Technology Commercialization Center", "center"),
        (3, "미래의료혁신센터", "Future Medical Innovation Center", "center"),
        (3, "MIRACLE 공동연구소", "MIRACLE Joint Research Institute", "institute"),
    ] {
        let m = unit::ActiveModel {
            institution_id: Set(insts[inst].id),
            name_ko: Set(ko.into()),
            name_en: Set(en.into()),
            kind: Set(kind.into()),
            is_sample: Set(false),
            archived_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit_created(&txn, who, "unit", m.id, &m).await?;
        units.push(m);
    }

    let new_person =
        |name_ko: &str, name_en: &str, email: String, inst: i64, unit: Option<i64>, sample: bool| person::ActiveModel {
            name_ko: Set(name_ko.into()),
            name_en: Set(name_en.into()),
            email: Set(email),
            orcid: Set(None),
            institution_id: Set(inst),
            unit_id: Set(unit),
            is_sample: Set(sample),
            archived_at: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        };
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a valid date");
    // The director is named in the press release; his contact details here are placeholders.
    let director =
        new_person("김태", "Tae Kim", format!("director@{DEMO_DOMAIN}"), insts[0].id, Some(units[0].id), false)
            .insert(&txn)
            .await?;
    audit_created(&txn, who, "person", director.id, &director).await?;
    let appt = appointment::ActiveModel {
        person_id: Set(director.id),
        role: Set("director".into()),
        faculty_category: Set(None),
        dedicated: Set(false),
        fte_percent: Set(50),
        start_date: Set(start),
        end_date: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit_created(&txn, who, "appointment", appt.id, &appt).await?;
    let mut cons_am: consortium::ActiveModel = cons.clone().into();
    cons_am.director_person_id = Set(Some(director.id));
    let cons = cons_am.update(&txn).await?;
    audit_created(&txn, who, "consortium", cons.id, &cons).await?;

    let mut faculty_ids = Vec::new();
    for (i, (ko, en, inst, ps)) in FACULTY.iter().enumerate() {
        let unit = if *inst == 0 {
            Some(units[0].id)
        } else if *inst == 3 {
            Some(units[3].id)
        } else {
            None
        };
        let email = format!("faculty{:02}.sample@{DEMO_DOMAIN}", i + 1);
        let p = new_person(ko, en, email, insts[*inst].id, unit, true).insert(&txn).await?;
        audit_created(&txn, who, "person", p.id, &p).await?;
        let a = appointment::ActiveModel {
            person_id: Set(p.id),
            role: Set(if *ps { "clinical_professor" } else { "research_professor" }.into()),
            faculty_category: Set(Some(if *ps { "physician_scientist" } else { "medical_scientist" }.into())),
            dedicated: Set(true),
            fte_percent: Set(100),
            start_date: Set(start),
            end_date: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit_created(&txn, who, "appointment", a.id, &a).await?;
        faculty_ids.push(p.id);
    }

    // The budget: an illustrative split (sample) that respects the seed totals exactly, the seed's
    // constraints as checks, and some sample expenditures in the first program year.
    let inst_ids = [insts[0].id, insts[1].id, insts[2].id, insts[3].id];
    let lines = medist_funding::split::miracle_demo_lines(inst_ids, 2026, 5);
    for l in &lines {
        let m = budget_line::ActiveModel {
            consortium_id: Set(cons.id),
            source: Set(l.source.code().into()),
            institution_id: Set(l.institution_id),
            year: Set(l.year),
            category: Set(l.category.code().into()),
            original_krw: Set(l.original.0),
            closed: Set(false),
            note: Set("샘플 배분 (illustrative split)".into()),
            is_sample: Set(true),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit_created(&txn, who, "budget_line", m.id, &m).await?;
        let share = match l.category {
            Category::Personnel => 45,
            Category::StudentPersonnel => 50,
            Category::ResearchActivity => 30,
            Category::ResearchMaterials => 20,
            _ => 0,
        };
        if l.year == 2026 && share > 0 {
            let e = expenditure::ActiveModel {
                line_id: Set(m.id),
                date: Set(NaiveDate::from_ymd_opt(2026, 6, 30).expect("a valid date")),
                amount_krw: Set(l.original.0 * share / 100),
                description: Set("샘플 집행 (sample expenditure)".into()),
                evidence: Set(format!("SAMPLE-2026-{:04}", m.id)),
                is_sample: Set(true),
                created_by: Set(who.label.clone()),
                created_at: Set(t),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit_created(&txn, who, "expenditure", e.id, &e).await?;
        }
    }
    for c in medist_funding::constraints::miracle_constraints(insts[0].id) {
        let m = budget_constraint::ActiveModel {
            consortium_id: Set(cons.id),
            code: Set(c.code.clone()),
            name_ko: Set(c.name_ko.clone()),
            name_en: Set(c.name_en.clone()),
            definition: Set(serde_json::to_string(&c.check).map_err(|e| StoreError::Config(e.to_string()))?),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit_created(&txn, who, "budget_constraint", m.id, &m).await?;
    }

    let trainee_people = education(&txn, who, cons.id, &insts, &faculty_ids, t).await?;
    roadmap(&txn, who, cons.id, t).await?;
    for (code, ko, en, unit, target, rule) in crate::kpi::miracle_kpis() {
        let m = kpi::ActiveModel {
            consortium_id: Set(cons.id),
            code: Set(code.into()),
            name_ko: Set(ko.into()),
            name_en: Set(en.into()),
            unit: Set(unit.into()),
            target: Set(target),
            start_year: Set(2026),
            end_year: Set(2030),
            rule_text: Set(rule.into()),
            version: Set(1),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit_created(&txn, who, "kpi", m.id, &m).await?;
    }

    // Demo accounts, one per role, all with one random password shown once.
    let mut accounts = Vec::new();
    type DemoRole<'a> = (&'a str, &'a str, Role, Option<i64>, Option<i64>);
    let roles: [DemoRole; 9] = [
        ("office", "사업단 담당자 (샘플)", Role::ProgramOffice, None, None),
        ("coordinator.gist", "GIST 기관 담당자 (샘플)", Role::InstitutionCoordinator, Some(insts[0].id), None),
        ("coordinator.cnuh", "전남대병원 기관 담당자 (샘플)", Role::InstitutionCoordinator, Some(insts[2].id), None),
        ("faculty", "박서준 (샘플)", Role::Faculty, None, Some(faculty_ids[0])),
        ("trainee", "교육생 (샘플)", Role::Trainee, None, Some(trainee_people[0])),
        ("clinician", "임상의 (샘플)", Role::Clinician, None, Some(faculty_ids[1])),
        ("tto", "기술사업화 담당자 (샘플)", Role::CommercializationStaff, None, None),
        ("reviewer", "평가위원 (샘플)", Role::Reviewer, None, None),
        ("director", "김태 (사업단장)", Role::ProgramOffice, None, Some(director.id)),
    ];
    for (local, name, role, inst, person_id) in roles {
        let login = format!("{local}@{DEMO_DOMAIN}");
        let u = app_user::ActiveModel {
            login: Set(login.clone()),
            display_name: Set(name.into()),
            password_hash: Set(demo_hash.clone()),
            person_id: Set(person_id),
            locale: Set("ko".into()),
            disabled: Set(false),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(&txn, who, "create", "user", u.id, None, Some(json!({"login": login, "display_name": name}))).await?;
        let g = role_grant::ActiveModel {
            user_id: Set(u.id),
            role: Set(role.as_str().into()),
            consortium_id: Set(Some(cons.id)),
            institution_id: Set(inst),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            who,
            "grant",
            "user",
            u.id,
            None,
            Some(json!({"grant_id": g.id, "role": g.role, "consortium_id": cons.id, "institution_id": inst})),
        )
        .await?;
        accounts.push(DemoAccount { login, role: role.as_str().into() });
    }
    txn.commit().await?;
    crate::demo_research::load(db, cons.id, &faculty_ids).await?;
    crate::demo_patents::load(db, who, cons.id, &faculty_ids).await?;
    crate::demo_outputs::load(db, who, cons.id).await?;
    crate::demo_outputs::load_commercial(db, who, cons.id, &faculty_ids).await?;
    Ok(DemoSummary {
        consortium_id: cons.id,
        institutions: insts.len(),
        people: FACULTY.len() + 1 + trainee_people.len(),
        accounts,
        demo_password,
    })
}

const SURNAMES: [(&str, &str); 10] = [
    ("김", "Kim"),
    ("이", "Lee"),
    ("박", "Park"),
    ("최", "Choi"),
    ("정", "Jung"),
    ("강", "Kang"),
    ("조", "Cho"),
    ("윤", "Yoon"),
    ("장", "Jang"),
    ("임", "Lim"),
];
const GIVEN: [(&str, &str); 8] = [
    ("민준", "Minjun"),
    ("하린", "Harin"),
    ("도현", "Dohyeon"),
    ("지우", "Jiwoo"),
    ("예준", "Yejun"),
    ("수빈", "Subin"),
    ("건우", "Geonwoo"),
    ("유나", "Yuna"),
];
const TRACKS: [&str; 3] = ["immuno_oncology", "regenerative_medicine", "multimodal_medicine"];

/// Sample grades on each scale, cycled deterministically.
const GIST_GRADES: [&str; 6] = ["A+", "A0", "A-", "B+", "B0", "A0"];
const CNU_GRADES: [&str; 6] = ["A+", "A0", "B+", "A0", "B0", "C+"];

/// Programs, the 16-course catalog with equivalences, 40 sample trainees with mentors, enrollments and
/// milestones, and 4 alumni with their positions. Returns the trainees' person ids.
async fn education(
    txn: &DatabaseTransaction,
    who: &Who,
    consortium_id: i64,
    insts: &[institution::Model],
    faculty_ids: &[i64],
    t: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<i64>, StoreError> {
    let code_to_inst: std::collections::HashMap<&str, i64> =
        [("GIST", insts[0].id), ("CNU_MED", insts[1].id), ("CNUH", insts[2].id), ("CNUHH", insts[3].id)]
            .into_iter()
            .collect();
    let mut programs = Vec::new();
    for (code, ko, en, kind, rules) in [
        (
            "joint_phd",
            "GIST–전남대 의생명공학 공동 박사학위",
            "Joint PhD in Biomedical Science and Engineering (GIST–CNU)",
            "joint_degree",
            include_str!("../demo/joint_phd.rules"),
        ),
        (
            "md_phd",
            "전남대–GIST 의학-공학 박사 통합과정 (MD-PhD)",
            "MD-PhD in Medical Science (CNU–GIST)",
            "md_phd",
            include_str!("../demo/md_phd.rules"),
        ),
    ] {
        let m = degree_program::ActiveModel {
            consortium_id: Set(consortium_id),
            code: Set(code.into()),
            title_ko: Set(ko.into()),
            title_en: Set(en.into()),
            kind: Set(kind.into()),
            catalog_year: Set(2026),
            rules_text: Set(rules.into()),
            is_sample: Set(true),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "degree_program", m.id, &m).await?;
        programs.push(m);
    }
    #[derive(serde::Deserialize)]
    struct DemoCourse {
        code: String,
        title_ko: String,
        title_en: String,
        credits: String,
        institution: String,
        joint: bool,
        tracks: Vec<String>,
    }
    let list: Vec<DemoCourse> = serde_json::from_str(include_str!("../demo/courses.json"))
        .map_err(|e| StoreError::Config(format!("demo/courses.json: {e}")))?;
    let mut course_ids = std::collections::HashMap::new();
    let mut courses = Vec::new();
    for c in list {
        let inst = *code_to_inst
            .get(c.institution.as_str())
            .ok_or_else(|| StoreError::Config(format!("demo course {} names {}", c.code, c.institution)))?;
        let m = course::ActiveModel {
            consortium_id: Set(consortium_id),
            code: Set(c.code.clone()),
            title_ko: Set(c.title_ko),
            title_en: Set(c.title_en),
            credits: Set(c.credits),
            institution_id: Set(inst),
            language: Set(if c.institution == "GIST" { "en".into() } else { "ko".into() }),
            tracks: Set(c.tracks.join(",")),
            joint: Set(c.joint),
            is_sample: Set(true),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "course", m.id, &m).await?;
        course_ids.insert(c.code, m.id);
        courses.push(m);
    }
    #[derive(serde::Deserialize)]
    struct DemoEquivalence {
        from_code: String,
        to_code: String,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
    }
    let eqs: Vec<DemoEquivalence> = serde_json::from_str(include_str!("../demo/equivalences.json"))
        .map_err(|e| StoreError::Config(format!("demo/equivalences.json: {e}")))?;
    for e in eqs {
        let m = course_equivalence::ActiveModel {
            from_course_id: Set(course_ids[&e.from_code]),
            to_course_id: Set(course_ids[&e.to_code]),
            effective_from: Set(e.effective_from),
            effective_to: Set(e.effective_to),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "course_equivalence", m.id, &m).await?;
    }

    // Every course is offered in both 2026 terms; instructors from the owning institution, and for a joint course
    // one from each side (faculty 0–5 are at the hospitals and the college of medicine, 6–17 mostly at GIST).
    let gist_faculty: Vec<i64> =
        FACULTY.iter().zip(faculty_ids).filter(|((_, _, inst, _), _)| *inst == 0).map(|(_, id)| *id).collect();
    let cnu_faculty: Vec<i64> =
        FACULTY.iter().zip(faculty_ids).filter(|((_, _, inst, _), _)| *inst != 0).map(|(_, id)| *id).collect();
    for (k, c) in courses.iter().enumerate() {
        let at_gist = c.institution_id == insts[0].id;
        let (own, other) = if at_gist { (&gist_faculty, &cnu_faculty) } else { (&cnu_faculty, &gist_faculty) };
        let mut teachers = vec![own[k % own.len()]];
        if c.joint {
            teachers.push(other[k % other.len()]);
        }
        for (term, end) in [("2026-1", (2026, 6, 30)), ("2026-2", (2026, 12, 31))] {
            let m = crate::entities::course_offering::ActiveModel {
                course_id: Set(c.id),
                term: Set(term.into()),
                term_end: Set(NaiveDate::from_ymd_opt(end.0, end.1, end.2).expect("a valid date")),
                capacity: Set(Some(if c.joint { 40 } else { 30 })),
                instructor_ids: Set(serde_json::to_string(&teachers).unwrap_or_else(|_| "[]".into())),
                is_sample: Set(true),
                created_at: Set(t),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit_created(txn, who, "course_offering", m.id, &m).await?;
        }
    }

    // 40 trainees: every third in the MD-PhD (home CNU College of Medicine), the rest in the joint PhD.
    let statuses = [
        "enrolled",
        "enrolled",
        "enrolled",
        "enrolled",
        "admitted",
        "enrolled",
        "applicant",
        "enrolled",
        "on_leave",
        "enrolled",
    ];
    let spring = NaiveDate::from_ymd_opt(2026, 6, 30).expect("a valid date");
    let fall = NaiveDate::from_ymd_opt(2026, 12, 31).expect("a valid date");
    let mut people = Vec::new();
    for i in 0..40usize {
        let md_phd = i % 3 == 2;
        let program = &programs[usize::from(md_phd)];
        let home = if md_phd { insts[1].id } else { insts[0].id };
        let (sk, se) = SURNAMES[i % SURNAMES.len()];
        let (gk, ge) = GIVEN[(i / SURNAMES.len() + i) % GIVEN.len()];
        let p = person::ActiveModel {
            name_ko: Set(format!("{sk}{gk}")),
            name_en: Set(format!("{ge} {se}")),
            email: Set(format!("trainee{:02}.sample@{DEMO_DOMAIN}", i + 1)),
            orcid: Set(None),
            institution_id: Set(home),
            unit_id: Set(None),
            is_sample: Set(true),
            archived_at: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "person", p.id, &p).await?;
        let status = if i == 0 {
            "enrolled"
        } else if i >= 37 {
            "withdrawn"
        } else {
            statuses[i % statuses.len()]
        };
        // Faculty 0–5 are physician-scientists, 6–17 medical scientists. Trainee 5 gets two scientists
        // (a pair the program warns about).
        let clinical = if i == 5 { faculty_ids[6 + (i % 12)] } else { faculty_ids[i % 6] };
        let scientist = faculty_ids[6 + ((i + 3) % 12)];
        let tr = trainee::ActiveModel {
            consortium_id: Set(consortium_id),
            person_id: Set(p.id),
            category: Set(if md_phd { "md_phd_student" } else { "phd_student" }.into()),
            home_institution_id: Set(home),
            program_id: Set(program.id),
            track: Set(TRACKS[i % 3].into()),
            status: Set(status.into()),
            clinical_mentor_id: Set(Some(clinical)),
            scientist_mentor_id: Set(Some(scientist)),
            start_date: Set(NaiveDate::from_ymd_opt(2026, 3, 1).expect("a valid date")),
            is_sample: Set(true),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "trainee", tr.id, &tr).await?;
        if matches!(status, "enrolled" | "on_leave" | "withdrawn") {
            // Spring: core courses at home and one at the partner institution; fall: in progress.
            let plan: Vec<(&str, NaiveDate)> = if md_phd {
                vec![
                    ("MED6101", spring),
                    ("MED6102", spring),
                    ("BSE7101", spring),
                    ("BSE7401", fall),
                    ("MED6301", fall),
                ]
            } else {
                vec![
                    ("BSE7001", spring),
                    ("BSE7101", spring),
                    ("BSE8001", spring),
                    ("MED6501", spring),
                    ("MED6101", fall),
                    ("BSE7102", fall),
                ]
            };
            for (k, (code, term)) in plan.into_iter().enumerate() {
                let c = courses
                    .iter()
                    .find(|c| c.code == code)
                    .ok_or_else(|| StoreError::Config(format!("demo course {code} missing")))?;
                let at_gist = c.institution_id == insts[0].id;
                let grade = (term == spring).then(|| {
                    let g = if at_gist { GIST_GRADES[(i + k) % 6] } else { CNU_GRADES[(i + k) % 6] };
                    g.to_string()
                });
                let e = enrollment::ActiveModel {
                    trainee_id: Set(tr.id),
                    course_id: Set(c.id),
                    institution_id: Set(c.institution_id),
                    term_end: Set(term),
                    grade: Set(grade),
                    credits: Set(c.credits.clone()),
                    is_sample: Set(true),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit_created(txn, who, "enrollment", e.id, &e).await?;
            }
            for (kind, due, passed) in [
                (
                    "qualifying_exam",
                    NaiveDate::from_ymd_opt(2026, 8, 31),
                    (i % 4 != 1).then_some(NaiveDate::from_ymd_opt(2026, 8, 20)),
                ),
                (
                    "idp_review",
                    NaiveDate::from_ymd_opt(2026, 11, 15),
                    (i % 5 != 2).then_some(NaiveDate::from_ymd_opt(2026, 11, 10)),
                ),
                ("proposal_defense", NaiveDate::from_ymd_opt(2027, 6, 30), None),
            ] {
                let m = milestone::ActiveModel {
                    trainee_id: Set(tr.id),
                    kind: Set(kind.into()),
                    due_date: Set(due.expect("a valid date")),
                    passed_on: Set(passed.flatten()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit_created(txn, who, "milestone", m.id, &m).await?;
            }
        }
        people.push(p.id);
        if i == 0 {
            // The demo trainee's plan for 2026: submitted, signed by the clinical mentor, waiting for the scientist.
            let plan = crate::entities::development_plan::ActiveModel {
                trainee_id: Set(tr.id),
                year: Set(2026),
                goals: Set("면역항암 표적 발굴 논문 1편 투고, 자격시험 통과".into()),
                activities: Set("GIST 의료 인공지능 수강, 화순전남대병원 종양내과 연구 참관 4주".into()),
                reflection: Set(String::new()),
                submitted_at: Set(Some(t)),
                clinical_signed_by: Set(Some("demo".into())),
                clinical_signed_at: Set(Some(t)),
                scientist_signed_by: Set(None),
                scientist_signed_at: Set(None),
                is_sample: Set(true),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit_created(txn, who, "development_plan", plan.id, &plan).await?;
        }
    }
    people.extend(alumni(txn, who, consortium_id, insts, &programs, faculty_ids, t).await?);
    Ok(people)
}

/// Four alumni of the predecessor cohort (2021–2026), with their positions since: the outcomes and the
/// regional indicator (alumni working in Gwangju–Jeonnam) have something to count. Sample data.
async fn alumni(
    txn: &DatabaseTransaction,
    who: &Who,
    consortium_id: i64,
    insts: &[institution::Model],
    programs: &[degree_program::Model],
    faculty_ids: &[i64],
    t: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<i64>, StoreError> {
    use crate::entities::alumni_position;
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a valid date");
    type Job = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        (i32, u32, u32),
        Option<(i32, u32, u32)>,
    );
    let list: [(&str, &str, usize, &str, Vec<Job>); 4] = [
        (
            "오서윤",
            "Seoyun Oh",
            1,
            "immuno_oncology",
            vec![
                (
                    "박사후연구원",
                    "Dana-Farber Cancer Institute",
                    "academia",
                    "research",
                    "abroad",
                    (2026, 3, 2),
                    Some((2026, 8, 31)),
                ),
                ("조교수", "전남대학교 의과대학", "academia", "research", "gwangju_jeonnam", (2026, 9, 1), None),
            ],
        ),
        (
            "한지호",
            "Jiho Han",
            1,
            "regenerative_medicine",
            vec![("임상강사", "화순전남대학교병원", "hospital", "clinical", "gwangju_jeonnam", (2026, 3, 1), None)],
        ),
        (
            "신유진",
            "Yujin Shin",
            0,
            "multimodal_medicine",
            vec![("선임연구원", "삼성바이오로직스", "industry", "research", "other_korea", (2026, 4, 1), None)],
        ),
        ("류태민", "Taemin Ryu", 0, "immuno_oncology", vec![]),
    ];
    let mut people = Vec::new();
    for (k, (name_ko, name_en, program, track, jobs)) in list.into_iter().enumerate() {
        let md_phd = program == 1;
        let home = if md_phd { insts[1].id } else { insts[0].id };
        let p = person::ActiveModel {
            name_ko: Set(name_ko.into()),
            name_en: Set(name_en.into()),
            email: Set(format!("alumni{:02}.sample@{DEMO_DOMAIN}", k + 1)),
            orcid: Set(None),
            institution_id: Set(home),
            unit_id: Set(None),
            is_sample: Set(true),
            archived_at: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "person", p.id, &p).await?;
        let tr = trainee::ActiveModel {
            consortium_id: Set(consortium_id),
            person_id: Set(p.id),
            category: Set(if md_phd { "md_phd_student" } else { "phd_student" }.into()),
            home_institution_id: Set(home),
            program_id: Set(programs[program].id),
            track: Set(track.into()),
            status: Set("graduated".into()),
            clinical_mentor_id: Set(Some(faculty_ids[k % 6])),
            scientist_mentor_id: Set(Some(faculty_ids[6 + k])),
            start_date: Set(d(2021, 3, 1)),
            applied_on: Set(Some(d(2020, 11, 16))),
            ended_on: Set(Some(d(2026, 2, 20))),
            is_sample: Set(true),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "trainee", tr.id, &tr).await?;
        for (title, org, sector, career, region, start, end) in jobs {
            let m = alumni_position::ActiveModel {
                trainee_id: Set(tr.id),
                title: Set(title.into()),
                organisation: Set(org.into()),
                sector: Set(sector.into()),
                career_type: Set(career.into()),
                region: Set(region.into()),
                start_date: Set(d(start.0, start.1, start.2)),
                end_date: Set(end.map(|e| d(e.0, e.1, e.2))),
                source: Set(if k == 0 { "self_reported" } else { "staff_entered" }.into()),
                as_of: Set(d(2026, 10, 1)),
                recorded_by: Set("demo".into()),
                is_sample: Set(true),
                created_at: Set(t),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit_created(txn, who, "alumni_position", m.id, &m).await?;
        }
        people.push(p.id);
    }
    Ok(people)
}

/// The ten-year roadmap: the funded period and two phases after it, with goals per area and indicators, the
/// regional ones counted from the records. Sample data.
async fn roadmap(
    txn: &DatabaseTransaction,
    who: &Who,
    consortium_id: i64,
    t: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    use crate::entities::{roadmap_indicator, roadmap_phase};
    use crate::roadmap::Goal;
    type Ind = (&'static str, &'static str, &'static str, &'static str, Option<i64>, &'static str, Option<i64>);
    type Phase =
        (&'static str, &'static str, &'static str, i32, i32, bool, Vec<(&'static str, &'static str)>, Vec<Ind>);
    let phases: [Phase; 3] = [
        (
            "P1",
            "1단계: 의사과학자 양성 체계 구축",
            "Phase 1: building the physician-scientist pipeline",
            2026,
            2030,
            true,
            vec![
                ("talent_cultivation", "공동학위·교차학위로 융합인재 150명 이상 양성"),
                ("industrialization", "특허 출원 22건, 등록 8건, 기술이전과 실험실 창업"),
            ],
            vec![
                ("talent_cultivation", "졸업생", "Alumni", "명", Some(150), "alumni", None),
                (
                    "industrialization",
                    "광주·전남 창업",
                    "Startups in Gwangju–Jeonnam",
                    "개사",
                    Some(3),
                    "startups_in_region",
                    None,
                ),
                ("industrialization", "기술이전", "Technology transfers", "건", Some(10), "tech_transfers", None),
            ],
        ),
        (
            "P2",
            "2단계: 확산과 산업화",
            "Phase 2: dissemination and industrialization",
            2031,
            2033,
            false,
            vec![
                ("dissemination", "공동교과목과 졸업요건 규칙을 다른 K-MediST 컨소시엄과 공유"),
                ("industrialization", "광주·전남 바이오헬스 기업과 공동 임상 검증"),
                ("talent_cultivation", "졸업생의 지역 정착"),
            ],
            vec![
                (
                    "talent_cultivation",
                    "광주·전남 근무 졸업생",
                    "Alumni working in Gwangju–Jeonnam",
                    "명",
                    Some(30),
                    "alumni_in_region",
                    None,
                ),
                (
                    "dissemination",
                    "교과목을 채택한 다른 대학",
                    "Other universities adopting the courses",
                    "곳",
                    Some(3),
                    "manual",
                    Some(0),
                ),
                (
                    "industrialization",
                    "광주·전남 창업",
                    "Startups in Gwangju–Jeonnam",
                    "개사",
                    Some(5),
                    "startups_in_region",
                    None,
                ),
            ],
        ),
        (
            "P3",
            "3단계: 자립과 국제협력",
            "Phase 3: self-reliance and international cooperation",
            2034,
            2035,
            false,
            vec![("international_cooperation", "해외 연구병원과 공동 지도 (co-mentoring) 프로그램 운영")],
            vec![(
                "international_cooperation",
                "해외 공동지도 교육생",
                "Trainees co-mentored abroad",
                "명",
                Some(10),
                "manual",
                None,
            )],
        ),
    ];
    for (code, ko, en, start, end, funded, goals, inds) in phases {
        let goals: Vec<Goal> = goals
            .into_iter()
            .map(|(area, text)| Goal { area: area.into(), text_ko: text.into(), text_en: String::new() })
            .collect();
        let p = roadmap_phase::ActiveModel {
            consortium_id: Set(consortium_id),
            code: Set(code.into()),
            title_ko: Set(ko.into()),
            title_en: Set(en.into()),
            start_year: Set(start),
            end_year: Set(end),
            funded: Set(funded),
            goals: Set(serde_json::to_string(&goals).unwrap_or_else(|_| "[]".into())),
            is_sample: Set(true),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit_created(txn, who, "roadmap_phase", p.id, &p).await?;
        for (area, name_ko, name_en, unit, target, measure, manual) in inds {
            let i = roadmap_indicator::ActiveModel {
                phase_id: Set(p.id),
                area: Set(area.into()),
                name_ko: Set(name_ko.into()),
                name_en: Set(name_en.into()),
                unit: Set(unit.into()),
                target: Set(target),
                measure: Set(measure.into()),
                manual_value: Set(manual),
                is_sample: Set(true),
                created_at: Set(t),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit_created(txn, who, "roadmap_indicator", i.id, &i).await?;
        }
    }
    Ok(())
}
