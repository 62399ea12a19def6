//! Startups (창업, 실험실 창업): founders, linked patents and projects, region, and investment rounds.
//!
//! The region is the province-level division (시·도) of the head office. It feeds the regional indicator of the
//! consortium: [`RegionGroup::GwangjuJeonnam`] (광주·전남) against everywhere else.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::{Period, year_of};
use crate::error::{IpError, Reason, err, into_result, optional_text, required_text};

/// Longest accepted name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Province-level division (시·도) of Korea, or abroad. Serialized snake_case (`gwangju`, `jeonnam`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// 서울특별시.
    Seoul,
    /// 부산광역시.
    Busan,
    /// 대구광역시.
    Daegu,
    /// 인천광역시.
    Incheon,
    /// 광주광역시 (Gwangju Metropolitan City): regional.
    Gwangju,
    /// 대전광역시.
    Daejeon,
    /// 울산광역시.
    Ulsan,
    /// 세종특별자치시.
    Sejong,
    /// 경기도.
    Gyeonggi,
    /// 강원특별자치도.
    Gangwon,
    /// 충청북도.
    Chungbuk,
    /// 충청남도.
    Chungnam,
    /// 전북특별자치도.
    Jeonbuk,
    /// 전라남도 (Jeollanam-do): regional.
    Jeonnam,
    /// 경상북도.
    Gyeongbuk,
    /// 경상남도.
    Gyeongnam,
    /// 제주특별자치도.
    Jeju,
    /// Outside Korea (해외).
    Overseas,
}

/// `(region, code, short Korean name, other Korean names)`.
const REGIONS: [(Region, &str, &str, &[&str]); 18] = [
    (Region::Seoul, "seoul", "서울", &["서울특별시", "서울시"]),
    (Region::Busan, "busan", "부산", &["부산광역시", "부산시"]),
    (Region::Daegu, "daegu", "대구", &["대구광역시", "대구시"]),
    (Region::Incheon, "incheon", "인천", &["인천광역시", "인천시"]),
    (Region::Gwangju, "gwangju", "광주", &["광주광역시", "광주시"]),
    (Region::Daejeon, "daejeon", "대전", &["대전광역시", "대전시"]),
    (Region::Ulsan, "ulsan", "울산", &["울산광역시", "울산시"]),
    (Region::Sejong, "sejong", "세종", &["세종특별자치시", "세종시"]),
    (Region::Gyeonggi, "gyeonggi", "경기", &["경기도"]),
    (Region::Gangwon, "gangwon", "강원", &["강원도", "강원특별자치도"]),
    (Region::Chungbuk, "chungbuk", "충북", &["충청북도"]),
    (Region::Chungnam, "chungnam", "충남", &["충청남도"]),
    (Region::Jeonbuk, "jeonbuk", "전북", &["전라북도", "전북특별자치도"]),
    (Region::Jeonnam, "jeonnam", "전남", &["전라남도"]),
    (Region::Gyeongbuk, "gyeongbuk", "경북", &["경상북도"]),
    (Region::Gyeongnam, "gyeongnam", "경남", &["경상남도"]),
    (Region::Jeju, "jeju", "제주", &["제주특별자치도", "제주도"]),
    (Region::Overseas, "overseas", "해외", &["국외"]),
];

