//! Counting patent applications (출원) and registrations (등록) for KPIs.
//!
//! **An application counts in the year it is filed; a registration counts in the year it is registered.** The
//! two are separate events with separate dates: an application filed in 2026 and registered in 2028 is one
//! application in 2026 and one registration in 2028 — never a 2028 application or a 2026 registration.
//!
//! The counts read the events (the first `filed` and the first `registered` event of each application), not the
//! current state: a later abandonment does not remove an earlier filing or registration. Validate applications
//! (see [`crate::patent`]) before storing them; the counts do not validate again.
//!
//! [`CountOptions`] chooses what counts:
//! * `owner_institution_ids`: only families with at least one of these owner institutions (a co-owned family counts
//!   for each co-owner that is asked for); `None` counts every family;
//! * `jurisdictions`: only applications in these jurisdictions (`None`: all, PCT included);
//! * `scope`: [`FamilyScope::EveryApplication`] counts every application (one per jurisdiction and filing);
//!   [`FamilyScope::FirstPerFamily`] counts each family once: its first filing (the priority application) for
//!   filings, its first registration in any jurisdiction for registrations — in the year of that first event
//!   only. The jurisdiction filter applies before choosing the first.
//!
//! Each function returns the [`CountedEvent`]s themselves, so that every number on a dashboard can link to the
//! records behind it; the count is their `len()`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::{Period, year_of};
use crate::jurisdiction::Jurisdiction;
use crate::patent::{PatentApplication, PatentEvent, PatentEventKind, PatentFamily, first_by_date};

/// Count every application, or each family once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyScope {
    /// Every application in every jurisdiction (the default).
    #[default]
    EveryApplication,
    /// Each family once: its first filing (priority) / its first registration.
    FirstPerFamily,
}

/// What to count (see the module doc). The default counts every application of every family.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CountOptions {
    /// Only families owned (at least partly) by one of these institutions; `None`: all.
    #[serde(default)]
    pub owner_institution_ids: Option<BTreeSet<i64>>,
    /// Only applications in these jurisdictions; `None`: all.
    #[serde(default)]
    pub jurisdictions: Option<BTreeSet<Jurisdiction>>,
    /// Every application, or the first per family.
    #[serde(default)]
    pub scope: FamilyScope,
}

/// One counted filing or registration, with what a drill-down list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountedEvent {
    /// The family.
    pub family_id: i64,
    /// The application.
    pub application_id: i64,
    /// Its jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// `filed` or `registered`.
    pub kind: PatentEventKind,
    /// The date of the event: filing date for `filed`, registration date for `registered`.
    pub date: NaiveDate,
    /// The application number for `filed`, the registration number for `registered`.
    pub number: Option<String>,
}

/// The applications filed (출원) in `period`: each counts on its filing date.
pub fn filings_in(families: &[PatentFamily], period: &Period, options: &CountOptions) -> Vec<CountedEvent> {
    counted(families, PatentEventKind::Filed, options).into_iter().filter(|c| period.contains(c.date)).collect()
}

/// The registrations (등록) in `period`: each counts on its registration date, whatever its filing date.
pub fn registrations_in(families: &[PatentFamily], period: &Period, options: &CountOptions) -> Vec<CountedEvent> {
    counted(families, PatentEventKind::Registered, options).into_iter().filter(|c| period.contains(c.date)).collect()
}

/// [`filings_in`] for each calendar year of `years`, by the year filed. Every year of the range is a key, with an
/// empty list when nothing was filed.
pub fn filings_by_year(
    families: &[PatentFamily],
    years: RangeInclusive<i32>,
    options: &CountOptions,
) -> BTreeMap<i32, Vec<CountedEvent>> {
    by_year(counted(families, PatentEventKind::Filed, options), years)
}

/// [`registrations_in`] for each calendar year of `years`, by the year registered. Every year of the range is a key.
pub fn registrations_by_year(
    families: &[PatentFamily],
    years: RangeInclusive<i32>,
    options: &CountOptions,
) -> BTreeMap<i32, Vec<CountedEvent>> {
    by_year(counted(families, PatentEventKind::Registered, options), years)
}

fn by_year(events: Vec<CountedEvent>, years: RangeInclusive<i32>) -> BTreeMap<i32, Vec<CountedEvent>> {
    let mut out: BTreeMap<i32, Vec<CountedEvent>> = years.clone().map(|y| (y, Vec::new())).collect();
    for c in events {
        if let Some(list) = out.get_mut(&year_of(c.date)) {
            list.push(c);
        }
    }
    out
}

