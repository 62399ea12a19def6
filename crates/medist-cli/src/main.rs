//! `medist`: the server and the command line of the consortium operations platform.

mod commercial;
mod config;
mod education;
mod patents;
mod publications;
mod research;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use medist_app::education_import::ListKind;
use medist_app::{AppError, Caller};
use medist_core::access::{Grant, Role, Scope};
use medist_core::org::PersonInput;
use medist_db::{Db, Page, StoreError};

#[derive(Parser)]
#[command(
    name = "medist",
    version,
    about = "Operations platform for physician-scientist training and translational-research consortia"
)]
struct Cli {
    /// A TOML configuration file (default: $MEDIST_CONFIG, or ./medist.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Overrides `database_url` (also MEDIST_DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (migrates the database first).
    Serve {
        /// Load the MIRACLE demo into an empty database.
        #[arg(long)]
        demo: bool,
        /// Overrides `bind` (also MEDIST_BIND).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// The MIRACLE demo data.
    #[command(subcommand)]
    Demo(DemoCmd),
    /// Accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Write every durable table to a portable backup file (`-` for standard output).
    Backup { file: PathBuf },
    /// Restore a backup into an empty database (`-` for standard input).
    Restore { file: PathBuf },
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// The consortium overview.
    Consortium {
        /// Consortium id (default: the first).
        id: Option<i64>,
    },
    /// Institutions of a consortium.
    #[command(subcommand)]
    Institutions(InstitutionsCmd),
    /// The people directory.
    #[command(subcommand)]
    People(PeopleCmd),
    /// A trainee's degree audit (졸업요건 심사): TRAINEE is a trainee id or the trainee's e-mail.
    AuditDegree {
        trainee: String,
        /// Audit against another program's rules (가상 심사), by program code.
        #[arg(long)]
        what_if: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Trainees.
    #[command(subcommand)]
    Trainees(TraineesCmd),
    /// Trainees' milestones, exceptions, development plans, positions, and the training tables.
    #[command(subcommand)]
    Progress(education::ProgressCmd),
    /// The ten-year roadmap: phases, goals, indicators (live ones counted from the records) and the regional
    /// indicators.
    Roadmap {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Course offerings per term with instructors and seats; with `--add COURSE`, offer a course in a term.
    Offerings {
        /// Offer this course (by code).
        #[arg(long)]
        add: Option<String>,
        #[arg(long, requires = "add")]
        term: Option<String>,
        #[arg(long, requires = "add")]
        term_end: Option<chrono::NaiveDate>,
        #[arg(long, requires = "add")]
        capacity: Option<i64>,
        /// Instructor e-mail (repeat for several).
        #[arg(long = "instructor", requires = "add")]
        instructors: Vec<String>,
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Add a degree program for a catalog year with its rules (checked with line and column).
    ProgramAdd {
        code: String,
        /// joint_degree, md_phd, phd, ms, cross_degree_certificate
        #[arg(long)]
        kind: String,
        #[arg(long)]
        year: i32,
        #[arg(long, default_value = "")]
        title_ko: String,
        #[arg(long, default_value = "")]
        title_en: String,
        /// The rule file.
        #[arg(long)]
        rules: PathBuf,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Add a course equivalence: FROM (taken at one institution) counts as TO (at another) from a date.
    EquivalenceAdd {
        from: String,
        to: String,
        #[arg(long = "from-date")]
        from_date: chrono::NaiveDate,
        #[arg(long = "to-date")]
        to_date: Option<chrono::NaiveDate>,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Check a program's degree-requirement rules from a file and, unless `--check`, save them.
    ProgramRules {
        /// The program's code, e.g. joint_phd.
        program: String,
        file: PathBuf,
        #[arg(long)]
        check: bool,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Export a list as XLSX or CSV (UTF-8 with BOM): trainees, courses, enrollments or training-tables.
    Export {
        list: String,
        /// xlsx or csv
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// English headers (Korean by default).
        #[arg(long)]
        english: bool,
        /// Output file (default: a dated name in the current directory).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// KPIs counted live from the records: all of them, or one with the records it counts.
    Kpi {
        /// A KPI code, e.g. sci_papers; without it, every KPI.
        code: Option<String>,
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Import records from files.
    #[command(subcommand)]
    Import(ImportCmd),
    /// The budget ledger: execution, lines, amendments, expenditures, checks.
    #[command(subcommand)]
    Budget(BudgetCmd),
    /// Unmet clinical needs (미충족 임상수요): list, show, create, move, match to researchers.
    #[command(subcommand)]
    Needs(research::NeedsCmd),
    /// Screening rounds (심사) and their rankings.
    #[command(subcommand)]
    Screening(research::ScreeningCmd),
    /// Collaborative projects (공동연구 과제): list, show, status, gate reviews.
    #[command(subcommand)]
    Projects(research::ProjectsCmd),
    /// Shared equipment of the joint institute: calendar, booking.
    #[command(subcommand)]
    Equipment(research::EquipmentCmd),
    /// Notifications and reminders.
    #[command(subcommand)]
    Notify(research::NotifyCmd),
    /// Patents (특허): families, applications, counts per year.
    #[command(subcommand)]
    Patents(patents::PatentsCmd),
    /// Publications (논문): list, show, author roles, links to research projects, possible duplicates.
    #[command(subcommand)]
    Publications(publications::PublicationsCmd),
    /// Commercialization (사업화): invention disclosures, technology transfers, startups.
    #[command(subcommand)]
    Commercial(commercial::CommercialCmd),
    /// Authors of imported papers waiting for confirmation (initials only, other spellings, same names).
    Authors {
        #[arg(long)]
        consortium: Option<i64>,
        /// Link this author (id) to the suggested person.
        #[arg(long, conflicts_with = "reject")]
        confirm: Option<i64>,
        /// Drop the suggestion for this author (id).
        #[arg(long)]
        reject: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The SCI journal lists loaded per year (load one with `medist import sci-journals`).
    SciJournals {
        #[arg(long)]
        consortium: Option<i64>,
        /// Remove the list of this year.
        #[arg(long)]
        delete: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Reports for the ministries.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Show the effective configuration (secrets hidden).
    Config,
}

#[derive(Subcommand)]
enum ReportCmd {
    /// The annual performance report of a year: XLSX, PDF or CSV.
    Annual {
        #[arg(long)]
        year: i32,
        /// xlsx, pdf or csv.
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// ko or en.
        #[arg(long, default_value = "ko")]
        lang: String,
        /// Where to write it (default: medist-annual-report-YEAR-LANG.FORMAT in the current folder).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        consortium: Option<i64>,
        /// Only this participating institution's records and budget lines (an institution id).
        #[arg(long)]
        institution: Option<i64>,
    },
}

#[derive(Subcommand)]
enum ImportCmd {
    /// Import a trainee roster (CSV or XLSX, Korean or English headers); all or nothing. Rows whose e-mail is
    /// already a trainee are left unchanged.
    Trainees {
        file: PathBuf,
        /// Check every row, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Import courses (code, titles, credits, institution, language, tracks, joint); all or nothing.
    Courses {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Import enrollments and grades (trainee e-mail, course code, term end, grade on the institution's scale).
    Enrollments {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Load SCI journal lists (CSV or XLSX: journal, ISSN, eISSN, edition, year); each year in the file replaces
    /// that year's list; all or nothing.
    SciJournals {
        file: PathBuf,
        /// The list's year, for a file without a year column (Clarivate's exports).
        #[arg(long)]
        year: Option<i32>,
        /// Check every row, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Import patent applications from a CSV or XLSX sheet (출원번호, 출원일, 등록번호, …); all or nothing.
    Patents {
        file: PathBuf,
        /// Check every row, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Import publications from BibTeX, RIS, PubMed XML, Crossref or ORCID JSON, CSV (text formats also .gz) or an
    /// XLSX workbook, de-duplicated; all or nothing.
    Publications {
        file: PathBuf,
        /// bibtex, ris, pubmed, crossref, orcid, csv, xlsx or auto (from the file name and its first bytes)
        #[arg(long, default_value = "auto")]
        format: String,
        /// The worksheet of an XLSX workbook (default: the first visible one).
        #[arg(long)]
        sheet: Option<String>,
        /// Read and de-duplicate, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the readable records even when some records cannot be read.
        #[arg(long)]
        valid_only: bool,
        #[arg(long)]
        consortium: Option<i64>,
        /// No progress bar (also off when standard error is not a terminal).
        #[arg(long)]
        quiet: bool,
    },
}

#[derive(Subcommand)]
enum TraineesCmd {
    /// List trainees with their overdue milestones.
    List {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        track: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move a trainee to another status (the status machine decides what is allowed).
    Status {
        trainee: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Subcommand)]
enum BudgetCmd {
    /// Budget, spending and execution rate by institution, year, source and category, and the checks.
    Show {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// List budget lines.
    Lines {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        institution: Option<i64>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value_t = 1)]
        page: u64,
    },
    /// Add a budget line.
    AddLine {
        #[arg(long)]
        consortium: Option<i64>,
        /// msit, mohw or matching
        #[arg(long)]
        source: String,
        #[arg(long)]
        institution: i64,
        #[arg(long)]
        year: i32,
        /// personnel, student_personnel, research_activity, research_materials, facilities_equipment, student_support, indirect
        #[arg(long)]
        category: String,
        /// Whole won: 300000000, 300,000,000 or 3억
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Amend a line by a signed amount (e.g. --delta +1억 or --delta=-50,000,000).
    Amend {
        line: i64,
        #[arg(long, allow_hyphen_values = true)]
        delta: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        reason: String,
    },
    /// Record an expenditure with its evidence.
    Spend {
        line: i64,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        description: String,
        /// Evidence reference; repeat for several.
        #[arg(long = "evidence", required = true)]
        evidence: Vec<String>,
    },
    /// Close a line (no more expenditures or amendments).
    Close { line: i64 },
    /// Reopen a closed line.
    Reopen { line: i64 },
    /// Create or replace a check from a JSON file: {"code", "name_ko", "name_en", "check"}.
    SetCheck {
        file: PathBuf,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Delete a check by its code.
    DeleteCheck {
        code: String,
        #[arg(long)]
        consortium: Option<i64>,
    },
}

#[derive(Subcommand)]
enum DemoCmd {
    /// Load the MIRACLE consortium demo into an empty database.
    Load,
    /// Generate a national-scale synthetic data set (sample data), the same for the same seed: by default 50
    /// consortia, 200,000 people, 2,000,000 publications and 100,000 patent families.
    Generate(GenerateArgs),
}

#[derive(Args)]
struct GenerateArgs {
    /// The seed: the same seed and counts give the same data on every machine.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Multiply the national scale (0.001 gives a test-sized set); the counts below override it.
    #[arg(long, allow_negative_numbers = true)]
    scale: Option<f64>,
    #[arg(long, allow_negative_numbers = true)]
    consortia: Option<i64>,
    /// People in all consortia together (a twentieth of them trainees).
    #[arg(long, allow_negative_numbers = true)]
    people: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    publications: Option<i64>,
    /// Patent families.
    #[arg(long, allow_negative_numbers = true)]
    patents: Option<i64>,
    /// Add the sample data even though the database holds records that are not sample data.
    #[arg(long)]
    allow_real_data: bool,
}

impl GenerateArgs {
    fn spec(&self) -> Result<medist_db::demo_national::Spec> {
        let mut s =
            medist_db::demo_national::Spec::scaled(self.seed, self.scale.unwrap_or(1.0)).map_err(|e| anyhow!(e))?;
        let count = |name: &str, v: Option<i64>, into: &mut usize| -> Result<()> {
            if let Some(n) = v {
                *into = usize::try_from(n)
                    .map_err(|_| anyhow!("--{name} must be a whole number of at least 0, not {n}"))?;
            }
            Ok(())
        };
        count("consortia", self.consortia, &mut s.consortia)?;
        count("people", self.people, &mut s.people)?;
        count("publications", self.publications, &mut s.publications)?;
        count("patents", self.patents, &mut s.patents)?;
        s.check().map_err(|e| anyhow!(e))?;
        Ok(s)
    }
}

async fn generate(db: &Db, a: &GenerateArgs) -> Result<()> {
    use medist_db::demo_national as national;
    let spec = a.spec()?;
    let real = national::real_records(db).await.map_err(store)?;
    if real > 0 && !a.allow_real_data {
        bail!(
            "this database holds {real} records that are not sample data (consortia, people or publications); \
             `medist demo generate` writes into an empty or sample-only database. Use another database, or pass \
             --allow-real-data to add the sample data anyway"
        );
    }
    println!(
        "generating seed {}: {} consortia, {} people, {} publications, {} patent families",
        spec.seed, spec.consortia, spec.people, spec.publications, spec.patents
    );
    let started = std::time::Instant::now();
    let mut last = std::time::Instant::now();
    let mut show = |p: &national::GenProgress| {
        if p.committed {
            println!(
                "  [{}/{}] {} written: {} publications, {} patent families ({:.0} s so far)",
                p.consortium,
                p.of,
                p.code,
                p.publications,
                p.patents,
                started.elapsed().as_secs_f64()
            );
        } else if last.elapsed().as_secs() >= 5 {
            last = std::time::Instant::now();
            eprintln!(
                "  [{}/{}] {}: {}/{} publications, {}/{} patent families",
                p.consortium, p.of, p.code, p.publications_done, p.publications, p.patents_done, p.patents
            );
        }
    };
    let s = national::generate(db, &medist_db::Who::system("demo-generate"), &spec, a.allow_real_data, &mut show)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { code: "generated-seed-exists", .. } => {
                anyhow!("the data set of seed {} is already in this database: choose another --seed", spec.seed)
            }
            other => store(other),
        })?;
    println!(
        "generated in {:.1} s (sample data): {} consortia, {} institutions, {} people, {} trainees, {} courses, {} projects, \
         {} budget lines, {} expenditures, {} publications with {} authors, {} patent families with {} events, {} KPIs",
        started.elapsed().as_secs_f64(),
        s.consortia,
        s.institutions,
        s.people,
        s.trainees,
        s.courses,
        s.projects,
        s.budget_lines,
        s.expenditures,
        s.publications,
        s.authors,
        s.patent_families,
        s.patent_events,
        s.kpis
    );
    Ok(())
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create an account; the password is read from standard input with --password-stdin, otherwise a
    /// random one is printed once.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password_stdin: bool,
        /// Link the account to a person record.
        #[arg(long)]
        person: Option<i64>,
    },
    /// Set a new password (from standard input with --password-stdin, otherwise random, printed once).
    Passwd {
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account a role.
    Grant(GrantArgs),
    /// Take a role away.
    Revoke(GrantArgs),
    /// List accounts and their roles.
    List,
}

#[derive(Args)]
struct GrantArgs {
    login: String,
    /// admin, program_office, institution_coordinator, faculty, trainee, clinician, commercialization_staff, reviewer
    role: String,
    /// Consortium id or code (omit for program-wide).
    #[arg(long)]
    consortium: Option<String>,
    /// Institution id (institution coordinators only).
    #[arg(long)]
    institution: Option<i64>,
}

#[derive(Subcommand)]
enum TokenCmd {
    /// Create an API token for an account; it is printed once.
    Create {
        login: String,
        #[arg(long)]
        name: String,
        /// read or write
        #[arg(long, default_value = "read")]
        scope: String,
        /// Days until the token expires (default: never).
        #[arg(long)]
        expires_days: Option<i64>,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
    /// List the tokens of an account.
    List { login: String },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Verify the hash chain; reports the first entry that was altered or removed.
    Verify,
    /// Show the newest entries.
    Log {
        #[arg(long)]
        entity: Option<String>,
        #[arg(long)]
        entity_id: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u64,
    },
}

#[derive(Subcommand)]
enum InstitutionsCmd {
    /// List institutions.
    List {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Add an institution to a consortium.
    Add {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        name_ko: String,
        #[arg(long)]
        name_en: String,
        #[arg(long)]
        short_name: String,
        /// university, medical_school, hospital, research_institute, company
        #[arg(long)]
        kind: String,
    },
    /// Archive an institution (refused while it has people who are not archived).
    Archive { id: i64 },
    /// Add a unit (department, center, institute, office, lab) to an institution.
    AddUnit {
        institution: i64,
        #[arg(long)]
        name_ko: String,
        #[arg(long)]
        name_en: String,
        #[arg(long)]
        kind: String,
    },
}

#[derive(Subcommand)]
enum PeopleCmd {
    /// List or search people.
    List {
        #[arg(long)]
        q: Option<String>,
        #[arg(long)]
        institution: Option<i64>,
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long, default_value_t = 1)]
        page: u64,
        #[arg(long)]
        json: bool,
    },
    /// Add a person.
    Add {
        #[arg(long)]
        name_ko: String,
        #[arg(long)]
        name_en: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        institution: i64,
        #[arg(long, default_value = "")]
        orcid: String,
        #[arg(long)]
        unit: Option<i64>,
    },
    /// Change a person; fields not given keep their value.
    Edit {
        id: i64,
        #[arg(long)]
        name_ko: Option<String>,
        #[arg(long)]
        name_en: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        orcid: Option<String>,
        #[arg(long)]
        institution: Option<i64>,
        #[arg(long)]
        unit: Option<i64>,
    },
    /// Archive a person.
    Archive { id: i64 },
    /// Restore an archived person.
    Restore { id: i64 },
    /// Show a person with appointments.
    Show { id: i64 },
}

/// `medist people list | head` closes our standard output early: end quietly, as Unix tools do,
/// instead of reporting a panic from `println!`.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// See the dependency's note in Cargo.toml: freed memory goes back to the system instead of staying in per-thread
/// arenas.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    let cfg = match config::load(cli.config.as_deref()) {
        Ok(mut c) => {
            if let Some(u) = &cli.database_url {
                c.database_url = u.clone();
            }
            c
        }
        Err(e) => {
            eprintln!("error: configuration: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&cfg);
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli, cfg)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(cfg: &config::Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MEDIST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cfg.log_level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if cfg.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Turns a use-case error into a sentence for the terminal.
fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(f) => anyhow!("invalid input: {f}"),
        other => anyhow!("{other} ({})", other.code()),
    }
}

fn store(e: StoreError) -> anyhow::Error {
    explain(e.into())
}

async fn open(cfg: &config::Config) -> Result<Db> {
    let db = Db::connect(&cfg.database_url, None).await.map_err(store)?;
    db.migrate().await.map_err(store).context("migrating the database")?;
    Ok(db)
}

fn read_password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if pw.is_empty() {
            bail!("no password on standard input");
        }
        Ok((pw, false))
    } else {
        Ok((medist_db::accounts::random_password(), true))
    }
}

async fn user_id(db: &Db, login: &str) -> Result<i64> {
    medist_db::accounts::user_by_login(db, login)
        .await
        .map_err(store)?
        .map(|u| u.id)
        .ok_or_else(|| anyhow!("no account with the login '{login}'"))
}

async fn consortium_id(db: &Db, arg: Option<&str>) -> Result<Option<i64>> {
    let Some(a) = arg else { return Ok(None) };
    if let Ok(id) = a.parse::<i64>() {
        return Ok(Some(id));
    }
    let all = medist_db::org::list_consortia(db).await.map_err(store)?;
    all.iter()
        .find(|c| c.code.eq_ignore_ascii_case(a))
        .map(|c| Some(c.id))
        .ok_or_else(|| anyhow!("no consortium with the code '{a}'"))
}

async fn default_consortium(db: &Db, given: Option<i64>) -> Result<i64> {
    if let Some(id) = given {
        return Ok(id);
    }
    medist_db::org::list_consortia(db)
        .await
        .map_err(store)?
        .first()
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("there is no consortium yet: run `medist demo load` or create one"))
}

fn banner(lines: &[String]) {
    let rule = "─".repeat(72);
    println!("{rule}");
    for l in lines {
        println!(" {l}");
    }
    println!("{rule}");
}

/// On a database without accounts, creates `admin` with a random password and prints it once.
async fn ensure_admin(db: &Db) -> Result<()> {
    if medist_db::accounts::count_users(db).await.map_err(store)? > 0 {
        return Ok(());
    }
    let pw = medist_db::accounts::random_password();
    let who = medist_db::Who::system("first-start");
    let u = medist_db::accounts::create_user(db, &who, "admin", "관리자 (admin)", &pw, None).await.map_err(store)?;
    medist_db::accounts::grant(db, &who, u.id, Grant { role: Role::Admin, consortium_id: None, institution_id: None })
        .await
        .map_err(store)?;
    banner(&[
        "medist: first start. An administrator account was created.".into(),
        "  login:    admin".into(),
        format!("  password: {pw}"),
        "  This password is shown only now. Change it under 내 계정 / My account.".into(),
    ]);
    Ok(())
}

async fn load_demo(db: &Db) -> Result<()> {
    let s = medist_db::demo::load(db, &medist_db::Who::system("demo")).await.map_err(store)?;
    let mut lines = vec![
        format!(
            "MIRACLE demo loaded: {} institutions, {} people (sample data marked as such).",
            s.institutions, s.people
        ),
        "Demo accounts, one per role, all with this password (shown only now):".into(),
        format!("  password: {}", s.demo_password),
    ];
    for a in &s.accounts {
        lines.push(format!("  {:<36} {}", a.login, a.role));
    }
    banner(&lines);
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn run(cli: Cli, cfg: config::Config) -> Result<()> {
    let caller = Caller::cli();
    match cli.command {
        Command::Config => {
            println!("{}", toml_like(&cfg.redacted()));
        }
        Command::Serve { demo, bind } => {
            let bind = bind.unwrap_or_else(|| cfg.bind.clone());
            let db = open(&cfg).await?;
            ensure_admin(&db).await?;
            if demo {
                if medist_db::org::program(&db).await.map_err(store)?.is_none() {
                    load_demo(&db).await?;
                } else {
                    tracing::info!("the database already has data; the demo is not loaded again");
                }
            }
            let listener =
                tokio::net::TcpListener::bind(&bind).await.with_context(|| format!("cannot listen on {bind}"))?;
            tracing::info!(address = %bind, database = %medist_db::redact_url(&cfg.database_url), backend = db.backend_name(), smtp = cfg.smtp_host.as_deref().unwrap_or("off"), "medist is serving");
            println!("medist: open http://{bind}/ in a browser");
            let state = medist_web::AppState::new(
                db,
                medist_web::WebConfig {
                    secure_cookies: cfg.secure_cookies,
                    trust_forwarded_for: cfg.trust_forwarded_for,
                    mail: cfg.mail().map_err(|e| anyhow::anyhow!(e))?,
                },
            );
            medist_web::serve(state, listener, shutdown_signal()).await.context("serving")?;
        }
        Command::Migrate => {
            let db = Db::connect(&cfg.database_url, None).await.map_err(store)?;
            let n = db.migrate().await.map_err(store)?;
            println!("{n} migration(s) applied; the {} database is up to date", db.backend_name());
        }
        Command::Demo(DemoCmd::Load) => {
            let db = open(&cfg).await?;
            ensure_admin(&db).await?;
            load_demo(&db).await?;
        }
        Command::Demo(DemoCmd::Generate(a)) => {
            // Check the counts before touching the database.
            a.spec()?;
            let db = open(&cfg).await?;
            ensure_admin(&db).await?;
            generate(&db, &a).await?;
        }
        Command::User(cmd) => user(&open(&cfg).await?, &caller, cmd).await?,
        Command::Token(cmd) => token(&open(&cfg).await?, &caller, cmd).await?,
        Command::Backup { file } => {
            let db = open(&cfg).await?;
            let summary = if file.as_os_str() == "-" {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                medist_db::backup::backup(&db, &mut out).await.map_err(store)?
            } else {
                let tmp = file.with_extension("partial");
                let f = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
                let mut out = std::io::BufWriter::new(f);
                let s = medist_db::backup::backup(&db, &mut out).await.map_err(store)?;
                out.flush()?;
                drop(out);
                std::fs::rename(&tmp, &file).with_context(|| format!("cannot write {}", file.display()))?;
                s
            };
            eprintln!("backup written: {} rows from {} tables", summary.rows(), summary.tables.len());
        }
        Command::Restore { file } => {
            let db = open(&cfg).await?;
            let (reader, name): (Box<dyn BufRead>, String) = if file.as_os_str() == "-" {
                (Box::new(std::io::BufReader::new(std::io::stdin())), "<stdin>".into())
            } else {
                let f = std::fs::File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
                (Box::new(std::io::BufReader::new(f)), file.display().to_string())
            };
            let s = medist_db::backup::restore(&db, reader, &name).await.map_err(store)?;
            println!("restored {} rows into {} tables", s.rows(), s.tables.len());
        }
        Command::Audit(AuditCmd::Verify) => {
            let db = open(&cfg).await?;
            let v = medist_app::audit::verify(&db, &caller).await.map_err(explain)?;
            match v.broken {
                None => println!("audit log intact: {} entries verified", v.checked),
                Some(b) => bail!("audit log broken at entry {}: {b}", b.first_bad_seq()),
            }
        }
        Command::Audit(AuditCmd::Log { entity, entity_id, limit }) => {
            let db = open(&cfg).await?;
            let f = medist_db::audit::AuditFilter { entity, entity_id, actor_user_id: None };
            let p =
                medist_app::audit::list(&db, &caller, &f, Page::new(Some(1), Some(limit))).await.map_err(explain)?;
            for e in p.items {
                println!("{:>6}  {}  {:<20} {:<8} {} {}", e.seq, e.at, e.actor_label, e.action, e.entity, e.entity_id);
            }
        }
        Command::Consortium { id } => {
            let db = open(&cfg).await?;
            let id = default_consortium(&db, id).await?;
            let o =
                medist_app::org::overview(&db, &caller, id, chrono::Utc::now().date_naive()).await.map_err(explain)?;
            let ko = medist_core::locale::Locale::Ko;
            println!("{} — {}", o.consortium.name_ko, o.consortium.full_name_en);
            println!("기간 / period: {}–{}", o.consortium.period_start_year, o.consortium.period_end_year);
            println!(
                "사업비 / budget: {} ({}), 정부출연금 / government funding: {}",
                medist_core::locale::format_krw(o.consortium.budget_total_krw, ko),
                medist_core::locale::format_krw_exact(o.consortium.budget_total_krw, ko),
                medist_core::locale::format_krw(o.consortium.government_funding_krw, ko)
            );
            if let Some(d) = &o.director {
                println!("사업단장 / director: {} ({})", d.name_ko, d.name_en);
            }
            println!(
                "전담교원 / dedicated faculty: {} (의사과학자 {}, 의과학자 {})",
                o.dedicated.total(),
                o.dedicated.physician_scientists,
                o.dedicated.medical_scientists
            );
            for s in &o.institutions {
                println!(
                    "  [{}] {} / {} — {} people",
                    s.institution.id, s.institution.name_ko, s.institution.name_en, s.people
                );
            }
        }
        Command::Institutions(InstitutionsCmd::Add { consortium, name_ko, name_en, short_name, kind }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            let input = medist_core::org::InstitutionInput { name_ko, name_en, short_name, kind };
            let i = medist_app::org::create_institution(&db, &caller, cid, &input).await.map_err(explain)?;
            println!("institution {} created: {} / {}", i.id, i.name_ko, i.name_en);
        }
        Command::Institutions(InstitutionsCmd::Archive { id }) => {
            let db = open(&cfg).await?;
            medist_app::org::archive_institution(&db, &caller, id).await.map_err(explain)?;
            println!("institution {id} archived");
        }
        Command::Institutions(InstitutionsCmd::AddUnit { institution, name_ko, name_en, kind }) => {
            let db = open(&cfg).await?;
            let input = medist_core::org::UnitInput { name_ko, name_en, kind };
            let u = medist_app::org::create_unit(&db, &caller, institution, &input).await.map_err(explain)?;
            println!("unit {} created: {} / {}", u.id, u.name_ko, u.name_en);
        }
        Command::Institutions(InstitutionsCmd::List { consortium, json }) => {
            let db = open(&cfg).await?;
            let id = default_consortium(&db, consortium).await?;
            let items = medist_app::org::list_institutions(&db, &caller, id).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&items)?);
            } else {
                for i in items {
                    println!("{:>4}  {:<14} {} / {}", i.id, i.short_name, i.name_ko, i.name_en);
                }
            }
        }
        Command::People(cmd) => people(&open(&cfg).await?, &caller, cmd).await?,
        Command::Budget(cmd) => budget(&open(&cfg).await?, &caller, cmd).await?,
        Command::Import(ImportCmd::Publications { file, format, sheet, dry_run, valid_only, consortium, quiet }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            import_publications(&db, &caller, cid, &file, &format, sheet, dry_run, valid_only, quiet).await?;
        }
        Command::Import(ImportCmd::Trainees { file, dry_run, consortium }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            education::import_list(&db, &caller, cid, ListKind::Trainees, &file, dry_run).await?;
        }
        Command::Import(ImportCmd::Courses { file, dry_run, consortium }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            education::import_list(&db, &caller, cid, ListKind::Courses, &file, dry_run).await?;
        }
        Command::Import(ImportCmd::Enrollments { file, dry_run, consortium }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            education::import_list(&db, &caller, cid, ListKind::Enrollments, &file, dry_run).await?;
        }
        Command::Export { list, format, english, output, consortium } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            education::export(&db, &caller, cid, &list, &format, english, output).await?;
        }
        Command::Progress(cmd) => education::progress(&open(&cfg).await?, &caller, cmd).await?,
        Command::Offerings { add, term, term_end, capacity, instructors, consortium, json } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            match add {
                Some(code) => {
                    let o = education::OfferingArgs {
                        code,
                        term: term.unwrap_or_default(),
                        term_end,
                        capacity,
                        instructors,
                    };
                    education::offering_add(&db, &caller, cid, o).await?
                }
                None => education::offerings(&db, &caller, cid, json).await?,
            }
        }
        Command::Roadmap { consortium, json } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            let v = medist_app::roadmap::roadmap(&db, &caller, cid).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!(
                    "regional indicators: {} alumni, {} working in Gwangju-Jeonnam; {} startups, {} there",
                    v.alumni, v.alumni_in_region, v.startups, v.startups_in_region
                );
                for p in &v.phases {
                    println!(
                        "\n{} {}-{} {}{}",
                        p.phase.code,
                        p.phase.start_year,
                        p.phase.end_year,
                        p.phase.title_ko,
                        if p.phase.funded { " (funded)" } else { "" }
                    );
                    for g in &p.goal_list {
                        println!("  goal [{}] {}", g.area, g.text_ko);
                    }
                    for i in &p.indicators {
                        println!(
                            "  {:<28} {:>6} / {:<6} {} ({})",
                            i.indicator.name_ko,
                            i.value.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
                            i.indicator.target.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
                            i.indicator.unit,
                            i.indicator.measure
                        );
                    }
                }
            }
        }
        Command::ProgramAdd { code, kind, year, title_ko, title_en, rules, consortium } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            let text = std::fs::read_to_string(&rules).with_context(|| format!("cannot read {}", rules.display()))?;
            match medist_app::education::create_program(
                &db, &caller, cid, &code, &title_ko, &title_en, &kind, year, &text,
            )
            .await
            .map_err(explain)?
            {
                Ok(p) => println!("program {} ({}) added with id {}", p.code, p.catalog_year, p.id),
                Err(check) => {
                    for e in &check.problems {
                        eprintln!("{}:{}:{}: {}", rules.display(), e.line, e.column, e.message);
                    }
                    bail!("{} problems: the program was not added", check.problems.len());
                }
            }
        }
        Command::EquivalenceAdd { from, to, from_date, to_date, consortium } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            let e = medist_app::education::create_equivalence(&db, &caller, cid, &from, &to, Some(from_date), to_date)
                .await
                .map_err(explain)?;
            println!("{from} counts as {to} from {} (equivalence {})", e.effective_from, e.id);
        }
        Command::ProgramRules { program, file, check, consortium } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            education::program_rules(&db, &caller, cid, &program, &file, check).await?;
        }
        Command::Import(ImportCmd::Patents { file, dry_run, consortium }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            patents::import(&db, &caller, cid, &file, dry_run).await?;
        }
        Command::Patents(cmd) => patents::patents(&open(&cfg).await?, &caller, cmd).await?,
        Command::Publications(cmd) => publications::publications(&open(&cfg).await?, &caller, cmd).await?,
        Command::Authors { consortium, confirm, reject, json } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            patents::authors(&db, &caller, cid, confirm, reject, json).await?;
        }
        Command::Commercial(cmd) => commercial::commercial(&open(&cfg).await?, &caller, cmd).await?,
        Command::Import(ImportCmd::SciJournals { file, year, dry_run, consortium }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            patents::import_sci(&db, &caller, cid, &file, year, dry_run).await?;
        }
        Command::SciJournals { consortium, delete, json } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            if let Some(y) = delete {
                let n = medist_app::sci::delete_year(&db, &caller, cid, y).await.map_err(explain)?;
                println!("the {y} list ({n} journals) was removed");
            } else {
                let years = medist_app::sci::years(&db, &caller, cid).await.map_err(explain)?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&years)?);
                } else if years.is_empty() {
                    println!("no SCI journal list is loaded: publications are not counted as SCI-level");
                }
                for y in years.iter().filter(|_| !json) {
                    let eds: Vec<String> = y.editions.iter().map(|(e, n)| format!("{e} {n}")).collect();
                    println!("{}  {:>6} journals  {}  ({})", y.year, y.journals, eds.join(", "), y.source_name);
                }
            }
        }
        Command::Needs(cmd) => research::needs(&open(&cfg).await?, &caller, cmd).await?,
        Command::Screening(cmd) => research::screening(&open(&cfg).await?, &caller, cmd).await?,
        Command::Projects(cmd) => research::projects(&open(&cfg).await?, &caller, cmd).await?,
        Command::Equipment(cmd) => research::equipment(&open(&cfg).await?, &caller, cmd).await?,
        Command::Notify(cmd) => {
            let mail = cfg.mail().map_err(|e| anyhow::anyhow!(e))?;
            research::notify(&open(&cfg).await?, &caller, cmd, mail).await?
        }
        Command::Report(ReportCmd::Annual { year, format, lang, out, consortium, institution }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            let fmt = medist_app::report::ReportFormat::parse(&format).map_err(explain)?;
            let lang = match lang.as_str() {
                "ko" => medist_report::Lang::Ko,
                "en" => medist_report::Lang::En,
                other => bail!("unknown language '{other}': use ko or en"),
            };
            let r = medist_app::report::annual_for(&db, &caller, cid, year, chrono::Utc::now(), institution)
                .await
                .map_err(explain)?;
            let bytes = medist_app::report::render(&r, fmt, lang).map_err(explain)?;
            let path = out.unwrap_or_else(|| {
                PathBuf::from(format!("medist-annual-report-{year}-{}.{}", lang.code(), fmt.extension()))
            });
            std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
            println!("{} ({} bytes)", path.display(), bytes.len());
        }
        Command::Kpi { code, consortium, json } => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            let all = medist_app::kpi::list(&db, &caller, cid).await.map_err(explain)?;
            let chosen: Vec<_> = all.into_iter().filter(|k| code.as_deref().is_none_or(|c| k.kpi.code == c)).collect();
            if let Some(c) = &code
                && chosen.is_empty()
            {
                bail!("no KPI with the code '{c}'");
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&chosen)?);
            } else {
                for k in &chosen {
                    let total = k.value.as_ref().map(|v| v.total).unwrap_or(0);
                    println!(
                        "{:<22} {:>5} / {:<5} {} ({})",
                        k.kpi.code, total, k.kpi.target, k.kpi.name_ko, k.kpi.name_en
                    );
                    for e in &k.rule_errors {
                        println!("    rule error: {e}");
                    }
                    if code.is_some() {
                        println!(
                            "    rule (version {}):\n      {}",
                            k.kpi.version,
                            k.kpi.rule_text.replace('\n', "\n      ")
                        );
                        if let Some(v) = &k.value {
                            for r in &v.counted {
                                println!("    counted: record {} ({})", r.record_id, r.year);
                            }
                        }
                    }
                }
            }
        }
        Command::AuditDegree { trainee, what_if, json } => {
            let db = open(&cfg).await?;
            let id = trainee_id(&db, &trainee).await?;
            let a = medist_app::education::degree_audit(&db, &caller, id, what_if.as_deref()).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&a.report)?);
            } else {
                print!("{}", a.text);
            }
        }
        Command::Trainees(TraineesCmd::List { consortium, status, track, json }) => {
            let db = open(&cfg).await?;
            let cid = default_consortium(&db, consortium).await?;
            let f = medist_db::education::TraineeFilter { status, track, ..Default::default() };
            let p = medist_app::education::list_trainees(
                &db,
                &caller,
                cid,
                f,
                Page::new(Some(1), Some(500)),
                chrono::Utc::now().date_naive(),
            )
            .await
            .map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&p)?);
            } else {
                for r in &p.items {
                    let overdue = if r.overdue_milestones > 0 {
                        format!("  {} overdue", r.overdue_milestones)
                    } else {
                        String::new()
                    };
                    println!(
                        "{:>4}  {:<8} {:<18} {:<10} {:<22} {}{}",
                        r.trainee.id, r.name_ko, r.name_en, r.program_code, r.trainee.track, r.trainee.status, overdue
                    );
                }
                println!("{} in all", p.total);
            }
        }
        Command::Trainees(TraineesCmd::Status { trainee, to, reason }) => {
            let db = open(&cfg).await?;
            let id = trainee_id(&db, &trainee).await?;
            let t = medist_app::education::change_status(&db, &caller, id, &to, &reason).await.map_err(explain)?;
            println!("trainee {} is now {}", t.id, t.status);
        }
    }
    Ok(())
}

