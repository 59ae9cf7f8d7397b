//! `kubectl get pods`: the READY/STATUS/RESTARTS/AGE columns computed exactly as kubectl's
//! `printPod` does (every branch, reference §B.1), the table with `-o wide`, `--show-labels`,
//! `-A`, `-l`, `-n`, a named pod, `-o json|yaml`, and the rows `kubectl get pods -w` prints.

use super::clock::Clock;
use super::object::{pod_to_json, pods_list_json, to_json_pretty};
use super::selector::{format_labels, parse_label_selector, Selector};
use super::table::{write_row, TabWriter};
use super::yaml::to_yaml;
use super::{not_found, GetOptions, OutputFormat, Printed};
use crate::api::{ContainerState, Pod, PodSpec};
use crate::time::SimTime;
use crate::world::World;

/// The columns kubectl prints for a pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodColumns {
    pub name: String,
    /// `1/2`: ready containers (and started, ready sidecars) over containers plus sidecars.
    pub ready: String,
    /// `Running`, `Init:1/2`, `CrashLoopBackOff`, `Terminating`, …
    pub status: String,
    /// `0`, `3`, `3 (10s ago)`.
    pub restarts: String,
    /// `12s`, `5m`, `<unknown>`.
    pub age: String,
    /// `-o wide`: `status.podIPs[0]` or `<none>`.
    pub ip: String,
    /// `-o wide`: `spec.nodeName` or `<none>`.
    pub node: String,
    /// `-o wide`: `status.nominatedNodeName` or `<none>`.
    pub nominated_node: String,
    /// `-o wide`: `1/2` true readiness gates, or `<none>`.
    pub readiness_gates: String,
}

/// kubectl's `printPod`, as a pure function of the pod and the clock.
pub fn pod_columns(pod: &Pod, clock: &Clock) -> PodColumns {
    let spec = &pod.spec;
    let status = &pod.status;
    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let total = spec.containers.len() + spec.init_containers.iter().filter(|c| PodSpec::is_sidecar(c)).count();
    let mut ready = 0usize;
    // Latest lastState.terminated.finishedAt, as an API timestamp (Unix ms, whole seconds).
    let mut last_restart: Option<i64> = None;
    let mut last_sidecar_restart: Option<i64> = None;
    let later = |cur: Option<i64>, t: i64| -> Option<i64> {
        match cur {
            Some(c) if c >= t => Some(c),
            _ => Some(t),
        }
    };

    let mut reason = status.phase.as_str().to_string();
    if !status.reason.is_empty() {
        reason = status.reason.clone();
    }
    if status.conditions.iter().any(|c| c.kind == "PodScheduled" && c.reason == "SchedulingGated") {
        reason = "SchedulingGated".to_string();
    }

    let mut initializing = false;
    for (i, cs) in status.init_container_statuses.iter().enumerate() {
        let sidecar = spec.init_containers.iter().find(|c| c.name == cs.name).is_some_and(PodSpec::is_sidecar);
        restarts += i64::from(cs.restart_count);
        if let Some(t) = cs.last_state.terminated() {
            last_restart = later(last_restart, clock.stamp(t.finished_ms));
        }
        if sidecar {
            sidecar_restarts += i64::from(cs.restart_count);
            if let Some(t) = cs.last_state.terminated() {
                last_sidecar_restart = later(last_sidecar_restart, clock.stamp(t.finished_ms));
            }
        }
        match &cs.state {
            ContainerState::Terminated(t) if t.exit_code == 0 => continue,
            _ if sidecar && cs.started == Some(true) => {
                if cs.ready {
                    ready += 1;
                }
                continue;
            }
            ContainerState::Terminated(t) => {
                reason = if !t.reason.is_empty() {
                    format!("Init:{}", t.reason)
                } else if t.signal != 0 {
                    format!("Init:Signal:{}", t.signal)
                } else {
                    format!("Init:ExitCode:{}", t.exit_code)
                };
            }
            ContainerState::Waiting { reason: r, .. } if !r.is_empty() && r != "PodInitializing" => {
                reason = format!("Init:{r}");
            }
            _ => {
                reason = format!("Init:{}/{}", i, spec.init_containers.len());
            }
        }
        initializing = true;
        break;
    }

    let initialized = status.conditions.iter().any(|c| c.kind == "Initialized" && c.is_true());
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for cs in status.container_statuses.iter().rev() {
            restarts += i64::from(cs.restart_count);
            if let Some(t) = cs.last_state.terminated() {
                last_restart = later(last_restart, clock.stamp(t.finished_ms));
            }
            match &cs.state {
                ContainerState::Waiting { reason: r, .. } if !r.is_empty() => reason = r.clone(),
                ContainerState::Terminated(t) if !t.reason.is_empty() => reason = t.reason.clone(),
                ContainerState::Terminated(t) => {
                    reason = if t.signal != 0 {
                        format!("Signal:{}", t.signal)
                    } else {
                        format!("ExitCode:{}", t.exit_code)
                    };
                }
                ContainerState::Running { .. } if cs.ready => {
                    has_running = true;
                    ready += 1;
                }
                _ => {}
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = status.conditions.iter().any(|c| c.kind == "Ready" && c.is_true());
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }

    if pod.meta.deletion_ms.is_some() && status.reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if pod.meta.deletion_ms.is_some() && !status.phase.is_terminal() {
        reason = "Terminating".to_string();
    }

    let restarts_text = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", super::clock::human_since(clock.now_unix_ms, t)),
        _ => restarts.to_string(),
    };

    let or_none = |s: &str| if s.is_empty() { "<none>".to_string() } else { s.to_string() };
    let readiness_gates = if spec.readiness_gates.is_empty() {
        "<none>".to_string()
    } else {
        let true_count = spec
            .readiness_gates
            .iter()
            .filter(|g| status.conditions.iter().find(|c| &c.kind == *g).is_some_and(|c| c.is_true()))
            .count();
        format!("{true_count}/{}", spec.readiness_gates.len())
    };

    PodColumns {
        name: pod.meta.name.clone(),
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts: restarts_text,
        age: clock.since_opt(pod.meta.creation_ms),
        ip: or_none(&status.pod_ip),
        node: or_none(&spec.node_name),
        nominated_node: or_none(&status.nominated_node_name),
        readiness_gates,
    }
}

