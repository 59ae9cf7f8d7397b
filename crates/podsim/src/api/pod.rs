//! The Pod: spec (what the user asked for, after defaulting) and status (what the kubelet and
//! scheduler report), in the shapes `kubectl get -o yaml` shows.

use std::collections::BTreeMap;

use super::meta::{ObjectMeta, SelectorRequirement};
use crate::quantity::Quantity;
use crate::time::SimTime;

/// A Pod object.
#[derive(Clone, Debug, PartialEq)]
pub struct Pod {
    pub meta: ObjectMeta,
    /// Shared: the spec hardly changes after creation (the binding's `nodeName`, the
    /// apiserver's defaulting) while pods are copied on every status write. Change it through
    /// `spec_mut`, which copies it only when it is shared.
    pub spec: std::sync::Arc<PodSpec>,
    pub status: PodStatus,
    /// The defaulted manifest (`metadata` and `spec` as JSON) so `-o yaml` can show fields
    /// the simulator accepts without modelling. Never changes after the pod is created, so it is
    /// shared: pods are copied on every status write, and this is their largest part.
    pub source: std::sync::Arc<serde_json::Value>,
}

impl Pod {
    /// The spec to change (copied first if another pod version shares it).
    pub fn spec_mut(&mut self) -> &mut PodSpec {
        std::sync::Arc::make_mut(&mut self.spec)
    }
}

/// Pod-level restart policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RestartPolicy {
    #[default]
    Always,
    OnFailure,
    Never,
}

impl RestartPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        }
    }
}

/// `imagePullPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PullPolicy {
    Always,
    #[default]
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::Always => "Always",
            PullPolicy::IfNotPresent => "IfNotPresent",
            PullPolicy::Never => "Never",
        }
    }
}

/// A spec's list of containers, shared between copies of the spec: the apiserver copies a spec
/// to change one field (admission's tolerations, the binding's `nodeName`), and the containers
/// (names, images, commands, env, probes, resources) are most of it. Reads go through the list
/// as a `Vec`; a change copies it first if another spec shares it.
#[derive(Clone, PartialEq, Default)]
pub struct Containers(std::sync::Arc<Vec<Container>>);

impl std::ops::Deref for Containers {
    type Target = Vec<Container>;

    fn deref(&self) -> &Vec<Container> {
        &self.0
    }
}

