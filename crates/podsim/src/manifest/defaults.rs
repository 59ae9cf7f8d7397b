//! Apiserver defaulting on the typed objects, before validation, as
//! pkg/apis/core/v1/defaults.go (and scheduling/v1 for PriorityClass) does it, plus the few
//! create-time steps that also happen before validation: the namespace a client would send,
//! `generateName`, `stringData` folded into `data`, and a negative pod grace period becoming 1.
//!
//! Admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds) are not applied here:
//! they need cluster state and belong to the simulated apiserver.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, Container, HTTPGetAction, LifecycleHandler, Namespace, NamespaceStatus, Node, NodeStatus, Pod, PodSecurityContext, PodSpec,
    Probe, Secret, Service, ServiceSpec, Volume,
};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::ByteString;

use super::diagnostic::Severity;
use crate::api::PullPolicy;

/// A note produced while defaulting: how serious, the field path, and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Note {
    pub severity: Severity,
    pub path: String,
    pub message: String,
}

/// The pull policy the apiserver gives a container that sets none: `Always` for `:latest` or
/// no tag at all (digest-only references count as tagged), `IfNotPresent` otherwise, and also
/// `IfNotPresent` for a reference Docker's parser rejects.
pub fn default_image_pull_policy(image: &str) -> PullPolicy {
    match image_tag(image) {
        Some(tag) if tag == "latest" => PullPolicy::Always,
        _ => PullPolicy::IfNotPresent,
    }
}

/// The tag `parsers.ParseImageName` reports: the explicit tag, `latest` when neither tag nor
/// digest is given, `""` for digest-only, `None` for an unparsable reference.
fn image_tag(image: &str) -> Option<String> {
    if image.is_empty() || image.trim() != image {
        return None;
    }
    let (name_tag, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let (algo, hex) = d.split_once(':')?;
        if algo.is_empty() || hex.len() < 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
    }
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(i) => (name_tag.get(..last_slash + i)?, Some(name_tag.get(last_slash + i + 1..)?)),
        None => (name_tag, None),
    };
    if let Some(t) = tag {
        let b = t.as_bytes();
        let first_ok = b.first().is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if !first_ok || b.len() > 128 || !b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')) {
            return None;
        }
    }
    if !valid_repository(name) {
        return None;
    }
    Some(match (tag, digest) {
        (Some(t), _) => t.to_string(),
        (None, Some(_)) => String::new(),
        (None, None) => "latest".to_string(),
    })
}

