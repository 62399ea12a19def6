//! Publications: the streaming, de-duplicating import and the duplicate review queue.
//!
//! An import reads records from a streaming parser of `medist_biblio`, in chunks of
//! [`CHUNK`] records. For each chunk it looks up the normalised DOIs, PMIDs and title/year/first-author
//! keys that already exist (in the database, which inside the import's transaction includes the
//! chunks written before), so memory stays bounded by the chunk, not the file. Exact matches are
//! skipped; records whose title is very close to one by the same first author in the same year are
//! written and put in the review queue. Everything happens in one transaction: either the whole
//! file is in, or (on any error, unless `valid_only`) nothing.

use std::collections::{HashMap, HashSet};

use medist_biblio::normalize::{FUZZY_TITLE_THRESHOLD, dedup_key, normalize_doi, normalize_pmid, title_similarity};
use medist_biblio::{ParseError, PubType, Record};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;

use crate::audit::record;
use crate::entities::{duplicate_candidate, person, publication, publication_author, publication_project};
use crate::{Db, Page, Paged, StoreError, Who, now};

pub const CHUNK: usize = 500;
/// `publication_project.linked_how` of a link made at import from the acknowledged grants.
pub const LINKED_BY_GRANT: &str = "grant";
/// `publication_project.linked_how` of a link a person made.
pub const LINKED_BY_PERSON: &str = "person";
/// At most this many error lines are kept in a report (the count is always complete).
pub const MAX_REPORTED_ERRORS: usize = 100;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Parse and de-duplicate, write nothing.
    pub dry_run: bool,
    /// Write the valid records even when some records could not be read.
    pub valid_only: bool,
    /// The file name, for error messages and provenance.
    pub source_name: String,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub source_name: String,
    /// Records read from the file.
    pub read: u64,
    /// New publications written (or that would be, in a dry run).
    pub created: u64,
    /// Records skipped because the same work is already there (same DOI, PMID, or title/year/first author).
    pub duplicates: u64,
    /// New publications that resemble an existing one and wait for a person to decide.
    pub to_review: u64,
    /// Links made to the consortium's projects whose codes the new publications' acknowledged grants name.
    pub project_links: u64,
    /// Records that could not be read.
    pub error_count: u64,
    /// The first errors, each naming the file and line.
    pub errors: Vec<String>,
    /// Warnings inside readable records (repeated fields, undefined macros, …).
    pub warnings: u64,
    pub dry_run: bool,
    /// Whether anything was written.
    pub committed: bool,
}

/// The people an author may be linked to at import: by ORCID iD first (anyone in medist), then, within the
/// consortium, by name when exactly one person's name is the same (Hangul or romanized, either order). Weaker
/// matches (initials only, another romanization) are left unlinked for a person to confirm.
struct PeopleIndex {
    orcids: HashMap<String, i64>,
    names: Vec<(i64, medist_biblio::PersonNames)>,
    /// Family-name key → indices into `names`.
    by_family: HashMap<String, Vec<usize>>,
}

impl PeopleIndex {
    async fn load<C: sea_orm::ConnectionTrait>(c: &C, consortium_id: i64) -> Result<PeopleIndex, StoreError> {
        let all = person::Entity::find().all(c).await?;
        let orcids = all.iter().filter_map(|p| Some((p.orcid.clone()?, p.id))).collect();
        let institutions: std::collections::HashSet<i64> = crate::entities::institution::Entity::find()
            .filter(crate::entities::institution::Column::ConsortiumId.eq(consortium_id))
            .all(c)
            .await?
            .into_iter()
            .map(|i| i.id)
            .collect();
        let names: Vec<(i64, medist_biblio::PersonNames)> = all
            .into_iter()
            .filter(|p| p.archived_at.is_none() && institutions.contains(&p.institution_id))
            .map(|p| (p.id, medist_biblio::PersonNames::new(&p.name_ko, &p.name_en)))
            .collect();
        let mut by_family: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, n)) in names.iter().enumerate() {
            for k in medist_biblio::person_buckets(n) {
                by_family.entry(k).or_default().push(i);
            }
        }
        Ok(PeopleIndex { orcids, names, by_family })
    }

    /// The person the author is (sure), or else the person it may be and how it matched (for confirmation).
    fn link(&self, a: &medist_biblio::Author) -> Link {
        use medist_biblio::Match;
        if let Some(id) = a.orcid.as_ref().and_then(|o| self.orcids.get(o)) {
            return Link::Sure(*id);
        }
        let mut best: Vec<(i64, Match)> = Vec::new();
        for k in medist_biblio::author_buckets(a) {
            for &i in self.by_family.get(&k).into_iter().flatten() {
                let (id, names) = &self.names[i];
                let m = medist_biblio::name_match(a, names);
                if m > Match::No && !best.iter().any(|(x, _)| x == id) {
                    best.push((*id, m));
                }
            }
        }
        let top = best.iter().map(|(_, m)| *m).max();
        let Some(top) = top else { return Link::None };
        let at_top: Vec<i64> = best.iter().filter(|(_, m)| *m == top).map(|(id, _)| *id).collect();
        match (top, at_top.as_slice()) {
            (Match::Exact, [one]) => Link::Sure(*one),
            (_, [one]) => Link::Candidate(*one, if top == Match::Likely { "likely" } else { "unsure" }),
            (_, [first, ..]) => Link::Candidate(*first, "ambiguous"),
            _ => Link::None,
        }
    }
}

