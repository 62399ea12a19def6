//! LaTeX markup as found in BibTeX values → plain Unicode text.
//!
//! Handles accents in every spelling (`{\"o}`, `\"{o}`, `\"o`, `\'{\i}`, `\c{c}`, `\v s`), the special letters
//! (`\ss`, `\o`, `\ae`, `\l`, …), escaped specials (`\&`, `\%`, `\_`), dashes (`--`, `---`), ties (`~`), quotes,
//! inline math (`$\alpha$`), the common TeX logos, and drops braces and unknown formatting commands (keeping their
//! argument). It never fails: anything it does not understand is kept as text.

/// Precomposed letters for each accent command: pairs of (base, composed).
fn compose(accent: char, base: char) -> Option<char> {
    let table: &str = match accent {
        '\'' => "aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝcćCĆnńNŃsśSŚzźZŹlĺLĹrŕRŔgǵGǴ",
        '`' => "aàeèiìoòuùAÀEÈIÌOÒUÙnǹNǸ",
        '^' => "aâeêiîoôuûAÂEÊIÎOÔUÛcĉCĈgĝGĜhĥHĤjĵJĴsŝSŜwŵWŴyŷYŶ",
        '"' => "aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸ",
        '~' => "aãoõnñAÃOÕNÑiĩIĨuũUŨ",
        '=' => "aāeēiīoōuūAĀEĒIĪOŌUŪ",
        '.' => "zżZŻcċCĊeėEĖgġGĠIİ",
        'c' => "cçCÇsşSŞtţTŢgģGĢkķKĶlļLĻnņNŅrŗRŖ",
        'v' => "cčCČsšSŠzžZŽrřRŘeěEĚnňNŇdďDĎtťTŤ",
        'u' => "aăAĂgğGĞuŭUŬiĭIĬoŏOŎeĕEĔ",
        'H' => "oőOŐuűUŰ",
        'k' => "aąAĄeęEĘiįIĮuųUŲ",
        'r' => "aåAÅuůUŮ",
        _ => return None,
    };
    let mut it = table.chars();
    while let (Some(b), Some(c)) = (it.next(), it.next()) {
        if b == base {
            return Some(c);
        }
    }
    None
}

/// Combining mark used when no precomposed letter exists.
fn combining(accent: char) -> Option<char> {
    Some(match accent {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        'c' => '\u{327}',
        'v' => '\u{30C}',
        'u' => '\u{306}',
        'H' => '\u{30B}',
        'k' => '\u{328}',
        'r' => '\u{30A}',
        'd' => '\u{323}',
        'b' => '\u{331}',
        't' => '\u{361}',
        _ => return None,
    })
}

/// Control words that stand for a letter, symbol or logo.
fn word_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "SS" => "SS",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        "dj" => "đ",
        "DJ" => "Đ",
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteright" | "textquoteleft" => "'",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "ldots" | "dots" | "textellipsis" => "…",
        "S" => "§",
        "P" => "¶",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "pounds" => "£",
        "euro" => "€",
        "dag" => "†",
        "ddag" => "‡",
        "textdegree" | "degree" => "°",
        "times" => "×",
        "pm" => "±",
        "cdot" | "cdotp" => "·",
        "leq" | "le" => "≤",
        "geq" | "ge" => "≥",
        "neq" | "ne" => "≠",
        "approx" => "≈",
        "infty" => "∞",
        "to" | "rightarrow" => "→",
        "leftarrow" => "←",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" | "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" => "θ",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "rho" => "ρ",
        "sigma" => "σ",
        "tau" => "τ",
        "phi" | "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        "TeX" => "TeX",
        "LaTeX" => "LaTeX",
        "LaTeXe" => "LaTeX2e",
        "BibTeX" => "BibTeX",
        "AmSTeX" | "AMSTeX" => "AMS-TeX",
        "AmS" | "AMS" => "AMS",
        "MF" | "METAFONT" => "METAFONT",
        "MP" | "METAPOST" => "MetaPost",
        "eTeX" => "e-TeX",
        "pdfTeX" => "pdfTeX",
        "XeTeX" => "XeTeX",
        "LuaTeX" => "LuaTeX",
        "ConTeXt" => "ConTeXt",
        "TUB" => "TUGboat",
        "TUG" => "TUG",
        "SliTeX" => "SliTeX",
        "PiCTeX" => "PiCTeX",
        "slash" => "/",
        "quad" | "qquad" | "enspace" | "thinspace" | "space" | "nobreakspace" => " ",
        "par" | "newline" | "linebreak" => " ",
        _ => return None,
    })
}

/// Commands whose argument must be dropped entirely (sorting hacks).
fn drops_argument(name: &str) -> bool {
    matches!(name, "noopsort" | "sortkey" | "SortNoop" | "noop" | "hyphenation" | "label" | "index")
}

