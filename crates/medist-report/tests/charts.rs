//! Structure of the SVG charts: well-formed XML, accessible root, one mark per datum, values in
//! the marks' titles, labels present and escaped.

use medist_report::charts::{
    FONT_FAMILY, Progress, Trajectory, breakdown_chart, budget_chart, funnel_chart, progress_bar, progress_bars,
    standard_charts, trajectory_chart,
};
use medist_report::{BudgetDimension, Category, Lang, Text, Unit, sample_report};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Parses the SVG (panics when it is not well-formed) and checks the accessible root.
fn parse(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some(SVG_NS));
    assert_eq!(root.attribute("role"), Some("img"));
    let label = root.attribute("aria-label").expect("aria-label");
    assert!(!label.is_empty());
    let first = root.children().find(|n| n.is_element()).expect("a first child");
    assert_eq!(first.tag_name().name(), "title", "the <title> comes first");
    assert_eq!(first.text(), Some(label));
    assert!(root.children().any(|n| n.has_tag_name((SVG_NS, "desc"))), "a <desc>");
    assert_eq!(root.attribute("font-family"), Some(FONT_FAMILY));
    assert!(FONT_FAMILY.contains("Noto Sans CJK KR") && FONT_FAMILY.ends_with("sans-serif"));
    doc
}

fn with_class<'a, 'i>(doc: &'a roxmltree::Document<'i>, class: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class))).collect()
}

fn title_of(node: roxmltree::Node) -> String {
    node.children().find(|c| c.has_tag_name((SVG_NS, "title"))).and_then(|t| t.text()).unwrap_or_default().to_string()
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "text")))
        .map(|n| n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect::<String>())
        .collect()
}

#[test]
fn progress_bars_one_bar_per_kpi_with_pace() {
    let items = vec![
        Progress {
            label: "HR-1 융합인재 양성".into(),
            value: 45,
            target: 150,
            pace: Some(50),
            unit: Unit::count("명", "persons"),
        },
        Progress {
            label: "PA-1 SCI(E)급 논문".into(),
            value: 8,
            target: 30,
            pace: Some(7),
            unit: Unit::count("편", "papers"),
        },
        Progress {
            label: "BG-1 사업비".into(),
            value: 7_196_000_000,
            target: 19_400_000_000,
            pace: None,
            unit: Unit::Krw,
        },
    ];
    let svg = progress_bars("성과지표 달성 현황", &items, Lang::Ko);
    let doc = parse(&svg);
    let bars = with_class(&doc, "bar");
    assert_eq!(bars.len(), 3);
    assert_eq!(with_class(&doc, "track").len(), 3);
    assert_eq!(with_class(&doc, "pace").len(), 2, "no pace marker without a pace");
    assert!(title_of(bars[0]).contains("45명 / 150명 (30.0%)"), "{}", title_of(bars[0]));
    assert!(title_of(bars[0]).contains("목표 페이스 50명"));
    assert!(title_of(bars[2]).contains("72억 원 / 194억 원"), "{}", title_of(bars[2]));
    // Behind pace (45 < 50) is orange, ahead (8 ≥ 7) is blue.
    assert_ne!(bars[0].attribute("fill"), bars[1].attribute("fill"));
    // Fill width is value / target of the track.
    let track_w: f64 = with_class(&doc, "track")[0].attribute("width").unwrap().parse().unwrap();
    let bar_w: f64 = bars[0].attribute("width").unwrap().parse().unwrap();
    assert!((bar_w / track_w - 0.3).abs() < 0.01);
    let t = texts(&doc);
    assert!(t.iter().any(|s| s == "HR-1 융합인재 양성"));
    assert!(t.iter().any(|s| s == "목표 페이스"));

    let single = progress_bar(&items[0], Lang::En);
    let doc = parse(&single);
    assert_eq!(with_class(&doc, "bar").len(), 1);
    assert!(title_of(with_class(&doc, "bar")[0]).contains("45 persons / 150 persons (30.0%)"));
}

