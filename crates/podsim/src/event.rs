//! Kubernetes Events (`kubectl get events`): what each actor reports, aggregated the way the
//! client-go event recorder does (same object, reason and message ⇒ count + 1).

use crate::time::SimTime;

/// `Normal` or `Warning`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// The object an event is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct InvolvedObject {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    /// `spec.containers{app}` for container events, empty otherwise.
    pub field_path: String,
}

/// One (possibly aggregated) Kubernetes Event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeEvent {
    pub kind: EventType,
    pub reason: String,
    pub message: String,
    pub involved: InvolvedObject,
    /// `default-scheduler`, `kubelet`, `node-controller`, `taint-eviction-controller`.
    pub source_component: String,
    /// The node for kubelet events, empty otherwise.
    pub source_host: String,
    pub first_ms: SimTime,
    pub last_ms: SimTime,
    pub count: u32,
}

impl KubeEvent {
    /// A fresh event (count 1) at `at`.
    pub fn new(kind: EventType, reason: &str, message: impl Into<String>, involved: InvolvedObject, component: &str, host: &str, at: SimTime) -> KubeEvent {
        KubeEvent {
            kind,
            reason: reason.to_string(),
            message: message.into(),
            involved,
            source_component: component.to_string(),
            source_host: host.to_string(),
            first_ms: at,
            last_ms: at,
            count: 1,
        }
    }

    /// Whether `other` is the same event repeated (the recorder's aggregation key).
    pub fn same_series(&self, other: &KubeEvent) -> bool {
        self.kind == other.kind
            && self.reason == other.reason
            && self.message == other.message
            && self.involved == other.involved
            && self.source_component == other.source_component
            && self.source_host == other.source_host
    }
}
