//! Education pages: the catalog (programs, courses, equivalences), trainees, and each trainee's
//! file with the degree audit and what-if audits.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::AppError;
use medist_app::education::{self as app, AuditView, CatalogView, TraineeView};
use medist_app::education_import::{self as import, EducationImportReport, ListKind, SheetFormat};
use medist_app::education_records::{self as records, OverdueMilestone, TraineeAbilities, TrainingTablesView};
use medist_db::Page;
use medist_db::Paged;
use medist_db::education::{TraineeFilter, TraineeRow};
use medist_db::education_records::{ExceptionInput, PlanView, awaits};
use medist_db::entities::alumni_position;
use medist_education::audit::{Missing, NodeReport};
use medist_education::development_plan::PlanInput;
use medist_education::outcomes::{CareerType, PositionInput, Region, Sector};
use medist_education::trainee_status::MilestoneKind;
use medist_tabular::Lang;
use serde::Deserialize;

use super::{FormState, Id, Layout, Pager, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;
use crate::i18n;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/education", get(catalog_page))
        .route("/education/offerings", post(offering_add))
        .route("/education/equivalences", post(equivalence_add))
        .route("/education/programs", post(program_add))
        .route("/trainees", get(trainees_page))
        .route("/trainees/{id}", get(trainee_page))
        .route("/trainees/{id}/status", post(trainee_status))
        .route("/trainees/{id}/milestones", post(milestone_add))
        .route("/trainee-milestones/{id}/pass", post(milestone_pass))
        .route("/trainees/{id}/exceptions", post(exception_add))
        .route("/degree-exceptions/{id}/delete", post(exception_delete))
        .route("/trainees/{id}/plans", post(plan_save))
        .route("/development-plans/{id}/sign", post(plan_sign))
        .route("/trainees/{id}/positions", post(position_add))
        .route("/alumni-positions/{id}/delete", post(position_delete))
        .route("/education/programs/{id}/rules", get(rules_page).post(rules_save))
        .route("/education/import", get(import_page).post(import_upload))
        .route("/education/export", get(export_download))
        .route("/education/training-tables", get(tables_page))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[derive(Template)]
#[template(path = "education.html")]
struct CatalogPage {
    l: Layout,
    c: CatalogView,
    inst_names: HashMap<i64, String>,
    course_codes: HashMap<i64, String>,
    can_edit: bool,
    offerings: Vec<medist_db::education_records::OfferingRow>,
    program_kinds: Vec<&'static str>,
    /// Instructors to choose from (faculty and clinicians of every institution): id, name.
    instructors: Vec<(i64, String)>,
    f: FormState,
}

impl CatalogPage {
    fn tracks(&self, tags: &str) -> String {
        tags.split(',').filter(|t| !t.is_empty()).map(|t| self.l.label("track", t)).collect::<Vec<_>>().join(", ")
    }
}

async fn catalog_page(ctx: Ctx) -> PageResult {
    catalog_view(&ctx, FormState::new(ctx.lang)).await
}

async fn catalog_view(ctx: &Ctx, f: FormState) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let c = app::catalog(&ctx.st.db, &caller, cid).await?;
    let inst_names = medist_db::org::list_institutions(&ctx.st.db, Some(cid), true)
        .await?
        .into_iter()
        .map(|i| (i.id, i.short_name))
        .collect();
    let course_codes = c.courses.iter().map(|x| (x.id, x.code.clone())).collect();
    let can_edit =
        caller.can(medist_core::access::Action::Update, medist_core::access::Resource::Catalog { consortium_id: cid });
    let offerings = records::offerings(&ctx.st.db, &caller, cid).await?;
    let instructors = if can_edit {
        let mut people = Vec::new();
        for p in medist_db::education::faculty(&ctx.st.db, cid).await? {
            people
                .push((p.id, format!("{} ({})", if p.name_ko.is_empty() { &p.name_en } else { &p.name_ko }, p.email)));
        }
        people
    } else {
        Vec::new()
    };
    let status = f.status();
    Ok((
        status,
        page(&CatalogPage {
            can_edit,
            l: Layout::from_ctx(ctx, "education-title", "nav-education"),
            c,
            inst_names,
            course_codes,
            offerings,
            program_kinds: medist_db::education::PROGRAM_KINDS.to_vec(),
            instructors,
            f,
        }),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
struct TraineesQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    track: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "trainees.html")]
struct TraineesPage {
    l: Layout,
    q: TraineesQuery,
    rows: Paged<TraineeRow>,
    pager: Pager,
    statuses: Vec<&'static str>,
    tracks: Vec<&'static str>,
    overdue: Vec<OverdueMilestone>,
    /// Program office or coordinator: import, export and training tables.
    staff: bool,
}

impl TraineesPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

pub const TRACKS: [&str; 3] = ["immuno_oncology", "regenerative_medicine", "multimodal_medicine"];

async fn trainees_page(ctx: Ctx, Query(q): Query<TraineesQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let f = TraineeFilter {
        status: Some(q.status.clone()).filter(|s| !s.is_empty()),
        track: Some(q.track.clone()).filter(|s| !s.is_empty()),
        ..Default::default()
    };
    let rows = app::list_trainees(&ctx.st.db, &caller, cid, f, Page::new(q.page, Some(50)), today()).await?;
    let pager = Pager::new(ctx.lang, "/trainees", &[("status", q.status.clone()), ("track", q.track.clone())], &rows);
    let overdue = records::overdue_milestones(&ctx.st.db, &caller, cid, today()).await?;
    let staff = caller.actor.has_role(medist_core::access::Role::Admin)
        || caller.actor.holds_in(medist_core::access::Role::ProgramOffice, Some(cid))
        || caller.actor.holds_in(medist_core::access::Role::InstitutionCoordinator, Some(cid));
    Ok(page(&TraineesPage {
        overdue,
        staff,
        l: Layout::from_ctx(&ctx, "trainees-title", "nav-trainees"),
        q,
        rows,
        pager,
        statuses: medist_education::trainee_status::TraineeStatus::ALL.iter().map(|s| s.as_str()).collect(),
        tracks: TRACKS.to_vec(),
    }))
}

/// One line of the audit tree, flattened for the page.
pub struct AuditRow {
    pub depth: usize,
    pub met: bool,
    pub title: String,
    pub requirement: String,
    pub applied: Vec<String>,
    pub missing: Option<String>,
    pub notes: Vec<String>,
    pub waived: Option<String>,
}

fn missing_text(l: &Layout, m: &Missing) -> String {
    match m {
        Missing::Course { code } => i18n::t_args(l.lang, "audit-missing-course", &[("code", code.clone())]),
        Missing::Credits { needed, filter } => {
            i18n::t_args(l.lang, "audit-missing-credits", &[("needed", needed.to_string()), ("filter", filter.clone())])
        }
        Missing::Milestone { milestone } => {
            i18n::t_args(l.lang, "audit-missing-milestone", &[("milestone", l.label("milestone", milestone.as_str()))])
        }
        Missing::Requirements { needed, of } => i18n::t_args(
            l.lang,
            "audit-missing-requirements",
            &[("needed", needed.to_string()), ("of", of.to_string())],
        ),
    }
}

fn flatten(l: &Layout, n: &NodeReport, depth: usize, out: &mut Vec<AuditRow>) {
    out.push(AuditRow {
        depth,
        met: n.met,
        title: n.label.clone().unwrap_or_else(|| n.id.clone()),
        requirement: n.requirement.clone(),
        applied: n
            .applied
            .iter()
            .map(|a| {
                let mut s = format!("{} · {} · {} · {}", a.course_code, a.institution, a.grade, a.credits);
                if a.counts_as != a.course_code {
                    s.push_str(&format!(" → {}", a.counts_as));
                }
                if a.transfer {
                    s.push_str(&format!(" · {}", l.t("audit-transfer")));
                }
                s
            })
            .collect(),
        missing: n.missing.as_ref().map(|m| missing_text(l, m)),
        notes: n.notes.clone(),
        waived: n.waived_by.as_ref().map(|w| format!("{} ({}, {})", w.exception, w.reason, w.approver)),
    });
    for c in &n.children {
        flatten(l, c, depth + 1, out);
    }
}

#[derive(Template)]
#[template(path = "trainee.html")]
struct TraineePage {
    l: Layout,
    v: TraineeView,
    audit: Option<AuditView>,
    audit_error: Option<String>,
    rows: Vec<AuditRow>,
    programs: Vec<(String, String)>,
    f: FormState,
    can: TraineeAbilities,
    plans: Vec<PlanView>,
    positions: Vec<alumni_position::Model>,
    /// Plans waiting for the viewer's signature.
    to_sign: Vec<i64>,
    /// Named requirements of the program (what a waiver can name).
    requirements: Vec<String>,
    course_codes: Vec<String>,
    milestone_kinds: Vec<&'static str>,
    sectors: Vec<&'static str>,
    career_types: Vec<&'static str>,
    regions: Vec<&'static str>,
    this_year: i32,
    today: String,
}

impl TraineePage {
    fn is_what_if(&self, code: &str) -> bool {
        self.audit.as_ref().is_some_and(|a| a.program_code == code)
    }
    /// The error of `field` when the form that failed was `form`.
    fn err_in(&self, form: &str, field: &str) -> String {
        if self.f.v("form") == form { self.f.err(field) } else { String::new() }
    }
    /// The submitted value of `field` when the form that failed was `form`.
    fn v_in(&self, form: &str, field: &str) -> String {
        if self.f.v("form") == form { self.f.v(field).to_string() } else { String::new() }
    }
    fn general_in(&self, form: &str) -> Option<String> {
        if self.f.v("form") == form { self.f.general.clone() } else { None }
    }
    fn awaits_me(&self, plan_id: &i64) -> bool {
        self.to_sign.contains(plan_id)
    }
}

#[derive(Deserialize, Default)]
struct TraineeQuery {
    #[serde(default)]
    what_if: String,
}

async fn trainee_view(ctx: &Ctx, id: i64, what_if: String, f: FormState) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::trainee(&ctx.st.db, &caller, id, today()).await?;
    let wi = Some(what_if.as_str()).filter(|w| !w.is_empty() && *w != v.file.program.code);
    let (audit, audit_error) = match app::degree_audit(&ctx.st.db, &caller, id, wi).await {
        Ok(a) => (Some(a), None),
        Err(AppError::BadRequest { detail, .. }) => (None, Some(detail)),
        Err(e) => return Err(e.into()),
    };
    let l = Layout::from_ctx(ctx, "trainee-title", "nav-trainees");
    let mut rows = Vec::new();
    if let Some(a) = &audit {
        flatten(&l, &a.report.root, 0, &mut rows);
    }
    let programs = medist_db::education::programs(&ctx.st.db, v.file.trainee.consortium_id)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), l.pick(&p.title_ko, &p.title_en).to_string()))
        .collect();
    let status = f.status();
    let t = &v.file.trainee;
    let can = records::abilities(&caller, t);
    let plans = records::plans(&ctx.st.db, &caller, id).await?;
    let to_sign = caller
        .actor
        .person_id
        .map(|me| plans.iter().filter(|p| awaits(p, t, me)).map(|p| p.plan.id).collect())
        .unwrap_or_default();
    let positions = records::positions(&ctx.st.db, &caller, id).await?;
    let requirements = medist_education::rules::parse_rules(&v.file.program.rules_text)
        .map(|r| r.requirements.into_keys().collect())
        .unwrap_or_default();
    let course_codes =
        medist_db::education::courses(&ctx.st.db, t.consortium_id).await?.into_iter().map(|c| c.code).collect();
    let now = today();
    Ok((
        status,
        page(&TraineePage {
            l,
            v,
            audit,
            audit_error,
            rows,
            programs,
            f,
            can,
            plans,
            positions,
            to_sign,
            requirements,
            course_codes,
            milestone_kinds: MilestoneKind::ALL.iter().map(|k| k.as_str()).collect(),
            sectors: Sector::ALL.iter().map(|x| x.as_str()).collect(),
            career_types: CareerType::ALL.iter().map(|x| x.as_str()).collect(),
            regions: Region::ALL.iter().map(|x| x.as_str()).collect(),
            this_year: chrono::Datelike::year(&now),
            today: now.to_string(),
        }),
    )
        .into_response())
}

