//! One story over the storage layer, run on SQLite by default and on PostgreSQL when
//! `MEDIST_TEST_DATABASE_URL=postgres://…` (as `.ci/run` does).

use medist_core::access::{Grant, Role};
use medist_core::org::{AppointmentInput, PersonInput};
use medist_db::audit::{self, AuditFilter};
use medist_db::entities::audit_log;
use medist_db::{Page, StoreError, Who, accounts, backup, demo, org, testing};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

fn who() -> Who {
    Who::system("test")
}

fn person_input(email: &str, inst: i64) -> PersonInput {
    PersonInput {
        name_ko: "홍길동".into(),
        name_en: "Gildong Hong".into(),
        email: email.into(),
        orcid: String::new(),
        institution_id: inst.to_string(),
        unit_id: String::new(),
    }
}

#[tokio::test]
async fn demo_loads_the_miracle_consortium_once() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    assert_eq!(s.institutions, 4);
    assert_eq!(s.demo_password.len(), 20);
    let on = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let o = org::consortium_overview(&t.db, s.consortium_id, on).await.unwrap();
    assert_eq!(o.consortium.code, "MIRACLE");
    assert_eq!(o.consortium.budget_total_krw, 19_400_000_000);
    assert_eq!(o.consortium.government_funding_krw, 16_600_000_000);
    assert_eq!(o.dedicated.physician_scientists, 6);
    assert_eq!(o.dedicated.medical_scientists, 12);
    assert_eq!(o.director.unwrap().name_en, "Tae Kim");
    assert_eq!(o.ministries.len(), 2);
    let names: Vec<_> = o.institutions.iter().map(|i| i.institution.short_name.as_str()).collect();
    assert_eq!(names, ["GIST", "CNU Medicine", "CNUH", "Hwasun CNUH"]);
    // A second load is refused and changes nothing.
    let before = audit::verify(&t.db).await.unwrap().checked;
    assert!(matches!(
        demo::load(&t.db, &who()).await,
        Err(StoreError::Conflict { code: "demo-needs-empty-database", .. })
    ));
    assert_eq!(audit::verify(&t.db).await.unwrap().checked, before);
    // Every demo account can log in with the one printed password.
    let u = accounts::authenticate(&t.db, "office@miracle.example", &s.demo_password, "127.0.0.1").await.unwrap();
    assert!(u.is_ok());
}

#[tokio::test]
async fn people_are_validated_unique_and_audited() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let inst = org::list_institutions(&t.db, Some(s.consortium_id), false).await.unwrap()[0].id;
    let f = person_input("new.person@gist.ac.kr", inst).validate().unwrap();
    let p = org::create_person(&t.db, &who(), f.clone(), false).await.unwrap();
    let dup = org::create_person(&t.db, &who(), f, false).await;
    assert!(matches!(dup, Err(StoreError::Conflict { code: "duplicate-email", field: Some("email") })));
    let bad_inst = person_input("x@gist.ac.kr", 9999).validate().unwrap();
    assert!(matches!(org::create_person(&t.db, &who(), bad_inst, false).await, Err(StoreError::Invalid(_))));

    let a = AppointmentInput {
        role: "researcher".into(),
        faculty_category: "medical_scientist".into(),
        dedicated: true,
        fte_percent: "100".into(),
        start_date: "2026-03-01".into(),
        end_date: String::new(),
    };
    org::add_appointment(&t.db, &who(), p.id, a.validate().unwrap()).await.unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    assert_eq!(org::dedicated_faculty(&t.db, s.consortium_id, on).await.unwrap().medical_scientists, 13);
    org::set_person_archived(&t.db, &who(), p.id, true).await.unwrap();
    assert_eq!(org::dedicated_faculty(&t.db, s.consortium_id, on).await.unwrap().medical_scientists, 12);

    let hist = audit::list(
        &t.db,
        &AuditFilter { entity: Some("person".into()), entity_id: Some(p.id.to_string()), ..Default::default() },
        Page::default(),
    )
    .await
    .unwrap();
    let actions: Vec<_> = hist.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["archive", "create"]);
    assert!(hist.items[0].before.is_some() && hist.items[0].after.is_some());

    let found =
        org::list_people(&t.db, &org::PeopleFilter { q: Some("서준".into()), ..Default::default() }, Page::default())
            .await
            .unwrap();
    assert_eq!(found.total, 1);
    let found =
        org::list_people(&t.db, &org::PeopleFilter { q: Some("SEOJUN".into()), ..Default::default() }, Page::default())
            .await
            .unwrap();
    assert_eq!(found.items[0].name_ko, "박서준");
}

