//! The API server (and etcd behind it): receives kubectl's requests, runs admission (namespace
//! exists, priority resolved, default tolerations), assigns uid / resourceVersion /
//! creationTimestamp, handles graceful deletion, writes bindings, and hands changes to watchers.

use crate::api::{Namespace, Object, ObjectKey, ObjectMeta, Phase, Pod, PodCondition, Taint, Toleration, Uid};
use crate::event::{EventType, InvolvedObject, KubeEvent};
use crate::explain::{Actor, Why};
use crate::rng::{fnv1a, Fnv1a};
use crate::sim::{Action, Command, Ctx, Event, Out};
use crate::world::World;

/// kubectl turns an intervention into a request (or, for faults, acts directly).
pub fn on_action(w: &World, ctx: &Ctx, action: &Action) -> Out {
    match action {
        Action::NodeFail { .. } | Action::NodeRecover { .. } => crate::nodectl::on_fault(w, ctx, action),
        Action::KillContainer { .. } | Action::OomContainer { .. } => crate::kubelet::on_intervention(w, ctx, action),
        Action::SetNamespace { name } => {
            let mut out = Out::new(Actor::Kubectl, Why::Updated { what: "kubectl context".into(), detail: format!("the current namespace is now {name}") });
            out.push(Command::SetNamespace(name.clone()));
            out.output = Some("Context \"kind-playground\" modified.\n".into());
            out
        }
        _ => {
            let (verb, what) = describe_request(action);
            let mut out = Out::new(Actor::Kubectl, Why::Request { verb, what });
            out.after(ctx.durations.api_write_ms, Event::ApiRequest(action.clone()));
            out
        }
    }
}

fn describe_request(action: &Action) -> (String, String) {
    match action {
        Action::Apply { objects } => {
            // `kind/name, kind/name, …` in one string (a request may carry thousands of objects).
            let mut names = String::new();
            for o in objects.iter() {
                push_object_name(&mut names, o.kind_lower(), &o.meta().name);
            }
            ("create".into(), names)
        }
        Action::DeletePod { name, .. } => ("delete".into(), format!("pod/{name}")),
        Action::DeleteObject { kind, name, .. } => ("delete".into(), format!("{}/{name}", kind.to_lowercase())),
        Action::Label { kind, name, .. } => ("patch (label)".into(), format!("{}/{name}", kind.to_lowercase())),
        Action::Cordon { node, unschedulable } => ((if *unschedulable { "cordon" } else { "uncordon" }).into(), format!("node/{node}")),
        Action::Drain { node } => ("drain".into(), format!("node/{node}")),
        Action::Taint { node, .. } => ("patch (taint)".into(), format!("node/{node}")),
        Action::CreateNamespace { name } => ("create".into(), format!("namespace/{name}")),
        Action::Exec { pod, command, .. } => ("exec".into(), format!("pod/{pod} (`{}`)", command.join(" "))),
        _ => ("request".into(), String::new()),
    }
}

/// The API server handles a request that reached it.
pub fn on_request(w: &World, ctx: &Ctx, action: &Action) -> Out {
    match action {
        Action::Apply { objects } => apply_objects(w, ctx, objects),
        Action::CreateNamespace { name } => {
            let ns = Namespace { meta: ObjectMeta { name: name.clone(), ..ObjectMeta::default() }, phase: "Active".into() };
            apply_objects(w, ctx, &[Object::Namespace(Box::new(ns))])
        }
        Action::DeletePod { namespace, name, grace_seconds, force } => delete_pod(w, ctx, namespace, name, *grace_seconds, *force),
        Action::DeleteObject { kind, namespace, name } => {
            let key = ObjectKey::new(namespace, name);
            let exists = match kind.as_str() {
                "Service" => w.services.contains_key(&key),
                "Namespace" => w.namespaces.contains_key(name),
                "Node" => w.nodes.contains_key(name),
                "ConfigMap" => w.config_maps.contains_key(&key),
                "Secret" => w.secrets.contains_key(&key),
                _ => false,
            };
            if !exists {
                return rejected(format!("Error from server (NotFound): {} \"{name}\" not found", plural(kind)));
            }
            let mut out = Out::new(Actor::ApiServer, Why::Stored { what: format!("the deletion of {}/{name}", kind.to_lowercase()), resource_version: w.resource_version + 1 });
            out.push(Command::RemoveObject { kind: kind.clone(), key });
            out.output = Some(format!("{}/{name} deleted\n", kind.to_lowercase()));
            if kind == "Node" {
                out.push(Command::Queue(crate::scheduler::QueueOp::ClusterChanged));
            }
            out
        }
        Action::Label { kind, namespace, name, set, remove, overwrite } => label(w, ctx, kind, namespace, name, set, remove, *overwrite),
        Action::Cordon { node, unschedulable } => cordon(w, node, *unschedulable),
        Action::Drain { node } => drain(w, ctx, node),
        Action::Taint { node, key, value, effect, remove } => taint(w, node, key, value, effect, *remove),
        Action::Exec { .. } => crate::kubelet::on_intervention(w, ctx, action),
        _ => Out::none(),
    }
}

