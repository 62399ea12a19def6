//! Spreadsheet import: one flat row of raw text → one validated patent application with its events, plus the
//! family data of that row (titles, owners, inventors with shares) for the caller to match and store.
//!
//! The importer upstream maps its columns to the field names in [`fields`] (e.g. 출원번호 → `application_number`)
//! and passes each row as a `BTreeMap<String, String>` with its row number. [`patent_from_row`] checks everything it
//! can and reports all problems of the row at once, each naming the field (one of [`fields`], with an index for
//! list entries such as `inventors[1].share_bp`) and the reason.
//!
//! Values are trimmed; `-`, `–`, `—`, `N/A` and `없음` count as blank. Keys not in [`fields`] are ignored.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::parse_date;
use crate::error::{IpError, Reason, err};
use crate::jurisdiction::Jurisdiction;
use crate::numbers::{NumberKind, normalize_number};
use crate::patent::{ApplicationStatus, MAX_TITLE_CHARS, PatentApplication, PatentEvent, PatentEventKind};
use crate::shares::{check_shares, equal_bps, parse_share_list};

/// The field names a row may have. Only [`fields::JURISDICTION`], [`fields::APPLICATION_NUMBER`],
/// [`fields::APPLICATION_DATE`] and one of the titles are required.
pub mod fields {
    /// Key grouping the rows of one family (the institution's docket number, 관리번호). Optional.
    pub const FAMILY_REF: &str = "family_ref";
    /// Korean title (발명의 명칭). One of the two titles is required.
    pub const TITLE_KO: &str = "title_ko";
    /// English title.
    pub const TITLE_EN: &str = "title_en";
    /// Jurisdiction (출원국): KR, US, EP, JP, CN, PCT/WO, another ISO code, or 한국/미국/… Required.
    pub const JURISDICTION: &str = "jurisdiction";
    /// Application number (출원번호); for KR 10-YYYY-NNNNNNN. Required.
    pub const APPLICATION_NUMBER: &str = "application_number";
    /// Filing date (출원일). Required.
    pub const APPLICATION_DATE: &str = "application_date";
    /// Publication number (공개번호). Optional; needs the publication date.
    pub const PUBLICATION_NUMBER: &str = "publication_number";
    /// Publication date (공개일). Optional.
    pub const PUBLICATION_DATE: &str = "publication_date";
    /// Registration number (등록번호); for KR 10-NNNNNNN. With the registration date or not at all.
    pub const REGISTRATION_NUMBER: &str = "registration_number";
    /// Registration date (등록일). With the registration number or not at all.
    pub const REGISTRATION_DATE: &str = "registration_date";
    /// Date abandoned, withdrawn or lapsed (포기일). Optional.
    pub const ABANDONED_DATE: &str = "abandoned_date";
    /// Date finally rejected (거절일). Optional.
    pub const REJECTED_DATE: &str = "rejected_date";
    /// Owner institutions (출원인), names separated by `;`, `,`, `·` or new lines. Optional.
    pub const OWNERS: &str = "owners";
    /// Inventors (발명자) with optional shares: `홍길동 60%; 김철수 40%`, `Tae Kim (50), Ji Park (50)`,
    /// `A:0.5, B:0.5`; without shares 100% is split equally (remainder to the first). Optional.
    pub const INVENTORS: &str = "inventors";
    /// Linked projects (과제), codes or names separated like owners. Optional.
    pub const PROJECTS: &str = "projects";

    /// Every field name, in the order above.
    pub const ALL: [&str; 15] = [
        FAMILY_REF,
        TITLE_KO,
        TITLE_EN,
        JURISDICTION,
        APPLICATION_NUMBER,
        APPLICATION_DATE,
        PUBLICATION_NUMBER,
        PUBLICATION_DATE,
        REGISTRATION_NUMBER,
        REGISTRATION_DATE,
        ABANDONED_DATE,
        REJECTED_DATE,
        OWNERS,
        INVENTORS,
        PROJECTS,
    ];
}

use fields as f;

/// One inventor as written in the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedInventor {
    /// The name as written (trimmed), to be matched to a person by the caller.
    pub name: String,
    /// The share in basis points (10000 = 100%).
    pub share_bp: u32,
}

