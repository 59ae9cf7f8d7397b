//! Timeline lanes: a crash-looping container's lane shows its runs with growing restart counts
//! and growing back-off gaps; probe attempts become ticks.

use podsim::history::{lanes, SegmentState};

fn run(id: &str, until_ms: u64) -> podsim::Timeline {
    let s = podsim::gallery::get(id).expect("scenario");
    let objects = podsim::manifest::parse(s.text).objects.into_iter().map(|o| o.object).collect();
    podsim::Timeline::run(podsim::Scenario::new(objects), podsim::Limits { until_ms, ..podsim::Limits::default() })
}

#[test]
fn crash_loop_lane_has_growing_gaps() {
    let t = run("restart-always-exit1", 5 * 60_000);
    let l = lanes(&t);
    let app = l.iter().find(|l| l.container == "app").expect("lane");
    let runs: Vec<_> = app.segments.iter().filter(|s| matches!(s.state, SegmentState::Running { .. })).collect();
    assert!(runs.len() >= 5, "{runs:?}");
    assert!(runs.windows(2).all(|w| w[1].restart_count == w[0].restart_count + 1));
    let starts: Vec<u64> = runs.iter().map(|r| r.from_ms).collect();
    let gaps: Vec<u64> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    // Run time is about 2 s each; the waits double: 0, 10, 20, 40, 80 s.
    assert!(gaps.windows(2).skip(1).all(|w| w[1] > w[0]), "gaps should grow: {gaps:?}");
    let backoffs = app.segments.iter().filter(|s| matches!(&s.state, SegmentState::Waiting { reason } if reason == "CrashLoopBackOff")).count();
    assert!(backoffs >= 3);
}

#[test]
fn probe_attempts_are_ticks() {
    let t = run("probe-liveness-exec", 2 * 60_000);
    let l = lanes(&t);
    let lane = l.iter().find(|l| l.container == "liveness").expect("lane");
    let failed = lane.ticks.iter().filter(|t| t.kind == "liveness" && !t.ok).count();
    let passed = lane.ticks.iter().filter(|t| t.kind == "liveness" && t.ok).count();
    assert!(passed >= 4 && failed >= 3, "passed {passed}, failed {failed}");
    assert!(lane.ticks.iter().all(|tk| tk.step < t.steps.len() && t.steps[tk.step].time_ms == tk.at_ms));
}
