//! The default filter plugins, in kube-scheduler's order, with their exact reason strings:
//! NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit.
//! A node's evaluation stops at the first plugin that rejects it, as the framework does.

use std::collections::BTreeMap;

use super::{NodeResult, Verdict};
use crate::api::{Node, NodeSelectorTerm, Pod, Taint, Toleration};
use crate::resources::pod_requests;

/// A node and what counts against it: requests, pod count, host ports of its pods (plus pods
/// nominated to it), and — only when preemption needs them — the pods themselves.
pub struct NodeInfo<'a> {
    pub node: &'a Node,
    pub pods: Vec<&'a Pod>,
    /// Sum of requests (milli-units).
    pub requested: BTreeMap<String, i64>,
    /// Sum of non-zero requests (for scoring).
    pub requested_non_zero: BTreeMap<String, i64>,
    pub pod_count: usize,
    pub host_ports: Vec<(String, i32)>,
}

/// What the pods bound to a node use, kept up to date by the simulation loop (the scheduler's
/// cache), so a cycle never walks every pod of the cluster.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeUsage {
    pub requested: BTreeMap<String, i64>,
    pub requested_non_zero: BTreeMap<String, i64>,
    pub pod_count: usize,
    pub host_ports: Vec<(String, i32)>,
}

impl NodeUsage {
    /// Adds (`sign` = 1) or removes (`sign` = -1) a pod's share.
    pub fn account(&mut self, pod: &Pod, sign: i64) {
        for (k, v) in pod_requests(&pod.spec, false) {
            let e = self.requested.entry(k).or_default();
            *e += sign * v;
        }
        for (k, v) in pod_requests(&pod.spec, true) {
            let e = self.requested_non_zero.entry(k).or_default();
            *e += sign * v;
        }
        let ports = host_ports(pod);
        if sign > 0 {
            self.pod_count += 1;
            self.host_ports.extend(ports);
        } else {
            self.pod_count = self.pod_count.saturating_sub(1);
            for p in ports {
                if let Some(i) = self.host_ports.iter().position(|x| *x == p) {
                    self.host_ports.remove(i);
                }
            }
        }
    }
}

impl<'a> NodeInfo<'a> {
    /// From an explicit list of pods (preemption's what-ifs, tests).
    pub fn new(node: &'a Node, pods: Vec<&'a Pod>) -> NodeInfo<'a> {
        let mut usage = NodeUsage::default();
        for p in &pods {
            usage.account(p, 1);
        }
        NodeInfo { node, pods, requested: usage.requested, requested_non_zero: usage.requested_non_zero, pod_count: usage.pod_count, host_ports: usage.host_ports }
    }

    /// From the cached usage, plus pods nominated to the node.
    pub fn from_usage(node: &'a Node, usage: Option<&NodeUsage>, nominated: &[&'a Pod]) -> NodeInfo<'a> {
        let mut u = usage.cloned().unwrap_or_default();
        for p in nominated {
            u.account(p, 1);
        }
        NodeInfo { node, pods: Vec::new(), requested: u.requested, requested_non_zero: u.requested_non_zero, pod_count: u.pod_count, host_ports: u.host_ports }
    }
}

/// The pod being scheduled, with what every filter needs computed once per cycle.
pub struct Candidate<'a> {
    pub pod: &'a Pod,
    pub requests: BTreeMap<String, i64>,
    pub host_ports: Vec<(String, i32)>,
}

impl<'a> Candidate<'a> {
    pub fn new(pod: &'a Pod) -> Candidate<'a> {
        Candidate { pod, requests: pod_requests(&pod.spec, false), host_ports: host_ports(pod) }
    }
}

type Plugin = fn(&Candidate<'_>, &NodeInfo<'_>) -> Verdict;

/// The filter plugins in the default profile's order.
pub const FILTERS: [(&str, Plugin); 6] = [
    ("NodeUnschedulable", node_unschedulable),
    ("NodeName", node_name),
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity),
    ("NodePorts", node_ports),
    ("NodeResourcesFit", node_resources_fit),
];

/// Runs the filters on one node, stopping at the first rejection.
pub fn run_filters(pod: &Candidate<'_>, info: &NodeInfo<'_>) -> NodeResult {
    let mut filters = Vec::with_capacity(FILTERS.len());
    let mut failed = false;
    for (name, plugin) in FILTERS {
        if failed {
            filters.push((name, Verdict::Skipped));
            continue;
        }
        let v = plugin(pod, info);
        failed = !matches!(v, Verdict::Pass);
        filters.push((name, v));
    }
    NodeResult { node: info.node.meta.name.clone(), filters, scores: Vec::new(), total: None }
}