/// A valid row: the application (id 0, canonical numbers, events in lifecycle order) and the family data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedPatent {
    /// The row number given.
    pub row: usize,
    /// [`fields::FAMILY_REF`], if given.
    pub family_ref: Option<String>,
    /// Korean title (may be empty if the English one is given).
    pub title_ko: String,
    /// English title (may be empty if the Korean one is given).
    pub title_en: String,
    /// Owner institution names as written.
    pub owners: Vec<String>,
    /// Inventors with shares adding up to exactly 100% (empty if the row has none).
    pub inventors: Vec<ImportedInventor>,
    /// Project codes or names as written.
    pub projects: Vec<String>,
    /// The application with its events.
    pub application: PatentApplication,
    /// Its status after the events.
    pub status: ApplicationStatus,
}

/// Everything wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct RowError {
    /// The row number given.
    pub row: usize,
    /// The problems, each on a field of [`fields`].
    pub errors: Vec<IpError>,
}

impl fmt::Display for RowError {
    fn fmt(&self, fm: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(fm, "row {}: ", self.row)?;
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                fm.write_str("; ")?;
            }
            write!(fm, "{e}")?;
        }
        Ok(())
    }
}

/// The value of `key`, trimmed, or `None` when missing or blank (`-`, `N/A`, `없음` …).
fn get<'a>(row: &'a BTreeMap<String, String>, key: &str) -> Option<&'a str> {
    let v = row.get(key)?.trim();
    match v {
        "" | "-" | "–" | "—" | "N/A" | "n/a" | "NA" | "없음" => None,
        _ => Some(v),
    }
}

/// Splits a list cell on `;`, `,`, `·`, `、` and new lines; blank entries are dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([';', ',', '·', '、', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty() && !matches!(*s, "-" | "–" | "—"))
        .map(str::to_string)
        .collect()
}

/// Reads the inventors cell (see [`fields::INVENTORS`]) under `field`. Shares, if given, may be percentages or
/// fractions (see [`crate::shares::parse_share_list`]); they must be given for all inventors or none, and must add
/// up to exactly 100%.
///
/// Errors: `field` `empty`, `share-missing`, `shares-sum-not-100`; `field[i].name` `required` or
/// `duplicate-person`; `field[i]` share parse errors; `field[i].share_bp` `share-not-positive`.
pub fn parse_inventors(field: &str, text: &str) -> Result<Vec<ImportedInventor>, Vec<IpError>> {
    let items = split_list(text);
    if items.is_empty() {
        return Err(vec![err(field, Reason::Empty)]);
    }
    let parsed: Vec<(String, Option<String>)> = items.iter().map(|i| split_name_share(i)).collect();
    let mut errors = Vec::new();
    for (i, (name, _)) in parsed.iter().enumerate() {
        if name.is_empty() {
            errors.push(err(format!("{field}[{i}].name"), Reason::Required));
        }
    }
    let with_share = parsed.iter().filter(|(_, s)| s.is_some()).count();
    let bps: Vec<u32> = if with_share == 0 {
        equal_bps(parsed.len())
    } else if with_share < parsed.len() {
        errors.push(err(field, Reason::ShareMissing));
        return Err(errors);
    } else {
        let texts: Vec<&str> = parsed.iter().filter_map(|(_, s)| s.as_deref()).collect();
        match parse_share_list(field, &texts) {
            Ok(b) => b,
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        }
    };
    let pairs: Vec<(String, u32)> = parsed.iter().map(|(n, _)| n.clone()).zip(bps).collect();
    let named: Vec<(String, u32)> = pairs.iter().filter(|(n, _)| !n.is_empty()).cloned().collect();
    if named.len() == pairs.len() {
        errors.extend(check_shares(field, "name", &pairs));
    }
    if errors.is_empty() {
        Ok(pairs.into_iter().map(|(name, share_bp)| ImportedInventor { name, share_bp }).collect())
    } else {
        Err(errors)
    }
}

