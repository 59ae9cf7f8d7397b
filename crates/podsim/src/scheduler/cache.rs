//! The scheduler's memo of per-node results that do not depend on what runs on the nodes.
//!
//! Four of the six filters (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity) and two
//! of the five scores (TaintToleration's PreferNoSchedule count, NodeAffinity's preferred
//! weights) read only the pod's placement constraints and the nodes' names, labels, taints and
//! `unschedulable` flag. Pods of one workload share their constraints, so a cycle looks these
//! up by node index instead of re-evaluating label maps and taints on hundreds of nodes. The
//! same goes for ImageLocality's per-node image sizes and cluster-wide image counts, which
//! change only when a node's image list does.
//!
//! Correctness rests on one rule, kept by the simulation loop (`sim.rs`): whenever a node's
//! labels, taints, unschedulable flag or the set of nodes changes, the world gets a *fresh*
//! `StaticCache`; whenever a node's images change, a fresh `ImageCache`. Clones of a world
//! (checkpoints, forks) share a cache only while their nodes are the same, so an entry is
//! always valid for every world that can reach it. The caches hold derived data only: whether
//! an entry is present never changes a result, only how fast it is found.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::filter::{self, Candidate, NodeInfo, Rejection};
use crate::api::{Node, NodeAffinity, Pod, Shared, Toleration};

/// How many distinct constraint sets one cache keeps (oldest dropped first).
const MAX_CONSTRAINT_SETS: usize = 64;

/// The static filters' and scores' results for one set of pod constraints, by node index
/// (`World::node_names` order).
#[derive(Debug)]
pub struct StaticVerdicts {
    /// 0 where every static filter passes; else 1 + the index in `rejections` of the first
    /// static filter's rejection.
    pub rejected: Vec<u32>,
    /// The distinct (filter index into `FILTERS`, rejection) pairs, in order of first use.
    pub rejections: Vec<(u8, Rejection)>,
    /// TaintToleration score's raw value: PreferNoSchedule taints the pod does not tolerate.
    pub taint_raw: Vec<i64>,
    /// NodeAffinity score's raw value: the summed weights of the matching preferred terms.
    pub affinity_raw: Vec<i64>,
    /// Whether any node has a raw value above 0 in `taint_raw` or `affinity_raw` (if none
    /// does, those two scores are the same on every node and need no normalising).
    pub has_raw_scores: bool,
}

/// The pod fields the static plugins read, owned so an entry can be matched against later pods.
#[derive(Debug)]
struct Constraints {
    node_name: String,
    node_selector: Shared<BTreeMap<String, String>>,
    affinity: Shared<NodeAffinity>,
    tolerations: Shared<Vec<Toleration>>,
}

impl Constraints {
    fn of(pod: &Pod) -> Constraints {
        let s = &pod.spec;
        Constraints { node_name: s.node_name.clone(), node_selector: s.node_selector.clone(), affinity: s.affinity.clone(), tolerations: s.tolerations.clone() }
    }

    fn matches(&self, pod: &Pod) -> bool {
        let s = &pod.spec;
        // Copies of one spec share their parts: equal without comparing them.
        self.node_name == s.node_name
            && (Shared::same(&self.node_selector, &s.node_selector) || *self.node_selector == *s.node_selector)
            && (Shared::same(&self.affinity, &s.affinity) || *self.affinity == *s.affinity)
            && (Shared::same(&self.tolerations, &s.tolerations) || *self.tolerations == *s.tolerations)
    }
}

/// Static verdicts per constraint set, shared by the worlds whose nodes are alike.
#[derive(Clone, Default)]
pub struct StaticCache(Arc<Mutex<Vec<(Constraints, Arc<StaticVerdicts>)>>>);

impl std::fmt::Debug for StaticCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticCache")
    }
}

