//! The throughput workloads, shared by the native benchmark (`benches/throughput.rs`) and the
//! wasm one (`crates/podsim-wasm-bench`), so both time exactly the same simulation:
//! - 1,000 nodes (every tenth tainted `dedicated=batch:NoSchedule`, half labelled `disktype=ssd`)
//!   and 10,000 pods with mixed cpu requests, a third with a node selector, a seventh tolerating
//!   the taint;
//! - `schedule_only`: the kubelets wait an hour, so the run is the API server, the scheduler's
//!   cycles and the bindings;
//! - `scheduled`: every pod runs nginx with a readiness probe, simulated for `until_ms`.
//!
//! A run returns its finished simulation (`Finished`) rather than dropping it, so the timing
//! ends when the simulation does: freeing the world afterwards is not part of the workload
//! (divan, too, drops a benchmark's output after timing it).

use podsim::api::Object;
use podsim::{Limits, Scenario};

/// The cluster's manifests, parsed: `nodes` nodes then `pods` pods (nginx with a readiness probe
/// when `readiness`, else busybox sleeping an hour).
pub fn cluster(nodes: usize, pods: usize, readiness: bool) -> Vec<Object> {
    let mut text = String::new();
    for i in 0..nodes {
        let taint = if i % 10 == 0 { "  taints:\n  - key: dedicated\n    value: batch\n    effect: NoSchedule\n" } else { "" };
        let zone = if i % 2 == 0 { "ssd" } else { "hdd" };
        text.push_str(&format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{i:04}\n  labels:\n    disktype: {zone}\nspec:\n{taint}status:\n  capacity:\n    cpu: \"32\"\n    memory: 128Gi\n    pods: \"110\"\n---\n"));
    }
    for i in 0..pods {
        let cpu = [100, 250, 500, 1000][i % 4];
        let selector = if i % 3 == 0 { "  nodeSelector:\n    disktype: ssd\n" } else { "" };
        let toleration = if i % 7 == 0 { "  tolerations:\n  - key: dedicated\n    operator: Exists\n" } else { "" };
        let probe = if readiness { "    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n      periodSeconds: 10\n" } else { "" };
        let command = if readiness { "" } else { "    command: [\"sleep\", \"3600\"]\n" };
        let image = if readiness { "nginx:1.25" } else { "busybox:1.36" };
        text.push_str(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i:05}\nspec:\n{selector}{toleration}  containers:\n  - name: app\n    image: {image}\n{command}    resources:\n      requests:\n        cpu: {cpu}m\n        memory: 128Mi\n{probe}---\n"
        ));
    }
    let parsed = podsim::manifest::parse(&text);
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections.first());
    parsed.objects.into_iter().map(|o| o.object).collect()
}

/// A finished run: its figures, and the simulation itself, for the caller to drop untimed.
/// (`sim` is held only to be dropped later, and each benchmark reads only some figures.)
#[allow(dead_code)]
pub struct Finished {
    /// Pods bound to a node at the end.
    pub bound: usize,
    /// Steps recorded.
    pub steps: usize,
    /// The virtual time reached.
    pub now_ms: u64,
    pub sim: podsim::sim::Sim,
}

/// The full life: scheduled, pulled, started, probed, for `until_ms` of virtual time.
pub fn scheduled(objects: &[Object], until_ms: u64) -> Finished {
    simulate(Scenario::new(objects.to_vec()), until_ms)
}

/// Scheduling alone: the kubelets take an hour to look at their pods, so the run measures the
/// API server, the scheduler's cycles and the bindings (with 1 ms cycle and bind latencies).
pub fn schedule_only(objects: &[Object]) -> Finished {
    let mut scenario = Scenario::new(objects.to_vec());
    scenario.durations.schedule_cycle_ms = 1;
    scenario.durations.bind_ms = 1;
    scenario.durations.kubelet_sync_ms = 3_600_000;
    simulate(scenario, 60_000)
}

/// Runs `scenario` to `until_ms`.
pub fn simulate(scenario: Scenario, until_ms: u64) -> Finished {
    let mut sim = podsim::timeline::start(&scenario);
    let limits = Limits { until_ms, max_steps: usize::MAX, checkpoint_every: 0 };
    let mut steps = 0usize;
    podsim::timeline::drive(&mut sim, &limits, |_, _| steps += 1);
    let bound = sim.world.pods.values().filter(|p| !p.spec.node_name.is_empty()).count();
    Finished { bound, steps, now_ms: sim.world.now_ms, sim }
}
