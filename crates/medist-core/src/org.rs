//! Organization context: program → consortia → institutions → units; people with appointments.
//! Inputs arrive as plain strings from forms, JSON or the CLI and are checked here, field by field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::validate::{FieldErrors, is_email, is_orcid, non_empty};

/// 의사과학자 / 의과학자.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FacultyCategory {
    PhysicianScientist,
    MedicalScientist,
}

impl FacultyCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            FacultyCategory::PhysicianScientist => "physician_scientist",
            FacultyCategory::MedicalScientist => "medical_scientist",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "physician_scientist" => Some(Self::PhysicianScientist),
            "medical_scientist" => Some(Self::MedicalScientist),
            _ => None,
        }
    }
}

pub const INSTITUTION_KINDS: [&str; 5] = ["university", "medical_school", "hospital", "research_institute", "company"];
pub const UNIT_KINDS: [&str; 5] = ["department", "center", "institute", "office", "lab"];
pub const APPOINTMENT_ROLES: [&str; 7] =
    ["professor", "clinical_professor", "research_professor", "researcher", "staff", "adjunct", "director"];

/// A person as entered: every field as text, as a form would send it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInput {
    pub name_ko: String,
    pub name_en: String,
    pub email: String,
    #[serde(default)]
    pub orcid: String,
    pub institution_id: String,
    #[serde(default)]
    pub unit_id: String,
}

/// A person after checking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFields {
    pub name_ko: String,
    pub name_en: String,
    pub email: String,
    pub orcid: Option<String>,
    pub institution_id: i64,
    pub unit_id: Option<i64>,
}

fn parse_id(errs: &mut FieldErrors, field: &str, s: &str, required: bool) -> Option<i64> {
    match non_empty(s) {
        None => {
            if required {
                errs.add(field, "required");
            }
            None
        }
        Some(v) => match v.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errs.add(field, "invalid-id");
                None
            }
        },
    }
}

fn required_text(errs: &mut FieldErrors, field: &str, s: &str, max: usize) -> Option<String> {
    match non_empty(s) {
        None => {
            errs.add(field, "required");
            None
        }
        Some(v) if v.chars().count() > max => {
            errs.add(field, "too-long");
            None
        }
        Some(v) => Some(v),
    }
}