fn plural(kind: &str) -> String {
    match kind {
        "Service" => "services".into(),
        "Namespace" => "namespaces".into(),
        "Node" => "nodes".into(),
        "ConfigMap" => "configmaps".into(),
        "Secret" => "secrets".into(),
        "PriorityClass" => "priorityclasses.scheduling.k8s.io".into(),
        _ => "pods".into(),
    }
}

fn rejected(message: String) -> Out {
    let mut out = Out::new(Actor::ApiServer, Why::Rejected { message: message.clone() });
    out.output = Some(format!("{message}\n"));
    out
}

/// A deterministic uid (UUID-shaped) for an object created at a resourceVersion: two FNV-1a
/// hashes, of `{seed}/{kind}/{key}/{rv}` and `{rv}/{key}/{kind}/{seed}/b`, in the layout
/// `{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}`. Hashed and written without formatting: every
/// created object gets one.
pub fn make_uid(seed: u64, kind: &str, key: &ObjectKey, rv: u64) -> Uid {
    let with_key = |h: &mut Fnv1a| {
        if !key.namespace.is_empty() {
            h.str(&key.namespace).str("/");
        }
        h.str(&key.name);
    };
    let mut a = Fnv1a::default();
    a.decimal(seed).str("/").str(kind).str("/");
    with_key(&mut a);
    let a = a.str("/").decimal(rv).finish();
    let mut b = Fnv1a::default();
    b.decimal(rv).str("/");
    with_key(&mut b);
    let b = b.str("/").str(kind).str("/").decimal(seed).str("/b").finish();
    let mut uid = String::with_capacity(36);
    let hex = |uid: &mut String, value: u64, digits: u32| {
        for i in (0..digits).rev() {
            uid.push(char::from_digit(((value >> (4 * i)) & 0xf) as u32, 16).unwrap_or('0'));
        }
    };
    hex(&mut uid, a >> 32, 8);
    uid.push('-');
    hex(&mut uid, (a >> 16) & 0xffff, 4);
    uid.push_str("-4");
    hex(&mut uid, a & 0xfff, 3);
    uid.push('-');
    hex(&mut uid, 0x8000 | ((b >> 48) & 0x3fff), 4);
    uid.push('-');
    hex(&mut uid, b & 0xffff_ffff_ffff, 12);
    Uid::new(&uid)
}

