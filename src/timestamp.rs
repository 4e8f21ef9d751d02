//! Timestamps as the official client reads them. The client parses
//! `access_token_expiration` (credentials.json) with Python's `datetime.fromisoformat`
//! (Python 3.11+), and what it does next depends on the *kind* of value it got: an
//! aware datetime compares with "now", a naive one (no UTC offset, or a date only)
//! raises `TypeError` when compared with an aware "now", and an unreadable one raises
//! `ValueError`. So [`parse_isoformat`] keeps the kind ([`Timestamp`]) and accepts
//! exactly what Python accepts — quirks included (`+0100`, `Z`, `2026-12-01`,
//! `20261201`, ISO week dates, `,` as decimal mark, any single character between
//! date and time, more than six fraction digits truncated); see docs/client-behaviour.md.
//!
//! It is a port of CPython's C parser (`Modules/_datetimemodule.c`), checked against
//! python3.11 case by case (the table in the tests). Years are four digits, so no
//! arithmetic here can overflow.
//!
//! Also the calendar arithmetic the crate needs (civil date ↔ days since the epoch) and
//! RFC 3339 formatting for the report's `generated_at`.

use std::fmt;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Formats Unix seconds as RFC 3339 UTC (`2026-11-28T03:00:00Z`).
pub fn rfc3339(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Wall-clock fields, as Python keeps them in a `datetime`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalDateTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub micros: u32,
}

impl LocalDateTime {
    /// Seconds since the epoch if these fields were UTC (fraction dropped).
    pub fn unix_as_utc(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day));
        days * 86_400 + i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
    }
}

/// What `datetime.fromisoformat` returns, by the kind the client's code cares about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timestamp {
    /// It carried a UTC offset (`Z`, `+01:00`, `+0100`, `-05`…): an instant.
    Aware {
        /// Whole seconds since 1970-01-01T00:00:00Z (floored).
        unix: i64,
        /// Microseconds past `unix`.
        micros: u32,
        /// The offset it was written with, in seconds east of UTC (its fraction dropped).
        offset_secs: i32,
    },
    /// A date and time without offset: a naive datetime.
    Naive(LocalDateTime),
    /// A date only (`2026-12-01`): Python reads it as a naive datetime at midnight.
    DateOnly(LocalDateTime),
}

impl Timestamp {
    /// Whether Python would compare it with an aware "now" without raising.
    pub fn is_aware(&self) -> bool {
        matches!(self, Timestamp::Aware { .. })
    }

    /// Seconds since the epoch; naive values are read as UTC.
    pub fn unix_assuming_utc(&self) -> i64 {
        match self {
            Timestamp::Aware { unix, .. } => *unix,
            Timestamp::Naive(local) | Timestamp::DateOnly(local) => local.unix_as_utc(),
        }
    }
}

/// The value is not one `datetime.fromisoformat` accepts (Python raises `ValueError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotIsoFormat;

impl fmt::Display for NotIsoFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an ISO 8601 date or date-time")
    }
}

impl std::error::Error for NotIsoFormat {}

/// Parses `text` exactly as Python 3.11+ `datetime.fromisoformat` does.
pub fn parse_isoformat(text: &str) -> Result<Timestamp, NotIsoFormat> {
    if text.chars().count() < 7 {
        return Err(NotIsoFormat);
    }
    let bytes = text.as_bytes();
    let sep = separator_at(bytes).ok_or(NotIsoFormat)?;
    let (year, month, day) = parse_date(Cursor::new(&bytes[..sep.min(bytes.len())]))?;
    if sep >= bytes.len() {
        return Ok(Timestamp::DateOnly(local_fields(year, month, day, [0, 0, 0], 0)?));
    }
    // The separator is any one character (Python: position-based, not value-based).
    let sep_len = text.get(sep..).and_then(|rest| rest.chars().next()).ok_or(NotIsoFormat)?.len_utf8();
    let time = parse_time(&bytes[sep + sep_len..])?;
    let local = local_fields(year, month, day, time.hms, time.micros)?;
    let Some((offset_secs, offset_micros)) = time.offset else { return Ok(Timestamp::Naive(local)) };
    let offset_total = i64::from(offset_secs) * 1_000_000 + i64::from(offset_micros);
    if offset_total.abs() >= 86_400 * 1_000_000 {
        return Err(NotIsoFormat); // timezone(): strictly within ±24 h
    }
    let total = local.unix_as_utc() * 1_000_000 + i64::from(local.micros) - offset_total;
    Ok(Timestamp::Aware { unix: total.div_euclid(1_000_000), micros: total.rem_euclid(1_000_000) as u32, offset_secs })
}

