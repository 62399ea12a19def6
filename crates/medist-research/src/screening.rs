//! Screening rounds (선별): panel members score needs against weighted criteria; this module checks the
//! scores, computes each need's weighted mean, ranks the needs and measures how much the panel disagrees.
//!
//! Rules:
//! - weights are positive and are normalised to sum to 1;
//! - every score is an integer on the round's scale (default 1–5); an out-of-scale score is refused with a
//!   message naming the criterion and the reviewer;
//! - a need's criterion score is the mean over reviewers; its weighted mean uses the criteria it has scores
//!   for, with their weights renormalised (missing criteria are listed);
//! - ranking: weighted mean descending; equal means (to 1e-9) share a rank ("1, 2, 2, 4"), listed by need id;
//! - disagreement: the population standard deviation of one criterion's scores, or of the reviewers'
//!   weighted totals, at or above the round's threshold flags the need.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One criterion of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable key, e.g. `clinical_impact`.
    pub key: String,
    /// Weight, positive; weights need not sum to 1 (they are normalised).
    pub weight: f64,
}

/// The score scale, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreScale {
    /// Lowest score.
    pub min: u8,
    /// Highest score.
    pub max: u8,
}

impl Default for ScoreScale {
    fn default() -> Self {
        Self { min: 1, max: 5 }
    }
}

/// A screening round's set-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreeningRound {
    /// Criteria with weights.
    pub criteria: Vec<Criterion>,
    /// Scale of every score.
    #[serde(default)]
    pub scale: ScoreScale,
    /// Standard deviation at or above which a need is flagged for high disagreement (default 1.0).
    #[serde(default = "default_threshold")]
    pub disagreement_threshold: f64,
}

fn default_threshold() -> f64 {
    1.0
}

/// One reviewer's score of one need on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Need scored.
    pub need_id: i64,
    /// Panel member (login name or id as text).
    pub reviewer: String,
    /// Criterion key.
    pub criterion: String,
    /// Value on the scale.
    pub value: i32,
    /// Optional comment.
    #[serde(default)]
    pub comment: String,
}

/// Why a round or its scores were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScreeningError {
    /// A round needs at least one criterion.
    #[error("criteria: at least one criterion is required")]
    NoCriteria,
    /// A criterion key is empty.
    #[error("criteria: a criterion key is empty")]
    EmptyCriterionKey,
    /// Two criteria share a key.
    #[error("criteria: criterion {0} is listed twice")]
    DuplicateCriterion(String),
    /// A weight is zero, negative or not a number.
    #[error("criteria: the weight of criterion {criterion} must be positive, got {weight}")]
    NonPositiveWeight {
        /// Criterion key.
        criterion: String,
        /// Weight given.
        weight: f64,
    },
    /// The scale is empty or upside down.
    #[error("scale: min {min} must be below max {max}")]
    InvalidScale {
        /// Lowest.
        min: u8,
        /// Highest.
        max: u8,
    },
    /// The disagreement threshold is not a positive number.
    #[error("disagreement_threshold: must be positive")]
    InvalidThreshold,
    /// A score names a criterion the round does not have.
    #[error("score by {reviewer} for need {need_id}: unknown criterion {criterion}")]
    UnknownCriterion {
        /// Need.
        need_id: i64,
        /// Reviewer.
        reviewer: String,
        /// Criterion given.
        criterion: String,
    },
    /// A score lies outside the scale.
    #[error(
        "score by {reviewer} for need {need_id} on criterion {criterion}: {value} is outside the scale {min}–{max}"
    )]
    OutOfScale {
        /// Need.
        need_id: i64,
        /// Reviewer.
        reviewer: String,
        /// Criterion.
        criterion: String,
        /// Value given.
        value: i32,
        /// Scale minimum.
        min: u8,
        /// Scale maximum.
        max: u8,
    },
    /// A reviewer scored the same need and criterion twice.
    #[error("score by {reviewer} for need {need_id} on criterion {criterion}: given twice")]
    DuplicateScore {
        /// Need.
        need_id: i64,
        /// Reviewer.
        reviewer: String,
        /// Criterion.
        criterion: String,
    },
    /// The reviewer name is empty.
    #[error("score for need {need_id} on criterion {criterion}: reviewer is required")]
    MissingReviewer {
        /// Need.
        need_id: i64,
        /// Criterion.
        criterion: String,
    },
}