/// Docker reference names: an optional registry (`host[:port]`), then lowercase path components.
fn valid_repository(name: &str) -> bool {
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 {
        let first = parts.first().copied().unwrap_or("");
        if first.contains('.') || first.contains(':') || first == "localhost" {
            let (host, port) = first.split_once(':').unwrap_or((first, ""));
            let host_ok = !host.is_empty() && host.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
            let port_ok = port.is_empty() && !first.ends_with(':') || port.bytes().all(|c| c.is_ascii_digit()) && !port.is_empty();
            if !host_ok || !port_ok {
                return false;
            }
            parts.remove(0);
        }
    }
    !parts.is_empty() && parts.iter().all(|p| valid_component(p))
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_component(p: &str) -> bool {
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let b = p.as_bytes();
    if !b.first().copied().is_some_and(alnum) || !b.last().copied().is_some_and(alnum) {
        return false;
    }
    // Split into runs of separators between alphanumeric runs; each run must be a valid one.
    let mut sep: Vec<u8> = Vec::new();
    for &c in b {
        if alnum(c) {
            if !sep.is_empty() {
                let ok = sep == b"." || sep == b"_" || sep == b"__" || sep.iter().all(|&x| x == b'-');
                if !ok {
                    return false;
                }
                sep.clear();
            }
        } else {
            sep.push(c);
        }
    }
    true
}

/// The namespace a client sends for a namespaced object without one.
fn default_namespace(meta: &mut ObjectMeta) {
    if meta.namespace.as_deref().unwrap_or("").is_empty() {
        meta.namespace = Some("default".to_string());
    }
}

/// Cluster-scoped objects: the registry clears any namespace before validating.
fn clear_namespace(meta: &mut ObjectMeta) {
    meta.namespace = None;
}

/// The registry's name generation for `generateName`: five characters from Kubernetes'
/// alphabet, derived from `seed` so the same input always gets the same name.
fn generate_name(meta: &mut ObjectMeta, seed: u64) {
    if !meta.name.as_deref().unwrap_or("").is_empty() {
        return;
    }
    let Some(prefix) = meta.generate_name.clone().filter(|p| !p.is_empty()) else {
        return;
    };
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    let mut suffix = String::new();
    for _ in 0..5 {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        let i = (x % ALPHABET.len() as u64) as usize;
        suffix.push(char::from(*ALPHABET.get(i).unwrap_or(&b'x')));
    }
    meta.name = Some(format!("{prefix}{suffix}"));
}

/// A stable 64-bit hash (FNV-1a) for deterministic generated names.
pub(crate) fn seed_of(text: &str, doc: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ doc as u64;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub(crate) fn pod(p: &mut Pod, seed: u64) -> Vec<Note> {
    let mut notes = Vec::new();
    default_namespace(&mut p.metadata);
    generate_name(&mut p.metadata, seed);
    let spec = p.spec.get_or_insert_with(PodSpec::default);
    // SetDefaults_Pod: requests from limits (regular and init containers), enableServiceLinks.
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        requests_from_limits(c);
    }
    if spec.enable_service_links.is_none() {
        spec.enable_service_links = Some(true);
    }
    if spec.host_network == Some(true) {
        for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
            for port in c.ports.iter_mut().flatten() {
                if port.host_port.unwrap_or(0) == 0 {
                    port.host_port = Some(port.container_port);
                }
            }
        }
    }
    // SetDefaults_PodSpec.
    if spec.dns_policy.as_deref().unwrap_or("").is_empty() {
        spec.dns_policy = Some("ClusterFirst".to_string());
    }
    if spec.restart_policy.as_deref().unwrap_or("").is_empty() {
        spec.restart_policy = Some("Always".to_string());
    }
    if spec.security_context.is_none() {
        spec.security_context = Some(PodSecurityContext::default());
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(30);
    }
    if spec.scheduler_name.as_deref().unwrap_or("").is_empty() {
        spec.scheduler_name = Some("default-scheduler".to_string());
    }
    // The v1 → internal conversion: the deprecated serviceAccount alias, and a negative grace
    // period treated as 1 (since v1.27), with the warning the apiserver returns.
    if spec.service_account_name.as_deref().unwrap_or("").is_empty() {
        if let Some(sa) = spec.service_account.clone().filter(|s| !s.is_empty()) {
            spec.service_account_name = Some(sa);
        }
    }
    if let Some(sa) = spec.service_account_name.clone().filter(|s| !s.is_empty()) {
        spec.service_account = Some(sa);
    }
    if spec.termination_grace_period_seconds.is_some_and(|g| g < 0) {
        notes.push(Note {
            severity: Severity::Warning,
            path: "spec.terminationGracePeriodSeconds".to_string(),
            message: "spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1".to_string(),
        });
        spec.termination_grace_period_seconds = Some(1);
    }
    for v in spec.volumes.iter_mut().flatten() {
        volume(v);
    }
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        container(c);
    }
    for c in spec.ephemeral_containers.iter_mut().flatten() {
        if c.image_pull_policy.as_deref().unwrap_or("").is_empty() {
            c.image_pull_policy = Some(default_image_pull_policy(c.image.as_deref().unwrap_or("")).as_str().to_string());
        }
        if c.termination_message_path.as_deref().unwrap_or("").is_empty() {
            c.termination_message_path = Some("/dev/termination-log".to_string());
        }
        if c.termination_message_policy.as_deref().unwrap_or("").is_empty() {
            c.termination_message_policy = Some("File".to_string());
        }
    }
    notes
}

fn requests_from_limits(c: &mut Container) {
    let Some(res) = c.resources.as_mut() else { return };
    let Some(limits) = res.limits.clone() else { return };
    let requests = res.requests.get_or_insert_with(BTreeMap::new);
    for (k, v) in limits {
        requests.entry(k).or_insert(v);
    }
}

