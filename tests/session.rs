//! Native tests of the simulation controllers behind the page: the session (apply, fork), the
//! transport state machine (play, advance, step, instant, seek) and the `SimState` intents, all
//! without a browser. The browser tests (`tests/e2e/`) cover what needs a DOM.

use leptos::prelude::*;
use podsim::explain::Why;
use podsim::sim::Action;

use pod_playground::i18n::Lang;
use pod_playground::panels::cluster::{backoff_left_ms, chip_of, cluster_view, ChipTone, ClusterStore, ClusterView, Place};
use pod_playground::panels::problems::{marker_of, problems_of};
use pod_playground::panels::transport::{bucket_marks, key_command, mark_kind, MarkKind};
use pod_playground::state::playback::{snap_speed, speed_label, Command, Cursor, Playback, SPEEDS};
use pod_playground::state::session::{Session, DEFAULT_SEED};
use pod_playground::state::sim::SimState;

const CRASHING: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  restartPolicy: Always
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo working; sleep 2; exit 1\"]
";

const SLEEPER: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: sleeper
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
";

/// Steps have no `PartialEq`; their debug text shows every field.
fn same_steps(a: &[podsim::Step], b: &[podsim::Step]) -> bool {
    a.len() == b.len() && format!("{a:?}") == format!("{b:?}")
}

fn session(text: &str) -> Session {
    Session::apply(text, DEFAULT_SEED)
}

#[test]
fn apply_parses_simulates_and_derives_lanes() {
    let s = session(CRASHING);
    assert!(s.parsed.rejections.is_empty(), "{:?}", s.parsed.rejections);
    assert!(!s.is_empty());
    assert!(s.timeline.steps.iter().any(|st| matches!(st.why, Why::Scheduled { .. })));
    assert!(s.timeline.steps.iter().any(|st| matches!(st.why, Why::CrashLoop { .. })));
    assert!(s.lanes.iter().any(|l| l.container == "app"));
    assert_eq!(s.end_ms(), pod_playground::state::session::HORIZON_MS);
}

#[test]
fn apply_never_panics_on_bad_input_and_keeps_the_good_objects() {
    for text in ["", "::: not yaml [", "kind: Pod\n", "apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n", "\u{0}\u{ffff}"] {
        let s = session(text);
        assert!(s.timeline.steps.iter().all(|st| st.pod.is_none()), "{text:?} runs no pod");
    }
    let mixed = format!("{SLEEPER}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: app\n");
    let s = session(&mixed);
    assert_eq!(s.parsed.rejections.len(), 1, "{:?}", s.parsed.rejections);
    assert!(s.timeline.last.world.pods.keys().any(|k| k.name == "sleeper"));
    assert!(!s.timeline.last.world.pods.keys().any(|k| k.name == "bad"));
}

#[test]
fn play_advances_with_speed_and_stops_at_the_end() {
    let s = session(SLEEPER);
    let (steps, end) = (&s.timeline.steps[..], s.end_ms());
    let mut p = Playback::default();
    assert!(!p.advance(steps, 1000.0, end), "paused: nothing moves");
    p.apply(Command::Play, steps, end);
    assert!(p.playing);
    assert!(p.advance(steps, 500.0, end));
    assert_eq!(p.cursor.time_ms, 500);
    p.apply(Command::Speed(4.0), steps, end);
    p.advance(steps, 250.0, end);
    assert_eq!(p.cursor.time_ms, 1500);
    assert_eq!(p.cursor.steps, steps.partition_point(|st| st.time_ms <= 1500));
    // Fractions of a millisecond add up instead of being lost.
    p.apply(Command::Speed(0.25), steps, end);
    for _ in 0..4 {
        p.advance(steps, 1.0, end);
    }
    assert_eq!(p.cursor.time_ms, 1501);
    p.apply(Command::Speed(16.0), steps, end);
    p.advance(steps, 1e12, end);
    assert_eq!(p.cursor, Cursor { time_ms: end, steps: steps.len() });
    assert!(!p.playing, "stops at the end");
    p.apply(Command::Toggle, steps, end);
    assert!(p.playing && p.cursor.time_ms == 0, "playing from the end starts over");
}

#[test]
fn step_back_and_forward_restore_the_same_cursor() {
    let s = session(CRASHING);
    let (steps, end) = (&s.timeline.steps[..], s.end_ms());
    let mut p = Playback::default();
    let mut trail = vec![p.cursor];
    for _ in 0..20 {
        p.apply(Command::StepForward, steps, end);
        trail.push(p.cursor);
    }
    for i in 1..trail.len() {
        assert_eq!(trail[i].steps, i, "one step at a time");
        assert_eq!(trail[i].time_ms, steps[i - 1].time_ms, "at the step's instant");
    }
    for expected in trail.iter().rev().skip(1) {
        p.apply(Command::StepBack, steps, end);
        assert_eq!(p.cursor, *expected);
    }
    p.apply(Command::StepBack, steps, end);
    assert_eq!(p.cursor, Cursor { time_ms: 0, steps: 0 }, "nothing before the start");
    // The world at a cursor is the same however it was reached.
    let a = s.timeline.world_after(trail[12].steps);
    let b = s.timeline.world_after(12);
    assert_eq!(a.pods, b.pods);
}