fn apply_objects(w: &World, ctx: &Ctx, objects: &[Object]) -> Out {
    let mut out = Out::new(Actor::ApiServer, Why::Stored { what: String::new(), resource_version: 0 });
    // Two commands per object (store it, tell a watcher): reserved at once, as a request may
    // carry thousands of objects and each command is a few hundred bytes.
    out.cmds.reserve(objects.len() * 2);
    // What was stored, `kind/name, kind/name, …` (written as it goes: a request may carry
    // thousands of objects).
    let mut stored = String::new();
    let mut errors = Vec::new();
    let mut outputs = String::new();
    // Objects created earlier in the same request count (a Namespace before its Pods).
    let mut new_namespaces: Vec<String> = Vec::new();
    let mut new_classes: Vec<crate::api::PriorityClass> = Vec::new();
    let mut rv = w.resource_version;
    let mut cluster_changed = false;
    // The step is about the last pod created (its key is made once, after the loop).
    let mut last_pod: Option<&Object> = None;
    for source in objects {
        let mut obj = source.clone();
        let kind = obj.kind();
        let namespaced = matches!(obj, Object::Pod(_) | Object::Service(_) | Object::ConfigMap(_) | Object::Secret(_));
        let key = ObjectKey::new(&obj.meta().namespace, &obj.meta().name);
        let lower = obj.kind_lower();
        if namespaced && !w.namespaces.contains_key(&key.namespace) && !new_namespaces.contains(&key.namespace) {
            errors.push(format!("Error from server (NotFound): error when creating \"STDIN\": namespaces \"{}\" not found", key.namespace));
            continue;
        }
        let existing_pod = if let Object::Pod(_) = obj { w.pods.get(&key) } else { None };
        if let (Object::Pod(new), Some(old)) = (&obj, existing_pod) {
            match update_pod(old, new) {
                Ok(None) => outputs.push_str(&format!("pod/{} unchanged\n", key.name)),
                Ok(Some(updated)) => {
                    rv += 1;
                    outputs.push_str(&format!("pod/{} configured\n", key.name));
                    push_object_name(&mut stored, "pod", &key.name);
                    out.push(Command::PutPod(std::sync::Arc::new(updated.clone())));
                    if !updated.spec.node_name.is_empty() {
                        out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: updated.spec.node_name.clone(), pod: key.clone() });
                    }
                }
                Err(e) => errors.push(e),
            }
            continue;
        }
        let exists = match &obj {
            Object::Node(n) => w.nodes.contains_key(&n.meta.name),
            Object::Namespace(n) => w.namespaces.contains_key(&n.meta.name) || new_namespaces.contains(&n.meta.name),
            Object::Service(_) => w.services.contains_key(&key),
            Object::PriorityClass(p) => w.priority_classes.contains_key(&p.meta.name),
            Object::ConfigMap(_) => w.config_maps.contains_key(&key),
            Object::Secret(_) => w.secrets.contains_key(&key),
            Object::Pod(_) => false,
        };
        if exists {
            outputs.push_str(&format!("{lower}/{} unchanged\n", key.name));
            continue;
        }
        rv += 1;
        let uid = make_uid(ctx.seed, kind, &key, rv);
        {
            let m = obj.meta_mut();
            m.uid = uid;
            m.creation_ms = Some(w.now_ms);
            m.generation = 1;
        }
        match &mut obj {
            Object::Pod(pod) => {
                if let Err(e) = admit_pod(w, &new_classes, std::sync::Arc::make_mut(pod)) {
                    errors.push(e);
                    continue;
                }
                if pod.spec.node_name.is_empty() {
                    if pod.spec.scheduling_gates.is_empty() {
                        out.after(ctx.durations.watch_delivery_ms, Event::SchedulerWatch(key.clone()));
                    }
                } else {
                    out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: pod.spec.node_name.clone(), pod: key.clone() });
                }
                last_pod = Some(source);
            }
            Object::Node(node) => {
                let index = w.nodes.len() as u32;
                crate::cluster::complete_node(node, index);
                cluster_changed = true;
            }
            Object::Namespace(ns) => {
                ns.phase = "Active".into();
                new_namespaces.push(ns.meta.name.clone());
            }
            Object::PriorityClass(pc) => new_classes.push(crate::api::PriorityClass::clone(pc)),
            Object::Service(svc) => {
                if svc.cluster_ip.is_empty() && svc.kind != "ExternalName" {
                    let n = w.services.len() as u64 + 1 + (fnv1a(key.to_string().as_bytes()) % 200);
                    svc.cluster_ip = format!("10.96.{}.{}", n / 250, 10 + n % 240);
                }
            }
            _ => {}
        }
        push_object_name(&mut stored, lower, &key.name);
        outputs.extend([lower, "/", &key.name, " created\n"]);
        match obj {
            Object::Pod(p) => out.push(Command::PutPod(p)),
            Object::Node(n) => out.push(Command::PutNode(n)),
            other => out.push(Command::PutObject(Box::new(other))),
        }
    }
    if cluster_changed {
        out.push(Command::Queue(crate::scheduler::QueueOp::ClusterChanged));
    }
    if let Some(pod) = last_pod {
        out.pod = Some(std::sync::Arc::new(ObjectKey::new(&pod.meta().namespace, &pod.meta().name)));
    }
    for e in &errors {
        outputs.push_str(e);
        outputs.push('\n');
    }
    out.output = Some(outputs);
    if stored.is_empty() {
        out.why = Some(if errors.is_empty() {
            Why::Updated { what: "kubectl apply".into(), detail: "nothing changed".into() }
        } else {
            Why::Rejected { message: errors.join("; ") }
        });
    } else {
        out.why = Some(Why::Stored { what: stored, resource_version: rv });
    }
    out
}

