//! Spreadsheet import and export of the program office's education lists: trainee rosters, courses, and
//! enrollments with grades. CSV (UTF-8 with or without BOM, CP949) and XLSX, Korean or English headers; a dry run
//! lists every bad row with its column and reason; the commit writes every row or none. Exports use the same
//! columns, so an exported file imports again.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use medist_core::access::{Action, Resource, Role};
use medist_db::Db;
use medist_db::education_import::{self as store, NewCourse, NewEnrollment, NewTrainee, RosterPerson};
use medist_db::patents::name_key;
use medist_education::grades::GradeScales;
use medist_education::roster::{self, RowProblem, fields as f};
use medist_tabular::{CellValue, Date, EnumOption, FieldKind, FieldSpec, Lang, Schema, SheetData};
use serde::Serialize;

use crate::patents::ImportProblem;
use crate::{AppError, AppResult, Caller};

/// The lists that import and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ListKind {
    Trainees,
    Courses,
    Enrollments,
}

impl ListKind {
    pub const ALL: [ListKind; 3] = [ListKind::Trainees, ListKind::Courses, ListKind::Enrollments];

    pub fn parse(s: &str) -> AppResult<ListKind> {
        match s.trim() {
            "trainees" | "roster" => Ok(ListKind::Trainees),
            "courses" => Ok(ListKind::Courses),
            "enrollments" | "grades" => Ok(ListKind::Enrollments),
            other => Err(AppError::bad_request(
                "unknown-list",
                format!("'{other}' is not a list: trainees, courses or enrollments"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Trainees => "trainees",
            ListKind::Courses => "courses",
            ListKind::Enrollments => "enrollments",
        }
    }

    pub fn schema(self) -> Schema {
        match self {
            ListKind::Trainees => roster_schema(),
            ListKind::Courses => course_schema(),
            ListKind::Enrollments => enrollment_schema(),
        }
    }
}

fn options(list: &[(&str, &str, &str, &[&str])]) -> FieldKind {
    FieldKind::Enum(
        list.iter().map(|(c, ko, en, al)| EnumOption::new(*c, *ko, *en).aliases(al.iter().copied())).collect(),
    )
}

fn track_kind() -> FieldKind {
    options(&[
        ("immuno_oncology", "면역항암", "Immuno-oncology", &["immuno oncology", "면역 항암"]),
        ("regenerative_medicine", "재생의학", "Regenerative medicine", &["재생 의학"]),
        ("multimodal_medicine", "멀티모달 의학", "Multimodal medicine", &["멀티모달의학", "multimodal"]),
    ])
}

/// The roster: one trainee per row.
pub fn roster_schema() -> Schema {
    let text = |k: &str, ko: &str, en: &str| FieldSpec::new(k, ko, en, FieldKind::text_max(200));
    let date = |k: &str, ko: &str, en: &str| FieldSpec::new(k, ko, en, FieldKind::Date);
    let specs = vec![
        text(f::NAME_KO, "성명", "Name (Korean)").aliases(["이름", "한글 성명", "국문 성명"]),
        text(f::NAME_EN, "영문 성명", "Name (English)").aliases(["name", "영문 이름", "english name"]),
        FieldSpec::new(f::EMAIL, "이메일", "E-mail", FieldKind::Email)
            .aliases(["email", "전자우편", "e-mail 주소"])
            .required(),
        FieldSpec::new(
            f::CATEGORY,
            "구분",
            "Category",
            options(&[
                ("md_phd_student", "MD-PhD 학생", "MD-PhD student", &["md-phd", "mdphd", "의학-공학 박사 통합과정"]),
                ("phd_student", "박사과정", "PhD student", &["phd", "박사과정생", "박사"]),
                ("ms_student", "석사과정", "MS student", &["ms", "석사과정생", "석사"]),
                ("resident", "전공의", "Resident", &["레지던트"]),
                ("medical_student", "의대생", "Medical student", &["의학과 학생"]),
                ("postdoc", "박사후연구원", "Postdoc", &["postdoctoral researcher", "포닥"]),
            ]),
        )
        .aliases(["trainee category", "신분"])
        .required(),
        text(f::HOME_INSTITUTION, "소속 기관", "Home institution").aliases(["소속", "기관", "institution"]).required(),
        text(f::PROGRAM, "학위과정", "Program").aliases(["과정", "프로그램", "program code"]).required(),
        FieldSpec::new(f::TRACK, "트랙", "Track", track_kind()).aliases(["세부 트랙"]).required(),
        FieldSpec::new(
            f::STATUS,
            "학적 상태",
            "Status",
            options(&[
                ("applicant", "지원", "Applicant", &["지원자"]),
                ("admitted", "합격", "Admitted", &["합격자"]),
                ("enrolled", "재학", "Enrolled", &["재학생"]),
                ("on_leave", "휴학", "On leave", &["on leave"]),
                ("graduated", "졸업", "Graduated", &["수료", "졸업생"]),
                ("withdrawn", "중도 이탈", "Withdrawn", &["중도이탈", "제적", "자퇴"]),
            ]),
        )
        .aliases(["상태", "학적"]),
        text(f::CLINICAL_MENTOR, "임상 지도교수", "Clinical mentor").aliases(["임상 멘토", "의사과학자 지도교수"]),
        text(f::SCIENTIST_MENTOR, "기초 지도교수", "Scientist mentor").aliases([
            "공동지도교수",
            "기초 멘토",
            "과학자 지도교수",
        ]),
        date(f::START_DATE, "시작일", "Start date").aliases(["입학일", "참여 시작일"]).required(),
        date(f::APPLIED_ON, "지원일", "Applied on").aliases(["application date"]),
        date(f::ENDED_ON, "종료일", "Ended on").aliases(["졸업일", "graduation date"]),
    ];
    Schema::new("trainees", specs)
}

pub fn course_schema() -> Schema {
    let text = |k: &str, ko: &str, en: &str| FieldSpec::new(k, ko, en, FieldKind::text_max(200));
    Schema::new(
        "courses",
        vec![
            text(f::CODE, "교과목 코드", "Course code").aliases(["code", "과목코드", "학수번호"]).required(),
            text(f::TITLE_KO, "교과목명", "Title (Korean)").aliases(["국문 교과목명", "과목명"]),
            text(f::TITLE_EN, "영문 교과목명", "Title (English)").aliases(["title", "course title"]),
            FieldSpec::new(f::CREDITS, "학점", "Credits", FieldKind::text_max(10)).required(),
            text(f::INSTITUTION, "개설 기관", "Institution").aliases(["기관", "owning institution"]).required(),
            FieldSpec::new(
                f::LANGUAGE,
                "강의 언어",
                "Language",
                options(&[
                    ("ko", "한국어", "Korean", &["국문"]),
                    ("en", "영어", "English", &["영문"]),
                    ("ko_en", "한국어·영어", "Korean and English", &["혼용", "bilingual"]),
                ]),
            )
            .aliases(["language of instruction"]),
            text(f::TRACKS, "트랙", "Tracks").aliases(["세부 트랙", "track"]),
            FieldSpec::new(f::JOINT, "공동교과목", "Joint course", FieldKind::Bool).aliases(["joint"]),
        ],
    )
}

pub fn enrollment_schema() -> Schema {
    let text = |k: &str, ko: &str, en: &str| FieldSpec::new(k, ko, en, FieldKind::text_max(200));
    Schema::new(
        "enrollments",
        vec![
            text(f::TRAINEE, "교육생 이메일", "Trainee e-mail").aliases(["이메일", "email", "trainee"]).required(),
            text(f::COURSE, "교과목 코드", "Course code").aliases(["과목코드", "학수번호", "course"]).required(),
            text(f::INSTITUTION, "수강 기관", "Taken at").aliases(["기관", "institution"]),
            FieldSpec::new(f::TERM_END, "학기 종료일", "Term end", FieldKind::Date)
                .aliases(["학기말", "term end date"])
                .required(),
            text(f::GRADE, "성적", "Grade").aliases(["등급"]),
            FieldSpec::new(f::CREDITS, "학점", "Credits", FieldKind::text_max(10)),
        ],
    )
}

/// What an import did (or, with `dry_run`, would do). Nothing is written unless `problems` is empty.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EducationImportReport {
    pub list: ListKind,
    pub rows: usize,
    /// Records the file adds.
    pub new_records: usize,
    /// Rows already in the database (same e-mail, course code, or trainee + course + term): left unchanged.
    pub already_present: usize,
    /// New people created for roster rows whose e-mail was not in the directory yet.
    pub new_people: usize,
    pub dry_run: bool,
    pub written: bool,
    pub problems: Vec<ImportProblem>,
    pub warnings: Vec<String>,
}

struct Ctx<'a> {
    report: EducationImportReport,
    column_of: HashMap<String, String>,
    _schema: &'a Schema,
}

impl Ctx<'_> {
    fn problem(&mut self, row: usize, field: &str, message: impl Into<String>) {
        self.report.problems.push(ImportProblem {
            row,
            column: self.column_of.get(field).cloned(),
            field: field.to_string(),
            message: message.into(),
        });
    }
    fn problems(&mut self, row: usize, errs: Vec<RowProblem>) {
        for e in errs {
            self.problem(row, &e.field, e.reason);
        }
    }
}

