//! Validated, defaulted API objects → the simulator's own model (`crate::api`).
//!
//! Timestamps become virtual milliseconds relative to `epoch_unix_ms` (the wall-clock instant
//! of virtual time 0). Virtual time is unsigned, so a timestamp before the epoch is clamped to
//! 0: callers that print pods given with real timestamps (`podsim print`) should pick an epoch
//! at or before the earliest one if exact ages matter.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as k;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as KQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::qos::qos_class;
use crate::api as m;
use crate::quantity::Quantity;
use crate::time::SimTime;

fn s(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

/// Go's zero `time.Time` (0001-01-01T00:00:00Z) in Unix ms: a `metav1.Time` holding it is unset
/// to Kubernetes (`IsZero`), so kubectl prints `<unknown>` for it, as for a null.
const GO_ZERO_TIME_UNIX_MS: i64 = -62_135_596_800_000;

/// A timestamp as virtual milliseconds (clamped at 0, see the module doc); Go's zero time is unset.
fn ms(t: Option<&Time>, epoch_unix_ms: i64) -> Option<SimTime> {
    let unix = t?.0.as_millisecond();
    if unix == GO_ZERO_TIME_UNIX_MS {
        return None;
    }
    Some(u64::try_from(unix.saturating_sub(epoch_unix_ms)).unwrap_or(0))
}

fn quantities(map: Option<&BTreeMap<String, KQuantity>>) -> BTreeMap<String, Quantity> {
    map.into_iter().flatten().filter_map(|(k, v)| Quantity::parse(&v.0).map(|q| (k.clone(), q))).collect()
}

fn meta(o: &ObjectMeta, epoch: i64) -> m::ObjectMeta {
    m::ObjectMeta {
        name: s(&o.name),
        namespace: s(&o.namespace),
        uid: s(&o.uid).into(),
        labels: o.labels.clone().unwrap_or_default(),
        annotations: o.annotations.clone().unwrap_or_default(),
        resource_version: o.resource_version.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0),
        generation: o.generation.unwrap_or(0),
        creation_ms: ms(o.creation_timestamp.as_ref(), epoch),
        deletion_ms: ms(o.deletion_timestamp.as_ref(), epoch),
        deletion_grace_seconds: o.deletion_grace_period_seconds,
    }
}

fn port_ref(p: &IntOrString) -> m::PortRef {
    match p {
        IntOrString::Int(n) => m::PortRef::Number(*n),
        IntOrString::String(name) => m::PortRef::Name(name.clone()),
    }
}

fn pull_policy(p: &Option<String>) -> m::PullPolicy {
    match p.as_deref() {
        Some("Always") => m::PullPolicy::Always,
        Some("Never") => m::PullPolicy::Never,
        _ => m::PullPolicy::IfNotPresent,
    }
}

fn http_get(h: &k::HTTPGetAction) -> m::Handler {
    m::Handler::HttpGet {
        path: s(&h.path),
        port: port_ref(&h.port),
        host: s(&h.host),
        scheme: s(&h.scheme),
        headers: h.http_headers.iter().flatten().map(|x| (x.name.clone(), x.value.clone())).collect(),
    }
}

fn probe(p: Option<&k::Probe>) -> Option<m::Probe> {
    let p = p?;
    let handler = if let Some(e) = &p.exec {
        m::Handler::Exec { command: e.command.clone().unwrap_or_default() }
    } else if let Some(h) = &p.http_get {
        http_get(h)
    } else if let Some(t) = &p.tcp_socket {
        m::Handler::TcpSocket { port: port_ref(&t.port), host: s(&t.host) }
    } else if let Some(g) = &p.grpc {
        m::Handler::Grpc { port: g.port, service: s(&g.service) }
    } else {
        return None;
    };
    Some(m::Probe {
        handler,
        initial_delay_seconds: p.initial_delay_seconds.unwrap_or(0),
        timeout_seconds: p.timeout_seconds.unwrap_or(1),
        period_seconds: p.period_seconds.unwrap_or(10),
        success_threshold: p.success_threshold.unwrap_or(1),
        failure_threshold: p.failure_threshold.unwrap_or(3),
        termination_grace_period_seconds: p.termination_grace_period_seconds,
    })
}

