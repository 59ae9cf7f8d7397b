//! Apiserver validation of the defaulted typed objects, in the order and words of
//! pkg/apis/core/validation/validation.go (ValidatePodCreate, ValidateNode, ValidateService, …)
//! and apimachinery's ObjectMeta checks. Maps are visited in key order (Go's order is random),
//! so the output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    ConfigMap, Container, EnvFromSource, EnvVar, HTTPGetAction, KeyToPath, Lifecycle, LifecycleHandler, Namespace, Node, NodeSelector,
    NodeSelectorRequirement, NodeSelectorTerm, ObjectFieldSelector, Pod, PodSpec, Probe, ResourceFieldSelector, ResourceRequirements,
    Secret, Service, Toleration, Volume, VolumeMount,
};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::fielderr::{
    canonical_quantity, duplicate, duplicate_detail, forbidden, go_quote, invalid, invalid_num, invalid_str, not_found, not_supported,
    required, too_long, Bad, FieldError,
};
use super::names::{
    inclusive_range_error, is_config_map_key, is_dns1123_label, is_env_var_name, is_http_header_name, is_qualified_name,
    is_valid_label_value, is_valid_port_name, is_valid_port_num, name_is_dns1035_label, name_is_dns_label, name_is_dns_subdomain,
};
use super::path::{child, index, key};
use crate::quantity::Quantity;

type Errs = Vec<FieldError>;
type NameFn = fn(&str, bool) -> Vec<String>;

const NEGATIVE: &str = "must be greater than or equal to 0";
const MORE_THAN_ONE_HANDLER: &str = "may not specify more than 1 handler type";
const FILE_MODE: &str = "must be a number between 0 and 0777 (octal), both inclusive";
const NOT_FOR_INIT: &str = "may not be set for init containers without restartPolicy=Always";

fn s(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta (apimachinery ValidateObjectMetaAccessor).

fn object_meta(meta: &ObjectMeta, requires_namespace: bool, name_fn: NameFn, e: &mut Errs) {
    let generate = s(&meta.generate_name);
    if !generate.is_empty() {
        for m in name_fn(generate, true) {
            e.push(invalid_str("metadata.generateName", generate, &m));
        }
    }
    let name = s(&meta.name);
    if name.is_empty() {
        e.push(required("metadata.name", "name or generateName is required"));
    } else {
        for m in name_fn(name, false) {
            e.push(invalid_str("metadata.name", name, &m));
        }
    }
    let ns = s(&meta.namespace);
    if requires_namespace {
        if ns.is_empty() {
            e.push(required("metadata.namespace", ""));
        } else {
            for m in name_is_dns_label(ns, false) {
                e.push(invalid_str("metadata.namespace", ns, &m));
            }
        }
    } else if !ns.is_empty() {
        e.push(forbidden("metadata.namespace", "not allowed on this type"));
    }
    if let Some(g) = meta.generation.filter(|g| *g < 0) {
        e.push(invalid_num("metadata.generation", g, NEGATIVE));
    }
    labels(meta.labels.as_ref(), "metadata.labels", e);
    annotations(meta.annotations.as_ref(), "metadata.annotations", e);
}

/// `ValidateLabels`: every key a qualified name, every value a label value; the path is the map.
fn labels(map: Option<&BTreeMap<String, String>>, path: &str, e: &mut Errs) {
    for (k, v) in map.into_iter().flatten() {
        label_name(k, path, e);
        for m in is_valid_label_value(v) {
            e.push(invalid_str(path, v, &m));
        }
    }
}

fn label_name(k: &str, path: &str, e: &mut Errs) {
    for m in is_qualified_name(k) {
        e.push(invalid_str(path, k, &m));
    }
}

fn annotations(map: Option<&BTreeMap<String, String>>, path: &str, e: &mut Errs) {
    let mut size = 0usize;
    for (k, v) in map.into_iter().flatten() {
        for m in is_qualified_name(&k.to_lowercase()) {
            e.push(invalid_str(path, k, &m));
        }
        size = size.saturating_add(k.len()).saturating_add(v.len());
    }
    if size > 256 * 1024 {
        e.push(too_long(path, 256 * 1024));
    }
}

// ---------------------------------------------------------------------------------------------
// Pod.

/// `ValidatePodCreate`.
pub(crate) fn pod(p: &Pod) -> Errs {
    let mut e = Vec::new();
    object_meta(&p.metadata, true, name_is_dns_subdomain, &mut e);
    let empty = PodSpec::default();
    let spec = p.spec.as_ref().unwrap_or(&empty);
    pod_spec(spec, &mut e);
    for (list, path) in
        [(spec.containers.as_slice(), "spec.containers"), (spec.init_containers.as_deref().unwrap_or(&[]), "spec.initContainers")]
    {
        for (i, c) in list.iter().enumerate() {
            let image = s(&c.image);
            if image.trim().len() != image.len() {
                e.push(invalid_str(child(&index(path, i), "image"), image, "must not have leading or trailing whitespace"));
            }
        }
    }
    if spec.ephemeral_containers.as_ref().is_some_and(|v| !v.is_empty()) {
        e.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
    }
    if !s(&spec.node_name).is_empty() && spec.scheduling_gates.as_ref().is_some_and(|g| !g.is_empty()) {
        e.push(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
    }
    e
}

fn pod_spec(spec: &PodSpec, e: &mut Errs) {
    let grace = spec.termination_grace_period_seconds;
    if grace.is_none() {
        e.push(required("spec.terminationGracePeriodSeconds", ""));
    }
    let vols = volumes(spec.volumes.as_deref().unwrap_or(&[]), e);
    containers(&spec.containers, &vols, grace, e);
    init_containers(spec.init_containers.as_deref().unwrap_or(&[]), &spec.containers, &vols, grace, e);

    if spec.host_network == Some(true) {
        for (i, c) in spec.containers.iter().enumerate() {
            for (j, port) in c.ports.iter().flatten().enumerate() {
                let hp = port.host_port.unwrap_or(0);
                if hp != port.container_port {
                    let p = child(&index(&child(&index("spec.containers", i), "ports"), j), "hostPort");
                    e.push(invalid_num(p, i64::from(hp), "must match `containerPort` when `hostNetwork` is true"));
                }
            }
        }
    }
    match s(&spec.restart_policy) {
        "Always" | "OnFailure" | "Never" => {}
        "" => e.push(required("spec.restartPolicy", "")),
        other => e.push(not_supported("spec.restartPolicy", other, &["Always", "OnFailure", "Never"])),
    }
    let dns = s(&spec.dns_policy);
    match dns {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => e.push(required("spec.dnsPolicy", "")),
        other => e.push(not_supported("spec.dnsPolicy", other, &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])),
    }
    labels(spec.node_selector.as_ref(), "spec.nodeSelector", e);
    if let Some(na) = spec.affinity.as_ref().and_then(|a| a.node_affinity.as_ref()) {
        let p = "spec.affinity.nodeAffinity";
        if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
            node_selector(req, false, &child(p, "requiredDuringSchedulingIgnoredDuringExecution"), e);
        }
        let pref = child(p, "preferredDuringSchedulingIgnoredDuringExecution");
        for (i, t) in na.preferred_during_scheduling_ignored_during_execution.iter().flatten().enumerate() {
            if t.weight <= 0 || t.weight > 100 {
                e.push(invalid_num(child(&index(&pref, i), "weight"), i64::from(t.weight), "must be in the range 1-100"));
            }
            node_selector_term(&t.preference, true, &child(&index(&pref, i), "preference"), e);
        }
    }
    if dns == "None" {
        match &spec.dns_config {
            None => e.push(required("spec.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None")),
            Some(c) if c.nameservers.as_ref().is_none_or(Vec::is_empty) => {
                e.push(required("spec.dnsConfig.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None"));
            }
            Some(_) => {}
        }
    }
    for (i, g) in spec.readiness_gates.iter().flatten().enumerate() {
        for m in is_qualified_name(&g.condition_type) {
            e.push(invalid_str(child(&index("spec.readinessGates", i), "conditionType"), &g.condition_type, &m));
        }
    }
    let mut gates = BTreeSet::new();
    for (i, g) in spec.scheduling_gates.iter().flatten().enumerate() {
        let p = index("spec.schedulingGates", i);
        for m in is_qualified_name(&g.name) {
            e.push(invalid_str(p.clone(), &g.name, &m));
        }
        if !gates.insert(g.name.clone()) {
            e.push(duplicate(p, Bad::Str(g.name.clone())));
        }
    }
    for (field, path) in [(s(&spec.service_account_name), "spec.serviceAccountName"), (s(&spec.node_name), "spec.nodeName")] {
        if !field.is_empty() {
            for m in name_is_dns_subdomain(field, false) {
                e.push(invalid_str(path, field, &m));
            }
        }
    }
    if let Some(v) = spec.active_deadline_seconds {
        if !(1..=i64::from(i32::MAX)).contains(&v) {
            e.push(invalid_num("spec.activeDeadlineSeconds", v, &inclusive_range_error(1, i64::from(i32::MAX))));
        }
    }
    for (field, path) in [(s(&spec.hostname), "spec.hostname"), (s(&spec.subdomain), "spec.subdomain")] {
        if !field.is_empty() {
            for m in is_dns1123_label(field) {
                e.push(invalid_str(path, field, &m));
            }
        }
    }
    tolerations(spec.tolerations.as_deref().unwrap_or(&[]), "spec.tolerations", e);
    let pc = s(&spec.priority_class_name);
    if !pc.is_empty() {
        for m in name_is_dns_subdomain(pc, false) {
            e.push(invalid_str("spec.priorityClassName", pc, &m));
        }
    }
    if let Some(pp) = &spec.preemption_policy {
        preemption_policy(pp, "spec.preemptionPolicy", e);
    }
}

