//! Server-rendered SVG charts as strings: pure functions from plain data.
//!
//! Hand-written SVG rather than `plotters`: plotters' SVG backend can run without system fonts
//! (no `ttf` feature), but it then sizes text from its UTF-8 byte length (Hangul ≈ 2× too wide),
//! and it emits no `<title>`, `role` or `aria-label`, nor a per-mark `<title>` carrying the value.
//! These charts are bars, lines and polygons; a hundred lines of SVG do it with no dependency.
//!
//! Every chart is accessible: `role="img"`, `aria-label` and `<title>` on the root, a `<desc>`
//! listing the figures, and a `<title>` on each mark. Text is escaped; the font stack falls back to
//! Korean fonts ([`FONT_FAMILY`]). Marks carry a `class` (`bar`, `segment`, `stage`, …) for styling
//! and tests.

mod svg;

pub use svg::{FONT_FAMILY, escape, text_width};

use svg::{Anchor, GRID, MUTED, PALETTE, Svg, Swatch, TEXT, TRACK, n, nice_ticks, wrap};

use crate::format::{group_thousands, krw_short, percent, trim_decimal};
use crate::model::{AnnualReport, Breakdown, BudgetDimension, BudgetTotal, Lang, PipelineStage, Unit, YearPoint};

/// A value with its unit: `45명`, `30 papers`, `34.6억 원`.
pub fn format_value(v: i64, unit: &Unit, lang: Lang) -> String {
    match unit {
        Unit::Krw => krw_short(v, lang),
        Unit::Count { ko, en } => match lang {
            Lang::Ko => format!("{}{ko}", group_thousands(v)),
            Lang::En => format!("{} {en}", group_thousands(v)),
        },
    }
}

/// An axis tick for money: ko `10억`, en `1 bn`.
fn krw_tick(v: f64, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{}억", trim_decimal(v / 1e8, 1)),
        Lang::En => format!("{} bn", trim_decimal(v / 1e9, 2)),
    }
}

fn axis_tick(v: f64, unit: &Unit, lang: Lang) -> String {
    if unit.is_money() { krw_tick(v, lang) } else { group_thousands(v.round() as i64) }
}

// ---------------------------------------------------------------------------------------------
// (a) KPI progress bars

/// One KPI's progress: cumulative value against the period target, with the pace due so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub label: String,
    pub value: i64,
    pub target: i64,
    /// Cumulative target due by now (the pace marker), if known.
    pub pace: Option<i64>,
    pub unit: Unit,
}