fn hook(h: Option<&k::LifecycleHandler>) -> Option<m::Handler> {
    let h = h?;
    if let Some(e) = &h.exec {
        Some(m::Handler::Exec { command: e.command.clone().unwrap_or_default() })
    } else if let Some(g) = &h.http_get {
        Some(http_get(g))
    } else if let Some(t) = &h.tcp_socket {
        Some(m::Handler::TcpSocket { port: port_ref(&t.port), host: s(&t.host) })
    } else {
        h.sleep.as_ref().map(|sl| m::Handler::Sleep { seconds: sl.seconds })
    }
}

fn env_var(e: &k::EnvVar) -> m::EnvVar {
    let literal = || m::EnvValue::Literal(s(&e.value));
    let value = match &e.value_from {
        None => literal(),
        Some(vf) => {
            if let Some(f) = &vf.field_ref {
                m::EnvValue::FieldRef(if f.field_path == "spec.host" { "spec.nodeName".to_string() } else { f.field_path.clone() })
            } else if let Some(r) = &vf.resource_field_ref {
                m::EnvValue::ResourceFieldRef { container: s(&r.container_name), resource: r.resource.clone() }
            } else if let Some(c) = &vf.config_map_key_ref {
                m::EnvValue::ConfigMapKey { name: c.name.clone(), key: c.key.clone(), optional: c.optional.unwrap_or(false) }
            } else if let Some(sk) = &vf.secret_key_ref {
                m::EnvValue::SecretKey { name: sk.name.clone(), key: sk.key.clone(), optional: sk.optional.unwrap_or(false) }
            } else {
                literal()
            }
        }
    };
    m::EnvVar { name: e.name.clone(), value }
}

fn container(c: &k::Container) -> m::Container {
    let res = c.resources.as_ref();
    let lifecycle = c.lifecycle.as_ref();
    m::Container {
        name: c.name.clone(),
        image: s(&c.image),
        image_pull_policy: pull_policy(&c.image_pull_policy),
        command: c.command.clone().unwrap_or_default(),
        args: c.args.clone().unwrap_or_default(),
        working_dir: s(&c.working_dir),
        env: c.env.iter().flatten().map(env_var).collect(),
        ports: c
            .ports
            .iter()
            .flatten()
            .map(|p| m::ContainerPort {
                name: s(&p.name),
                container_port: p.container_port,
                host_port: p.host_port.unwrap_or(0),
                protocol: s(&p.protocol),
            })
            .collect(),
        requests: quantities(res.and_then(|r| r.requests.as_ref())),
        limits: quantities(res.and_then(|r| r.limits.as_ref())),
        volume_mounts: c
            .volume_mounts
            .iter()
            .flatten()
            .map(|v| m::VolumeMount {
                name: v.name.clone(),
                mount_path: v.mount_path.clone(),
                read_only: v.read_only.unwrap_or(false),
                sub_path: s(&v.sub_path),
            })
            .collect(),
        liveness_probe: probe(c.liveness_probe.as_ref()),
        readiness_probe: probe(c.readiness_probe.as_ref()),
        startup_probe: probe(c.startup_probe.as_ref()),
        post_start: hook(lifecycle.and_then(|l| l.post_start.as_ref())),
        pre_stop: hook(lifecycle.and_then(|l| l.pre_stop.as_ref())),
        restart_policy: c.restart_policy.clone(),
        termination_message_path: s(&c.termination_message_path),
        termination_message_policy: s(&c.termination_message_policy),
        stdin: c.stdin.unwrap_or(false),
        tty: c.tty.unwrap_or(false),
    }
}

fn requirement(r: &k::NodeSelectorRequirement) -> m::SelectorRequirement {
    m::SelectorRequirement { key: r.key.clone(), operator: r.operator.clone(), values: r.values.clone().unwrap_or_default() }
}

fn term(t: &k::NodeSelectorTerm) -> m::NodeSelectorTerm {
    m::NodeSelectorTerm {
        match_expressions: t.match_expressions.iter().flatten().map(requirement).collect(),
        match_fields: t.match_fields.iter().flatten().map(requirement).collect(),
    }
}

