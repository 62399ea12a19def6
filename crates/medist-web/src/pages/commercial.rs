//! Commercialization pages (사업화): the yearly summary, invention disclosures with their deadlines, technology
//! transfers with royalties and startups with investment rounds; a page per disclosure with its assessment,
//! decisions and history.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::Form;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use medist_app::commercial as app;
use medist_app::{AppError, Caller};
use medist_core::FieldErrors;
use medist_core::access::{Action, Resource};
use medist_db::commercial::{CommercialYear, DisclosureInput, DisclosureView, StartupView, TransferView};
use medist_ip::disclosure::{Assessment, DeadlineStatus, Decision, DisclosureAction, PublicDisclosure};
use medist_ip::startup::{InvestmentRound, RoundStage};
use medist_ip::transfer::RoyaltyPayment;
use medist_ip::{InventorShare, Region, Startup, TechnologyTransfer, TransferKind};

use super::research::{Fields, Fs, optional_date, people_choices, required_date, required_enum};
use super::{Id, Layout, page};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::HtmlError;

type PageResult = Result<Response, HtmlError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/commercialization", get(overview))
        .route("/commercialization/disclosures", post(disclose))
        .route("/commercialization/transfers", post(transfer_add))
        .route("/commercialization/startups", post(startup_add))
        .route("/transfers/{id}/royalties", post(royalty_add))
        .route("/startups/{id}/rounds", post(round_add))
        .route("/disclosures/{id}", get(disclosure_page))
        .route("/disclosures/{id}/assess", post(disclosure_assess))
        .route("/disclosures/{id}/action", post(disclosure_act))
}

const KINDS: [&str; 5] = ["exclusive_license", "non_exclusive_license", "assignment", "option", "other"];
const REGIONS: [&str; 18] = [
    "gwangju",
    "jeonnam",
    "seoul",
    "busan",
    "daegu",
    "incheon",
    "daejeon",
    "ulsan",
    "sejong",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "chungnam",
    "jeonbuk",
    "gyeongbuk",
    "gyeongnam",
    "jeju",
    "overseas",
];
const STAGES: [&str; 7] = ["seed", "pre_a", "series_a", "series_b", "series_c", "later", "other"];
const PUBLIC_KINDS: [&str; 6] = ["paper", "conference", "thesis", "press", "online", "other"];

/// A deadline as a badge: the CSS class, the label key and the days.
pub struct Due {
    pub class: &'static str,
    pub key: &'static str,
    pub days: Option<i64>,
}

fn due(s: &DeadlineStatus) -> Due {
    match s {
        DeadlineStatus::NotApplicable => Due { class: "muted", key: "deadline-na", days: None },
        DeadlineStatus::Done { late, .. } => Due {
            class: if *late { "warn" } else { "ok" },
            key: if *late { "deadline-done-late" } else { "deadline-done" },
            days: None,
        },
        DeadlineStatus::OnTrack { days_left } => {
            Due { class: "muted", key: "deadline-on-track", days: Some(*days_left) }
        }
        DeadlineStatus::AtRisk { days_left } => Due { class: "warn", key: "deadline-at-risk", days: Some(*days_left) },
        DeadlineStatus::Overdue { days_overdue } => {
            Due { class: "bad", key: "deadline-overdue", days: Some(*days_overdue) }
        }
    }
}

struct DisclosureRow {
    v: DisclosureView,
    inventors: String,
    decision: Due,
    filing: Due,
}

struct StartupRow {
    v: StartupView,
    founders: String,
}

#[derive(Template)]
#[template(path = "commercial.html")]
struct OverviewPage {
    l: Layout,
    years: Vec<CommercialYear>,
    disclosures: Vec<DisclosureRow>,
    transfers: Vec<TransferView>,
    startups: Vec<StartupRow>,
    can_manage: bool,
    can_disclose: bool,
    people: Vec<(i64, String)>,
    families: Vec<(i64, String)>,
    projects: Vec<(i64, String)>,
    kinds: Vec<&'static str>,
    regions: Vec<&'static str>,
    stages: Vec<&'static str>,
    public_kinds: Vec<&'static str>,
    df: Fs,
    tf: Fs,
    sf: Fs,
    /// The form of a royalty or round that failed, and which record it was for.
    rf: Fs,
    rf_for: String,
}