/// How an imported author relates to the consortium's people.
enum Link {
    Sure(i64),
    Candidate(i64, &'static str),
    None,
}

/// A record read and made ready on the reader thread: normalised keys for de-duplication, and the rows it would
/// be written as, its authors already linked to people.
struct Prepared {
    row: PublicationRow,
    authors: Vec<AuthorRow>,
    /// The consortium's projects whose codes the acknowledged grants name.
    projects: Vec<i64>,
}

/// What the reader thread needs to prepare records: the people to link authors to, and the projects (id, code) to
/// link publications to by the codes in their acknowledged grants.
struct Linking {
    people: PeopleIndex,
    projects: Vec<(i64, String)>,
}

impl Linking {
    async fn load<C: sea_orm::ConnectionTrait>(c: &C, consortium_id: i64) -> Result<Linking, StoreError> {
        let projects = crate::entities::project::Entity::find()
            .filter(crate::entities::project::Column::ConsortiumId.eq(consortium_id))
            .all(c)
            .await?
            .into_iter()
            .map(|p| (p.id, p.code))
            .collect();
        Ok(Linking { people: PeopleIndex::load(c, consortium_id).await?, projects })
    }
}

fn prepare(r: Record, linking: &Linking) -> Prepared {
    let people = &linking.people;
    let k = dedup_key(&r);
    let projects = medist_biblio::normalize::codes_mentioned(
        &r.funding.join("\n"),
        linking.projects.iter().map(|(id, code)| (*id, code.as_str())),
    );
    let authors = r
        .authors
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let (person_id, candidate_person_id, candidate_level) = match people.link(&a) {
                Link::Sure(id) => (Some(id), None, None),
                Link::Candidate(id, level) => (None, Some(id), Some(level)),
                Link::None => (None, None, None),
            };
            AuthorRow {
                publication_id: 0,
                position: i as i32 + 1,
                family: a.family,
                given: a.given,
                literal: a.literal,
                orcid: a.orcid,
                person_id,
                candidate_person_id,
                candidate_level,
                is_first: i == 0 || a.first,
                is_corresponding: a.corresponding,
                affiliation: (!a.affiliations.is_empty()).then(|| a.affiliations.join("\n")),
            }
        })
        .collect();
    let row = PublicationRow {
        id: 0,
        title: r.title.unwrap_or_default(),
        title_norm: k.title,
        year: r.year,
        journal: r.journal.name.unwrap_or_default(),
        issn: r.journal.issn,
        eissn: r.journal.eissn,
        volume: r.volume,
        issue: r.issue,
        pages: r.pages,
        doi: r.doi.as_deref().and_then(normalize_doi),
        pmid: r.pmid.as_deref().and_then(normalize_pmid),
        pub_type: pub_type(&r.pub_type),
        first_author: k.first_author,
        funding: r.funding.join("\n"),
        source_format: format!("{:?}", r.source.format).to_lowercase(),
    };
    Prepared { row, authors, projects }
}

fn pub_type(t: &PubType) -> String {
    match t {
        PubType::Article => "article".into(),
        PubType::Book => "book".into(),
        PubType::Chapter => "chapter".into(),
        PubType::ConferencePaper => "conference_paper".into(),
        PubType::Proceedings => "proceedings".into(),
        PubType::Thesis => "thesis".into(),
        PubType::Report => "report".into(),
        PubType::Other(s) => s.clone(),
    }
}

/// What the reader thread hands to the writer: up to [`CHUNK`] prepared records and what it met reading them.
#[derive(Default)]
struct Batch {
    records: Vec<Prepared>,
    read: u64,
    warnings: u64,
    error_count: u64,
    errors: Vec<String>,
}

/// Chunks in flight between the reader and the writer: memory stays bounded by a few chunks whatever the file.
const BATCHES_IN_FLIGHT: usize = 2;

/// The reader thread: parses, normalises and links authors, chunk by chunk, while the writer writes the previous
/// chunk. Stops early when the writer has stopped (the channel is closed).
fn read_batches<I>(records: I, linking: &Linking, source_name: &str, tx: tokio::sync::mpsc::Sender<Batch>)
where
    I: Iterator<Item = Result<Record, ParseError>>,
{
    let mut b = Batch { records: Vec::with_capacity(CHUNK), ..Default::default() };
    let mut reported = 0usize;
    for item in records {
        match item {
            Ok(r) => {
                b.read += 1;
                b.warnings += r.warnings.len() as u64;
                b.records.push(prepare(r, linking));
            }
            Err(e) => {
                b.error_count += 1;
                if reported < MAX_REPORTED_ERRORS {
                    reported += 1;
                    b.errors.push(format!("{source_name}: {e}"));
                }
            }
        }
        if b.records.len() + b.error_count as usize >= CHUNK {
            let full = std::mem::replace(&mut b, Batch { records: Vec::with_capacity(CHUNK), ..Default::default() });
            if tx.blocking_send(full).is_err() {
                return;
            }
        }
    }
    if b.read + b.error_count > 0 {
        let _ = tx.blocking_send(b);
    }
}

