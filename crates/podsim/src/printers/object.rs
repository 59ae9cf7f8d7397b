//! `kubectl get pod -o json|yaml`: the Pod object as the API server returns it. The body starts
//! from `pod.source` (the defaulted manifest: metadata and spec, including fields the simulator
//! accepts without modelling), the metadata the API server owns is overlaid (uid,
//! resourceVersion, creationTimestamp, generation, deletion fields, labels, annotations),
//! `spec.nodeName` is set once bound, resource quantities are canonicalised, and `status` is
//! generated from the model in the shape the v1.34 kubelet writes it.
//!
//! [`to_json_pretty`] prints like kubectl's JSON printer: Go's `json.MarshalIndent` with four
//! spaces, keys sorted, `<`, `>`, `&` escaped as `\u003c`, `\u003e`, `\u0026`.

use serde_json::{json, Map, Value};

use super::qty;
use crate::api::{
    Container, ContainerState, ContainerStatus, EnvValue, Handler, Pod, PodSpec, PortRef, Probe, Terminated,
    VolumeSource,
};
use crate::time::{rfc3339, SimTime};

/// The Pod as `kubectl get pod NAME -o json` shows it (`epoch_unix_ms` maps virtual times).
pub fn pod_to_json(pod: &Pod, epoch_unix_ms: i64) -> Value {
    let ts = |t: SimTime| Value::String(rfc3339(stamp(epoch_unix_ms, t)));
    let mut obj = match &*pod.source {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    obj.insert("apiVersion".into(), json!("v1"));
    obj.insert("kind".into(), json!("Pod"));

    // metadata
    let mut meta = match obj.get("metadata") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let m = &pod.meta;
    meta.insert("name".into(), json!(m.name));
    if !m.namespace.is_empty() {
        meta.insert("namespace".into(), json!(m.namespace));
    }
    if !m.uid.is_empty() {
        meta.insert("uid".into(), json!(m.uid.as_str()));
    }
    if m.resource_version > 0 {
        meta.insert("resourceVersion".into(), json!(m.resource_version.to_string()));
    }
    if m.generation > 0 {
        meta.insert("generation".into(), json!(m.generation));
    }
    meta.insert("creationTimestamp".into(), m.creation_ms.map_or(Value::Null, ts));
    match m.deletion_ms {
        Some(t) => {
            meta.insert("deletionTimestamp".into(), ts(t));
        }
        None => {
            meta.remove("deletionTimestamp");
        }
    }
    match m.deletion_grace_seconds {
        Some(s) => {
            meta.insert("deletionGracePeriodSeconds".into(), json!(s));
        }
        None => {
            meta.remove("deletionGracePeriodSeconds");
        }
    }
    set_string_map(&mut meta, "labels", &m.labels);
    set_string_map(&mut meta, "annotations", &m.annotations);
    meta.remove("managedFields");
    obj.insert("metadata".into(), Value::Object(meta));

    // spec
    // The source's fields win; the model fills what the source lacks (fields set by admission,
    // such as priority or the service account, or a pod built without a manifest).
    let mut spec = spec_from_model(&pod.spec);
    if let Some(Value::Object(src)) = obj.get("spec") {
        for (k, v) in src {
            spec.insert(k.clone(), v.clone());
        }
    }
    if !pod.spec.node_name.is_empty() {
        spec.insert("nodeName".into(), json!(pod.spec.node_name));
    }
    for key in ["containers", "initContainers", "ephemeralContainers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(key) {
            for c in cs.iter_mut() {
                // `resources` is a non-pointer struct in the Go type: always serialised.
                if let Value::Object(o) = c {
                    o.entry("resources").or_insert_with(|| json!({}));
                }
                if let Some(Value::Object(r)) = c.get_mut("resources") {
                    canonicalize_resources(r);
                }
            }
        }
    }
    if let Some(Value::Object(r)) = spec.get_mut("resources") {
        canonicalize_resources(r);
    }
    if let Some(Value::Object(o)) = spec.get_mut("overhead") {
        canonicalize_list(o);
    }
    if let Some(Value::Array(vols)) = spec.get_mut("volumes") {
        for v in vols.iter_mut() {
            if let Some(Value::Object(e)) = v.get_mut("emptyDir") {
                let mut one = Map::new();
                if let Some(limit) = e.remove("sizeLimit") {
                    one.insert("sizeLimit".into(), limit);
                    canonicalize_list(&mut one);
                    e.extend(one);
                }
            }
        }
    }
    obj.insert("spec".into(), Value::Object(spec));
    obj.insert("status".into(), status_json(pod, epoch_unix_ms));
    Value::Object(obj)
}