impl StaticCache {
    /// The static verdicts for `pod`'s constraints on `nodes` (in name order), computed on
    /// first use.
    pub fn verdicts(&self, pod: &Pod, nodes: &BTreeMap<String, Node>) -> Arc<StaticVerdicts> {
        // A poisoned lock only means another thread panicked mid-insert: the data is a cache.
        let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, v)) = entries.iter().find(|(c, _)| c.matches(pod)) {
            return v.clone();
        }
        let v = Arc::new(compute(pod, nodes));
        if entries.len() >= MAX_CONSTRAINT_SETS {
            entries.remove(0);
        }
        entries.push((Constraints::of(pod), v.clone()));
        v
    }
}

fn compute(pod: &Pod, nodes: &BTreeMap<String, Node>) -> StaticVerdicts {
    let candidate = Candidate::new(pod);
    let mut out = StaticVerdicts { rejected: Vec::with_capacity(nodes.len()), rejections: Vec::new(), taint_raw: Vec::with_capacity(nodes.len()), affinity_raw: Vec::with_capacity(nodes.len()), has_raw_scores: false };
    for node in nodes.values() {
        let info = NodeInfo::bare(node);
        let rejected = match filter::run_static_filters(&candidate, &info) {
            None => 0,
            Some(r) => intern(&mut out.rejections, r),
        };
        out.rejected.push(rejected);
        out.taint_raw.push(super::score::prefer_no_schedule_count(pod, node));
        out.affinity_raw.push(super::score::preferred_affinity(pod, node));
    }
    out.has_raw_scores = out.taint_raw.iter().chain(&out.affinity_raw).any(|&raw| raw != 0);
    out
}

/// 1 + the index of `r` in `table`, appended if new: rejections repeat across nodes, so an
/// attempt records each once and its nodes refer to it by number.
pub fn intern(table: &mut Vec<(u8, Rejection)>, r: (u8, Rejection)) -> u32 {
    let i = match table.iter().rposition(|t| *t == r) {
        Some(i) => i,
        None => {
            table.push(r);
            table.len() - 1
        }
    };
    i as u32 + 1
}

/// One image as ImageLocality sees it: how many nodes of the cluster have it, and its size on
/// each node (0 where absent), by node index.
#[derive(Debug)]
pub struct ImageSpread {
    pub nodes_with_image: usize,
    pub size_by_node: Vec<i64>,
}

/// Per-image spreads, shared by the worlds whose nodes hold the same images.
#[derive(Clone, Default)]
pub struct ImageCache(Arc<Mutex<BTreeMap<String, Arc<ImageSpread>>>>);

impl std::fmt::Debug for ImageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImageCache")
    }
}

impl ImageCache {
    /// The spread of one image, as a container names it, over `nodes`, computed on first use.
    /// Entries are keyed by the container's own text (`nginx`, `docker.io/library/nginx`…),
    /// so a cycle finds them without normalising the reference; nodes list normalised names.
    pub fn spread(&self, image: &str, nodes: &BTreeMap<String, Node>) -> Arc<ImageSpread> {
        let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = entries.get(image) {
            return s.clone();
        }
        let normalized = crate::runtime::catalog::normalize_image(image);
        // One pass over the nodes: each node's image list is searched once.
        let mut nodes_with_image = 0;
        let size_by_node: Vec<i64> = nodes
            .values()
            .map(|n| match n.status.images.get(&normalized) {
                Some(&size) => {
                    nodes_with_image += 1;
                    size
                }
                None => 0,
            })
            .collect();
        let s = Arc::new(ImageSpread { nodes_with_image, size_by_node });
        entries.insert(image.to_string(), s.clone());
        s
    }
}

/// Whether two versions of a node differ in what `StaticCache` derives from them.
pub fn same_static_shape(a: &Node, b: &Node) -> bool {
    a.meta.name == b.meta.name && a.meta.labels == b.meta.labels && a.spec.taints == b.spec.taints && a.spec.unschedulable == b.spec.unschedulable
}