fn toml_like(c: &config::Config) -> String {
    format!(
        "database_url = {:?}\nbind = {:?}\nsecure_cookies = {}\ntrust_forwarded_for = {}\nlog_format = {:?}\nlog_level = {:?}",
        c.database_url, c.bind, c.secure_cookies, c.trust_forwarded_for, c.log_format, c.log_level
    )
}

async fn user(db: &Db, caller: &Caller, cmd: UserCmd) -> Result<()> {
    use medist_app::accounts as app;
    match cmd {
        UserCmd::Add { login, name, password_stdin, person } => {
            let (pw, generated) = read_password(password_stdin)?;
            let u = app::create_user(db, caller, &login, &name, &pw, person).await.map_err(explain)?;
            println!("account {} created (id {})", u.login, u.id);
            if generated {
                println!("password (shown only now): {pw}");
            }
        }
        UserCmd::Passwd { login, password_stdin } => {
            let id = user_id(db, &login).await?;
            let (pw, generated) = read_password(password_stdin)?;
            app::reset_password(db, caller, id, &pw).await.map_err(explain)?;
            println!("password of {login} changed; its sessions were ended");
            if generated {
                println!("new password (shown only now): {pw}");
            }
        }
        UserCmd::Grant(g) => {
            let (id, grant) = grant_of(db, &g).await?;
            app::grant(db, caller, id, grant).await.map_err(explain)?;
            println!("{} now holds {}", g.login, g.role);
        }
        UserCmd::Revoke(g) => {
            let (id, grant) = grant_of(db, &g).await?;
            app::revoke(db, caller, id, grant).await.map_err(explain)?;
            println!("{} no longer holds {}", g.login, g.role);
        }
        UserCmd::List => {
            for u in app::list_users(db, caller).await.map_err(explain)? {
                let roles: Vec<String> = u
                    .grants
                    .iter()
                    .map(|g| {
                        let mut s = g.role.as_str().to_string();
                        if let Some(c) = g.consortium_id {
                            s.push_str(&format!("@consortium:{c}"));
                        }
                        if let Some(i) = g.institution_id {
                            s.push_str(&format!("@institution:{i}"));
                        }
                        s
                    })
                    .collect();
                let state = if u.disabled { " (disabled)" } else { "" };
                println!("{:>4}  {:<36} {}{}  [{}]", u.id, u.login, u.display_name, state, roles.join(", "));
            }
        }
    }
    Ok(())
}