/// Every countable event of `kind` under `options`, any date, sorted by date, family, application.
fn counted(families: &[PatentFamily], kind: PatentEventKind, options: &CountOptions) -> Vec<CountedEvent> {
    let mut out = Vec::new();
    for fam in families {
        if let Some(owners) = &options.owner_institution_ids
            && !fam.owner_institution_ids.iter().any(|o| owners.contains(o))
        {
            continue;
        }
        let candidates = fam
            .applications
            .iter()
            .filter(|a| options.jurisdictions.as_ref().is_none_or(|js| js.contains(&a.jurisdiction)))
            .filter_map(|a| event_of(a, kind).map(|e| (a, e)));
        match options.scope {
            FamilyScope::EveryApplication => out.extend(candidates.map(|(a, e)| to_counted(fam, a, e))),
            FamilyScope::FirstPerFamily => out.extend(first_by_date(candidates).map(|(a, e)| to_counted(fam, a, e))),
        }
    }
    out.sort_by_key(|c| (c.date, c.family_id, c.application_id));
    out
}

fn event_of(a: &PatentApplication, kind: PatentEventKind) -> Option<&PatentEvent> {
    match kind {
        PatentEventKind::Filed => a.filing(),
        PatentEventKind::Registered => a.registration(),
        _ => None,
    }
}

