//! Which fields the simulator models: exactly those `crate::api` carries. Everything else that
//! exists in the API is accepted and reported once as "accepted, not simulated".
//!
//! A pattern is a field path without indices (`spec.containers.ports.containerPort`). A
//! pattern with no listed children (`metadata.labels`, `spec.tolerations`) covers its whole
//! subtree.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::Value;

use super::path;

/// The kinds, for choosing a field list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Pod,
    Node,
    Namespace,
    Service,
    PriorityClass,
    ConfigMap,
    Secret,
}

const META: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "metadata.name",
    "metadata.generateName",
    "metadata.namespace",
    "metadata.uid",
    "metadata.labels",
    "metadata.annotations",
    "metadata.resourceVersion",
    "metadata.generation",
    "metadata.creationTimestamp",
    "metadata.deletionTimestamp",
    "metadata.deletionGracePeriodSeconds",
];

const CONTAINER: &[&str] = &[
    "name",
    "image",
    "imagePullPolicy",
    "command",
    "args",
    "workingDir",
    "env",
    "env.name",
    "env.value",
    "env.valueFrom",
    "env.valueFrom.fieldRef",
    "env.valueFrom.fieldRef.fieldPath",
    "env.valueFrom.fieldRef.apiVersion",
    "env.valueFrom.resourceFieldRef",
    "env.valueFrom.resourceFieldRef.containerName",
    "env.valueFrom.resourceFieldRef.resource",
    "env.valueFrom.configMapKeyRef",
    "env.valueFrom.secretKeyRef",
    "ports",
    "ports.name",
    "ports.containerPort",
    "ports.hostPort",
    "ports.protocol",
    "resources",
    "resources.requests",
    "resources.limits",
    "volumeMounts",
    "volumeMounts.name",
    "volumeMounts.mountPath",
    "volumeMounts.readOnly",
    "volumeMounts.subPath",
    "lifecycle",
    "restartPolicy",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "stdin",
    "tty",
];

const PROBE: &[&str] = &[
    "exec",
    "httpGet",
    "httpGet.path",
    "httpGet.port",
    "httpGet.host",
    "httpGet.scheme",
    "httpGet.httpHeaders",
    "tcpSocket",
    "grpc",
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
    "terminationGracePeriodSeconds",
];

const HOOK: &[&str] =
    &["exec", "httpGet", "httpGet.path", "httpGet.port", "httpGet.host", "httpGet.scheme", "httpGet.httpHeaders", "tcpSocket", "sleep"];

const POD_SPEC: &[&str] = &[
    "spec",
    "spec.initContainers",
    "spec.containers",
    "spec.restartPolicy",
    "spec.terminationGracePeriodSeconds",
    "spec.activeDeadlineSeconds",
    "spec.nodeName",
    "spec.nodeSelector",
    "spec.affinity",
    "spec.affinity.nodeAffinity",
    "spec.tolerations",
    "spec.schedulerName",
    "spec.schedulingGates",
    "spec.priorityClassName",
    "spec.priority",
    "spec.preemptionPolicy",
    "spec.volumes",
    "spec.volumes.name",
    "spec.volumes.emptyDir",
    "spec.volumes.emptyDir.medium",
    "spec.volumes.hostPath",
    "spec.volumes.hostPath.path",
    "spec.volumes.configMap",
    "spec.volumes.configMap.name",
    "spec.volumes.configMap.optional",
    "spec.volumes.secret",
    "spec.volumes.secret.secretName",
    "spec.volumes.secret.optional",
    "spec.hostNetwork",
    "spec.hostname",
    "spec.subdomain",
    "spec.dnsPolicy",
    "spec.serviceAccountName",
    "spec.serviceAccount",
    "spec.readinessGates",
    "status",
    "status.phase",
    "status.conditions",
    "status.conditions.type",
    "status.conditions.status",
    "status.conditions.reason",
    "status.conditions.message",
    "status.conditions.lastTransitionTime",
    "status.reason",
    "status.message",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
    "status.startTime",
    "status.nominatedNodeName",
    "status.qosClass",
];

const CONTAINER_STATUS: &[&str] = &["name", "image", "imageID", "containerID", "state", "lastState", "ready", "started", "restartCount"];

const NODE: &[&str] = &[
    "spec",
    "spec.unschedulable",
    "spec.taints",
    "spec.podCIDR",
    "status",
    "status.capacity",
    "status.allocatable",
    "status.conditions",
    "status.addresses",
    "status.images",
    "status.nodeInfo",
    "status.nodeInfo.kubeletVersion",
    "status.nodeInfo.osImage",
    "status.nodeInfo.containerRuntimeVersion",
    "status.nodeInfo.kernelVersion",
    "status.nodeInfo.architecture",
];

const NAMESPACE: &[&str] = &["status", "status.phase"];

const SERVICE: &[&str] = &[
    "spec",
    "spec.selector",
    "spec.ports",
    "spec.ports.name",
    "spec.ports.port",
    "spec.ports.targetPort",
    "spec.ports.protocol",
    "spec.ports.nodePort",
    "spec.clusterIP",
    "spec.type",
];