async fn grant_of(db: &Db, g: &GrantArgs) -> Result<(i64, Grant)> {
    let id = user_id(db, &g.login).await?;
    let role = Role::parse(&g.role).ok_or_else(|| {
        anyhow!(
            "unknown role '{}': use one of {}",
            g.role,
            Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
        )
    })?;
    let consortium_id = consortium_id(db, g.consortium.as_deref()).await?;
    Ok((id, Grant { role, consortium_id, institution_id: g.institution }))
}

async fn token(db: &Db, caller: &Caller, cmd: TokenCmd) -> Result<()> {
    use medist_app::accounts as app;
    match cmd {
        TokenCmd::Create { login, name, scope, expires_days } => {
            let id = user_id(db, &login).await?;
            let scope = Scope::parse(&scope).ok_or_else(|| anyhow!("unknown scope '{scope}': use read or write"))?;
            if expires_days.is_some_and(|d| d <= 0) {
                bail!("--expires-days must be a positive number of days");
            }
            let expires = expires_days.map(|d| chrono::Utc::now() + chrono::Duration::days(d));
            let t = app::create_token(db, caller, id, &name, scope, expires).await.map_err(explain)?;
            eprintln!("token {} ({}) created for {login}; it is shown only now:", t.id, t.scope);
            println!("{}", t.token);
        }
        TokenCmd::Revoke { id } => {
            app::revoke_token(db, caller, id).await.map_err(explain)?;
            println!("token {id} revoked");
        }
        TokenCmd::List { login } => {
            let id = user_id(db, &login).await?;
            for t in app::list_tokens(db, caller, id).await.map_err(explain)? {
                let state = if t.revoked_at.is_some() { "revoked" } else { "active" };
                println!("{:>4}  {:<24} {}…  {:<5} {}", t.id, t.name, t.prefix, t.scope, state);
            }
        }
    }
    Ok(())
}

