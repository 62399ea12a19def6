//! Publication imports on real excerpts (sources named in crates/medist-biblio/tests/data/README.md),
//! on SQLite and PostgreSQL: counts, re-import adds nothing, the same records in another format are
//! recognised, a damaged file writes nothing, possible duplicates go to the review queue.

use medist_biblio::{BibtexReader, PubmedReader, RisReader};
use medist_db::outputs::{self, ImportOptions};
use medist_db::{Page, Who, demo, testing};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../medist-biblio/tests/data").join(name))
        .unwrap()
}

fn opts(name: &str) -> ImportOptions {
    ImportOptions { source_name: name.into(), ..Default::default() }
}

#[tokio::test]
async fn imports_are_idempotent_and_recognise_the_same_work_across_formats() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    // The demo's sample publications are there before any import.
    let base = outputs::count(&t.db, c).await.unwrap();
    let who = Who::system("importer");
    let bib = data("tugboat_excerpt.bib");
    let r = outputs::import(
        &t.db,
        &who,
        c,
        BibtexReader::new(std::io::Cursor::new(bib.to_vec())),
        &opts("tugboat_excerpt.bib"),
        |_| {},
    )
    .await
    .unwrap();
    assert!(r.committed);
    assert_eq!((r.read, r.created, r.duplicates, r.error_count), (2, 2, 0, 0), "{r:?}");
    let again = outputs::import(
        &t.db,
        &who,
        c,
        BibtexReader::new(std::io::Cursor::new(bib.to_vec())),
        &opts("tugboat_excerpt.bib"),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((again.created, again.duplicates), (0, 2), "re-importing adds nothing");

    let xml = data("pubmed_excerpt.xml");
    let r = outputs::import(
        &t.db,
        &who,
        c,
        PubmedReader::new(std::io::Cursor::new(xml.to_vec())),
        &opts("pubmed_excerpt.xml"),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((r.read, r.created), (3, 3), "{r:?}");
    let ris = data("pubmed20n0014_excerpt.ris");
    let r = outputs::import(
        &t.db,
        &who,
        c,
        RisReader::new(std::io::Cursor::new(ris.to_vec())),
        &opts("excerpt.ris"),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(r.read, 3, "the byte-order mark does not hide the first record");
    assert_eq!(r.created + r.duplicates, 3);
    assert_eq!(outputs::count(&t.db, c).await.unwrap(), base + 5 + r.created);
    // The import is one audit entry naming the file, and the chain holds.
    let log = medist_db::audit::list(
        &t.db,
        &medist_db::audit::AuditFilter { entity: Some("publication".into()), ..Default::default() },
        Page::default(),
    )
    .await
    .unwrap();
    assert!(log.items.iter().any(|e| e.action == "import" && e.entity_id == "tugboat_excerpt.bib"));
    assert!(medist_db::audit::verify(&t.db).await.unwrap().broken.is_none());
}

#[tokio::test]
async fn a_damaged_file_writes_nothing_unless_valid_only_is_asked() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    // The demo's sample publications are there before any import.
    let base = outputs::count(&t.db, c).await.unwrap();
    let who = Who::system("importer");
    let mut bib = data("tugboat_excerpt.bib");
    bib.extend_from_slice(b"\n@article{broken, title = {Unbalanced {braces}, year = 2026,\n");
    let r = outputs::import(
        &t.db,
        &who,
        c,
        BibtexReader::new(std::io::Cursor::new(bib.to_vec())),
        &opts("damaged.bib"),
        |_| {},
    )
    .await
    .unwrap();
    assert!(!r.committed);
    assert!(r.error_count >= 1);
    assert!(r.errors[0].starts_with("damaged.bib: BibTeX line"), "{:?}", r.errors);
    assert_eq!(outputs::count(&t.db, c).await.unwrap(), base, "all or nothing");
    let dry = outputs::import(
        &t.db,
        &who,
        c,
        BibtexReader::new(std::io::Cursor::new(bib.to_vec())),
        &ImportOptions { dry_run: true, ..opts("damaged.bib") },
        |_| {},
    )
    .await
    .unwrap();
    assert!(!dry.committed && dry.created == 2);
    assert_eq!(outputs::count(&t.db, c).await.unwrap(), base, "a dry run writes nothing");
    let valid = outputs::import(
        &t.db,
        &who,
        c,
        BibtexReader::new(std::io::Cursor::new(bib.to_vec())),
        &ImportOptions { valid_only: true, ..opts("damaged.bib") },
        |_| {},
    )
    .await
    .unwrap();
    assert!(valid.committed);
    assert_eq!(outputs::count(&t.db, c).await.unwrap(), base + 2);
}

#[tokio::test]
async fn near_duplicates_wait_for_a_person() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    // The demo's sample publications are there before any import.
    let base = outputs::count(&t.db, c).await.unwrap();
    let who = Who::system("importer");
    let a = b"@article{a, author = {Kim, Tae and Park, Seojun}, title = {Multimodal prediction of immunotherapy response in lung cancer}, journal = {J Test}, year = 2026}\n";
    let b = b"@article{b, author = {Kim, Tae}, title = {Multimodal prediction of immunotherapy responses in lung cancer}, journal = {J Test}, year = 2026}\n";
    outputs::import(&t.db, &who, c, BibtexReader::new(std::io::Cursor::new(a.to_vec())), &opts("a.bib"), |_| {})
        .await
        .unwrap();
    let r =
        outputs::import(&t.db, &who, c, BibtexReader::new(std::io::Cursor::new(b.to_vec())), &opts("b.bib"), |_| {})
            .await
            .unwrap();
    assert_eq!((r.created, r.to_review), (1, 1), "{r:?}");
    let queue = outputs::review_queue(&t.db, c).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert!(queue[0].0.similarity >= 90);
    outputs::decide(&t.db, &Who::system("office"), queue[0].0.id, true).await.unwrap();
    assert_eq!(outputs::count(&t.db, c).await.unwrap(), base + 1, "merged into the existing record");
    assert!(outputs::review_queue(&t.db, c).await.unwrap().is_empty());
    let again = outputs::decide(&t.db, &who, queue[0].0.id, false).await;
    assert!(matches!(again, Err(medist_db::StoreError::NotFound { .. })), "a merged candidate is gone: {again:?}");
    assert!(medist_db::audit::verify(&t.db).await.unwrap().broken.is_none());
}

