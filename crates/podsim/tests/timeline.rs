//! The timeline: rebuilding any step's world from checkpoints (`world_after`, `world_at`),
//! determinism, forks that keep the past, the run's bounds, and a 24-hour crash loop.
//!
//! The scenarios come from `tests/scenarios/*.yaml` (their `# args:` line gives `--until`,
//! `--seed` and `--at` interventions, as `podsim run` reads them), so every behaviour the golden
//! tests cover is also replayed here step by step.

use std::path::{Path, PathBuf};

use podsim::api::{Object, ObjectKey};
use podsim::printers::{self, GetOptions};
use podsim::sim::Sim;
use podsim::time::SimTime;
use podsim::world::World;
use podsim::{Action, Bound, Limits, Scenario, Step, Timeline};

const S: u64 = 1_000;
const M: u64 = 60_000;

// ---------------------------------------------------------------- scenarios from the data files

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

fn objects_of(text: &str) -> Vec<Object> {
    let parsed = podsim::manifest::parse(text);
    parsed.objects.into_iter().map(|o| o.object).collect()
}

/// A scenario file as `podsim run` reads it: its objects, seed and `--at` actions, and `--until`.
fn load(name: &str) -> (Scenario, SimTime) {
    let path = scenarios_dir().join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let args = text.lines().next().and_then(|l| l.strip_prefix("# args:")).expect("# args: line");
    let words = podsim::kubectl::split_words(args).unwrap();
    let mut scenario = Scenario::new(objects_of(&text));
    let mut until = 5 * M;
    let mut i = 0;
    while i < words.len() {
        let value = words.get(i + 1).cloned().unwrap_or_default();
        match words[i].as_str() {
            "--until" => until = podsim::cli::parse_duration(&value).unwrap(),
            "--seed" => scenario.seed = value.parse().unwrap(),
            "--at" => {
                let (t, cmd) = value.split_once('=').unwrap();
                let t = podsim::cli::parse_duration(t).unwrap();
                match podsim::kubectl::parse(cmd, "default").unwrap() {
                    podsim::kubectl::Parsed::Action(a) => scenario.actions.push((t, a)),
                    podsim::kubectl::Parsed::ApplyFile { path } => {
                        let text = std::fs::read_to_string(scenarios_dir().join(path)).unwrap();
                        scenario.actions.push((t, Action::Apply { objects: objects_of(&text).into() }));
                    }
                    podsim::kubectl::Parsed::Query(q) => panic!("query in --at: {q:?}"),
                }
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    (scenario, until)
}

fn limits(until_ms: SimTime, checkpoint_every: usize) -> Limits {
    Limits { until_ms, max_steps: 200_000, checkpoint_every }
}

/// Scenarios that together exercise every actor: kubectl actions, the scheduler (preemption,
/// taints), crash loops, probes, hooks and graceful deletion, init containers and sidecars,
/// exec, node failure.
const REPLAYED: &[&str] = &[
    "creation-flow",
    "backoff-schedule",
    "hooks-graceful",
    "init-waits-for-service",
    "network-localhost",
    "node-failure",
    "probe-liveness-exec",
    "probe-startup-slow-app",
    "sched-preemption",
    "sched-taints-late",
    "sidecar-start-order",
    "sidecar-job-completes",
    "restart-onfailure-oom",
];

// ---------------------------------------------------------------- observing worlds

fn fingerprint(w: &World) -> u64 {
    podsim::rng::fnv1a(format!("{w:?}").as_bytes())
}

fn pods_text(w: &World) -> String {
    let p = printers::get_pods(w, w.now_ms, &GetOptions { all_namespaces: true, output: printers::OutputFormat::Wide, ..GetOptions::default() });
    format!("{}{}", p.stdout, p.stderr)
}

/// What a step-by-step run saw right after each step (index 0: before the first step).
struct Observed {
    fingerprints: Vec<u64>,
    pods: Vec<String>,
    steps: Vec<Step>,
    bound: Bound,
}

fn step_by_step(scenario: &Scenario, limits: &Limits) -> Observed {
    let mut sim = podsim::timeline::start(scenario);
    let mut o = Observed { fingerprints: vec![fingerprint(&sim.world)], pods: vec![pods_text(&sim.world)], steps: Vec::new(), bound: Bound::Quiet };
    o.bound = podsim::timeline::drive(&mut sim, limits, |step, s| {
        o.fingerprints.push(fingerprint(&s.world));
        o.pods.push(pods_text(&s.world));
        o.steps.push(step.clone());
    });
    o
}

/// The steps as comparable text: time, actor, sentence, output, changes, events, detail.
fn steps_text(steps: &[Step]) -> Vec<String> {
    steps.iter().map(|s| format!("{} {} {} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?}", s.index, s.time_ms, s.actor.label(), s.why.sentence(), s.output, s.changes, s.events, s.pod, s.detail)).collect()
}

fn sentences(steps: &[Step]) -> Vec<(SimTime, String)> {
    steps.iter().map(|s| (s.time_ms, format!("{} {}", s.actor.label(), s.why.sentence()))).collect()
}

// ---------------------------------------------------------------- world_after / world_at

#[test]
fn world_after_n_equals_the_step_by_step_world_for_every_n() {
    for name in REPLAYED {
        let (scenario, until) = load(name);
        let lim = limits(until, 8);
        let tl = Timeline::run(scenario.clone(), lim);
        let seen = step_by_step(&scenario, &lim);
        assert_eq!(steps_text(&tl.steps), steps_text(&seen.steps), "{name}: the recorded steps differ from a step-by-step run");
        assert_eq!(tl.bound, seen.bound, "{name}");
        assert!(tl.steps.len() >= 10, "{name}: {} steps", tl.steps.len());
        for n in 0..=tl.steps.len() {
            let w = tl.world_after(n);
            assert_eq!(pods_text(&w), seen.pods[n], "{name}: get pods after {n} of {} steps", tl.steps.len());
            assert_eq!(fingerprint(&w), seen.fingerprints[n], "{name}: world after {n} of {} steps differs", tl.steps.len());
            if n > 0 {
                assert_eq!(w.now_ms, tl.steps[n - 1].time_ms, "{name}: the clock after {n} steps shows the last step's time");
            }
        }
    }
}

#[test]
fn world_after_does_not_depend_on_the_checkpoint_spacing() {
    let (scenario, until) = load("hooks-graceful");
    let reference = Timeline::run(scenario.clone(), limits(until, 1));
    for every in [0, 3, 8, 64, 1_000_000] {
        let tl = Timeline::run(scenario.clone(), limits(until, every));
        assert_eq!(steps_text(&tl.steps), steps_text(&reference.steps), "checkpoint_every {every}");
        for n in (0..=tl.steps.len()).step_by(7).chain([tl.steps.len()]) {
            assert_eq!(fingerprint(&tl.world_after(n)), fingerprint(&reference.world_after(n)), "checkpoint_every {every}, n {n}");
        }
    }
}

/// Playback asks for the state a few steps after the one it showed: starting from that state
/// must give exactly the state replayed from the checkpoint, queue included, for forward hops of
/// every size (and a hint that is ahead, or behind the checkpoint, must be ignored).
#[test]
fn sim_after_from_a_nearby_state_equals_sim_after() {
    for name in REPLAYED {
        let (scenario, until) = load(name);
        let tl = Timeline::run(scenario.clone(), limits(until, 16));
        let n = tl.steps.len();
        for hop in [1, 3, 7, 40] {
            let mut shown = tl.sim_after(0);
            let mut at = 0;
            while at < n {
                let next = (at + hop).min(n);
                let from_near = tl.sim_after_from(next, Some(shown.clone()));
                assert_eq!(format!("{from_near:?}"), format!("{:?}", tl.sim_after(next)), "{name}: hop {hop} from {at} to {next}");
                shown = from_near;
                at = next;
            }
        }
        // A hint past the target, or one the checkpoint beats, changes nothing either.
        let ahead = tl.sim_after(n);
        let early = tl.sim_after(1);
        for target in [0, n / 2, n.saturating_sub(1)] {
            let expected = format!("{:?}", tl.sim_after(target));
            assert_eq!(format!("{:?}", tl.sim_after_from(target, Some(ahead.clone()))), expected, "{name}: hint ahead, target {target}");
            assert_eq!(format!("{:?}", tl.sim_after_from(target, Some(early.clone()))), expected, "{name}: early hint, target {target}");
        }
    }
}

#[test]
fn world_after_more_steps_than_recorded_is_the_end() {
    let (scenario, until) = load("creation-flow");
    let tl = Timeline::run(scenario, limits(until, 8));
    let n = tl.steps.len();
    assert_eq!(fingerprint(&tl.world_after(n + 5)), fingerprint(&tl.world_after(n)));
}

#[test]
fn world_at_shows_every_step_at_or_before_t_on_a_clock_set_to_t() {
    for name in ["probe-liveness-exec", "sched-preemption"] {
        let (scenario, until) = load(name);
        let lim = limits(until, 8);
        let tl = Timeline::run(scenario.clone(), lim);
        let seen = step_by_step(&scenario, &lim);
        let mut instants: Vec<SimTime> = vec![0, 1, until / 3, until / 2, until];
        // Exactly at a step, just before and just after it.
        for s in tl.steps.iter().step_by(11) {
            instants.extend([s.time_ms.saturating_sub(1), s.time_ms, s.time_ms + 1]);
        }
        for t in instants {
            let n = tl.steps.iter().filter(|s| s.time_ms <= t).count();
            assert_eq!(tl.steps_until(t), n, "{name}: steps until {t}");
            let w = tl.world_at(t);
            assert_eq!(w.now_ms, t, "{name}");
            // The step-by-step world after those n steps, seen at t.
            let mut expected = tl.world_after(n);
            assert_eq!(fingerprint(&expected), seen.fingerprints[n]);
            expected.now_ms = t;
            assert_eq!(pods_text(&w), pods_text(&expected), "{name}: get pods at {t}");
            assert_eq!(fingerprint(&w), fingerprint(&expected), "{name}: world at {t}");
        }
    }
}

#[test]
fn world_at_ages_the_pods_between_steps() {
    let until = 10 * M;
    let tl = Timeline::run(Scenario::new(objects_of(ONE_SHOT)), limits(until, 8));
    let last = tl.steps.last().unwrap().time_ms;
    let later = (last + 2 * M).min(until);
    assert!(later > last + 30 * S);
    let a = tl.world_at(last);
    let b = tl.world_at(later);
    // Same objects, older pods.
    assert_eq!(format!("{:?}", a.pods), format!("{:?}", b.pods));
    assert_ne!(pods_text(&a), pods_text(&b), "AGE moves with the clock");
}

// ---------------------------------------------------------------- determinism

#[test]
fn two_runs_are_byte_identical() {
    for name in REPLAYED {
        let (scenario, until) = load(name);
        let a = Timeline::run(scenario.clone(), limits(until, 8));
        let b = Timeline::run(scenario, limits(until, 8));
        assert_eq!(format!("{:?}", a.steps), format!("{:?}", b.steps), "{name}");
        assert_eq!(format!("{:?}", a.last.world), format!("{:?}", b.last.world), "{name}");
        assert_eq!(a.bound, b.bound);
    }
}

/// Replaces every run of digits with `#`.
fn without_numbers(s: &str) -> String {
    let mut out = String::new();
    let mut in_num = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_num {
                out.push('#');
            }
            in_num = true;
        } else {
            out.push(c);
            in_num = false;
        }
    }
    out
}

#[test]
fn different_seeds_differ_only_in_jittered_timings() {
    // One pod pinned to its node (no tie-break), a crash loop plus a probe: the same story with
    // other durations. UIDs are derived from the seed too; everything else is identical.
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  nodeName: worker-1\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: ['sh', '-c', 'sleep 5; exit 1']\n";
    let run = |seed: u64| {
        let mut sc = Scenario::new(objects_of(yaml));
        sc.seed = seed;
        Timeline::run(sc, limits(3 * M, 0))
    };
    let a = run(1);
    let b = run(2);
    let story = |tl: &Timeline| tl.steps.iter().map(|s| without_numbers(&format!("{} {}", s.actor.label(), s.why.sentence()))).collect::<Vec<_>>();
    assert_eq!(story(&a), story(&b), "same sequence of steps, up to numbers");
    let times = |tl: &Timeline| tl.steps.iter().map(|s| s.time_ms).collect::<Vec<_>>();
    assert_ne!(times(&a), times(&b), "the seed moves the jittered timings");
    // The timings stay within the jitter (±10 % of each duration): the crash loop's rhythm is the same.
    let starts = |tl: &Timeline| tl.steps.iter().filter(|s| matches!(s.why, podsim::explain::Why::Started { .. })).map(|s| s.time_ms as i64).collect::<Vec<_>>();
    let (sa, sb) = (starts(&a), starts(&b));
    assert_eq!(sa.len(), sb.len());
    for (x, y) in sa.iter().zip(&sb) {
        assert!((x - y).abs() < 2_000, "start times {x} vs {y}");
    }
    let pod = |tl: &Timeline| tl.last.world.pod("default", "crasher").unwrap().clone();
    let (pa, pb) = (pod(&a), pod(&b));
    assert_ne!(pa.meta.uid, pb.meta.uid);
    assert_eq!(pa.status.phase, pb.status.phase);
    assert_eq!(pa.status.container_statuses[0].restart_count, pb.status.container_statuses[0].restart_count);
}

// ---------------------------------------------------------------- fork

fn fork_cases() -> Vec<(&'static str, SimTime, Action)> {
    let delete = |name: &str, grace: Option<i64>, force: bool| Action::DeletePod { namespace: "default".into(), name: name.into(), grace_seconds: grace, force };
    vec![
        ("creation-flow", 10 * S, delete("nginx", None, false)),
        ("creation-flow", 10 * S, delete("nginx", Some(0), true)),
        ("creation-flow", 1_500, delete("nginx", Some(2), false)),
        ("probe-liveness-exec", 45 * S, Action::Exec { namespace: "default".into(), pod: "liveness-exec".into(), container: "liveness".into(), command: vec!["touch".into(), "/tmp/healthy".into()] }),
        ("backoff-schedule", 100 * S, delete("crasher", Some(5), false)),
        ("sched-node-selector", 10 * S, Action::Label { kind: "Node".into(), namespace: String::new(), name: "worker-1".into(), set: vec![("gpu".into(), "true".into())], remove: vec![], overwrite: false }),
        ("sched-preemption", 5 * S, Action::Cordon { node: "worker-2".into(), unschedulable: true }),
        ("hooks-graceful", 0, Action::NodeFail { node: "worker-1".into() }),
    ]
}

#[test]
fn fork_keeps_the_past_and_equals_a_run_with_the_action_added() {
    for (name, at, action) in fork_cases() {
        let (scenario, until) = load(name);
        let base = Timeline::run(scenario.clone(), limits(until, 8));
        let base_worlds: Vec<u64> = (0..=base.steps.len()).step_by(7).map(|n| fingerprint(&base.world_after(n))).collect();
        let forked = base.fork(at, action.clone());
        // Regression guard for the scheduler's memos (scheduler/cache.rs), which a fork shares
        // with its base until its nodes change: the base's worlds rebuild as before the fork.
        let after: Vec<u64> = (0..=base.steps.len()).step_by(7).map(|n| fingerprint(&base.world_after(n))).collect();
        assert_eq!(base_worlds, after, "{name}: forking changed the base timeline's worlds");
        // The past is kept exactly.
        let kept = base.steps.iter().take_while(|s| s.time_ms < at).count();
        assert!(forked.steps.len() >= kept);
        assert_eq!(steps_text(&forked.steps[..kept]), steps_text(&base.steps[..kept]), "{name} fork at {at}: the past changed");
        assert!(forked.steps[kept..].iter().all(|s| s.time_ms >= at), "{name}: a forked step before the fork instant");
        // The future is what a run with the action from the start produces.
        let mut with_action = scenario.clone();
        with_action.actions.push((at, action.clone()));
        // A fork runs at least FORK_TAIL_MS past its action, so compare with the same horizon.
        let scratch = Timeline::run(with_action.clone(), limits(until.max(at + podsim::timeline::FORK_TAIL_MS), 8));
        assert_eq!(sentences(&forked.steps), sentences(&scratch.steps), "{name} fork at {at}: differs from a from-scratch run");
        assert_eq!(steps_text(&forked.steps), steps_text(&scratch.steps), "{name} fork at {at}");
        assert_eq!(forked.bound, scratch.bound);
        assert_eq!(fingerprint(&forked.last.world), fingerprint(&scratch.last.world), "{name}: final worlds differ");
        assert_eq!(forked.scenario.actions, with_action.actions);
        // The fork changes the future (the action is recorded at its instant).
        assert!(forked.steps.iter().any(|s| s.time_ms == at && s.index == kept), "{name}: the action is the first new step");
        // Its own checkpoints rebuild its worlds.
        for n in (0..=forked.steps.len()).step_by(5) {
            assert_eq!(fingerprint(&forked.world_after(n)), fingerprint(&scratch.world_after(n)), "{name}: world after {n}");
        }
    }
}

#[test]
fn fork_of_a_fork_and_fork_without_checkpoints() {
    let (scenario, until) = load("creation-flow");
    let del = Action::DeletePod { namespace: "default".into(), name: "nginx".into(), grace_seconds: Some(3), force: false };
    let label = Action::Label { kind: "Pod".into(), namespace: "default".into(), name: "nginx".into(), set: vec![("tier".into(), "web".into())], remove: vec![], overwrite: false };
    for every in [0, 1, 8] {
        let base = Timeline::run(scenario.clone(), limits(until, every));
        let twice = base.fork(5 * S, label.clone()).fork(20 * S, del.clone());
        let mut sc = scenario.clone();
        sc.actions.push((5 * S, label.clone()));
        sc.actions.push((20 * S, del.clone()));
        let scratch = Timeline::run(sc, limits(until, every));
        assert_eq!(steps_text(&twice.steps), steps_text(&scratch.steps), "checkpoint_every {every}");
        assert!(twice.last.world.pod("default", "nginx").is_none());
        assert!(twice.steps.iter().any(|s| s.why.sentence().contains("tier=web")), "the label of the first fork is kept");
    }
}

// ---------------------------------------------------------------- bounds

const SLEEPER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: sleeper\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: ['sleep', '3600']\n";
const CRASHER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: ['sh', '-c', 'exit 1']\n";
const ONE_SHOT: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: one-shot\nspec:\n  restartPolicy: Never\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: ['sh', '-c', 'echo done']\n";

#[test]
fn a_run_stops_at_its_horizon() {
    let tl = Timeline::run(Scenario::new(objects_of(SLEEPER)), limits(90 * S, 8));
    assert_eq!(tl.bound, Bound::Horizon);
    assert!(tl.steps.iter().all(|s| s.time_ms <= 90 * S));
    assert_eq!(tl.last.world.now_ms, 90 * S, "the final world is seen at the horizon");
    // Horizon is inclusive: a step exactly at the horizon is taken.
    let t = tl.steps[5].time_ms;
    let cut = Timeline::run(Scenario::new(objects_of(SLEEPER)), limits(t, 8));
    assert_eq!(cut.bound, Bound::Horizon);
    assert_eq!(cut.steps.last().map(|s| s.time_ms), Some(t));
    assert_eq!(steps_text(&cut.steps), steps_text(&tl.steps[..cut.steps.len()]));
}

#[test]
fn a_run_stops_at_its_step_limit() {
    let tl = Timeline::run(Scenario::new(objects_of(CRASHER)), Limits { until_ms: 10 * M, max_steps: 12, checkpoint_every: 5 });
    assert_eq!(tl.bound, Bound::MaxSteps);
    assert_eq!(tl.steps.len(), 12);
    // The world is the one right after the last step, its clock at that step.
    assert_eq!(tl.last.world.now_ms, tl.steps[11].time_ms);
    let full = Timeline::run(Scenario::new(objects_of(CRASHER)), limits(10 * M, 5));
    assert!(full.steps.len() > 12);
    assert_eq!(steps_text(&tl.steps), steps_text(&full.steps[..12]));
    assert_eq!(fingerprint(&tl.world_after(12)), fingerprint(&full.world_after(12)));
}

#[test]
fn a_run_with_nothing_left_to_happen_is_quiet() {
    // A pod that ran to completion: afterwards nothing changes but the clock.
    let tl = Timeline::run(Scenario::new(objects_of(ONE_SHOT)), limits(30 * M, 8));
    assert_eq!(tl.bound, Bound::Quiet, "last step at {:?}", tl.steps.last().map(|s| (s.time_ms, s.why.sentence())));
    assert_eq!(tl.last.world.now_ms, 30 * M, "a quiet cluster still ages to the horizon");
    let pod = tl.last.world.pod("default", "one-shot").unwrap();
    assert_eq!(pod.status.phase, podsim::api::Phase::Succeeded);
    assert!(tl.steps.last().unwrap().time_ms < M);
    // An empty scenario is quiet from the start.
    let empty = Timeline::run(Scenario::new(Vec::new()), limits(10 * M, 8));
    assert_eq!(empty.bound, Bound::Quiet);
    assert!(empty.steps.is_empty());
    // But a failed node is not quiet until the node controller has reacted.
    let mut sc = Scenario::new(Vec::new());
    sc.actions.push((S, Action::NodeFail { node: "worker-1".into() }));
    let failed = Timeline::run(sc, limits(10 * M, 8));
    assert_eq!(failed.bound, Bound::Quiet);
    assert!(failed.steps.iter().any(|s| matches!(&s.why, podsim::explain::Why::NodeUnknown { node } if node == "worker-1")));
}

#[test]
fn drive_reports_the_same_bounds() {
    for (yaml, lim, want) in [
        (SLEEPER, limits(90 * S, 0), Bound::Horizon),
        (CRASHER, Limits { until_ms: 10 * M, max_steps: 7, checkpoint_every: 0 }, Bound::MaxSteps),
        (ONE_SHOT, limits(30 * M, 0), Bound::Quiet),
    ] {
        let mut sim: Sim = podsim::timeline::start(&Scenario::new(objects_of(yaml)));
        let mut n = 0;
        let bound = podsim::timeline::drive(&mut sim, &lim, |_, _| n += 1);
        assert_eq!(bound, want);
        assert_eq!(n, sim.steps_taken);
    }
}

// ---------------------------------------------------------------- a day of CrashLoopBackOff

#[test]
fn a_day_of_crash_loop_back_off_finishes_with_a_plausible_restart_count() {
    let yaml = CRASHER;
    let day = 24 * 60 * M;
    let started = std::time::Instant::now();
    let tl = Timeline::run(Scenario::new(objects_of(yaml)), Limits { until_ms: day, max_steps: 200_000, checkpoint_every: 64 });
    assert_eq!(tl.bound, Bound::Horizon);
    assert!(tl.steps.len() < 20_000, "{} steps for a day", tl.steps.len());
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "took {:?}", started.elapsed());
    let pod = tl.last.world.pods.get(&ObjectKey::new("default", "crasher")).unwrap();
    let restarts = pod.status.container_statuses[0].restart_count;
    // Starts at ≈ 0, 10, 30, 70, 150, 310, 610 s, then every 300 s plus about a second of
    // start latency: restart 7 at ≈ 610 s, then 7 + (86 400 − 610) / 301…300 ≈ 292 restarts.
    assert!((285..=292).contains(&restarts), "restartCount {restarts}");
    let steps_in_last_hour = tl.steps.iter().filter(|s| s.time_ms >= day - 60 * M).count();
    assert!(steps_in_last_hour < 400, "{steps_in_last_hour} steps in the last hour");
    // Scrubbing to the middle of the day is as cheap as ever (checkpoints) and consistent.
    let mid = tl.world_at(day / 2);
    let mid_restarts = mid.pods.get(&ObjectKey::new("default", "crasher")).unwrap().status.container_statuses[0].restart_count;
    assert!((130..=150).contains(&mid_restarts), "restartCount at noon {mid_restarts}");
}