/// Imports publications read by `records` into the consortium. `progress` is called after each chunk
/// with the number of records read so far.
///
/// Reading runs on a blocking thread and writing on the caller's task, with [`BATCHES_IN_FLIGHT`] chunks between
/// them, so parsing the next chunk overlaps writing this one (and the server's async workers never parse).
pub async fn import<I>(
    db: &Db,
    who: &Who,
    consortium_id: i64,
    records: I,
    opts: &ImportOptions,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport, StoreError>
where
    I: Iterator<Item = Result<Record, ParseError>> + Send + 'static,
{
    let mut report =
        ImportReport { source_name: opts.source_name.clone(), dry_run: opts.dry_run, ..Default::default() };
    let txn = db.write().await?;
    let sqlite = db.backend() == sea_orm::DatabaseBackend::Sqlite;
    if sqlite {
        txn.execute_unprepared(&format!("PRAGMA cache_size = {}", crate::SQLITE_IMPORT_CACHE_KIB)).await?;
    }
    let linking = Linking::load(&txn, consortium_id).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(BATCHES_IN_FLIGHT);
    let reader = {
        let source_name = opts.source_name.clone();
        tokio::task::spawn_blocking(move || read_batches(records, &linking, &source_name, tx))
    };
    let mut first_id: Option<i64> = None;
    let mut last_id: Option<i64> = None;
    let mut state = WriteState::default();
    let mut waited = std::time::Instant::now();
    // On an error below, `rx` is dropped with the transaction (rolled back), and the reader stops at its next chunk.
    while let Some(batch) = rx.recv().await {
        state.timings.waiting_for_reader += waited.elapsed();
        report.read += batch.read;
        report.warnings += batch.warnings;
        report.error_count += batch.error_count;
        let room = MAX_REPORTED_ERRORS.saturating_sub(report.errors.len());
        report.errors.extend(batch.errors.into_iter().take(room));
        if !batch.records.is_empty() {
            let ids = write_chunk(&txn, who, consortium_id, batch.records, &opts.source_name, &mut report, &mut state)
                .await?;
            first_id = first_id.or(ids.first().copied());
            last_id = ids.last().copied().or(last_id);
        }
        progress(report.read);
        waited = std::time::Instant::now();
    }
    let timings = &state.timings;
    tracing::debug!(source = %opts.source_name, ?timings, "publication import: where the writer's time went");
    if let Err(e) = reader.await {
        // A reader that panicked: nothing is written, and the file is named.
        return Err(StoreError::Config(format!("{}: the file could not be read to the end ({e})", opts.source_name)));
    }
    progress(report.read);
    if sqlite {
        // The connection goes back to the pool with the pool's cache size.
        txn.execute_unprepared(&format!("PRAGMA cache_size = {}", crate::SQLITE_CACHE_KIB)).await?;
    }
    if opts.dry_run || (report.error_count > 0 && !opts.valid_only) {
        txn.rollback().await?;
        return Ok(report);
    }
    record(
        &txn,
        who,
        "import",
        "publication",
        opts.source_name.clone(),
        None,
        Some(json!({"read": report.read, "created": report.created, "duplicates": report.duplicates,
            "to_review": report.to_review, "project_links": report.project_links, "errors": report.error_count, "first_id": first_id, "last_id": last_id})),
    )
    .await?;
    let committing = std::time::Instant::now();
    txn.commit().await?;
    tracing::debug!(source = %opts.source_name, elapsed = ?committing.elapsed(), "publication import committed");
    report.committed = true;
    Ok(report)
}

/// What the database already holds that a chunk's records may repeat, asked with one statement that answers with one
/// row: the DOIs and PMIDs among the chunk's, and the stored publications by the same first author in the same year
/// (which give both the exact duplicates — same title, year and first author — and the possible ones — title close
/// but not equal); a record without an author asks only for the stored ones without an author and with its title.
///
/// The questions travel as JSON arrays (the pairs as `[author, year, title]`, year null for undated records, title
/// empty when there is an author), so the statement text is the same for every chunk and prepared once; and the
/// answers come back aggregated into JSON arrays in one row, because rows streamed one by one from SQLite's worker
/// thread cost a thread wake-up each (hundreds per chunk). Each pair is a seek in the short (consortium, first
/// author, year) index; the index of whole title keys that this replaced was as long as the titles.
fn lookup_sql(backend: sea_orm::DatabaseBackend) -> &'static str {
    if backend == sea_orm::DatabaseBackend::Postgres {
        // The year and title are compared after the index has found the author's papers (an `IS NOT DISTINCT FROM`
        // in the join would keep PostgreSQL from using the index at all).
        "SELECT \
         (SELECT COALESCE(json_agg(doi), '[]'::json)::text FROM publication \
           WHERE consortium_id = $1 AND doi IN (SELECT json_array_elements_text($2::json))) AS dois, \
         (SELECT COALESCE(json_agg(pmid), '[]'::json)::text FROM publication \
           WHERE consortium_id = $1 AND pmid IN (SELECT json_array_elements_text($3::json))) AS pmids, \
         (SELECT COALESCE(json_agg(json_build_array(p.id, p.first_author, p.year, p.title_norm, p.doi, p.volume, \
             p.issue, p.pages)), '[]'::json)::text \
           FROM (SELECT e->>0 AS a, (e->>1)::int4 AS y, e->>2 AS t FROM json_array_elements($4::json) AS e) w \
           JOIN publication p ON p.consortium_id = $1 AND p.first_author = w.a \
           WHERE (p.year = w.y OR (p.year IS NULL AND w.y IS NULL)) AND (w.a <> '' OR p.title_norm = w.t)) AS stored"
    } else {
        // CROSS JOIN keeps the pairs as the outer loop.
        "SELECT \
         (SELECT json_group_array(doi) FROM publication \
           WHERE consortium_id = ?1 AND doi IN (SELECT value FROM json_each(?2))) AS dois, \
         (SELECT json_group_array(pmid) FROM publication \
           WHERE consortium_id = ?1 AND pmid IN (SELECT value FROM json_each(?3))) AS pmids, \
         (SELECT json_group_array(json_array(p.id, p.first_author, p.year, p.title_norm, p.doi, p.volume, p.issue, \
             p.pages)) \
           FROM json_each(?4) AS w CROSS JOIN publication p \
           WHERE p.consortium_id = ?1 AND p.first_author = w.value->>0 AND p.year IS w.value->>1 \
           AND (w.value->>0 <> '' OR p.title_norm = w.value->>2)) AS stored"
    }
}

/// A stored publication as [`lookup_sql`] returns it: id, first author, year, normalised title, DOI, volume, issue,
/// pages.
type StoredRow = (i64, String, Option<i32>, String, Option<String>, Option<String>, Option<String>, Option<String>);

/// What [`lookup_sql`] found for a chunk.
struct Found {
    dois: HashSet<String>,
    pmids: HashSet<String>,
    stored: Vec<StoredRow>,
}

async fn look_up(txn: &DatabaseTransaction, consortium_id: i64, chunk: &[Prepared]) -> Result<Found, StoreError> {
    let dois: Vec<&str> = chunk.iter().filter_map(|p| p.row.doi.as_deref()).collect();
    let pmids: Vec<&str> = chunk.iter().filter_map(|p| p.row.pmid.as_deref()).collect();
    let mut asks: Vec<(&str, Option<i32>, &str)> = chunk
        .iter()
        .map(|p| {
            let author = p.row.first_author.as_str();
            (author, p.row.year, if author.is_empty() { p.row.title_norm.as_str() } else { "" })
        })
        .filter(|(author, _, title)| !author.is_empty() || !title.is_empty())
        .collect();
    asks.sort_unstable();
    asks.dedup();
    let backend = txn.get_database_backend();
    let values = vec![consortium_id.into(), to_json(&dois)?.into(), to_json(&pmids)?.into(), to_json(&asks)?.into()];
    let row = txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(backend, lookup_sql(backend), values))
        .await?
        .ok_or_else(|| StoreError::Config("the duplicate lookup answered nothing".into()))?;
    let column = |name: &str| -> Result<String, StoreError> {
        // SQLite's json_group_array over no rows is "[]"; PostgreSQL's json_agg is NULL, made "[]" by COALESCE.
        Ok(row.try_get::<Option<String>>("", name)?.unwrap_or_else(|| "[]".into()))
    };
    let parse = |name: &str, e: serde_json::Error| StoreError::Config(format!("duplicate lookup ({name}): {e}"));
    Ok(Found {
        dois: serde_json::from_str(&column("dois")?).map_err(|e| parse("dois", e))?,
        pmids: serde_json::from_str(&column("pmids")?).map_err(|e| parse("pmids", e))?,
        stored: serde_json::from_str(&column("stored")?).map_err(|e| parse("stored", e))?,
    })
}

/// What the writer carries from chunk to chunk.
#[derive(Default)]
struct WriteState {
    timings: Timings,
    /// The next publication id to give (SQLite: asked once, then counted on).
    next_id: Option<i64>,
}

/// Where an import's writer spends its time (logged at debug level, for tuning).
#[derive(Debug, Default)]
struct Timings {
    waiting_for_reader: std::time::Duration,
    lookups: std::time::Duration,
    decisions: std::time::Duration,
    publications: std::time::Duration,
    authors: std::time::Duration,
}

