//! Technology transfers (기술이전): licences and assignments, the upfront fee (선급 기술료) and running royalties
//! (경상 기술료), and income per year.
//!
//! Amounts are whole KRW (원) in `i64`. **The upfront fee counts in the year of the contract; each royalty payment
//! in the year it is paid.**

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dates::{Period, year_of};
use crate::error::{IpError, Reason, err, into_result, optional_text, required_text};

/// Longest accepted licensee name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest accepted title or note, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// The kind of contract. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// 전용실시권: exclusive licence.
    ExclusiveLicense,
    /// 통상실시권: non-exclusive licence.
    NonExclusiveLicense,
    /// 양도: assignment of the rights.
    Assignment,
    /// 옵션: option to license later.
    Option,
    /// 기타: know-how, joint development and other.
    Other,
}

impl TransferKind {
    /// The Korean word.
    pub fn label_ko(self) -> &'static str {
        match self {
            TransferKind::ExclusiveLicense => "전용실시권",
            TransferKind::NonExclusiveLicense => "통상실시권",
            TransferKind::Assignment => "양도",
            TransferKind::Option => "옵션",
            TransferKind::Other => "기타",
        }
    }
}

/// One running-royalty payment received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoyaltyPayment {
    /// When it was paid.
    pub paid_on: NaiveDate,
    /// How much, KRW, greater than 0.
    pub amount_krw: i64,
}

/// A technology transfer contract (기술이전 계약).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnologyTransfer {
    /// Id given by the storage layer (0 before it is stored).
    pub id: i64,
    /// What is transferred (technology name), optional.
    #[serde(default)]
    pub title: String,
    /// Who receives the technology (company name).
    pub licensee: String,
    /// Kind of contract.
    pub kind: TransferKind,
    /// Date the contract was signed (계약일).
    pub contract_date: NaiveDate,
    /// Upfront fee (선급 기술료), KRW, 0 or more.
    pub upfront_fee_krw: i64,
    /// Running royalties received (경상 기술료).
    #[serde(default)]
    pub royalties: Vec<RoyaltyPayment>,
    /// Patent families covered.
    #[serde(default)]
    pub patent_family_ids: Vec<i64>,
    /// Projects whose results are transferred.
    #[serde(default)]
    pub project_ids: Vec<i64>,
    /// Institutions that license out (licensors).
    #[serde(default)]
    pub licensor_institution_ids: Vec<i64>,
}

impl TechnologyTransfer {
    /// Checks the record; all problems are reported. Errors: `licensee` `required`/`too-long`; `title` `too-long`;
    /// `upfront_fee_krw` `amount-negative`; `royalties[i].amount_krw` `amount-not-positive`;
    /// `royalties[i].paid_on` `date-too-early` (before `contract_date`).
    pub fn validate(&self) -> Result<(), Vec<IpError>> {
        let mut e = Vec::new();
        required_text("licensee", &self.licensee, MAX_NAME_CHARS, &mut e);
        optional_text("title", &self.title, MAX_TEXT_CHARS, &mut e);
        if self.upfront_fee_krw < 0 {
            e.push(err("upfront_fee_krw", Reason::AmountNegative { amount: self.upfront_fee_krw }));
        }
        for (i, r) in self.royalties.iter().enumerate() {
            if r.amount_krw <= 0 {
                e.push(err(format!("royalties[{i}].amount_krw"), Reason::AmountNotPositive { amount: r.amount_krw }));
            }
            if r.paid_on < self.contract_date {
                e.push(err(
                    format!("royalties[{i}].paid_on"),
                    Reason::DateTooEarly { limit_field: "contract_date".into(), limit: self.contract_date },
                ));
            }
        }
        into_result(e)
    }

    /// Royalties paid in `period`, KRW.
    pub fn royalties_in(&self, period: &Period) -> i64 {
        self.royalties.iter().filter(|r| period.contains(r.paid_on)).fold(0i64, |s, r| s.saturating_add(r.amount_krw))
    }

    /// Everything received so far: upfront fee plus all royalties, KRW.
    pub fn total_krw(&self) -> i64 {
        self.royalties.iter().fold(self.upfront_fee_krw, |s, r| s.saturating_add(r.amount_krw))
    }
}

/// Income in a period or year (기술료 수입).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TransferIncome {
    /// Contracts signed in the period.
    pub contracts: u32,
    /// Upfront fees of those contracts, KRW.
    pub upfront_krw: i64,
    /// Royalties paid in the period (on any contract), KRW.
    pub royalties_krw: i64,
    /// `upfront_krw + royalties_krw`.
    pub total_krw: i64,
}

/// One year of [`transfer_totals_by_year`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferYear {
    /// The calendar year.
    pub year: i32,
    /// The income of that year.
    #[serde(flatten)]
    pub income: TransferIncome,
}

/// The contracts signed in `period` (by contract date).
pub fn transfers_in<'a>(transfers: &'a [TechnologyTransfer], period: &Period) -> Vec<&'a TechnologyTransfer> {
    transfers.iter().filter(|t| period.contains(t.contract_date)).collect()
}

