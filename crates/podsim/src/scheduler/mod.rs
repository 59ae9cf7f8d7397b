//! kube-scheduler: one cycle per pod — filter every node with the default plugins (recording
//! each verdict), score the feasible ones with the default weights, bind the best; on failure,
//! the exact `FailedScheduling` text, DefaultPreemption, and a retry when the cluster changes.

mod filter;
mod queue;
mod score;

use std::collections::BTreeMap;

pub use filter::{tolerates, Candidate, NodeInfo, NodeUsage};
pub use queue::{QueueOp, QueuedPod, SchedulingQueue};

use crate::api::{Node, ObjectKey, Pod, PodCondition};
use crate::event::{EventType, KubeEvent};
use crate::explain::{Actor, Why};
use crate::rng::Rng;
use crate::sim::{Command, Ctx, Event, Out, StepDetail};
use crate::world::World;

/// A filter plugin's verdict on one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Rejected with these reasons; `resolvable` tells preemption whether evicting pods could help.
    Fail { reasons: Vec<String>, resolvable: bool },
    /// Not run because an earlier plugin already rejected the node.
    Skipped,
}

/// One node's results in one scheduling attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeResult {
    pub node: String,
    pub filters: Vec<(&'static str, Verdict)>,
    /// (plugin, normalized score 0–100, weight) for feasible nodes.
    pub scores: Vec<(&'static str, i64, i64)>,
    pub total: Option<i64>,
}

impl NodeResult {
    pub fn feasible(&self) -> bool {
        self.filters.iter().all(|(_, v)| matches!(v, Verdict::Pass))
    }

    fn failure(&self) -> Option<(&[String], bool)> {
        self.filters.iter().find_map(|(_, v)| match v {
            Verdict::Fail { reasons, resolvable } => Some((reasons.as_slice(), *resolvable)),
            _ => None,
        })
    }
}

/// A whole scheduling attempt, for the scheduler panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub pod: ObjectKey,
    pub nodes: Vec<NodeResult>,
    pub chosen: Option<String>,
    /// `Scheduled` or `FailedScheduling` message.
    pub message: String,
    pub victims: Vec<ObjectKey>,
}

/// The one profile this scheduler runs.
pub const SCHEDULER_NAME: &str = "default-scheduler";

/// The scheduler's watch delivers a new pod: it joins the queue (only pods for this scheduler's
/// profile: another `schedulerName` is left to that scheduler).
pub fn on_watch(w: &World, _ctx: &Ctx, key: &ObjectKey) -> Out {
    let mine = |p: &Pod| p.spec.scheduler_name.is_empty() || p.spec.scheduler_name == SCHEDULER_NAME;
    let Some(pod) = w.pods.get(key).filter(|p| p.spec.node_name.is_empty() && p.meta.deletion_ms.is_none() && mine(p)) else {
        return Out::none();
    };
    let mut out = Out::new(Actor::Scheduler, Why::WatchDelivered { watcher: "scheduler".into(), what: format!("the new unscheduled pod {}, and puts it in its queue", key.name) }).with_pod(key);
    out.push(Command::Queue(QueueOp::Add { key: key.clone(), uid: pod.meta.uid.clone(), priority: pod.spec.priority }));
    out
}

/// Pods that count against `node` without being bound to it yet: pods nominated to it by
/// preemption (of at least `for_pod`'s priority) and pods assumed there awaiting their binding.
fn nominated_to<'a>(w: &'a World, node: &str, for_pod: &Pod) -> Vec<&'a Pod> {
    let nominated = w
        .nominated
        .values()
        .filter_map(|k| w.pods.get(k))
        .filter(|p| p.status.nominated_node_name == node && p.meta.uid != for_pod.meta.uid && p.spec.priority >= for_pod.spec.priority)
        // An assumed pod counts where it was placed, whatever its priority (below).
        .filter(|p| !w.scheduler.assumed.contains_key(&p.meta.uid));
    let assumed = w
        .scheduler
        .assumed
        .iter()
        .filter(|(_, (n, _))| n == node)
        .filter_map(|(uid, (_, key))| w.pods.get(key).filter(|p| &p.meta.uid == uid && p.spec.node_name.is_empty() && p.meta.uid != for_pod.meta.uid));
    nominated.chain(assumed).collect()
}

