//! The kubelet through the public API: the crash-loop back-off schedule and its reset, every
//! probe knob, lifecycle hooks, termination (force delete, sidecar order), OOM kills,
//! `kubectl exec`, and `podsim print`. Pods come from YAML (`podsim::manifest::parse`), runs from
//! `podsim::timeline::{start, drive}` so every intermediate pod status can be observed.
//!
//! Timing tolerances: a container start takes the kubelet's sync (20 ms), create + start (180 ms)
//! and, after an exit, the PLEG relist (800 ms), each ±10 % jitter — so "immediately" means
//! within 2 s and an expected instant is met within 1.5 s per start involved.

use std::collections::BTreeMap;

use podsim::api::{ContainerState, ContainerStatus, Object, ObjectKey, Phase, Pod};
use podsim::event::{EventType, KubeEvent};
use podsim::explain::Why;
use podsim::sim::Sim;
use podsim::time::SimTime;
use podsim::{Action, Limits, Scenario, Step};

const S: u64 = 1_000;
const M: u64 = 60_000;

// ---------------------------------------------------------------- running and observing

fn objs(yaml: &str) -> Vec<Object> {
    let p = podsim::manifest::parse(yaml);
    assert!(p.rejections.is_empty() && !p.has_errors(), "manifest rejected:\n{yaml}\n{:?}", p.rejections);
    p.objects.into_iter().map(|o| o.object).collect()
}

/// A recorded run plus, after every step, the pod named `watch` (if it exists then).
struct Run {
    steps: Vec<Step>,
    /// (step index, time, pod) for every step after which the pod existed.
    snapshots: Vec<(usize, SimTime, Pod)>,
    /// Every container exit of the watched pod the runtime recorded: (container, instance id) →
    /// (finishedAt, exit code, reason). Seen on the node, so also for a pod deleted in that step.
    exits: BTreeMap<(String, u64), (SimTime, i32, String)>,
    last: Sim,
}

fn run(yaml: &str, actions: Vec<(u64, Action)>, until_ms: u64, watch: &str) -> Run {
    let mut sc = Scenario::new(objs(yaml));
    sc.actions = actions;
    let mut sim = podsim::timeline::start(&sc);
    let mut r = Run { steps: Vec::new(), snapshots: Vec::new(), exits: BTreeMap::new(), last: sim.clone() };
    let key = ObjectKey::new("default", watch);
    podsim::timeline::drive(&mut sim, &Limits { until_ms, max_steps: 50_000, checkpoint_every: 0 }, |step, s| {
        r.steps.push(step.clone());
        if let Some(p) = s.world.pods.get(&key) {
            r.snapshots.push((step.index, step.time_ms, Pod::clone(p)));
        }
        for prt in s.world.runtimes.values().flat_map(|n| n.pods.values()).filter(|p| *p.key == key) {
            for (name, c) in &prt.containers {
                if let Some(i) = &c.instance {
                    if let Some(t) = &i.exit {
                        r.exits.entry((name.clone(), i.id)).or_insert((t.finished_ms, t.exit_code, t.reason.clone()));
                    }
                }
            }
        }
    });
    r.last = sim;
    r
}

impl Run {
    fn pod(&self, name: &str) -> Option<&Pod> {
        self.last.world.pod("default", name)
    }

    /// The last recorded exit of a container: (finishedAt, exit code).
    fn last_exit(&self, container: &str) -> (SimTime, i32) {
        self.exits.iter().filter(|((c, _), _)| c == container).max_by_key(|((_, id), _)| *id).map(|(_, (t, code, _))| (*t, *code)).unwrap_or_else(|| panic!("{container} never exited"))
    }

    fn last_pod(&self) -> &Pod {
        &self.snapshots.last().expect("the pod existed").2
    }

    fn events(&self, pod: &str, reason: &str) -> Vec<&KubeEvent> {
        self.last.world.events.iter().map(|e| &**e).filter(|e| e.involved.name == pod && e.reason == reason).collect()
    }

    fn times(&self, f: impl Fn(&Why) -> bool) -> Vec<SimTime> {
        self.steps.iter().filter(|s| f(&s.why)).map(|s| s.time_ms).collect()
    }

    /// Times of the steps that emitted an event with this reason.
    fn event_times(&self, reason: &str) -> Vec<SimTime> {
        self.steps.iter().filter(|s| s.events.iter().any(|e| e.reason == reason)).map(|s| s.time_ms).collect()
    }

    /// The index of the first step emitting an event with this reason.
    fn event_step(&self, reason: &str) -> Option<usize> {
        self.steps.iter().find(|s| s.events.iter().any(|e| e.reason == reason)).map(|s| s.index)
    }

    fn starts(&self, container: &str) -> Vec<SimTime> {
        self.times(|w| matches!(w, Why::Started { container: c, .. } if c == container))
    }

    /// Probe attempts of one kind: (time, success, output).
    fn probes(&self, kind: &str) -> Vec<(SimTime, bool, String)> {
        self.probe_steps(kind).into_iter().map(|(_, t, ok, out)| (t, ok, out)).collect()
    }

    /// Probe attempts of one kind with their step index: (index, time, success, output).
    fn probe_steps(&self, kind: &str) -> Vec<(usize, SimTime, bool, String)> {
        self.steps
            .iter()
            .filter_map(|s| match &s.why {
                Why::ProbeResult { probe, success, output, .. } if *probe == kind => Some((s.index, s.time_ms, *success, output.clone())),
                _ => None,
            })
            .collect()
    }

    /// The first time a snapshot satisfies `f`.
    fn first_when(&self, f: impl Fn(&Pod) -> bool) -> Option<SimTime> {
        self.snapshots.iter().find(|(_, _, p)| f(p)).map(|(_, t, _)| *t)
    }
}

fn try_status<'a>(p: &'a Pod, container: &str) -> Option<&'a ContainerStatus> {
    p.status.init_container_statuses.iter().chain(&p.status.container_statuses).find(|c| c.name == container)
}