#[test]
fn progress_bar_clamps_overachievement() {
    let p = Progress { label: "x".into(), value: 20, target: 10, pace: Some(4), unit: Unit::count("건", "cases") };
    let doc_svg = progress_bar(&p, Lang::Ko);
    let doc = parse(&doc_svg);
    let track_w = with_class(&doc, "track")[0].attribute("width").unwrap().to_string();
    assert_eq!(with_class(&doc, "bar")[0].attribute("width"), Some(track_w.as_str()));
    assert!(title_of(with_class(&doc, "bar")[0]).contains("(200.0%)"));
}

#[test]
fn trajectory_has_a_bar_per_reported_year_and_cumulative_lines() {
    let report = sample_report();
    let k = report.kpi("HR-1").unwrap();
    let t = Trajectory { title: "HR-1 연차별".into(), unit: k.unit.clone(), points: k.by_year.clone() };
    let svg = trajectory_chart(&t, Lang::Ko);
    let doc = parse(&svg);
    let bars = with_class(&doc, "bar");
    assert_eq!(bars.len(), 2, "2026 and 2027 are reported, 2028–2030 not yet");
    assert!(title_of(bars[1]).contains("2027 당해 실적: 27명"), "{}", title_of(bars[1]));
    assert!(title_of(bars[1]).contains("목표 30명"));
    assert_eq!(with_class(&doc, "year-target").len(), 5);
    assert_eq!(with_class(&doc, "point").len(), 2);
    assert!(title_of(with_class(&doc, "point")[1]).contains("누적 실적: 45명"));
    let target_line = with_class(&doc, "cumulative-target");
    assert_eq!(target_line.len(), 1);
    assert_eq!(target_line[0].attribute("points").unwrap().split(' ').count(), 5);
    let labels: Vec<String> = with_class(&doc, "x-label").iter().filter_map(|n| n.text()).map(String::from).collect();
    assert_eq!(labels, ["2026", "2027", "2028", "2029", "2030"]);
    // The axis reaches the 150 target.
    assert!(texts(&doc).iter().any(|s| s == "150"));
}

#[test]
fn budget_chart_two_bars_per_institution() {
    let report = sample_report();
    let totals = report.budget_totals(BudgetDimension::Institution);
    assert_eq!(totals.len(), 4);
    let svg = budget_chart("기관별 예산 대비 집행", &totals, Lang::Ko);
    let doc = parse(&svg);
    assert_eq!(with_class(&doc, "budget").len(), 4);
    assert_eq!(with_class(&doc, "executed").len(), 4);
    let gist = title_of(with_class(&doc, "budget")[0]);
    assert_eq!(gist, "광주과학기술원 예산: 15.2억 원");
    let gist_exec = title_of(with_class(&doc, "executed")[0]);
    assert!(gist_exec.contains("14억 원") && gist_exec.contains("92.4%"), "{gist_exec}");
    let t = texts(&doc);
    for label in ["광주과학기술원", "전남대 의과대학", "전남대학교병원", "화순전남대학교병원", "92.4%"]
    {
        assert!(t.iter().any(|s| s == label), "{label} in {t:?}");
    }
    let en = budget_chart("Budget", &totals, Lang::En);
    let doc = parse(&en);
    assert!(texts(&doc).iter().any(|s| s == "Hwasun CNU Hospital"));
}