#[tokio::test]
async fn audit_verify_names_the_first_altered_or_removed_entry() {
    let t = testing::fresh().await.unwrap();
    demo::load(&t.db, &who()).await.unwrap();
    let v = audit::verify(&t.db).await.unwrap();
    assert!(v.broken.is_none(), "{v:?}");
    assert!(v.checked > 40);
    let backend = t.db.backend();
    t.db.conn
        .execute_raw(Statement::from_string(backend, "UPDATE audit_log SET actor_label = 'mallory' WHERE seq = 7"))
        .await
        .unwrap();
    let v = audit::verify(&t.db).await.unwrap();
    assert_eq!(v.broken.map(|b| b.first_bad_seq()), Some(7));
    t.db.conn
        .execute_raw(Statement::from_string(backend, "DELETE FROM audit_log WHERE seq <= 9 AND seq >= 5"))
        .await
        .unwrap();
    let v = audit::verify(&t.db).await.unwrap();
    assert_eq!(v.broken.map(|b| b.first_bad_seq()), Some(5));
    // Removing the newest entries is noticed through the head.
    let t2 = testing::fresh().await.unwrap();
    demo::load(&t2.db, &who()).await.unwrap();
    let last = audit_log::Entity::find().all(&t2.db.conn).await.unwrap().len();
    t2.db
        .conn
        .execute_raw(Statement::from_string(backend, format!("DELETE FROM audit_log WHERE seq = {last}")))
        .await
        .unwrap();
    let v = audit::verify(&t2.db).await.unwrap();
    assert_eq!(v.broken.map(|b| b.first_bad_seq()), Some(last as i64));
}

#[tokio::test]
async fn concurrent_writers_from_two_pools_keep_one_chain() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let inst = org::list_institutions(&t.db, Some(s.consortium_id), false).await.unwrap()[0].id;
    let other = t.second_pool().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let db = if i % 2 == 0 { t.db.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            let f = person_input(&format!("p{i}@cnuh.example"), inst).validate().unwrap();
            org::create_person(&db, &Who::system("worker"), f, true).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let v = audit::verify(&t.db).await.unwrap();
    assert!(v.broken.is_none(), "{v:?}");
}

#[tokio::test]
async fn accounts_grants_tokens_and_throttling() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let u = accounts::create_user(&t.db, &who(), "Coord@Example.org", "Coordinator", "correct horse battery", None)
        .await
        .unwrap();
    assert_eq!(u.login, "coord@example.org");
    assert!(matches!(
        accounts::create_user(&t.db, &who(), "coord@example.org", "Again", "correct horse battery", None).await,
        Err(StoreError::Conflict { code: "duplicate-login", .. })
    ));
    assert!(matches!(
        accounts::create_user(&t.db, &who(), "short@example.org", "S", "short", None).await,
        Err(StoreError::Invalid(_))
    ));
    let inst = org::list_institutions(&t.db, Some(s.consortium_id), false).await.unwrap()[1].id;
    let g =
        Grant { role: Role::InstitutionCoordinator, consortium_id: Some(s.consortium_id), institution_id: Some(inst) };
    accounts::grant(&t.db, &who(), u.id, g.clone()).await.unwrap();
    assert!(matches!(
        accounts::grant(&t.db, &who(), u.id, g.clone()).await,
        Err(StoreError::Conflict { code: "duplicate-grant", .. })
    ));
    assert_eq!(accounts::grants_of(&t.db, u.id).await.unwrap(), vec![g.clone()]);
    accounts::revoke(&t.db, &who(), u.id, g).await.unwrap();
    assert!(accounts::grants_of(&t.db, u.id).await.unwrap().is_empty());

    let tok =
        accounts::create_token(&t.db, &who(), u.id, "script", medist_core::access::Scope::Read, None).await.unwrap();
    assert!(tok.token.starts_with("mdt_"));
    let (tu, scope) = accounts::token_user(&t.db, &tok.token).await.unwrap().unwrap();
    assert_eq!((tu.id, scope), (u.id, medist_core::access::Scope::Read));
    let stored = accounts::list_tokens(&t.db, u.id).await.unwrap();
    assert_ne!(stored[0].token_hash, tok.token);
    assert!(!stored[0].token_hash.contains(&tok.token[4..]));
    accounts::revoke_token(&t.db, &who(), tok.id).await.unwrap();
    assert!(accounts::token_user(&t.db, &tok.token).await.unwrap().is_none());

    for _ in 0..accounts::MAX_FAILURES_PER_ACCOUNT {
        let r = accounts::authenticate(&t.db, "coord@example.org", "wrong password!", "10.9.9.9").await.unwrap();
        assert_eq!(r.unwrap_err(), accounts::LoginError::Invalid);
    }
    let r = accounts::authenticate(&t.db, "coord@example.org", "correct horse battery", "10.9.9.9").await.unwrap();
    assert_eq!(r.unwrap_err(), accounts::LoginError::Throttled);
    let r = accounts::authenticate(&t.db, "nobody@example.org", "whatever123", "10.1.1.1").await.unwrap();
    assert_eq!(r.unwrap_err(), accounts::LoginError::Invalid);
}