#[test]
fn instant_stepping_takes_every_step_of_an_instant() {
    let s = session(CRASHING);
    let (steps, end) = (&s.timeline.steps[..], s.end_ms());
    let mut p = Playback::default();
    let mut instants = Vec::new();
    loop {
        let before = p.cursor;
        p.apply(Command::InstantForward, steps, end);
        if p.cursor == before {
            break;
        }
        let t = p.cursor.time_ms;
        assert_eq!(p.cursor.steps, steps.partition_point(|st| st.time_ms <= t), "all steps of {t} taken");
        assert!(instants.last().is_none_or(|&last| last < t), "instants strictly increase");
        instants.push(t);
    }
    assert_eq!(p.cursor.steps, steps.len());
    let mut distinct: Vec<_> = steps.iter().map(|st| st.time_ms).collect();
    distinct.dedup();
    assert_eq!(instants, distinct);
    for t in distinct.iter().rev().skip(1) {
        p.apply(Command::InstantBack, steps, end);
        assert_eq!(p.cursor.time_ms, *t);
    }
    p.apply(Command::InstantBack, steps, end);
    assert_eq!(p.cursor, Cursor { time_ms: 0, steps: 0 });
}

#[test]
fn seek_and_jumps_clamp_to_the_run() {
    let s = session(CRASHING);
    let (steps, end) = (&s.timeline.steps[..], s.end_ms());
    let mut p = Playback::default();
    p.apply(Command::Seek(30_000), steps, end);
    assert_eq!(p.cursor, Cursor { time_ms: 30_000, steps: steps.partition_point(|st| st.time_ms <= 30_000) });
    let at_30s = p.cursor;
    p.apply(Command::Seek(u64::MAX), steps, end);
    assert_eq!(p.cursor.time_ms, end);
    p.apply(Command::JumpStart, steps, end);
    assert_eq!(p.cursor, Cursor { time_ms: 0, steps: 0 });
    p.apply(Command::JumpEnd, steps, end);
    assert_eq!(p.cursor, Cursor { time_ms: end, steps: steps.len() });
    p.apply(Command::Seek(30_000), steps, end);
    assert_eq!(p.cursor, at_30s, "scrubbing back restores the same cursor");
    // Before Apply there are no steps: every command is harmless.
    let mut empty = Playback::default();
    for c in [Command::StepForward, Command::StepBack, Command::InstantBack, Command::InstantForward, Command::JumpEnd, Command::Seek(5)] {
        empty.apply(c, &[], 0);
    }
    assert_eq!(empty.cursor, Cursor { time_ms: 0, steps: 0 });
}

#[test]
fn speeds_snap_to_the_offered_ones() {
    assert_eq!(snap_speed(3.0), 4.0);
    assert_eq!(snap_speed(0.3), 0.25);
    assert_eq!(snap_speed(100.0), 16.0);
    assert_eq!(snap_speed(f64::NAN), 1.0);
    assert_eq!(snap_speed(-2.0), 1.0);
    assert_eq!(SPEEDS.map(speed_label), ["0.25×", "0.5×", "1×", "2×", "4×", "8×", "16×"]);
}

#[test]
fn an_intervention_forks_the_future_and_keeps_the_past() {
    let s = session(SLEEPER);
    let at = 30_000;
    let forked = s.intervene(at, "kubectl delete pod sleeper", Action::DeletePod { namespace: "default".into(), name: "sleeper".into(), grace_seconds: None, force: false });
    let keep = s.timeline.steps.partition_point(|st| st.time_ms < at);
    assert!(same_steps(&forked.timeline.steps[..keep], &s.timeline.steps[..keep]), "the past stays");
    assert!(forked.timeline.steps[keep..].iter().any(|st| matches!(st.why, Why::Killing { .. })));
    assert!(!forked.timeline.last.world.pods.keys().any(|k| k.name == "sleeper"), "deleted in the new future");
    assert_eq!(forked.interventions.len(), 1);
    assert_eq!(forked.interventions[0].at_ms, at);
    // A second fork keeps the first intervention.
    let again = forked.intervene(40_000, "kubectl get pods", Action::CreateNamespace { name: "extra".into() });
    assert_eq!(again.interventions.len(), 2);
    assert!(same_steps(&again.timeline.steps[..keep], &s.timeline.steps[..keep]));
}

