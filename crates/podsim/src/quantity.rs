//! Kubernetes resource quantities (`500m`, `1.5`, `64Mi`, `1G`, `2e3`), parsed exactly into
//! thousandths of the base unit so cpu (millicores) and memory (bytes × 1000) share one type.

use std::fmt;

/// A parsed quantity. `milli` is the value × 1000; `text` is what the user wrote.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity {
    pub milli: i64,
    pub text: String,
}

impl Quantity {
    /// Parses a quantity; `None` if it is not a valid Kubernetes quantity.
    pub fn parse(text: &str) -> Option<Quantity> {
        let milli = parse_milli(text.trim())?;
        Some(Quantity { milli, text: text.trim().to_string() })
    }

    /// A quantity from whole units, printed canonically.
    pub fn from_units(units: i64) -> Quantity {
        Quantity { milli: units * 1000, text: units.to_string() }
    }

    /// A quantity from milli-units, printed canonically (`500m`, `2`).
    pub fn from_milli(milli: i64) -> Quantity {
        let text = if milli % 1000 == 0 { (milli / 1000).to_string() } else { format!("{milli}m") };
        Quantity { milli, text }
    }

    /// A byte quantity printed with the largest exact binary suffix (`8Gi`, `512Mi`, `1000`).
    pub fn from_bytes(bytes: i64) -> Quantity {
        let mut text = bytes.to_string();
        for (suffix, size) in [("Ei", 1i64 << 60), ("Pi", 1 << 50), ("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
            if bytes != 0 && bytes % size == 0 {
                text = format!("{}{suffix}", bytes / size);
                break;
            }
        }
        Quantity { milli: bytes.saturating_mul(1000), text }
    }

    /// The value in whole units, rounded up (what the scheduler uses for memory bytes).
    pub fn units_ceil(&self) -> i64 {
        self.milli.saturating_add(999).div_euclid(1000)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The value kept for a quantity too large for 64 bits in milli-units: the largest whole number
/// of units (so it is still an integer to the validation of integer resources).
pub const SATURATED_MILLI: i64 = i64::MAX / 1000 * 1000;

fn parse_milli(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let num_end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    let (num, suffix) = body.split_at(num_end);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return None;
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    // Value as a decimal: mantissa / 10^scale.
    let digits = format!("{int_part}{frac_part}");
    let mantissa: i128 = digits.parse().ok()?;
    let scale = frac_part.len() as i32;
    let (mul_num, mul_pow10): (i128, i32) = match suffix {
        "" => (1, 0),
        "n" => (1, -9),
        "u" => (1, -6),
        "m" => (1, -3),
        "k" => (1, 3),
        "M" => (1, 6),
        "G" => (1, 9),
        "T" => (1, 12),
        "P" => (1, 15),
        "E" => (1, 18),
        "Ki" => (1 << 10, 0),
        "Mi" => (1 << 20, 0),
        "Gi" => (1 << 30, 0),
        "Ti" => (1 << 40, 0),
        "Pi" => (1 << 50, 0),
        "Ei" => (1 << 60, 0),
        other => {
            let exp = other.strip_prefix('e').or_else(|| other.strip_prefix('E'))?;
            let e: i32 = exp.parse().ok()?;
            if e.abs() > 30 {
                return None;
            }
            (1, e)
        }
    };
    // milli = mantissa * mul_num * 10^(mul_pow10 + 3 - scale), rounded up like Kubernetes does.
    // A valid quantity too large for 64 bits (`8Ei` is 2^63 bytes, more in milli-units) is
    // still a quantity to the API server: it keeps the largest value instead (more than any
    // node has), and the arithmetic on it saturates.
    let pow = mul_pow10 + 3 - scale;
    let value = mantissa.checked_mul(mul_num).and_then(|base| {
        if pow >= 0 {
            base.checked_mul(10i128.checked_pow(pow as u32)?)
        } else {
            let d = 10i128.checked_pow((-pow) as u32)?;
            Some((base + d - 1) / d)
        }
    });
    let value = value.and_then(|v| i64::try_from(v).ok()).unwrap_or(SATURATED_MILLI);
    Some(if neg { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_quantities() {
        assert_eq!(Quantity::parse("500m").unwrap().milli, 500);
        assert_eq!(Quantity::parse("1").unwrap().milli, 1000);
        assert_eq!(Quantity::parse("1.5").unwrap().milli, 1500);
        assert_eq!(Quantity::parse("64Mi").unwrap().milli, 64 * 1024 * 1024 * 1000);
        assert_eq!(Quantity::parse("1G").unwrap().milli, 1_000_000_000_000);
        assert_eq!(Quantity::parse("2e3").unwrap().milli, 2_000_000);
        assert_eq!(Quantity::parse("-1").unwrap().milli, -1000);
        assert!(Quantity::parse("abc").is_none());
        assert!(Quantity::parse("1Qi").is_none());
        assert!(Quantity::parse("").is_none());
    }

    /// Regression: `4Ei` of memory (2^62 bytes, beyond 64 bits in milli-units) was refused as
    /// "unable to parse quantity's suffix"; the API server accepts it.
    #[test]
    fn quantities_beyond_64_bits_keep_the_largest_value() {
        assert_eq!(Quantity::parse("4Ei").unwrap().milli, SATURATED_MILLI);
        assert_eq!(Quantity::parse("4Ei").unwrap().text, "4Ei");
        assert_eq!(Quantity::parse("-8Ei").unwrap().milli, -SATURATED_MILLI);
        assert_eq!(Quantity::parse("9223372036854775807").unwrap().milli % 1000, 0);
        assert_eq!(Quantity::parse("123456789012345678901234567890").unwrap().milli, SATURATED_MILLI);
        assert_eq!(Quantity::parse("8Pi").unwrap().milli, (8i64 << 50) * 1000);
    }

    #[test]
    fn prints_canonical_forms() {
        assert_eq!(Quantity::from_bytes(8 << 30).text, "8Gi");
        assert_eq!(Quantity::from_milli(500).text, "500m");
        assert_eq!(Quantity::from_milli(4000).text, "4");
    }
}
