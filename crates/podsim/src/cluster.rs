//! The cluster a scenario starts with: the default three nodes (one tainted control plane, two
//! workers) unless the scenario defines its own Node objects, and the built-in namespaces.

use std::collections::BTreeMap;

use crate::api::{Namespace, Node, NodeCondition, NodeSpec, NodeStatus, ObjectMeta, Taint};
use crate::quantity::Quantity;

/// The pause image every node has preloaded.
pub const PAUSE_IMAGE: &str = "registry.k8s.io/pause:3.10";
/// The kubelet version nodes report.
pub const KUBELET_VERSION: &str = "v1.34.1";

/// The default cluster of PRODUCT.md §1.2.
pub fn default_nodes() -> Vec<Node> {
    let mut nodes = vec![node("control-plane", 0), node("worker-1", 1), node("worker-2", 2)];
    nodes[0].meta.labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
    nodes[0].meta.labels.insert("node.kubernetes.io/exclude-from-external-load-balancers".into(), String::new());
    nodes[0].spec.taints.push(Taint {
        key: "node-role.kubernetes.io/control-plane".into(),
        value: String::new(),
        effect: "NoSchedule".into(),
        time_added_ms: None,
    });
    nodes
}

/// A node with the default capacity (4 CPU, 8Gi, 110 pods), numbered for its IP and pod CIDR.
pub fn node(name: &str, index: u32) -> Node {
    let mut meta = ObjectMeta { name: name.to_string(), ..ObjectMeta::default() };
    for (k, v) in [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
    ] {
        meta.labels.insert(k.into(), v.into());
    }
    let mut capacity = BTreeMap::new();
    capacity.insert("cpu".to_string(), Quantity::from_units(4));
    capacity.insert("memory".to_string(), Quantity::from_bytes(8 << 30));
    capacity.insert("pods".to_string(), Quantity::from_units(110));
    capacity.insert("ephemeral-storage".to_string(), Quantity::from_bytes(100 << 30));
    let mut node = Node {
        meta,
        spec: NodeSpec { unschedulable: false, taints: Vec::new(), pod_cidr: String::new() },
        status: NodeStatus { allocatable: capacity.clone(), capacity, ..NodeStatus::default() },
    };
    complete_node(&mut node, index);
    node
}

/// Fills what the kubelet reports about itself on registration: addresses, pod CIDR, node info,
/// healthy conditions and the preloaded pause image. Keeps what the user set.
pub fn complete_node(node: &mut Node, index: u32) {
    if node.spec.pod_cidr.is_empty() {
        node.spec.pod_cidr = format!("10.244.{index}.0/24");
    }
    if node.status.internal_ip.is_empty() {
        node.status.internal_ip = format!("172.18.0.{}", index + 2);
    }
    node.meta.labels.entry("kubernetes.io/hostname".into()).or_insert_with(|| node.meta.name.clone());
    node.meta.labels.entry("kubernetes.io/os".into()).or_insert_with(|| "linux".into());
    node.meta.labels.entry("kubernetes.io/arch".into()).or_insert_with(|| "amd64".into());
    let s = &mut node.status;
    if s.allocatable.is_empty() {
        s.allocatable = s.capacity.clone();
    }
    for (k, v) in [("cpu", Quantity::from_units(4)), ("memory", Quantity::from_bytes(8 << 30)), ("pods", Quantity::from_units(110))] {
        s.capacity.entry(k.to_string()).or_insert_with(|| v.clone());
        s.allocatable.entry(k.to_string()).or_insert(v);
    }
    s.kubelet_version = KUBELET_VERSION.into();
    s.os_image = "Debian GNU/Linux 12 (bookworm)".into();
    s.kernel_version = "6.1.0-31-amd64".into();
    s.container_runtime_version = "containerd://2.1.3".into();
    s.architecture = "amd64".into();
    s.images.entry(PAUSE_IMAGE.into()).or_insert(320_368);
    if s.conditions.is_empty() {
        s.conditions = healthy_conditions(0);
    }
}

/// The four pressure conditions (False) and Ready (True), as a healthy kubelet reports them.
pub fn healthy_conditions(at: u64) -> Vec<NodeCondition> {
    let c = |kind: &str, status: &str, reason: &str, message: &str| NodeCondition {
        kind: kind.into(),
        status: status.into(),
        reason: reason.into(),
        message: message.into(),
        last_heartbeat_ms: at,
        last_transition_ms: at,
    };
    vec![
        c("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        c("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        c("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        c("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
}

/// The namespaces every cluster has.
pub fn builtin_namespaces() -> Vec<Namespace> {
    ["default", "kube-node-lease", "kube-public", "kube-system"]
        .into_iter()
        .map(|n| Namespace { meta: ObjectMeta { name: n.into(), ..ObjectMeta::default() }, phase: "Active".into() })
        .collect()
}