async fn write_chunk(
    txn: &DatabaseTransaction,
    who: &Who,
    consortium_id: i64,
    chunk: Vec<Prepared>,
    source_name: &str,
    report: &mut ImportReport,
    state: &mut WriteState,
) -> Result<Vec<i64>, StoreError> {
    let started = std::time::Instant::now();
    let timings = &mut state.timings;
    let Found { dois, pmids, stored } = look_up(txn, consortium_id, &chunk).await?;
    // Same title, year and first author: the same work unless an identifier or the place in the
    // journal says otherwise (recurring columns such as "Editorial comments" share all three).
    let mut keys: HashMap<(String, Option<i32>, String), Vec<Placement>> = HashMap::new();
    let mut neighbours: Vec<Neighbour> = Vec::new();
    for (id, first_author, year, title_norm, doi, volume, issue, pages) in stored {
        let n = Neighbour {
            id: NewOrOld::Old(id),
            first_author,
            year,
            title_norm,
            place: Placement { doi, volume, issue, pages },
        };
        keys.entry(n.key()).or_default().push(n.place.clone());
        // Possible duplicates are looked for among papers with an author only.
        if !n.first_author.is_empty() {
            neighbours.push(n);
        }
    }
    let (mut seen_doi, mut seen_pmid) = (HashSet::new(), HashSet::new());
    let t = now();
    let looked_up = std::time::Instant::now();
    timings.lookups += looked_up - started;
    // First decide every record of the chunk, then write the new ones with one statement per table.
    let mut accepted: Vec<Accepted> = Vec::new();
    for Prepared { row, authors, projects } in chunk {
        let here = Placement {
            doi: row.doi.clone(),
            volume: row.volume.clone(),
            issue: row.issue.clone(),
            pages: row.pages.clone(),
        };
        let key = (row.title_norm.clone(), row.year, row.first_author.clone());
        let same_key = !row.title_norm.is_empty()
            && keys.get(&key).is_some_and(|places| places.iter().any(|other| !other.conflicts(&here)));
        let dup = row.doi.as_ref().is_some_and(|d| dois.contains(d) || seen_doi.contains(d))
            || row.pmid.as_ref().is_some_and(|d| pmids.contains(d) || seen_pmid.contains(d))
            || same_key;
        if dup {
            report.duplicates += 1;
            continue;
        }
        let similar = neighbours
            .iter()
            .filter(|n| n.first_author == row.first_author && n.year == row.year)
            .filter(|n| !n.place.conflicts(&here))
            .map(|n| (n.id, title_similarity(&n.title_norm, &row.title_norm)))
            .filter(|(_, s)| *s >= FUZZY_TITLE_THRESHOLD)
            .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        report.created += 1;
        if let Some(d) = &row.doi {
            seen_doi.insert(d.clone());
        }
        if let Some(d) = &row.pmid {
            seen_pmid.insert(d.clone());
        }
        keys.entry(key).or_default().push(here.clone());
        // Later records of the same chunk compare with this one too.
        neighbours.push(Neighbour {
            id: NewOrOld::New(accepted.len()),
            first_author: row.first_author.clone(),
            year: row.year,
            title_norm: row.title_norm.clone(),
            place: here,
        });
        accepted.push(Accepted { row, authors, projects, similar });
    }
    let decided = std::time::Instant::now();
    timings.decisions += decided - looked_up;
    if accepted.is_empty() {
        return Ok(vec![]);
    }
    let ids = insert_publications(txn, consortium_id, source_name, t, &mut accepted, &mut state.next_id).await?;
    let written = std::time::Instant::now();
    timings.publications += written - decided;
    let mut authors: Vec<AuthorRow> = Vec::new();
    let mut candidates: Vec<duplicate_candidate::ActiveModel> = Vec::new();
    let mut links: Vec<publication_project::ActiveModel> = Vec::new();
    for (a, &id) in accepted.into_iter().zip(&ids) {
        for author in a.authors {
            authors.push(AuthorRow { publication_id: id, ..author });
        }
        report.project_links += a.projects.len() as u64;
        links.extend(a.projects.into_iter().map(|project_id| publication_project::ActiveModel {
            publication_id: Set(id),
            project_id: Set(project_id),
            linked_how: Set(LINKED_BY_GRANT.into()),
            linked_by: Set(who.label.clone()),
            linked_at: Set(t),
            ..Default::default()
        }));
        if let Some((other, s)) = a.similar {
            report.to_review += 1;
            let existing_id = match other {
                NewOrOld::Old(x) => x,
                NewOrOld::New(i) => ids[i],
            };
            candidates.push(duplicate_candidate::ActiveModel {
                publication_id: Set(id),
                existing_id: Set(existing_id),
                similarity: Set((s * 100.0).round() as i32),
                status: Set("pending".into()),
                created_at: Set(t),
                decided_by: Set(None),
                ..Default::default()
            });
        }
    }
    insert_authors(txn, &authors).await?;
    if !candidates.is_empty() {
        duplicate_candidate::Entity::insert_many(candidates).exec_without_returning(txn).await?;
    }
    if !links.is_empty() {
        publication_project::Entity::insert_many(links).exec_without_returning(txn).await?;
    }
    timings.authors += written.elapsed();
    Ok(ids)
}

/// A chunk's rows travel to the database as one JSON array bound to one parameter, and the database expands it
/// (`jsonb_each` in SQLite, `json_array_elements` in PostgreSQL). The statement text is the same for every chunk, so
/// it is prepared once, and nothing is built per value: a multi-row `VALUES` list of 500 publications with 2,000
/// authors was a new statement of 20,000 parameters for each chunk, and preparing and binding it cost more than
/// parsing the file.
///
/// `columns` are the table's columns filled from the JSON array elements, in order, each with its PostgreSQL type;
/// `fixed` are columns with one value for every row, bound as ordinary parameters before the JSON.
fn bulk_insert_sql(backend: sea_orm::DatabaseBackend, table: &str, columns: &[(&str, &str)], fixed: &[&str]) -> String {
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).chain(fixed.iter().copied()).collect();
    let pg = backend == sea_orm::DatabaseBackend::Postgres;
    let mut exprs: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| if pg { format!("(e.v->>{i})::{ty}") } else { format!("e.value->>{i}") })
        .collect();
    exprs.extend((1..=fixed.len()).map(|n| if pg { format!("${n}") } else { "?".to_string() }));
    // No ORDER BY: rows carry their ids (and positions), so the order they go in does not matter, and sorting would
    // copy every row into a temporary b-tree first.
    let from = if pg {
        format!("json_array_elements(${}::json) AS e(v)", fixed.len() + 1)
    } else {
        // jsonb_each: the text is parsed once into SQLite's binary JSON, and each element's columns are read from
        // it without parsing the element's text again per column.
        "jsonb_each(?) AS e".to_string()
    };
    format!("INSERT INTO {table} ({}) SELECT {} FROM {from}", names.join(", "), exprs.join(", "))
}

