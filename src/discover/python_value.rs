//! A kaggle.json value as Python holds it after `json.load`, and its `str()`.
//!
//! The official clients read kaggle.json with Python's `json` module and hand `username`,
//! `key` and `token` to their HTTP layer without checking their type; requests sends the
//! `str()` of a value that is not a string (`1.5`, `True`, `None`, `[1]`…), and whether a
//! value counts at all is Python's truthiness (`0`, `0.0`, `false`, `null`, `[]`, `{}` are
//! false). docs/client-behaviour.md ("kaggle.json values that are not strings") says what
//! each client version does with them.
//!
//! Values are read from their raw JSON text, not from serde_json's numbers: Python keeps
//! every digit of an integer of any size, reads `1e400` as `inf` (serde_json refuses it),
//! and spells floats the way `repr()` does (shortest round trip; `1e+16`, `1e-05`,
//! `1.0`), which is not serde_json's spelling.

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::value::RawValue;

/// How deep values may nest: serde_json's own limit (Python's is higher, but a value
/// nested this deep is no credential).
const MAX_DEPTH: usize = 128;

/// A JSON value as Python's `json.load` builds it.
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    /// `null`.
    None,
    /// `true`/`false`.
    Bool(bool),
    /// An integer, as Python prints it (every digit, no `-0`).
    Int(String),
    /// A number with a fraction or an exponent (`1e400` is `inf`).
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    List(Vec<PyValue>),
    /// An object: keys in first-seen order, a repeated key keeps its first place and its
    /// last value (a Python dict being filled in).
    Dict(Vec<(String, PyValue)>),
}

impl PyValue {
    /// Parses one JSON value from its text.
    pub fn parse(raw: &str) -> Result<PyValue, serde_json::Error> {
        PyValue::parse_within(raw, MAX_DEPTH)
    }

    fn parse_within(raw: &str, depth: usize) -> Result<PyValue, serde_json::Error> {
        let Some(depth) = depth.checked_sub(1) else {
            return Err(serde_json::Error::custom("nested too deeply"));
        };
        let text = raw.trim_matches([' ', '\t', '\n', '\r']);
        Ok(match text.as_bytes().first() {
            Some(b'"') => PyValue::Str(serde_json::from_str(text)?),
            Some(b'[') => {
                let items: Vec<&RawValue> = serde_json::from_str(text)?;
                let items = items.into_iter().map(|i| PyValue::parse_within(i.get(), depth));
                PyValue::List(items.collect::<Result<_, _>>()?)
            }
            Some(b'{') => PyValue::Dict(dict(pairs(text)?, depth)?),
            Some(b'n' | b't' | b'f') => match serde_json::from_str::<Option<bool>>(text)? {
                None => PyValue::None,
                Some(b) => PyValue::Bool(b),
            },
            _ => number(serde_json::from_str::<&RawValue>(text)?.get())?,
        })
    }

    /// The value's type, as a person would name it.
    pub fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "null",
            PyValue::Bool(_) => "a boolean",
            PyValue::Int(_) | PyValue::Float(_) => "a number",
            PyValue::Str(_) => "a string",
            PyValue::List(_) => "an array",
            PyValue::Dict(_) => "an object",
        }
    }

    /// Python's truthiness: false for `None`, `False`, zero, and empty strings, lists and
    /// dicts.
    pub fn truthy(&self) -> bool {
        match self {
            PyValue::None => false,
            PyValue::Bool(b) => *b,
            PyValue::Int(digits) => digits != "0",
            PyValue::Float(x) => *x != 0.0,
            PyValue::Str(s) => !s.is_empty(),
            PyValue::List(items) => !items.is_empty(),
            PyValue::Dict(items) => !items.is_empty(),
        }
    }

    /// Python's `str()`: a string is itself, anything else its `repr()`.
    pub fn str(&self) -> String {
        match self {
            PyValue::Str(s) => s.clone(),
            other => other.repr(),
        }
    }

    /// Python's `repr()`.
    pub fn repr(&self) -> String {
        match self {
            PyValue::None => "None".into(),
            PyValue::Bool(true) => "True".into(),
            PyValue::Bool(false) => "False".into(),
            PyValue::Int(digits) => digits.clone(),
            PyValue::Float(x) => float_repr(*x),
            PyValue::Str(s) => str_repr(s),
            PyValue::List(items) => format!("[{}]", items.iter().map(PyValue::repr).collect::<Vec<_>>().join(", ")),
            PyValue::Dict(items) => {
                let items: Vec<String> = items.iter().map(|(k, v)| format!("{}: {}", str_repr(k), v.repr())).collect();
                format!("{{{}}}", items.join(", "))
            }
        }
    }
}

/// An object's members in file order, values unparsed (repeats included).
pub fn pairs(text: &str) -> Result<Vec<(String, &RawValue)>, serde_json::Error> {
    Ok(serde_json::from_str::<Pairs>(text)?.0)
}

/// The members as Python's dict keeps them: first place, last value.
fn dict(pairs: Vec<(String, &RawValue)>, depth: usize) -> Result<Vec<(String, PyValue)>, serde_json::Error> {
    let mut items: Vec<(String, PyValue)> = Vec::with_capacity(pairs.len());
    for (key, raw) in pairs {
        let value = PyValue::parse_within(raw.get(), depth)?;
        match items.iter_mut().find(|(k, _)| *k == key) {
            Some(item) => item.1 = value,
            None => items.push((key, value)),
        }
    }
    Ok(items)
}

