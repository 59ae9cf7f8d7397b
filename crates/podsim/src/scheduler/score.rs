//! The default score plugins and weights (reference §H.3): TaintToleration ×3, NodeAffinity ×2,
//! NodeResourcesFit (LeastAllocated) ×1, NodeResourcesBalancedAllocation ×1, ImageLocality ×1.
//! Each plugin's raw score is normalised to 0–100 as the plugin does, then weighted and summed.

use std::sync::Arc;

use super::cache::{ImageSpread, StaticVerdicts};
use super::filter::{term_matches, tolerates, Caps, NodeUsage};
use crate::api::{Node, Pod};
use crate::resources::pod_requests;

const MB: i64 = 1024 * 1024;
const MIN_IMAGE_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/// The score plugins with their weights, in the order `Scores` holds them.
pub const SCORES: [(&str, i64); 5] = [("TaintToleration", 3), ("NodeAffinity", 2), ("NodeResourcesFit", 1), ("NodeResourcesBalancedAllocation", 1), ("ImageLocality", 1)];

/// One node's normalised score (0–100) per plugin of `SCORES`.
pub type Scores = [u8; 5];

/// The weighted sum the scheduler ranks nodes by.
pub fn weighted_total(scores: &Scores) -> i64 {
    scores.iter().zip(SCORES).map(|(s, (_, w))| i64::from(*s) * w).sum()
}

/// What the resource scores read of a feasible node: the (non-zero) requests already counted
/// there and the allocatable amounts, of cpu and memory. Copied out of the node's usage so a
/// cycle keeps 32 bytes per feasible node, not a borrow or a copy of its whole usage.
#[derive(Clone, Copy, Debug)]
pub struct Allocation {
    pub cpu_requested: i64,
    pub cpu_allocatable: i64,
    pub memory_requested: i64,
    pub memory_allocatable: i64,
}

impl Allocation {
    pub fn of(usage: &NodeUsage, caps: &Caps) -> Allocation {
        let r = &usage.requested_non_zero;
        Allocation { cpu_requested: r.cpu, cpu_allocatable: caps.cpu, memory_requested: r.memory, memory_allocatable: caps.memory }
    }
}

/// Scores the feasible nodes, given as (allocation, node index in `World::node_names` order),
/// in that order. The static raw scores come from `statics`; `images` holds, per container of
/// the pod (init containers first), its image's spread over the cluster.
pub fn score_nodes(pod: &Pod, feasible: &[(Allocation, usize)], statics: &StaticVerdicts, images: &[Arc<ImageSpread>], total_nodes: usize) -> Vec<Scores> {
    let max_taint = feasible.iter().map(|&(_, n)| statics.taint_raw[n]).max().unwrap_or(0);
    let max_affinity = feasible.iter().map(|&(_, n)| statics.affinity_raw[n]).max().unwrap_or(0);
    let pod_req = pod_requests(&pod.spec, true);
    let (pod_cpu, pod_memory) = (pod_req.get("cpu").copied().unwrap_or(0), pod_req.get("memory").copied().unwrap_or(0));
    let containers = pod.spec.containers.len() as i64 + pod.spec.init_containers.len() as i64;
    // Each image's spread is the same on every node; an image no node has scores 0 everywhere.
    let spreads: Vec<f64> = images.iter().map(|i| i.nodes_with_image as f64 / total_nodes.max(1) as f64).collect();
    let any_image = images.iter().any(|i| i.nodes_with_image > 0);
    // LeastAllocated: the free share of one resource, 0–100 (0 when over-committed).
    let free = |used: i64, alloc: i64| if alloc == 0 || used > alloc { 0 } else { (alloc - used) * 100 / alloc };
    // BalancedAllocation reads the requested share, capped at 1.
    let share = |used: i64, alloc: i64| if alloc == 0 { 1.0 } else { (used as f64 / alloc as f64).min(1.0) };
    let mut out = Vec::with_capacity(feasible.len());
    for &(a, n) in feasible {
        let taint = if max_taint == 0 { 100 } else { 100 - statics.taint_raw[n] * 100 / max_taint };
        let affinity = if max_affinity == 0 { 0 } else { statics.affinity_raw[n] * 100 / max_affinity };
        let (cpu, memory) = (a.cpu_requested + pod_cpu, a.memory_requested + pod_memory);
        let least = (free(cpu, a.cpu_allocatable) + free(memory, a.memory_allocatable)) / 2;
        let balanced = {
            let std = (share(cpu, a.cpu_allocatable) - share(memory, a.memory_allocatable)).abs() / 2.0;
            ((1.0 - std) * 100.0) as i64
        };
        let image = if any_image { image_locality(images, &spreads, n, containers) } else { 0 };
        // Every plugin normalises to 0–100.
        out.push([taint, affinity, least, balanced, image].map(|v| v.clamp(0, 100) as u8));
    }
    out
}

/// TaintToleration's raw score: the node's PreferNoSchedule taints the pod does not tolerate.
pub(crate) fn prefer_no_schedule_count(pod: &Pod, node: &Node) -> i64 {
    let tolerations: Vec<_> = pod.spec.tolerations.iter().filter(|t| t.effect.is_empty() || t.effect == "PreferNoSchedule").collect();
    node.spec.taints.iter().filter(|t| t.effect == "PreferNoSchedule" && !tolerations.iter().any(|tol| tolerates(tol, t))).count() as i64
}

/// NodeAffinity's raw score: the summed weights of the preferred terms the node matches.
pub(crate) fn preferred_affinity(pod: &Pod, node: &Node) -> i64 {
    pod.spec.affinity.preferred.iter().filter(|(_, term)| term_matches(term, node)).map(|(w, _)| i64::from(*w)).sum()
}

/// ImageLocality: for each container whose image the node has, the image's size scaled by its
/// spread (nodes of the cluster that have it / all nodes), summed, clamped to
/// [23 MiB, 1000 MiB × containers] and mapped to 0–100.
/// `spreads` holds each image's spread, in the order of `images`.
fn image_locality(images: &[Arc<ImageSpread>], spreads: &[f64], node: usize, containers: i64) -> i64 {
    let mut sum = 0i64;
    for (image, spread) in images.iter().zip(spreads) {
        let size = image.size_by_node.get(node).copied().unwrap_or(0);
        if size != 0 {
            sum += (size as f64 * spread) as i64;
        }
    }
    let max = MAX_CONTAINER_THRESHOLD * containers.max(1);
    let clamped = sum.clamp(MIN_IMAGE_THRESHOLD, max);
    (clamped - MIN_IMAGE_THRESHOLD) * 100 / (max - MIN_IMAGE_THRESHOLD)
}
