//! The scheduler through the public API: every filter plugin with its exact reason string, the
//! FailedScheduling text (counts, whole-string sort, the `preemption: …` part), each score
//! plugin's effect, seeded tie-breaking, queue priority, preemption, retries on cluster changes,
//! and pods that name their node. Objects come from YAML through `podsim::manifest::parse`; runs
//! use `Timeline::run`; per-node verdicts and scores are read from `StepDetail::Scheduling`.
//!
//! The default cluster: `control-plane` (tainted `node-role.kubernetes.io/control-plane:NoSchedule`),
//! `worker-1`, `worker-2`, each 4 cpu / 8Gi / 110 pods / 100Gi ephemeral-storage.

use podsim::api::{Object, ObjectKey, Pod};
use podsim::event::KubeEvent;
use podsim::explain::Why;
use podsim::scheduler::{Attempt, Verdict};
use podsim::sim::StepDetail;
use podsim::{Action, Limits, Scenario, Step, Timeline};

const S: u64 = 1_000;

/// What the control plane contributes to every message on the default cluster.
const CP_TAINT: &str = "1 node(s) had untolerated taint(s)";

// ---------------------------------------------------------------- building blocks

fn objs(yaml: &str) -> Vec<Object> {
    let p = podsim::manifest::parse(yaml);
    assert!(p.rejections.is_empty() && !p.has_errors(), "manifest rejected:\n{yaml}\n{:?}\n{:?}", p.rejections, p.diagnostics);
    p.objects.into_iter().map(|o| o.object).collect()
}

/// A pod running `sleep 3600` in busybox. `spec` lines go under `spec:` (indented 2 spaces),
/// `container` lines under the container (indented 4 spaces).
fn pod(name: &str, spec: &str, container: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{spec}  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n{container}---\n")
}

/// `resources.requests` lines for a container (`"cpu: \"3\""`, one per line).
fn requests(lines: &[&str]) -> String {
    let mut s = String::from("    resources:\n      requests:\n");
    for l in lines {
        s.push_str(&format!("        {l}\n"));
    }
    s
}

fn pinned(name: &str, node: &str, cpu: &str) -> String {
    pod(name, &format!("  nodeName: {node}\n"), &requests(&[&format!("cpu: \"{cpu}\"")]))
}

fn priority_class(name: &str, value: i32) -> String {
    format!("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: {name}\nvalue: {value}\n---\n")
}

/// A node with 4 cpu / 8Gi / `pods` pods; `labels` as `k: v` lines.
fn node(name: &str, labels: &[&str], pods: u32) -> String {
    let mut s = format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n");
    if !labels.is_empty() {
        s.push_str("  labels:\n");
        for l in labels {
            s.push_str(&format!("    {l}\n"));
        }
    }
    s.push_str(&format!("status:\n  capacity:\n    cpu: \"4\"\n    memory: 8Gi\n    pods: \"{pods}\"\n---\n"));
    s
}

fn apply_at(t: u64, yaml: &str) -> (u64, Action) {
    (t, Action::Apply { objects: objs(yaml).into() })
}

fn cordon(t: u64, node: &str) -> (u64, Action) {
    (t, Action::Cordon { node: node.into(), unschedulable: true })
}

fn uncordon(t: u64, node: &str) -> (u64, Action) {
    (t, Action::Cordon { node: node.into(), unschedulable: false })
}

fn taint(t: u64, node: &str, key: &str, value: &str, effect: &str) -> (u64, Action) {
    (t, Action::Taint { node: node.into(), key: key.into(), value: value.into(), effect: effect.into(), remove: false })
}

fn label_node(t: u64, node: &str, k: &str, v: &str) -> (u64, Action) {
    (t, Action::Label { kind: "Node".into(), namespace: String::new(), name: node.into(), set: vec![(k.into(), v.into())], remove: vec![], overwrite: true })
}

fn run_with(objects: &str, actions: Vec<(u64, Action)>, until_ms: u64, seed: u64) -> Timeline {
    let mut sc = Scenario::new(if objects.is_empty() { Vec::new() } else { objs(objects) });
    sc.actions = actions;
    sc.seed = seed;
    Timeline::run(sc, Limits { until_ms, max_steps: 100_000, checkpoint_every: 0 })
}

fn run(objects: &str, actions: Vec<(u64, Action)>, until_ms: u64) -> Timeline {
    run_with(objects, actions, until_ms, 1)
}

/// Every scheduling attempt for `pod`, in order, with its step.
fn attempts<'a>(tl: &'a Timeline, pod: &str) -> Vec<(&'a Step, &'a Attempt)> {
    tl.steps
        .iter()
        .filter_map(|s| match &s.detail {
            Some(StepDetail::Scheduling(a)) if a.pod.name == pod => Some((s, &**a)),
            _ => None,
        })
        .collect()
}

fn first_attempt<'a>(tl: &'a Timeline, pod: &str) -> &'a Attempt {
    attempts(tl, pod).first().map(|(_, a)| *a).unwrap_or_else(|| panic!("no scheduling attempt for {pod}"))
}

fn verdict(a: &Attempt, node: &str, plugin: &str) -> Verdict {
    let n = a.node(node).unwrap_or_else(|| panic!("no result for node {node}"));
    n.filters.into_iter().find(|(p, _)| *p == plugin).unwrap_or_else(|| panic!("no verdict of {plugin}")).1
}

fn score(a: &Attempt, node: &str, plugin: &str) -> i64 {
    let n = a.node(node).unwrap_or_else(|| panic!("no result for node {node}"));
    n.scores.iter().find(|(p, _, _)| *p == plugin).unwrap_or_else(|| panic!("{node} has no {plugin} score: {:?}", n.scores)).1
}

fn total(a: &Attempt, node: &str) -> Option<i64> {
    a.node(node).and_then(|n| n.total)
}

fn fails_with(v: &Verdict, reason: &str) -> bool {
    matches!(v, Verdict::Fail { reasons, .. } if reasons.iter().any(|r| r == reason))
}

fn live_pod<'a>(tl: &'a Timeline, name: &str) -> &'a Pod {
    tl.last.world.pods.get(&ObjectKey::new("default", name)).unwrap_or_else(|| panic!("pod {name} not in the final world"))
}

fn events_for<'a>(tl: &'a Timeline, pod: &str, reason: &str) -> Vec<&'a KubeEvent> {
    tl.last.world.events.iter().map(|e| &**e).filter(|e| e.involved.name == pod && e.reason == reason).collect()
}

/// The time of the first step matching `f`.
fn time_of(tl: &Timeline, f: impl Fn(&Step) -> bool) -> Option<u64> {
    tl.steps.iter().find(|s| f(s)).map(|s| s.time_ms)
}

fn bound_at(tl: &Timeline, pod: &str) -> Option<(u64, String)> {
    tl.steps.iter().find_map(|s| match &s.why {
        Why::Bound { pod: p, node } if p == &format!("pod/{pod}") => Some((s.time_ms, node.clone())),
        _ => None,
    })
}

fn removed_at(tl: &Timeline, pod: &str) -> Option<u64> {
    time_of(tl, |s| matches!(&s.why, Why::PodRemoved { pod: p } if p == &format!("pod/{pod}")))
}

