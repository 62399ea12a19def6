//! `medist demo generate` at a tiny scale, on SQLite by default and on PostgreSQL with
//! `MEDIST_TEST_DATABASE_URL=postgres://…`: the counts are right, the same seed writes the same data, the audit chain
//! holds and the data version moved, and a database with real records is refused.

use medist_db::demo_national::{self as national, Spec};
use medist_db::entities::{
    consortium, kpi, patent_event, patent_family, person, publication, publication_author, trainee,
};
use medist_db::{StoreError, Who, audit, demo, testing, version};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};

fn tiny(seed: u64) -> Spec {
    Spec { seed, consortia: 2, people: 60, publications: 150, patents: 12 }
}

async fn generate(db: &medist_db::Db, spec: &Spec) -> Result<national::GenSummary, StoreError> {
    let mut seen = 0usize;
    let r = national::generate(db, &Who::system("test"), spec, false, &mut |p| {
        if p.committed {
            seen += 1;
        }
    })
    .await;
    if r.is_ok() {
        assert_eq!(seen, spec.consortia, "one progress line per committed consortium");
    }
    r
}

/// What a data set holds, independent of ids.
async fn fingerprint(db: &medist_db::Db) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in person::Entity::find().order_by_asc(person::Column::Id).all(&db.conn).await.unwrap() {
        out.push(format!("{} {} {}", p.name_ko, p.name_en, p.email));
    }
    for p in publication::Entity::find().order_by_asc(publication::Column::Id).all(&db.conn).await.unwrap() {
        out.push(format!("{} {:?} {} {:?} {}", p.title, p.year, p.journal, p.doi, p.funding));
    }
    for a in
        publication_author::Entity::find().order_by_asc(publication_author::Column::Id).all(&db.conn).await.unwrap()
    {
        out.push(format!("{} {:?} {:?} {}", a.position, a.family, a.given, a.person_id.is_some()));
    }
    for e in patent_event::Entity::find().order_by_asc(patent_event::Column::Id).all(&db.conn).await.unwrap() {
        out.push(format!("{} {} {:?}", e.kind, e.event_date, e.number));
    }
    out
}

#[tokio::test]
async fn a_tiny_national_set_has_the_counts_asked_for_and_is_reproducible() {
    let t = testing::fresh().await.unwrap();
    let before = version::current(&t.db).await.unwrap();
    let s = generate(&t.db, &tiny(11)).await.unwrap();
    assert_eq!((s.consortia, s.people, s.publications, s.patent_families, s.kpis), (2, 60, 150, 12, 12));
    let c = &t.db.conn;
    assert_eq!(consortium::Entity::find().count(c).await.unwrap(), 2);
    assert_eq!(person::Entity::find().count(c).await.unwrap(), 60);
    assert_eq!(publication::Entity::find().count(c).await.unwrap(), 150);
    assert_eq!(publication_author::Entity::find().count(c).await.unwrap(), s.authors);
    assert_eq!(patent_family::Entity::find().count(c).await.unwrap(), 12);
    assert_eq!(patent_event::Entity::find().count(c).await.unwrap(), s.patent_events);
    assert_eq!(trainee::Entity::find().count(c).await.unwrap(), s.trainees);
    assert_eq!(kpi::Entity::find().count(c).await.unwrap(), 12);
    assert!(s.authors >= 150 && s.authors <= 150 * 15);
    // Everything is sample data.
    assert_eq!(national::real_records(&t.db).await.unwrap(), 0);
    // One audit entry per consortium (and the program's), the chain verifies, and the data version moved.
    let v = audit::verify(&t.db).await.unwrap();
    assert!(v.broken.is_none(), "{v:?}");
    let after = version::current(&t.db).await.unwrap();
    assert_eq!(after.seq, before.seq + 3);
    // Every KPI rule evaluates on the generated records, and papers, projects and patents are counted.
    for k in medist_db::kpi::list(&t.db, consortium::Entity::find().one(c).await.unwrap().unwrap().id).await.unwrap() {
        let code = k.code.clone();
        let r = medist_db::kpi::evaluate_kpi(&t.db, k).await.unwrap();
        assert!(r.rule_errors.is_empty(), "{code}: {:?}", r.rule_errors);
        if ["sci_papers", "projects", "patent_applications"].contains(&code.as_str()) {
            assert!(r.value.unwrap().total > 0, "{code} counts something");
        }
    }

    // The same seed into another database writes the same data; another seed writes other data.
    let t2 = testing::fresh().await.unwrap();
    generate(&t2.db, &tiny(11)).await.unwrap();
    assert_eq!(fingerprint(&t.db).await, fingerprint(&t2.db).await);
    let t3 = testing::fresh().await.unwrap();
    generate(&t3.db, &tiny(12)).await.unwrap();
    assert_ne!(fingerprint(&t.db).await, fingerprint(&t3.db).await);
    // A second seed fits beside the first; the same seed twice is refused.
    generate(&t.db, &tiny(12)).await.unwrap();
    assert!(matches!(
        generate(&t.db, &tiny(12)).await,
        Err(StoreError::Conflict { code: "generated-seed-exists", .. })
    ));
}

#[tokio::test]
async fn a_database_with_real_records_is_refused_unless_allowed() {
    let t = testing::fresh().await.unwrap();
    demo::load(&t.db, &Who::system("test")).await.unwrap();
    assert!(national::real_records(&t.db).await.unwrap() > 0);
    let err = generate(&t.db, &tiny(3)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { code: "generate-needs-sample-database", .. }), "{err:?}");
    assert_eq!(consortium::Entity::find().count(&t.db.conn).await.unwrap(), 1, "nothing was written");
    // Allowed explicitly, it adds to the demo under the existing program.
    let s = national::generate(&t.db, &Who::system("test"), &tiny(3), true, &mut |_| {}).await.unwrap();
    assert_eq!(s.consortia, 2);
    assert_eq!(consortium::Entity::find().count(&t.db.conn).await.unwrap(), 3);
}

#[tokio::test]
async fn bad_counts_are_refused_before_anything_is_written() {
    let t = testing::fresh().await.unwrap();
    let bad = Spec { seed: 1, consortia: 0, people: 10, publications: 0, patents: 0 };
    assert!(matches!(generate(&t.db, &bad).await, Err(StoreError::Config(m)) if m.contains("--consortia")));
    assert_eq!(consortium::Entity::find().count(&t.db.conn).await.unwrap(), 0);
}

#[tokio::test]
async fn concurrent_version_reads_share_queries_and_see_every_commit() {
    let t = testing::fresh().await.unwrap();
    let gate = version::VersionGate::new(t.db.clone());
    let v0 = gate.read().await.unwrap();
    // A commit through another pool (another process) is seen by the next read.
    let other = t.second_pool().await.unwrap();
    medist_db::accounts::create_user(&other, &Who::system("test"), "someone", "Someone", "a-long-password-1", None)
        .await
        .unwrap();
    let v1 = gate.read().await.unwrap();
    assert!(v1.seq > v0.seq, "{v0:?} → {v1:?}");
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let g = gate.clone();
        tasks.push(tokio::spawn(async move { g.read().await.unwrap() }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), v1);
    }
}
