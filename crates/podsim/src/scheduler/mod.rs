//! kube-scheduler: one cycle per pod — filter every node with the default plugins (recording
//! each verdict), score the feasible ones with the default weights, bind the best; on failure,
//! the exact `FailedScheduling` text, DefaultPreemption, and a retry when the cluster changes.

mod cache;
mod compact;
mod filter;
mod queue;
mod score;

use std::collections::BTreeMap;

pub use cache::{same_static_shape, ImageCache, ImageSpread, StaticCache, StaticVerdicts};
pub use compact::{Outcomes, ScoreList};
pub use filter::{tolerates, Amounts, Candidate, Caps, Filtered, NodeInfo, NodeUsage, Reasons, Rejection, UsageRef, FILTERS};
pub use queue::{QueueOp, QueuedPod, SchedulingQueue};
pub use score::{unnormalized_total, weighted_total, Scorer, Scores, SCORES};

use std::sync::Arc;

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

/// One node's results in one scheduling attempt, spelled out for panels and tests
/// (`Attempt::nodes`).
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
}

/// One node's results in an attempt, as `Attempt::verdicts` gives them (the attempt itself
/// keeps a 1-byte outcome per node looked at and the scores of the feasible ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeVerdict {
    /// Index into `Attempt::node_names`.
    pub node: u32,
    /// 0 when every filter passed; else 1 + the index into `Attempt::rejections`.
    pub rejection: u32,
    /// Per score plugin (`SCORES`), for feasible nodes.
    pub scores: Option<Scores>,
}

impl NodeVerdict {
    pub fn feasible(&self) -> bool {
        self.rejection == 0
    }

    pub fn total(&self) -> Option<i64> {
        self.scores.as_ref().map(weighted_total)
    }
}

/// The rejection a verdict refers to, if any.
fn rejection_in<'a>(table: &'a [(u8, Rejection)], v: &NodeVerdict) -> Option<&'a (u8, Rejection)> {
    (v.rejection as usize).checked_sub(1).and_then(|i| table.get(i))
}

/// A whole scheduling attempt, for the scheduler panel.
///
/// A cycle looks at nodes in `node_names` order from a rotating start, wrapping at the end, so
/// the attempt records where it started and, per node looked at, only a number: 0 for a
/// feasible node, else its rejection's place in the table of distinct rejections. The feasible
/// nodes' scores follow in the same order. That is a byte per node looked at and, usually, 2 per
/// feasible node (`compact.rs`), kept with every step of a run that schedules thousands of pods.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub pod: ObjectKey,
    /// Every node's name at the time (shared with the world; `NodeVerdict::node` indexes it).
    pub node_names: Arc<[String]>,
    /// The index in `node_names` of the first node the cycle looked at.
    pub start: u32,
    /// Per node looked at, in order: 0 when every filter passed, else 1 + the index into
    /// `rejections`.
    pub outcomes: Outcomes,
    /// The feasible nodes' scores, in the order they were looked at.
    pub scores: ScoreList,
    /// The distinct (filter index into `FILTERS`, rejection) pairs the outcomes refer to.
    pub rejections: Vec<(u8, Rejection)>,
    pub chosen: Option<String>,
    /// `Scheduled` or `FailedScheduling` message.
    pub message: String,
    pub victims: Vec<ObjectKey>,
}

/// The node index of the `i`-th node a cycle starting at `start` looked at (`i` < `total`).
fn node_at(start: u32, i: usize, total: usize) -> u32 {
    let at = start as usize + i;
    (if at >= total { at - total } else { at }) as u32
}