/// Appends `kind/name` to a comma-separated list of objects, as kubectl names them.
fn push_object_name(stored: &mut String, kind: &str, name: &str) {
    if !stored.is_empty() {
        stored.push_str(", ");
    }
    stored.extend([kind, "/", name]);
}

/// Pod admission: priority from its PriorityClass, default tolerations (DefaultTolerationSeconds),
/// the service account, and the initial status.
fn admit_pod(w: &World, new_classes: &[crate::api::PriorityClass], pod: &mut Pod) -> Result<(), String> {
    let name = pod.meta.name.clone();
    let class = |n: &str| w.priority_classes.get(n).or_else(|| new_classes.iter().find(|pc| pc.meta.name == n));
    if !pod.spec.priority_class_name.is_empty() {
        match class(&pod.spec.priority_class_name) {
            Some(pc) => {
                pod.spec_mut().priority = pc.value;
                if pod.spec.preemption_policy.is_empty() {
                    pod.spec_mut().preemption_policy = if pc.preemption_policy.is_empty() { "PreemptLowerPriority".into() } else { pc.preemption_policy.clone() };
                }
            }
            None if pod.spec.priority_class_name == "system-node-critical" => pod.spec_mut().priority = 2_000_001_000,
            None if pod.spec.priority_class_name == "system-cluster-critical" => pod.spec_mut().priority = 2_000_000_000,
            None => {
                return Err(format!(
                    "Error from server (Forbidden): error when creating \"STDIN\": pods \"{name}\" is forbidden: no PriorityClass with name {} was found",
                    pod.spec.priority_class_name
                ))
            }
        }
    } else if let Some(pc) = w.priority_classes.values().chain(new_classes).find(|pc| pc.global_default) {
        pod.spec_mut().priority_class_name = pc.meta.name.clone();
        pod.spec_mut().priority = pc.value;
    }
    if pod.spec.preemption_policy.is_empty() {
        pod.spec_mut().preemption_policy = "PreemptLowerPriority".into();
    }
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let tolerated = pod.spec.tolerations.iter().any(|t| (t.key == key || (t.key.is_empty() && t.operator == "Exists")) && (t.effect.is_empty() || t.effect == "NoExecute"));
        if !tolerated {
            pod.spec_mut().tolerations.push(Toleration { key: key.into(), operator: "Exists".into(), value: String::new(), effect: "NoExecute".into(), toleration_seconds: Some(300) });
        }
    }
    if pod.spec.service_account_name.is_empty() {
        pod.spec_mut().service_account_name = "default".into();
    }
    pod.status = Default::default();
    pod.status.phase = Phase::Pending;
    pod.status.qos_class = crate::manifest::qos_class(&pod.spec).to_string();
    if !pod.spec.scheduling_gates.is_empty() {
        pod.status.conditions.push(PodCondition::new("PodScheduled", false, "SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates", w.now_ms));
    }
    Ok(())
}