#[tokio::test]
async fn backup_restores_into_an_empty_database_and_refuses_a_bad_file() {
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let mut buf = Vec::new();
    let summary = backup::backup(&t.db, &mut buf).await.unwrap();
    assert!(summary.rows() > 50);

    let t2 = testing::fresh().await.unwrap();
    let restored = backup::restore(&t2.db, std::io::Cursor::new(&buf), "test.jsonl").await.unwrap();
    assert_eq!(restored.rows(), summary.rows());
    let v = audit::verify(&t2.db).await.unwrap();
    assert!(v.broken.is_none());
    assert_eq!(v.checked, audit::verify(&t.db).await.unwrap().checked);
    // New records get fresh ids after a restore (sequences were moved past the restored rows).
    let inst = org::list_institutions(&t2.db, Some(s.consortium_id), false).await.unwrap()[0].id;
    let p =
        org::create_person(&t2.db, &who(), person_input("after.restore@gist.ac.kr", inst).validate().unwrap(), false)
            .await
            .unwrap();
    assert!(p.id > 19);
    assert!(audit::verify(&t2.db).await.unwrap().broken.is_none());
    // The same backup again into a non-empty database is refused.
    assert!(matches!(
        backup::restore(&t2.db, std::io::Cursor::new(&buf), "test.jsonl").await,
        Err(StoreError::Conflict { code: "restore-needs-empty-database", .. })
    ));
    // A damaged file names its line, and nothing is written.
    let t3 = testing::fresh().await.unwrap();
    let mut damaged = buf.clone();
    damaged.extend_from_slice(b"{\"t\": \"person\", \"r\": {\"id\": \"not a number\"}}\n");
    let err = backup::restore(&t3.db, std::io::Cursor::new(&damaged), "damaged.jsonl").await.unwrap_err().to_string();
    assert!(err.contains("damaged.jsonl:"), "{err}");
    assert!(backup::is_empty(&t3.db).await.unwrap());
    let err =
        backup::restore(&t3.db, std::io::Cursor::new(b"hello\n".to_vec()), "x.jsonl").await.unwrap_err().to_string();
    assert!(err.contains("x.jsonl:1"), "{err}");
}

#[tokio::test]
async fn parallel_expenditures_never_overspend_a_line() {
    use medist_db::funding::{self, NewExpenditure};
    use medist_funding::Krw;
    let t = testing::fresh().await.unwrap();
    let s = demo::load(&t.db, &who()).await.unwrap();
    let (lines, ledger) = funding::load_ledger(&t.db.conn, s.consortium_id).await.unwrap();
    let line = lines.iter().find(|l| l.year == 2026 && ledger.spent(l.id).0 == 0).unwrap().clone();
    let budget = ledger.current(line.id).0;
    // Ten requests for 30% each: at most three can fit.
    let each = budget * 3 / 10;
    let other = t.second_pool().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..10 {
        let db = if i % 2 == 0 { t.db.clone() } else { other.clone() };
        let id = line.id;
        tasks.push(tokio::spawn(async move {
            let n = NewExpenditure {
                date: chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
                amount: Krw(each),
                description: format!("request {i}"),
                evidence: vec![format!("EV-{i}")],
            };
            funding::add_expenditure(&db, &Who::system("worker"), id, n, false).await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict { code: "overspend", .. }) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(ok, 3);
    let (_, after) = funding::load_ledger(&t.db.conn, s.consortium_id).await.unwrap();
    assert!(after.spent(line.id).0 <= budget);
    assert_eq!(after.spent(line.id).0, each * 3);
    assert!(audit::verify(&t.db).await.unwrap().broken.is_none());
}
