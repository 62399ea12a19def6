//! Research & translation pages: needs, screening rounds, matching, projects, data access, the joint institute,
//! notifications.
//!
//! The rules' own types (tracks, aims, gate decisions, …) are built from the form's text through serde, so each
//! unknown value becomes a message under its field; the use cases of `medist_app::research` check access first.

use std::collections::{BTreeSet, HashMap};
use std::ops::Deref;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use medist_app::research::{self as app, NeedDetail};
use medist_app::{AppError, Caller};
use medist_core::FieldErrors;
use medist_core::access::{Action, Resource, Role};
use medist_core::locale::Locale;
use medist_db::entities::{
    booking, data_access_request, dataset, equipment, institution, irb_approval, need, need_transition, notification,
    project, screening_round,
};
use medist_db::research::{
    self as store, AccessView, DatasetInput, MemberInput, NeedFilter, NeedMeta, NeedView, ProjectFilter, ProjectInput,
    ProjectRow, ProjectView, ScoreInput,
};
use medist_db::{Page, Paged};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{FormState, Id, Layout, Pager, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;
use crate::i18n;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/needs", get(needs_page).post(need_create))
        .route("/needs/new", get(need_new_page))
        .route("/needs/{id}", get(need_page))
        .route("/needs/{id}/edit", post(need_edit))
        .route("/needs/{id}/transition", post(need_transition))
        .route("/needs/{id}/convert", post(need_convert))
        .route("/screening", get(rounds_page).post(round_create))
        .route("/screening/{id}", get(round_page))
        .route("/screening/{id}/score", post(round_score))
        .route("/screening/{id}/close", post(round_close))
        .route("/projects", get(projects_page).post(project_create))
        .route("/projects/new", get(project_new_page))
        .route("/projects/{id}", get(project_page))
        .route("/projects/{id}/members", post(member_add))
        .route("/projects/{id}/members/remove", post(member_remove))
        .route("/projects/{id}/status", post(project_status))
        .route("/projects/{id}/gate", post(project_gate))
        .route("/projects/{id}/irb", post(project_irb))
        .route("/projects/{id}/edit", post(project_edit))
        .route("/projects/{id}/milestones", post(milestone_add))
        .route("/milestones/{id}/done", post(milestone_done))
        .route("/milestones/{id}/delete", post(milestone_delete))
        .route("/data", get(data_page))
        .route("/data/datasets", post(dataset_create))
        .route("/data/requests", post(access_create))
        .route("/data/requests/{id}/transition", post(access_transition))
        .route("/institute", get(institute_page))
        .route("/institute/rooms", post(room_create))
        .route("/institute/allocations", post(allocation_create))
        .route("/institute/equipment", post(equipment_create))
        .route("/institute/equipment/{id}", get(equipment_page))
        .route("/institute/equipment/{id}/book", post(equipment_book))
        .route("/institute/bookings/{id}/cancel", post(booking_cancel))
        .route("/notifications", get(notifications_page))
        .route("/notifications/read-all", post(notifications_read_all))
        .route("/notifications/{id}/read", post(notification_read))
}

// Shared pieces ---------------------------------------------------------------------------------------------------

const NEED_STATES: [&str; 9] =
    ["draft", "submitted", "triage", "returned", "merged", "rejected", "screening", "selected", "converted_to_project"];
const TRACKS: [&str; 3] = ["immuno_oncology", "regenerative_medicine", "multimodal_medicine"];
const URGENCIES: [&str; 4] = ["low", "medium", "high", "critical"];
const AIMS: [&str; 4] =
    ["early_diagnosis", "precision_treatment_target", "new_drug_or_treatment", "ai_platform_multi_omics"];
const MEMBER_ROLES: [&str; 4] = ["principal_investigator", "co_investigator", "researcher", "trainee"];
const BACKGROUNDS: [&str; 3] = ["clinician", "physician_scientist", "scientist"];
const PROJECT_STATUSES: [&str; 5] = ["proposed", "approved", "active", "completed", "terminated"];
const STAGES: [&str; 4] = ["basic", "preclinical", "clinical_validation", "commercialization"];
const DECISIONS: [&str; 4] = ["advance", "continue", "pivot", "stop"];
const CATEGORIES: [&str; 2] = ["physician_scientist", "medical_scientist"];
/// Roles that take part in research (for the screening panel).
const RESEARCH_ROLES: [Role; 6] = [
    Role::ProgramOffice,
    Role::InstitutionCoordinator,
    Role::Faculty,
    Role::Trainee,
    Role::Clinician,
    Role::CommercializationStaff,
];

/// A posted form, with repeated names kept (lists of checkboxes).
#[derive(Default)]
pub(super) struct Fields(pub(super) Vec<(String, String)>);

impl Fields {
    pub(super) fn get(&self, k: &str) -> String {
        self.0.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub(super) fn all(&self, k: &str) -> Vec<String> {
        self.0.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect()
    }
    pub(super) fn ids(&self, k: &str) -> Vec<i64> {
        self.all(k).iter().filter_map(|v| v.trim().parse().ok()).collect()
    }
    pub(super) fn id(&self, k: &str) -> Option<i64> {
        self.get(k).trim().parse().ok()
    }
    /// The values for re-rendering: the last value of a name, and `name:value` for each value of a list.
    fn map(&self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        for (k, v) in &self.0 {
            m.insert(format!("{k}:{v}"), "on".to_string());
            m.insert(k.clone(), v.clone());
        }
        m
    }
}

/// A form's state. Messages of the research rules are English sentences rather than codes; they are shown as
/// they are.
pub struct Fs(FormState);

impl Deref for Fs {
    type Target = FormState;
    fn deref(&self) -> &FormState {
        &self.0
    }
}

impl Fs {
    pub(super) fn new(lang: Locale) -> Fs {
        Fs(FormState::new(lang))
    }
    pub(super) fn of(lang: Locale, v: &Fields) -> Fs {
        Fs(FormState::from_values(lang, v.map()))
    }
    pub(super) fn from_pairs(lang: Locale, pairs: &[(&str, String)]) -> Fs {
        let mut f = FormState::new(lang);
        for (k, v) in pairs {
            f.values.insert((*k).to_string(), v.clone());
        }
        Fs(f)
    }
    pub(super) fn fail(self, e: AppError) -> Result<Fs, AppError> {
        self.0.fail(e).map(Fs)
    }
    fn invalid(mut self, e: FieldErrors) -> Fs {
        self.0.errors = e;
        self
    }
    fn message(&self, code: &str) -> String {
        let key = format!("error-{code}");
        if i18n::has(self.lang, &key) { i18n::t(self.lang, &key) } else { code.to_string() }
    }
    pub(super) fn err(&self, name: &str) -> String {
        self.errors.for_field(name).map(|c| self.message(c)).unwrap_or_default()
    }
    /// The form's general message and the messages of fields it does not show.
    pub(super) fn others(&self, shown: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = self.general.iter().cloned().collect();
        for e in &self.errors.0 {
            if !shown.contains(&e.field.as_str()) {
                out.push(self.message(&e.code));
            }
        }
        out
    }
    fn checked_item(&self, list: &str, value: &str) -> bool {
        self.values.contains_key(&format!("{list}:{value}"))
    }
}

/// A rule type from its snake_case text (through serde); an unknown value is a message under the field.
pub(super) fn parse_as<T: DeserializeOwned>(e: &mut FieldErrors, field: &str, v: Value) -> Option<T> {
    match serde_json::from_value(v) {
        Ok(x) => Some(x),
        Err(_) => {
            e.add(field, "unknown-value");
            None
        }
    }
}

pub(super) fn required_enum<T: DeserializeOwned>(e: &mut FieldErrors, field: &str, s: &str) -> Option<T> {
    if s.trim().is_empty() {
        e.add(field, "required");
        return None;
    }
    parse_as(e, field, Value::String(s.trim().to_string()))
}

pub(super) fn optional_date(e: &mut FieldErrors, field: &str, s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    if d.is_none() {
        e.add(field, "invalid-date");
    }
    d
}

pub(super) fn required_date(e: &mut FieldErrors, field: &str, s: &str) -> Option<NaiveDate> {
    if s.trim().is_empty() {
        e.add(field, "required");
        return None;
    }
    optional_date(e, field, s)
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Korea Standard Time (UTC+9, no daylight saving).
fn kst(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc() + Duration::hours(9)
}

fn from_kst(t: NaiveDateTime) -> DateTime<Utc> {
    (t - Duration::hours(9)).and_utc()
}

fn snake_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn label(lang: Locale, prefix: &str, value: &str) -> String {
    i18n::t(lang, &format!("{prefix}-{}", value.replace('_', "-")))
}

/// A screening criterion's name: translated for the usual ones, the key itself otherwise.
fn criterion_label(lang: Locale, key: &str) -> String {
    let k = format!("criterion-{}", key.replace('_', "-"));
    if i18n::has(lang, &k) { i18n::t(lang, &k) } else { key.to_string() }
}

/// The need statement as one sentence in the page's language.
fn sentence(lang: Locale, n: &need::Model) -> String {
    i18n::t_args(
        lang,
        "need-sentence",
        &[("problem", n.problem.clone()), ("population", n.population.clone()), ("outcome", n.outcome.clone())],
    )
}

async fn institutions(ctx: &Ctx, cid: i64) -> Result<Vec<institution::Model>, AppError> {
    Ok(medist_db::org::list_institutions(&ctx.st.db, Some(cid), false).await?)
}

fn inst_names(list: &[institution::Model]) -> HashMap<i64, String> {
    list.iter().map(|i| (i.id, i.short_name.clone())).collect()
}

/// People of the consortium who can join a project, as (id, name).
pub(super) async fn people_choices(ctx: &Ctx, cid: i64, lang: Locale) -> Result<Vec<(i64, String)>, AppError> {
    let f = medist_db::org::PeopleFilter { consortium_id: Some(cid), ..Default::default() };
    let people = medist_db::org::list_people(&ctx.st.db, &f, Page::new(Some(1), Some(500))).await?;
    let names = inst_names(&institutions(ctx, cid).await?);
    Ok(people
        .items
        .into_iter()
        .map(|p| {
            let name = match lang {
                Locale::Ko => format!("{} ({})", p.name_ko, p.name_en),
                Locale::En => format!("{} ({})", p.name_en, p.name_ko),
            };
            (p.id, format!("{name} · {}", names.get(&p.institution_id).cloned().unwrap_or_default()))
        })
        .collect())
}

// Needs -----------------------------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct NeedsQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    track: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    mine: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "research_needs.html")]
struct NeedsPage {
    l: Layout,
    q: NeedsQuery,
    items: Paged<NeedView>,
    pager: Pager,
    states: Vec<&'static str>,
    tracks: Vec<&'static str>,
    can_create: bool,
}

impl NeedsPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

async fn needs_page(ctx: Ctx, Query(q): Query<NeedsQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let f = NeedFilter {
        state: Some(q.state.clone()).filter(|s| !s.is_empty()),
        track: Some(q.track.clone()).filter(|s| !s.is_empty()),
        submitted_by_user: (!q.mine.is_empty()).then_some(caller.actor.user_id),
        q: Some(q.q.clone()).filter(|s| !s.is_empty()),
    };
    let items = app::list_needs(&ctx.st.db, &caller, cid, &f, Page::new(q.page, Some(50))).await?;
    let pager = Pager::new(
        ctx.lang,
        "/needs",
        &[("state", q.state.clone()), ("track", q.track.clone()), ("q", q.q.clone()), ("mine", q.mine.clone())],
        &items,
    );
    Ok(page(&NeedsPage {
        l: Layout::from_ctx(&ctx, "needs-title", "nav-needs"),
        q,
        items,
        pager,
        states: NEED_STATES.to_vec(),
        tracks: TRACKS.to_vec(),
        can_create: caller.can(Action::Create, Resource::Need { consortium_id: cid, submitter: None }),
    }))
}

#[derive(Template)]
#[template(path = "research_need_new.html")]
struct NeedNewPage {
    l: Layout,
    f: Fs,
    institutions: Vec<institution::Model>,
    tracks: Vec<&'static str>,
    urgencies: Vec<&'static str>,
}

async fn need_new_view(ctx: &Ctx, f: Fs) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    caller.require(Action::Create, Resource::Need { consortium_id: cid, submitter: None })?;
    let status = f.status();
    Ok((
        status,
        page(&NeedNewPage {
            l: Layout::from_ctx(ctx, "need-new-title", "nav-needs"),
            f,
            institutions: institutions(ctx, cid).await?,
            tracks: TRACKS.to_vec(),
            urgencies: URGENCIES.to_vec(),
        }),
    )
        .into_response())
}

async fn need_new_page(ctx: Ctx) -> PageResult {
    let f = Fs::from_pairs(ctx.lang, &[("urgency", "medium".into())]);
    need_new_view(&ctx, f).await
}

/// The need's statement and fields as the rules take them, and its title, track and institution.
fn need_input(f: &Fields, submitter_name: &str) -> Result<(NeedMeta, Value), FieldErrors> {
    let mut e = FieldErrors::new();
    let track =
        if f.get("track").trim().is_empty() { None } else { required_enum(&mut e, "track", &f.get("track")).map(Some) };
    let institution_id = match f.get("institution_id").trim() {
        "" => None,
        s => match s.parse() {
            Ok(i) => Some(i),
            Err(_) => {
                e.add("institution_id", "invalid-id");
                None
            }
        },
    };
    e.clone().into_result()?;
    let meta = NeedMeta {
        title: f.get("title"),
        track: track.flatten(),
        institution_id,
        submitter_name: submitter_name.to_string(),
        is_sample: false,
    };
    let input = json!({
        "problem": f.get("problem"),
        "population": f.get("population"),
        "outcome": f.get("outcome"),
        "disease_area": f.get("disease_area"),
        "clinical_setting": f.get("clinical_setting"),
        "current_practice": f.get("current_practice"),
        "evidence": f.get("evidence"),
        "urgency": f.get("urgency"),
    });
    Ok((meta, input))
}

/// Checks the title along with the rules' checks, so that one answer lists every bad field.
fn title_check(f: &Fields, e: &mut FieldErrors) {
    if f.get("title").trim().is_empty() {
        e.add("title", "required");
    }
}

async fn need_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Need { consortium_id: cid, submitter: None })?;
    let f = Fields(v);
    let name = ctx.auth.as_ref().map(|a| a.user.display_name.clone()).unwrap_or_default();
    let (meta, input) = match need_input(&f, &name) {
        Ok(x) => x,
        Err(e) => return need_new_view(&ctx, Fs::of(ctx.lang, &f).invalid(e)).await,
    };
    let input = match serde_json::from_value(input) {
        Ok(i) => i,
        Err(_) => return Err(AppError::bad_request("malformed-body", "the need form is incomplete").into()),
    };
    if let Err(AppError::Invalid(mut e)) = app::check_need(&input) {
        title_check(&f, &mut e);
        return need_new_view(&ctx, Fs::of(ctx.lang, &f).invalid(e)).await;
    }
    let submit = f.get("intent") == "submit";
    match app::create_need(&ctx.st.db, &caller, cid, &meta, &input, submit).await {
        Ok(n) => {
            let ok = if submit { "submitted" } else { "created" };
            Ok(Redirect::to(&format!("/needs/{}?ok={ok}", n.id)).into_response())
        }
        Err(e) => need_new_view(&ctx, Fs::of(ctx.lang, &f).fail(e)?).await,
    }
}