/// Rows as one JSON array, in a buffer sized for them up front.
fn to_json<T: Serialize>(rows: &[T]) -> Result<String, StoreError> {
    let mut buf = Vec::with_capacity(rows.len() * 160 + 2);
    serde_json::to_writer(&mut buf, rows).map_err(|e| StoreError::Config(format!("rows to write: {e}")))?;
    // serde_json writes UTF-8 only.
    String::from_utf8(buf).map_err(|e| StoreError::Config(format!("rows to write: {e}")))
}

/// Ids for `n` new publications, taken before they are written, so that the rows go in with their ids and nothing
/// has to be read back or kept in order. On SQLite the import's transaction holds the write lock from its start
/// (`BEGIN IMMEDIATE`), so no one else can take an id until it ends: the ids follow the largest ever given
/// (`AUTOINCREMENT` keeps it in `sqlite_sequence`, and an explicit larger id moves it on), asked once per import and
/// then counted on in `next`. On PostgreSQL they come from the column's sequence, as a default value would.
async fn reserve_publication_ids(
    txn: &DatabaseTransaction,
    n: usize,
    next: &mut Option<i64>,
) -> Result<Vec<i64>, StoreError> {
    let backend = txn.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        let rows = txn
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                "SELECT nextval(pg_get_serial_sequence('publication', 'id')) AS id FROM generate_series(1, $1)",
                vec![(n as i64).into()],
            ))
            .await?;
        return Ok(rows.iter().map(|r| r.try_get::<i64>("", "id")).collect::<Result<Vec<i64>, _>>()?);
    }
    let first = match *next {
        Some(id) => id,
        None => {
            let row = txn
                .query_one_raw(sea_orm::Statement::from_string(
                    backend,
                    "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'publication'), 0), \
                     COALESCE((SELECT MAX(id) FROM publication), 0)) AS last",
                ))
                .await?
                .ok_or_else(|| StoreError::Config("no publication id could be reserved".into()))?;
            row.try_get::<i64>("", "last")? + 1
        }
    };
    *next = Some(first + n as i64);
    Ok((first..first + n as i64).collect())
}

/// Writes the accepted publications of a chunk with the ids reserved for them, in the chunk's order.
async fn insert_publications(
    txn: &DatabaseTransaction,
    consortium_id: i64,
    source_name: &str,
    created_at: chrono::DateTime<chrono::Utc>,
    accepted: &mut [Accepted],
    next_id: &mut Option<i64>,
) -> Result<Vec<i64>, StoreError> {
    let ids = reserve_publication_ids(txn, accepted.len(), next_id).await?;
    if ids.len() != accepted.len() {
        return Err(StoreError::Config(format!(
            "{} publications to write, {} ids reserved",
            accepted.len(),
            ids.len()
        )));
    }
    for (a, id) in accepted.iter_mut().zip(&ids) {
        a.row.id = *id;
    }
    let rows: Vec<&PublicationRow> = accepted.iter().map(|a| &a.row).collect();
    let json = to_json(&rows)?;
    let backend = txn.get_database_backend();
    let sql = bulk_insert_sql(
        backend,
        "publication",
        PublicationRow::COLUMNS,
        &["consortium_id", "source_name", "is_sample", "created_at"],
    );
    let values: Vec<sea_orm::Value> =
        vec![consortium_id.into(), source_name.to_string().into(), false.into(), created_at.into(), json.into()];
    let done = txn.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, values)).await?;
    if done.rows_affected() != accepted.len() as u64 {
        return Err(StoreError::Config(format!(
            "{} publications to write, {} written",
            accepted.len(),
            done.rows_affected()
        )));
    }
    Ok(ids)
}

async fn insert_authors(txn: &DatabaseTransaction, authors: &[AuthorRow]) -> Result<(), StoreError> {
    if authors.is_empty() {
        return Ok(());
    }
    let backend = txn.get_database_backend();
    let sql = bulk_insert_sql(backend, "publication_author", AuthorRow::COLUMNS, &[]);
    // A record with thousands of authors is one array like any other: the JSON parameter has no row limit.
    let json = to_json(authors)?;
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, vec![json.into()])).await?;
    Ok(())
}

/// Declares a row type written by [`bulk_insert_sql`]: its fields are the table's columns (with their PostgreSQL
/// types), and it serialises as a JSON array in that order, so the statement and the data cannot disagree.
macro_rules! json_row {
    ($(#[$doc:meta])* $name:ident { $($field:ident : $ty:ty => $pg:literal),* $(,)? }) => {
        $(#[$doc])*
        struct $name { $($field: $ty),* }
        impl $name {
            const COLUMNS: &'static [(&'static str, &'static str)] = &[$((stringify!($field), $pg)),*];
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeTuple;
                let mut t = s.serialize_tuple(Self::COLUMNS.len())?;
                $(t.serialize_element(&self.$field)?;)*
                t.end()
            }
        }
    };
}

json_row!(
    /// One publication as written (the columns that differ between records).
    PublicationRow {
        id: i64 => "int8",
        title: String => "text",
        title_norm: String => "text",
        year: Option<i32> => "int4",
        journal: String => "text",
        issn: Option<String> => "text",
        eissn: Option<String> => "text",
        volume: Option<String> => "text",
        issue: Option<String> => "text",
        pages: Option<String> => "text",
        doi: Option<String> => "text",
        pmid: Option<String> => "text",
        pub_type: String => "text",
        first_author: String => "text",
        funding: String => "text",
        source_format: String => "text",
    }
);

json_row!(
    /// One author as written.
    AuthorRow {
        publication_id: i64 => "int8",
        position: i32 => "int4",
        family: Option<String> => "text",
        given: Option<String> => "text",
        literal: Option<String> => "text",
        orcid: Option<String> => "text",
        person_id: Option<i64> => "int8",
        candidate_person_id: Option<i64> => "int8",
        candidate_level: Option<&'static str> => "text",
        is_first: bool => "bool",
        is_corresponding: bool => "bool",
        affiliation: Option<String> => "text",
    }
);

/// A publication already stored, or one accepted earlier in the same chunk (by its index there).
#[derive(Debug, Clone, Copy)]
enum NewOrOld {
    Old(i64),
    New(usize),
}

/// What fuzzy duplicate detection compares a record with.
struct Neighbour {
    id: NewOrOld,
    first_author: String,
    year: Option<i32>,
    title_norm: String,
    place: Placement,
}

impl Neighbour {
    /// Title, year and first author: equal keys are the same work unless their places conflict.
    fn key(&self) -> (String, Option<i32>, String) {
        (self.title_norm.clone(), self.year, self.first_author.clone())
    }
}

/// A record that will be written, with its authors and the publication it resembles, if any.
struct Accepted {
    row: PublicationRow,
    authors: Vec<AuthorRow>,
    projects: Vec<i64>,
    similar: Option<(NewOrOld, f64)>,
}

/// Where a work sits: its DOI and its place in the journal.
#[derive(Clone)]
struct Placement {
    doi: Option<String>,
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
}

impl Placement {
    /// Two records with the same title, year and first author are different works when a DOI,
    /// volume, issue or page range is known for both and differs.
    fn conflicts(&self, o: &Placement) -> bool {
        let differ =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x.trim() != y.trim());
        differ(&self.doi, &o.doi)
            || differ(&self.volume, &o.volume)
            || differ(&self.issue, &o.issue)
            || differ(&self.pages, &o.pages)
    }
}