/// Horizontal progress bars, one row per KPI: a track for the target, a fill for the value
/// (blue when at or ahead of pace, orange when behind), and a marker at the pace.
pub fn progress_bars(title: &str, items: &[Progress], lang: Lang) -> String {
    const W: f64 = 640.0;
    const ROW: f64 = 46.0;
    const LEFT: f64 = 16.0;
    const RIGHT: f64 = 16.0;
    let top = 40.0;
    let height = top + ROW * items.len() as f64 + 30.0;
    let desc: Vec<String> = items
        .iter()
        .map(|p| {
            format!("{}: {} / {}", p.label, format_value(p.value, &p.unit, lang), format_value(p.target, &p.unit, lang))
        })
        .collect();
    let mut s = Svg::new(W, height, title, &desc.join("; "));
    s.heading(LEFT, title);
    let track_w = W - LEFT - RIGHT;
    for (i, p) in items.iter().enumerate() {
        let y = top + ROW * i as f64;
        let rate = if p.target > 0 { p.value as f64 / p.target as f64 } else { 0.0 };
        let on_pace = p.pace.is_none_or(|pace| p.value >= pace);
        let color = if on_pace { PALETTE[0] } else { PALETTE[5] };
        s.raw(r#"<g class="kpi">"#);
        s.text("kpi-label", LEFT, y + 14.0, &p.label, 13.0, Anchor::Start, 700, TEXT);
        let figure = format!(
            "{} / {} ({})",
            format_value(p.value, &p.unit, lang),
            format_value(p.target, &p.unit, lang),
            percent(rate)
        );
        s.text("kpi-figure", W - RIGHT, y + 14.0, &figure, 12.0, Anchor::End, 400, TEXT);
        s.rect("track", LEFT, y + 20.0, track_w, 14.0, TRACK, None);
        let pace_text = p.pace.map(|pace| format_value(pace, &p.unit, lang));
        let tip = match (lang, &pace_text) {
            (Lang::Ko, Some(pt)) => format!("{}: 실적 {figure}, 목표 페이스 {pt}", p.label),
            (Lang::Ko, None) => format!("{}: 실적 {figure}", p.label),
            (Lang::En, Some(pt)) => format!("{}: actual {figure}, pace {pt}", p.label),
            (Lang::En, None) => format!("{}: actual {figure}", p.label),
        };
        s.rect("bar", LEFT, y + 20.0, track_w * rate.clamp(0.0, 1.0), 14.0, color, Some(&tip));
        if let (Some(pace), true) = (p.pace, p.target > 0) {
            // A tick across the bar with a small triangle under it, clear of the label above.
            let x = LEFT + track_w * (pace as f64 / p.target as f64).clamp(0.0, 1.0);
            s.raw(&format!(
                r#"<path class="pace" d="M{x} {} v18 M{x} {} l-5 6 h10 z" fill="{TEXT}" stroke="{TEXT}" stroke-width="2"><title>{}</title></path>"#,
                n(y + 17.0),
                n(y + 35.0),
                escape(&format!("{} {}", lang.pick("목표 페이스", "pace"), format_value(pace, &p.unit, lang))),
                x = n(x),
            ));
        }
        s.raw("</g>");
    }
    let ly = height - 12.0;
    let legend = [
        (Swatch::Box(PALETTE[0]), lang.pick("실적 (페이스 이상)", "actual (on pace)")),
        (Swatch::Box(PALETTE[5]), lang.pick("실적 (페이스 미달)", "actual (behind pace)")),
        (Swatch::Line(TEXT), lang.pick("목표 페이스", "pace due so far")),
    ];
    s.legend(LEFT, ly, &legend);
    s.finish()
}

/// A single KPI progress bar.
pub fn progress_bar(item: &Progress, lang: Lang) -> String {
    progress_bars(&item.label, std::slice::from_ref(item), lang)
}

// ---------------------------------------------------------------------------------------------
// (b) per-year trajectory

/// A KPI's yearly targets and values over the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trajectory {
    pub title: String,
    pub unit: Unit,
    pub points: Vec<YearPoint>,
}

