//! Helpers shared by the parsers: byte decoding, line counting, years, ISSNs, plain names.

use std::io::{self, BufRead, Read};

use crate::record::Author;

/// Decodes `bytes` as UTF-8; invalid sequences are read as Latin-1 (the usual wrong encoding of old files), so no
/// text is lost. Returns the text and the byte offset of the first invalid byte, if any.
pub(crate) fn decode_lossy(bytes: &[u8]) -> (String, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(e) => {
            let first = e.valid_up_to();
            let mut out = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                out.extend(chunk.invalid().iter().map(|&b| char::from(b)));
            }
            (out, Some(first))
        }
    }
}

/// [`decode_lossy`] without a copy when `bytes` are valid UTF-8 (almost always).
pub(crate) fn decode_lossy_cow(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), None),
        Err(_) => {
            let (s, bad) = decode_lossy(bytes);
            (std::borrow::Cow::Owned(s), bad)
        }
    }
}

/// [`non_empty`] of a value already owned: no new allocation when it is already collapsed.
pub(crate) fn non_empty_owned(s: String) -> Option<String> {
    if is_collapsed(s.as_bytes()) {
        return (!s.is_empty()).then_some(s);
    }
    non_empty(&s)
}

/// Number of `\n` in `bytes`.
pub(crate) fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// A [`BufRead`] adapter that counts the lines consumed through it, so that event-based parsers can say where they are.
pub(crate) struct LineCounter<R> {
    inner: R,
    newlines: u64,
}

impl<R: BufRead> LineCounter<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, newlines: 0 }
    }

    /// 1-based line of the next unread byte.
    pub(crate) fn line(&self) -> u64 {
        self.newlines + 1
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += count_newlines(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let amt2 = amt.min(buf.len());
            self.newlines += count_newlines(&buf[..amt2]);
        }
        self.inner.consume(amt);
    }
}

/// The text encoding of an input, sniffed from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Unknown,
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// A [`BufRead`] adapter that passes UTF-8 (and anything else) through unchanged, but transcodes UTF-16 input
/// (recognised by its byte-order mark, as Windows tools write "Unicode" exports) to UTF-8, streaming.
/// Unpaired surrogates become U+FFFD.
pub(crate) struct Utf16Aware<R> {
    inner: R,
    encoding: Encoding,
    out: Vec<u8>,
    pos: usize,
    odd: Option<u8>,
    high: Option<u16>,
}

impl<R: BufRead> Utf16Aware<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, encoding: Encoding::Unknown, out: Vec::new(), pos: 0, odd: None, high: None }
    }

    fn push_unit(&mut self, u: u16) {
        let mut push = |c: char| {
            let mut b = [0u8; 4];
            self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        };
        match (self.high.take(), u) {
            (None, 0xD800..=0xDBFF) => self.high = Some(u),
            (Some(h), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                push(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            (Some(_), 0xD800..=0xDBFF) => {
                push('\u{FFFD}');
                self.high = Some(u);
            }
            (Some(_), _) => {
                push('\u{FFFD}');
                push(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'));
            }
            (None, _) => push(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}')),
        }
    }
}

impl<R: BufRead> Read for Utf16Aware<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Utf16Aware<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.encoding == Encoding::Unknown {
            let head = self.inner.fill_buf()?;
            self.encoding = match head {
                [0xFF, 0xFE, ..] => Encoding::Utf16Le,
                [0xFE, 0xFF, ..] => Encoding::Utf16Be,
                _ => Encoding::Utf8,
            };
            if self.encoding != Encoding::Utf8 {
                self.inner.consume(2);
            }
        }
        if self.encoding == Encoding::Utf8 {
            return self.inner.fill_buf();
        }
        while self.pos >= self.out.len() {
            self.out.clear();
            self.pos = 0;
            let bytes = self.inner.fill_buf()?.to_vec();
            if bytes.is_empty() {
                if self.odd.take().is_some() || self.high.take().is_some() {
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                    continue;
                }
                break;
            }
            self.inner.consume(bytes.len());
            let mut it = self.odd.take().into_iter().chain(bytes);
            while let Some(a) = it.next() {
                let Some(b) = it.next() else {
                    self.odd = Some(a);
                    break;
                };
                let u = if self.encoding == Encoding::Utf16Le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                };
                self.push_unit(u);
            }
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        if self.encoding == Encoding::Utf8 {
            self.inner.consume(amt);
        } else {
            self.pos = (self.pos + amt).min(self.out.len());
        }
    }
}

