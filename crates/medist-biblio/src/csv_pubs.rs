//! Streaming reader for CSV lists of publications, as exported from spreadsheets and Korean research-information
//! systems (NTIS, KCI, university systems).
//!
//! **Header.** The first row names the columns, in English or Korean; names are matched after lower-casing and
//! dropping everything but letters and digits (`Publication Year`, `publication_year` and `발행 연도` all match).
//! See [`column_for_header`] for the list. **Unknown columns are ignored** — not an error, since exports carry many
//! columns of no bibliographic use (serial numbers, department codes) — and are listed by
//! [`CsvReader::ignored_columns`] for a caller that wants to show them. A header without a title column is a
//! file-level [`ErrorKind::MissingColumn`] error naming the columns found; nothing else is read. When two columns map
//! to the same field (`제목` and `title`), the first non-empty one in the row wins.
//!
//! **Encoding.** UTF-8 with or without a byte-order mark, UTF-16 with one, or CP949 (EUC-KR and its Windows
//! extension, as Korean Excel writes): the reader passes ASCII through until the first non-ASCII byte, then decides on
//! the next 64 KiB — text that is UTF-8 (allowing one invalid sequence per four valid multi-byte characters: such
//! stray bytes are then read as Latin-1 with a warning naming line and column) stays UTF-8, anything else is decoded
//! as CP949 with `encoding_rs` from then on (ASCII reads the same in both, so nothing before is affected). The choice
//! is told by [`CsvReader::encoding`].
//!
//! **Delimiter.** Comma, unless the header line has more tabs (tab-separated "CSV") or more semicolons (European
//! Excel) than commas. Quoting follows RFC 4180 (the `csv` crate): quoted fields may hold delimiters and newlines.
//!
//! **Values.** `authors` are separated by `;` (or by `,` when every comma-separated part is itself a full name with a
//! space, as in "Kim TH, Lee JH", or Hangul, as in "김철수, 이영희"); `grant` and `keywords` by `;`. Years, ISSNs and
//! PMIDs that cannot be read are dropped with a warning naming the line and the column. Rows with every cell blank
//! are skipped. A row longer than [`MAX_ROW_BYTES`] (an unclosed quote swallowing the rest of the file) is skipped
//! with [`ErrorKind::TooLarge`], without being stored, and reading goes on after it.
//!
//! Rows are split by the reader itself (quotes tracked as RFC 4180 says; LF, CR LF and a lone CR end a row outside
//! quotes) so that each record knows its exact line — blank lines and line breaks inside quotes counted — and no row
//! can take unbounded memory; the `csv` crate then reads the row's cells. A record's line is the line its row starts
//! on; its ordinal counts data rows, not the header.

use std::io::{self, BufRead, Read};

use encoding_rs::{CoderResult, Decoder, EUC_KR};

use crate::error::{ErrorKind, ParseError};
use crate::normalize::normalize_pmid;
use crate::record::{PubType, Record, SourceFormat, SourceLocation};
use crate::util::{
    Utf16Aware, ascii_page_range, collapse_ws, decode_lossy, extract_issns, extract_year, non_empty, parse_plain_name,
    pmid_from_url,
};

const FORMAT: SourceFormat = SourceFormat::Csv;
/// Largest row kept; a larger one is skipped with [`ErrorKind::TooLarge`] (see the module documentation).
pub const MAX_ROW_BYTES: usize = 1 << 20;
/// Bytes looked at, from the first non-ASCII byte, to tell UTF-8 from CP949.
const SNIFF_BYTES: usize = 64 << 10;

/// A field of [`Record`] a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Title.
    Title,
    /// DOI.
    Doi,
    /// PubMed identifier.
    Pmid,
    /// Journal (or other container) name.
    Journal,
    /// Print ISSN (a second ISSN in the same cell is taken as the electronic one).
    Issn,
    /// Electronic ISSN.
    Eissn,
    /// Publication year (the first four-digit year in the cell).
    Year,
    /// Volume.
    Volume,
    /// Issue.
    Issue,
    /// Pages (`first-last`).
    Pages,
    /// First page, combined with [`Column::LastPage`] when there is no pages column.
    FirstPage,
    /// Last page.
    LastPage,
    /// Authors, separated by `;`.
    Authors,
    /// Publication type.
    Type,
    /// Grant numbers / funding acknowledgements, separated by `;`.
    Grant,
    /// Keywords, separated by `;`.
    Keywords,
    /// Abstract.
    Abstract,
    /// The first author(s) by name (co-first authors separated like authors); marks them among the authors.
    FirstAuthors,
    /// The corresponding author(s) by name; marks them among the authors.
    Corresponding,
}