impl Attempt {
    /// Every node the cycle looked at, in the order it looked, with its outcome and scores.
    pub fn verdicts(&self) -> impl Iterator<Item = NodeVerdict> + '_ {
        let total = self.node_names.len();
        let mut feasible = self.scores.iter();
        self.outcomes.iter().enumerate().map(move |(i, rejection)| NodeVerdict {
            node: node_at(self.start, i, total),
            rejection,
            scores: if rejection == 0 { feasible.next() } else { None },
        })
    }

    /// The name of a verdict's node.
    pub fn node_name(&self, v: &NodeVerdict) -> &str {
        self.node_names.get(v.node as usize).map_or("", String::as_str)
    }

    /// The filters' outcome on a verdict's node.
    pub fn filtered(&self, v: &NodeVerdict) -> Filtered {
        Filtered(rejection_in(&self.rejections, v).cloned())
    }

    /// Every node's results spelled out, in the order the cycle looked at them.
    pub fn nodes(&self) -> Vec<NodeResult> {
        self.verdicts()
            .map(|v| NodeResult {
                node: self.node_name(&v).to_string(),
                filters: self.filtered(&v).verdicts(),
                scores: v.scores.map(|s| s.iter().zip(SCORES).map(|(s, (name, w))| (name, i64::from(*s), w)).collect()).unwrap_or_default(),
                total: v.total(),
            })
            .collect()
    }

    /// One node's results, if the cycle looked at it.
    pub fn node(&self, name: &str) -> Option<NodeResult> {
        self.nodes().into_iter().find(|n| n.node == name)
    }
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
    let mut out = Out::new(Actor::Scheduler, Why::WatchDelivered { watcher: "scheduler".into(), what: ["the new unscheduled pod ", &key.name, ", and puts it in its queue"].concat() }).with_pod(key);
    out.push(Command::Queue(QueueOp::Add { key: key.clone(), uid: pod.meta.uid.clone(), priority: pod.spec.priority }));
    out
}

/// Pods that count against a node without being bound to it yet, by node: pods nominated there
/// by preemption (of at least `for_pod`'s priority) and pods assumed there awaiting their binding.
/// Computed once per cycle (usually empty), not once per node.
fn nominated_by_node<'a>(w: &'a World, for_pod: &Pod) -> BTreeMap<&'a str, Vec<&'a Pod>> {
    let mut by_node: BTreeMap<&'a str, Vec<&'a Pod>> = BTreeMap::new();
    let nominated = w
        .nominated
        .values()
        .filter_map(|k| w.pods.get(k))
        .filter(|p| !p.status.nominated_node_name.is_empty() && p.meta.uid != for_pod.meta.uid && p.spec.priority >= for_pod.spec.priority)
        // An assumed pod counts where it was placed, whatever its priority (below).
        .filter(|p| !w.scheduler.assumed.contains_key(&p.meta.uid));
    for p in nominated {
        by_node.entry(p.status.nominated_node_name.as_str()).or_default().push(p);
    }
    for (uid, (node, key)) in &w.scheduler.assumed {
        if let Some(p) = w.pods.get(key).filter(|p| &p.meta.uid == uid && p.spec.node_name.is_empty() && p.meta.uid != for_pod.meta.uid) {
            by_node.entry(node.as_str()).or_default().push(p);
        }
    }
    by_node
}

/// The pods counting against `node` without being bound to it (see `nominated_by_node`).
fn nominated_to<'a>(w: &'a World, node: &str, for_pod: &Pod) -> Vec<&'a Pod> {
    nominated_by_node(w, for_pod).remove(node).unwrap_or_default()
}

/// The full per-node view with the pods themselves (preemption needs to pick victims).
fn node_info_with_pods<'a>(w: &'a World, node: &'a Node, for_pod: &Pod) -> NodeInfo<'a> {
    let pods: Vec<&Pod> = w
        .pods
        .values()
        .map(|p| &**p)
        .filter(|p| p.spec.node_name == node.meta.name && !p.status.phase.is_terminal())
        .chain(nominated_to(w, &node.meta.name, for_pod))
        .collect();
    NodeInfo::new(node, pods)
}