fn preemption_policy(pp: &str, path: &str, e: &mut Errs) {
    match pp {
        "PreemptLowerPriority" | "Never" => {}
        "" => e.push(required(path, "")),
        other => e.push(not_supported(path, other, &["PreemptLowerPriority", "Never"])),
    }
}

/// `ValidateVolumes`: returns the names of the volumes without errors (mounts may use those).
fn volumes(vols: &[Volume], e: &mut Errs) -> BTreeSet<String> {
    let mut ok = BTreeSet::new();
    for (i, v) in vols.iter().enumerate() {
        let idx = index("spec.volumes", i);
        let name_path = child(&idx, "name");
        let mut el = volume_source(v, &idx);
        if v.name.is_empty() {
            el.push(required(name_path.clone(), ""));
        } else {
            for m in is_dns1123_label(&v.name) {
                el.push(invalid_str(name_path.clone(), &v.name, &m));
            }
        }
        if ok.contains(&v.name) {
            el.push(duplicate(name_path, Bad::Str(v.name.clone())));
        }
        if el.is_empty() {
            ok.insert(v.name.clone());
        } else {
            e.extend(el);
        }
    }
    ok
}

fn volume_source(v: &Volume, idx: &str) -> Errs {
    let mut e = Vec::new();
    // The order and the (sometimes misspelled) path names of validateVolumeSource.
    let present: [(bool, &str); 30] = [
        (v.empty_dir.is_some(), "emptyDir"),
        (v.host_path.is_some(), "hostPath"),
        (v.git_repo.is_some(), "gitRepo"),
        (v.gce_persistent_disk.is_some(), "gcePersistentDisk"),
        (v.aws_elastic_block_store.is_some(), "awsElasticBlockStore"),
        (v.secret.is_some(), "secret"),
        (v.nfs.is_some(), "nfs"),
        (v.iscsi.is_some(), "iscsi"),
        (v.glusterfs.is_some(), "glusterfs"),
        (v.flocker.is_some(), "flocker"),
        (v.persistent_volume_claim.is_some(), "persistentVolumeClaim"),
        (v.rbd.is_some(), "rbd"),
        (v.cinder.is_some(), "cinder"),
        (v.cephfs.is_some(), "cephFS"),
        (v.quobyte.is_some(), "quobyte"),
        (v.downward_api.is_some(), "downwarAPI"),
        (v.fc.is_some(), "fc"),
        (v.flex_volume.is_some(), "flexVolume"),
        (v.config_map.is_some(), "configMap"),
        (v.azure_file.is_some(), "azureFile"),
        (v.vsphere_volume.is_some(), "vsphereVolume"),
        (v.photon_persistent_disk.is_some(), "photonPersistentDisk"),
        (v.portworx_volume.is_some(), "portworxVolume"),
        (v.azure_disk.is_some(), "azureDisk"),
        (v.storageos.is_some(), "storageos"),
        (v.projected.is_some(), "projected"),
        (v.scale_io.is_some(), "scaleIO"),
        (v.csi.is_some(), "csi"),
        (v.ephemeral.is_some(), "ephemeral"),
        (v.image.is_some(), "image"),
    ];
    let mut count = 0;
    for (is_set, name) in present {
        if !is_set {
            continue;
        }
        if count > 0 {
            e.push(forbidden(child(idx, name), "may not specify more than 1 volume type"));
            continue;
        }
        count += 1;
        match name {
            "emptyDir" => {
                let negative = v
                    .empty_dir
                    .as_ref()
                    .and_then(|d| d.size_limit.as_ref())
                    .and_then(|q| Quantity::parse(&q.0))
                    .is_some_and(|q| q.milli < 0);
                if negative {
                    e.push(forbidden(child(idx, "emptyDir.sizeLimit"), "SizeLimit field must be a valid resource quantity"));
                }
            }
            "hostPath" => {
                if let Some(h) = &v.host_path {
                    let p = child(idx, "hostPath");
                    if h.path.is_empty() {
                        e.push(required(child(&p, "path"), ""));
                    } else {
                        if h.path.split('/').any(|c| c == "..") {
                            e.push(invalid_str(child(&p, "path"), &h.path, "must not contain '..'"));
                        }
                        let t = s(&h.type_);
                        const TYPES: [&str; 8] =
                            ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];
                        if !TYPES.contains(&t) {
                            e.push(not_supported(child(&p, "type"), t, &TYPES));
                        }
                    }
                }
            }
            "secret" => {
                if let Some(sv) = &v.secret {
                    let p = child(idx, "secret");
                    if s(&sv.secret_name).is_empty() {
                        e.push(required(child(&p, "secretName"), ""));
                    }
                    file_mode(sv.default_mode, &child(&p, "defaultMode"), &mut e);
                    key_to_paths(sv.items.as_deref().unwrap_or(&[]), &child(&p, "items"), &mut e);
                }
            }
            "configMap" => {
                if let Some(c) = &v.config_map {
                    let p = child(idx, "configMap");
                    if c.name.is_empty() {
                        e.push(required(child(&p, "name"), ""));
                    }
                    file_mode(c.default_mode, &child(&p, "defaultMode"), &mut e);
                    key_to_paths(c.items.as_deref().unwrap_or(&[]), &child(&p, "items"), &mut e);
                }
            }
            "persistentVolumeClaim" if v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name.is_empty()) => {
                e.push(required(child(idx, "persistentVolumeClaim.claimName"), ""));
            }
            "nfs" => {
                if let Some(n) = &v.nfs {
                    let p = child(idx, "nfs");
                    if n.server.is_empty() {
                        e.push(required(child(&p, "server"), ""));
                    }
                    if n.path.is_empty() {
                        e.push(required(child(&p, "path"), ""));
                    }
                    if !n.path.starts_with('/') {
                        e.push(invalid_str(child(&p, "path"), &n.path, "must be an absolute path"));
                    }
                }
            }
            _ => {}
        }
    }
    if count == 0 {
        e.push(required(idx, "must specify a volume type"));
    }
    e
}