/// The column a header names, if any. Matching ignores case, spaces and punctuation. Known names:
///
/// | column | names |
/// | --- | --- |
/// | title | `title`, `article title`, `paper title`, `제목`, `논문명`, `논문제목`, `논문 제목(국문)` |
/// | doi | `doi` |
/// | pmid | `pmid`, `pubmed id` |
/// | journal | `journal`, `journal title`, `journal name`, `source title`, `학술지`, `학술지명`, `저널명`, `저널`, `게재지`, `게재지명` |
/// | issn / eissn | `issn`, `p-issn`, `print issn` / `eissn`, `e-issn`, `electronic issn`, `online issn` |
/// | year | `year`, `publication year`, `pub year`, `발행연도`, `발행년도`, `발행년`, `연도`, `게재연도`, `게재년도`, `출판연도` |
/// | volume / issue | `volume`, `vol`, `권` / `issue`, `number`, `no`, `호` |
/// | pages | `pages`, `page`, `페이지`, `쪽`; `start page`, `first page`, `시작페이지` / `end page`, `last page`, `끝페이지`, `종료페이지` |
/// | authors | `authors`, `author`, `저자`, `저자명`, `저자목록` |
/// | type | `type`, `publication type`, `document type`, `유형`, `논문유형`, `실적유형`, `구분` |
/// | grant | `grant`, `grants`, `grant number`, `funding`, `과제번호`, `연구과제번호`, `사사`, `사사정보` |
/// | keywords / abstract | `keywords`, `키워드`, `주제어` / `abstract`, `초록` |
/// | first authors | `first author`, `first authors`, `제1저자`, `주저자`, `1저자` |
/// | corresponding authors | `corresponding author`, `corresponding authors`, `corresponding`, `교신저자`, `교신` |
pub fn column_for_header(header: &str) -> Option<Column> {
    let key: String = header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    Some(match key.as_str() {
        "title" | "articletitle" | "papertitle" | "제목" | "논문명" | "논문제목" | "논문제목국문" => {
            Column::Title
        }
        "doi" => Column::Doi,
        "pmid" | "pubmedid" => Column::Pmid,
        "journal" | "journaltitle" | "journalname" | "sourcetitle" | "학술지" | "학술지명" | "저널명" | "저널"
        | "게재지" | "게재지명" => Column::Journal,
        "issn" | "pissn" | "printissn" => Column::Issn,
        "eissn" | "electronicissn" | "onlineissn" => Column::Eissn,
        "year" | "publicationyear" | "pubyear" | "발행연도" | "발행년도" | "발행년" | "연도" | "게재연도"
        | "게재년도" | "출판연도" => Column::Year,
        "volume" | "vol" | "권" => Column::Volume,
        "issue" | "number" | "no" | "호" => Column::Issue,
        "pages" | "page" | "페이지" | "쪽" => Column::Pages,
        "startpage" | "firstpage" | "시작페이지" => Column::FirstPage,
        "endpage" | "lastpage" | "끝페이지" | "종료페이지" => Column::LastPage,
        "authors" | "author" | "저자" | "저자명" | "저자목록" => Column::Authors,
        "type" | "publicationtype" | "documenttype" | "유형" | "논문유형" | "실적유형" | "구분" => {
            Column::Type
        }
        "grant" | "grants" | "grantnumber" | "funding" | "과제번호" | "연구과제번호" | "사사" | "사사정보" => {
            Column::Grant
        }
        "keywords" | "키워드" | "주제어" => Column::Keywords,
        "abstract" | "초록" => Column::Abstract,
        "firstauthor" | "firstauthors" | "제1저자" | "주저자" | "1저자" => Column::FirstAuthors,
        "correspondingauthor" | "correspondingauthors" | "corresponding" | "교신저자" | "교신" => {
            Column::Corresponding
        }
        _ => return None,
    })
}