/// An object's members in file order (serde_json's own map sorts them and drops repeats).
struct Pairs<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Pairs<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Pairs<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(Pairs(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// A JSON number as Python reads it: `int` without a fraction or exponent, else `float`.
fn number(text: &str) -> Result<PyValue, serde_json::Error> {
    if text.contains(['.', 'e', 'E']) {
        // Both parsers round correctly; out of range is ±inf for both.
        let x = text.parse::<f64>().map_err(|_| serde_json::Error::custom("not a number"))?;
        return Ok(PyValue::Float(x));
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    let zero = digits.bytes().all(|b| b == b'0');
    Ok(PyValue::Int(if zero { "0".into() } else { text.to_string() }))
}

/// `repr(float)`: the shortest digits that read back as `x`, laid out as Python does —
/// positional for exponents -4..16 (always with a fraction: `1.0`), else scientific with
/// a signed exponent of at least two digits (`1e+16`, `1.5e-07`).
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // Rust's `{:e}` is the shortest round-trip form too: "-1.2345e-5".
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').expect("LowerExp has an exponent");
    let exp: i32 = exp.parse().expect("LowerExp's exponent is an integer");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if x < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1;
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else {
            let point = point as usize;
            let whole = format!("{digits:0<point$}");
            let (int, frac) = whole.split_at(point);
            format!("{int}.{}", if frac.is_empty() { "0" } else { frac })
        };
        return format!("{sign}{body}");
    }
    let (first, rest) = digits.split_at(1);
    let mantissa = if rest.is_empty() { first.to_string() } else { format!("{first}.{rest}") };
    format!("{sign}{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// `repr(str)`: single quotes unless the text holds `'` and no `"`; backslash escapes for
/// the quote, `\`, `\t`, `\n`, `\r`; `\xNN`, `\uNNNN`, `\UNNNNNNNN` for what Python does
/// not print.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable()` for one character: false for controls, format characters,
/// separators other than the space, private use and non-characters. Exact for Latin-1;
/// beyond it the common separators and format characters are listed, and any other
/// character counts as printable (an unassigned code point would not; such a key is not
/// one anyone types).
fn printable(c: char) -> bool {
    let n = c as u32;
    match n {
        0x20..=0x7e => true,
        0..=0xa0 | 0xad => false,
        0xa1..=0xff => true,
        0x1680 | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f | 0x3000 => false,
        0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x110bd | 0x1d173..=0x1d17a => false,
        0xfeff | 0xfff9..=0xfffb | 0xe0001 | 0xe0020..=0xe007f => false,
        0xe000..=0xf8ff | 0xf0000.. => false,
        0xfdd0..=0xfdef => false,
        _ => n & 0xfffe != 0xfffe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (JSON text, Python's `str(json.loads(text))`, `bool(json.loads(text))`), as
    /// CPython 3.11 printed them.
    const PYTHON: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/python/str-cases.json"));

    #[test]
    fn str_and_truthiness_agree_with_python() {
        let cases: Vec<(String, String, bool)> = serde_json::from_str(PYTHON).unwrap();
        assert!(cases.len() > 40);
        for (json, text, truthy) in cases {
            let value = PyValue::parse(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(value.str(), text, "str({json})");
            assert_eq!(value.truthy(), truthy, "bool({json})");
        }
    }

    #[test]
    fn floats_are_spelled_as_python_repr_does() {
        let cases = [
            (1.5, "1.5"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-7, "-2.5e-07"),
            (1e100, "1e+100"),
            (123.0, "123.0"),
            (-0.5, "-0.5"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "5e-324"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (x, text) in cases {
            assert_eq!(float_repr(x), text, "{x:e}");
        }
    }

    #[test]
    fn strings_in_containers_are_quoted_as_python_repr_does() {
        assert_eq!(str_repr("a"), "'a'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(str_repr("tab\there\u{1b}"), "'tab\\there\\x1b'");
        assert_eq!(str_repr("\u{85}é\u{2028}中\u{10ffff}"), "'\\x85é\\u2028中\\U0010ffff'");
    }

    #[test]
    fn numbers_keep_what_serde_json_loses() {
        let big = "-98765432109876543210987654321";
        assert_eq!(PyValue::parse(big).unwrap().str(), big);
        assert_eq!(PyValue::parse("1e400").unwrap(), PyValue::Float(f64::INFINITY));
        assert_eq!(PyValue::parse("-0").unwrap().str(), "0");
        assert!(PyValue::parse("1.5.5").is_err());
        assert!(PyValue::parse("[1,]").is_err());
        assert!(PyValue::parse("nul").is_err());
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(PyValue::parse(&deep(100)).is_ok());
        assert!(PyValue::parse(&deep(100_000)).is_err(), "refused, not a stack overflow");
    }

    #[test]
    fn members_keep_file_order_and_repeats() {
        let members = pairs(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        let keys: Vec<&str> = members.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(PyValue::parse(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap().str(), "{'b': 3, 'a': 2}");
    }
}
