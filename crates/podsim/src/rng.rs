//! The one seeded random source. Each component draws from its own named sub-stream
//! (`node/worker-1`, `pod/default/web/app`), derived from the seed and the name, so adding
//! a pod never reshuffles the numbers another pod sees.

/// SplitMix64: tiny, fast, well distributed, and identical on every platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A stream for `name` under `seed`.
    pub fn stream(seed: u64, name: &str) -> Rng {
        Rng::from_name_hash(seed, fnv1a(name.as_bytes()))
    }

    /// The stream named by the text `name` formats to (`format_args!("sync/{uid}/{now}")`),
    /// hashed as it is written: the same stream as `stream` with that text, without building it.
    pub fn stream_args(seed: u64, name: std::fmt::Arguments<'_>) -> Rng {
        let mut h = Fnv1a::default();
        // Writing into a hash cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut h, name);
        Rng::from_name_hash(seed, h.finish())
    }

    fn from_name_hash(seed: u64, name_hash: u64) -> Rng {
        Rng { state: seed ^ name_hash.rotate_left(17) ^ 0x9E37_79B9_7F4A_7C15 }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            0
        } else {
            self.next_u64() % bound
        }
    }

    /// `base_ms` with a jitter of up to ±`pct` percent, never below 1 ms when base is non-zero.
    pub fn jitter(&mut self, base_ms: u64, pct: u64) -> u64 {
        if base_ms == 0 || pct == 0 {
            return base_ms;
        }
        let span = base_ms * pct / 100;
        let delta = self.below(2 * span + 1);
        (base_ms + delta).saturating_sub(span).max(1)
    }
}

/// FNV-1a: a stable hash for names (std's hasher is randomised per process).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The ASCII digits of `n` in decimal, zero-padded to at least `width` (at most 20), written into
/// `buf`: for hot paths that must not go through the formatter.
pub fn decimal_digits(n: u64, width: usize, buf: &mut [u8; 20]) -> &[u8] {
    buf.fill(b'0');
    let mut at = buf.len();
    let mut rest = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    &buf[at.min(buf.len().saturating_sub(width))..]
}

/// FNV-1a over text fed piece by piece: equal to `fnv1a` of the pieces joined, without
/// building the joined text.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    pub fn str(&mut self, text: &str) -> &mut Fnv1a {
        for b in text.bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// `n` in decimal, as `{n}` would write it.
    pub fn decimal(&mut self, n: u64) -> &mut Fnv1a {
        let mut buf = [0u8; 20];
        for &b in decimal_digits(n, 1, &mut buf) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// A formatter's sink: text hashed as `format_args!` writes it.
impl std::fmt::Write for Fnv1a {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits_are_the_formatters() {
        let mut buf = [0u8; 20];
        for n in [0, 7, 10, 99, 1234567890, u64::MAX] {
            assert_eq!(decimal_digits(n, 1, &mut buf), n.to_string().as_bytes());
            assert_eq!(decimal_digits(n, 4, &mut buf), format!("{n:04}").as_bytes());
        }
    }

    #[test]
    fn the_streaming_hash_equals_the_hash_of_the_joined_text() {
        for n in [0, 7, 10, 99, 1234567890, u64::MAX] {
            assert_eq!(Fnv1a::default().str("a/").decimal(n).str("/b").finish(), fnv1a(format!("a/{n}/b").as_bytes()));
        }
    }

    #[test]
    fn streams_are_reproducible_and_independent() {
        let mut a = Rng::stream(7, "pod/default/a");
        let mut a2 = Rng::stream(7, "pod/default/a");
        let mut b = Rng::stream(7, "pod/default/b");
        let xs: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let xs2: Vec<u64> = (0..4).map(|_| a2.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        assert_eq!(xs, xs2);
        assert_ne!(xs, ys);
    }

    #[test]
    fn a_stream_named_by_format_args_is_the_stream_of_its_text() {
        let (uid, now) = ("3f2a-77", 120_500u64);
        let mut a = Rng::stream(9, &format!("sync/{uid}/{now}"));
        let mut b = Rng::stream_args(9, format_args!("sync/{uid}/{now}"));
        assert_eq!((a.next_u64(), a.next_u64()), (b.next_u64(), b.next_u64()));
    }

    #[test]
    fn jitter_stays_in_range() {
        let mut r = Rng::stream(1, "x");
        for _ in 0..1000 {
            let v = r.jitter(1000, 10);
            assert!((900..=1100).contains(&v), "{v}");
        }
    }
}
