//! `kubectl describe pod` and `kubectl describe node`, following kubectl's `describePod` and
//! `describeNode` line by line: the same labels, the same `PrefixWriter` indentation (two spaces
//! per level) into the same tabwriter (minwidth 0, padding 2), so each section aligns on its own
//! exactly as kubectl's does, and the Events table built by `DescribeEvents`.
//!
//! Fields the model does not carry are taken from the pod's source manifest when present
//! (projected and other volume types, `envFrom`, owner references, topology spread
//! constraints); node fields Kubernetes reports but the simulator has no notion of (machine and
//! boot IDs) are derived deterministically from the node's name.

use serde_json::Value;

use super::clock::{Clock, ZERO_RFC1123Z};
use super::gosort::go_sort;
use super::nodes::node_roles;
use super::object::runtime_id;
use super::qty::{canonical_of, Qty};
use super::table::TabWriter;
use super::{not_found, Printed};
use crate::api::{
    Container, ContainerState, ContainerStatus, EnvValue, Handler, Node, Phase, Pod, PodSpec, Probe,
    VolumeSource,
};
use crate::event::KubeEvent;
use crate::time::SimTime;
use crate::world::World;
use std::collections::BTreeMap;

/// kubectl's `PrefixWriter`: every write is prefixed with two spaces per level.
struct W {
    tw: TabWriter,
}

impl W {
    fn new() -> W {
        W { tw: TabWriter::describe() }
    }

    fn w(&mut self, level: usize, text: &str) {
        let prefix = "  ".repeat(level);
        self.tw.write(&prefix);
        self.tw.write(text);
    }

    /// `WriteLine`: the text and a newline, no prefix.
    fn line(&mut self, text: &str) {
        self.tw.write(text);
        self.tw.write("\n");
    }

    fn flush(&mut self) {
        self.tw.flush();
    }

    fn finish(mut self) -> String {
        self.tw.take()
    }
}

const MAX_ANNOTATION_LEN: usize = 140;

fn print_labels_multiline(w: &mut W, title: &str, labels: &BTreeMap<String, String>) {
    w.w(0, &format!("{title}:\t"));
    if labels.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_string()
    }
}

fn print_annotations_multiline(w: &mut W, title: &str, annotations: &BTreeMap<String, String>) {
    w.w(0, &format!("{title}:\t"));
    let keys: Vec<&String> =
        annotations.keys().filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let value = annotations[*key].strip_suffix('\n').unwrap_or(&annotations[*key]);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.w(0, &format!("{key}:\n"));
            for s in value.split('\n') {
                w.w(0, &format!("\t  {}\n", shorten(s, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.w(0, &format!("{key}: {value}\n"));
        }
    }
}

/// Go's `%q` for a string (subPath in Mounts).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%v` of a `[]string`: `[a b c]`.
fn go_slice(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// `DescribeProbe`.
fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds, p.timeout_seconds, p.period_seconds, p.success_threshold, p.failure_threshold
    );
    match &p.handler {
        Handler::Exec { command } => format!("exec {} {attrs}", go_slice(command)),
        Handler::HttpGet { path, port, host, scheme, .. } => {
            let scheme = if scheme.is_empty() { "http".to_string() } else { scheme.to_lowercase() };
            let port = port.to_string();
            let hostport = if port.is_empty() { host.clone() } else { join_host_port(host, &port) };
            let mut url = format!("{scheme}://{hostport}");
            if !path.is_empty() && !path.starts_with('/') {
                url.push('/');
            }
            url.push_str(path);
            format!("http-get {url} {attrs}")
        }
        Handler::TcpSocket { port, host } => format!("tcp-socket {host}:{port} {attrs}"),
        Handler::Grpc { port, service } => format!("grpc <pod>:{port} {service} {attrs}"),
        Handler::Sleep { .. } => format!("unknown {attrs}"),
    }
}

fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The source manifest's container object, for fields the model does not carry.
fn source_container<'a>(pod: &'a Pod, list: &str, name: &str) -> Option<&'a Value> {
    pod.source.get("spec")?.get(list)?.as_array()?.iter().find(|c| c.get("name").and_then(Value::as_str) == Some(name))
}

fn source_volume<'a>(pod: &'a Pod, name: &str) -> Option<&'a Value> {
    pod.source
        .get("spec")?
        .get("volumes")?
        .as_array()?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
}

fn str_of<'a>(v: Option<&'a Value>, key: &str) -> &'a str {
    v.and_then(|v| v.get(key)).and_then(Value::as_str).unwrap_or("")
}

fn bool_of(v: Option<&Value>, key: &str) -> bool {
    v.and_then(|v| v.get(key)).and_then(Value::as_bool).unwrap_or(false)
}

