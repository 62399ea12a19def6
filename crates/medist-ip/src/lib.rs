//! Outputs & commercialization domain rules for medist (성과·기술사업화), pure: plain data in, checked data,
//! counts and typed errors out. No I/O, no database, no clock (the caller passes "today").
//!
//! * [`patent`]: patent families (특허 패밀리), applications per [`Jurisdiction`], dated events
//!   (출원 filed, 공개 published, 등록 registered, 포기 abandoned, 거절 rejected, 회복 reinstated) and the state machine
//!   that checks their order; [`numbers`]: Korean application/registration number formats.
//! * [`counting`]: applications filed and registrations granted in a period or per year — **an application counts
//!   in the year it is filed, a registration in the year it is registered** — by owner, jurisdiction, and every
//!   application or first per family.
//! * [`shares`]: inventors' shares in basis points (10000 = 100%), parsing `60%`, `33.33`, `0.5`; equal split.
//! * [`disclosure`]: invention disclosures (발명신고): assessment, decision (출원 / 불승계 / 보류), state machine with
//!   who/why/when, decision and grace-period filing deadlines with on-track / at-risk / overdue status.
//! * [`transfer`]: technology transfers (기술이전): upfront fee in the contract year, royalties in the payment year.
//! * [`startup`]: startups (창업): region (광주·전남 or elsewhere), founders, investment rounds.
//! * [`funnel`]: inventions → applications → registrations → transfers → startups per year, for the dashboard.
//! * [`import`]: one spreadsheet row (field name → raw text) → a validated patent application.
//!
//! Every record type derives serde `Serialize`/`Deserialize`; enums serialize as stable snake_case codes
//! (jurisdictions as `KR`, `PCT`, …). Every problem is an [`IpError`]: a field and a [`Reason`] with a stable
//! kebab-case [`Reason::code`] for the UI to translate; English text is the fallback. Record `validate` methods
//! return all problems (`Vec<IpError>`); single operations (parsing, a transition) return the first.
//!
//! Ids (`i64`) are those of the storage layer (0 before a record is stored). Amounts are whole KRW in `i64`.
//! Dates are [`chrono::NaiveDate`]; periods are inclusive ([`Period`]).

#![warn(missing_docs)]

pub mod counting;
pub mod dates;
pub mod disclosure;
pub mod error;
pub mod funnel;
pub mod import;
pub mod jurisdiction;
pub mod numbers;
pub mod patent;
pub mod shares;
pub mod startup;
pub mod transfer;

pub use counting::{CountOptions, CountedEvent, FamilyScope};
pub use dates::{Period, parse_date};
pub use disclosure::{
    DeadlinePolicy, DeadlineReport, DeadlineStatus, DisclosureAction, DisclosureState, InventionDisclosure,
};
pub use error::{IpError, Reason};
pub use funnel::{Funnel, FunnelRecords, pipeline_funnel};
pub use import::{ImportedPatent, RowError, patent_from_row};
pub use jurisdiction::Jurisdiction;
pub use patent::{ApplicationState, PatentApplication, PatentEvent, PatentEventKind, PatentFamily};
pub use shares::{FULL_SHARE_BP, InventorShare};
pub use startup::{Region, RegionGroup, Startup};
pub use transfer::{TechnologyTransfer, TransferKind};
