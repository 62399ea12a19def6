//! `medist publications …`: the consortium's publications from the command line — list and show them, correct
//! author roles, link them to research projects, decide possible duplicates — through the same use cases as the
//! web UI and the API. (`medist import publications FILE` brings them in.)

use anyhow::{Result, bail};
use clap::Subcommand;
use medist_app::Caller;
use medist_app::outputs as app;
use medist_db::Db;
use medist_db::outputs::{AuthorRoles, PublicationFilter};

use super::{default_consortium, explain};

#[derive(Subcommand)]
pub enum PublicationsCmd {
    /// List publications (newest first), optionally those matching words of the title, a DOI or a PMID.
    List {
        #[arg(long)]
        q: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value_t = 1)]
        page: u64,
        #[arg(long)]
        consortium: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// One publication with its authors (roles, affiliations, linked people) and linked projects.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Link a publication to a research project (by code, e.g. MIR-2026-01, or id).
    Link {
        id: i64,
        #[arg(long)]
        project: String,
    },
    /// Remove the link between a publication and a research project.
    Unlink {
        id: i64,
        #[arg(long)]
        project: String,
    },
    /// Set an author's roles (the author's id is in `publications show`).
    Author {
        author_id: i64,
        /// true or false: a first author (co-first authors too).
        #[arg(long)]
        first: Option<bool>,
        /// true or false: a corresponding author.
        #[arg(long)]
        corresponding: Option<bool>,
    },
    /// The imported publications that resemble an existing one, waiting for a decision.
    Review {
        #[arg(long)]
        consortium: Option<i64>,
    },
    /// Decide a possible duplicate: `merge` keeps the existing record (and gives it what only the new one had),
    /// `keep` keeps both as different works.
    Decide {
        candidate_id: i64,
        /// merge or keep
        decision: String,
    },
}

/// The id of the consortium's project named by `code_or_id` (its code, case-insensitive, or its id).
async fn project_id(db: &Db, caller: &Caller, consortium_id: i64, code_or_id: &str) -> Result<i64> {
    let projects = medist_app::research::list_projects(
        db,
        caller,
        consortium_id,
        &Default::default(),
        medist_db::Page::new(Some(1), Some(10_000)),
    )
    .await
    .map_err(explain)?;
    let wanted = code_or_id.trim();
    if let Some(p) = projects.items.iter().find(|p| p.project.code.eq_ignore_ascii_case(wanted)) {
        return Ok(p.project.id);
    }
    if let Ok(id) = wanted.parse::<i64>()
        && projects.items.iter().any(|p| p.project.id == id)
    {
        return Ok(id);
    }
    bail!("no research project `{wanted}` in this consortium (give its code, e.g. MIR-2026-01, or its id)")
}

pub async fn publications(db: &Db, caller: &Caller, cmd: PublicationsCmd) -> Result<()> {
    match cmd {
        PublicationsCmd::List { q, year, page, consortium, json } => {
            let cid = default_consortium(db, consortium).await?;
            let f = PublicationFilter { q, year };
            let list =
                app::list(db, caller, cid, &f, medist_db::Page::new(Some(page), Some(100))).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            for r in &list.items {
                let p = &r.publication;
                println!(
                    "{:>6}  {:<4} {:<4} {:<32} {}",
                    p.id,
                    p.year.map(|y| y.to_string()).unwrap_or_default(),
                    if r.sci.sci_level { "SCI" } else { "" },
                    p.doi.as_deref().unwrap_or("-"),
                    p.title
                );
            }
            println!("{} of {} publications (page {})", list.items.len(), list.total, list.page);
        }
        PublicationsCmd::Show { id, json } => {
            let v = app::get(db, caller, id).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&v)?);
                return Ok(());
            }
            let p = &v.publication;
            println!("{}", p.title);
            println!("{} {}", p.journal, p.year.map(|y| y.to_string()).unwrap_or_default());
            println!("DOI {}  PMID {}", p.doi.as_deref().unwrap_or("-"), p.pmid.as_deref().unwrap_or("-"));
            println!("SCI-level: {}", if v.sci.sci_level { "yes" } else { "no" });
            if !p.funding.is_empty() {
                println!("grants: {}", p.funding.replace('\n', "; "));
            }
            println!("authors:");
            for a in &v.authors {
                let roles = [(a.is_first, "first"), (a.is_corresponding, "corresponding")]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, r)| *r)
                    .collect::<Vec<_>>()
                    .join(", ");
                let person = a.person_id.map(|p| format!(" → person {p}")).unwrap_or_default();
                println!(
                    "  {:>3}. [author {}] {}{}{}",
                    a.position,
                    a.id,
                    a.display_name(),
                    if roles.is_empty() { String::new() } else { format!(" ({roles})") },
                    person
                );
                if let Some(af) = &a.affiliation {
                    for line in af.lines() {
                        println!("         {line}");
                    }
                }
            }
            println!("projects:");
            for l in &v.projects {
                println!("  {} {} ({}, {})", l.code, l.title_ko, l.link.linked_how, l.link.linked_by);
            }
            if v.projects.is_empty() {
                println!("  none");
            }
        }
        PublicationsCmd::Link { id, project } => {
            let p = app::get(db, caller, id).await.map_err(explain)?;
            let pid = project_id(db, caller, p.publication.consortium_id, &project).await?;
            app::link_project(db, caller, id, pid).await.map_err(explain)?;
            println!("publication {id} linked to project {project}");
        }
        PublicationsCmd::Unlink { id, project } => {
            let p = app::get(db, caller, id).await.map_err(explain)?;
            let pid = project_id(db, caller, p.publication.consortium_id, &project).await?;
            app::unlink_project(db, caller, id, pid).await.map_err(explain)?;
            println!("publication {id} no longer linked to project {project}");
        }
        PublicationsCmd::Author { author_id, first, corresponding } => {
            if first.is_none() && corresponding.is_none() {
                bail!("give --first true|false, --corresponding true|false, or both");
            }
            let roles = AuthorRoles { is_first: first, is_corresponding: corresponding };
            let a = app::set_author_roles(db, caller, author_id, roles).await.map_err(explain)?;
            println!(
                "author {} of publication {}: first {}, corresponding {}",
                a.id, a.publication_id, a.is_first, a.is_corresponding
            );
        }
        PublicationsCmd::Review { consortium } => {
            let cid = default_consortium(db, consortium).await?;
            let items = app::review_queue(db, caller, cid).await.map_err(explain)?;
            for i in &items {
                println!(
                    "candidate {:>5}  {}% alike\n  new      {:>6} {}\n  existing {:>6} {}",
                    i.candidate.id,
                    i.candidate.similarity,
                    i.imported.id,
                    i.imported.title,
                    i.existing.id,
                    i.existing.title
                );
            }
            println!("{} waiting", items.len());
        }
        PublicationsCmd::Decide { candidate_id, decision } => {
            let merge = match decision.as_str() {
                "merge" => true,
                "keep" => false,
                other => bail!("decision `{other}`: give merge or keep"),
            };
            app::decide(db, caller, candidate_id, merge).await.map_err(explain)?;
            println!("candidate {candidate_id}: {}", if merge { "merged" } else { "kept as a different work" });
        }
    }
    Ok(())
}
