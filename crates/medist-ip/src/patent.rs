//! Patents (특허): families, applications per jurisdiction, and the dated events of each application.
//!
//! # Events and the state machine
//!
//! An application's history is a list of [`PatentEvent`]s. The list is read in date order (events on the same day
//! in the order filed → published → registered → abandoned/rejected → reinstated, then as listed), and must follow
//! this machine:
//!
//! | state ＼ event | published (공개) | registered (등록) | abandoned (포기) | rejected (거절) | reinstated (회복) |
//! | --- | --- | --- | --- | --- | --- |
//! | filed | → published | → registered | → abandoned | → rejected | refused |
//! | published | refused (once) | → registered | → abandoned | → rejected | refused |
//! | registered | stays registered (once) | refused | → abandoned | refused | refused |
//! | abandoned | refused | refused | refused | refused | → the state before |
//! | rejected | refused | refused | refused | refused | → the state before |
//!
//! * The first event is the filing (출원), with an application number; there is exactly one.
//! * Nothing is dated before the filing; a registration dated before it is reported as
//!   `registration-before-filing`.
//! * Publication (공개) happens at most once, while the application is pending or after registration (an early
//!   grant may be published later); it needs no number.
//! * Registration (등록) happens at most once, with a registration number. A PCT application is never registered
//!   itself (`pct-not-registrable`): its national applications are.
//! * After abandonment (포기) or final rejection (거절) only a reinstatement (회복: restoration of rights, or a
//!   rejection reversed on appeal or re-examination) is allowed; it returns the application to the state it had
//!   before. This is the one "revival" we allow, and it must be recorded explicitly. A registered patent may be
//!   abandoned (given up, or lapsed for unpaid annual fees) but not rejected.
//!
//! History is never rewritten: an abandonment does not undo a registration, and counts (see [`crate::counting`])
//! read the filing and registration events, not the current state.
//!
//! Korean numbers are checked strictly (see [`crate::numbers`]) and stored in canonical form by
//! [`PatentApplication::new`] and [`PatentApplication::record_event`]; the application number's year must not be
//! before the filing year.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{IpError, Reason, err, into_result, optional_text};
use crate::jurisdiction::Jurisdiction;
use crate::numbers::{NumberKind, kr_application_number_year, normalize_number};
use crate::shares::{InventorShare, validate_shares};

/// Longest accepted title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest accepted event note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// What happened to an application. Serialized snake_case: `filed`, `published`, `registered`, `abandoned`,
/// `rejected`, `reinstated` (the `kind` of the `patent_event` records that KPI rules count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatentEventKind {
    /// 출원: the application was filed (needs the application number).
    Filed,
    /// 공개: the application was published (the publication number is optional).
    Published,
    /// 등록: the patent was registered (granted; needs the registration number).
    Registered,
    /// 포기: the application or patent was abandoned, withdrawn or lapsed.
    Abandoned,
    /// 거절: the application was finally rejected.
    Rejected,
    /// 회복: an abandoned or rejected application was reinstated.
    Reinstated,
}

impl PatentEventKind {
    /// Every kind, in lifecycle order.
    pub const ALL: [PatentEventKind; 6] = [
        PatentEventKind::Filed,
        PatentEventKind::Published,
        PatentEventKind::Registered,
        PatentEventKind::Abandoned,
        PatentEventKind::Rejected,
        PatentEventKind::Reinstated,
    ];