fn header(opts: &GetOptions) -> Vec<&'static str> {
    let mut h = Vec::new();
    if opts.all_namespaces {
        h.push("NAMESPACE");
    }
    h.extend(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    if opts.output == OutputFormat::Wide {
        h.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    }
    if opts.show_labels {
        h.push("LABELS");
    }
    h
}

fn row(pod: &Pod, clock: &Clock, opts: &GetOptions) -> Vec<String> {
    let c = pod_columns(pod, clock);
    let mut r = Vec::new();
    if opts.all_namespaces {
        r.push(pod.meta.namespace.clone());
    }
    r.extend([c.name, c.ready, c.status, c.restarts, c.age]);
    if opts.output == OutputFormat::Wide {
        r.extend([c.ip, c.node, c.nominated_node, c.readiness_gates]);
    }
    if opts.show_labels {
        r.push(format_labels(&pod.meta.labels));
    }
    r
}

/// `kubectl get pods [NAME]` against the world at virtual time `now_ms`.
pub fn get_pods(world: &World, now_ms: SimTime, opts: &GetOptions) -> Printed {
    let clock = Clock::at(world, now_ms);
    let ns = opts.namespace_or(world);
    let selector = match super::check_get_flags(opts) {
        Ok(s) => s,
        Err(e) => return e,
    };
    if let Some(name) = &opts.name {
        return match world.pod(&ns, name) {
            Some(p) => print_objects(&[p], &clock, opts, &ns, true),
            None => not_found("pods", name),
        };
    }
    let pods: Vec<&Pod> = world
        .pods
        .values()
        .map(|p| &**p)
        .filter(|p| opts.all_namespaces || p.meta.namespace == ns)
        .filter(|p| selector.matches(&p.meta.labels))
        .collect();
    print_objects(&pods, &clock, opts, &ns, false)
}

/// kubectl's table (or `-o json|yaml`) for pods given directly, not from a world (the CLI's
/// `podsim print`). `-l` filters; the namespace filter is not applied.
pub fn print_pods(pods: &[Pod], clock: &Clock, opts: &GetOptions) -> Printed {
    let selector = match super::check_get_flags(opts) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let ns = opts.namespace.clone().unwrap_or_else(|| "default".to_string());
    let list: Vec<&Pod> = pods.iter().filter(|p| selector.matches(&p.meta.labels)).collect();
    print_objects(&list, clock, opts, &ns, false)
}