/// `홍길동 60%` → (홍길동, 60%); `Tae Kim (50)` → (Tae Kim, 50); `A:0.5` → (A, 0.5); `김철수` → (김철수, none).
fn split_name_share(item: &str) -> (String, Option<String>) {
    let item = item.trim();
    let core = item.strip_suffix(')').or_else(|| item.strip_suffix('）')).unwrap_or(item);
    let is_share_char = |c: char| c.is_ascii_digit() || matches!(c, '.' | '%' | '％' | '-') || c.is_whitespace();
    let start = core.char_indices().rev().take_while(|&(_, c)| is_share_char(c)).last().map(|(i, _)| i);
    match start {
        Some(i) if core[i..].chars().any(|c| c.is_ascii_digit()) => {
            let name = core[..i].trim_end().trim_end_matches(['(', '（', ':', '：', '=']).trim();
            (name.to_string(), Some(core[i..].trim().to_string()))
        }
        _ => (item.to_string(), None),
    }
}

/// Turns one row into a validated patent application (see the module doc).
///
/// Checks, each reported on its field: a title (`title_ko` `required`, `too-long`); `jurisdiction` (`required`,
/// `unknown-jurisdiction`); the numbers (`required`, `invalid-kr-application-number`,
/// `invalid-kr-registration-number`, `application-number-year-before-filing`); the dates (`required`,
/// `invalid-date`); registration number and date given together, a publication number only with its date; the
/// order of events (`registration-before-filing` on `registration_date`, `event-before-filing`,
/// `event-after-abandonment`, … on the date of the later event); inventors and shares (see [`parse_inventors`]).
pub fn patent_from_row(row: usize, cells: &BTreeMap<String, String>) -> Result<ImportedPatent, RowError> {
    let mut errors: Vec<IpError> = Vec::new();
    let title_ko = get(cells, f::TITLE_KO).unwrap_or_default().to_string();
    let title_en = get(cells, f::TITLE_EN).unwrap_or_default().to_string();
    if title_ko.is_empty() && title_en.is_empty() {
        errors.push(err(f::TITLE_KO, Reason::Required));
    }
    for (k, t) in [(f::TITLE_KO, &title_ko), (f::TITLE_EN, &title_en)] {
        if t.chars().count() > MAX_TITLE_CHARS {
            errors.push(err(k, Reason::TooLong { max: MAX_TITLE_CHARS }));
        }
    }
    let jurisdiction = match Jurisdiction::parse(f::JURISDICTION, get(cells, f::JURISDICTION).unwrap_or_default()) {
        Ok(j) => Some(j),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut date = |key: &str, required: bool| -> Option<NaiveDate> {
        match get(cells, key) {
            None if required => {
                errors.push(err(key, Reason::Required));
                None
            }
            None => None,
            Some(t) => parse_date(key, t).map_err(|e| errors.push(e)).ok(),
        }
    };
    let filed_on = date(f::APPLICATION_DATE, true);
    let published_on = date(f::PUBLICATION_DATE, false);
    let registered_on = date(f::REGISTRATION_DATE, false);
    let abandoned_on = date(f::ABANDONED_DATE, false);
    let rejected_on = date(f::REJECTED_DATE, false);
    // Numbers: checked against the jurisdiction when it is known.
    let mut number = |key: &str, kind: NumberKind, required: bool| -> Option<String> {
        let raw = get(cells, key);
        match (raw, &jurisdiction) {
            (None, _) if required => {
                errors.push(err(key, Reason::Required));
                None
            }
            (None, _) => None,
            (Some(t), Some(j)) => normalize_number(key, j, kind, t).map_err(|e| errors.push(e)).ok(),
            (Some(t), None) => Some(t.to_string()),
        }
    };
    let application_number = number(f::APPLICATION_NUMBER, NumberKind::Application, true);
    let publication_number = number(f::PUBLICATION_NUMBER, NumberKind::Publication, false);
    let registration_number = number(f::REGISTRATION_NUMBER, NumberKind::Registration, false);
    // Pairs that go together.
    if get(cells, f::REGISTRATION_NUMBER).is_some() && get(cells, f::REGISTRATION_DATE).is_none() {
        errors.push(err(f::REGISTRATION_DATE, Reason::Required));
    }
    if get(cells, f::REGISTRATION_DATE).is_some() && get(cells, f::REGISTRATION_NUMBER).is_none() {
        errors.push(err(f::REGISTRATION_NUMBER, Reason::Required));
    }
    if get(cells, f::PUBLICATION_NUMBER).is_some() && get(cells, f::PUBLICATION_DATE).is_none() {
        errors.push(err(f::PUBLICATION_DATE, Reason::Required));
    }
    let inventors = match get(cells, f::INVENTORS) {
        None => Vec::new(),
        Some(t) => parse_inventors(f::INVENTORS, t).unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        }),
    };
    let owners = get(cells, f::OWNERS).map(split_list).unwrap_or_default();
    let projects = get(cells, f::PROJECTS).map(split_list).unwrap_or_default();
    let family_ref = get(cells, f::FAMILY_REF).map(str::to_string);

    // The events, if the parts they need are all there; `fields_of[i]` = (date field, number field) of event i.
    let mut result = None;
    if let (Some(j), Some(filed_on), Some(app_no)) = (&jurisdiction, filed_on, &application_number) {
        let mut events = vec![PatentEvent::filed(filed_on, app_no)];
        let mut fields_of = vec![(f::APPLICATION_DATE, f::APPLICATION_NUMBER)];
        if let Some(p) = published_on {
            events.push(PatentEvent::published(p, publication_number.as_deref()));
            fields_of.push((f::PUBLICATION_DATE, f::PUBLICATION_NUMBER));
        }
        if let (Some(r), Some(n)) = (registered_on, &registration_number) {
            events.push(PatentEvent::registered(r, n));
            fields_of.push((f::REGISTRATION_DATE, f::REGISTRATION_NUMBER));
        }
        for (d, key, kind) in [
            (abandoned_on, f::ABANDONED_DATE, PatentEventKind::Abandoned),
            (rejected_on, f::REJECTED_DATE, PatentEventKind::Rejected),
        ] {
            if let Some(d) = d {
                events.push(PatentEvent::new(kind, d));
                fields_of.push((key, key));
            }
        }
        let application = PatentApplication { id: 0, jurisdiction: j.clone(), events };
        match application.validate() {
            Ok(status) => result = Some((application, status)),
            Err(es) => errors.extend(es.into_iter().map(|e| rename_event_field(e, &fields_of))),
        }
    }
    match result {
        Some((application, status)) if errors.is_empty() => {
            Ok(ImportedPatent { row, family_ref, title_ko, title_en, owners, inventors, projects, application, status })
        }
        _ => Err(RowError { row, errors }),
    }
}