enum Mode {
    /// Only ASCII seen so far.
    Undecided,
    Utf8,
    Cp949(Box<Decoder>),
}

/// A [`BufRead`] adapter that hands out UTF-8 (in UTF-8 mode, the bytes as they are, invalid ones included).
struct Decode<R> {
    inner: Utf16Aware<R>,
    mode: Mode,
    out: Vec<u8>,
    pos: usize,
    flushed: bool,
}

impl<R: BufRead> Decode<R> {
    fn new(inner: R) -> Self {
        Self { inner: Utf16Aware::new(inner), mode: Mode::Undecided, out: Vec::new(), pos: 0, flushed: false }
    }

    /// Decodes the next piece of input into `out` (left empty at the end of input).
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        loop {
            match self.mode {
                Mode::Undecided => {
                    let chunk = fill(&mut self.inner)?;
                    let ascii = chunk.iter().position(|b| !b.is_ascii()).unwrap_or(chunk.len());
                    if ascii > 0 || chunk.is_empty() {
                        self.out.extend_from_slice(&chunk[..ascii]);
                        self.inner.consume(ascii);
                        return Ok(());
                    }
                    let mut window = Vec::new();
                    while window.len() < SNIFF_BYTES {
                        let chunk = fill(&mut self.inner)?;
                        if chunk.is_empty() {
                            break;
                        }
                        let take = chunk.len().min(SNIFF_BYTES - window.len());
                        window.extend_from_slice(&chunk[..take]);
                        self.inner.consume(take);
                    }
                    if looks_like_utf8(&window) {
                        self.mode = Mode::Utf8;
                        self.out = window;
                    } else {
                        let mut decoder = Box::new(EUC_KR.new_decoder_without_bom_handling());
                        decode_into(&mut decoder, &window, &mut self.out, false);
                        self.mode = Mode::Cp949(decoder);
                    }
                    return Ok(());
                }
                Mode::Utf8 => {
                    let chunk = fill(&mut self.inner)?;
                    let n = chunk.len();
                    self.out.extend_from_slice(chunk);
                    self.inner.consume(n);
                    return Ok(());
                }
                Mode::Cp949(_) => {
                    if self.flushed {
                        return Ok(());
                    }
                    let chunk = fill(&mut self.inner)?.to_vec();
                    let last = chunk.is_empty();
                    if let Mode::Cp949(decoder) = &mut self.mode {
                        decode_into(decoder, &chunk, &mut self.out, last);
                    }
                    self.inner.consume(chunk.len());
                    self.flushed = last;
                    if last || !self.out.is_empty() {
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// Whether a window of text starting with non-ASCII bytes is UTF-8 rather than CP949: at least four valid multi-byte
/// characters per invalid sequence. (CP949 Hangul read as UTF-8 is nearly all invalid: lead bytes 0xB0–0xC8 are UTF-8
/// continuation bytes or, for 0xC2–0xC8, lead bytes only where the trail byte is below 0xC0; UTF-8 text with a stray
/// Latin-1 byte is nearly all valid.)
fn looks_like_utf8(window: &[u8]) -> bool {
    let (mut multi, mut bad) = (0usize, 0usize);
    let mut chunks = window.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        // A sequence cut by the end of the window is no evidence.
        let cut = chunks.peek().is_none() && window.len() >= SNIFF_BYTES && chunk.invalid().len() < 4;
        bad += usize::from(!chunk.invalid().is_empty() && !cut);
    }
    bad == 0 || multi >= 4 * bad
}

/// `fill_buf`, retried when interrupted.
fn fill<B: BufRead>(input: &mut B) -> io::Result<&[u8]> {
    loop {
        match input.fill_buf() {
            Ok(_) => return input.fill_buf(),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Decodes `src` with `decoder`, appending UTF-8 to `out` (malformed sequences become U+FFFD).
fn decode_into(decoder: &mut Decoder, mut src: &[u8], out: &mut Vec<u8>, last: bool) {
    loop {
        let room = decoder.max_utf8_buffer_length(src.len()).unwrap_or(src.len().saturating_mul(3)).max(16);
        let start = out.len();
        out.resize(start + room, 0);
        let (result, read, written, _) = decoder.decode_to_utf8(src, &mut out[start..], last);
        out.truncate(start + written);
        src = &src[read..];
        if result == CoderResult::InputEmpty {
            return;
        }
    }
}

impl<R: BufRead> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Decode<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

/// Where the row splitter is, for quoting (RFC 4180, as the `csv` crate reads it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first of a doubled quote.
    AfterQuote,
}

/// One logical row (it may span lines inside quotes), as split by [`CsvReader::next_row`].
struct Row {
    line: u64,
    too_large: bool,
}

/// Streaming CSV publication-list parser: an iterator of records and located errors.
pub struct CsvReader<R> {
    input: Decode<R>,
    /// Line breaks consumed so far.
    line: u64,
    /// The last row ended with a CR at the end of a read piece: a LF next is part of it.
    skip_lf: bool,
    /// The raw bytes of the current row (≤ [`MAX_ROW_BYTES`]).
    raw: Vec<u8>,
    /// Set once the header is read.
    delimiter: Option<u8>,
    done: bool,
    columns: Columns,
    records: u64,
    row: csv::ByteRecord,
}

impl<R: BufRead> CsvReader<R> {
    /// A reader over `input`.
    pub fn new(input: R) -> Self {
        Self {
            input: Decode::new(input),
            line: 0,
            skip_lf: false,
            raw: Vec::new(),
            delimiter: None,
            done: false,
            columns: Columns::default(),
            records: 0,
            row: csv::ByteRecord::new(),
        }
    }

    /// The header cells that name no known column (see [`column_for_header`]); empty until the header is read.
    pub fn ignored_columns(&self) -> &[String] {
        self.columns.ignored()
    }

    /// The encoding the input is read as so far: `"UTF-8"` (also while only ASCII has been seen) or `"CP949"`.
    pub fn encoding(&self) -> &'static str {
        match self.input.mode {
            Mode::Cp949(_) => "CP949",
            _ => "UTF-8",
        }
    }

    /// Reads the next non-blank logical row into `self.raw` (at most [`MAX_ROW_BYTES`] kept). `None` at the end.
    fn next_row(&mut self) -> io::Result<Option<Row>> {
        loop {
            self.raw.clear();
            let mut quote = Quoting::FieldStart;
            let mut too_large = false;
            let mut start = None;
            let mut prev_cr = false;
            let delimiter = self.delimiter.unwrap_or(b',');
            loop {
                let chunk = fill(&mut self.input)?;
                if chunk.is_empty() {
                    break;
                }
                if std::mem::take(&mut self.skip_lf) && chunk[0] == b'\n' {
                    self.input.consume(1);
                    continue;
                }
                let mut end = None;
                let mut breaks = 0;
                for (i, &c) in chunk.iter().enumerate() {
                    if start.is_none() && c != b'\r' && c != b'\n' {
                        start = Some(self.line + breaks + 1);
                    }
                    let at_break = match c {
                        b'\n' => !std::mem::take(&mut prev_cr),
                        b'\r' => {
                            prev_cr = true;
                            true
                        }
                        _ => {
                            prev_cr = false;
                            false
                        }
                    };
                    breaks += u64::from(at_break);
                    quote = match (quote, c) {
                        (Quoting::Quoted, b'"') => Quoting::AfterQuote,
                        (Quoting::Quoted, _) => Quoting::Quoted,
                        (_, b'\n' | b'\r') => {
                            // End of the row; a CR takes the LF after it along.
                            let lf = c == b'\r' && chunk.get(i + 1) == Some(&b'\n');
                            self.skip_lf = c == b'\r' && i + 1 == chunk.len();
                            end = Some(i + 1 + usize::from(lf));
                            break;
                        }
                        (Quoting::AfterQuote, b'"') => Quoting::Quoted,
                        (_, d) if d == delimiter => Quoting::FieldStart,
                        (Quoting::FieldStart, b'"') => Quoting::Quoted,
                        _ => Quoting::Unquoted,
                    };
                }
                let n = end.unwrap_or(chunk.len());
                if !too_large && self.raw.len() + n <= MAX_ROW_BYTES {
                    self.raw.extend_from_slice(&chunk[..n]);
                } else if !too_large {
                    too_large = true;
                    self.raw = Vec::new();
                }
                self.line += breaks;
                self.input.consume(n);
                if end.is_some() {
                    break;
                }
            }
            match start {
                Some(line) => return Ok(Some(Row { line, too_large })),
                None if self.raw.is_empty() => return Ok(None),
                None => {} // a blank line
            }
        }
    }

    /// Reads the header row (the first non-blank row): delimiter, columns.
    fn header(&mut self, line: u64) -> Option<Result<Record, ParseError>> {
        let raw = self.raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&self.raw);
        let delimiter = sniff_delimiter(raw);
        self.delimiter = Some(delimiter);
        let mut header = csv::ByteRecord::new();
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(raw);
        if let Err(e) = csv.read_byte_record(&mut header) {
            self.done = true;
            return Some(Err(ParseError::new(FORMAT, line, None, ErrorKind::Syntax(e.to_string()))));
        }
        self.columns = Columns::new(header.iter().map(|cell| decode_lossy(cell).0));
        if let Some(what) = self.columns.missing_title() {
            self.done = true;
            return Some(Err(ParseError::new(FORMAT, line, None, ErrorKind::MissingColumn(what))));
        }
        None
    }

    /// Reads one data row into a record.
    fn build(&self, line: u64) -> Record {
        let mut b = self.columns.row(SourceLocation { format: FORMAT, line, record: self.records });
        let cp949 = self.encoding() == "CP949";
        for (i, bytes) in self.row.iter().enumerate() {
            let (text, bad) = decode_lossy(bytes);
            if let Some(off) = bad {
                b.warn_cell(i, format!("invalid UTF-8 (byte 0x{:02X}); read as Latin-1", bytes[off]));
            } else if cp949 && text.contains('\u{FFFD}') {
                b.warn_cell(i, "bytes that are not CP949 replaced by U+FFFD");
            }
            b.cell(i, &text);
        }
        b.finish()
    }
}

/// The columns of a publication list's header row, for the CSV reader and for spreadsheet rows
/// ([`SheetReader`]): each header cell's name and the field it fills.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    headers: Vec<String>,
    columns: Vec<Option<Column>>,
    ignored: Vec<String>,
}

impl Columns {
    /// The columns named by the cells of a header row, in order.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Self {
        let mut c = Columns::default();
        for name in names {
            let name = collapse_ws(name.as_ref());
            let column = column_for_header(&name);
            if column.is_none() && !name.is_empty() {
                c.ignored.push(name.clone());
            }
            c.headers.push(name);
            c.columns.push(column);
        }
        c
    }

    /// The header cells that name no known column.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// Why these columns cannot be read as a publication list: no title column (the message names the columns
    /// found). `None` when they can.
    pub fn missing_title(&self) -> Option<String> {
        if self.columns.contains(&Some(Column::Title)) {
            return None;
        }
        let found = self.headers.iter().filter(|h| !h.is_empty()).map(|h| format!("`{h}`")).collect::<Vec<_>>();
        let found =
            if found.is_empty() { "no named columns".to_owned() } else { format!("found {}", found.join(", ")) };
        Some(format!("no title column (`title`, `제목`, `논문명`, …) in the header row; {found}"))
    }

    /// Where column `i` (0-based) is, for messages: "column 3 (`저자`)".
    fn where_(&self, i: usize) -> String {
        match self.headers.get(i) {
            Some(h) => format!("column {} (`{h}`)", i + 1),
            None => format!("column {}", i + 1),
        }
    }

    /// A record to fill from the cells of one data row.
    pub fn row(&self, source: SourceLocation) -> RowBuilder<'_> {
        RowBuilder {
            columns: self,
            r: Record::new(source),
            first_page: None,
            last_page: None,
            authors_set: false,
            grants_set: false,
            keywords_set: false,
            extra: 0,
            cells: 0,
            first_names: Vec::new(),
            corresponding_names: Vec::new(),
        }
    }
}

/// One data row being read into a [`Record`], cell by cell ([`Columns::row`]).
pub struct RowBuilder<'a> {
    columns: &'a Columns,
    r: Record,
    first_page: Option<String>,
    last_page: Option<String>,
    authors_set: bool,
    grants_set: bool,
    keywords_set: bool,
    /// Non-blank cells past the header's columns.
    extra: usize,
    /// Cells seen (the highest column + 1).
    cells: usize,
    first_names: Vec<String>,
    corresponding_names: Vec<String>,
}

