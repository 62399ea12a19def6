//! `medist import trainees|courses|enrollments`, `medist export …` and the trainee progress commands
//! (`medist trainees overdue|milestone-add|milestone-pass|exception-add|plans|plan|positions|position-add|
//! training-tables`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use medist_app::Caller;
use medist_app::education_import::{self as import, ListKind, SheetFormat};
use medist_app::education_records as records;
use medist_db::Db;
use medist_db::education_records::ExceptionInput;
use medist_education::development_plan::PlanInput;
use medist_education::outcomes::PositionInput;
use medist_tabular::Lang;

use super::{default_consortium, explain, trainee_id};

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// `medist import trainees|courses|enrollments FILE`: every bad row on stderr with its file, row and column; all
/// or nothing.
pub async fn import_list(db: &Db, caller: &Caller, cid: i64, kind: ListKind, file: &Path, dry_run: bool) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "upload.csv".into());
    let r = import::import(db, caller, cid, kind, &bytes, &name, dry_run).await.map_err(explain)?;
    for p in &r.problems {
        eprintln!(
            "{}: row {}, column {} ({}): {}",
            file.display(),
            p.row,
            p.column.as_deref().unwrap_or("-"),
            p.field,
            p.message
        );
    }
    for w in &r.warnings {
        eprintln!("{}: warning: {w}", file.display());
    }
    if !r.problems.is_empty() {
        bail!("{} problems in {} rows: nothing was imported", r.problems.len(), r.rows);
    }
    println!(
        "{} rows: {} new{}, {} already present{}",
        r.rows,
        r.new_records,
        if r.new_people > 0 { format!(" ({} new people)", r.new_people) } else { String::new() },
        r.already_present,
        if r.written {
            " - imported"
        } else if dry_run {
            " (dry run: nothing written)"
        } else {
            " - nothing to write"
        }
    );
    Ok(())
}

/// `medist export LIST --format xlsx|csv [-o FILE]`.
pub async fn export(
    db: &Db,
    caller: &Caller,
    cid: i64,
    list: &str,
    format: &str,
    english: bool,
    output: Option<PathBuf>,
) -> Result<()> {
    let format = SheetFormat::parse(format).map_err(explain)?;
    let lang = if english { Lang::En } else { Lang::Ko };
    let (bytes, name) = import::export_file(db, caller, cid, list, format, lang).await.map_err(explain)?;
    let path = output.unwrap_or_else(|| PathBuf::from(name));
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{} ({} bytes)", path.display(), bytes.len());
    Ok(())
}