/// Income in `period`: upfront fees of the contracts signed in it, royalties paid in it.
pub fn transfer_income_in(transfers: &[TechnologyTransfer], period: &Period) -> TransferIncome {
    let mut x = TransferIncome::default();
    for t in transfers {
        if period.contains(t.contract_date) {
            x.contracts += 1;
            x.upfront_krw = x.upfront_krw.saturating_add(t.upfront_fee_krw);
        }
        x.royalties_krw = x.royalties_krw.saturating_add(t.royalties_in(period));
    }
    x.total_krw = x.upfront_krw.saturating_add(x.royalties_krw);
    x
}

/// [`transfer_income_in`] for each calendar year of `years`, in order.
pub fn transfer_totals_by_year(transfers: &[TechnologyTransfer], years: RangeInclusive<i32>) -> Vec<TransferYear> {
    years.map(|year| TransferYear { year, income: transfer_income_in(transfers, &Period::year(year)) }).collect()
}

/// The year a contract counts in.
pub(crate) fn contract_year(t: &TechnologyTransfer) -> i32 {
    year_of(t.contract_date)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dates::tests::d;

    pub(crate) fn sample() -> Vec<TechnologyTransfer> {
        vec![
            TechnologyTransfer {
                id: 1,
                title: "면역항암 바이오마커".into(),
                licensee: "(주)미라클바이오".into(),
                kind: TransferKind::ExclusiveLicense,
                contract_date: d(2026, 11, 20),
                upfront_fee_krw: 50_000_000,
                royalties: vec![
                    RoyaltyPayment { paid_on: d(2027, 3, 31), amount_krw: 12_000_000 },
                    RoyaltyPayment { paid_on: d(2028, 3, 31), amount_krw: 18_500_000 },
                ],
                patent_family_ids: vec![1],
                project_ids: vec![3],
                licensor_institution_ids: vec![1],
            },
            TechnologyTransfer {
                id: 2,
                title: String::new(),
                licensee: "Hwasun Medtech".into(),
                kind: TransferKind::NonExclusiveLicense,
                contract_date: d(2027, 12, 31),
                upfront_fee_krw: 0,
                royalties: vec![RoyaltyPayment { paid_on: d(2028, 1, 2), amount_krw: 3_000_000 }],
                patent_family_ids: vec![2],
                project_ids: vec![],
                licensor_institution_ids: vec![2],
            },
        ]
    }

    #[test]
    fn upfront_counts_in_contract_year_royalties_in_payment_year() {
        let t = transfer_totals_by_year(&sample(), 2026..=2029);
        let rows: Vec<(i32, u32, i64, i64, i64)> = t
            .iter()
            .map(|y| (y.year, y.income.contracts, y.income.upfront_krw, y.income.royalties_krw, y.income.total_krw))
            .collect();
        assert_eq!(
            rows,
            [
                (2026, 1, 50_000_000, 0, 50_000_000),
                (2027, 1, 0, 12_000_000, 12_000_000),
                (2028, 0, 0, 21_500_000, 21_500_000),
                (2029, 0, 0, 0, 0),
            ]
        );
        assert_eq!(sample()[0].total_krw(), 80_500_000);
        assert_eq!(transfers_in(&sample(), &Period::year(2027)).iter().map(|t| t.id).collect::<Vec<_>>(), [2]);
        let all = transfer_income_in(&sample(), &Period::years(2026..=2030));
        assert_eq!((all.contracts, all.total_krw), (2, 83_500_000));
        assert_eq!(
            serde_json::to_value(t[0]).unwrap(),
            serde_json::json!({
                "year": 2026, "contracts": 1, "upfront_krw": 50000000, "royalties_krw": 0, "total_krw": 50000000
            })
        );
    }

    #[test]
    fn validation() {
        assert_eq!(sample()[0].validate(), Ok(()));
        let mut t = sample()[0].clone();
        t.licensee = " ".into();
        t.upfront_fee_krw = -1;
        t.royalties.push(RoyaltyPayment { paid_on: d(2026, 11, 19), amount_krw: 0 });
        let e = t.validate().unwrap_err();
        assert_eq!(
            e,
            vec![
                IpError::new("licensee", Reason::Required),
                IpError::new("upfront_fee_krw", Reason::AmountNegative { amount: -1 }),
                IpError::new("royalties[2].amount_krw", Reason::AmountNotPositive { amount: 0 }),
                IpError::new(
                    "royalties[2].paid_on",
                    Reason::DateTooEarly { limit_field: "contract_date".into(), limit: d(2026, 11, 20) }
                ),
            ]
        );
        assert_eq!(e[3].to_string(), "royalties[2].paid_on: must be on or after contract_date (2026-11-20)");
        assert_eq!(TransferKind::NonExclusiveLicense.label_ko(), "통상실시권");
        assert_eq!(serde_json::to_value(TransferKind::ExclusiveLicense).unwrap(), "exclusive_license");
    }
}
