//! The pod's QoS class, computed as `GetPodQOS` (pkg/apis/core/v1/helper/qos) does: only cpu and
//! memory count, only quantities above zero, init containers (and so sidecars) included.

use std::collections::BTreeMap;

use crate::api::PodSpec;

/// `BestEffort`, `Burstable` or `Guaranteed` for a defaulted pod spec (requests already copied
/// from limits where absent).
pub fn qos_class(spec: &PodSpec) -> &'static str {
    let mut requests: BTreeMap<&str, i64> = BTreeMap::new();
    let mut limits: BTreeMap<&str, i64> = BTreeMap::new();
    let mut guaranteed = true;
    for c in spec.containers.iter().chain(spec.init_containers.iter()) {
        for (name, q) in &c.requests {
            if is_qos_resource(name) && q.milli > 0 {
                let e = requests.entry(name.as_str()).or_insert(0);
                *e = e.saturating_add(q.milli);
            }
        }
        let mut found = 0;
        for (name, q) in &c.limits {
            if is_qos_resource(name) && q.milli > 0 {
                found += 1;
                let e = limits.entry(name.as_str()).or_insert(0);
                *e = e.saturating_add(q.milli);
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed && requests.iter().all(|(name, req)| limits.get(name) == Some(req)) && requests.len() == limits.len() {
        return "Guaranteed";
    }
    "Burstable"
}

fn is_qos_resource(name: &str) -> bool {
    name == "cpu" || name == "memory"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Container;
    use crate::quantity::Quantity;

    fn container(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> Container {
        let map = |v: &[(&str, &str)]| v.iter().map(|(k, q)| (k.to_string(), Quantity::parse(q).unwrap())).collect();
        Container { name: "c".into(), requests: map(requests), limits: map(limits), ..Container::default() }
    }

    fn spec(containers: Vec<Container>) -> PodSpec {
        PodSpec { containers: containers.into(), ..PodSpec::default() }
    }

    #[test]
    fn best_effort_without_cpu_or_memory() {
        assert_eq!(qos_class(&spec(vec![container(&[], &[])])), "BestEffort");
        assert_eq!(qos_class(&spec(vec![container(&[("ephemeral-storage", "1Gi")], &[])])), "BestEffort");
        assert_eq!(qos_class(&spec(vec![container(&[("cpu", "0")], &[])])), "BestEffort");
    }

    #[test]
    fn guaranteed_when_every_container_has_equal_cpu_and_memory() {
        let c = container(&[("cpu", "500m"), ("memory", "64Mi")], &[("cpu", "0.5"), ("memory", "64Mi")]);
        assert_eq!(qos_class(&spec(vec![c.clone(), c])), "Guaranteed");
    }

    #[test]
    fn burstable_otherwise() {
        assert_eq!(qos_class(&spec(vec![container(&[("cpu", "100m")], &[])])), "Burstable");
        assert_eq!(qos_class(&spec(vec![container(&[("cpu", "1")], &[("cpu", "1")])])), "Burstable");
        let g = container(&[("cpu", "1"), ("memory", "1Gi")], &[("cpu", "1"), ("memory", "1Gi")]);
        assert_eq!(qos_class(&spec(vec![g.clone(), container(&[], &[])])), "Burstable");
        let mut s = spec(vec![g]);
        s.init_containers.push(container(&[("cpu", "2"), ("memory", "1Gi")], &[("cpu", "3"), ("memory", "1Gi")]));
        assert_eq!(qos_class(&s), "Burstable");
    }
}