fn status<'a>(p: &'a Pod, container: &str) -> &'a ContainerStatus {
    try_status(p, container).unwrap_or_else(|| panic!("no status for {container}"))
}

fn running_unready(p: &Pod, container: &str) -> bool {
    try_status(p, container).is_some_and(|c| c.state.is_running() && !c.ready)
}

fn is_ready(p: &Pod) -> bool {
    p.status.condition("Ready").is_some_and(|c| c.is_true())
}

fn delete(t: u64, name: &str, grace: Option<i64>, force: bool) -> (u64, Action) {
    (t, Action::DeletePod { namespace: "default".into(), name: name.into(), grace_seconds: grace, force })
}

fn kubectl(t: u64, line: &str) -> (u64, Action) {
    match podsim::kubectl::parse(line, "default").unwrap() {
        podsim::kubectl::Parsed::Action(a) => (t, a),
        other => panic!("{line}: {other:?}"),
    }
}

/// A one-container pod in busybox running `script` (`sh -c`), with extra container lines
/// (indented 4 spaces) and spec lines (indented 2 spaces).
fn sh_pod(name: &str, script: &str, spec: &str, container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  nodeName: worker-1\n{spec}  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", {script:?}]\n{container}"
    )
}

// ---------------------------------------------------------------- crash-loop back-off

#[test]
fn crash_loop_back_off_doubles_from_10s_to_the_5_minute_cap() {
    let r = run(&sh_pod("crasher", "exit 1", "", ""), vec![], 16 * M, "crasher");
    let starts = r.starts("app");
    assert!(starts.len() >= 9, "{starts:?}");
    // The first crash restarts at once (within the relist + start latency).
    assert!(starts[1] - starts[0] < 2 * S, "first restart {} ms after the first start", starts[1] - starts[0]);
    // Then each wait is the back-off (counted from the exit, which is immediate) plus at most
    // 1.5 s of latency: 10, 20, 40, 80, 160, 300, 300 s.
    let waits = [10, 20, 40, 80, 160, 300, 300];
    for (k, w) in waits.iter().enumerate() {
        let gap = starts[k + 2] - starts[k + 1];
        assert!((w * S..w * S + 1_500).contains(&gap), "wait before restart {}: {gap} ms, want {w} s", k + 2);
    }
    // Seen from the first restart: ≈ 0, 10, 30, 70, 150, 310, 610 s (cumulative latency ≤ 1.5 s per start).
    for (k, e) in [0u64, 10, 30, 70, 150, 310, 610].iter().enumerate() {
        let at = starts[k + 1] - starts[1];
        assert!(at >= e * S && at <= e * S + 1_500 * k as u64, "restart {} at +{at} ms, want ≈ {e} s", k + 1);
    }
    // The restart count follows the starts.
    let restart_counts: Vec<i32> = r.steps.iter().filter_map(|s| match &s.why { Why::Started { restart_count, .. } => Some(*restart_count), _ => None }).collect();
    assert_eq!(restart_counts, (0..restart_counts.len() as i32).collect::<Vec<_>>());
    // While waiting, the container shows CrashLoopBackOff with the current delay (Go durations).
    let mut messages: Vec<String> = Vec::new();
    for (_, _, p) in &r.snapshots {
        if let Some(ContainerState::Waiting { reason, message }) = try_status(p, "app").map(|c| &c.state) {
            if reason == "CrashLoopBackOff" && messages.last() != Some(message) {
                messages.push(message.clone());
            }
        }
    }
    let uid = &r.last_pod().meta.uid;
    let delays: Vec<String> = ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s"].iter().map(|d| format!("back-off {d} restarting failed container=app pod=crasher_default({uid})")).collect();
    assert_eq!(&messages[..6], &delays[..], "{messages:?}");
    let backoff = r.events("crasher", "BackOff");
    assert_eq!(backoff.len(), 1);
    assert_eq!(backoff[0].kind, EventType::Warning);
    assert_eq!(backoff[0].message, format!("Back-off restarting failed container app in pod crasher_default({uid})"));
    assert!(backoff[0].count > 6);
}

/// A container that crashes three times, then runs `minutes_4th` minutes before exiting, then
/// crashes at once again. The back-off entry is updated at each restart; an exit more than
/// 600 s after that resets it.
fn back_off_after_a_long_run(run_s: u64) -> Vec<SimTime> {
    let script = format!("n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; if [ $n -eq 4 ]; then sleep {run_s}; fi; exit 1");
    let yaml = sh_pod("flaky", &script, "  volumes:\n  - name: data\n    emptyDir: {}\n", "    volumeMounts:\n    - name: data\n      mountPath: /data\n");
    let r = run(&yaml, vec![], (run_s + 180) * S, "flaky");
    r.starts("app")
}

#[test]
fn crash_loop_back_off_resets_after_ten_minutes_of_running() {
    // Runs 11 minutes: restarted at once, and the following crash waits only 10 s again.
    let starts = back_off_after_a_long_run(660);
    assert!(starts.len() >= 6, "{starts:?}");
    assert!(starts[2] - starts[1] >= 10 * S && starts[3] - starts[2] >= 20 * S, "{starts:?}");
    let exit4 = starts[3] + 660 * S;
    assert!(starts[4] >= exit4 && starts[4] - exit4 < 2 * S, "restart after the long run {} ms after its exit", starts[4] as i64 - exit4 as i64);
    let gap = starts[5] - starts[4];
    assert!((10 * S..10 * S + 1_500).contains(&gap), "back-off after the reset: {gap} ms");
}

#[test]
fn crash_loop_back_off_does_not_reset_after_nine_minutes() {
    // Runs 9 minutes (< 600 s since the last restart): the next wait is the doubled 40 s.
    let starts = back_off_after_a_long_run(540);
    assert!(starts.len() >= 5, "{starts:?}");
    let exit4 = starts[3] + 540 * S;
    let wait = starts[4] - exit4;
    assert!((40 * S..40 * S + 1_500).contains(&wait), "wait after a 9-minute run: {wait} ms");
}

