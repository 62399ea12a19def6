//! `medist patents list` and `medist import patents FILE`: patents from the command line, through the same use
//! cases as the web UI and the API.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use medist_app::Caller;
use medist_app::patents as app;
use medist_db::Db;

use super::{default_consortium, explain};

#[derive(Subcommand)]
pub enum PatentsCmd {
    /// List patent families with each application's filing, registration and state, and the counts per year.
    List {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn patents(db: &Db, caller: &Caller, cmd: PatentsCmd) -> Result<()> {
    match cmd {
        PatentsCmd::List { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let list = app::list(db, caller, cid).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            for f in &list.families {
                for a in &f.applications {
                    let s = a.status.as_ref();
                    println!(
                        "{:>4}  {:<4} {:<20} {:<10} {:<12} {:<10} {:<10} {}",
                        f.family.id,
                        a.application.jurisdiction,
                        s.map(|s| s.application_number.as_str()).unwrap_or("-"),
                        s.map(|s| s.filed_on.to_string()).unwrap_or_default(),
                        s.and_then(|s| s.registration_number.as_deref()).unwrap_or("-"),
                        s.and_then(|s| s.registered_on.map(|d| d.to_string())).unwrap_or_else(|| "-".into()),
                        s.map(|s| s.state.code()).unwrap_or("?"),
                        if f.family.title_ko.is_empty() { &f.family.title_en } else { &f.family.title_ko },
                    );
                }
            }
            for c in &list.counts {
                println!("{}: {} applications, {} registrations", c.year, c.filed, c.registered);
            }
            println!("{} families", list.families.len());
        }
    }
    Ok(())
}

/// `medist import patents FILE [--dry-run]`: all or nothing; every bad row named with its row and column.
pub async fn import(db: &Db, caller: &Caller, cid: i64, file: &std::path::Path, dry_run: bool) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "upload.csv".into());
    let report = app::import(db, caller, cid, &bytes, &name, dry_run).await.map_err(explain)?;
    for p in &report.problems {
        eprintln!("row {}, column {} ({}): {}", p.row, p.column.as_deref().unwrap_or("-"), p.field, p.message);
    }
    if !report.problems.is_empty() {
        bail!("{} problems in {} rows: nothing was imported", report.problems.len(), report.rows);
    }
    println!(
        "{} rows, {} families, {} applications{}",
        report.rows,
        report.families,
        report.applications,
        if report.written { " imported" } else { " (dry run: nothing written)" }
    );
    Ok(())
}

/// `medist import sci-journals FILE`: every bad row on stderr with its row and column; all or nothing.
pub async fn import_sci(
    db: &Db,
    caller: &Caller,
    cid: i64,
    file: &std::path::Path,
    year: Option<i32>,
    dry_run: bool,
) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "upload.csv".into());
    let report = medist_app::sci::import(db, caller, cid, &bytes, &name, year, dry_run).await.map_err(explain)?;
    for p in &report.problems {
        eprintln!(
            "{}: row {}, column {} ({}): {}",
            file.display(),
            p.row,
            p.column.as_deref().unwrap_or("-"),
            p.field,
            p.message
        );
    }
    if !report.problems.is_empty() {
        bail!("{} problems in {} rows: nothing was loaded", report.problems.len(), report.rows);
    }
    for (y, m) in &report.years {
        let eds: Vec<String> = m.iter().map(|(e, n)| format!("{e} {n}")).collect();
        println!("{y}: {} journals ({})", m.values().sum::<usize>(), eds.join(", "));
    }
    for r in &report.replaced {
        println!("{}: {} journals replaced by {}", r.year, r.removed, r.added);
    }
    if !report.written {
        println!("dry run: nothing written");
    }
    Ok(())
}

/// `medist authors`: authors waiting for confirmation; confirm or reject one.
pub async fn authors(
    db: &Db,
    caller: &Caller,
    cid: i64,
    confirm: Option<i64>,
    reject: Option<i64>,
    json: bool,
) -> Result<()> {
    if let Some(id) = confirm.or(reject) {
        let a = medist_app::outputs::decide_author(db, caller, id, confirm.is_some()).await.map_err(explain)?;
        match a.person_id {
            Some(p) => println!("author {id} is person {p}"),
            None => println!("author {id}: the suggested person was rejected"),
        }
        return Ok(());
    }
    let list = medist_app::outputs::author_candidates(db, caller, cid).await.map_err(explain)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    for c in &list {
        let written = c.author.family.clone().or(c.author.literal.clone()).unwrap_or_default();
        println!(
            "{:>6}  {:<20} → {} ({})  {}  [{}]",
            c.author.id,
            written,
            c.person_name_ko,
            c.person_name_en,
            c.author.candidate_level.as_deref().unwrap_or(""),
            c.publication_title
        );
    }
    if list.is_empty() {
        println!("no authors to confirm");
    }
    Ok(())
}