    /// The snake_case code (as serialized).
    pub fn code(self) -> &'static str {
        match self {
            PatentEventKind::Filed => "filed",
            PatentEventKind::Published => "published",
            PatentEventKind::Registered => "registered",
            PatentEventKind::Abandoned => "abandoned",
            PatentEventKind::Rejected => "rejected",
            PatentEventKind::Reinstated => "reinstated",
        }
    }

    /// The Korean word: 출원, 공개, 등록, 포기, 거절, 회복.
    pub fn label_ko(self) -> &'static str {
        match self {
            PatentEventKind::Filed => "출원",
            PatentEventKind::Published => "공개",
            PatentEventKind::Registered => "등록",
            PatentEventKind::Abandoned => "포기",
            PatentEventKind::Rejected => "거절",
            PatentEventKind::Reinstated => "회복",
        }
    }

    /// The kind for a code, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// Order among events of the same day.
    fn same_day_rank(self) -> u8 {
        match self {
            PatentEventKind::Filed => 0,
            PatentEventKind::Published => 1,
            PatentEventKind::Registered => 2,
            PatentEventKind::Abandoned | PatentEventKind::Rejected => 3,
            PatentEventKind::Reinstated => 4,
        }
    }
}

impl fmt::Display for PatentEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One dated event of an application. One row of a `patent_event` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatentEvent {
    /// What happened.
    pub kind: PatentEventKind,
    /// When (the official date: filing date, publication date, registration date, …).
    pub date: NaiveDate,
    /// The application number for `filed`, the registration number for `registered`, optionally the publication
    /// number for `published`; ignored for the others.
    #[serde(default)]
    pub number: Option<String>,
    /// Free note (why it was abandoned, the appeal that reversed a rejection, …).
    #[serde(default)]
    pub note: String,
}

impl PatentEvent {
    /// An event with no number and no note.
    pub fn new(kind: PatentEventKind, date: NaiveDate) -> Self {
        Self { kind, date, number: None, note: String::new() }
    }
    /// 출원 on `date` with application number `number`.
    pub fn filed(date: NaiveDate, number: &str) -> Self {
        Self { number: Some(number.to_string()), ..Self::new(PatentEventKind::Filed, date) }
    }
    /// 공개 on `date`, with the publication number if known.
    pub fn published(date: NaiveDate, number: Option<&str>) -> Self {
        Self { number: number.map(str::to_string), ..Self::new(PatentEventKind::Published, date) }
    }
    /// 등록 on `date` with registration number `number`.
    pub fn registered(date: NaiveDate, number: &str) -> Self {
        Self { number: Some(number.to_string()), ..Self::new(PatentEventKind::Registered, date) }
    }
    /// 포기 on `date`.
    pub fn abandoned(date: NaiveDate) -> Self {
        Self::new(PatentEventKind::Abandoned, date)
    }
    /// 거절 on `date`.
    pub fn rejected(date: NaiveDate) -> Self {
        Self::new(PatentEventKind::Rejected, date)
    }
    /// 회복 on `date`.
    pub fn reinstated(date: NaiveDate) -> Self {
        Self::new(PatentEventKind::Reinstated, date)
    }
}

/// Where an application stands after its events. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// Filed, not yet published (출원).
    Filed,
    /// Published, pending (공개).
    Published,
    /// Registered (등록).
    Registered,
    /// Abandoned, withdrawn or lapsed (포기).
    Abandoned,
    /// Finally rejected (거절).
    Rejected,
}

impl ApplicationState {
    /// The snake_case code (as serialized).
    pub fn code(self) -> &'static str {
        match self {
            ApplicationState::Filed => "filed",
            ApplicationState::Published => "published",
            ApplicationState::Registered => "registered",
            ApplicationState::Abandoned => "abandoned",
            ApplicationState::Rejected => "rejected",
        }
    }

    /// The Korean word: 출원, 공개, 등록, 포기, 거절.
    pub fn label_ko(self) -> &'static str {
        match self {
            ApplicationState::Filed => "출원",
            ApplicationState::Published => "공개",
            ApplicationState::Registered => "등록",
            ApplicationState::Abandoned => "포기",
            ApplicationState::Rejected => "거절",
        }
    }

    /// Still pending examination (filed or published).
    pub fn is_pending(self) -> bool {
        matches!(self, ApplicationState::Filed | ApplicationState::Published)
    }
}