/// A field value a downward-API env var resolves to.
fn field_value(pod: &Pod, path: &str) -> String {
    let map_key = |prefix: &str| path.strip_prefix(prefix).and_then(|r| r.strip_suffix("']")).map(str::to_string);
    match path {
        "metadata.name" => pod.meta.name.clone(),
        "metadata.namespace" => pod.meta.namespace.clone(),
        "metadata.uid" => pod.meta.uid.to_string(),
        "spec.nodeName" => pod.spec.node_name.clone(),
        "spec.serviceAccountName" => pod.spec.service_account_name.clone(),
        "status.hostIP" | "status.hostIPs" => pod.status.host_ip.clone(),
        "status.podIP" | "status.podIPs" => pod.status.pod_ip.clone(),
        "metadata.labels" => pod.meta.labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect::<Vec<_>>().join("\n"),
        "metadata.annotations" => {
            pod.meta.annotations.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect::<Vec<_>>().join("\n")
        }
        _ => {
            if let Some(k) = map_key("metadata.labels['") {
                pod.meta.labels.get(&k).cloned().unwrap_or_default()
            } else if let Some(k) = map_key("metadata.annotations['") {
                pod.meta.annotations.get(&k).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    }
}

/// `ExtractContainerResourceValue` with the default divisor of 1.
fn resource_value(c: &Container, resource: &str) -> String {
    let (list, name) = match resource.split_once('.') {
        Some(("limits", n)) => (&c.limits, n),
        Some(("requests", n)) => (&c.requests, n),
        _ => return String::new(),
    };
    let q = list.get(name).map(Qty::of).unwrap_or_else(Qty::zero);
    match name {
        "cpu" => {
            let milli = q.milli();
            ((milli + 999).div_euclid(1000)).to_string()
        }
        _ => q.value().to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn describe_containers(w: &mut W, clock: &Clock, pod: &Pod, label: &str, list: &str, containers: &[Container], statuses: &[ContainerStatus]) {
    w.w(0, &format!("{label}:{}\n", if containers.is_empty() { " <none>" } else { "" }));
    for c in containers {
        let status = statuses.iter().rev().find(|s| s.name == c.name);
        w.w(1, &format!("{}:\n", c.name));
        if let Some(s) = status {
            w.w(2, &format!("Container ID:\t{}\n", runtime_id(&s.container_id)));
        }
        w.w(2, &format!("Image:\t{}\n", c.image));
        if let Some(s) = status {
            w.w(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let proto = |p: &str| if p.is_empty() { "TCP".to_string() } else { p.to_string() };
        let ports: Vec<String> = c.ports.iter().map(|p| format!("{}/{}", p.container_port, proto(&p.protocol))).collect();
        let ports = ports.join(", ");
        if ports.contains(',') {
            w.w(2, &format!("Ports:\t{ports}\n"));
        } else {
            w.w(2, &format!("Port:\t{}\n", if ports.is_empty() { "<none>" } else { &ports }));
        }
        let host_ports: Vec<String> = c.ports.iter().map(|p| format!("{}/{}", p.host_port, proto(&p.protocol))).collect();
        let host_ports = host_ports.join(", ");
        if host_ports.contains(',') {
            w.w(2, &format!("Host Ports:\t{host_ports}\n"));
        } else {
            w.w(2, &format!("Host Port:\t{}\n", if host_ports.is_empty() { "<none>" } else { &host_ports }));
        }
        if !c.command.is_empty() {
            w.w(2, "Command:\n");
            for part in &c.command {
                for s in part.split('\n') {
                    w.w(3, &format!("{s}\n"));
                }
            }
        }
        if !c.args.is_empty() {
            w.w(2, "Args:\n");
            for part in &c.args {
                for s in part.split('\n') {
                    w.w(3, &format!("{s}\n"));
                }
            }
        }
        if let Some(s) = status {
            describe_state(w, clock, "State", &s.state);
            if s.last_state.terminated().is_some() {
                describe_state(w, clock, "Last State", &s.last_state);
            }
            w.w(2, &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }));
            w.w(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        for (title, list) in [("Limits", &c.limits), ("Requests", &c.requests)] {
            if !list.is_empty() {
                w.w(2, &format!("{title}:\n"));
            }
            for (name, q) in list {
                w.w(3, &format!("{name}:\t{}\n", canonical_of(q)));
            }
        }
        for (title, probe) in [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)] {
            if let Some(p) = probe {
                w.w(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        let src = source_container(pod, list, &c.name);
        if let Some(Value::Array(env_from)) = src.and_then(|s| s.get("envFrom")) {
            if !env_from.is_empty() {
                w.w(2, "Environment Variables from:\n");
                for e in env_from {
                    let (from, r) = if let Some(r) = e.get("configMapRef") {
                        ("ConfigMap", Some(r))
                    } else if let Some(r) = e.get("secretRef") {
                        ("Secret", Some(r))
                    } else {
                        ("", None)
                    };
                    let name = str_of(r, "name");
                    let optional = bool_of(r, "optional");
                    let prefix = e.get("prefix").and_then(Value::as_str).unwrap_or("");
                    if prefix.is_empty() {
                        w.w(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
                    } else {
                        w.w(3, &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"));
                    }
                }
            }
        }
        w.w(2, &format!("Environment:{}\n", if c.env.is_empty() { "\t<none>" } else { "" }));
        for e in &c.env {
            match &e.value {
                EnvValue::Literal(v) => {
                    for (i, s) in v.split('\n').enumerate() {
                        if i == 0 {
                            w.w(3, &format!("{}:\t{s}\n", e.name));
                        } else {
                            w.w(3, &format!("\t{s}\n"));
                        }
                    }
                }
                EnvValue::FieldRef(path) => {
                    w.w(3, &format!("{}:\t{} (v1:{path})\n", e.name, field_value(pod, path)));
                }
                EnvValue::ResourceFieldRef { resource, .. } => {
                    let mut v = resource_value(c, resource);
                    if v == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                        v = "node allocatable".to_string();
                    }
                    w.w(3, &format!("{}:\t{v} ({resource})\n", e.name));
                }
                EnvValue::SecretKey { name, key, optional } => {
                    w.w(3, &format!("{}:\t<set to the key '{key}' in secret '{name}'>\tOptional: {optional}\n", e.name));
                }
                EnvValue::ConfigMapKey { name, key, optional } => {
                    w.w(3, &format!("{}:\t<set to the key '{key}' of config map '{name}'>\tOptional: {optional}\n", e.name));
                }
            }
        }
        w.w(2, &format!("Mounts:{}\n", if c.volume_mounts.is_empty() { "\t<none>" } else { "" }));
        let mut mounts: Vec<_> = c.volume_mounts.iter().collect();
        go_sort(&mut mounts, |a, b| a.mount_path < b.mount_path);
        for m in mounts {
            let mut flags = vec![if m.read_only { "ro".to_string() } else { "rw".to_string() }];
            if !m.sub_path.is_empty() {
                flags.push(format!("path={}", go_quote(&m.sub_path)));
            }
            w.w(3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
        }
    }
}

fn describe_state(w: &mut W, clock: &Clock, name: &str, state: &ContainerState) {
    match state {
        ContainerState::Running { started_ms } => {
            w.w(2, &format!("{name}:\tRunning\n"));
            w.w(3, &format!("Started:\t{}\n", clock.rfc1123z(*started_ms)));
        }
        ContainerState::Waiting { reason, .. } => {
            w.w(2, &format!("{name}:\tWaiting\n"));
            if !reason.is_empty() {
                w.w(3, &format!("Reason:\t{reason}\n"));
            }
        }
        ContainerState::Terminated(t) => {
            w.w(2, &format!("{name}:\tTerminated\n"));
            if !t.reason.is_empty() {
                w.w(3, &format!("Reason:\t{}\n", t.reason));
            }
            if !t.message.is_empty() {
                w.w(3, &format!("Message:\t{}\n", t.message));
            }
            w.w(3, &format!("Exit Code:\t{}\n", t.exit_code));
            if t.signal > 0 {
                w.w(3, &format!("Signal:\t{}\n", t.signal));
            }
            let started = t.started_ms.map_or_else(|| ZERO_RFC1123Z.to_string(), |s| clock.rfc1123z(s));
            w.w(3, &format!("Started:\t{started}\n"));
            w.w(3, &format!("Finished:\t{}\n", clock.rfc1123z(t.finished_ms)));
        }
        ContainerState::None => w.w(2, &format!("{name}:\tWaiting\n")),
    }
}

fn describe_volumes(w: &mut W, pod: &Pod) {
    if pod.spec.volumes.is_empty() {
        w.w(0, "Volumes:\t<none>\n");
        return;
    }
    w.w(0, "Volumes:\n");
    for v in pod.spec.volumes.iter() {
        w.w(1, &format!("{}:\n", v.name));
        let src = source_volume(pod, &v.name);
        match &v.source {
            VolumeSource::HostPath { path } => {
                let t = src.and_then(|s| s.get("hostPath")).and_then(|h| h.get("type")).and_then(Value::as_str);
                w.w(
                    2,
                    &format!(
                        "Type:\tHostPath (bare host directory volume)\n    Path:\t{path}\n    HostPathType:\t{}\n",
                        t.unwrap_or("<none>")
                    ),
                );
            }
            VolumeSource::EmptyDir { medium } => {
                let limit = src
                    .and_then(|s| s.get("emptyDir"))
                    .and_then(|e| e.get("sizeLimit"))
                    .and_then(|l| match l {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .and_then(|t| Qty::parse(&t))
                    .filter(|q| q.nanos > 0)
                    .map_or_else(|| "<unset>".to_string(), |q| q.canonical());
                w.w(
                    2,
                    &format!(
                        "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{medium}\n    SizeLimit:\t{limit}\n"
                    ),
                );
            }
            VolumeSource::Secret { name, optional } => {
                w.w(2, &format!("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{name}\n    Optional:\t{optional}\n"));
            }
            VolumeSource::ConfigMap { name, optional } => {
                w.w(2, &format!("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{name}\n    Optional:\t{optional}\n"));
            }
            VolumeSource::Other { .. } => describe_other_volume(w, src),
        }
    }
}

fn describe_other_volume(w: &mut W, src: Option<&Value>) {
    let get = |k: &str| src.and_then(|s| s.get(k));
    if let Some(p) = get("projected") {
        w.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
        for source in p.get("sources").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
            if let Some(s) = source.get("secret") {
                w.w(2, &format!("SecretName:\t{}\n    Optional:\t{}\n", str_of(Some(s), "name"), bool_of(Some(s), "optional")));
            } else if source.get("downwardAPI").is_some() {
                w.w(2, "DownwardAPI:\ttrue\n");
            } else if let Some(c) = source.get("configMap") {
                w.w(2, &format!("ConfigMapName:\t{}\n    Optional:\t{}\n", str_of(Some(c), "name"), bool_of(Some(c), "optional")));
            } else if let Some(t) = source.get("serviceAccountToken") {
                let secs = t.get("expirationSeconds").and_then(Value::as_i64).unwrap_or(3600);
                w.w(2, &format!("TokenExpirationSeconds:\t{secs}\n"));
            }
        }
    } else if let Some(d) = get("downwardAPI") {
        w.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
        for item in d.get("items").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
            let path = str_of(Some(item), "path");
            if let Some(f) = item.get("fieldRef") {
                w.w(3, &format!("{} -> {path}\n", str_of(Some(f), "fieldPath")));
            }
            if let Some(r) = item.get("resourceFieldRef") {
                w.w(3, &format!("{} -> {path}\n", str_of(Some(r), "resource")));
            }
        }
    } else if let Some(c) = get("persistentVolumeClaim") {
        w.w(
            2,
            &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                str_of(Some(c), "claimName"),
                bool_of(Some(c), "readOnly")
            ),
        );
    } else if let Some(n) = get("nfs") {
        w.w(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                str_of(Some(n), "server"),
                str_of(Some(n), "path"),
                bool_of(Some(n), "readOnly")
            ),
        );
    } else if get("ephemeral").is_some() {
        w.w(2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n");
    } else if let Some(i) = get("image") {
        w.w(
            2,
            &format!(
                "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                str_of(Some(i), "reference"),
                str_of(Some(i), "pullPolicy")
            ),
        );
    } else if let Some(c) = get("csi") {
        w.w(
            2,
            &format!(
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                str_of(Some(c), "driver"),
                str_of(Some(c), "fsType"),
                bool_of(Some(c), "readOnly")
            ),
        );
        let attrs: BTreeMap<String, String> = c
            .get("volumeAttributes")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect())
            .unwrap_or_default();
        w.w(2, "VolumeAttributes:\t");
        if attrs.is_empty() {
            w.line("<none>");
        } else {
            for (i, (k, v)) in attrs.iter().enumerate() {
                if i != 0 {
                    w.w(2, "\t");
                }
                w.w(2, &format!("{}\n", shorten(&format!("{k}={v}"), MAX_ANNOTATION_LEN)));
            }
        }
    } else {
        w.w(1, "<unknown>\n");
    }
}

fn print_tolerations(w: &mut W, pod: &Pod) {
    w.w(0, "Tolerations:\t");
    if pod.spec.tolerations.is_empty() {
        w.line("<none>");
        return;
    }
    let mut tols: Vec<_> = pod.spec.tolerations.iter().collect();
    go_sort(&mut tols, |a, b| a.key < b.key);
    for (i, t) in tols.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let mut s = t.key.clone();
        if !t.value.is_empty() {
            s.push_str(&format!("={}", t.value));
        }
        if !t.effect.is_empty() {
            s.push_str(&format!(":{}", t.effect));
        }
        if t.operator == "Exists" && t.value.is_empty() {
            if !t.key.is_empty() || !t.effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = t.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        w.w(0, &format!("{s}\n"));
    }
}

/// `qos.GetPodQOS` (reference §K), used when the status does not carry the class yet.
fn qos_class(spec: &PodSpec) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    let mut req: BTreeMap<&str, i128> = BTreeMap::new();
    let mut lim: BTreeMap<&str, i128> = BTreeMap::new();
    for c in spec.all_containers() {
        for r in ["cpu", "memory"] {
            let rq = c.requests.get(r).map(|q| Qty::of(q).nanos).filter(|n| *n > 0);
            let lq = c.limits.get(r).map(|q| Qty::of(q).nanos).filter(|n| *n > 0);
            if rq.is_some() || lq.is_some() {
                any = true;
            }
            if let Some(n) = rq {
                let e = req.entry(r).or_default();
                *e = e.saturating_add(n);
            }
            match lq {
                Some(n) => {
                    let e = lim.entry(r).or_default();
                    *e = e.saturating_add(n);
                }
                None => guaranteed = false,
            }
        }
    }
    if !any {
        return "BestEffort";
    }
    if guaranteed && ["cpu", "memory"].iter().all(|r| req.get(r).copied().unwrap_or(0) == lim.get(r).copied().unwrap_or(0)) {
        return "Guaranteed";
    }
    "Burstable"
}

/// `DescribeEvents`, for the events `kubectl describe` found about the object.
fn describe_events(w: &mut W, clock: &Clock, events: &[&KubeEvent]) {
    if events.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut sorted: Vec<&KubeEvent> = events.to_vec();
    go_sort(&mut sorted, |a, b| clock.stamp(a.last_ms) < clock.stamp(b.last_ms));
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let first = clock.since(e.first_ms);
        let interval = if e.count > 1 { format!("{} (x{} over {first})", clock.since(e.last_ms), e.count) } else { first };
        w.w(1, &format!("{}\t{}\t{interval}\t{}\t{}\n", e.kind.as_str(), e.reason, e.source_component, e.message.trim()));
    }
}

/// `kubectl describe pod NAME -n NAMESPACE` at virtual time `now_ms`.
pub fn describe_pod(world: &World, now_ms: SimTime, namespace: &str, name: &str) -> Printed {
    let Some(pod) = world.pod(namespace, name) else {
        return not_found("pods", name);
    };
    let clock = Clock::at(world, now_ms);
    let events: Vec<&KubeEvent> = world
        .events
        .iter()
        .map(|e| &**e)
        .filter(|e| e.involved.name == pod.meta.name && e.involved.namespace == pod.meta.namespace)
        .filter(|e| e.involved.uid.is_empty() || e.involved.uid == pod.meta.uid)
        .collect();
    Printed::out(describe_pod_text(pod, &clock, &events))
}

/// The describe text of a pod with the given events.
pub(crate) fn describe_pod_text(pod: &Pod, clock: &Clock, events: &[&KubeEvent]) -> String {
    let mut w = W::new();
    let (spec, status) = (&pod.spec, &pod.status);
    w.w(0, &format!("Name:\t{}\n", pod.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", pod.meta.namespace));
    w.w(0, &format!("Priority:\t{}\n", spec.priority));
    if !spec.priority_class_name.is_empty() {
        w.w(0, &format!("Priority Class Name:\t{}\n", spec.priority_class_name));
    }
    if let Some(rc) = pod.source.get("spec").and_then(|s| s.get("runtimeClassName")).and_then(Value::as_str) {
        if !rc.is_empty() {
            w.w(0, &format!("Runtime Class Name:\t{rc}\n"));
        }
    }
    if !spec.service_account_name.is_empty() {
        w.w(0, &format!("Service Account:\t{}\n", spec.service_account_name));
    }
    if spec.node_name.is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.w(0, &format!("Node:\t{}/{}\n", spec.node_name, status.host_ip));
    }
    if let Some(t) = status.start_ms {
        w.w(0, &format!("Start Time:\t{}\n", clock.rfc1123z(t)));
    }
    print_labels_multiline(&mut w, "Labels", &pod.meta.labels);
    print_annotations_multiline(&mut w, "Annotations", &pod.meta.annotations);
    match pod.meta.deletion_ms {
        Some(t) if status.phase != Phase::Failed && status.phase != Phase::Succeeded => {
            w.w(0, &format!("Status:\tTerminating (lasts {})\n", clock.since(t)));
            w.w(0, &format!("Termination Grace Period:\t{}s\n", pod.meta.deletion_grace_seconds.unwrap_or(0)));
        }
        _ => w.w(0, &format!("Status:\t{}\n", status.phase.as_str())),
    }
    if !status.reason.is_empty() {
        w.w(0, &format!("Reason:\t{}\n", status.reason));
    }
    if !status.message.is_empty() {
        w.w(0, &format!("Message:\t{}\n", status.message));
    }
    w.w(0, &format!("IP:\t{}\n", status.pod_ip));
    if status.pod_ip.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        w.w(1, &format!("IP:\t{}\n", status.pod_ip));
    }
    if let Some(owners) = pod.source.get("metadata").and_then(|m| m.get("ownerReferences")).and_then(Value::as_array) {
        if let Some(o) = owners.iter().find(|o| o.get("controller").and_then(Value::as_bool) == Some(true)) {
            w.w(0, &format!("Controlled By:\t{}/{}\n", str_of(Some(o), "kind"), str_of(Some(o), "name")));
        }
    }
    if !status.nominated_node_name.is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{}\n", status.nominated_node_name));
    }
    if let Some(res) = pod.source.get("spec").and_then(|s| s.get("resources")).and_then(Value::as_object) {
        w.w(0, "Resources:\n");
        for (title, key) in [("Limits", "limits"), ("Requests", "requests")] {
            let Some(list) = res.get(key).and_then(Value::as_object).filter(|l| !l.is_empty()) else {
                continue;
            };
            w.w(1, &format!("{title}:\n"));
            for (name, v) in list {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                w.w(2, &format!("{name}:\t{}\n", super::qty::canonical(&text)));
            }
        }
    }
    if !spec.init_containers.is_empty() {
        describe_containers(&mut w, clock, pod, "Init Containers", "initContainers", &spec.init_containers, &status.init_container_statuses);
    }
    describe_containers(&mut w, clock, pod, "Containers", "containers", &spec.containers, &status.container_statuses);
    if !spec.readiness_gates.is_empty() {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in &spec.readiness_gates {
            let st = status.conditions.iter().find(|c| &c.kind == g).map_or("<none>", |c| c.status.as_str());
            w.w(1, &format!("{g} \t{st} \n"));
        }
    }
    if !status.conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in &status.conditions {
            w.w(1, &format!("{} \t{} \n", c.kind, c.status));
        }
    }
    describe_volumes(&mut w, pod);
    let qos = if status.qos_class.is_empty() { qos_class(spec) } else { status.qos_class.as_str() };
    w.w(0, &format!("QoS Class:\t{qos}\n"));
    print_labels_multiline(&mut w, "Node-Selectors", &spec.node_selector);
    print_tolerations(&mut w, pod);
    describe_topology_spread(&mut w, pod);
    describe_events(&mut w, clock, events);
    w.finish()
}

fn describe_topology_spread(w: &mut W, pod: &Pod) {
    let Some(list) = pod.source.get("spec").and_then(|s| s.get("topologySpreadConstraints")).and_then(Value::as_array) else {
        return;
    };
    if list.is_empty() {
        return;
    }
    let mut tscs: Vec<&Value> = list.iter().collect();
    go_sort(&mut tscs, |a, b| str_of(Some(a), "topologyKey") < str_of(Some(b), "topologyKey"));
    w.w(0, "Topology Spread Constraints:\t");
    for (i, t) in tscs.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let skew = t.get("maxSkew").and_then(Value::as_i64).unwrap_or(0);
        let mut s = format!(
            "{}:{} when max skew {skew} is exceeded",
            str_of(Some(t), "topologyKey"),
            str_of(Some(t), "whenUnsatisfiable")
        );
        if let Some(sel) = t.get("labelSelector") {
            s.push_str(&format!(" for selector {}", format_label_selector(sel)));
        }
        w.w(0, &format!("{s}\n"));
    }
}

/// `metav1.FormatLabelSelector`.
fn format_label_selector(sel: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(m) = sel.get("matchLabels").and_then(Value::as_object) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            parts.push(format!("{k}={}", m[k].as_str().unwrap_or("")));
        }
    }
    if let Some(exprs) = sel.get("matchExpressions").and_then(Value::as_array) {
        for e in exprs {
            let key = str_of(Some(e), "key");
            let vals: Vec<&str> = e.get("values").and_then(Value::as_array).map_or(Vec::new(), |v| v.iter().filter_map(Value::as_str).collect());
            let s = match str_of(Some(e), "operator") {
                "In" => format!("{key} in ({})", vals.join(",")),
                "NotIn" => format!("{key} notin ({})", vals.join(",")),
                "Exists" => key.to_string(),
                "DoesNotExist" => format!("!{key}"),
                op => format!("{key} {op} {}", vals.join(",")),
            };
            parts.push(s);
        }
    }
    if parts.is_empty() {
        "<none>".to_string()
    } else {
        parts.join(",")
    }
}

/// Stable pseudo-identifiers for node fields the simulator does not model.
fn node_ids(name: &str) -> (String, String, String) {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut next = || {
        for b in name.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= h >> 29;
        h
    };
    let a = format!("{:016x}{:016x}", next(), next());
    let u = format!("{:016x}{:016x}", next(), next());
    let uuid = format!("{}-{}-{}-{}-{}", &u[..8], &u[8..12], &u[12..16], &u[16..20], &u[20..32]);
    let b = format!("{:016x}{:016x}", next(), next());
    let boot = format!("{}-{}-{}-{}-{}", &b[..8], &b[8..12], &b[12..16], &b[16..20], &b[20..32]);
    (a, uuid, boot)
}

/// `kubectl describe node NAME` at virtual time `now_ms`.
pub fn describe_node(world: &World, now_ms: SimTime, name: &str) -> Printed {
    let Some(node) = world.nodes.get(name) else {
        return not_found("nodes", name);
    };
    let clock = Clock::at(world, now_ms);
    let mut w = W::new();
    w.w(0, &format!("Name:\t{}\n", node.meta.name));
    let roles = node_roles(node);
    w.w(0, &format!("Roles:\t{}\n", if roles.is_empty() { "<none>".to_string() } else { roles.join(",") }));
    print_labels_multiline(&mut w, "Labels", &node.meta.labels);
    print_annotations_multiline(&mut w, "Annotations", &node.meta.annotations);
    let created = node.meta.creation_ms.map_or_else(|| ZERO_RFC1123Z.to_string(), |t| clock.rfc1123z(t));
    w.w(0, &format!("CreationTimestamp:\t{created}\n"));
    w.w(0, "Taints:\t");
    if node.spec.taints.is_empty() {
        w.line("<none>");
    } else {
        let mut taints: Vec<_> = node.spec.taints.iter().collect();
        go_sort(&mut taints, |a, b| format!("{},{}", a.effect, a.key) < format!("{},{}", b.effect, b.key));
        for (i, t) in taints.iter().enumerate() {
            if i != 0 {
                w.w(0, "\t");
            }
            let s = match (t.effect.is_empty(), t.value.is_empty()) {
                (true, true) => t.key.clone(),
                (true, false) => format!("{}={}:", t.key, t.value),
                (false, true) => format!("{}:{}", t.key, t.effect),
                (false, false) => format!("{}={}:{}", t.key, t.value, t.effect),
            };
            w.w(0, &format!("{s}\n"));
        }
    }
    w.w(0, &format!("Unschedulable:\t{}\n", node.spec.unschedulable));
    w.w(0, "Lease:\n");
    w.w(1, &format!("HolderIdentity:\t{}\n", node.meta.name));
    w.w(1, "AcquireTime:\t<unset>\n");
    let renew = node.status.conditions.iter().map(|c| c.last_heartbeat_ms).max();
    w.w(1, &format!("RenewTime:\t{}\n", renew.map_or_else(|| "<unset>".to_string(), |t| clock.rfc1123z(t))));
    if !node.status.conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in &node.status.conditions {
            w.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.kind,
                    c.status,
                    clock.rfc1123z(c.last_heartbeat_ms),
                    clock.rfc1123z(c.last_transition_ms),
                    c.reason,
                    c.message
                ),
            );
        }
    }
    w.w(0, "Addresses:\n");
    if !node.status.internal_ip.is_empty() {
        w.w(1, &format!("InternalIP:\t{}\n", node.status.internal_ip));
    }
    w.w(1, &format!("Hostname:\t{}\n", node.meta.name));
    for (title, list) in [("Capacity", &node.status.capacity), ("Allocatable", &node.status.allocatable)] {
        if !list.is_empty() {
            w.w(0, &format!("{title}:\n"));
            for (k, q) in list {
                w.w(0, &format!("  {k}:\t{}\n", canonical_of(q)));
            }
        }
    }
    let (machine, uuid, boot) = node_ids(&node.meta.name);
    let arch = if node.status.architecture.is_empty() { "amd64" } else { node.status.architecture.as_str() };
    w.w(0, "System Info:\n");
    w.w(0, &format!("  Machine ID:\t{machine}\n"));
    w.w(0, &format!("  System UUID:\t{uuid}\n"));
    w.w(0, &format!("  Boot ID:\t{boot}\n"));
    w.w(0, &format!("  Kernel Version:\t{}\n", node.status.kernel_version));
    w.w(0, &format!("  OS Image:\t{}\n", node.status.os_image));
    w.w(0, "  Operating System:\tlinux\n");
    w.w(0, &format!("  Architecture:\t{arch}\n"));
    w.w(0, &format!("  Container Runtime Version:\t{}\n", node.status.container_runtime_version));
    w.w(0, &format!("  Kubelet Version:\t{}\n", node.status.kubelet_version));
    w.w(0, "  Kube-Proxy Version:\t\n");
    if !node.spec.pod_cidr.is_empty() {
        w.w(0, &format!("PodCIDR:\t{}\n", node.spec.pod_cidr));
        w.w(0, &format!("PodCIDRs:\t{}\n", node.spec.pod_cidr));
    }
    let pods: Vec<&Pod> = world
        .pods
        .values()
        .map(|p| &**p)
        .filter(|p| p.spec.node_name == node.meta.name && !matches!(p.status.phase, Phase::Succeeded | Phase::Failed))
        .collect();
    describe_node_resource(&mut w, &clock, node, &pods);
    // kubectl runs two searches and concatenates them: events whose involvedObject.uid is the
    // node's uid (the controllers'), then those whose uid is the node's name (the kubelet's).
    let about_node = |e: &&KubeEvent| e.involved.kind == "Node" && e.involved.name == node.meta.name;
    let mut events: Vec<&KubeEvent> = world
        .events
        .iter()
        .map(|e| &**e)
        .filter(about_node)
        .filter(|e| e.involved.uid.is_empty() || e.involved.uid == node.meta.uid)
        .collect();
    events.extend(
        world.events.iter().map(|e| &**e).filter(about_node).filter(|e| e.involved.uid != node.meta.uid && e.involved.uid == node.meta.name),
    );
    describe_events(&mut w, &clock, &events);
    Printed::out(w.finish())
}