/// Minimum, maximum, mean and spread of a set of values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// How many values.
    pub n: usize,
    /// Smallest.
    pub min: f64,
    /// Largest.
    pub max: f64,
    /// Mean.
    pub mean: f64,
    /// Population standard deviation.
    pub std_dev: f64,
    /// Interquartile range (linear interpolation between order statistics).
    pub iqr: f64,
}

impl Spread {
    /// The spread of `values`; `None` when empty.
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let mean = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        Some(Self {
            n,
            min: v[0],
            max: v[n - 1],
            mean,
            std_dev: var.sqrt(),
            iqr: quantile(&v, 0.75) - quantile(&v, 0.25),
        })
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// A comment left with a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewComment {
    /// Reviewer.
    pub reviewer: String,
    /// Criterion.
    pub criterion: String,
    /// Comment text (trimmed).
    pub comment: String,
}

/// One criterion's result for one need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Criterion key.
    pub criterion: String,
    /// Normalised weight.
    pub weight: f64,
    /// Spread of the reviewers' scores (its `mean` is the criterion score).
    pub spread: Spread,
    /// Standard deviation at or above the threshold.
    pub high_disagreement: bool,
}

/// One need's result in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedResult {
    /// Need.
    pub need_id: i64,
    /// Rank, 1 = best; tied needs share a rank.
    pub rank: usize,
    /// True when another need has the same weighted mean.
    pub tied: bool,
    /// Weighted mean over the criteria scored.
    pub weighted_mean: f64,
    /// Per criterion, in the round's order (criteria nobody scored are left out).
    pub criteria: Vec<CriterionResult>,
    /// Criteria without any score for this need.
    pub missing_criteria: Vec<String>,
    /// Spread of the reviewers' own weighted totals (over the criteria each reviewer scored).
    pub reviewer_spread: Spread,
    /// True when a criterion's or the reviewers' totals' standard deviation reaches the threshold.
    pub high_disagreement: bool,
    /// Criteria with high disagreement.
    pub disagreement_criteria: Vec<String>,
    /// Comments, by reviewer then criterion.
    pub comments: Vec<ReviewComment>,
}

/// A checked round: criteria with normalised weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormalisedRound {
    /// Criteria in the round's order, weights summing to 1.
    pub criteria: Vec<Criterion>,
    /// Scale.
    pub scale: ScoreScale,
    /// Disagreement threshold.
    pub disagreement_threshold: f64,
}

impl ScreeningRound {
    /// Checks the set-up and normalises the weights.
    pub fn normalise(&self) -> Result<NormalisedRound, ScreeningError> {
        if self.criteria.is_empty() {
            return Err(ScreeningError::NoCriteria);
        }
        let mut seen = BTreeSet::new();
        for c in &self.criteria {
            let key = c.key.trim();
            if key.is_empty() {
                return Err(ScreeningError::EmptyCriterionKey);
            }
            if !seen.insert(key.to_string()) {
                return Err(ScreeningError::DuplicateCriterion(key.to_string()));
            }
            if !(c.weight.is_finite() && c.weight > 0.0) {
                return Err(ScreeningError::NonPositiveWeight { criterion: key.to_string(), weight: c.weight });
            }
        }
        if self.scale.min >= self.scale.max {
            return Err(ScreeningError::InvalidScale { min: self.scale.min, max: self.scale.max });
        }
        if !(self.disagreement_threshold.is_finite() && self.disagreement_threshold > 0.0) {
            return Err(ScreeningError::InvalidThreshold);
        }
        let total: f64 = self.criteria.iter().map(|c| c.weight).sum();
        Ok(NormalisedRound {
            criteria: self
                .criteria
                .iter()
                .map(|c| Criterion { key: c.key.trim().to_string(), weight: c.weight / total })
                .collect(),
            scale: self.scale,
            disagreement_threshold: self.disagreement_threshold,
        })
    }