#[test]
fn funnel_has_every_stage_and_conversions() {
    let report = sample_report();
    let svg = funnel_chart("파이프라인", &report.pipeline, Lang::Ko);
    let doc = parse(&svg);
    let stages = with_class(&doc, "stage");
    assert_eq!(stages.len(), 6);
    assert_eq!(title_of(stages[0]), "미충족 임상수요: 64");
    assert_eq!(title_of(stages[5]), "기술이전·창업: 3");
    assert_eq!(with_class(&doc, "band").len(), 5);
    assert!(title_of(with_class(&doc, "band")[0]).contains("45.3%"), "29 of 64 needs became projects");
    // Heights follow the counts.
    let h = |i: usize| stages[i].attribute("height").unwrap().parse::<f64>().unwrap();
    assert!(h(0) > h(1) && h(1) > h(2) && h(2) > h(3));
    let t = texts(&doc);
    assert!(t.iter().any(|s| s == "64") && t.iter().any(|s| s == "특허 등록"));
    let en = funnel_chart("Pipeline", &report.pipeline, Lang::En);
    let doc = parse(&en);
    assert!(texts(&doc).iter().any(|s| s.contains("Transfers")));
}

#[test]
fn breakdown_stacks_segments_per_row() {
    let report = sample_report();
    let hr = report.section(Category::HumanResources).unwrap();
    let b = &hr.breakdowns[0];
    let svg = breakdown_chart(b, Lang::Ko);
    let doc = parse(&svg);
    assert_eq!(with_class(&doc, "stack").len(), 3, "one stack per track");
    // Zero counts draw no segment: 12 cells, two of them 0.
    assert_eq!(with_class(&doc, "segment").len(), 10);
    assert!(with_class(&doc, "segment").iter().any(|s| title_of(*s) == "면역항암 · 재학: 16"));
    let totals: Vec<String> = with_class(&doc, "total").iter().filter_map(|n| n.text()).map(String::from).collect();
    assert_eq!(totals, ["21", "14", "24"]);
    let legend = texts(&doc);
    for s in ["재학", "휴학", "졸업", "중도 탈락", "멀티모달 의학"] {
        assert!(legend.iter().any(|t| t == s), "{s}");
    }
}

#[test]
fn text_is_escaped() {
    let p = Progress {
        label: "<script>alert(\"x\")</script> & 'co'".into(),
        value: 1,
        target: 2,
        pace: None,
        unit: Unit::count("건", "cases"),
    };
    let svg = progress_bars("R&D <KPI>", &[p], Lang::Ko);
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("R&amp;D &lt;KPI&gt;"));
    let doc = parse(&svg);
    assert_eq!(doc.root_element().attribute("aria-label"), Some("R&D <KPI>"));
    assert!(texts(&doc).iter().any(|s| s == "<script>alert(\"x\")</script> & 'co'"));
}

#[test]
fn empty_inputs_still_make_valid_svg() {
    parse(&progress_bars("없음", &[], Lang::Ko));
    parse(&funnel_chart("없음", &[], Lang::Ko));
    parse(&budget_chart("없음", &[], Lang::Ko));
    parse(&trajectory_chart(&Trajectory { title: "없음".into(), unit: Unit::Krw, points: vec![] }, Lang::Ko));
    let b = medist_report::Breakdown {
        key: "k".into(),
        title: Text::new("빈 표", "empty"),
        row_header: Text::new("행", "row"),
        rows: vec![],
        columns: vec![],
        counts: vec![],
    };
    parse(&breakdown_chart(&b, Lang::Ko));
}

#[test]
fn standard_set_for_the_sample() {
    let report = sample_report();
    for lang in [Lang::Ko, Lang::En] {
        let charts = standard_charts(&report, lang);
        // progress + 7 trajectories (6 targets + budget) + budget + funnel + 2 breakdowns
        assert_eq!(charts.len(), 12, "{:?}", charts.iter().map(|c| &c.0).collect::<Vec<_>>());
        for (title, svg) in &charts {
            let doc = parse(svg);
            assert_eq!(doc.root_element().attribute("aria-label"), Some(title.as_str()));
        }
    }
    let charts = standard_charts(&report, Lang::Ko);
    let progress = parse(&charts[0].1);
    assert_eq!(with_class(&progress, "bar").len(), 7);
    assert!(texts(&progress).iter().any(|s| s == "PT-2 특허 등록"));
}