/// A `v1/List` of pods, as `kubectl get pods -o json` prints it.
pub fn pods_list_json<'a>(pods: impl IntoIterator<Item = &'a Pod>, epoch_unix_ms: i64) -> Value {
    let items: Vec<Value> = pods.into_iter().map(|p| pod_to_json(p, epoch_unix_ms)).collect();
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

fn stamp(epoch_unix_ms: i64, t: SimTime) -> i64 {
    epoch_unix_ms.saturating_add(t as i64).div_euclid(1000) * 1000
}

fn set_string_map(meta: &mut Map<String, Value>, key: &str, map: &std::collections::BTreeMap<String, String>) {
    if map.is_empty() {
        meta.remove(key);
    } else {
        let m: Map<String, Value> = map.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        meta.insert(key.into(), Value::Object(m));
    }
}

fn canonicalize_resources(r: &mut Map<String, Value>) {
    for key in ["limits", "requests"] {
        if let Some(Value::Object(list)) = r.get_mut(key) {
            canonicalize_list(list);
        }
    }
}

fn canonicalize_list(list: &mut Map<String, Value>) {
    for v in list.values_mut() {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        *v = Value::String(qty::canonical(&text));
    }
}

fn status_json(pod: &Pod, epoch: i64) -> Value {
    let ts = |t: SimTime| Value::String(rfc3339(stamp(epoch, t)));
    let s = &pod.status;
    let mut st = Map::new();
    st.insert("phase".into(), json!(s.phase.as_str()));
    let generation = pod.meta.generation;
    if !s.conditions.is_empty() {
        let conds: Vec<Value> = s
            .conditions
            .iter()
            .map(|c| {
                let mut o = Map::new();
                o.insert("lastProbeTime".into(), Value::Null);
                o.insert("lastTransitionTime".into(), ts(c.last_transition_ms));
                if !c.message.is_empty() {
                    o.insert("message".into(), json!(c.message));
                }
                if generation > 0 {
                    o.insert("observedGeneration".into(), json!(generation));
                }
                if !c.reason.is_empty() {
                    o.insert("reason".into(), json!(c.reason));
                }
                o.insert("status".into(), json!(c.status));
                o.insert("type".into(), json!(c.kind));
                Value::Object(o)
            })
            .collect();
        st.insert("conditions".into(), Value::Array(conds));
    }
    if !s.reason.is_empty() {
        st.insert("reason".into(), json!(s.reason));
    }
    if !s.message.is_empty() {
        st.insert("message".into(), json!(s.message));
    }
    if !s.nominated_node_name.is_empty() {
        st.insert("nominatedNodeName".into(), json!(s.nominated_node_name));
    }
    if !s.host_ip.is_empty() {
        st.insert("hostIP".into(), json!(s.host_ip));
        st.insert("hostIPs".into(), json!([{ "ip": s.host_ip }]));
    }
    if !s.pod_ip.is_empty() {
        st.insert("podIP".into(), json!(s.pod_ip));
        st.insert("podIPs".into(), json!([{ "ip": s.pod_ip }]));
    }
    if let Some(t) = s.start_ms {
        st.insert("startTime".into(), ts(t));
    }
    if generation > 0 && !pod.spec.node_name.is_empty() && !s.container_statuses.is_empty() {
        st.insert("observedGeneration".into(), json!(generation));
    }
    if !s.init_container_statuses.is_empty() {
        let v: Vec<Value> =
            s.init_container_statuses.iter().map(|cs| container_status_json(cs, &pod.spec.init_containers, epoch)).collect();
        st.insert("initContainerStatuses".into(), Value::Array(v));
    }
    if !s.container_statuses.is_empty() {
        let v: Vec<Value> =
            s.container_statuses.iter().map(|cs| container_status_json(cs, &pod.spec.containers, epoch)).collect();
        st.insert("containerStatuses".into(), Value::Array(v));
    }
    if !s.qos_class.is_empty() {
        st.insert("qosClass".into(), json!(s.qos_class));
    }
    Value::Object(st)
}

/// `containerd://<id>` unless the id already names its runtime.
pub(crate) fn runtime_id(id: &str) -> String {
    if id.is_empty() || id.contains("://") {
        id.to_string()
    } else {
        format!("containerd://{id}")
    }
}

fn container_status_json(cs: &ContainerStatus, specs: &[Container], epoch: i64) -> Value {
    let spec = specs.iter().find(|c| c.name == cs.name);
    let mut o = Map::new();
    if !cs.container_id.is_empty() {
        o.insert("containerID".into(), json!(runtime_id(&cs.container_id)));
    }
    let image = if cs.image.is_empty() { spec.map_or("", |c| c.image.as_str()) } else { cs.image.as_str() };
    o.insert("image".into(), json!(image));
    o.insert("imageID".into(), json!(cs.image_id));
    o.insert("lastState".into(), state_json(&cs.last_state, epoch));
    o.insert("name".into(), json!(cs.name));
    o.insert("ready".into(), json!(cs.ready));
    o.insert("restartCount".into(), json!(cs.restart_count));
    if let Some(started) = cs.started {
        o.insert("started".into(), json!(started));
    }
    o.insert("state".into(), state_json(&cs.state, epoch));
    // RecursiveReadOnlyMounts (beta, on): the kubelet reports the mounts of a container that exists.
    if let Some(spec) = spec {
        if !cs.container_id.is_empty() && !spec.volume_mounts.is_empty() {
            let mounts: Vec<Value> = spec
                .volume_mounts
                .iter()
                .map(|m| {
                    let mut v = Map::new();
                    v.insert("mountPath".into(), json!(m.mount_path));
                    v.insert("name".into(), json!(m.name));
                    if m.read_only {
                        v.insert("readOnly".into(), json!(true));
                        v.insert("recursiveReadOnly".into(), json!("Disabled"));
                    }
                    Value::Object(v)
                })
                .collect();
            o.insert("volumeMounts".into(), Value::Array(mounts));
        }
    }
    Value::Object(o)
}

fn state_json(s: &ContainerState, epoch: i64) -> Value {
    let ts = |t: SimTime| Value::String(rfc3339(stamp(epoch, t)));
    match s {
        ContainerState::None => json!({}),
        ContainerState::Waiting { reason, message } => {
            let mut w = Map::new();
            if !message.is_empty() {
                w.insert("message".into(), json!(message));
            }
            if !reason.is_empty() {
                w.insert("reason".into(), json!(reason));
            }
            json!({ "waiting": w })
        }
        ContainerState::Running { started_ms } => json!({ "running": { "startedAt": ts(*started_ms) } }),
        ContainerState::Terminated(t) => json!({ "terminated": terminated_json(t, epoch) }),
    }
}

fn terminated_json(t: &Terminated, epoch: i64) -> Value {
    let ts = |t: SimTime| Value::String(rfc3339(stamp(epoch, t)));
    let mut o = Map::new();
    if !t.container_id.is_empty() {
        o.insert("containerID".into(), json!(runtime_id(&t.container_id)));
    }
    o.insert("exitCode".into(), json!(t.exit_code));
    o.insert("finishedAt".into(), ts(t.finished_ms));
    if !t.message.is_empty() {
        o.insert("message".into(), json!(t.message));
    }
    if !t.reason.is_empty() {
        o.insert("reason".into(), json!(t.reason));
    }
    if t.signal != 0 {
        o.insert("signal".into(), json!(t.signal));
    }
    o.insert("startedAt".into(), t.started_ms.map_or(Value::Null, ts));
    Value::Object(o)
}

/// A spec rebuilt from the model: the base the source manifest's fields are laid over. Field
/// names and defaults follow the API.
fn spec_from_model(spec: &PodSpec) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("containers".into(), Value::Array(spec.containers.iter().map(container_json).collect()));
    if !spec.init_containers.is_empty() {
        s.insert("initContainers".into(), Value::Array(spec.init_containers.iter().map(container_json).collect()));
    }
    s.insert("dnsPolicy".into(), json!(if spec.dns_policy.is_empty() { "ClusterFirst" } else { &spec.dns_policy }));
    s.insert("enableServiceLinks".into(), json!(true));
    if spec.host_network {
        s.insert("hostNetwork".into(), json!(true));
    }
    if !spec.hostname.is_empty() {
        s.insert("hostname".into(), json!(spec.hostname));
    }
    if !spec.subdomain.is_empty() {
        s.insert("subdomain".into(), json!(spec.subdomain));
    }
    if !spec.node_selector.is_empty() {
        s.insert("nodeSelector".into(), json!(*spec.node_selector));
    }
    if !spec.preemption_policy.is_empty() {
        s.insert("preemptionPolicy".into(), json!(spec.preemption_policy));
    }
    s.insert("priority".into(), json!(spec.priority));
    if !spec.priority_class_name.is_empty() {
        s.insert("priorityClassName".into(), json!(spec.priority_class_name));
    }
    if let Some(a) = spec.active_deadline_seconds {
        s.insert("activeDeadlineSeconds".into(), json!(a));
    }
    if !spec.readiness_gates.is_empty() {
        let gates: Vec<Value> = spec.readiness_gates.iter().map(|g| json!({ "conditionType": g })).collect();
        s.insert("readinessGates".into(), Value::Array(gates));
    }
    s.insert("restartPolicy".into(), json!(spec.restart_policy.as_str()));
    s.insert(
        "schedulerName".into(),
        json!(if spec.scheduler_name.is_empty() { "default-scheduler" } else { &spec.scheduler_name }),
    );
    if !spec.scheduling_gates.is_empty() {
        let gates: Vec<Value> = spec.scheduling_gates.iter().map(|g| json!({ "name": g })).collect();
        s.insert("schedulingGates".into(), Value::Array(gates));
    }
    s.insert("securityContext".into(), json!({}));
    if !spec.service_account_name.is_empty() {
        s.insert("serviceAccount".into(), json!(spec.service_account_name));
        s.insert("serviceAccountName".into(), json!(spec.service_account_name));
    }
    s.insert("terminationGracePeriodSeconds".into(), json!(spec.termination_grace_period_seconds));
    if !spec.tolerations.is_empty() {
        let t: Vec<Value> = spec
            .tolerations
            .iter()
            .map(|t| {
                let mut o = Map::new();
                if !t.effect.is_empty() {
                    o.insert("effect".into(), json!(t.effect));
                }
                if !t.key.is_empty() {
                    o.insert("key".into(), json!(t.key));
                }
                if !t.operator.is_empty() {
                    o.insert("operator".into(), json!(t.operator));
                }
                if let Some(secs) = t.toleration_seconds {
                    o.insert("tolerationSeconds".into(), json!(secs));
                }
                if !t.value.is_empty() {
                    o.insert("value".into(), json!(t.value));
                }
                Value::Object(o)
            })
            .collect();
        s.insert("tolerations".into(), Value::Array(t));
    }
    if !spec.volumes.is_empty() {
        let v: Vec<Value> = spec
            .volumes
            .iter()
            .map(|v| {
                let mut o = Map::new();
                o.insert("name".into(), json!(v.name));
                match &v.source {
                    VolumeSource::EmptyDir { medium } => {
                        let mut e = Map::new();
                        if !medium.is_empty() {
                            e.insert("medium".into(), json!(medium));
                        }
                        o.insert("emptyDir".into(), Value::Object(e));
                    }
                    VolumeSource::HostPath { path } => {
                        o.insert("hostPath".into(), json!({ "path": path, "type": "" }));
                    }
                    VolumeSource::ConfigMap { name, optional } => {
                        let mut c = json!({ "defaultMode": 420, "name": name });
                        if *optional {
                            c["optional"] = json!(true);
                        }
                        o.insert("configMap".into(), c);
                    }
                    VolumeSource::Secret { name, optional } => {
                        let mut c = json!({ "defaultMode": 420, "secretName": name });
                        if *optional {
                            c["optional"] = json!(true);
                        }
                        o.insert("secret".into(), c);
                    }
                    VolumeSource::Other { kind } => {
                        o.insert(kind.clone(), json!({}));
                    }
                }
                Value::Object(o)
            })
            .collect();
        s.insert("volumes".into(), Value::Array(v));
    }
    s
}

