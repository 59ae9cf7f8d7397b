//! One API validation error, printed exactly as apimachinery's `field.Error` prints itself
//! (`spec.containers[0].image: Required value`), and the aggregate kubectl shows
//! (`The Pod "x" is invalid: [e1, e2]`). Also Go's `%q` quoting and the canonical text of a
//! resource quantity, both of which appear inside those messages.

/// The value an error complains about, with the printing rule Go's `ErrorBody` applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Bad {
    /// A Go `string`: printed quoted.
    Str(String),
    /// A Go integer: printed bare.
    Num(i64),
    /// Something with a `String()` method or a struct: printed as given.
    Raw(String),
}

impl Bad {
    fn render(&self) -> String {
        match self {
            Bad::Str(s) => go_quote(s),
            Bad::Num(n) => n.to_string(),
            Bad::Raw(s) => s.clone(),
        }
    }

    /// The string the value was, for locating it in the source.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Bad::Str(s) | Bad::Raw(s) => Some(s),
            _ => None,
        }
    }
}

/// The kinds of `field.Error` the simulator produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Required(String),
    Forbidden(String),
    Invalid(Bad, String),
    NotSupported(Bad, Vec<String>),
    Duplicate(Bad, String),
    NotFound(Bad),
    TooLong(usize),
}

/// One field error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The path Kubernetes prints.
    pub path: String,
    pub kind: Kind,
    /// Where to point in the source when it differs from `path` (an upstream path quirk).
    pub locate: Option<String>,
}

impl FieldError {
    fn new(path: impl Into<String>, kind: Kind) -> FieldError {
        FieldError { path: path.into(), kind, locate: None }
    }

    /// The text after `path: `.
    pub(crate) fn body(&self) -> String {
        let with = |head: &str, detail: &str| if detail.is_empty() { head.to_string() } else { format!("{head}: {detail}") };
        match &self.kind {
            Kind::Required(d) => with("Required value", d),
            Kind::Forbidden(d) => with("Forbidden", d),
            Kind::Invalid(v, d) => with(&format!("Invalid value: {}", v.render()), d),
            Kind::NotSupported(v, supported) => {
                let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
                with(
                    &format!("Unsupported value: {}", v.render()),
                    &if list.is_empty() { String::new() } else { format!("supported values: {}", list.join(", ")) },
                )
            }
            Kind::Duplicate(v, d) => with(&format!("Duplicate value: {}", v.render()), d),
            Kind::NotFound(v) => format!("Not found: {}", v.render()),
            Kind::TooLong(max) => format!("Too long: may not be more than {max} {}", if *max == 1 { "byte" } else { "bytes" }),
        }
    }

    /// `path: body`.
    pub(crate) fn message(&self) -> String {
        if self.path.is_empty() {
            self.body()
        } else {
            format!("{}: {}", self.path, self.body())
        }
    }

    /// The string value the error is about, if any (to find it in the source).
    pub(crate) fn bad_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Invalid(v, _) | Kind::NotSupported(v, _) | Kind::Duplicate(v, _) | Kind::NotFound(v) => v.as_str(),
            _ => None,
        }
    }

    pub(crate) fn located_at(mut self, path: impl Into<String>) -> FieldError {
        self.locate = Some(path.into());
        self
    }
}

pub(crate) fn required(path: impl Into<String>, detail: &str) -> FieldError {
    FieldError::new(path, Kind::Required(detail.to_string()))
}

pub(crate) fn forbidden(path: impl Into<String>, detail: &str) -> FieldError {
    FieldError::new(path, Kind::Forbidden(detail.to_string()))
}

pub(crate) fn invalid(path: impl Into<String>, value: Bad, detail: &str) -> FieldError {
    FieldError::new(path, Kind::Invalid(value, detail.to_string()))
}

pub(crate) fn invalid_str(path: impl Into<String>, value: &str, detail: &str) -> FieldError {
    invalid(path, Bad::Str(value.to_string()), detail)
}

pub(crate) fn invalid_num(path: impl Into<String>, value: i64, detail: &str) -> FieldError {
    invalid(path, Bad::Num(value), detail)
}

pub(crate) fn not_supported(path: impl Into<String>, value: &str, supported: &[&str]) -> FieldError {
    FieldError::new(path, Kind::NotSupported(Bad::Str(value.to_string()), supported.iter().map(|s| s.to_string()).collect()))
}

pub(crate) fn duplicate(path: impl Into<String>, value: Bad) -> FieldError {
    FieldError::new(path, Kind::Duplicate(value, String::new()))
}

pub(crate) fn duplicate_detail(path: impl Into<String>, value: Bad, detail: &str) -> FieldError {
    FieldError::new(path, Kind::Duplicate(value, detail.to_string()))
}

pub(crate) fn not_found(path: impl Into<String>, value: &str) -> FieldError {
    FieldError::new(path, Kind::NotFound(Bad::Str(value.to_string())))
}

