//! XLSX (read back with calamine) and CSV of the sample report, and the model's JSON round trip.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use medist_report::{BudgetDimension, Category, Lang, sample_report, table_to_csv, to_csv, to_csv_evidence, to_xlsx};

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("a readable XLSX")
}

fn find_row(range: &calamine::Range<Data>, col: usize, value: &str) -> usize {
    range
        .rows()
        .position(|r| r.get(col).is_some_and(|c| *c == value))
        .unwrap_or_else(|| panic!("no row with {value} in column {col}"))
}

#[test]
fn xlsx_sheets_and_summary_values() {
    let report = sample_report();
    let mut wb = open(to_xlsx(&report, Lang::Ko).unwrap());
    assert_eq!(wb.sheet_names(), ["요약", "논문", "특허", "기술이전·사업화", "인력양성", "공동연구", "예산 집행"]);
    let summary = wb.worksheet_range("요약").unwrap();
    assert!(summary.get_value((0, 0)).unwrap().to_string().contains("2027년도 (2차년도) 연차실적보고서"));
    assert!(summary.get_value((2, 0)).unwrap().to_string().starts_with("※ 샘플 데이터"));
    let header: Vec<String> = summary.rows().nth(3).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..4], ["구분", "코드", "성과지표", "단위"]);
    // HR-1: 150 target, 30 for the year, 27 this year, 45 cumulative.
    let r = find_row(&summary, 1, "HR-1");
    let row = &summary.rows().nth(r).unwrap();
    assert_eq!(row[0].to_string(), "인력양성");
    assert_eq!(row[2].to_string(), "융합인재 양성");
    assert_eq!(row[3].to_string(), "명");
    assert_eq!(row[4], Data::Float(150.0));
    assert_eq!(row[5], Data::Float(30.0));
    assert_eq!(row[6], Data::Float(27.0));
    assert_eq!(row[7], Data::Float(0.9));
    assert_eq!(row[8], Data::Float(45.0));
    assert_eq!(row[9], Data::Float(0.3));
    // The budget KPI in won, exactly.
    let r = find_row(&summary, 1, "BG-1");
    let row = &summary.rows().nth(r).unwrap();
    assert_eq!(row[4], Data::Float(19_400_000_000.0));
    assert_eq!(row[6], Data::Float(3_494_000_000.0));
    // Report facts below the table.
    let r = find_row(&summary, 0, "총사업비");
    assert_eq!(summary.get_value((r as u32, 1)).unwrap().to_string(), "194억 원 (19,400,000,000원)");
    assert_eq!(summary.get_value((r as u32, 2)), Some(&Data::Float(19_400_000_000.0)));
}