/// The JSON name of a volume's source, for the kinds the model does not know.
fn other_volume_kind(v: &k::Volume) -> &'static str {
    let kinds: [(bool, &'static str); 26] = [
        (v.persistent_volume_claim.is_some(), "persistentVolumeClaim"),
        (v.projected.is_some(), "projected"),
        (v.downward_api.is_some(), "downwardAPI"),
        (v.ephemeral.is_some(), "ephemeral"),
        (v.image.is_some(), "image"),
        (v.csi.is_some(), "csi"),
        (v.nfs.is_some(), "nfs"),
        (v.iscsi.is_some(), "iscsi"),
        (v.git_repo.is_some(), "gitRepo"),
        (v.gce_persistent_disk.is_some(), "gcePersistentDisk"),
        (v.aws_elastic_block_store.is_some(), "awsElasticBlockStore"),
        (v.azure_disk.is_some(), "azureDisk"),
        (v.azure_file.is_some(), "azureFile"),
        (v.cephfs.is_some(), "cephfs"),
        (v.cinder.is_some(), "cinder"),
        (v.fc.is_some(), "fc"),
        (v.flex_volume.is_some(), "flexVolume"),
        (v.flocker.is_some(), "flocker"),
        (v.glusterfs.is_some(), "glusterfs"),
        (v.photon_persistent_disk.is_some(), "photonPersistentDisk"),
        (v.portworx_volume.is_some(), "portworxVolume"),
        (v.quobyte.is_some(), "quobyte"),
        (v.rbd.is_some(), "rbd"),
        (v.scale_io.is_some(), "scaleIO"),
        (v.storageos.is_some(), "storageos"),
        (v.vsphere_volume.is_some(), "vsphereVolume"),
    ];
    kinds.iter().find(|(set, _)| *set).map_or("unknown", |(_, name)| name)
}

fn volume(v: &k::Volume) -> m::Volume {
    let source = if let Some(e) = &v.empty_dir {
        m::VolumeSource::EmptyDir { medium: s(&e.medium) }
    } else if let Some(h) = &v.host_path {
        m::VolumeSource::HostPath { path: h.path.clone() }
    } else if let Some(c) = &v.config_map {
        m::VolumeSource::ConfigMap { name: c.name.clone(), optional: c.optional.unwrap_or(false) }
    } else if let Some(sv) = &v.secret {
        m::VolumeSource::Secret { name: s(&sv.secret_name), optional: sv.optional.unwrap_or(false) }
    } else {
        m::VolumeSource::Other { kind: other_volume_kind(v).to_string() }
    };
    m::Volume { name: v.name.clone(), source }
}

pub(crate) fn pod_spec(sp: &k::PodSpec) -> m::PodSpec {
    let na = sp.affinity.as_ref().and_then(|a| a.node_affinity.as_ref());
    m::PodSpec {
        init_containers: sp.init_containers.iter().flatten().map(container).collect(),
        containers: sp.containers.iter().map(container).collect(),
        restart_policy: match sp.restart_policy.as_deref() {
            Some("OnFailure") => m::RestartPolicy::OnFailure,
            Some("Never") => m::RestartPolicy::Never,
            _ => m::RestartPolicy::Always,
        },
        termination_grace_period_seconds: sp.termination_grace_period_seconds.unwrap_or(30),
        active_deadline_seconds: sp.active_deadline_seconds,
        node_name: s(&sp.node_name),
        node_selector: sp.node_selector.clone().unwrap_or_default().into(),
        affinity: m::NodeAffinity {
            required: na
                .and_then(|n| n.required_during_scheduling_ignored_during_execution.as_ref())
                .map(|r| r.node_selector_terms.iter().map(term).collect())
                .unwrap_or_default(),
            preferred: na
                .and_then(|n| n.preferred_during_scheduling_ignored_during_execution.as_ref())
                .map(|p| p.iter().map(|t| (t.weight, term(&t.preference))).collect())
                .unwrap_or_default(),
        }
        .into(),
        tolerations: sp
            .tolerations
            .iter()
            .flatten()
            .map(|t| m::Toleration {
                key: s(&t.key),
                operator: t.operator.clone().filter(|o| !o.is_empty()).unwrap_or_else(|| "Equal".to_string()),
                value: s(&t.value),
                effect: s(&t.effect),
                toleration_seconds: t.toleration_seconds,
            })
            .collect(),
        scheduler_name: s(&sp.scheduler_name),
        scheduling_gates: sp.scheduling_gates.iter().flatten().map(|g| g.name.clone()).collect(),
        priority_class_name: s(&sp.priority_class_name),
        priority: sp.priority.unwrap_or(0),
        // Left empty when unset: the Priority admission plugin takes it from the PriorityClass.
        preemption_policy: sp.preemption_policy.clone().unwrap_or_default(),
        volumes: sp.volumes.iter().flatten().map(volume).collect(),
        host_network: sp.host_network.unwrap_or(false),
        hostname: s(&sp.hostname),
        subdomain: s(&sp.subdomain),
        dns_policy: s(&sp.dns_policy),
        service_account_name: s(&sp.service_account_name),
        readiness_gates: sp.readiness_gates.iter().flatten().map(|g| g.condition_type.clone()).collect(),
    }
}