async fn trainee_page(ctx: Ctx, Id(id): Id, Query(q): Query<TraineeQuery>) -> PageResult {
    trainee_view(&ctx, id, q.what_if, FormState::new(ctx.lang)).await
}

async fn trainee_status(ctx: Ctx, Id(id): Id, Form(v): Form<HashMap<String, String>>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    match app::change_status(&ctx.st.db, &caller, id, &g("status"), &g("reason")).await {
        Ok(_) => Ok(Redirect::to(&format!("/trainees/{id}?ok=saved")).into_response()),
        Err(e) => trainee_view(&ctx, id, String::new(), FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}

type Fields = HashMap<String, String>;

fn date_field(v: &Fields, k: &str) -> Option<chrono::NaiveDate> {
    v.get(k).and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
}

/// Runs a trainee-page form: on success back to the trainee's page with a flash, on a field or state error the
/// page again with the form's values and messages (the hidden `form` field says which form failed).
async fn trainee_form<T>(ctx: &Ctx, trainee_id: i64, form: &str, v: Fields, result: Result<T, AppError>) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/trainees/{trainee_id}?ok=saved")).into_response()),
        Err(e) => {
            let mut v = v;
            v.insert("form".into(), form.into());
            trainee_view(ctx, trainee_id, String::new(), FormState::from_values(ctx.lang, v).fail(e)?).await
        }
    }
}