// ---------------------------------------------------------------- probes

fn probe(kind: &str, handler: &str, knobs: &str) -> String {
    format!("    {kind}:\n{handler}{knobs}")
}

fn exec(cmd: &[&str]) -> String {
    format!("      exec:\n        command: [{}]\n", cmd.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", "))
}

fn knobs(pairs: &[(&str, i64)]) -> String {
    pairs.iter().map(|(k, v)| format!("      {k}: {v}\n")).collect()
}

const LONG: &str = "sleep 3600";

#[test]
fn initial_delay_seconds_postpones_the_first_probe() {
    for delay in [0, 7, 20] {
        let p = probe("livenessProbe", &exec(&["cat", "/tmp/nothing"]), &knobs(&[("initialDelaySeconds", delay), ("periodSeconds", 5), ("failureThreshold", 1000)]));
        let r = run(&sh_pod("p", LONG, "", &p), vec![], 90 * S, "p");
        let start = r.starts("app")[0];
        let first = r.probes("liveness")[0].0;
        let since = first - start;
        assert!(since >= delay as u64 * S && since <= (delay as u64 + 5) * S, "initialDelaySeconds {delay}: first probe {since} ms after the start");
    }
}

#[test]
fn period_seconds_spaces_the_attempts() {
    for period in [1u64, 3, 10] {
        let p = probe("livenessProbe", &exec(&["cat", "/tmp/nothing"]), &knobs(&[("periodSeconds", period as i64), ("failureThreshold", 1000)]));
        let r = run(&sh_pod("p", LONG, "", &p), vec![], 70 * S, "p");
        let times: Vec<SimTime> = r.probes("liveness").iter().map(|x| x.0).collect();
        assert!(times.len() >= 5, "period {period}: {times:?}");
        for w in times.windows(2) {
            assert_eq!(w[1] - w[0], period * S, "period {period}: {times:?}");
        }
    }
}

#[test]
fn timeout_seconds_bounds_an_exec_probe() {
    // (command, timeoutSeconds, success, output)
    let cases: [(&[&str], i64, bool, &str); 3] = [
        (&["sleep", "5"], 1, false, "command \"sleep 5\" timed out"),
        (&["sh", "-c", "sleep 3; echo slow"], 2, false, "command \"sh -c sleep 3; echo slow\" timed out"),
        (&["sleep", "5"], 10, true, ""),
    ];
    for (cmd, timeout, success, output) in cases {
        let p = probe("livenessProbe", &exec(cmd), &knobs(&[("timeoutSeconds", timeout), ("periodSeconds", 10), ("failureThreshold", 1000)]));
        let r = run(&sh_pod("p", LONG, "", &p), vec![], 40 * S, "p");
        let (_, ok, out) = r.probes("liveness")[0].clone();
        assert_eq!((ok, out.as_str()), (success, output), "{cmd:?} with timeoutSeconds {timeout}");
        let unhealthy = r.events("p", "Unhealthy");
        if success {
            assert!(unhealthy.is_empty());
        } else {
            assert_eq!(unhealthy[0].message, format!("Liveness probe failed: {output}"));
            assert_eq!(unhealthy[0].kind, EventType::Warning);
        }
    }
}

#[test]
fn readiness_success_threshold_needs_that_many_successes_in_a_row() {
    for threshold in [1, 3, 5] {
        let p = probe("readinessProbe", &exec(&["true"]), &knobs(&[("periodSeconds", 2), ("successThreshold", threshold)]));
        let r = run(&sh_pod("p", LONG, "", &p), vec![], 40 * S, "p");
        let ready_at = r.first_when(is_ready).expect("becomes Ready");
        let successes_before = r.probes("readiness").iter().filter(|(t, ok, _)| *ok && *t <= ready_at).count();
        assert_eq!(successes_before, threshold as usize, "successThreshold {threshold}");
        // Until then the container runs but is not ready.
        let running_unready = r.snapshots.iter().any(|(_, t, p)| *t < ready_at && running_unready(p, "app"));
        assert!(running_unready, "successThreshold {threshold}: running and unready first");
    }
}