    /// Checks every score and computes the ranked results, best first.
    pub fn evaluate(&self, scores: &[Score]) -> Result<Vec<NeedResult>, ScreeningError> {
        let round = self.normalise()?;
        let weight_of: BTreeMap<&str, f64> = round.criteria.iter().map(|c| (c.key.as_str(), c.weight)).collect();
        // need → criterion → reviewer → value
        let mut by_need: BTreeMap<i64, BTreeMap<&str, BTreeMap<&str, f64>>> = BTreeMap::new();
        let mut comments: BTreeMap<i64, Vec<ReviewComment>> = BTreeMap::new();
        for s in scores {
            let criterion = s.criterion.trim();
            let reviewer = s.reviewer.trim();
            if reviewer.is_empty() {
                return Err(ScreeningError::MissingReviewer { need_id: s.need_id, criterion: criterion.to_string() });
            }
            let Some((&key, _)) = weight_of.get_key_value(criterion) else {
                return Err(ScreeningError::UnknownCriterion {
                    need_id: s.need_id,
                    reviewer: reviewer.to_string(),
                    criterion: criterion.to_string(),
                });
            };
            let (min, max) = (round.scale.min, round.scale.max);
            if s.value < i32::from(min) || s.value > i32::from(max) {
                return Err(ScreeningError::OutOfScale {
                    need_id: s.need_id,
                    reviewer: reviewer.to_string(),
                    criterion: key.to_string(),
                    value: s.value,
                    min,
                    max,
                });
            }
            let cell = by_need.entry(s.need_id).or_default().entry(key).or_default();
            if cell.insert(reviewer, f64::from(s.value)).is_some() {
                return Err(ScreeningError::DuplicateScore {
                    need_id: s.need_id,
                    reviewer: reviewer.to_string(),
                    criterion: key.to_string(),
                });
            }
            let comment = s.comment.trim();
            if !comment.is_empty() {
                comments.entry(s.need_id).or_default().push(ReviewComment {
                    reviewer: reviewer.to_string(),
                    criterion: key.to_string(),
                    comment: comment.to_string(),
                });
            }
        }

        let threshold = round.disagreement_threshold;
        let mut results = Vec::new();
        for (need_id, per_criterion) in by_need {
            let mut criteria = Vec::new();
            let mut missing = Vec::new();
            let mut reviewer_sums: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
            for c in &round.criteria {
                let Some(values) = per_criterion.get(c.key.as_str()) else {
                    missing.push(c.key.clone());
                    continue;
                };
                let list: Vec<f64> = values.values().copied().collect();
                let Some(spread) = Spread::of(&list) else { continue };
                for (reviewer, v) in values {
                    let e = reviewer_sums.entry(reviewer).or_default();
                    e.0 += c.weight * v;
                    e.1 += c.weight;
                }
                criteria.push(CriterionResult {
                    criterion: c.key.clone(),
                    weight: c.weight,
                    spread,
                    high_disagreement: spread.std_dev >= threshold,
                });
            }
            let weight_scored: f64 = criteria.iter().map(|c| c.weight).sum();
            let weighted_mean = criteria.iter().map(|c| c.weight * c.spread.mean).sum::<f64>() / weight_scored;
            let totals: Vec<f64> = reviewer_sums.values().map(|(s, w)| s / w).collect();
            let Some(reviewer_spread) = Spread::of(&totals) else { continue };
            let disagreement_criteria: Vec<String> =
                criteria.iter().filter(|c| c.high_disagreement).map(|c| c.criterion.clone()).collect();
            let high_disagreement = !disagreement_criteria.is_empty() || reviewer_spread.std_dev >= threshold;
            let mut need_comments = comments.remove(&need_id).unwrap_or_default();
            need_comments.sort_by(|a, b| (&a.reviewer, &a.criterion).cmp(&(&b.reviewer, &b.criterion)));
            results.push(NeedResult {
                need_id,
                rank: 0,
                tied: false,
                weighted_mean,
                criteria,
                missing_criteria: missing,
                reviewer_spread,
                high_disagreement,
                disagreement_criteria,
                comments: need_comments,
            });
        }
        rank(&mut results);
        Ok(results)
    }
}

