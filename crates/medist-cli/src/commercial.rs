//! `medist commercial …`: invention disclosures, technology transfers and startups from the command line, through
//! the same use cases as the web UI and the API. New records are read from JSON files shaped like the API bodies.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Subcommand;
use medist_app::Caller;
use medist_app::commercial as app;
use medist_db::Db;
use medist_db::commercial::DisclosureInput;
use medist_ip::disclosure::{Decision, DisclosureAction};
use medist_ip::startup::InvestmentRound;
use medist_ip::transfer::RoyaltyPayment;
use medist_ip::{Startup, TechnologyTransfer};
use serde::de::DeserializeOwned;

use super::{default_consortium, explain};

#[derive(Subcommand)]
pub enum CommercialCmd {
    /// Disclosures, transfers, income, startups and investment per year.
    Summary {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Invention disclosures with their state and deadlines (the ones you may see).
    Disclosures {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Disclose an invention from a JSON file: title_ko, title_en, inventors [{person_id, share_bp}], received_on, …
    Disclose {
        file: PathBuf,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Move a disclosure: start-assessment, file, release, hold, reassess, filed (with --application), released.
    Disclosure {
        id: i64,
        step: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// The patent application filed (for `filed`).
        #[arg(long)]
        application: Option<i64>,
        /// For `hold`: when to look at it again.
        #[arg(long)]
        hold_until: Option<NaiveDate>,
        /// The day of the step (default today).
        #[arg(long)]
        on: Option<NaiveDate>,
    },
    /// Technology transfers with income.
    Transfers {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Record a transfer from a JSON file: licensee, kind, contract_date, upfront_fee_krw, …
    Transfer {
        file: PathBuf,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Record a running-royalty payment of a transfer.
    Royalty {
        transfer: i64,
        #[arg(long)]
        paid_on: NaiveDate,
        #[arg(long)]
        amount_krw: i64,
    },
    /// Startups with founders, region and investment.
    Startups {
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Record a startup from a JSON file: name, founded_on, region, founder_person_ids, …
    Startup {
        file: PathBuf,
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Record an investment round from a JSON file: date, stage, amount_krw, investors.
    Round { startup: i64, file: PathBuf },
}

/// A JSON file as `T`; a missing `id` is 0 (medist gives it). Errors name the file, line and column.
fn read_json<T: DeserializeOwned>(file: &Path) -> Result<T> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", file.display()))?;
    if let Some(o) = v.as_object_mut() {
        o.entry("id").or_insert(serde_json::json!(0));
    }
    serde_json::from_value(v).with_context(|| format!("{}: not a valid record", file.display()))
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub async fn commercial(db: &Db, caller: &Caller, cmd: CommercialCmd) -> Result<()> {
    match cmd {
        CommercialCmd::Summary { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let years = app::summary(db, caller, cid).await.map_err(explain)?;
            if json {
                return print_json(&years);
            }
            println!("year  disclosures  transfers  upfront KRW  royalties KRW  startups (region)  investment KRW");
            for y in years {
                println!(
                    "{}  {:>11}  {:>9}  {:>11}  {:>13}  {:>8} ({:>2})  {:>14}",
                    y.year,
                    y.disclosures,
                    y.transfers,
                    y.upfront_krw,
                    y.royalties_krw,
                    y.startups,
                    y.startups_in_region,
                    y.investment_krw
                );
            }
        }
        CommercialCmd::Disclosures { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let list = app::list_disclosures(db, caller, cid).await.map_err(explain)?;
            if json {
                return print_json(&list);
            }
            for d in list {
                println!(
                    "{:>4}  {}  {:<16} decide by {}{}  {}",
                    d.row.id,
                    d.row.received_on,
                    d.row.state,
                    d.deadlines.decision_due,
                    d.deadlines.filing_due.map(|f| format!(", file by {f}")).unwrap_or_default(),
                    d.row.title_ko
                );
            }
        }
        CommercialCmd::Disclose { file, consortium } => {
            let cid = default_consortium(db, consortium).await?;
            let input: DisclosureInput = read_json(&file)?;
            let d = app::create_disclosure(db, caller, cid, &input).await.map_err(explain)?;
            println!("disclosure {} received", d.id);
        }
        CommercialCmd::Disclosure { id, step, reason, application, hold_until, on } => {
            let action = match step.as_str() {
                "start-assessment" => DisclosureAction::StartAssessment,
                "file" => DisclosureAction::Decide { decision: Decision::File, hold_until: None },
                "release" => DisclosureAction::Decide { decision: Decision::Release, hold_until: None },
                "hold" => DisclosureAction::Decide { decision: Decision::Hold, hold_until },
                "reassess" => DisclosureAction::ReturnToAssessment,
                "released" => DisclosureAction::MarkReleased,
                "filed" => DisclosureAction::MarkFiled {
                    patent_application_id: application
                        .context("filed: give the patent application with --application ID")?,
                },
                other => anyhow::bail!(
                    "unknown step `{other}`: use start-assessment, file, release, hold, reassess, filed or released"
                ),
            };
            let d = app::disclosure_action(db, caller, id, action, &reason, on).await.map_err(explain)?;
            println!("disclosure {} is now {}", d.id, d.state);
        }
        CommercialCmd::Transfers { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let list = app::list_transfers(db, caller, cid).await.map_err(explain)?;
            if json {
                return print_json(&list);
            }
            for t in list {
                println!(
                    "{:>4}  {}  {:<22} upfront {:>12}  total {:>12}  {}",
                    t.row.id, t.row.contract_date, t.row.kind, t.row.upfront_fee_krw, t.row.total_krw, t.row.licensee
                );
            }
        }
        CommercialCmd::Transfer { file, consortium } => {
            let cid = default_consortium(db, consortium).await?;
            let t: TechnologyTransfer = read_json(&file)?;
            let row = app::create_transfer(db, caller, cid, &t).await.map_err(explain)?;
            println!("transfer {} recorded", row.id);
        }
        CommercialCmd::Royalty { transfer, paid_on, amount_krw } => {
            let row = app::add_royalty(db, caller, transfer, RoyaltyPayment { paid_on, amount_krw })
                .await
                .map_err(explain)?;
            println!("transfer {}: {} KRW received in all", row.id, row.total_krw);
        }
        CommercialCmd::Startups { consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let list = app::list_startups(db, caller, cid).await.map_err(explain)?;
            if json {
                return print_json(&list);
            }
            for s in list {
                println!(
                    "{:>4}  {}  {:<10} ({})  invested {:>13}  {}",
                    s.row.id, s.row.founded_on, s.row.region, s.region_group, s.row.total_investment_krw, s.row.name
                );
            }
        }
        CommercialCmd::Startup { file, consortium } => {
            let cid = default_consortium(db, consortium).await?;
            let s: Startup = read_json(&file)?;
            let row = app::create_startup(db, caller, cid, &s).await.map_err(explain)?;
            println!("startup {} recorded", row.id);
        }
        CommercialCmd::Round { startup, file } => {
            let r: InvestmentRound = read_json(&file)?;
            let row = app::add_round(db, caller, startup, r).await.map_err(explain)?;
            println!("startup {}: {} KRW raised in all", row.id, row.total_investment_krw);
        }
    }
    Ok(())
}