/// Bars for each year's value (with a tick at that year's target), and lines for the cumulative
/// value (solid) and the cumulative target (dashed), on one axis.
pub fn trajectory_chart(t: &Trajectory, lang: Lang) -> String {
    const W: f64 = 640.0;
    const H: f64 = 320.0;
    let (left, right, top, bottom) = (64.0, 20.0, 44.0, 64.0);
    let plot_w = W - left - right;
    let plot_h = H - top - bottom;
    let mut cum_target = Vec::new();
    let mut cum_value = Vec::new();
    let (mut ct, mut cv) = (0i64, 0i64);
    for p in &t.points {
        ct += p.target.unwrap_or(0);
        cum_target.push(p.target.map(|_| ct));
        cv += p.value.unwrap_or(0);
        cum_value.push(p.value.map(|_| cv));
    }
    let max = cum_target.iter().chain(&cum_value).flatten().copied().max().unwrap_or(0).max(1);
    let (step, top_v) = nice_ticks(max as f64, 5, !t.unit.is_money());
    let y_of = |v: f64| top + plot_h - plot_h * v / top_v;
    let desc: Vec<String> = t
        .points
        .iter()
        .map(|p| {
            let f = |v: Option<i64>| v.map_or("—".to_string(), |v| format_value(v, &t.unit, lang));
            format!(
                "{}: {} {}, {} {}",
                p.year,
                lang.pick("실적", "actual"),
                f(p.value),
                lang.pick("목표", "target"),
                f(p.target)
            )
        })
        .collect();
    let mut s = Svg::new(W, H, &t.title, &desc.join("; "));
    s.heading(16.0, &t.title);
    // Grid and y ticks.
    let mut v = 0.0;
    while v <= top_v + step / 2.0 {
        let y = y_of(v);
        s.line("grid", left, y, W - right, y, GRID, 1.0);
        s.text("tick", left - 6.0, y + 4.0, &axis_tick(v, &t.unit, lang), 11.0, Anchor::End, 400, MUTED);
        v += step;
    }
    let band = plot_w / t.points.len().max(1) as f64;
    let bar_w = band * 0.42;
    let cx = |i: usize| left + band * (i as f64 + 0.5);
    for (i, p) in t.points.iter().enumerate() {
        let x = cx(i);
        s.text("x-label", x, top + plot_h + 18.0, &format!("{}", p.year), 11.0, Anchor::Middle, 400, TEXT);
        if let Some(value) = p.value {
            let y = y_of(value as f64);
            let tip = format!(
                "{} {}: {} {}",
                p.year,
                lang.pick("당해 실적", "value for the year"),
                format_value(value, &t.unit, lang),
                p.target.map_or(String::new(), |tg| format!(
                    "/ {} {}",
                    lang.pick("목표", "target"),
                    format_value(tg, &t.unit, lang)
                ))
            );
            s.rect("bar", x - bar_w / 2.0, y, bar_w, top + plot_h - y, PALETTE[4], Some(&tip));
        }
        if let Some(target) = p.target {
            let y = y_of(target as f64);
            s.line("year-target", x - bar_w / 2.0 - 3.0, y, x + bar_w / 2.0 + 3.0, y, PALETTE[6], 2.0);
        }
    }
    s.line("axis", left, top + plot_h, W - right, top + plot_h, MUTED, 1.0);
    let polyline = |pts: &[Option<i64>]| -> String {
        pts.iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{},{}", n(cx(i)), n(y_of(v as f64)))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let target_pts = polyline(&cum_target);
    if !target_pts.is_empty() {
        s.raw(&format!(
            r#"<polyline class="cumulative-target" points="{target_pts}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="6 4"><title>{}</title></polyline>"#,
            PALETTE[6],
            escape(lang.pick("누적 목표", "cumulative target"))
        ));
    }
    let value_pts = polyline(&cum_value);
    if !value_pts.is_empty() {
        s.raw(&format!(
            r#"<polyline class="cumulative-value" points="{value_pts}" fill="none" stroke="{}" stroke-width="2.5"/>"#,
            PALETTE[0]
        ));
        for (i, v) in cum_value.iter().enumerate() {
            if let Some(v) = v {
                let tip = format!(
                    "{} {}: {}",
                    t.points[i].year,
                    lang.pick("누적 실적", "cumulative"),
                    format_value(*v, &t.unit, lang)
                );
                s.raw(&format!(
                    r#"<circle class="point" cx="{}" cy="{}" r="4" fill="{}"><title>{}</title></circle>"#,
                    n(cx(i)),
                    n(y_of(*v as f64)),
                    PALETTE[0],
                    escape(&tip)
                ));
            }
        }
    }
    let legend = [
        (Swatch::Box(PALETTE[4]), lang.pick("당해 실적", "value for the year")),
        (Swatch::Line(PALETTE[6]), lang.pick("당해 목표", "target for the year")),
        (Swatch::Line(PALETTE[0]), lang.pick("누적 실적", "cumulative value")),
        (Swatch::Dashed(PALETTE[6]), lang.pick("누적 목표", "cumulative target")),
    ];
    s.legend(left, H - 16.0, &legend);
    s.finish()
}

// ---------------------------------------------------------------------------------------------
// (c) budget vs executed

/// Budget and executed amounts per group (institution, source, cost category) as grouped
/// horizontal bars, with the execution rate at the end of each row.
pub fn budget_chart(title: &str, items: &[BudgetTotal], lang: Lang) -> String {
    const W: f64 = 680.0;
    const ROW: f64 = 44.0;
    let label_w = items.iter().map(|b| text_width(b.label.get(lang), 12.0)).fold(60.0, f64::max).min(220.0);
    let left = 16.0 + label_w + 10.0;
    let right = 72.0;
    let top = 44.0;
    let plot_w = W - left - right;
    let plot_h = ROW * items.len() as f64;
    let height = top + plot_h + 56.0;
    let max = items.iter().map(|b| b.budget_krw.max(b.executed_krw)).max().unwrap_or(0).max(1);
    let (step, top_v) = nice_ticks(max as f64, 5, false);
    let x_of = |v: f64| left + plot_w * v / top_v;
    let desc: Vec<String> = items
        .iter()
        .map(|b| {
            format!(
                "{}: {} {}, {} {} ({})",
                b.label.get(lang),
                lang.pick("예산", "budget"),
                krw_short(b.budget_krw, lang),
                lang.pick("집행", "executed"),
                krw_short(b.executed_krw, lang),
                b.rate().map_or("—".into(), percent)
            )
        })
        .collect();
    let mut s = Svg::new(W, height, title, &desc.join("; "));
    s.heading(16.0, title);
    let mut v = 0.0;
    while v <= top_v + step / 2.0 {
        let x = x_of(v);
        s.line("grid", x, top - 4.0, x, top + plot_h, GRID, 1.0);
        s.text("tick", x, top + plot_h + 16.0, &krw_tick(v, lang), 11.0, Anchor::Middle, 400, MUTED);
        v += step;
    }
    for (i, b) in items.iter().enumerate() {
        let y = top + ROW * i as f64;
        let label = b.label.get(lang);
        s.text("y-label", left - 10.0, y + ROW / 2.0 + 4.0, label, 12.0, Anchor::End, 400, TEXT);
        let budget_tip = format!("{} {}: {}", label, lang.pick("예산", "budget"), krw_short(b.budget_krw, lang));
        s.rect("bar budget", left, y + 6.0, x_of(b.budget_krw as f64) - left, 14.0, "#c7d7ea", Some(&budget_tip));
        let rate = b.rate().map_or("—".into(), percent);
        let exec_tip = format!(
            "{} {}: {} ({} {rate})",
            label,
            lang.pick("집행", "executed"),
            krw_short(b.executed_krw, lang),
            lang.pick("집행률", "rate")
        );
        s.rect("bar executed", left, y + 21.0, x_of(b.executed_krw as f64) - left, 14.0, PALETTE[0], Some(&exec_tip));
        s.text("rate", W - right + 8.0, y + ROW / 2.0 + 4.0, &rate, 12.0, Anchor::Start, 700, TEXT);
    }
    s.line("axis", left, top - 4.0, left, top + plot_h, MUTED, 1.0);
    let legend = [
        (Swatch::Box("#c7d7ea"), lang.pick("예산", "budget")),
        (Swatch::Box(PALETTE[0]), lang.pick("집행액", "executed")),
    ];
    let x = s.legend(left, height - 14.0, &legend);
    s.text(
        "legend-label",
        x,
        height - 14.0,
        lang.pick("오른쪽: 집행률", "right: execution rate"),
        11.0,
        Anchor::Start,
        400,
        MUTED,
    );
    s.finish()
}

// ---------------------------------------------------------------------------------------------
// (d) pipeline funnel

/// The translation pipeline left to right: one bar per stage, height proportional to its count,
/// joined by bands labelled with the conversion from the previous stage.
pub fn funnel_chart(title: &str, stages: &[PipelineStage], lang: Lang) -> String {
    const W: f64 = 720.0;
    const H: f64 = 276.0;
    let (left, right, top) = (16.0, 16.0, 64.0);
    let plot_h = 150.0;
    let mid = top + plot_h / 2.0;
    let col = (W - left - right) / stages.len().max(1) as f64;
    let bar_w = (col * 0.44).min(64.0);
    let max = stages.iter().map(|st| st.count).max().unwrap_or(0).max(1) as f64;
    let h_of = |c: i64| (plot_h * c.max(0) as f64 / max).max(4.0);
    let cx = |i: usize| left + col * (i as f64 + 0.5);
    let desc: Vec<String> = stages.iter().map(|st| format!("{} {}", st.label.get(lang), st.count)).collect();
    let mut s = Svg::new(W, H, title, &desc.join(" → "));
    s.heading(left, title);
    // Bands first, so bars draw over their ends.
    for i in 1..stages.len() {
        let (a, b) = (&stages[i - 1], &stages[i]);
        let (ha, hb) = (h_of(a.count), h_of(b.count));
        let (xa, xb) = (cx(i - 1) + bar_w / 2.0, cx(i) - bar_w / 2.0);
        let conv = if a.count > 0 { Some(b.count as f64 / a.count as f64) } else { None };
        let tip = format!("{} → {}: {}", a.label.get(lang), b.label.get(lang), conv.map_or("—".to_string(), percent));
        s.raw(&format!(
            r##"<polygon class="band" points="{},{} {},{} {},{} {},{}" fill="#dbe7f3"><title>{}</title></polygon>"##,
            n(xa),
            n(mid - ha / 2.0),
            n(xb),
            n(mid - hb / 2.0),
            n(xb),
            n(mid + hb / 2.0),
            n(xa),
            n(mid + ha / 2.0),
            escape(&tip)
        ));
        // A later stage can outnumber an earlier one (a transfer needs no new registration): only
        // a real narrowing is labelled as a conversion.
        if let Some(c) = conv.filter(|c| *c <= 1.0) {
            let label = format!("{}%", trim_decimal(c * 100.0, 0));
            s.text("conversion", (xa + xb) / 2.0, top - 8.0, &format!("→ {label}"), 11.0, Anchor::Middle, 400, MUTED);
        }
    }
    for (i, st) in stages.iter().enumerate() {
        let h = h_of(st.count);
        let x = cx(i);
        let label = st.label.get(lang);
        let tip = format!("{label}: {}", group_thousands(st.count));
        let color = PALETTE[if i + 1 == stages.len() { 2 } else { 0 }];
        s.rect("stage", x - bar_w / 2.0, mid - h / 2.0, bar_w, h, color, Some(&tip));
        s.text("count", x, mid - h / 2.0 - 6.0, &group_thousands(st.count), 14.0, Anchor::Middle, 700, TEXT);
        let lines = wrap(label, 12.0, col - 6.0);
        s.text_lines("stage-label", x, top + plot_h + 24.0, &lines, 12.0, TEXT);
    }
    s.finish()
}

// ---------------------------------------------------------------------------------------------
// (e) counts by category

/// Stacked vertical bars of a breakdown: one bar per row (e.g. track), one segment per column
/// (e.g. status), with the row total above each bar.
pub fn breakdown_chart(b: &Breakdown, lang: Lang) -> String {
    const W: f64 = 640.0;
    const H: f64 = 340.0;
    let (left, right, top, bottom) = (56.0, 20.0, 48.0, 84.0);
    let plot_w = W - left - right;
    let plot_h = H - top - bottom;
    let title = b.title.get(lang);
    let max = (0..b.rows.len()).map(|r| b.row_total(r)).max().unwrap_or(0).max(1);
    let (step, top_v) = nice_ticks(max as f64, 5, true);
    let y_of = |v: f64| top + plot_h - plot_h * v / top_v;
    let desc: Vec<String> = b
        .rows
        .iter()
        .enumerate()
        .map(|(r, label)| {
            let parts: Vec<String> =
                b.columns.iter().enumerate().map(|(c, col)| format!("{} {}", col.get(lang), b.count(r, c))).collect();
            format!("{}: {}", label.get(lang), parts.join(", "))
        })
        .collect();
    let mut s = Svg::new(W, H, title, &desc.join("; "));
    s.heading(16.0, title);
    let mut v = 0.0;
    while v <= top_v + step / 2.0 {
        let y = y_of(v);
        s.line("grid", left, y, W - right, y, GRID, 1.0);
        s.text("tick", left - 6.0, y + 4.0, &group_thousands(v as i64), 11.0, Anchor::End, 400, MUTED);
        v += step;
    }
    let band = plot_w / b.rows.len().max(1) as f64;
    let bar_w = (band * 0.5).min(90.0);
    for (r, row_label) in b.rows.iter().enumerate() {
        let x = left + band * (r as f64 + 0.5);
        s.raw(r#"<g class="stack">"#);
        let mut acc = 0i64;
        for (c, col) in b.columns.iter().enumerate() {
            let count = b.count(r, c);
            if count == 0 {
                continue;
            }
            let (y0, y1) = (y_of(acc as f64), y_of((acc + count) as f64));
            let tip = format!("{} · {}: {}", row_label.get(lang), col.get(lang), group_thousands(count));
            s.rect("segment", x - bar_w / 2.0, y1, bar_w, y0 - y1, PALETTE[c % PALETTE.len()], Some(&tip));
            acc += count;
        }
        s.raw("</g>");
        s.text("total", x, y_of(acc as f64) - 6.0, &group_thousands(acc), 12.0, Anchor::Middle, 700, TEXT);
        let lines = wrap(row_label.get(lang), 12.0, band - 8.0);
        s.text_lines("x-label", x, top + plot_h + 18.0, &lines, 12.0, TEXT);
    }
    s.line("axis", left, top + plot_h, W - right, top + plot_h, MUTED, 1.0);
    let legend: Vec<(Swatch, &str)> =
        b.columns.iter().enumerate().map(|(c, col)| (Swatch::Box(PALETTE[c % PALETTE.len()]), col.get(lang))).collect();
    s.legend(left, H - 14.0, &legend);
    s.finish()
}

// ---------------------------------------------------------------------------------------------

/// The usual chart set of a report, as `(title, svg)` pairs in display order: KPI progress, the
/// trajectory of each KPI that has one, budget by institution, the pipeline funnel, and every
/// breakdown.
pub fn standard_charts(report: &AnnualReport, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let progress: Vec<Progress> = report
        .kpis()
        .filter_map(|(_, k)| {
            Some(Progress {
                label: format!("{} {}", k.code, k.name.get(lang)),
                value: k.cumulative,
                target: k.target_total?,
                pace: k.pace_target(report.period, report.program_year),
                unit: k.unit.clone(),
            })
        })
        .collect();
    if !progress.is_empty() {
        let title = match lang {
            Lang::Ko => format!("성과지표 누적 달성 현황 ({}년까지)", report.program_year),
            Lang::En => format!("KPI progress, cumulative to {}", report.program_year),
        };
        out.push((title.clone(), progress_bars(&title, &progress, lang)));
    }
    for (_, k) in report.kpis() {
        if k.by_year.is_empty() {
            continue;
        }
        let title = match lang {
            Lang::Ko => format!("{} {} 연차별 실적과 목표", k.code, k.name.get(lang)),
            Lang::En => format!("{} {}: yearly values and targets", k.code, k.name.get(lang)),
        };
        let t = Trajectory { title: title.clone(), unit: k.unit.clone(), points: k.by_year.clone() };
        out.push((title, trajectory_chart(&t, lang)));
    }
    if !report.budget.is_empty() {
        let title = match lang {
            Lang::Ko => format!("{}년 기관별 예산 대비 집행", report.program_year),
            Lang::En => format!("Budget and execution by institution, {}", report.program_year),
        };
        let svg = budget_chart(&title, &report.budget_totals(BudgetDimension::Institution), lang);
        out.push((title, svg));
    }
    if !report.pipeline.is_empty() {
        let title = lang.pick("중개연구 파이프라인 (누적)", "Translational pipeline (cumulative)").to_string();
        out.push((title.clone(), funnel_chart(&title, &report.pipeline, lang)));
    }
    for section in &report.sections {
        for b in &section.breakdowns {
            out.push((b.title.get(lang).to_string(), breakdown_chart(b, lang)));
        }
    }
    out
}