fn container_json(c: &Container) -> Value {
    let mut o = Map::new();
    if !c.args.is_empty() {
        o.insert("args".into(), json!(c.args));
    }
    if !c.command.is_empty() {
        o.insert("command".into(), json!(c.command));
    }
    if !c.env.is_empty() {
        let env: Vec<Value> = c
            .env
            .iter()
            .map(|e| match &e.value {
                EnvValue::Literal(v) => json!({ "name": e.name, "value": v }),
                EnvValue::FieldRef(p) => {
                    json!({ "name": e.name, "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": p } } })
                }
                EnvValue::ResourceFieldRef { container, resource } => {
                    let mut r = json!({ "divisor": "0", "resource": resource });
                    if !container.is_empty() {
                        r["containerName"] = json!(container);
                    }
                    json!({ "name": e.name, "valueFrom": { "resourceFieldRef": r } })
                }
                EnvValue::ConfigMapKey { name, key, optional } => {
                    let mut r = json!({ "key": key, "name": name });
                    if *optional {
                        r["optional"] = json!(true);
                    }
                    json!({ "name": e.name, "valueFrom": { "configMapKeyRef": r } })
                }
                EnvValue::SecretKey { name, key, optional } => {
                    let mut r = json!({ "key": key, "name": name });
                    if *optional {
                        r["optional"] = json!(true);
                    }
                    json!({ "name": e.name, "valueFrom": { "secretKeyRef": r } })
                }
            })
            .collect();
        o.insert("env".into(), Value::Array(env));
    }
    o.insert("image".into(), json!(c.image));
    o.insert("imagePullPolicy".into(), json!(c.image_pull_policy.as_str()));
    if let Some(p) = &c.liveness_probe {
        o.insert("livenessProbe".into(), probe_json(p));
    }
    o.insert("name".into(), json!(c.name));
    if !c.ports.is_empty() {
        let ports: Vec<Value> = c
            .ports
            .iter()
            .map(|p| {
                let mut v = Map::new();
                v.insert("containerPort".into(), json!(p.container_port));
                if p.host_port != 0 {
                    v.insert("hostPort".into(), json!(p.host_port));
                }
                if !p.name.is_empty() {
                    v.insert("name".into(), json!(p.name));
                }
                v.insert("protocol".into(), json!(if p.protocol.is_empty() { "TCP" } else { &p.protocol }));
                Value::Object(v)
            })
            .collect();
        o.insert("ports".into(), Value::Array(ports));
    }
    if let Some(p) = &c.readiness_probe {
        o.insert("readinessProbe".into(), probe_json(p));
    }
    let mut res = Map::new();
    for (key, list) in [("limits", &c.limits), ("requests", &c.requests)] {
        if !list.is_empty() {
            let m: Map<String, Value> = list.iter().map(|(k, q)| (k.clone(), json!(qty::canonical_of(q)))).collect();
            res.insert(key.into(), Value::Object(m));
        }
    }
    o.insert("resources".into(), Value::Object(res));
    if let Some(rp) = &c.restart_policy {
        o.insert("restartPolicy".into(), json!(rp));
    }
    if let Some(p) = &c.startup_probe {
        o.insert("startupProbe".into(), probe_json(p));
    }
    if c.stdin {
        o.insert("stdin".into(), json!(true));
    }
    o.insert(
        "terminationMessagePath".into(),
        json!(if c.termination_message_path.is_empty() { "/dev/termination-log" } else { &c.termination_message_path }),
    );
    o.insert(
        "terminationMessagePolicy".into(),
        json!(if c.termination_message_policy.is_empty() { "File" } else { &c.termination_message_policy }),
    );
    if c.tty {
        o.insert("tty".into(), json!(true));
    }
    if !c.volume_mounts.is_empty() {
        let mounts: Vec<Value> = c
            .volume_mounts
            .iter()
            .map(|m| {
                let mut v = Map::new();
                v.insert("mountPath".into(), json!(m.mount_path));
                v.insert("name".into(), json!(m.name));
                if m.read_only {
                    v.insert("readOnly".into(), json!(true));
                }
                if !m.sub_path.is_empty() {
                    v.insert("subPath".into(), json!(m.sub_path));
                }
                Value::Object(v)
            })
            .collect();
        o.insert("volumeMounts".into(), Value::Array(mounts));
    }
    if !c.working_dir.is_empty() {
        o.insert("workingDir".into(), json!(c.working_dir));
    }
    Value::Object(o)
}

