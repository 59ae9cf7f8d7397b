//! Nodes: capacity, labels, taints, and the conditions the node lifecycle controller watches.

use std::collections::BTreeMap;

use super::meta::ObjectMeta;
use crate::quantity::Quantity;

/// A Node object.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub meta: ObjectMeta,
    pub spec: NodeSpec,
    pub status: NodeStatus,
}

/// `spec` of a Node.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NodeSpec {
    pub unschedulable: bool,
    pub taints: Vec<Taint>,
    pub pod_cidr: String,
}

/// A taint.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Taint {
    pub key: String,
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
    /// When a NoExecute taint was added (virtual ms), for tolerationSeconds.
    pub time_added_ms: Option<u64>,
}

/// `status` of a Node.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NodeStatus {
    pub capacity: BTreeMap<String, Quantity>,
    pub allocatable: BTreeMap<String, Quantity>,
    /// `Ready`, `MemoryPressure`, … in kubectl describe order.
    pub conditions: Vec<NodeCondition>,
    pub internal_ip: String,
    /// Images present on the node, with their sizes in bytes (ImageLocality, "already present").
    pub images: BTreeMap<String, i64>,
    pub kubelet_version: String,
    pub os_image: String,
    pub container_runtime_version: String,
    pub kernel_version: String,
    pub architecture: String,
}

/// A node condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeCondition {
    pub kind: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    pub last_heartbeat_ms: u64,
    pub last_transition_ms: u64,
}

impl Node {
    /// Whether the Ready condition is True.
    pub fn is_ready(&self) -> bool {
        self.status.conditions.iter().any(|c| c.kind == "Ready" && c.status == "True")
    }
}