fn print_objects(pods: &[&Pod], clock: &Clock, opts: &GetOptions, ns: &str, single: bool) -> Printed {
    match opts.output {
        OutputFormat::Json | OutputFormat::Yaml => {
            let v = if single && pods.len() == 1 {
                pod_to_json(pods[0], clock.epoch_unix_ms)
            } else {
                pods_list_json(pods.iter().copied(), clock.epoch_unix_ms)
            };
            let text = if opts.output == OutputFormat::Json { to_json_pretty(&v) } else { to_yaml(&v) };
            Printed::out(text)
        }
        OutputFormat::Table | OutputFormat::Wide => {
            if pods.is_empty() {
                return super::no_resources(opts, ns, true);
            }
            let rows: Vec<Vec<String>> = pods.iter().map(|p| row(p, clock, opts)).collect();
            Printed::out(super::table::render(&header(opts), &rows))
        }
    }
}

/// `kubectl get pods -w`: the first table, then one row per change.
///
/// kubectl writes every watch event through the same tabwriter and flushes after each one; the
/// tabwriter remembers the widest cell seen in every column (`RememberWidths`), so a row is
/// aligned to the widest value printed so far in that column (never narrower than the first
/// table) and a wider value widens the column for the rows after it. The header is printed once,
/// with the first row (none when the initial list is empty). `-o wide`, `--show-labels`, `-A`,
/// `-n` and `-l` apply as for `get`.
#[derive(Clone, Debug)]
pub struct PodWatch {
    opts: GetOptions,
    selector: Selector,
    namespace: String,
    writer: TabWriter,
    printed_header: bool,
}

impl PodWatch {
    /// A watch with these options (an invalid selector matches nothing).
    pub fn new(opts: GetOptions) -> PodWatch {
        let selector = parse_label_selector(&opts.selector).unwrap_or(Selector {
            requirements: vec![super::selector::Requirement {
                key: String::new(),
                op: super::selector::SelectorOp::In,
                values: Vec::new(),
            }],
        });
        let namespace = opts.namespace.clone().unwrap_or_default();
        PodWatch { opts, selector, namespace, writer: TabWriter::kubectl_table(), printed_header: false }
    }

    /// Whether the watch shows this pod (namespace and `-l`).
    pub fn matches(&self, pod: &Pod) -> bool {
        let ns = if self.namespace.is_empty() { "default" } else { self.namespace.as_str() };
        (self.opts.all_namespaces || pod.meta.namespace == ns) && self.selector.matches(&pod.meta.labels)
    }

    /// What [`PodWatch::row`] would print for this event, without printing it (no header or
    /// column widths are committed). kubectl itself prints a line for every watch event, even
    /// when the columns did not change.
    pub fn peek(&self, pod: &Pod, clock: &Clock) -> String {
        self.clone().row(pod, clock)
    }

    /// The initial list: header and rows of the matching pods (empty output when none match).
    pub fn start(&mut self, world: &World, now_ms: SimTime) -> String {
        if self.namespace.is_empty() {
            self.namespace = self.opts.namespace_or(world);
        }
        let clock = Clock::at(world, now_ms);
        let pods: Vec<&Pod> = world.pods.values().map(|p| &**p).filter(|p| self.matches(p)).collect();
        for p in &pods {
            self.write(p, &clock);
        }
        self.writer.take()
    }

    /// The row printed for one watch event about `pod` (empty when the pod is filtered out).
    pub fn row(&mut self, pod: &Pod, clock: &Clock) -> String {
        if self.namespace.is_empty() {
            self.namespace = "default".to_string();
        }
        if !self.matches(pod) {
            return String::new();
        }
        self.write(pod, clock);
        self.writer.take()
    }

    fn write(&mut self, pod: &Pod, clock: &Clock) {
        let mut opts = self.opts.clone();
        if opts.output != OutputFormat::Wide {
            opts.output = OutputFormat::Table;
        }
        if !self.printed_header {
            self.writer.write(&header(&opts).join("\t"));
            self.writer.write("\n");
            self.printed_header = true;
        }
        write_row(&mut self.writer, &row(pod, clock, &opts));
    }
}