fn unresolvable(reason: &str) -> Verdict {
    Verdict::Fail { reasons: vec![reason.to_string()], resolvable: false }
}

fn node_unschedulable(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Verdict {
    let pod = c.pod;
    if !info.node.spec.unschedulable {
        return Verdict::Pass;
    }
    let taint = Taint { key: "node.kubernetes.io/unschedulable".into(), value: String::new(), effect: "NoSchedule".into(), time_added_ms: None };
    if pod.spec.tolerations.iter().any(|t| tolerates(t, &taint)) {
        Verdict::Pass
    } else {
        unresolvable("node(s) were unschedulable")
    }
}

fn node_name(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Verdict {
    let pod = c.pod;
    if pod.spec.node_name.is_empty() || pod.spec.node_name == info.node.meta.name {
        Verdict::Pass
    } else {
        unresolvable("node(s) didn't match the requested node name")
    }
}

/// Whether a toleration tolerates a taint (key, operator, value, effect).
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    if !t.effect.is_empty() && t.effect != taint.effect {
        return false;
    }
    if t.key.is_empty() {
        return t.operator == "Exists";
    }
    if t.key != taint.key {
        return false;
    }
    match t.operator.as_str() {
        "Exists" => true,
        _ => t.value == taint.value,
    }
}

fn taint_toleration(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Verdict {
    let pod = c.pod;
    let untolerated = info
        .node
        .spec
        .taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .any(|taint| !pod.spec.tolerations.iter().any(|t| tolerates(t, taint)));
    if untolerated {
        // v1.34.2+ wording: the taint itself is no longer part of the status message.
        unresolvable("node(s) had untolerated taint(s)")
    } else {
        Verdict::Pass
    }
}

/// Whether a node selector term matches a node (expressions on labels, fields on the name).
pub fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    if term.match_expressions.is_empty() && term.match_fields.is_empty() {
        return false;
    }
    let mut fields = BTreeMap::new();
    fields.insert("metadata.name".to_string(), node.meta.name.clone());
    term.match_expressions.iter().all(|r| r.matches(&node.meta.labels)) && term.match_fields.iter().all(|r| r.matches(&fields))
}

fn node_affinity(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Verdict {
    let pod = c.pod;
    let labels = &info.node.meta.labels;
    let selector_ok = pod.spec.node_selector.iter().all(|(k, v)| labels.get(k) == Some(v));
    let required = &pod.spec.affinity.required;
    let affinity_ok = required.is_empty() || required.iter().any(|t| term_matches(t, info.node));
    if selector_ok && affinity_ok {
        Verdict::Pass
    } else {
        unresolvable("node(s) didn't match Pod's node affinity/selector")
    }
}

pub(crate) fn host_ports(pod: &Pod) -> Vec<(String, i32)> {
    pod.spec.all_containers().flat_map(|c| c.ports.iter()).filter(|p| p.host_port > 0).map(|p| (p.protocol.clone(), p.host_port)).collect()
}

fn node_ports(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Verdict {
    let pod = c.pod;
    let wanted = &c.host_ports;
    let _ = pod;
    if wanted.is_empty() {
        return Verdict::Pass;
    }
    if wanted.iter().any(|w| info.host_ports.contains(w)) {
        Verdict::Fail { reasons: vec!["node(s) didn't have free ports for the requested pod ports".into()], resolvable: true }
    } else {
        Verdict::Pass
    }
}

fn node_resources_fit(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Verdict {
    let pod = c.pod;
    let alloc = &info.node.status.allocatable;
    let mut reasons = Vec::new();
    let mut resolvable = true;
    let max_pods = alloc.get("pods").map_or(110, |q| q.milli / 1000);
    if info.pod_count as i64 + 1 > max_pods {
        reasons.push("Too many pods".to_string());
    }
    let _ = pod;
    for (res, want) in &c.requests {
        if *want <= 0 {
            continue;
        }
        let capacity = alloc.get(res).map_or(0, |q| q.milli);
        let used = info.requested.get(res).copied().unwrap_or(0);
        if want + used > capacity {
            reasons.push(format!("Insufficient {res}"));
            if *want > capacity {
                // Larger than the whole node: evicting pods cannot help.
                resolvable = false;
            }
        }
    }
    if reasons.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail { reasons, resolvable }
    }
}
