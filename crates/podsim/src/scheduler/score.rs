//! The default score plugins and weights (reference §H.3): TaintToleration ×3, NodeAffinity ×2,
//! NodeResourcesFit (LeastAllocated) ×1, NodeResourcesBalancedAllocation ×1, ImageLocality ×1.
//! Each plugin's raw score is normalised to 0–100 as the plugin does, then weighted and summed.

use super::filter::{term_matches, tolerates, NodeInfo};
use super::NodeResult;
use crate::api::Pod;
use crate::resources::pod_requests;

const MB: i64 = 1024 * 1024;
const MIN_IMAGE_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/// Scores the feasible nodes (`feasible` are indices into `infos`/`results`).
pub fn score_nodes(pod: &Pod, infos: &[NodeInfo<'_>], results: &mut [NodeResult], feasible: &[usize], total_nodes: usize) {
    let taint_raw: Vec<i64> = feasible.iter().map(|&i| prefer_no_schedule_count(pod, &infos[i])).collect();
    let max_taint = taint_raw.iter().copied().max().unwrap_or(0);
    let affinity_raw: Vec<i64> = feasible.iter().map(|&i| preferred_affinity(pod, &infos[i])).collect();
    let max_affinity = affinity_raw.iter().copied().max().unwrap_or(0);
    let pod_req = pod_requests(&pod.spec, true);
    let images = image_spread(pod, infos);
    for (j, &i) in feasible.iter().enumerate() {
        let info = &infos[i];
        let taint = if max_taint == 0 { 100 } else { 100 - taint_raw[j] * 100 / max_taint };
        let affinity = if max_affinity == 0 { 0 } else { affinity_raw[j] * 100 / max_affinity };
        let fractions: Vec<(i64, i64)> = ["cpu", "memory"]
            .iter()
            .map(|r| {
                let alloc = info.node.status.allocatable.get(*r).map_or(0, |q| q.milli);
                let used = info.requested_non_zero.get(*r).copied().unwrap_or(0) + pod_req.get(*r).copied().unwrap_or(0);
                (used, alloc)
            })
            .collect();
        let least = fractions.iter().map(|&(used, alloc)| if alloc == 0 || used > alloc { 0 } else { (alloc - used) * 100 / alloc }).sum::<i64>() / 2;
        let balanced = {
            let f: Vec<f64> = fractions.iter().map(|&(u, a)| if a == 0 { 1.0 } else { (u as f64 / a as f64).min(1.0) }).collect();
            let std = (f[0] - f[1]).abs() / 2.0;
            ((1.0 - std) * 100.0) as i64
        };
        let image = image_locality(pod, info, &images, infos.len().max(total_nodes));
        let scores = vec![
            ("TaintToleration", taint, 3),
            ("NodeAffinity", affinity, 2),
            ("NodeResourcesFit", least, 1),
            ("NodeResourcesBalancedAllocation", balanced, 1),
            ("ImageLocality", image, 1),
        ];
        let total = scores.iter().map(|(_, s, w)| s * w).sum();
        results[i].scores = scores;
        results[i].total = Some(total);
    }
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