impl RowBuilder<'_> {
    fn line(&self) -> u64 {
        self.r.source.line
    }

    fn where_(&self, i: usize) -> String {
        self.columns.where_(i)
    }

    /// A warning about the cell in column `i` (0-based).
    pub fn warn_cell(&mut self, i: usize, message: impl std::fmt::Display) {
        let line = self.line();
        let where_ = self.where_(i);
        self.r.warn(line, format!("{where_}: {message}"));
    }

    /// The text of the cell in column `i` (0-based). The first non-empty cell wins where two columns fill the same
    /// field.
    pub fn cell(&mut self, i: usize, text: &str) {
        self.cells = self.cells.max(i + 1);
        let Some(column) = self.columns.columns.get(i) else {
            self.extra += usize::from(!text.trim().is_empty());
            return;
        };
        let Some(column) = *column else { return };
        let Some(v) = non_empty(text) else { return };
        let line = self.line();
        let columns = self.columns;
        let where_ = || columns.where_(i);
        let r = &mut self.r;
        match column {
            Column::Title => r.title = r.title.take().or(Some(v)),
            Column::Doi => r.doi = r.doi.take().or(Some(v)),
            Column::Pmid if r.pmid.is_none() => match normalize_pmid(&v).or_else(|| pmid_from_url(&v)) {
                Some(p) => r.pmid = Some(p),
                None => r.warn(line, format!("{}: not a PMID: `{v}`", where_())),
            },
            Column::Journal => r.journal.name = r.journal.name.take().or(Some(v)),
            Column::Issn | Column::Eissn => {
                let issns = extract_issns(&v);
                if issns.is_empty() {
                    r.warn(line, format!("{}: no ISSN in `{v}`", where_()));
                }
                let j = &mut r.journal;
                for issn in issns {
                    if column == Column::Issn && j.issn.is_none() {
                        j.issn = Some(issn);
                    } else if j.eissn.is_none() && j.issn.as_deref() != Some(issn.as_str()) {
                        j.eissn = Some(issn);
                    }
                }
            }
            Column::Year if r.year.is_none() => {
                r.year = extract_year(&v);
                if r.year.is_none() {
                    r.warn(line, format!("{}: no year in `{v}`", where_()));
                }
            }
            Column::Volume => r.volume = r.volume.take().or(Some(v)),
            Column::Issue => r.issue = r.issue.take().or(Some(v)),
            Column::Pages => r.pages = r.pages.take().or(Some(ascii_page_range(&v))),
            Column::FirstPage => self.first_page = self.first_page.take().or(Some(v)),
            Column::LastPage => self.last_page = self.last_page.take().or(Some(v)),
            Column::Authors if !self.authors_set => {
                self.authors_set = true;
                r.authors = split_authors(&v).iter().map(|a| parse_plain_name(a)).collect();
            }
            Column::Type => r.pub_type = pub_type(&v),
            Column::Grant if !self.grants_set => {
                self.grants_set = true;
                r.funding = split_list(&v, &[';', '\n']);
            }
            Column::Keywords if !self.keywords_set => {
                self.keywords_set = true;
                r.keywords = split_list(&v, &[';', '\n']);
            }
            Column::Abstract => r.abstract_text = r.abstract_text.take().or(Some(v)),
            Column::FirstAuthors if self.first_names.is_empty() => self.first_names = split_authors(&v),
            Column::Corresponding if self.corresponding_names.is_empty() => {
                self.corresponding_names = split_authors(&v);
            }
            _ => {}
        }
    }

    /// The record, once every cell is in.
    pub fn finish(mut self) -> Record {
        let line = self.line();
        let r = &mut self.r;
        if r.pages.is_none() {
            r.pages = match (self.first_page.take(), self.last_page.take()) {
                (Some(f), Some(l)) if f != l => Some(format!("{f}-{l}")),
                (f, l) => f.or(l),
            };
        }
        for (names, what) in [(&self.first_names, "first"), (&self.corresponding_names, "corresponding")] {
            for name in names {
                match mark_author(&mut r.authors, name, what == "corresponding") {
                    Marked::Found => {}
                    Marked::Added => r.warn(
                        line,
                        format!("{what} author `{name}` is not in the author list; added at the end of it"),
                    ),
                }
            }
        }
        if self.extra > 0 {
            let n = self.cells;
            let headers = self.columns.headers.len();
            r.warn(line, format!("{n} cells but {headers} header columns; the cells past the header ignored"));
        }
        self.r
    }
}