#[derive(Debug, Clone, Default)]
pub struct PublicationFilter {
    pub q: Option<String>,
    pub year: Option<i32>,
}

pub async fn list(
    db: &Db,
    consortium_id: i64,
    f: &PublicationFilter,
    page: Page,
) -> Result<Paged<publication::Model>, StoreError> {
    let mut q = publication::Entity::find()
        .filter(publication::Column::ConsortiumId.eq(consortium_id))
        .order_by_desc(publication::Column::Year)
        .order_by_asc(publication::Column::Id);
    if let Some(y) = f.year {
        q = q.filter(publication::Column::Year.eq(y));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let norm = medist_biblio::normalize::normalize_title(text);
        let doi = normalize_doi(text);
        let mut cond = sea_orm::Condition::any().add(publication::Column::TitleNorm.contains(norm.as_str()));
        if let Some(d) = doi {
            cond = cond.add(publication::Column::Doi.eq(d));
        }
        cond = cond.add(publication::Column::Pmid.eq(text));
        q = q.filter(cond);
    }
    let pager = q.paginate(&db.conn, page.per_page);
    let total = pager.num_items().await?;
    let items = pager.fetch_page(page.page - 1).await?;
    Ok(Paged { items, page: page.page, per_page: page.per_page, total })
}

pub async fn count(db: &Db, consortium_id: i64) -> Result<u64, StoreError> {
    Ok(publication::Entity::find().filter(publication::Column::ConsortiumId.eq(consortium_id)).count(&db.conn).await?)
}

pub async fn authors(db: &Db, publication_id: i64) -> Result<Vec<publication_author::Model>, StoreError> {
    Ok(publication_author::Entity::find()
        .filter(publication_author::Column::PublicationId.eq(publication_id))
        .order_by_asc(publication_author::Column::Position)
        .all(&db.conn)
        .await?)
}

/// An author waiting for a person to confirm who they are.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorCandidate {
    pub author: publication_author::Model,
    pub publication_id: i64,
    pub publication_title: String,
    pub year: Option<i32>,
    pub journal: String,
    pub person_id: i64,
    pub person_name_ko: String,
    pub person_name_en: String,
}

/// The consortium's authors waiting for confirmation (all of them, or only those that may be `person`).
pub async fn author_candidates(
    db: &Db,
    consortium_id: i64,
    person: Option<i64>,
) -> Result<Vec<AuthorCandidate>, StoreError> {
    let mut q = publication_author::Entity::find()
        .filter(publication_author::Column::CandidatePersonId.is_not_null())
        .filter(publication_author::Column::PersonId.is_null());
    if let Some(p) = person {
        q = q.filter(publication_author::Column::CandidatePersonId.eq(p));
    }
    let rows = q.order_by_asc(publication_author::Column::Id).all(&db.conn).await?;
    let pub_ids: Vec<i64> = rows.iter().map(|a| a.publication_id).collect();
    let pubs: HashMap<i64, publication::Model> = publication::Entity::find()
        .filter(publication::Column::Id.is_in(pub_ids))
        .filter(publication::Column::ConsortiumId.eq(consortium_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let person_ids: Vec<i64> = rows.iter().filter_map(|a| a.candidate_person_id).collect();
    let people: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            let p = pubs.get(&a.publication_id)?;
            let who = people.get(&a.candidate_person_id?)?;
            Some(AuthorCandidate {
                publication_id: p.id,
                publication_title: p.title.clone(),
                year: p.year,
                journal: p.journal.clone(),
                person_id: who.id,
                person_name_ko: who.name_ko.clone(),
                person_name_en: who.name_en.clone(),
                author: a,
            })
        })
        .collect())
}

pub async fn get_author(db: &Db, id: i64) -> Result<publication_author::Model, StoreError> {
    publication_author::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("author", id))
}

/// Confirms (links the author to the candidate person) or rejects (drops the candidate) a waiting match.
pub async fn decide_author(
    db: &Db,
    who: &Who,
    author_id: i64,
    confirm: bool,
) -> Result<publication_author::Model, StoreError> {
    let txn = db.write().await?;
    let a = publication_author::Entity::find_by_id(author_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("author", author_id))?;
    let Some(candidate) = a.candidate_person_id.filter(|_| a.person_id.is_none()) else {
        return Err(StoreError::Conflict { code: "already-decided", field: None });
    };
    let mut am: publication_author::ActiveModel = a.clone().into();
    if confirm {
        am.person_id = Set(Some(candidate));
    }
    am.candidate_person_id = Set(None);
    am.candidate_level = Set(None);
    let after = am.update(&txn).await?;
    record(
        &txn,
        who,
        if confirm { "author.confirm" } else { "author.reject" },
        "publication",
        a.publication_id,
        Some(json!(a)),
        Some(json!(after)),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The publications with these ids (those that exist), in chunks within every backend's parameter limit.
pub async fn get_many(db: &Db, ids: &[i64]) -> Result<Vec<publication::Model>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        out.extend(
            publication::Entity::find().filter(publication::Column::Id.is_in(chunk.to_vec())).all(&db.conn).await?,
        );
    }
    Ok(out)
}

pub async fn get(db: &Db, id: i64) -> Result<publication::Model, StoreError> {
    publication::Entity::find_by_id(id).one(&db.conn).await?.ok_or_else(|| StoreError::not_found("publication", id))
}

pub async fn review_queue(
    db: &Db,
    consortium_id: i64,
) -> Result<Vec<(duplicate_candidate::Model, publication::Model, publication::Model)>, StoreError> {
    let pending = duplicate_candidate::Entity::find()
        .filter(duplicate_candidate::Column::Status.eq("pending"))
        .order_by_asc(duplicate_candidate::Column::Id)
        .all(&db.conn)
        .await?;
    let mut out = Vec::new();
    for c in pending {
        let (Ok(new), Ok(old)) = (get(db, c.publication_id).await, get(db, c.existing_id).await) else { continue };
        if new.consortium_id == consortium_id {
            out.push((c, new, old));
        }
    }
    Ok(out)
}

