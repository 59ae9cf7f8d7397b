//! Resource quantities as the API server returns them: `resource.Quantity.String()`, the
//! canonical form (`0.5` → `500m`, `1.5Gi` → `1536Mi`, `1000m` → `1`, `2000` → `2k`), plus the
//! sums `kubectl describe node` prints. Values are kept exactly, in nano-units, with their format
//! (decimal SI, binary SI or decimal exponent) as upstream keeps it.

use crate::quantity::Quantity;

/// How a quantity prints, decided by the suffix it was written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// An exact quantity: the value × 10⁹ and its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Qty {
    pub nanos: i128,
    pub format: Format,
}

const NANO: i128 = 1_000_000_000;

impl Qty {
    /// Zero (prints `0`).
    pub(crate) fn zero() -> Qty {
        Qty { nanos: 0, format: Format::DecimalSi }
    }

    /// Parses Kubernetes quantity text; values finer than 1n round up, like upstream.
    pub(crate) fn parse(text: &str) -> Option<Qty> {
        let s = text.trim();
        let (neg, body) = match s.as_bytes().first()? {
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
        let digits = format!("{int_part}{frac_part}");
        if digits.len() > 30 {
            return None;
        }
        let mantissa: i128 = digits.parse().ok()?;
        let mut pow10: i32 = -(frac_part.len() as i32);
        let mut mul: i128 = 1;
        let format = match suffix {
            "" => Format::DecimalSi,
            "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
                pow10 += match suffix {
                    "n" => -9,
                    "u" => -6,
                    "m" => -3,
                    "k" => 3,
                    "M" => 6,
                    "G" => 9,
                    "T" => 12,
                    "P" => 15,
                    _ => 18,
                };
                Format::DecimalSi
            }
            "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
                let k = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].iter().position(|x| *x == suffix)? as u32 + 1;
                mul = 1i128 << (10 * k);
                Format::BinarySi
            }
            other => {
                let exp = other.strip_prefix('e').or_else(|| other.strip_prefix('E'))?;
                let e: i32 = exp.parse().ok()?;
                if e.abs() > 30 {
                    return None;
                }
                pow10 += e;
                Format::DecimalExponent
            }
        };
        // nanos = mantissa * mul * 10^(pow10 + 9), rounded up.
        let scaled = mantissa.checked_mul(mul)?;
        let p = pow10 + 9;
        let nanos = if p >= 0 {
            scaled.checked_mul(10i128.checked_pow(p as u32)?)?
        } else {
            let d = 10i128.checked_pow((-p) as u32)?;
            scaled.checked_add(d - 1)? / d
        };
        let mut format = format;
        if format == Format::BinarySi && nanos > 0 && nanos < NANO {
            format = Format::DecimalSi;
        }
        Some(Qty { nanos: if neg { -nanos } else { nanos }, format })
    }

    /// From the model's quantity (its text when it parses, else its milli value).
    pub(crate) fn of(q: &Quantity) -> Qty {
        Qty::parse(&q.text).unwrap_or(Qty { nanos: q.milli as i128 * 1_000_000, format: Format::DecimalSi })
    }

    /// `Add`: the sum keeps the receiver's format.
    pub(crate) fn add(&mut self, other: &Qty) {
        self.nanos = self.nanos.saturating_add(other.nanos);
    }

    /// `MilliValue()` (rounded up).
    pub(crate) fn milli(&self) -> i128 {
        ceil_div(self.nanos, 1_000_000)
    }

    /// `Value()` (rounded up).
    pub(crate) fn value(&self) -> i128 {
        ceil_div(self.nanos, NANO)
    }

    /// `String()`: the canonical text.
    pub(crate) fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == Format::BinarySi && (self.nanos.abs() < 1024 * NANO || self.nanos % NANO != 0) {
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let mut v = self.nanos / NANO;
            let mut k = 0;
            while k < 6 && v % 1024 == 0 {
                v /= 1024;
                k += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k];
            return format!("{v}{suffix}");
        }
        // Decimal: remove factors of ten, then bring the exponent to a multiple of three.
        let mut m = self.nanos;
        let mut exp: i32 = -9;
        while m % 10 == 0 {
            m /= 10;
            exp += 1;
        }
        match exp.rem_euclid(3) {
            1 => {
                m = m.saturating_mul(10);
                exp -= 1;
            }
            2 => {
                m = m.saturating_mul(100);
                exp -= 2;
            }
            _ => {}
        }
        let suffix = match (format, exp) {
            (_, 0) => String::new(),
            (Format::DecimalSi, -9) => "n".to_string(),
            (Format::DecimalSi, -6) => "u".to_string(),
            (Format::DecimalSi, -3) => "m".to_string(),
            (Format::DecimalSi, 3) => "k".to_string(),
            (Format::DecimalSi, 6) => "M".to_string(),
            (Format::DecimalSi, 9) => "G".to_string(),
            (Format::DecimalSi, 12) => "T".to_string(),
            (Format::DecimalSi, 15) => "P".to_string(),
            (Format::DecimalSi, 18) => "E".to_string(),
            (_, e) => format!("e{e}"),
        };
        format!("{m}{suffix}")
    }
}

fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a.div_euclid(b);
    if a.rem_euclid(b) != 0 {
        q + 1
    } else {
        q
    }
}

/// The canonical form of quantity text; text that does not parse is returned unchanged.
pub(crate) fn canonical(text: &str) -> String {
    Qty::parse(text).map_or_else(|| text.to_string(), |q| q.canonical())
}

/// The canonical form of a model quantity.
pub(crate) fn canonical_of(q: &Quantity) -> String {
    Qty::of(q).canonical()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_match_apimachinery() {
        for (input, want) in [
            ("0.5", "500m"),
            ("500m", "500m"),
            ("1000m", "1"),
            ("1", "1"),
            ("2000", "2k"),
            ("1500", "1500"),
            ("1.5Gi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("1024Mi", "1Gi"),
            ("1000Mi", "1000Mi"),
            ("128Mi", "128Mi"),
            ("100M", "100M"),
            ("1G", "1G"),
            ("1e3", "1e3"),
            ("1.5e3", "1500"),
            ("0", "0"),
            ("0Mi", "0"),
            ("100u", "100u"),
            ("0.1", "100m"),
            ("512", "512"),
            ("2048", "2048"),
            ("1Ki", "1Ki"),
            ("0.5Ki", "512"),
            ("4", "4"),
            ("250m", "250m"),
            ("1.25", "1250m"),
        ] {
            assert_eq!(canonical(input), want, "{input}");
        }
    }

    #[test]
    fn values_round_up() {
        let q = Qty::parse("1.5").unwrap();
        assert_eq!(q.milli(), 1500);
        assert_eq!(q.value(), 2);
        let m = Qty::parse("64Mi").unwrap();
        assert_eq!(m.value(), 64 << 20);
    }

    #[test]
    fn sums_keep_first_format() {
        let mut a = Qty::parse("64Mi").unwrap();
        a.add(&Qty::parse("64Mi").unwrap());
        assert_eq!(a.canonical(), "128Mi");
        let mut c = Qty::parse("100m").unwrap();
        c.add(&Qty::parse("900m").unwrap());
        assert_eq!(c.canonical(), "1");
        let mut z = Qty::zero();
        z.add(&Qty::parse("250m").unwrap());
        assert_eq!(z.canonical(), "250m");
    }
}