/// Asserts the one message everywhere it shows: the attempt, the pod's condition and the event.
fn assert_failed_scheduling(tl: &Timeline, pod: &str, want: &str) {
    let a = first_attempt(tl, pod);
    assert_eq!(a.chosen, None, "{pod} should not be scheduled");
    assert_eq!(a.message, want, "attempt message of {pod}");
    let p = live_pod(tl, pod);
    let cond = p.status.condition("PodScheduled").expect("PodScheduled condition");
    assert_eq!((cond.status.as_str(), cond.reason.as_str(), cond.message.as_str()), ("False", "Unschedulable", want), "condition of {pod}");
    let evs = events_for(tl, pod, "FailedScheduling");
    assert_eq!(evs.len(), 1, "one (aggregated) FailedScheduling event for {pod}: {evs:?}");
    assert_eq!(evs[0].message, want);
    assert_eq!(evs[0].source_component, "default-scheduler");
    assert_eq!(evs[0].kind, podsim::event::EventType::Warning);
    assert!(p.spec.node_name.is_empty());
}

// ---------------------------------------------------------------- filters and messages

struct MessageCase {
    name: &'static str,
    /// Objects at time 0 (the pod under test is `p`, applied at 1 s unless listed here).
    objects: String,
    /// The pod under test, applied at 1 s (after the actions at 0 s).
    pod: String,
    actions: Vec<(u64, Action)>,
    message: String,
}

fn no_help(n: usize) -> String {
    format!("preemption: 0/3 nodes are available: {n} Preemption is not helpful for scheduling.")
}

fn message_cases() -> Vec<MessageCase> {
    let two_fillers = format!("{}{}", pinned("filler-1", "worker-1", "3"), pinned("filler-2", "worker-2", "3"));
    let host_port = |name: &str, node: &str, port: u32, proto: &str| {
        let spec = if node.is_empty() { String::new() } else { format!("  nodeName: {node}\n") };
        pod(name, &spec, &format!("    ports:\n    - containerPort: 80\n      hostPort: {port}\n      protocol: {proto}\n"))
    };
    vec![
        MessageCase {
            name: "NodeUnschedulable via cordon",
            objects: String::new(),
            pod: pod("p", "", ""),
            actions: vec![cordon(0, "worker-1"), cordon(0, "worker-2")],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 node(s) were unschedulable. {}", no_help(3)),
        },
        MessageCase {
            name: "TaintToleration NoSchedule",
            objects: String::new(),
            pod: pod("p", "", ""),
            actions: vec![taint(0, "worker-1", "dedicated", "db", "NoSchedule"), taint(0, "worker-2", "dedicated", "db", "NoSchedule")],
            message: format!("0/3 nodes are available: 3 node(s) had untolerated taint(s). {}", no_help(3)),
        },
        MessageCase {
            name: "TaintToleration NoExecute",
            objects: String::new(),
            pod: pod("p", "", ""),
            actions: vec![taint(0, "worker-1", "evict", "", "NoExecute"), taint(0, "worker-2", "evict", "", "NoExecute")],
            message: format!("0/3 nodes are available: 3 node(s) had untolerated taint(s). {}", no_help(3)),
        },
        MessageCase {
            name: "toleration for the wrong effect does not help",
            objects: String::new(),
            pod: pod("p", "  tolerations:\n  - key: evict\n    operator: Exists\n    effect: NoSchedule\n", ""),
            actions: vec![taint(0, "worker-1", "evict", "", "NoExecute"), taint(0, "worker-2", "evict", "", "NoExecute")],
            message: format!("0/3 nodes are available: 3 node(s) had untolerated taint(s). {}", no_help(3)),
        },
        MessageCase {
            name: "Equal toleration with another value does not help",
            objects: String::new(),
            pod: pod("p", "  tolerations:\n  - key: dedicated\n    operator: Equal\n    value: web\n    effect: NoSchedule\n", ""),
            actions: vec![taint(0, "worker-1", "dedicated", "db", "NoSchedule"), taint(0, "worker-2", "dedicated", "db", "NoSchedule")],
            message: format!("0/3 nodes are available: 3 node(s) had untolerated taint(s). {}", no_help(3)),
        },
        MessageCase {
            name: "NodeAffinity via nodeSelector",
            objects: String::new(),
            pod: pod("p", "  nodeSelector:\n    disktype: ssd\n", ""),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. {}", no_help(3)),
        },
        MessageCase {
            name: "NodeAffinity via required node affinity",
            objects: String::new(),
            pod: pod(
                "p",
                "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - key: disktype\n            operator: In\n            values: [ssd]\n",
                "",
            ),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. {}", no_help(3)),
        },
        MessageCase {
            name: "NodePorts",
            objects: format!("{}{}", host_port("web-1", "worker-1", 8080, "TCP"), host_port("web-2", "worker-2", 8080, "TCP")),
            pod: host_port("p", "", 8080, "TCP"),
            actions: vec![],
            message: format!(
                "0/3 nodes are available: {CP_TAINT}, 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
            ),
        },
        MessageCase {
            name: "NodeResourcesFit cpu larger than any node",
            objects: String::new(),
            pod: pod("p", "", &requests(&["cpu: \"5\""])),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu. {}", no_help(3)),
        },
        MessageCase {
            name: "NodeResourcesFit memory",
            objects: String::new(),
            pod: pod("p", "", &requests(&["memory: 9Gi"])),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient memory. {}", no_help(3)),
        },
        MessageCase {
            name: "NodeResourcesFit ephemeral-storage",
            objects: String::new(),
            pod: pod("p", "", &requests(&["ephemeral-storage: 200Gi"])),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient ephemeral-storage. {}", no_help(3)),
        },
        MessageCase {
            name: "NodeResourcesFit extended resource",
            objects: String::new(),
            pod: pod("p", "", "    resources:\n      requests:\n        example.com/foo: 1\n      limits:\n        example.com/foo: 1\n"),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient example.com/foo. {}", no_help(3)),
        },
        MessageCase {
            name: "NodeResourcesFit two reasons per node, each counted",
            objects: String::new(),
            pod: pod("p", "", &requests(&["cpu: \"5\"", "memory: 9Gi"])),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu, 2 Insufficient memory. {}", no_help(3)),
        },
        MessageCase {
            name: "NodeResourcesFit cpu that eviction could free",
            objects: two_fillers.clone(),
            pod: pod("p", "", &requests(&["cpu: \"2\""])),
            actions: vec![],
            message: format!(
                "0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
            ),
        },
        MessageCase {
            name: "preemptionPolicy Never",
            objects: two_fillers,
            pod: pod("p", "  preemptionPolicy: Never\n", &requests(&["cpu: \"2\""])),
            actions: vec![],
            message: format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."),
        },
        MessageCase {
            name: "three different reasons, sorted as whole strings",
            objects: String::new(),
            pod: pod("p", "  nodeSelector:\n    disktype: ssd\n", ""),
            actions: vec![cordon(0, "worker-1"), label_node(0, "worker-1", "disktype", "ssd")],
            message: format!(
                "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, {CP_TAINT}, 1 node(s) were unschedulable. {}",
                no_help(3)
            ),
        },
    ]
}

#[test]
fn every_filter_reason_appears_in_the_exact_failed_scheduling_message() {
    for case in message_cases() {
        let mut actions = case.actions;
        actions.push(apply_at(S, &case.pod));
        let tl = run(&case.objects, actions, 20 * S);
        let a = first_attempt(&tl, "p");
        assert_eq!(a.message, case.message, "case: {}", case.name);
        assert_failed_scheduling(&tl, "p", &case.message);
    }
}