/// Decides a possible duplicate: `merge` removes the newly imported record (the existing one stays),
/// `keep` keeps both as separate works.
pub async fn decide(db: &Db, who: &Who, candidate_id: i64, merge: bool) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let c = duplicate_candidate::Entity::find_by_id(candidate_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("duplicate_candidate", candidate_id))?;
    if c.status != "pending" {
        return Err(StoreError::Conflict { code: "already-decided", field: None });
    }
    let mut am: duplicate_candidate::ActiveModel = c.clone().into();
    am.status = Set(if merge { "merged" } else { "kept_separate" }.into());
    am.decided_by = Set(Some(who.label.clone()));
    am.update(&txn).await?;
    if merge {
        let before = publication::Entity::find_by_id(c.publication_id).one(&txn).await?;
        let filled = fold_into(&txn, c.publication_id, c.existing_id).await?;
        publication_author::Entity::delete_many()
            .filter(publication_author::Column::PublicationId.eq(c.publication_id))
            .exec(&txn)
            .await?;
        publication_project::Entity::delete_many()
            .filter(publication_project::Column::PublicationId.eq(c.publication_id))
            .exec(&txn)
            .await?;
        duplicate_candidate::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(duplicate_candidate::Column::PublicationId.eq(c.publication_id))
                    .add(duplicate_candidate::Column::ExistingId.eq(c.publication_id)),
            )
            .exec(&txn)
            .await?;
        publication::Entity::delete_by_id(c.publication_id).exec(&txn).await?;
        record(
            &txn,
            who,
            "merge",
            "publication",
            c.publication_id,
            before.and_then(|b| serde_json::to_value(b).ok()),
            Some(json!({"kept": c.existing_id, "filled": filled})),
        )
        .await?;
    } else {
        record(
            &txn,
            who,
            "keep_separate",
            "publication",
            c.publication_id,
            None,
            Some(json!({"not_a_duplicate_of": c.existing_id})),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// What merging a duplicate into the publication that stays carries over (see [`fold_into`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Filled {
    /// Fields of the publication that were empty and now hold the duplicate's value (`doi`, `pmid`, `issn`, …).
    pub fields: Vec<String>,
    /// Authors now linked to the person the duplicate's author at the same place was linked to.
    pub authors_linked: u32,
    /// Author roles (first, corresponding) or affiliations the duplicate had and the publication did not.
    pub author_details: u32,
    /// Projects the duplicate was linked to and the publication now is.
    pub projects: u32,
}

/// Before the duplicate `from` is removed, gives the publication `into` what only the duplicate knew: identifiers and
/// places it lacks, the people its authors were linked to (author by author, where both name the author at the same
/// place with the same family name), author roles and affiliations, and links to projects. Nothing `into` already
/// has is changed.
async fn fold_into(txn: &DatabaseTransaction, from: i64, into: i64) -> Result<Filled, StoreError> {
    let mut filled = Filled::default();
    let (Some(dup), Some(keep)) =
        (publication::Entity::find_by_id(from).one(txn).await?, publication::Entity::find_by_id(into).one(txn).await?)
    else {
        return Ok(filled);
    };
    let mut am: publication::ActiveModel = keep.clone().into();
    let mut fill = |name: &str, have: &Option<String>, other: &Option<String>| -> Option<Option<String>> {
        (have.is_none() && other.is_some()).then(|| {
            filled.fields.push(name.to_owned());
            other.clone()
        })
    };
    if let Some(v) = fill("doi", &keep.doi, &dup.doi) {
        am.doi = Set(v);
    }
    if let Some(v) = fill("pmid", &keep.pmid, &dup.pmid) {
        am.pmid = Set(v);
    }
    if let Some(v) = fill("issn", &keep.issn, &dup.issn) {
        am.issn = Set(v);
    }
    if let Some(v) = fill("eissn", &keep.eissn, &dup.eissn) {
        am.eissn = Set(v);
    }
    if let Some(v) = fill("volume", &keep.volume, &dup.volume) {
        am.volume = Set(v);
    }
    if let Some(v) = fill("issue", &keep.issue, &dup.issue) {
        am.issue = Set(v);
    }
    if let Some(v) = fill("pages", &keep.pages, &dup.pages) {
        am.pages = Set(v);
    }
    if keep.funding.trim().is_empty() && !dup.funding.trim().is_empty() {
        filled.fields.push("funding".into());
        am.funding = Set(dup.funding.clone());
    }
    if keep.journal.trim().is_empty() && !dup.journal.trim().is_empty() {
        filled.fields.push("journal".into());
        am.journal = Set(dup.journal.clone());
    }
    if !filled.fields.is_empty() {
        am.update(txn).await?;
    }
    let authors = |id: i64| {
        publication_author::Entity::find()
            .filter(publication_author::Column::PublicationId.eq(id))
            .order_by_asc(publication_author::Column::Position)
            .all(txn)
    };
    let theirs: HashMap<i32, publication_author::Model> =
        authors(from).await?.into_iter().map(|a| (a.position, a)).collect();
    for mine in authors(into).await? {
        let Some(other) = theirs.get(&mine.position) else { continue };
        let same_name = |a: &publication_author::Model| {
            a.family.as_deref().or(a.literal.as_deref()).map(medist_biblio::normalize::fold)
        };
        if same_name(&mine).is_none() || same_name(&mine) != same_name(other) {
            continue;
        }
        let mut am: publication_author::ActiveModel = mine.clone().into();
        let mut changed = false;
        if mine.person_id.is_none() && other.person_id.is_some() {
            am.person_id = Set(other.person_id);
            am.candidate_person_id = Set(None);
            am.candidate_level = Set(None);
            filled.authors_linked += 1;
            changed = true;
        }
        let mut detail = false;
        if !mine.is_first && other.is_first {
            am.is_first = Set(true);
            detail = true;
        }
        if !mine.is_corresponding && other.is_corresponding {
            am.is_corresponding = Set(true);
            detail = true;
        }
        if mine.affiliation.is_none() && other.affiliation.is_some() {
            am.affiliation = Set(other.affiliation.clone());
            detail = true;
        }
        filled.author_details += u32::from(detail);
        if changed || detail {
            am.update(txn).await?;
        }
    }
    let have: HashSet<i64> = publication_project::Entity::find()
        .filter(publication_project::Column::PublicationId.eq(into))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.project_id)
        .collect();
    for link in
        publication_project::Entity::find().filter(publication_project::Column::PublicationId.eq(from)).all(txn).await?
    {
        if have.contains(&link.project_id) {
            continue;
        }
        publication_project::ActiveModel {
            publication_id: Set(into),
            project_id: Set(link.project_id),
            linked_how: Set(link.linked_how),
            linked_by: Set(link.linked_by),
            linked_at: Set(link.linked_at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        filled.projects += 1;
    }
    Ok(filled)
}

/// What a person may change about an author of a publication: the roles. `None` leaves a role as it is.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorRoles {
    /// A first author (co-first authors are all first authors).
    pub is_first: Option<bool>,
    /// A corresponding author.
    pub is_corresponding: Option<bool>,
}

/// Sets an author's roles (first, corresponding), recorded in the audit log. A publication keeps at least one first
/// author: taking the role from its last first author is refused.
pub async fn set_author_roles(
    db: &Db,
    who: &Who,
    author_id: i64,
    roles: AuthorRoles,
) -> Result<publication_author::Model, StoreError> {
    let txn = db.write().await?;
    let a = publication_author::Entity::find_by_id(author_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("author", author_id))?;
    if roles.is_first == Some(false) && a.is_first {
        let firsts = publication_author::Entity::find()
            .filter(publication_author::Column::PublicationId.eq(a.publication_id))
            .filter(publication_author::Column::IsFirst.eq(true))
            .count(&txn)
            .await?;
        if firsts <= 1 {
            return Err(StoreError::Conflict { code: "last-first-author", field: Some("is_first") });
        }
    }
    let mut am: publication_author::ActiveModel = a.clone().into();
    if let Some(v) = roles.is_first {
        am.is_first = Set(v);
    }
    if let Some(v) = roles.is_corresponding {
        am.is_corresponding = Set(v);
    }
    let after = am.update(&txn).await?;
    record(&txn, who, "author.roles", "publication", a.publication_id, Some(json!(a)), Some(json!(after))).await?;
    txn.commit().await?;
    Ok(after)
}

/// A project a publication is linked to, with the project's code and titles.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedProject {
    pub link: publication_project::Model,
    pub code: String,
    pub title_ko: String,
    pub title_en: String,
}

