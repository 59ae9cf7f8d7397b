//! The node side below the kubelet: the container runtime (sandboxes, container instances,
//! image cache) and the process model that runs each container's program in virtual time.

use std::collections::BTreeMap;

pub mod shell;

/// One node's runtime state.
#[derive(Clone, Debug, Default)]
pub struct NodeRuntime {
    /// Images present on the node: reference → size in bytes.
    pub images: BTreeMap<String, i64>,
}