/// `PodRequestsAndLimits` (component-helpers, sidecar-aware): sums of app containers and
/// sidecars, at least the largest init container step.
fn pod_requests_and_limits(pod: &Pod) -> (BTreeMap<String, Qty>, BTreeMap<String, Qty>) {
    fn add(list: &mut BTreeMap<String, Qty>, other: &BTreeMap<String, Qty>) {
        for (k, q) in other {
            match list.get_mut(k) {
                Some(v) => v.add(q),
                None => {
                    list.insert(k.clone(), *q);
                }
            }
        }
    }
    fn max(list: &mut BTreeMap<String, Qty>, other: &BTreeMap<String, Qty>) {
        for (k, q) in other {
            match list.get_mut(k) {
                Some(v) if q.nanos > v.nanos => *v = *q,
                Some(_) => {}
                None => {
                    list.insert(k.clone(), *q);
                }
            }
        }
    }
    let to_qty = |m: &BTreeMap<String, crate::quantity::Quantity>| -> BTreeMap<String, Qty> {
        m.iter().map(|(k, q)| (k.clone(), Qty::of(q))).collect()
    };
    let compute = |pick: &dyn Fn(&Container) -> BTreeMap<String, Qty>| {
        let mut reqs = BTreeMap::new();
        for c in &pod.spec.containers {
            add(&mut reqs, &pick(c));
        }
        let mut sidecars = BTreeMap::new();
        let mut init_max = BTreeMap::new();
        for c in &pod.spec.init_containers {
            let own = pick(c);
            let step = if PodSpec::is_sidecar(c) {
                add(&mut reqs, &own);
                add(&mut sidecars, &own);
                sidecars.clone()
            } else {
                let mut tmp = own.clone();
                add(&mut tmp, &sidecars);
                tmp
            };
            max(&mut init_max, &step);
        }
        max(&mut reqs, &init_max);
        reqs
    };
    let req = compute(&|c: &Container| to_qty(&c.requests));
    let lim = compute(&|c: &Container| to_qty(&c.limits));
    (req, lim)
}