impl Region {
    /// The snake_case code (as serialized).
    pub fn code(self) -> &'static str {
        REGIONS.iter().find(|r| r.0 == self).map_or("", |r| r.1)
    }

    /// The short Korean name (서울, 광주, 전남, …, 해외).
    pub fn label_ko(self) -> &'static str {
        REGIONS.iter().find(|r| r.0 == self).map_or("", |r| r.2)
    }

    /// Reads a region from its code (`gwangju`, `Jeonnam`), its short or full Korean name (광주, 광주광역시, 전라남도),
    /// or an address, by its first word (`광주광역시 북구 첨단과기로 123` → Gwangju; `경기도 광주시 …` → Gyeonggi).
    ///
    /// Errors on `field`: `required` when blank, `unknown-region` otherwise.
    pub fn parse(field: &str, text: &str) -> Result<Self, IpError> {
        let t = text.trim();
        let Some(first) = t.split_whitespace().next() else {
            return Err(err(field, Reason::Required));
        };
        let lower = first.to_ascii_lowercase();
        REGIONS
            .iter()
            .find(|(_, code, short, others)| lower == *code || first == *short || others.contains(&first))
            .map(|r| r.0)
            .ok_or_else(|| err(field, Reason::UnknownRegion { value: t.to_string() }))
    }

    /// Gwangju–Jeonnam or elsewhere.
    pub fn group(self) -> RegionGroup {
        match self {
            Region::Gwangju | Region::Jeonnam => RegionGroup::GwangjuJeonnam,
            _ => RegionGroup::Elsewhere,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The two groups of the regional indicator. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionGroup {
    /// 광주·전남: Gwangju Metropolitan City and Jeollanam-do.
    GwangjuJeonnam,
    /// Anywhere else, abroad included.
    Elsewhere,
}

/// Investment stage. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStage {
    /// 시드 (angel and accelerator rounds included, e.g. TIPS).
    Seed,
    /// 프리 A.
    PreA,
    /// 시리즈 A.
    SeriesA,
    /// 시리즈 B.
    SeriesB,
    /// 시리즈 C.
    SeriesC,
    /// 시리즈 D and later, pre-IPO.
    Later,
    /// Bridge and other rounds.
    Other,
}

/// One investment round (투자 유치).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvestmentRound {
    /// Closing date.
    pub date: NaiveDate,
    /// Stage.
    pub stage: RoundStage,
    /// Amount raised, KRW, greater than 0.
    pub amount_krw: i64,
    /// Investors' names (may be empty when undisclosed).
    #[serde(default)]
    pub investors: Vec<String>,
}

/// A startup founded on the consortium's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Startup {
    /// Id given by the storage layer (0 before it is stored).
    pub id: i64,
    /// Company name (as registered; usually Korean).
    pub name: String,
    /// English name, optional.
    #[serde(default)]
    pub name_en: String,
    /// Date of incorporation (설립일).
    pub founded_on: NaiveDate,
    /// Where the head office is.
    pub region: Region,
    /// Founders from the consortium (people); at least one.
    pub founder_person_ids: Vec<i64>,
    /// Patent families it uses.
    #[serde(default)]
    pub patent_family_ids: Vec<i64>,
    /// Projects it comes from.
    #[serde(default)]
    pub project_ids: Vec<i64>,
    /// Investment rounds.
    #[serde(default)]
    pub rounds: Vec<InvestmentRound>,
}

impl Startup {
    /// Checks the record; all problems are reported. Errors: `name` `required`/`too-long`; `name_en` `too-long`;
    /// `founder_person_ids` `empty`, `founder_person_ids[i]` `duplicate-person`; `rounds[i].date` `date-too-early`
    /// (before `founded_on`); `rounds[i].amount_krw` `amount-not-positive`; `rounds[i].investors[j]`
    /// `required`/`too-long`.
    pub fn validate(&self) -> Result<(), Vec<IpError>> {
        let mut e = Vec::new();
        required_text("name", &self.name, MAX_NAME_CHARS, &mut e);
        optional_text("name_en", &self.name_en, MAX_NAME_CHARS, &mut e);
        if self.founder_person_ids.is_empty() {
            e.push(err("founder_person_ids", Reason::Empty));
        }
        let mut seen = BTreeSet::new();
        for (i, p) in self.founder_person_ids.iter().enumerate() {
            if !seen.insert(p) {
                e.push(err(format!("founder_person_ids[{i}]"), Reason::DuplicatePerson { person: p.to_string() }));
            }
        }
        for (i, r) in self.rounds.iter().enumerate() {
            if r.date < self.founded_on {
                e.push(err(
                    format!("rounds[{i}].date"),
                    Reason::DateTooEarly { limit_field: "founded_on".into(), limit: self.founded_on },
                ));
            }
            if r.amount_krw <= 0 {
                e.push(err(format!("rounds[{i}].amount_krw"), Reason::AmountNotPositive { amount: r.amount_krw }));
            }
            for (j, name) in r.investors.iter().enumerate() {
                required_text(&format!("rounds[{i}].investors[{j}]"), name, MAX_NAME_CHARS, &mut e);
            }
        }
        into_result(e)
    }

