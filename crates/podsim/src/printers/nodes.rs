//! `kubectl get nodes`: NAME STATUS ROLES AGE VERSION, and with `-o wide` INTERNAL-IP
//! EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME (kubectl's `printNode`).

use super::clock::Clock;
use super::selector::format_labels;
use super::{check_get_flags, no_resources, not_found, GetOptions, OutputFormat, Printed};
use crate::api::Node;
use crate::time::SimTime;
use crate::world::World;

/// `findNodeRoles`: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role=<role>`,
/// sorted and de-duplicated.
pub(crate) fn node_roles(node: &Node) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in &node.meta.labels {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    roles
}

/// The STATUS column: `Ready` / `NotReady` from the Ready condition (`Unknown` without one), plus
/// `,SchedulingDisabled` when cordoned.
pub(crate) fn node_status(node: &Node) -> String {
    let mut status: Vec<&str> = Vec::new();
    if let Some(c) = node.status.conditions.iter().find(|c| c.kind == "Ready") {
        status.push(if c.status == "True" { "Ready" } else { "NotReady" });
    }
    if status.is_empty() {
        status.push("Unknown");
    }
    if node.spec.unschedulable {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

fn or(s: &str, default: &str) -> String {
    if s.is_empty() {
        default.to_string()
    } else {
        s.to_string()
    }
}

fn row(node: &Node, clock: &Clock, opts: &GetOptions) -> Vec<String> {
    let roles = node_roles(node);
    let mut r = vec![
        node.meta.name.clone(),
        node_status(node),
        if roles.is_empty() { "<none>".to_string() } else { roles.join(",") },
        clock.since_opt(node.meta.creation_ms),
        node.status.kubelet_version.clone(),
    ];
    if opts.output == OutputFormat::Wide {
        r.push(or(&node.status.internal_ip, "<none>"));
        r.push("<none>".to_string());
        r.push(or(&node.status.os_image, "<unknown>"));
        r.push(or(&node.status.kernel_version, "<unknown>"));
        r.push(or(&node.status.container_runtime_version, "<unknown>"));
    }
    if opts.show_labels {
        r.push(format_labels(&node.meta.labels));
    }
    r
}

/// `kubectl get nodes [NAME]` (cluster-scoped: `-n` and `-A` change nothing).
pub fn get_nodes(world: &World, now_ms: SimTime, opts: &GetOptions) -> Printed {
    let clock = Clock::at(world, now_ms);
    let mut o = opts.clone();
    o.all_namespaces = false;
    let selector = match check_get_flags(&o) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let nodes: Vec<&Node> = match &o.name {
        Some(name) => match world.nodes.get(name) {
            Some(n) => vec![n],
            None => return not_found("nodes", name),
        },
        None => world.nodes.values().filter(|n| selector.matches(&n.meta.labels)).collect(),
    };
    if nodes.is_empty() {
        return no_resources(&o, "", false);
    }
    let mut header = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
    if o.output == OutputFormat::Wide {
        header.extend(["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]);
    }
    if o.show_labels {
        header.push("LABELS");
    }
    let rows: Vec<Vec<String>> = nodes.iter().map(|n| row(n, &clock, &o)).collect();
    Printed::out(super::table::render(&header, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{NodeCondition, NodeSpec, NodeStatus, ObjectMeta};

    fn node(labels: &[(&str, &str)], ready: Option<&str>, cordoned: bool) -> Node {
        let meta = ObjectMeta {
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        let conditions = ready
            .map(|s| {
                vec![NodeCondition {
                    kind: "Ready".into(),
                    status: s.into(),
                    reason: String::new(),
                    message: String::new(),
                    last_heartbeat_ms: 0,
                    last_transition_ms: 0,
                }]
            })
            .unwrap_or_default();
        Node {
            meta,
            spec: NodeSpec { unschedulable: cordoned, ..Default::default() },
            status: NodeStatus { conditions, ..Default::default() },
        }
    }

    #[test]
    fn roles_from_labels() {
        let n = node(
            &[("node-role.kubernetes.io/control-plane", ""), ("kubernetes.io/role", "master"), ("node-role.kubernetes.io/", "x")],
            None,
            false,
        );
        assert_eq!(node_roles(&n), vec!["control-plane".to_string(), "master".to_string()]);
    }

    #[test]
    fn status_column() {
        assert_eq!(node_status(&node(&[], Some("True"), false)), "Ready");
        assert_eq!(node_status(&node(&[], Some("Unknown"), false)), "NotReady");
        assert_eq!(node_status(&node(&[], Some("False"), true)), "NotReady,SchedulingDisabled");
        assert_eq!(node_status(&node(&[], None, true)), "Unknown,SchedulingDisabled");
    }
}
