//! Outputs use cases: import publications from the formats researchers have, list them, review
//! possible duplicates.

use std::io::BufRead;

use medist_core::access::{Action, Resource};
use medist_db::entities::{duplicate_candidate, publication, publication_author};
use medist_db::outputs::{self as store, ImportOptions, ImportReport, PublicationFilter};
use medist_db::sci::SciStatus;
use medist_db::{Db, Page, Paged};
use serde::Serialize;

use crate::{AppError, AppResult, Caller};

/// The format of an import: every format `medist_biblio` reads.
pub type Format = medist_biblio::SourceFormat;

const FORMAT_NAMES: &str = "bibtex, ris, pubmed, crossref, orcid or csv";

/// Bytes of the input looked at to tell its format.
const HEAD_BYTES: usize = 64 * 1024;

/// A file or upload ready to import: gzip-compressed input, recognised by its first bytes (PubMed's baseline files
/// come as `.xml.gz`), is inflated as it is read. Returns the reader and its first bytes (inflated), to tell the
/// format by. A damaged compressed file is refused here, naming the file.
pub fn open_input(
    name: &str,
    mut input: impl BufRead + Send + 'static,
) -> AppResult<(Box<dyn BufRead + Send>, Vec<u8>)> {
    let unreadable = |e: std::io::Error| AppError::bad_request("unreadable-file", format!("{name}: {e}"));
    let gzip = input.fill_buf().map_err(unreadable)?.starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> = if gzip {
        Box::new(std::io::BufReader::with_capacity(256 * 1024, flate2::read::MultiGzDecoder::new(input)))
    } else {
        Box::new(input)
    };
    let head = reader.fill_buf().map_err(unreadable)?;
    let head = head[..head.len().min(HEAD_BYTES)].to_vec();
    Ok((reader, head))
}

/// The format named by `s` (`bibtex`, `ris`, `pubmed`, `crossref`, `orcid`, `csv`); `auto` (or nothing) guesses
/// from the file name and its first bytes `head` (Crossref and ORCID JSON are told apart by their keys).
pub fn parse_format(s: Option<&str>, file_name: &str, head: &[u8]) -> AppResult<Format> {
    match s.map(str::trim).filter(|s| !s.is_empty() && *s != "auto") {
        Some("bibtex") | Some("bib") => Ok(Format::Bibtex),
        Some("ris") => Ok(Format::Ris),
        Some("pubmed") | Some("medline") | Some("xml") => Ok(Format::Pubmed),
        Some("crossref") => Ok(Format::Crossref),
        Some("orcid") => Ok(Format::Orcid),
        Some("csv") => Ok(Format::Csv),
        Some(other) => {
            Err(AppError::bad_request("unknown-format", format!("unknown format '{other}': use {FORMAT_NAMES}")))
        }
        None => medist_biblio::detect_format(file_name, head).ok_or_else(|| {
            AppError::bad_request(
                "unknown-format",
                format!("cannot tell the format of '{file_name}': give the format ({FORMAT_NAMES})"),
            )
        }),
    }
}

/// Streams `input` through the parser for `format` into the consortium's publications.
pub async fn import(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    input: impl BufRead + Send + 'static,
    format: Format,
    opts: &ImportOptions,
    progress: impl FnMut(u64),
) -> AppResult<ImportReport> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, Resource::Outputs { consortium_id })?;
    let records = medist_biblio::reader_for(format, input);
    Ok(store::import(db, &caller.who, consortium_id, records, opts, progress).await?)
}

/// A publication in a list, with where it stands against the SCI journal lists.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicationRow {
    #[serde(flatten)]
    pub publication: publication::Model,
    pub sci: SciStatus,
}

pub async fn list(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    f: &PublicationFilter,
    page: Page,
) -> AppResult<Paged<PublicationRow>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    let ix = medist_db::sci::index(db, consortium_id).await?;
    Ok(store::list(db, consortium_id, f, page).await?.map(|p| PublicationRow {
        sci: medist_db::sci::status(&ix, p.issn.as_deref(), p.eissn.as_deref(), p.year),
        publication: p,
    }))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicationView {
    pub publication: publication::Model,
    pub authors: Vec<publication_author::Model>,
    /// Where the publication stands against the consortium's SCI journal lists.
    pub sci: SciStatus,
}

pub async fn get(db: &Db, caller: &Caller, id: i64) -> AppResult<PublicationView> {
    let p = store::get(db, id).await?;
    caller.require(Action::Read, Resource::Outputs { consortium_id: p.consortium_id })?;
    let ix = medist_db::sci::index(db, p.consortium_id).await?;
    let sci = medist_db::sci::status(&ix, p.issn.as_deref(), p.eissn.as_deref(), p.year);
    Ok(PublicationView { authors: store::authors(db, id).await?, publication: p, sci })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub candidate: duplicate_candidate::Model,
    pub imported: publication::Model,
    pub existing: publication::Model,
}

pub async fn review_queue(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<ReviewItem>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Update, Resource::Outputs { consortium_id })?;
    Ok(store::review_queue(db, consortium_id)
        .await?
        .into_iter()
        .map(|(candidate, imported, existing)| ReviewItem { candidate, imported, existing })
        .collect())
}

pub async fn decide(db: &Db, caller: &Caller, candidate_id: i64, merge: bool) -> AppResult<()> {
    let queue_owner = {
        let c = medist_db::entities::duplicate_candidate::Entity::find_by_id(candidate_id);
        use sea_orm::EntityTrait;
        let c = c
            .one(&db.conn)
            .await
            .map_err(medist_db::StoreError::from)?
            .ok_or(AppError::NotFound { entity: "duplicate_candidate", id: candidate_id.to_string() })?;
        store::get(db, c.publication_id).await?.consortium_id
    };
    caller.require(Action::Update, Resource::Outputs { consortium_id: queue_owner })?;
    Ok(store::decide(db, &caller.who, candidate_id, merge).await?)
}

// Author confirmation ---------------------------------------------------------------------------------------------

/// Authors waiting for confirmation: all of the consortium's for the office and coordinators; for anyone else,
/// the ones that may be themselves ("is this you?").
pub async fn author_candidates(db: &Db, caller: &Caller, consortium_id: i64) -> AppResult<Vec<store::AuthorCandidate>> {
    medist_db::org::get_consortium(db, consortium_id).await?;
    if caller.can(Action::Update, Resource::Outputs { consortium_id }) {
        return Ok(store::author_candidates(db, consortium_id, None).await?);
    }
    caller.require(Action::Read, Resource::Outputs { consortium_id })?;
    match caller.actor.person_id {
        Some(me) => Ok(store::author_candidates(db, consortium_id, Some(me)).await?),
        None => Ok(vec![]),
    }
}

/// Confirms or rejects a waiting match: the office, a coordinator, or the person the author may be.
pub async fn decide_author(
    db: &Db,
    caller: &Caller,
    author_id: i64,
    confirm: bool,
) -> AppResult<publication_author::Model> {
    let a = store::get_author(db, author_id).await?;
    let p = store::get(db, a.publication_id).await?;
    let own = a.candidate_person_id.is_some() && a.candidate_person_id == caller.actor.person_id;
    if !own {
        caller.require(Action::Update, Resource::Outputs { consortium_id: p.consortium_id })?;
    }
    Ok(store::decide_author(db, &caller.who, author_id, confirm).await?)
}
