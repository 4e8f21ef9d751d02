//! Text from outside (server messages, file names, env values) is escaped before it
//! reaches a terminal, so a hostile server cannot move the cursor, recolour the screen
//! or hide text with bidi controls.

/// Bidi embedding, override and isolate controls, which can reorder what is shown.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Replaces control and bidi-override characters with visible escapes.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_bidi(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
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
}