#[derive(Subcommand)]
pub enum ProgressCmd {
    /// Overdue milestones of every trainee, most overdue first.
    Overdue {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Add a milestone: qualifying_exam, proposal_defense, dissertation_defense or idp_review.
    MilestoneAdd {
        trainee: String,
        kind: String,
        /// Due date, YYYY-MM-DD.
        due: chrono::NaiveDate,
    },
    /// Record that a milestone (by id) was passed.
    MilestonePass {
        id: i64,
        /// Day passed (default today).
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
    /// Approve an exception: `--waive REQUIREMENT` or `--substitute TAKEN --counts-as CODE`, with a reason.
    ExceptionAdd {
        trainee: String,
        #[arg(long, conflicts_with = "substitute")]
        waive: Option<String>,
        #[arg(long, requires = "counts_as")]
        substitute: Option<String>,
        #[arg(long)]
        counts_as: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// The trainee's development plans with their sign-off status.
    Plans {
        trainee: String,
        #[arg(long)]
        json: bool,
    },
    /// Write (or change) the plan of a year; `--submit` asks the mentors to sign it off.
    Plan {
        trainee: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        goals: String,
        #[arg(long, default_value = "")]
        activities: String,
        #[arg(long, default_value = "")]
        reflection: String,
        #[arg(long)]
        submit: bool,
    },
    /// The trainee's positions over time (alumni outcomes).
    Positions {
        trainee: String,
        #[arg(long)]
        json: bool,
    },
    /// Record a position: sector academia|hospital|government|industry|nonprofit, career type
    /// research|clinical|teaching|science_related|other, region gwangju_jeonnam|other_korea|abroad.
    PositionAdd {
        trainee: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        sector: String,
        #[arg(long)]
        career_type: String,
        #[arg(long)]
        region: String,
        #[arg(long)]
        start: chrono::NaiveDate,
        #[arg(long)]
        end: Option<chrono::NaiveDate>,
        /// staff_entered (default) or imported.
        #[arg(long, default_value = "staff_entered")]
        source: String,
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// The training tables: applicants and entrants per year, trainee outcomes, alumni in the region.
    TrainingTables {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        institution: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn progress(db: &Db, caller: &Caller, cmd: ProgressCmd) -> Result<()> {
    match cmd {
        ProgressCmd::Overdue { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let list = records::overdue_milestones(db, caller, cid, today()).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!("no overdue milestones");
            }
            for o in list.iter().filter(|_| !json) {
                println!(
                    "{:>6}  trainee {:>5}  {:<12} {:<22} due {}  {} days overdue",
                    o.milestone.id, o.trainee_id, o.name_ko, o.milestone.kind, o.milestone.due_date, o.days_overdue
                );
            }
        }
        ProgressCmd::MilestoneAdd { trainee, kind, due } => {
            let id = trainee_id(db, &trainee).await?;
            let m = records::add_milestone(db, caller, id, &kind, Some(due)).await.map_err(explain)?;
            println!("milestone {} ({}, due {}) added", m.id, m.kind, m.due_date);
        }
        ProgressCmd::MilestonePass { id, on } => {
            let m = records::pass_milestone(db, caller, id, on.unwrap_or(today()), today()).await.map_err(explain)?;
            println!("milestone {} passed on {}", m.id, m.passed_on.map(|d| d.to_string()).unwrap_or_default());
        }
        ProgressCmd::ExceptionAdd { trainee, waive, substitute, counts_as, reason } => {
            let id = trainee_id(db, &trainee).await?;
            let input = match (waive, substitute) {
                (Some(r), None) => {
                    ExceptionInput { kind: "waive".into(), requirement: r, reason, ..Default::default() }
                }
                (None, Some(t)) => ExceptionInput {
                    kind: "substitute".into(),
                    taken_code: t,
                    counts_as_code: counts_as.unwrap_or_default(),
                    reason,
                    ..Default::default()
                },
                _ => bail!("give --waive REQUIREMENT or --substitute TAKEN --counts-as CODE"),
            };
            let x = records::add_exception(db, caller, id, &input).await.map_err(explain)?;
            println!("exception {} ({}) approved by {}", x.id, x.kind, x.approver);
        }
        ProgressCmd::Plans { trainee, json } => {
            let id = trainee_id(db, &trainee).await?;
            let plans = records::plans(db, caller, id).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&plans)?);
            } else if plans.is_empty() {
                println!("no development plans");
            }
            for p in plans.iter().filter(|_| !json) {
                println!(
                    "{:>6}  {}  {:<18} {}",
                    p.plan.id,
                    p.plan.year,
                    p.status,
                    p.plan.goals.lines().next().unwrap_or("")
                );
            }
        }
        ProgressCmd::Plan { trainee, year, goals, activities, reflection, submit } => {
            let id = trainee_id(db, &trainee).await?;
            let input = PlanInput { year, goals, activities, reflection };
            let p = records::save_plan(db, caller, id, &input, submit, today()).await.map_err(explain)?;
            println!("plan {} for {} saved: {}", p.plan.id, p.plan.year, p.status);
        }
        ProgressCmd::Positions { trainee, json } => {
            let id = trainee_id(db, &trainee).await?;
            let list = records::positions(db, caller, id).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!("no positions recorded");
            }
            for p in list.iter().filter(|_| !json) {
                println!(
                    "{:>6}  {} – {}  {} · {}  ({}, {}, {}; {} {})",
                    p.id,
                    p.start_date,
                    p.end_date.map(|d| d.to_string()).unwrap_or_default(),
                    p.title,
                    p.organisation,
                    p.sector,
                    p.career_type,
                    p.region,
                    p.source,
                    p.as_of
                );
            }
        }
        ProgressCmd::PositionAdd {
            trainee,
            title,
            organisation,
            sector,
            career_type,
            region,
            start,
            end,
            source,
            as_of,
        } => {
            let id = trainee_id(db, &trainee).await?;
            let input = PositionInput {
                title,
                organisation,
                sector,
                career_type,
                region,
                start_date: Some(start),
                end_date: end,
                source,
                as_of,
            };
            let p = records::add_position(db, caller, id, &input, today()).await.map_err(explain)?;
            println!("position {} recorded", p.id);
        }
        ProgressCmd::TrainingTables { consortium, institution, json } => {
            let cid = default_consortium(db, consortium).await?;
            let v = records::training_tables(db, caller, cid, institution).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&v)?);
                return Ok(());
            }
            println!("year  applicants  admitted  entrants");
            for r in &v.tables.admissions {
                println!("{}  {:>10}  {:>8}  {:>8}", r.year, r.applicants, r.admitted, r.entrants);
            }
            let a = &v.tables.alumni;
            println!(
                "\nalumni {}: {} with a known position, {} working in Gwangju–Jeonnam",
                a.alumni, a.with_position, a.in_region
            );
            if v.records_visible {
                println!("\ntrainee outcomes:");
                for o in &v.tables.outcomes {
                    println!(
                        "{:>5}  {:<10} {:<10} entered {}  {} {}  {} publications in training{}",
                        o.trainee_id,
                        o.name,
                        o.program,
                        o.entry_year.map(|y| y.to_string()).unwrap_or_default(),
                        o.outcome,
                        o.outcome_year.map(|y| y.to_string()).unwrap_or_default(),
                        o.publications_in_training,
                        o.current_position
                            .as_ref()
                            .map(|p| format!("; now {} · {}", p.title, p.organisation))
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(())
}

/// `medist program-rules CODE FILE [--check]`: every problem as `FILE:LINE:COLUMN: message`.
pub async fn program_rules(db: &Db, caller: &Caller, cid: i64, code: &str, file: &Path, check: bool) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
    let programs = medist_db::education::programs(db, cid).await?;
    let Some(p) = programs.iter().find(|p| p.code == code) else {
        bail!(
            "no program has the code '{code}' (known: {})",
            programs.iter().map(|p| p.code.as_str()).collect::<Vec<_>>().join(", ")
        );
    };
    let r = medist_app::education::set_program_rules(db, caller, p.id, &text, check).await.map_err(explain)?;
    for e in &r.problems {
        eprintln!("{}:{}:{}: {}", file.display(), e.line, e.column, e.message);
    }
    if !r.valid {
        bail!("{} problems: the rules were not saved", r.problems.len());
    }
    println!(
        "the rules of {} are valid ({} requirements){}",
        r.program_code,
        r.requirements.len(),
        if r.saved { " and saved" } else { "" }
    );
    Ok(())
}

/// `medist offerings`.
pub async fn offerings(db: &Db, caller: &Caller, cid: i64, json: bool) -> Result<()> {
    let list = records::offerings(db, caller, cid).await.map_err(explain)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    for o in &list {
        println!(
            "{:<8} {:<9} {:<30} {:>3} enrolled / {:<9} {}",
            o.offering.term,
            o.course_code,
            o.course_title_ko,
            o.enrolled,
            o.offering.capacity.map(|c| c.to_string()).unwrap_or_else(|| "no limit".into()),
            o.instructors.iter().map(|i| i.name_ko.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(())
}

pub struct OfferingArgs {
    pub code: String,
    pub term: String,
    pub term_end: Option<chrono::NaiveDate>,
    pub capacity: Option<i64>,
    pub instructors: Vec<String>,
}

/// `medist offerings --add COURSE --term T --term-end D [--capacity N] [--instructor EMAIL]…`.
pub async fn offering_add(db: &Db, caller: &Caller, cid: i64, a: OfferingArgs) -> Result<()> {
    let courses = medist_db::education::courses(db, cid).await?;
    let Some(course) = courses.iter().find(|c| c.code.eq_ignore_ascii_case(&a.code)) else {
        bail!("no course has the code '{}'", a.code);
    };
    let mut ids = Vec::new();
    for e in &a.instructors {
        match medist_db::org::person_by_email(db, &e.to_lowercase()).await? {
            Some(p) => ids.push(p.id),
            None => bail!("no person has the e-mail '{e}'"),
        }
    }
    let input = medist_education::offerings::OfferingInput {
        term: a.term,
        term_end: a.term_end,
        capacity: a.capacity,
        instructor_ids: ids,
    };
    let o = records::create_offering(db, caller, course.id, &input).await.map_err(explain)?;
    println!("{} is offered in {} (offering {})", course.code, o.term, o.id);
    Ok(())
}