fn file_mode(mode: Option<i32>, path: &str, e: &mut Errs) {
    if let Some(m) = mode.filter(|m| !(0..=0o777).contains(m)) {
        e.push(invalid_num(path, i64::from(m), FILE_MODE));
    }
}

fn key_to_paths(items: &[KeyToPath], path: &str, e: &mut Errs) {
    for (i, kp) in items.iter().enumerate() {
        let p = index(path, i);
        if kp.key.is_empty() {
            e.push(required(child(&p, "key"), ""));
        }
        if kp.path.is_empty() {
            e.push(required(child(&p, "path"), ""));
        }
        local_non_reserved_path(&kp.path, &child(&p, "path"), e);
        file_mode(kp.mode, &child(&p, "mode"), e);
    }
}

fn local_descending_path(target: &str, path: &str, e: &mut Errs) {
    if target.starts_with('/') {
        e.push(invalid_str(path, target, "must be a relative path"));
    }
    if target.split('/').any(|c| c == "..") {
        e.push(invalid_str(path, target, "must not contain '..'"));
    }
}

fn local_non_reserved_path(target: &str, path: &str, e: &mut Errs) {
    local_descending_path(target, path, e);
    if target.starts_with("..") {
        e.push(invalid_str(path, target, "must not start with '..'"));
    }
}

/// `validateContainers` (regular containers).
fn containers(cs: &[Container], vols: &BTreeSet<String>, grace: Option<i64>, e: &mut Errs) {
    if cs.is_empty() {
        e.push(required("spec.containers", ""));
        return;
    }
    let mut names = BTreeSet::new();
    for (i, c) in cs.iter().enumerate() {
        let p = index("spec.containers", i);
        container_common(c, vols, &p, e);
        if !names.insert(c.name.clone()) {
            e.push(duplicate(child(&p, "name"), Bad::Str(c.name.clone())));
        }
        if let Some(l) = &c.lifecycle {
            lifecycle(l, grace, &child(&p, "lifecycle"), e);
        }
        liveness_or_startup(c.liveness_probe.as_ref(), grace, &child(&p, "livenessProbe"), e);
        readiness(c.readiness_probe.as_ref(), grace, &child(&p, "readinessProbe"), e);
        liveness_or_startup(c.startup_probe.as_ref(), grace, &child(&p, "startupProbe"), e);
        if c.restart_policy.is_some() {
            e.push(forbidden(child(&p, "restartPolicy"), "may not be set for non-init containers"));
        }
    }
    let all: Vec<&Container> = cs.iter().collect();
    host_port_conflicts(&all, "spec.containers", e);
}

/// `validateInitContainers`.
fn init_containers(ics: &[Container], regular: &[Container], vols: &BTreeSet<String>, grace: Option<i64>, e: &mut Errs) {
    let mut names: BTreeSet<String> = regular.iter().map(|c| c.name.clone()).collect();
    for (i, c) in ics.iter().enumerate() {
        let p = index("spec.initContainers", i);
        container_common(c, vols, &p, e);
        let mut always = false;
        if let Some(rp) = &c.restart_policy {
            if rp != "Always" {
                e.push(not_supported(child(&p, "restartPolicy"), rp, &["Always"]));
            }
            always = rp == "Always";
        }
        if names.contains(&c.name) {
            e.push(duplicate(child(&p, "name"), Bad::Str(c.name.clone())));
        } else if !c.name.is_empty() {
            names.insert(c.name.clone());
        }
        // Upstream checks each init container alone, so the index in these paths is always 0.
        host_port_conflicts(&[c], "spec.initContainers", e);
        if always {
            if let Some(l) = &c.lifecycle {
                lifecycle(l, grace, &child(&p, "lifecycle"), e);
            }
            liveness_or_startup(c.liveness_probe.as_ref(), grace, &child(&p, "livenessProbe"), e);
            readiness(c.readiness_probe.as_ref(), grace, &child(&p, "readinessProbe"), e);
            liveness_or_startup(c.startup_probe.as_ref(), grace, &child(&p, "startupProbe"), e);
        } else {
            for (set, field) in [
                (c.lifecycle.is_some(), "lifecycle"),
                (c.liveness_probe.is_some(), "livenessProbe"),
                (c.readiness_probe.is_some(), "readinessProbe"),
                (c.startup_probe.is_some(), "startupProbe"),
            ] {
                if set {
                    e.push(forbidden(child(&p, field), NOT_FOR_INIT));
                }
            }
        }
    }
}

fn container_common(c: &Container, vols: &BTreeSet<String>, p: &str, e: &mut Errs) {
    let name_path = child(p, "name");
    if c.name.is_empty() {
        e.push(required(name_path, ""));
    } else {
        for m in is_dns1123_label(&c.name) {
            e.push(invalid_str(name_path.clone(), &c.name, &m));
        }
    }
    if s(&c.image).is_empty() {
        e.push(required(child(p, "image"), ""));
    }
    match s(&c.termination_message_policy) {
        "File" | "FallbackToLogsOnError" => {}
        "" => e.push(required(child(p, "terminationMessagePolicy"), "")),
        other => e.push(not_supported(child(p, "terminationMessagePolicy"), other, &["File", "FallbackToLogsOnError"])),
    }
    ports(c, &child(p, "ports"), e);
    env(c.env.as_deref().unwrap_or(&[]), &child(p, "env"), e);
    env_from(c.env_from.as_deref().unwrap_or(&[]), &child(p, "envFrom"), e);
    volume_mounts(c.volume_mounts.as_deref().unwrap_or(&[]), vols, &child(p, "volumeMounts"), e);
    match s(&c.image_pull_policy) {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => e.push(required(child(p, "imagePullPolicy"), "")),
        other => e.push(not_supported(child(p, "imagePullPolicy"), other, &["Always", "IfNotPresent", "Never"])),
    }
    resources(c.resources.as_ref(), &child(p, "resources"), e);
}