fn container(c: &mut Container) {
    if c.image_pull_policy.as_deref().unwrap_or("").is_empty() {
        c.image_pull_policy = Some(default_image_pull_policy(c.image.as_deref().unwrap_or("")).as_str().to_string());
    }
    if c.termination_message_path.as_deref().unwrap_or("").is_empty() {
        c.termination_message_path = Some("/dev/termination-log".to_string());
    }
    if c.termination_message_policy.as_deref().unwrap_or("").is_empty() {
        c.termination_message_policy = Some("File".to_string());
    }
    for port in c.ports.iter_mut().flatten() {
        if port.protocol.as_deref().unwrap_or("").is_empty() {
            port.protocol = Some("TCP".to_string());
        }
    }
    for e in c.env.iter_mut().flatten() {
        if let Some(f) = e.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            if f.api_version.as_deref().unwrap_or("").is_empty() {
                f.api_version = Some("v1".to_string());
            }
        }
    }
    for p in [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe].into_iter().flatten() {
        probe(p);
    }
    if let Some(l) = c.lifecycle.as_mut() {
        for h in [&mut l.post_start, &mut l.pre_stop].into_iter().flatten() {
            handler(h);
        }
    }
}

/// SetDefaults_Probe (zero means unset) and SetDefaults_HTTPGetAction.
fn probe(p: &mut Probe) {
    for (field, default) in
        [(&mut p.timeout_seconds, 1), (&mut p.period_seconds, 10), (&mut p.success_threshold, 1), (&mut p.failure_threshold, 3)]
    {
        if field.unwrap_or(0) == 0 {
            *field = Some(default);
        }
    }
    if let Some(h) = p.http_get.as_mut() {
        http_get(h);
    }
}

fn handler(h: &mut LifecycleHandler) {
    if let Some(g) = h.http_get.as_mut() {
        http_get(g);
    }
}

fn http_get(h: &mut HTTPGetAction) {
    if h.path.as_deref().unwrap_or("").is_empty() {
        h.path = Some("/".to_string());
    }
    if h.scheme.as_deref().unwrap_or("").is_empty() {
        h.scheme = Some("HTTP".to_string());
    }
}

/// SetDefaults_Volume (no source → emptyDir) and the per-source defaults.
fn volume(v: &mut Volume) {
    let has_source = v.aws_elastic_block_store.is_some()
        || v.azure_disk.is_some()
        || v.azure_file.is_some()
        || v.cephfs.is_some()
        || v.cinder.is_some()
        || v.config_map.is_some()
        || v.csi.is_some()
        || v.downward_api.is_some()
        || v.empty_dir.is_some()
        || v.ephemeral.is_some()
        || v.fc.is_some()
        || v.flex_volume.is_some()
        || v.flocker.is_some()
        || v.gce_persistent_disk.is_some()
        || v.git_repo.is_some()
        || v.glusterfs.is_some()
        || v.host_path.is_some()
        || v.image.is_some()
        || v.iscsi.is_some()
        || v.nfs.is_some()
        || v.persistent_volume_claim.is_some()
        || v.photon_persistent_disk.is_some()
        || v.portworx_volume.is_some()
        || v.projected.is_some()
        || v.quobyte.is_some()
        || v.rbd.is_some()
        || v.scale_io.is_some()
        || v.secret.is_some()
        || v.storageos.is_some()
        || v.vsphere_volume.is_some();
    if !has_source {
        v.empty_dir = Some(Default::default());
    }
    if let Some(h) = v.host_path.as_mut() {
        if h.type_.is_none() {
            h.type_ = Some(String::new());
        }
    }
    if let Some(c) = v.config_map.as_mut() {
        c.default_mode.get_or_insert(0o644);
    }
    if let Some(s) = v.secret.as_mut() {
        s.default_mode.get_or_insert(0o644);
    }
    if let Some(d) = v.downward_api.as_mut() {
        d.default_mode.get_or_insert(0o644);
    }
    if let Some(p) = v.projected.as_mut() {
        p.default_mode.get_or_insert(0o644);
    }
}

/// What a Node without a full `status.capacity` is assumed to have: the default workers' size
/// (PRODUCT §1.2); 110 pods is also the kubelet's default `maxPods`.
const ASSUMED_CAPACITY: [(&str, &str); 3] = [("cpu", "4"), ("memory", "8Gi"), ("pods", "110")];

