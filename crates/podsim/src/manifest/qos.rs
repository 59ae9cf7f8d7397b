//! The pod's QoS class, computed as `GetPodQOS` (pkg/apis/core/v1/helper/qos) does: only cpu and
//! memory count, only quantities above zero, init containers (and so sidecars) included.

use crate::api::PodSpec;

/// `BestEffort`, `Burstable` or `Guaranteed` for a defaulted pod spec (requests already copied
/// from limits where absent).
pub fn qos_class(spec: &PodSpec) -> &'static str {
    // Per QoS resource (cpu, memory): the summed positive quantities, None if none is set.
    let mut requests: [Option<i64>; 2] = [None; 2];
    let mut limits: [Option<i64>; 2] = [None; 2];
    let sum = |into: &mut [Option<i64>; 2], slot: usize, milli: i64| {
        into[slot] = Some(into[slot].unwrap_or(0).saturating_add(milli));
    };
    let mut guaranteed = true;
    for c in spec.containers.iter().chain(spec.init_containers.iter()) {
        for (name, q) in &c.requests {
            if let Some(slot) = qos_slot(name).filter(|_| q.milli > 0) {
                sum(&mut requests, slot, q.milli);
            }
        }
        let mut found = 0;
        for (name, q) in &c.limits {
            if let Some(slot) = qos_slot(name).filter(|_| q.milli > 0) {
                found += 1;
                sum(&mut limits, slot, q.milli);
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests == [None; 2] && limits == [None; 2] {
        return "BestEffort";
    }
    // Every request set has an equal limit, and no limit is set without its request.
    if guaranteed && requests == limits {
        return "Guaranteed";
    }
    "Burstable"
}

/// The QoS resources' slots: cpu, memory (the others do not count).
fn qos_slot(name: &str) -> Option<usize> {
    match name {
        "cpu" => Some(0),
        "memory" => Some(1),
        _ => None,
    }
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
