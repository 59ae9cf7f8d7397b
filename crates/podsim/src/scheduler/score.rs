//! The default score plugins and weights (reference §H.3): TaintToleration ×3, NodeAffinity ×2,
//! NodeResourcesFit (LeastAllocated) ×1, NodeResourcesBalancedAllocation ×1, ImageLocality ×1.
//! Each plugin's raw score is normalised to 0–100 as the plugin does, then weighted and summed.

use super::filter::{term_matches, tolerates, NodeInfo};
use crate::api::Pod;
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

/// Scores the feasible nodes (`feasible` are indices into `infos`), in `feasible`'s order.
pub fn score_nodes(pod: &Pod, infos: &[NodeInfo<'_>], feasible: &[usize], total_nodes: usize) -> Vec<Scores> {
    let taint_raw: Vec<i64> = feasible.iter().map(|&i| prefer_no_schedule_count(pod, &infos[i])).collect();
    let max_taint = taint_raw.iter().copied().max().unwrap_or(0);
    let affinity_raw: Vec<i64> = feasible.iter().map(|&i| preferred_affinity(pod, &infos[i])).collect();
    let max_affinity = affinity_raw.iter().copied().max().unwrap_or(0);
    let pod_req = pod_requests(&pod.spec, true);
    let (pod_cpu, pod_memory) = (pod_req.get("cpu").copied().unwrap_or(0), pod_req.get("memory").copied().unwrap_or(0));
    let images = image_spread(pod, infos);
    let mut out = Vec::with_capacity(feasible.len());
    for (j, &i) in feasible.iter().enumerate() {
        let info = &infos[i];
        let taint = if max_taint == 0 { 100 } else { 100 - taint_raw[j] * 100 / max_taint };
        let affinity = if max_affinity == 0 { 0 } else { affinity_raw[j] * 100 / max_affinity };
        let fractions = [(info.usage.requested_non_zero.cpu + pod_cpu, info.caps.cpu), (info.usage.requested_non_zero.memory + pod_memory, info.caps.memory)];
        let least = fractions.iter().map(|&(used, alloc)| if alloc == 0 || used > alloc { 0 } else { (alloc - used) * 100 / alloc }).sum::<i64>() / 2;
        let balanced = {
            let f = fractions.map(|(u, a)| if a == 0 { 1.0 } else { (u as f64 / a as f64).min(1.0) });
            let std = (f[0] - f[1]).abs() / 2.0;
            ((1.0 - std) * 100.0) as i64
        };
        let image = image_locality(pod, info, &images, infos.len().max(total_nodes));
        // Every plugin normalises to 0–100.
        out.push([taint, affinity, least, balanced, image].map(|v| v.clamp(0, 100) as u8));
    }
    out
}

fn prefer_no_schedule_count(pod: &Pod, info: &NodeInfo<'_>) -> i64 {
    let tolerations: Vec<_> = pod.spec.tolerations.iter().filter(|t| t.effect.is_empty() || t.effect == "PreferNoSchedule").collect();
    info.node.spec.taints.iter().filter(|t| t.effect == "PreferNoSchedule" && !tolerations.iter().any(|tol| tolerates(tol, t))).count() as i64
}

fn preferred_affinity(pod: &Pod, info: &NodeInfo<'_>) -> i64 {
    pod.spec.affinity.preferred.iter().filter(|(_, term)| term_matches(term, info.node)).map(|(w, _)| i64::from(*w)).sum()
}

/// ImageLocality: for each container image on the node, its size scaled by the image's spread
/// (nodes that have it / all nodes), summed, clamped to [23 MiB, 1000 MiB × containers], 0–100.
/// The pod's images (normalised) with how many of the nodes in this cycle have each.
fn image_spread(pod: &Pod, all: &[NodeInfo<'_>]) -> Vec<(String, usize)> {
    pod.spec
        .all_containers()
        .map(|c| {
            let name = crate::runtime::catalog::normalize_image(&c.image);
            let count = all.iter().filter(|i| i.node.status.images.contains_key(&name)).count();
            (name, count)
        })
        .collect()
}

fn image_locality(pod: &Pod, info: &NodeInfo<'_>, images: &[(String, usize)], total_nodes: usize) -> i64 {
    let containers = pod.spec.containers.len() as i64 + pod.spec.init_containers.len() as i64;
    let mut sum = 0i64;
    for (name, count) in images {
        if let Some(size) = info.node.status.images.get(name) {
            let spread = (*count).max(1) as f64 / total_nodes.max(1) as f64;
            sum += (*size as f64 * spread) as i64;
        }
    }
    let max = MAX_CONTAINER_THRESHOLD * containers.max(1);
    let clamped = sum.clamp(MIN_IMAGE_THRESHOLD, max);
    (clamped - MIN_IMAGE_THRESHOLD) * 100 / (max - MIN_IMAGE_THRESHOLD)
}
