//! The `medist` binary as an operator uses it: configuration errors, an unreachable database, the
//! demo, accounts, tokens, backup and restore, audit verification. On SQLite by default; on
//! PostgreSQL (one schema per test) when MEDIST_TEST_DATABASE_URL is set.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use medist_db::testing;

fn medist(url: &str, args: &[&str]) -> Output {
    medist_stdin(url, args, None)
}

fn medist_stdin(url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_medist"));
    cmd.args(args)
        .env("MEDIST_DATABASE_URL", url)
        .env("MEDIST_LOG", "warn")
        .env_remove("MEDIST_CONFIG")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("medist runs");
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A database URL for one test: a fresh SQLite file, or a fresh PostgreSQL schema.
async fn url_for_test() -> (String, testing::TestDb) {
    let t = testing::fresh().await.unwrap();
    let url = match &t.schema {
        Some(schema) => {
            let sep = if t.url.contains('?') { '&' } else { '?' };
            format!("{}{sep}options=-c%20search_path%3D{schema}", t.url)
        }
        None => t.url.clone(),
    };
    (url, t)
}

#[test]
fn a_malformed_configuration_file_is_named_and_nothing_starts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("medist.toml");
    std::fs::write(&cfg, "bind = 8080\nsecure_cookies = \"maybe\"\n").unwrap();
    let o = medist("sqlite://x.db", &["--config", cfg.to_str().unwrap(), "migrate"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("medist.toml"), "{t}");
    assert!(t.contains("secure_cookies") || t.contains("bind"), "{t}");
}

#[test]
fn an_unreachable_database_is_reported_without_the_password() {
    let o = medist("postgres://medist:s3cret@127.0.0.1:1/medist", &["migrate"]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("cannot open the database"), "{t}");
    assert!(!t.contains("s3cret"), "the password leaked: {t}");
    let o = medist("mysql://x@y/z", &["migrate"]);
    assert!(text(&o).contains("unsupported database URL"), "{}", text(&o));
}

#[tokio::test]
async fn demo_accounts_tokens_backup_restore_and_audit() {
    let (url, _t) = url_for_test().await;
    let o = medist(&url, &["demo", "load"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("login:    admin") && out.contains("MIRACLE demo loaded"), "{out}");
    assert!(!medist(&url, &["demo", "load"]).status.success(), "a second load is refused");

    let o = medist(&url, &["consortium"]);
    let t = text(&o);
    assert!(t.contains("194억 원") && t.contains("의사과학자 6, 의과학자 12"), "{t}");

    let o = medist_stdin(
        &url,
        &["user", "add", "kim@gist.ac.kr", "--name", "Kim", "--password-stdin"],
        Some("a long passphrase\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("a long passphrase"), "the password is never printed back");
    let o = medist(
        &url,
        &[
            "user",
            "grant",
            "kim@gist.ac.kr",
            "institution_coordinator",
            "--consortium",
            "MIRACLE",
            "--institution",
            "1",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = medist(&url, &["user", "grant", "kim@gist.ac.kr", "wizard"]);
    assert!(!o.status.success() && text(&o).contains("unknown role 'wizard'"), "{}", text(&o));
    let o = medist(&url, &["user", "grant", "kim@gist.ac.kr", "institution_coordinator"]);
    assert!(!o.status.success() && text(&o).contains("institution"), "{}", text(&o));

    let o = medist(&url, &["token", "create", "kim@gist.ac.kr", "--name", "script", "--scope", "write"]);
    assert!(o.status.success(), "{}", text(&o));
    let token = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(token.starts_with("mdt_"), "{token}");
    let o = medist(&url, &["token", "list", "kim@gist.ac.kr"]);
    assert!(text(&o).contains("script") && !text(&o).contains(&token));

    let o = medist(
        &url,
        &["people", "add", "--name-ko", "이서연", "--name-en", "Seoyeon Lee", "--email", "bad", "--institution", "1"],
    );
    assert!(!o.status.success() && text(&o).contains("email: invalid-email"), "{}", text(&o));
    let o = medist(&url, &["people", "list", "--q", "서연"]);
    assert!(text(&o).contains("0 in all"), "{}", text(&o));

    let o = medist(
        &url,
        &[
            "institutions",
            "add",
            "--name-ko",
            "광주과학기술원 AI대학원",
            "--name-en",
            "GIST AI Graduate School",
            "--short-name",
            "GIST AI",
            "--kind",
            "castle",
        ],
    );
    assert!(!o.status.success() && text(&o).contains("kind: unknown-value"), "{}", text(&o));
    let o = medist(
        &url,
        &[
            "institutions",
            "add-unit",
            "1",
            "--name-ko",
            "AI대학원",
            "--name-en",
            "Graduate School of AI",
            "--kind",
            "department",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = medist(&url, &["people", "edit", "2", "--email", "seojun.park@cnu.ac.kr"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = medist(&url, &["people", "list", "--q", "seojun.park@"]);
    assert!(text(&o).contains("1 in all"), "{}", text(&o));
    let o = medist(&url, &["institutions", "archive", "1"]);
    assert!(!o.status.success() && text(&o).contains("institution-has-people"), "{}", text(&o));

    let o = medist(&url, &["audit-degree", "trainee01.sample@miracle.example"]);
    let t = text(&o);
    assert!(o.status.success() && t.contains("as BSE7201 by equivalence") && t.contains("result: NOT MET"), "{t}");
    let o = medist(&url, &["audit-degree", "trainee01.sample@miracle.example", "--what-if", "md_phd"]);
    assert!(o.status.success() && text(&o).starts_with("WHAT-IF"), "{}", text(&o));
    let o = medist(&url, &["audit-degree", "nobody@miracle.example"]);
    assert!(!o.status.success() && text(&o).contains("no person with the e-mail"), "{}", text(&o));
    let o = medist(&url, &["trainees", "list", "--status", "applicant"]);
    assert!(o.status.success() && text(&o).contains("applicant"), "{}", text(&o));

    let bib = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../medist-biblio/tests/data/tugboat_excerpt.bib");
    let o = medist(&url, &["import", "publications", bib.to_str().unwrap(), "--dry-run"]);
    assert!(
        o.status.success() && text(&o).contains("dry run, nothing written") && text(&o).contains("new 2"),
        "{}",
        text(&o)
    );
    let o = medist(&url, &["import", "publications", bib.to_str().unwrap()]);
    assert!(o.status.success() && text(&o).contains("imported") && text(&o).contains("new 2"), "{}", text(&o));
    let o = medist(&url, &["import", "publications", bib.to_str().unwrap()]);
    assert!(o.status.success() && text(&o).contains("new 0, duplicates skipped 2"), "{}", text(&o));
    let o = medist(&url, &["import", "publications", "/nonexistent/file.bib"]);
    assert!(!o.status.success() && text(&o).contains("cannot open /nonexistent/file.bib"), "{}", text(&o));

    // An XLSX list: the wrong sheet is named with the others, the right one imports and links a project by its code.
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("papers.xlsx");
    let cell = |v: &str| medist_tabular::CellValue::Text(v.into());
    let sheets = [
        medist_tabular::SheetData { name: "Summary".into(), headers: vec!["n".into()], rows: vec![vec![cell("1")]] },
        medist_tabular::SheetData {
            name: "Papers".into(),
            headers: ["Title", "Year", "Authors", "Corresponding author", "Funding"].map(String::from).to_vec(),
            rows: vec![vec![
                cell("A spreadsheet paper from the command line"),
                cell("2026"),
                cell("Park, Seojun; Kim, Tae"),
                cell("Kim, Tae"),
                cell("MIR-2026-02"),
            ]],
        },
    ];
    std::fs::write(&xlsx, medist_tabular::write_xlsx(&sheets).unwrap()).unwrap();
    let o = medist(&url, &["import", "publications", xlsx.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("`Papers`") && text(&o).contains("NOT imported"), "{}", text(&o));
    let o = medist(&url, &["import", "publications", xlsx.to_str().unwrap(), "--sheet", "Papers"]);
    assert!(o.status.success() && text(&o).contains("new 1"), "{}", text(&o));
    let o = medist(&url, &["publications", "list", "--q", "spreadsheet paper"]);
    let t = text(&o);
    assert!(o.status.success() && t.contains("1 of 1 publications"), "{t}");
    let id = t.split_whitespace().next().unwrap().to_string();
    let o = medist(&url, &["publications", "show", &id]);
    let t = text(&o);
    assert!(t.contains("Kim, Tae (corresponding)") && t.contains("MIR-2026-02"), "{t}");
    let o = medist(&url, &["publications", "link", &id, "--project", "mir-2026-03"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = medist(&url, &["publications", "link", &id, "--project", "MIR-2026-03"]);
    assert!(!o.status.success() && text(&o).contains("already-linked"), "{}", text(&o));
    let o = medist(&url, &["publications", "unlink", &id, "--project", "MIR-2026-02"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = medist(&url, &["publications", "link", &id, "--project", "NOPE-1"]);
    assert!(!o.status.success() && text(&o).contains("no research project `NOPE-1`"), "{}", text(&o));
    let o = medist(&url, &["publications", "show", &id, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&String::from_utf8_lossy(&o.stdout)).unwrap();
    assert_eq!(v["projects"].as_array().unwrap().len(), 1);
    assert_eq!(v["projects"][0]["code"], "MIR-2026-03");
    let first = v["authors"][0]["id"].as_i64().unwrap().to_string();
    let o = medist(&url, &["publications", "author", &first, "--first", "false"]);
    assert!(!o.status.success() && text(&o).contains("last-first-author"), "{}", text(&o));

    let o = medist(&url, &["kpi"]);
    assert!(o.status.success() && text(&o).contains("joint_courses") && text(&o).contains("/ 16"), "{}", text(&o));
    let o = medist(&url, &["kpi", "joint_courses"]);
    assert!(o.status.success() && text(&o).contains("counted: record"), "{}", text(&o));
    let o = medist(&url, &["kpi", "nothing"]);
    assert!(!o.status.success() && text(&o).contains("no KPI with the code 'nothing'"), "{}", text(&o));

    let o = medist(&url, &["budget", "show"]);
    let t = text(&o);
    assert!(o.status.success() && t.contains("194억 원") && t.contains("[pass] 정부출연금 총액 166억 원 이하"), "{t}");
    let o = medist(
        &url,
        &[
            "budget",
            "add-line",
            "--source",
            "msit",
            "--institution",
            "1",
            "--year",
            "2031",
            "--category",
            "personnel",
            "--amount",
            "1억",
        ],
    );
    assert!(!o.status.success() && text(&o).contains("year-outside-period"), "{}", text(&o));
    let o = medist(
        &url,
        &[
            "budget",
            "add-line",
            "--source",
            "msit",
            "--institution",
            "1",
            "--year",
            "2027",
            "--category",
            "personnel",
            "--amount",
            "-5",
        ],
    );
    assert!(!o.status.success() && text(&o).contains("amount: amount-negative"), "{}", text(&o));
    let o = medist(
        &url,
        &[
            "budget",
            "add-line",
            "--source",
            "matching",
            "--institution",
            "1",
            "--year",
            "2027",
            "--category",
            "student_support",
            "--amount",
            "1억 2,000만",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let id: String = text(&o).split_whitespace().nth(2).unwrap().to_string();
    let o = medist(
        &url,
        &[
            "budget",
            "spend",
            &id,
            "--amount",
            "2억",
            "--date",
            "2027-03-02",
            "--description",
            "장학금",
            "--evidence",
            "SCH-1",
        ],
    );
    assert!(!o.status.success() && text(&o).contains("overspend"), "{}", text(&o));
    let o = medist(
        &url,
        &[
            "budget",
            "spend",
            &id,
            "--amount",
            "20,000,000",
            "--date",
            "2027-03-02",
            "--description",
            "장학금",
            "--evidence",
            "SCH-1",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = medist(&url, &["budget", "amend", &id, "--delta=-110,000,000", "--date", "2027-04-01", "--reason", "감액"]);
    assert!(!o.status.success() && text(&o).contains("below-spent"), "{}", text(&o));
    let o = medist(&url, &["budget", "show"]);
    assert!(text(&o).contains("[FAIL] 총 사업비 194억 원"), "the added line breaks the program total: {}", text(&o));

    let o = medist(&url, &["audit", "verify"]);
    assert!(o.status.success() && text(&o).contains("audit log intact"), "{}", text(&o));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("medist-backup.jsonl");
    let o = medist(&url, &["backup", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!std::fs::read_to_string(&file).unwrap().contains(&token), "tokens are stored hashed, also in backups");

    let (url2, _t2) = url_for_test().await;
    let o = medist(&url2, &["restore", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let o = medist(&url2, &["audit", "verify"]);
    assert!(o.status.success() && text(&o).contains("audit log intact"), "{}", text(&o));
    let o = medist(&url2, &["user", "list"]);
    assert!(
        text(&o).contains("kim@gist.ac.kr") && text(&o).contains("institution_coordinator@consortium:1@institution:1"),
        "{}",
        text(&o)
    );
    let o = medist(&url2, &["restore", file.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("restore-needs-empty-database"), "{}", text(&o));
}

#[tokio::test]
async fn a_roster_imports_from_the_command_line_and_the_training_tables_export() {
    let (url, _t) = url_for_test().await;
    assert!(medist(&url, &["demo", "load"]).status.success());
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("명단.csv");
    std::fs::write(
        &roster,
        "\u{feff}성명,이메일,구분,소속 기관,학위과정,트랙,학적 상태,시작일\n\
         김하늘,haneul@gist.example,박사과정,GIST,joint_phd,면역항암,재학,2026-03-02\n\
         박바다,bada@gist.example,박사과정,GIST,joint_phd,우주의학,재학,2026-03-02\n",
    )
    .unwrap();
    let path = roster.to_str().unwrap();
    let o = medist(&url, &["import", "trainees", path, "--dry-run"]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("명단.csv: row 3, column F (track)") && t.contains("nothing was imported"), "{t}");
    std::fs::write(
        &roster,
        "\u{feff}성명,이메일,구분,소속 기관,학위과정,트랙,학적 상태,시작일\n\
         김하늘,haneul@gist.example,박사과정,GIST,joint_phd,면역항암,재학,2026-03-02\n",
    )
    .unwrap();
    let o = medist(&url, &["import", "trainees", path, "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 new") && text(&o).contains("dry run"), "{}", text(&o));
    let o = medist(&url, &["import", "trainees", path]);
    assert!(text(&o).contains("imported"), "{}", text(&o));
    let o = medist(&url, &["import", "trainees", path]);
    assert!(text(&o).contains("0 new") && text(&o).contains("1 already present"), "{}", text(&o));

    let o = medist(&url, &["progress", "training-tables", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["alumni"]["in_region"], 2);
    let out = dir.path().join("tables.xlsx");
    let o = medist(&url, &["export", "training-tables", "--format", "xlsx", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    let o = medist(&url, &["progress", "overdue"]);
    assert!(o.status.success() && text(&o).contains("days overdue"), "{}", text(&o));

    let o = medist(&url, &["offerings"]);
    assert!(o.status.success() && text(&o).contains("BSE7101") && text(&o).contains("2026-2"), "{}", text(&o));
    let rules = dir.path().join("bad.rules");
    std::fs::write(
        &rules,
        "program joint_phd {\n  title \"x\"\n  catalog_year 2026\n  home GIST\n  requires nothing\n}\n",
    )
    .unwrap();
    let o = medist(&url, &["program-rules", "joint_phd", rules.to_str().unwrap(), "--check"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("bad.rules:5:") && text(&o).contains("nothing"), "{}", text(&o));
}