#[test]
fn failure_threshold_counts_consecutive_failures_before_the_kill() {
    for threshold in [1, 3, 5] {
        let p = probe("livenessProbe", &exec(&["cat", "/tmp/healthy"]), &knobs(&[("periodSeconds", 2), ("failureThreshold", threshold)]));
        let r = run(&sh_pod("p", LONG, "", &p), vec![], 40 * S, "p");
        let kill = r.event_step("Killing").expect("killed");
        let failures = r.probe_steps("liveness").iter().filter(|(i, _, ok, _)| !ok && *i <= kill).count();
        assert_eq!(failures, threshold as usize, "failureThreshold {threshold}");
        let killing = r.events("p", "Killing");
        assert_eq!(killing[0].message, "Container app failed liveness probe, will be restarted");
        assert_eq!(r.events("p", "Unhealthy")[0].message, "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    }
}

/// agnhost's liveness server: `/redirect?loc=URL` answers 302. The prober follows a redirect on
/// the same host; one to another host is not followed, counts as success and warns.
fn redirect_pod(loc: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: registry.k8s.io/e2e-test-images/agnhost:2.40\n    args: [liveness]\n    readinessProbe:\n      httpGet:\n        path: /redirect?loc={loc}\n        port: 8080\n      periodSeconds: 3\n"
    )
}

#[test]
fn a_redirect_to_another_host_is_a_probe_warning_and_still_ready() {
    let r = run(&redirect_pod("http://example.com/"), vec![], 20 * S, "p");
    let warnings = r.events("p", "ProbeWarning");
    assert_eq!(warnings.first().map(|e| e.message.as_str()), Some("Readiness probe warning: Probe terminated redirects, Response body: <a href=\"http://example.com/\">Found</a>.\n\n"));
    assert_eq!(warnings[0].kind, EventType::Warning);
    assert!(r.events("p", "Unhealthy").is_empty());
    assert!(is_ready(r.last_pod()));
}

#[test]
fn a_redirect_on_the_same_host_is_followed() {
    // /healthz answers 200 for 10 s, then 500: the followed redirect takes its answer.
    let r = run(&redirect_pod("/healthz"), vec![], 30 * S, "p");
    assert!(r.events("p", "ProbeWarning").is_empty());
    assert!(r.events("p", "Unhealthy").first().is_some_and(|e| e.message == "Readiness probe failed: HTTP probe failed with statuscode: 500"));
    assert!(!is_ready(r.last_pod()));
}

#[test]
fn a_readiness_failure_never_kills() {
    let p = probe("readinessProbe", &exec(&["cat", "/tmp/ready"]), &knobs(&[("periodSeconds", 2), ("failureThreshold", 1)]));
    let r = run(&sh_pod("p", LONG, "", &p), vec![], 40 * S, "p");
    assert!(r.events("p", "Killing").is_empty());
    assert!(r.events("p", "Unhealthy").first().is_some_and(|e| e.message.starts_with("Readiness probe failed: ") && e.count > 5));
    let p = r.last_pod();
    assert!(status(p, "app").state.is_running() && !status(p, "app").ready && !is_ready(p));
    assert_eq!(status(p, "app").restart_count, 0);
}

#[test]
fn a_probe_level_termination_grace_period_applies_to_the_liveness_kill() {
    // `sleep` as PID 1 ignores SIGTERM: the kill waits for the whole grace period, then SIGKILL.
    for (probe_grace, want) in [(Some(5), 5), (None, 60)] {
        let mut k = vec![("periodSeconds", 2), ("failureThreshold", 1)];
        if let Some(g) = probe_grace {
            k.push(("terminationGracePeriodSeconds", g));
        }
        let p = probe("livenessProbe", &exec(&["cat", "/tmp/healthy"]), &knobs(&k));
        let r = run(&sh_pod("p", LONG, "  terminationGracePeriodSeconds: 60\n", &p), vec![], 2 * M, "p");
        let kill_at = r.event_times("Killing")[0];
        let expired = r.times(|w| matches!(w, Why::GraceExpired { .. }));
        assert_eq!(expired.first().map(|t| t - kill_at), Some(want as u64 * S), "SIGKILL after the grace period");
        let terminated = r.snapshots.iter().find_map(|(_, _, p)| try_status(p, "app").and_then(|c| c.last_state.terminated().cloned())).expect("a terminated instance");
        assert_eq!((terminated.exit_code, terminated.reason.as_str()), (137, "Error"));
    }
}

#[test]
fn a_startup_probe_gates_liveness_and_readiness() {
    let startup = probe("startupProbe", &exec(&["cat", "/tmp/started"]), &knobs(&[("periodSeconds", 2), ("failureThreshold", 30)]));
    // This liveness probe would kill the container at its first attempt.
    let liveness = probe("livenessProbe", &exec(&["cat", "/tmp/alive"]), &knobs(&[("periodSeconds", 2), ("failureThreshold", 1)]));
    let readiness = probe("readinessProbe", &exec(&["true"]), &knobs(&[("periodSeconds", 2)]));
    let yaml = sh_pod("p", "sleep 12; touch /tmp/started; sleep 3600", "", &format!("{startup}{liveness}{readiness}"));
    let r = run(&yaml, vec![], 60 * S, "p");
    let start = r.starts("app")[0];
    let (started_step, started) = r.probe_steps("startup").iter().find(|x| x.2).map(|x| (x.0, x.1)).expect("startup succeeds");
    assert!(started >= start + 12 * S && started < start + 15 * S, "startup success at +{}", started - start);
    let failures_before = r.probes("startup").iter().filter(|(t, ok, _)| !ok && *t < started).count();
    assert!(failures_before >= 5, "{failures_before} startup failures first");
    // Nothing else probed before; both begin after.
    for kind in ["liveness", "readiness"] {
        let first = r.probe_steps(kind).first().map(|x| x.0).unwrap_or_else(|| panic!("{kind} never ran"));
        assert!(first > started_step, "{kind} probed at step {first}, before startup succeeded at step {started_step}");
    }
    // `started` follows the startup probe; Ready comes only after it.
    assert!(r.snapshots.iter().any(|(_, t, p)| *t < started && try_status(p, "app").is_some_and(|c| c.state.is_running() && c.started == Some(false))));
    assert!(r.snapshots.iter().filter(|(i, _, _)| *i < started_step).all(|(_, _, p)| !is_ready(p)));
    assert!(r.first_when(is_ready).expect("ready") >= started);
    // And the liveness probe, now running, kills it.
    assert!(r.events("p", "Killing").first().is_some_and(|e| e.message == "Container app failed liveness probe, will be restarted"));
    // The startup probe does not run once it succeeded (until the restart).
    let kill = r.event_times("Killing")[0];
    assert!(r.probes("startup").iter().all(|(t, _, _)| *t <= started || *t > kill));
}

#[test]
fn a_failing_startup_probe_kills_with_its_own_message() {
    let startup = probe("startupProbe", &exec(&["cat", "/tmp/started"]), &knobs(&[("periodSeconds", 2), ("failureThreshold", 3)]));
    let r = run(&sh_pod("p", LONG, "  terminationGracePeriodSeconds: 1\n", &startup), vec![], 30 * S, "p");
    assert_eq!(r.events("p", "Killing")[0].message, "Container app failed startup probe, will be restarted");
    assert_eq!(r.events("p", "Unhealthy")[0].message, "Startup probe failed: cat: can't open '/tmp/started': No such file or directory");
}

// ---------------------------------------------------------------- hooks and termination

/// (kill step time, SIGTERM step time, exit time of the container, exit code) for a deletion.
fn stop_timeline(r: &Run) -> (SimTime, Option<SimTime>, SimTime, i32) {
    let kill = r.event_times("Killing")[0];
    let term = r.steps.iter().find(|s| matches!(&s.why, Why::Signal { signal, .. } if signal == "SIGTERM")).map(|s| s.time_ms);
    let (finished, code) = r.last_exit("app");
    (kill, term, finished, code)
}

#[test]
fn a_pre_stop_sleep_consumes_the_grace_period() {
    let yaml = sh_pod("p", LONG, "  terminationGracePeriodSeconds: 30\n", "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 10\n");
    let r = run(&yaml, vec![delete(20 * S, "p", None, false)], 2 * M, "p");
    let (kill, term, exit, code) = stop_timeline(&r);
    assert_eq!(term.map(|t| t - kill), Some(10 * S), "SIGTERM when the preStop sleep ends");
    assert_eq!(exit - kill, 30 * S, "SIGKILL at the end of the grace period, not 30 s after SIGTERM");
    assert_eq!(code, 137);
    assert!(r.pod("p").is_none(), "deleted");
}

#[test]
fn a_pre_stop_longer_than_the_grace_period_is_cut_and_2_seconds_remain() {
    let yaml = sh_pod("p", LONG, "  terminationGracePeriodSeconds: 10\n", "    lifecycle:\n      preStop:\n        exec:\n          command: [\"sleep\", \"45\"]\n");
    let r = run(&yaml, vec![delete(20 * S, "p", None, false)], 2 * M, "p");
    let (kill, term, exit, code) = stop_timeline(&r);
    assert_eq!(term.map(|t| t - kill), Some(10 * S), "the hook is cut at the grace period");
    assert_eq!(exit - kill, 12 * S, "then the 2 s minimum grace before SIGKILL");
    assert_eq!(code, 137);
}

#[test]
fn a_failing_pre_stop_hook_emits_failed_pre_stop_hook_and_the_stop_goes_on() {
    let yaml = sh_pod("p", "trap 'exit 0' TERM; sleep 3600 & wait", "", "    lifecycle:\n      preStop:\n        exec:\n          command: [\"sh\", \"-c\", \"echo no; exit 3\"]\n");
    let r = run(&yaml, vec![delete(20 * S, "p", None, false)], M, "p");
    let ev = r.events("p", "FailedPreStopHook");
    assert_eq!(ev.len(), 1);
    assert_eq!((ev[0].kind, ev[0].message.as_str()), (EventType::Warning, "PreStopHook failed"));
    assert_eq!(ev[0].involved.field_path, "spec.containers{app}");
    let (kill, _, exit, code) = stop_timeline(&r);
    assert!(exit - kill < 2 * S, "the trap exits at SIGTERM right after the failed hook");
    assert_eq!(code, 0);
    assert!(r.pod("p").is_none());
}

#[test]
fn force_delete_removes_the_object_at_once_and_the_node_still_stops_it() {
    let yaml = sh_pod("p", LONG, "  terminationGracePeriodSeconds: 30\n", "");
    let actions = vec![kubectl(20 * S, "kubectl delete pod p --grace-period=0 --force")];
    assert!(matches!(&actions[0].1, Action::DeletePod { grace_seconds: Some(0), force: true, .. }));
    let r = run(&yaml, actions, M, "p");
    let stored = r.steps.iter().find(|s| s.time_ms >= 20 * S && matches!(s.why, Why::PodRemoved { .. })).expect("removed");
    assert!(stored.time_ms < 20 * S + 100, "removed by the API server itself at {}", stored.time_ms);
    assert_eq!(stored.output.as_deref(), Some("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod \"p\" force deleted\n"));
    // The object is gone in that very step.
    assert!(r.snapshots.iter().all(|(i, _, _)| *i < stored.index));
    // The kubelet still stops the container, with the 2 s minimum grace (sleep ignores SIGTERM).
    let killed = r.times(|w| matches!(w, Why::GraceExpired { .. }));
    assert!(killed.first().is_some_and(|t| *t > stored.time_ms && *t < stored.time_ms + 3 * S), "{killed:?}");
    let uid = &r.snapshots.last().unwrap().2.meta.uid;
    assert!(r.last.world.runtimes.values().all(|rt| !rt.pods.contains_key(uid)), "the node forgot the pod");
}

#[test]
fn sidecars_stop_in_reverse_order_after_the_app_containers() {
    // Every container logs when SIGTERM reaches it and when it exits (after `work` seconds).
    let script = |work: u32| format!("trap 'echo term; sleep {work}; echo bye; exit 0' TERM; sleep 3600 & wait");
    let container = |name: &str, work: u32, sidecar: bool| {
        format!("  - name: {name}\n    image: busybox:1.36\n{}    command: [\"sh\", \"-c\", {:?}]\n", if sidecar { "    restartPolicy: Always\n" } else { "" }, script(work))
    };
    let yaml = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: worker-1\n  initContainers:\n{}{}{}  containers:\n{}{}",
        container("first", 1, true),
        container("second", 1, true),
        container("third", 1, true),
        container("app", 3, false),
        container("app2", 1, false),
    );
    let r = run(&yaml, vec![delete(30 * S, "p", None, false)], 2 * M, "p");
    assert!(r.pod("p").is_none(), "deleted");
    let uid = r.snapshots.last().unwrap().2.meta.uid.clone();
    // (SIGTERM received, exited) per container, from its log.
    let when = |c: &str, line: &str| -> SimTime {
        let logs = r.last.world.container_logs(&uid, c);
        logs.last().and_then(|l| l.lines.iter().find(|(_, text)| text.text() == line)).map(|(t, _)| *t).unwrap_or_else(|| panic!("{c} never logged {line:?}"))
    };
    let term: BTreeMap<&str, SimTime> = ["first", "second", "third", "app", "app2"].into_iter().map(|c| (c, when(c, "term"))).collect();
    let bye: BTreeMap<&str, SimTime> = ["first", "second", "third", "app", "app2"].into_iter().map(|c| (c, when(c, "bye"))).collect();
    // The app containers get SIGTERM together, at the start of termination.
    assert_eq!(term["app"], term["app2"]);
    assert!(term["app"] >= 30 * S && term["app"] < 31 * S, "{term:?}");
    // Sidecars: the last one once every app container has exited, then each earlier one once the
    // next one has exited — reverse spec order.
    let apps_done = bye["app"].max(bye["app2"]);
    assert!(term["third"] >= apps_done, "third got SIGTERM at {} before the apps finished at {apps_done}", term["third"]);
    assert!(term["second"] >= bye["third"], "{term:?} {bye:?}");
    assert!(term["first"] >= bye["second"], "{term:?} {bye:?}");
    let mut order: Vec<&str> = bye.keys().copied().collect();
    order.sort_by_key(|c| bye[c]);
    assert_eq!(order, ["app2", "app", "third", "second", "first"], "exit order: {bye:?}");
    assert!(bye["first"] - term["app"] < 30 * S, "all within the grace period");
}

