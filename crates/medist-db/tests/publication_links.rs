//! A publication's authors (order, first and corresponding authors, affiliations) and the research projects it came
//! from, on SQLite and PostgreSQL: roles and affiliations as the sources give them (a real PubMed excerpt with
//! co-first authors), links made at import from the project codes in the acknowledged grants, links made and removed
//! by a person, and a merge of possible duplicates that keeps what only the removed record knew.

use medist_biblio::{BibtexReader, CsvReader, PubmedReader};
use medist_db::entities::{project, publication};
use medist_db::outputs::{self, AuthorRoles, ImportOptions, PublicationFilter};
use medist_db::{StoreError, Who, demo, testing};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../medist-biblio/tests/data").join(name))
        .unwrap()
}

fn opts(name: &str) -> ImportOptions {
    ImportOptions { source_name: name.into(), ..Default::default() }
}

async fn by_doi(db: &medist_db::Db, c: i64, doi: &str) -> publication::Model {
    let f = PublicationFilter { q: Some(doi.into()), year: None };
    let found = outputs::list(db, c, &f, Default::default()).await.unwrap().items;
    assert_eq!(found.len(), 1, "{doi}");
    found.into_iter().next().unwrap()
}

async fn audit_of(db: &medist_db::Db, publication_id: i64) -> Vec<medist_core::audit::AuditEntry> {
    let f = medist_db::audit::AuditFilter {
        entity: Some("publication".into()),
        entity_id: Some(publication_id.to_string()),
        ..Default::default()
    };
    medist_db::audit::list(db, &f, Default::default()).await.unwrap().items
}

async fn project_by_code(db: &medist_db::Db, code: &str) -> project::Model {
    project::Entity::find().filter(project::Column::Code.eq(code)).one(&db.conn).await.unwrap().unwrap()
}

#[tokio::test]
async fn roles_and_affiliations_come_from_the_sources() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    let who = Who::system("importer");
    let xml = data("pubmed_equal_contrib.xml");
    let r = outputs::import(
        &t.db,
        &who,
        c,
        PubmedReader::new(std::io::Cursor::new(xml)),
        &opts("pubmed_equal_contrib.xml"),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((r.created, r.error_count), (2, 0), "{r:?}");
    let list =
        outputs::list(&t.db, c, &PublicationFilter { q: Some("25609688".into()), year: None }, Default::default())
            .await
            .unwrap();
    let authors = outputs::authors(&t.db, list.items[0].id).await.unwrap();
    let firsts: Vec<bool> = authors.iter().map(|a| a.is_first).collect();
    assert_eq!(&firsts[..3], [true, true, false], "co-first authors by EqualContrib");
    assert_eq!(authors.iter().filter(|a| a.is_first).count(), 2);
    assert!(authors[0].affiliation.as_deref().is_some_and(|a| !a.is_empty()), "{:?}", authors[0]);
    let other =
        outputs::list(&t.db, c, &PublicationFilter { q: Some("31792674".into()), year: None }, Default::default())
            .await
            .unwrap();
    let authors = outputs::authors(&t.db, other.items[0].id).await.unwrap();
    assert_eq!(authors.iter().filter(|a| a.is_first).map(|a| a.position).collect::<Vec<_>>(), [1]);

    let csv = "논문명,발행연도,저자,교신저자,사사\n\
               Corresponding author test,2026,\"Kim, Tae; Park, Seojun\",\"Park, Seojun\",MIR-2026-03 K-MediST\n";
    let r = outputs::import(
        &t.db,
        &who,
        c,
        CsvReader::new(std::io::Cursor::new(csv.as_bytes().to_vec())),
        &opts("list.csv"),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((r.created, r.project_links), (1, 1), "{r:?}");
    let p = outputs::list(
        &t.db,
        c,
        &PublicationFilter { q: Some("Corresponding author test".into()), year: None },
        Default::default(),
    )
    .await
    .unwrap()
    .items
    .remove(0);
    let authors = outputs::authors(&t.db, p.id).await.unwrap();
    assert_eq!(
        authors.iter().map(|a| (a.is_first, a.is_corresponding)).collect::<Vec<_>>(),
        [(true, false), (false, true)]
    );
    assert!(authors[1].person_id.is_some(), "Park, Seojun is the demo's faculty member");
    let linked = outputs::projects_of(&t.db, p.id).await.unwrap();
    assert_eq!(
        linked.iter().map(|l| (l.code.as_str(), l.link.linked_how.as_str())).collect::<Vec<_>>(),
        [("MIR-2026-03", "grant")]
    );
}

#[tokio::test]
async fn projects_are_linked_by_their_codes_at_import_and_by_hand() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    // The demo's first sample paper names MIR-2026-01 in its grant acknowledgment.
    let sample = by_doi(&t.db, c, "10.5555/miracle.sample.2026.001").await;
    let linked = outputs::projects_of(&t.db, sample.id).await.unwrap();
    assert_eq!(linked.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["MIR-2026-01"]);
    let mir01 = project_by_code(&t.db, "MIR-2026-01").await;
    let on_project = outputs::publications_of_project(&t.db, mir01.id).await.unwrap();
    assert!(on_project.iter().any(|p| p.id == sample.id));

    // The paper's first author (박서준) leads projects: those are suggested, the linked one is not.
    let suggested = outputs::suggested_projects(&t.db, sample.id).await.unwrap();
    assert!(!suggested.is_empty());
    assert!(suggested.iter().all(|p| p.id != mir01.id && p.consortium_id == c));

    let office = Who::system("office");
    let other = project_by_code(&t.db, "MIR-2026-02").await;
    let link = outputs::link_project(&t.db, &office, sample.id, other.id).await.unwrap();
    assert_eq!((link.linked_how.as_str(), link.linked_by.as_str()), ("person", office.label.as_str()));
    let again = outputs::link_project(&t.db, &office, sample.id, other.id).await;
    assert!(matches!(again, Err(StoreError::Conflict { code: "already-linked", .. })), "{again:?}");
    let missing = outputs::link_project(&t.db, &office, sample.id, 999_999).await;
    assert!(matches!(missing, Err(StoreError::Invalid(_))), "{missing:?}");
    assert_eq!(outputs::projects_of(&t.db, sample.id).await.unwrap().len(), 2);
    outputs::unlink_project(&t.db, &office, sample.id, other.id).await.unwrap();
    assert_eq!(outputs::projects_of(&t.db, sample.id).await.unwrap().len(), 1);
    let gone = outputs::unlink_project(&t.db, &office, sample.id, other.id).await;
    assert!(matches!(gone, Err(StoreError::NotFound { .. })), "{gone:?}");
    // Every change is in the audit log, which still verifies.
    let log = audit_of(&t.db, sample.id).await;
    assert!(log.iter().any(|e| e.action == "project.link") && log.iter().any(|e| e.action == "project.unlink"));
    assert!(medist_db::audit::verify(&t.db).await.unwrap().broken.is_none());
}