/// Whether the caller may import lists at all (the program office or an institution coordinator).
pub fn may_import(caller: &Caller, consortium_id: i64) -> bool {
    caller.can(Action::Update, Resource::Catalog { consortium_id })
        || caller.actor.holds_in(Role::InstitutionCoordinator, Some(consortium_id))
}

/// Who may import a list at all: the program office (everything) or an institution coordinator (trainees and
/// enrollments of their institution; each row is checked).
fn gate(caller: &Caller, consortium_id: i64, kind: ListKind) -> AppResult<()> {
    let office = caller.can(Action::Update, Resource::Catalog { consortium_id });
    let coordinator = caller.actor.holds_in(Role::InstitutionCoordinator, Some(consortium_id));
    match kind {
        ListKind::Courses if office => Ok(()),
        ListKind::Trainees | ListKind::Enrollments if office || coordinator => Ok(()),
        _ => Err(AppError::Forbidden("forbidden")),
    }?;
    if caller.actor.scope == medist_core::access::Scope::Read {
        return Err(AppError::Forbidden("token-read-only"));
    }
    Ok(())
}

/// Reads a list and stores it, all rows or none.
pub async fn import(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    kind: ListKind,
    bytes: &[u8],
    file_name: &str,
    dry_run: bool,
) -> AppResult<EducationImportReport> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    gate(caller, consortium_id, kind)?;
    let schema = kind.schema();
    let table = medist_tabular::read_table(bytes, file_name, None, &schema)
        .map_err(|e| AppError::bad_request("unreadable-file", format!("{file_name}: {e}")))?;
    let column_of: HashMap<String, String> =
        table.columns.iter().filter_map(|c| c.field.clone().map(|f| (f, c.letter.clone()))).collect();
    let mut cx = Ctx {
        report: EducationImportReport {
            list: kind,
            rows: table.rows.len(),
            new_records: 0,
            already_present: 0,
            new_people: 0,
            dry_run,
            written: false,
            problems: Vec::new(),
            warnings: table.warnings.iter().map(|w| w.to_string()).collect(),
        },
        column_of,
        _schema: &schema,
    };
    for e in &table.row_errors {
        cx.report.problems.push(ImportProblem {
            row: e.line,
            column: Some(e.column.clone()),
            field: e.field.clone().unwrap_or_default(),
            message: e.problem.describe(e.value.as_deref().unwrap_or("")),
        });
    }
    let rows: Vec<(usize, BTreeMap<String, String>)> = table
        .rows
        .iter()
        .filter(|r| !r.has_errors)
        .map(|r| (r.line, r.cells.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()))
        .collect();
    let lookups = Lookups::load(db, consortium_id).await?;
    match kind {
        ListKind::Trainees => {
            let new = check_roster(db, caller, consortium_id, &lookups, &rows, &mut cx).await?;
            finish(&mut cx, new.len(), dry_run);
            if cx.report.problems.is_empty() && !dry_run && !new.is_empty() {
                store::create_trainees(db, &caller.who, consortium_id, &new, file_name).await?;
                cx.report.written = true;
            }
        }
        ListKind::Courses => {
            let new = check_courses(db, consortium_id, &lookups, &rows, &mut cx).await?;
            finish(&mut cx, new.len(), dry_run);
            if cx.report.problems.is_empty() && !dry_run && !new.is_empty() {
                store::create_courses(db, &caller.who, consortium_id, &new).await?;
                cx.report.written = true;
            }
        }
        ListKind::Enrollments => {
            let new = check_enrollments(db, caller, consortium_id, &lookups, &rows, &mut cx).await?;
            finish(&mut cx, new.len(), dry_run);
            if cx.report.problems.is_empty() && !dry_run && !new.is_empty() {
                store::create_enrollments(db, &caller.who, &new).await?;
                cx.report.written = true;
            }
        }
    }
    Ok(cx.report)
}