#[test]
fn an_oom_kill_shows_oomkilled_137_and_follows_the_restart_policy() {
    for (policy, restarts, phase) in [("Always", 1, Phase::Running), ("Never", 0, Phase::Failed)] {
        let yaml = sh_pod("p", LONG, &format!("  restartPolicy: {policy}\n"), "");
        let r = run(&yaml, vec![kubectl(20 * S, "container oom p/app")], M, "p");
        let p = r.last_pod();
        let st = status(p, "app");
        let oom = if policy == "Always" { st.last_state.terminated() } else { st.state.terminated() }.unwrap_or_else(|| panic!("{policy}: terminated state"));
        assert_eq!((oom.reason.as_str(), oom.exit_code), ("OOMKilled", 137), "{policy}");
        assert_eq!(st.restart_count, restarts, "{policy}");
        assert_eq!(p.status.phase, phase, "{policy}");
        assert!(r.steps.iter().any(|s| s.time_ms == 20 * S && matches!(&s.why, Why::Exited { exit_code: 137, reason, .. } if reason == "OOMKilled")));
    }
}

// ---------------------------------------------------------------- kubectl exec

#[test]
fn a_host_path_is_the_nodes_directory_shared_by_its_pods_only() {
    let host_pod = |name: &str, node: &str, script: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  nodeName: {node}\n  volumes:\n  - name: data\n    hostPath:\n      path: /srv/data\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", {script:?}]\n    volumeMounts:\n    - name: data\n      mountPath: /data\n"
        )
    };
    let objects = [
        host_pod("writer", "worker-1", "echo hello > /data/note; sleep 3600"),
        host_pod("neighbour", "worker-1", "sleep 3600"),
        host_pod("elsewhere", "worker-2", "sleep 3600"),
        // Another mount path for the same host directory sees the same files.
        sh_pod("other-mount", "sleep 3600", "  volumes:\n  - name: disk\n    hostPath:\n      path: /srv\n", "    volumeMounts:\n    - name: disk\n      mountPath: /mnt/srv\n"),
    ]
    .join("---\n");
    let cases = [
        ("kubectl exec neighbour -- cat /data/note", "hello\n"),
        ("kubectl exec other-mount -- cat /mnt/srv/data/note", "hello\n"),
        ("kubectl exec elsewhere -- cat /data/note", "cat: can't open '/data/note': No such file or directory\ncommand terminated with exit code 1\n"),
    ];
    for (line, want) in cases {
        let r = run(&objects, vec![kubectl(20 * S, line)], 21 * S, "writer");
        let step = r.steps.iter().find(|s| s.time_ms >= 20 * S && s.output.is_some()).unwrap_or_else(|| panic!("{line}: no output step"));
        assert_eq!(step.output.as_deref(), Some(want), "{line}");
    }
    // A file survives the pod that wrote it: a later pod on the node finds it.
    let r = run(&objects, vec![kubectl(20 * S, "kubectl delete pod writer --grace-period=0 --force"), kubectl(25 * S, "kubectl exec neighbour -- cat /data/note")], 26 * S, "neighbour");
    assert!(r.steps.iter().any(|s| s.output.as_deref() == Some("hello\n")));
}

