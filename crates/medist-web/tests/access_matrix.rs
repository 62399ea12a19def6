//! Every route × every role, including a coordinator of another institution and an anonymous
//! visitor. Denied roles must get 403; allowed roles must get past the access check (any answer but
//! 401/403/5xx: bodies are deliberately incomplete, so most allowed changes end in 422 and write
//! nothing). A second test fails when a route exists that this table does not cover.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::{Session, TestApp};
use serde_json::json;

const ROLES: [&str; 9] =
    ["admin", "office", "coord_gist", "coord_cnuh", "faculty", "trainee", "clinician", "tto", "reviewer"];

fn login_of(role: &str) -> &'static str {
    match role {
        "admin" => "admin",
        "office" => "office@miracle.example",
        "coord_gist" => "coordinator.gist@miracle.example",
        "coord_cnuh" => "coordinator.cnuh@miracle.example",
        "faculty" => "faculty@miracle.example",
        "trainee" => "trainee@miracle.example",
        "clinician" => "clinician@miracle.example",
        "tto" => "tto@miracle.example",
        "reviewer" => "reviewer@miracle.example",
        _ => unreachable!(),
    }
}

/// Who may: a list of roles, or a named group.
fn allowed(spec: &str) -> BTreeSet<&'static str> {
    let list: &[&str] = match spec {
        "ALL" => &ROLES,
        "DIR" => &["admin", "office", "coord_gist", "coord_cnuh", "faculty", "trainee", "clinician", "tto"],
        "PO" => &["admin", "office"],
        "ADMIN" => &["admin"],
        "GIST" => &["admin", "office", "coord_gist"],
        "CNUH" => &["admin", "office", "coord_cnuh"],
        "CNUH+SELF" => &["admin", "office", "coord_cnuh", "clinician"],
        "COORDS" => &["admin", "office", "coord_gist", "coord_cnuh"],
        "BUDGET" => &["admin", "office", "coord_gist", "coord_cnuh", "reviewer"],
        "T_LIST" => &["admin", "office", "coord_gist", "coord_cnuh", "faculty", "trainee", "clinician"],
        "T_ONE" => &["admin", "office", "coord_gist", "faculty", "trainee"],
        // The first trainee's progress: recorded by the office, the coordinator and the mentor; the plan and
        // positions written by the office, the coordinator and the trainee.
        "T_MENTOR" => &["admin", "office", "coord_gist", "faculty"],
        "T_SELF" => &["admin", "office", "coord_gist", "trainee"],
        "IMPORT" => &["admin", "office", "coord_gist", "coord_cnuh", "faculty", "tto"],
        "REVIEW" => &["admin", "office", "coord_gist", "coord_cnuh"],
        // Research & translation: needs are written by these roles; screening is read by them.
        "NEED_NEW" => &["admin", "office", "coord_gist", "coord_cnuh", "faculty", "clinician"],
        // The demo's needs are the clinician's own.
        "NEED_OWNER" => &["admin", "office", "clinician"],
        // The open demo round's panel includes the office, the faculty member and the clinician.
        "PANEL" => &["admin", "office", "faculty", "clinician"],
        // The faculty member's own records (project membership, data request, booking).
        "FAC" => &["admin", "office", "faculty"],
        "DATA_NEW" => &["admin", "office", "coord_gist", "coord_cnuh", "faculty", "trainee", "clinician"],
        // Commercialization: recorded and decided by the staff and the office; faculty disclose (and, as an
        // inventor of the demo's filed disclosure, read it).
        "TTO" => &["admin", "office", "tto"],
        "DISCLOSE" => &["admin", "office", "faculty", "tto"],
        // A demo paper of the faculty member (박서준): corrected by its author, the office and the coordinators.
        "PUB_AUTHOR" => &["admin", "office", "coord_gist", "coord_cnuh", "faculty"],
        other => panic!("unknown group {other}"),
    };
    list.iter().copied().collect()
}