fn finish(cx: &mut Ctx, new: usize, _dry_run: bool) {
    cx.report.new_records = new;
    cx.report.problems.sort_by(|a, b| (a.row, &a.column).cmp(&(b.row, &b.column)));
}

/// Names the rows refer to.
struct Lookups {
    institutions: HashMap<String, i64>,
    institution_codes: HashMap<i64, String>,
    people_by_name: HashMap<String, Vec<i64>>,
    programs: Vec<medist_db::entities::degree_program::Model>,
    courses: HashMap<String, medist_db::entities::course::Model>,
}

impl Lookups {
    async fn load(db: &Db, consortium_id: i64) -> AppResult<Lookups> {
        let names = medist_db::patents::names(db, consortium_id).await?;
        Ok(Lookups {
            institutions: names.institutions,
            institution_codes: medist_db::education::institution_codes(db, consortium_id).await?,
            people_by_name: names.people,
            programs: medist_db::education::programs(db, consortium_id).await?,
            courses: medist_db::education::courses(db, consortium_id)
                .await?
                .into_iter()
                .map(|c| (c.code.clone(), c))
                .collect(),
        })
    }

    fn institution(&self, name: &str) -> Option<i64> {
        self.institutions.get(&name_key(name)).copied()
    }

    /// The program with this code (or title) whose catalog year is the newest not after `year`; otherwise the
    /// oldest.
    fn program(&self, name: &str, year: i32) -> Option<i64> {
        let k = name_key(name);
        let mut matching: Vec<_> = self
            .programs
            .iter()
            .filter(|p| name_key(&p.code) == k || name_key(&p.title_ko) == k || name_key(&p.title_en) == k)
            .collect();
        matching.sort_by_key(|p| p.catalog_year);
        matching.iter().rev().find(|p| p.catalog_year <= year).or(matching.first()).map(|p| p.id)
    }
}