/// The full per-node view with the pods themselves (preemption needs to pick victims).
fn node_info_with_pods<'a>(w: &'a World, node: &'a Node, for_pod: &Pod) -> NodeInfo<'a> {
    let pods: Vec<&Pod> = w
        .pods
        .values()
        .filter(|p| p.spec.node_name == node.meta.name && !p.status.phase.is_terminal())
        .chain(nominated_to(w, &node.meta.name, for_pod))
        .collect();
    NodeInfo::new(node, pods)
}

/// DefaultPreemption's PodEligibleToPreemptOthers, the part about an earlier nomination: a pod
/// whose nominated node still holds a lower-priority victim of its preemption waits for it
/// rather than evicting more pods (unless that node became unusable for good).
fn waiting_for_victims(w: &World, pod: &Pod, nodes: &[NodeResult]) -> bool {
    let nominated = &pod.status.nominated_node_name;
    if nominated.is_empty() {
        return false;
    }
    let unresolvable = nodes.iter().find(|n| &n.node == nominated).and_then(NodeResult::failure).is_some_and(|(_, resolvable)| !resolvable);
    if unresolvable {
        return false;
    }
    w.pods.values().any(|p| {
        &p.spec.node_name == nominated
            && p.spec.priority < pod.spec.priority
            && p.meta.deletion_ms.is_some()
            && p.status.condition("DisruptionTarget").is_some_and(|c| c.is_true() && c.reason == "PreemptionByScheduler")
    })
}

/// How many feasible nodes a cycle looks for before it stops filtering
/// (`percentageOfNodesToScore`, adaptive: 50% minus 1% per 125 nodes, at least 5%, at least 100).
pub fn num_feasible_nodes_to_find(total: usize) -> usize {
    if total < 100 {
        return total;
    }
    let pct = (50i64 - total as i64 / 125).max(5) as usize;
    (total * pct / 100).max(100)
}

