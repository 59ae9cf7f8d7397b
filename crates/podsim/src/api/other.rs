//! The smaller kinds: Namespace, Service, PriorityClass, ConfigMap, Secret.

use std::collections::BTreeMap;

use super::meta::ObjectMeta;

/// A Namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Namespace {
    pub meta: ObjectMeta,
    /// `Active` or `Terminating`.
    pub phase: String,
}

/// A Service: a selector, ports, a cluster IP and a DNS name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub meta: ObjectMeta,
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<ServicePort>,
    pub cluster_ip: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    pub kind: String,
}

/// A Service port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: String,
    pub port: i32,
    /// A number, or a container port name.
    pub target_port: super::PortRef,
    pub protocol: String,
    pub node_port: i32,
}

/// A PriorityClass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorityClass {
    pub meta: ObjectMeta,
    pub value: i32,
    pub global_default: bool,
    pub preemption_policy: String,
    pub description: String,
}

/// A ConfigMap (data only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigMap {
    pub meta: ObjectMeta,
    pub data: BTreeMap<String, String>,
}

/// A Secret (decoded data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub meta: ObjectMeta,
    pub data: BTreeMap<String, String>,
    pub kind: String,
}