/// A title of random words, far from every other (so no pair is a possible duplicate by chance).
fn random_title(i: u64) -> String {
    let mut x = i.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..42)
        .map(|k| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            if k % 7 == 6 { ' ' } else { char::from(b'a' + ((x >> 33) % 26) as u8) }
        })
        .collect()
}

/// More records than one chunk of the import: the same work is recognised across chunks by title, year and first
/// author (also without an author, and without a year), a recurring column with other pages is not, each
/// publication gets its own authors in order, and importing again adds nothing.
#[tokio::test]
async fn the_same_work_is_recognised_across_chunks() {
    let t = testing::fresh().await.unwrap();
    let c = demo::load(&t.db, &Who::system("t")).await.unwrap().consortium_id;
    let base = outputs::count(&t.db, c).await.unwrap();
    let who = Who::system("importer");
    let entry = |key: &str, i: u64, pages: &str| {
        let author = if i.is_multiple_of(100) {
            String::new()
        } else {
            format!("author = {{Author{}, Ann and Second{i}, Bo}},", i % 50)
        };
        let year = if i.is_multiple_of(7) { String::new() } else { format!("year = {},", 2000 + i % 3) };
        format!(
            "@article{{{key}, {author} title = {{{}}}, journal = {{J}}, {year} pages = {{{pages}}}}}\n",
            random_title(i)
        )
    };
    let mut bib: String = (0..1200).map(|i| entry(&format!("r{i}"), i, "1-2")).collect();
    // Copies in later chunks: with an author, without one (record 100), without a year (record 7).
    for i in [10, 100, 7] {
        bib.push_str(&entry(&format!("copy{i}"), i, "1-2"));
    }
    // A recurring column: same title, year and first author as record 20, other pages.
    bib.push_str(&entry("column20", 20, "5-6"));
    let import = |bib: String| {
        let db = t.db.clone();
        let who = who.clone();
        async move {
            outputs::import(
                &db,
                &who,
                c,
                BibtexReader::new(std::io::Cursor::new(bib.into_bytes())),
                &opts("many.bib"),
                |_| {},
            )
            .await
            .unwrap()
        }
    };
    let r = import(bib.clone()).await;
    assert!(r.committed, "{r:?}");
    assert_eq!((r.read, r.created, r.duplicates, r.to_review, r.error_count), (1204, 1201, 3, 0, 0), "{r:?}");
    assert_eq!(outputs::count(&t.db, c).await.unwrap(), base + 1201);
    // Every publication has its own two authors (or none), in order.
    for i in [1u64, 499, 501, 999, 1001, 1199] {
        let title = random_title(i);
        let found = outputs::list(
            &t.db,
            c,
            &outputs::PublicationFilter { q: Some(title.clone()), year: None },
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(found.items.len(), 1, "record {i}");
        let authors = outputs::authors(&t.db, found.items[0].id).await.unwrap();
        let names: Vec<_> = authors.iter().map(|a| (a.position, a.family.clone().unwrap_or_default())).collect();
        assert_eq!(names, vec![(1, format!("Author{}", i % 50)), (2, format!("Second{i}"))], "record {i}");
    }
    let again = import(bib).await;
    assert_eq!((again.created, again.duplicates), (0, 1204), "re-importing adds nothing: {again:?}");
    assert!(medist_db::audit::verify(&t.db).await.unwrap().broken.is_none());
}
