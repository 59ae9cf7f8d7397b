//! The world: everything that exists at one instant — the API server's objects (the etcd view),
//! the Kubernetes events, and each node's runtime (sandboxes, container instances, logs, files).
//! Plain data with lookups; no behaviour. Only the simulation loop (`sim`) mutates it.

use std::collections::BTreeMap;

use crate::api::{ConfigMap, Namespace, Node, ObjectKey, Pod, PriorityClass, Secret, Service};
use crate::event::KubeEvent;
use crate::runtime::NodeRuntime;
use crate::time::SimTime;

/// The state of the simulated cluster at one instant.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// Virtual now.
    pub now_ms: SimTime,
    /// Unix ms that virtual time 0 corresponds to (for timestamps in the output).
    pub epoch_unix_ms: i64,
    /// The last resourceVersion handed out by the API server.
    pub resource_version: u64,
    /// Pods, shared copy-on-write: a checkpoint (and every scrub of the page) copies the map's
    /// spine, not the pods; the loop replaces a pod wholesale when it changes.
    pub pods: BTreeMap<ObjectKey, std::sync::Arc<Pod>>,
    pub nodes: BTreeMap<String, Node>,
    pub namespaces: BTreeMap<String, Namespace>,
    pub services: BTreeMap<ObjectKey, Service>,
    pub priority_classes: BTreeMap<String, PriorityClass>,
    pub config_maps: BTreeMap<ObjectKey, ConfigMap>,
    pub secrets: BTreeMap<ObjectKey, Secret>,
    /// Events in the order they were first recorded (aggregated in place).
    pub events: Vec<KubeEvent>,
    /// Per-node runtime state (containers, processes, images, files), keyed by node name.
    pub runtimes: BTreeMap<String, NodeRuntime>,
    /// Logs of every container instance, keyed by (pod uid, container name), oldest first.
    pub logs: BTreeMap<(String, String), Vec<ContainerLog>>,
    /// The namespace kubectl commands use when none is given.
    pub current_namespace: String,
    /// The scheduler's queue (active, back-off, unschedulable pods).
    pub scheduler: crate::scheduler::SchedulingQueue,
    /// The node lifecycle controller's view of node health.
    pub node_health: crate::nodectl::NodeHealth,
    /// Every node's name in name order (the scheduler's verdicts refer to nodes by their index
    /// here; shared, so recording an attempt copies no name). Kept by the loop.
    pub node_names: std::sync::Arc<[String]>,
    /// Every node's allocatable capacities, by name (the scheduler's cache, kept by the loop).
    pub node_caps: BTreeMap<String, crate::scheduler::Caps>,
    /// What the pods bound to each node use (the scheduler's cache, kept by the loop).
    pub node_usage: BTreeMap<String, crate::scheduler::NodeUsage>,
    /// Pods nominated to a node by preemption and not yet bound, by uid.
    pub nominated: BTreeMap<String, ObjectKey>,
    /// Index of aggregated events by their series key (see `sim::record_event`).
    pub event_index: BTreeMap<u64, Vec<usize>>,
    /// The scheduler's memo of static per-node verdicts; replaced by the loop whenever a node's
    /// labels, taints or unschedulable flag, or the set of nodes, change (scheduler/cache.rs).
    pub sched_static: crate::scheduler::StaticCache,
    /// The scheduler's memo of image spreads; replaced whenever a node's images change.
    pub image_cache: crate::scheduler::ImageCache,
}

/// The log of one container instance (one run, numbered by its restartCount).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerLog {
    pub restart_count: i32,
    pub lines: Vec<(SimTime, String)>,
}

impl World {
    /// Brings the scheduler's node caches (`node_names`, `node_caps`, one `node_usage` entry per
    /// node) up to date: `Some(names)` after those nodes were updated in place, `None` after
    /// nodes were added or removed (everything is checked).
    pub fn refresh_node_caches(&mut self, updated: Option<&[&str]>) {
        if let Some(names) = updated {
            for name in names {
                if let Some(n) = self.nodes.get(*name) {
                    self.node_caps.insert(name.to_string(), crate::scheduler::Caps::of(n));
                }
            }
            return;
        }
        // The set of nodes may have changed: the memos index nodes by position.
        self.sched_static = Default::default();
        self.image_cache = Default::default();
        if self.node_names.len() != self.nodes.len() || !self.node_names.iter().zip(self.nodes.keys()).all(|(a, b)| a == b) {
            self.node_names = self.nodes.keys().cloned().collect::<Vec<_>>().into();
        }
        self.node_caps = self.nodes.iter().map(|(k, n)| (k.clone(), crate::scheduler::Caps::of(n))).collect();
        // One usage entry per node (empty until pods are bound there), so the scheduler can walk
        // nodes, usage and caps in lockstep. Usage of a removed node goes once no pod counts there.
        for name in self.nodes.keys() {
            if !self.node_usage.contains_key(name) {
                self.node_usage.insert(name.clone(), crate::scheduler::NodeUsage::default());
            }
        }
        let nodes = &self.nodes;
        self.node_usage.retain(|name, u| nodes.contains_key(name) || *u != crate::scheduler::NodeUsage::default());
    }

    /// Looks a pod up by namespace and name.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.pods.get(&ObjectKey::new(namespace, name)).map(|p| &**p)
    }

    /// Looks a pod up by uid.
    pub fn pod_by_uid(&self, uid: &str) -> Option<&Pod> {
        self.pods.values().map(|p| &**p).find(|p| p.meta.uid == uid)
    }

    /// The logs of `container` in the pod with `uid`: the current instance is the last.
    pub fn container_logs(&self, uid: &str, container: &str) -> &[ContainerLog] {
        self.logs.get(&(uid.to_string(), container.to_string())).map_or(&[], Vec::as_slice)
    }

    /// Unix ms for a virtual time.
    pub fn unix_ms(&self, at: SimTime) -> i64 {
        self.epoch_unix_ms + at as i64
    }
}
