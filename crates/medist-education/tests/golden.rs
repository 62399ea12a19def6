//! Golden-file tests: MIRACLE sample rule sets and trainees under `tests/golden/`, audited and rendered to text and
//! JSON, compared with the `*.expected.*` files. Run with `UPDATE_GOLDEN=1` to rewrite the expected files.

use std::fs;
use std::path::{Path, PathBuf};

use medist_education::audit::{AuditContext, SecondProgramUsage, TraineeRecord, audit, render_text, what_if_audit};
use medist_education::courses::{Catalog, Equivalence};
use medist_education::credits::Credits;
use medist_education::grades::GradeScales;
use medist_education::rules::{RuleSet, parse_rules, validate_rules};
use serde::Deserialize;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Compares `actual` with the file at `path`, or writes it when `UPDATE_GOLDEN=1`.
fn check_golden(path: &Path, actual: &str) {
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = read(path);
    assert!(
        expected == actual,
        "golden file {} differs (rerun with UPDATE_GOLDEN=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

struct Fixtures {
    catalog: Catalog,
    equivalences: Vec<Equivalence>,
    scales: GradeScales,
}

fn fixtures() -> Fixtures {
    let dir = golden_dir();
    let catalog: Catalog = serde_json::from_str(&read(&dir.join("catalog.json"))).unwrap();
    let equivalences: Vec<Equivalence> = serde_json::from_str(&read(&dir.join("equivalences.json"))).unwrap();
    catalog.check_equivalences(&equivalences).unwrap();
    Fixtures { catalog, equivalences, scales: GradeScales::default() }
}

fn load_rules(name: &str, fx: &Fixtures) -> RuleSet {
    let rules = parse_rules(&read(&golden_dir().join(name))).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Err(errors) = validate_rules(&rules, &fx.catalog, &fx.equivalences, &fx.scales) {
        panic!("{name} does not validate: {errors:#?}");
    }
    rules
}

#[derive(Deserialize)]
struct SecondProgram {
    rules: String,
    max_shared_credits: Option<Credits>,
}

#[derive(Deserialize)]
struct Case {
    description: String,
    rules: String,
    what_if: bool,
    second_program: Option<SecondProgram>,
    record: TraineeRecord,
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(golden_dir().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn sample_rule_sets_parse_and_validate() {
    let fx = fixtures();
    for name in ["joint_phd.rules", "md_phd.rules"] {
        let rules = load_rules(name, &fx);
        assert!(!rules.requirements.is_empty(), "{name}");
    }
}

#[test]
fn audits_match_golden_files() {
    let fx = fixtures();
    let ctx = AuditContext { catalog: &fx.catalog, equivalences: &fx.equivalences, scales: &fx.scales };
    let files = case_files();
    assert!(files.len() >= 5, "expected at least five golden cases, found {}", files.len());
    for path in files {
        let case: Case = serde_json::from_str(&read(&path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!case.description.is_empty());
        let rules = load_rules(&case.rules, &fx);
        let usage = case.second_program.as_ref().map(|s| {
            let other = load_rules(&s.rules, &fx);
            let other_report = audit(&other, &ctx, &case.record, None).unwrap();
            SecondProgramUsage::from_report(&other_report, s.max_shared_credits)
        });
        let report = if case.what_if {
            what_if_audit(&rules, &ctx, &case.record, usage.as_ref())
        } else {
            audit(&rules, &ctx, &case.record, usage.as_ref())
        }
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = format!("# {}\n{}", case.description, render_text(&report));
        check_golden(&path.with_file_name(format!("{stem}.expected.txt")), &text);
        let json = serde_json::to_string_pretty(&report).unwrap() + "\n";
        check_golden(&path.with_file_name(format!("{stem}.expected.json")), &json);
    }
}

#[test]
fn invalid_rule_files_report_line_and_column() {
    let fx = fixtures();
    let dir = golden_dir().join("invalid");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rules"))
        .collect();
    files.sort();
    assert!(files.len() >= 2);
    for path in files {
        let text = read(&path);
        let errors: Vec<String> = match parse_rules(&text) {
            Err(e) => vec![format!("parse error: {e}")],
            Ok(rules) => match validate_rules(&rules, &fx.catalog, &fx.equivalences, &fx.scales) {
                Ok(()) => panic!("{} should not validate", path.display()),
                Err(errs) => errs.iter().map(|e| format!("invalid: {e}")).collect(),
            },
        };
        check_golden(&path.with_extension("errors.txt"), &(errors.join("\n") + "\n"));
    }
}