#[test]
fn xlsx_section_sheets_hold_typed_evidence() {
    let report = sample_report();
    let mut wb = open(to_xlsx(&report, Lang::Ko).unwrap());
    let patents = wb.worksheet_range("특허").unwrap();
    // KPI lines first, applications and registrations in separate tables.
    assert_eq!(patents.get_value((3, 0)).unwrap().to_string(), "PT-1");
    assert_eq!(patents.get_value((4, 0)).unwrap().to_string(), "PT-2");
    let apps = find_row(&patents, 0, "특허 출원 목록 (4건)");
    let regs = find_row(&patents, 0, "특허 등록 목록 (1건)");
    assert!(regs > apps + 5);
    assert_eq!(patents.get_value((apps as u32 + 1, 0)).unwrap().to_string(), "출원번호");
    assert_eq!(patents.get_value((apps as u32 + 2, 0)).unwrap().to_string(), "10-2027-0031245");
    // Dates are Excel dates.
    match patents.get_value((apps as u32 + 2, 2)).unwrap() {
        Data::DateTime(dt) => {
            // Excel serial days since 1899-12-30.
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
            let day = chrono::NaiveDate::from_ymd_opt(2027, 2, 17).unwrap();
            assert_eq!(dt.as_f64(), (day - epoch).num_days() as f64);
        }
        other => panic!("expected a date, got {other:?}"),
    }

    let money = wb.worksheet_range("기술이전·사업화").unwrap();
    let t = find_row(&money, 0, "기술이전 목록 (2건)");
    assert_eq!(money.get_value((t as u32 + 2, 3)), Some(&Data::Float(30_000_000.0)));

    let budget = wb.worksheet_range("예산 집행").unwrap();
    let t = find_row(&budget, 0, "기관별 예산 집행");
    assert_eq!(budget.get_value((t as u32 + 2, 0)).unwrap().to_string(), "광주과학기술원");
    assert_eq!(budget.get_value((t as u32 + 2, 1)), Some(&Data::Float(1_520_000_000.0)));
    assert_eq!(budget.get_value((t as u32 + 2, 2)), Some(&Data::Float(1_404_000_000.0)));
    let rate = match budget.get_value((t as u32 + 2, 3)) {
        Some(Data::Float(f)) => *f,
        other => panic!("{other:?}"),
    };
    assert!((rate - 1404.0 / 1520.0).abs() < 1e-12);
    let total = find_row(&budget, 0, "합계");
    assert_eq!(budget.get_value((total as u32, 1)), Some(&Data::Float(3_880_000_000.0)));

    let hr = wb.worksheet_range("인력양성").unwrap();
    let b = find_row(&hr, 0, "트랙·학적 상태별 교육생");
    let header: Vec<String> = hr.rows().nth(b + 1).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..6], ["트랙", "재학", "휴학", "졸업", "중도 탈락", "계"]);
    assert_eq!(hr.get_value((b as u32 + 2, 5)), Some(&Data::Float(21.0)));
}

#[test]
fn xlsx_in_english() {
    let report = sample_report();
    let mut wb = open(to_xlsx(&report, Lang::En).unwrap());
    assert_eq!(wb.sheet_names()[0], "Summary");
    assert!(wb.sheet_names().contains(&"Budget".to_string()));
    let s = wb.worksheet_range("Summary").unwrap();
    let r = find_row(&s, 1, "PA-1");
    assert_eq!(s.get_value((r as u32, 2)).unwrap().to_string(), "SCI-level papers");
    assert_eq!(s.get_value((r as u32, 3)).unwrap().to_string(), "papers");
}

#[test]
fn csv_is_excel_friendly() {
    let report = sample_report();
    let bytes = to_csv(&report, Lang::Ko);
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1 + report.kpis().count());
    assert_eq!(
        lines[0],
        "구분,코드,성과지표,단위,총 목표,당해 목표,당해 실적,당해 달성률(%),누적 실적,누적 달성률(%),연도"
    );
    assert!(lines.contains(&"인력양성,HR-1,융합인재 양성,명,150,30,27,90,45,30,2027"));
    assert!(lines.contains(&"특허,PT-2,특허 등록,건,8,1,1,100,1,12.5,2027"));
    assert!(
        lines.contains(&"예산 집행,BG-1,사업비 집행액,원,19400000000,3880000000,3494000000,90.1,7196000000,37.1,2027")
    );
    assert!(lines.contains(&"기술이전·사업화,CM-2,기술료 수입,원,,,45000000,,45000000,,2027"));
    let en = String::from_utf8(to_csv(&report, Lang::En)).unwrap();
    assert!(en.contains("\r\nPatents,PT-1,Patent applications,applications,22,4,4,100,6,27.3,2027\r\n"));
}