/// `events[i]` → the date field of event i, `events[i].number` → its number field, `events` → the filing date.
fn rename_event_field(mut e: IpError, fields_of: &[(&str, &str)]) -> IpError {
    let name = e.field.clone();
    let field = if name == "events" {
        Some(f::APPLICATION_DATE)
    } else if let Some(rest) = name.strip_prefix("events[") {
        let (idx, tail) = rest.split_once(']').unwrap_or((rest, ""));
        idx.parse::<usize>().ok().and_then(|i| fields_of.get(i)).map(|(d, n)| if tail == ".number" { *n } else { *d })
    } else {
        None
    };
    if let Some(fld) = field {
        e.field = fld.to_string();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::tests::d;
    use crate::patent::ApplicationState;

    fn row(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            (f::TITLE_KO, "다중오믹스 기반 면역항암제 반응 예측 방법"),
            (f::JURISDICTION, "KR"),
            (f::APPLICATION_NUMBER, "1020260012345"),
            (f::APPLICATION_DATE, "2026. 3. 2."),
        ]
    }

    fn with(extra: &[(&'static str, &'static str)]) -> BTreeMap<String, String> {
        let mut v = base();
        for (k, val) in extra {
            v.retain(|(kk, _)| kk != k);
            v.push((k, val));
        }
        row(&v)
    }

    fn problems(r: Result<ImportedPatent, RowError>) -> Vec<(String, &'static str)> {
        r.unwrap_err().errors.into_iter().map(|e| (e.field.clone(), e.code())).collect()
    }

    #[test]
    fn a_full_row_imports() {
        let r = patent_from_row(
            7,
            &with(&[
                (f::FAMILY_REF, "GIST-2026-001"),
                (f::PUBLICATION_DATE, "2027-09-03"),
                (f::REGISTRATION_NUMBER, "10-2345678"),
                (f::REGISTRATION_DATE, "2028.05.02"),
                (f::OWNERS, "광주과학기술원; 전남대학교병원"),
                (f::INVENTORS, "홍길동 60%, 김철수 40%"),
                (f::PROJECTS, "-"),
                ("unknown_column", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(r.row, 7);
        assert_eq!(r.family_ref.as_deref(), Some("GIST-2026-001"));
        assert_eq!(r.owners, ["광주과학기술원", "전남대학교병원"]);
        assert_eq!(
            r.inventors,
            [
                ImportedInventor { name: "홍길동".into(), share_bp: 6000 },
                ImportedInventor { name: "김철수".into(), share_bp: 4000 }
            ]
        );
        assert!(r.projects.is_empty());
        assert_eq!(r.application.events[0], PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345"));
        assert_eq!(r.status.state, ApplicationState::Registered);
        assert_eq!(r.status.registered_on, Some(d(2028, 5, 2)));
        assert_eq!(r.status.published_on, Some(d(2027, 9, 3)));
    }

    #[test]
    fn minimal_rows_and_lenient_foreign_numbers() {
        let r = patent_from_row(1, &row(&base())).unwrap();
        assert_eq!(r.status.state, ApplicationState::Filed);
        assert!(r.inventors.is_empty() && r.owners.is_empty());
        let r = patent_from_row(
            2,
            &with(&[
                (f::JURISDICTION, "미국"),
                (f::APPLICATION_NUMBER, "18/123,456"),
                (f::TITLE_KO, ""),
                (f::TITLE_EN, "Method"),
            ]),
        )
        .unwrap();
        assert_eq!(r.application.jurisdiction, Jurisdiction::Us);
        assert_eq!(r.application.events[0].number.as_deref(), Some("18/123,456"));
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            problems(patent_from_row(3, &with(&[(f::APPLICATION_DATE, "2026-02-30")]))),
            [(f::APPLICATION_DATE.to_string(), "invalid-date")]
        );
        assert_eq!(
            problems(patent_from_row(3, &with(&[(f::JURISDICTION, "XX")]))),
            [(f::JURISDICTION.to_string(), "unknown-jurisdiction")]
        );
        assert_eq!(
            problems(patent_from_row(3, &with(&[(f::APPLICATION_NUMBER, "10-2026-12345")]))),
            [(f::APPLICATION_NUMBER.to_string(), "invalid-kr-application-number")]
        );
        assert_eq!(
            problems(patent_from_row(
                3,
                &with(&[(f::REGISTRATION_NUMBER, "2345678"), (f::REGISTRATION_DATE, "2028-01-01")])
            )),
            [(f::REGISTRATION_NUMBER.to_string(), "invalid-kr-registration-number")]
        );
        assert_eq!(
            problems(patent_from_row(3, &with(&[(f::APPLICATION_NUMBER, "10-2025-0012345")]))),
            [(f::APPLICATION_NUMBER.to_string(), "application-number-year-before-filing")]
        );
        let e =
            patent_from_row(3, &with(&[(f::REGISTRATION_NUMBER, "10-2345678"), (f::REGISTRATION_DATE, "2025-12-31")]))
                .unwrap_err();
        assert_eq!(
            e.errors,
            vec![IpError::new(
                f::REGISTRATION_DATE,
                Reason::RegistrationBeforeFiling { filed_on: d(2026, 3, 2), registered_on: d(2025, 12, 31) }
            )]
        );
        assert_eq!(
            e.to_string(),
            "row 3: registration_date: registration on 2025-12-31 is before the filing on 2026-03-02"
        );
        assert_eq!(
            problems(patent_from_row(
                3,
                &with(&[
                    (f::ABANDONED_DATE, "2027-01-01"),
                    (f::REGISTRATION_NUMBER, "10-2345678"),
                    (f::REGISTRATION_DATE, "2028-01-01")
                ])
            )),
            [(f::REGISTRATION_DATE.to_string(), "event-after-abandonment")]
        );
        assert_eq!(
            problems(patent_from_row(3, &with(&[(f::PUBLICATION_DATE, "2020-01-01")]))),
            [(f::PUBLICATION_DATE.to_string(), "event-before-filing")]
        );
        assert_eq!(
            problems(patent_from_row(
                3,
                &with(&[
                    (f::JURISDICTION, "PCT"),
                    (f::APPLICATION_NUMBER, "PCT/KR2026/000001"),
                    (f::REGISTRATION_NUMBER, "x"),
                    (f::REGISTRATION_DATE, "2028-01-01")
                ])
            )),
            [(f::REGISTRATION_DATE.to_string(), "pct-not-registrable")]
        );
    }

    #[test]
    fn event_after_abandonment_names_the_later_event() {
        // Registration listed first in the row but abandoned earlier: the registration date is the culprit.
        let e = patent_from_row(
            4,
            &with(&[
                (f::ABANDONED_DATE, "2027-01-01"),
                (f::REGISTRATION_NUMBER, "10-2345678"),
                (f::REGISTRATION_DATE, "2028-01-01"),
            ]),
        )
        .unwrap_err();
        assert_eq!(e.errors[0].reason, Reason::EventAfterAbandonment { event: PatentEventKind::Registered });
    }

    #[test]
    fn all_problems_of_a_row_at_once() {
        let p = problems(patent_from_row(
            5,
            &row(&[
                (f::JURISDICTION, "Korea?"),
                (f::APPLICATION_DATE, "tomorrow"),
                (f::REGISTRATION_NUMBER, "10-2345678"),
                (f::PUBLICATION_NUMBER, "10-2027-0000001"),
                (f::INVENTORS, "A 33.33%; B 33.33%; C 33.33%"),
            ]),
        ));
        assert_eq!(
            p,
            [
                (f::TITLE_KO.to_string(), "required"),
                (f::JURISDICTION.to_string(), "unknown-jurisdiction"),
                (f::APPLICATION_DATE.to_string(), "invalid-date"),
                (f::APPLICATION_NUMBER.to_string(), "required"),
                (f::REGISTRATION_DATE.to_string(), "required"),
                (f::PUBLICATION_DATE.to_string(), "required"),
                (f::INVENTORS.to_string(), "shares-sum-not-100"),
            ]
        );
    }

    #[test]
    fn inventor_cells() {
        let p = |t| {
            parse_inventors(f::INVENTORS, t).map(|v| v.into_iter().map(|i| (i.name, i.share_bp)).collect::<Vec<_>>())
        };
        let s = |n: &str, b| (n.to_string(), b);
        assert_eq!(p("홍길동 60%; 김철수 40%"), Ok(vec![s("홍길동", 6000), s("김철수", 4000)]));
        assert_eq!(p("Tae Kim (50), Ji Park (50)"), Ok(vec![s("Tae Kim", 5000), s("Ji Park", 5000)]));
        assert_eq!(p("A:0.5, B:0.5"), Ok(vec![s("A", 5000), s("B", 5000)]));
        assert_eq!(p("A 33.33\nB 33.33\nC 33.34"), Ok(vec![s("A", 3333), s("B", 3333), s("C", 3334)]));
        assert_eq!(p("홍길동60%·김철수40%"), Ok(vec![s("홍길동", 6000), s("김철수", 4000)]));
        assert_eq!(p("홍길동, 김철수, 이영희"), Ok(vec![s("홍길동", 3334), s("김철수", 3333), s("이영희", 3333)]));
        assert_eq!(p("홍길동(GIST)"), Ok(vec![s("홍길동(GIST)", 10000)]));
        let codes = |t| p(t).unwrap_err().into_iter().map(|e| (e.field.clone(), e.code())).collect::<Vec<_>>();
        assert_eq!(codes("A 33.33; B 33.33; C 33.33"), [("inventors".to_string(), "shares-sum-not-100")]);
        assert_eq!(codes("A 60%; B"), [("inventors".to_string(), "share-missing")]);
        assert_eq!(codes("A 50; A 50"), [("inventors[1].name".to_string(), "duplicate-person")]);
        assert_eq!(codes("A 50; 50%"), [("inventors[1].name".to_string(), "required")]);
        assert_eq!(codes("A 50; B 0"), [("inventors[1]".to_string(), "share-not-positive")]);
        assert_eq!(codes("A 50.001; B 49.999"), [("inventors[0]".to_string(), "share-too-precise")]);
        assert_eq!(codes(";"), [("inventors".to_string(), "empty")]);
    }

    #[test]
    fn field_list_is_complete_and_unique() {
        let set: std::collections::BTreeSet<&str> = f::ALL.into_iter().collect();
        assert_eq!(set.len(), f::ALL.len());
        assert!(f::ALL.iter().all(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
    }
}