#[test]
fn kubectl_exec_output_and_errors() {
    let objects = format!(
        "{}---\n{}",
        sh_pod("web", "echo hi > /tmp/greeting; sleep 3600", "", ""),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: done\nspec:\n  nodeName: worker-2\n  restartPolicy: Never\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"true\"]\n"
    );
    let cases: Vec<(&str, &str)> = vec![
        ("kubectl exec web -- cat /tmp/greeting", "hi\n"),
        ("kubectl exec web -c app -- echo hello world", "hello world\n"),
        ("kubectl exec web -- sh -c 'echo out; echo err >&2; exit 3'", "out\nerr\ncommand terminated with exit code 3\n"),
        ("kubectl exec web -- cat /nope", "cat: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n"),
        ("kubectl exec ghost -- true", "Error from server (NotFound): pods \"ghost\" not found\n"),
        ("kubectl exec web -c nope -- true", "Error from server (BadRequest): container nope is not valid for pod web\n"),
        ("kubectl exec done -- true", "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"),
    ];
    for (i, (line, want)) in cases.iter().enumerate() {
        let at = 30 * S + i as u64 * S;
        let r = run(&objects, vec![kubectl(at, line)], at + S, "web");
        let step = r.steps.iter().find(|s| s.time_ms >= at && s.output.is_some()).unwrap_or_else(|| panic!("{line}: no output step"));
        assert_eq!(step.output.as_deref(), Some(*want), "{line}");
    }
    // The exec leaves a trace in the container (a file it wrote).
    let r = run(&objects, vec![kubectl(30 * S, "kubectl exec web -- sh -c 'echo x > /tmp/mark'"), kubectl(31 * S, "kubectl exec web -- cat /tmp/mark")], 32 * S, "web");
    let outs: Vec<&str> = r.steps.iter().filter_map(|s| s.output.as_deref()).filter(|o| o.contains('x')).collect();
    assert_eq!(outs, ["x\n"]);
    // Parse errors are kubectl's own.
    assert_eq!(podsim::kubectl::parse("kubectl exec web", "default").unwrap_err(), "error: you must specify at least one command for the container");
}