/// One scheduling cycle: pop the best ready pod and try to place it.
pub fn on_cycle(w: &World, ctx: &Ctx) -> Out {
    if w.scheduler.cycle_at != Some(w.now_ms) {
        return Out::none();
    }
    let q = &w.scheduler;
    let flush_ms = ctx.durations.unschedulable_flush_ms;
    let mut ops = vec![QueueOp::CycleDone, QueueOp::FlushStale { flush_ms }];
    let Some(entry) = q.peek_ready(w.now_ms, flush_ms).cloned() else {
        let mut out = Out::none();
        out.cmds.extend(ops.into_iter().map(Command::Queue));
        return out;
    };
    ops.push(QueueOp::Take { pod: entry.clone() });
    let Some(pod) = w.pods.get(&entry.key).filter(|p| p.meta.uid == entry.uid && p.spec.node_name.is_empty() && p.meta.deletion_ms.is_none()) else {
        let mut out = Out::none();
        out.cmds.extend(ops.into_iter().map(Command::Queue));
        return out;
    };
    // Filter nodes from a rotating start until enough feasible ones are found.
    let all: Vec<&Node> = w.nodes.values().collect();
    let want = num_feasible_nodes_to_find(all.len());
    let start = if all.is_empty() { 0 } else { q.next_start_node % all.len() };
    let mut infos: Vec<NodeInfo<'_>> = Vec::new();
    let mut nodes: Vec<NodeResult> = Vec::new();
    let mut found = 0;
    let candidate = Candidate::new(pod);
    for i in 0..all.len() {
        let node = all[(start + i) % all.len()];
        let info = NodeInfo::from_usage(node, w.node_usage.get(&node.meta.name), &nominated_to(w, &node.meta.name, pod));
        let r = filter::run_filters(&candidate, &info);
        found += usize::from(r.feasible());
        infos.push(info);
        nodes.push(r);
        if found >= want {
            break;
        }
    }
    if !all.is_empty() {
        ops.push(QueueOp::NextStartNode((start + nodes.len()) % all.len()));
    }
    let feasible: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].feasible()).collect();
    let pod_label = format!("pod/{}", entry.key.name);
    if !feasible.is_empty() {
        score::score_nodes(pod, &infos, &mut nodes, &feasible, w.nodes.len());
        let best = feasible.iter().map(|&i| nodes[i].total.unwrap_or(0)).max().unwrap_or(0);
        let ties: Vec<usize> = feasible.iter().copied().filter(|&i| nodes[i].total == Some(best)).collect();
        // A pod nominated by an earlier preemption goes to that node if it fits now (kube-scheduler
        // evaluates the nominated node first). Otherwise ties are broken at random in
        // kube-scheduler; here by the pod's own seeded stream.
        let nominated = feasible.iter().copied().find(|&i| !pod.status.nominated_node_name.is_empty() && nodes[i].node == pod.status.nominated_node_name);
        let pick = nominated.unwrap_or_else(|| ties[Rng::stream(ctx.seed, &format!("scheduler/{}/{}", entry.uid, entry.attempts)).below(ties.len() as u64) as usize]);
        let score = nodes[pick].total.unwrap_or(0);
        let node = nodes[pick].node.clone();
        let attempt = Attempt { pod: entry.key.clone(), nodes, chosen: Some(node.clone()), message: format!("Successfully assigned {}/{} to {node}", entry.key.namespace, entry.key.name), victims: Vec::new() };
        let mut out = Out::new(Actor::Scheduler, Why::Scheduled { pod: pod_label, node: node.clone(), feasible: feasible.len(), score }).with_pod(&entry.key);
        out.detail = Some(StepDetail::Scheduling(attempt));
        // The pod counts on its node until its binding is written (on_bind unassumes it).
        ops.push(QueueOp::Assume { uid: entry.uid.clone(), node: node.clone(), key: entry.key.clone() });
        out.cmds.extend(ops.into_iter().map(Command::Queue));
        out.after(ctx.durations.bind_ms, Event::Bind { pod: entry.key.clone(), uid: entry.uid.clone(), node });
        return out;
    }
    // Unschedulable: the FitError text, then DefaultPreemption.
    let total = w.nodes.len();
    let mut message = fit_error(total, &nodes);
    let mut victims: Vec<ObjectKey> = Vec::new();
    let mut nominated: Option<String> = None;
    let mut pod2 = pod.clone();
    if pod.spec.preemption_policy == "Never" {
        message.push_str(" preemption: not eligible due to preemptionPolicy=Never.");
    } else if waiting_for_victims(w, pod, &nodes) {
        message.push_str(" preemption: not eligible due to a terminating pod on the nominated node.");
    } else {
        let full: Vec<NodeInfo<'_>> = infos.iter().map(|i| node_info_with_pods(w, i.node, pod)).collect();
        match preempt(pod, &full, &nodes) {
            Ok((node, vs)) => {
                nominated = Some(node);
                victims = vs;
            }
            Err(post) => {
                message.push(' ');
                message.push_str(&post);
                // No candidate anywhere: an earlier nomination is cleared.
                pod2.status.nominated_node_name.clear();
            }
        }
    }
    pod2.status.set_condition(PodCondition::new("PodScheduled", false, "Unschedulable", &message, w.now_ms));
    let mut out = match &nominated {
        Some(node) => Out::new(Actor::Scheduler, Why::Preempting { pod: pod_label, node: node.clone(), victims: victims.iter().map(|k| format!("pod/{}", k.name)).collect() }),
        None => Out::new(Actor::Scheduler, Why::Unschedulable { pod: pod_label, message: message.clone() }),
    }
    .with_pod(&entry.key);
    if let Some(node) = &nominated {
        pod2.status.nominated_node_name = node.clone();
        for v in &victims {
            if let Some(victim) = w.pods.get(v) {
                let mut victim = victim.clone();
                let grace = victim.spec.termination_grace_period_seconds;
                victim.meta.deletion_ms = Some(w.now_ms + grace.max(0) as u64 * 1000);
                victim.meta.deletion_grace_seconds = Some(grace);
                victim.status.set_condition(PodCondition::new("DisruptionTarget", true, "PreemptionByScheduler", "default-scheduler: preempting to accommodate a higher priority pod", w.now_ms));
                out.push(Command::Emit(KubeEvent::new(
                    EventType::Normal,
                    "Preempted",
                    format!("Preempted by pod {} on node {node}", pod.meta.uid),
                    crate::apiserver::pod_ref(&victim, ""),
                    "default-scheduler",
                    "",
                    w.now_ms,
                )));
                out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: victim.spec.node_name.clone(), pod: v.clone() });
                out.push(Command::PutPod(victim));
            }
        }
    }
    out.push(Command::Emit(KubeEvent::new(EventType::Warning, "FailedScheduling", message.clone(), crate::apiserver::pod_ref(pod, ""), "default-scheduler", "", w.now_ms)));
    out.push(Command::PutPod(pod2));
    ops.push(QueueOp::Unschedulable { pod: entry.clone(), initial_ms: ctx.durations.pod_initial_backoff_ms, max_ms: ctx.durations.pod_max_backoff_ms });
    out.cmds.extend(ops.into_iter().map(Command::Queue));
    out.detail = Some(StepDetail::Scheduling(Attempt { pod: entry.key.clone(), nodes, chosen: None, message, victims }));
    out
}

