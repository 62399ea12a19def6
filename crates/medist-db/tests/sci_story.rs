//! SCI status over the storage layer, on SQLite by default and PostgreSQL with `MEDIST_TEST_DATABASE_URL`: the
//! demo's sample list makes its sample papers SCI-level for their own year only; the SCI-papers KPI counts them;
//! loading a year again replaces that year as a whole; authors are linked to people by their names.

use medist_biblio::sci::journal_entry;
use medist_db::entities::{publication, publication_author};
use medist_db::{Who, demo, kpi, sci, testing};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn who() -> Who {
    Who::system("test")
}

#[tokio::test]
async fn the_sample_list_decides_which_sample_papers_are_sci_level_and_the_kpi_counts_them() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let c = s.consortium_id;

    let years = sci::years(&t.db, c).await.unwrap();
    assert_eq!(years.len(), 1);
    assert_eq!((years[0].year, years[0].journals), (2026, 8));
    assert_eq!(years[0].editions.get("SCIE"), Some(&7));
    assert_eq!(years[0].editions.get("ESCI"), Some(&1));

    let pubs =
        publication::Entity::find().filter(publication::Column::ConsortiumId.eq(c)).all(&t.db.conn).await.unwrap();
    assert_eq!(pubs.len(), 10);
    assert!(pubs.iter().all(|p| p.is_sample));
    let ix = sci::index(&t.db, c).await.unwrap();
    let st = |doi: &str| {
        let p = pubs.iter().find(|p| p.doi.as_deref() == Some(doi)).unwrap();
        sci::status(&ix, p.issn.as_deref(), p.eissn.as_deref(), p.year)
    };
    // Listed by its eISSN although the paper gives it as the print ISSN.
    assert!(st("10.5555/miracle.sample.2026.001").sci_level);
    assert_eq!(st("10.5555/miracle.sample.2026.001").edition.as_deref(), Some("SCIE"));
    let esci = st("10.5555/miracle.sample.2026.008");
    assert!(!esci.sci_level && esci.edition.as_deref() == Some("ESCI") && esci.list_loaded);
    let y2025 = st("10.5555/miracle.sample.2025.009");
    assert!(!y2025.sci_level && !y2025.list_loaded, "no list for 2025: not counted, and shown as unknown");

    // Authors written "Park, Seojun" are linked to the sample faculty member; "T. Kim" (initials) is left alone.
    let authors = publication_author::Entity::find().all(&t.db.conn).await.unwrap();
    assert!(authors.iter().filter(|a| a.person_id.is_some()).count() >= 20, "{authors:?}");
    let kim = authors.iter().find(|a| a.family.as_deref() == Some("Kim")).unwrap();
    assert_eq!(kim.person_id, None, "an initial alone is not enough to link");
    assert_eq!(kim.candidate_level.as_deref(), Some("unsure"), "… but the director is suggested for confirmation");
    let waiting = medist_db::outputs::author_candidates(&t.db, c, None).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].person_name_en, "Tae Kim");
    let linked = medist_db::outputs::decide_author(&t.db, &who(), kim.id, true).await.unwrap();
    assert_eq!(linked.person_id, waiting[0].person_id.into());
    assert!(medist_db::outputs::author_candidates(&t.db, c, None).await.unwrap().is_empty());
    assert!(medist_db::outputs::decide_author(&t.db, &who(), kim.id, false).await.is_err(), "decided once");

    // The KPI: SCI-level, a consortium author, the grant acknowledged: papers 1, 2, 3, 4, 6 and 7 of 2026.
    let k = kpi::list(&t.db, c).await.unwrap().into_iter().find(|k| k.code == "sci_papers").unwrap();
    let v = kpi::evaluate_kpi(&t.db, k).await.unwrap();
    assert!(v.rule_errors.is_empty(), "{:?}", v.rule_errors);
    let v = v.value.unwrap();
    assert_eq!(v.total, 6, "{:?}", v.counted);
    assert_eq!(v.by_year.get(&2026), Some(&6));

    // Loading 2026 again replaces the year: without Radiology, paper 2 is no longer SCI-level.
    let list: Vec<_> = medist_db::demo_outputs::sample_sci_list()
        .unwrap()
        .into_iter()
        .filter(|e| e.issn.as_deref() != Some("0033-8419"))
        .chain([journal_entry("Nature", "0028-0836", "1476-4687", "SCIE", Some(2025)).unwrap()])
        .collect();
    let r = sci::replace_years(&t.db, &who(), c, &list, "list-2.csv").await.unwrap();
    assert_eq!(r.iter().map(|x| (x.year, x.removed, x.added)).collect::<Vec<_>>(), vec![(2025, 0, 1), (2026, 8, 7)]);
    let k = kpi::list(&t.db, c).await.unwrap().into_iter().find(|k| k.code == "sci_papers").unwrap();
    assert_eq!(kpi::evaluate_kpi(&t.db, k).await.unwrap().value.unwrap().total, 5);
    assert_eq!(sci::delete_year(&t.db, &who(), c, 2025).await.unwrap(), 1);
    assert!(sci::delete_year(&t.db, &who(), c, 2025).await.is_err(), "nothing left to delete");
}
