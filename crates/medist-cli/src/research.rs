//! `medist needs`, `medist screening`, `medist projects`, `medist equipment`, `medist notify`: research &
//! translation from the command line, through the same use cases as the web UI and the API.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use medist_app::Caller;
use medist_app::research as app;
use medist_db::Db;
use medist_db::research::{NeedFilter, NeedMeta, ProjectFilter, ProjectInput};
use medist_research::matching::MatchFilter;
use medist_research::need::NeedInput;
use medist_research::project::{GateDecision, GateReview};

use super::{default_consortium, explain};

#[derive(Subcommand)]
pub enum NeedsCmd {
    /// List needs (미충족 임상수요).
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        track: Option<String>,
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// One need with its history.
    Show { id: i64 },
    /// Write a need from a JSON file (fields: title, problem, population, outcome, disease_area, clinical_setting,
    /// current_practice, evidence, urgency, track).
    Create {
        file: std::path::PathBuf,
        #[arg(long)]
        submit: bool,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Move a need: submit, start_triage, return, merge, reject, start_screening, select.
    Transition {
        id: i64,
        action: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// For merge: the need it is merged into.
        #[arg(long)]
        into: Option<i64>,
    },
    /// Researchers ranked for the need, with the reasons, and proposed mixed teams.
    Match {
        id: i64,
        #[arg(long)]
        institution: Vec<i64>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ScreeningCmd {
    /// Screening rounds.
    List {
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// A round's ranking: weighted mean, spread, disagreement.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ProjectsCmd {
    /// Collaborative projects (공동연구 과제).
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        stage: Option<String>,
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// A project with members, flags, IRB and history.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change the status: approved, active, completed, terminated.
    Status {
        id: i64,
        to: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record a gate review (advance, continue, pivot, stop) with its evidence.
    Gate {
        id: i64,
        decision: String,
        /// A reference to the evidence; repeat for several.
        #[arg(long, required = true)]
        evidence: Vec<String>,
        #[arg(long, default_value = "")]
        reason: String,
        /// For a pivot: the new aim.
        #[arg(long)]
        new_aim: Option<String>,
        #[arg(long)]
        next_gate: Option<NaiveDate>,
    },
    /// Change a project's details; what is not given stays as it is (code and aim do not change here).
    Edit {
        id: i64,
        #[arg(long)]
        title_ko: Option<String>,
        #[arg(long)]
        title_en: Option<String>,
        /// immuno_oncology, regenerative_medicine or multimodal_medicine.
        #[arg(long)]
        track: Option<String>,
        #[arg(long)]
        summary: Option<String>,
        #[arg(long)]
        start: Option<NaiveDate>,
        #[arg(long)]
        end: Option<NaiveDate>,
        #[arg(long)]
        next_gate: Option<NaiveDate>,
        /// Whether the project uses human data or samples (true/false).
        #[arg(long)]
        human_data: Option<bool>,
    },
    /// The milestones of a project with their status.
    Milestones {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Add a milestone to a project.
    MilestoneAdd {
        id: i64,
        #[arg(long)]
        title: String,
        #[arg(long)]
        due: NaiveDate,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Mark a milestone done (on --on, default today).
    MilestoneDone {
        milestone: i64,
        #[arg(long)]
        on: Option<NaiveDate>,
    },
    /// Milestones of running projects that are overdue or due within two weeks.
    MilestonesDue {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum EquipmentCmd {
    /// Shared equipment of the joint institute.
    List {
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Bookings of a piece of equipment from now (or --from) for --days days.
    Calendar {
        id: i64,
        #[arg(long)]
        from: Option<DateTime<Utc>>,
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// Book it: times in RFC 3339, e.g. 2027-03-02T10:00:00+09:00. Overlaps are refused.
    Book {
        id: i64,
        #[arg(long)]
        start: DateTime<Utc>,
        #[arg(long)]
        end: DateTime<Utc>,
        #[arg(long, default_value = "")]
        purpose: String,
    },
    /// Cancel a booking.
    Cancel { booking: i64 },
}

#[derive(Subcommand)]
pub enum NotifyCmd {
    /// Create the reminders that are due and record expired data access (the server does this every 10 minutes).
    Sweep {
        /// The day to sweep as (default today).
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// E-mail every user their unread notifications not yet sent (needs `smtp_host` and `smtp_from`;
    /// the server does this every minute).
    Send,
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub async fn needs(db: &Db, caller: &Caller, cmd: NeedsCmd) -> Result<()> {
    match cmd {
        NeedsCmd::List { state, track, consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let f = NeedFilter { state, track, submitted_by_user: None, q: None };
            let page = medist_db::Page::new(None, Some(500));
            let list = app::list_needs(db, caller, cid, &f, page).await.map_err(explain)?;
            if json {
                return print_json(&list);
            }
            for n in &list.items {
                println!(
                    "{:>5}  {:<22} {:<8} {:<22} {}",
                    n.need.id,
                    n.need.state,
                    n.need.disease_area,
                    n.need.track.as_deref().unwrap_or("-"),
                    n.need.title
                );
            }
            println!("{} needs", list.total);
        }
        NeedsCmd::Show { id } => print_json(&app::get_need(db, caller, id).await.map_err(explain)?)?,
        NeedsCmd::Create { file, submit, consortium } => {
            #[derive(serde::Deserialize)]
            struct NeedFile {
                title: String,
                #[serde(flatten)]
                input: NeedInput,
                track: Option<String>,
                institution_id: Option<i64>,
            }
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let f: NeedFile =
                serde_json::from_str(&text).with_context(|| format!("{}: not a need in JSON", file.display()))?;
            let track = match f.track.as_deref().filter(|s| !s.is_empty()) {
                Some(t) => Some(medist_db::research::parse_enum("track", t).map_err(|e| explain(e.into()))?),
                None => None,
            };
            let cid = default_consortium(db, consortium).await?;
            let meta = NeedMeta {
                title: f.title,
                track,
                institution_id: f.institution_id,
                submitter_name: String::new(),
                is_sample: false,
            };
            let n = app::create_need(db, caller, cid, &meta, &f.input, submit).await.map_err(explain)?;
            println!("need {} ({})", n.id, n.state);
        }
        NeedsCmd::Transition { id, action, reason, into } => {
            let a = app::parse_need_action(&action, into).map_err(explain)?;
            let n = app::transition_need(db, caller, id, a, &reason).await.map_err(explain)?;
            println!("need {} is now {}", n.id, n.state);
        }
        NeedsCmd::Match { id, institution, limit, json } => {
            let filter = MatchFilter { institution_ids: institution, faculty_categories: vec![] };
            let m = app::match_need(db, caller, id, &filter, limit, 3).await.map_err(explain)?;
            if json {
                return print_json(&m);
            }
            for (i, r) in m.ranked.iter().enumerate() {
                let why: Vec<String> = r.matched_terms.iter().take(5).map(|t| t.term.clone()).collect();
                println!("{:>2}. {:<28} {:>6.2}  {}", i + 1, r.name, r.score, why.join(", "));
            }
            for (i, t) in m.teams.iter().enumerate() {
                struct Named<'a> {
                    ranked: &'a [medist_research::matching::RankedResearcher],
                    researcher_id: i64,
                }
                let t = Team {
                    members: t
                        .members
                        .iter()
                        .map(|x| Named { ranked: &m.ranked, researcher_id: x.researcher_id })
                        .collect(),
                };
                struct Team<'a> {
                    members: Vec<Named<'a>>,
                }
                let names: Vec<String> = t
                    .members
                    .iter()
                    .map(|m| {
                        m.ranked
                            .iter()
                            .find(|r| r.researcher_id == m.researcher_id)
                            .map(|r| r.name.clone())
                            .unwrap_or_else(|| format!("#{}", m.researcher_id))
                    })
                    .collect();
                println!("team {}: {}", i + 1, names.join(" + "));
            }
            if let Some(p) = m.team_problem {
                println!("no team: {p}");
            }
        }
    }
    Ok(())
}

pub async fn screening(db: &Db, caller: &Caller, cmd: ScreeningCmd) -> Result<()> {
    match cmd {
        ScreeningCmd::List { consortium } => {
            let cid = default_consortium(db, consortium).await?;
            for r in app::list_rounds(db, caller, cid).await.map_err(explain)? {
                println!("{:>4}  {:<7} {}", r.id, r.status, r.name);
            }
        }
        ScreeningCmd::Show { id, json } => {
            let v = app::round_view(db, caller, id).await.map_err(explain)?;
            if json {
                return print_json(&v);
            }
            println!("{} ({})", v.round.name, v.round.status);
            for r in &v.results {
                let title = v.needs.iter().find(|n| n.need_id == r.need_id).map(|n| n.title.as_str()).unwrap_or("");
                let flag = if r.high_disagreement { "  ⚠ disagreement" } else { "" };
                println!(
                    "{:>2}. {:.2}  sd {:.2}  need {} {}{flag}",
                    r.rank, r.weighted_mean, r.reviewer_spread.std_dev, r.need_id, title
                );
            }
        }
    }
    Ok(())
}

pub async fn projects(db: &Db, caller: &Caller, cmd: ProjectsCmd) -> Result<()> {
    match cmd {
        ProjectsCmd::List { status, stage, consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let f = ProjectFilter { status, stage, track: None, q: None };
            let list = app::list_projects(db, caller, cid, &f, medist_db::Page::new(None, Some(500)))
                .await
                .map_err(explain)?;
            if json {
                return print_json(&list);
            }
            for p in &list.items {
                println!(
                    "{:<12} {:<10} {:<20} {:<2} {}{}",
                    p.project.code,
                    p.project.status,
                    p.project.stage,
                    p.members,
                    p.project.title_ko,
                    if p.flags.is_empty() { String::new() } else { format!("  [{}]", p.flags.join(", ")) }
                );
            }
            println!("{} projects", list.total);
        }
        ProjectsCmd::Show { id, json } => {
            let v = app::get_project(db, caller, id).await.map_err(explain)?;
            if json {
                return print_json(&v);
            }
            println!("{} {} / {}", v.project.code, v.project.title_ko, v.project.title_en);
            println!("status {}, stage {}, IRB {}", v.project.status, v.project.stage, v.irb_status);
            for m in &v.members {
                println!("  {} ({}) {} {} {}", m.name_ko, m.name_en, m.institution, m.role, m.background);
            }
            for f in &v.flags {
                println!("  flag: {f}");
            }
            for e in &v.events {
                println!(
                    "  {} {} {}→{} {} {}",
                    e.at.format("%Y-%m-%d"),
                    e.kind,
                    e.from_stage.as_deref().unwrap_or(&e.from_status),
                    e.to_stage.as_deref().unwrap_or(&e.to_status),
                    e.decision.as_deref().unwrap_or(""),
                    e.reason
                );
            }
        }
        ProjectsCmd::Status { id, to, reason } => {
            let p = app::change_status(db, caller, id, &to, &reason).await.map_err(explain)?;
            println!("{} is now {}", p.code, p.status);
        }
        ProjectsCmd::Gate { id, decision, evidence, reason, new_aim, next_gate } => {
            let decision: GateDecision =
                medist_db::research::parse_enum("decision", &decision).map_err(|e| explain(e.into()))?;
            let new_aim = match new_aim {
                Some(a) => Some(medist_db::research::parse_enum("new_aim", &a).map_err(|e| explain(e.into()))?),
                None => None,
            };
            let review = GateReview { decision, evidence, new_aim };
            let p = app::gate_review(db, caller, id, &review, &reason, next_gate).await.map_err(explain)?;
            println!("{}: stage {}, status {}", p.code, p.stage, p.status);
        }
        ProjectsCmd::Edit { id, title_ko, title_en, track, summary, start, end, next_gate, human_data } => {
            let p = app::get_project(db, caller, id).await.map_err(explain)?.project;
            let input = ProjectInput {
                code: p.code.clone(),
                title_ko: title_ko.unwrap_or(p.title_ko),
                title_en: title_en.unwrap_or(p.title_en),
                aim: medist_db::research::parse_enum("aim", &p.aim).map_err(|e| explain(e.into()))?,
                track: medist_db::research::parse_enum("track", track.as_deref().unwrap_or(&p.track))
                    .map_err(|e| explain(e.into()))?,
                summary: summary.unwrap_or(p.summary),
                uses_human_data: human_data.unwrap_or(p.uses_human_data),
                start_on: start.or(p.start_on),
                end_on: end.or(p.end_on),
                next_gate_on: next_gate.or(p.next_gate_on),
                is_sample: p.is_sample,
            };
            let p = app::update_project(db, caller, id, &input).await.map_err(explain)?;
            println!("{} updated", p.code);
        }
        ProjectsCmd::Milestones { id, json } => {
            let list = app::project_milestones(db, caller, id).await.map_err(explain)?;
            if json {
                return print_json(&list);
            }
            for m in &list {
                let done = m.milestone.done_on.map(|d| format!(" done {d}")).unwrap_or_default();
                println!("{:>5}  {}  {:<10} {}{done}", m.milestone.id, m.milestone.due_on, m.status, m.milestone.title);
            }
            if list.is_empty() {
                println!("no milestones");
            }
        }
        ProjectsCmd::MilestoneAdd { id, title, due, note } => {
            let m = app::add_milestone(db, caller, id, &title, due, &note).await.map_err(explain)?;
            println!("milestone {} added, due {}", m.id, m.due_on);
        }
        ProjectsCmd::MilestoneDone { milestone, on } => {
            let m = app::complete_milestone(db, caller, milestone, on).await.map_err(explain)?;
            println!("milestone {} done on {}", m.id, m.done_on.map(|d| d.to_string()).unwrap_or_default());
        }
        ProjectsCmd::MilestonesDue { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let list = app::milestones_due(db, caller, cid).await.map_err(explain)?;
            if json {
                return print_json(&list);
            }
            for d in &list {
                println!(
                    "{}  {:<9} {}  {}",
                    d.milestone.milestone.due_on, d.milestone.status, d.project_code, d.milestone.milestone.title
                );
            }
            if list.is_empty() {
                println!("nothing overdue or due within two weeks");
            }
        }
    }
    Ok(())
}

pub async fn equipment(db: &Db, caller: &Caller, cmd: EquipmentCmd) -> Result<()> {
    match cmd {
        EquipmentCmd::List { consortium } => {
            let cid = default_consortium(db, consortium).await?;
            for e in app::list_equipment(db, caller, cid).await.map_err(explain)? {
                println!("{:>4}  {:<12} {}", e.id, e.code, e.name);
            }
        }
        EquipmentCmd::Calendar { id, from, days } => {
            if !(1..=92).contains(&days) {
                bail!("--days must be between 1 and 92");
            }
            let from = from.unwrap_or_else(Utc::now);
            let c = app::calendar(db, caller, id, from, from + chrono::Duration::days(days)).await.map_err(explain)?;
            println!("{} {}", c.equipment.code, c.equipment.name);
            for b in &c.bookings {
                println!("{:>5}  {} – {}  {}  {}", b.id, b.start_at, b.end_at, b.booked_by, b.purpose);
            }
        }
        EquipmentCmd::Book { id, start, end, purpose } => {
            let b = app::book(db, caller, id, start, end, &purpose).await.map_err(explain)?;
            println!("booking {} from {} to {}", b.id, b.start_at, b.end_at);
        }
        EquipmentCmd::Cancel { booking } => {
            app::cancel_booking(db, caller, booking).await.map_err(explain)?;
            println!("booking {booking} cancelled");
        }
    }
    Ok(())
}

pub async fn notify(
    db: &Db,
    caller: &Caller,
    cmd: NotifyCmd,
    mail: Option<medist_web::mail::MailConfig>,
) -> Result<()> {
    match cmd {
        NotifyCmd::Sweep { today } => {
            let r = app::sweep(db, caller, today.unwrap_or_else(|| Utc::now().date_naive())).await.map_err(explain)?;
            println!(
                "{} notifications created, {} data access grants expired",
                r.notifications_created, r.access_expired
            );
        }
        NotifyCmd::Send => {
            caller
                .require(medist_core::access::Action::Update, medist_core::access::Resource::Accounts)
                .map_err(explain)?;
            let Some(cfg) = mail else {
                anyhow::bail!(
                    "no SMTP server is configured: set smtp_host and smtp_from (or MEDIST_SMTP_HOST, MEDIST_SMTP_FROM)"
                )
            };
            let r = medist_web::mail::deliver(db, &cfg).await.map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "{} message(s) sent with {} notification(s); {} could not be sent",
                r.messages_sent, r.notifications_sent, r.failed
            );
            if let Some(e) = r.first_error {
                anyhow::bail!("sending failed: {e}");
            }
        }
    }
    Ok(())
}