/// Converts LaTeX markup to plain Unicode text and collapses whitespace.
pub fn latex_to_unicode(input: &str) -> String {
    if !input.contains(['\\', '{', '}', '~', '$', '-', '`', '\'']) {
        return crate::util::collapse_ws(input);
    }
    let plain = without_commands(input).unwrap_or_else(|| with_commands(input));
    crate::util::collapse_ws(&plain)
}

/// The full conversion, character by character (whitespace not yet collapsed).
fn with_commands(input: &str) -> String {
    let chars: Vec<char> = input.chars().collect();
    let mut out = String::with_capacity(input.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' | '}' | '$' => i += 1,
            '~' => {
                out.push(' ');
                i += 1;
            }
            '-' => {
                let n = chars[i..].iter().take_while(|&&d| d == '-').count();
                out.push_str(match n {
                    1 => "-",
                    2 => "–",
                    _ => "—",
                });
                i += n;
            }
            '`' if chars.get(i + 1) == Some(&'`') => {
                out.push('“');
                i += 2;
            }
            '\'' if chars.get(i + 1) == Some(&'\'') => {
                out.push('”');
                i += 2;
            }
            '\\' => i = command(&chars, i + 1, &mut out),
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The common case of [`latex_to_unicode`], on bytes: text whose only markup is braces, `$`, `~` and single hyphens or
/// quotes (most titles and names are `{Title}`). `None` when there is a command, a dash (`--`) or a double quote
/// mark, for the full conversion. (Multi-byte UTF-8 never contains these ASCII bytes, so copying bytes is safe.)
fn without_commands(input: &str) -> Option<String> {
    let b = input.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => return None,
            b'-' | b'`' | b'\'' if b.get(i + 1) == Some(&b[i]) => return None,
            b'{' | b'}' | b'$' => {}
            b'~' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    // Only whole ASCII bytes were left out or replaced by ASCII, so `out` is still UTF-8.
    String::from_utf8(out).ok()
}

/// Reads one accent argument starting at `i`: `{x}`, `{\i}`, `x`, ` x`. Returns (base char, next index).
fn accent_argument(chars: &[char], mut i: usize) -> Option<(char, usize)> {
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let braced = chars.get(i) == Some(&'{');
    if braced {
        i += 1;
        while chars.get(i) == Some(&' ') {
            i += 1;
        }
    }
    let (base, mut next) = match chars.get(i)? {
        '\\' => {
            // \i, \j (dotless) or another control word used as base.
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && chars[j].is_ascii_alphabetic() {
                j += 1;
            }
            let name: String = chars[start..j].iter().collect();
            let base = match name.as_str() {
                "i" => 'i',
                "j" => 'j',
                _ => word_symbol(&name)?.chars().next()?,
            };
            while chars.get(j) == Some(&' ') && braced {
                j += 1;
            }
            (base, j)
        }
        '{' | '}' => return None,
        &c => (c, i + 1),
    };
    if braced {
        // Skip to the matching close brace (tolerate extra text inside).
        let mut depth = 1;
        while next < chars.len() && depth > 0 {
            match chars[next] {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            next += 1;
        }
    }
    Some((base, next))
}

/// Handles a command starting after the backslash at `i`; appends its text and returns the next index.
fn command(chars: &[char], i: usize, out: &mut String) -> usize {
    let Some(&c) = chars.get(i) else {
        return i;
    };
    // Control symbols.
    if !c.is_ascii_alphabetic() {
        if matches!(c, '\'' | '`' | '^' | '"' | '~' | '=' | '.') {
            if let Some((base, next)) = accent_argument(chars, i + 1) {
                push_accented(out, c, base);
                return next;
            }
            return i + 1;
        }
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => out.push(c),
            ' ' | ',' | ';' | ':' | '!' | '\\' | '\n' => out.push(' '),
            '-' | '/' | '@' => {}
            _ => out.push(c),
        }
        return i + 1;
    }
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    let name: String = chars[i..j].iter().collect();
    // Letter accents: \c{c}, \v s, \H{o}. A single-letter name followed by an argument.
    if name.len() == 1
        && combining(c).is_some()
        && !matches!(c, 'o' | 'O' | 'l' | 'L' | 'i' | 'j' | 'S' | 'P')
        && let Some((base, next)) = accent_argument(chars, j)
    {
        push_accented(out, c, base);
        return next;
    }
    // Verbatim-ish: \path|...|, \url{...}, \verb+...+
    if matches!(name.as_str(), "path" | "verb" | "url" | "href" | "nolinkurl") {
        if let Some(&delim) = chars.get(j) {
            let close = if delim == '{' { '}' } else { delim };
            if let Some(end) = chars[j + 1..].iter().position(|&d| d == close) {
                out.extend(&chars[j + 1..j + 1 + end]);
                return j + 2 + end;
            }
        }
        return j;
    }
    if drops_argument(&name) {
        let mut k = j;
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        if chars.get(k) == Some(&'{') {
            let mut depth = 0;
            while k < chars.len() {
                match chars[k] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return k + 1;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            return k;
        }
        return j;
    }
    // A control word swallows the spaces after it.
    let mut after = j;
    while chars.get(after) == Some(&' ') {
        after += 1;
    }
    if let Some(sym) = word_symbol(&name) {
        out.push_str(sym);
        // Keep one space if the word was used as a word (`\TeX is`), not as a letter (`\ss e`).
        if after > j && sym.chars().count() > 1 && after < chars.len() {
            out.push(' ');
        }
        return after;
    }
    // Unknown macro with an empty group, as logos are written (`\CSTUG{}` in tugboat.bib): keep its name.
    if chars.get(after) == Some(&'{') && chars.get(after + 1) == Some(&'}') {
        out.push_str(&name);
        return after + 2;
    }
    // Unknown command: formatting like \emph{..}, \textbf{..}, \em: drop the name, keep the argument.
    if chars.get(after) == Some(&'{') || name.len() <= 3 || name.starts_with("text") || name.ends_with("family") {
        return after;
    }
    // Unknown macro used as a word (a logo defined in a @preamble): keep its name as text.
    out.push_str(&name);
    if after > j {
        out.push(' ');
    }
    after
}

fn push_accented(out: &mut String, accent: char, base: char) {
    let base = match base {
        'ı' => 'i',
        'ȷ' => 'j',
        b => b,
    };
    match compose(accent, base) {
        Some(c) => out.push(c),
        None => {
            out.push(base);
            if let Some(m) = combining(accent) {
                out.push(m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::latex_to_unicode as l;
    use super::{with_commands, without_commands};

    /// The byte-level shortcut gives what the full conversion gives, wherever it applies.
    #[test]
    fn shortcut_agrees_with_full_conversion() {
        proptest::proptest!(|(s in "[{}$~`'a 김-]{0,10}")| {
            if let Some(fast) = without_commands(&s) {
                proptest::prop_assert_eq!(fast, with_commands(&s));
            }
        });
        assert_eq!(without_commands("{Title} of $x$~y"), Some("Title of x y".to_owned()));
        assert_eq!(without_commands("a--b"), None);
        assert_eq!(without_commands("\\'e"), None);
    }

    #[test]
    fn accents_in_all_spellings() {
        assert_eq!(l(r#"G{\"o}del"#), "Gödel");
        assert_eq!(l(r#"G\"{o}del"#), "Gödel");
        assert_eq!(l(r#"G\"odel"#), "Gödel");
        assert_eq!(l(r"Ren\'e"), "René");
        assert_eq!(l(r"{\'E}cole"), "École");
        assert_eq!(l(r"Stra{\ss}e"), "Straße");
        assert_eq!(l(r"Fran\c{c}ois"), "François");
        assert_eq!(l(r"Fran\c cois"), "François");
        assert_eq!(l(r"Ha\v{s}ek"), "Hašek");
        assert_eq!(l(r"Erd\H{o}s"), "Erdős");
        assert_eq!(l(r#"na\"{\i}ve"#), "naïve");
        assert_eq!(l(r"{\o}ystein {\AA}se {\L}ukasz"), "øystein Åse Łukasz");
        assert_eq!(l(r"\d{s}"), "s\u{323}");
        // From bibutils' xml2bib output of PubMed 399702.
        assert_eq!(l(r"Sura{\u{\i}}kina"), "Suraĭkina");
    }

    #[test]
    fn specials_dashes_math_and_braces() {
        assert_eq!(l(r"Smith \& Sons~Ltd"), "Smith & Sons Ltd");
        assert_eq!(l("pages 1--10 --- done"), "pages 1–10 — done");
        assert_eq!(l(r"The {DNA} of $\alpha$-helices in {{MRI}}"), "The DNA of α-helices in MRI");
        assert_eq!(l(r"$x^{2}$ and 50\%"), "x^2 and 50%");
        assert_eq!(l(r"\emph{Very} \textbf{bold}"), "Very bold");
        assert_eq!(l(r"The \TeX{}book and \LaTeX\ tips"), "The TeXbook and LaTeX tips");
        assert_eq!(l(r"{\noopsort{a}}Zeta"), "Zeta");
        // Both from tugboat.bib: a logo macro with an empty group, and escaped (literal) braces.
        assert_eq!(l(r"{{\CSTUG{}}}"), "CSTUG");
        assert_eq!(l(r"\{{Meta\} Font Forum redux}"), "{Meta} Font Forum redux");
        assert_eq!(l(r"e-mail: \path|bnb@math.ams.org|"), "e-mail: bnb@math.ams.org");
        assert_eq!(l("``quoted''"), "“quoted”");
        assert_eq!(l("a\n   b"), "a b");
    }

    #[test]
    fn never_fails_on_broken_markup() {
        for s in [r"\", r"\'", r#"{\""#, r"\c{", r"\path|x", "}}}{{", r"\'{\foo}"] {
            let _ = l(s);
        }
        assert_eq!(l(r"\c{"), "");
    }
}