/// Validates the fields as `datetime(...)` does (year 1–9999, real day, hour < 24…).
fn local_fields(y: i64, m: i64, d: i64, hms: [i64; 3], micros: i64) -> Result<LocalDateTime, NotIsoFormat> {
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => return Err(NotIsoFormat),
    };
    let ok = (1..=9999).contains(&y)
        && (1..=days_in_month).contains(&d)
        && hms[0] < 24
        && hms[1] < 60
        && hms[2] < 60
        && micros < 1_000_000;
    let narrow = |v: i64| u8::try_from(v).map_err(|_| NotIsoFormat);
    ok.then_some(()).ok_or(NotIsoFormat)?;
    Ok(LocalDateTime {
        year: u16::try_from(y).map_err(|_| NotIsoFormat)?,
        month: narrow(m)?,
        day: narrow(d)?,
        hour: narrow(hms[0])?,
        minute: narrow(hms[1])?,
        second: narrow(hms[2])?,
        micros: u32::try_from(micros).map_err(|_| NotIsoFormat)?,
    })
}

/// Where the date ends (CPython's `_find_isoformat_datetime_separator`): the date forms
/// are told apart by characters 4 and 5.
fn separator_at(s: &[u8]) -> Option<usize> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let len = s.len();
    if len == 7 {
        return Some(7);
    }
    if at(4) == b'-' {
        if at(5) != b'W' {
            return Some(10); // YYYY-MM-DD
        }
        if len < 8 {
            return None;
        }
        if len > 8 && at(8) == b'-' {
            if len == 9 {
                return None;
            }
            // YYYY-Www-D, or YYYY-Www then a time after a '-' separator.
            return Some(if len > 10 && at(10).is_ascii_digit() { 8 } else { 10 });
        }
        return Some(8); // YYYY-Www
    }
    if at(4) == b'W' {
        // YYYYWww (7) or YYYYWwwD (8): count the digits that follow.
        let idx = (7..len).find(|&i| !at(i).is_ascii_digit()).unwrap_or(len);
        return Some(if idx < 9 {
            idx
        } else if idx % 2 == 0 {
            7
        } else {
            8
        });
    }
    Some(8) // YYYYMMDD
}

/// A position in NUL-terminated text, as the C parser sees it: reading past the end gives 0.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a [u8]) -> Self {
        Cursor { text, pos: 0 }
    }

    fn peek(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(0)
    }

    fn bump(&mut self) -> u8 {
        let c = self.peek();
        self.pos += 1;
        c
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Result<i64, NotIsoFormat> {
        let mut value = 0;
        for _ in 0..n {
            let c = self.bump();
            if !c.is_ascii_digit() {
                return Err(NotIsoFormat);
            }
            value = value * 10 + i64::from(c - b'0');
        }
        Ok(value)
    }
}

/// CPython's `parse_isoformat_date`: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-Www[-D]`, `YYYYWww[D]`.
fn parse_date(mut p: Cursor<'_>) -> Result<(i64, i64, i64), NotIsoFormat> {
    let year = p.digits(4)?;
    let uses_separator = p.peek() == b'-';
    if uses_separator {
        p.bump();
    }
    if p.peek() == b'W' {
        p.bump();
        let week = p.digits(2)?;
        let mut weekday = 1;
        if p.pos < p.text.len() {
            if uses_separator && p.bump() != b'-' {
                return Err(NotIsoFormat);
            }
            weekday = p.digits(1)?;
        }
        return iso_week_date(year, week, weekday);
    }
    let month = p.digits(2)?;
    if uses_separator && p.bump() != b'-' {
        return Err(NotIsoFormat);
    }
    Ok((year, month, p.digits(2)?))
}