/// A mentor by e-mail or by a name only one person has.
async fn mentor(db: &Db, l: &Lookups, s: &str) -> Result<i64, String> {
    if s.contains('@') {
        return match medist_db::org::person_by_email(db, &s.to_lowercase()).await {
            Ok(Some(p)) => Ok(p.id),
            Ok(None) => Err(format!("no person has the e-mail '{s}'")),
            Err(e) => Err(e.to_string()),
        };
    }
    match l.people_by_name.get(&name_key(s)).map(Vec::as_slice) {
        Some([id]) => Ok(*id),
        Some([_, ..]) => Err(format!("'{s}' names more than one person: use the e-mail")),
        _ => Err(format!("no person is named '{s}'")),
    }
}

async fn check_roster(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    l: &Lookups,
    rows: &[(usize, BTreeMap<String, String>)],
    cx: &mut Ctx<'_>,
) -> AppResult<Vec<NewTrainee>> {
    let mut out = Vec::new();
    let mut emails = Vec::new();
    let existing: HashSet<i64> = medist_db::education::list_trainees(db, consortium_id, &Default::default(), today())
        .await?
        .into_iter()
        .map(|r| r.trainee.person_id)
        .collect();
    for (line, cells) in rows {
        // The names are resolved even when the row has other problems, so one pass reports everything.
        let cell = |k: &str| cells.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut ok = true;
        let home_name = cell(f::HOME_INSTITUTION);
        let home = home_name.as_deref().and_then(|h| l.institution(h));
        if let (Some(name), None) = (&home_name, home) {
            cx.problem(*line, f::HOME_INSTITUTION, format!("unknown institution '{name}'"));
            ok = false;
        }
        let start_year = cell(f::START_DATE).and_then(|d| d.get(..4).and_then(|y| y.parse().ok())).unwrap_or(9999);
        let program_name = cell(f::PROGRAM);
        let program = program_name.as_deref().and_then(|p| l.program(p, start_year));
        if let (Some(name), None) = (&program_name, program) {
            cx.problem(*line, f::PROGRAM, format!("unknown program '{name}'"));
            ok = false;
        }
        let mut mentors = [None, None];
        for (i, field) in [f::CLINICAL_MENTOR, f::SCIENTIST_MENTOR].into_iter().enumerate() {
            if let Some(v) = cell(field) {
                match mentor(db, l, &v).await {
                    Ok(id) => mentors[i] = Some(id),
                    Err(msg) => {
                        cx.problem(*line, field, msg);
                        ok = false;
                    }
                }
            }
        }
        if let Some(h) = home {
            let allowed = caller.can(
                Action::Create,
                Resource::Trainee { consortium_id, institution_id: h, person_id: None, mentors: [None, None] },
            );
            if !allowed {
                let name = home_name.clone().unwrap_or_default();
                cx.problem(*line, f::HOME_INSTITUTION, format!("you may not add trainees of '{name}'"));
                ok = false;
            }
        }
        let r = match roster::roster_row(cells) {
            Ok(r) => r,
            Err(errs) => {
                cx.problems(*line, errs);
                continue;
            }
        };
        emails.push((*line, r.email.clone()));
        let person = match medist_db::org::person_by_email(db, &r.email).await? {
            Some(p) if existing.contains(&p.id) => {
                cx.report.already_present += 1;
                continue;
            }
            Some(p) => {
                if mentors.contains(&Some(p.id)) {
                    cx.problem(*line, f::CLINICAL_MENTOR, "a trainee cannot mentor themself");
                    ok = false;
                }
                RosterPerson::Existing(p.id)
            }
            None => RosterPerson::New {
                name_ko: r.name_ko.clone(),
                name_en: r.name_en.clone(),
                email: r.email.clone(),
                institution_id: home.unwrap_or_default(),
            },
        };
        let (Some(home_institution_id), Some(program_id), true) = (home, program, ok) else { continue };
        if matches!(person, RosterPerson::New { .. }) {
            cx.report.new_people += 1;
        }
        out.push(NewTrainee {
            person,
            category: r.category,
            home_institution_id,
            program_id,
            track: r.track,
            status: r.status.as_str().into(),
            clinical_mentor_id: mentors[0],
            scientist_mentor_id: mentors[1],
            start_date: r.start_date,
            applied_on: r.applied_on,
            ended_on: r.ended_on,
        });
    }
    for (line, first) in roster::repeated_keys(&emails) {
        cx.problem(line, f::EMAIL, format!("the same trainee as row {first}"));
    }
    Ok(out)
}

