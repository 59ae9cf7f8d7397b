//! Small pure helpers shared by the interpreter and the commands: path arithmetic, glob
//! matching, the `date` formatter, number and size parsing, URLs and HTTP reason phrases.
//!
//! All of them are total functions: they never panic and never loop without bound, whatever
//! text a script feeds them (the glob matcher is the linear-time two-pointer algorithm, not a
//! backtracking one, so `*a*a*a*a*b` against a long name stays cheap).

/// Joins `path` onto `cwd` (unless absolute) and normalises `.`, `..` and repeated slashes.
pub(crate) fn resolve_path(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for comp in joined.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `basename` of a path (`/a/b/` → `b`, `/` → `/`).
pub(crate) fn basename(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { String::new() } else { "/".to_string() };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// `dirname` of a path (`/a/b` → `/a`, `b` → `.`).
pub(crate) fn dirname(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.starts_with('/') { "/".to_string() } else { ".".to_string() };
    }
    match trimmed.rfind('/') {
        None => ".".to_string(),
        Some(i) => {
            let d = trimmed[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".to_string()
            } else {
                d.to_string()
            }
        }
    }
}

/// Escapes glob metacharacters so quoted text matches itself.
pub(crate) fn escape_glob(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether a pattern (with `\`-escapes) contains an active glob character.
pub(crate) fn has_glob(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

/// Removes the `\` escapes of a pattern.
pub(crate) fn unescape_glob(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            out.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else {
            out.push(c);
        }
    }
    if escaped {
        out.push('\\');
    }
    out
}

#[derive(Clone, Debug)]
enum GlobTok {
    Char(char),
    Any,
    Star,
    Class { negate: bool, items: Vec<(char, char)> },
}

fn glob_tokens(pattern: &str) -> Vec<GlobTok> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                out.push(GlobTok::Char(chars[i + 1]));
                i += 2;
                continue;
            }
            '*' => {
                if !matches!(out.last(), Some(GlobTok::Star)) {
                    out.push(GlobTok::Star);
                }
            }
            '?' => out.push(GlobTok::Any),
            '[' => {
                // Find the closing bracket; a `]` right after `[` or `[!` is literal.
                let mut j = i + 1;
                let negate = matches!(chars.get(j), Some('!') | Some('^'));
                if negate {
                    j += 1;
                }
                let start = j;
                let mut items = Vec::new();
                let mut closed = false;
                while j < chars.len() {
                    let ch = chars[j];
                    if ch == ']' && j > start {
                        closed = true;
                        break;
                    }
                    let lo = if ch == '\\' && j + 1 < chars.len() {
                        j += 1;
                        chars[j]
                    } else {
                        ch
                    };
                    if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|&c| c != ']') {
                        let hi = chars[j + 2];
                        items.push((lo, hi));
                        j += 3;
                    } else {
                        items.push((lo, lo));
                        j += 1;
                    }
                }
                if closed {
                    out.push(GlobTok::Class { negate, items });
                    i = j + 1;
                    continue;
                }
                out.push(GlobTok::Char('['));
            }
            _ => out.push(GlobTok::Char(c)),
        }
        i += 1;
    }
    out
}

fn tok_matches(tok: &GlobTok, c: char) -> bool {
    match tok {
        GlobTok::Char(x) => *x == c,
        GlobTok::Any => true,
        GlobTok::Star => true,
        GlobTok::Class { negate, items } => items.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negate,
    }
}

/// Whether `text` matches the shell pattern (`*`, `?`, `[…]`, `\` escapes) as a whole.
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let toks = glob_tokens(pattern);
    let chars: Vec<char> = text.chars().collect();
    glob_match_toks(&toks, &chars)
}

fn glob_match_toks(toks: &[GlobTok], chars: &[char]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < chars.len() {
        if p < toks.len() {
            if let GlobTok::Star = toks[p] {
                star = Some((p, t));
                p += 1;
                continue;
            }
            if tok_matches(&toks[p], chars[t]) {
                p += 1;
                t += 1;
                continue;
            }
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while p < toks.len() && matches!(toks[p], GlobTok::Star) {
        p += 1;
    }
    p == toks.len()
}

/// `${x#p}` / `${x##p}` / `${x%p}` / `${x%%p}`.
pub(crate) fn trim_pattern(value: &str, pattern: &str, prefix: bool, longest: bool) -> String {
    let toks = glob_tokens(pattern);
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    // Bounded: values are capped in size by the interpreter, and this is O(n^2) at worst.
    if n > 20_000 {
        return value.to_string();
    }
    if prefix {
        let range: Box<dyn Iterator<Item = usize>> = if longest { Box::new((0..=n).rev()) } else { Box::new(0..=n) };
        for k in range {
            if glob_match_toks(&toks, &chars[..k]) {
                return chars[k..].iter().collect();
            }
        }
    } else {
        let range: Box<dyn Iterator<Item = usize>> = if longest { Box::new(0..=n) } else { Box::new((0..=n).rev()) };
        for k in range {
            if glob_match_toks(&toks, &chars[k..]) {
                return chars[..k].iter().collect();
            }
        }
    }
    value.to_string()
}

/// `${x/p/r}` / `${x//p/r}`: leftmost-longest replacement.
pub(crate) fn replace_pattern(value: &str, pattern: &str, with: &str, all: bool) -> String {
    let toks = glob_tokens(pattern);
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if toks.is_empty() || n > 20_000 {
        return value.to_string();
    }
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < n {
        if replaced && !all {
            out.extend(&chars[i..]);
            return out;
        }
        let mut hit = None;
        for end in (i + 1..=n).rev() {
            if glob_match_toks(&toks, &chars[i..end]) {
                hit = Some(end);
                break;
            }
        }
        match hit {
            Some(end) => {
                out.push_str(with);
                i = end;
                replaced = true;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const DAYS: [&str; 7] = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"];
const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// Broken-down UTC time.
pub(crate) struct Tm {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub weekday: usize,
    pub yday: u32,
    pub unix: i64,
    pub millis: u32,
}

pub(crate) fn tm_from_unix_ms(ms: i64) -> Tm {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000) as u32;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (jan1_y, _, _) = (year, 1, 1);
    let yday = (days - days_from_civil(jan1_y, 1, 1)) as u32 + 1;
    Tm {
        year,
        month,
        day,
        hour: (rem / 3600) as u32,
        min: ((rem % 3600) / 60) as u32,
        sec: (rem % 60) as u32,
        weekday: days.rem_euclid(7) as usize,
        yday,
        unix: secs,
        millis,
    }
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// strftime for the formats `date` scripts use; unknown conversions are printed as is.
pub(crate) fn strftime(fmt: &str, tm: &Tm) -> String {
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(f) = chars.next() else {
            out.push('%');
            break;
        };
        let day = DAYS[tm.weekday % 7];
        let month = MONTHS[(tm.month.clamp(1, 12) - 1) as usize];
        match f {
            'Y' => out.push_str(&tm.year.to_string()),
            'y' => out.push_str(&format!("{:02}", tm.year.rem_euclid(100))),
            'C' => out.push_str(&format!("{:02}", tm.year.div_euclid(100))),
            'm' => out.push_str(&format!("{:02}", tm.month)),
            'd' => out.push_str(&format!("{:02}", tm.day)),
            'e' => out.push_str(&format!("{:2}", tm.day)),
            'H' => out.push_str(&format!("{:02}", tm.hour)),
            'I' => out.push_str(&format!("{:02}", if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 })),
            'p' => out.push_str(if tm.hour < 12 { "AM" } else { "PM" }),
            'M' => out.push_str(&format!("{:02}", tm.min)),
            'S' => out.push_str(&format!("{:02}", tm.sec)),
            's' => out.push_str(&tm.unix.to_string()),
            'N' => out.push_str(&format!("{:03}000000", tm.millis)),
            'j' => out.push_str(&format!("{:03}", tm.yday)),
            'a' => out.push_str(&day[..3]),
            'A' => out.push_str(day),
            'b' | 'h' => out.push_str(&month[..3]),
            'B' => out.push_str(month),
            'u' => out.push_str(&(((tm.weekday + 3) % 7) + 1).to_string()),
            'w' => out.push_str(&((tm.weekday + 4) % 7).to_string()),
            'Z' => out.push_str("UTC"),
            'z' => out.push_str("+0000"),
            'T' => out.push_str(&format!("{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec)),
            'R' => out.push_str(&format!("{:02}:{:02}", tm.hour, tm.min)),
            'D' => out.push_str(&format!("{:02}/{:02}/{:02}", tm.month, tm.day, tm.year.rem_euclid(100))),
            'F' => out.push_str(&format!("{}-{:02}-{:02}", tm.year, tm.month, tm.day)),
            'c' => out.push_str(&strftime("%a %b %e %H:%M:%S %Y", tm)),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '%' => out.push('%'),
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    out
}

/// Parses a `sleep`-style duration: `5`, `1.5`, `10s`, `2m`, `1h`, `1d`, `inf`/`infinity`.
/// `Ok(None)` means infinity; the result is in milliseconds, rounded up.
pub(crate) fn parse_duration_ms(text: &str) -> Result<Option<u64>, ()> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("inf") || t.eq_ignore_ascii_case("infinity") {
        return Ok(None);
    }
    let (num, mult) = match t.char_indices().last() {
        Some((i, 's')) => (&t[..i], 1000.0),
        Some((i, 'm')) => (&t[..i], 60_000.0),
        Some((i, 'h')) => (&t[..i], 3_600_000.0),
        Some((i, 'd')) => (&t[..i], 86_400_000.0),
        _ => (t, 1000.0),
    };
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') || num.matches('.').count() > 1 || num == "." {
        return Err(());
    }
    let v: f64 = num.parse().map_err(|_| ())?;
    let ms = (v * mult).ceil();
    if !ms.is_finite() || ms > 1e15 {
        return Ok(None);
    }
    Ok(Some(ms as u64))
}

/// Parses sizes like `150M`, `1G`, `512k`, `100` (bytes), with 1024-based units as stress does.
pub(crate) fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let (num, mult): (&str, u64) = match t.chars().last()?.to_ascii_lowercase() {
        'b' => (&t[..t.len() - 1], 1),
        'k' => (&t[..t.len() - 1], 1 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        't' => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: u64 = num.parse().ok()?;
    n.checked_mul(mult)
}

/// A parsed URL.
pub(crate) struct Url {
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl Url {
    /// The URL as the host receives it (`http://host:port/path`).
    pub fn full(&self) -> String {
        format!("{}://{}:{}{}", self.scheme, self.host, self.port, self.path)
    }
}

/// Parses `http://host[:port][/path]`; a missing scheme means http.
pub(crate) fn parse_url(text: &str) -> Option<Url> {
    let (scheme, rest) = match text.find("://") {
        Some(i) => (text[..i].to_ascii_lowercase(), &text[i + 3..]),
        None => ("http".to_string(), text),
    };
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (hostport, path) = match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_string()),
        Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
        None => (rest, "/".to_string()),
    };
    let hostport = hostport.rsplit('@').next().unwrap_or(hostport);
    let (host, port) = match hostport.rfind(':') {
        Some(i) => (&hostport[..i], hostport[i + 1..].parse::<u16>().ok()?),
        None => (hostport, default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url { scheme, host: host.to_string(), port, path })
}

/// Whether a string is a dotted IPv4 address.
pub(crate) fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// The standard reason phrase of an HTTP status.
pub(crate) fn reason_phrase(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Interprets `echo -e`/`printf` backslash escapes. Returns the text and whether `\c` (stop
/// output) was seen.
pub(crate) fn backslash_escapes(s: &str, printf_octal: bool) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '\\' || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = chars[i + 1];
        i += 2;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            'e' => out.push('\u{1b}'),
            '\\' => out.push('\\'),
            'c' => return (out, true),
            '0'..='7' if e == '0' || printf_octal => {
                // echo: \0nnn; printf: \nnn.
                let mut v = if e == '0' && !printf_octal { 0 } else { e.to_digit(8).unwrap_or(0) };
                let mut n = 0;
                while n < 3 && i < chars.len() {
                    match chars[i].to_digit(8) {
                        Some(d) => {
                            v = v * 8 + d;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v & 0xff).unwrap_or('?'));
            }
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < chars.len() {
                    match chars[i].to_digit(16) {
                        Some(d) => {
                            v = v * 16 + d;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(resolve_path("/", "tmp/x"), "/tmp/x");
        assert_eq!(resolve_path("/a/b", "../c/./d/"), "/a/c/d");
        assert_eq!(resolve_path("/", "/../.."), "/");
        assert_eq!(basename("/a/b/"), "b");
        assert_eq!(dirname("/a/b"), "/a");
        assert_eq!(dirname("b"), ".");
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.log", "app.log"));
        assert!(!glob_match("*.log", "app.txt"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[a-c]x", "bx"));
        assert!(!glob_match("[!a-c]x", "bx"));
        assert!(glob_match("\\*", "*"));
        assert!(!glob_match("\\*", "a"));
        assert!(glob_match("*a*a*a*a*b", &format!("{}b", "a".repeat(50))));
        assert_eq!(trim_pattern("/a/b/c", "*/", true, true), "c");
        assert_eq!(trim_pattern("file.tar.gz", ".*", false, false), "file.tar");
        assert_eq!(trim_pattern("file.tar.gz", ".*", false, true), "file");
        assert_eq!(replace_pattern("a-b-c", "-", "+", true), "a+b+c");
    }

    #[test]
    fn dates() {
        let tm = tm_from_unix_ms(1_767_225_605_000);
        assert_eq!(strftime("%a %b %e %H:%M:%S %Z %Y", &tm), "Thu Jan  1 00:00:05 UTC 2026");
        let tm = tm_from_unix_ms(951_782_400_000); // 2000-02-29
        assert_eq!(strftime("%F %A %j", &tm), "2000-02-29 Tuesday 060");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("5"), Ok(Some(5000)));
        assert_eq!(parse_duration_ms("1.5"), Ok(Some(1500)));
        assert_eq!(parse_duration_ms("10s"), Ok(Some(10_000)));
        assert_eq!(parse_duration_ms("1m"), Ok(Some(60_000)));
        assert_eq!(parse_duration_ms("infinity"), Ok(None));
        assert!(parse_duration_ms("abc").is_err());
        assert_eq!(parse_size("150M"), Some(150 << 20));
    }
}