impl std::ops::DerefMut for Containers {
    fn deref_mut(&mut self) -> &mut Vec<Container> {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl std::fmt::Debug for Containers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Vec<Container>> for Containers {
    fn from(v: Vec<Container>) -> Containers {
        Containers(std::sync::Arc::new(v))
    }
}

impl FromIterator<Container> for Containers {
    fn from_iter<I: IntoIterator<Item = Container>>(iter: I) -> Containers {
        Containers::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Containers {
    type Item = &'a Container;
    type IntoIter = std::slice::Iter<'a, Container>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A part of a spec shared between copies of it, like [`Containers`]: the binding copies the
/// spec to set `nodeName`, and copying the selector, affinity, tolerations and volumes (a few
/// dozen small allocations, read from memory the cache has long dropped) was most of a binding's
/// cost. Reads go through to the value; a change copies it first if another spec shares it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Shared<T>(std::sync::Arc<T>);

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> std::ops::DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(v: T) -> Shared<T> {
        Shared(std::sync::Arc::new(v))
    }
}

impl<T> FromIterator<T> for Shared<Vec<T>> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Shared<Vec<T>> {
        Shared::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a, T> IntoIterator for &'a Shared<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> Shared<T> {
    /// Whether two copies share one value (then they are equal without comparing).
    pub fn same(a: &Shared<T>, b: &Shared<T>) -> bool {
        std::sync::Arc::ptr_eq(&a.0, &b.0)
    }
}

/// The defaulted pod spec.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PodSpec {
    pub init_containers: Containers,
    pub containers: Containers,
    pub restart_policy: RestartPolicy,
    pub termination_grace_period_seconds: i64,
    pub active_deadline_seconds: Option<i64>,
    pub node_name: String,
    pub node_selector: Shared<BTreeMap<String, String>>,
    pub affinity: Shared<NodeAffinity>,
    pub tolerations: Shared<Vec<Toleration>>,
    pub scheduler_name: String,
    pub scheduling_gates: Vec<String>,
    pub priority_class_name: String,
    /// Resolved from the PriorityClass at admission; 0 without one.
    pub priority: i32,
    /// `PreemptLowerPriority` or `Never`.
    pub preemption_policy: String,
    pub volumes: Shared<Vec<Volume>>,
    pub host_network: bool,
    pub hostname: String,
    pub subdomain: String,
    pub dns_policy: String,
    pub service_account_name: String,
    pub readiness_gates: Vec<String>,
}

impl PodSpec {
    /// Init containers with `restartPolicy: Always` (sidecars).
    pub fn is_sidecar(c: &Container) -> bool {
        c.restart_policy.as_deref() == Some("Always")
    }

    /// Every container (init first, then app), for lookups by name.
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.init_containers.iter().chain(self.containers.iter())
    }
}

/// Required and preferred node affinity (pod affinity is accepted but not simulated).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NodeAffinity {
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms` (ORed).
    pub required: Vec<NodeSelectorTerm>,
    /// `preferredDuringSchedulingIgnoredDuringExecution` as (weight, term).
    pub preferred: Vec<(i32, NodeSelectorTerm)>,
}

/// One node selector term: its requirements are ANDed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NodeSelectorTerm {
    pub match_expressions: Vec<SelectorRequirement>,
    /// `matchFields` (only `metadata.name` exists upstream).
    pub match_fields: Vec<SelectorRequirement>,
}

/// A toleration.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Toleration {
    pub key: String,
    /// `Equal` (default) or `Exists`.
    pub operator: String,
    pub value: String,
    /// Empty matches every effect.
    pub effect: String,
    pub toleration_seconds: Option<i64>,
}

/// A volume the pod declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    pub name: String,
    pub source: VolumeSource,
}

/// The volume kinds the process model understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VolumeSource {
    EmptyDir { medium: String },
    HostPath { path: String },
    ConfigMap { name: String, optional: bool },
    Secret { name: String, optional: bool },
    /// Any other volume type: mounted as an empty directory, noted as not simulated.
    Other { kind: String },
}

/// A container (init, sidecar or app), defaulted.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub image_pull_policy: PullPolicy,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub working_dir: String,
    pub env: Vec<EnvVar>,
    pub ports: Vec<ContainerPort>,
    pub requests: BTreeMap<String, Quantity>,
    pub limits: BTreeMap<String, Quantity>,
    pub volume_mounts: Vec<VolumeMount>,
    pub liveness_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub startup_probe: Option<Probe>,
    pub post_start: Option<Handler>,
    pub pre_stop: Option<Handler>,
    /// Container-level restartPolicy: only `Always` on init containers (sidecars) is valid.
    pub restart_policy: Option<String>,
    pub termination_message_path: String,
    pub termination_message_policy: String,
    pub stdin: bool,
    pub tty: bool,
}

/// An environment variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
}

/// Where an environment variable's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvValue {
    Literal(String),
    /// Downward API: `metadata.name`, `metadata.namespace`, `status.podIP`, `spec.nodeName`, …
    FieldRef(String),
    /// `resourceFieldRef` (`limits.memory`, …).
    ResourceFieldRef { container: String, resource: String },
    ConfigMapKey { name: String, key: String, optional: bool },
    SecretKey { name: String, key: String, optional: bool },
}

/// A declared container port.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ContainerPort {
    pub name: String,
    pub container_port: i32,
    pub host_port: i32,
    pub protocol: String,
}

/// A volume mount.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: bool,
    pub sub_path: String,
}

/// Which probe, in the words events use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    /// `Liveness`, `Readiness`, `Startup` — as in `Liveness probe failed: …`.
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }

    /// `liveness`, `readiness`, `startup` — as in `failed liveness probe`.
    pub fn lower(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
        }
    }
}

/// A probe after defaulting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub handler: Handler,
    pub initial_delay_seconds: i32,
    pub timeout_seconds: i32,
    pub period_seconds: i32,
    pub success_threshold: i32,
    pub failure_threshold: i32,
    pub termination_grace_period_seconds: Option<i64>,
}

/// A probe or hook action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handler {
    Exec { command: Vec<String> },
    HttpGet { path: String, port: PortRef, host: String, scheme: String, headers: Vec<(String, String)> },
    TcpSocket { port: PortRef, host: String },
    Grpc { port: i32, service: String },
    Sleep { seconds: i64 },
}

/// A port given by number or by a container port's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortRef {
    Number(i32),
    Name(String),
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(s) => f.write_str(s),
        }
    }
}

/// `status.phase`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
            Phase::Unknown => "Unknown",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed)
    }
}

/// `status` of a Pod.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PodStatus {
    pub phase: Phase,
    pub conditions: Vec<PodCondition>,
    pub reason: String,
    pub message: String,
    pub host_ip: String,
    pub pod_ip: String,
    pub start_ms: Option<SimTime>,
    pub nominated_node_name: String,
    pub qos_class: String,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub container_statuses: Vec<ContainerStatus>,
}

impl PodStatus {
    /// The condition of `kind`, if present.
    pub fn condition(&self, kind: &str) -> Option<&PodCondition> {
        self.conditions.iter().find(|c| c.kind == kind)
    }

    /// Sets a condition, keeping lastTransitionTime when the status does not change.
    pub fn set_condition(&mut self, mut c: PodCondition) {
        if let Some(old) = self.conditions.iter_mut().find(|o| o.kind == c.kind) {
            if old.status == c.status {
                c.last_transition_ms = old.last_transition_ms;
            }
            *old = c;
        } else {
            self.conditions.push(c);
        }
    }
}

/// A pod condition (`PodScheduled`, `Initialized`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodCondition {
    pub kind: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    pub reason: String,
    pub message: String,
    pub last_transition_ms: SimTime,
}

impl PodCondition {
    pub fn new(kind: &str, status: bool, reason: &str, message: &str, at: SimTime) -> PodCondition {
        PodCondition {
            kind: kind.to_string(),
            status: if status { "True" } else { "False" }.to_string(),
            reason: reason.to_string(),
            message: message.to_string(),
            last_transition_ms: at,
        }
    }

    pub fn is_true(&self) -> bool {
        self.status == "True"
    }
}

/// One container's status.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub image_id: String,
    pub container_id: String,
    pub state: ContainerState,
    pub last_state: ContainerState,
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: i32,
}

/// A container state; `None` is "no state at all" (an empty `state: {}`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ContainerState {
    #[default]
    None,
    Waiting { reason: String, message: String },
    Running { started_ms: SimTime },
    Terminated(Terminated),
}

impl ContainerState {
    pub fn is_running(&self) -> bool {
        matches!(self, ContainerState::Running { .. })
    }

    pub fn terminated(&self) -> Option<&Terminated> {
        match self {
            ContainerState::Terminated(t) => Some(t),
            _ => None,
        }
    }

    pub fn waiting_reason(&self) -> Option<&str> {
        match self {
            ContainerState::Waiting { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

/// `state.terminated`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Terminated {
    pub exit_code: i32,
    pub signal: i32,
    pub reason: String,
    pub message: String,
    pub started_ms: Option<SimTime>,
    pub finished_ms: SimTime,
    pub container_id: String,
}