#[test]
fn sim_state_applies_plays_and_forks() {
    let owner = Owner::new();
    owner.set();
    let sim = SimState::new();
    assert_eq!(sim.snapshot.get_untracked(), None);
    assert!(!sim.run_command("get pods").1, "nothing runs before Apply");
    sim.apply(SLEEPER, DEFAULT_SEED);
    assert_eq!(sim.revision.get_untracked(), 1);
    assert!(sim.playback.get_untracked().playing, "Apply plays");
    assert_eq!(sim.selected.get_untracked().map(|k| k.name), Some("sleeper".into()));
    let snap = sim.snapshot.get_untracked().expect("a snapshot");
    assert_eq!((snap.steps, snap.time_ms), (0, 0));

    // Advancing inside one instant keeps the world; a step rebuilds it.
    assert!(sim.advance(1.0));
    let a = sim.snapshot.get_untracked().expect("a snapshot");
    sim.transport(Command::Pause);
    sim.transport(Command::Seek(60_000));
    let b = sim.snapshot.get_untracked().expect("a snapshot");
    assert!(b.steps > a.steps);
    let pod = b.world.pods.values().next().expect("the pod");
    assert_eq!(pod.status.phase.as_str(), "Running");
    assert!(!sim.advance(16.0), "paused: the frame loop stops");

    let (out, ok) = sim.run_command("get pods");
    assert!(ok, "{out}");
    assert!(out.contains("sleeper") && out.contains("Running"), "{out}");
    let (out, ok) = sim.run_command("delete pod sleeper");
    assert!(ok, "{out}");
    assert!(out.contains("deleted"), "{out}");
    assert_eq!(sim.revision.get_untracked(), 2);
    let cursor = sim.playback.get_untracked().cursor;
    assert!(cursor.time_ms >= 60_000, "the fork happens at the cursor");
    sim.transport(Command::JumpEnd);
    let end = sim.snapshot.get_untracked().expect("a snapshot");
    assert!(end.world.pods.is_empty(), "the pod is gone at the end of the new future");
    let (out, ok) = sim.run_command("frobnicate");
    assert!(!ok, "{out}");
}

#[test]
fn check_reports_diagnostics_without_simulating() {
    let owner = Owner::new();
    owner.set();
    let sim = SimState::new();
    sim.check("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: app\n    image: busybox\n    imagePullPolcy: Always\n");
    let parsed = sim.parsed.get_untracked().expect("parsed");
    assert!(parsed.diagnostics.iter().any(|d| d.line == 9 && d.message.contains("imagePullPolcy")), "{:?}", parsed.diagnostics);
    assert!(sim.session.get_untracked().is_none(), "checking does not simulate");
}