#[test]
fn kubectl_exec_of_a_missing_binary_and_into_an_unscheduled_pod() {
    let objects = format!(
        "{}---\n{}",
        sh_pod("web", LONG, "", ""),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pending\nspec:\n  nodeSelector:\n    nope: \"1\"\n  containers:\n  - name: app\n    image: busybox:1.36\n"
    );
    let cases: Vec<(&str, &str)> = vec![
        // containerd's error, then kubectl's exit line, each on its own line.
        ("kubectl exec web -- nope", "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown\ncommand terminated with exit code 126\n"),
        // The API server refuses before any kubelet is involved (streamLocation).
        ("kubectl exec pending -- true", "Error from server (BadRequest): pod pending does not have a host assigned\n"),
    ];
    for (i, (line, want)) in cases.iter().enumerate() {
        let at = 30 * S + i as u64 * S;
        let r = run(&objects, vec![kubectl(at, line)], at + S, "web");
        let step = r.steps.iter().find(|s| s.time_ms >= at && s.output.is_some()).unwrap_or_else(|| panic!("{line}: no output step"));
        assert_eq!(step.output.as_deref(), Some(*want), "{line}");
    }
}

// ---------------------------------------------------------------- podsim print

#[cfg(feature = "cli")]
#[test]
fn podsim_print_renders_pods_with_status_at_now() {
    let pods = r#"apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
  creationTimestamp: "2026-01-01T00:00:00Z"
spec:
  nodeName: worker-1
  containers:
  - name: app
    image: nginx:1.25
status:
  phase: Running
  podIP: 10.244.1.5
  conditions:
  - type: Ready
    status: "True"
  containerStatuses:
  - name: app
    image: nginx:1.25
    imageID: ""
    ready: true
    restartCount: 3
    started: true
    lastState:
      terminated:
        exitCode: 1
        reason: Error
        startedAt: "2026-01-01T00:10:00Z"
        finishedAt: "2026-01-01T00:20:00Z"
    state:
      running:
        startedAt: "2026-01-01T00:20:05Z"
---
apiVersion: v1
kind: Pod
metadata:
  name: crasher
  namespace: default
  creationTimestamp: "2026-01-01T00:30:00Z"
spec:
  nodeName: worker-2
  containers:
  - name: app
    image: busybox:1.36
status:
  phase: Running
  containerStatuses:
  - name: app
    image: busybox:1.36
    imageID: ""
    ready: false
    restartCount: 5
    started: false
    lastState:
      terminated:
        exitCode: 1
        reason: Error
        startedAt: "2026-01-01T00:55:00Z"
        finishedAt: "2026-01-01T00:55:00Z"
    state:
      waiting:
        reason: CrashLoopBackOff
        message: back-off 2m40s restarting failed container=app
---
apiVersion: v1
kind: Pod
metadata:
  name: job
  namespace: default
  creationTimestamp: "2025-12-31T22:00:00Z"
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox:1.36
status:
  phase: Succeeded
  containerStatuses:
  - name: app
    image: busybox:1.36
    imageID: ""
    ready: false
    restartCount: 0
    state:
      terminated:
        exitCode: 0
        reason: Completed
        startedAt: "2025-12-31T22:00:05Z"
        finishedAt: "2025-12-31T22:00:06Z"
"#;
    let read = |p: &str| if p == "pods.yaml" { Ok(pods.to_string()) } else { Err("no such file".to_string()) };
    let args = |output: &str, now: Option<&str>| podsim::cli::PrintArgs { files: vec!["pods.yaml".into()], output: output.into(), now: now.map(String::from), show_labels: false };
    let out = podsim::cli::print(&args("table", Some("2026-01-01T01:00:00Z")), &read);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        // In the file's order, as `kubectl get -f` prints.
        "NAME      READY   STATUS             RESTARTS      AGE\n\
         web       1/1     Running            3 (40m ago)   60m\n\
         crasher   0/1     CrashLoopBackOff   5 (5m ago)    30m\n\
         job       0/1     Completed          0             3h\n"
    );
    // Another instant: ages and "(… ago)" move, nothing else.
    let out = podsim::cli::print(&args("table", Some("2026-01-02T00:00:00Z")), &read);
    assert!(out.stdout.contains("crasher   0/1     CrashLoopBackOff   5 (23h ago)   23h"), "{}", out.stdout);
    let wide = podsim::cli::print(&args("wide", Some("2026-01-01T01:00:00Z")), &read);
    assert!(wide.stdout.starts_with("NAME      READY   STATUS             RESTARTS      AGE   IP           NODE       NOMINATED NODE   READINESS GATES\n"), "{}", wide.stdout);
    assert!(wide.stdout.contains("web       1/1     Running            3 (40m ago)   60m   10.244.1.5   worker-1   <none>           <none>\n"), "{}", wide.stdout);
    // Errors.
    let bad = podsim::cli::print(&args("table", Some("yesterday")), &read);
    assert_eq!((bad.code, bad.stderr.as_str()), (1, "error: --now expects an RFC 3339 time, got \"yesterday\"\n"));
    let bad = podsim::cli::print(&args("yaml", None), &read);
    assert_eq!((bad.code, bad.stderr.as_str()), (1, "error: podsim print supports -o table and -o wide\n"));
    let missing = podsim::cli::print(&podsim::cli::PrintArgs { files: vec!["nope.yaml".into()], output: "table".into(), now: None, show_labels: false }, &read);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.starts_with("error: the path \"nope.yaml\" does not exist"), "{}", missing.stderr);
}