#[test]
fn filters_stop_at_the_first_rejection_in_the_default_order() {
    // worker-1: cordoned and too small; only NodeUnschedulable runs, the rest are skipped.
    let tl = run("", vec![cordon(0, "worker-1"), apply_at(S, &pod("p", "", &requests(&["cpu: \"5\""])))], 20 * S);
    let a = first_attempt(&tl, "p");
    let w1 = a.node("worker-1").unwrap();
    let names: Vec<&str> = w1.filters.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit"]);
    assert!(fails_with(&verdict(a, "worker-1", "NodeUnschedulable"), "node(s) were unschedulable"));
    for plugin in &names[1..] {
        assert_eq!(verdict(a, "worker-1", plugin), Verdict::Skipped, "{plugin} on worker-1");
    }
    // The control plane fails at TaintToleration (after two passes).
    assert_eq!(verdict(a, "control-plane", "NodeUnschedulable"), Verdict::Pass);
    assert_eq!(verdict(a, "control-plane", "NodeName"), Verdict::Pass);
    assert!(fails_with(&verdict(a, "control-plane", "TaintToleration"), "node(s) had untolerated taint(s)"));
    assert_eq!(verdict(a, "control-plane", "NodeResourcesFit"), Verdict::Skipped);
    // worker-2 reaches NodeResourcesFit.
    assert!(fails_with(&verdict(a, "worker-2", "NodeResourcesFit"), "Insufficient cpu"));
    // "1 Insufficient cpu" sorts before "1 node(s) …" ('I' < 'n').
    assert_eq!(a.message, format!("0/3 nodes are available: 1 Insufficient cpu, {CP_TAINT}, 1 node(s) were unschedulable. {}", no_help(3)));
}

#[test]
fn a_toleration_of_the_unschedulable_taint_passes_a_cordoned_node() {
    let tolerating = pod("p", "  tolerations:\n  - key: node.kubernetes.io/unschedulable\n    operator: Exists\n    effect: NoSchedule\n", "");
    let tl = run("", vec![cordon(0, "worker-1"), cordon(0, "worker-2"), apply_at(S, &tolerating)], 20 * S);
    let a = first_attempt(&tl, "p");
    assert_eq!(verdict(a, "worker-1", "NodeUnschedulable"), Verdict::Pass);
    assert!(a.chosen.as_deref().is_some_and(|n| n.starts_with("worker-")), "{:?}", a.chosen);
}

/// (toleration lines, taint (key, value, effect), tolerated?)
#[test]
fn toleration_matching_rules() {
    let cases: Vec<(&str, (&str, &str, &str), bool)> = vec![
        ("  - key: dedicated\n    operator: Equal\n    value: db\n    effect: NoSchedule\n", ("dedicated", "db", "NoSchedule"), true),
        ("  - key: dedicated\n    value: db\n    effect: NoSchedule\n", ("dedicated", "db", "NoSchedule"), true), // operator defaults to Equal
        ("  - key: dedicated\n    operator: Equal\n    value: web\n    effect: NoSchedule\n", ("dedicated", "db", "NoSchedule"), false),
        ("  - key: dedicated\n    operator: Exists\n    effect: NoSchedule\n", ("dedicated", "db", "NoSchedule"), true),
        ("  - key: other\n    operator: Exists\n", ("dedicated", "db", "NoSchedule"), false),
        // Empty effect matches every effect.
        ("  - key: dedicated\n    operator: Equal\n    value: db\n", ("dedicated", "db", "NoExecute"), true),
        ("  - key: dedicated\n    operator: Exists\n", ("dedicated", "db", "NoSchedule"), true),
        // An effect that differs never matches.
        ("  - key: dedicated\n    operator: Equal\n    value: db\n    effect: NoExecute\n", ("dedicated", "db", "NoSchedule"), false),
        ("  - key: dedicated\n    operator: Exists\n    effect: NoSchedule\n", ("dedicated", "db", "NoExecute"), false),
        // NoExecute tolerated with tolerationSeconds still schedules.
        ("  - key: dedicated\n    operator: Exists\n    effect: NoExecute\n    tolerationSeconds: 60\n", ("dedicated", "", "NoExecute"), true),
        // Empty key with Exists tolerates everything.
        ("  - operator: Exists\n", ("dedicated", "db", "NoExecute"), true),
        ("  - operator: Exists\n    effect: NoSchedule\n", ("dedicated", "db", "NoSchedule"), true),
        // Empty value with Equal matches a taint with an empty value.
        ("  - key: dedicated\n    operator: Equal\n    effect: NoSchedule\n", ("dedicated", "", "NoSchedule"), true),
    ];
    for (i, (tol, (k, v, e), tolerated)) in cases.into_iter().enumerate() {
        let p = pod("p", &format!("  tolerations:\n{tol}"), "");
        let tl = run("", vec![taint(0, "worker-1", k, v, e), apply_at(S, &p)], 10 * S);
        let a = first_attempt(&tl, "p");
        let v1 = verdict(a, "worker-1", "TaintToleration");
        if tolerated {
            assert_eq!(v1, Verdict::Pass, "case {i}: {tol} should tolerate {k}={v}:{e}");
        } else {
            assert!(fails_with(&v1, "node(s) had untolerated taint(s)"), "case {i}: {tol} should not tolerate {k}={v}:{e}: {v1:?}");
        }
    }
}

#[test]
fn an_empty_key_exists_toleration_lets_a_pod_onto_the_control_plane() {
    let p = pod("p", "  tolerations:\n  - operator: Exists\n", "");
    let tl = run("", vec![cordon(0, "worker-1"), cordon(0, "worker-2"), apply_at(S, &p)], 20 * S);
    // Cordoned workers still reject it (NodeUnschedulable only checks the unschedulable taint, which `Exists` tolerates too).
    let a = first_attempt(&tl, "p");
    assert_eq!(verdict(a, "control-plane", "TaintToleration"), Verdict::Pass);
    assert!(a.chosen.is_some());
}

#[test]
fn prefer_no_schedule_taints_never_filter() {
    let tl = run("", vec![taint(0, "worker-1", "soft", "", "PreferNoSchedule"), taint(0, "worker-2", "soft", "", "PreferNoSchedule"), apply_at(S, &pod("p", "", ""))], 20 * S);
    let a = first_attempt(&tl, "p");
    assert_eq!(verdict(a, "worker-1", "TaintToleration"), Verdict::Pass);
    assert_eq!(verdict(a, "worker-2", "TaintToleration"), Verdict::Pass);
    assert!(a.chosen.as_deref().is_some_and(|n| n.starts_with("worker-")));
}

/// Three user nodes (no taints): n1 zone=a rank=3, n2 zone=b rank=7, n3 rank=10 (no zone), n4 rank=abc.
fn affinity_nodes() -> String {
    format!("{}{}{}{}", node("n1", &["zone: a", "rank: \"3\""], 110), node("n2", &["zone: b", "rank: \"7\""], 110), node("n3", &["rank: \"10\""], 110), node("n4", &["rank: abc"], 110))
}

fn required(terms: &str) -> String {
    format!("  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n{terms}")
}