#[test]
fn evidence_csv_long_and_per_table() {
    let report = sample_report();
    let text = String::from_utf8(to_csv_evidence(&report, Lang::Ko)).unwrap();
    assert!(text.starts_with('\u{FEFF}'));
    assert!(text.contains("\r\n특허,patent_applications,특허 출원 목록,1,application_no,출원번호,10-2027-0031245\r\n"));
    assert!(text.contains("\r\n특허,patent_registrations,특허 등록 목록,1,registered,등록일,2027-12-03\r\n"));
    assert!(text.contains(",budget_by_institution,기관별 예산 집행,1,budget_krw,예산 (원),1520000000\r\n"));
    assert!(text.contains("\r\n공동연구,projects,공동연구과제 (당해 착수),17,code,과제 번호,MRC-2027-17\r\n"));
    let papers = report.section(Category::Papers).unwrap();
    let one = String::from_utf8(table_to_csv(&papers.evidence[0], Lang::En)).unwrap();
    let lines: Vec<&str> = one.trim_start_matches('\u{FEFF}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "Title,Journal,Published,DOI,Author role,Track");
    assert_eq!(lines.len(), 6);
    let budget = table_to_csv(&report.budget_table(BudgetDimension::Source), Lang::Ko);
    let budget = String::from_utf8(budget).unwrap();
    assert!(budget.contains("\r\n과기정통부,1660000000,"), "{budget}");
    assert!(budget.contains("\r\n대응자금,560000000,"));
}

#[test]
fn model_round_trips_through_json() {
    let report = sample_report();
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains(r#""type":"krw","value":30000000"#));
    assert!(json.contains(r#""category":"human_resources""#));
    assert!(json.contains(r#""unit":{"kind":"count","ko":"명","en":"persons"}"#));
    let back: medist_report::AnnualReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

#[test]
fn sample_matches_the_consortium_facts() {
    let r = sample_report();
    assert!(r.sample_data);
    assert_eq!((r.period.start_year, r.period.end_year), (2026, 2030));
    assert_eq!(r.total_budget_krw, Some(19_400_000_000));
    let targets: Vec<(&str, Option<i64>)> =
        ["HR-1", "HR-2", "RS-1", "PA-1", "PT-1", "PT-2"].iter().map(|c| (*c, r.kpi(c).unwrap().target_total)).collect();
    assert_eq!(
        targets,
        [
            ("HR-1", Some(150)),
            ("HR-2", Some(16)),
            ("RS-1", Some(80)),
            ("PA-1", Some(30)),
            ("PT-1", Some(22)),
            ("PT-2", Some(8))
        ]
    );
    // Every KPI's cumulative value is the sum of its reported years, and the evidence lists the
    // records counted for the year.
    for (_, k) in r.kpis() {
        if !k.by_year.is_empty() {
            assert_eq!(k.cumulative, k.by_year.iter().filter_map(|p| p.value).sum::<i64>(), "{}", k.code);
            assert_eq!(k.target_total, Some(k.by_year.iter().filter_map(|p| p.target).sum::<i64>()), "{}", k.code);
        }
    }
    let rows =
        |cat, key: &str| r.section(cat).unwrap().evidence.iter().find(|t| t.key == key).unwrap().rows.len() as i64;
    assert_eq!(rows(Category::Papers, "papers"), r.kpi("PA-1").unwrap().value_year);
    assert_eq!(rows(Category::Patents, "patent_applications"), r.kpi("PT-1").unwrap().value_year);
    assert_eq!(rows(Category::Patents, "patent_registrations"), r.kpi("PT-2").unwrap().value_year);
    assert_eq!(rows(Category::HumanResources, "talents"), r.kpi("HR-1").unwrap().value_year);
    assert_eq!(rows(Category::HumanResources, "joint_courses"), r.kpi("HR-2").unwrap().value_year);
    assert_eq!(rows(Category::Research, "projects"), r.kpi("RS-1").unwrap().value_year);
    // One year's budget is a fifth of 194억 원, government funding 166억 / 5, GIST 66억 / 5.
    let total = r.budget_grand_total();
    assert_eq!(total.budget_krw, 3_880_000_000);
    assert_eq!(total.executed_krw, r.kpi("BG-1").unwrap().value_year);
    let gov: i64 =
        r.budget.iter().filter(|l| l.source != medist_report::FundingSource::Matching).map(|l| l.budget_krw).sum();
    assert_eq!(gov, 3_320_000_000);
    let gist_gov: i64 = r
        .budget
        .iter()
        .filter(|l| l.institution.en == "GIST" && l.source != medist_report::FundingSource::Matching)
        .map(|l| l.budget_krw)
        .sum();
    assert_eq!(gist_gov, 1_320_000_000);
    assert_eq!(r.kpi("PT-1").unwrap().pace_target(r.period, 2027), Some(6));
}