#[derive(Deserialize, Default)]
struct MatchQuery {
    #[serde(default)]
    inst: String,
    #[serde(default)]
    cat: String,
}

/// A step the viewer may take on a need.
struct NeedStep {
    name: &'static str,
    reason: bool,
    merge: bool,
    danger: bool,
}

struct SourceView {
    kind: String,
    word: String,
    title: String,
    href: Option<String>,
}

struct TermView {
    term: String,
    query_words: String,
    contribution: String,
    sources: Vec<SourceView>,
    /// Sources not listed (the list keeps the first few).
    more_sources: usize,
}

/// How many matched terms, and sources of each, a ranked researcher's reasons list.
const TERMS_SHOWN: usize = 5;
const SOURCES_SHOWN: usize = 3;

struct RankedView {
    rank: usize,
    person_id: i64,
    name: String,
    institution: String,
    background: String,
    category: Option<String>,
    score: String,
    terms: Vec<TermView>,
    more_terms: usize,
}

struct TeamMemberView {
    name: String,
    institution: String,
    background: String,
    score: String,
}

struct TeamView {
    members: Vec<TeamMemberView>,
    flags: Vec<String>,
}

/// A person who may join the project made from the need, with the role proposed (empty: not in it).
struct Candidate {
    person_id: i64,
    name: String,
    institution: String,
    background: String,
    in_team: bool,
    role: String,
}

struct MatchView {
    ranked: Vec<RankedView>,
    teams: Vec<TeamView>,
    team_problem: Option<String>,
}

#[derive(Template)]
#[template(path = "research_need.html")]
struct NeedPage {
    l: Layout,
    n: NeedView,
    sentence: String,
    history: Vec<need_transition::Model>,
    can_edit: bool,
    steps: Vec<NeedStep>,
    f: Fs,
    tf: Fs,
    cf: Fs,
    institutions: Vec<institution::Model>,
    tracks: Vec<&'static str>,
    urgencies: Vec<&'static str>,
    aims: Vec<&'static str>,
    roles: Vec<&'static str>,
    categories: Vec<&'static str>,
    mq: MatchQuery,
    matching: Option<MatchView>,
    can_convert: bool,
    candidates: Vec<Candidate>,
}

impl NeedPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

#[derive(Default)]
struct NeedForms {
    f: Option<Fs>,
    tf: Option<Fs>,
    cf: Option<Fs>,
}

fn need_steps(state: &str, is_office: bool, may_submit: bool) -> Vec<NeedStep> {
    let s = |name, reason, merge, danger| NeedStep { name, reason, merge, danger };
    let mut out = Vec::new();
    if may_submit && matches!(state, "draft" | "returned") {
        out.push(s("submit", false, false, false));
    }
    if is_office {
        match state {
            "submitted" => out.push(s("start_triage", false, false, false)),
            "triage" => {
                out.push(s("start_screening", false, false, false));
                out.push(s("return", true, false, false));
                out.push(s("merge", true, true, false));
                out.push(s("reject", true, false, true));
            }
            "screening" => {
                out.push(s("select", false, false, false));
                out.push(s("reject", true, false, true));
            }
            _ => {}
        }
    }
    out
}

async fn publication_titles(ctx: &Ctx, ids: Vec<i64>) -> Result<HashMap<i64, String>, AppError> {
    use medist_db::entities::publication;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(publication::Entity::find()
        .filter(publication::Column::Id.is_in(ids))
        .all(&ctx.st.db.conn)
        .await
        .map_err(medist_db::StoreError::from)?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect())
}

async fn project_titles(ctx: &Ctx, ids: Vec<i64>) -> Result<HashMap<i64, (String, String)>, AppError> {
    use medist_db::entities::project;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(project::Entity::find()
        .filter(project::Column::Id.is_in(ids))
        .all(&ctx.st.db.conn)
        .await
        .map_err(medist_db::StoreError::from)?
        .into_iter()
        .map(|p| (p.id, (p.code, if ctx.lang == Locale::Ko { p.title_ko } else { p.title_en })))
        .collect())
}