fn expr(key: &str, op: &str, values: &[&str]) -> String {
    let mut s = format!("          - key: {key}\n            operator: {op}\n");
    if !values.is_empty() {
        s.push_str(&format!("            values: [{}]\n", values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")));
    }
    s
}

#[test]
fn node_affinity_operators_and_match_fields() {
    let cases: Vec<(&str, String, &[&str])> = vec![
        ("In", required(&format!("        - matchExpressions:\n{}", expr("zone", "In", &["a"]))), &["n1"]),
        ("In with two values", required(&format!("        - matchExpressions:\n{}", expr("zone", "In", &["a", "b"]))), &["n1", "n2"]),
        ("NotIn (a missing label matches)", required(&format!("        - matchExpressions:\n{}", expr("zone", "NotIn", &["a"]))), &["n2", "n3", "n4"]),
        ("Exists", required(&format!("        - matchExpressions:\n{}", expr("zone", "Exists", &[]))), &["n1", "n2"]),
        ("DoesNotExist", required(&format!("        - matchExpressions:\n{}", expr("zone", "DoesNotExist", &[]))), &["n3", "n4"]),
        ("Gt (integers; a non-integer label never matches)", required(&format!("        - matchExpressions:\n{}", expr("rank", "Gt", &["5"]))), &["n2", "n3"]),
        ("Lt", required(&format!("        - matchExpressions:\n{}", expr("rank", "Lt", &["7"]))), &["n1"]),
        ("expressions in a term are ANDed", required(&format!("        - matchExpressions:\n{}{}", expr("zone", "Exists", &[]), expr("rank", "Gt", &["5"]))), &["n2"]),
        (
            "terms are ORed",
            required(&format!("        - matchExpressions:\n{}        - matchFields:\n{}", expr("zone", "In", &["a"]), expr("metadata.name", "In", &["n3"]))),
            &["n1", "n3"],
        ),
        ("matchFields In", required(&format!("        - matchFields:\n{}", expr("metadata.name", "In", &["n2"]))), &["n2"]),
        ("matchFields NotIn", required(&format!("        - matchFields:\n{}", expr("metadata.name", "NotIn", &["n2"]))), &["n1", "n3", "n4"]),
        (
            "matchExpressions and matchFields in one term are ANDed",
            required(&format!("        - matchExpressions:\n{}          matchFields:\n{}", expr("rank", "Lt", &["5"]), expr("metadata.name", "NotIn", &["n4"]))),
            &["n1"],
        ),
        ("nodeSelector", "  nodeSelector:\n    zone: b\n".to_string(), &["n2"]),
        ("nodeSelector on the hostname label", "  nodeSelector:\n    kubernetes.io/hostname: n3\n".to_string(), &["n3"]),
        ("nodeSelector AND required affinity", format!("  nodeSelector:\n    zone: a\n{}", required(&format!("        - matchExpressions:\n{}", expr("rank", "Gt", &["5"])))), &[]),
    ];
    for (name, spec, want) in cases {
        let yaml = format!("{}{}", affinity_nodes(), pod("p", &spec, ""));
        let tl = run(&yaml, vec![], 10 * S);
        let a = first_attempt(&tl, "p");
        let passing: Vec<&str> = ["n1", "n2", "n3", "n4"].into_iter().filter(|n| verdict(a, n, "NodeAffinity") == Verdict::Pass).collect();
        assert_eq!(passing, want, "case: {name}");
        for n in ["n1", "n2", "n3", "n4"].iter().filter(|n| !want.contains(n)) {
            assert_eq!(
                verdict(a, n, "NodeAffinity"), Verdict::Fail { reasons: vec!["node(s) didn't match Pod's node affinity/selector".into()], resolvable: false },
                "case: {name}, node {n}"
            );
        }
        match want {
            [] => assert_eq!(
                a.message,
                "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
                "case: {name}"
            ),
            _ => assert!(want.contains(&a.chosen.as_deref().unwrap_or("-")), "case {name}: chose {:?}", a.chosen),
        }
    }
}

#[test]
fn host_ports_conflict_only_on_the_same_port_and_protocol() {
    let web = |name: &str, node: &str, port: u32, proto: &str| {
        let spec = if node.is_empty() { String::new() } else { format!("  nodeName: {node}\n") };
        pod(name, &spec, &format!("    ports:\n    - containerPort: 80\n      hostPort: {port}\n      protocol: {proto}\n"))
    };
    let objects = format!("{}{}", web("web-1", "worker-1", 8080, "TCP"), web("web-2", "worker-2", 8080, "UDP"));
    // Another port: both free. The same port over UDP: worker-2 is taken, worker-1 is free.
    for (p, free) in [(web("p", "", 9090, "TCP"), vec!["worker-1", "worker-2"]), (web("p", "", 8080, "UDP"), vec!["worker-1"]), (web("p", "", 8080, "TCP"), vec!["worker-2"])] {
        let tl = run(&objects, vec![apply_at(S, &p)], 10 * S);
        let a = first_attempt(&tl, "p");
        for n in ["worker-1", "worker-2"] {
            let v = verdict(a, n, "NodePorts");
            if free.contains(&n) {
                assert_eq!(v, Verdict::Pass, "{n} for {p}");
            } else {
                assert_eq!(v, Verdict::Fail { reasons: vec!["node(s) didn't have free ports for the requested pod ports".into()], resolvable: true }, "{n}");
            }
        }
        assert!(free.contains(&a.chosen.as_deref().unwrap_or("-")));
    }
}

#[test]
fn too_many_pods_counts_the_pods_on_the_node() {
    let yaml = format!("{}{}", node("tiny", &[], 1), pinned("first", "tiny", "100m"));
    let tl = run(&yaml, vec![apply_at(S, &pod("p", "", ""))], 10 * S);
    assert_failed_scheduling(&tl, "p", "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
    // The node is full only while its pod is: a node for two takes a second pod.
    let yaml = format!("{}{}", node("small", &[], 2), pinned("first", "small", "100m"));
    let tl = run(&yaml, vec![apply_at(S, &pod("p", "", ""))], 10 * S);
    assert_eq!(first_attempt(&tl, "p").chosen.as_deref(), Some("small"));
}

#[test]
fn resources_fit_exactly_at_allocatable() {
    // 3 cpu used on each worker: 1 cpu fits exactly, 1001m does not.
    let objects = format!("{}{}", pinned("filler-1", "worker-1", "3"), pinned("filler-2", "worker-2", "3"));
    let tl = run(&objects, vec![apply_at(S, &pod("p", "", &requests(&["cpu: \"1\""])))], 10 * S);
    assert!(first_attempt(&tl, "p").chosen.is_some());
    let tl = run(&objects, vec![apply_at(S, &pod("p", "", &requests(&["cpu: 1001m"])))], 10 * S);
    assert!(first_attempt(&tl, "p").chosen.is_none());
}

#[test]
fn message_entries_sort_as_whole_strings_not_by_count() {
    // Ten nodes without the label and two with the label but no room: "10 …" sorts before "2 …"
    // (character by character), although 2 < 10 and "Insufficient" < "node(s)".
    let mut yaml = String::new();
    for i in 0..10 {
        yaml.push_str(&node(&format!("plain-{i:02}"), &[], 110));
    }
    yaml.push_str(&node("gpu-1", &["gpu: \"true\""], 110));
    yaml.push_str(&node("gpu-2", &["gpu: \"true\""], 110));
    let p = pod("p", "  nodeSelector:\n    gpu: \"true\"\n", &requests(&["cpu: \"5\""]));
    let tl = run(&format!("{yaml}{p}"), vec![], 10 * S);
    assert_failed_scheduling(
        &tl,
        "p",
        "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.",
    );
}

#[test]
fn repeated_failures_aggregate_into_one_event_with_a_count() {
    // Never schedulable; retried when the cluster changes (each label is a change).
    let actions = vec![apply_at(S, &pod("p", "  nodeSelector:\n    disktype: ssd\n", "")), label_node(10 * S, "worker-1", "a", "1"), label_node(20 * S, "worker-1", "b", "1")];
    let tl = run("", actions, 30 * S);
    assert_eq!(attempts(&tl, "p").len(), 3);
    let evs = events_for(&tl, "p", "FailedScheduling");
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].count, 3);
}

// ---------------------------------------------------------------- scores

#[test]
fn least_allocated_prefers_the_emptier_node() {
    let busy = pod("busy", "  nodeName: worker-1\n", &requests(&["cpu: \"2\"", "memory: 2Gi"]));
    let tl = run(&busy, vec![apply_at(S, &pod("p", "", &requests(&["cpu: 500m", "memory: 512Mi"])))], 10 * S);
    let a = first_attempt(&tl, "p");
    // worker-1: cpu (4000-2500)/4000 = 37, memory (8Gi-2.5Gi)/8Gi = 68 → 52; worker-2: 87, 93 → 90.
    assert_eq!(score(a, "worker-1", "NodeResourcesFit"), 52);
    assert_eq!(score(a, "worker-2", "NodeResourcesFit"), 90);
    // Balanced allocation: worker-1 fractions .625/.3125 → 84; worker-2 .125/.0625 → 96.
    assert_eq!(score(a, "worker-1", "NodeResourcesBalancedAllocation"), 84);
    assert_eq!(score(a, "worker-2", "NodeResourcesBalancedAllocation"), 96);
    assert_eq!(a.chosen.as_deref(), Some("worker-2"));
    // Infeasible nodes are not scored.
    assert_eq!(total(a, "control-plane"), None);
    // The total is the weighted sum.
    for n in ["worker-1", "worker-2"] {
        let r = a.node(n).unwrap();
        let weights: Vec<(&str, i64)> = r.scores.iter().map(|(p, _, w)| (*p, *w)).collect();
        assert_eq!(weights, [("TaintToleration", 3), ("NodeAffinity", 2), ("NodeResourcesFit", 1), ("NodeResourcesBalancedAllocation", 1), ("ImageLocality", 1)]);
        assert_eq!(r.total, Some(r.scores.iter().map(|(_, s, w)| s * w).sum()));
    }
}

#[test]
fn unset_requests_score_as_100m_and_200mi() {
    // Two pods with no requests on worker-1 count as 200m / 400Mi for scoring only.
    let objects = format!("{}{}", pod("a", "  nodeName: worker-1\n", ""), pod("b", "  nodeName: worker-1\n", ""));
    let tl = run(&objects, vec![apply_at(S, &pod("p", "", ""))], 10 * S);
    let a = first_attempt(&tl, "p");
    // worker-1: cpu (4000-300)/4000 = 92, memory (8192-600)/8192 = 92 → 92; worker-2: 97, 97 → 97.
    assert_eq!(score(a, "worker-1", "NodeResourcesFit"), 92);
    assert_eq!(score(a, "worker-2", "NodeResourcesFit"), 97);
    assert_eq!(a.chosen.as_deref(), Some("worker-2"));
}

/// Regression: LeastAllocated multiplied the free milli-bytes by 100 in 64 bits, which overflows
/// on a node with more than about 92 TB of memory and gave it a wrong (0) score.
#[test]
fn least_allocated_scores_a_node_of_petabytes_without_overflow() {
    let big = "apiVersion: v1\nkind: Node\nmetadata:\n  name: big\nstatus:\n  capacity:\n    cpu: \"4\"\n    memory: 1Pi\n    pods: \"110\"\n---\n";
    let tl = run(big, vec![apply_at(S, &pod("p", "  nodeSelector:\n    kubernetes.io/hostname: big\n", &requests(&["cpu: \"1\"", "memory: 256Ti"])))], 10 * S);
    let a = first_attempt(&tl, "p");
    // cpu (4000-1000)/4000 = 75, memory (1024-256)/1024 Ti = 75 → 75.
    assert_eq!(score(a, "big", "NodeResourcesFit"), 75);
    assert_eq!(a.chosen.as_deref(), Some("big"));
}

/// Regression: a request of `4Ei` (beyond 64 bits in milli-units) was refused at parse time;
/// the API server accepts it and the scheduler finds no node with that much memory.
#[test]
fn a_request_beyond_64_bits_is_accepted_and_insufficient_everywhere() {
    let tl = run("", vec![apply_at(S, &pod("p", "", &requests(&["memory: 4Ei"])))], 10 * S);
    let a = first_attempt(&tl, "p");
    assert!(a.chosen.is_none());
    assert!(a.message.contains("Insufficient memory"), "{}", a.message);
}

#[test]
fn prefer_no_schedule_taint_is_avoided_and_tolerating_it_removes_the_penalty() {
    let tl = run("", vec![taint(0, "worker-1", "soft", "x", "PreferNoSchedule"), apply_at(S, &pod("p", "", ""))], 10 * S);
    let a = first_attempt(&tl, "p");
    assert_eq!(score(a, "worker-1", "TaintToleration"), 0);
    assert_eq!(score(a, "worker-2", "TaintToleration"), 100);
    assert_eq!(total(a, "worker-2").unwrap() - total(a, "worker-1").unwrap(), 300);
    assert_eq!(a.chosen.as_deref(), Some("worker-2"));

    let tolerant = pod("p", "  tolerations:\n  - key: soft\n    operator: Exists\n    effect: PreferNoSchedule\n", "");
    let tl = run("", vec![taint(0, "worker-1", "soft", "x", "PreferNoSchedule"), apply_at(S, &tolerant)], 10 * S);
    let a = first_attempt(&tl, "p");
    assert_eq!(score(a, "worker-1", "TaintToleration"), 100);
    assert_eq!(total(a, "worker-1"), total(a, "worker-2"));
}

fn preferred(terms: &[(i32, &str, &str)]) -> String {
    let mut s = String::from("  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n");
    for (w, k, v) in terms {
        s.push_str(&format!("      - weight: {w}\n        preference:\n          matchExpressions:\n          - key: {k}\n            operator: In\n            values: [\"{v}\"]\n"));
    }
    s
}

#[test]
fn preferred_node_affinity_weights() {
    // (terms, NodeAffinity score on worker-1, on worker-2, chosen). worker-1 has a=1 and c=1, worker-2 has b=1.
    let cases: Vec<(Vec<(i32, &str, &str)>, i64, i64, &str)> = vec![
        (vec![(10, "a", "1"), (80, "b", "1")], 12, 100, "worker-2"),
        (vec![(50, "a", "1"), (40, "c", "1"), (80, "b", "1")], 100, 88, "worker-1"),
        (vec![(1, "b", "1")], 0, 100, "worker-2"),
        (vec![(100, "nothing", "1")], 0, 0, ""),
    ];
    for (terms, s1, s2, chosen) in cases {
        let actions = vec![label_node(0, "worker-1", "a", "1"), label_node(0, "worker-1", "c", "1"), label_node(0, "worker-2", "b", "1"), apply_at(S, &pod("p", &preferred(&terms), ""))];
        let tl = run("", actions, 10 * S);
        let a = first_attempt(&tl, "p");
        assert_eq!((score(a, "worker-1", "NodeAffinity"), score(a, "worker-2", "NodeAffinity")), (s1, s2), "{terms:?}");
        if !chosen.is_empty() {
            assert_eq!(a.chosen.as_deref(), Some(chosen), "{terms:?}");
        }
    }
}

/// Two or three identical user nodes; `with_image` lists those that hold the kubia image (242 MB).
fn image_nodes(names: &[&str], with_image: &[&str]) -> String {
    let mut s = String::new();
    for n in names {
        s.push_str(&format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {n}\nstatus:\n  capacity:\n    cpu: \"4\"\n    memory: 8Gi\n    pods: \"110\"\n"));
        if with_image.contains(n) {
            s.push_str("  images:\n  - names: [\"docker.io/luksa/kubia:latest\"]\n    sizeBytes: 242000000\n");
        }
        s.push_str("---\n");
    }
    s
}