fn ports(c: &Container, path: &str, e: &mut Errs) {
    let mut names = BTreeSet::new();
    for (i, port) in c.ports.iter().flatten().enumerate() {
        let idx = index(path, i);
        if let Some(n) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = is_valid_port_name(n);
            if !msgs.is_empty() {
                for m in msgs {
                    e.push(invalid_str(child(&idx, "name"), n, &m));
                }
            } else if !names.insert(n.to_string()) {
                e.push(duplicate(child(&idx, "name"), Bad::Str(n.to_string())));
            }
        }
        if port.container_port == 0 {
            e.push(required(child(&idx, "containerPort"), ""));
        } else {
            for m in is_valid_port_num(i64::from(port.container_port)) {
                e.push(invalid_num(child(&idx, "containerPort"), i64::from(port.container_port), &m));
            }
        }
        let hp = port.host_port.unwrap_or(0);
        if hp != 0 {
            for m in is_valid_port_num(i64::from(hp)) {
                e.push(invalid_num(child(&idx, "hostPort"), i64::from(hp), &m));
            }
        }
        match s(&port.protocol) {
            "TCP" | "UDP" | "SCTP" => {}
            "" => e.push(required(child(&idx, "protocol"), "")),
            other => e.push(not_supported(child(&idx, "protocol"), other, &["SCTP", "TCP", "UDP"])),
        }
    }
}

fn host_port_conflicts(cs: &[&Container], path: &str, e: &mut Errs) {
    let mut seen = BTreeSet::new();
    for (ci, c) in cs.iter().enumerate() {
        for (pi, port) in c.ports.iter().flatten().enumerate() {
            let hp = port.host_port.unwrap_or(0);
            if hp == 0 {
                continue;
            }
            let k = format!("{}/{}/{}", s(&port.protocol), s(&port.host_ip), hp);
            if !seen.insert(k.clone()) {
                e.push(duplicate(child(&index(&child(&index(path, ci), "ports"), pi), "hostPort"), Bad::Str(k)));
            }
        }
    }
}

const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

const RESOURCE_FIELD_PATHS: [&str; 6] =
    ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];

