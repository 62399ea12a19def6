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

const FORMAT_NAMES: &str = "bibtex, ris, pubmed, crossref, orcid, csv or xlsx";

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

/// The format named by `s` (`bibtex`, `ris`, `pubmed`, `crossref`, `orcid`, `csv`, `xlsx`); `auto` (or nothing) guesses
/// from the file name and its first bytes `head` (Crossref and ORCID JSON are told apart by their keys).
pub fn parse_format(s: Option<&str>, file_name: &str, head: &[u8]) -> AppResult<Format> {
    match s.map(str::trim).filter(|s| !s.is_empty() && *s != "auto") {
        Some("bibtex") | Some("bib") => Ok(Format::Bibtex),
        Some("ris") => Ok(Format::Ris),
        Some("pubmed") | Some("medline") | Some("xml") => Ok(Format::Pubmed),
        Some("crossref") => Ok(Format::Crossref),
        Some("orcid") => Ok(Format::Orcid),
        Some("csv") => Ok(Format::Csv),
        Some("xlsx") | Some("excel") => Ok(Format::Xlsx),
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

/// Limits for a publication list read from a workbook: rows are streamed, so only the shared strings and a few rows
/// are in memory whatever the number of rows; the unpacked size guards against zip bombs.
fn workbook_limits() -> medist_tabular::ReadOptions {
    medist_tabular::ReadOptions {
        max_rows: 2_000_000,
        max_unpacked_bytes: 4 << 30,
        ..medist_tabular::ReadOptions::default()
    }
}

/// What to import and how: the file's name (for the format, messages and provenance), the format (`None` or `auto`:
/// from the name and the first bytes), the worksheet of a workbook (`None`: the first visible one), and the options.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub format: Option<String>,
    pub sheet: Option<String>,
    pub opts: ImportOptions,
}

/// Imports a file or an upload into the consortium's publications, whatever its format: text formats (also
/// gzip-compressed) stream through their parser; an XLSX workbook (by its format or its first bytes) is read from its
/// worksheet row by row. The source must be seekable because a workbook's directory is at its end. Access is
/// checked before anything is read.
pub async fn import_file<R>(
    db: &Db,
    caller: &Caller,
    consortium_id: i64,
    mut input: R,
    req: &ImportRequest,
    progress: impl FnMut(u64),
) -> AppResult<ImportReport>
where
    R: BufRead + std::io::Seek + Send + 'static,
{
    medist_db::org::get_consortium(db, consortium_id).await?;
    caller.require(Action::Create, Resource::Outputs { consortium_id })?;
    let name = req.opts.source_name.as_str();
    let unreadable = |e: &dyn std::fmt::Display| AppError::bad_request("unreadable-file", format!("{name}: {e}"));
    let zip = medist_tabular::is_zip(input.fill_buf().map_err(|e| unreadable(&e))?);
    let format = match req.format.as_deref().map(str::trim).filter(|f| !f.is_empty() && *f != "auto") {
        Some(f) => Some(parse_format(Some(f), name, &[])?),
        None if zip => Some(Format::Xlsx),
        None => None,
    };
    let records: medist_biblio::Records<'static> = if format == Some(Format::Xlsx) {
        let rows = medist_tabular::stream_xlsx_rows(input, req.sheet.as_deref(), &workbook_limits())
            .map_err(|e| unreadable(&e))?;
        let others: Vec<String> =
            rows.sheets().iter().filter(|s| s.as_str() != rows.sheet()).map(|s| format!("`{s}`")).collect();
        let note = if others.is_empty() {
            format!("sheet `{}` was read", rows.sheet())
        } else {
            format!(
                "sheet `{}` was read; the workbook also has {} (choose one as the sheet)",
                rows.sheet(),
                others.join(", ")
            )
        };
        let rows = rows.map(|r| {
            r.map(|row| medist_biblio::SheetRow { line: row.line, cells: row.cells }).map_err(|e| e.to_string())
        });
        Box::new(medist_biblio::SheetReader::new(rows, note))
    } else {
        let (reader, head) = open_input(name, input)?;
        let format = match format {
            Some(f) => f,
            None => parse_format(None, name, &head)?,
        };
        medist_biblio::reader_for(format, reader)
    };
    Ok(store::import(db, &caller.who, consortium_id, records, &req.opts, progress).await?)
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
    /// In order, with their roles (first, corresponding), affiliations and the people they are linked to.
    pub authors: Vec<publication_author::Model>,
    /// Where the publication stands against the consortium's SCI journal lists.
    pub sci: SciStatus,
    /// The research projects the publication came from.
    pub projects: Vec<store::LinkedProject>,
    /// Whether the caller may correct author roles and project links (the office, a coordinator, or an author).
    pub can_edit: bool,
    /// The people the authors are linked to (or may be), by id: Korean and English names.
    pub people: Vec<AuthorPerson>,
}