enum Body {
    None,
    File(&'static str, Vec<u8>),
    Form(Vec<(&'static str, String)>),
    Json(serde_json::Value),
}

struct Case {
    method: &'static str,
    /// Route pattern as registered (for the coverage check).
    pattern: &'static str,
    path: String,
    body: Body,
    who: &'static str,
}

async fn call(app: &TestApp, c: &Case, s: Option<&Session>) -> common::Resp {
    let api = c.path.starts_with("/api/");
    match (&c.body, c.method, api) {
        (Body::None, "GET", false) => app.get(&c.path, s).await,
        (Body::None, "GET", true) => app.api("GET", &c.path, s, None).await,
        (Body::Form(f), "POST", false) => {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&c.path, s, &pairs).await
        }
        (Body::None, m, true) => app.api(m, &c.path, s, None).await,
        (Body::Json(v), m, true) => app.api(m, &c.path, s, Some(v.clone())).await,
        (Body::None, "POST", false) => app.post_form(&c.path, s, &[]).await,
        (Body::File(name, content), "POST", false) => app.post_file(&c.path, s, name, content).await,
        _ => panic!("unsupported case {} {}", c.method, c.path),
    }
}

fn f(pairs: &[(&'static str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

#[tokio::test]
async fn every_route_for_every_role() {
    let app = TestApp::new().await;
    let c = app.consortium_id;
    let gist = app.inst("GIST");
    let cnuh = app.inst("CNUH");
    let p_gist = app.person("faculty07.sample@miracle.example").await;
    let p_cnuh = app.person("faculty02.sample@miracle.example").await; // the clinician's own record
    let p_archive = app.person("faculty17.sample@miracle.example").await; // CNU Medicine
    let p_archive_api = app.person("faculty03.sample@miracle.example").await; // Hwasun CNUH
    let p_restore = app.person("faculty18.sample@miracle.example").await; // CNUH, not archived
    let a_cnuh =
        medist_db::org::appointments(&app.db, app.person("faculty04.sample@miracle.example").await).await.unwrap()[0]
            .id;
    let a_cnuh_api = medist_db::org::appointments(&app.db, p_restore).await.unwrap()[0].id;
    let gist_units = medist_db::org::list_units(&app.db, gist, false).await.unwrap();
    let (unit1, unit2) = (gist_units[0].id, gist_units[1].id);
    let trainee = medist_db::accounts::user_by_login(&app.db, "trainee@miracle.example").await.unwrap().unwrap().id;
    let victim = medist_db::accounts::create_user(
        &app.db,
        &medist_db::Who::system("t"),
        "victim@x.example",
        "V",
        "long enough pw",
        None,
    )
    .await
    .unwrap()
    .id;
    let admin_id = medist_db::accounts::user_by_login(&app.db, "admin").await.unwrap().unwrap().id;
    let admin_token = medist_db::accounts::create_token(
        &app.db,
        &medist_db::Who::system("t"),
        admin_id,
        "t1",
        medist_core::access::Scope::Read,
        None,
    )
    .await
    .unwrap()
    .id;
    let admin_token2 = medist_db::accounts::create_token(
        &app.db,
        &medist_db::Who::system("t"),
        admin_id,
        "t2",
        medist_core::access::Scope::Read,
        None,
    )
    .await
    .unwrap()
    .id;
    let (lines, _) = medist_db::funding::load_ledger(&app.db.conn, c).await.unwrap();
    let gist_line = lines.iter().find(|l| l.institution_id == gist && l.year == 2026).unwrap().id;
    let close_line = lines.iter().find(|l| l.institution_id == gist && l.year == 2030).unwrap().id;
    let close_line_api = lines.iter().find(|l| l.institution_id == cnuh && l.year == 2030).unwrap().id;
    let first_trainee =
        medist_db::education::list_trainees(&app.db, c, &Default::default(), chrono::Utc::now().date_naive())
            .await
            .unwrap()[0]
            .trainee
            .id;
    // The first trainee's open milestone, two exceptions and two positions to delete, the demo's plan to sign.
    let first_file = medist_db::education::trainee_file(&app.db, first_trainee).await.unwrap();
    let open_milestone = first_file.milestones.iter().find(|m| m.passed_on.is_none()).unwrap().id;
    let who = medist_db::Who::system("test");
    let mut exceptions = Vec::new();
    let mut positions = Vec::new();
    for _ in 0..2 {
        let x = medist_db::education_records::ExceptionInput {
            kind: "waive".into(),
            requirement: "core".into(),
            reason: "test".into(),
            ..Default::default()
        };
        exceptions.push(
            medist_db::education_records::add_exception(&app.db, &who, first_trainee, &x, "test").await.unwrap().id,
        );
        let p = medist_education::outcomes::check_position(
            &medist_education::outcomes::PositionInput {
                title: "연구원".into(),
                organisation: "GIST".into(),
                sector: "academia".into(),
                career_type: "research".into(),
                region: "gwangju_jeonnam".into(),
                start_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
                source: "staff_entered".into(),
                ..Default::default()
            },
            chrono::Utc::now().date_naive(),
        )
        .unwrap();
        positions.push(
            medist_db::education_records::add_position(&app.db, &who, first_trainee, &p, false).await.unwrap().id,
        );
    }
    let plan = medist_db::education_records::plans(&app.db, first_trainee).await.unwrap()[0].plan.id;
    let program_id = first_file.program.id;
    let roadmap_phases = medist_db::roadmap::phases(&app.db, c).await.unwrap();
    let roadmap_phase = roadmap_phases[0].id;
    let roadmap_indicators: Vec<i64> =
        medist_db::roadmap::indicators(&app.db, &[roadmap_phase]).await.unwrap().iter().map(|i| i.id).collect();
    let first_course = first_file.enrollments[0].course.id;
    // Four pairs of near-duplicate publications: four review candidates to decide.
    let mut pairs = String::new();
    for (i, title) in [
        "Immune checkpoint response in lung cancer patients",
        "Stem cell scaffolds for articular cartilage defects",
        "Multimodal imaging of liver fibrosis models",
        "Genomic markers of gastric cancer relapse cohorts",
    ]
    .iter()
    .enumerate()
    {
        pairs.push_str(&format!(
            "@article{{a{i}, author = {{Kim, Tae}}, title = {{{title}}}, journal = {{J}}, year = 2026}}\n\
             @article{{b{i}, author = {{Kim, Tae}}, title = {{{}}}, journal = {{J}}, year = 2026}}\n",
            title.trim_end_matches('s')
        ));
    }
    let who = medist_db::Who::system("t");
    let opts = medist_db::outputs::ImportOptions { source_name: "pairs.bib".into(), ..Default::default() };
    let rep = medist_db::outputs::import(
        &app.db,
        &who,
        c,
        medist_biblio::BibtexReader::new(std::io::Cursor::new(pairs.into_bytes())),
        &opts,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(rep.to_review, 4, "{rep:?}");
    let queue = medist_db::outputs::review_queue(&app.db, c).await.unwrap();
    let (d1, d2, d3, d4) = (queue[0].0.id, queue[1].0.id, queue[2].0.id, queue[3].0.id);
    let a_publication = queue[0].2.id;
    let a_kpi = medist_db::kpi::list(&app.db, c).await.unwrap()[0].id;
    let empty_person =
        |inst: i64| json!({"name_ko": "", "name_en": "", "email": "", "institution_id": inst.to_string()});
    let empty_inst = json!({"name_ko": "", "name_en": "", "short_name": "", "kind": ""});
    let empty_unit = json!({"name_ko": "", "name_en": "", "kind": ""});
    let grant = json!({"role": "faculty", "consortium_id": c, "institution_id": null});
    // Research & translation records of the demo.
    let needs_in = |state: &str| medist_db::research::NeedFilter { state: Some(state.into()), ..Default::default() };
    let first_need = |v: medist_db::Paged<medist_db::research::NeedView>| v.items[0].need.id;
    let n_returned = first_need(
        medist_db::research::list_needs(&app.db, c, &needs_in("returned"), Default::default()).await.unwrap(),
    );
    let n_triage =
        first_need(medist_db::research::list_needs(&app.db, c, &needs_in("triage"), Default::default()).await.unwrap());
    let open_round = medist_db::research::list_rounds(&app.db, c).await.unwrap()[0].id;
    let round_need = medist_db::research::round_view(&app.db, open_round).await.unwrap().needs[0].need_id;
    let mir01 = medist_db::research::list_projects(
        &app.db,
        c,
        &medist_db::research::ProjectFilter { q: Some("MIR-2026-01".into()), ..Default::default() },
        Default::default(),
    )
    .await
    .unwrap()
    .items[0]
        .project
        .id;
    // A milestone of MIR-2026-01 that is done: allowed callers are refused with 422 (done once, stays on the
    // record), the others with 403, whatever order the roles are tried in.
    let done_milestone = medist_db::research::project_milestones(&app.db, mir01, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.milestone.done_on.is_some())
        .unwrap()
        .milestone
        .id;
    let today = chrono::Utc::now().date_naive();
    let disclosure = medist_db::commercial::list_disclosures(&app.db, c, today)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.row.state == "filed")
        .unwrap()
        .row
        .id;
    let author = medist_db::outputs::author_candidates(&app.db, c, None).await.unwrap()[0].author.id;
    // The demo paper by the faculty member (first author 박서준 / Seojun Park), its second author, and a project.
    let own_paper = medist_db::outputs::list(
        &app.db,
        c,
        &medist_db::outputs::PublicationFilter { q: Some("10.5555/miracle.sample.2026.001".into()), year: None },
        Default::default(),
    )
    .await
    .unwrap()
    .items[0]
        .id;
    let own_paper_author = medist_db::outputs::authors(&app.db, own_paper).await.unwrap()[1].id;
    let transfer = medist_db::commercial::list_transfers(&app.db, c).await.unwrap()[0].row.id;
    let startup = medist_db::commercial::list_startups(&app.db, c).await.unwrap()[0].row.id;
    let fac_request = medist_db::research::list_access_requests(&app.db, c, None, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.request.requester == "faculty@miracle.example" && r.request.state == "approved")
        .unwrap()
        .request
        .id;
    let equipment = medist_db::research::list_equipment(&app.db, c).await.unwrap()[0].id;
    let a_family = medist_db::patents::list_families(&app.db, c).await.unwrap()[0].clone();
    let (family, application) = (a_family.family.id, a_family.applications[0].application.id);
    let now = chrono::Utc::now();
    let mut fac_booking = 0;
    for e in medist_db::research::list_equipment(&app.db, c).await.unwrap() {
        let week = medist_db::research::bookings(&app.db, e.id, now, now + chrono::Duration::days(30)).await.unwrap();
        if let Some(b) = week.into_iter().find(|b| b.booked_by == "faculty@miracle.example") {
            fac_booking = b.id;
        }
    }
    assert!(fac_booking > 0, "the demo has a booking by the faculty member");
    let room = medist_db::research::space_view(&app.db, c).await.unwrap().rooms[0].id;
    let dataset = medist_db::research::list_datasets(&app.db, c).await.unwrap()[0].id;
    let empty_need = json!({"title": "", "problem": "", "population": "", "outcome": "", "disease_area": "",
        "clinical_setting": "", "urgency": ""});
    let empty_project = json!({"code": "", "title_ko": "", "title_en": "", "aim": "early_diagnosis",
        "track": "immuno_oncology"});

    let cases = vec![
        // pages
        Case { method: "GET", pattern: "/consortium", path: "/consortium".into(), body: Body::None, who: "ALL" },
        Case {
            method: "GET",
            pattern: "/consortia/{id}",
            path: format!("/consortia/{c}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/consortia/{id}/edit",
            path: format!("/consortia/{c}/edit"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/consortia/{id}/edit",
            path: format!("/consortia/{c}/edit"),
            body: f(&[("name_ko", "")]),
            who: "PO",
        },
        Case { method: "GET", pattern: "/institutions", path: "/institutions".into(), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/institutions",
            path: "/institutions".into(),
            body: f(&[("name_ko", "")]),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/institutions/new",
            path: "/institutions/new".into(),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/institutions/{id}",
            path: format!("/institutions/{gist}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/institutions/{id}/edit",
            path: format!("/institutions/{gist}/edit"),
            body: Body::None,
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/institutions/{id}/edit",
            path: format!("/institutions/{gist}/edit"),
            body: f(&[("name_ko", "")]),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/institutions/{id}/archive",
            path: format!("/institutions/{gist}/archive"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/institutions/{id}/units",
            path: format!("/institutions/{gist}/units"),
            body: f(&[("name_ko", "")]),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/units/{id}/archive",
            path: format!("/units/{unit2}/archive"),
            body: Body::None,
            who: "GIST",
        },
        Case { method: "GET", pattern: "/people", path: "/people".into(), body: Body::None, who: "DIR" },
        Case {
            method: "POST",
            pattern: "/people",
            path: "/people".into(),
            body: f(&[("institution_id", &gist.to_string())]),
            who: "GIST",
        },
        Case { method: "GET", pattern: "/people/new", path: "/people/new".into(), body: Body::None, who: "COORDS" },
        Case {
            method: "GET",
            pattern: "/people/{id}",
            path: format!("/people/{p_gist}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "GET",
            pattern: "/people/{id}/edit",
            path: format!("/people/{p_cnuh}/edit"),
            body: Body::None,
            who: "CNUH+SELF",
        },
        Case {
            method: "POST",
            pattern: "/people/{id}/edit",
            path: format!("/people/{p_cnuh}/edit"),
            body: f(&[("institution_id", &cnuh.to_string())]),
            who: "CNUH+SELF",
        },
        Case {
            method: "POST",
            pattern: "/people/{id}/archive",
            path: format!("/people/{p_archive}/archive"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/people/{id}/restore",
            path: format!("/people/{p_restore}/restore"),
            body: Body::None,
            who: "CNUH",
        },
        Case {
            method: "POST",
            pattern: "/people/{id}/appointments",
            path: format!("/people/{p_gist}/appointments"),
            body: f(&[("role", "")]),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/appointments/{id}/delete",
            path: format!("/appointments/{a_cnuh}/delete"),
            body: Body::None,
            who: "CNUH",
        },
        Case { method: "GET", pattern: "/admin/users", path: "/admin/users".into(), body: Body::None, who: "PO" },
        Case {
            method: "POST",
            pattern: "/admin/users",
            path: "/admin/users".into(),
            body: f(&[("login", "")]),
            who: "ADMIN",
        },
        Case {
            method: "POST",
            pattern: "/admin/users/{id}/grant",
            path: format!("/admin/users/{trainee}/grant"),
            body: f(&[("role", "nonsense")]),
            who: "ADMIN",
        },
        Case {
            method: "POST",
            pattern: "/admin/users/{id}/revoke",
            path: format!("/admin/users/{trainee}/revoke"),
            body: f(&[("role", "clinician")]),
            who: "ADMIN",
        },
        Case { method: "GET", pattern: "/admin/audit", path: "/admin/audit".into(), body: Body::None, who: "PO" },
        Case {
            method: "POST",
            pattern: "/admin/audit/verify",
            path: "/admin/audit/verify".into(),
            body: Body::None,
            who: "ADMIN",
        },
        Case { method: "GET", pattern: "/account", path: "/account".into(), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/account/password",
            path: "/account/password".into(),
            body: f(&[("current_password", "x")]),
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/account/tokens",
            path: "/account/tokens".into(),
            body: f(&[("name", ""), ("scope", "read")]),
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/account/tokens/{id}/revoke",
            path: format!("/account/tokens/{admin_token}/revoke"),
            body: Body::None,
            who: "ADMIN",
        },
        // API
        Case { method: "GET", pattern: "/api/v1/me", path: "/api/v1/me".into(), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/api/v1/me/password",
            path: "/api/v1/me/password".into(),
            body: Body::Json(json!({"current_password": "x", "new_password": "y"})),
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia",
            path: "/api/v1/consortia".into(),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}",
            path: format!("/api/v1/consortia/{c}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/consortia/{id}",
            path: format!("/api/v1/consortia/{c}"),
            body: Body::Json(json!({"name_ko": "", "name_en": "", "period_start_year": 2026, "period_end_year": 2030})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/institutions",
            path: format!("/api/v1/consortia/{c}/institutions"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/institutions",
            path: format!("/api/v1/consortia/{c}/institutions"),
            body: Body::Json(empty_inst.clone()),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/people",
            path: format!("/api/v1/consortia/{c}/people"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/institutions/{id}",
            path: format!("/api/v1/institutions/{gist}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/institutions/{id}",
            path: format!("/api/v1/institutions/{gist}"),
            body: Body::Json(empty_inst.clone()),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/institutions/{id}/archive",
            path: format!("/api/v1/institutions/{cnuh}/archive"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/institutions/{id}/units",
            path: format!("/api/v1/institutions/{gist}/units"),
            body: Body::Json(empty_unit.clone()),
            who: "GIST",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/units/{id}",
            path: format!("/api/v1/units/{unit1}"),
            body: Body::Json(empty_unit.clone()),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/units/{id}/archive",
            path: format!("/api/v1/units/{unit2}/archive"),
            body: Body::None,
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/people",
            path: "/api/v1/people".into(),
            body: Body::Json(empty_person(cnuh)),
            who: "CNUH",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/people/{id}",
            path: format!("/api/v1/people/{p_gist}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/people/{id}",
            path: format!("/api/v1/people/{p_cnuh}"),
            body: Body::Json(empty_person(cnuh)),
            who: "CNUH+SELF",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/people/{id}/archive",
            path: format!("/api/v1/people/{p_archive_api}/archive"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/people/{id}/restore",
            path: format!("/api/v1/people/{p_restore}/restore"),
            body: Body::None,
            who: "CNUH",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/people/{id}/appointments",
            path: format!("/api/v1/people/{p_gist}/appointments"),
            body: Body::Json(json!({"role": "", "fte_percent": "", "start_date": ""})),
            who: "GIST",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/appointments/{id}",
            path: format!("/api/v1/appointments/{a_cnuh_api}"),
            body: Body::None,
            who: "CNUH",
        },
        Case { method: "GET", pattern: "/api/v1/users", path: "/api/v1/users".into(), body: Body::None, who: "PO" },
        Case {
            method: "POST",
            pattern: "/api/v1/users",
            path: "/api/v1/users".into(),
            body: Body::Json(json!({"login": "", "display_name": "", "password": ""})),
            who: "ADMIN",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/users/{id}/grants",
            path: format!("/api/v1/users/{trainee}/grants"),
            body: Body::Json(grant.clone()),
            who: "ADMIN",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/users/{id}/revoke",
            path: format!("/api/v1/users/{trainee}/revoke"),
            body: Body::Json(grant.clone()),
            who: "ADMIN",
        },
        Case { method: "GET", pattern: "/api/v1/tokens", path: "/api/v1/tokens".into(), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/api/v1/tokens",
            path: "/api/v1/tokens".into(),
            body: Body::Json(json!({"name": "", "scope": "read"})),
            who: "ALL",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/tokens/{id}",
            path: format!("/api/v1/tokens/{admin_token2}"),
            body: Body::None,
            who: "ADMIN",
        },
        Case { method: "GET", pattern: "/api/v1/audit", path: "/api/v1/audit".into(), body: Body::None, who: "PO" },
        Case {
            method: "POST",
            pattern: "/api/v1/audit/verify",
            path: "/api/v1/audit/verify".into(),
            body: Body::None,
            who: "ADMIN",
        },
        // budget
        Case { method: "GET", pattern: "/budget", path: "/budget".into(), body: Body::None, who: "BUDGET" },
        Case { method: "GET", pattern: "/budget/lines", path: "/budget/lines".into(), body: Body::None, who: "BUDGET" },
        Case {
            method: "POST",
            pattern: "/budget/lines",
            path: "/budget/lines".into(),
            body: f(&[("amount", "")]),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/budget/lines/{id}",
            path: format!("/budget/lines/{gist_line}"),
            body: Body::None,
            who: "BUDGET",
        },
        Case {
            method: "POST",
            pattern: "/budget/lines/{id}/amend",
            path: format!("/budget/lines/{gist_line}/amend"),
            body: f(&[("delta", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/budget/lines/{id}/expenditures",
            path: format!("/budget/lines/{gist_line}/expenditures"),
            body: f(&[("amount", "")]),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/budget/lines/{id}/close",
            path: format!("/budget/lines/{close_line}/close"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/budget/lines/{id}/reopen",
            path: format!("/budget/lines/{close_line}/reopen"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/budget",
            path: format!("/api/v1/consortia/{c}/budget"),
            body: Body::None,
            who: "BUDGET",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/budget/lines",
            path: format!("/api/v1/consortia/{c}/budget/lines"),
            body: Body::None,
            who: "BUDGET",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/budget/lines",
            path: format!("/api/v1/consortia/{c}/budget/lines"),
            body: Body::Json(json!({"source": "", "institution_id": "", "year": "", "category": "", "amount": ""})),
            who: "PO",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/consortia/{id}/budget/constraints/{code}",
            path: format!("/api/v1/consortia/{c}/budget/constraints/x"),
            body: Body::Json(
                json!({"name_ko": "", "name_en": "", "check": {"kind": "amount", "of": {}, "comparison": "at_most", "target": 1}}),
            ),
            who: "PO",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/consortia/{id}/budget/constraints/{code}",
            path: format!("/api/v1/consortia/{c}/budget/constraints/none"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/budget/lines/{id}",
            path: format!("/api/v1/budget/lines/{gist_line}"),
            body: Body::None,
            who: "BUDGET",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/budget/lines/{id}/amendments",
            path: format!("/api/v1/budget/lines/{gist_line}/amendments"),
            body: Body::Json(json!({"delta": "", "date": "", "reason": ""})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/budget/lines/{id}/expenditures",
            path: format!("/api/v1/budget/lines/{gist_line}/expenditures"),
            body: Body::Json(json!({"date": "", "amount": "", "description": "", "evidence": ""})),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/budget/lines/{id}/close",
            path: format!("/api/v1/budget/lines/{close_line_api}/close"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/budget/lines/{id}/reopen",
            path: format!("/api/v1/budget/lines/{close_line_api}/reopen"),
            body: Body::None,
            who: "PO",
        },
        // education
        Case { method: "GET", pattern: "/education", path: "/education".into(), body: Body::None, who: "ALL" },
        Case { method: "GET", pattern: "/trainees", path: "/trainees".into(), body: Body::None, who: "T_LIST" },
        Case {
            method: "GET",
            pattern: "/trainees/{id}",
            path: format!("/trainees/{first_trainee}"),
            body: Body::None,
            who: "T_ONE",
        },
        Case {
            method: "POST",
            pattern: "/trainees/{id}/status",
            path: format!("/trainees/{first_trainee}/status"),
            body: f(&[("status", "")]),
            who: "GIST",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/catalog",
            path: format!("/api/v1/consortia/{c}/catalog"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/trainees",
            path: format!("/api/v1/consortia/{c}/trainees"),
            body: Body::None,
            who: "T_LIST",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/trainees/{id}",
            path: format!("/api/v1/trainees/{first_trainee}"),
            body: Body::None,
            who: "T_ONE",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/trainees/{id}/audit",
            path: format!("/api/v1/trainees/{first_trainee}/audit"),
            body: Body::None,
            who: "T_ONE",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/trainees/{id}/status",
            path: format!("/api/v1/trainees/{first_trainee}/status"),
            body: Body::Json(json!({"status": "", "reason": ""})),
            who: "GIST",
        },
        Case {
            method: "POST",
            pattern: "/trainees/{id}/milestones",
            path: format!("/trainees/{first_trainee}/milestones"),
            body: f(&[("kind", "")]),
            who: "T_MENTOR",
        },
        Case {
            method: "POST",
            pattern: "/trainee-milestones/{id}/pass",
            path: format!("/trainee-milestones/{open_milestone}/pass"),
            body: f(&[]),
            who: "T_MENTOR",
        },
        Case {
            method: "POST",
            pattern: "/trainees/{id}/exceptions",
            path: format!("/trainees/{first_trainee}/exceptions"),
            body: f(&[("kind", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/degree-exceptions/{id}/delete",
            path: format!("/degree-exceptions/{}/delete", exceptions[0]),
            body: f(&[]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/trainees/{id}/plans",
            path: format!("/trainees/{first_trainee}/plans"),
            body: f(&[("year", "")]),
            who: "T_SELF",
        },
        Case {
            method: "POST",
            pattern: "/development-plans/{id}/sign",
            path: format!("/development-plans/{plan}/sign"),
            body: f(&[]),
            who: "T_ONE",
        },
        Case {
            method: "POST",
            pattern: "/trainees/{id}/positions",
            path: format!("/trainees/{first_trainee}/positions"),
            body: f(&[("title", "")]),
            who: "T_SELF",
        },
        Case {
            method: "POST",
            pattern: "/alumni-positions/{id}/delete",
            path: format!("/alumni-positions/{}/delete", positions[0]),
            body: f(&[]),
            who: "T_SELF",
        },
        Case {
            method: "GET",
            pattern: "/education/programs/{id}/rules",
            path: format!("/education/programs/{program_id}/rules"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/education/programs/{id}/rules",
            path: format!("/education/programs/{program_id}/rules"),
            body: f(&[("rules", "program"), ("action", "check")]),
            who: "PO",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/programs/{id}/rules",
            path: format!("/api/v1/programs/{program_id}/rules"),
            body: Body::Json(json!({"rules": "program", "dry_run": true})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/education/offerings",
            path: "/education/offerings".into(),
            body: f(&[("course_id", &first_course.to_string()), ("term", "")]),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/offerings",
            path: format!("/api/v1/consortia/{c}/offerings"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/courses/{id}/offerings",
            path: format!("/api/v1/courses/{first_course}/offerings"),
            body: Body::Json(json!({"term": ""})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/education/equivalences",
            path: "/education/equivalences".into(),
            body: f(&[("from_code", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/education/programs",
            path: "/education/programs".into(),
            body: f(&[("code", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/programs",
            path: format!("/api/v1/consortia/{c}/programs"),
            body: Body::Json(json!({"code": "", "kind": "", "catalog_year": 0, "rules": ""})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/equivalences",
            path: format!("/api/v1/consortia/{c}/equivalences"),
            body: Body::Json(json!({"from_code": "", "to_code": ""})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/education/import",
            path: "/education/import".into(),
            body: Body::None,
            who: "COORDS",
        },
        Case {
            method: "POST",
            pattern: "/education/import",
            path: "/education/import".into(),
            body: Body::File("roster.csv", vec![]),
            who: "COORDS",
        },
        Case {
            method: "GET",
            pattern: "/education/export",
            path: "/education/export?list=trainees&format=csv".into(),
            body: Body::None,
            who: "T_LIST",
        },
        Case {
            method: "GET",
            pattern: "/education/training-tables",
            path: "/education/training-tables".into(),
            body: Body::None,
            who: "BUDGET",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/trainees/{id}/milestones",
            path: format!("/api/v1/trainees/{first_trainee}/milestones"),
            body: Body::Json(json!({"kind": ""})),
            who: "T_MENTOR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/trainee-milestones/{id}/pass",
            path: format!("/api/v1/trainee-milestones/{open_milestone}/pass"),
            body: Body::Json(json!({})),
            who: "T_MENTOR",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/overdue-milestones",
            path: format!("/api/v1/consortia/{c}/overdue-milestones"),
            body: Body::None,
            who: "T_LIST",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/trainees/{id}/exceptions",
            path: format!("/api/v1/trainees/{first_trainee}/exceptions"),
            body: Body::Json(json!({"kind": "", "reason": ""})),
            who: "PO",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/degree-exceptions/{id}",
            path: format!("/api/v1/degree-exceptions/{}", exceptions[1]),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/trainees/{id}/plans",
            path: format!("/api/v1/trainees/{first_trainee}/plans"),
            body: Body::None,
            who: "T_ONE",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/trainees/{id}/plans",
            path: format!("/api/v1/trainees/{first_trainee}/plans"),
            body: Body::Json(json!({"year": 0, "goals": ""})),
            who: "T_SELF",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/development-plans/{id}/sign",
            path: format!("/api/v1/development-plans/{plan}/sign"),
            body: Body::None,
            who: "T_ONE",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/trainees/{id}/positions",
            path: format!("/api/v1/trainees/{first_trainee}/positions"),
            body: Body::None,
            who: "T_ONE",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/trainees/{id}/positions",
            path: format!("/api/v1/trainees/{first_trainee}/positions"),
            body: Body::Json(json!({"title": "", "organisation": "", "sector": "", "career_type": "", "region": ""})),
            who: "T_SELF",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/alumni-positions/{id}",
            path: format!("/api/v1/alumni-positions/{}", positions[1]),
            body: Body::None,
            who: "T_SELF",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/training-tables",
            path: format!("/api/v1/consortia/{c}/training-tables"),
            body: Body::None,
            who: "BUDGET",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/education/import",
            path: format!("/api/v1/consortia/{c}/education/import?list=trainees&dry_run=true"),
            body: Body::None,
            who: "COORDS",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/education/export",
            path: format!("/api/v1/consortia/{c}/education/export?list=trainees&format=csv"),
            body: Body::None,
            who: "T_LIST",
        },
        // roadmap
        Case { method: "GET", pattern: "/roadmap", path: "/roadmap".into(), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/roadmap/phases",
            path: "/roadmap/phases".into(),
            body: f(&[("code", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/roadmap/phases/{id}/indicators",
            path: format!("/roadmap/phases/{roadmap_phase}/indicators"),
            body: f(&[("area", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/roadmap/indicators/{id}/delete",
            path: format!("/roadmap/indicators/{}/delete", roadmap_indicators[0]),
            body: f(&[]),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/roadmap",
            path: format!("/api/v1/consortia/{c}/roadmap"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/roadmap/phases",
            path: format!("/api/v1/consortia/{c}/roadmap/phases"),
            body: Body::Json(json!({"code": "", "start_year": 0, "end_year": 0})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/roadmap-phases/{id}/indicators",
            path: format!("/api/v1/roadmap-phases/{roadmap_phase}/indicators"),
            body: Body::Json(json!({"area": "", "measure": ""})),
            who: "PO",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/roadmap-indicators/{id}",
            path: format!("/api/v1/roadmap-indicators/{}", roadmap_indicators[1]),
            body: Body::None,
            who: "PO",
        },
        // outputs
        Case { method: "GET", pattern: "/publications", path: "/publications".into(), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/publications/import",
            path: "/publications/import".into(),
            body: Body::File("empty.bib", vec![]),
            who: "IMPORT",
        },
        Case {
            method: "GET",
            pattern: "/publications/review",
            path: "/publications/review".into(),
            body: Body::None,
            who: "REVIEW",
        },
        Case {
            method: "GET",
            pattern: "/publications/{id}",
            path: format!("/publications/{a_publication}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/duplicates/{id}/merge",
            path: format!("/duplicates/{d1}/merge"),
            body: Body::None,
            who: "REVIEW",
        },
        Case {
            method: "POST",
            pattern: "/duplicates/{id}/keep",
            path: format!("/duplicates/{d2}/keep"),
            body: Body::None,
            who: "REVIEW",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/publications",
            path: format!("/api/v1/consortia/{c}/publications"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/publications/import",
            path: format!("/api/v1/consortia/{c}/publications/import?format=bibtex"),
            body: Body::None,
            who: "IMPORT",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/publications/review",
            path: format!("/api/v1/consortia/{c}/publications/review"),
            body: Body::None,
            who: "REVIEW",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/publications/{id}",
            path: format!("/api/v1/publications/{a_publication}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/duplicates/{id}/merge",
            path: format!("/api/v1/duplicates/{d3}/merge"),
            body: Body::None,
            who: "REVIEW",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/duplicates/{id}/keep",
            path: format!("/api/v1/duplicates/{d4}/keep"),
            body: Body::None,
            who: "REVIEW",
        },
        // KPIs
        Case { method: "GET", pattern: "/kpis", path: "/kpis".into(), body: Body::None, who: "ALL" },
        Case { method: "GET", pattern: "/kpis/{id}", path: format!("/kpis/{a_kpi}"), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/kpis/{id}/rule",
            path: format!("/kpis/{a_kpi}/rule"),
            body: f(&[("rule_text", "count nothing at all")]),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/kpis",
            path: format!("/api/v1/consortia/{c}/kpis"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/kpis/{id}",
            path: format!("/api/v1/kpis/{a_kpi}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/kpis/{id}/rule",
            path: format!("/api/v1/kpis/{a_kpi}/rule"),
            body: Body::Json(json!({"rule_text": "count nothing"})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/kpis/{id}/preview",
            path: format!("/api/v1/kpis/{a_kpi}/preview"),
            body: Body::Json(json!({"rule_text": "count course"})),
            who: "ALL",
        },
        // research & translation pages
        Case { method: "GET", pattern: "/needs", path: "/needs".into(), body: Body::None, who: "DIR" },
        Case { method: "POST", pattern: "/needs", path: "/needs".into(), body: f(&[("title", "")]), who: "NEED_NEW" },
        Case { method: "GET", pattern: "/needs/new", path: "/needs/new".into(), body: Body::None, who: "NEED_NEW" },
        Case {
            method: "GET",
            pattern: "/needs/{id}",
            path: format!("/needs/{n_triage}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/needs/{id}/edit",
            path: format!("/needs/{n_returned}/edit"),
            body: f(&[("title", "")]),
            who: "NEED_OWNER",
        },
        Case {
            method: "POST",
            pattern: "/needs/{id}/transition",
            path: format!("/needs/{n_triage}/transition"),
            body: f(&[("action", "start_triage")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/needs/{id}/convert",
            path: format!("/needs/{n_triage}/convert"),
            body: f(&[("code", "")]),
            who: "PO",
        },
        Case { method: "GET", pattern: "/screening", path: "/screening".into(), body: Body::None, who: "NEED_NEW" },
        Case { method: "POST", pattern: "/screening", path: "/screening".into(), body: f(&[("name", "")]), who: "PO" },
        Case {
            method: "GET",
            pattern: "/screening/{id}",
            path: format!("/screening/{open_round}"),
            body: Body::None,
            who: "NEED_NEW",
        },
        Case {
            method: "POST",
            pattern: "/screening/{id}/score",
            path: format!("/screening/{open_round}/score"),
            body: f(&[("need_id", &round_need.to_string()), ("c-clinical_impact", "x")]),
            who: "PANEL",
        },
        Case {
            method: "POST",
            pattern: "/screening/{id}/close",
            path: format!("/screening/{open_round}/close"),
            body: f(&[("selected", "999999")]),
            who: "PO",
        },
        Case { method: "GET", pattern: "/projects", path: "/projects".into(), body: Body::None, who: "DIR" },
        Case { method: "POST", pattern: "/projects", path: "/projects".into(), body: f(&[("code", "")]), who: "PO" },
        Case { method: "GET", pattern: "/projects/new", path: "/projects/new".into(), body: Body::None, who: "PO" },
        Case {
            method: "GET",
            pattern: "/projects/{id}",
            path: format!("/projects/{mir01}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/projects/{id}/members",
            path: format!("/projects/{mir01}/members"),
            body: f(&[("role", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/projects/{id}/members/remove",
            path: format!("/projects/{mir01}/members/remove"),
            body: f(&[("person_id", "0")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/projects/{id}/status",
            path: format!("/projects/{mir01}/status"),
            body: f(&[("status", "nonsense")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/projects/{id}/gate",
            path: format!("/projects/{mir01}/gate"),
            body: f(&[("decision", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/projects/{id}/irb",
            path: format!("/projects/{mir01}/irb"),
            body: f(&[("number", "")]),
            who: "FAC",
        },
        Case {
            method: "POST",
            pattern: "/projects/{id}/edit",
            path: format!("/projects/{mir01}/edit"),
            body: f(&[("title_ko", "")]),
            who: "FAC",
        },
        Case {
            method: "POST",
            pattern: "/projects/{id}/milestones",
            path: format!("/projects/{mir01}/milestones"),
            body: f(&[("title", "")]),
            who: "FAC",
        },
        Case {
            method: "POST",
            pattern: "/milestones/{id}/done",
            path: format!("/milestones/{done_milestone}/done"),
            body: f(&[]),
            who: "FAC",
        },
        Case {
            method: "POST",
            pattern: "/milestones/{id}/delete",
            path: format!("/milestones/{done_milestone}/delete"),
            body: f(&[]),
            who: "FAC",
        },
        Case { method: "GET", pattern: "/data", path: "/data".into(), body: Body::None, who: "DIR" },
        Case {
            method: "POST",
            pattern: "/data/datasets",
            path: "/data/datasets".into(),
            body: f(&[("name", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/data/requests",
            path: "/data/requests".into(),
            body: f(&[("purpose", "")]),
            who: "DATA_NEW",
        },
        Case {
            method: "POST",
            pattern: "/data/requests/{id}/transition",
            path: format!("/data/requests/{fac_request}/transition"),
            body: f(&[("action", "submit")]),
            who: "FAC",
        },
        Case { method: "GET", pattern: "/institute", path: "/institute".into(), body: Body::None, who: "DIR" },
        Case {
            method: "POST",
            pattern: "/institute/rooms",
            path: "/institute/rooms".into(),
            body: f(&[("code", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/institute/allocations",
            path: "/institute/allocations".into(),
            body: f(&[("group_name", "")]),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/institute/equipment",
            path: "/institute/equipment".into(),
            body: f(&[("code", "")]),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/institute/equipment/{id}",
            path: format!("/institute/equipment/{equipment}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/institute/equipment/{id}/book",
            path: format!("/institute/equipment/{equipment}/book"),
            body: f(&[("date", "")]),
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/institute/bookings/{id}/cancel",
            path: format!("/institute/bookings/{fac_booking}/cancel"),
            body: Body::None,
            who: "FAC",
        },
        Case { method: "GET", pattern: "/notifications", path: "/notifications".into(), body: Body::None, who: "ALL" },
        Case {
            method: "POST",
            pattern: "/notifications/{id}/read",
            path: "/notifications/1/read".into(),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/notifications/read-all",
            path: "/notifications/read-all".into(),
            body: Body::None,
            who: "ALL",
        },
        // last: these change accounts
        Case {
            method: "POST",
            pattern: "/admin/users/{id}/disable",
            path: format!("/admin/users/{victim}/disable"),
            body: Body::None,
            who: "ADMIN",
        },
        Case {
            method: "POST",
            pattern: "/admin/users/{id}/enable",
            path: format!("/admin/users/{victim}/enable"),
            body: Body::None,
            who: "ADMIN",
        },
        // research & translation API, the dashboard and the annual report
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/needs",
            path: format!("/api/v1/consortia/{c}/needs"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/needs",
            path: format!("/api/v1/consortia/{c}/needs"),
            body: Body::Json(empty_need.clone()),
            who: "NEED_NEW",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/needs/{id}",
            path: format!("/api/v1/needs/{n_triage}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/needs/{id}",
            path: format!("/api/v1/needs/{n_returned}"),
            body: Body::Json(empty_need.clone()),
            who: "NEED_OWNER",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/needs/{id}/transition",
            path: format!("/api/v1/needs/{n_triage}/transition"),
            body: Body::Json(json!({"action": "select"})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/needs/{id}/matches",
            path: format!("/api/v1/needs/{n_triage}/matches"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/screening-rounds",
            path: format!("/api/v1/consortia/{c}/screening-rounds"),
            body: Body::None,
            who: "NEED_NEW",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/screening-rounds",
            path: format!("/api/v1/consortia/{c}/screening-rounds"),
            body: Body::Json(json!({"name": "", "criteria": [], "panel": [], "needs": []})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/screening-rounds/{id}",
            path: format!("/api/v1/screening-rounds/{open_round}"),
            body: Body::None,
            who: "NEED_NEW",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/screening-rounds/{id}/scores",
            path: format!("/api/v1/screening-rounds/{open_round}/scores"),
            body: Body::Json(json!({"need_id": round_need, "scores": []})),
            who: "PANEL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/screening-rounds/{id}/close",
            path: format!("/api/v1/screening-rounds/{open_round}/close"),
            body: Body::Json(json!({"selected": [999_999]})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/projects",
            path: format!("/api/v1/consortia/{c}/projects"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/projects",
            path: format!("/api/v1/consortia/{c}/projects"),
            body: Body::Json(empty_project.clone()),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/projects/{id}",
            path: format!("/api/v1/projects/{mir01}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "PUT",
            pattern: "/api/v1/projects/{id}",
            path: format!("/api/v1/projects/{mir01}"),
            body: Body::Json(empty_project.clone()),
            who: "FAC",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/projects/{id}/members",
            path: format!("/api/v1/projects/{mir01}/members"),
            body: Body::Json(json!({"person_id": 999_999, "role": "researcher"})),
            who: "PO",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/projects/{id}/members/{person_id}",
            path: format!("/api/v1/projects/{mir01}/members/999999"),
            body: Body::None,
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/projects/{id}/status",
            path: format!("/api/v1/projects/{mir01}/status"),
            body: Body::Json(json!({"to": "proposed"})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/projects/{id}/gate-reviews",
            path: format!("/api/v1/projects/{mir01}/gate-reviews"),
            body: Body::Json(json!({"decision": "advance", "evidence": []})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/projects/{id}/irb-approvals",
            path: format!("/api/v1/projects/{mir01}/irb-approvals"),
            body: Body::Json(
                json!({"number": "", "board": "", "approved_on": "2026-01-02", "expires_on": "2026-01-01"}),
            ),
            who: "FAC",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/projects/{id}/milestones",
            path: format!("/api/v1/projects/{mir01}/milestones"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/projects/{id}/milestones",
            path: format!("/api/v1/projects/{mir01}/milestones"),
            body: Body::Json(json!({"title": "", "due_on": "2027-01-01"})),
            who: "FAC",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/milestones/{id}/done",
            path: format!("/api/v1/milestones/{done_milestone}/done"),
            body: Body::Json(json!({})),
            who: "FAC",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/milestones/{id}",
            path: format!("/api/v1/milestones/{done_milestone}"),
            body: Body::None,
            who: "FAC",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/milestones-due",
            path: format!("/api/v1/consortia/{c}/milestones-due"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/datasets",
            path: format!("/api/v1/consortia/{c}/datasets"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/datasets",
            path: format!("/api/v1/consortia/{c}/datasets"),
            body: Body::Json(json!({"name": "", "kind": "", "sensitivity": "", "institution_id": 1})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/data-access",
            path: format!("/api/v1/consortia/{c}/data-access"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/data-access",
            path: format!("/api/v1/consortia/{c}/data-access"),
            body: Body::Json(json!({"project_id": mir01, "dataset_id": dataset, "purpose": ""})),
            who: "DATA_NEW",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/data-access/{id}/transition",
            path: format!("/api/v1/data-access/{fac_request}/transition"),
            body: Body::Json(json!({"action": "submit"})),
            who: "FAC",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/space",
            path: format!("/api/v1/consortia/{c}/space"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/rooms",
            path: format!("/api/v1/consortia/{c}/rooms"),
            body: Body::Json(json!({"code": "", "name": "", "area_m2": "1"})),
            who: "PO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/rooms/{id}/allocations",
            path: format!("/api/v1/rooms/{room}/allocations"),
            body: Body::Json(json!({"group_name": "", "area_m2": "1"})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/equipment",
            path: format!("/api/v1/consortia/{c}/equipment"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/equipment",
            path: format!("/api/v1/consortia/{c}/equipment"),
            body: Body::Json(json!({"code": "", "name": ""})),
            who: "PO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/equipment/{id}/bookings",
            path: format!("/api/v1/equipment/{equipment}/bookings"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/equipment/{id}/bookings",
            path: format!("/api/v1/equipment/{equipment}/bookings"),
            body: Body::Json(json!({"start": "2027-01-01T10:00:00Z", "end": "2027-01-01T09:00:00Z"})),
            who: "DIR",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/bookings/{id}",
            path: format!("/api/v1/bookings/{fac_booking}"),
            body: Body::None,
            who: "FAC",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/notifications",
            path: "/api/v1/notifications".into(),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/notifications/read",
            path: "/api/v1/notifications/read".into(),
            body: Body::Json(json!({})),
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/reports/annual",
            path: format!("/api/v1/consortia/{c}/reports/annual?year=2026&format=csv"),
            body: Body::None,
            who: "BUDGET",
        },
        // patents: every member reads the counts, all but reviewers the families; events by office/coordinators.
        Case { method: "GET", pattern: "/patents", path: "/patents".into(), body: Body::None, who: "ALL" },
        // SCI journal lists.
        Case {
            method: "GET",
            pattern: "/publications/sci",
            path: "/publications/sci".into(),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/publications/sci",
            path: "/publications/sci".into(),
            body: Body::File("list.csv", vec![]),
            who: "REVIEW",
        },
        Case {
            method: "POST",
            pattern: "/publications/sci/{year}/delete",
            path: "/publications/sci/1999/delete".into(),
            body: f(&[]),
            who: "REVIEW",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/sci-journals",
            path: format!("/api/v1/consortia/{c}/sci-journals"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/sci-journals/import",
            path: format!("/api/v1/consortia/{c}/sci-journals/import?dry_run=true"),
            body: Body::None,
            who: "REVIEW",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/consortia/{id}/sci-journals/{year}",
            path: format!("/api/v1/consortia/{c}/sci-journals/1999"),
            body: Body::None,
            who: "REVIEW",
        },
        // A publication's author roles and project links.
        Case {
            method: "POST",
            pattern: "/publications/{id}/projects",
            path: format!("/publications/{own_paper}/projects"),
            body: f(&[("project_id", "")]),
            who: "PUB_AUTHOR",
        },
        Case {
            method: "POST",
            pattern: "/publications/{id}/projects/{project_id}/unlink",
            path: format!("/publications/{own_paper}/projects/999999/unlink"),
            body: f(&[]),
            who: "PUB_AUTHOR",
        },
        Case {
            method: "POST",
            pattern: "/authors/{id}/roles",
            path: format!("/authors/{own_paper_author}/roles"),
            body: f(&[("role", "corresponding"), ("value", "")]),
            who: "PUB_AUTHOR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/publications/{id}/projects",
            path: format!("/api/v1/publications/{own_paper}/projects"),
            body: Body::Json(json!({"project_id": 999999})),
            who: "PUB_AUTHOR",
        },
        Case {
            method: "DELETE",
            pattern: "/api/v1/publications/{id}/projects/{project_id}",
            path: format!("/api/v1/publications/{own_paper}/projects/999999"),
            body: Body::None,
            who: "PUB_AUTHOR",
        },
        Case {
            method: "PATCH",
            pattern: "/api/v1/authors/{id}",
            path: format!("/api/v1/authors/{own_paper_author}"),
            body: Body::Json(json!({"is_corresponding": false})),
            who: "PUB_AUTHOR",
        },
        // Author confirmation.
        Case {
            method: "GET",
            pattern: "/publications/authors",
            path: "/publications/authors".into(),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/author-candidates/{id}/reject",
            path: format!("/author-candidates/{author}/reject"),
            body: f(&[]),
            who: "REVIEW",
        },
        Case {
            method: "POST",
            pattern: "/author-candidates/{id}/confirm",
            path: format!("/author-candidates/{author}/confirm"),
            body: f(&[]),
            who: "REVIEW",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/author-candidates",
            path: format!("/api/v1/consortia/{c}/author-candidates"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/author-candidates/{id}/confirm",
            path: format!("/api/v1/author-candidates/{author}/confirm"),
            body: Body::None,
            who: "REVIEW",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/author-candidates/{id}/reject",
            path: format!("/api/v1/author-candidates/{author}/reject"),
            body: Body::None,
            who: "REVIEW",
        },
        // Commercialization pages.
        Case {
            method: "GET",
            pattern: "/commercialization",
            path: "/commercialization".into(),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/commercialization/disclosures",
            path: "/commercialization/disclosures".into(),
            body: f(&[("title_ko", "")]),
            who: "DISCLOSE",
        },
        Case {
            method: "POST",
            pattern: "/commercialization/transfers",
            path: "/commercialization/transfers".into(),
            body: f(&[("licensee", "")]),
            who: "TTO",
        },
        Case {
            method: "POST",
            pattern: "/commercialization/startups",
            path: "/commercialization/startups".into(),
            body: f(&[("name", "")]),
            who: "TTO",
        },
        Case {
            method: "POST",
            pattern: "/transfers/{id}/royalties",
            path: format!("/transfers/{transfer}/royalties"),
            body: f(&[("amount_krw", "x")]),
            who: "TTO",
        },
        Case {
            method: "POST",
            pattern: "/startups/{id}/rounds",
            path: format!("/startups/{startup}/rounds"),
            body: f(&[("amount_krw", "x")]),
            who: "TTO",
        },
        Case {
            method: "GET",
            pattern: "/disclosures/{id}",
            path: format!("/disclosures/{disclosure}"),
            body: Body::None,
            who: "DISCLOSE",
        },
        Case {
            method: "POST",
            pattern: "/disclosures/{id}/assess",
            path: format!("/disclosures/{disclosure}/assess"),
            body: f(&[("assessed_on", "")]),
            who: "TTO",
        },
        Case {
            method: "POST",
            pattern: "/disclosures/{id}/action",
            path: format!("/disclosures/{disclosure}/action"),
            body: f(&[("action", "nonsense")]),
            who: "TTO",
        },
        // Commercialization API.
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/commercialization",
            path: format!("/api/v1/consortia/{c}/commercialization"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/disclosures",
            path: format!("/api/v1/consortia/{c}/disclosures"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/disclosures",
            path: format!("/api/v1/consortia/{c}/disclosures"),
            body: Body::Json(json!({"title_ko": "", "inventors": [], "received_on": "2026-01-01"})),
            who: "DISCLOSE",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/disclosures/{id}",
            path: format!("/api/v1/disclosures/{disclosure}"),
            body: Body::None,
            who: "DISCLOSE",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/disclosures/{id}/assessment",
            path: format!("/api/v1/disclosures/{disclosure}/assessment"),
            body: Body::Json(json!({"grade": "A", "assessor": "x", "assessed_on": "2026-01-01"})),
            who: "TTO",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/disclosures/{id}/actions",
            path: format!("/api/v1/disclosures/{disclosure}/actions"),
            body: Body::Json(json!({"action": "start_assessment"})),
            who: "TTO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/transfers",
            path: format!("/api/v1/consortia/{c}/transfers"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/transfers",
            path: format!("/api/v1/consortia/{c}/transfers"),
            body: Body::Json(
                json!({"licensee": "", "kind": "other", "contract_date": "2026-01-01", "upfront_fee_krw": -1}),
            ),
            who: "TTO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/transfers/{id}",
            path: format!("/api/v1/transfers/{transfer}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/transfers/{id}/royalties",
            path: format!("/api/v1/transfers/{transfer}/royalties"),
            body: Body::Json(json!({"paid_on": "2000-01-01", "amount_krw": 0})),
            who: "TTO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/startups",
            path: format!("/api/v1/consortia/{c}/startups"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/startups",
            path: format!("/api/v1/consortia/{c}/startups"),
            body: Body::Json(
                json!({"name": "", "founded_on": "2026-01-01", "region": "gwangju", "founder_person_ids": []}),
            ),
            who: "TTO",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/startups/{id}",
            path: format!("/api/v1/startups/{startup}"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/startups/{id}/rounds",
            path: format!("/api/v1/startups/{startup}/rounds"),
            body: Body::Json(json!({"date": "2000-01-01", "stage": "seed", "amount_krw": 0})),
            who: "TTO",
        },
        Case {
            method: "GET",
            pattern: "/patents/{id}",
            path: format!("/patents/{family}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/patents/{id}/events",
            path: format!("/patents/{family}/events"),
            body: f(&[("application_id", &application.to_string()), ("kind", "x"), ("date", "2027-01-01")]),
            who: "COORDS",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/consortia/{id}/patents",
            path: format!("/api/v1/consortia/{c}/patents"),
            body: Body::None,
            who: "ALL",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/patents",
            path: format!("/api/v1/consortia/{c}/patents"),
            body: Body::Json(json!({"title_ko": ""})),
            who: "IMPORT",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/consortia/{id}/patents/import",
            path: format!("/api/v1/consortia/{c}/patents/import?dry_run=true"),
            body: Body::None,
            who: "IMPORT",
        },
        Case {
            method: "GET",
            pattern: "/api/v1/patents/{id}",
            path: format!("/api/v1/patents/{family}"),
            body: Body::None,
            who: "DIR",
        },
        Case {
            method: "POST",
            pattern: "/api/v1/patent-applications/{id}/events",
            path: format!("/api/v1/patent-applications/{application}/events"),
            body: Body::Json(json!({"kind": "x", "date": "2027-01-01"})),
            who: "COORDS",
        },
        Case { method: "GET", pattern: "/dashboard", path: "/dashboard".into(), body: Body::None, who: "BUDGET" },
        Case {
            method: "GET",
            pattern: "/reports/annual",
            path: "/reports/annual?year=2026&format=csv".into(),
            body: Body::None,
            who: "BUDGET",
        },
    ];

    let mut sessions = Vec::new();
    for r in ROLES {
        sessions.push((r, app.session(login_of(r)).await));
    }
    let mut failures = Vec::new();
    for case in &cases {
        let ok_roles = allowed(case.who);
        // Anonymous visitors: pages send them to the login page, the API answers 401.
        let anon = call(&app, case, None).await;
        let anon_ok = if case.path.starts_with("/api/") {
            anon.status == StatusCode::UNAUTHORIZED
        } else {
            anon.status.is_redirection() && anon.location().is_some_and(|l| l.starts_with("/login"))
        };
        if !anon_ok {
            failures.push(format!("{} {} anonymous: {}", case.method, case.path, anon.status));
        }
        // Denied roles first, so that allowed roles' changes cannot hide a wrong answer.
        let (denied, permitted): (Vec<_>, Vec<_>) = sessions.iter().partition(|(r, _)| !ok_roles.contains(r));
        for (role, s) in denied.into_iter().chain(permitted) {
            let resp = call(&app, case, Some(s)).await;
            let expect_allowed = ok_roles.contains(role);
            let st = resp.status;
            let good = if expect_allowed {
                st != StatusCode::FORBIDDEN && st != StatusCode::UNAUTHORIZED && !st.is_server_error()
            } else {
                st == StatusCode::FORBIDDEN
            };
            if !good {
                failures.push(format!(
                    "{} {} as {role}: got {st}, expected {}",
                    case.method,
                    case.path,
                    if expect_allowed { "access" } else { "403" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));

    // The coverage check below reads the same table.
    let covered: BTreeSet<String> = cases.iter().map(|c| format!("{} {}", c.method, c.pattern)).collect();
    let registered = registered_routes();
    let public: BTreeSet<&str> =
        ["GET /", "GET /static/app.css", "GET /login", "POST /login", "POST /logout", "POST /lang"].into();
    let missing: Vec<_> = registered.iter().filter(|r| !covered.contains(*r) && !public.contains(r.as_str())).collect();
    assert!(missing.is_empty(), "routes without an access-matrix row: {missing:?}");
}

/// Every `METHOD path` registered in the page and API routers, read from the source.
fn registered_routes() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeSet::new();
    for (dir, prefix) in [("pages", ""), ("api", "/api/v1")] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let src = std::fs::read_to_string(e.unwrap().path()).unwrap();
            for chunk in src.split(".route(\"").skip(1) {
                let path = &chunk[..chunk.find('"').unwrap()];
                let rest = chunk.lines().next().unwrap_or("");
                for (m, name) in [("get(", "GET"), ("post(", "POST"), ("put(", "PUT"), ("delete(", "DELETE")] {
                    if rest.contains(m) {
                        out.insert(format!("{name} {prefix}{path}"));
                    }
                }
            }
        }
    }
    assert!(out.len() > 50, "found only {} routes: the scan is broken", out.len());
    out
}