/// Whether a name given in a first- or corresponding-author column was found among the authors.
enum Marked {
    Found,
    Added,
}

/// Marks the author named `name` as a first author (or, with `corresponding`, a corresponding author). The name is
/// compared with each author's name letters only, case folded, in either order ("Kim, Tae" is "Tae Kim"), and
/// initials match a given name that starts with them ("Kim T" is "Kim, Tae"). A name not among the authors is added
/// at the end of the list, marked.
fn mark_author(authors: &mut Vec<crate::record::Author>, name: &str, corresponding: bool) -> Marked {
    let wanted = parse_plain_name(name);
    let fold = |s: &Option<String>| -> String {
        s.as_deref().unwrap_or_default().chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    };
    let same = |a: &crate::record::Author| -> bool {
        let (wf, wg, wl) = (fold(&wanted.family), fold(&wanted.given), fold(&wanted.literal));
        let (af, ag, al) = (fold(&a.family), fold(&a.given), fold(&a.literal));
        let whole = |f: &str, g: &str, l: &str| if l.is_empty() { format!("{f}{g}") } else { l.to_owned() };
        let (w, x) = (whole(&wf, &wg, &wl), whole(&af, &ag, &al));
        if !w.is_empty() && (w == x || format!("{wg}{wf}") == x || format!("{ag}{af}") == w) {
            return true;
        }
        // Initials for a given name.
        !wf.is_empty() && wf == af && !wg.is_empty() && !ag.is_empty() && (ag.starts_with(&wg) || wg.starts_with(&ag))
    };
    let mark = |a: &mut crate::record::Author| {
        if corresponding {
            a.corresponding = true;
        } else {
            a.first = true;
        }
    };
    if let Some(a) = authors.iter_mut().find(|a| same(a)) {
        mark(a);
        return Marked::Found;
    }
    let mut a = wanted;
    mark(&mut a);
    authors.push(a);
    Marked::Added
}