async fn milestone_add(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let kind = v.get("kind").cloned().unwrap_or_default();
    let r = records::add_milestone(&ctx.st.db, &caller, id, &kind, date_field(&v, "due_date")).await;
    trainee_form(&ctx, id, "milestone", v, r).await
}

async fn milestone_pass(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let m = medist_db::education_records::get_milestone(&ctx.st.db, id).await?;
    let now = today();
    let on = date_field(&v, "passed_on").unwrap_or(now);
    let r = records::pass_milestone(&ctx.st.db, &caller, id, on, now).await;
    trainee_form(&ctx, m.trainee_id, "milestone", v, r).await
}

async fn exception_add(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = ExceptionInput {
        kind: g("kind"),
        requirement: g("requirement"),
        taken_code: g("taken_code"),
        counts_as_code: g("counts_as_code"),
        reason: g("reason"),
    };
    let r = records::add_exception(&ctx.st.db, &caller, id, &input).await;
    trainee_form(&ctx, id, "exception", v, r).await
}

async fn exception_delete(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let x = medist_db::education_records::get_exception(&ctx.st.db, id).await?;
    records::delete_exception(&ctx.st.db, &caller, id).await?;
    Ok(Redirect::to(&format!("/trainees/{}?ok=saved", x.trainee_id)).into_response())
}