async fn check_courses(
    _db: &Db,
    _consortium_id: i64,
    l: &Lookups,
    rows: &[(usize, BTreeMap<String, String>)],
    cx: &mut Ctx<'_>,
) -> AppResult<Vec<NewCourse>> {
    let mut out = Vec::new();
    let mut codes = Vec::new();
    for (line, cells) in rows {
        let r = match roster::course_row(cells) {
            Ok(r) => r,
            Err(errs) => {
                cx.problems(*line, errs);
                continue;
            }
        };
        codes.push((*line, r.code.clone()));
        let Some(institution_id) = l.institution(&r.institution) else {
            cx.problem(*line, f::INSTITUTION, format!("unknown institution '{}'", r.institution));
            continue;
        };
        if l.courses.contains_key(&r.code) {
            cx.report.already_present += 1;
            continue;
        }
        out.push(NewCourse {
            code: r.code,
            title_ko: r.title_ko,
            title_en: r.title_en,
            credits: r.credits.to_string(),
            institution_id,
            language: r.language,
            tracks: r.tracks,
            joint: r.joint,
        });
    }
    for (line, first) in roster::repeated_keys(&codes) {
        cx.problem(line, f::CODE, format!("the same course code as row {first}"));
    }
    Ok(out)
}

async fn check_enrollments(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    l: &Lookups,
    rows: &[(usize, BTreeMap<String, String>)],
    cx: &mut Ctx<'_>,
) -> AppResult<Vec<NewEnrollment>> {
    let scales = GradeScales::default();
    let trainees = medist_db::education::list_trainees(db, consortium_id, &Default::default(), today()).await?;
    let mut by_email: HashMap<String, &medist_db::entities::trainee::Model> = HashMap::new();
    let mut persons: HashMap<i64, String> = HashMap::new();
    for chunk in trainees.chunks(500) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.trainee.person_id).collect();
        for p in medist_db::org::people_by_ids(db, &ids).await? {
            persons.insert(p.id, p.email.to_lowercase());
        }
    }
    for r in &trainees {
        if let Some(e) = persons.get(&r.trainee.person_id) {
            by_email.insert(e.clone(), &r.trainee);
        }
    }
    let existing: HashSet<(i64, i64, NaiveDate)> = medist_db::education::enrollment_keys(db, consortium_id).await?;
    let mut keys = Vec::new();
    let mut new_keys: Vec<(usize, i64, NaiveDate)> = Vec::new();
    let mut out = Vec::new();
    for (line, cells) in rows {
        let r = match roster::enrollment_row(cells) {
            Ok(r) => r,
            Err(errs) => {
                cx.problems(*line, errs);
                continue;
            }
        };
        let t = by_email.get(&r.trainee).copied();
        if t.is_none() {
            cx.problem(*line, f::TRAINEE, format!("no trainee of the consortium has the e-mail '{}'", r.trainee));
        }
        let c = l.courses.get(&r.course);
        if c.is_none() {
            cx.problem(*line, f::COURSE, format!("unknown course code '{}'", r.course));
        }
        let (Some(t), Some(c)) = (t, c) else { continue };
        let institution_id = match &r.institution {
            None => c.institution_id,
            Some(name) => match l.institution(name) {
                Some(i) => i,
                None => {
                    cx.problem(*line, f::INSTITUTION, format!("unknown institution '{name}'"));
                    continue;
                }
            },
        };
        if let Some(g) = &r.grade {
            let code = l.institution_codes.get(&institution_id).cloned().unwrap_or_default();
            if let Err(p) = roster::check_grade(&scales, &code, g) {
                cx.problem(*line, &p.field, p.reason);
                continue;
            }
        }
        if !caller.can(
            Action::Update,
            Resource::Trainee {
                consortium_id,
                institution_id: t.home_institution_id,
                person_id: Some(t.person_id),
                mentors: [t.clinical_mentor_id, t.scientist_mentor_id],
            },
        ) {
            cx.problem(*line, f::TRAINEE, format!("you may not record grades of '{}'", r.trainee));
            continue;
        }
        keys.push((*line, (t.id, c.id, r.term_end)));
        if existing.contains(&(t.id, c.id, r.term_end)) {
            cx.report.already_present += 1;
            continue;
        }
        new_keys.push((*line, c.id, r.term_end));
        out.push(NewEnrollment {
            trainee_id: t.id,
            course_id: c.id,
            institution_id,
            term_end: r.term_end,
            grade: r.grade,
            credits: r.credits.map(|c| c.to_string()).unwrap_or_else(|| c.credits.clone()),
        });
    }
    for (line, first) in roster::repeated_keys(&keys) {
        cx.problem(line, f::COURSE, format!("the same enrollment (trainee, course, term) as row {first}"));
    }
    // Seats: the offering of a course and term (when there is one) must hold the new enrollments.
    let offerings: HashMap<(i64, NaiveDate), Option<i64>> = medist_db::education_records::offerings(db, consortium_id)
        .await?
        .into_iter()
        .map(|o| ((o.offering.course_id, o.offering.term_end), o.offering.capacity.map(i64::from)))
        .collect();
    let counts = medist_db::education_records::enrolled_counts(db, consortium_id).await?;
    let mut adding: HashMap<(i64, NaiveDate), i64> = HashMap::new();
    for (line, course_id, term_end) in &new_keys {
        let key = (*course_id, *term_end);
        let n = adding.entry(key).or_insert(0);
        *n += 1;
        if let Some(Some(cap)) = offerings.get(&key) {
            let enrolled = counts.get(&key).copied().unwrap_or(0);
            if !medist_education::offerings::fits(Some(*cap), enrolled, *n) {
                let code = l.courses.values().find(|c| c.id == key.0).map(|c| c.code.clone()).unwrap_or_default();
                cx.problem(
                    *line,
                    f::COURSE,
                    format!("the {code} offering ending {term_end} is full: {cap} seats, {enrolled} already enrolled"),
                );
            }
        }
    }
    Ok(out)
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