async fn match_view(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    mq: &MatchQuery,
    names: &HashMap<i64, String>,
) -> Result<MatchView, AppError> {
    let filter = json!({
        "institution_ids": mq.inst.trim().parse::<i64>().ok().into_iter().collect::<Vec<_>>(),
        "faculty_categories": CATEGORIES.iter().filter(|c| **c == mq.cat).collect::<Vec<_>>(),
    });
    let filter = serde_json::from_value(filter).map_err(|e| AppError::Internal(e.to_string()))?;
    let m = app::match_need(&ctx.st.db, caller, id, &filter, 15, 3).await?;
    let sources: Vec<Value> = m
        .ranked
        .iter()
        .flat_map(|r| r.matched_terms.iter().flat_map(|t| t.sources.iter().map(|s| json!(s.source))))
        .collect();
    let of = |kind: &str| -> Vec<i64> {
        sources.iter().filter(|s| s["field"] == kind).filter_map(|s| s["id"].as_i64()).collect()
    };
    let pubs = publication_titles(ctx, of("publication")).await?;
    let projs = project_titles(ctx, of("project")).await?;
    let people: HashMap<i64, String> = m.ranked.iter().map(|r| (r.researcher_id, r.name.clone())).collect();
    let ranked = m
        .ranked
        .iter()
        .enumerate()
        .map(|(i, r)| RankedView {
            rank: i + 1,
            person_id: r.researcher_id,
            name: r.name.clone(),
            institution: names.get(&r.institution_id).cloned().unwrap_or_default(),
            background: snake_of(&r.background),
            category: r.faculty_category.map(|c| c.as_str().to_string()),
            score: format!("{:.2}", r.score),
            more_terms: r.matched_terms.len().saturating_sub(TERMS_SHOWN),
            terms: r
                .matched_terms
                .iter()
                .take(TERMS_SHOWN)
                .map(|t| TermView {
                    term: t.term.clone(),
                    query_words: t.query_words.join(", "),
                    contribution: format!("{:.2}", t.contribution),
                    more_sources: t.sources.len().saturating_sub(SOURCES_SHOWN),
                    sources: t
                        .sources
                        .iter()
                        .take(SOURCES_SHOWN)
                        .map(|s| {
                            let v = json!(s.source);
                            let kind = v["field"].as_str().unwrap_or_default().to_string();
                            let sid = v["id"].as_i64().unwrap_or_default();
                            let (title, href) = match kind.as_str() {
                                "keyword" => (v["keyword"].as_str().unwrap_or_default().to_string(), None),
                                "publication" => (
                                    pubs.get(&sid).cloned().unwrap_or_else(|| format!("#{sid}")),
                                    Some(format!("/publications/{sid}")),
                                ),
                                _ => (
                                    projs
                                        .get(&sid)
                                        .map(|(c, t)| format!("{c} {t}"))
                                        .unwrap_or_else(|| format!("#{sid}")),
                                    Some(format!("/projects/{sid}")),
                                ),
                            };
                            SourceView { kind, word: s.word.clone(), title, href }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let teams = m
        .teams
        .iter()
        .map(|t| TeamView {
            members: t
                .members
                .iter()
                .map(|x| TeamMemberView {
                    name: people.get(&x.researcher_id).cloned().unwrap_or_default(),
                    institution: names.get(&x.institution_id).cloned().unwrap_or_default(),
                    background: snake_of(&x.background),
                    score: format!("{:.2}", x.score),
                })
                .collect(),
            flags: t.flags.iter().map(snake_of).collect(),
        })
        .collect();
    Ok(MatchView { ranked, teams, team_problem: m.team_problem.clone() })
}

async fn need_view(ctx: &Ctx, id: i64, mq: MatchQuery, forms: NeedForms) -> PageResult {
    let caller = ctx.caller()?;
    let NeedDetail { need: n, history } = app::get_need(&ctx.st.db, &caller, id).await?;
    let cid = n.need.consortium_id;
    let lang = ctx.lang;
    let may_update =
        caller.can(Action::Update, Resource::Need { consortium_id: cid, submitter: n.need.submitted_by_user });
    let is_office = caller.can(Action::Update, Resource::Need { consortium_id: cid, submitter: None });
    let can_edit = may_update && matches!(n.need.state.as_str(), "draft" | "returned");
    let insts = institutions(ctx, cid).await?;
    let names = inst_names(&insts);
    let matching = if is_office { Some(match_view(ctx, &caller, id, &mq, &names).await?) } else { None };
    let can_convert = n.need.state == "selected"
        && caller.can(Action::Create, Resource::Project { consortium_id: cid, member: false });
    let posted = forms.cf.as_ref().is_some_and(|f| f.has_errors());
    let mut candidates: Vec<Candidate> = Vec::new();
    if let (true, Some(m)) = (can_convert, &matching) {
        let team: Vec<String> =
            m.teams.first().map(|t| t.members.iter().map(|x| x.name.clone()).collect()).unwrap_or_default();
        for r in &m.ranked {
            let pos = team.iter().position(|t| *t == r.name);
            let role = if posted {
                forms.cf.as_ref().map(|f| f.v(&format!("role-{}", r.person_id)).to_string()).unwrap_or_default()
            } else {
                match pos {
                    Some(0) => "principal_investigator".to_string(),
                    Some(_) => "co_investigator".to_string(),
                    None => String::new(),
                }
            };
            candidates.push(Candidate {
                person_id: r.person_id,
                name: r.name.clone(),
                institution: r.institution.clone(),
                background: r.background.clone(),
                in_team: pos.is_some(),
                role,
            });
        }
        candidates.sort_by_key(|c| !c.in_team);
    }
    let f = forms.f.unwrap_or_else(|| {
        Fs::from_pairs(
            lang,
            &[
                ("title", n.need.title.clone()),
                ("problem", n.need.problem.clone()),
                ("population", n.need.population.clone()),
                ("outcome", n.need.outcome.clone()),
                ("disease_area", n.need.disease_area.clone()),
                ("clinical_setting", n.need.clinical_setting.clone()),
                ("current_practice", n.need.current_practice.clone()),
                ("evidence", n.need.evidence.clone()),
                ("urgency", n.need.urgency.clone()),
                ("track", n.need.track.clone().unwrap_or_default()),
                ("institution_id", n.need.institution_id.map(|i| i.to_string()).unwrap_or_default()),
            ],
        )
    });
    let sentence = sentence(lang, &n.need);
    let cf = forms.cf.unwrap_or_else(|| {
        Fs::from_pairs(
            lang,
            &[
                ("title_ko", n.need.title.clone()),
                ("track", n.need.track.clone().unwrap_or_default()),
                ("summary", sentence.clone()),
                ("uses_human_data", "on".into()),
            ],
        )
    });
    let tf = forms.tf.unwrap_or_else(|| Fs::new(lang));
    let status = [&f, &tf, &cf].iter().find(|x| x.has_errors()).map(|x| x.status()).unwrap_or(f.status());
    Ok((
        status,
        page(&NeedPage {
            l: Layout::from_ctx(ctx, "need-title", "nav-needs"),
            steps: need_steps(&n.need.state, is_office, may_update),
            sentence,
            n,
            history,
            can_edit,
            f,
            tf,
            cf,
            institutions: insts,
            tracks: TRACKS.to_vec(),
            urgencies: URGENCIES.to_vec(),
            aims: AIMS.to_vec(),
            roles: MEMBER_ROLES.to_vec(),
            categories: CATEGORIES.to_vec(),
            mq,
            matching,
            can_convert,
            candidates,
        }),
    )
        .into_response())
}

async fn need_page(ctx: Ctx, Id(id): Id, Query(mq): Query<MatchQuery>) -> PageResult {
    need_view(&ctx, id, mq, NeedForms::default()).await
}

async fn need_model(ctx: &Ctx, id: i64) -> Result<need::Model, AppError> {
    Ok(store::get_need(&ctx.st.db, id).await?.need)
}

async fn need_edit(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let n = need_model(&ctx, id).await?;
    caller
        .require(Action::Update, Resource::Need { consortium_id: n.consortium_id, submitter: n.submitted_by_user })?;
    let f = Fields(v);
    let fail = |e: FieldErrors| NeedForms { f: Some(Fs::of(ctx.lang, &f).invalid(e)), ..Default::default() };
    let (meta, input) = match need_input(&f, &n.submitter_name) {
        Ok(x) => x,
        Err(e) => return need_view(&ctx, id, MatchQuery::default(), fail(e)).await,
    };
    let input = serde_json::from_value(input).map_err(|_| AppError::bad_request("malformed-body", "incomplete"))?;
    if let Err(AppError::Invalid(mut e)) = app::check_need(&input) {
        title_check(&f, &mut e);
        return need_view(&ctx, id, MatchQuery::default(), fail(e)).await;
    }
    let result = match app::update_need(&ctx.st.db, &caller, id, &meta, &input).await {
        Ok(_) if f.get("intent") == "submit" => {
            app::transition_need(&ctx.st.db, &caller, id, app::parse_need_action("submit", None)?, "")
                .await
                .map(|_| "submitted")
        }
        Ok(_) => Ok("saved"),
        Err(e) => Err(e),
    };
    match result {
        Ok(ok) => Ok(Redirect::to(&format!("/needs/{id}?ok={ok}")).into_response()),
        Err(e) => {
            let forms = NeedForms { f: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            need_view(&ctx, id, MatchQuery::default(), forms).await
        }
    }
}

async fn need_transition(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let n = need_model(&ctx, id).await?;
    let f = Fields(v);
    let action = f.get("action");
    let submitter = if action.trim() == "submit" { n.submitted_by_user } else { None };
    caller.require(Action::Update, Resource::Need { consortium_id: n.consortium_id, submitter })?;
    let into = f.id("merged_into");
    let mut e = FieldErrors::new();
    if action.trim() == "merge" && into.is_none() && !f.get("merged_into").trim().is_empty() {
        e.add("merged_into", "invalid-id");
    }
    let result = match e.into_result() {
        Err(e) => Err(AppError::Invalid(e)),
        Ok(()) => match app::parse_need_action(&action, into) {
            Ok(a) => app::transition_need(&ctx.st.db, &caller, id, a, f.get("reason").trim()).await,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/needs/{id}?ok=saved")).into_response()),
        Err(e) => {
            let forms = NeedForms { tf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            need_view(&ctx, id, MatchQuery::default(), forms).await
        }
    }
}

/// A project's fields from a form.
fn project_input(f: &Fields) -> Result<ProjectInput, FieldErrors> {
    let mut e = FieldErrors::new();
    for k in ["code", "title_ko", "title_en"] {
        if f.get(k).trim().is_empty() {
            e.add(k, "required");
        }
    }
    let aim = required_enum(&mut e, "aim", &f.get("aim"));
    let track = required_enum(&mut e, "track", &f.get("track"));
    let start_on = optional_date(&mut e, "start_on", &f.get("start_on"));
    let end_on = optional_date(&mut e, "end_on", &f.get("end_on"));
    let next_gate_on = optional_date(&mut e, "next_gate_on", &f.get("next_gate_on"));
    match (aim, track) {
        (Some(aim), Some(track)) if e.is_empty() => Ok(ProjectInput {
            code: f.get("code").trim().to_string(),
            title_ko: f.get("title_ko"),
            title_en: f.get("title_en"),
            aim,
            track,
            summary: f.get("summary"),
            uses_human_data: matches!(f.get("uses_human_data").as_str(), "on" | "true" | "1"),
            start_on,
            end_on,
            next_gate_on,
            is_sample: false,
        }),
        _ => Err(e),
    }
}

/// Members from a form: `role-<person id>` = role, or rows `mperson-<n>` / `mrole-<n>`.
fn members_input(f: &Fields, e: &mut FieldErrors) -> Vec<MemberInput> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut add = |person: &str, role: &str, e: &mut FieldErrors| {
        let (person, role) = (person.trim(), role.trim());
        if person.is_empty() || role.is_empty() {
            return;
        }
        let Ok(person_id) = person.parse::<i64>() else {
            e.add("members", "invalid-id");
            return;
        };
        if !seen.insert(person_id) {
            return;
        }
        if let Some(role) = parse_as(e, "members", Value::String(role.to_string())) {
            out.push(MemberInput { person_id, role, background: None });
        }
    };
    for (k, v) in &f.0 {
        if let Some(p) = k.strip_prefix("role-") {
            add(p, v, e);
        }
        if let Some(i) = k.strip_prefix("mperson-") {
            add(v, &f.get(&format!("mrole-{i}")), e);
        }
    }
    out
}

async fn need_convert(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let n = need_model(&ctx, id).await?;
    caller.require(Action::Create, Resource::Project { consortium_id: n.consortium_id, member: false })?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let members = members_input(&f, &mut e);
    let result = match project_input(&f) {
        Ok(input) if e.is_empty() => {
            app::create_project(&ctx.st.db, &caller, n.consortium_id, &input, &members, &[id]).await
        }
        Ok(_) => Err(AppError::Invalid(e)),
        Err(mut pe) => {
            pe.0.extend(e.0);
            Err(AppError::Invalid(pe))
        }
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/projects/{}?ok=created", p.id)).into_response()),
        Err(e) => {
            let forms = NeedForms { cf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            need_view(&ctx, id, MatchQuery::default(), forms).await
        }
    }
}

// Screening -------------------------------------------------------------------------------------------------------

struct Choice {
    id: i64,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "research_rounds.html")]
struct RoundsPage {
    l: Layout,
    rounds: Vec<screening_round::Model>,
    can_create: bool,
    f: Fs,
    panel: Vec<Choice>,
    needs: Vec<Choice>,
}

async fn rounds_view(ctx: &Ctx, f: Fs) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let rounds = app::list_rounds(&ctx.st.db, &caller, cid).await?;
    let can_create = caller.can(Action::Create, Resource::Screening { consortium_id: cid, panelist: false });
    let (mut panel, mut needs) = (Vec::new(), Vec::new());
    if can_create {
        for u in medist_db::accounts::list_users(&ctx.st.db).await? {
            let takes_part =
                u.grants.iter().any(|g| RESEARCH_ROLES.contains(&g.role) && g.consortium_id.is_none_or(|c| c == cid));
            if takes_part && !u.disabled {
                panel.push(Choice {
                    checked: f.checked_item("panel", &u.id.to_string()),
                    label: format!("{} ({})", u.display_name, u.login),
                    id: u.id,
                });
            }
        }
        for state in ["triage", "screening"] {
            let nf = NeedFilter { state: Some(state.into()), ..Default::default() };
            for n in store::list_needs(&ctx.st.db, cid, &nf, Page::new(Some(1), Some(500))).await?.items {
                needs.push(Choice {
                    checked: f.checked_item("needs", &n.need.id.to_string()),
                    label: format!(
                        "#{} {} · {}",
                        n.need.id,
                        n.need.title,
                        label(ctx.lang, "need-state", &n.need.state)
                    ),
                    id: n.need.id,
                });
            }
        }
    }
    let status = f.status();
    Ok((
        status,
        page(&RoundsPage {
            l: Layout::from_ctx(ctx, "rounds-title", "nav-screening"),
            rounds,
            can_create,
            f,
            panel,
            needs,
        }),
    )
        .into_response())
}

async fn rounds_page(ctx: Ctx) -> PageResult {
    let f = Fs::from_pairs(
        ctx.lang,
        &[
            ("criteria", "clinical_impact 4\nfeasibility 3\nnovelty 2\ncommercial_potential 1".into()),
            ("scale_min", "1".into()),
            ("scale_max", "5".into()),
            ("threshold", "1.0".into()),
        ],
    );
    rounds_view(&ctx, f).await
}

/// Criteria as lines of `key weight` (`clinical_impact 4`); `:` or `=` may separate them.
fn parse_criteria(text: &str, e: &mut FieldErrors) -> Vec<Value> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> =
            line.split(|c: char| c.is_whitespace() || c == ':' || c == '=').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [key, weight] => match weight.replace(',', ".").parse::<f64>() {
                Ok(w) => out.push(json!({"key": key, "weight": w})),
                Err(_) => e.add("criteria", "criteria-line"),
            },
            _ => e.add("criteria", "criteria-line"),
        }
    }
    if out.is_empty() && e.for_field("criteria").is_none() {
        e.add("criteria", "required");
    }
    out
}

async fn round_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Screening { consortium_id: cid, panelist: false })?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let criteria = parse_criteria(&f.get("criteria"), &mut e);
    let mut num = |field: &str, default: f64| -> f64 {
        let s = f.get(field);
        if s.trim().is_empty() {
            return default;
        }
        s.trim().replace(',', ".").parse().unwrap_or_else(|_| {
            e.add(field, "invalid-number");
            default
        })
    };
    let (min, max, threshold) = (num("scale_min", 1.0), num("scale_max", 5.0), num("threshold", 1.0));
    if !(0.0..=255.0).contains(&min) || min.fract() != 0.0 {
        e.add("scale_min", "invalid-number");
    }
    if !(0.0..=255.0).contains(&max) || max.fract() != 0.0 {
        e.add("scale_max", "invalid-number");
    }
    let setup = json!({"criteria": criteria, "scale": {"min": min as u8, "max": max as u8}, "disagreement_threshold": threshold});
    let result = match (e.into_result(), serde_json::from_value(setup)) {
        (Err(e), _) => Err(AppError::Invalid(e)),
        (Ok(()), Err(_)) => Err(AppError::Invalid({
            let mut e = FieldErrors::new();
            e.add("criteria", "criteria-line");
            e
        })),
        (Ok(()), Ok(setup)) => {
            app::create_round(&ctx.st.db, &caller, cid, &f.get("name"), &setup, &f.ids("panel"), &f.ids("needs")).await
        }
    };
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/screening/{}?ok=created", r.id)).into_response()),
        Err(e) => rounds_view(&ctx, Fs::of(ctx.lang, &f).fail(e)?).await,
    }
}

struct Cell {
    present: bool,
    mean: String,
    range: String,
    sd: String,
    n: usize,
    high: bool,
}

struct Comment {
    reviewer: String,
    criterion: String,
    text: String,
}

struct RankRow {
    rank: usize,
    tied: bool,
    need_id: i64,
    title: String,
    mean: String,
    reviewer_sd: String,
    cells: Vec<Cell>,
    high: bool,
    missing: Vec<String>,
    comments: Vec<Comment>,
    outcome: Option<String>,
}

struct PanelRow {
    name: String,
    given: u64,
    expected: u64,
}

struct ScoreField {
    key: String,
    label: String,
    value: String,
}

struct ScoreForm {
    need_id: i64,
    title: String,
    fields: Vec<ScoreField>,
    comment: String,
    done: bool,
    errors: Vec<String>,
}

struct CriterionView {
    key: String,
    label: String,
    weight: String,
}

#[derive(Template)]
#[template(path = "research_round.html")]
struct RoundPage {
    l: Layout,
    round: screening_round::Model,
    criteria: Vec<CriterionView>,
    rows: Vec<RankRow>,
    unscored: Vec<(i64, String)>,
    panel: Vec<PanelRow>,
    score_forms: Vec<ScoreForm>,
    can_close: bool,
    closable: Vec<Choice>,
    cf: Fs,
    /// Messages of a scoring that failed where no scoring form shows them (e.g. the round has closed).
    top_errors: Vec<String>,
}

#[derive(Default)]
struct RoundForms {
    sf: Option<Fs>,
    cf: Option<Fs>,
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

fn num_text(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") }
}

async fn round_view(ctx: &Ctx, id: i64, forms: RoundForms) -> PageResult {
    use medist_db::entities::screening_score;
    let caller = ctx.caller()?;
    let lang = ctx.lang;
    let v = app::round_view(&ctx.st.db, &caller, id).await?;
    let me = caller.actor.user_id;
    let is_panelist = v.panel.iter().any(|p| p.user_id == me);
    let is_open = v.round.status == "open";
    let criteria: Vec<CriterionView> = v.setup["criteria"]
        .as_array()
        .map(|a| {
            let total: f64 = a.iter().filter_map(|c| c["weight"].as_f64()).sum();
            a.iter()
                .map(|c| {
                    let key = c["key"].as_str().unwrap_or_default().to_string();
                    let w = c["weight"].as_f64().unwrap_or_default();
                    CriterionView {
                        label: criterion_label(lang, &key),
                        weight: if total > 0.0 { format!("{:.0}%", w / total * 100.0) } else { String::new() },
                        key,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let titles: HashMap<i64, String> = v.needs.iter().map(|n| (n.need_id, n.title.clone())).collect();
    let outcomes: HashMap<i64, Option<String>> = v.needs.iter().map(|n| (n.need_id, n.outcome.clone())).collect();
    let rows: Vec<RankRow> = v
        .results
        .iter()
        .map(|r| RankRow {
            rank: r.rank,
            tied: r.tied,
            need_id: r.need_id,
            title: titles.get(&r.need_id).cloned().unwrap_or_default(),
            mean: f2(r.weighted_mean),
            reviewer_sd: f2(r.reviewer_spread.std_dev),
            cells: criteria
                .iter()
                .map(|c| match r.criteria.iter().find(|x| x.criterion == c.key) {
                    Some(x) => Cell {
                        present: true,
                        mean: f2(x.spread.mean),
                        range: format!("{}–{}", num_text(x.spread.min), num_text(x.spread.max)),
                        sd: f2(x.spread.std_dev),
                        n: x.spread.n,
                        high: x.high_disagreement,
                    },
                    None => Cell {
                        present: false,
                        mean: String::new(),
                        range: String::new(),
                        sd: String::new(),
                        n: 0,
                        high: false,
                    },
                })
                .collect(),
            high: r.high_disagreement,
            missing: r.missing_criteria.iter().map(|k| criterion_label(lang, k)).collect(),
            comments: {
                // One line per reviewer and text, naming every criterion it was left on.
                let mut out: Vec<Comment> = Vec::new();
                for c in &r.comments {
                    let label = criterion_label(lang, &c.criterion);
                    match out.iter_mut().find(|x| x.reviewer == c.reviewer && x.text == c.comment) {
                        Some(x) => x.criterion = format!("{}, {label}", x.criterion),
                        None => out.push(Comment {
                            reviewer: c.reviewer.clone(),
                            criterion: label,
                            text: c.comment.clone(),
                        }),
                    }
                }
                out
            },
            outcome: outcomes.get(&r.need_id).cloned().flatten(),
        })
        .collect();
    let scored: BTreeSet<i64> = v.results.iter().map(|r| r.need_id).collect();
    let unscored =
        v.needs.iter().filter(|n| !scored.contains(&n.need_id)).map(|n| (n.need_id, n.title.clone())).collect();
    let expected = (v.needs.len() * criteria.len()) as u64;
    let mut panel = Vec::new();
    for p in &v.panel {
        let login = medist_db::accounts::get_user(&ctx.st.db, p.user_id).await.map(|u| u.login).unwrap_or_default();
        panel.push(PanelRow {
            name: p.name.clone(),
            given: v.scores_given.get(&login).copied().unwrap_or(0),
            expected,
        });
    }
    let mut score_forms = Vec::new();
    if is_panelist && is_open {
        let mine = screening_score::Entity::find()
            .filter(screening_score::Column::RoundId.eq(id))
            .filter(screening_score::Column::ReviewerUserId.eq(me))
            .all(&ctx.st.db.conn)
            .await
            .map_err(medist_db::StoreError::from)?;
        let failed = forms.sf.as_ref().filter(|f| f.has_errors());
        for n in &v.needs {
            let this_failed = failed.filter(|f| f.v("need_id") == n.need_id.to_string());
            let given: Vec<_> = mine.iter().filter(|s| s.need_id == n.need_id).collect();
            score_forms.push(ScoreForm {
                need_id: n.need_id,
                title: n.title.clone(),
                fields: criteria
                    .iter()
                    .map(|c| ScoreField {
                        key: c.key.clone(),
                        label: c.label.clone(),
                        value: match this_failed {
                            Some(f) => f.v(&format!("c-{}", c.key)).to_string(),
                            None => given
                                .iter()
                                .find(|s| s.criterion == c.key)
                                .map(|s| s.value.to_string())
                                .unwrap_or_default(),
                        },
                    })
                    .collect(),
                comment: match this_failed {
                    Some(f) => f.v("comment").to_string(),
                    None => {
                        given.iter().map(|s| s.comment.as_str()).find(|c| !c.is_empty()).unwrap_or_default().to_string()
                    }
                },
                done: !given.is_empty(),
                errors: this_failed.map(|f| f.others(&[])).unwrap_or_default(),
            });
        }
    }
    let can_close = is_open
        && caller.can(Action::Archive, Resource::Screening { consortium_id: v.round.consortium_id, panelist: false });
    let cf = forms.cf.unwrap_or_else(|| Fs::new(lang));
    let closable = v
        .needs
        .iter()
        .map(|n| Choice {
            id: n.need_id,
            label: format!("#{} {}", n.need_id, n.title),
            checked: cf.checked_item("selected", &n.need_id.to_string()),
        })
        .collect();
    let top_errors = match &forms.sf {
        Some(f) if f.has_errors() && score_forms.iter().all(|s| s.errors.is_empty()) => f.others(&[]),
        _ => vec![],
    };
    let failed = forms.sf.as_ref().is_some_and(|f| f.has_errors()) || cf.has_errors();
    let status = if failed { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    Ok((
        status,
        page(&RoundPage {
            l: Layout::from_ctx(ctx, "round-title", "nav-screening"),
            round: v.round,
            criteria,
            rows,
            unscored,
            panel,
            score_forms,
            can_close,
            closable,
            cf,
            top_errors,
        }),
    )
        .into_response())
}

async fn round_page(ctx: Ctx, Id(id): Id) -> PageResult {
    round_view(&ctx, id, RoundForms::default()).await
}

async fn round_score(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let f = Fields(v);
    let need_id = f.id("need_id").unwrap_or_default();
    let comment = f.get("comment");
    let mut e = FieldErrors::new();
    let mut scores = Vec::new();
    for (k, val) in &f.0 {
        let Some(criterion) = k.strip_prefix("c-") else { continue };
        if val.trim().is_empty() {
            continue;
        }
        match val.trim().parse::<i32>() {
            Ok(value) => scores.push(ScoreInput {
                criterion: criterion.to_string(),
                value,
                comment: if scores.is_empty() { comment.trim().to_string() } else { String::new() },
            }),
            Err(_) => e.add(k, "invalid-number"),
        }
    }
    let result = if e.is_empty() {
        app::score(&ctx.st.db, &caller, id, need_id, &scores).await.map(|_| ())
    } else {
        // Access first: the same check as scoring, before the form's own messages.
        let r = store::get_round(&ctx.st.db, id).await?;
        let panelist = store::is_panelist(&ctx.st.db, id, caller.actor.user_id).await?;
        caller.require(Action::Update, Resource::Screening { consortium_id: r.consortium_id, panelist })?;
        Err(AppError::Invalid(e))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/screening/{id}?ok=scored")).into_response()),
        Err(e) => {
            let forms = RoundForms { sf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            round_view(&ctx, id, forms).await
        }
    }
}

async fn round_close(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let f = Fields(v);
    match app::close_round(&ctx.st.db, &caller, id, &f.ids("selected"), f.get("reason").trim()).await {
        Ok(_) => Ok(Redirect::to(&format!("/screening/{id}?ok=closed")).into_response()),
        Err(e) => {
            let forms = RoundForms { cf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            round_view(&ctx, id, forms).await
        }
    }
}

// Projects --------------------------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct ProjectsQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    track: String,
    #[serde(default)]
    q: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "research_projects.html")]
struct ProjectsPage {
    l: Layout,
    q: ProjectsQuery,
    items: Paged<ProjectRow>,
    pager: Pager,
    statuses: Vec<&'static str>,
    stages: Vec<&'static str>,
    tracks: Vec<&'static str>,
    can_create: bool,
    /// Milestones of running projects that are overdue or due within two weeks.
    due: Vec<store::MilestoneDue>,
}

impl ProjectsPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

async fn projects_page(ctx: Ctx, Query(q): Query<ProjectsQuery>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    let some = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
    let f = ProjectFilter { status: some(&q.status), stage: some(&q.stage), track: some(&q.track), q: some(&q.q) };
    let items = app::list_projects(&ctx.st.db, &caller, cid, &f, Page::new(q.page, Some(50))).await?;
    let pager = Pager::new(
        ctx.lang,
        "/projects",
        &[("status", q.status.clone()), ("stage", q.stage.clone()), ("track", q.track.clone()), ("q", q.q.clone())],
        &items,
    );
    Ok(page(&ProjectsPage {
        l: Layout::from_ctx(&ctx, "projects-title", "nav-projects"),
        q,
        items,
        pager,
        statuses: PROJECT_STATUSES.to_vec(),
        stages: STAGES.to_vec(),
        tracks: TRACKS.to_vec(),
        can_create: caller.can(Action::Create, Resource::Project { consortium_id: cid, member: false }),
        due: app::milestones_due(&ctx.st.db, &caller, cid).await?,
    }))
}

struct MemberRow {
    index: usize,
    person: String,
    role: String,
}

#[derive(Template)]
#[template(path = "research_project_new.html")]
struct ProjectNewPage {
    l: Layout,
    f: Fs,
    aims: Vec<&'static str>,
    tracks: Vec<&'static str>,
    roles: Vec<&'static str>,
    people: Vec<(i64, String)>,
    rows: Vec<MemberRow>,
}

impl ProjectNewPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn same_id(&self, a: &i64, b: &str) -> bool {
        a.to_string() == b
    }
}

async fn project_new_view(ctx: &Ctx, f: Fs) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    caller.require(Action::Create, Resource::Project { consortium_id: cid, member: false })?;
    let rows = (0..6)
        .map(|i| MemberRow {
            index: i,
            person: f.v(&format!("mperson-{i}")).to_string(),
            role: match f.v(&format!("mrole-{i}")) {
                "" if i == 0 => "principal_investigator".to_string(),
                "" => "co_investigator".to_string(),
                r => r.to_string(),
            },
        })
        .collect();
    let status = f.status();
    Ok((
        status,
        page(&ProjectNewPage {
            l: Layout::from_ctx(ctx, "project-new-title", "nav-projects"),
            people: people_choices(ctx, cid, ctx.lang).await?,
            f,
            aims: AIMS.to_vec(),
            tracks: TRACKS.to_vec(),
            roles: MEMBER_ROLES.to_vec(),
            rows,
        }),
    )
        .into_response())
}

async fn project_new_page(ctx: Ctx) -> PageResult {
    let f = Fs::from_pairs(ctx.lang, &[("uses_human_data", "on".into())]);
    project_new_view(&ctx, f).await
}

async fn project_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Project { consortium_id: cid, member: false })?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let members = members_input(&f, &mut e);
    let result = match project_input(&f) {
        Ok(input) if e.is_empty() => app::create_project(&ctx.st.db, &caller, cid, &input, &members, &[]).await,
        Ok(_) => Err(AppError::Invalid(e)),
        Err(mut pe) => {
            pe.0.extend(e.0);
            Err(AppError::Invalid(pe))
        }
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/projects/{}?ok=created", p.id)).into_response()),
        Err(e) => project_new_view(&ctx, Fs::of(ctx.lang, &f).fail(e)?).await,
    }
}

struct StageStep {
    key: &'static str,
    state: &'static str,
}

struct EventView {
    gate: bool,
    at: DateTime<Utc>,
    actor: String,
    reason: String,
    from_status: String,
    to_status: String,
    decision: String,
    from_stage: String,
    to_stage: String,
    evidence: Vec<String>,
    new_aim: Option<String>,
}

struct IrbRow {
    a: irb_approval::Model,
    valid_today: bool,
}

struct AccessRow {
    r: data_access_request::Model,
    dataset: String,
}

#[derive(Template)]
#[template(path = "research_project.html")]
struct ProjectPage {
    l: Layout,
    v: ProjectView,
    title: String,
    other_title: String,
    stages: Vec<StageStep>,
    events: Vec<EventView>,
    irb: Vec<IrbRow>,
    access: Vec<AccessRow>,
    is_office: bool,
    can_irb: bool,
    next_statuses: Vec<&'static str>,
    is_active: bool,
    people: Vec<(i64, String)>,
    aims: Vec<&'static str>,
    roles: Vec<&'static str>,
    backgrounds: Vec<&'static str>,
    decisions: Vec<&'static str>,
    tracks: Vec<&'static str>,
    mf: Fs,
    sf: Fs,
    gf: Fs,
    irf: Fs,
    /// The milestone form.
    msf: Fs,
    /// The details form, open when it failed.
    ef: Fs,
}

#[derive(Default)]
struct ProjectForms {
    mf: Option<Fs>,
    sf: Option<Fs>,
    gf: Option<Fs>,
    irf: Option<Fs>,
    msf: Option<Fs>,
    ef: Option<Fs>,
}

fn next_statuses(status: &str) -> Vec<&'static str> {
    match status {
        "proposed" => vec!["approved"],
        "approved" => vec!["active"],
        "active" => vec!["completed", "terminated"],
        _ => vec![],
    }
}

async fn project_view(ctx: &Ctx, id: i64, forms: ProjectForms) -> PageResult {
    let caller = ctx.caller()?;
    let lang = ctx.lang;
    let v = app::get_project(&ctx.st.db, &caller, id).await?;
    let cid = v.project.consortium_id;
    let member = store::is_member(&ctx.st.db, id, caller.actor.person_id).await?;
    let is_office = caller.can(Action::Update, Resource::Project { consortium_id: cid, member: false });
    let can_irb = caller.can(Action::Update, Resource::Project { consortium_id: cid, member });
    let current = STAGES.iter().position(|s| *s == v.project.stage).unwrap_or(0);
    let stopped = v.project.status == "terminated";
    let stages = STAGES
        .iter()
        .enumerate()
        .map(|(i, key)| StageStep {
            key,
            state: if i < current {
                "done"
            } else if i == current {
                if stopped { "stopped" } else { "current" }
            } else {
                "todo"
            },
        })
        .collect();
    let events = v
        .events
        .iter()
        .rev()
        .map(|e| EventView {
            gate: e.kind == "gate",
            at: e.at,
            actor: e.actor.clone(),
            reason: e.reason.clone(),
            from_status: e.from_status.clone(),
            to_status: e.to_status.clone(),
            decision: e.decision.clone().unwrap_or_default(),
            from_stage: e.from_stage.clone().unwrap_or_default(),
            to_stage: e.to_stage.clone().unwrap_or_default(),
            evidence: serde_json::from_str(&e.evidence).unwrap_or_default(),
            new_aim: e.new_aim.clone(),
        })
        .collect();
    let day = today();
    let irb = v
        .irb
        .iter()
        .map(|a| IrbRow { valid_today: a.approved_on <= day && day <= a.expires_on, a: a.clone() })
        .collect();
    let datasets: HashMap<i64, String> =
        store::list_datasets(&ctx.st.db, cid).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let access = v
        .data_access
        .iter()
        .map(|r| AccessRow { dataset: datasets.get(&r.dataset_id).cloned().unwrap_or_default(), r: r.clone() })
        .collect();
    let people = if is_office { people_choices(ctx, cid, lang).await? } else { vec![] };
    let (title, other_title) = match lang {
        Locale::Ko => (v.project.title_ko.clone(), v.project.title_en.clone()),
        Locale::En => (v.project.title_en.clone(), v.project.title_ko.clone()),
    };
    let gf = forms.gf.unwrap_or_else(|| {
        Fs::from_pairs(lang, &[("next_gate_on", v.project.next_gate_on.map(|d| d.to_string()).unwrap_or_default())])
    });
    let mf = forms.mf.unwrap_or_else(|| Fs::new(lang));
    let sf = forms.sf.unwrap_or_else(|| Fs::new(lang));
    let irf = forms.irf.unwrap_or_else(|| Fs::new(lang));
    let msf = forms.msf.unwrap_or_else(|| Fs::new(lang));
    let p = &v.project;
    let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let ef = forms.ef.unwrap_or_else(|| {
        Fs::from_pairs(
            lang,
            &[
                ("title_ko", p.title_ko.clone()),
                ("title_en", p.title_en.clone()),
                ("track", p.track.clone()),
                ("summary", p.summary.clone()),
                ("uses_human_data", if p.uses_human_data { "on".into() } else { String::new() }),
                ("start_on", opt(p.start_on)),
                ("end_on", opt(p.end_on)),
                ("next_gate_on", opt(p.next_gate_on)),
            ],
        )
    });
    let status =
        [&mf, &sf, &gf, &irf, &msf, &ef].iter().find(|x| x.has_errors()).map(|x| x.status()).unwrap_or(mf.status());
    Ok((
        status,
        page(&ProjectPage {
            l: Layout::from_ctx(ctx, "project-title", "nav-projects"),
            next_statuses: next_statuses(&v.project.status),
            is_active: v.project.status == "active",
            title,
            other_title,
            stages,
            events,
            irb,
            access,
            v,
            is_office,
            can_irb,
            people,
            aims: AIMS.to_vec(),
            roles: MEMBER_ROLES.to_vec(),
            backgrounds: BACKGROUNDS.to_vec(),
            decisions: DECISIONS.to_vec(),
            tracks: TRACKS.to_vec(),
            mf,
            sf,
            gf,
            irf,
            msf,
            ef,
        }),
    )
        .into_response())
}

async fn project_page(ctx: Ctx, Id(id): Id) -> PageResult {
    project_view(&ctx, id, ProjectForms::default()).await
}

/// The project's consortium, after checking the caller may run the program office's steps on it.
async fn office_project(ctx: &Ctx, caller: &Caller, id: i64) -> Result<i64, AppError> {
    let p = store::get_project(&ctx.st.db, id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member: false })?;
    Ok(p.consortium_id)
}

async fn member_add(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    office_project(&ctx, &caller, id).await?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let person_id = f.id("person_id");
    if person_id.is_none() {
        e.add("person_id", "required");
    }
    let role = required_enum(&mut e, "role", &f.get("role"));
    let background = if f.get("background").trim().is_empty() {
        None
    } else {
        required_enum(&mut e, "background", &f.get("background"))
    };
    let result = match (person_id, role) {
        (Some(person_id), Some(role)) if e.is_empty() => {
            app::add_member(&ctx.st.db, &caller, id, &MemberInput { person_id, role, background }).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}?ok=saved")).into_response()),
        Err(e) => {
            let forms = ProjectForms { mf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            project_view(&ctx, id, forms).await
        }
    }
}

async fn member_remove(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    office_project(&ctx, &caller, id).await?;
    let f = Fields(v);
    let person_id = f.id("person_id").ok_or_else(|| AppError::bad_request("invalid-id", "person_id"))?;
    app::remove_member(&ctx.st.db, &caller, id, person_id).await?;
    Ok(Redirect::to(&format!("/projects/{id}?ok=deleted")).into_response())
}

async fn project_status(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let f = Fields(v);
    match app::change_status(&ctx.st.db, &caller, id, &f.get("status"), f.get("reason").trim()).await {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}?ok=saved")).into_response()),
        Err(e) => {
            let forms = ProjectForms { sf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            project_view(&ctx, id, forms).await
        }
    }
}

async fn project_gate(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    office_project(&ctx, &caller, id).await?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    if f.get("decision").trim().is_empty() {
        e.add("decision", "required");
    }
    let evidence: Vec<String> =
        f.get("evidence").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if evidence.is_empty() {
        e.add("evidence", "evidence-required");
    }
    let next_gate_on = optional_date(&mut e, "next_gate_on", &f.get("next_gate_on"));
    let new_aim = f.get("new_aim");
    let review = json!({
        "decision": f.get("decision").trim(),
        "evidence": evidence,
        "new_aim": if new_aim.trim().is_empty() { Value::Null } else { Value::String(new_aim.trim().into()) },
    });
    let review = if e.is_empty() { parse_as(&mut e, "decision", review) } else { None };
    let result = match review {
        Some(review) => app::gate_review(&ctx.st.db, &caller, id, &review, f.get("reason").trim(), next_gate_on).await,
        None => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}?ok=saved")).into_response()),
        Err(e) => {
            let forms = ProjectForms { gf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            project_view(&ctx, id, forms).await
        }
    }
}

async fn project_irb(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let p = store::get_project(&ctx.st.db, id).await?;
    let member = store::is_member(&ctx.st.db, id, caller.actor.person_id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member })?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    for k in ["number", "board"] {
        if f.get(k).trim().is_empty() {
            e.add(k, "required");
        }
    }
    let approved_on = required_date(&mut e, "approved_on", &f.get("approved_on"));
    let expires_on = required_date(&mut e, "expires_on", &f.get("expires_on"));
    let approval = match (approved_on, expires_on) {
        (Some(a), Some(x)) if e.is_empty() => parse_as(
            &mut e,
            "irb",
            json!({"number": f.get("number").trim(), "board": f.get("board").trim(), "approved_on": a, "expires_on": x}),
        ),
        _ => None,
    };
    let result = match approval {
        Some(a) => app::add_irb(&ctx.st.db, &caller, id, &a).await.map(|_| ()),
        None => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}?ok=created")).into_response()),
        Err(e) => {
            let forms = ProjectForms { irf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            project_view(&ctx, id, forms).await
        }
    }
}

/// The project, after checking the caller may change it (its members and the program office may).
async fn editable_project(ctx: &Ctx, caller: &Caller, id: i64) -> Result<project::Model, AppError> {
    let p = store::get_project(&ctx.st.db, id).await?;
    let member = store::is_member(&ctx.st.db, id, caller.actor.person_id).await?;
    caller.require(Action::Update, Resource::Project { consortium_id: p.consortium_id, member })?;
    Ok(p)
}

async fn project_edit(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let p = editable_project(&ctx, &caller, id).await?;
    // Code and aim are not edited here: the code is the project's name in reports, the aim changes by a pivot.
    let mut pairs = v;
    pairs.retain(|(k, _)| k != "code" && k != "aim");
    pairs.push(("code".into(), p.code.clone()));
    pairs.push(("aim".into(), p.aim.clone()));
    let f = Fields(pairs);
    let result = match project_input(&f) {
        Ok(input) => app::update_project(&ctx.st.db, &caller, id, &input).await.map(|_| ()),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}?ok=saved")).into_response()),
        Err(e) => {
            let forms = ProjectForms { ef: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            project_view(&ctx, id, forms).await
        }
    }
}

async fn milestone_add(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    editable_project(&ctx, &caller, id).await?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    if f.get("title").trim().is_empty() {
        e.add("title", "required");
    }
    let due_on = required_date(&mut e, "due_on", &f.get("due_on"));
    let result = match due_on {
        Some(due) if e.is_empty() => {
            app::add_milestone(&ctx.st.db, &caller, id, &f.get("title"), due, &f.get("note")).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}?ok=created#milestones")).into_response()),
        Err(e) => {
            let forms = ProjectForms { msf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() };
            project_view(&ctx, id, forms).await
        }
    }
}

async fn milestone_done(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let m = store::get_milestone(&ctx.st.db, id).await?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let done_on = optional_date(&mut e, "done_on", &f.get("done_on"));
    let result = if e.is_empty() {
        app::complete_milestone(&ctx.st.db, &caller, id, done_on).await.map(|_| ())
    } else {
        Err(AppError::Invalid(e))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{}?ok=saved#milestones", m.project_id)).into_response()),
        Err(e) => {
            let forms = ProjectForms { msf: Some(Fs::new(ctx.lang).fail(e)?), ..Default::default() };
            project_view(&ctx, m.project_id, forms).await
        }
    }
}

async fn milestone_delete(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let m = store::get_milestone(&ctx.st.db, id).await?;
    match app::delete_milestone(&ctx.st.db, &caller, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{}?ok=deleted#milestones", m.project_id)).into_response()),
        Err(e) => {
            let forms = ProjectForms { msf: Some(Fs::new(ctx.lang).fail(e)?), ..Default::default() };
            project_view(&ctx, m.project_id, forms).await
        }
    }
}

// Research data ---------------------------------------------------------------------------------------------------

/// A step on a data access request: its action, whether it asks for a reason or an end date.
struct AccessStep {
    name: &'static str,
    reason: bool,
    until: bool,
    danger: bool,
}

struct RequestRow {
    v: AccessView,
    steps: Vec<AccessStep>,
    mine: bool,
}

#[derive(Template)]
#[template(path = "research_data.html")]
struct DataPage {
    l: Layout,
    datasets: Vec<dataset::Model>,
    inst: HashMap<i64, String>,
    institutions: Vec<institution::Model>,
    requests: Vec<RequestRow>,
    projects: Vec<(i64, String)>,
    kinds: Vec<&'static str>,
    levels: Vec<&'static str>,
    can_add: bool,
    can_request: bool,
    is_office: bool,
    df: Fs,
    rf: Fs,
    af: Fs,
    af_id: i64,
}

impl DataPage {
    fn inst_name(&self, id: &i64) -> String {
        self.inst.get(id).cloned().unwrap_or_default()
    }
}

#[derive(Default)]
struct DataForms {
    df: Option<Fs>,
    rf: Option<Fs>,
    af: Option<(i64, Fs)>,
}

fn access_steps(state: &str, mine: bool, is_office: bool) -> Vec<AccessStep> {
    let s = |name, reason, until, danger| AccessStep { name, reason, until, danger };
    let mut out = Vec::new();
    match state {
        "draft" | "returned" if mine || is_office => out.push(s("submit", false, false, false)),
        "submitted" if is_office => {
            out.push(s("approve", false, true, false));
            out.push(s("return", true, false, false));
            out.push(s("reject", true, false, true));
        }
        "approved" => {
            if is_office {
                out.push(s("revoke", true, false, true));
            }
            if mine || is_office {
                out.push(s("close", false, false, false));
            }
        }
        _ => {}
    }
    out
}

async fn data_view(ctx: &Ctx, forms: DataForms) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let lang = ctx.lang;
    let datasets = app::list_datasets(&ctx.st.db, &caller, cid).await?;
    let list = app::list_access(&ctx.st.db, &caller, cid).await?;
    let res = |requester| Resource::ResearchData { consortium_id: cid, requester };
    let is_office = caller.can(Action::Update, res(None));
    let me = caller.actor.user_id;
    let requests = list
        .into_iter()
        .map(|v| {
            let mine = v.request.requester_user_id == Some(me);
            RequestRow { steps: access_steps(&v.effective_state, mine, is_office), mine, v }
        })
        .collect();
    let can_request = caller.can(Action::Create, res(None));
    let projects = if can_request {
        let all = ProjectFilter::default();
        app::list_projects(&ctx.st.db, &caller, cid, &all, Page::new(Some(1), Some(500)))
            .await?
            .items
            .into_iter()
            .filter(|p| matches!(p.project.status.as_str(), "proposed" | "approved" | "active"))
            .map(|p| {
                let t = if lang == Locale::Ko { p.project.title_ko } else { p.project.title_en };
                (p.project.id, format!("{} {t}", p.project.code))
            })
            .collect()
    } else {
        vec![]
    };
    let insts = institutions(ctx, cid).await?;
    let (af_id, af) = forms.af.unwrap_or_else(|| (0, Fs::new(lang)));
    let df = forms.df.unwrap_or_else(|| Fs::new(lang));
    let rf = forms.rf.unwrap_or_else(|| Fs::from_pairs(lang, &[("pseudonymized", "on".into())]));
    let status = [&df, &rf, &af].iter().find(|x| x.has_errors()).map(|x| x.status()).unwrap_or(df.status());
    Ok((
        status,
        page(&DataPage {
            l: Layout::from_ctx(ctx, "data-title", "nav-data"),
            inst: inst_names(&insts),
            institutions: insts,
            datasets,
            requests,
            projects,
            kinds: store::DATASET_KINDS.to_vec(),
            levels: store::SENSITIVITY_LEVELS.to_vec(),
            can_add: caller.can(Action::Archive, res(None)),
            can_request,
            is_office,
            df,
            rf,
            af,
            af_id,
        }),
    )
        .into_response())
}

async fn data_page(ctx: Ctx) -> PageResult {
    data_view(&ctx, DataForms::default()).await
}

async fn dataset_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Archive, Resource::ResearchData { consortium_id: cid, requester: None })?;
    let f = Fields(v);
    let result = match f.id("institution_id") {
        Some(institution_id) => {
            let d = DatasetInput {
                name: f.get("name"),
                kind: f.get("kind"),
                sensitivity: f.get("sensitivity"),
                institution_id,
                steward_person_id: None,
                description: f.get("description"),
                is_sample: false,
            };
            app::create_dataset(&ctx.st.db, &caller, cid, &d).await.map(|_| ())
        }
        None => {
            let mut e = FieldErrors::new();
            e.add("institution_id", "required");
            if f.get("name").trim().is_empty() {
                e.add("name", "required");
            }
            Err(AppError::Invalid(e))
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to("/data?ok=created").into_response()),
        Err(e) => data_view(&ctx, DataForms { df: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await,
    }
}

async fn access_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::ResearchData { consortium_id: cid, requester: None })?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let (project, dataset) = (f.id("project_id"), f.id("dataset_id"));
    if project.is_none() {
        e.add("project_id", "required");
    }
    if dataset.is_none() {
        e.add("dataset_id", "required");
    }
    if f.get("purpose").trim().is_empty() {
        e.add("purpose", "required");
    }
    let submit = f.get("intent") == "submit";
    let pseudonymized = matches!(f.get("pseudonymized").as_str(), "on" | "true" | "1");
    let result = match (project, dataset) {
        (Some(p), Some(d)) if e.is_empty() => {
            app::request_access(&ctx.st.db, &caller, cid, p, d, &f.get("purpose"), pseudonymized, submit)
                .await
                .map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(if submit { "/data?ok=submitted" } else { "/data?ok=created" }).into_response()),
        Err(e) => data_view(&ctx, DataForms { rf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await,
    }
}

async fn access_transition(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let r = store::get_access_request(&ctx.st.db, id).await?;
    let f = Fields(v);
    let action = f.get("action");
    let requester = if matches!(action.trim(), "submit" | "close") { r.requester_user_id } else { None };
    caller.require(Action::Update, Resource::ResearchData { consortium_id: r.consortium_id, requester })?;
    let mut e = FieldErrors::new();
    let until = optional_date(&mut e, "valid_until", &f.get("valid_until"));
    let result = match e.into_result() {
        Err(e) => Err(AppError::Invalid(e)),
        Ok(()) => match app::parse_access_action(&action, until) {
            Ok(a) => app::transition_access(&ctx.st.db, &caller, id, a, f.get("reason").trim()).await.map(|_| ()),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/data?ok=saved#request-{id}")).into_response()),
        Err(e) => {
            data_view(&ctx, DataForms { af: Some((id, Fs::of(ctx.lang, &f).fail(e)?)), ..Default::default() }).await
        }
    }
}

// The joint institute ---------------------------------------------------------------------------------------------

struct RoomRow {
    id: i64,
    code: String,
    name: String,
    floor: String,
    area: String,
    allocated: String,
    free: String,
    pct: i64,
    groups: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "research_institute.html")]
struct InstitutePage {
    l: Layout,
    rooms: Vec<RoomRow>,
    total: String,
    rooms_total: String,
    allocated: String,
    unallocated: String,
    allocated_pct: i64,
    rooms_pct: i64,
    by_group: Vec<(String, String)>,
    equipment: Vec<(equipment::Model, String)>,
    is_office: bool,
    f: Fs,
    af: Fs,
    ef: Fs,
}

impl InstitutePage {
    fn same_id(&self, a: &i64, b: &str) -> bool {
        a.to_string() == b
    }
}

#[derive(Default)]
struct InstituteForms {
    f: Option<Fs>,
    af: Option<Fs>,
    ef: Option<Fs>,
}

fn area_text(centi: i64) -> String {
    let whole = centi / 100;
    let frac = centi % 100;
    let grouped = medist_core::locale::group_thousands(whole);
    if frac == 0 { format!("{grouped} m²") } else { format!("{grouped}.{frac:02} m²") }
}

fn pct(part: i64, whole: i64) -> i64 {
    if whole <= 0 { 0 } else { (part * 100 / whole).clamp(0, 100) }
}

async fn institute_view(ctx: &Ctx, forms: InstituteForms) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let s = app::space(&ctx.st.db, &caller, cid).await?;
    let equipment = app::list_equipment(&ctx.st.db, &caller, cid).await?;
    let codes: HashMap<i64, String> = s.rooms.iter().map(|r| (r.id, r.code.clone())).collect();
    let rooms: Vec<RoomRow> = s
        .rooms
        .iter()
        .map(|r| {
            let used: i64 = s.allocations.iter().filter(|a| a.room_id == r.id).map(|a| a.area_centi_m2).sum();
            RoomRow {
                id: r.id,
                code: r.code.clone(),
                name: r.name.clone(),
                floor: r.floor.clone(),
                area: area_text(r.area_centi_m2),
                allocated: area_text(used),
                free: area_text(r.area_centi_m2 - used),
                pct: pct(used, r.area_centi_m2),
                groups: s
                    .allocations
                    .iter()
                    .filter(|a| a.room_id == r.id)
                    .map(|a| (a.group_name.clone(), area_text(a.area_centi_m2)))
                    .collect(),
            }
        })
        .collect();
    let rooms_total: i64 = s.rooms.iter().map(|r| r.area_centi_m2).sum();
    let total = s.institute_total_centi_m2;
    let lang = ctx.lang;
    let equipment = equipment
        .into_iter()
        .map(|e| {
            let room = e.room_id.and_then(|r| codes.get(&r).cloned()).unwrap_or_default();
            (e, room)
        })
        .collect();
    let f = forms.f.unwrap_or_else(|| Fs::new(lang));
    let af = forms.af.unwrap_or_else(|| Fs::new(lang));
    let ef = forms.ef.unwrap_or_else(|| Fs::new(lang));
    let status = [&f, &af, &ef].iter().find(|x| x.has_errors()).map(|x| x.status()).unwrap_or(f.status());
    Ok((
        status,
        page(&InstitutePage {
            l: Layout::from_ctx(ctx, "institute-title", "nav-institute"),
            rooms,
            total: area_text(total),
            rooms_total: area_text(rooms_total),
            allocated: area_text(s.summary.allocated.0),
            unallocated: area_text(s.summary.unallocated.0),
            allocated_pct: pct(s.summary.allocated.0, total),
            rooms_pct: pct(rooms_total, total),
            by_group: s.summary.by_group.iter().map(|(g, a)| (g.clone(), area_text(a.0))).collect(),
            equipment,
            is_office: caller.can(Action::Update, Resource::JointInstitute { consortium_id: cid, booker: None }),
            f,
            af,
            ef,
        }),
    )
        .into_response())
}