#[cfg(test)]
mod tests {
    //! The upstream `TestPrintPod`, `TestPrintPodWithRestartableInitContainer`,
    //! `TestPrintPodwide`, `TestPrintPodConditions` and `TestPrintNonTerminatedPod` cases
    //! (pkg/printers/internalversion/printers_test.go), plus the reference §B.2 strings.
    use super::*;
    use crate::api::{Container, ContainerStatus, Phase, PodCondition, Terminated};
    use crate::time::DEFAULT_EPOCH_UNIX_MS;

    const NOW: SimTime = 1_000_000;

    fn clock() -> Clock {
        Clock::new(DEFAULT_EPOCH_UNIX_MS, DEFAULT_EPOCH_UNIX_MS + NOW as i64)
    }

    fn containers(n: usize) -> Vec<Container> {
        (0..n).map(|i| Container { name: format!("c{i}"), ..Default::default() }).collect()
    }

    fn pod(n: usize, phase: Phase, statuses: Vec<ContainerStatus>) -> Pod {
        let mut p = Pod {
            meta: Default::default(),
            spec: PodSpec { containers: containers(n).into(), ..Default::default() }.into(),
            status: Default::default(),
            source: Default::default(),
        };
        p.meta.name = "test".into();
        p.status.phase = phase;
        p.status.container_statuses = statuses;
        p
    }

    fn cs(ready: bool, restarts: i32, state: ContainerState) -> ContainerStatus {
        ContainerStatus { ready, restart_count: restarts, state, ..Default::default() }
    }

    fn running() -> ContainerState {
        ContainerState::Running { started_ms: 0 }
    }

    fn waiting(r: &str) -> ContainerState {
        ContainerState::Waiting { reason: r.into(), message: String::new() }
    }

    fn terminated(reason: &str, code: i32) -> ContainerState {
        ContainerState::Terminated(Terminated { reason: reason.into(), exit_code: code, ..Default::default() })
    }

    fn last(ago_ms: u64) -> ContainerState {
        ContainerState::Terminated(Terminated { finished_ms: NOW - ago_ms, ..Default::default() })
    }

    fn cols(p: &Pod) -> (String, String, String) {
        let c = pod_columns(p, &clock());
        (c.ready, c.status, c.restarts)
    }

    fn check(p: &Pod, ready: &str, status: &str, restarts: &str) {
        assert_eq!(cols(p), (ready.to_string(), status.to_string(), restarts.to_string()));
    }

    fn cond(kind: &str, status: bool) -> PodCondition {
        PodCondition::new(kind, status, "", "", 0)
    }