/// DefaultPreemption's PodEligibleToPreemptOthers, the part about an earlier nomination: a pod
/// whose nominated node still holds a lower-priority victim of its preemption waits for it
/// rather than evicting more pods (unless that node became unusable for good).
fn waiting_for_victims(w: &World, pod: &Pod, names: &[String], verdicts: &[NodeVerdict], rejections: &[(u8, Rejection)]) -> bool {
    let nominated = &pod.status.nominated_node_name;
    if nominated.is_empty() {
        return false;
    }
    let unresolvable = verdicts.iter().find(|v| names.get(v.node as usize) == Some(nominated)).and_then(|v| rejection_in(rejections, v)).is_some_and(|(_, r)| !r.resolvable);
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

/// The usage of every node in a world whose caches were never brought up to date (built by
/// hand): computed from the pods bound there.
fn usage_from_pods(w: &World, node: &str) -> NodeUsage {
    let mut u = NodeUsage::default();
    for p in w.pods.values().filter(|p| p.spec.node_name == node && !p.status.phase.is_terminal()) {
        u.account(p, 1);
    }
    u
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
    let total_nodes = w.nodes.len();
    // The shared name list; rebuilt here only if the world's is stale (a hand-built world).
    let names: Arc<[String]> = if w.node_names.len() == total_nodes { w.node_names.clone() } else { w.nodes.keys().cloned().collect::<Vec<_>>().into() };
    let want = num_feasible_nodes_to_find(total_nodes);
    let start = if total_nodes == 0 { 0 } else { q.next_start_node % total_nodes };
    // Room for every node: the walk looks at `want` feasible ones plus the rejected ones between.
    let mut outcomes = Outcomes::with_capacity(total_nodes);
    let candidate = Candidate::new(pod);
    let extra = nominated_by_node(w, pod);
    // The memoised per-node results (cache.rs); a hand-built world whose caches were never
    // brought up to date computes them afresh.
    let cached = names.len() == total_nodes && w.node_caps.len() == total_nodes && w.node_usage.len() == total_nodes;
    let statics = if cached { Some(w.sched_static.verdicts(pod, &w.nodes)) } else { None }.filter(|s| s.rejected.len() == total_nodes).unwrap_or_else(|| StaticCache::default().verdicts(pod, &w.nodes));
    let fallback_usage: Vec<NodeUsage> = if cached { Vec::new() } else { w.nodes.values().map(|n| usage_from_pods(w, &n.meta.name)).collect() };
    let fallback_caps: Vec<Caps> = if cached { Vec::new() } else { w.nodes.values().map(Caps::of).collect() };
    let (usages, caps_by_node): (&[NodeUsage], &[Caps]) = if cached { (&w.node_usage, &w.node_caps) } else { (&fallback_usage, &fallback_caps) };
    let images_cache = if cached { w.image_cache.clone() } else { ImageCache::default() };
    let images: Vec<Arc<ImageSpread>> = pod.spec.all_containers().map(|c| images_cache.spread(&c.image, &w.nodes)).collect();
    let scorer = Scorer::new(pod, &statics, &images, total_nodes);
    // The attempt's rejection table starts as the static one, so static rejections are
    // recorded by number; dynamic ones (ports, resources) are interned after it. The walk goes
    // by node index from the rotating start: the four static filters are a lookup, the two
    // dynamic ones read the node's cached usage and capacities (for most pods, four
    // comparisons), and the node object itself is read only for an extended resource. A
    // feasible node is scored on the spot, and while no node has a raw TaintToleration or
    // NodeAffinity score (the usual case: then those two are the same on every node) the walk
    // also keeps the best total and how many nodes share it.
    let mut rejections = statics.rejections.clone();
    let normalized_later = statics.has_raw_scores;
    // The usual node's total is 300 plus its two resource scores: no raw TaintToleration or
    // NodeAffinity value to normalise, and no node with any of the pod's images.
    let resources_only = !normalized_later && scorer.no_image_scores();
    // Only those two scores are kept then (`ScoreList::Resources`); one of the two lists is used.
    let mut resource_scores: Vec<[u8; 2]> = Vec::with_capacity(if resources_only { want.min(total_nodes) } else { 0 });
    let mut full_scores: Vec<Scores> = Vec::with_capacity(if resources_only { 0 } else { want.min(total_nodes) });
    let (mut best, mut ties) = (i64::MIN, 0usize);
    // Feasible nodes found so far (the length of whichever score list is used).
    let mut found = 0usize;
    let mut rank = |total: i64| {
        if total > best {
            (best, ties) = (total, 1);
        } else if total == best {
            ties += 1;
        }
    };
    // One slice per cached table, all of `total_nodes` entries (the walk's indices are below).
    let (rejected, usages, caps_by_node) = (&statics.rejected[..total_nodes], &usages[..total_nodes], &caps_by_node[..total_nodes]);
    'walk: for range in [start..total_nodes, 0..start] {
        for at in range {
            let mut rejection = rejected[at];
            if rejection == 0 {
                let base = &usages[at];
                let caps = &caps_by_node[at];
                // Pods nominated or assumed here count too (rare: a copy of the usage with them).
                let with_nominated = if extra.is_empty() { None } else { extra.get(names[at].as_str()) }.map(|pods| {
                    let mut u = base.clone();
                    for p in pods {
                        u.account(p, 1);
                    }
                    u
                });
                let usage = with_nominated.as_ref().unwrap_or(base);
                let verdict = if candidate.quick_fit(usage, caps) {
                    None
                } else {
                    let extended = |res: &str| w.nodes.get(&names[at]).map_or(0, |n| filter::extended_allocatable(n, res));
                    filter::dynamic_verdict(&candidate, usage, caps, &extended)
                };
                match verdict {
                    Some(r) => rejection = cache::intern(&mut rejections, r),
                    None if resources_only => {
                        let (least, balanced) = scorer.resource_scores(usage, caps);
                        rank(unnormalized_total(least, balanced));
                        resource_scores.push([least, balanced]);
                        found += 1;
                    }
                    None => {
                        let node_scores = scorer.score(usage, caps, at);
                        if !normalized_later {
                            rank(weighted_total(&node_scores));
                        }
                        full_scores.push(node_scores);
                        found += 1;
                    }
                }
            }
            outcomes.push(rejection);
            if found >= want {
                break 'walk;
            }
        }
    }
    let looked = outcomes.len();
    if total_nodes > 0 {
        ops.push(QueueOp::NextStartNode((start + looked) % total_nodes));
    }
    // The attempt is kept with its step: room reserved beyond what the walk used would stay
    // allocated.
    outcomes.shrink_to_fit();
    let start = start as u32;
    // The node indices of the feasible nodes, in the order of `scores`.
    let feasible_nodes = || outcomes.iter().enumerate().filter(|&(_, r)| r == 0).map(|(i, _)| node_at(start, i, total_nodes) as usize);
    if normalized_later && !full_scores.is_empty() {
        scorer.normalize(feasible_nodes(), &mut full_scores);
        for s in &full_scores {
            rank(weighted_total(s));
        }
    }
    let scores = if resources_only { ScoreList::Resources(resource_scores) } else { ScoreList::Full(full_scores) };
    let pod_label = ["pod/", &entry.key.name].concat();
    if !scores.is_empty() {
        // A pod nominated by an earlier preemption goes to that node if it fits now (kube-scheduler
        // evaluates the nominated node first). Otherwise ties are broken at random in
        // kube-scheduler; here by the pod's own seeded stream.
        let name_of = |n: usize| names.get(n).map_or("", String::as_str);
        let nominated = if pod.status.nominated_node_name.is_empty() { None } else { feasible_nodes().zip(scores.iter()).find(|(n, _)| name_of(*n) == pod.status.nominated_node_name) };
        let (pick, pick_scores) = nominated.unwrap_or_else(|| {
            let k = Rng::stream_args(ctx.seed, format_args!("scheduler/{}/{}", entry.uid, entry.attempts)).below(ties as u64) as usize;
            // The k-th of the best, in the order looked (there are `ties` of them, so it exists).
            feasible_nodes().zip(scores.iter()).filter(|(_, s)| weighted_total(s) == best).nth(k).unwrap_or((0, scores.get(0).unwrap_or_default()))
        });
        let score = weighted_total(&pick_scores);
        let node = name_of(pick).to_string();
        let feasible = scores.len();
        let attempt = Attempt { pod: entry.key.clone(), node_names: names, start, outcomes, scores, rejections, chosen: Some(node.clone()), message: assigned_message(&entry.key, &node), victims: Vec::new() };
        let mut out = Out::new(Actor::Scheduler, Why::Scheduled { pod: pod_label, node: node.clone(), feasible, score }).with_pod(&entry.key);
        out.detail = Some(StepDetail::Scheduling(Box::new(attempt)));
        // The pod counts on its node until its binding is written (on_bind unassumes it).
        ops.push(QueueOp::Assume { uid: entry.uid.clone(), node: node.clone(), key: entry.key.clone() });
        out.cmds.extend(ops.into_iter().map(Command::Queue));
        out.after(ctx.durations.bind_ms, Event::Bind { pod: entry.key.clone(), uid: entry.uid.clone(), node });
        return out;
    }
    // No feasible node: the attempt is complete as it is (its verdicts are read below).
    let mut attempt = Attempt { pod: entry.key.clone(), node_names: names, start, outcomes, scores, rejections, chosen: None, message: String::new(), victims: Vec::new() };
    let verdicts: Vec<NodeVerdict> = attempt.verdicts().collect();
    let rejections = &attempt.rejections;
    // Unschedulable: the FitError text, then DefaultPreemption.
    let total = w.nodes.len();
    let mut message = fit_error(total, verdicts.iter().filter_map(|v| rejection_in(rejections, v)).map(|(_, r)| r));
    let mut victims: Vec<ObjectKey> = Vec::new();
    let mut nominated: Option<String> = None;
    let mut pod2 = Pod::clone(pod);
    if pod.spec.preemption_policy == "Never" {
        message.push_str(" preemption: not eligible due to preemptionPolicy=Never.");
    } else if waiting_for_victims(w, pod, &attempt.node_names, &verdicts, rejections) {
        message.push_str(" preemption: not eligible due to a terminating pod on the nominated node.");
    } else {
        // Every node the cycle looked at (all of them: none was feasible).
        let node_list: Vec<&Node> = w.nodes.values().collect();
        let full: Vec<NodeInfo<'_>> = verdicts.iter().filter_map(|v| node_list.get(v.node as usize)).map(|n| node_info_with_pods(w, n, pod)).collect();
        let looked: Vec<Option<&Rejection>> = verdicts.iter().map(|v| rejection_in(rejections, v).map(|(_, r)| r)).collect();
        match preempt(pod, &full, &looked) {
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
                let mut victim = Pod::clone(victim);
                let grace = victim.spec.termination_grace_period_seconds;
                victim.meta.deletion_ms = Some(w.now_ms.saturating_add(crate::time::seconds_ms(grace)));
                victim.meta.deletion_grace_seconds = Some(grace);
                victim.status.set_condition(PodCondition::new("DisruptionTarget", true, "PreemptionByScheduler", "default-scheduler: preempting to accommodate a higher priority pod", w.now_ms));
                out.push(Command::emit(KubeEvent::new(
                    EventType::Normal,
                    "Preempted",
                    format!("Preempted by pod {} on node {node}", pod.meta.uid),
                    crate::apiserver::pod_ref(&victim, ""),
                    "default-scheduler",
                    "",
                    w.now_ms,
                )));
                out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: victim.spec.node_name.clone(), pod: v.clone() });
                out.push(Command::PutPod(std::sync::Arc::new(victim)));
            }
        }
    }
    out.push(Command::emit(KubeEvent::new(EventType::Warning, "FailedScheduling", message.clone(), crate::apiserver::pod_ref(pod, ""), "default-scheduler", "", w.now_ms)));
    out.push(Command::PutPod(std::sync::Arc::new(pod2)));
    ops.push(QueueOp::Unschedulable { pod: entry.clone(), initial_ms: ctx.durations.pod_initial_backoff_ms, max_ms: ctx.durations.pod_max_backoff_ms });
    out.cmds.extend(ops.into_iter().map(Command::Queue));
    attempt.message = message;
    attempt.victims = victims;
    out.detail = Some(StepDetail::Scheduling(Box::new(attempt)));
    out
}

