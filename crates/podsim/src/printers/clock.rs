//! Time as kubectl shows it: API timestamps have whole-second precision (`metav1.Time`), ages are
//! `HumanDuration(now - timestamp)`, `describe` prints RFC 1123 with a numeric zone
//! (`Thu, 01 Jan 2026 00:00:05 +0000`), and the model's virtual milliseconds become absolute
//! times through the run's epoch.

use crate::time::{civil_from_days, human_duration, rfc3339, SimTime};
use crate::world::World;

/// The instant a printer prints at, and how virtual times map to absolute ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Unix ms of virtual time 0 (`World::epoch_unix_ms`).
    pub epoch_unix_ms: i64,
    /// Unix ms of "now" (kubectl's `time.Now()`).
    pub now_unix_ms: i64,
}

impl Clock {
    /// A clock for `world` at virtual time `now_ms`.
    pub fn at(world: &World, now_ms: SimTime) -> Clock {
        Clock { epoch_unix_ms: world.epoch_unix_ms, now_unix_ms: world.epoch_unix_ms.saturating_add(now_ms as i64) }
    }

    /// A clock from absolute times (for objects not in a world, e.g. `podsim print`).
    pub fn new(epoch_unix_ms: i64, now_unix_ms: i64) -> Clock {
        Clock { epoch_unix_ms, now_unix_ms }
    }

    /// The API timestamp (Unix ms, truncated to the second as `metav1.Time` serialises it) of a
    /// virtual time.
    pub fn stamp(&self, t: SimTime) -> i64 {
        self.epoch_unix_ms.saturating_add(t as i64).div_euclid(1000) * 1000
    }

    /// `translateTimestampSince`: the human age of a virtual time.
    pub fn since(&self, t: SimTime) -> String {
        human_since(self.now_unix_ms, self.stamp(t))
    }

    /// Like [`Clock::since`], `<unknown>` for an unset time.
    pub fn since_opt(&self, t: Option<SimTime>) -> String {
        t.map_or_else(|| "<unknown>".to_string(), |t| self.since(t))
    }

    /// RFC 3339 text of a virtual time (`2026-01-01T00:00:05Z`).
    pub fn rfc3339(&self, t: SimTime) -> String {
        rfc3339(self.stamp(t))
    }

    /// `time.RFC1123Z` text of a virtual time (`Thu, 01 Jan 2026 00:00:05 +0000`).
    pub fn rfc1123z(&self, t: SimTime) -> String {
        rfc1123z(self.stamp(t))
    }
}

/// `duration.HumanDuration(now - t)` with Go's truncation toward zero of the seconds.
pub fn human_since(now_unix_ms: i64, t_unix_ms: i64) -> String {
    let d = now_unix_ms.saturating_sub(t_unix_ms);
    // Go: int(d.Seconds()) truncates toward zero, so -1.5s is "0s" and -2.5s is "<invalid>".
    let secs = d / 1000;
    human_duration(secs.saturating_mul(1000))
}

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Go's `time.RFC1123Z` layout (`Mon, 02 Jan 2006 15:04:05 -0700`) in UTC.
pub fn rfc1123z(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let wd = WEEKDAYS[days.rem_euclid(7) as usize];
    format!(
        "{wd}, {d:02} {} {y:04} {:02}:{:02}:{:02} +0000",
        MONTHS[(m - 1).clamp(0, 11) as usize],
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// What Go prints for the zero `time.Time` in RFC1123Z.
pub const ZERO_RFC1123Z: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DEFAULT_EPOCH_UNIX_MS;

    #[test]
    fn rfc1123z_matches_go() {
        assert_eq!(rfc1123z(DEFAULT_EPOCH_UNIX_MS + 5_000), "Thu, 01 Jan 2026 00:00:05 +0000");
        assert_eq!(rfc1123z(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc1123z(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 +0000");
    }

    #[test]
    fn ages_truncate_timestamps_to_seconds() {
        let c = Clock::new(DEFAULT_EPOCH_UNIX_MS, DEFAULT_EPOCH_UNIX_MS + 11_200);
        // Created at 1.5s: the API stores 1s, so the age is 10.2s -> 10s.
        assert_eq!(c.since(1_500), "10s");
        assert_eq!(c.since_opt(None), "<unknown>");
    }

    #[test]
    fn future_times_follow_go_truncation() {
        assert_eq!(human_since(0, 1_500), "0s");
        assert_eq!(human_since(0, 2_500), "<invalid>");
        assert_eq!(human_since(0, 1_999), "0s");
    }
}