    #[test]
    fn upstream_print_pod_cases() {
        // test1: name, containers, restarts, ready
        check(&pod(2, Phase::Pending, vec![cs(true, 3, running()), cs(false, 3, ContainerState::None)]), "1/2", "Pending", "6");
        // test2: container waiting reason overrides the phase
        check(&pod(2, Phase::Pending, vec![cs(true, 3, running()), cs(false, 3, waiting("ContainerWaitingReason"))]), "1/2", "ContainerWaitingReason", "6");
        // test3: the first container's reason wins
        check(
            &pod(2, Phase::Pending, vec![cs(false, 3, waiting("ContainerWaitingReason")), cs(false, 3, terminated("ContainerTerminatedReason", 0))]),
            "0/2",
            "ContainerWaitingReason",
            "6",
        );
        // test4: ready is not enough for reporting running
        check(&pod(2, Phase::Pending, vec![cs(true, 3, running()), cs(true, 3, ContainerState::None)]), "1/2", "Pending", "6");
        // test5: status.reason replaces the phase
        let mut p = pod(2, Phase::Pending, vec![cs(true, 3, running()), cs(true, 3, ContainerState::None)]);
        p.status.reason = "podReason".into();
        check(&p, "1/2", "podReason", "6");
        // test6: one completed, one running, no Ready condition -> NotReady
        let mut p = pod(2, Phase::Running, vec![cs(true, 3, terminated("Completed", 0)), cs(true, 3, running())]);
        check(&p, "1/2", "NotReady", "6");
        // ... with the Ready condition -> Running
        p.status.conditions.push(cond("Ready", true));
        check(&p, "1/2", "Running", "6");
        // test7: one init container restarting, one container not running
        let mut p = pod(1, Phase::Pending, vec![cs(false, 0, waiting(""))]);
        p.spec_mut().init_containers = containers(1).into();
        p.status.init_container_statuses =
            vec![ContainerStatus { restart_count: 3, state: running(), last_state: last(10_000), ..Default::default() }];
        check(&p, "0/1", "Init:0/1", "3 (10s ago)");
        // test8: two init containers, the first restarting
        let mut p = pod(1, Phase::Pending, vec![cs(false, 0, waiting(""))]);
        p.spec_mut().init_containers = containers(2).into();
        p.status.init_container_statuses = vec![
            ContainerStatus { restart_count: 3, state: running(), last_state: last(10_000), ..Default::default() },
            cs(false, 0, waiting("")),
        ];
        check(&p, "0/1", "Init:0/2", "3 (10s ago)");
        // test9: the first init container completed, the second restarting
        p.status.init_container_statuses = vec![
            cs(false, 0, terminated("", 0)),
            ContainerStatus { restart_count: 3, state: running(), last_state: last(10_000), ..Default::default() },
        ];
        check(&p, "0/1", "Init:1/2", "3 (10s ago)");
        // test10: the first completed with restarts
        p.status.init_container_statuses = vec![
            ContainerStatus { restart_count: 2, state: terminated("", 0), last_state: last(120_000), ..Default::default() },
            ContainerStatus { restart_count: 3, state: running(), last_state: last(10_000), ..Default::default() },
        ];
        check(&p, "0/1", "Init:1/2", "5 (10s ago)");
        // test11: init completed with restarts, the container restarting
        let mut p = pod(
            1,
            Phase::Running,
            vec![ContainerStatus { restart_count: 4, state: running(), last_state: last(20_000), ..Default::default() }],
        );
        p.spec_mut().init_containers = containers(1).into();
        p.status.init_container_statuses =
            vec![ContainerStatus { restart_count: 2, state: terminated("", 0), last_state: last(120_000), ..Default::default() }];
        check(&p, "0/1", "Running", "4 (20s ago)");
        // test12: restarted 5d ago
        let day = 86_400_000;
        let mut c = pod(1, Phase::Running, vec![]);
        c.status.container_statuses =
            vec![ContainerStatus { ready: true, restart_count: 3, state: running(), last_state: last(0), ..Default::default() }];
        let big = Clock::new(DEFAULT_EPOCH_UNIX_MS, DEFAULT_EPOCH_UNIX_MS + NOW as i64 + 5 * day);
        assert_eq!(pod_columns(&c, &big).restarts, "3 (5d ago)");
        // test13/14: the latest restart wins across containers
        let mut p = pod(2, Phase::Running, vec![]);
        p.status.container_statuses = vec![
            ContainerStatus { ready: true, restart_count: 6, state: running(), last_state: last(5_000), ..Default::default() },
            ContainerStatus { ready: true, restart_count: 3, state: running(), last_state: last(20_000), ..Default::default() },
        ];
        check(&p, "2/2", "Running", "9 (5s ago)");
        // test15: SchedulingGated
        let mut p = pod(2, Phase::Pending, vec![]);
        p.status.conditions.push(PodCondition::new("PodScheduled", false, "SchedulingGated", "", 0));
        check(&p, "0/2", "SchedulingGated", "0");
        // test16/17: terminal phases
        check(&pod(1, Phase::Succeeded, vec![cs(false, 0, terminated("Completed", 0))]), "0/1", "Completed", "0");
        check(&pod(1, Phase::Failed, vec![cs(false, 0, terminated("Error", 1))]), "0/1", "Error", "0");
        // test18: a deleted pod that already succeeded keeps Completed
        let mut p = pod(1, Phase::Succeeded, vec![cs(false, 0, terminated("Completed", 0))]);
        p.meta.deletion_ms = Some(NOW - 10_000);
        check(&p, "0/1", "Completed", "0");
        // test19/20: deletion of running and pending pods
        let mut p = pod(1, Phase::Running, vec![cs(false, 0, running())]);
        p.meta.deletion_ms = Some(NOW - 10_000);
        check(&p, "0/1", "Terminating", "0");
        let mut p = pod(1, Phase::Pending, vec![]);
        p.meta.deletion_ms = Some(NOW - 10_000);
        check(&p, "0/1", "Terminating", "0");
        // non-terminated phases print as themselves
        check(&pod(2, Phase::Unknown, vec![cs(true, 3, running()), cs(false, 3, ContainerState::None)]), "1/2", "Unknown", "6");
        check(&pod(2, Phase::Succeeded, vec![cs(true, 3, running()), cs(false, 3, ContainerState::None)]), "1/2", "Succeeded", "6");
        check(&pod(2, Phase::Failed, vec![cs(true, 3, running()), cs(true, 3, ContainerState::None)]), "1/2", "Failed", "6");
    }