    /// Total raised in all rounds, KRW.
    pub fn total_investment_krw(&self) -> i64 {
        self.rounds.iter().fold(0i64, |s, r| s.saturating_add(r.amount_krw))
    }
}

/// The startups founded in `period`.
pub fn startups_founded_in<'a>(startups: &'a [Startup], period: &Period) -> Vec<&'a Startup> {
    startups.iter().filter(|s| period.contains(s.founded_on)).collect()
}

/// Startups founded in a period, by region group (the regional indicator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RegionalCount {
    /// Founded in Gwangju or Jeonnam.
    pub gwangju_jeonnam: u32,
    /// Founded elsewhere.
    pub elsewhere: u32,
}

impl RegionalCount {
    /// The Gwangju–Jeonnam share in basis points (10000 = 100%, rounded down); 0 when there are none.
    pub fn regional_share_bp(&self) -> u32 {
        let total = u64::from(self.gwangju_jeonnam) + u64::from(self.elsewhere);
        (u64::from(self.gwangju_jeonnam) * 10_000).checked_div(total).map_or(0, |x| x as u32)
    }
}

/// Counts the startups founded in `period` by region group.
pub fn regional_startup_counts(startups: &[Startup], period: &Period) -> RegionalCount {
    let mut c = RegionalCount::default();
    for s in startups_founded_in(startups, period) {
        match s.region.group() {
            RegionGroup::GwangjuJeonnam => c.gwangju_jeonnam += 1,
            RegionGroup::Elsewhere => c.elsewhere += 1,
        }
    }
    c
}

/// Investment closed in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvestmentYear {
    /// The calendar year.
    pub year: i32,
    /// Rounds closed that year.
    pub rounds: u32,
    /// Amount raised that year, KRW.
    pub amount_krw: i64,
}

