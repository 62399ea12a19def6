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