async fn people(db: &Db, caller: &Caller, cmd: PeopleCmd) -> Result<()> {
    use medist_app::org as app;
    match cmd {
        PeopleCmd::List { q, institution, consortium, page, json } => {
            let cid = default_consortium(db, consortium).await?;
            let f = medist_db::org::PeopleFilter { q, institution_id: institution, ..Default::default() };
            let p = app::list_people(db, caller, cid, f, Page::new(Some(page), Some(100))).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&p)?);
            } else {
                for x in &p.items {
                    let sample = if x.is_sample { " (sample)" } else { "" };
                    println!("{:>5}  {:<8} {:<20} {}{}", x.id, x.name_ko, x.name_en, x.email, sample);
                }
                println!("{} in all · page {} of {}", p.total, p.page, p.pages());
            }
        }
        PeopleCmd::Add { name_ko, name_en, email, institution, orcid, unit } => {
            let input = PersonInput {
                name_ko,
                name_en,
                email,
                orcid,
                institution_id: institution.to_string(),
                unit_id: unit.map(|u| u.to_string()).unwrap_or_default(),
            };
            let p = app::create_person(db, caller, &input).await.map_err(explain)?;
            println!("person {} created: {} ({})", p.id, p.name_ko, p.name_en);
        }
        PeopleCmd::Edit { id, name_ko, name_en, email, orcid, institution, unit } => {
            let p = medist_db::org::get_person(db, id).await.map_err(store)?;
            let input = PersonInput {
                name_ko: name_ko.unwrap_or(p.name_ko),
                name_en: name_en.unwrap_or(p.name_en),
                email: email.unwrap_or(p.email),
                orcid: orcid.or(p.orcid).unwrap_or_default(),
                institution_id: institution.unwrap_or(p.institution_id).to_string(),
                unit_id: unit.or(p.unit_id).map(|u| u.to_string()).unwrap_or_default(),
            };
            let p = app::update_person(db, caller, id, &input).await.map_err(explain)?;
            println!("person {} updated: {} ({})", p.id, p.name_ko, p.name_en);
        }
        PeopleCmd::Restore { id } => {
            app::set_person_archived(db, caller, id, false).await.map_err(explain)?;
            println!("person {id} restored");
        }
        PeopleCmd::Archive { id } => {
            app::set_person_archived(db, caller, id, true).await.map_err(explain)?;
            println!("person {id} archived");
        }
        PeopleCmd::Show { id } => {
            let d = app::get_person(db, caller, id).await.map_err(explain)?;
            println!("{}", serde_json::to_string_pretty(&d)?);
        }
    }
    Ok(())
}