/// The delimiter of a header line: comma, unless tabs or semicolons outnumber commas (quoted text not counted).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let (mut commas, mut tabs, mut semis, mut quoted) = (0, 0, 0, false);
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b'\t' if !quoted => tabs += 1,
            b';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// Non-blank parts of `v` split at any of `separators`.
fn split_list(v: &str, separators: &[char]) -> Vec<String> {
    v.split(separators).filter_map(non_empty).collect()
}

/// An author cell split into names: at `;` (ASCII or full-width) or line breaks; failing those, at commas when every
/// comma-separated part is a whole name ("Kim TH, Lee JH", "김철수, 이영희") rather than "Family, Given".
fn split_authors(v: &str) -> Vec<String> {
    let parts = split_list(v, &[';', '；', '\n']);
    if parts.len() != 1 {
        return parts;
    }
    let commas: Vec<String> = split_list(&parts[0], &[',', '，']);
    let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let whole_names = commas.len() >= 2
        && commas.iter().all(|p| p.contains(' ') || (hangul(p) && !p.chars().any(|c| c.is_ascii_alphabetic())));
    if whole_names { commas } else { parts }
}

/// Publication type from an English or Korean type name.
fn pub_type(v: &str) -> PubType {
    let k: String = v.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
    if has(&["학위", "thesis", "dissertation"]) {
        PubType::Thesis
    } else if has(&["학술대회", "학회", "conference", "proceedingspaper", "proceedingsarticle"]) {
        PubType::ConferencePaper
    } else if has(&["proceedings", "논문집"]) {
        PubType::Proceedings
    } else if has(&["보고서", "report"]) {
        PubType::Report
    } else if has(&["chapter", "챕터", "bookpart"]) {
        PubType::Chapter
    } else if has(&["book", "저서", "단행본", "역서"]) {
        PubType::Book
    } else if has(&["article", "journal", "학술지", "논문", "저널", "paper"]) {
        PubType::Article
    } else {
        PubType::Other(v.trim().to_lowercase())
    }
}

