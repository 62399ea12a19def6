//! A minimal SVG writer: escaped text, accessible root element, and the shared layout helpers
//! (text width estimate, nice axis ticks).

use std::fmt::Write as _;

use crate::format::{display_width, trim_decimal};

/// Font stack for chart text: the font the PDF embeds first, then common Korean system fonts.
pub const FONT_FAMILY: &str = "'Noto Sans CJK KR', 'Noto Sans KR', NanumGothic, 'Nanum Gothic', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif";

pub(crate) const TEXT: &str = "#1f2937";
pub(crate) const MUTED: &str = "#6b7280";
pub(crate) const GRID: &str = "#e5e7eb";
pub(crate) const TRACK: &str = "#e5e7eb";
/// Colour-blind-safe series colours (Okabe–Ito based, darkened for contrast on white).
pub(crate) const PALETTE: [&str; 7] = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a7a7a"];

/// Escapes text for SVG element content and attribute values (`&`, `<`, `>`, `"`, `'`), and
/// drops characters XML 1.0 cannot carry (control characters other than tab, LF, CR).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal.
pub(crate) fn n(x: f64) -> String {
    trim_decimal(if x.is_finite() { x } else { 0.0 }, 1)
}

/// Estimated advance width of `s` at `size` px: wide (Hangul, CJK) ≈ 1 em, others ≈ 0.58 em.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            let w = display_width(c.encode_utf8(&mut [0; 4]));
            if w >= 2 { 1.0 } else { 0.58 * w as f64 }
        })
        .sum::<f64>()
        * size
}

/// Splits `s` at spaces into lines no wider than `max` px (a single long word stays whole).
pub(crate) fn wrap(s: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(last) if text_width(&format!("{last} {word}"), size) <= max => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Axis ticks from 0: a step of 1, 2, 2.5 or 5 × 10ᵏ giving at most `max_ticks` intervals.
/// Returns `(step, top)` with `top >= max`; integer steps when `integer`.
pub(crate) fn nice_ticks(max: f64, max_ticks: usize, integer: bool) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let rough = max / max_ticks.max(1) as f64;
    let mag = 10f64.powf(rough.log10().floor());
    let mut step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= rough).unwrap_or(10.0 * mag);
    if integer {
        step = step.ceil().max(1.0);
    }
    let top = (max / step).ceil() * step;
    (step, top)
}

pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(&self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Legend swatch kinds.
pub(crate) enum Swatch<'a> {
    Box(&'a str),
    Line(&'a str),
    Dashed(&'a str),
}

pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Opens an accessible SVG: `role="img"`, `aria-label` = title, `<title>` and `<desc>`.
    pub(crate) fn new(width: f64, height: f64, title: &str, desc: &str) -> Self {
        let mut out = String::with_capacity(4096);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" font-family="{f}" font-size="12" fill="{c}">"#,
            w = n(width),
            h = n(height),
            t = escape(title),
            f = escape(FONT_FAMILY),
            c = TEXT,
        );
        let _ = write!(out, "\n<title>{}</title>\n<desc>{}</desc>\n", escape(title), escape(desc));
        let _ =
            writeln!(out, r##"<rect class="background" width="{}" height="{}" fill="#ffffff"/>"##, n(width), n(height));
        Svg { out }
    }

    pub(crate) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A rectangle; with a `tip`, it carries a `<title>` (tooltip and accessible name).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rect(&mut self, class: &str, x: f64, y: f64, w: f64, h: f64, fill: &str, tip: Option<&str>) {
        let _ = write!(
            self.out,
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" fill="{fill}""#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        );
        match tip {
            Some(t) => {
                let _ = writeln!(self.out, "><title>{}</title></rect>", escape(t));
            }
            None => self.out.push_str("/>\n"),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn line(&mut self, class: &str, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = writeln!(
            self.out,
            r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}"/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            n(width)
        );
    }

    /// Text at (x, y) (baseline); `weight` 400 or 700.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        s: &str,
        size: f64,
        anchor: Anchor,
        weight: u16,
        fill: &str,
    ) {
        let _ = writeln!(
            self.out,
            r#"<text class="{class}" x="{}" y="{}" font-size="{}" text-anchor="{}" font-weight="{weight}" fill="{fill}">{}</text>"#,
            n(x),
            n(y),
            n(size),
            anchor.as_str(),
            escape(s)
        );
    }

    /// Several lines centred on `x`, the first baseline at `y`.
    pub(crate) fn text_lines(&mut self, class: &str, x: f64, y: f64, lines: &[String], size: f64, fill: &str) {
        let _ = write!(
            self.out,
            r#"<text class="{class}" x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{fill}">"#,
            n(x),
            n(y),
            n(size)
        );
        for (i, l) in lines.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { size * 1.25 };
            let _ = write!(self.out, r#"<tspan x="{}" dy="{}">{}</tspan>"#, n(x), n(dy), escape(l));
        }
        self.out.push_str("</text>\n");
    }

    /// The chart heading at the top left.
    pub(crate) fn heading(&mut self, x: f64, s: &str) {
        self.text("chart-title", x, 22.0, s, 15.0, Anchor::Start, 700, TEXT);
    }

    /// A horizontal legend starting at (x, y); returns the x after the last item.
    pub(crate) fn legend(&mut self, mut x: f64, y: f64, items: &[(Swatch, &str)]) -> f64 {
        self.raw(r#"<g class="legend">"#);
        for (swatch, label) in items {
            match swatch {
                Swatch::Box(c) => self.rect("legend-swatch", x, y - 9.0, 10.0, 10.0, c, None),
                Swatch::Line(c) => self.line("legend-swatch", x, y - 4.0, x + 14.0, y - 4.0, c, 2.5),
                Swatch::Dashed(c) => {
                    let _ = writeln!(
                        self.out,
                        r#"<line class="legend-swatch" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{c}" stroke-width="2" stroke-dasharray="4 3"/>"#,
                        n(x),
                        n(y - 4.0),
                        n(x + 14.0),
                        n(y - 4.0)
                    );
                }
            }
            let tx = x + 18.0;
            self.text("legend-label", tx, y, label, 11.0, Anchor::Start, 400, TEXT);
            x = tx + text_width(label, 11.0) + 16.0;
        }
        self.raw("</g>");
        x
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape(r#"<a & "b" 'c'>"#), "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;");
        assert_eq!(escape("논문\u{0007}"), "논문");
    }

    #[test]
    fn ticks() {
        assert_eq!(nice_ticks(150.0, 5, true), (50.0, 150.0));
        assert_eq!(nice_ticks(7.0, 5, true), (2.0, 8.0));
        assert_eq!(nice_ticks(1.0, 5, true), (1.0, 1.0));
        assert_eq!(nice_ticks(0.0, 5, true), (1.0, 1.0));
        let (step, top) = nice_ticks(1_552_000_000.0, 5, false);
        assert_eq!((step, top), (500_000_000.0, 2_000_000_000.0));
    }

    #[test]
    fn widths_and_wrapping() {
        assert_eq!(text_width("논문", 10.0), 20.0);
        assert!((text_width("ab", 10.0) - 11.6).abs() < 1e-9);
        assert_eq!(wrap("Transfers and startups", 12.0, 100.0), vec!["Transfers and", "startups"]);
        assert_eq!(wrap("", 12.0, 80.0), vec![""]);
    }
}