const PRIORITY_CLASS: &[&str] = &["value", "globalDefault", "preemptionPolicy", "description"];
const CONFIG_MAP: &[&str] = &["data"];
const SECRET: &[&str] = &["data", "stringData", "type"];

fn build(kind: Kind) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = META.iter().map(|s| s.to_string()).collect();
    let add = |set: &mut BTreeSet<String>, prefix: &str, list: &[&str]| {
        for f in list {
            set.insert(path::child(prefix, f));
        }
    };
    match kind {
        Kind::Pod => {
            add(&mut set, "", POD_SPEC);
            for c in ["spec.containers", "spec.initContainers"] {
                add(&mut set, c, CONTAINER);
                for p in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    let pp = path::child(c, p);
                    set.insert(pp.clone());
                    add(&mut set, &pp, PROBE);
                }
                for h in ["lifecycle.postStart", "lifecycle.preStop"] {
                    let hp = path::child(c, h);
                    set.insert(hp.clone());
                    add(&mut set, &hp, HOOK);
                }
            }
            for s in ["status.containerStatuses", "status.initContainerStatuses"] {
                set.insert(s.to_string());
                add(&mut set, s, CONTAINER_STATUS);
            }
        }
        Kind::Node => add(&mut set, "", NODE),
        Kind::Namespace => add(&mut set, "", NAMESPACE),
        Kind::Service => add(&mut set, "", SERVICE),
        Kind::PriorityClass => add(&mut set, "", PRIORITY_CLASS),
        Kind::ConfigMap => add(&mut set, "", CONFIG_MAP),
        Kind::Secret => add(&mut set, "", SECRET),
    }
    set
}

fn set(kind: Kind) -> &'static BTreeSet<String> {
    static SETS: OnceLock<[BTreeSet<String>; 7]> = OnceLock::new();
    let sets = SETS.get_or_init(|| {
        [
            build(Kind::Pod),
            build(Kind::Node),
            build(Kind::Namespace),
            build(Kind::Service),
            build(Kind::PriorityClass),
            build(Kind::ConfigMap),
            build(Kind::Secret),
        ]
    });
    &sets[kind as usize]
}

fn has_children(set: &BTreeSet<String>, pattern: &str) -> bool {
    let prefix = format!("{pattern}.");
    set.range(prefix.clone()..).next().is_some_and(|s| s.starts_with(&prefix))
}

/// Every present field the model does not carry, as (pattern, path with indices), skipping
/// the subtrees of reported fields and the `unknown` (non-existent) fields.
pub(crate) fn unsimulated(kind: Kind, value: &Value, unknown: &BTreeSet<String>) -> Vec<(String, String)> {
    let set = set(kind);
    let mut out = Vec::new();
    let mut stack: Vec<(&Value, String, String)> = vec![(value, String::new(), String::new())];
    while let Some((v, actual, pattern)) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let a = path::child(&actual, k);
                    let p = path::child(&pattern, k);
                    if unknown.contains(&a) {
                        continue;
                    }
                    if set.contains(&p) {
                        if has_children(set, &p) {
                            stack.push((child, a, p));
                        }
                    } else {
                        out.push((p, a));
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    stack.push((item, path::index(&actual, i), pattern.clone()));
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `pattern` is a field the model carries (for tests and callers that ask).
#[cfg(test)]
pub(crate) fn is_simulated(kind: Kind, pattern: &str) -> bool {
    set(kind).contains(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_only_the_top_unsimulated_field() {
        let v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "ownerReferences": [{"name": "x"}]},
            "spec": {"securityContext": {"runAsUser": 1}, "containers": [
                {"name": "a", "image": "i", "securityContext": {"privileged": true}, "livenessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 3}},
                {"name": "b", "image": "i", "securityContext": {}, "imagePullPolcy": "x"}]}});
        let unknown: BTreeSet<String> = ["spec.containers[1].imagePullPolcy".to_string()].into();
        let mut got = unsimulated(Kind::Pod, &v, &unknown);
        got.sort();
        assert_eq!(
            got,
            vec![
                ("metadata.ownerReferences".to_string(), "metadata.ownerReferences".to_string()),
                ("spec.containers.securityContext".to_string(), "spec.containers[0].securityContext".to_string()),
                ("spec.containers.securityContext".to_string(), "spec.containers[1].securityContext".to_string()),
                ("spec.securityContext".to_string(), "spec.securityContext".to_string()),
            ]
        );
    }

    #[test]
    fn model_fields_are_simulated() {
        for p in [
            "spec.containers.livenessProbe.httpGet.port",
            "spec.initContainers.restartPolicy",
            "spec.containers.lifecycle.preStop.sleep",
            "spec.volumes.emptyDir",
            "status.containerStatuses.lastState",
            "metadata.labels",
        ] {
            assert!(is_simulated(Kind::Pod, p), "{p}");
        }
        assert!(!is_simulated(Kind::Pod, "spec.containers.envFrom"));
        assert!(is_simulated(Kind::Node, "status.capacity"));
        assert!(is_simulated(Kind::Secret, "stringData"));
    }
}