async fn plan_save(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = PlanInput {
        year: g("year").trim().parse().unwrap_or(0),
        goals: g("goals"),
        activities: g("activities"),
        reflection: g("reflection"),
    };
    let submit = v.get("submit").is_some_and(|s| s == "1");
    let r = records::save_plan(&ctx.st.db, &caller, id, &input, submit, today()).await;
    trainee_form(&ctx, id, "plan", v, r).await
}

async fn plan_sign(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let p = medist_db::education_records::get_plan(&ctx.st.db, id).await?;
    let r = records::sign_plan(&ctx.st.db, &caller, id).await;
    trainee_form(&ctx, p.trainee_id, "plan", Fields::new(), r).await
}

async fn position_add(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = PositionInput {
        title: g("title"),
        organisation: g("organisation"),
        sector: g("sector"),
        career_type: g("career_type"),
        region: g("region"),
        start_date: date_field(&v, "start_date"),
        end_date: date_field(&v, "end_date"),
        source: g("source"),
        as_of: date_field(&v, "as_of"),
    };
    let r = records::add_position(&ctx.st.db, &caller, id, &input, today()).await;
    trainee_form(&ctx, id, "position", v, r).await
}

async fn position_delete(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let p = medist_db::education_records::get_position(&ctx.st.db, id).await?;
    records::delete_position(&ctx.st.db, &caller, id).await?;
    Ok(Redirect::to(&format!("/trainees/{}?ok=saved", p.trainee_id)).into_response())
}