/// Investment per calendar year of `years`, by round date, in order.
pub fn investment_by_year(startups: &[Startup], years: RangeInclusive<i32>) -> Vec<InvestmentYear> {
    years
        .map(|year| {
            let mut y = InvestmentYear { year, rounds: 0, amount_krw: 0 };
            for r in startups.iter().flat_map(|s| &s.rounds).filter(|r| year_of(r.date) == year) {
                y.rounds += 1;
                y.amount_krw = y.amount_krw.saturating_add(r.amount_krw);
            }
            y
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dates::tests::d;

    pub(crate) fn sample() -> Vec<Startup> {
        vec![
            Startup {
                id: 1,
                name: "(주)멀티모달헬스".into(),
                name_en: "Multimodal Health Inc.".into(),
                founded_on: d(2027, 4, 1),
                region: Region::Gwangju,
                founder_person_ids: vec![7],
                patent_family_ids: vec![1],
                project_ids: vec![3],
                rounds: vec![
                    InvestmentRound {
                        date: d(2027, 9, 1),
                        stage: RoundStage::Seed,
                        amount_krw: 500_000_000,
                        investors: vec!["GIST 기술지주".into()],
                    },
                    InvestmentRound {
                        date: d(2028, 12, 31),
                        stage: RoundStage::PreA,
                        amount_krw: 2_000_000_000,
                        investors: vec![],
                    },
                ],
            },
            Startup {
                id: 2,
                name: "리젠셀".into(),
                name_en: String::new(),
                founded_on: d(2027, 12, 1),
                region: Region::Seoul,
                founder_person_ids: vec![8, 9],
                patent_family_ids: vec![],
                project_ids: vec![],
                rounds: vec![InvestmentRound {
                    date: d(2028, 1, 15),
                    stage: RoundStage::Seed,
                    amount_krw: 300_000_000,
                    investors: vec!["A".into()],
                }],
            },
            Startup {
                id: 3,
                name: "화순바이오".into(),
                name_en: String::new(),
                founded_on: d(2028, 2, 1),
                region: Region::Jeonnam,
                founder_person_ids: vec![10],
                patent_family_ids: vec![],
                project_ids: vec![],
                rounds: vec![],
            },
        ]
    }

    #[test]
    fn regions_parse_and_group() {
        let p = |s| Region::parse("region", s).unwrap();
        assert_eq!(p("광주"), Region::Gwangju);
        assert_eq!(p("광주광역시 북구 첨단과기로 123"), Region::Gwangju);
        assert_eq!(p("전라남도 화순군 화순읍"), Region::Jeonnam);
        assert_eq!(p("경기도 광주시 오포읍"), Region::Gyeonggi);
        assert_eq!(p("Jeonnam"), Region::Jeonnam);
        assert_eq!(p("전북특별자치도"), Region::Jeonbuk);
        assert_eq!(p("해외"), Region::Overseas);
        assert_eq!(Region::parse("region", "Gwangju-si").unwrap_err().code(), "unknown-region");
        assert_eq!(Region::parse("region", " ").unwrap_err().code(), "required");
        assert_eq!(p("광주").group(), RegionGroup::GwangjuJeonnam);
        assert_eq!(p("전남").group(), RegionGroup::GwangjuJeonnam);
        assert_eq!(p("전북").group(), RegionGroup::Elsewhere);
        assert_eq!(p("해외").group(), RegionGroup::Elsewhere);
        assert_eq!(Region::Jeonnam.label_ko(), "전남");
        // Every region's code reads back.
        for (r, code, short, _) in REGIONS {
            assert_eq!((p(code), p(short)), (r, r));
            assert_eq!(serde_json::to_value(r).unwrap(), code);
        }
    }

    #[test]
    fn regional_indicator_and_investment() {
        let s = sample();
        let c = regional_startup_counts(&s, &Period::years(2026..=2030));
        assert_eq!(c, RegionalCount { gwangju_jeonnam: 2, elsewhere: 1 });
        assert_eq!(c.regional_share_bp(), 6666);
        assert_eq!(
            regional_startup_counts(&s, &Period::year(2027)),
            RegionalCount { gwangju_jeonnam: 1, elsewhere: 1 }
        );
        assert_eq!(RegionalCount::default().regional_share_bp(), 0);
        let inv = investment_by_year(&s, 2027..=2029);
        assert_eq!(
            inv.iter().map(|y| (y.year, y.rounds, y.amount_krw)).collect::<Vec<_>>(),
            [(2027, 1, 500_000_000), (2028, 2, 2_300_000_000), (2029, 0, 0)]
        );
        assert_eq!(s[0].total_investment_krw(), 2_500_000_000);
    }

    #[test]
    fn validation() {
        for x in sample() {
            assert_eq!(x.validate(), Ok(()));
        }
        let mut x = sample()[0].clone();
        x.founder_person_ids = vec![7, 7];
        x.rounds[0].date = d(2027, 3, 31);
        x.rounds[1].amount_krw = -5;
        x.rounds[1].investors = vec!["  ".into()];
        let e: Vec<(String, &str)> =
            x.validate().unwrap_err().into_iter().map(|e| (e.field.clone(), e.code())).collect();
        assert_eq!(
            e,
            [
                ("founder_person_ids[1]".to_string(), "duplicate-person"),
                ("rounds[0].date".to_string(), "date-too-early"),
                ("rounds[1].amount_krw".to_string(), "amount-not-positive"),
                ("rounds[1].investors[0]".to_string(), "required"),
            ]
        );
        x.founder_person_ids.clear();
        x.name = String::new();
        let e = x.validate().unwrap_err();
        assert_eq!((e[0].code(), e[1].field.as_str()), ("required", "founder_person_ids"));
    }
}