fn container_state(st: Option<&k::ContainerState>, epoch: i64) -> m::ContainerState {
    let Some(st) = st else { return m::ContainerState::None };
    if let Some(t) = &st.terminated {
        m::ContainerState::Terminated(m::Terminated {
            exit_code: t.exit_code,
            signal: t.signal.unwrap_or(0),
            reason: s(&t.reason),
            message: s(&t.message),
            started_ms: ms(t.started_at.as_ref(), epoch),
            finished_ms: ms(t.finished_at.as_ref(), epoch).unwrap_or(0),
            container_id: s(&t.container_id),
        })
    } else if let Some(r) = &st.running {
        m::ContainerState::Running { started_ms: ms(r.started_at.as_ref(), epoch).unwrap_or(0) }
    } else if let Some(w) = &st.waiting {
        m::ContainerState::Waiting { reason: s(&w.reason), message: s(&w.message) }
    } else {
        m::ContainerState::None
    }
}

fn container_status(c: &k::ContainerStatus, epoch: i64) -> m::ContainerStatus {
    m::ContainerStatus {
        name: c.name.clone(),
        image: c.image.clone(),
        image_id: c.image_id.clone(),
        container_id: s(&c.container_id),
        state: container_state(c.state.as_ref(), epoch),
        last_state: container_state(c.last_state.as_ref(), epoch),
        ready: c.ready,
        started: c.started,
        restart_count: c.restart_count,
    }
}

/// The status a pod document carries (for `podsim print`), or a new pod's: Pending, with its
/// QoS class, as the apiserver sets it on create.
fn pod_status(st: Option<&k::PodStatus>, spec: &m::PodSpec, epoch: i64) -> m::PodStatus {
    let qos = qos_class(spec).to_string();
    let Some(st) = st else { return m::PodStatus { qos_class: qos, ..m::PodStatus::default() } };
    m::PodStatus {
        phase: match st.phase.as_deref().unwrap_or("") {
            "" | "Pending" => m::Phase::Pending,
            "Running" => m::Phase::Running,
            "Succeeded" => m::Phase::Succeeded,
            "Failed" => m::Phase::Failed,
            _ => m::Phase::Unknown,
        },
        conditions: st
            .conditions
            .iter()
            .flatten()
            .map(|c| m::PodCondition {
                kind: c.type_.clone(),
                status: c.status.clone(),
                reason: s(&c.reason),
                message: s(&c.message),
                last_transition_ms: ms(c.last_transition_time.as_ref(), epoch).unwrap_or(0),
            })
            .collect(),
        reason: s(&st.reason),
        message: s(&st.message),
        host_ip: st.host_ip.clone().or_else(|| st.host_ips.as_ref().and_then(|v| v.first()).map(|h| h.ip.clone())).unwrap_or_default(),
        pod_ip: st.pod_ip.clone().or_else(|| st.pod_ips.as_ref().and_then(|v| v.first()).map(|p| p.ip.clone())).unwrap_or_default(),
        start_ms: ms(st.start_time.as_ref(), epoch),
        nominated_node_name: s(&st.nominated_node_name),
        qos_class: st.qos_class.clone().filter(|q| !q.is_empty()).unwrap_or(qos),
        init_container_statuses: st.init_container_statuses.iter().flatten().map(|c| container_status(c, epoch)).collect(),
        container_statuses: st.container_statuses.iter().flatten().map(|c| container_status(c, epoch)).collect(),
    }
}

