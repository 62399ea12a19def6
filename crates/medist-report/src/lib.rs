//! Annual performance report (연차실적보고서) of a K-MediST consortium for the ministries.
//!
//! * [`model`]: the report as plain data ([`AnnualReport`]), filled by the app from its database.
//! * [`to_xlsx`], [`to_csv`], [`to_csv_evidence`], [`table_to_csv`]: files for the ministries.
//! * [`charts`]: server-rendered, accessible SVG charts.
//! * [`format`]: Korean number formatting (억 원, thousands separators, display width).
//! * [`sample_report`]: a MIRACLE-like report with sample figures for tests and examples.
//!
//! The PDF lives in the separate `medist-report-pdf` crate (typst is heavy to build).

pub mod charts;
mod csv;
pub mod format;
pub mod model;
mod sample;
mod xlsx;

pub use csv::{kpi_csv_header, table_to_csv, to_csv, to_csv_evidence};
pub use model::*;
pub use sample::sample_report;
pub use xlsx::to_xlsx;

/// Errors of the fallible renderers.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("writing the XLSX workbook failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