fn rate(bp: Option<i64>) -> String {
    bp.map(medist_core::locale::format_rate_bp).unwrap_or_else(|| "—".into())
}

async fn budget(db: &Db, caller: &Caller, cmd: BudgetCmd) -> Result<()> {
    use medist_app::funding as app;
    use medist_core::locale::{Locale, format_krw};
    let ko = Locale::Ko;
    match cmd {
        BudgetCmd::Show { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let o = app::overview(db, caller, cid).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&o)?);
                return Ok(());
            }
            println!(
                "사업비 / budget {}–{}: {} · 집행 / spent {} · 집행률 / rate {}",
                o.period_start_year,
                o.period_end_year,
                format_krw(o.total.budget_krw, ko),
                format_krw(o.total.spent_krw, ko),
                rate(o.total.rate_bp)
            );
            for (title, rows) in [
                ("기관별 / by institution", &o.by_institution),
                ("연차별 / by year", &o.by_year),
                ("재원별 / by source", &o.by_source),
                ("비목별 / by category", &o.by_category),
            ] {
                println!("\n{title}");
                for r in rows {
                    println!(
                        "  {:<44} {:>16} {:>16} {:>7}",
                        r.label_ko,
                        format_krw(r.budget_krw, ko),
                        format_krw(r.spent_krw, ko),
                        rate(r.rate_bp)
                    );
                }
            }
            println!("\n점검 기준 / checks");
            for c in &o.constraints {
                println!("  [{}] {} — {}", if c.passed { "pass" } else { "FAIL" }, c.name_ko, c.detail);
            }
        }
        BudgetCmd::Lines { consortium, institution, year, page } => {
            let cid = default_consortium(db, consortium).await?;
            let f = app::LineFilter { institution_id: institution, year, ..Default::default() };
            let p = app::list_lines(db, caller, cid, &f, Page::new(Some(page), Some(100))).await.map_err(explain)?;
            for r in &p.items {
                println!(
                    "{:>5}  inst {:>3}  {}  {:<8} {:<20} {:>18} {:>18} {:>7}{}",
                    r.line.id,
                    r.line.institution_id,
                    r.line.year,
                    r.line.source,
                    r.line.category,
                    medist_core::locale::format_krw_exact(r.current_krw, ko),
                    medist_core::locale::format_krw_exact(r.spent_krw, ko),
                    rate(r.rate_bp),
                    if r.line.closed { " (closed)" } else { "" }
                );
            }
            println!("{} in all · page {} of {}", p.total, p.page, p.pages());
        }
        BudgetCmd::AddLine { consortium, source, institution, year, category, amount, note } => {
            let cid = default_consortium(db, consortium).await?;
            let input = app::LineInput {
                source,
                institution_id: institution.to_string(),
                year: year.to_string(),
                category,
                amount,
                note,
            };
            let l = app::create_line(db, caller, cid, &input).await.map_err(explain)?;
            println!("budget line {} created: {} won", l.id, l.original_krw);
        }
        BudgetCmd::Amend { line, delta, date, reason } => {
            let a = app::amend_line(db, caller, line, &app::AmendmentInput { delta, date, reason })
                .await
                .map_err(explain)?;
            println!("line {line} amended by {} won", a.delta_krw);
        }
        BudgetCmd::Spend { line, amount, date, description, evidence } => {
            let input = app::ExpenditureInput { date, amount, description, evidence: evidence.join("\n") };
            let e = app::add_expenditure(db, caller, line, &input).await.map_err(explain)?;
            println!("expenditure {} of {} won recorded on line {line}", e.id, e.amount_krw);
        }
        BudgetCmd::Close { line } => {
            app::set_line_closed(db, caller, line, true).await.map_err(explain)?;
            println!("line {line} closed");
        }
        BudgetCmd::Reopen { line } => {
            app::set_line_closed(db, caller, line, false).await.map_err(explain)?;
            println!("line {line} reopened");
        }
        BudgetCmd::SetCheck { file, consortium } => {
            let cid = default_consortium(db, consortium).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let c: medist_funding::constraints::Constraint = serde_json::from_str(&text)
                .map_err(|e| anyhow!("{}: line {}, column {}: {e}", file.display(), e.line(), e.column()))?;
            let m = app::put_constraint(db, caller, cid, &c).await.map_err(explain)?;
            println!("check {} saved", m.code);
        }
        BudgetCmd::DeleteCheck { code, consortium } => {
            let cid = default_consortium(db, consortium).await?;
            app::delete_constraint(db, caller, cid, &code).await.map_err(explain)?;
            println!("check {code} deleted");
        }
    }
    Ok(())
}