const TIE_EPSILON: f64 = 1e-9;

/// Sorts by weighted mean (descending), then need id, and assigns competition ranks ("1, 2, 2, 4").
fn rank(results: &mut [NeedResult]) {
    results.sort_by(|a, b| {
        if (a.weighted_mean - b.weighted_mean).abs() <= TIE_EPSILON {
            a.need_id.cmp(&b.need_id)
        } else {
            b.weighted_mean.total_cmp(&a.weighted_mean)
        }
    });
    for i in 0..results.len() {
        let same_as_prev = i > 0 && (results[i - 1].weighted_mean - results[i].weighted_mean).abs() <= TIE_EPSILON;
        results[i].rank = if same_as_prev { results[i - 1].rank } else { i + 1 };
        if same_as_prev {
            results[i].tied = true;
            results[i - 1].tied = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round() -> ScreeningRound {
        ScreeningRound {
            criteria: vec![
                Criterion { key: "clinical_impact".into(), weight: 3.0 },
                Criterion { key: "feasibility".into(), weight: 1.0 },
            ],
            scale: ScoreScale::default(),
            disagreement_threshold: 1.0,
        }
    }

    fn s(need_id: i64, reviewer: &str, criterion: &str, value: i32) -> Score {
        Score { need_id, reviewer: reviewer.into(), criterion: criterion.into(), value, comment: String::new() }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn weights_are_normalised() {
        let r = round().normalise().unwrap();
        assert!(close(r.criteria[0].weight, 0.75));
        assert!(close(r.criteria[1].weight, 0.25));
    }

    #[test]
    fn bad_rounds_are_named() {
        let mut r = round();
        r.criteria[1].weight = 0.0;
        assert_eq!(
            r.normalise().unwrap_err().to_string(),
            "criteria: the weight of criterion feasibility must be positive, got 0"
        );
        let mut r = round();
        r.criteria[1].weight = f64::NAN;
        assert!(matches!(r.normalise(), Err(ScreeningError::NonPositiveWeight { .. })));
        let mut r = round();
        r.criteria[1].key = " clinical_impact".into();
        assert_eq!(r.normalise(), Err(ScreeningError::DuplicateCriterion("clinical_impact".into())));
        let r = ScreeningRound { criteria: vec![], ..round() };
        assert_eq!(r.normalise(), Err(ScreeningError::NoCriteria));
        let r = ScreeningRound { scale: ScoreScale { min: 5, max: 5 }, ..round() };
        assert!(matches!(r.normalise(), Err(ScreeningError::InvalidScale { .. })));
        let r = ScreeningRound { disagreement_threshold: 0.0, ..round() };
        assert_eq!(r.normalise(), Err(ScreeningError::InvalidThreshold));
    }

    #[test]
    fn out_of_scale_names_criterion_and_reviewer() {
        let e = round().evaluate(&[s(1, "lee", "feasibility", 6)]).unwrap_err();
        assert_eq!(e.to_string(), "score by lee for need 1 on criterion feasibility: 6 is outside the scale 1–5");
        let e = round().evaluate(&[s(1, "lee", "feasibility", 0)]).unwrap_err();
        assert!(matches!(e, ScreeningError::OutOfScale { value: 0, .. }));
        let e = round().evaluate(&[s(1, "lee", "novelty", 3)]).unwrap_err();
        assert_eq!(e.to_string(), "score by lee for need 1: unknown criterion novelty");
        let e = round().evaluate(&[s(1, "lee", "feasibility", 3), s(1, " lee", "feasibility", 4)]).unwrap_err();
        assert!(matches!(e, ScreeningError::DuplicateScore { .. }));
        let e = round().evaluate(&[s(1, " ", "feasibility", 3)]).unwrap_err();
        assert!(matches!(e, ScreeningError::MissingReviewer { need_id: 1, .. }));
    }

    #[test]
    fn weighted_mean_spread_and_rank() {
        let scores = vec![
            // need 1: impact 5,3 → 4; feasibility 2,2 → 2; weighted 0.75*4 + 0.25*2 = 3.5
            s(1, "lee", "clinical_impact", 5),
            s(1, "park", "clinical_impact", 3),
            s(1, "lee", "feasibility", 2),
            s(1, "park", "feasibility", 2),
            // need 2: all 4 → 4.0
            s(2, "lee", "clinical_impact", 4),
            s(2, "park", "clinical_impact", 4),
            s(2, "lee", "feasibility", 4),
            s(2, "park", "feasibility", 4),
            // need 3: impact 1,5 → 3; feasibility 5,5 → 5 → 3.5 (ties with need 1)
            s(3, "lee", "clinical_impact", 1),
            s(3, "park", "clinical_impact", 5),
            s(3, "lee", "feasibility", 5),
            s(3, "park", "feasibility", 5),
        ];
        let r = round().evaluate(&scores).unwrap();
        let order: Vec<(i64, usize, bool)> = r.iter().map(|n| (n.need_id, n.rank, n.tied)).collect();
        assert_eq!(order, vec![(2, 1, false), (1, 2, true), (3, 2, true)]);
        assert!(close(r[0].weighted_mean, 4.0));
        assert!(close(r[1].weighted_mean, 3.5));
        assert!(!r[0].high_disagreement);
        // need 1: impact std dev 1.0 reaches threshold 1.0
        assert_eq!(r[1].disagreement_criteria, vec!["clinical_impact".to_string()]);
        // need 3: impact 1 vs 5: std dev 2, IQR 2
        let impact = &r[2].criteria[0];
        assert!(close(impact.spread.std_dev, 2.0) && close(impact.spread.iqr, 2.0));
        assert_eq!((impact.spread.min, impact.spread.max), (1.0, 5.0));
        // reviewers' totals for need 3: lee 0.75*1+0.25*5 = 2.0, park 5.0
        assert!(close(r[2].reviewer_spread.min, 2.0) && close(r[2].reviewer_spread.max, 5.0));
        assert!(r[2].high_disagreement);
    }

    #[test]
    fn ranking_does_not_depend_on_input_order() {
        let mut scores = vec![s(9, "a", "feasibility", 3), s(4, "a", "feasibility", 3), s(6, "a", "feasibility", 5)];
        let first = round().evaluate(&scores).unwrap();
        scores.reverse();
        let second = round().evaluate(&scores).unwrap();
        assert_eq!(first, second);
        let ids: Vec<i64> = first.iter().map(|n| n.need_id).collect();
        assert_eq!(ids, vec![6, 4, 9]);
        assert_eq!(first[2].rank, 2);
    }

    #[test]
    fn missing_criteria_and_comments() {
        let mut a = s(1, "park", "feasibility", 4);
        a.comment = "  needs a hospital partner ".into();
        let r = round().evaluate(&[a, s(1, "lee", "feasibility", 2)]).unwrap();
        assert_eq!(r[0].missing_criteria, vec!["clinical_impact".to_string()]);
        assert!(close(r[0].weighted_mean, 3.0));
        assert_eq!(r[0].comments[0].comment, "needs a hospital partner");
        assert_eq!(r[0].comments[0].criterion, "feasibility");
    }

    #[test]
    fn spread_quartiles() {
        let sp = Spread::of(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert!(close(sp.iqr, 2.0) && close(sp.mean, 3.0) && close(sp.std_dev, 2f64.sqrt()));
        assert_eq!(Spread::of(&[]), None);
        assert!(close(Spread::of(&[3.0]).unwrap().std_dev, 0.0));
    }
}