fn describe_node_resource(w: &mut W, clock: &Clock, node: &Node, pods: &[&Pod]) {
    w.w(0, &format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    w.w(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    w.w(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let alloc = if node.status.allocatable.is_empty() { &node.status.capacity } else { &node.status.allocatable };
    let alloc_of = |name: &str| alloc.get(name).map(Qty::of).unwrap_or_else(Qty::zero);
    let (cpu_alloc, mem_alloc, eph_alloc) = (alloc_of("cpu").milli(), alloc_of("memory").value(), alloc_of("ephemeral-storage").value());
    let pct = |num: i128, den: i128| -> i64 {
        if den == 0 {
            0
        } else {
            (num as f64 / den as f64 * 100.0) as i64
        }
    };
    let get = |m: &BTreeMap<String, Qty>, k: &str| m.get(k).copied().unwrap_or_else(Qty::zero);
    let mut total_req: BTreeMap<String, Qty> = BTreeMap::new();
    let mut total_lim: BTreeMap<String, Qty> = BTreeMap::new();
    for pod in pods {
        let (req, lim) = pod_requests_and_limits(pod);
        let (cr, cl, mr, ml) = (get(&req, "cpu"), get(&lim, "cpu"), get(&req, "memory"), get(&lim, "memory"));
        w.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                pod.meta.namespace,
                pod.meta.name,
                cr.canonical(),
                pct(cr.milli(), cpu_alloc),
                cl.canonical(),
                pct(cl.milli(), cpu_alloc),
                mr.canonical(),
                pct(mr.value(), mem_alloc),
                ml.canonical(),
                pct(ml.value(), mem_alloc),
                clock.since_opt(pod.meta.creation_ms)
            ),
        );
        for (tot, list) in [(&mut total_req, &req), (&mut total_lim, &lim)] {
            for (k, q) in list {
                match tot.get_mut(k) {
                    Some(v) => v.add(q),
                    None => {
                        tot.insert(k.clone(), *q);
                    }
                }
            }
        }
    }
    w.w(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    let (cr, cl) = (get(&total_req, "cpu"), get(&total_lim, "cpu"));
    w.w(1, &format!("cpu\t{} ({}%)\t{} ({}%)\n", cr.canonical(), pct(cr.milli(), cpu_alloc), cl.canonical(), pct(cl.milli(), cpu_alloc)));
    let (mr, ml) = (get(&total_req, "memory"), get(&total_lim, "memory"));
    w.w(1, &format!("memory\t{} ({}%)\t{} ({}%)\n", mr.canonical(), pct(mr.value(), mem_alloc), ml.canonical(), pct(ml.value(), mem_alloc)));
    let (er, el) = (get(&total_req, "ephemeral-storage"), get(&total_lim, "ephemeral-storage"));
    w.w(
        1,
        &format!("ephemeral-storage\t{} ({}%)\t{} ({}%)\n", er.canonical(), pct(er.value(), eph_alloc), el.canonical(), pct(el.value(), eph_alloc)),
    );
    let mut huge: Vec<&String> = alloc.keys().filter(|k| k.starts_with("hugepages-")).collect();
    huge.sort();
    for r in huge {
        let (hr, hl, ha) = (get(&total_req, r), get(&total_lim, r), alloc_of(r).value());
        w.w(1, &format!("{r}\t{} ({}%)\t{} ({}%)\n", hr.canonical(), pct(hr.value(), ha), hl.canonical(), pct(hl.value(), ha)));
    }
    let mut ext: Vec<&String> = alloc
        .keys()
        .filter(|k| !k.starts_with("hugepages-") && !matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage" | "pods"))
        .collect();
    ext.sort();
    for r in ext {
        w.w(1, &format!("{r}\t{}\t{}\n", get(&total_req, r).canonical(), get(&total_lim, r).canonical()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Handler, PortRef};

    fn probe(h: Handler) -> Probe {
        Probe {
            handler: h,
            initial_delay_seconds: 5,
            timeout_seconds: 1,
            period_seconds: 5,
            success_threshold: 1,
            failure_threshold: 3,
            termination_grace_period_seconds: None,
        }
    }

    #[test]
    fn probe_lines() {
        assert_eq!(
            describe_probe(&probe(Handler::Exec { command: vec!["cat".into(), "/tmp/healthy".into()] })),
            "exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3"
        );
        let http = Handler::HttpGet {
            path: "/healthz".into(),
            port: PortRef::Number(8080),
            host: String::new(),
            scheme: "HTTP".into(),
            headers: vec![],
        };
        assert_eq!(describe_probe(&probe(http)), "http-get http://:8080/healthz delay=5s timeout=1s period=5s #success=1 #failure=3");
        let named = Handler::HttpGet {
            path: String::new(),
            port: PortRef::Name("liveness-port".into()),
            host: String::new(),
            scheme: "HTTPS".into(),
            headers: vec![],
        };
        assert_eq!(describe_probe(&probe(named)), "http-get https://:liveness-port delay=5s timeout=1s period=5s #success=1 #failure=3");
        assert_eq!(
            describe_probe(&probe(Handler::TcpSocket { port: PortRef::Number(6379), host: String::new() })),
            "tcp-socket :6379 delay=5s timeout=1s period=5s #success=1 #failure=3"
        );
        assert_eq!(
            describe_probe(&probe(Handler::Grpc { port: 2379, service: String::new() })),
            "grpc <pod>:2379  delay=5s timeout=1s period=5s #success=1 #failure=3"
        );
    }

    #[test]
    fn annotations_long_and_multiline() {
        let mut w = W::new();
        let mut a = BTreeMap::new();
        a.insert("short".to_string(), "v".to_string());
        a.insert("multi".to_string(), "line1\nline2\n".to_string());
        a.insert("kubectl.kubernetes.io/last-applied-configuration".to_string(), "{}".to_string());
        print_annotations_multiline(&mut w, "Annotations", &a);
        assert_eq!(w.finish(), "Annotations:  multi:\n                line1\n                line2\n              short: v\n");
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b"), "\"a\\\"b\"");
    }
}