/// A trainee by id, or by the e-mail of the trainee's person record.
pub(crate) async fn trainee_id(db: &Db, arg: &str) -> Result<i64> {
    if let Ok(id) = arg.parse::<i64>() {
        return Ok(id);
    }
    let p = medist_db::org::person_by_email(db, arg)
        .await
        .map_err(store)?
        .ok_or_else(|| anyhow!("no person with the e-mail '{arg}'"))?;
    let c = default_consortium(db, None).await?;
    medist_db::education::list_trainees(db, c, &Default::default(), chrono::Utc::now().date_naive())
        .await
        .map_err(store)?
        .into_iter()
        .find(|r| r.trainee.person_id == p.id)
        .map(|r| r.trainee.id)
        .ok_or_else(|| anyhow!("{arg} is not a trainee"))
}

/// Counts the bytes read, for the progress bar.
/// A file that tells, for the progress bar, how far into it reading has got (a workbook is read with seeks).
struct Counting<R> {
    inner: R,
    at: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.at.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Counting<R> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        let at = self.inner.seek(pos)?;
        self.at.store(at, std::sync::atomic::Ordering::Relaxed);
        Ok(at)
    }
}

#[allow(clippy::too_many_arguments)]
async fn import_publications(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    file: &std::path::Path,
    format: &str,
    sheet: Option<String>,
    dry_run: bool,
    valid_only: bool,
    quiet: bool,
) -> Result<()> {
    use std::io::IsTerminal;
    let name = file.display().to_string();
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {name}"))?;
    let total = f.metadata().map(|m| m.len()).unwrap_or(0);
    let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counting = Counting { inner: f, at: read.clone() };
    let input = std::io::BufReader::with_capacity(256 * 1024, counting);
    let bar = if quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} [{bar:40}] {msg} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b
    };
    let req = medist_app::outputs::ImportRequest {
        format: Some(format.to_string()),
        sheet,
        opts: medist_db::outputs::ImportOptions { dry_run, valid_only, source_name: name.clone() },
    };
    let started = std::time::Instant::now();
    let report = medist_app::outputs::import_file(db, caller, consortium_id, input, &req, |records| {
        bar.set_position(read.load(std::sync::atomic::Ordering::Relaxed));
        bar.set_message(format!("{records} records"));
    })
    .await
    .map_err(explain)?;
    bar.finish_and_clear();
    for e in &report.errors {
        eprintln!("{e}");
    }
    if report.error_count as usize > report.errors.len() {
        eprintln!("… and {} more errors", report.error_count as usize - report.errors.len());
    }
    let verb = if report.committed {
        "imported"
    } else if dry_run {
        "checked (dry run, nothing written)"
    } else {
        "NOT imported"
    };
    println!(
        "{name}: {verb} in {:.1}s — read {}, new {}, duplicates skipped {}, to review {}, unreadable {}, warnings {}",
        started.elapsed().as_secs_f64(),
        report.read,
        report.created,
        report.duplicates,
        report.to_review,
        report.error_count,
        report.warnings
    );
    if !report.committed && !dry_run {
        bail!(
            "{} record(s) could not be read, so nothing was written; fix the file or use --valid-only",
            report.error_count
        );
    }
    Ok(())
}
