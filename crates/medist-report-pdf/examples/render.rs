//! Writes the sample report in every format: `cargo run -p medist-report-pdf --example render -- DIR`
//! (default `sample-report/`): sample.{xlsx,pdf,csv}, sample-evidence.csv, sample-en.{xlsx,pdf},
//! and charts/NN.svg. SAMPLE DATA: see `medist_report::sample_report`.

use std::path::PathBuf;
use std::time::Instant;

use medist_report::charts::standard_charts;
use medist_report::{Lang, sample_report, to_csv, to_csv_evidence, to_xlsx};
use medist_report_pdf::to_pdf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "sample-report".into()));
    std::fs::create_dir_all(dir.join("charts"))?;
    let report = sample_report();

    let t = Instant::now();
    let charts = standard_charts(&report, Lang::Ko);
    println!("charts: {} in {:?}", charts.len(), t.elapsed());
    for (i, (title, svg)) in charts.iter().enumerate() {
        let path = dir.join("charts").join(format!("{:02}.svg", i + 1));
        std::fs::write(&path, svg)?;
        println!("  {} {title}", path.display());
    }

    let t = Instant::now();
    std::fs::write(dir.join("sample.xlsx"), to_xlsx(&report, Lang::Ko)?)?;
    std::fs::write(dir.join("sample-en.xlsx"), to_xlsx(&report, Lang::En)?)?;
    std::fs::write(dir.join("sample.csv"), to_csv(&report, Lang::Ko))?;
    std::fs::write(dir.join("sample-evidence.csv"), to_csv_evidence(&report, Lang::Ko))?;
    println!("xlsx + csv: {:?}", t.elapsed());

    for (lang, name) in [(Lang::Ko, "sample.pdf"), (Lang::En, "sample-en.pdf")] {
        let charts = standard_charts(&report, lang);
        let t = Instant::now();
        let pdf = to_pdf(&report, lang, &charts)?;
        println!("{name}: {} bytes in {:?}", pdf.len(), t.elapsed());
        std::fs::write(dir.join(name), pdf)?;
    }
    // More runs in the same process: the engine, fonts and typst caches are warm.
    let mut warm: Vec<_> = (0..5)
        .map(|_| {
            let t = Instant::now();
            to_pdf(&report, Lang::Ko, &charts).map(|_| t.elapsed())
        })
        .collect::<Result<_, _>>()?;
    warm.sort();
    println!("sample.pdf warm, 5 runs: min {:?}, median {:?}", warm[0], warm[2]);
    println!("written to {}", dir.display());
    Ok(())
}
