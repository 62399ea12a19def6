//! Exact integer splits (largest remainder), and the illustrative MIRACLE budget built with them.

use crate::ledger::{BudgetLine, Category, FundingSource};
use crate::money::Krw;

/// Splits `total` by integer `weights` so the parts add up to `total` exactly (largest remainder;
/// ties go to the earlier part). Zero weights get zero.
pub fn split(total: Krw, weights: &[u32]) -> Vec<Krw> {
    let sum: u64 = weights.iter().map(|w| *w as u64).sum();
    if sum == 0 {
        return weights.iter().map(|_| Krw::ZERO).collect();
    }
    let t = total.0 as i128;
    let mut parts: Vec<(i128, i128, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let exact = t * (*w as i128);
            (exact / sum as i128, exact % sum as i128, i)
        })
        .collect();
    let assigned: i128 = parts.iter().map(|p| p.0).sum();
    let mut left = t - assigned;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].1.cmp(&parts[*a].1).then(a.cmp(b)));
    for i in order {
        if left == 0 {
            break;
        }
        if weights[i] > 0 {
            parts[i].0 += 1;
            left -= 1;
        }
    }
    parts.into_iter().map(|p| Krw(p.0 as i64)).collect()
}

/// The MIRACLE seed totals: 19.4 billion KRW, of which 16.6 billion government funding and GIST's
/// government share 6.6 billion.
pub const MIRACLE_TOTAL: Krw = Krw(19_400_000_000);
pub const MIRACLE_GOVERNMENT: Krw = Krw(16_600_000_000);
pub const MIRACLE_GIST_GOVERNMENT: Krw = Krw(6_600_000_000);

/// An illustrative split of the MIRACLE budget over the program years and the four institutions
/// (`institutions` = [GIST, CNU College of Medicine, CNUH, Hwasun CNUH]) that respects the seed
/// totals exactly. The split itself is sample data.
pub fn miracle_demo_lines(institutions: [i64; 4], start_year: i32, years: usize) -> Vec<BudgetLine> {
    let matching = Krw(MIRACLE_TOTAL.0 - MIRACLE_GOVERNMENT.0);
    let others_gov = Krw(MIRACLE_GOVERNMENT.0 - MIRACLE_GIST_GOVERNMENT.0);
    let others = split(others_gov, &[40, 30, 30]);
    let gov_by_inst = [MIRACLE_GIST_GOVERNMENT, others[0], others[1], others[2]];
    let matching_by_inst = split(matching, &[25, 25, 25, 25]);
    // A shorter first year; then level funding.
    let year_weights: Vec<u32> = (0..years).map(|i| if i == 0 { 16 } else { 21 }).collect();
    let category_weights: [(Category, u32); 7] = [
        (Category::Personnel, 30),
        (Category::StudentPersonnel, 20),
        (Category::ResearchActivity, 15),
        (Category::ResearchMaterials, 12),
        (Category::FacilitiesEquipment, 8),
        (Category::StudentSupport, 7),
        (Category::Indirect, 8),
    ];
    let cw: Vec<u32> = category_weights.iter().map(|c| c.1).collect();
    let mut lines = Vec::new();
    let mut id = 1;
    for (k, inst) in institutions.into_iter().enumerate() {
        // Government funding shared equally by the two ministries.
        let by_source = [
            (FundingSource::Msit, split(gov_by_inst[k], &[1, 1])[0]),
            (FundingSource::Mohw, split(gov_by_inst[k], &[1, 1])[1]),
            (FundingSource::Matching, matching_by_inst[k]),
        ];
        for (source, amount) in by_source {
            for (y, year_amount) in split(amount, &year_weights).into_iter().enumerate() {
                for (c, cat_amount) in split(year_amount, &cw).into_iter().enumerate() {
                    lines.push(BudgetLine {
                        id,
                        source,
                        institution_id: inst,
                        year: start_year + y as i32,
                        category: category_weights[c].0,
                        original: cat_amount,
                        closed: false,
                    });
                    id += 1;
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_are_exact() {
        assert_eq!(split(Krw(10), &[1, 1, 1]), vec![Krw(4), Krw(3), Krw(3)]);
        assert_eq!(split(Krw(100), &[0, 1]), vec![Krw(0), Krw(100)]);
        assert_eq!(split(Krw(7), &[0, 0]), vec![Krw(0), Krw(0)]);
        let parts = split(Krw(19_400_000_001), &[16, 21, 21, 21, 21]);
        assert_eq!(parts.iter().copied().sum::<Krw>(), Krw(19_400_000_001));
    }

    #[test]
    fn the_miracle_split_respects_the_seed_totals() {
        let lines = miracle_demo_lines([1, 2, 3, 4], 2026, 5);
        let total: Krw = lines.iter().map(|l| l.original).sum();
        assert_eq!(total, MIRACLE_TOTAL);
        let gov: Krw = lines.iter().filter(|l| l.source.is_government()).map(|l| l.original).sum();
        assert_eq!(gov, MIRACLE_GOVERNMENT);
        let gist_gov: Krw =
            lines.iter().filter(|l| l.source.is_government() && l.institution_id == 1).map(|l| l.original).sum();
        assert_eq!(gist_gov, MIRACLE_GIST_GOVERNMENT);
        assert!(lines.iter().all(|l| (2026..=2030).contains(&l.year)));
        assert_eq!(lines.len(), 4 * 3 * 5 * 7);
    }
}