/// Guards the access log kept as parts (`LogLine::Access`): every readiness probe of nginx is a
/// line of its log, written out by `kubectl logs` in nginx's format at the probe's second; a
/// probe of another container's port lands in that container's log.
#[test]
fn probes_of_a_web_server_are_lines_of_its_log() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.25\n    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n      periodSeconds: 5\n  - name: side\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n    readinessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n      periodSeconds: 5\n";
    let r = run(yaml, Vec::new(), 31 * S, "web");
    let logs = podsim::printers::logs(&r.last.world, "default", "web", Some("nginx"), false);
    assert!(logs.success, "{}", logs.stderr);
    let access: Vec<&str> = logs.stdout.lines().filter(|l| l.contains("kube-probe/1.34")).collect();
    let ip = &r.snapshots.last().unwrap().2.status.pod_ip;
    // Both probes ask nginx: its own for `/` (200), the sidecar's for `/healthz` (404).
    let root: Vec<&&str> = access.iter().filter(|l| l.contains("\"GET / HTTP/1.1\" 200 615")).collect();
    let healthz: Vec<&&str> = access.iter().filter(|l| l.contains("\"GET /healthz HTTP/1.1\" 404 615")).collect();
    assert!(root.len() >= 4 && healthz.len() >= 4, "{}", logs.stdout);
    for line in &access {
        assert!(line.starts_with(&format!("{ip} - - [")), "{line}");
        assert!(line.ends_with("\"-\" \"kube-probe/1.34\" \"-\""), "{line}");
    }
    // The date is the probe's own second (the virtual clock starts at the scenario's epoch).
    let attempts: Vec<SimTime> = r.steps.iter().filter(|s| matches!(&s.why, Why::ProbeResult { .. })).map(|s| s.time_ms).collect();
    assert_eq!(attempts.len(), access.len(), "one line per attempt");
    // `2026-11-22T07:37:56Z` is written `22/Nov/2026:07:37:56 +0000`.
    let first = podsim::time::rfc3339(r.last.world.unix_ms(attempts[0]));
    let (date, time) = first.trim_end_matches('Z').split_once('T').unwrap();
    let [y, m, d]: [&str; 3] = date.split('-').collect::<Vec<_>>().try_into().unwrap();
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m.parse::<usize>().unwrap() - 1];
    assert!(access[0].contains(&format!("[{d}/{month}/{y}:{time} +0000]")), "{} at {first}", access[0]);
    let side = podsim::printers::logs(&r.last.world, "default", "web", Some("side"), false);
    assert!(!side.stdout.contains("kube-probe"), "{}", side.stdout);
}

/// Regression: a grace period of i64::MAX seconds (valid: the API only asks for ≥ 0) overflowed
/// `seconds × 1000` when the kubelet killed the container (a panic in debug, a wrapped deadline
/// in release). Every int64 count of seconds now saturates; the run goes on.
#[test]
fn the_largest_valid_numbers_never_overflow_the_clock() {
    let yaml = r#"apiVersion: v1
kind: Pod
metadata:
  name: ext
spec:
  terminationGracePeriodSeconds: 9223372036854775807
  priority: 2147483647
  containers:
  - name: app
    image: nginx:1.25
    resources:
      requests:
        cpu: 100m
        memory: 4Ei
    readinessProbe:
      httpGet: {path: /, port: 80}
      periodSeconds: 2147483647
      initialDelaySeconds: 2147483647
      timeoutSeconds: 2147483647
      failureThreshold: 2147483647
    livenessProbe:
      exec: {command: ["sleep", "999999999999"]}
      periodSeconds: 1
      timeoutSeconds: 2147483647
      terminationGracePeriodSeconds: 9223372036854775807
    lifecycle:
      preStop:
        sleep: {seconds: 9223372036854775807}
---
apiVersion: v1
kind: Node
metadata:
  name: big
status:
  capacity:
    cpu: "9223372036854775807"
    memory: 8Ei
    pods: "2147483647"
"#;
    let r = run(yaml, vec![delete(30 * M, "ext", None, false)], 60 * M, "ext");
    assert!(!r.events("ext", "Killing").is_empty(), "the liveness probe's timeout kills the container");
    let pod = r.pod("ext").expect("still terminating after an hour");
    assert!(pod.meta.deletion_ms.is_some());
}

// ---------------------------------------------------------------- the container's filesystem

/// Guards the lazily built initial filesystem (an instance keeps no copy of it until a program
/// writes a file): a read before any write sees it, the first write keeps it and adds to it, and
/// a restarted container starts again from the initial files, without what the last run wrote.
#[test]
fn a_container_starts_from_the_initial_files_and_keeps_what_it_writes() {
    let script = "test -f /tmp/a && echo stale || echo fresh; cat /etc/hostname; tail -n 1 /etc/hosts; echo hi > /tmp/a; cat /tmp/a /etc/hostname; exit 1";
    let r = run(&sh_pod("p", script, "", ""), vec![], 40 * S, "p");
    let pod = r.snapshots.last().map(|s| s.2.clone()).expect("the pod exists");
    let ip = pod.status.pod_ip.clone();
    assert!(!ip.is_empty(), "the pod has an IP");
    let logs = r.last.world.container_logs(&pod.meta.uid, "app");
    assert!(logs.len() >= 2, "the container restarted: {logs:?}");
    for (n, log) in logs.iter().enumerate() {
        let text: Vec<String> = log.lines.iter().map(|(_, l)| l.text().into_owned()).collect();
        assert_eq!(text, ["fresh", "p", &format!("{ip}\tp"), "hi", "p"], "instance {n}");
    }
}
