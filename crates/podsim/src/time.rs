//! Virtual time: milliseconds since the scenario's start, plus the Go- and kubectl-style
//! duration texts Kubernetes prints. Nothing here reads the wall clock.

/// A point in virtual time, in milliseconds since the start of the run.
pub type SimTime = u64;

/// Milliseconds in one second, to keep arithmetic readable.
pub const SECOND_MS: u64 = 1_000;
/// Milliseconds in one minute.
pub const MINUTE_MS: u64 = 60 * SECOND_MS;

/// A Kubernetes count of seconds (an int64 field: a grace period, a sleep, a deadline) in virtual
/// milliseconds: a negative count is 0, and one too large for the clock saturates (an instant no
/// run reaches) instead of overflowing.
pub fn seconds_ms(seconds: i64) -> u64 {
    (seconds.max(0) as u64).saturating_mul(SECOND_MS)
}

/// The default wall-clock instant that virtual time 0 maps to (2026-01-01T00:00:00Z), in Unix ms.
/// Fixed so timestamps in the output are reproducible; overridable per scenario.
pub const DEFAULT_EPOCH_UNIX_MS: i64 = 1_767_225_600_000;

/// Formats a duration like Go's `time.Duration.String()` for whole milliseconds:
/// `0s`, `10s`, `1m20s`, `5m0s`, `1h0m0s`, `1.5s`, `250ms`.
pub fn go_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    if ms < SECOND_MS {
        return format!("{ms}ms");
    }
    let h = ms / 3_600_000;
    let m = (ms / MINUTE_MS) % 60;
    let s = (ms / SECOND_MS) % 60;
    let frac = ms % SECOND_MS;
    let secs = if frac == 0 {
        format!("{s}s")
    } else {
        let f = format!("{frac:03}");
        format!("{s}.{}s", f.trim_end_matches('0'))
    };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

/// kubectl's `HumanDuration` (k8s.io/apimachinery/pkg/util/duration), used for AGE and
/// "(10s ago)": `0s`…`119s`, then `2m` or `3m10s` below 10 minutes, then `10m`…,
/// `3h`, `2d5h`, `8d`, `2y`. Input in milliseconds.
pub fn human_duration(ms: i64) -> String {
    // Go's int(d.Seconds()) truncates toward zero.
    let seconds = ms / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{h}h", hours / 24);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// The short clock the page and narration show: `0s`, `42s`, `1m23s`, `1h2m3s`.
pub fn clock(ms: u64) -> String {
    let total = ms / SECOND_MS;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

/// RFC 3339 UTC text (second precision, `Z`), as Kubernetes serialises `metav1.Time`.
pub fn rfc3339(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// Parses RFC 3339 (`2026-01-01T00:00:00Z`, optional fraction, `Z` or `±hh:mm`) into Unix ms.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &t[19..];
    let mut ms = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        let padded = format!("{digits:0<3}");
        ms = padded[..3].parse().ok()?;
        rest = &frac[digits.len()..];
    }
    let offset_s = if rest == "Z" || rest == "z" {
        0
    } else {
        let sign = match rest.as_bytes().first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let oh: i64 = rest.get(1..3)?.parse().ok()?;
        let om: i64 = rest.get(4..6)?.parse().ok()?;
        sign * (oh * 3600 + om * 60)
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some((days * 86_400 + h * 3600 + mi * 60 + s - offset_s) * 1000 + ms)
}

// Howard Hinnant's civil calendar algorithms: exact for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_match_go() {
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(80_000), "1m20s");
        assert_eq!(go_duration(160_000), "2m40s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(go_duration(1_234), "1.234s");
        assert_eq!(go_duration(1_500), "1.5s");
        assert_eq!(go_duration(3_600_000), "1h0m0s");
    }

    #[test]
    fn human_durations_match_kubectl() {
        assert_eq!(human_duration(0), "0s");
        assert_eq!(human_duration(119_000), "119s");
        assert_eq!(human_duration(120_000), "2m");
        assert_eq!(human_duration(190_000), "3m10s");
        assert_eq!(human_duration(100 * 60_000), "100m");
        assert_eq!(human_duration(5 * 3_600_000 + 60_000), "5h1m");
        assert_eq!(human_duration(50 * 3_600_000), "2d2h");
        assert_eq!(human_duration(90 * 86_400_000), "90d");
        assert_eq!(human_duration(-5000), "<invalid>");
        assert_eq!(human_duration(-1500), "0s");
    }

    #[test]
    fn rfc3339_round_trips() {
        assert_eq!(rfc3339(DEFAULT_EPOCH_UNIX_MS), "2026-01-01T00:00:00Z");
        assert_eq!(parse_rfc3339("2026-01-01T00:00:00Z"), Some(DEFAULT_EPOCH_UNIX_MS));
        assert_eq!(parse_rfc3339("2026-01-01T01:00:00+01:00"), Some(DEFAULT_EPOCH_UNIX_MS));
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(parse_rfc3339("nonsense"), None);
    }
}