/// A person an author is linked to or may be.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorPerson {
    pub id: i64,
    pub name_ko: String,
    pub name_en: String,
}

/// The publication and the access resource for it: `author` when one of its authors is linked to the caller's
/// person.
async fn publication_resource(
    db: &Db,
    caller: &Caller,
    id: i64,
) -> AppResult<(publication::Model, Vec<publication_author::Model>, Resource)> {
    let p = store::get(db, id).await?;
    let authors = store::authors(db, id).await?;
    let author = caller.actor.person_id.is_some_and(|me| authors.iter().any(|a| a.person_id == Some(me)));
    let resource = Resource::Publication { consortium_id: p.consortium_id, author };
    Ok((p, authors, resource))
}

pub async fn get(db: &Db, caller: &Caller, id: i64) -> AppResult<PublicationView> {
    let (p, authors, resource) = publication_resource(db, caller, id).await?;
    caller.require(Action::Read, resource)?;
    let ix = medist_db::sci::index(db, p.consortium_id).await?;
    let sci = medist_db::sci::status(&ix, p.issn.as_deref(), p.eissn.as_deref(), p.year);
    let ids: Vec<i64> = authors.iter().flat_map(|a| [a.person_id, a.candidate_person_id]).flatten().collect();
    let people = medist_db::org::people_by_ids(db, &ids)
        .await?
        .into_iter()
        .map(|p| AuthorPerson { id: p.id, name_ko: p.name_ko, name_en: p.name_en })
        .collect();
    Ok(PublicationView {
        authors,
        publication: p,
        sci,
        projects: store::projects_of(db, id).await?,
        can_edit: caller.can(Action::Update, resource),
        people,
    })
}

/// Refuses unless the caller may correct the publication (the office, a coordinator, or one of its authors): for a
/// form handler to ask before it reads the form.
pub async fn require_edit(db: &Db, caller: &Caller, id: i64) -> AppResult<()> {
    let (_, _, resource) = publication_resource(db, caller, id).await?;
    caller.require(Action::Update, resource)
}

/// The consortium's projects one of the publication's authors is a member of and that it is not linked to yet.
pub async fn suggested_projects(
    db: &Db,
    caller: &Caller,
    id: i64,
) -> AppResult<Vec<medist_db::entities::project::Model>> {
    let (_, _, resource) = publication_resource(db, caller, id).await?;
    caller.require(Action::Update, resource)?;
    Ok(store::suggested_projects(db, id).await?)
}

/// Sets an author's roles (first, corresponding): the office, a coordinator, or one of the publication's authors.
pub async fn set_author_roles(
    db: &Db,
    caller: &Caller,
    author_id: i64,
    roles: store::AuthorRoles,
) -> AppResult<publication_author::Model> {
    let a = store::get_author(db, author_id).await?;
    let (_, _, resource) = publication_resource(db, caller, a.publication_id).await?;
    caller.require(Action::Update, resource)?;
    Ok(store::set_author_roles(db, &caller.who, author_id, roles).await?)
}

/// Links the publication to a project of its consortium: the office, a coordinator, or one of its authors.
pub async fn link_project(
    db: &Db,
    caller: &Caller,
    id: i64,
    project_id: i64,
) -> AppResult<medist_db::entities::publication_project::Model> {
    let (_, _, resource) = publication_resource(db, caller, id).await?;
    caller.require(Action::Update, resource)?;
    Ok(store::link_project(db, &caller.who, id, project_id).await?)
}

/// Removes the link between the publication and a project.
pub async fn unlink_project(db: &Db, caller: &Caller, id: i64, project_id: i64) -> AppResult<()> {
    let (_, _, resource) = publication_resource(db, caller, id).await?;
    caller.require(Action::Update, resource)?;
    Ok(store::unlink_project(db, &caller.who, id, project_id).await?)
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
