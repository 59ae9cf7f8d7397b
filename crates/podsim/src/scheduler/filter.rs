//! The default filter plugins, in kube-scheduler's order, with their exact reason strings:
//! NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit.
//! A node's evaluation stops at the first plugin that rejects it, as the framework does.

use std::collections::BTreeMap;

use super::{NodeResult, Verdict};
use crate::api::{Node, NodeSelectorTerm, Pod, Taint, Toleration};
use crate::resources::pod_requests;

/// A node and the pods that count against it.
pub struct NodeInfo<'a> {
    pub node: &'a Node,
    pub pods: Vec<&'a Pod>,
    /// Sum of requests of `pods` (milli-units).
    pub requested: BTreeMap<String, i64>,
    /// Sum of non-zero requests (for scoring).
    pub requested_non_zero: BTreeMap<String, i64>,
}

impl<'a> NodeInfo<'a> {
    pub fn new(node: &'a Node, pods: Vec<&'a Pod>) -> NodeInfo<'a> {
        let mut requested = BTreeMap::new();
        let mut requested_non_zero = BTreeMap::new();
        for p in &pods {
            for (k, v) in pod_requests(&p.spec, false) {
                *requested.entry(k).or_default() += v;
            }
            for (k, v) in pod_requests(&p.spec, true) {
                *requested_non_zero.entry(k).or_default() += v;
            }
        }
        NodeInfo { node, pods, requested, requested_non_zero }
    }
}

type Plugin = fn(&Pod, &NodeInfo<'_>) -> Verdict;

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
pub fn run_filters(pod: &Pod, info: &NodeInfo<'_>) -> NodeResult {
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

fn node_unschedulable(pod: &Pod, info: &NodeInfo<'_>) -> Verdict {
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

fn node_name(pod: &Pod, info: &NodeInfo<'_>) -> Verdict {
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

fn taint_toleration(pod: &Pod, info: &NodeInfo<'_>) -> Verdict {
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

fn node_affinity(pod: &Pod, info: &NodeInfo<'_>) -> Verdict {
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

fn host_ports(pod: &Pod) -> Vec<(String, i32)> {
    pod.spec.all_containers().flat_map(|c| c.ports.iter()).filter(|p| p.host_port > 0).map(|p| (p.protocol.clone(), p.host_port)).collect()
}

fn node_ports(pod: &Pod, info: &NodeInfo<'_>) -> Verdict {
    let wanted = host_ports(pod);
    if wanted.is_empty() {
        return Verdict::Pass;
    }
    let used: Vec<(String, i32)> = info.pods.iter().flat_map(|p| host_ports(p)).collect();
    if wanted.iter().any(|w| used.contains(w)) {
        Verdict::Fail { reasons: vec!["node(s) didn't have free ports for the requested pod ports".into()], resolvable: true }
    } else {
        Verdict::Pass
    }
}

fn node_resources_fit(pod: &Pod, info: &NodeInfo<'_>) -> Verdict {
    let alloc = &info.node.status.allocatable;
    let mut reasons = Vec::new();
    let mut resolvable = true;
    let max_pods = alloc.get("pods").map_or(110, |q| q.milli / 1000);
    if info.pods.len() as i64 + 1 > max_pods {
        reasons.push("Too many pods".to_string());
    }
    let req = pod_requests(&pod.spec, false);
    for (res, want) in &req {
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