    fn sidecar(name: &str) -> Container {
        Container { name: name.into(), restart_policy: Some("Always".into()), ..Default::default() }
    }

    fn named(name: &str, s: ContainerStatus) -> ContainerStatus {
        ContainerStatus { name: name.into(), ..s }
    }

    #[test]
    fn upstream_restartable_init_container_cases() {
        let base = |phase: Phase| {
            let mut p = pod(1, phase, vec![cs(false, 0, waiting(""))]);
            p.spec_mut().init_containers = vec![sidecar("restartable-init-1"), sidecar("restartable-init-2")].into();
            p
        };
        // the first running but not started
        let mut p = base(Phase::Pending);
        p.status.init_container_statuses = vec![
            named(
                "restartable-init-1",
                ContainerStatus { restart_count: 3, state: running(), started: Some(false), last_state: last(10_000), ..Default::default() },
            ),
            named("restartable-init-2", ContainerStatus { state: waiting(""), started: Some(false), ..Default::default() }),
        ];
        p.status.conditions.push(cond("Initialized", false));
        check(&p, "0/3", "Init:0/2", "3 (10s ago)");
        // the first started, the second running but not started
        p.status.init_container_statuses[0].started = Some(true);
        p.status.init_container_statuses[1].state = running();
        check(&p, "0/3", "Init:1/2", "3 (10s ago)");
        // both started, the container running
        let mut p = base(Phase::Running);
        p.status.init_container_statuses = vec![
            named(
                "restartable-init-1",
                ContainerStatus { restart_count: 3, state: running(), started: Some(true), last_state: last(10_000), ..Default::default() },
            ),
            named("restartable-init-2", ContainerStatus { state: running(), started: Some(true), ..Default::default() }),
        ];
        p.status.container_statuses =
            vec![ContainerStatus { ready: true, restart_count: 4, state: running(), last_state: last(20_000), ..Default::default() }];
        p.status.conditions.push(cond("Initialized", true));
        check(&p, "1/3", "Running", "7 (10s ago)");
        // sidecars ready count in READY
        p.status.init_container_statuses[0].ready = true;
        p.status.init_container_statuses[1].ready = true;
        check(&p, "3/3", "Running", "7 (10s ago)");
        // completed with non-zero sidecar exits
        let mut p = base(Phase::Succeeded);
        p.status.init_container_statuses = vec![
            named(
                "restartable-init-1",
                ContainerStatus {
                    restart_count: 3,
                    state: terminated("Error", 137),
                    started: Some(false),
                    last_state: last(10_000),
                    ..Default::default()
                },
            ),
            named("restartable-init-2", ContainerStatus { state: terminated("Error", 137), started: Some(false), ..Default::default() }),
        ];
        p.status.container_statuses = vec![ContainerStatus {
            restart_count: 4,
            state: terminated("Completed", 0),
            last_state: last(20_000),
            ..Default::default()
        }];
        p.status.conditions.push(cond("Initialized", true));
        check(&p, "0/3", "Completed", "7 (10s ago)");
        // statuses for containers that do not exist in the spec
        let mut p = pod(1, Phase::Running, vec![]);
        p.spec_mut().init_containers = vec![Container { name: "init1".into(), ..Default::default() }, sidecar("sidecar1")].into();
        p.status.init_container_statuses =
            vec![named("initinvalid", Default::default()), named("init1", Default::default()), named("sidecar1", Default::default())];
        p.status.container_statuses = vec![named("containerinvalid", Default::default()), named("c0", Default::default())];
        check(&p, "0/2", "Init:0/2", "0");
    }

    #[test]
    fn upstream_wide_cases() {
        let mut p = pod(2, Phase::Pending, vec![cs(true, 3, running()), cs(false, 3, ContainerState::None)]);
        p.spec_mut().node_name = "test1".into();
        p.spec_mut().readiness_gates = vec!["condition1".into(), "condition2".into(), "condition3".into()];
        p.status.conditions = vec![cond("condition1", false), cond("condition2", true)];
        p.status.pod_ip = "1.1.1.1".into();
        p.status.nominated_node_name = "node1".into();
        let c = pod_columns(&p, &clock());
        assert_eq!((c.ip.as_str(), c.node.as_str(), c.nominated_node.as_str(), c.readiness_gates.as_str()), ("1.1.1.1", "test1", "node1", "1/3"));
        let c = pod_columns(&pod(2, Phase::Pending, vec![]), &clock());
        assert_eq!((c.ip.as_str(), c.node.as_str(), c.nominated_node.as_str(), c.readiness_gates.as_str()), ("<none>", "<none>", "<none>", "<none>"));
        assert_eq!(c.age, "<unknown>");
    }

