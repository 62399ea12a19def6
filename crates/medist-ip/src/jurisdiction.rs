//! Jurisdictions (출원국) of patent applications.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{IpError, Reason, err};

/// Where an application is filed. Stored and serialized as its code: `KR`, `US`, `EP`, `JP`, `CN`, `PCT`, or
/// the two-letter code of another country (ISO 3166-1 alpha-2) or regional patent office (`EA`, `AP`, `OA`, `GC`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Jurisdiction {
    /// Korea (KIPO, 특허청). The only jurisdiction whose numbers are checked strictly.
    Kr,
    /// United States (USPTO).
    Us,
    /// European Patent Office.
    Ep,
    /// Japan (JPO).
    Jp,
    /// China (CNIPA).
    Cn,
    /// An international application under the Patent Cooperation Treaty (PCT, code `WO` at WIPO). It is filed and
    /// published but never registered itself.
    Pct,
    /// Any other country or regional office, by its upper-case two-letter code.
    Other(String),
}

/// ISO 3166-1 alpha-2 codes (249) followed by the regional patent offices of WIPO ST.3 that are not countries:
/// EA (Eurasian), AP (ARIPO), OA (OAPI), GC (GCC). EP and WO are handled as their own variants.
const OTHER_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW \
EA AP OA GC";

impl Jurisdiction {
    /// The code: `KR`, `US`, `EP`, `JP`, `CN`, `PCT`, or the two-letter code of [`Jurisdiction::Other`].
    pub fn code(&self) -> &str {
        match self {
            Jurisdiction::Kr => "KR",
            Jurisdiction::Us => "US",
            Jurisdiction::Ep => "EP",
            Jurisdiction::Jp => "JP",
            Jurisdiction::Cn => "CN",
            Jurisdiction::Pct => "PCT",
            Jurisdiction::Other(c) => c,
        }
    }

    /// Reads a jurisdiction as written in forms and spreadsheets, case-insensitively: the codes above, `WO` for PCT,
    /// three-letter `KOR`, `USA`, `JPN`, `CHN`, `EPO`, and the Korean names 한국/대한민국/국내, 미국, 유럽, 일본, 중국,
    /// 국제/PCT국제출원. Another two-letter code must be an ISO 3166-1 alpha-2 code or a regional office.
    ///
    /// Errors (on `field`): `required` when blank, `unknown-jurisdiction` otherwise.
    pub fn parse(field: &str, text: &str) -> Result<Self, IpError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(err(field, Reason::Required));
        }
        let upper = t.to_ascii_uppercase();
        let j = match upper.as_str() {
            "KR" | "KOR" | "KOREA" | "한국" | "대한민국" | "국내" => Jurisdiction::Kr,
            "US" | "USA" | "미국" => Jurisdiction::Us,
            "EP" | "EPO" | "유럽" => Jurisdiction::Ep,
            "JP" | "JPN" | "JAPAN" | "일본" => Jurisdiction::Jp,
            "CN" | "CHN" | "CHINA" | "중국" => Jurisdiction::Cn,
            "PCT" | "WO" | "국제" | "PCT국제출원" => Jurisdiction::Pct,
            c if c.len() == 2 && OTHER_CODES.split(' ').any(|k| k == c) => Jurisdiction::Other(c.to_string()),
            _ => return Err(err(field, Reason::UnknownJurisdiction { value: t.to_string() })),
        };
        Ok(j)
    }

    /// Whether applications here can be registered (all but PCT).
    pub fn can_register(&self) -> bool {
        !matches!(self, Jurisdiction::Pct)
    }

    /// Domestic (국내) for Korea, foreign (해외) for the rest: the split of the national R&D outcome forms.
    pub fn is_domestic(&self) -> bool {
        matches!(self, Jurisdiction::Kr)
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl From<Jurisdiction> for String {
    fn from(j: Jurisdiction) -> Self {
        j.code().to_string()
    }
}

impl TryFrom<String> for Jurisdiction {
    type Error = IpError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Jurisdiction::parse("jurisdiction", &s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_list_has_every_iso_code_once() {
        let codes: Vec<&str> = OTHER_CODES.split(' ').collect();
        assert_eq!(codes.len(), 249 + 4);
        let set: std::collections::BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(set.len(), codes.len());
        assert!(codes.iter().all(|c| c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase())));
    }

    #[test]
    fn parses_codes_aliases_and_korean_names() {
        let p = |s| Jurisdiction::parse("jurisdiction", s).unwrap();
        assert_eq!(p("kr"), Jurisdiction::Kr);
        assert_eq!(p(" 대한민국 "), Jurisdiction::Kr);
        assert_eq!(p("USA"), Jurisdiction::Us);
        assert_eq!(p("유럽"), Jurisdiction::Ep);
        assert_eq!(p("jp"), Jurisdiction::Jp);
        assert_eq!(p("중국"), Jurisdiction::Cn);
        assert_eq!(p("WO"), Jurisdiction::Pct);
        assert_eq!(p("pct"), Jurisdiction::Pct);
        assert_eq!(p("de"), Jurisdiction::Other("DE".into()));
        assert_eq!(p("EA"), Jurisdiction::Other("EA".into()));
        assert_eq!(p("CN").code(), "CN");
        assert!(!p("PCT").can_register() && p("KR").can_register() && p("DE").can_register());
        assert!(p("KR").is_domestic() && !p("US").is_domestic());
    }

    #[test]
    fn unknown_codes_are_refused_with_the_value() {
        for s in ["XX", "K", "Germany", "KR1", "ZZ"] {
            let e = Jurisdiction::parse("jurisdiction", s).unwrap_err();
            assert_eq!(e.reason, Reason::UnknownJurisdiction { value: s.to_string() }, "{s}");
        }
        assert_eq!(Jurisdiction::parse("jurisdiction", "").unwrap_err().code(), "required");
    }

    #[test]
    fn serializes_as_its_code() {
        assert_eq!(serde_json::to_string(&Jurisdiction::Pct).unwrap(), "\"PCT\"");
        assert_eq!(serde_json::to_string(&Jurisdiction::Other("DE".into())).unwrap(), "\"DE\"");
        let j: Jurisdiction = serde_json::from_str("\"de\"").unwrap();
        assert_eq!(j, Jurisdiction::Other("DE".into()));
        assert!(serde_json::from_str::<Jurisdiction>("\"XX\"").is_err());
    }
}