/// `kubectl apply` of a Pod that exists: only images (and labels/annotations, activeDeadlineSeconds,
/// added tolerations) may change, as the apiserver's pod update validation allows.
fn update_pod(old: &Pod, new: &Pod) -> Result<Option<Pod>, String> {
    let mut updated = old.clone();
    updated.meta.labels = new.meta.labels.clone();
    updated.meta.annotations = new.meta.annotations.clone();
    let mut candidate = crate::api::PodSpec::clone(&old.spec);
    for (c, n) in candidate.containers.iter_mut().zip(&new.spec.containers) {
        c.image = n.image.clone();
        c.image_pull_policy = n.image_pull_policy;
    }
    for (c, n) in candidate.init_containers.iter_mut().zip(&new.spec.init_containers) {
        c.image = n.image.clone();
        c.image_pull_policy = n.image_pull_policy;
    }
    candidate.active_deadline_seconds = new.spec.active_deadline_seconds.or(old.spec.active_deadline_seconds);
    let mut comparable = crate::api::PodSpec::clone(&new.spec);
    // Fields the API server fills at admission are not the user's changes.
    comparable.node_name = old.spec.node_name.clone();
    comparable.priority = old.spec.priority;
    comparable.preemption_policy = old.spec.preemption_policy.clone();
    comparable.service_account_name = old.spec.service_account_name.clone();
    comparable.tolerations = old.spec.tolerations.clone();
    if comparable.containers.len() != candidate.containers.len() || comparable != candidate {
        return Err(format!(
            "The Pod \"{}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            old.meta.name
        ));
    }
    updated.spec = std::sync::Arc::new(candidate);
    if updated.spec == old.spec && updated.meta == old.meta {
        return Ok(None);
    }
    if updated.spec != old.spec {
        updated.meta.generation += 1;
    }
    Ok(Some(updated))
}

/// Graceful deletion (deletionTimestamp + grace) or immediate removal.
fn delete_pod(w: &World, ctx: &Ctx, namespace: &str, name: &str, grace: Option<i64>, force: bool) -> Out {
    let key = ObjectKey::new(namespace, name);
    let Some(pod) = w.pods.get(&key) else {
        return rejected(format!("Error from server (NotFound): pods \"{name}\" not found"));
    };
    let bound_to_live_node = !pod.spec.node_name.is_empty() && w.nodes.contains_key(&pod.spec.node_name);
    let grace = match grace {
        Some(0) if !force => 1,
        Some(g) if g >= 0 => g,
        _ => pod.spec.termination_grace_period_seconds,
    };
    let mut out = Out::new(Actor::ApiServer, Why::Stored { what: format!("the deletion of pod/{name}"), resource_version: w.resource_version + 1 }).with_pod(&key);
    let mut text = String::new();
    if force && grace == 0 {
        text.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    text.push_str(&format!("pod \"{name}\" {}\n", if force && grace == 0 { "force deleted" } else { "deleted" }));
    out.output = Some(text);
    if pod.meta.deletion_ms.is_some() && !(force && grace == 0) {
        return out;
    }
    if !bound_to_live_node || (force && grace == 0) || pod.status.phase.is_terminal() && pod.spec.node_name.is_empty() {
        out.why = Some(Why::PodRemoved { pod: format!("pod/{name}") });
        out.push(Command::RemovePod(key.clone()));
        if !pod.spec.node_name.is_empty() {
            // The kubelet still has to stop the containers (with the 2 s minimum grace).
            out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: pod.spec.node_name.clone(), pod: key });
        }
        return out;
    }
    let mut pod = Pod::clone(pod);
    pod.meta.deletion_ms = Some(w.now_ms.saturating_add(crate::time::seconds_ms(grace)));
    pod.meta.deletion_grace_seconds = Some(grace);
    pod.meta.generation += 1;
    out.push(Command::PutPod(std::sync::Arc::new(pod.clone())));
    out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: pod.spec.node_name.clone(), pod: key });
    out
}