/// The `Scheduled` event's message, `Successfully assigned <ns>/<pod> to <node>` (built by
/// concatenation: it is written twice per pod scheduled).
pub fn assigned_message(pod: &ObjectKey, node: &str) -> String {
    ["Successfully assigned ", &pod.namespace, "/", &pod.name, " to ", node].concat()
}

/// `0/N nodes are available: <count> <reason>, … .` — each node's reasons counted once, the
/// entries sorted as whole strings (FitError.Error).
pub fn fit_error<'a>(total: usize, rejections: impl Iterator<Item = &'a Rejection>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rejections {
        let mut seen: Vec<&str> = Vec::new();
        for reason in r.reasons.iter() {
            if !seen.contains(&reason) {
                seen.push(reason);
                *counts.entry(reason).or_default() += 1;
            }
        }
    }
    let mut parts: Vec<String> = counts.into_iter().map(|(r, c)| format!("{c} {r}")).collect();
    parts.sort();
    format!("0/{total} nodes are available: {}.", parts.join(", "))
}

/// DefaultPreemption: find a node where evicting lower-priority pods makes the pod fit, with
/// the fewest/lowest victims. Err carries the `preemption: …` message when none exists.
fn preempt(pod: &Pod, infos: &[NodeInfo<'_>], rejections: &[Option<&Rejection>]) -> Result<(String, Vec<ObjectKey>), String> {
    let mut per_node: Vec<Rejection> = Vec::new();
    // Candidate: (max victim priority, sum of victim priorities, count, node index, victims).
    let mut best: Option<(i64, i64, usize, usize, Vec<ObjectKey>)> = None;
    let candidate = Candidate::new(pod);
    for (i, (info, rejection)) in infos.iter().zip(rejections).enumerate() {
        let unresolvable = rejection.is_some_and(|r| !r.resolvable);
        if unresolvable {
            per_node.push(preemption_rejection("Preemption is not helpful for scheduling", false));
            continue;
        }
        let candidates: Vec<&Pod> = info.pods.iter().copied().filter(|p| p.spec.priority < pod.spec.priority && !p.spec.node_name.is_empty() && p.meta.deletion_ms.is_none()).collect();
        let keep: Vec<&Pod> = info.pods.iter().copied().filter(|p| !candidates.iter().any(|c| c.meta.uid == p.meta.uid)).collect();
        let without = NodeInfo::new(info.node, keep.clone());
        if candidates.is_empty() || !filter::run_filters(&candidate, &without).feasible() {
            per_node.push(preemption_rejection("No preemption victims found for incoming pod", true));
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
        None => Err(format!("preemption: {}", fit_error(infos.len(), per_node.iter()))),
    }
}

fn preemption_rejection(reason: &'static str, resolvable: bool) -> Rejection {
    Rejection { reasons: Reasons::One(std::borrow::Cow::Borrowed(reason)), resolvable }
}

/// The node a pod would fit now, ignoring scoring (used by tests and the page's hints).
pub fn fits(pod: &Pod, node: &Node, pods_on_node: Vec<&Pod>) -> bool {
    filter::run_filters(&Candidate::new(pod), &NodeInfo::new(node, pods_on_node)).feasible()
}
