//! The node lifecycle controller and the taint eviction controller: a node whose kubelet stops
//! reporting becomes Unknown after the grace period, gets the `unreachable` taints, its pods are
//! marked not ready, and pods that do not tolerate the NoExecute taint are deleted after their
//! tolerationSeconds. A bare pod is never recreated elsewhere (no controller owns it).

use std::collections::BTreeMap;

use crate::api::{ObjectKey, Pod, PodCondition, Taint};
use crate::event::{EventType, InvolvedObject, KubeEvent};
use crate::explain::{Actor, Why};
use crate::scheduler::tolerates;
use crate::sim::{Action, Command, Ctx, Event, Out};
use crate::time::SimTime;
use crate::world::World;

/// What the controller remembers per node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeHealth {
    /// Nodes currently marked Unknown by the controller, with the time it did so.
    pub unknown_since: BTreeMap<String, SimTime>,
}

const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

fn node_ref(name: &str) -> InvolvedObject {
    InvolvedObject { kind: "Node".into(), namespace: String::new(), name: name.into(), uid: name.into(), field_path: String::new() }
}

/// Fault injection: a node's kubelet stops (or resumes) reporting.
pub fn on_fault(w: &World, ctx: &Ctx, action: &Action) -> Out {
    match action {
        Action::NodeFail { node } => {
            let Some(rt) = w.runtimes.get(node.as_str()).filter(|_| w.nodes.contains_key(node)) else {
                return rejected(format!("Error from server (NotFound): nodes \"{node}\" not found"));
            };
            let mut rt = rt.clone();
            rt.failed_since_ms = Some(w.now_ms);
            let mut out = Out::new(Actor::Fault, Why::NodeFailed { node: node.clone() });
            out.push(Command::PutImages { node: node.clone(), images: rt.images.clone() });
            // Replace the whole runtime record: only the failure flag changes.
            // (In uid order, as the records are shown: the map itself is hashed.)
            let mut pods: Vec<_> = std::mem::take(&mut *rt.pods).into_iter().collect();
            pods.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (_, p) in pods {
                out.push(Command::PutRuntime { node: node.clone(), runtime: Box::new(std::sync::Arc::unwrap_or_clone(p)) });
            }
            out.push(Command::PutNodeFailed { node: node.clone(), since: Some(w.now_ms) });
            out.output = Some(format!("node/{node} failed\n"));
            out
        }
        Action::NodeRecover { node } => {
            let Some(n) = w.nodes.get(node) else {
                return rejected(format!("Error from server (NotFound): nodes \"{node}\" not found"));
            };
            let mut out = Out::new(Actor::Fault, Why::NodeRecovered { node: node.clone() });
            out.push(Command::PutNodeFailed { node: node.clone(), since: None });
            let mut n = n.clone();
            n.spec.taints.retain(|t| t.key != UNREACHABLE);
            n.status.conditions = crate::cluster::healthy_conditions(w.now_ms);
            out.push(Command::PutNode(Box::new(n)));
            let mut health = w.node_health.clone();
            health.unknown_since.remove(node);
            out.push(Command::PutNodeHealth(health));
            out.push(Command::emit(KubeEvent::new(EventType::Normal, "NodeReady", format!("Node {node} status is now: NodeReady"), node_ref(node), "kubelet", node, w.now_ms)));
            // The kubelet resyncs every pod it has.
            for p in w.pods.values().filter(|p| &p.spec.node_name == node) {
                out.after(ctx.durations.kubelet_sync_ms, Event::KubeletWatch { node: node.clone(), pod: ObjectKey::new(&p.meta.namespace, &p.meta.name) });
            }
            out.push(Command::Queue(crate::scheduler::QueueOp::ClusterChanged));
            out.output = Some(format!("node/{node} recovered\n"));
            out
        }
        _ => Out::none(),
    }
}

fn rejected(message: String) -> Out {
    let mut out = Out::new(Actor::Fault, Why::Rejected { message: message.clone() });
    out.output = Some(format!("{message}\n"));
    out
}