#[allow(clippy::too_many_arguments)]
fn label(w: &World, _ctx: &Ctx, kind: &str, namespace: &str, name: &str, set: &[(String, String)], remove: &[String], overwrite: bool) -> Out {
    let labels_of = |labels: &std::collections::BTreeMap<String, String>| -> Result<std::collections::BTreeMap<String, String>, String> {
        let mut l = labels.clone();
        for (k, v) in set {
            if let Some(old) = l.get(k) {
                if old != v && !overwrite {
                    return Err(format!("error: '{k}' already has a value ({old}), and --overwrite is false"));
                }
            }
            l.insert(k.clone(), v.clone());
        }
        for k in remove {
            l.remove(k);
        }
        Ok(l)
    };
    let detail = set.iter().map(|(k, v)| format!("{k}={v}")).chain(remove.iter().map(|k| format!("{k}-"))).collect::<Vec<_>>().join(" ");
    if kind == "Node" {
        let Some(node) = w.nodes.get(name) else {
            return rejected(format!("Error from server (NotFound): nodes \"{name}\" not found"));
        };
        let labels = match labels_of(&node.meta.labels) {
            Ok(l) => l,
            Err(e) => return rejected(e),
        };
        let mut node = node.clone();
        let changed = node.meta.labels != labels;
        node.meta.labels = labels;
        let mut out = Out::new(Actor::ApiServer, Why::Updated { what: format!("node/{name}"), detail: format!("labels {detail}") });
        out.output = Some(format!("node/{name} {}\n", if changed { "labeled" } else { "not labeled" }));
        out.push(Command::PutNode(Box::new(node)));
        out.push(Command::Queue(crate::scheduler::QueueOp::ClusterChanged));
        return out;
    }
    let key = ObjectKey::new(namespace, name);
    let Some(pod) = w.pods.get(&key) else {
        return rejected(format!("Error from server (NotFound): pods \"{name}\" not found"));
    };
    let labels = match labels_of(&pod.meta.labels) {
        Ok(l) => l,
        Err(e) => return rejected(e),
    };
    let mut pod = Pod::clone(pod);
    let changed = pod.meta.labels != labels;
    pod.meta.labels = labels;
    let mut out = Out::new(Actor::ApiServer, Why::Updated { what: format!("pod/{name}"), detail: format!("labels {detail}") }).with_pod(&key);
    out.output = Some(format!("pod/{name} {}\n", if changed { "labeled" } else { "not labeled" }));
    out.push(Command::PutPod(std::sync::Arc::new(pod)));
    out
}

fn cordon(w: &World, node: &str, unschedulable: bool) -> Out {
    let Some(n) = w.nodes.get(node) else {
        return rejected(format!("Error from server (NotFound): nodes \"{node}\" not found"));
    };
    let mut n = n.clone();
    let verb = if unschedulable { "cordoned" } else { "uncordoned" };
    let already = n.spec.unschedulable == unschedulable;
    n.spec.unschedulable = unschedulable;
    let key = "node.kubernetes.io/unschedulable";
    n.spec.taints.retain(|t| t.key != key);
    if unschedulable {
        n.spec.taints.push(Taint { key: key.into(), value: String::new(), effect: "NoSchedule".into(), time_added_ms: Some(w.now_ms) });
    }
    let mut out = Out::new(Actor::ApiServer, Why::Updated { what: format!("node/{node}"), detail: if unschedulable { "marked unschedulable".into() } else { "marked schedulable".into() } });
    out.output = Some(if already { format!("node/{node} already {verb}\n") } else { format!("node/{node} {verb}\n") });
    out.push(Command::PutNode(Box::new(n)));
    if !unschedulable {
        out.push(Command::Queue(crate::scheduler::QueueOp::ClusterChanged));
    }
    out
}

fn drain(w: &World, ctx: &Ctx, node: &str) -> Out {
    let mut out = cordon(w, node, true);
    if w.nodes.contains_key(node) {
        let mut text = out.output.take().unwrap_or_default();
        for (key, pod) in w.pods.iter().filter(|(_, p)| p.spec.node_name == node && p.meta.deletion_ms.is_none()) {
            text.push_str(&format!("evicting pod {}/{}\n", key.namespace, key.name));
            let mut p = Pod::clone(pod);
            let grace = p.spec.termination_grace_period_seconds;
            p.meta.deletion_ms = Some(w.now_ms.saturating_add(crate::time::seconds_ms(grace)));
            p.meta.deletion_grace_seconds = Some(grace);
            out.push(Command::PutPod(std::sync::Arc::new(p)));
            out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: node.into(), pod: key.clone() });
        }
        text.push_str(&format!("node/{node} drained\n"));
        out.output = Some(text);
    }
    out
}