// Export ---------------------------------------------------------------------------------------------------------

/// A list as a spreadsheet, in the caller's view (a coordinator's institution, a mentor's trainees).
pub async fn export_sheet(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    kind: ListKind,
    lang: Lang,
) -> AppResult<SheetData> {
    let schema = kind.schema();
    let mut sheet = schema.template_sheet(lang);
    let text = |s: &str| if s.is_empty() { CellValue::Empty } else { CellValue::Text(s.to_string()) };
    let date = |d: NaiveDate| {
        use chrono::Datelike;
        Date::new(d.year() as u16, d.month() as u8, d.day() as u8).map(CellValue::Date).unwrap_or(CellValue::Empty)
    };
    let label = |field: &str, code: &str| -> CellValue {
        match schema.field(field).map(|s| &s.kind) {
            Some(FieldKind::Enum(opts)) => opts
                .iter()
                .find(|o| o.code == code)
                .map(|o| CellValue::Text(if lang == Lang::Ko { o.label_ko.clone() } else { o.label_en.clone() }))
                .unwrap_or_else(|| text(code)),
            _ => text(code),
        }
    };
    let codes = medist_db::education::institution_codes(db, consortium_id).await?;
    match kind {
        ListKind::Courses => {
            let c = crate::education::catalog(db, caller, consortium_id).await?;
            for x in c.courses {
                sheet.rows.push(vec![
                    text(&x.code),
                    text(&x.title_ko),
                    text(&x.title_en),
                    text(&x.credits),
                    text(codes.get(&x.institution_id).map(String::as_str).unwrap_or_default()),
                    label(f::LANGUAGE, &x.language),
                    text(&x.tracks),
                    CellValue::Bool(x.joint),
                ]);
            }
        }
        ListKind::Trainees | ListKind::Enrollments => {
            let rows = crate::education::list_trainees(
                db,
                caller,
                consortium_id,
                Default::default(),
                medist_db::Page::new(Some(1), Some(100_000)),
                today(),
            )
            .await?;
            let mut person_ids: Vec<i64> = rows.items.iter().map(|r| r.trainee.person_id).collect();
            for r in &rows.items {
                person_ids.extend(r.trainee.clinical_mentor_id);
                person_ids.extend(r.trainee.scientist_mentor_id);
            }
            let mut emails: HashMap<i64, String> = HashMap::new();
            for chunk in person_ids.chunks(500) {
                for p in medist_db::org::people_by_ids(db, chunk).await? {
                    emails.insert(p.id, p.email);
                }
            }
            let email = |id: Option<i64>| text(id.and_then(|i| emails.get(&i)).map(String::as_str).unwrap_or_default());
            if kind == ListKind::Trainees {
                for r in &rows.items {
                    let t = &r.trainee;
                    sheet.rows.push(vec![
                        text(&r.name_ko),
                        text(&r.name_en),
                        email(Some(t.person_id)),
                        label(f::CATEGORY, &t.category),
                        text(codes.get(&t.home_institution_id).map(String::as_str).unwrap_or_default()),
                        text(&r.program_code),
                        label(f::TRACK, &t.track),
                        label(f::STATUS, &t.status),
                        email(t.clinical_mentor_id),
                        email(t.scientist_mentor_id),
                        date(t.start_date),
                        t.applied_on.map(date).unwrap_or(CellValue::Empty),
                        t.ended_on.map(date).unwrap_or(CellValue::Empty),
                    ]);
                }
            } else {
                for r in &rows.items {
                    let file = medist_db::education::trainee_file(db, r.trainee.id).await?;
                    for e in &file.enrollments {
                        sheet.rows.push(vec![
                            email(Some(r.trainee.person_id)),
                            text(&e.course.code),
                            text(&e.institution_code),
                            date(e.enrollment.term_end),
                            text(e.enrollment.grade.as_deref().unwrap_or_default()),
                            text(&e.enrollment.credits),
                        ]);
                    }
                }
            }
        }
    }
    Ok(sheet)
}