/// SetDefaults_NodeStatus (allocatable from capacity), after filling the capacity the
/// simulator needs to schedule anything: cpu, memory and pods the document leaves out.
pub(crate) fn node(n: &mut Node) -> Vec<Note> {
    clear_namespace(&mut n.metadata);
    let status = n.status.get_or_insert_with(NodeStatus::default);
    let capacity = status.capacity.get_or_insert_with(BTreeMap::new);
    let mut assumed = Vec::new();
    for (k, v) in ASSUMED_CAPACITY {
        if !capacity.contains_key(k) {
            capacity.insert(k.to_string(), Quantity(v.to_string()));
            assumed.push((k, v));
        }
    }
    match status.allocatable.as_mut() {
        None => status.allocatable = status.capacity.clone(),
        Some(alloc) => {
            for (k, v) in &assumed {
                alloc.entry(k.to_string()).or_insert_with(|| Quantity(v.to_string()));
            }
        }
    }
    if assumed.is_empty() {
        return Vec::new();
    }
    let names: Vec<&str> = assumed.iter().map(|(k, _)| *k).collect();
    let values: Vec<String> = assumed.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    vec![Note {
        severity: Severity::Info,
        path: "status.capacity".to_string(),
        message: format!(
            "status.capacity: no {} given; the simulator assumes {}, as on its default workers",
            names.join(", "),
            values.join(", ")
        ),
    }]
}

pub(crate) fn namespace(ns: &mut Namespace) {
    clear_namespace(&mut ns.metadata);
    let name = ns.metadata.name.clone().unwrap_or_default();
    ns.metadata.labels.get_or_insert_with(BTreeMap::new).insert("kubernetes.io/metadata.name".to_string(), name);
    let status = ns.status.get_or_insert_with(NamespaceStatus::default);
    if status.phase.as_deref().unwrap_or("").is_empty() {
        status.phase = Some("Active".to_string());
    }
}