/// The civil date of an ISO week date; week 53 only in years that have one.
fn iso_week_date(year: i64, week: i64, weekday: i64) -> Result<(i64, i64, i64), NotIsoFormat> {
    // Weekday of a day count, Monday = 0 (1970-01-01 was a Thursday).
    let weekday_of = |days: i64| (days + 3).rem_euclid(7);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let jan1 = weekday_of(days_from_civil(year, 1, 1));
    let has_53 = jan1 == 3 || (jan1 == 2 && leap);
    let week_exists = (1..=52).contains(&week) || (week == 53 && has_53);
    if !week_exists {
        return Err(NotIsoFormat);
    }
    if !(1..=7).contains(&weekday) {
        return Err(NotIsoFormat);
    }
    let jan4 = days_from_civil(year, 1, 4);
    let week1_monday = jan4 - weekday_of(jan4);
    Ok(civil_from_days(week1_monday + (week - 1) * 7 + weekday - 1))
}

/// The time part: clock fields, fraction, and the offset if one was written.
struct Time {
    hms: [i64; 3],
    micros: i64,
    offset: Option<(i32, i32)>,
}

/// CPython's `parse_isoformat_time`: the offset starts at the first `Z`, `+` or `-`.
fn parse_time(text: &[u8]) -> Result<Time, NotIsoFormat> {
    // The C loop inspects the first character even of an empty string.
    let tz = if text.is_empty() {
        1
    } else {
        text.iter().position(|c| matches!(c, b'Z' | b'+' | b'-')).unwrap_or(text.len())
    };
    let clock = Cursor::new(text);
    let (hms, micros, trailing) = parse_clock(clock, tz)?;
    if tz >= text.len() {
        return if trailing { Err(NotIsoFormat) } else { Ok(Time { hms, micros, offset: None }) };
    }
    if text[tz] == b'Z' {
        return if tz + 1 == text.len() { Ok(Time { hms, micros, offset: Some((0, 0)) }) } else { Err(NotIsoFormat) };
    }
    let sign = if text[tz] == b'-' { -1 } else { 1 };
    let offset = Cursor { text, pos: tz + 1 };
    let ([h, m, s], offset_micros, trailing) = parse_clock(offset, text.len())?;
    if trailing {
        return Err(NotIsoFormat);
    }
    let secs = i32::try_from(sign * (h * 3600 + m * 60 + s)).map_err(|_| NotIsoFormat)?;
    let micros_part = i32::try_from(sign * offset_micros).map_err(|_| NotIsoFormat)?;
    Ok(Time { hms, micros, offset: Some((secs, micros_part)) })
}