/// A spreadsheet file format for exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

impl SheetFormat {
    pub fn parse(s: &str) -> AppResult<SheetFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(SheetFormat::Csv),
            "xlsx" | "" => Ok(SheetFormat::Xlsx),
            other => Err(AppError::bad_request("unknown-format", format!("'{other}' is not a format: csv or xlsx"))),
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            SheetFormat::Csv => "text/csv; charset=utf-8",
            SheetFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Csv => "csv",
            SheetFormat::Xlsx => "xlsx",
        }
    }
}

/// Sheets as file bytes: CSV takes the first sheet (UTF-8 with BOM so Excel shows 한글), XLSX all of them.
pub fn render_sheets(sheets: &[SheetData], format: SheetFormat) -> AppResult<Vec<u8>> {
    match format {
        SheetFormat::Csv => {
            let s = sheets.first().ok_or_else(|| AppError::Internal("nothing to export".into()))?;
            Ok(medist_tabular::write_csv(&s.headers, &s.rows))
        }
        SheetFormat::Xlsx => medist_tabular::write_xlsx(sheets).map_err(|e| AppError::Internal(e.to_string())),
    }
}

/// The training tables as sheets: admissions per year, then (for callers who see records) one outcome per trainee.
pub fn training_sheets(v: &crate::education_records::TrainingTablesView, lang: Lang) -> Vec<SheetData> {
    let ko = lang == Lang::Ko;
    let h = |k: &str, e: &str| if ko { k.to_string() } else { e.to_string() };
    let mut admissions = SheetData {
        name: h("지원·입학", "Admissions"),
        headers: vec![h("연도", "Year"), h("지원자", "Applicants"), h("합격자", "Admitted"), h("입학생", "Entrants")],
        rows: Vec::new(),
    };
    for r in &v.tables.admissions {
        admissions.rows.push(vec![
            CellValue::Integer(r.year.into()),
            CellValue::Integer(r.applicants.into()),
            CellValue::Integer(r.admitted.into()),
            CellValue::Integer(r.entrants.into()),
        ]);
    }
    let mut sheets = vec![admissions];
    if v.records_visible {
        let text = |s: &str| CellValue::Text(s.to_string());
        let pos = |p: &Option<medist_education::outcomes::Position>| match p {
            Some(p) => {
                text(&format!("{} · {} ({}, {}, {})", p.title, p.organisation, p.sector, p.career_type, p.region))
            }
            None => CellValue::Empty,
        };
        let mut outcomes = SheetData {
            name: h("교육생 성과", "Trainee outcomes"),
            headers: vec![
                h("성명", "Name"),
                h("학위과정", "Program"),
                h("트랙", "Track"),
                h("입학 연도", "Entry year"),
                h("결과", "Outcome"),
                h("결과 연도", "Outcome year"),
                h("재학 중 논문", "Publications in training"),
                h("첫 진로", "Initial position"),
                h("현재 진로", "Current position"),
            ],
            rows: Vec::new(),
        };
        for o in &v.tables.outcomes {
            outcomes.rows.push(vec![
                text(&o.name),
                text(&o.program),
                text(&o.track),
                o.entry_year.map(|y| CellValue::Integer(y.into())).unwrap_or(CellValue::Empty),
                text(&o.outcome),
                o.outcome_year.map(|y| CellValue::Integer(y.into())).unwrap_or(CellValue::Empty),
                CellValue::Integer(o.publications_in_training.into()),
                pos(&o.initial_position),
                pos(&o.current_position),
            ]);
        }
        sheets.push(outcomes);
    }
    sheets
}