fn port_json(p: &PortRef) -> Value {
    match p {
        PortRef::Number(n) => json!(n),
        PortRef::Name(s) => json!(s),
    }
}

fn probe_json(p: &Probe) -> Value {
    let mut o = Map::new();
    match &p.handler {
        Handler::Exec { command } => {
            o.insert("exec".into(), json!({ "command": command }));
        }
        Handler::HttpGet { path, port, host, scheme, headers } => {
            let mut h = Map::new();
            if !host.is_empty() {
                h.insert("host".into(), json!(host));
            }
            if !headers.is_empty() {
                let hs: Vec<Value> = headers.iter().map(|(n, v)| json!({ "name": n, "value": v })).collect();
                h.insert("httpHeaders".into(), Value::Array(hs));
            }
            h.insert("path".into(), json!(path));
            h.insert("port".into(), port_json(port));
            h.insert("scheme".into(), json!(if scheme.is_empty() { "HTTP" } else { scheme }));
            o.insert("httpGet".into(), Value::Object(h));
        }
        Handler::TcpSocket { port, host } => {
            let mut h = Map::new();
            if !host.is_empty() {
                h.insert("host".into(), json!(host));
            }
            h.insert("port".into(), port_json(port));
            o.insert("tcpSocket".into(), Value::Object(h));
        }
        Handler::Grpc { port, service } => {
            o.insert("grpc".into(), json!({ "port": port, "service": service }));
        }
        Handler::Sleep { seconds } => {
            o.insert("sleep".into(), json!({ "seconds": seconds }));
        }
    }
    o.insert("failureThreshold".into(), json!(p.failure_threshold));
    if p.initial_delay_seconds != 0 {
        o.insert("initialDelaySeconds".into(), json!(p.initial_delay_seconds));
    }
    o.insert("periodSeconds".into(), json!(p.period_seconds));
    o.insert("successThreshold".into(), json!(p.success_threshold));
    if let Some(t) = p.termination_grace_period_seconds {
        o.insert("terminationGracePeriodSeconds".into(), json!(t));
    }
    o.insert("timeoutSeconds".into(), json!(p.timeout_seconds));
    Value::Object(o)
}