pub(crate) fn pod(p: &k::Pod, epoch: i64) -> m::Pod {
    let mut shown = p.clone();
    shown.status = None;
    let source = serde_json::to_value(&shown).unwrap_or(serde_json::Value::Null);
    let empty = k::PodSpec::default();
    let spec = pod_spec(p.spec.as_ref().unwrap_or(&empty));
    let status = pod_status(p.status.as_ref(), &spec, epoch);
    m::Pod { meta: meta(&p.metadata, epoch), spec: spec.into(), status, source: source.into() }
}

pub(crate) fn node(n: &k::Node, epoch: i64) -> m::Node {
    let spec = n.spec.as_ref();
    let st = n.status.as_ref();
    let info = st.and_then(|x| x.node_info.as_ref());
    let info_field = |f: fn(&k::NodeSystemInfo) -> &String| info.map(|i| f(i).clone()).unwrap_or_default();
    m::Node {
        meta: meta(&n.metadata, epoch),
        spec: m::NodeSpec {
            unschedulable: spec.and_then(|x| x.unschedulable).unwrap_or(false),
            taints: spec
                .and_then(|x| x.taints.as_ref())
                .into_iter()
                .flatten()
                .map(|t| m::Taint {
                    key: t.key.clone(),
                    value: s(&t.value),
                    effect: t.effect.clone(),
                    time_added_ms: ms(t.time_added.as_ref(), epoch),
                })
                .collect(),
            pod_cidr: spec.map(|x| s(&x.pod_cidr)).unwrap_or_default(),
        },
        status: m::NodeStatus {
            capacity: quantities(st.and_then(|x| x.capacity.as_ref())),
            allocatable: quantities(st.and_then(|x| x.allocatable.as_ref())),
            conditions: st
                .and_then(|x| x.conditions.as_ref())
                .into_iter()
                .flatten()
                .map(|c| m::NodeCondition {
                    kind: c.type_.clone(),
                    status: c.status.clone(),
                    reason: s(&c.reason),
                    message: s(&c.message),
                    last_heartbeat_ms: ms(c.last_heartbeat_time.as_ref(), epoch).unwrap_or(0),
                    last_transition_ms: ms(c.last_transition_time.as_ref(), epoch).unwrap_or(0),
                })
                .collect(),
            internal_ip: st
                .and_then(|x| x.addresses.as_ref())
                .and_then(|a| a.iter().find(|a| a.type_ == "InternalIP"))
                .map(|a| a.address.clone())
                .unwrap_or_default(),
            images: st
                .and_then(|x| x.images.as_ref())
                .into_iter()
                .flatten()
                .flat_map(|i| i.names.iter().flatten().map(move |n| (n.clone(), i.size_bytes.unwrap_or(0))))
                .collect(),
            kubelet_version: info_field(|i| &i.kubelet_version),
            os_image: info_field(|i| &i.os_image),
            container_runtime_version: info_field(|i| &i.container_runtime_version),
            kernel_version: info_field(|i| &i.kernel_version),
            architecture: info_field(|i| &i.architecture),
        },
    }
}

pub(crate) fn namespace(ns: &k::Namespace, epoch: i64) -> m::Namespace {
    m::Namespace {
        meta: meta(&ns.metadata, epoch),
        phase: ns.status.as_ref().and_then(|st| st.phase.clone()).unwrap_or_else(|| "Active".to_string()),
    }
}

pub(crate) fn service(svc: &k::Service, epoch: i64) -> m::Service {
    let spec = svc.spec.as_ref();
    m::Service {
        meta: meta(&svc.metadata, epoch),
        selector: spec.and_then(|x| x.selector.clone()).unwrap_or_default(),
        ports: spec
            .and_then(|x| x.ports.as_ref())
            .into_iter()
            .flatten()
            .map(|p| m::ServicePort {
                name: s(&p.name),
                port: p.port,
                target_port: p.target_port.as_ref().map_or(m::PortRef::Number(p.port), port_ref),
                protocol: s(&p.protocol),
                node_port: p.node_port.unwrap_or(0),
            })
            .collect(),
        cluster_ip: spec.map(|x| s(&x.cluster_ip)).unwrap_or_default(),
        kind: spec.map(|x| s(&x.type_)).unwrap_or_default(),
    }
}