fn taint(w: &World, node: &str, key: &str, value: &str, effect: &str, remove: bool) -> Out {
    let Some(n) = w.nodes.get(node) else {
        return rejected(format!("Error from server (NotFound): nodes \"{node}\" not found"));
    };
    let mut n = n.clone();
    n.spec.taints.retain(|t| !(t.key == key && (effect.is_empty() || t.effect == effect)));
    if !remove {
        n.spec.taints.push(Taint { key: key.into(), value: value.into(), effect: effect.into(), time_added_ms: Some(w.now_ms) });
    }
    let mut out = Out::new(Actor::ApiServer, Why::Updated { what: format!("node/{node}"), detail: format!("taint {key}={value}:{effect}{}", if remove { " removed" } else { " added" }) });
    out.output = Some(format!("node/{node} {}\n", if remove { "untainted" } else { "tainted" }));
    out.push(Command::PutNode(Box::new(n)));
    out.push(Command::Queue(crate::scheduler::QueueOp::ClusterChanged));
    if !remove && effect == "NoExecute" {
        for (k, p) in w.pods.iter().filter(|(_, p)| p.spec.node_name == node) {
            out.push(Command::After { after_ms: 0, event: Event::TaintEviction { pod: k.clone(), uid: p.meta.uid.clone() } });
        }
    }
    out
}

/// The scheduler's binding reaches the API server.
pub fn on_bind(w: &World, ctx: &Ctx, key: &ObjectKey, uid: &str, node: &str) -> Out {
    let Some(pod) = w.pods.get(key).filter(|p| p.meta.uid == uid && p.spec.node_name.is_empty()) else {
        let mut out = Out::none();
        out.push(Command::Queue(crate::scheduler::QueueOp::Unassume { uid: Uid::new(uid) }));
        return out;
    };
    let mut pod = Pod::clone(pod);
    pod.spec_mut().node_name = node.to_string();
    pod.status.nominated_node_name.clear();
    pod.status.set_condition(PodCondition::new("PodScheduled", true, "", "", w.now_ms));
    let mut out = Out::new(Actor::ApiServer, Why::Bound { pod: ["pod/", &key.name].concat(), node: node.into() }).with_pod(key);
    out.push(Command::Queue(crate::scheduler::QueueOp::Unassume { uid: Uid::new(uid) }));
    out.push(Command::emit(KubeEvent::new(
        EventType::Normal,
        "Scheduled",
        crate::scheduler::assigned_message(key, node),
        pod_ref(&pod, ""),
        "default-scheduler",
        "",
        w.now_ms,
    )));
    out.push(Command::PutPod(std::sync::Arc::new(pod)));
    out.after(ctx.durations.watch_delivery_ms, Event::KubeletWatch { node: node.into(), pod: key.clone() });
    out
}

/// The reference to a pod (or one of its containers) that events carry.
pub fn pod_ref(pod: &Pod, field_path: &str) -> InvolvedObject {
    InvolvedObject {
        kind: "Pod".into(),
        namespace: pod.meta.namespace.clone(),
        name: pod.meta.name.clone(),
        uid: pod.meta.uid.to_string(),
        field_path: field_path.to_string(),
    }
}

/// The kubelet deletes a pod it has finished terminating (grace period 0): the object goes.
pub fn on_remove_finished(w: &World, key: &ObjectKey, uid: &str) -> Out {
    if !w.pods.get(key).is_some_and(|p| p.meta.uid == uid) {
        return Out::none();
    }
    let mut out = Out::new(Actor::ApiServer, Why::PodRemoved { pod: format!("pod/{}", key.name) }).with_pod(key);
    out.push(Command::RemovePod(key.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards `make_uid`'s hand-written hashing and hex against the formatted definition it
    /// replaced: uids appear in golden `-o yaml` output and event messages.
    #[test]
    fn uids_match_their_formatted_definition() {
        let formatted = |seed: u64, kind: &str, key: &ObjectKey, rv: u64| {
            let a = fnv1a(format!("{seed}/{kind}/{key}/{rv}").as_bytes());
            let b = fnv1a(format!("{rv}/{key}/{kind}/{seed}/b").as_bytes());
            format!("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", (a >> 32) as u32, (a >> 16) & 0xffff, a & 0xfff, 0x8000 | ((b >> 48) & 0x3fff), b & 0xffff_ffff_ffff)
        };
        let keys = [ObjectKey::new("default", "web"), ObjectKey::new("", "worker-1"), ObjectKey::new("kube-system", "a")];
        for seed in [0, 1, 42, u64::MAX] {
            for key in &keys {
                for rv in [0, 1, 9, 10, 123_456] {
                    assert_eq!(make_uid(seed, "Pod", key, rv), formatted(seed, "Pod", key, rv));
                }
            }
        }
    }
}