fn to_counted(fam: &PatentFamily, a: &PatentApplication, e: &PatentEvent) -> CountedEvent {
    CountedEvent {
        family_id: fam.id,
        application_id: a.id,
        jurisdiction: a.jurisdiction.clone(),
        kind: e.kind,
        date: e.date,
        number: e.number.clone(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dates::tests::d;
    use crate::patent::PatentEvent as E;

    fn app(id: i64, j: Jurisdiction, events: Vec<E>) -> PatentApplication {
        PatentApplication { id, jurisdiction: j, events }
    }

    fn family(id: i64, owners: Vec<i64>, applications: Vec<PatentApplication>) -> PatentFamily {
        PatentFamily {
            id,
            title_ko: format!("발명 {id}"),
            title_en: String::new(),
            project_ids: vec![],
            owner_institution_ids: owners,
            inventors: vec![],
            applications,
        }
    }

    /// Family 1 (GIST = 1): KR filed 2026-03-02, registered 2028-05-02; PCT filed 2027-02-20; US (national phase)
    /// filed 2028-08-20, registered 2029-10-01.
    /// Family 2 (CNU = 2, GIST = 1): KR filed 2027-12-30, registered 2029-01-03; abandoned 2031.
    /// Family 3 (hospital = 3): US filed 2026-12-31 (priority), KR filed 2027-01-02, KR registered 2027-12-31.
    pub(crate) fn sample() -> Vec<PatentFamily> {
        vec![
            family(
                1,
                vec![1],
                vec![
                    app(
                        11,
                        Jurisdiction::Kr,
                        vec![E::filed(d(2026, 3, 2), "10-2026-0012345"), E::registered(d(2028, 5, 2), "10-2345678")],
                    ),
                    app(
                        12,
                        Jurisdiction::Pct,
                        vec![E::filed(d(2027, 2, 20), "PCT/KR2027/002222"), E::published(d(2027, 9, 1), None)],
                    ),
                    app(
                        13,
                        Jurisdiction::Us,
                        vec![E::filed(d(2028, 8, 20), "18/555,555"), E::registered(d(2029, 10, 1), "US 12,000,001 B2")],
                    ),
                ],
            ),
            family(
                2,
                vec![2, 1],
                vec![app(
                    21,
                    Jurisdiction::Kr,
                    vec![
                        E::filed(d(2027, 12, 30), "10-2027-0200000"),
                        E::registered(d(2029, 1, 3), "10-2400000"),
                        E::abandoned(d(2031, 1, 1)),
                    ],
                )],
            ),
            family(
                3,
                vec![3],
                vec![
                    app(31, Jurisdiction::Us, vec![E::filed(d(2026, 12, 31), "63/000,001")]),
                    app(
                        32,
                        Jurisdiction::Kr,
                        vec![E::filed(d(2027, 1, 2), "10-2027-0000100"), E::registered(d(2027, 12, 31), "10-2390000")],
                    ),
                ],
            ),
        ]
    }

    fn ids(v: &[CountedEvent]) -> Vec<i64> {
        v.iter().map(|c| c.application_id).collect()
    }

    fn year_counts(m: &BTreeMap<i32, Vec<CountedEvent>>) -> Vec<(i32, usize)> {
        m.iter().map(|(y, v)| (*y, v.len())).collect()
    }

    #[test]
    fn sample_is_valid() {
        for f in sample() {
            assert_eq!(f.validate(), Ok(()), "family {}", f.id);
        }
    }

    #[test]
    fn filing_and_registration_years_are_never_confused() {
        let fams = sample();
        let all = CountOptions::default();
        // Application 21: filed 2027-12-30, registered 2029-01-03.
        assert_eq!(ids(&filings_in(&fams, &Period::year(2027), &all)), [32, 12, 21]);
        assert_eq!(ids(&registrations_in(&fams, &Period::year(2027), &all)), [32]);
        assert_eq!(ids(&filings_in(&fams, &Period::year(2029), &all)), Vec::<i64>::new());
        assert_eq!(ids(&registrations_in(&fams, &Period::year(2029), &all)), [21, 13]);
        // Application 11: filed 2026, registered 2028.
        assert_eq!(ids(&filings_in(&fams, &Period::year(2026), &all)), [11, 31]);
        assert_eq!(ids(&registrations_in(&fams, &Period::year(2026), &all)), Vec::<i64>::new());
        assert_eq!(ids(&registrations_in(&fams, &Period::year(2028), &all)), [11]);
        assert_eq!(ids(&filings_in(&fams, &Period::year(2028), &all)), [13]);
        let f = filings_by_year(&fams, 2026..=2030, &all);
        let r = registrations_by_year(&fams, 2026..=2030, &all);
        assert_eq!(year_counts(&f), [(2026, 2), (2027, 3), (2028, 1), (2029, 0), (2030, 0)]);
        assert_eq!(year_counts(&r), [(2026, 0), (2027, 1), (2028, 1), (2029, 2), (2030, 0)]);
        // The counted record carries the event's own date and number.
        let c = &registrations_in(&fams, &Period::year(2029), &all)[0];
        assert_eq!(
            (c.date, c.kind, c.number.as_deref()),
            (d(2029, 1, 3), PatentEventKind::Registered, Some("10-2400000"))
        );
    }

    #[test]
    fn periods_cut_at_their_ends() {
        let fams = sample();
        let all = CountOptions::default();
        let p = Period::new(d(2026, 12, 31), d(2027, 1, 2)).unwrap();
        assert_eq!(ids(&filings_in(&fams, &p, &all)), [31, 32]);
        let p = Period::years(2026..=2030);
        assert_eq!(filings_in(&fams, &p, &all).len(), 6);
        assert_eq!(registrations_in(&fams, &p, &all).len(), 4);
    }

    #[test]
    fn first_filing_per_family() {
        let fams = sample();
        let first = CountOptions { scope: FamilyScope::FirstPerFamily, ..Default::default() };
        let f = filings_by_year(&fams, 2026..=2028, &first);
        // Family 1 counts in 2026 (KR), not again for PCT 2027 or US 2028; family 3 in 2026 (US priority).
        assert_eq!(f[&2026].iter().map(|c| c.family_id).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(f[&2026].iter().map(|c| c.application_id).collect::<Vec<_>>(), [11, 31]);
        assert_eq!(ids(&f[&2027]), [21]);
        assert_eq!(ids(&f[&2028]), Vec::<i64>::new());
        // Registrations: family 1 counts in 2028 (KR), not 2029 (US).
        let r = registrations_by_year(&fams, 2027..=2029, &first);
        assert_eq!(year_counts(&r), [(2027, 1), (2028, 1), (2029, 1)]);
        assert_eq!(ids(&r[&2029]), [21]);
    }

    #[test]
    fn jurisdiction_filter_applies_before_the_first() {
        let fams = sample();
        let kr_first = CountOptions {
            scope: FamilyScope::FirstPerFamily,
            jurisdictions: Some([Jurisdiction::Kr].into()),
            ..Default::default()
        };
        // Family 3's first KR filing is 2027-01-02 even though its priority is the 2026 US filing.
        assert_eq!(ids(&filings_in(&fams, &Period::year(2027), &kr_first)), [32, 21]);
        let no_pct =
            CountOptions { jurisdictions: Some([Jurisdiction::Kr, Jurisdiction::Us].into()), ..Default::default() };
        assert_eq!(ids(&filings_in(&fams, &Period::year(2027), &no_pct)), [32, 21]);
    }

    #[test]
    fn owner_filter() {
        let fams = sample();
        let gist = CountOptions { owner_institution_ids: Some([1].into()), ..Default::default() };
        assert_eq!(ids(&filings_in(&fams, &Period::years(2026..=2030), &gist)), [11, 12, 21, 13]);
        let hospital = CountOptions { owner_institution_ids: Some([3].into()), ..Default::default() };
        assert_eq!(ids(&registrations_in(&fams, &Period::years(2026..=2030), &hospital)), [32]);
        let nobody = CountOptions { owner_institution_ids: Some(BTreeSet::new()), ..Default::default() };
        assert!(filings_in(&fams, &Period::years(2026..=2030), &nobody).is_empty());
    }

    #[test]
    fn options_json() {
        let o: CountOptions =
            serde_json::from_str(r#"{"scope":"first_per_family","jurisdictions":["KR","PCT"]}"#).unwrap();
        assert_eq!(o.scope, FamilyScope::FirstPerFamily);
        assert_eq!(o.jurisdictions, Some([Jurisdiction::Kr, Jurisdiction::Pct].into()));
        assert_eq!(o.owner_institution_ids, None);
    }
}