pub(crate) fn priority_class(pc: &PriorityClass, epoch: i64) -> m::PriorityClass {
    m::PriorityClass {
        meta: meta(&pc.metadata, epoch),
        value: pc.value,
        global_default: pc.global_default.unwrap_or(false),
        preemption_policy: pc.preemption_policy.clone().unwrap_or_else(|| "PreemptLowerPriority".to_string()),
        description: s(&pc.description),
    }
}

pub(crate) fn config_map(cm: &k::ConfigMap, epoch: i64) -> m::ConfigMap {
    m::ConfigMap { meta: meta(&cm.metadata, epoch), data: cm.data.clone().unwrap_or_default() }
}

/// Secret data is already base64-decoded (and `stringData` folded in) by this point.
pub(crate) fn secret(sec: &k::Secret, epoch: i64) -> m::Secret {
    m::Secret {
        meta: meta(&sec.metadata, epoch),
        data: sec.data.iter().flatten().map(|(k, v)| (k.clone(), String::from_utf8_lossy(&v.0).into_owned())).collect(),
        kind: s(&sec.type_),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Regression: Go's zero time (what some tools print for a time never set) was taken as a
    /// real instant, so `podsim print` showed an AGE of `56y` where kubectl shows `<unknown>`.
    #[test]
    fn go_zero_time_is_unset() {
        let p: k::Pod = serde_json::from_value(json!({"metadata": {"name": "p", "creationTimestamp": "0001-01-01T00:00:00Z"}})).unwrap();
        assert_eq!(pod(&p, 0).meta.creation_ms, None);
        let p: k::Pod = serde_json::from_value(json!({"metadata": {"name": "p", "creationTimestamp": "0001-01-01T00:00:01Z"}})).unwrap();
        assert_eq!(pod(&p, 0).meta.creation_ms, Some(0));
    }

    #[test]
    fn converts_a_pod_with_status_and_times() {
        let p: k::Pod = serde_json::from_value(json!({
            "metadata": {"name": "p", "namespace": "default", "creationTimestamp": "2026-01-01T00:00:10Z", "resourceVersion": "42"},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox", "imagePullPolicy": "Always",
                "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                "readinessProbe": {"httpGet": {"port": "http", "path": "/", "scheme": "HTTP"}, "periodSeconds": 5},
                "lifecycle": {"preStop": {"sleep": {"seconds": 3}}}}],
                "tolerations": [{"key": "k", "effect": "NoSchedule"}],
                "volumes": [{"name": "d", "emptyDir": {}}, {"name": "pvc", "persistentVolumeClaim": {"claimName": "x"}}]},
            "status": {"phase": "Running", "podIP": "10.0.0.5", "startTime": "2025-12-31T23:59:00Z",
                "containerStatuses": [{"name": "c", "image": "busybox", "imageID": "", "ready": true, "restartCount": 2,
                    "state": {"running": {"startedAt": "2026-01-01T00:01:00Z"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-01-01T00:00:59Z"}}}]}
        }))
        .unwrap();
        let epoch = crate::time::DEFAULT_EPOCH_UNIX_MS;
        let m = pod(&p, epoch);
        assert_eq!(m.meta.creation_ms, Some(10_000));
        assert_eq!(m.meta.resource_version, 42);
        assert_eq!(m.spec.restart_policy, m::RestartPolicy::Never);
        let c = &m.spec.containers[0];
        assert_eq!(c.env[0].value, m::EnvValue::FieldRef("spec.nodeName".into()));
        assert_eq!(c.readiness_probe.as_ref().unwrap().period_seconds, 5);
        assert_eq!(c.pre_stop, Some(m::Handler::Sleep { seconds: 3 }));
        assert_eq!(m.spec.tolerations[0].operator, "Equal");
        assert_eq!(m.spec.volumes[1].source, m::VolumeSource::Other { kind: "persistentVolumeClaim".into() });
        assert_eq!(m.status.phase, m::Phase::Running);
        assert_eq!(m.status.start_ms, Some(0), "before the epoch: clamped");
        assert_eq!(m.status.qos_class, "BestEffort");
        let cs = &m.status.container_statuses[0];
        assert_eq!(cs.state, m::ContainerState::Running { started_ms: 60_000 });
        assert_eq!(cs.last_state.terminated().unwrap().finished_ms, 59_000);
        assert_eq!(m.source["spec"]["containers"][0]["name"], "c");
        assert!(m.source.get("status").is_none());
    }
}