#[test]
fn problems_list_rejections_first_and_markers_point_at_the_field() {
    let parsed = podsim::manifest::parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: app\n    imagePullPolcy: Always\n");
    let problems = problems_of(&parsed);
    assert!(problems[0].rejection, "rejections come first");
    assert!(problems[0].text.contains("is invalid"), "{:?}", problems[0]);
    let typo = problems.iter().find(|p| p.text.contains("imagePullPolcy")).expect("the typo");
    assert_eq!(typo.line, Some(8));
    assert_eq!(typo.severity, "warning");
    let d = parsed.diagnostics.iter().find(|d| d.message.contains("imagePullPolcy")).expect("diagnostic");
    let m = marker_of(d, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: app\n    imagePullPolcy: Always\n");
    assert_eq!((m.start_line, m.start_column), (8, 5));
    assert_eq!(m.end_column, 5 + "imagePullPolcy".len() as u32, "underlines the key");
}

#[test]
fn marks_are_coloured_by_what_happened() {
    let s = session(CRASHING);
    let kinds: Vec<MarkKind> = s.timeline.steps.iter().filter_map(|st| mark_kind(&st.why)).collect();
    for k in [MarkKind::Scheduling, MarkKind::Pull, MarkKind::Start, MarkKind::Kill] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    let marks = bucket_marks(&s.timeline.steps, s.end_ms(), 100);
    assert!(!marks.is_empty() && marks.len() <= 100 * 5);
    assert!(marks.windows(2).all(|w| w[0].percent <= w[1].percent));
    assert!(marks.iter().all(|m| (0.0..=100.0).contains(&m.percent)));
    assert!(bucket_marks(&[], 0, 100).is_empty());
}

#[test]
fn keys_map_to_transport_commands() {
    assert_eq!(key_command(" ", false), Some(Command::Toggle));
    assert_eq!(key_command("ArrowRight", false), Some(Command::StepForward));
    assert_eq!(key_command("ArrowLeft", true), Some(Command::InstantBack));
    assert_eq!(key_command("ArrowRight", true), Some(Command::InstantForward));
    assert_eq!(key_command("Home", false), Some(Command::JumpStart));
    assert_eq!(key_command("End", false), Some(Command::JumpEnd));
    assert_eq!(key_command("a", false), None);
}

#[test]
fn chips_say_what_colour_shows() {
    let s = session(CRASHING);
    let mut seen = Vec::new();
    for n in 0..=s.timeline.steps.len() {
        let world = s.timeline.world_after(n);
        for pod in world.pods.values() {
            for cs in &pod.status.container_statuses {
                let chip = chip_of(cs, Lang::En.strings());
                let (fill, line) = chip.glyph.paths();
                assert!(!chip.label.is_empty() && !(fill.is_empty() && line.is_empty()), "every chip has a text and an icon");
                assert_eq!(chip.glyph, chip.tone.glyph(), "the icon says what the colour says");
                seen.push(chip.tone);
            }
        }
    }
    assert!(seen.contains(&ChipTone::Error), "CrashLoopBackOff shows as an error");
    assert!(seen.contains(&ChipTone::Ready) || seen.contains(&ChipTone::Running));
}

/// Every part of `store` says what `view` says: each pod's and node's view, and the uids at each
/// place in the order `ClusterView::uids_at` gives.
fn store_shows(store: &ClusterStore, view: &ClusterView) {
    assert_eq!(store.counts.get_untracked(), (view.nodes.len(), view.pods.len()));
    assert_eq!(store.node_names.get_untracked(), view.nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>());
    for (uid, pod) in &view.pods {
        assert_eq!(store.pod(uid).get_untracked().as_ref(), Some(pod), "pod {uid}");
    }
    for node in &view.nodes {
        assert_eq!(store.node(&node.name).get_untracked().as_ref(), Some(node), "node {}", node.name);
    }
    let places = [Place::ApiServer, Place::Queue].into_iter().chain(view.nodes.iter().map(|n| Place::Node(n.name.clone())));
    for place in places {
        assert_eq!(store.place(&place).get_untracked(), view.uids_at(&place), "{place:?}");
    }
}

#[test]
fn the_cluster_store_follows_the_view_part_by_part() {
    let owner = Owner::new();
    owner.set();
    let text = format!("{SLEEPER}---\n{}", CRASHING);
    let s = session(&text);
    let t = Lang::En.strings();
    let view_at = |n: usize| {
        let world = s.timeline.world_after(n);
        let step = n.checked_sub(1).and_then(|i| s.timeline.steps.get(i));
        cluster_view(&world, world.now_ms, step, t)
    };
    let store = ClusterStore::new();
    assert_eq!(store.show(None), (0, 0));
    assert!(!store.shown.get_untracked());

    // Before the first step nothing is there; then the pods appear, move (API server → queue →
    // node) and change, and the store follows every step.
    let mut appeared = 0;
    let mut moved = 0;
    for n in 0..=s.timeline.steps.len().min(80) {
        let view = view_at(n);
        let (changed, new) = store.show(Some(view.clone()));
        appeared += new;
        moved += changed;
        assert!(store.shown.get_untracked());
        store_shows(&store, &view);
        assert_eq!(store.show(Some(view)), (0, 0), "the same view again changes nothing");
    }
    assert_eq!(appeared, 2, "each pod appears once");
    assert!(moved >= 2, "the pods changed place on their way to a node ({moved})");

    // Going back to the start (a scrub) removes the pods again.
    let start = view_at(0);
    store.show(Some(start.clone()));
    store_shows(&store, &start);
}

#[test]
fn back_off_countdown_reads_the_waiting_message() {
    let s = session(CRASHING);
    // The first moment the status shows a back-off of 20s.
    let (n, cs) = (1..=s.timeline.steps.len())
        .find_map(|n| {
            let world = s.timeline.world_after(n);
            let cs = world.pods.values().next()?.status.container_statuses.first()?.clone();
            matches!(&cs.state, podsim::api::ContainerState::Waiting { message, .. } if message.starts_with("back-off 20s")).then_some((n, cs))
        })
        .expect("a back-off of 20s");
    let at = s.timeline.steps[n - 1].time_ms;
    let left = backoff_left_ms(&cs, at).expect("a countdown while in CrashLoopBackOff");
    let restart = s.timeline.steps[n..].iter().find(|st| matches!(st.why, Why::Restarting { .. })).expect("the restart");
    assert_eq!(at + left, restart.time_ms, "the countdown ends when the kubelet restarts it");
    assert_eq!(backoff_left_ms(&cs, at + 1_000), Some(left - 1_000));
}
