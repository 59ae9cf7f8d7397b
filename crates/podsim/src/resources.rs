//! A pod's effective resource requests, as the scheduler computes them: the larger of the app
//! containers' sum (plus running sidecars) and each init step's peak (sidecars started before it
//! keep running). Values are milli-units (millicores, bytes × 1000).

use std::collections::BTreeMap;

use crate::api::{Container, PodSpec};

/// The default request the scorers assume for a container that sets none (non-zero requests).
pub const DEFAULT_MILLI_CPU: i64 = 100;
pub const DEFAULT_MEMORY_BYTES: i64 = 200 * 1024 * 1024;

fn container_requests(c: &Container, non_zero: bool) -> BTreeMap<&str, i64> {
    let mut m: BTreeMap<&str, i64> = c.requests.iter().map(|(k, q)| (k.as_str(), q.milli)).collect();
    if non_zero {
        m.entry("cpu").or_insert(DEFAULT_MILLI_CPU);
        m.entry("memory").or_insert(DEFAULT_MEMORY_BYTES * 1000);
    }
    m
}

fn add<'a>(into: &mut BTreeMap<&'a str, i64>, from: &BTreeMap<&'a str, i64>) {
    for (k, v) in from {
        let e = into.entry(*k).or_default();
        *e = e.saturating_add(*v);
    }
}

fn max_into<'a>(into: &mut BTreeMap<&'a str, i64>, from: &BTreeMap<&'a str, i64>) {
    for (k, v) in from {
        let e = into.entry(*k).or_default();
        *e = (*e).max(*v);
    }
}

/// The pod's requests (`non_zero`: substitute the scorer defaults for unset cpu/memory), by
/// resource name (borrowed from the spec: the scheduler asks for them a few times per pod, and
/// copying the names cost more than the sums).
pub fn pod_requests(spec: &PodSpec, non_zero: bool) -> BTreeMap<&str, i64> {
    // Most pods have one container and no init containers: its requests are the pod's.
    if let ([only], []) = (spec.containers.as_slice(), spec.init_containers.as_slice()) {
        return container_requests(only, non_zero);
    }
    let mut apps = BTreeMap::new();
    for c in spec.containers.iter() {
        add(&mut apps, &container_requests(c, non_zero));
    }
    let mut sidecars = BTreeMap::new();
    let mut init_peak = BTreeMap::new();
    for c in spec.init_containers.iter() {
        let r = container_requests(c, non_zero);
        if PodSpec::is_sidecar(c) {
            add(&mut sidecars, &r);
            max_into(&mut init_peak, &sidecars);
        } else {
            let mut step = sidecars.clone();
            add(&mut step, &r);
            max_into(&mut init_peak, &step);
        }
    }
    add(&mut apps, &sidecars);
    max_into(&mut apps, &init_peak);
    apps
}

/// The pod's limits (sum over app containers and sidecars, max with init peaks), for describe node.
pub fn pod_limits(spec: &PodSpec) -> BTreeMap<String, i64> {
    let mut spec = spec.clone();
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
        c.requests = c.limits.clone();
    }
    pod_requests(&spec, false).into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}