/// `0/N nodes are available: <count> <reason>, … .` — each node's reasons counted once, the
/// entries sorted as whole strings (FitError.Error).
pub fn fit_error(total: usize, nodes: &[NodeResult]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for n in nodes {
        if let Some((reasons, _)) = n.failure() {
            let mut seen: Vec<&String> = Vec::new();
            for r in reasons {
                if !seen.contains(&r) {
                    seen.push(r);
                    *counts.entry(r.clone()).or_default() += 1;
                }
            }
        }
    }
    let mut parts: Vec<String> = counts.into_iter().map(|(r, c)| format!("{c} {r}")).collect();
    parts.sort();
    format!("0/{total} nodes are available: {}.", parts.join(", "))
}

/// DefaultPreemption: find a node where evicting lower-priority pods makes the pod fit, with
/// the fewest/lowest victims. Err carries the `preemption: …` message when none exists.
fn preempt(pod: &Pod, infos: &[NodeInfo<'_>], results: &[NodeResult]) -> Result<(String, Vec<ObjectKey>), String> {
    let mut per_node: Vec<NodeResult> = Vec::new();
    // Candidate: (max victim priority, sum of victim priorities, count, node index, victims).
    let mut best: Option<(i64, i64, usize, usize, Vec<ObjectKey>)> = None;
    for (i, (info, res)) in infos.iter().zip(results).enumerate() {
        let unresolvable = res.failure().is_some_and(|(_, resolvable)| !resolvable);
        if unresolvable {
            per_node.push(fail(&info.node.meta.name, "Preemption is not helpful for scheduling", false));
            continue;
        }
        let candidates: Vec<&Pod> = info.pods.iter().copied().filter(|p| p.spec.priority < pod.spec.priority && !p.spec.node_name.is_empty() && p.meta.deletion_ms.is_none()).collect();
        let keep: Vec<&Pod> = info.pods.iter().copied().filter(|p| !candidates.iter().any(|c| c.meta.uid == p.meta.uid)).collect();
        let without = NodeInfo::new(info.node, keep.clone());
        let candidate = Candidate::new(pod);
        if candidates.is_empty() || !filter::run_filters(&candidate, &without).feasible() {
            per_node.push(fail(&info.node.meta.name, "No preemption victims found for incoming pod", true));
            continue;
        }
        // Reprieve as many as possible, highest priority first.
        let mut sorted = candidates.clone();
        sorted.sort_by_key(|p| (std::cmp::Reverse(p.spec.priority), p.meta.creation_ms, p.meta.name.clone()));
        let mut kept = keep;
        let mut victims: Vec<&Pod> = Vec::new();
        for c in sorted {
            let mut trial = kept.clone();
            trial.push(c);
            if filter::run_filters(&candidate, &NodeInfo::new(info.node, trial.clone())).feasible() {
                kept = trial;
            } else {
                victims.push(c);
            }
        }
        let max_p = victims.iter().map(|v| i64::from(v.spec.priority)).max().unwrap_or(i64::MIN);
        let sum_p: i64 = victims.iter().map(|v| i64::from(v.spec.priority)).sum();
        let keys: Vec<ObjectKey> = victims.iter().map(|v| ObjectKey::new(&v.meta.namespace, &v.meta.name)).collect();
        let cand = (max_p, sum_p, keys.len(), i, keys);
        if best.as_ref().is_none_or(|b| (cand.0, cand.1, cand.2, cand.3) < (b.0, b.1, b.2, b.3)) {
            best = Some(cand);
        }
    }
    match best {
        Some((_, _, _, i, victims)) => Ok((infos[i].node.meta.name.clone(), victims)),
        None => Err(format!("preemption: {}", fit_error(infos.len(), &per_node))),
    }
}

fn fail(node: &str, reason: &str, resolvable: bool) -> NodeResult {
    NodeResult { node: node.into(), filters: vec![("DefaultPreemption", Verdict::Fail { reasons: vec![reason.into()], resolvable })], scores: Vec::new(), total: None }
}

/// The node a pod would fit now, ignoring scoring (used by tests and the page's hints).
pub fn fits(pod: &Pod, node: &Node, pods_on_node: Vec<&Pod>) -> bool {
    filter::run_filters(&Candidate::new(pod), &NodeInfo::new(node, pods_on_node)).feasible()
}