/// A list (`trainees`, `courses`, `enrollments`) or the training tables (`training-tables`) as file bytes and a
/// file name.
pub async fn export_file(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    list: &str,
    format: SheetFormat,
    lang: Lang,
) -> AppResult<(Vec<u8>, String)> {
    let sheets = if matches!(list.trim(), "training-tables" | "training_tables") {
        let v = crate::education_records::training_tables(db, caller, consortium_id, None).await?;
        training_sheets(&v, lang)
    } else {
        let kind = ListKind::parse(list)?;
        vec![export_sheet(db, caller, consortium_id, kind, lang).await?]
    };
    let name = format!("medist-{}-{}.{}", list.trim().replace('_', "-"), today(), format.extension());
    // CSV holds one table: the training tables' CSV is the outcomes table when the caller sees it.
    let sheets = if format == SheetFormat::Csv && sheets.len() > 1 { sheets[1..].to_vec() } else { sheets };
    Ok((render_sheets(&sheets, format)?, name))
}

#[cfg(test)]
mod tests {
    use medist_education::roster::{CATEGORIES, LANGUAGES, TRACKS};
    use medist_education::trainee_status::TraineeStatus;

    use super::*;

    #[test]
    fn the_schemas_are_valid_and_know_every_code() {
        for k in ListKind::ALL {
            k.schema().validate().unwrap();
        }
        let codes = |s: Schema, field: &str| -> Vec<String> {
            match &s.field(field).unwrap().kind {
                FieldKind::Enum(opts) => opts.iter().map(|o| o.code.clone()).collect(),
                other => panic!("{field} is {other:?}"),
            }
        };
        assert_eq!(codes(roster_schema(), f::CATEGORY), CATEGORIES);
        assert_eq!(codes(roster_schema(), f::TRACK), TRACKS);
        assert_eq!(codes(course_schema(), f::LANGUAGE), LANGUAGES);
        let opts = codes(roster_schema(), f::STATUS);
        assert_eq!(opts.len(), TraineeStatus::ALL.len());
    }
}