impl fmt::Display for ApplicationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The summary of a valid history, from [`PatentApplication::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationStatus {
    /// The current state.
    pub state: ApplicationState,
    /// Filing date (출원일).
    pub filed_on: NaiveDate,
    /// Application number (출원번호), canonical.
    pub application_number: String,
    /// Publication date (공개일), if published.
    pub published_on: Option<NaiveDate>,
    /// Registration date (등록일), if registered (kept after a later abandonment).
    pub registered_on: Option<NaiveDate>,
    /// Registration number (등록번호), canonical, if registered.
    pub registration_number: Option<String>,
    /// The events that may be recorded next (dated on or after the last event).
    pub next_events: Vec<PatentEventKind>,
}

/// One application in one jurisdiction, with its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatentApplication {
    /// Id given by the storage layer (0 before it is stored).
    pub id: i64,
    /// Where it is filed.
    pub jurisdiction: Jurisdiction,
    /// Its history, any order (read in date order).
    pub events: Vec<PatentEvent>,
}

impl PatentApplication {
    /// A new application filed on `filed_on` with number `application_number` (checked and stored canonical).
    /// Errors: those of the number (on field `application_number`) or `application-number-year-before-filing`.
    pub fn new(
        id: i64,
        jurisdiction: Jurisdiction,
        filed_on: NaiveDate,
        application_number: &str,
    ) -> Result<Self, IpError> {
        let number =
            normalize_number("application_number", &jurisdiction, NumberKind::Application, application_number)?;
        check_number_year(&jurisdiction, &number, filed_on).map_err(|r| err("application_number", r))?;
        Ok(Self { id, jurisdiction, events: vec![PatentEvent::filed(filed_on, &number)] })
    }

    /// Checks the numbers of every event and the order of the history (see the module doc), and summarizes it.
    ///
    /// Number errors are all reported, on `events[i].number`; of the order errors only the first (in date order) is
    /// reported, on `events[i]` (or `events` for `not-filed`), because later ones follow from it.
    pub fn validate(&self) -> Result<ApplicationStatus, Vec<IpError>> {
        let mut errors = Vec::new();
        let mut numbers: Vec<Option<String>> = vec![None; self.events.len()];
        for (i, e) in self.events.iter().enumerate() {
            optional_text(&format!("events[{i}].note"), &e.note, MAX_NOTE_CHARS, &mut errors);
            let kind = match e.kind {
                PatentEventKind::Filed => NumberKind::Application,
                PatentEventKind::Registered => NumberKind::Registration,
                PatentEventKind::Published => NumberKind::Publication,
                _ => continue,
            };
            if e.kind == PatentEventKind::Registered && !self.jurisdiction.can_register() {
                continue; // reported by the state machine
            }
            let field = format!("events[{i}].number");
            match (&e.number, kind) {
                (None, NumberKind::Publication) => {}
                (None, _) => errors.push(err(field, Reason::Required)),
                (Some(n), kind) if kind == NumberKind::Publication && n.trim().is_empty() => {}
                (Some(n), kind) => match normalize_number(&field, &self.jurisdiction, kind, n) {
                    Ok(c) => {
                        if kind == NumberKind::Application
                            && let Err(r) = check_number_year(&self.jurisdiction, &c, e.date)
                        {
                            errors.push(err(field, r));
                        }
                        numbers[i] = Some(c);
                    }
                    Err(x) => errors.push(x),
                },
            }
        }
        match self.walk(&numbers) {
            Ok(status) if errors.is_empty() => Ok(status),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.push(e);
                Err(errors)
            }
        }
    }

    /// The event indexes in reading order.
    fn order(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.events.len()).collect();
        idx.sort_by_key(|&i| (self.events[i].date, self.events[i].kind.same_day_rank(), i));
        idx
    }

    /// Runs the state machine; `numbers` holds the canonical numbers found so far.
    fn walk(&self, numbers: &[Option<String>]) -> Result<ApplicationStatus, IpError> {
        let Some(first_filing) = self.events.iter().filter(|e| e.kind == PatentEventKind::Filed).map(|e| e.date).min()
        else {
            return Err(err("events", Reason::NotFiled));
        };
        let mut state: Option<ApplicationState> = None;
        let mut before_end = ApplicationState::Filed;
        let mut s = ApplicationStatus {
            state: ApplicationState::Filed,
            filed_on: first_filing,
            application_number: String::new(),
            published_on: None,
            registered_on: None,
            registration_number: None,
            next_events: Vec::new(),
        };
        for i in self.order() {
            let e = &self.events[i];
            let at = || format!("events[{i}]");
            use ApplicationState as S;
            use PatentEventKind as K;
            let next = match (state, e.kind) {
                (None, K::Filed) => {
                    s.application_number = numbers[i].clone().unwrap_or_default();
                    S::Filed
                }
                (None, K::Registered) => {
                    return Err(err(
                        at(),
                        Reason::RegistrationBeforeFiling { filed_on: first_filing, registered_on: e.date },
                    ));
                }
                (None, k) => {
                    return Err(err(
                        at(),
                        Reason::EventBeforeFiling { event: k, date: e.date, filed_on: first_filing },
                    ));
                }
                (Some(_), K::Filed) => return Err(err(at(), Reason::AlreadyFiled)),
                (Some(S::Abandoned | S::Rejected), K::Reinstated) => before_end,
                (Some(S::Abandoned), k) => return Err(err(at(), Reason::EventAfterAbandonment { event: k })),
                (Some(S::Rejected), k) => return Err(err(at(), Reason::EventAfterRejection { event: k })),
                (Some(_), K::Reinstated) => return Err(err(at(), Reason::NothingToReinstate)),
                (Some(st), K::Published) => {
                    if s.published_on.is_some() {
                        return Err(err(at(), Reason::AlreadyPublished));
                    }
                    s.published_on = Some(e.date);
                    if st == S::Filed { S::Published } else { st }
                }
                (Some(_), K::Registered) => {
                    if !self.jurisdiction.can_register() {
                        return Err(err(at(), Reason::PctNotRegistrable));
                    }
                    if s.registered_on.is_some() {
                        return Err(err(at(), Reason::AlreadyRegistered));
                    }
                    s.registered_on = Some(e.date);
                    s.registration_number = numbers[i].clone();
                    S::Registered
                }
                (Some(st), K::Abandoned) => {
                    before_end = st;
                    S::Abandoned
                }
                (Some(S::Registered), K::Rejected) => return Err(err(at(), Reason::RejectionAfterRegistration)),
                (Some(st), K::Rejected) => {
                    before_end = st;
                    S::Rejected
                }
            };
            state = Some(next);
        }
        s.state = state.unwrap_or(ApplicationState::Filed);
        s.next_events = next_events(s.state, s.published_on.is_some(), &self.jurisdiction);
        Ok(s)
    }

    /// Adds `event` to the history if the result is valid; the number is stored in canonical form. On error the
    /// application is unchanged. Returns the new status.
    pub fn record_event(&mut self, mut event: PatentEvent) -> Result<ApplicationStatus, Vec<IpError>> {
        let i = self.events.len();
        let kind = match event.kind {
            PatentEventKind::Filed => Some(NumberKind::Application),
            PatentEventKind::Registered if self.jurisdiction.can_register() => Some(NumberKind::Registration),
            PatentEventKind::Published => Some(NumberKind::Publication),
            _ => None,
        };
        if let (Some(kind), Some(n)) = (kind, &event.number)
            && !n.trim().is_empty()
        {
            event.number = Some(
                normalize_number(&format!("events[{i}].number"), &self.jurisdiction, kind, n).map_err(|e| vec![e])?,
            );
        }
        let mut next = self.clone();
        next.events.push(event);
        let status = next.validate()?;
        *self = next;
        Ok(status)
    }

    /// The filing event (the earliest `filed`), if any.
    pub fn filing(&self) -> Option<&PatentEvent> {
        self.first_of(PatentEventKind::Filed)
    }

    /// The registration event (the earliest `registered`), if any.
    pub fn registration(&self) -> Option<&PatentEvent> {
        self.first_of(PatentEventKind::Registered)
    }

    fn first_of(&self, kind: PatentEventKind) -> Option<&PatentEvent> {
        self.events.iter().filter(|e| e.kind == kind).min_by_key(|e| e.date)
    }
}

/// Korean application numbers carry the year they were given; it cannot be before the filing date's year (a
/// divisional or national-phase application keeps an earlier filing date but gets a later number, never the reverse).
fn check_number_year(j: &Jurisdiction, number: &str, filed_on: NaiveDate) -> Result<(), Reason> {
    if *j == Jurisdiction::Kr
        && let Some(y) = kr_application_number_year(number)
        && y < filed_on.year()
    {
        return Err(Reason::ApplicationNumberYearBeforeFiling { number_year: y, filing_year: filed_on.year() });
    }
    Ok(())
}

/// The events that may follow, dated on or after the last one.
fn next_events(state: ApplicationState, published: bool, j: &Jurisdiction) -> Vec<PatentEventKind> {
    use ApplicationState as S;
    use PatentEventKind as K;
    let mut v = Vec::new();
    match state {
        S::Filed | S::Published => {
            if !published {
                v.push(K::Published);
            }
            if j.can_register() {
                v.push(K::Registered);
            }
            v.extend([K::Abandoned, K::Rejected]);
        }
        S::Registered => {
            if !published {
                v.push(K::Published);
            }
            v.push(K::Abandoned);
        }
        S::Abandoned | S::Rejected => v.push(K::Reinstated),
    }
    v
}

/// A patent family (특허 패밀리): one invention, its applications in every jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatentFamily {
    /// Id given by the storage layer (0 before it is stored).
    pub id: i64,
    /// Title in Korean (발명의 명칭).
    #[serde(default)]
    pub title_ko: String,
    /// Title in English.
    #[serde(default)]
    pub title_en: String,
    /// Linked collaborative research projects (공동연구과제).
    #[serde(default)]
    pub project_ids: Vec<i64>,
    /// Owner (applicant, 출원인) institutions; at least one.
    pub owner_institution_ids: Vec<i64>,
    /// Inventors (발명자) with shares; may be empty when not known (imported history), else valid shares.
    #[serde(default)]
    pub inventors: Vec<InventorShare>,
    /// Applications, one per filing (several per jurisdiction are allowed, e.g. divisionals).
    #[serde(default)]
    pub applications: Vec<PatentApplication>,
}

impl PatentFamily {
    /// Checks the family and every application. Errors: `title_ko` `required` when both titles are blank,
    /// `title_ko`/`title_en` `too-long`, `owner_institution_ids` `empty`, the share errors on `inventors…`, and
    /// each application's errors prefixed with `applications[i].`.
    pub fn validate(&self) -> Result<(), Vec<IpError>> {
        let mut errors = Vec::new();
        if self.title_ko.trim().is_empty() && self.title_en.trim().is_empty() {
            errors.push(err("title_ko", Reason::Required));
        }
        optional_text("title_ko", &self.title_ko, MAX_TITLE_CHARS, &mut errors);
        optional_text("title_en", &self.title_en, MAX_TITLE_CHARS, &mut errors);
        if self.owner_institution_ids.is_empty() {
            errors.push(err("owner_institution_ids", Reason::Empty));
        }
        if !self.inventors.is_empty()
            && let Err(e) = validate_shares("inventors", &self.inventors)
        {
            errors.extend(e);
        }
        for (i, a) in self.applications.iter().enumerate() {
            if let Err(e) = a.validate() {
                errors.extend(e.into_iter().map(|x| x.within(&format!("applications[{i}]"))));
            }
        }
        into_result(errors)
    }

    /// The family's first filing (the priority application): the application with the earliest filing date
    /// (ties: the first in the list), and its filing event.
    pub fn first_filing(&self) -> Option<(&PatentApplication, &PatentEvent)> {
        first_by_date(self.applications.iter().filter_map(|a| a.filing().map(|e| (a, e))))
    }

    /// The family's first registration in any jurisdiction, and its event.
    pub fn first_registration(&self) -> Option<(&PatentApplication, &PatentEvent)> {
        first_by_date(self.applications.iter().filter_map(|a| a.registration().map(|e| (a, e))))
    }
}

/// The pair with the earliest event date; the first one on ties.
pub(crate) fn first_by_date<'a>(
    it: impl Iterator<Item = (&'a PatentApplication, &'a PatentEvent)>,
) -> Option<(&'a PatentApplication, &'a PatentEvent)> {
    let mut best: Option<(&PatentApplication, &PatentEvent)> = None;
    for (a, e) in it {
        if best.is_none_or(|(_, b)| e.date < b.date) {
            best = Some((a, e));
        }
    }
    best
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dates::tests::d;

    fn kr(events: Vec<PatentEvent>) -> PatentApplication {
        PatentApplication { id: 1, jurisdiction: Jurisdiction::Kr, events }
    }

    fn codes(a: PatentApplication) -> Vec<(String, &'static str)> {
        a.validate().unwrap_err().into_iter().map(|e| (e.field.clone(), e.code())).collect()
    }

    #[test]
    fn full_kr_history_summarizes() {
        let a = kr(vec![
            PatentEvent::registered(d(2028, 5, 2), "1023456780000"),
            PatentEvent::filed(d(2026, 3, 2), "1020260012345"),
            PatentEvent::published(d(2027, 9, 3), Some("10-2027-0100000")),
        ]);
        let s = a.validate().unwrap();
        assert_eq!(s.state, ApplicationState::Registered);
        assert_eq!(s.filed_on, d(2026, 3, 2));
        assert_eq!(s.application_number, "10-2026-0012345");
        assert_eq!(s.published_on, Some(d(2027, 9, 3)));
        assert_eq!(s.registered_on, Some(d(2028, 5, 2)));
        assert_eq!(s.registration_number.as_deref(), Some("10-2345678"));
        assert_eq!(s.next_events, vec![PatentEventKind::Abandoned]);
    }

    #[test]
    fn registration_before_filing_is_refused() {
        let a = kr(vec![
            PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345"),
            PatentEvent::registered(d(2026, 3, 1), "10-2345678"),
        ]);
        let e = a.validate().unwrap_err();
        assert_eq!(
            e,
            vec![IpError::new(
                "events[1]",
                Reason::RegistrationBeforeFiling { filed_on: d(2026, 3, 2), registered_on: d(2026, 3, 1) }
            )]
        );
        assert_eq!(e[0].to_string(), "events[1]: registration on 2026-03-01 is before the filing on 2026-03-02");
        // Same day is fine, whatever the list order.
        let a = kr(vec![
            PatentEvent::registered(d(2026, 3, 2), "10-2345678"),
            PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345"),
        ]);
        assert_eq!(a.validate().unwrap().state, ApplicationState::Registered);
    }

    #[test]
    fn order_violations() {
        let f = || PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345");
        assert_eq!(codes(kr(vec![])), [("events".to_string(), "not-filed")]);
        assert_eq!(codes(kr(vec![PatentEvent::abandoned(d(2026, 1, 1))])), [("events".to_string(), "not-filed")]);
        assert_eq!(
            codes(kr(vec![f(), PatentEvent::published(d(2025, 1, 1), None)])),
            [("events[1]".to_string(), "event-before-filing")]
        );
        assert_eq!(
            codes(kr(vec![f(), PatentEvent::filed(d(2026, 4, 1), "10-2026-0012346")])),
            [("events[1]".to_string(), "already-filed")]
        );
        let p = |y| PatentEvent::published(d(y, 1, 1), None);
        assert_eq!(codes(kr(vec![f(), p(2027), p(2028)])), [("events[2]".to_string(), "already-published")]);
        let r = |y, n: &str| PatentEvent::registered(d(y, 1, 1), n);
        assert_eq!(
            codes(kr(vec![f(), r(2027, "10-2345678"), r(2028, "10-2345679")])),
            [("events[2]".to_string(), "already-registered")]
        );
        assert_eq!(
            codes(kr(vec![f(), PatentEvent::abandoned(d(2027, 1, 1)), r(2028, "10-2345678")])),
            [("events[2]".to_string(), "event-after-abandonment")]
        );
        assert_eq!(
            codes(kr(vec![f(), PatentEvent::rejected(d(2027, 1, 1)), p(2028)])),
            [("events[2]".to_string(), "event-after-rejection")]
        );
        assert_eq!(
            codes(kr(vec![f(), r(2027, "10-2345678"), PatentEvent::rejected(d(2028, 1, 1))])),
            [("events[2]".to_string(), "rejection-after-registration")]
        );
        assert_eq!(
            codes(kr(vec![f(), PatentEvent::reinstated(d(2027, 1, 1))])),
            [("events[1]".to_string(), "nothing-to-reinstate")]
        );
        assert_eq!(
            codes(kr(vec![f(), PatentEvent::abandoned(d(2027, 1, 1)), PatentEvent::abandoned(d(2027, 2, 1))])),
            [("events[2]".to_string(), "event-after-abandonment")]
        );
        // The message names the event.
        let e = kr(vec![f(), PatentEvent::abandoned(d(2027, 1, 1)), r(2028, "10-2345678")]).validate().unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "events[2]: registered after abandonment: only reinstatement is allowed after an abandonment"
        );
    }

    #[test]
    fn reinstatement_returns_to_the_state_before() {
        let f = PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345");
        let a = kr(vec![
            f.clone(),
            PatentEvent::published(d(2027, 9, 3), None),
            PatentEvent::rejected(d(2028, 1, 10)),
            PatentEvent::reinstated(d(2028, 6, 1)),
            PatentEvent::registered(d(2028, 9, 1), "10-2345678"),
            PatentEvent::abandoned(d(2031, 1, 1)),
        ]);
        let s = a.validate().unwrap();
        assert_eq!(s.state, ApplicationState::Abandoned);
        assert_eq!(s.registered_on, Some(d(2028, 9, 1)));
        assert_eq!(s.next_events, vec![PatentEventKind::Reinstated]);
        let a = kr(vec![f, PatentEvent::abandoned(d(2027, 1, 1)), PatentEvent::reinstated(d(2027, 1, 1))]);
        let s = a.validate().unwrap();
        assert_eq!(s.state, ApplicationState::Filed);
        assert_eq!(
            s.next_events,
            [
                PatentEventKind::Published,
                PatentEventKind::Registered,
                PatentEventKind::Abandoned,
                PatentEventKind::Rejected
            ]
        );
    }

    #[test]
    fn pct_is_never_registered() {
        let mut a = PatentApplication::new(3, Jurisdiction::Pct, d(2026, 3, 2), "PCT/KR2026/001234").unwrap();
        let e = a.record_event(PatentEvent::registered(d(2028, 1, 1), "X")).unwrap_err();
        assert_eq!(e, vec![IpError::new("events[1]", Reason::PctNotRegistrable)]);
        assert_eq!(a.events.len(), 1);
        let s = a.record_event(PatentEvent::published(d(2027, 9, 1), Some("WO2027/123456"))).unwrap();
        assert_eq!(s.state, ApplicationState::Published);
        assert_eq!(s.next_events, [PatentEventKind::Abandoned, PatentEventKind::Rejected]);
    }

    #[test]
    fn publication_after_early_registration_is_allowed() {
        let a = kr(vec![
            PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345"),
            PatentEvent::registered(d(2027, 1, 5), "10-2345678"),
            PatentEvent::published(d(2027, 2, 1), None),
        ]);
        let s = a.validate().unwrap();
        assert_eq!(s.state, ApplicationState::Registered);
        assert_eq!(s.published_on, Some(d(2027, 2, 1)));
    }

    #[test]
    fn numbers_are_checked_and_all_reported() {
        let a = kr(vec![
            PatentEvent::filed(d(2026, 3, 2), "10-26-12345"),
            PatentEvent::registered(d(2027, 1, 1), "2345678"),
            PatentEvent { number: None, ..PatentEvent::registered(d(2027, 1, 1), "") },
        ]);
        assert_eq!(
            codes(a),
            [
                ("events[0].number".to_string(), "invalid-kr-application-number"),
                ("events[1].number".to_string(), "invalid-kr-registration-number"),
                ("events[2].number".to_string(), "required"),
                ("events[2]".to_string(), "already-registered"),
            ]
        );
        // The number's year cannot be before the filing year.
        let e = PatentApplication::new(1, Jurisdiction::Kr, d(2026, 1, 5), "10-2025-0012345").unwrap_err();
        assert_eq!(e.reason, Reason::ApplicationNumberYearBeforeFiling { number_year: 2025, filing_year: 2026 });
        // A later year is fine (divisional, national phase).
        assert!(PatentApplication::new(1, Jurisdiction::Kr, d(2025, 12, 30), "10-2026-0000001").is_ok());
        // Other jurisdictions only need a number.
        let us = PatentApplication {
            id: 2,
            jurisdiction: Jurisdiction::Us,
            events: vec![PatentEvent::filed(d(2026, 1, 1), " ")],
        };
        assert_eq!(codes(us), [("events[0].number".to_string(), "required")]);
    }

    #[test]
    fn record_event_stores_canonical_numbers_and_leaves_the_application_alone_on_error() {
        let mut a = PatentApplication::new(1, Jurisdiction::Kr, d(2026, 3, 2), "1020260012345").unwrap();
        assert_eq!(a.events[0].number.as_deref(), Some("10-2026-0012345"));
        let s = a.record_event(PatentEvent::registered(d(2028, 1, 1), "102345678")).unwrap();
        assert_eq!(s.registration_number.as_deref(), Some("10-2345678"));
        assert_eq!(a.events[1].number.as_deref(), Some("10-2345678"));
        let before = a.clone();
        assert_eq!(
            a.record_event(PatentEvent::rejected(d(2029, 1, 1))).unwrap_err()[0].code(),
            "rejection-after-registration"
        );
        assert_eq!(
            a.record_event(PatentEvent::registered(d(2029, 1, 1), "1")).unwrap_err()[0].field,
            "events[2].number"
        );
        assert_eq!(a, before);
    }

    #[test]
    fn family_validation_prefixes_application_errors() {
        let fam = PatentFamily {
            id: 1,
            title_ko: " ".into(),
            title_en: String::new(),
            project_ids: vec![],
            owner_institution_ids: vec![],
            inventors: vec![InventorShare { person_id: 1, share_bp: 9000 }],
            applications: vec![kr(vec![PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345")]), kr(vec![])],
        };
        let e: Vec<(String, &str)> =
            fam.validate().unwrap_err().into_iter().map(|e| (e.field.clone(), e.code())).collect();
        assert_eq!(
            e,
            [
                ("title_ko".to_string(), "required"),
                ("owner_institution_ids".to_string(), "empty"),
                ("inventors".to_string(), "shares-sum-not-100"),
                ("applications[1].events".to_string(), "not-filed"),
            ]
        );
    }

    #[test]
    fn event_json_shape() {
        let e = PatentEvent::filed(d(2026, 3, 2), "10-2026-0012345");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"kind": "filed", "date": "2026-03-02", "number": "10-2026-0012345", "note": ""})
        );
        let back: PatentEvent = serde_json::from_str(r#"{"kind":"abandoned","date":"2027-01-01"}"#).unwrap();
        assert_eq!(back, PatentEvent::abandoned(d(2027, 1, 1)));
        assert_eq!(PatentEventKind::from_code("registered"), Some(PatentEventKind::Registered));
        assert_eq!(PatentEventKind::Registered.label_ko(), "등록");
    }
}