/// Periodic health check of every node.
pub fn on_monitor(w: &World, ctx: &Ctx) -> Out {
    let mut out = Out::none();
    out.after(ctx.durations.node_monitor_period_ms, Event::NodeMonitor);
    let now = w.now_ms;
    let mut health = w.node_health.clone();
    let mut changed = Vec::new();
    for (name, node) in &w.nodes {
        let Some(since) = w.runtimes.get(name.as_str()).and_then(|r| r.failed_since_ms) else { continue };
        if health.unknown_since.contains_key(name) || now < since + ctx.durations.node_monitor_grace_ms {
            continue;
        }
        health.unknown_since.insert(name.clone(), now);
        let mut n = node.clone();
        for c in n.status.conditions.iter_mut() {
            c.status = "Unknown".into();
            c.reason = "NodeStatusUnknown".into();
            c.message = "Kubelet stopped posting node status.".into();
            c.last_transition_ms = now;
        }
        for effect in ["NoSchedule", "NoExecute"] {
            if !n.spec.taints.iter().any(|t| t.key == UNREACHABLE && t.effect == effect) {
                n.spec.taints.push(Taint { key: UNREACHABLE.into(), value: String::new(), effect: effect.into(), time_added_ms: Some(now) });
            }
        }
        out.push(Command::emit(KubeEvent::new(EventType::Normal, "NodeNotReady", format!("Node {name} status is now: NodeNotReady"), node_ref(name), "node-controller", "", now)));
        // MarkPodsNotReady, and arm the eviction timers of pods that do not tolerate it forever.
        for (key, pod) in w.pods.iter().filter(|(_, p)| &p.spec.node_name == name) {
            let mut p = Pod::clone(pod);
            p.status.set_condition(PodCondition::new("Ready", false, "", "", now));
            out.push(Command::emit(KubeEvent::new(EventType::Warning, "NodeNotReady", "Node is not ready", crate::apiserver::pod_ref(pod, ""), "node-controller", "", now)));
            out.push(Command::PutPod(std::sync::Arc::new(p)));
            let taint = Taint { key: UNREACHABLE.into(), value: String::new(), effect: "NoExecute".into(), time_added_ms: Some(now) };
            let tol = pod.spec.tolerations.iter().filter(|t| tolerates(t, &taint)).map(|t| t.toleration_seconds).min_by_key(|s| s.unwrap_or(i64::MAX));
            match tol {
                None => out.after(0, Event::TaintEviction { pod: key.clone(), uid: pod.meta.uid.clone() }),
                Some(Some(s)) => out.after(crate::time::seconds_ms(s), Event::TaintEviction { pod: key.clone(), uid: pod.meta.uid.clone() }),
                Some(None) => {}
            }
        }
        out.push(Command::PutNode(Box::new(n)));
        changed.push(name.clone());
    }
    if changed.is_empty() {
        return out;
    }
    out.push(Command::PutNodeHealth(health));
    out.actor = Some(Actor::NodeController);
    out.why = Some(Why::NodeUnknown { node: changed.join(", ") });
    out
}

/// The taint eviction controller deletes a pod that no longer tolerates its node's taints.
pub fn on_taint_eviction(w: &World, ctx: &Ctx, key: &ObjectKey, uid: &str) -> Out {
    let Some(pod) = w.pods.get(key).filter(|p| p.meta.uid == uid && p.meta.deletion_ms.is_none()) else { return Out::none() };
    let Some(node) = w.nodes.get(&pod.spec.node_name) else { return Out::none() };
    let untolerated = node.spec.taints.iter().filter(|t| t.effect == "NoExecute").any(|taint| !pod.spec.tolerations.iter().any(|t| tolerates(t, taint)) || pod.spec.tolerations.iter().filter(|t| tolerates(t, taint)).any(|t| t.toleration_seconds.is_some()));
    if !untolerated {
        return Out::none();
    }
    let mut p = Pod::clone(pod);
    let grace = p.spec.termination_grace_period_seconds;
    p.meta.deletion_ms = Some(w.now_ms.saturating_add(crate::time::seconds_ms(grace)));
    p.meta.deletion_grace_seconds = Some(grace);
    p.status.set_condition(PodCondition::new("DisruptionTarget", true, "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint", w.now_ms));
    let mut out = Out::new(Actor::TaintEvictionController, Why::Evicting { pod: format!("pod/{}", key.name), node: node.meta.name.clone() }).with_pod(key);
    out.push(Command::emit(KubeEvent::new(EventType::Normal, "TaintManagerEviction", format!("Marking for deletion Pod {}/{}", key.namespace, key.name), crate::apiserver::pod_ref(pod, ""), "taint-eviction-controller", "", w.now_ms)));
    out.push(Command::PutPod(std::sync::Arc::new(p)));
    out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: node.meta.name.clone(), pod: key.clone() });
    out
}