#[tokio::test]
async fn roles_are_corrected_but_a_paper_keeps_a_first_author() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    let p = by_doi(&t.db, c, "10.5555/miracle.sample.2026.002").await;
    let authors = outputs::authors(&t.db, p.id).await.unwrap();
    let who = Who::system("office");
    let (first, second) = (authors[0].id, authors[1].id);
    let refused =
        outputs::set_author_roles(&t.db, &who, first, AuthorRoles { is_first: Some(false), ..Default::default() })
            .await;
    assert!(matches!(refused, Err(StoreError::Conflict { code: "last-first-author", .. })), "{refused:?}");
    // A co-first author, then the first one can give the role up; the corresponding author is marked.
    let a = outputs::set_author_roles(
        &t.db,
        &who,
        second,
        AuthorRoles { is_first: Some(true), is_corresponding: Some(true) },
    )
    .await
    .unwrap();
    assert!(a.is_first && a.is_corresponding);
    outputs::set_author_roles(&t.db, &who, first, AuthorRoles { is_first: Some(false), ..Default::default() })
        .await
        .unwrap();
    let after = outputs::authors(&t.db, p.id).await.unwrap();
    assert_eq!(
        after.iter().map(|a| (a.is_first, a.is_corresponding)).collect::<Vec<_>>()[..2],
        [(false, false), (true, true)]
    );
}

#[tokio::test]
async fn merging_a_duplicate_keeps_what_only_it_knew() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    let who = Who::system("importer");
    // The same paper twice, the second with a slightly different title (a possible duplicate): only the second has
    // a DOI, a page range, a grant naming a project and its first author's ORCID-free link to the demo's 박서준.
    let bib = "@article{old, author = {Park, S. and Lee, Haeun}, title = {Tumour infiltrating lymphocytes and checkpoint response}, journal = {Oncology Reports}, year = 2026}\n\
               @article{new, author = {Park, Seojun and Lee, Haeun}, title = {Tumour-infiltrating lymphocytes and checkpoint responses}, journal = {Oncology Reports}, year = 2026, pages = {10--20}, doi = {10.5555/merge.test.1}, funding = {MIR-2026-04}}\n";
    let r = outputs::import(
        &t.db,
        &who,
        c,
        BibtexReader::new(std::io::Cursor::new(bib.as_bytes().to_vec())),
        &opts("pair.bib"),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((r.created, r.to_review, r.project_links), (2, 1, 1), "{r:?}");
    let queue = outputs::review_queue(&t.db, c).await.unwrap();
    let (candidate, imported, existing) =
        queue.iter().find(|(_, n, _)| n.doi.as_deref() == Some("10.5555/merge.test.1")).unwrap();
    assert!(existing.doi.is_none());
    let existing_first = outputs::authors(&t.db, existing.id).await.unwrap().remove(0);
    assert!(existing_first.person_id.is_none(), "`Park, S.` is only a candidate: {existing_first:?}");
    outputs::decide(&t.db, &Who::system("office"), candidate.id, true).await.unwrap();

    assert!(outputs::get(&t.db, imported.id).await.is_err(), "the imported record is gone");
    let kept = outputs::get(&t.db, existing.id).await.unwrap();
    assert_eq!((kept.doi.as_deref(), kept.pages.as_deref()), (Some("10.5555/merge.test.1"), Some("10-20")));
    assert!(kept.funding.contains("MIR-2026-04"));
    let first = outputs::authors(&t.db, existing.id).await.unwrap().remove(0);
    assert!(first.person_id.is_some(), "the removed record's sure link to 박서준 carries over: {first:?}");
    let projects = outputs::projects_of(&t.db, existing.id).await.unwrap();
    assert_eq!(projects.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["MIR-2026-04"]);
    let entries = audit_of(&t.db, imported.id).await;
    let merge = entries.iter().find(|e| e.action == "merge").unwrap();
    let after = merge.after.clone().unwrap();
    assert_eq!(after["filled"]["projects"], 1, "{after}");
    assert!(after["filled"]["fields"].as_array().unwrap().iter().any(|f| f == "doi"), "{after}");
    // Importing the removed record again adds nothing: the kept one has its DOI now.
    let again = outputs::import(
        &t.db,
        &who,
        c,
        BibtexReader::new(std::io::Cursor::new(bib.as_bytes().to_vec())),
        &opts("pair.bib"),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((again.created, again.duplicates), (0, 2), "{again:?}");
}