impl<R: BufRead> Iterator for CsvReader<R> {
    type Item = Result<Record, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let row = match self.next_row() {
                Ok(Some(row)) => row,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(ParseError::new(FORMAT, self.line + 1, None, ErrorKind::Io(e.to_string()))));
                }
            };
            let Some(delimiter) = self.delimiter else {
                if row.too_large {
                    self.done = true;
                    let what = format!("header row longer than {MAX_ROW_BYTES} bytes");
                    return Some(Err(ParseError::new(FORMAT, row.line, None, ErrorKind::TooLarge(what))));
                }
                if let Some(item) = self.header(row.line) {
                    return Some(item);
                }
                continue;
            };
            if row.too_large {
                self.records += 1;
                let what = format!("row longer than {MAX_ROW_BYTES} bytes (an unclosed quote?); skipped");
                return Some(Err(ParseError::new(FORMAT, row.line, Some(self.records), ErrorKind::TooLarge(what))));
            }
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .buffer_capacity(self.raw.len().clamp(64, 64 << 10))
                .from_reader(self.raw.as_slice());
            match csv.read_byte_record(&mut self.row) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    self.records += 1;
                    let kind = ErrorKind::Syntax(e.to_string());
                    return Some(Err(ParseError::new(FORMAT, row.line, Some(self.records), kind)));
                }
            }
            if self.row.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            self.records += 1;
            return Some(Ok(self.build(row.line)));
        }
        None
    }
}