pub(crate) fn too_long(path: impl Into<String>, max: usize) -> FieldError {
    FieldError::new(path, Kind::TooLong(max))
}

/// kubectl's line for a rejected object: `The Pod "x" is invalid: e` or `… invalid: [e1, e2]`
/// (identical messages are shown once, as apimachinery's aggregate does).
pub(crate) fn rejection(kind: &str, name: &str, errors: &[FieldError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let m = e.message();
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    let list = if seen.len() == 1 { seen.remove(0) } else { format!("[{}]", seen.join(", ")) };
    format!("The {kind} {} is invalid: {list}", go_quote(name))
}

/// Go's `strconv.Quote` / `%q` for the strings that appear in messages.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text Go's `resource.Quantity.String()` gives for a quantity the user wrote as `text`
/// (value in thousandths): `2000m` → `2`, `1024Mi` → `1Gi`, `1.5` → `1500m`, `1000` → `1k`.
pub(crate) fn canonical_quantity(text: &str, milli: i64) -> String {
    let t = text.trim();
    let body = t.trim_start_matches(['+', '-']);
    let suffix = body.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let binary = matches!(suffix, "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei");
    let exponent = suffix.len() > 1 && suffix.starts_with(['e', 'E']);
    // A value beyond 64 bits in milli-units was kept as the largest one: its text says more.
    if milli.unsigned_abs() >= crate::quantity::SATURATED_MILLI as u64 {
        return t.to_string();
    }
    let sign = if milli < 0 { "-" } else { "" };
    let m = milli.unsigned_abs();
    if binary && m % 1000 == 0 && m / 1000 >= 1024 {
        let mut u = m / 1000;
        let mut n = 0;
        while u % 1024 == 0 && n < 6 {
            u /= 1024;
            n += 1;
        }
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        return format!("{sign}{u}{}", suffixes.get(n).copied().unwrap_or(""));
    }
    if m % 1000 != 0 {
        return if exponent { format!("{sign}{m}e-3") } else { format!("{sign}{m}m") };
    }
    let mut u = m / 1000;
    let mut n = 0;
    while u != 0 && u % 1000 == 0 && n < 6 {
        u /= 1000;
        n += 1;
    }
    if exponent {
        return if n == 0 { format!("{sign}{u}") } else { format!("{sign}{u}e{}", n * 3) };
    }
    let suffixes = ["", "k", "M", "G", "T", "P", "E"];
    format!("{sign}{u}{}", suffixes.get(n).copied().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_match_apimachinery() {
        assert_eq!(required("spec.containers", "").message(), "spec.containers: Required value");
        assert_eq!(
            required("metadata.name", "name or generateName is required").message(),
            "metadata.name: Required value: name or generateName is required"
        );
        assert_eq!(
            invalid_num("a", -1, "must be greater than or equal to 0").message(),
            "a: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(invalid_str("a", "My_App", "x").message(), "a: Invalid value: \"My_App\": x");
        assert_eq!(
            not_supported("spec.restartPolicy", "Sometimes", &["Always", "OnFailure", "Never"]).message(),
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
        assert_eq!(duplicate("n", Bad::Str("app".into())).message(), "n: Duplicate value: \"app\"");
        assert_eq!(not_found("n", "cache").message(), "n: Not found: \"cache\"");
        assert_eq!(forbidden("p", "may not be set").message(), "p: Forbidden: may not be set");
        assert_eq!(too_long("metadata.annotations", 262144).message(), "metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    #[test]
    fn rejection_lines_aggregate_like_kubectl() {
        let one = [required("spec.containers[0].image", "")];
        assert_eq!(rejection("Pod", "x", &one), "The Pod \"x\" is invalid: spec.containers[0].image: Required value");
        let two = [required("a", ""), required("a", ""), forbidden("b", "no")];
        assert_eq!(rejection("Pod", "x", &two), "The Pod \"x\" is invalid: [a: Required value, b: Forbidden: no]");
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }

    #[test]
    fn canonical_quantities() {
        assert_eq!(canonical_quantity("2", 2000), "2");
        assert_eq!(canonical_quantity("2000m", 2000), "2");
        assert_eq!(canonical_quantity("1.5", 1500), "1500m");
        assert_eq!(canonical_quantity("1000", 1_000_000), "1k");
        assert_eq!(canonical_quantity("1024Mi", 1024 * 1024 * 1024 * 1000), "1Gi");
        assert_eq!(canonical_quantity("1500Mi", 1500 * 1024 * 1024 * 1000), "1500Mi");
        assert_eq!(canonical_quantity("0.5Ki", 512_000), "512");
        assert_eq!(canonical_quantity("-1", -1000), "-1");
        assert_eq!(canonical_quantity("1e3", 1_000_000), "1e3");
        assert_eq!(canonical_quantity("128974848", 128_974_848_000), "128974848");
        assert_eq!(canonical_quantity("0", 0), "0");
    }
}