/// CPython's `parse_hh_mm_ss_ff` between `p` and `end`: `HH[[:]MM[[:]SS[(.|,)f…]]]`.
/// Returns the fields, microseconds, and whether anything followed (the caller decides
/// if that is an error, as the C code does).
fn parse_clock(mut p: Cursor<'_>, end: usize) -> Result<([i64; 3], i64, bool), NotIsoFormat> {
    let mut vals = [0i64; 3];
    let mut has_separator = true;
    for i in 0..3 {
        vals[i] = p.digits(2)?;
        let c = p.bump();
        if i == 0 {
            has_separator = c == b':';
        }
        if p.pos >= end {
            return Ok((vals, 0, c != 0));
        }
        if has_separator && c == b':' {
            continue;
        }
        if c == b'.' || c == b',' {
            break;
        }
        if has_separator {
            return Err(NotIsoFormat);
        }
        p.pos -= 1;
    }
    // Up to six fraction digits, all required; further digits are dropped.
    let wanted = (end - p.pos).min(6);
    let digits = p.digits(wanted)?;
    let micros = digits * 10i64.pow(6 - wanted as u32);
    while p.peek().is_ascii_digit() {
        p.pos += 1;
    }
    Ok((vals, micros, p.peek() != 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aware(unix: i64, micros: u32, offset_secs: i32) -> Result<Timestamp, NotIsoFormat> {
        Ok(Timestamp::Aware { unix, micros, offset_secs })
    }

    fn local(year: u16, month: u8, day: u8, hms: [u8; 3], micros: u32) -> LocalDateTime {
        let [hour, minute, second] = hms;
        LocalDateTime { year, month, day, hour, minute, second, micros }
    }

    fn naive(y: u16, mo: u8, d: u8, hms: [u8; 3], us: u32) -> Result<Timestamp, NotIsoFormat> {
        Ok(Timestamp::Naive(local(y, mo, d, hms, us)))
    }

    fn date(y: u16, mo: u8, d: u8) -> Result<Timestamp, NotIsoFormat> {
        Ok(Timestamp::DateOnly(local(y, mo, d, [0, 0, 0], 0)))
    }

    /// Every expected value was printed by python3.11's `datetime.fromisoformat`.
    #[test]
    fn agrees_with_python_fromisoformat() {
        let no = Err(NotIsoFormat);
        let cases = [
            ("2026-11-28T03:00:00Z", aware(1_795_834_800, 0, 0)),
            ("2026-11-28T03:00:00z", no),
            ("2026-11-28T04:00:00+01:00", aware(1_795_834_800, 0, 3600)),
            ("2026-11-28T04:00:00+0100", aware(1_795_834_800, 0, 3600)),
            ("2026-11-28T04:00:00+01", aware(1_795_834_800, 0, 3600)),
            ("2026-11-28T02:00:00-01:00", aware(1_795_834_800, 0, -3600)),
            ("2026-11-28T02:00:00-0100", aware(1_795_834_800, 0, -3600)),
            ("2026-11-28T03:00:00-00:00", aware(1_795_834_800, 0, 0)),
            ("2026-11-28T12:34:56.789-05:30", aware(1_795_889_096, 789_000, -19_800)),
            ("2026-11-28T03:00:00+01:30:15", aware(1_795_829_385, 0, 5415)),
            ("2026-11-28T03:00:00+01:30:15.5", aware(1_795_829_384, 500_000, 5415)),
            ("2026-11-28T03:00:00+01:00:00.123456", aware(1_795_831_199, 876_544, 3600)),
            ("2026-11-28T03:00:00+01:99", aware(1_795_825_260, 0, 9540)),
            ("2026-11-28T03:00:00+23:59:59.999999", aware(1_795_748_400, 1, 86_399)),
            ("2026-11-28T03:00:00+99:00", no),
            ("2026-11-28T03:00:00+24", no),
            ("2026-11-28T03:00:00+24:00", no),
            ("2026-11-28T03:00:00+00", aware(1_795_834_800, 0, 0)),
            ("2026-11-28T03:00:00+0", no),
            ("2026-11-28T03:00:00+01:0", no),
            ("2026-11-28T03:00:00+1:00", no),
            ("2026-11-28T03:00:00+01:00:", no),
            ("2026-11-28T03:00:00-", no),
            ("2026-11-28T03:00:00Z+01:00", no),
            ("2026-11-28T03:00:00+01:00Z", no),
            ("2026-11-28T03:00:00ZZ", no),
            ("2026-11-28T03:00:00Z ", no),
            ("2026-11-28T03:00Z", aware(1_795_834_800, 0, 0)),
            ("2026-11-28T03Z", aware(1_795_834_800, 0, 0)),
            ("2026-11-28TZ", no),
            ("2026-11-28T+01:00", no),
            ("20261128T030000Z", aware(1_795_834_800, 0, 0)),
            ("2026-11-28 03:00:00+00:00", aware(1_795_834_800, 0, 0)),
            ("2026-11-28x03:00:00", naive(2026, 11, 28, [3, 0, 0], 0)),
            ("2026-11-28\u{422}03:00:00", naive(2026, 11, 28, [3, 0, 0], 0)),
            ("2026-11-28T03:00:00", naive(2026, 11, 28, [3, 0, 0], 0)),
            ("2026-11-28T03", naive(2026, 11, 28, [3, 0, 0], 0)),
            ("2026-11-28T0300", naive(2026, 11, 28, [3, 0, 0], 0)),
            ("2026-11-28T03:00", naive(2026, 11, 28, [3, 0, 0], 0)),
            ("2026-11-28T030000", naive(2026, 11, 28, [3, 0, 0], 0)),
            ("2026-11-28T0300:00", no),
            ("2026-11-28T03:0000", no),
            ("2026-11-28T3:00:00", no),
            ("2026-11-28T", no),
            ("2026-11-28T03:00:00.123456Z", aware(1_795_834_800, 123_456, 0)),
            ("2026-11-28T03:00:00.123Z", aware(1_795_834_800, 123_000, 0)),
            ("2026-11-28T03:00:00.1234567Z", aware(1_795_834_800, 123_456, 0)),
            ("2026-11-28T03:00:00.000000001+00:00", aware(1_795_834_800, 0, 0)),
            ("2026-11-28T03:00:00,5Z", aware(1_795_834_800, 500_000, 0)),
            ("2026-11-28T03:00:00.Z", aware(1_795_834_800, 0, 0)),
            ("2026-11-28T03:00:00.+01:00", aware(1_795_831_200, 0, 3600)),
            ("2026-11-28T03:00:00.1234567x+01:00", aware(1_795_831_200, 123_456, 3600)),
            ("2026-11-28T03:00:00.12345678901234", naive(2026, 11, 28, [3, 0, 0], 123_456)),
            ("2026-11-28T03:00:00:123", naive(2026, 11, 28, [3, 0, 0], 123_000)),
            ("2026-11-28T030000123", naive(2026, 11, 28, [3, 0, 0], 123_000)),
            ("2026-11-28T03:00.5", naive(2026, 11, 28, [3, 0, 0], 500_000)),
            ("2026-11-28T03.5", naive(2026, 11, 28, [3, 0, 0], 500_000)),
            ("2026-11-28T03:00:00.", no),
            ("2026-11-28T03:00:00.123,", no),
            ("2026-11-28T03:00:00 ", no),
            ("2026-11-28T24:00:00", no),
            ("2026-11-28T23:59:60", no),
            ("2026-11-28T03:60:00", no),
            ("2026-12-01", date(2026, 12, 1)),
            ("20261201", date(2026, 12, 1)),
            ("2024-02-29", date(2024, 2, 29)),
            ("2026-02-29", no),
            ("2026-11-31", no),
            ("2026-13-01", no),
            ("2026-1-28", no),
            ("2026-001", no),
            ("2026-W48-6", date(2026, 11, 28)),
            ("2026W486", date(2026, 11, 28)),
            ("2026-W48", date(2026, 11, 23)),
            ("2026-W53-1", date(2026, 12, 28)),
            ("2020-W53-7", date(2021, 1, 3)),
            ("2026-W00-1", no),
            ("2026-W01-0", no),
            ("2026-W01-8", no),
            ("2026W4812", no),
            ("2026-W48-", no),
            ("2026-W48x10:00", naive(2026, 11, 23, [10, 0, 0], 0)),
            ("2026-W48-6T10:00", naive(2026, 11, 28, [10, 0, 0], 0)),
            ("2026W486T10:00", naive(2026, 11, 28, [10, 0, 0], 0)),
            ("2026W48T10", naive(2026, 11, 23, [10, 0, 0], 0)),
            ("2026-W48-10:00", naive(2026, 11, 23, [10, 0, 0], 0)),
            ("9999-W52-7", no),
            ("0000-W52-7", no),
            ("0000-01-01", no),
            ("0001-01-01T00:00:00+23:59", aware(-62_135_683_140, 0, 86_340)),
            ("9999-12-31T23:59:59-23:59", aware(253_402_387_139, 0, -86_340)),
            ("99999-01-01", no),
            ("+2026-01-01", no),
            (" 2026-11-28", no),
            ("", no),
            ("soon", no),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_isoformat(text), expected, "{text:?}");
        }
    }

    #[test]
    fn kinds_tell_the_caller_what_python_would_do() {
        let aware = parse_isoformat("2026-11-28T03:00:00Z").unwrap();
        assert!(aware.is_aware());
        let naive = parse_isoformat("2026-11-28T03:00:00").unwrap();
        assert!(!naive.is_aware());
        assert_eq!(naive.unix_assuming_utc(), aware.unix_assuming_utc());
        assert_eq!(parse_isoformat("2026-11-28").unwrap().unix_assuming_utc(), 1_795_824_000);
    }

    #[test]
    fn formats_rfc3339_and_round_trips_civil_dates() {
        assert_eq!(rfc3339(784_111_777), "1994-11-06T08:49:37Z");
        for days in [-719_468, -1, 0, 59, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