/// The projects a publication is linked to, by code.
pub async fn projects_of(db: &Db, publication_id: i64) -> Result<Vec<LinkedProject>, StoreError> {
    use crate::entities::project;
    let links = publication_project::Entity::find()
        .filter(publication_project::Column::PublicationId.eq(publication_id))
        .all(&db.conn)
        .await?;
    let projects: HashMap<i64, project::Model> = project::Entity::find()
        .filter(project::Column::Id.is_in(links.iter().map(|l| l.project_id).collect::<Vec<_>>()))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out: Vec<LinkedProject> = links
        .into_iter()
        .filter_map(|link| {
            let p = projects.get(&link.project_id)?;
            Some(LinkedProject {
                code: p.code.clone(),
                title_ko: p.title_ko.clone(),
                title_en: p.title_en.clone(),
                link,
            })
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// The consortium's projects not linked to the publication that one of its authors (linked to a person) is a member
/// of: the likely ones to link, for the publication page to offer first.
pub async fn suggested_projects(
    db: &Db,
    publication_id: i64,
) -> Result<Vec<crate::entities::project::Model>, StoreError> {
    use crate::entities::{project, project_member};
    let p = get(db, publication_id).await?;
    let people: Vec<i64> = authors(db, publication_id).await?.into_iter().filter_map(|a| a.person_id).collect();
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let linked: HashSet<i64> = projects_of(db, publication_id).await?.into_iter().map(|l| l.link.project_id).collect();
    let member_of: HashSet<i64> = project_member::Entity::find()
        .filter(project_member::Column::PersonId.is_in(people))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|m| m.project_id)
        .filter(|id| !linked.contains(id))
        .collect();
    Ok(project::Entity::find()
        .filter(project::Column::Id.is_in(member_of.into_iter().collect::<Vec<_>>()))
        .filter(project::Column::ConsortiumId.eq(p.consortium_id))
        .order_by_asc(project::Column::Code)
        .all(&db.conn)
        .await?)
}

/// Links a publication to a project of its own consortium (refused for another consortium's project, and when the
/// link exists), recorded in the audit log.
pub async fn link_project(
    db: &Db,
    who: &Who,
    publication_id: i64,
    project_id: i64,
) -> Result<publication_project::Model, StoreError> {
    use crate::entities::project;
    let txn = db.write().await?;
    let p = publication::Entity::find_by_id(publication_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("publication", publication_id))?;
    let project = project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .filter(|x| x.consortium_id == p.consortium_id)
        .ok_or_else(|| StoreError::invalid("project_id", "not-found"))?;
    let exists = publication_project::Entity::find()
        .filter(publication_project::Column::PublicationId.eq(publication_id))
        .filter(publication_project::Column::ProjectId.eq(project_id))
        .one(&txn)
        .await?;
    if exists.is_some() {
        return Err(StoreError::Conflict { code: "already-linked", field: Some("project_id") });
    }
    let link = publication_project::ActiveModel {
        publication_id: Set(publication_id),
        project_id: Set(project_id),
        linked_how: Set(LINKED_BY_PERSON.into()),
        linked_by: Set(who.label.clone()),
        linked_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        who,
        "project.link",
        "publication",
        publication_id,
        None,
        Some(json!({"project_id": project_id, "project_code": project.code})),
    )
    .await?;
    txn.commit().await?;
    Ok(link)
}

/// Removes the link between a publication and a project, recorded in the audit log.
pub async fn unlink_project(db: &Db, who: &Who, publication_id: i64, project_id: i64) -> Result<(), StoreError> {
    let txn = db.write().await?;
    let link = publication_project::Entity::find()
        .filter(publication_project::Column::PublicationId.eq(publication_id))
        .filter(publication_project::Column::ProjectId.eq(project_id))
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("publication_project", format!("{publication_id}/{project_id}")))?;
    publication_project::Entity::delete_by_id(link.id).exec(&txn).await?;
    record(&txn, who, "project.unlink", "publication", publication_id, Some(json!(link)), None).await?;
    txn.commit().await?;
    Ok(())
}

/// The publications linked to a project, newest first.
pub async fn publications_of_project(db: &Db, project_id: i64) -> Result<Vec<publication::Model>, StoreError> {
    let ids: Vec<i64> = publication_project::Entity::find()
        .filter(publication_project::Column::ProjectId.eq(project_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|l| l.publication_id)
        .collect();
    let mut pubs = get_many(db, &ids).await?;
    pubs.sort_by(|a, b| b.year.cmp(&a.year).then(a.id.cmp(&b.id)));
    Ok(pubs)
}