impl OverviewPage {
    fn royalties(&self, t: &TransferView) -> String {
        self.l.krw_exact(&t.transfer.royalties.iter().map(|r| r.amount_krw).sum())
    }
}

#[derive(Default)]
struct Forms {
    df: Option<Fs>,
    tf: Option<Fs>,
    sf: Option<Fs>,
    rf: Option<(Fs, String)>,
}

fn names_of(people: &HashMap<i64, String>, ids: impl IntoIterator<Item = i64>) -> String {
    ids.into_iter()
        .map(|id| people.get(&id).cloned().unwrap_or_else(|| format!("#{id}")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn overview_view(ctx: &Ctx, forms: Forms) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(ctx, &caller).await?;
    let db = &ctx.st.db;
    let years = app::summary(db, &caller, cid).await?;
    let can_manage = app::can_manage(&caller, cid);
    let can_disclose = app::can_disclose(&caller, cid);
    let people = people_choices(ctx, cid, ctx.lang).await?;
    let short: HashMap<i64, String> =
        people.iter().map(|(id, n)| (*id, n.split(" (").next().unwrap_or(n).to_string())).collect();
    let disclosures = app::list_disclosures(db, &caller, cid)
        .await?
        .into_iter()
        .map(|v| DisclosureRow {
            inventors: v
                .disclosure
                .inventors
                .iter()
                .map(|i| {
                    format!("{} {}%", short.get(&i.person_id).cloned().unwrap_or_default(), i.share_bp as f64 / 100.0)
                })
                .collect::<Vec<_>>()
                .join(", "),
            decision: due(&v.deadlines.decision),
            filing: due(&v.deadlines.filing),
            v,
        })
        .collect();
    let startups = app::list_startups(db, &caller, cid)
        .await?
        .into_iter()
        .map(|v| StartupRow { founders: names_of(&short, v.startup.founder_person_ids.iter().copied()), v })
        .collect();
    let families = medist_db::patents::list_families(db, cid)
        .await?
        .into_iter()
        .map(|f| (f.family.id, format!("#{} {}", f.family.id, f.family.title_ko)))
        .collect();
    let projects =
        medist_db::research::list_projects(db, cid, &Default::default(), medist_db::Page::new(None, Some(500)))
            .await?
            .items
            .into_iter()
            .map(|p| (p.project.id, format!("{} {}", p.project.code, p.project.title_ko)))
            .collect();
    let lang = ctx.lang;
    let (rf, rf_for) = forms.rf.unwrap_or_else(|| (Fs::new(lang), String::new()));
    let df = forms.df.unwrap_or_else(|| Fs::new(lang));
    let tf = forms.tf.unwrap_or_else(|| Fs::new(lang));
    let sf = forms.sf.unwrap_or_else(|| Fs::new(lang));
    let status = [&df, &tf, &sf, &rf].iter().find(|f| f.has_errors()).map(|f| f.status()).unwrap_or(df.status());
    Ok((
        status,
        page(&OverviewPage {
            l: Layout::from_ctx(ctx, "commercial-title", "nav-commercialization"),
            years,
            disclosures,
            transfers: app::list_transfers(db, &caller, cid).await?,
            startups,
            can_manage,
            can_disclose,
            people: if can_disclose { people } else { vec![] },
            families,
            projects,
            kinds: KINDS.to_vec(),
            regions: REGIONS.to_vec(),
            stages: STAGES.to_vec(),
            public_kinds: PUBLIC_KINDS.to_vec(),
            df,
            tf,
            sf,
            rf,
            rf_for,
        }),
    )
        .into_response())
}

async fn overview(ctx: Ctx) -> PageResult {
    overview_view(&ctx, Forms::default()).await
}

/// Whole won from a form: digits with optional commas, `원` and spaces.
fn krw(e: &mut FieldErrors, field: &str, s: &str, required: bool) -> Option<i64> {
    let t: String = s.chars().filter(|c| !matches!(c, ',' | ' ' | '원' | '₩')).collect();
    if t.is_empty() {
        if required {
            e.add(field, "required");
        }
        return if required { None } else { Some(0) };
    }
    match t.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            e.add(field, "not-an-amount");
            None
        }
    }
}