pub(crate) fn service(s: &mut Service) {
    default_namespace(&mut s.metadata);
    let spec = s.spec.get_or_insert_with(ServiceSpec::default);
    if spec.session_affinity.as_deref().unwrap_or("").is_empty() {
        spec.session_affinity = Some("None".to_string());
    }
    if spec.session_affinity.as_deref() == Some("None") {
        spec.session_affinity_config = None;
    }
    if spec.type_.as_deref().unwrap_or("").is_empty() {
        spec.type_ = Some("ClusterIP".to_string());
    }
    for p in spec.ports.iter_mut().flatten() {
        if p.protocol.as_deref().unwrap_or("").is_empty() {
            p.protocol = Some("TCP".to_string());
        }
        let unset = match &p.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    let ty = spec.type_.clone().unwrap_or_default();
    let external = ty == "NodePort" || ty == "LoadBalancer";
    if external && spec.external_traffic_policy.as_deref().unwrap_or("").is_empty() {
        spec.external_traffic_policy = Some("Cluster".to_string());
    }
    if spec.internal_traffic_policy.is_none() && (external || ty == "ClusterIP") {
        spec.internal_traffic_policy = Some("Cluster".to_string());
    }
    if ty == "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_none() {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
}

pub(crate) fn priority_class(pc: &mut PriorityClass) {
    clear_namespace(&mut pc.metadata);
    if pc.preemption_policy.is_none() {
        pc.preemption_policy = Some("PreemptLowerPriority".to_string());
    }
}

pub(crate) fn config_map(cm: &mut ConfigMap) {
    default_namespace(&mut cm.metadata);
}

pub(crate) fn secret(s: &mut Secret) {
    default_namespace(&mut s.metadata);
    if s.type_.as_deref().unwrap_or("").is_empty() {
        s.type_ = Some("Opaque".to_string());
    }
    if let Some(string_data) = s.string_data.take() {
        let data = s.data.get_or_insert_with(BTreeMap::new);
        for (k, v) in string_data {
            data.insert(k, ByteString(v.into_bytes()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(default_image_pull_policy("nginx"), PullPolicy::Always);
        assert_eq!(default_image_pull_policy("nginx:latest"), PullPolicy::Always);
        assert_eq!(default_image_pull_policy("nginx:1.14.2"), PullPolicy::IfNotPresent);
        assert_eq!(default_image_pull_policy("cluster.k8s/kubia"), PullPolicy::Always);
        assert_eq!(default_image_pull_policy("localhost:5000/app"), PullPolicy::Always);
        assert_eq!(default_image_pull_policy("localhost:5000/app:v2"), PullPolicy::IfNotPresent);
        assert_eq!(default_image_pull_policy("www.myharbor.com/wangqihan/java-demo:v1"), PullPolicy::IfNotPresent);
        let digest = format!("busybox@sha256:{}", "a".repeat(64));
        assert_eq!(default_image_pull_policy(&digest), PullPolicy::IfNotPresent);
        let both = format!("busybox:latest@sha256:{}", "a".repeat(64));
        assert_eq!(default_image_pull_policy(&both), PullPolicy::Always);
        assert_eq!(default_image_pull_policy("Nginx"), PullPolicy::IfNotPresent);
        assert_eq!(default_image_pull_policy(""), PullPolicy::IfNotPresent);
        assert_eq!(default_image_pull_policy("a:b:c"), PullPolicy::IfNotPresent);
    }

    fn pod_from(v: serde_json::Value) -> Pod {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn pod_defaults() {
        let mut p = pod_from(json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx:1.25",
            "ports": [{"containerPort": 80}], "resources": {"limits": {"cpu": "1"}, "requests": {"memory": "1Gi"}},
            "livenessProbe": {"httpGet": {"port": 80}, "periodSeconds": 0}}]}}));
        let notes = pod(&mut p, 1);
        assert!(notes.is_empty());
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["metadata"]["namespace"], "default");
        let spec = &v["spec"];
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["dnsPolicy"], "ClusterFirst");
        assert_eq!(spec["schedulerName"], "default-scheduler");
        assert_eq!(spec["terminationGracePeriodSeconds"], 30);
        assert_eq!(spec["enableServiceLinks"], true);
        assert_eq!(spec["securityContext"], json!({}));
        let c = &spec["containers"][0];
        assert_eq!(c["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c["terminationMessagePolicy"], "File");
        assert_eq!(c["ports"][0]["protocol"], "TCP");
        assert_eq!(c["resources"]["requests"], json!({"cpu": "1", "memory": "1Gi"}));
        assert_eq!(
            c["livenessProbe"],
            json!({"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
        );
    }

    #[test]
    fn negative_grace_becomes_one_with_a_warning() {
        let mut p = pod_from(json!({"metadata": {"name": "p"}, "spec": {"terminationGracePeriodSeconds": -5, "containers": []}}));
        let notes = pod(&mut p, 1);
        assert_eq!(notes.len(), 1);
        assert_eq!(p.spec.unwrap().termination_grace_period_seconds, Some(1));
    }

    #[test]
    fn generate_name_is_deterministic() {
        let mut a = pod_from(json!({"metadata": {"generateName": "web-"}}));
        let mut b = a.clone();
        pod(&mut a, 7);
        pod(&mut b, 7);
        let name = a.metadata.name.clone().unwrap();
        assert_eq!(Some(name.clone()), b.metadata.name);
        assert!(name.starts_with("web-") && name.len() == 9, "{name}");
    }

    #[test]
    fn service_and_secret_defaults() {
        let mut s: Service = serde_json::from_value(
            json!({"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}, {"port": 81, "targetPort": "http"}]}}),
        )
        .unwrap();
        service(&mut s);
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["spec"]["type"], "ClusterIP");
        assert_eq!(v["spec"]["ports"][0], json!({"port": 80, "protocol": "TCP", "targetPort": 80}));
        assert_eq!(v["spec"]["ports"][1]["targetPort"], "http");
        let mut sec: Secret =
            serde_json::from_value(json!({"metadata": {"name": "s"}, "data": {"a": "eA=="}, "stringData": {"b": "y"}})).unwrap();
        secret(&mut sec);
        let d = sec.data.unwrap();
        assert_eq!(d["a"].0, b"x");
        assert_eq!(d["b"].0, b"y");
        assert_eq!(sec.type_.as_deref(), Some("Opaque"));
    }

    #[test]
    fn node_and_namespace_defaults() {
        let mut n: Node =
            serde_json::from_value(json!({"metadata": {"name": "n", "namespace": "x"}, "status": {"capacity": {"cpu": "2"}}})).unwrap();
        let notes = node(&mut n);
        assert_eq!(n.metadata.namespace, None);
        let alloc = n.status.unwrap().allocatable.unwrap();
        assert_eq!(alloc["cpu"].0, "2");
        assert_eq!(alloc["pods"].0, "110");
        assert_eq!(
            notes[0].message,
            "status.capacity: no memory, pods given; the simulator assumes memory: 8Gi, pods: 110, as on its default workers"
        );
        let mut ns: Namespace = serde_json::from_value(json!({"metadata": {"name": "custom-namespace"}})).unwrap();
        namespace(&mut ns);
        assert_eq!(ns.metadata.labels.unwrap()["kubernetes.io/metadata.name"], "custom-namespace");
        assert_eq!(ns.status.unwrap().phase.as_deref(), Some("Active"));
    }
}