fn env(vars: &[EnvVar], path: &str, e: &mut Errs) {
    for (i, ev) in vars.iter().enumerate() {
        let idx = index(path, i);
        if ev.name.is_empty() {
            e.push(required(child(&idx, "name"), ""));
        } else {
            for m in is_env_var_name(&ev.name) {
                e.push(invalid_str(child(&idx, "name"), &ev.name, &m));
            }
        }
        let Some(vf) = &ev.value_from else { continue };
        let p = child(&idx, "valueFrom");
        let mut n = 0;
        if let Some(f) = &vf.field_ref {
            n += 1;
            object_field_selector(f, &child(&p, "fieldRef"), e);
        }
        if let Some(r) = &vf.resource_field_ref {
            n += 1;
            resource_field_selector(r, &child(&p, "resourceFieldRef"), e);
        }
        if let Some(c) = &vf.config_map_key_ref {
            n += 1;
            key_selector(&c.name, &c.key, &child(&p, "configMapKeyRef"), e);
        }
        if let Some(sk) = &vf.secret_key_ref {
            n += 1;
            key_selector(&sk.name, &sk.key, &child(&p, "secretKeyRef"), e);
        }
        if n == 0 {
            e.push(invalid_str(p, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        } else if !s(&ev.value).is_empty() {
            e.push(invalid_str(p, "", "may not be specified when `value` is not empty"));
        } else if n > 1 {
            e.push(invalid_str(p, "", "may not have more than one field specified at a time"));
        }
    }
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → (`metadata.labels`, `app`).
fn split_subscript(fp: &str) -> Option<(&str, &str)> {
    let inner = fp.strip_suffix("']")?;
    let (path, sub) = inner.split_once("['")?;
    if path.is_empty() {
        return None;
    }
    Some((path, sub))
}

fn object_field_selector(f: &ObjectFieldSelector, p: &str, e: &mut Errs) {
    let api = s(&f.api_version);
    if api.is_empty() {
        e.push(required(child(p, "apiVersion"), ""));
        return;
    }
    let fp = f.field_path.as_str();
    if fp.is_empty() {
        e.push(required(child(p, "fieldPath"), ""));
        return;
    }
    let fail = |e: &mut Errs, why: String| e.push(invalid_str(child(p, "fieldPath"), fp, &format!("error converting fieldPath: {why}")));
    if api != "v1" {
        fail(e, format!("unsupported pod version: {api}"));
        return;
    }
    if let Some((path, sub)) = split_subscript(fp) {
        match path {
            "metadata.annotations" => {
                for m in is_qualified_name(&sub.to_lowercase()) {
                    e.push(invalid_str(p, &sub.to_lowercase(), &m));
                }
            }
            "metadata.labels" => {
                for m in is_qualified_name(sub) {
                    e.push(invalid_str(p, sub, &m));
                }
            }
            _ => fail(e, format!("field label does not support subscript: {fp}")),
        }
        return;
    }
    let internal = match fp {
        "metadata.annotations"
        | "metadata.labels"
        | "metadata.name"
        | "metadata.namespace"
        | "metadata.uid"
        | "spec.nodeName"
        | "spec.restartPolicy"
        | "spec.serviceAccountName"
        | "spec.schedulerName"
        | "status.phase"
        | "status.hostIP"
        | "status.hostIPs"
        | "status.podIP"
        | "status.podIPs" => fp,
        "spec.host" => "spec.nodeName",
        _ => {
            fail(e, format!("field label not supported: {fp}"));
            return;
        }
    };
    if !ENV_FIELD_PATHS.contains(&internal) {
        e.push(not_supported(child(p, "fieldPath"), internal, &ENV_FIELD_PATHS));
    }
}

fn resource_field_selector(r: &ResourceFieldSelector, p: &str, e: &mut Errs) {
    let res = r.resource.as_str();
    if res.is_empty() {
        e.push(required(child(p, "resource"), ""));
    } else if !RESOURCE_FIELD_PATHS.contains(&res) && !res.starts_with("requests.hugepages-") && !res.starts_with("limits.hugepages-") {
        e.push(not_supported(child(p, "resource"), res, &RESOURCE_FIELD_PATHS));
    }
    let Some(d) = r.divisor.as_ref().and_then(|d| Quantity::parse(&d.0)).filter(|d| d.milli != 0) else { return };
    let text = canonical_quantity(&d.text, d.milli);
    let (allowed, what): (&[&str], &str) = match res {
        "limits.cpu" | "requests.cpu" => (&["1m", "1"], "only divisor's values 1m and 1 are supported with the cpu resource"),
        "limits.memory" | "requests.memory" => (&BYTE_DIVISORS, "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource"),
        "limits.ephemeral-storage" | "requests.ephemeral-storage" => (
            &BYTE_DIVISORS,
            "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource",
        ),
        _ => return,
    };
    if !allowed.contains(&text.as_str()) {
        e.push(invalid_str(child(p, "divisor"), res, what));
    }
}

const BYTE_DIVISORS: [&str; 13] = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];

fn key_selector(name: &str, k: &str, p: &str, e: &mut Errs) {
    for m in name_is_dns_subdomain(name, false) {
        e.push(invalid_str(child(p, "name"), name, &m));
    }
    if k.is_empty() {
        e.push(required(child(p, "key"), ""));
    } else {
        for m in is_config_map_key(k) {
            e.push(invalid_str(child(p, "key"), k, &m));
        }
    }
}

fn env_from(list: &[EnvFromSource], path: &str, e: &mut Errs) {
    for (i, ev) in list.iter().enumerate() {
        let idx = index(path, i);
        let prefix = s(&ev.prefix);
        if !prefix.is_empty() {
            for m in is_env_var_name(prefix) {
                e.push(invalid_str(child(&idx, "prefix"), prefix, &m));
            }
        }
        let mut n = 0;
        for (name, field) in [
            (ev.config_map_ref.as_ref().map(|r| r.name.as_str()), "configMapRef"),
            (ev.secret_ref.as_ref().map(|r| r.name.as_str()), "secretRef"),
        ] {
            let Some(name) = name else { continue };
            n += 1;
            let p = child(&child(&idx, field), "name");
            if name.is_empty() {
                e.push(required(p, ""));
            } else {
                for m in name_is_dns_subdomain(name, true) {
                    e.push(invalid_str(p.clone(), name, &m));
                }
            }
        }
        if n == 0 {
            e.push(invalid_str(path, "", "must specify one of: `configMapRef` or `secretRef`"));
        } else if n > 1 {
            e.push(invalid_str(path, "", "may not have more than one field specified at a time"));
        }
    }
}

fn volume_mounts(mounts: &[VolumeMount], vols: &BTreeSet<String>, path: &str, e: &mut Errs) {
    let mut points = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let idx = index(path, i);
        if m.name.is_empty() {
            e.push(required(child(&idx, "name"), ""));
        }
        if !vols.contains(&m.name) {
            e.push(not_found(child(&idx, "name"), &m.name));
        }
        if m.mount_path.is_empty() {
            e.push(required(child(&idx, "mountPath"), ""));
        }
        if !points.insert(m.mount_path.clone()) {
            e.push(invalid_str(child(&idx, "mountPath"), &m.mount_path, "must be unique"));
        }
        // Upstream reports these on the list's path, not the item's.
        let sub = s(&m.sub_path);
        if !sub.is_empty() {
            let mut el = Vec::new();
            local_descending_path(sub, &child(path, "subPath"), &mut el);
            e.extend(el.into_iter().map(|x| x.located_at(child(&idx, "subPath"))));
        }
        let expr = s(&m.sub_path_expr);
        if !expr.is_empty() {
            if !sub.is_empty() {
                e.push(invalid_str(child(&idx, "subPathExpr"), expr, "subPathExpr and subPath are mutually exclusive"));
            }
            let mut el = Vec::new();
            local_descending_path(expr, &child(path, "subPathExpr"), &mut el);
            e.extend(el.into_iter().map(|x| x.located_at(child(&idx, "subPathExpr"))));
        }
    }
}

// Resource names (pkg/apis/core/helper).
const STANDARD_RESOURCES: [&str; 18] = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "persistentvolumeclaims",
    "configmaps",
    "services.nodeports",
    "services.loadbalancers",
];
const INTEGER_RESOURCES: [&str; 9] = [
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_extended(name: &str) -> bool {
    if is_native(name) || name.starts_with("requests.") {
        return false;
    }
    is_qualified_name(&format!("requests.{name}")).is_empty()
}

fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

fn is_integer_resource(name: &str) -> bool {
    INTEGER_RESOURCES.contains(&name) || is_extended(name)
}

/// `validateContainerResourceName` (resource names print unquoted: they have `String()`).
fn container_resource_name(name: &str, path: &str, e: &mut Errs) {
    let bad = |detail: &str| invalid(path, Bad::Raw(name.to_string()), detail);
    let qualified = is_qualified_name(name);
    let mut el: Errs = qualified.iter().map(|m| bad(m)).collect();
    if el.is_empty()
        && !name.contains('/')
        && !(STANDARD_RESOURCES.contains(&name) || is_hugepages(name) || name.starts_with("requests.hugepages-"))
    {
        el.push(bad("must be a standard resource type or fully qualified"));
    }
    if !name.contains('/') {
        if !(matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepages(name)) {
            el.push(bad("must be a standard resource for containers"));
        }
    } else if !is_native(name) && !is_extended(name) {
        el.push(bad("doesn't follow extended resource name standard"));
    }
    e.extend(el);
}

/// `ValidateResourceQuantityValue`.
fn quantity_value(name: &str, q: &Quantity, path: &str, e: &mut Errs) {
    let text = canonical_quantity(&q.text, q.milli);
    if q.milli < 0 {
        e.push(invalid_str(path, &text, NEGATIVE));
    }
    if is_integer_resource(name) && q.milli % 1000 != 0 {
        e.push(invalid(path, Bad::Raw(text), "must be an integer"));
    }
}

fn resources(r: Option<&ResourceRequirements>, p: &str, e: &mut Errs) {
    let Some(r) = r else { return };
    let lim_path = child(p, "limits");
    let req_path = child(p, "requests");
    let (mut lim_cm, mut req_cm, mut lim_hp, mut req_hp) = (false, false, false, false);
    let limits: BTreeMap<&str, Quantity> =
        r.limits.iter().flatten().filter_map(|(k, v)| Quantity::parse(&v.0).map(|q| (k.as_str(), q))).collect();
    for name in r.limits.iter().flatten().map(|(k, _)| k.as_str()) {
        let fld = key(&lim_path, name);
        container_resource_name(name, &fld, e);
        if let Some(q) = limits.get(name) {
            quantity_value(name, q, &fld, e);
        }
        lim_hp |= is_hugepages(name);
        lim_cm |= name == "cpu" || name == "memory";
    }
    for (name, raw) in r.requests.iter().flatten() {
        let fld = key(&req_path, name);
        container_resource_name(name, &fld, e);
        let Some(q) = Quantity::parse(&raw.0) else { continue };
        quantity_value(name, &q, &fld, e);
        let qs = canonical_quantity(&q.text, q.milli);
        match limits.get(name.as_str()) {
            Some(lim) => {
                let ls = canonical_quantity(&lim.text, lim.milli);
                if q.milli != lim.milli && !overcommit_allowed(name) {
                    e.push(invalid_str(req_path.clone(), &qs, &format!("must be equal to {name} limit of {ls}")));
                } else if q.milli > lim.milli {
                    e.push(invalid_str(req_path.clone(), &qs, &format!("must be less than or equal to {name} limit of {ls}")));
                }
            }
            None => {
                if !overcommit_allowed(name) {
                    e.push(required(lim_path.clone(), "Limit must be set for non overcommitable resources"));
                }
            }
        }
        req_hp |= is_hugepages(name);
        req_cm |= name == "cpu" || name == "memory";
    }
    if !lim_cm && !req_cm && (req_hp || lim_hp) {
        e.push(forbidden(p, "HugePages require cpu or memory"));
    }
}

fn liveness_or_startup(p: Option<&Probe>, grace: Option<i64>, path: &str, e: &mut Errs) {
    let Some(p) = p else { return };
    probe(p, grace, path, e);
    let st = p.success_threshold.unwrap_or(0);
    if st != 1 {
        e.push(invalid_num(child(path, "successThreshold"), i64::from(st), "must be 1"));
    }
}

fn readiness(p: Option<&Probe>, grace: Option<i64>, path: &str, e: &mut Errs) {
    let Some(p) = p else { return };
    probe(p, grace, path, e);
    if let Some(t) = p.termination_grace_period_seconds {
        e.push(invalid_num(child(path, "terminationGracePeriodSeconds"), t, "must not be set for readinessProbes"));
    }
}

fn probe(p: &Probe, grace: Option<i64>, path: &str, e: &mut Errs) {
    let handler = Handler {
        exec: p.exec.as_ref().map(|x| x.command.as_deref().unwrap_or(&[]).is_empty()),
        http_get: p.http_get.as_ref(),
        tcp_port: p.tcp_socket.as_ref().map(|t| &t.port),
        grpc_port: p.grpc.as_ref().map(|g| g.port),
        sleep: None,
    };
    validate_handler(&handler, grace, path, e);
    for (v, field) in [
        (p.initial_delay_seconds, "initialDelaySeconds"),
        (p.timeout_seconds, "timeoutSeconds"),
        (p.period_seconds, "periodSeconds"),
        (p.success_threshold, "successThreshold"),
        (p.failure_threshold, "failureThreshold"),
    ] {
        if let Some(v) = v.filter(|v| *v < 0) {
            e.push(invalid_num(child(path, field), i64::from(v), NEGATIVE));
        }
    }
    if let Some(t) = p.termination_grace_period_seconds.filter(|t| *t <= 0) {
        e.push(invalid_num(child(path, "terminationGracePeriodSeconds"), t, "must be greater than 0"));
    }
}

/// The handler kinds a probe or hook sets (`exec` holds "command is empty").
struct Handler<'a> {
    exec: Option<bool>,
    http_get: Option<&'a HTTPGetAction>,
    tcp_port: Option<&'a IntOrString>,
    grpc_port: Option<i32>,
    sleep: Option<i64>,
}