/// The first plausible publication year (1000–2999, not part of a longer number) in `s`.
pub(crate) fn extract_year(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let y: i32 = s[start..i].parse().ok()?;
                if (1000..3000).contains(&y) {
                    return Some(y);
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

/// All ISSNs (`NNNN-NNNC`, hyphen optional) found in `s`, normalised to the hyphenated upper-case form.
pub(crate) fn extract_issns(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let ok_start = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if ok_start && chars[i].is_ascii_digit() {
            let mut digits = String::new();
            let mut j = i;
            while j < chars.len() && digits.len() < 8 {
                let c = chars[j];
                if c.is_ascii_digit() || (digits.len() == 7 && (c == 'X' || c == 'x')) {
                    digits.push(c.to_ascii_uppercase());
                } else if !(c == '-' && digits.len() == 4) {
                    break;
                }
                j += 1;
            }
            let ok_end = j >= chars.len() || !chars[j].is_ascii_alphanumeric();
            if digits.len() == 8 && ok_end {
                out.push(format!("{}-{}", &digits[..4], &digits[4..]));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The PMID in a PubMed URL (`…/pubmed/123`, `pubmed.ncbi.nlm.nih.gov/123`).
pub(crate) fn pmid_from_url(url: &str) -> Option<String> {
    let l = url.to_ascii_lowercase();
    let idx = l.find("pubmed.ncbi.nlm.nih.gov/").map(|i| i + 24).or_else(|| l.find("/pubmed/").map(|i| i + 8))?;
    let digits: String = l[idx..].chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// Expands MEDLINE's abbreviated page ranges: "123-33" → "123-133". Other forms are returned unchanged.
/// A letter prefix is repeated: "A1-7" → "A1-A7".
pub(crate) fn expand_pages(p: &str) -> String {
    if let Some((a, b)) = p.split_once('-')
        && !b.is_empty()
        && b.bytes().all(|c| c.is_ascii_digit())
    {
        let digits_at = a.find(|c: char| c.is_ascii_digit()).unwrap_or(a.len());
        let (prefix, num) = a.split_at(digits_at);
        if !num.is_empty() && num.bytes().all(|c| c.is_ascii_digit()) && prefix.chars().all(|c| c.is_ascii_alphabetic())
        {
            let keep = num.len().saturating_sub(b.len());
            return format!("{a}-{prefix}{}{b}", &num[..keep]);
        }
    }
    p.to_owned()
}

/// Collapses runs of whitespace into one space and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    if is_collapsed(s.as_bytes()) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether `collapse_ws` would return `s` unchanged, decided on bytes: ASCII only (other characters may be
/// Unicode spaces), no whitespace but single spaces between words, none at either end. Most field values are.
fn is_collapsed(s: &[u8]) -> bool {
    let mut prev_space = true;
    for &b in s {
        match b {
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0x80.. => return false,
            _ => prev_space = false,
        }
    }
    !prev_space || s.is_empty()
}

/// `Some(trimmed)` unless blank.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = collapse_ws(s);
    (!t.is_empty()).then_some(t)
}

/// Whether a note looks like a grant or funding acknowledgement.
pub(crate) fn looks_like_funding(s: &str) -> bool {
    let l = s.to_lowercase();
    ["grant", "fund", "supported by", "financial support", "sponsored by", "연구비", "지원"]
        .iter()
        .any(|k| l.contains(k))
}

/// Parses a plain (non-BibTeX) personal name: "Family, Given[, Suffix]", "Given Family", PubMed-style "Family GI",
/// or Korean-style "FAMILY Given" (the all-capitals token is the family name).
pub(crate) fn parse_plain_name(raw: &str) -> Author {
    let s = collapse_ws(raw);
    if s.is_empty() {
        return Author::default();
    }
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() >= 2 && !parts[0].is_empty() {
        let mut a = Author::person(parts[0], parts[1]);
        if parts.len() >= 3 {
            a.suffix = non_empty(&parts[2..].join(", "));
        }
        return a;
    }
    let toks: Vec<&str> = s.split(' ').collect();
    if toks.len() == 1 {
        return Author { family: Some(s), ..Author::default() };
    }
    let is_caps = |t: &str| t.chars().any(char::is_alphabetic) && !t.chars().any(char::is_lowercase);
    let last = toks[toks.len() - 1];
    // PubMed style "Kim TH": trailing initials block.
    if last.len() <= 3 && is_caps(last) && !is_caps(toks[0]) && last.chars().all(|c| c.is_ascii_uppercase()) {
        return Author::person(&toks[..toks.len() - 1].join(" "), last);
    }
    // "KIM Tae" — all-capitals first token, mixed-case rest.
    if toks[0].chars().count() > 1 && is_caps(toks[0]) && !toks[1..].iter().all(|t| is_caps(t)) {
        return Author::person(toks[0], &toks[1..].join(" "));
    }
    Author::person(last, &toks[..toks.len() - 1].join(" "))
}

/// `https://orcid.org/0000-0002-9557-268X` → `0000-0002-9557-268X`. Anything that is not 16 digits (the last may be
/// `X`) is returned trimmed, as found.
pub(crate) fn bare_orcid(s: &str) -> String {
    let t = s.trim();
    let t = t.trim_end_matches('/').rsplit('/').next().unwrap_or(t);
    let digits: String = t.chars().filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x').collect();
    if digits.len() == 16 {
        let d = digits.to_uppercase();
        format!("{}-{}-{}-{}", &d[..4], &d[4..8], &d[8..12], &d[12..])
    } else {
        t.to_owned()
    }
}

/// The first path segment shaped like an ORCID iD (`/0000-0002-1825-0097/work/733536` → `0000-0002-1825-0097`).
pub(crate) fn orcid_in_path(path: &str) -> Option<String> {
    path.split('/').find(|seg| is_orcid(seg)).map(str::to_owned)
}

/// Whether `s` is an ORCID iD in the hyphenated `0000-0002-1825-0097` form (the checksum is not verified).
pub(crate) fn is_orcid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 9 | 14 => c == b'-',
            18 => c.is_ascii_digit() || c == b'X' || c == b'x',
            _ => c.is_ascii_digit(),
        })
}

/// Longest tag [`strip_markup`] removes (MathML tags with attributes included).
const MAX_TAG_BYTES: usize = 4096;

/// Tags after which words are separated when the markup is removed.
const BLOCK_TAGS: &[&str] =
    &["p", "title", "sec", "list", "list-item", "li", "br", "div", "abstract", "label", "caption", "table", "tr", "td"];

/// Removes XML/HTML tags (`<i>`, `</jats:p>`, `<mml:math …>`) and decodes the five predefined entities and numeric
/// character references; whitespace is collapsed. A `<` not followed by a tag name (`p < 0.05`) is kept.
pub(crate) fn strip_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix('<') {
            let name_start = after.strip_prefix('/').unwrap_or(after);
            let is_tag = name_start.starts_with(|c: char| c.is_ascii_alphabetic());
            // Bounded look-ahead: text full of `<` must not make this quadratic.
            let end = tail.bytes().take(MAX_TAG_BYTES).position(|c| c == b'>');
            if let (true, Some(end)) = (is_tag, end) {
                // Block elements separate words; inline ones (`<i>`, `<sub>`, MathML tokens) do not.
                let name: String =
                    name_start.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-').collect();
                let local = name.rsplit(':').next().unwrap_or_default().to_ascii_lowercase();
                if BLOCK_TAGS.contains(&local.as_str()) {
                    out.push(' ');
                }
                rest = &tail[end + 1..];
                continue;
            }
            out.push('<');
            rest = &tail[1..];
        } else {
            let entity = tail[1..].bytes().take(12).position(|c| c == b';').map(|e| &tail[1..=e]);
            let decoded = entity.and_then(|e| match e {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let num = e.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            });
            match (decoded, entity) {
                (Some(c), Some(e)) => {
                    out.push(c);
                    rest = &tail[e.len() + 2..];
                }
                _ => {
                    out.push('&');
                    rest = &tail[1..];
                }
            }
        }
    }
    out.push_str(rest);
    collapse_ws(&out)
}

