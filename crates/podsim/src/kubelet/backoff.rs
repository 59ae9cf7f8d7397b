//! client-go's `flowcontrol.Backoff` as the kubelet uses it: the crash-loop back-off (10 s
//! doubling to 300 s, expiring after 600 s of running) and the image-pull back-off (10 s doubling
//! to 300 s, default expiry 2 × max).

use crate::runtime::Backoff;
use crate::time::SimTime;

/// Initial delay of both back-offs.
pub const INITIAL_MS: u64 = 10_000;
/// Cap of both back-offs (MaxContainerBackOff, MaxImageBackOff).
pub const MAX_MS: u64 = 300_000;
/// The crash-loop back-off resets once a container ran this long (kubelet's HasExpiredFunc).
pub const CRASHLOOP_RESET_MS: u64 = 600_000;

/// Which expiry rule applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    CrashLoop,
    ImagePull,
}

fn expired(kind: Kind, event_ms: SimTime, entry: &Backoff) -> bool {
    let limit = match kind {
        Kind::CrashLoop => CRASHLOOP_RESET_MS,
        Kind::ImagePull => 2 * MAX_MS,
    };
    event_ms.saturating_sub(entry.last_update_ms) > limit
}

/// `Next(key, eventTime)`: start at the initial delay, or double up to the cap.
pub fn next(entry: Option<Backoff>, kind: Kind, event_ms: SimTime, now: SimTime) -> Backoff {
    match entry {
        Some(e) if !expired(kind, event_ms, &e) => Backoff { delay_ms: (e.delay_ms * 2).min(MAX_MS), last_update_ms: now },
        _ => Backoff { delay_ms: INITIAL_MS, last_update_ms: now },
    }
}

/// `IsInBackOffSince(key, eventTime)`: still waiting after an event at `event_ms`?
pub fn in_backoff_since(entry: Option<&Backoff>, kind: Kind, event_ms: SimTime, now: SimTime) -> bool {
    match entry {
        Some(e) if !expired(kind, event_ms, e) => now.saturating_sub(event_ms) < e.delay_ms,
        _ => false,
    }
}

/// `IsInBackOffSinceUpdate(key, now)`: still waiting since the last failure?
pub fn in_backoff_since_update(entry: Option<&Backoff>, now: SimTime) -> bool {
    entry.is_some_and(|e| now.saturating_sub(e.last_update_ms) < e.delay_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_to_the_cap() {
        let mut e = None;
        let mut delays = Vec::new();
        let mut t = 0;
        for _ in 0..8 {
            let b = next(e, Kind::CrashLoop, t, t);
            delays.push(b.delay_ms / 1000);
            e = Some(b);
            t += 1000;
        }
        assert_eq!(delays, vec![10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn crash_loop_resets_after_ten_minutes_of_running() {
        let b = next(None, Kind::CrashLoop, 0, 0);
        let b = next(Some(b), Kind::CrashLoop, 5_000, 5_000);
        assert_eq!(b.delay_ms, 20_000);
        // The container then runs 11 minutes before exiting again.
        assert!(!in_backoff_since(Some(&b), Kind::CrashLoop, 5_000 + 660_000, 5_000 + 660_000));
        assert_eq!(next(Some(b), Kind::CrashLoop, 665_000, 665_000).delay_ms, 10_000);
    }
}