/// The offering form: `course_id`, `term`, `term_end`, `capacity` (empty: no limit), `instructor_ids` (repeated).
async fn offering_add(ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let course_id: i64 = get("course_id").parse().unwrap_or(0);
    let capacity = get("capacity");
    let input = medist_education::offerings::OfferingInput {
        term: get("term"),
        term_end: chrono::NaiveDate::parse_from_str(&get("term_end"), "%Y-%m-%d").ok(),
        capacity: if capacity.is_empty() { None } else { Some(capacity.parse().unwrap_or(-1)) },
        instructor_ids: pairs
            .iter()
            .filter(|(n, _)| n == "instructor_ids")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
    };
    match records::create_offering(&ctx.st.db, &caller, course_id, &input).await {
        Ok(_) => Ok(Redirect::to("/education?ok=saved#offerings").into_response()),
        Err(e) => {
            let values: HashMap<String, String> = pairs.into_iter().collect();
            catalog_view(&ctx, FormState::from_values(ctx.lang, values).fail(e)?).await
        }
    }
}

/// The equivalence form: `from_code`, `to_code`, `effective_from`, `effective_to`.
async fn equivalence_add(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let r = app::create_equivalence(
        &ctx.st.db,
        &caller,
        cid,
        &g("from_code"),
        &g("to_code"),
        date_field(&v, "effective_from"),
        date_field(&v, "effective_to"),
    )
    .await;
    match r {
        Ok(_) => Ok(Redirect::to("/education?ok=saved#equivalences").into_response()),
        Err(e) => catalog_view(&ctx, FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}

/// The new-program form: `code`, `title_ko`, `title_en`, `kind`, `catalog_year`, `rules`.
async fn program_add(ctx: Ctx, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    let rules = g("rules").replace("\r\n", "\n");
    let year: i32 = g("catalog_year").trim().parse().unwrap_or(0);
    let r = app::create_program(
        &ctx.st.db,
        &caller,
        cid,
        &g("code"),
        &g("title_ko"),
        &g("title_en"),
        &g("kind"),
        year,
        &rules,
    )
    .await;
    match r {
        Ok(Ok(_)) => Ok(Redirect::to("/education?ok=saved").into_response()),
        Ok(Err(check)) => {
            let mut f = FormState::from_values(ctx.lang, v);
            f.general = Some(check.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join(" · "));
            catalog_view(&ctx, f).await
        }
        Err(e) => catalog_view(&ctx, FormState::from_values(ctx.lang, v).fail(e)?).await,
    }
}

// Program rules -------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "program_rules.html")]
struct RulesPage {
    l: Layout,
    program: medist_db::entities::degree_program::Model,
    text: String,
    check: Option<app::RulesCheck>,
}

async fn rules_view(ctx: &Ctx, id: i64, text: Option<String>, check: Option<app::RulesCheck>) -> PageResult {
    let caller = ctx.caller()?;
    let c = app::catalog(&ctx.st.db, &caller, super::consortium_of(ctx, &caller).await?).await?;
    let program = c
        .programs
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| AppError::NotFound { entity: "degree_program", id: id.to_string() })?;
    caller.require(
        medist_core::access::Action::Update,
        medist_core::access::Resource::Catalog { consortium_id: program.consortium_id },
    )?;
    let status = if check.as_ref().is_some_and(|c| !c.valid) {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let text = text.unwrap_or_else(|| program.rules_text.clone());
    Ok((
        status,
        page(&RulesPage { l: Layout::from_ctx(ctx, "program-rules-title", "nav-education"), program, text, check }),
    )
        .into_response())
}

async fn rules_page(ctx: Ctx, Id(id): Id) -> PageResult {
    rules_view(&ctx, id, None, None).await
}

/// The rules form: `rules`, and `check` (check only) or save.
async fn rules_save(ctx: Ctx, Id(id): Id, Form(v): Form<Fields>) -> PageResult {
    let caller = ctx.caller()?;
    let text = v.get("rules").cloned().unwrap_or_default().replace("\r\n", "\n");
    let dry_run = v.get("action").is_some_and(|a| a == "check");
    let check = app::set_program_rules(&ctx.st.db, &caller, id, &text, dry_run).await?;
    if check.saved {
        return Ok(Redirect::to("/education?ok=saved").into_response());
    }
    rules_view(&ctx, id, Some(text), Some(check)).await
}

// Import, export, training tables ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "education_import.html")]
struct ImportPage {
    l: Layout,
    lists: Vec<&'static str>,
    chosen: String,
    report: Option<EducationImportReport>,
    file_name: String,
    error: Option<String>,
}

impl ImportPage {
    fn is(&self, a: &str) -> bool {
        self.chosen == a
    }
}

fn import_view(
    ctx: &Ctx,
    chosen: String,
    report: Option<EducationImportReport>,
    file_name: String,
    error: Option<String>,
) -> Response {
    let status = if error.is_some() || report.as_ref().is_some_and(|r| !r.problems.is_empty()) {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    (
        status,
        page(&ImportPage {
            l: Layout::from_ctx(ctx, "education-import-title", "nav-trainees"),
            lists: ListKind::ALL.iter().map(|k| k.as_str()).collect(),
            chosen,
            report,
            file_name,
            error,
        }),
    )
        .into_response()
}

#[derive(Deserialize, Default)]
struct ImportQuery {
    #[serde(default)]
    list: String,
}

async fn import_page(ctx: Ctx, Query(q): Query<ImportQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    if !import::may_import(&caller, cid) {
        return Err(AppError::Forbidden("forbidden").into());
    }
    let chosen = if q.list.is_empty() { "trainees".to_string() } else { q.list };
    Ok(import_view(&ctx, chosen, None, String::new(), None))
}

/// The upload form: `list`, `file` and `dry_run` (a preview that writes nothing).
async fn import_upload(ctx: Ctx, form: axum::extract::Multipart) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    if !import::may_import(&caller, cid) {
        return Err(AppError::Forbidden("forbidden").into());
    }
    let up = match super::outputs::read_upload(form, "upload.csv").await {
        Ok(u) => u,
        Err(AppError::BadRequest { detail, .. }) => {
            return Ok(import_view(&ctx, "trainees".into(), None, String::new(), Some(detail)));
        }
        Err(e) => return Err(e.into()),
    };
    let chosen = up.fields.get("list").cloned().unwrap_or_else(|| "trainees".into());
    let kind = ListKind::parse(&chosen)?;
    let dry_run = up.fields.contains_key("dry_run");
    match import::import(&ctx.st.db, &caller, cid, kind, &up.bytes, &up.name, dry_run).await {
        Ok(report) => Ok(import_view(&ctx, chosen, Some(report), up.name, None)),
        Err(AppError::BadRequest { detail, .. }) => Ok(import_view(&ctx, chosen, None, up.name, Some(detail))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct ExportQuery {
    #[serde(default)]
    list: String,
    #[serde(default)]
    format: String,
}

async fn export_download(ctx: Ctx, Query(q): Query<ExportQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let format = SheetFormat::parse(&q.format)?;
    let lang = if ctx.lang == medist_core::locale::Locale::En { Lang::En } else { Lang::Ko };
    let (bytes, name) = import::export_file(&ctx.st.db, &caller, cid, &q.list, format, lang).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, format.content_type().to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "training_tables.html")]
struct TablesPage {
    l: Layout,
    v: TrainingTablesView,
    institutions: Vec<(i64, String)>,
    chosen: Option<i64>,
}

impl TablesPage {
    fn is(&self, id: &i64) -> bool {
        self.chosen == Some(*id)
    }
    fn position(&self, p: &Option<medist_education::outcomes::Position>) -> String {
        match p {
            None => "—".into(),
            Some(p) => format!(
                "{} · {} ({}, {}, {})",
                p.title,
                p.organisation,
                self.l.label("sector", p.sector.as_str()),
                self.l.label("career-type", p.career_type.as_str()),
                self.l.label("region", p.region.as_str())
            ),
        }
    }
}

#[derive(Deserialize, Default)]
struct TablesQuery {
    institution: Option<String>,
}

async fn tables_page(ctx: Ctx, Query(q): Query<TablesQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let chosen = q.institution.as_deref().and_then(|s| s.parse().ok());
    let v = records::training_tables(&ctx.st.db, &caller, cid, chosen).await?;
    let institutions = medist_db::org::list_institutions(&ctx.st.db, Some(cid), false)
        .await?
        .into_iter()
        .map(|i| (i.id, i.short_name))
        .collect();
    Ok(page(&TablesPage {
        l: Layout::from_ctx(&ctx, "training-tables-title", "nav-trainees"),
        chosen: v.institution_id,
        v,
        institutions,
    }))
}