/// Parses a whole CSV input, collecting records and errors (convenience for small inputs).
pub fn parse_csv_pubs<R: BufRead>(input: R) -> (Vec<Record>, Vec<ParseError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in CsvReader::new(input) {
        match item {
            Ok(r) => records.push(r),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_types_and_author_lists() {
        assert_eq!(column_for_header("Publication Year"), Some(Column::Year));
        assert_eq!(column_for_header(" 논문명 "), Some(Column::Title));
        assert_eq!(column_for_header("e-ISSN"), Some(Column::Eissn));
        assert_eq!(column_for_header("번호"), None);
        assert_eq!(pub_type("박사학위논문"), PubType::Thesis);
        assert_eq!(pub_type("국내학술대회 논문"), PubType::ConferencePaper);
        assert_eq!(pub_type("학술지 논문"), PubType::Article);
        assert_eq!(pub_type("Book Chapter"), PubType::Chapter);
        assert_eq!(pub_type("특허"), PubType::Other("특허".into()));
        assert_eq!(split_authors("Kim, Tae; Lee, Jung-Hoon"), ["Kim, Tae", "Lee, Jung-Hoon"]);
        assert_eq!(split_authors("Kim, Tae"), ["Kim, Tae"]);
        assert_eq!(split_authors("Kim TH, Lee JH"), ["Kim TH", "Lee JH"]);
        assert_eq!(split_authors("김철수, 이영희"), ["김철수", "이영희"]);
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1,2"), b'\t');
        assert_eq!(sniff_delimiter(b"a;b;\"c,d\"\n"), b';');
        assert_eq!(sniff_delimiter(b"title,year"), b',');
    }

    #[test]
    fn utf8_or_cp949() {
        assert!(looks_like_utf8("한글 제목 café".as_bytes()));
        assert!(looks_like_utf8(b"\xED\x95\x9C\xEA\xB8\x80\xED\x95\x9C\xEA\xB8\x80 \xE9"));
        assert!(!looks_like_utf8(b"\xED\x95\x9C\xEA\xB8\x80 \xE9"), "two valid characters are too few");
        let (cp949, _, _) = EUC_KR.encode("한글 제목과 저자 이름");
        assert!(!looks_like_utf8(&cp949));
        assert!(!looks_like_utf8(b"caf\xe9"));
    }

    #[test]
    fn cp949_is_detected_after_ascii_and_decoded_across_reads() {
        let (bytes, _, _) = EUC_KR.encode("title,year\n김철수 논문,2020\n");
        let mut text = String::new();
        let mut d = Decode::new(io::BufReader::with_capacity(3, &bytes[..]));
        d.read_to_string(&mut text).unwrap_or_default();
        assert_eq!(text, "title,year\n김철수 논문,2020\n");
        assert!(matches!(d.mode, Mode::Cp949(_)));
    }
}