async fn institute_page(ctx: Ctx) -> PageResult {
    institute_view(&ctx, InstituteForms::default()).await
}

async fn office_institute(ctx: &Ctx, caller: &Caller) -> Result<i64, AppError> {
    let cid = super::consortium_of(ctx, caller).await?;
    caller.require(Action::Update, Resource::JointInstitute { consortium_id: cid, booker: None })?;
    Ok(cid)
}

async fn room_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = office_institute(&ctx, &caller).await?;
    let f = Fields(v);
    let result = match app::parse_area("area", &f.get("area")) {
        Ok(area) => app::create_room(&ctx.st.db, &caller, cid, &f.get("code"), &f.get("name"), &f.get("floor"), area)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/institute?ok=created").into_response()),
        Err(e) => {
            institute_view(&ctx, InstituteForms { f: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await
        }
    }
}

async fn allocation_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = office_institute(&ctx, &caller).await?;
    let f = Fields(v);
    let result = match (f.id("room_id"), app::parse_area("area", &f.get("area"))) {
        (Some(room), Ok(area)) => {
            app::allocate(&ctx.st.db, &caller, cid, room, &f.get("group_name"), area).await.map(|_| ())
        }
        (None, _) => {
            let mut e = FieldErrors::new();
            e.add("room_id", "required");
            Err(AppError::Invalid(e))
        }
        (_, Err(e)) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/institute?ok=created").into_response()),
        Err(e) => {
            institute_view(&ctx, InstituteForms { af: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await
        }
    }
}

async fn equipment_create(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = office_institute(&ctx, &caller).await?;
    let f = Fields(v);
    let result = app::create_equipment(
        &ctx.st.db,
        &caller,
        cid,
        &f.get("code"),
        &f.get("name"),
        f.id("room_id"),
        None,
        &f.get("description"),
    )
    .await;
    match result {
        Ok(e) => Ok(Redirect::to(&format!("/institute/equipment/{}?ok=created", e.id)).into_response()),
        Err(e) => {
            institute_view(&ctx, InstituteForms { ef: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await
        }
    }
}

#[derive(Deserialize, Default)]
struct WeekQuery {
    #[serde(default)]
    week: String,
}

struct Block {
    top: String,
    height: String,
    time: String,
    purpose: String,
    who: String,
    mine: bool,
}

struct DayCol {
    weekday: String,
    date: String,
    today: bool,
    blocks: Vec<Block>,
}

struct BookingRow {
    b: booking::Model,
    time: String,
    can_cancel: bool,
    mine: bool,
}

#[derive(Template)]
#[template(path = "research_equipment.html")]
struct EquipmentPage {
    l: Layout,
    e: equipment::Model,
    week_label: String,
    prev: String,
    next: String,
    hours: Vec<u32>,
    days: Vec<DayCol>,
    bookings: Vec<BookingRow>,
    can_book: bool,
    f: Fs,
}

fn week_of(q: &str) -> NaiveDate {
    let day = NaiveDate::parse_from_str(q.trim(), "%Y-%m-%d").unwrap_or_else(|_| kst(Utc::now()).date());
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

fn hm(t: NaiveDateTime) -> String {
    t.format("%H:%M").to_string()
}

async fn equipment_view(ctx: &Ctx, id: i64, week: NaiveDate, f: Fs) -> PageResult {
    let caller = ctx.caller()?;
    let lang = ctx.lang;
    let start = week.and_hms_opt(0, 0, 0).unwrap_or_default();
    let cal = app::calendar(&ctx.st.db, &caller, id, from_kst(start), from_kst(start + Duration::days(7))).await?;
    let cid = cal.equipment.consortium_id;
    let me = caller.actor.user_id;
    let is_office = caller.can(Action::Archive, Resource::JointInstitute { consortium_id: cid, booker: None });
    let l = Layout::from_ctx(ctx, "equipment-title", "nav-institute");
    // Day segments of every booking in minutes from midnight (KST).
    let mut segs: Vec<(usize, i64, i64, &booking::Model)> = Vec::new();
    for b in &cal.bookings {
        let (s, e) = (kst(b.start_at), kst(b.end_at));
        for d in 0..7 {
            let day0 = start + Duration::days(d);
            let day1 = day0 + Duration::days(1);
            let (a, z) = (s.max(day0), e.min(day1));
            if a < z {
                segs.push((d as usize, (a - day0).num_minutes(), (z - day0).num_minutes(), b));
            }
        }
    }
    let first = segs.iter().map(|s| s.1 / 60).min().unwrap_or(8).min(8);
    let last = segs.iter().map(|s| (s.2 + 59) / 60).max().unwrap_or(20).max(20);
    let span = ((last - first) * 60) as f64;
    let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let today_kst = kst(Utc::now()).date();
    let days = (0..7)
        .map(|d| {
            let date = week + Duration::days(d as i64);
            DayCol {
                weekday: label(lang, "weekday", weekdays[d]),
                date: match lang {
                    Locale::Ko => format!("{}/{}", date.month(), date.day()),
                    Locale::En => date.format("%d %b").to_string(),
                },
                today: date == today_kst,
                blocks: segs
                    .iter()
                    .filter(|s| s.0 == d)
                    .map(|(_, a, z, b)| Block {
                        top: format!("{:.3}", (*a - first * 60) as f64 / span * 100.0),
                        height: format!("{:.3}", (*z - *a) as f64 / span * 100.0),
                        time: format!("{}–{}", hm(kst(b.start_at)), {
                            let e = kst(b.end_at);
                            if e.time() == NaiveTime::MIN && *z == 24 * 60 { "24:00".to_string() } else { hm(e) }
                        }),
                        purpose: b.purpose.clone(),
                        who: b.booked_by.clone(),
                        mine: b.booked_by_user == Some(me),
                    })
                    .collect(),
            }
        })
        .collect();
    let bookings = cal
        .bookings
        .iter()
        .map(|b| {
            let (s, e) = (kst(b.start_at), kst(b.end_at));
            let midnight = e.time() == NaiveTime::MIN && e.date() == s.date() + Duration::days(1);
            let time = if s.date() == e.date() || midnight {
                format!("{} {}–{}", l.date(&s.date()), hm(s), if midnight { "24:00".into() } else { hm(e) })
            } else {
                format!("{} {} – {} {}", l.date(&s.date()), hm(s), l.date(&e.date()), hm(e))
            };
            let mine = b.booked_by_user == Some(me);
            BookingRow { time, mine, can_cancel: mine || is_office, b: b.clone() }
        })
        .collect();
    let week_label = format!("{} – {}", l.date(&week), l.date(&(week + Duration::days(6))));
    let status = f.status();
    Ok((
        status,
        page(&EquipmentPage {
            l,
            week_label,
            prev: (week - Duration::days(7)).to_string(),
            next: (week + Duration::days(7)).to_string(),
            hours: (first..last).map(|h| h as u32).collect(),
            days,
            bookings,
            can_book: caller.can(Action::Create, Resource::JointInstitute { consortium_id: cid, booker: None }),
            e: cal.equipment,
            f,
        }),
    )
        .into_response())
}

async fn equipment_page(ctx: Ctx, Id(id): Id, Query(q): Query<WeekQuery>) -> PageResult {
    let week = week_of(&q.week);
    let f = Fs::from_pairs(
        ctx.lang,
        &[("date", kst(Utc::now()).date().max(week).to_string()), ("start", "09:00".into()), ("end", "10:00".into())],
    );
    equipment_view(&ctx, id, week, f).await
}

async fn equipment_book(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let e = store::get_equipment(&ctx.st.db, id).await?;
    caller.require(Action::Create, Resource::JointInstitute { consortium_id: e.consortium_id, booker: None })?;
    let f = Fields(v);
    let mut errs = FieldErrors::new();
    let date = required_date(&mut errs, "date", &f.get("date"));
    let time = |errs: &mut FieldErrors, field: &str| {
        let s = f.get(field);
        let t =
            NaiveTime::parse_from_str(s.trim(), "%H:%M").or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H:%M:%S"));
        if s.trim().is_empty() {
            errs.add(field, "required");
            None
        } else if t.is_err() {
            errs.add(field, "invalid-time");
            None
        } else {
            t.ok()
        }
    };
    let (start, end) = (time(&mut errs, "start"), time(&mut errs, "end"));
    let week = date.map(|d| week_of(&d.to_string())).unwrap_or_else(|| week_of(""));
    let result = match (date, start, end) {
        (Some(d), Some(s), Some(z)) if errs.is_empty() => {
            app::book(&ctx.st.db, &caller, id, from_kst(d.and_time(s)), from_kst(d.and_time(z)), &f.get("purpose"))
                .await
        }
        _ => Err(AppError::Invalid(errs)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/institute/equipment/{id}?week={week}&ok=booked")).into_response()),
        Err(err) => equipment_view(&ctx, id, week, Fs::of(ctx.lang, &f).fail(err)?).await,
    }
}

async fn booking_cancel(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    let b = app::cancel_booking(&ctx.st.db, &caller, id).await?;
    let week = week_of(&kst(b.start_at).date().to_string());
    Ok(Redirect::to(&format!("/institute/equipment/{}?week={week}&ok=cancelled", b.equipment_id)).into_response())
}

// Notifications ---------------------------------------------------------------------------------------------------

struct NoticeRow {
    n: notification::Model,
    href: String,
    subject: String,
}

#[derive(Template)]
#[template(path = "research_notifications.html")]
struct NotificationsPage {
    l: Layout,
    rows: Vec<NoticeRow>,
    unread: usize,
}

async fn notifications_page(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    let list = app::notifications(&ctx.st.db, &caller, false).await?;
    let unread = list.iter().filter(|n| n.read_at.is_none()).count();
    let mut l = Layout::from_ctx(&ctx, "notifications-title", "nav-notifications");
    if unread > 0 {
        for item in l.nav.iter_mut().filter(|i| i.href == "/notifications") {
            item.label = format!("{} ({unread})", item.label);
        }
    }
    let rows = list
        .into_iter()
        .map(|n| {
            let href = match n.subject_kind.as_str() {
                "need" => format!("/needs/{}", n.subject_id),
                "project" => format!("/projects/{}", n.subject_id),
                "data_access_request" => format!("/data#request-{}", n.subject_id),
                _ => String::new(),
            };
            let subject = format!("{} #{}", label(ctx.lang, "subject", &n.subject_kind), n.subject_id);
            NoticeRow { n, href, subject }
        })
        .collect();
    Ok(page(&NotificationsPage { l, rows, unread }))
}

async fn notification_read(ctx: Ctx, Id(id): Id) -> PageResult {
    let caller = ctx.caller()?;
    app::mark_read(&ctx.st.db, &caller, Some(id)).await?;
    Ok(Redirect::to("/notifications?ok=saved").into_response())
}

async fn notifications_read_all(ctx: Ctx) -> PageResult {
    let caller = ctx.caller()?;
    app::mark_read(&ctx.st.db, &caller, None).await?;
    Ok(Redirect::to("/notifications?ok=saved").into_response())
}
