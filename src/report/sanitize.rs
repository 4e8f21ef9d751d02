//! One sanitiser for every string that comes from outside (server answers, file names
//! and contents, environment values, scenario files): a hostile value cannot move the
//! cursor, recolour the screen, reorder text with bidi or other format controls, break
//! an XML or Markdown document, or flood the output.
//!
//! Two layers, so a renderer cannot forget: [`untrusted`] where a value enters a message
//! (escaped and bounded in length), and a backstop over each rendered document
//! ([`text_document`], [`json_document`], [`markdown_document`], [`xml_char_ok`]) and
//! over stderr ([`for_stderr`]) that escapes whatever unsafe character is left.

/// The longest echo of an outside value: enough to recognise it, never a flood.
pub const MAX_ECHO_CHARS: usize = 200;

/// Bidi embedding, override, isolate and mark controls, which reorder what is shown.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Unicode format characters (general category Cf): invisible, and many of them change
/// how the text around them is shown (bidi marks, zero-width joiners, tag characters).
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}' | '\u{0890}'..='\u{0891}'
        | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}')
}

/// Noncharacters (U+FDD0–U+FDEF and the last two code points of every plane): XML
/// cannot hold U+FFFE/U+FFFF, and none of them belongs in a report.
fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// Every character that is escaped wherever it appears: C0 and C1 controls and DEL,
/// format characters (bidi included), line and paragraph separators, noncharacters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_format(c) || is_bidi(c) || matches!(c, '\u{2028}' | '\u{2029}') || is_noncharacter(c)
}

/// A visible escape for `c`: `\n`, `\t`, `\u{1b}`…
fn escape(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// Replaces every unsafe character (newlines too) with a visible escape.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) { escape(c, &mut out) } else { out.push(c) }
    }
    out
}

/// Cuts `text` to `max` characters, with an ellipsis and the full length when cut.
pub fn bound(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}… ({} characters in all)", &text[..end], text.chars().count()),
    }
}

/// An outside value as it may appear inside a message: escaped and at most
/// [`MAX_ECHO_CHARS`] characters.
pub fn untrusted(text: &str) -> String {
    for_terminal(&bound(text, MAX_ECHO_CHARS))
}

/// Escapes unsafe characters except the line breaks of a multi-line document; with
/// `keep_sgr`, the colour sequences (`ESC [ digits ; m`) a renderer added stay.
fn document(text: &str, keep_sgr: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if keep_sgr && c == '\u{1b}' { sgr_len(rest) } else { 0 };
        if len > 0 {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if c != '\n' && is_unsafe(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a Select Graphic Rendition sequence at the start of `text`, or 0.
fn sgr_len(text: &str) -> usize {
    let Some(params) = text.strip_prefix("\u{1b}[") else { return 0 };
    let digits = params.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
    if params.as_bytes().get(digits) == Some(&b'm') { 2 + digits + 1 } else { 0 }
}

/// The backstop over a rendered text report (colour sequences kept when `color`).
pub fn text_document(text: &str, color: bool) -> String {
    document(text, color)
}

/// The backstop over a rendered Markdown report.
pub fn markdown_document(text: &str) -> String {
    document(text, false)
}

/// The backstop over serialised JSON: serde escapes C0 but leaves DEL, C1 controls,
/// format characters and separators raw; they become `\uXXXX` escapes (surrogate pairs
/// above U+FFFF) — the same JSON value, but one no terminal or page can misshow.
pub fn json_document(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c != '\n' && is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// True when XML 1.0 can hold `c` as is.
pub fn xml_char_ok(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// stderr: every message is escaped like a document and bounded.
pub fn for_stderr(text: &str) -> String {
    document(&bound(text, 4 * MAX_ECHO_CHARS), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(for_terminal("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
        assert_eq!(for_terminal("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(for_terminal("plain ü"), "plain ü");
    }

    #[test]
    fn every_class_of_unsafe_character_is_escaped() {
        for c in ['\u{7f}', '\u{85}', '\u{9b}', '\u{61c}', '\u{200b}', '\u{2028}', '\u{feff}', '\u{fffe}', '\u{ffff}'] {
            assert!(is_unsafe(c), "{:x}", c as u32);
            assert!(!for_terminal(&format!("a{c}b")).contains(c));
        }
        for c in ['\u{e0041}', '\u{1fffe}', '\u{fdd0}', '\u{2067}'] {
            assert!(is_unsafe(c), "{:x}", c as u32);
        }
        for c in ['a', 'ü', '€', '😀', '\u{fffd}', '中'] {
            assert!(!is_unsafe(c), "{c}");
        }
    }

    #[test]
    fn documents_keep_their_lines_and_only_their_own_colours() {
        assert_eq!(text_document("a\n\u{1b}[1mb\u{1b}[0m\u{7}", true), "a\n\u{1b}[1mb\u{1b}[0m\\u{7}");
        assert_eq!(text_document("\u{1b}[1mb", false), "\\u{1b}[1mb");
        assert_eq!(text_document("\u{1b}]8;;x\u{7}", true), "\\u{1b}]8;;x\\u{7}");
    }

    #[test]
    fn json_backstop_keeps_the_value() {
        let value = "a\u{7f}\u{85}\u{9b}\u{202e}\u{e0041}";
        let escaped = json_document(&serde_json::to_string(value).unwrap());
        assert!(escaped.is_ascii(), "{escaped}");
        assert_eq!(serde_json::from_str::<String>(&escaped).unwrap(), value);
    }

    #[test]
    fn long_values_are_bounded() {
        let long = "k".repeat(900_000);
        let shown = untrusted(&long);
        assert!(shown.len() < 300, "{}", shown.len());
        assert!(shown.contains("900000 characters"));
        assert_eq!(bound("short", 10), "short");
    }
}
