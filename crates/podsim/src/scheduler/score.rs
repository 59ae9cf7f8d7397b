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

/// The score plugins prepared for one pod, so the filter walk can score each feasible node as
/// it finds it (no list of feasible nodes to revisit). TaintToleration and NodeAffinity
/// normalise by the highest raw value among the feasible nodes, known only when the walk ends:
/// `score` gives them the values they take when every raw value is 0 (100 and 0), and
/// `normalize` corrects them afterwards in the rare cycles where some node has a raw value.
pub struct Scorer<'a> {
    statics: &'a StaticVerdicts,
    images: &'a [Arc<ImageSpread>],
    /// Each image's spread (nodes with it / all nodes), in the order of `images`.
    spreads: Vec<f64>,
    /// Whether any node has any of the pod's images (else ImageLocality is 0 everywhere).
    any_image: bool,
    pod_cpu: i64,
    pod_memory: i64,
    containers: i64,
}

impl<'a> Scorer<'a> {
    /// `images` holds, per container of the pod (init containers first), its image's spread
    /// over the cluster of `total_nodes` nodes.
    pub fn new(pod: &Pod, statics: &'a StaticVerdicts, images: &'a [Arc<ImageSpread>], total_nodes: usize) -> Scorer<'a> {
        let pod_req = pod_requests(&pod.spec, true);
        Scorer {
            statics,
            images,
            spreads: images.iter().map(|i| i.nodes_with_image as f64 / total_nodes.max(1) as f64).collect(),
            any_image: images.iter().any(|i| i.nodes_with_image > 0),
            pod_cpu: pod_req.get("cpu").copied().unwrap_or(0),
            pod_memory: pod_req.get("memory").copied().unwrap_or(0),
            containers: pod.spec.containers.len() as i64 + pod.spec.init_containers.len() as i64,
        }
    }

    /// A feasible node's scores (node index `n`, what counts against it, its capacities), with
    /// TaintToleration and NodeAffinity as if no feasible node had a raw value (see `normalize`).
    #[inline]
    pub fn score(&self, usage: &NodeUsage, caps: &Caps, n: usize) -> Scores {
        let (least, balanced) = self.resource_scores(usage, caps);
        let image = if self.any_image { image_locality(self.images, &self.spreads, n, self.containers).clamp(0, 100) as u8 } else { 0 };
        [100, 0, least, balanced, image]
    }

    /// Whether every node's ImageLocality score is 0 (no node has any of the pod's images), so
    /// that a node's total is `unnormalized_total` of its resource scores alone.
    pub fn no_image_scores(&self) -> bool {
        !self.any_image
    }

    /// NodeResourcesFit (LeastAllocated) and NodeResourcesBalancedAllocation on a node, 0–100.
    #[inline(always)]
    pub fn resource_scores(&self, usage: &NodeUsage, caps: &Caps) -> (u8, u8) {
        // Requests already counted on the node (non-zero defaults) plus the pod's own.
        let cpu = usage.requested_non_zero.cpu.saturating_add(self.pod_cpu);
        let memory = usage.requested_non_zero.memory.saturating_add(self.pod_memory);
        // Each resource's share is 0–100, so their mean is too (an unsigned halving).
        let least = (least_allocated(cpu, caps.cpu) + least_allocated(memory, caps.memory)) / 2;
        // BalancedAllocation reads the requested share, capped at 1.
        let share = |used: i64, alloc: i64| if alloc == 0 { 1.0 } else { (used as f64 / alloc as f64).min(1.0) };
        let balanced = {
            let std = (share(cpu, caps.cpu) - share(memory, caps.memory)).abs() / 2.0;
            // A float-to-integer `as` saturates; the shares' spread keeps it within 0–100 anyway.
            ((1.0 - std) * 100.0) as u8
        };
        (least as u8, balanced.min(100))
    }

    /// Puts TaintToleration's and NodeAffinity's normalised values into the scores of the
    /// feasible nodes: `nodes` gives their node indices in the order `scores` holds them.
    pub fn normalize(&self, nodes: impl Iterator<Item = usize> + Clone, scores: &mut [Scores]) {
        let max_taint = nodes.clone().map(|n| self.statics.taint_raw[n]).max().unwrap_or(0);
        let max_affinity = nodes.clone().map(|n| self.statics.affinity_raw[n]).max().unwrap_or(0);
        if max_taint == 0 && max_affinity == 0 {
            return;
        }
        for (n, s) in nodes.zip(scores) {
            let taint = if max_taint == 0 { 100 } else { 100 - self.statics.taint_raw[n] * 100 / max_taint };
            let affinity = if max_affinity == 0 { 0 } else { self.statics.affinity_raw[n] * 100 / max_affinity };
            s[0] = taint.clamp(0, 100) as u8;
            s[1] = affinity.clamp(0, 100) as u8;
        }
    }
}

/// The weighted total of a node whose TaintToleration and NodeAffinity scores are 100 and 0
/// (no feasible node has a raw value for either) and whose ImageLocality score is 0.
#[inline(always)]
pub fn unnormalized_total(least: u8, balanced: u8) -> i64 {
    SCORES[0].1 * 100 + i64::from(least) * SCORES[2].1 + i64::from(balanced) * SCORES[3].1
}

/// LeastAllocated's share of one resource left free, 0–100 (0 when over-committed).
/// Allocatable is never negative, and `alloc > 0` spares the division its overflow check; the
/// division is unsigned (cheaper), in 128 bits only when the product would not fit in 64.
/// (`used` is never negative either: requests are not, and the pod's own is added; a
/// negative one is taken as 0, so `free` never exceeds `alloc` and the share is at most 100.)
#[inline(always)]
fn least_allocated(used: i64, alloc: i64) -> u64 {
    if alloc <= 0 || used > alloc {
        return 0;
    }
    let alloc = alloc as u64;
    let free = alloc - used.max(0) as u64;
    if alloc <= u64::MAX / 100 {
        free * 100 / alloc
    } else {
        (u128::from(free) * 100 / u128::from(alloc)) as u64
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resources_only_total_is_the_weighted_total() {
        for least in 0..=100u8 {
            for balanced in 0..=100u8 {
                assert_eq!(unnormalized_total(least, balanced), weighted_total(&[100, 0, least, balanced, 0]));
            }
        }
    }

    #[test]
    fn least_allocated_is_the_integer_share_left_free_at_any_size() {
        assert_eq!(least_allocated(0, 32_000), 100);
        assert_eq!(least_allocated(16_000, 32_000), 50);
        assert_eq!(least_allocated(31_999, 32_000), 0);
        assert_eq!(least_allocated(32_001, 32_000), 0);
        assert_eq!(least_allocated(5, 0), 0);
        // Past i64::MAX / 100 (a node of about 92 TB in milli-bytes) the product needs 128 bits.
        let huge = i64::MAX - 7;
        assert_eq!(least_allocated(huge / 4, huge), 75);
        assert_eq!(least_allocated(0, huge), 100);
    }
}