/// Go's `json.MarshalIndent(v, "", "    ")` plus the trailing newline kubectl writes.
pub fn to_json_pretty(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_json(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => write_json_string(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                indent(out, level + 1);
                write_json(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            // serde_json's map is ordered by key bytes, like Go's sorted map keys.
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                indent(out, level + 1);
                write_json_string(out, k);
                out.push_str(": ");
                write_json(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
    }
}

fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Go uses exponent form here, with at least two exponent digits and no '+' padding.
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        let sign = if e < 0 { '-' } else { '+' };
        return format!("{m}e{sign}{:02}", e.abs());
    }
    format!("{f}")
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_style_indent_and_escapes() {
        let v = json!({"b": [1, {"x": "a<b>&c"}], "a": {}, "c": [], "d": "line\nnext", "e": null, "f": true});
        assert_eq!(
            to_json_pretty(&v),
            "{\n    \"a\": {},\n    \"b\": [\n        1,\n        {\n            \"x\": \"a\\u003cb\\u003e\\u0026c\"\n        }\n    ],\n    \"c\": [],\n    \"d\": \"line\\nnext\",\n    \"e\": null,\n    \"f\": true\n}\n"
        );
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(go_number(&serde_json::Number::from_f64(0.5).unwrap()), "0.5");
        assert_eq!(go_number(&serde_json::Number::from_f64(1e21).unwrap()), "1e+21");
        assert_eq!(go_number(&serde_json::Number::from_f64(1e-7).unwrap()), "1e-07");
    }

    #[test]
    fn runtime_ids() {
        assert_eq!(runtime_id("abc"), "containerd://abc");
        assert_eq!(runtime_id("docker://abc"), "docker://abc");
        assert_eq!(runtime_id(""), "");
    }
}
