//! Helpers the detail panels share: the cursor's step key (a memo that moves only when a step is
//! taken), seeking to a step or a time, the selected pod at the cursor, short time texts, and the
//! empty states shown before Apply or without a selected pod. Pure helpers are tested natively.

use std::sync::Arc;

use leptos::prelude::*;
use podsim::api::{ObjectKey, Pod};
use podsim::world::World;
use podsim::Timeline;

use crate::state::sim::SimState;

/// `(revision, steps taken)` at the cursor: changes only when a step is taken or the session
/// changes, not on every animation frame, so step-based views recompute only then.
pub fn step_key(sim: SimState) -> Memo<Option<(u64, usize)>> {
    Memo::new(move |_| sim.snapshot.with(|s| s.as_ref().map(|s| (s.revision, s.steps))))
}

/// Whether a session runs (changes only on the first Apply): the outer shell of a panel keys on
/// this, so its elements (and their scroll positions) stay while the cursor moves.
pub fn has_run(sim: SimState) -> Memo<bool> {
    Memo::new(move |_| sim.session.with(Option::is_some))
}

/// `(revision, steps taken, whole virtual seconds)` at the cursor: for views that show ages or
/// countdowns, which change once per virtual second, not on every animation frame.
pub fn second_key(sim: SimState) -> Memo<Option<(u64, usize, u64)>> {
    Memo::new(move |_| sim.snapshot.with(|s| s.as_ref().map(|s| (s.revision, s.steps, s.time_ms / 1000))))
}

/// The current timeline, if a session runs (cheap: an `Arc`). Untracked.
pub fn timeline_untracked(sim: SimState) -> Option<Arc<Timeline>> {
    sim.session.with_untracked(|s| s.as_ref().map(|s| s.timeline.clone()))
}

/// The current timeline, tracked (re-runs the caller when the session changes).
pub fn timeline(sim: SimState) -> Option<Arc<Timeline>> {
    sim.session.with(|s| s.as_ref().map(|s| s.timeline.clone()))
}

/// Moves the cursor to right after step `index`, and pauses (the learner wants to look).
pub fn seek_to_step(sim: SimState, index: usize) {
    if let Some(t) = timeline_untracked(sim) {
        sim.playback.update(|p| {
            p.playing = false;
            p.seek_step(&t.steps, index);
        });
    }
}

/// Moves the cursor to virtual time `t` (clamped to the run), and pauses.
pub fn seek_to_time(sim: SimState, t: u64) {
    if let Some(tl) = timeline_untracked(sim) {
        let end = tl.limits.until_ms;
        sim.playback.update(|p| {
            p.playing = false;
            p.seek_time(&tl.steps, t, end);
        });
    }
}

/// The selected pod as it is in `world`, if it exists there.
pub fn selected_pod<'a>(world: &'a World, key: Option<&ObjectKey>) -> Option<&'a Pod> {
    key.and_then(|k| world.pods.get(k)).map(|p| &**p)
}

/// `pod/name` (with the namespace when it is not `default`).
pub fn pod_label(key: &ObjectKey) -> String {
    if key.namespace.is_empty() || key.namespace == "default" {
        format!("pod/{}", key.name)
    } else {
        format!("pod/{}/{}", key.namespace, key.name)
    }
}

/// A virtual time with tenths of a second: `0.0s`, `12.3s`, `1m05.2s`, `1h02m03.4s`.
pub fn fmt_ms(ms: u64) -> String {
    let tenths = ms / 100;
    let (whole, frac) = (tenths / 10, tenths % 10);
    let (h, m, s) = (whole / 3600, (whole / 60) % 60, whole % 60);
    if h > 0 {
        format!("{h}h{m:02}m{s:02}.{frac}s")
    } else if m > 0 {
        format!("{m}m{s:02}.{frac}s")
    } else {
        format!("{s}.{frac}s")
    }
}

/// A duration in a short form: `850ms`, `8.6s`, `1m18s`.
pub fn fmt_duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{}.{}s", ms / 1000, (ms % 1000) / 100)
    } else {
        podsim::time::clock(ms)
    }
}

/// What a panel shows when nothing runs yet or no pod is selected (`t().nothing_runs`,
/// `t().no_pod`, …).
#[component]
pub fn EmptyPanel(#[prop(into)] text: String) -> impl IntoView {
    view! { <p class="empty-state detail-empty">{text}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_well() {
        assert_eq!(fmt_ms(0), "0.0s");
        assert_eq!(fmt_ms(12_345), "12.3s");
        assert_eq!(fmt_ms(65_200), "1m05.2s");
        assert_eq!(fmt_ms(3_723_400), "1h02m03.4s");
        assert_eq!(fmt_duration(850), "850ms");
        assert_eq!(fmt_duration(8_646), "8.6s");
        assert_eq!(fmt_duration(78_000), "1m18s");
    }

    #[test]
    fn pod_labels_hide_the_default_namespace() {
        assert_eq!(pod_label(&ObjectKey::new("default", "web")), "pod/web");
        assert_eq!(pod_label(&ObjectKey::new("shop", "web")), "pod/shop/web");
    }
}
