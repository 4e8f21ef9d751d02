//! Fitting the text report into a terminal width: prose wrapped at spaces with a hanging
//! indent, and tables split into column blocks. A word is never broken, so a command, a
//! path or a URL longer than the line stays whole (it can be copied); only such a word
//! may overflow the width. Widths are counted in characters: the report's own text uses
//! single-width characters only (`·`, `→`, `—`, `°`).

/// Display width of `text` (characters; escape sequences are added after layout).
pub fn width(text: &str) -> usize {
    text.chars().count()
}

/// Wraps `text` into lines of at most `width` characters: the first line starts with
/// `first`, the following ones with `rest` (the hanging indent). Breaks only at spaces.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let needed = if empty { self::width(word) } else { 1 + self::width(word) };
        if !empty && self::width(&line) + needed > width {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

/// [`wrap`], joined with newlines and ending with one.
pub fn wrapped(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = wrap(text, width, first, rest).join("\n");
    out.push('\n');
    out
}

/// Splits columns of the given widths into consecutive blocks that each fit in `room`
/// (one space between columns); a column wider than `room` gets a block of its own.
pub fn column_blocks(widths: &[usize], room: usize) -> Vec<std::ops::Range<usize>> {
    let mut blocks = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, w) in widths.iter().enumerate() {
        if i > start && used + 1 + w > room {
            blocks.push(start..i);
            start = i;
            used = 0;
        }
        used += if i == start { *w } else { 1 + w };
    }
    if start < widths.len() {
        blocks.push(start..widths.len());
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_with_a_hanging_indent() {
        let lines = wrap("one two three four five six", 14, "  - ", "    ");
        assert_eq!(lines, ["  - one two", "    three four", "    five six"]);
        assert!(lines.iter().all(|l| width(l) <= 14));
    }

    #[test]
    fn a_long_word_is_never_broken() {
        let url = "https://www.kaggle.com/settings/api/some/very/long/path";
        let lines = wrap(&format!("open {url} now"), 20, "", "  ");
        assert_eq!(lines, ["open".to_string(), format!("  {url}"), "  now".to_string()]);
    }

    #[test]
    fn empty_text_gives_the_prefix() {
        assert_eq!(wrap("", 10, "> ", ""), ["> "]);
    }

    #[test]
    fn columns_split_into_blocks_that_fit() {
        assert_eq!(column_blocks(&[3, 3, 3], 11), vec![0..3; 1]);
        assert_eq!(column_blocks(&[3, 3, 3], 10), [0..2, 2..3]);
        assert_eq!(column_blocks(&[30, 3], 10), [0..1, 1..2]);
        assert!(column_blocks(&[], 10).is_empty());
    }
}