    #[test]
    fn reference_status_strings() {
        let mut init = pod(1, Phase::Pending, vec![cs(false, 0, waiting("PodInitializing"))]);
        init.spec_mut().init_containers = containers(2).into();
        // Init:Error
        init.status.init_container_statuses = vec![cs(false, 0, terminated("Error", 1)), cs(false, 0, waiting("PodInitializing"))];
        check(&init, "0/1", "Init:Error", "0");
        // Init:CrashLoopBackOff
        init.status.init_container_statuses = vec![
            ContainerStatus { restart_count: 2, state: waiting("CrashLoopBackOff"), last_state: last(3_000), ..Default::default() },
            cs(false, 0, waiting("PodInitializing")),
        ];
        check(&init, "0/1", "Init:CrashLoopBackOff", "2 (3s ago)");
        // Init:Signal / Init:ExitCode
        init.status.init_container_statuses = vec![cs(false, 0, ContainerState::Terminated(Terminated { signal: 9, exit_code: 137, ..Default::default() }))];
        check(&init, "0/1", "Init:Signal:9", "0");
        init.status.init_container_statuses = vec![cs(false, 0, terminated("", 2))];
        check(&init, "0/1", "Init:ExitCode:2", "0");
        // PodInitializing once the init containers are done
        init.status.init_container_statuses = vec![cs(false, 0, terminated("Completed", 0)), cs(false, 0, terminated("Completed", 0))];
        check(&init, "0/1", "PodInitializing", "0");
        // ContainerCreating, CrashLoopBackOff, OOMKilled, Signal/ExitCode
        check(&pod(1, Phase::Pending, vec![cs(false, 0, waiting("ContainerCreating"))]), "0/1", "ContainerCreating", "0");
        let crash = pod(
            1,
            Phase::Running,
            vec![ContainerStatus { restart_count: 3, state: waiting("CrashLoopBackOff"), last_state: last(10_000), ..Default::default() }],
        );
        check(&crash, "0/1", "CrashLoopBackOff", "3 (10s ago)");
        check(&pod(1, Phase::Running, vec![cs(false, 1, terminated("OOMKilled", 137))]), "0/1", "OOMKilled", "1");
        check(&pod(1, Phase::Running, vec![cs(false, 0, terminated("", 3))]), "0/1", "ExitCode:3", "0");
        // sidecar pattern: READY counts the started, ready sidecar
        let mut sc = pod(1, Phase::Running, vec![cs(true, 0, running())]);
        sc.spec_mut().init_containers = vec![sidecar("log")].into();
        sc.status.init_container_statuses =
            vec![named("log", ContainerStatus { ready: true, started: Some(true), state: running(), ..Default::default() })];
        sc.status.conditions = vec![cond("Initialized", true), cond("Ready", true)];
        check(&sc, "2/2", "Running", "0");
        // NodeLost deletion shows Unknown
        let mut lost = pod(1, Phase::Running, vec![cs(true, 0, running())]);
        lost.status.reason = "NodeLost".into();
        lost.meta.deletion_ms = Some(NOW);
        check(&lost, "1/1", "Unknown", "0");
        // a restart time in the future prints <invalid>
        let future = pod(
            1,
            Phase::Running,
            vec![ContainerStatus {
                ready: true,
                restart_count: 1,
                state: running(),
                last_state: ContainerState::Terminated(Terminated { finished_ms: NOW + 10_000, ..Default::default() }),
                ..Default::default()
            }],
        );
        check(&future, "1/1", "Running", "1 (<invalid> ago)");
    }

    #[test]
    fn age_truncates_creation_to_the_second() {
        let mut p = pod(1, Phase::Pending, vec![]);
        p.meta.creation_ms = Some(NOW - 12_700);
        // stored at (NOW - 12.7s) truncated -> 13s before now (NOW is whole seconds)
        assert_eq!(pod_columns(&p, &clock()).age, "13s");
    }
}