const KUBIA_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: luksa/kubia\n---\n";

#[test]
fn image_locality_prefers_a_node_with_the_image() {
    let tl = run(&format!("{}{KUBIA_POD}", image_nodes(&["n1", "n2"], &["n2"])), vec![], 10 * S);
    let a = first_attempt(&tl, "p");
    // 242 MB spread over 1 of 2 nodes = 121 MB; (121 MB − 23 MiB) / (1000 MiB − 23 MiB) → 9.
    assert_eq!(score(a, "n2", "ImageLocality"), 9);
    assert_eq!(score(a, "n1", "ImageLocality"), 0);
    assert_eq!(a.chosen.as_deref(), Some("n2"));
}

#[test]
fn image_locality_scales_by_how_many_nodes_have_the_image() {
    // ImageLocality's scaledImageScore: size × (nodes with the image / all nodes).
    // 242 MB × 2/3 = 161.3 MB → (161.3 MB − 23 MiB) × 100 / (1000 MiB − 23 MiB) = 13.
    let tl = run(&format!("{}{KUBIA_POD}", image_nodes(&["n1", "n2", "n3"], &["n2", "n3"])), vec![], 10 * S);
    let a = first_attempt(&tl, "p");
    assert_eq!(score(a, "n2", "ImageLocality"), 13);
    assert_eq!(score(a, "n3", "ImageLocality"), 13);
    assert_eq!(score(a, "n1", "ImageLocality"), 0);
    // With one of three: 80.7 MB → 5.
    let tl = run(&format!("{}{KUBIA_POD}", image_nodes(&["n1", "n2", "n3"], &["n2"])), vec![], 10 * S);
    assert_eq!(score(first_attempt(&tl, "p"), "n2", "ImageLocality"), 5);
}