impl PersonInput {
    pub fn validate(&self) -> Result<PersonFields, FieldErrors> {
        let mut errs = FieldErrors::new();
        let name_ko = required_text(&mut errs, "name_ko", &self.name_ko, 100);
        let name_en = required_text(&mut errs, "name_en", &self.name_en, 200);
        let email = match non_empty(&self.email) {
            None => {
                errs.add("email", "required");
                None
            }
            Some(e) if !is_email(&e) => {
                errs.add("email", "invalid-email");
                None
            }
            Some(e) => Some(e.to_lowercase()),
        };
        let orcid = match non_empty(&self.orcid) {
            None => None,
            Some(o) => {
                let o = o.trim_start_matches("https://orcid.org/").to_uppercase();
                if is_orcid(&o) {
                    Some(o)
                } else {
                    errs.add("orcid", "invalid-orcid");
                    None
                }
            }
        };
        let institution_id = parse_id(&mut errs, "institution_id", &self.institution_id, true);
        let unit_id = parse_id(&mut errs, "unit_id", &self.unit_id, false);
        errs.into_result()?;
        Ok(PersonFields {
            name_ko: name_ko.unwrap_or_default(),
            name_en: name_en.unwrap_or_default(),
            email: email.unwrap_or_default(),
            orcid,
            institution_id: institution_id.unwrap_or_default(),
            unit_id,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentInput {
    pub role: String,
    #[serde(default)]
    pub faculty_category: String,
    #[serde(default)]
    pub dedicated: bool,
    /// Full-time equivalent in percent, 1–100.
    pub fte_percent: String,
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentFields {
    pub role: String,
    pub faculty_category: Option<FacultyCategory>,
    pub dedicated: bool,
    pub fte_percent: i32,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

fn parse_date(errs: &mut FieldErrors, field: &str, s: &str, required: bool) -> Option<NaiveDate> {
    match non_empty(s) {
        None => {
            if required {
                errs.add(field, "required");
            }
            None
        }
        Some(v) => match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errs.add(field, "invalid-date");
                None
            }
        },
    }
}

impl AppointmentInput {
    pub fn validate(&self) -> Result<AppointmentFields, FieldErrors> {
        let mut errs = FieldErrors::new();
        let role = match non_empty(&self.role) {
            None => {
                errs.add("role", "required");
                None
            }
            Some(r) if !APPOINTMENT_ROLES.contains(&r.as_str()) => {
                errs.add("role", "unknown-value");
                None
            }
            Some(r) => Some(r),
        };
        let faculty_category = match non_empty(&self.faculty_category) {
            None => None,
            Some(c) => match FacultyCategory::parse(&c) {
                Some(c) => Some(c),
                None => {
                    errs.add("faculty_category", "unknown-value");
                    None
                }
            },
        };
        let fte = match non_empty(&self.fte_percent) {
            None => {
                errs.add("fte_percent", "required");
                None
            }
            Some(v) => match v.parse::<i32>() {
                Ok(n) if (1..=100).contains(&n) => Some(n),
                _ => {
                    errs.add("fte_percent", "fte-range");
                    None
                }
            },
        };
        let start = parse_date(&mut errs, "start_date", &self.start_date, true);
        let end = parse_date(&mut errs, "end_date", &self.end_date, false);
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            errs.add("end_date", "end-before-start");
        }
        if self.dedicated && faculty_category.is_none() && errs.for_field("faculty_category").is_none() {
            errs.add("faculty_category", "dedicated-needs-category");
        }
        errs.into_result()?;
        Ok(AppointmentFields {
            role: role.unwrap_or_default(),
            faculty_category,
            dedicated: self.dedicated,
            fte_percent: fte.unwrap_or_default(),
            start_date: start.unwrap_or_default(),
            end_date: end,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstitutionInput {
    pub name_ko: String,
    pub name_en: String,
    pub short_name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionFields {
    pub name_ko: String,
    pub name_en: String,
    pub short_name: String,
    pub kind: String,
}

fn kind_of(errs: &mut FieldErrors, s: &str, allowed: &[&str]) -> Option<String> {
    match non_empty(s) {
        None => {
            errs.add("kind", "required");
            None
        }
        Some(k) if !allowed.contains(&k.as_str()) => {
            errs.add("kind", "unknown-value");
            None
        }
        Some(k) => Some(k),
    }
}

impl InstitutionInput {
    pub fn validate(&self) -> Result<InstitutionFields, FieldErrors> {
        let mut errs = FieldErrors::new();
        let name_ko = required_text(&mut errs, "name_ko", &self.name_ko, 200);
        let name_en = required_text(&mut errs, "name_en", &self.name_en, 300);
        let short_name = required_text(&mut errs, "short_name", &self.short_name, 40);
        let kind = kind_of(&mut errs, &self.kind, &INSTITUTION_KINDS);
        errs.into_result()?;
        Ok(InstitutionFields {
            name_ko: name_ko.unwrap_or_default(),
            name_en: name_en.unwrap_or_default(),
            short_name: short_name.unwrap_or_default(),
            kind: kind.unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitInput {
    pub name_ko: String,
    pub name_en: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFields {
    pub name_ko: String,
    pub name_en: String,
    pub kind: String,
}

impl UnitInput {
    pub fn validate(&self) -> Result<UnitFields, FieldErrors> {
        let mut errs = FieldErrors::new();
        let name_ko = required_text(&mut errs, "name_ko", &self.name_ko, 200);
        let name_en = required_text(&mut errs, "name_en", &self.name_en, 300);
        let kind = kind_of(&mut errs, &self.kind, &UNIT_KINDS);
        errs.into_result()?;
        Ok(UnitFields {
            name_ko: name_ko.unwrap_or_default(),
            name_en: name_en.unwrap_or_default(),
            kind: kind.unwrap_or_default(),
        })
    }
}

/// Counts of dedicated faculty by category, from the appointments in force on a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DedicatedFaculty {
    pub physician_scientists: i64,
    pub medical_scientists: i64,
}

impl DedicatedFaculty {
    pub fn total(&self) -> i64 {
        self.physician_scientists + self.medical_scientists
    }
}

/// Counts each person once (their first dedicated appointment in force on `on` decides the category).
pub fn count_dedicated<'a>(
    appointments: impl IntoIterator<Item = (i64, &'a AppointmentFields)>,
    on: NaiveDate,
) -> DedicatedFaculty {
    let mut seen = std::collections::BTreeMap::new();
    for (person, a) in appointments {
        let in_force = a.start_date <= on && a.end_date.is_none_or(|e| e >= on);
        if a.dedicated
            && in_force
            && let Some(c) = a.faculty_category
        {
            seen.entry(person).or_insert(c);
        }
    }
    let mut out = DedicatedFaculty::default();
    for c in seen.values() {
        match c {
            FacultyCategory::PhysicianScientist => out.physician_scientists += 1,
            FacultyCategory::MedicalScientist => out.medical_scientists += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> PersonInput {
        PersonInput {
            name_ko: " 김태 ".into(),
            name_en: "Tae Kim".into(),
            email: "Tae.Kim@GIST.ac.kr".into(),
            orcid: "https://orcid.org/0000-0002-1825-0097".into(),
            institution_id: "1".into(),
            unit_id: "".into(),
        }
    }

    #[test]
    fn valid_person_is_normalised() {
        let p = person().validate().unwrap();
        assert_eq!(p.name_ko, "김태");
        assert_eq!(p.email, "tae.kim@gist.ac.kr");
        assert_eq!(p.orcid.as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(p.unit_id, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let p = PersonInput {
            name_ko: "".into(),
            email: "nope".into(),
            orcid: "1234".into(),
            institution_id: "x".into(),
            ..person()
        };
        let e = p.validate().unwrap_err();
        assert_eq!(e.for_field("name_ko"), Some("required"));
        assert_eq!(e.for_field("email"), Some("invalid-email"));
        assert_eq!(e.for_field("orcid"), Some("invalid-orcid"));
        assert_eq!(e.for_field("institution_id"), Some("invalid-id"));
        assert_eq!(e.for_field("name_en"), None);
    }

    fn appt() -> AppointmentInput {
        AppointmentInput {
            role: "professor".into(),
            faculty_category: "physician_scientist".into(),
            dedicated: true,
            fte_percent: "100".into(),
            start_date: "2026-03-01".into(),
            end_date: "".into(),
        }
    }

    #[test]
    fn appointment_rules() {
        assert!(appt().validate().is_ok());
        let e = AppointmentInput { end_date: "2026-01-01".into(), ..appt() }.validate().unwrap_err();
        assert_eq!(e.for_field("end_date"), Some("end-before-start"));
        let e = AppointmentInput { fte_percent: "0".into(), ..appt() }.validate().unwrap_err();
        assert_eq!(e.for_field("fte_percent"), Some("fte-range"));
        let e = AppointmentInput { faculty_category: "".into(), ..appt() }.validate().unwrap_err();
        assert_eq!(e.for_field("faculty_category"), Some("dedicated-needs-category"));
        let e =
            AppointmentInput { role: "king".into(), start_date: "2026-13-01".into(), ..appt() }.validate().unwrap_err();
        assert_eq!(e.for_field("role"), Some("unknown-value"));
        assert_eq!(e.for_field("start_date"), Some("invalid-date"));
    }

    #[test]
    fn dedicated_faculty_counts_each_person_once_and_only_in_force() {
        let on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let ps = appt().validate().unwrap();
        let ms = AppointmentInput { faculty_category: "medical_scientist".into(), ..appt() }.validate().unwrap();
        let ended = AppointmentInput { end_date: "2026-04-01".into(), ..appt() }.validate().unwrap();
        let not_dedicated = AppointmentInput { dedicated: false, ..appt() }.validate().unwrap();
        let c = count_dedicated([(1, &ps), (1, &ms), (2, &ms), (3, &ended), (4, &not_dedicated)], on);
        assert_eq!(c, DedicatedFaculty { physician_scientists: 1, medical_scientists: 1 });
        assert_eq!(c.total(), 2);
    }

    #[test]
    fn institution_and_unit_kinds() {
        let i = InstitutionInput {
            name_ko: "광주과학기술원".into(),
            name_en: "GIST".into(),
            short_name: "GIST".into(),
            kind: "castle".into(),
        };
        assert_eq!(i.validate().unwrap_err().for_field("kind"), Some("unknown-value"));
        let u = UnitInput {
            name_ko: "의생명공학과".into(),
            name_en: "Dept. of Biomedical Science and Engineering".into(),
            kind: "department".into(),
        };
        assert!(u.validate().is_ok());
    }
}