/// Page ranges with an ASCII hyphen: en dash, em dash, minus sign and the like become `-`, blanks around it go.
pub(crate) fn ascii_page_range(p: &str) -> String {
    let dashed: String = p
        .chars()
        .map(|c| if matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}' | '~' | '～') { '-' } else { c })
        .collect();
    match dashed.split_once('-') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => format!("{}-{}", a.trim(), b.trim()),
        _ => collapse_ws(&dashed),
    }
}

/// Moves the authors flagged as first (Crossref `sequence: first`, ORCID `contributor-sequence: first`) before the
/// others, keeping source order within each group. Returns whether the order changed.
pub(crate) fn first_authors_first(authors: &mut [(Author, bool)]) -> bool {
    let before: Vec<bool> = authors.iter().map(|(_, f)| *f).collect();
    authors.sort_by_key(|(_, first)| !*first);
    authors.iter().map(|(_, f)| *f).ne(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level shortcut of `collapse_ws` returns what splitting on Unicode whitespace returns.
    #[test]
    fn collapse_ws_shortcut_agrees() {
        let slow = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in [
            "",
            " ",
            "a",
            "a b",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "a\u{3000}b",
            "김 태",
            "\u{1c}a",
            "Kim, Tae-Hoon",
            "x\r",
            "\u{85}",
        ] {
            assert_eq!(collapse_ws(s), slow(s), "{s:?}");
        }
        proptest::proptest!(|(s in "[ a\t\u{a0}\u{3000}김\n]{0,12}")| {
            proptest::prop_assert_eq!(collapse_ws(&s), slow(&s));
        });
    }

    #[test]
    fn years_and_issns() {
        assert_eq!(extract_year("2020/01/15/"), Some(2020));
        assert_eq!(extract_year("1998 Dec-1999 Jan"), Some(1998));
        assert_eq!(extract_year("12345 99"), None);
        assert_eq!(extract_issns("1234-5678 (Print) 2345678x (Electronic)"), vec!["1234-5678", "2345-678X"]);
        assert!(extract_issns("978-0-12-345678-9").is_empty());
        assert_eq!(expand_pages("123-33"), "123-133");
        assert_eq!(expand_pages("87-5"), "87-85");
        assert_eq!(expand_pages("e123"), "e123");
        assert_eq!(expand_pages("1-10"), "1-10");
        assert_eq!(expand_pages("A1-7"), "A1-A7");
        assert_eq!(expand_pages("viii-xi"), "viii-xi");
        assert_eq!(expand_pages("58, 61"), "58, 61");
    }

    #[test]
    fn utf16_is_transcoded() {
        let text = "TY  - JOUR\nTI  - 김태 𝔸\nER  - \n";
        for le in [true, false] {
            let mut bytes = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
            for u in text.encode_utf16() {
                bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            // A reader that hands out 3 bytes at a time, to split code units and surrogate pairs.
            let chunked = io::BufReader::with_capacity(3, &bytes[..]);
            let mut out = String::new();
            Utf16Aware::new(chunked).read_to_string(&mut out).unwrap_or_default();
            assert_eq!(out, text);
        }
        let mut plain = String::new();
        Utf16Aware::new(&b"plain"[..]).read_to_string(&mut plain).unwrap_or_default();
        assert_eq!(plain, "plain");
    }

    #[test]
    fn decode_falls_back_to_latin1() {
        let (s, bad) = decode_lossy(b"caf\xe9 ok");
        assert_eq!(s, "café ok");
        assert_eq!(bad, Some(3));
    }

    #[test]
    fn markup_orcid_and_pages() {
        assert_eq!(
            strip_markup("<jats:p>The <i>BRCA1</i>, &amp; p &lt; 0.05 &#x3b1;</jats:p>"),
            "The BRCA1, & p < 0.05 α"
        );
        assert_eq!(strip_markup("<jats:title>A</jats:title><jats:p>B</jats:p>"), "A B");
        assert_eq!(strip_markup("p < 0.05 & q"), "p < 0.05 & q");
        assert_eq!(strip_markup("a &bogus; <"), "a &bogus; <");
        assert_eq!(bare_orcid("http://orcid.org/0000-0002-1825-0097/"), "0000-0002-1825-0097");
        assert_eq!(orcid_in_path("/0000-0002-1825-0097/work/733536").as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(orcid_in_path("/works"), None);
        assert_eq!(ascii_page_range("436 – 444"), "436-444");
        assert_eq!(ascii_page_range("e715"), "e715");
        let mut a = vec![(Author::literal("b"), false), (Author::literal("a"), true), (Author::literal("c"), false)];
        assert!(first_authors_first(&mut a));
        assert_eq!(a.iter().map(|(a, _)| a.display_name()).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(!first_authors_first(&mut a));
    }

    #[test]
    fn plain_names() {
        assert_eq!(parse_plain_name("Kim, Tae").family.as_deref(), Some("Kim"));
        assert_eq!(parse_plain_name("Tae Kim").family.as_deref(), Some("Kim"));
        assert_eq!(parse_plain_name("KIM Tae").family.as_deref(), Some("KIM"));
        let a = parse_plain_name("Kim TH");
        assert_eq!((a.family.as_deref(), a.given.as_deref()), (Some("Kim"), Some("TH")));
    }
}
