//! The commercialization pipeline funnel for the dashboard: inventions → patent applications → registrations →
//! technology transfers → startups, per year.
//!
//! Each stage counts in the year of its own event: an invention disclosure in the year received (접수일), an
//! application in the year filed (출원일), a registration in the year registered (등록일), a transfer in the year of
//! its contract (계약일), a startup in the year founded (설립일). The stages of one year are therefore not the same
//! inventions moving through; the funnel shows the flow of each year, and the cumulative total over the range.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::counting::{CountOptions, filings_by_year, registrations_by_year};
use crate::dates::year_of;
use crate::disclosure::InventionDisclosure;
use crate::patent::PatentFamily;
use crate::startup::Startup;
use crate::transfer::{TechnologyTransfer, contract_year};

/// The records the funnel reads. Pass all of them or those of the year range; others are ignored.
#[derive(Debug, Clone, Copy, Default)]
pub struct FunnelRecords<'a> {
    /// Invention disclosures (발명신고).
    pub disclosures: &'a [InventionDisclosure],
    /// Patent families with their applications and events.
    pub families: &'a [PatentFamily],
    /// Technology transfers (기술이전).
    pub transfers: &'a [TechnologyTransfer],
    /// Startups (창업).
    pub startups: &'a [Startup],
}

/// Counts of the five stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FunnelCounts {
    /// Invention disclosures received.
    pub inventions: u32,
    /// Patent applications filed (출원).
    pub applications: u32,
    /// Patent registrations (등록).
    pub registrations: u32,
    /// Technology transfer contracts signed (기술이전).
    pub transfers: u32,
    /// Startups founded (창업).
    pub startups: u32,
}

impl FunnelCounts {
    fn add(&mut self, o: &FunnelCounts) {
        self.inventions += o.inventions;
        self.applications += o.applications;
        self.registrations += o.registrations;
        self.transfers += o.transfers;
        self.startups += o.startups;
    }
}

/// One year of the funnel. JSON: `{"year": 2026, "inventions": 4, "applications": 3, …}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelYear {
    /// The calendar year.
    pub year: i32,
    /// Its counts.
    #[serde(flatten)]
    pub counts: FunnelCounts,
}

/// The funnel over a year range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    /// One entry per year of the range, in order (years with nothing included).
    pub years: Vec<FunnelYear>,
    /// The sum over the range.
    pub total: FunnelCounts,
}

/// Counts the funnel for each year of `years`. `patents` decides which applications and registrations count
/// (owners, jurisdictions, every application or first per family: see [`crate::counting`]); the other stages count
/// every record given.
pub fn pipeline_funnel(records: &FunnelRecords<'_>, years: RangeInclusive<i32>, patents: &CountOptions) -> Funnel {
    let filings = filings_by_year(records.families, years.clone(), patents);
    let registrations = registrations_by_year(records.families, years.clone(), patents);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut total = FunnelCounts::default();
    let years: Vec<FunnelYear> = years
        .map(|year| {
            let counts = FunnelCounts {
                inventions: count(records.disclosures.iter().filter(|d| year_of(d.received_on) == year).count()),
                applications: count(filings.get(&year).map_or(0, Vec::len)),
                registrations: count(registrations.get(&year).map_or(0, Vec::len)),
                transfers: count(records.transfers.iter().filter(|t| contract_year(t) == year).count()),
                startups: count(records.startups.iter().filter(|s| year_of(s.founded_on) == year).count()),
            };
            total.add(&counts);
            FunnelYear { year, counts }
        })
        .collect();
    Funnel { years, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counting::FamilyScope;
    use crate::dates::tests::d;
    use crate::shares::split_equally;

    #[test]
    fn funnel_counts_each_stage_in_its_own_year() {
        let disclosures: Vec<InventionDisclosure> = [d(2026, 1, 10), d(2026, 2, 1), d(2026, 12, 31), d(2027, 5, 5)]
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                InventionDisclosure::new(i as i64, "발명", "", split_equally("inventors", &[1]).unwrap(), r).unwrap()
            })
            .collect();
        let families = crate::counting::tests::sample();
        let transfers = crate::transfer::tests::sample();
        let startups = crate::startup::tests::sample();
        let records = FunnelRecords {
            disclosures: &disclosures,
            families: &families,
            transfers: &transfers,
            startups: &startups,
        };
        let f = pipeline_funnel(&records, 2026..=2029, &CountOptions::default());
        let rows: Vec<(i32, [u32; 5])> = f
            .years
            .iter()
            .map(|y| {
                let c = y.counts;
                (y.year, [c.inventions, c.applications, c.registrations, c.transfers, c.startups])
            })
            .collect();
        assert_eq!(
            rows,
            [(2026, [3, 2, 0, 1, 0]), (2027, [1, 3, 1, 1, 2]), (2028, [0, 1, 1, 0, 1]), (2029, [0, 0, 2, 0, 0])]
        );
        assert_eq!(
            f.total,
            FunnelCounts { inventions: 4, applications: 6, registrations: 4, transfers: 2, startups: 3 }
        );
        // First filing per family only.
        let first = CountOptions { scope: FamilyScope::FirstPerFamily, ..Default::default() };
        let f = pipeline_funnel(&records, 2026..=2029, &first);
        assert_eq!((f.total.applications, f.total.registrations), (3, 3));
        assert_eq!(
            serde_json::to_value(f.years[0]).unwrap(),
            serde_json::json!({
                "year": 2026, "inventions": 3, "applications": 2, "registrations": 0, "transfers": 1, "startups": 0
            })
        );
        // Nothing given: every year present, all zero.
        let empty = pipeline_funnel(&FunnelRecords::default(), 2026..=2027, &CountOptions::default());
        assert_eq!(empty.years.len(), 2);
        assert_eq!(empty.total, FunnelCounts::default());
    }
}