#[test]
fn image_locality_sees_images_the_kubelet_pulled() {
    // The kubelet reports the images on its node in node.status.images (refreshed with its node
    // status, every 10 s): two minutes after worker-1 pulled kubia, the next kubia pod prefers it.
    let first = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: first\nspec:\n  nodeName: worker-1\n  restartPolicy: Never\n  containers:\n  - name: app\n    image: luksa/kubia\n    command: [\"true\"]\n---\n";
    let tl = run(first, vec![apply_at(2 * 60 * S, &KUBIA_POD.replace("name: p", "name: second"))], 2 * 60 * S + 10 * S);
    assert!(tl.last.world.runtimes["worker-1"].images.contains_key("docker.io/luksa/kubia:latest"), "pulled on worker-1");
    assert!(tl.last.world.nodes["worker-1"].status.images.contains_key("docker.io/luksa/kubia:latest"), "reported in worker-1's node status");
    let a = first_attempt(&tl, "second");
    assert_eq!(score(a, "worker-1", "ImageLocality"), 5);
    assert_eq!(a.chosen.as_deref(), Some("worker-1"));
}

// ---------------------------------------------------------------- tie-breaking

#[test]
fn ties_are_broken_by_the_seed_deterministically() {
    let choose = |seed: u64| {
        let tl = run_with(&pod("p", "", ""), vec![], 10 * S, seed);
        let a = first_attempt(&tl, "p").clone();
        assert_eq!(total(&a, "worker-1"), total(&a, "worker-2"), "identical workers tie");
        a
    };
    // Same seed ⇒ same node (and the very same attempt).
    for seed in [1, 2, 7, 42] {
        assert_eq!(choose(seed), choose(seed), "seed {seed}");
    }
    // Different seeds may pick different nodes among the tied ones: over a handful of seeds both
    // workers get chosen (documenting that the choice depends on the seed and nothing else).
    let picks: std::collections::BTreeSet<String> = (1..=16).map(|s| choose(s).chosen.unwrap()).collect();
    assert_eq!(picks.into_iter().collect::<Vec<_>>(), ["worker-1", "worker-2"]);
}

// ---------------------------------------------------------------- queue order

#[test]
fn higher_priority_pods_are_scheduled_first_when_both_wait() {
    let objects = format!("{}{}", priority_class("low", 10), priority_class("high", 1000));
    let p = |name: &str, pc: &str| pod(name, &format!("  priorityClassName: {pc}\n"), &requests(&["cpu: \"3\""]));
    let actions = vec![
        cordon(0, "worker-1"),
        cordon(0, "worker-2"),
        // The low-priority pod arrives first.
        apply_at(S, &p("low", "low")),
        apply_at(2 * S, &p("high", "high")),
        uncordon(30 * S, "worker-1"),
    ];
    let tl = run(&objects, actions, 60 * S);
    assert_eq!(live_pod(&tl, "high").spec.priority, 1000);
    // Both failed before the uncordon.
    assert!(attempts(&tl, "low").first().is_some_and(|(s, a)| s.time_ms < 30 * S && a.chosen.is_none()));
    assert!(attempts(&tl, "high").first().is_some_and(|(s, a)| s.time_ms < 30 * S && a.chosen.is_none()));
    // After it, the high-priority pod is tried first and takes the only room.
    let after: Vec<(u64, &str, Option<&str>)> = tl
        .steps
        .iter()
        .filter(|s| s.time_ms >= 30 * S)
        .filter_map(|s| match &s.detail {
            Some(StepDetail::Scheduling(a)) => Some((s.time_ms, a.pod.name.as_str(), a.chosen.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(after.first().map(|x| (x.1, x.2)), Some(("high", Some("worker-1"))), "{after:?}");
    assert_eq!(live_pod(&tl, "high").spec.node_name, "worker-1");
    assert!(live_pod(&tl, "low").spec.node_name.is_empty());
    let low_after = after.iter().find(|x| x.1 == "low").expect("low retried after the uncordon");
    assert_eq!(low_after.2, None);
}

#[test]
fn equal_priority_pods_are_scheduled_in_arrival_order() {
    let actions = vec![cordon(0, "worker-1"), cordon(0, "worker-2"), apply_at(S, &pod("first", "", "")), apply_at(2 * S, &pod("second", "", "")), uncordon(30 * S, "worker-1")];
    let tl = run("", actions, 60 * S);
    let order: Vec<&str> = tl
        .steps
        .iter()
        .filter(|s| s.time_ms >= 30 * S)
        .filter_map(|s| match &s.detail {
            Some(StepDetail::Scheduling(a)) if a.chosen.is_some() => Some(a.pod.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["first", "second"]);
}

#[test]
fn a_pod_chosen_but_not_yet_bound_still_counts_on_its_node() {
    // kube-scheduler "assumes" a pod on its node as soon as the cycle picks it, before the
    // binding is written. With a slow binding two pods that each need 3 of 4 cpu must not both
    // land on the one schedulable node.
    let mut sc = Scenario::new(Vec::new());
    sc.durations.bind_ms = 200;
    sc.actions = vec![cordon(0, "worker-2"), apply_at(S, &format!("{}{}", pod("a", "", &requests(&["cpu: \"3\""])), pod("b", "", &requests(&["cpu: \"3\""]))))];
    let tl = Timeline::run(sc, Limits { until_ms: 20 * S, max_steps: 100_000, checkpoint_every: 0 });
    let on_w1: Vec<&str> = ["a", "b"].into_iter().filter(|n| live_pod(&tl, n).spec.node_name == "worker-1").collect();
    assert_eq!(on_w1.len(), 1, "exactly one of the pods fits worker-1: {on_w1:?}");
    let requested: i64 = tl.last.world.pods.values().filter(|p| p.spec.node_name == "worker-1").map(|p| podsim::resources::pod_requests(&p.spec, false).get("cpu").copied().unwrap_or(0)).sum();
    assert!(requested <= 4000, "worker-1 overcommitted: {requested}m cpu");
}

// ---------------------------------------------------------------- preemption

/// The priority classes (applied at 0 s; a pod must not be created in the same request as its
/// class, see `a_priority_class_applied_with_its_pods_in_one_file_resolves`).
fn preemption_classes() -> String {
    format!("{}{}{}", priority_class("mid", 100), priority_class("low", 10), priority_class("critical", 1_000_000))
}

/// worker-1's filler has priority 100, worker-2's 10: the cheaper victim is on worker-2.
fn fillers_at(t: u64) -> (u64, Action) {
    apply_at(
        t,
        &format!(
            "{}{}",
            pod("filler-1", "  nodeName: worker-1\n  priorityClassName: mid\n", &requests(&["cpu: \"3\""])),
            pod("filler-2", "  nodeName: worker-2\n  priorityClassName: low\n", &requests(&["cpu: \"3\""])),
        ),
    )
}

fn critical() -> String {
    pod("critical", "  priorityClassName: critical\n", &requests(&["cpu: \"2\""]))
}

#[test]
fn preemption_picks_the_lowest_priority_victim_nominates_and_binds_after_the_victim_is_gone() {
    let tl = run(&preemption_classes(), vec![fillers_at(S), apply_at(10 * S, &critical())], 90 * S);
    assert_eq!(live_pod(&tl, "filler-1").spec.priority, 100);
    let (step, a) = attempts(&tl, "critical")[0];
    assert_eq!(a.chosen, None);
    assert_eq!(a.victims, vec![ObjectKey::new("default", "filler-2")]);
    // A successful preemption adds no `preemption:` part.
    assert_eq!(a.message, format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu."));
    assert!(matches!(&step.why, Why::Preempting { node, victims, .. } if node == "worker-2" && victims == &vec!["pod/filler-2".to_string()]), "{:?}", step.why);

    // Right after the attempt: nominatedNodeName, the victim's deletion and its events.
    let w = tl.world_after(step.index + 1);
    let crit = w.pod("default", "critical").unwrap();
    assert_eq!(crit.status.nominated_node_name, "worker-2");
    let victim = w.pod("default", "filler-2").unwrap();
    assert!(victim.meta.deletion_ms.is_some(), "victim is being deleted");
    let dt = victim.status.condition("DisruptionTarget").expect("DisruptionTarget condition");
    assert_eq!((dt.status.as_str(), dt.reason.as_str()), ("True", "PreemptionByScheduler"));
    assert!(w.pod("default", "filler-1").unwrap().meta.deletion_ms.is_none(), "the higher-priority filler stays");
    let preempted = events_for(&tl, "filler-2", "Preempted");
    assert_eq!(preempted.len(), 1);
    assert_eq!(preempted[0].message, format!("Preempted by pod {} on node worker-2", crit.meta.uid));
    assert!(events_for(&tl, "filler-1", "Preempted").is_empty());

    // The preemptor is bound to the nominated node only after the victim is gone.
    let gone = removed_at(&tl, "filler-2").expect("victim removed");
    let (bound, node) = bound_at(&tl, "critical").expect("critical bound");
    assert_eq!(node, "worker-2");
    assert!(bound > gone, "bound at {bound} before the victim was removed at {gone}");
    assert!(bound < gone + 5 * S, "bound promptly after the victim left: {bound} vs {gone}");
    let crit = live_pod(&tl, "critical");
    assert_eq!(crit.status.nominated_node_name, "", "nominatedNodeName is cleared on binding");
    assert_eq!(events_for(&tl, "critical", "Scheduled")[0].message, "Successfully assigned default/critical to worker-2");
    assert!(live_pod(&tl, "filler-1").spec.node_name == "worker-1");
    assert!(!tl.last.world.pods.contains_key(&ObjectKey::new("default", "filler-2")));
}

#[test]
fn preemption_evicts_only_what_is_needed() {
    // worker-1 holds small (1 cpu) and big (2 cpu), both priority 0: evicting big alone frees 3.
    let fillers = format!("{}{}{}", pinned("small", "worker-1", "1"), pinned("big", "worker-1", "2"), pinned("other", "worker-2", "4"));
    let tl = run(&priority_class("critical", 1000), vec![apply_at(S, &fillers), apply_at(10 * S, &pod("critical", "  priorityClassName: critical\n", &requests(&["cpu: \"3\""])))], 15 * S);
    let a = first_attempt(&tl, "critical");
    // worker-1 needs one victim (big); worker-2 one too (other): the tie goes to the first node.
    assert_eq!(a.victims.len(), 1, "{:?}", a.victims);
    assert!(a.victims == vec![ObjectKey::new("default", "big")] || a.victims == vec![ObjectKey::new("default", "other")], "{:?}", a.victims);
    assert!(!a.victims.contains(&ObjectKey::new("default", "small")));
}

#[test]
fn a_preemptor_waiting_for_its_victim_does_not_preempt_again() {
    // While filler-2 terminates (30 s grace, `sleep` ignores SIGTERM), a cluster change makes
    // the preemptor retry. kube-scheduler answers "preemption: not eligible due to a terminating
    // pod on the nominated node." instead of evicting filler-1 too.
    let actions = vec![fillers_at(S), apply_at(10 * S, &critical()), label_node(15 * S, "worker-1", "x", "1")];
    let tl = run(&preemption_classes(), actions, 90 * S);
    let all = attempts(&tl, "critical");
    assert!(all.len() >= 2, "retried after the label");
    let (_, second) = all[1];
    assert!(second.victims.is_empty(), "second attempt evicted {:?}", second.victims);
    assert_eq!(second.message, format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node."));
    assert!(events_for(&tl, "filler-1", "Preempted").is_empty(), "filler-1 must not be preempted");
    assert!(live_pod(&tl, "filler-1").meta.deletion_ms.is_none());
    assert_eq!(bound_at(&tl, "critical").map(|b| b.1), Some("worker-2".to_string()));
}

#[test]
fn no_victims_among_equal_or_higher_priority_pods() {
    let fillers = format!("{}{}", pod("f1", "  nodeName: worker-1\n  priorityClassName: critical\n", &requests(&["cpu: \"3\""])), pod("f2", "  nodeName: worker-2\n  priorityClassName: critical\n", &requests(&["cpu: \"3\""])));
    let tl = run(&priority_class("critical", 1000), vec![apply_at(S, &fillers), apply_at(10 * S, &pod("p", "  priorityClassName: critical\n", &requests(&["cpu: \"2\""])))], 20 * S);
    assert_failed_scheduling(
        &tl,
        "p",
        &format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."),
    );
}

#[test]
fn a_priority_class_applied_with_its_pods_in_one_file_resolves() {
    // `kubectl apply -f` of a multi-document file creates the objects one by one, in order: a
    // Pod after its PriorityClass in the same file is admitted with the class's value.
    let yaml = format!("{}{}", priority_class("mid", 100), pod("p", "  priorityClassName: mid\n", ""));
    let tl = run(&yaml, vec![], 10 * S);
    let p = tl.last.world.pod("default", "p").expect("pod p admitted");
    assert_eq!(p.spec.priority, 100);
}

#[test]
fn a_priority_class_with_preemption_policy_never_makes_its_pods_non_preempting() {
    // The priority admission plugin copies the class's preemptionPolicy into the pod.
    let objects = format!(
        "{}apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: polite\nvalue: 1000\npreemptionPolicy: Never\n---\n{}",
        pinned("filler-1", "worker-1", "3"),
        pinned("filler-2", "worker-2", "3"),
    );
    let tl = run(&objects, vec![apply_at(10 * S, &pod("p", "  priorityClassName: polite\n", &requests(&["cpu: \"2\""])))], 20 * S);
    assert_eq!(live_pod(&tl, "p").spec.preemption_policy, "Never");
    assert_failed_scheduling(&tl, "p", &format!("0/3 nodes are available: {CP_TAINT}, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."));
    assert!(events_for(&tl, "filler-1", "Preempted").is_empty() && events_for(&tl, "filler-2", "Preempted").is_empty());
}

// ---------------------------------------------------------------- retries on cluster changes

/// (what changes, when the pod is bound at the earliest, to which node)
fn assert_bound_soon_after(tl: &Timeline, pod: &str, change_ms: u64, node: &str) {
    let (t, n) = bound_at(tl, pod).unwrap_or_else(|| panic!("{pod} never bound"));
    assert_eq!(n, node);
    assert!(t > change_ms, "{pod} bound at {t}, before the change at {change_ms}");
    assert!(t < change_ms + 3 * S, "{pod} bound at {t}: not promptly after the change at {change_ms} (the 5-minute flush is not the trigger)");
}

#[test]
fn labelling_a_node_retries_an_unschedulable_pod() {
    let p = pod("p", "  nodeSelector:\n    gpu: \"true\"\n", "");
    let tl = run("", vec![apply_at(S, &p), label_node(30 * S, "worker-2", "gpu", "true")], 60 * S);
    assert!(first_attempt(&tl, "p").chosen.is_none());
    assert_bound_soon_after(&tl, "p", 30 * S, "worker-2");
    let cond = live_pod(&tl, "p").status.condition("PodScheduled").unwrap().clone();
    assert!(cond.is_true());
}

#[test]
fn uncordoning_a_node_retries_an_unschedulable_pod() {
    let tl = run("", vec![cordon(0, "worker-1"), cordon(0, "worker-2"), apply_at(S, &pod("p", "", "")), uncordon(30 * S, "worker-1")], 60 * S);
    assert!(first_attempt(&tl, "p").chosen.is_none());
    assert_bound_soon_after(&tl, "p", 30 * S, "worker-1");
}

#[test]
fn removing_a_taint_retries_an_unschedulable_pod() {
    let untaint = (30 * S, Action::Taint { node: "worker-1".into(), key: "dedicated".into(), value: String::new(), effect: "NoSchedule".into(), remove: true });
    let tl = run("", vec![taint(0, "worker-1", "dedicated", "db", "NoSchedule"), taint(0, "worker-2", "dedicated", "db", "NoSchedule"), apply_at(S, &pod("p", "", "")), untaint], 60 * S);
    assert!(first_attempt(&tl, "p").chosen.is_none());
    assert_bound_soon_after(&tl, "p", 30 * S, "worker-1");
}

#[test]
fn deleting_a_pod_frees_room_and_retries() {
    let objects = format!("{}{}", pinned("filler-1", "worker-1", "3"), pinned("filler-2", "worker-2", "3"));
    let delete = (20 * S, Action::DeletePod { namespace: "default".into(), name: "filler-2".into(), grace_seconds: Some(0), force: true });
    let tl = run(&objects, vec![apply_at(S, &pod("p", "", &requests(&["cpu: \"2\""]))), delete], 60 * S);
    assert!(first_attempt(&tl, "p").chosen.is_none());
    let gone = removed_at(&tl, "filler-2").expect("filler-2 removed");
    assert!(gone >= 20 * S);
    assert_bound_soon_after(&tl, "p", gone, "worker-2");
}

#[test]
fn a_graceful_deletion_frees_room_only_when_the_pod_is_gone() {
    let objects = format!("{}{}", pinned("filler-1", "worker-1", "3"), pinned("filler-2", "worker-2", "3"));
    let delete = (20 * S, Action::DeletePod { namespace: "default".into(), name: "filler-2".into(), grace_seconds: Some(5), force: false });
    let tl = run(&objects, vec![apply_at(S, &pod("p", "", &requests(&["cpu: \"2\""]))), delete], 60 * S);
    let gone = removed_at(&tl, "filler-2").expect("filler-2 removed");
    assert!(gone >= 25 * S, "sleep ignores SIGTERM: the 5 s grace runs out first ({gone})");
    assert_bound_soon_after(&tl, "p", gone, "worker-2");
}

#[test]
fn without_a_cluster_change_an_unschedulable_pod_waits_for_the_periodic_flush() {
    let tl = run("", vec![apply_at(S, &pod("p", "  nodeSelector:\n    gpu: \"true\"\n", ""))], 12 * 60 * S);
    let times: Vec<u64> = attempts(&tl, "p").iter().map(|(s, _)| s.time_ms).collect();
    assert!(times.len() >= 2, "{times:?}");
    // Retried at the 5-minute flush (plus the cycle's jitter), not in between.
    let gap = times[1] - times[0];
    assert!((300 * S..301 * S).contains(&gap), "second attempt {gap} ms after the first");
}

// ---------------------------------------------------------------- spec.nodeName

#[test]
fn a_pod_with_node_name_skips_the_scheduler() {
    // Even onto a cordoned node: binding by name bypasses every filter.
    let tl = run(&pod("direct", "  nodeName: worker-2\n", ""), vec![cordon(0, "worker-2")], 20 * S);
    assert!(attempts(&tl, "direct").is_empty());
    assert!(events_for(&tl, "direct", "Scheduled").is_empty(), "no Scheduled event");
    assert!(bound_at(&tl, "direct").is_none());
    assert!(tl.steps.iter().all(|s| !matches!(&s.why, Why::WatchDelivered { watcher, .. } if watcher == "scheduler")));
    let p = live_pod(&tl, "direct");
    assert_eq!(p.spec.node_name, "worker-2");
    assert_eq!(p.status.phase, podsim::api::Phase::Running);
    assert!(events_for(&tl, "direct", "Started").len() == 1);
}

#[test]
fn a_pod_for_another_scheduler_is_left_alone() {
    // The default scheduler only takes pods whose schedulerName is default-scheduler (its one
    // profile); another scheduler's pod stays Pending without any scheduling event.
    let tl = run(&format!("{}{}", pod("mine", "", ""), pod("theirs", "  schedulerName: my-scheduler\n", "")), vec![], 20 * S);
    assert_eq!(live_pod(&tl, "mine").spec.scheduler_name, "default-scheduler");
    assert!(bound_at(&tl, "mine").is_some());
    let theirs = live_pod(&tl, "theirs");
    assert!(attempts(&tl, "theirs").is_empty(), "the default scheduler tried it");
    assert!(theirs.spec.node_name.is_empty());
    assert_eq!(theirs.status.phase, podsim::api::Phase::Pending);
    assert!(theirs.status.condition("PodScheduled").is_none(), "{:?}", theirs.status.conditions);
    assert!(tl.last.world.events.iter().all(|e| e.involved.name != "theirs"));
    assert!(tl.last.world.scheduler.pods().all(|p| p.key.name != "theirs"), "not in the queue");
}