fn lifecycle(l: &Lifecycle, grace: Option<i64>, path: &str, e: &mut Errs) {
    for (h, field) in [(&l.post_start, "postStart"), (&l.pre_stop, "preStop")] {
        if let Some(h) = h {
            validate_handler(&lifecycle_handler(h), grace, &child(path, field), e);
        }
    }
}

fn lifecycle_handler(h: &LifecycleHandler) -> Handler<'_> {
    Handler {
        exec: h.exec.as_ref().map(|x| x.command.as_deref().unwrap_or(&[]).is_empty()),
        http_get: h.http_get.as_ref(),
        tcp_port: h.tcp_socket.as_ref().map(|t| &t.port),
        grpc_port: None,
        sleep: h.sleep.as_ref().map(|s| s.seconds),
    }
}

fn validate_handler(h: &Handler<'_>, grace: Option<i64>, path: &str, e: &mut Errs) {
    let mut n = 0;
    if let Some(empty) = h.exec {
        n += 1;
        if empty {
            e.push(required(child(path, "exec.command"), ""));
        }
    }
    if let Some(g) = h.http_get {
        if n > 0 {
            e.push(forbidden(child(path, "httpGet"), MORE_THAN_ONE_HANDLER));
        } else {
            n += 1;
            let p = child(path, "httpGet");
            if s(&g.path).is_empty() {
                e.push(required(child(&p, "path"), ""));
            }
            port_num_or_name(&g.port, &child(&p, "port"), e);
            let scheme = s(&g.scheme);
            if scheme != "HTTP" && scheme != "HTTPS" {
                e.push(not_supported(child(&p, "scheme"), scheme, &["HTTP", "HTTPS"]));
            }
            for header in g.http_headers.iter().flatten() {
                for m in is_http_header_name(&header.name) {
                    e.push(invalid_str(child(&p, "httpHeaders"), &header.name, &m));
                }
            }
        }
    }
    if let Some(port) = h.tcp_port {
        if n > 0 {
            e.push(forbidden(child(path, "tcpSocket"), MORE_THAN_ONE_HANDLER));
        } else {
            n += 1;
            port_num_or_name(port, &child(path, "tcpSocket.port"), e);
        }
    }
    if let Some(port) = h.grpc_port {
        if n > 0 {
            e.push(forbidden(child(path, "grpc"), MORE_THAN_ONE_HANDLER));
        } else {
            n += 1;
            port_num_or_name(&IntOrString::Int(port), &child(path, "grpc.port"), e);
        }
    }
    if let Some(secs) = h.sleep {
        if n > 0 {
            e.push(forbidden(child(path, "sleep"), MORE_THAN_ONE_HANDLER));
        } else {
            n += 1;
            if let Some(g) = grace {
                if secs < 0 || secs > g {
                    e.push(invalid_num(
                        child(path, "sleep"),
                        secs,
                        &format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
                    ));
                }
            }
        }
    }
    if n == 0 {
        e.push(required(path, "must specify a handler type"));
    }
}

fn port_num_or_name(port: &IntOrString, path: &str, e: &mut Errs) {
    match port {
        IntOrString::Int(n) => {
            for m in is_valid_port_num(i64::from(*n)) {
                e.push(invalid_num(path, i64::from(*n), &m));
            }
        }
        IntOrString::String(name) => {
            for m in is_valid_port_name(name) {
                e.push(invalid_str(path, name, &m));
            }
        }
    }
}

fn node_selector(ns: &NodeSelector, allow_invalid_values: bool, p: &str, e: &mut Errs) {
    let terms = child(p, "nodeSelectorTerms");
    if ns.node_selector_terms.is_empty() {
        e.push(required(terms, "must have at least one node selector term"));
        return;
    }
    for (i, t) in ns.node_selector_terms.iter().enumerate() {
        node_selector_term(t, allow_invalid_values, &index(&terms, i), e);
    }
}