/// Recording and deciding is for the commercialization staff and the program office: checked before the form.
fn staff(caller: &Caller, consortium_id: i64) -> Result<(), AppError> {
    caller.require(Action::Update, Resource::Commercialization { consortium_id, inventor: false })
}

async fn disclose(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    caller.require(Action::Create, Resource::Commercialization { consortium_id: cid, inventor: false })?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    if f.get("title_ko").trim().is_empty() {
        e.add("title_ko", "required");
    }
    let received_on = required_date(&mut e, "received_on", &f.get("received_on"));
    let mut inventors = Vec::new();
    for i in 0..4 {
        let (p, share) = (f.get(&format!("inventor-{i}")), f.get(&format!("share-{i}")));
        if p.trim().is_empty() {
            continue;
        }
        let share_bp = share.trim().trim_end_matches('%').parse::<f64>().ok().map(|x| (x * 100.0).round() as u32);
        match (p.trim().parse::<i64>(), share_bp) {
            (Ok(person_id), Some(share_bp)) => inventors.push(InventorShare { person_id, share_bp }),
            _ => e.add("inventors", "invalid-share"),
        }
    }
    let mut public_disclosures = Vec::new();
    if !f.get("public_date").trim().is_empty() {
        let date = optional_date(&mut e, "public_date", &f.get("public_date"));
        let kind = required_enum(&mut e, "public_kind", &f.get("public_kind"));
        if let (Some(date), Some(kind)) = (date, kind) {
            public_disclosures.push(PublicDisclosure { kind, date, description: f.get("public_description") });
        }
    }
    let result = match received_on {
        Some(received_on) if e.is_empty() => {
            let input = DisclosureInput {
                title_ko: f.get("title_ko"),
                title_en: f.get("title_en"),
                inventors,
                received_on,
                project_ids: f.ids("project_id"),
                public_disclosures,
                is_sample: false,
            };
            app::create_disclosure(&ctx.st.db, &caller, cid, &input).await.map(|d| d.id)
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/disclosures/{id}?ok=created")).into_response()),
        Err(e) => overview_view(&ctx, Forms { df: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await,
    }
}

async fn transfer_add(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    staff(&caller, cid)?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let kind: Option<TransferKind> = required_enum(&mut e, "kind", &f.get("kind"));
    let contract_date = required_date(&mut e, "contract_date", &f.get("contract_date"));
    let upfront = krw(&mut e, "upfront_fee_krw", &f.get("upfront_fee_krw"), false);
    let result = match (kind, contract_date, upfront) {
        (Some(kind), Some(contract_date), Some(upfront_fee_krw)) if e.is_empty() => {
            let t = TechnologyTransfer {
                id: 0,
                title: f.get("title"),
                licensee: f.get("licensee"),
                kind,
                contract_date,
                upfront_fee_krw,
                royalties: vec![],
                patent_family_ids: f.ids("patent_family_id"),
                project_ids: f.ids("project_id"),
                licensor_institution_ids: vec![],
            };
            app::create_transfer(&ctx.st.db, &caller, cid, &t).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/commercialization?ok=created#transfers").into_response()),
        Err(e) => overview_view(&ctx, Forms { tf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await,
    }
}

async fn startup_add(ctx: Ctx, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    let cid = super::consortium_of(&ctx, &caller).await?;
    staff(&caller, cid)?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let founded_on = required_date(&mut e, "founded_on", &f.get("founded_on"));
    let region: Option<Region> = required_enum(&mut e, "region", &f.get("region"));
    let mut founders = f.ids("founder-0");
    founders.extend(f.ids("founder-1"));
    let result = match (founded_on, region) {
        (Some(founded_on), Some(region)) if e.is_empty() => {
            let s = Startup {
                id: 0,
                name: f.get("name"),
                name_en: f.get("name_en"),
                founded_on,
                region,
                founder_person_ids: founders,
                patent_family_ids: f.ids("patent_family_id"),
                project_ids: f.ids("project_id"),
                rounds: vec![],
            };
            app::create_startup(&ctx.st.db, &caller, cid, &s).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/commercialization?ok=created#startups").into_response()),
        Err(e) => overview_view(&ctx, Forms { sf: Some(Fs::of(ctx.lang, &f).fail(e)?), ..Default::default() }).await,
    }
}

async fn royalty_add(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    staff(&caller, medist_db::commercial::get_transfer(&ctx.st.db, id).await?.row.consortium_id)?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let paid_on = required_date(&mut e, "paid_on", &f.get("paid_on"));
    let amount = krw(&mut e, "amount_krw", &f.get("amount_krw"), true);
    let result = match (paid_on, amount) {
        (Some(paid_on), Some(amount_krw)) if e.is_empty() => {
            app::add_royalty(&ctx.st.db, &caller, id, RoyaltyPayment { paid_on, amount_krw }).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/commercialization?ok=saved#transfers").into_response()),
        Err(e) => {
            let rf = (Fs::of(ctx.lang, &f).fail(e)?, format!("transfer-{id}"));
            overview_view(&ctx, Forms { rf: Some(rf), ..Default::default() }).await
        }
    }
}

async fn round_add(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    staff(&caller, medist_db::commercial::get_startup(&ctx.st.db, id).await?.row.consortium_id)?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let date = required_date(&mut e, "date", &f.get("date"));
    let stage: Option<RoundStage> = required_enum(&mut e, "stage", &f.get("stage"));
    let amount = krw(&mut e, "amount_krw", &f.get("amount_krw"), true);
    let investors: Vec<String> =
        f.get("investors").split([',', ';']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    let result = match (date, stage, amount) {
        (Some(date), Some(stage), Some(amount_krw)) if e.is_empty() => {
            app::add_round(&ctx.st.db, &caller, id, InvestmentRound { date, stage, amount_krw, investors })
                .await
                .map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/commercialization?ok=saved#startups").into_response()),
        Err(e) => {
            let rf = (Fs::of(ctx.lang, &f).fail(e)?, format!("startup-{id}"));
            overview_view(&ctx, Forms { rf: Some(rf), ..Default::default() }).await
        }
    }
}

// One disclosure ----------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "disclosure.html")]
struct DisclosurePage {
    l: Layout,
    v: DisclosureView,
    inventors: Vec<(String, String)>,
    decision: Due,
    filing: Due,
    can_manage: bool,
    next: Vec<&'static str>,
    applications: Vec<(i64, String)>,
    af: Fs,
    xf: Fs,
}

impl DisclosurePage {
    fn public_kind(&self, p: &PublicDisclosure) -> &'static str {
        use medist_ip::disclosure::PublicDisclosureKind as K;
        match p.kind {
            K::Paper => "paper",
            K::Conference => "conference",
            K::Thesis => "thesis",
            K::Press => "press",
            K::Online => "online",
            K::Other => "other",
        }
    }
}

async fn disclosure_view(ctx: &Ctx, id: i64, af: Option<Fs>, xf: Option<Fs>) -> PageResult {
    let caller = ctx.caller()?;
    let v = app::get_disclosure(&ctx.st.db, &caller, id).await?;
    let cid = v.row.consortium_id;
    let people: HashMap<i64, String> = people_choices(ctx, cid, ctx.lang).await?.into_iter().collect();
    let inventors = v
        .disclosure
        .inventors
        .iter()
        .map(|i| (people.get(&i.person_id).cloned().unwrap_or_default(), format!("{}%", i.share_bp as f64 / 100.0)))
        .collect();
    let can_manage = app::can_manage(&caller, cid);
    let next: Vec<&'static str> = match v.row.state.as_str() {
        "received" => vec!["start_assessment"],
        "under_assessment" => vec!["assess", "decide_file", "decide_release", "decide_hold"],
        "on_hold" => vec!["decide_file", "decide_release", "return_to_assessment"],
        "decided_file" => vec!["mark_filed", "return_to_assessment"],
        "decided_release" => vec!["mark_released", "return_to_assessment"],
        _ => vec![],
    };
    let applications = if can_manage {
        medist_db::patents::list_families(&ctx.st.db, cid)
            .await?
            .into_iter()
            .flat_map(|f| {
                let title = f.family.title_ko.clone();
                f.applications.into_iter().map(move |a| {
                    let number = a.events.first().and_then(|e| e.number.clone()).unwrap_or_default();
                    (a.application.id, format!("{} {number} · {title}", a.application.jurisdiction))
                })
            })
            .collect()
    } else {
        vec![]
    };
    let (decision, filing) = (due(&v.deadlines.decision), due(&v.deadlines.filing));
    let lang = ctx.lang;
    let af = af.unwrap_or_else(|| Fs::new(lang));
    let xf = xf.unwrap_or_else(|| Fs::new(lang));
    let status = if af.has_errors() { af.status() } else { xf.status() };
    Ok((
        status,
        page(&DisclosurePage {
            l: Layout::from_ctx(ctx, "disclosure-title", "nav-commercialization"),
            v,
            inventors,
            decision,
            filing,
            can_manage,
            next,
            applications,
            af,
            xf,
        }),
    )
        .into_response())
}

async fn disclosure_page(ctx: Ctx, Id(id): Id) -> PageResult {
    disclosure_view(&ctx, id, None, None).await
}

async fn disclosure_assess(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    staff(
        &caller,
        medist_db::commercial::get_disclosure(&ctx.st.db, id, chrono::Utc::now().date_naive()).await?.row.consortium_id,
    )?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let assessed_on = required_date(&mut e, "assessed_on", &f.get("assessed_on"));
    let score = match f.get("score").trim() {
        "" => None,
        s => match s.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.add("score", "not-a-number");
                None
            }
        },
    };
    let result = match assessed_on {
        Some(assessed_on) if e.is_empty() => {
            let a = Assessment {
                grade: f.get("grade").trim().to_string(),
                score,
                assessor: f.get("assessor"),
                assessed_on,
                comment: f.get("comment"),
            };
            app::assess_disclosure(&ctx.st.db, &caller, id, a).await.map(|_| ()).map_err(|e| match e {
                // The rules name `assessment.score`; the form's field is `score`.
                AppError::Invalid(mut fe) => {
                    for x in &mut fe.0 {
                        x.field = x.field.trim_start_matches("assessment.").to_string();
                    }
                    AppError::Invalid(fe)
                }
                other => other,
            })
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/disclosures/{id}?ok=saved")).into_response()),
        Err(e) => disclosure_view(&ctx, id, Some(Fs::of(ctx.lang, &f).fail(e)?), None).await,
    }
}

async fn disclosure_act(ctx: Ctx, Id(id): Id, Form(v): Form<Vec<(String, String)>>) -> PageResult {
    let caller = ctx.caller()?;
    staff(
        &caller,
        medist_db::commercial::get_disclosure(&ctx.st.db, id, chrono::Utc::now().date_naive()).await?.row.consortium_id,
    )?;
    let f = Fields(v);
    let mut e = FieldErrors::new();
    let on = optional_date(&mut e, "on", &f.get("on"));
    let hold_until = optional_date(&mut e, "hold_until", &f.get("hold_until"));
    let action = match f.get("action").as_str() {
        "start_assessment" => Some(DisclosureAction::StartAssessment),
        "decide_file" => Some(DisclosureAction::Decide { decision: Decision::File, hold_until: None }),
        "decide_release" => Some(DisclosureAction::Decide { decision: Decision::Release, hold_until: None }),
        "decide_hold" => Some(DisclosureAction::Decide { decision: Decision::Hold, hold_until }),
        "return_to_assessment" => Some(DisclosureAction::ReturnToAssessment),
        "mark_released" => Some(DisclosureAction::MarkReleased),
        "mark_filed" => match f.id("patent_application_id") {
            Some(patent_application_id) => Some(DisclosureAction::MarkFiled { patent_application_id }),
            None => {
                e.add("patent_application_id", "required");
                None
            }
        },
        _ => {
            e.add("action", "unknown-action");
            None
        }
    };
    let result = match action {
        Some(a) if e.is_empty() => {
            app::disclosure_action(&ctx.st.db, &caller, id, a, f.get("reason").trim(), on).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/disclosures/{id}?ok=saved")).into_response()),
        Err(e) => disclosure_view(&ctx, id, None, Some(Fs::of(ctx.lang, &f).fail(e)?)).await,
    }
}
