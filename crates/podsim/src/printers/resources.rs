//! `kubectl get svc` (NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, `-o wide` adds SELECTOR) and
//! `kubectl get ns` (NAME STATUS AGE), as kubectl's `printService` and `printNamespace`.

use super::clock::Clock;
use super::selector::format_labels;
use super::{check_get_flags, no_resources, not_found, GetOptions, OutputFormat, Printed};
use crate::api::{Namespace, Service};
use crate::time::SimTime;
use crate::world::World;

/// `makePortString`: `80/TCP`, `80:30080/TCP`, joined by commas.
pub(crate) fn port_string(svc: &Service) -> String {
    svc.ports
        .iter()
        .map(|p| {
            let proto = if p.protocol.is_empty() { "TCP" } else { &p.protocol };
            if p.node_port > 0 {
                format!("{}:{}/{proto}", p.port, p.node_port)
            } else {
                format!("{}/{proto}", p.port)
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn service_row(svc: &Service, clock: &Clock, opts: &GetOptions) -> Vec<String> {
    let kind = if svc.kind.is_empty() { "ClusterIP" } else { svc.kind.as_str() };
    let cluster_ip = if svc.cluster_ip.is_empty() { "<none>".to_string() } else { svc.cluster_ip.clone() };
    let external = match kind {
        "LoadBalancer" => "<pending>",
        _ => "<none>",
    };
    let ports = port_string(svc);
    let mut r = Vec::new();
    if opts.all_namespaces {
        r.push(svc.meta.namespace.clone());
    }
    r.extend([
        svc.meta.name.clone(),
        kind.to_string(),
        cluster_ip,
        external.to_string(),
        if ports.is_empty() { "<none>".to_string() } else { ports },
        clock.since_opt(svc.meta.creation_ms),
    ]);
    if opts.output == OutputFormat::Wide {
        r.push(format_labels(&svc.selector));
    }
    if opts.show_labels {
        r.push(format_labels(&svc.meta.labels));
    }
    r
}

/// `kubectl get svc [NAME]`.
pub fn get_services(world: &World, now_ms: SimTime, opts: &GetOptions) -> Printed {
    let clock = Clock::at(world, now_ms);
    let ns = opts.namespace_or(world);
    let selector = match check_get_flags(opts) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let svcs: Vec<&Service> = match &opts.name {
        Some(name) => match world.services.values().find(|s| s.meta.namespace == ns && &s.meta.name == name) {
            Some(s) => vec![s],
            None => return not_found("services", name),
        },
        None => world
            .services
            .values()
            .filter(|s| opts.all_namespaces || s.meta.namespace == ns)
            .filter(|s| selector.matches(&s.meta.labels))
            .collect(),
    };
    if svcs.is_empty() {
        return no_resources(opts, &ns, true);
    }
    let mut header = Vec::new();
    if opts.all_namespaces {
        header.push("NAMESPACE");
    }
    header.extend(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    if opts.output == OutputFormat::Wide {
        header.push("SELECTOR");
    }
    if opts.show_labels {
        header.push("LABELS");
    }
    let rows: Vec<Vec<String>> = svcs.iter().map(|s| service_row(s, &clock, opts)).collect();
    Printed::out(super::table::render(&header, &rows))
}

/// `kubectl get ns [NAME]` (cluster-scoped).
pub fn get_namespaces(world: &World, now_ms: SimTime, opts: &GetOptions) -> Printed {
    let clock = Clock::at(world, now_ms);
    let mut o = opts.clone();
    o.all_namespaces = false;
    let selector = match check_get_flags(&o) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let list: Vec<&Namespace> = match &o.name {
        Some(name) => match world.namespaces.get(name) {
            Some(n) => vec![n],
            None => return not_found("namespaces", name),
        },
        None => world.namespaces.values().filter(|n| selector.matches(&n.meta.labels)).collect(),
    };
    if list.is_empty() {
        return no_resources(&o, "", false);
    }
    let mut header = vec!["NAME", "STATUS", "AGE"];
    if o.show_labels {
        header.push("LABELS");
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|n| {
            let mut r = vec![
                n.meta.name.clone(),
                if n.phase.is_empty() { "Active".to_string() } else { n.phase.clone() },
                clock.since_opt(n.meta.creation_ms),
            ];
            if o.show_labels {
                r.push(format_labels(&n.meta.labels));
            }
            r
        })
        .collect();
    Printed::out(super::table::render(&header, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ObjectMeta, PortRef, ServicePort};

    #[test]
    fn ports_like_kubectl() {
        let port = |port, node_port, protocol: &str| ServicePort {
            name: String::new(),
            port,
            target_port: PortRef::Number(port),
            protocol: protocol.into(),
            node_port,
        };
        let svc = Service {
            meta: ObjectMeta::default(),
            selector: Default::default(),
            ports: vec![port(80, 0, "TCP"), port(53, 30053, "UDP"), port(7777, 0, "")],
            cluster_ip: "10.96.0.10".into(),
            kind: "NodePort".into(),
        };
        assert_eq!(port_string(&svc), "80/TCP,53:30053/UDP,7777/TCP");
    }
}