fn node_selector_term(t: &NodeSelectorTerm, allow_invalid_values: bool, p: &str, e: &mut Errs) {
    for (j, r) in t.match_expressions.iter().flatten().enumerate() {
        node_selector_requirement(r, allow_invalid_values, &index(&child(p, "matchExpressions"), j), e);
    }
    for (j, r) in t.match_fields.iter().flatten().enumerate() {
        let p = index(&child(p, "matchFields"), j);
        let values = r.values.as_deref().unwrap_or(&[]);
        match r.operator.as_str() {
            "In" | "NotIn" => {
                if values.len() != 1 {
                    e.push(required(
                        child(&p, "values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                    ));
                }
            }
            other => e.push(invalid_str(child(&p, "operator"), other, "not a valid selector operator")),
        }
        if r.key != "metadata.name" {
            e.push(invalid_str(child(&p, "key"), &r.key, "not a valid field selector key"));
        } else {
            for (i, v) in values.iter().enumerate() {
                for m in name_is_dns_subdomain(v, false) {
                    e.push(invalid_str(index(&child(&p, "values"), i), v, &m));
                }
            }
        }
    }
}

fn node_selector_requirement(r: &NodeSelectorRequirement, allow_invalid_values: bool, p: &str, e: &mut Errs) {
    let values = r.values.as_deref().unwrap_or(&[]);
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if values.is_empty() {
                e.push(required(child(p, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                e.push(forbidden(child(p, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
            }
        }
        "Gt" | "Lt" => {
            if values.len() != 1 {
                e.push(required(child(p, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
            }
        }
        other => e.push(invalid_str(child(p, "operator"), other, "not a valid selector operator")),
    }
    label_name(&r.key, &child(p, "key"), e);
    if !allow_invalid_values {
        for (i, v) in values.iter().enumerate() {
            for m in is_valid_label_value(v) {
                e.push(invalid_str(index(&child(p, "values"), i), v, &m));
            }
        }
    }
}

fn taint_effect(effect: &str, allow_empty: bool, p: &str, e: &mut Errs) {
    if !allow_empty && effect.is_empty() {
        e.push(required(p, ""));
        return;
    }
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        e.push(not_supported(p, effect, &["NoSchedule", "PreferNoSchedule", "NoExecute"]));
    }
}

fn tolerations(ts: &[Toleration], path: &str, e: &mut Errs) {
    for (i, t) in ts.iter().enumerate() {
        let idx = index(path, i);
        let k = s(&t.key);
        let op = s(&t.operator);
        let effect = s(&t.effect);
        let value = s(&t.value);
        if !k.is_empty() {
            label_name(k, &child(&idx, "key"), e);
        }
        if k.is_empty() && op != "Exists" {
            e.push(invalid_str(
                child(&idx, "operator"),
                op,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            e.push(invalid_str(child(&idx, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
        }
        match op {
            "Equal" | "" => {
                let errs = is_valid_label_value(value);
                if !errs.is_empty() {
                    e.push(invalid_str(child(&idx, "operator"), value, &errs.join(";")));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    e.push(invalid_str(child(&idx, "operator"), value, "value must be empty when `operator` is 'Exists'"));
                }
            }
            other => e.push(not_supported(child(&idx, "operator"), other, &["Equal", "Exists"])),
        }
        if !effect.is_empty() {
            taint_effect(effect, true, &child(&idx, "effect"), e);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Other kinds.

/// `ValidateNode` (creation).
pub(crate) fn node(n: &Node) -> Errs {
    let mut e = Vec::new();
    object_meta(&n.metadata, false, name_is_dns_subdomain, &mut e);
    let mut unique: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, t) in n.spec.as_ref().and_then(|s| s.taints.as_ref()).into_iter().flatten().enumerate() {
        // Upstream validates node taints under `metadata.taints`.
        let idx = index("metadata.taints", i);
        let loc = index("spec.taints", i);
        let mut el = Vec::new();
        label_name(&t.key, &child(&idx, "key"), &mut el);
        let value = s(&t.value);
        let errs = is_valid_label_value(value);
        if !errs.is_empty() {
            el.push(invalid_str(child(&idx, "value"), value, &errs.join(";")));
        }
        taint_effect(&t.effect, false, &child(&idx, "effect"), &mut el);
        let relocate = |x: FieldError| {
            let at = x.path.replacen("metadata.taints", "spec.taints", 1);
            x.located_at(at)
        };
        e.extend(el.into_iter().map(relocate));
        if !unique.insert((t.effect.clone(), t.key.clone())) {
            let shown = format!(
                "core.Taint{{Key:{}, Value:{}, Effect:{}, TimeAdded:{}}}",
                go_quote(&t.key),
                go_quote(value),
                go_quote(&t.effect),
                if t.time_added.is_some() { "(*v1.Time)(…)" } else { "(*v1.Time)(nil)" }
            );
            e.push(duplicate_detail(idx, Bad::Raw(shown), "taints must be unique by key and effect pair").located_at(loc));
        }
    }
    let status = n.status.as_ref();
    for (list, field) in
        [(status.and_then(|s| s.capacity.as_ref()), "capacity"), (status.and_then(|s| s.allocatable.as_ref()), "allocatable")]
    {
        for (k, v) in list.into_iter().flatten() {
            if let Some(q) = Quantity::parse(&v.0) {
                quantity_value(k, &q, &child(&child("status", field), k), &mut e);
            }
        }
    }
    e
}

pub(crate) fn namespace(ns: &Namespace) -> Errs {
    let mut e = Vec::new();
    object_meta(&ns.metadata, false, name_is_dns_label, &mut e);
    e
}

/// `ValidateService` for the fields the simulator reads (ports, selector, type, cluster IP).
pub(crate) fn service(svc: &Service) -> Errs {
    let mut e = Vec::new();
    object_meta(&svc.metadata, true, name_is_dns1035_label, &mut e);
    let empty = Default::default();
    let spec = svc.spec.as_ref().unwrap_or(&empty);
    let ty = s(&spec.type_);
    let headless = s(&spec.cluster_ip) == "None";
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if ports.is_empty() && !headless && ty != "ExternalName" {
        e.push(required("spec.ports", ""));
    }
    if ty == "ExternalName" {
        let cname = s(&spec.external_name).trim_end_matches('.');
        if cname.is_empty() {
            e.push(required("spec.externalName", ""));
        } else {
            for m in super::names::is_dns1123_subdomain(cname) {
                e.push(invalid_str("spec.externalName", cname, &m));
            }
        }
    }
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let idx = index("spec.ports", i);
        let name = s(&p.name);
        if ports.len() > 1 && name.is_empty() {
            e.push(required(child(&idx, "name"), ""));
        } else if !name.is_empty() {
            for m in is_dns1123_label(name) {
                e.push(invalid_str(child(&idx, "name"), name, &m));
            }
            if !names.insert(name.to_string()) {
                e.push(duplicate(child(&idx, "name"), Bad::Str(name.to_string())));
            }
        }
        for m in is_valid_port_num(i64::from(p.port)) {
            e.push(invalid_num(child(&idx, "port"), i64::from(p.port), &m));
        }
        match s(&p.protocol) {
            "TCP" | "UDP" | "SCTP" => {}
            "" => e.push(required(child(&idx, "protocol"), "")),
            other => e.push(not_supported(child(&idx, "protocol"), other, &["SCTP", "TCP", "UDP"])),
        }
        if let Some(tp) = &p.target_port {
            port_num_or_name(tp, &child(&idx, "targetPort"), &mut e);
        }
    }
    if let Some(sel) = &spec.selector {
        labels(Some(sel), "spec.selector", &mut e);
    }
    match s(&spec.session_affinity) {
        "ClientIP" | "None" => {}
        "" => e.push(required("spec.sessionAffinity", "")),
        other => e.push(not_supported("spec.sessionAffinity", other, &["ClientIP", "None"])),
    }
    match ty {
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort" => {}
        "" => e.push(required("spec.type", "")),
        other => e.push(not_supported("spec.type", other, &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"])),
    }
    if ty == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.node_port.unwrap_or(0) != 0 {
                e.push(forbidden(child(&index("spec.ports", i), "nodePort"), "may not be used when `type` is 'ClusterIP'"));
            }
        }
    }
    let mut node_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let np = p.node_port.unwrap_or(0);
        if np != 0 && !node_ports.insert((s(&p.protocol).to_string(), np)) {
            e.push(duplicate(child(&index("spec.ports", i), "nodePort"), Bad::Num(i64::from(np))));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        if !seen.insert((s(&p.protocol).to_string(), p.port)) {
            let shown = format!(
                "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                go_quote(s(&p.protocol)),
                p.port
            );
            e.push(duplicate(index("spec.ports", i), Bad::Raw(shown)));
        }
    }
    e
}

/// scheduling/validation `ValidatePriorityClass`.
pub(crate) fn priority_class(pc: &PriorityClass) -> Errs {
    let mut e = Vec::new();
    object_meta(&pc.metadata, false, name_is_dns_subdomain, &mut e);
    let name = s(&pc.metadata.name);
    if name.starts_with("system-") {
        let known = [("system-node-critical", 2_000_001_000), ("system-cluster-critical", 2_000_000_000)];
        let why = match known.iter().find(|(n, _)| *n == name) {
            None => Some(format!("{name} is not a known system priority class")),
            Some((_, v)) if *v != pc.value => Some(format!("value of {name} PriorityClass must be {v}")),
            Some(_) if pc.global_default == Some(true) => Some(format!("globalDefault of {name} PriorityClass must be false")),
            Some(_) => None,
        };
        if let Some(why) = why {
            e.push(forbidden(
                "metadata.name",
                &format!("priority class names with 'system-' prefix are reserved for system use only. error: {why}"),
            ));
        }
    } else if pc.value > 1_000_000_000 {
        e.push(forbidden("value", "maximum allowed value of a user defined priority is 1000000000"));
    }
    if let Some(pp) = &pc.preemption_policy {
        preemption_policy(pp, "preemptionPolicy", &mut e);
    }
    e
}

pub(crate) fn config_map(cm: &ConfigMap) -> Errs {
    let mut e = Vec::new();
    object_meta(&cm.metadata, true, name_is_dns_subdomain, &mut e);
    let mut size = 0usize;
    for (k, v) in cm.data.iter().flatten() {
        for m in is_config_map_key(k) {
            e.push(invalid_str(key("data", k), k, &m));
        }
        if cm.binary_data.as_ref().is_some_and(|b| b.contains_key(k)) {
            e.push(invalid_str(key("data", k), k, "duplicate of key present in binaryData"));
        }
        size = size.saturating_add(v.len());
    }
    for (k, v) in cm.binary_data.iter().flatten() {
        for m in is_config_map_key(k) {
            e.push(invalid_str(key("binaryData", k), k, &m));
        }
        size = size.saturating_add(v.0.len());
    }
    if size > 1024 * 1024 {
        e.push(too_long("", 1024 * 1024));
    }
    e
}

pub(crate) fn secret(sec: &Secret) -> Errs {
    let mut e = Vec::new();
    object_meta(&sec.metadata, true, name_is_dns_subdomain, &mut e);
    let data = sec.data.as_ref();
    let mut size = 0usize;
    for (k, v) in data.into_iter().flatten() {
        for m in is_config_map_key(k) {
            e.push(invalid_str(key("data", k), k, &m));
        }
        size = size.saturating_add(v.0.len());
    }
    if size > 1024 * 1024 {
        e.push(too_long("data", 1024 * 1024));
    }
    let has = |k: &str| data.is_some_and(|d| d.contains_key(k));
    match s(&sec.type_) {
        "kubernetes.io/service-account-token"
            if sec.metadata.annotations.as_ref().and_then(|a| a.get("kubernetes.io/service-account.name")).is_none_or(String::is_empty) =>
        {
            e.push(required(key("metadata.annotations", "kubernetes.io/service-account.name"), ""));
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => e.push(required(key("data", ".dockercfg"), "")),
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => e.push(required(key("data", ".dockerconfigjson"), "")),
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            e.push(required(key("data", "username"), ""));
            e.push(required(key("data", "password"), ""));
        }
        "kubernetes.io/ssh-auth" if data.and_then(|d| d.get("ssh-privatekey")).is_none_or(|v| v.0.is_empty()) => {
            e.push(required(key("data", "ssh-privatekey"), ""));
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                e.push(required(key("data", "tls.crt"), ""));
            }
            if !has("tls.key") {
                e.push(required(key("data", "tls.key"), ""));
            }
        }
        _ => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod_errors(v: serde_json::Value) -> Vec<String> {
        let mut p: Pod = serde_json::from_value(v).unwrap();
        super::super::defaults::pod(&mut p, 0);
        pod(&p).iter().map(FieldError::message).collect()
    }

    fn with_containers(c: serde_json::Value) -> serde_json::Value {
        json!({"metadata": {"name": "p"}, "spec": {"containers": c}})
    }

    #[test]
    fn valid_pod_has_no_errors() {
        assert!(pod_errors(with_containers(json!([{"name": "c", "image": "nginx"}]))).is_empty());
    }

    #[test]
    fn reference_rows() {
        assert_eq!(pod_errors(json!({"metadata": {"name": "p"}, "spec": {}})), vec!["spec.containers: Required value"]);
        assert_eq!(pod_errors(with_containers(json!([{"image": "x"}]))), vec!["spec.containers[0].name: Required value"]);
        assert_eq!(pod_errors(with_containers(json!([{"name": "c"}]))), vec!["spec.containers[0].image: Required value"]);
        assert_eq!(
            pod_errors(with_containers(json!([{"name": "app", "image": "x"}, {"name": "app", "image": "y"}]))),
            vec!["spec.containers[1].name: Duplicate value: \"app\""]
        );
        assert_eq!(
            pod_errors(with_containers(
                json!([{"name": "c", "image": "x", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}])
            )),
            vec!["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"]
        );
        assert_eq!(
            pod_errors(with_containers(json!([{"name": "c", "image": "x", "resources": {"requests": {"cpu": "-1"}}}]))),
            vec!["spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"]
        );
        assert_eq!(
            pod_errors(with_containers(json!([{"name": "c", "image": "x", "resources": {"requests": {"nvidia.com/gpu": "1"}}}]))),
            vec!["spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"]
        );
        assert_eq!(
            pod_errors(with_containers(json!([{"name": "c", "image": "x", "volumeMounts": [{"name": "cache", "mountPath": "/c"}]}]))),
            vec!["spec.containers[0].volumeMounts[0].name: Not found: \"cache\""]
        );
    }

    #[test]
    fn init_container_rules() {
        let v = json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}],
            "initContainers": [{"name": "i", "startupProbe": {"exec": {"command": ["true"]}}}]}});
        assert_eq!(
            pod_errors(v),
            vec![
                "spec.initContainers[0].image: Required value",
                "spec.initContainers[0].startupProbe: Forbidden: may not be set for init containers without restartPolicy=Always"
            ]
        );
    }

    #[test]
    fn probe_rules() {
        let v = with_containers(json!([{"name": "c", "image": "x", "livenessProbe": {"successThreshold": 2, "periodSeconds": -1,
            "exec": {"command": ["true"]}, "httpGet": {"port": 80}}}]));
        assert_eq!(
            pod_errors(v),
            vec![
                "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
                "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"
            ]
        );
        let v = with_containers(json!([{"name": "c", "image": "x", "readinessProbe": {"terminationGracePeriodSeconds": 5}}]));
        assert_eq!(
            pod_errors(v),
            vec![
                "spec.containers[0].readinessProbe: Required value: must specify a handler type",
                "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes"
            ]
        );
    }

    #[test]
    fn node_taints_use_the_upstream_path() {
        let n: Node =
            serde_json::from_value(json!({"metadata": {"name": "n"}, "spec": {"taints": [{"key": "a", "effect": "Sometimes"}]}})).unwrap();
        let errs = node(&n);
        assert_eq!(errs[0].message(), "metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
        assert_eq!(errs[0].locate.as_deref(), Some("spec.taints[0].effect"));
    }

    #[test]
    fn service_and_priority_class() {
        let mut s: Service =
            serde_json::from_value(json!({"metadata": {"name": "My-Svc"}, "spec": {"ports": [{"port": 80}, {"port": 81}]}})).unwrap();
        super::super::defaults::service(&mut s);
        let msgs: Vec<String> = service(&s).iter().map(FieldError::message).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].starts_with("metadata.name: Invalid value: \"My-Svc\": a DNS-1035 label"));
        assert_eq!(msgs[1], "spec.ports[0].name: Required value");
        let pc: PriorityClass = serde_json::from_value(json!({"metadata": {"name": "high"}, "value": 2000000000})).unwrap();
        assert_eq!(priority_class(&pc)[0].message(), "value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
    }
}
