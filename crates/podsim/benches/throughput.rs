//! Core throughput benchmarks (`cargo bench -p podsim`):
//! - `schedule_10k_pods_on_1k_nodes`: 10,000 pods with mixed requests, node selectors and
//!   tolerations scheduled onto 1,000 nodes (some tainted, some labelled);
//! - `run_10k_pods_with_readiness_for_10m`: the same cluster, every pod running nginx with a
//!   readiness probe, simulated for 10 virtual minutes.
//! Before divan's statistics, one timed run of each prints pods/s, steps/s and peak memory.
//! Like the `podsim` binary, the benchmark allocates with mimalloc.

use podsim::api::Object;

/// The allocator of the `podsim` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use podsim::{Limits, Scenario};

fn cluster(nodes: usize, pods: usize, readiness: bool) -> Vec<Object> {
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

fn scheduled(objects: &[Object], until_ms: u64) -> (usize, usize, u64) {
    simulate(Scenario::new(objects.to_vec()), until_ms)
}

/// Scheduling alone: the kubelets take an hour to look at their pods, so the run measures the
/// API server, the scheduler's cycles and the bindings (with 1 ms cycle and bind latencies).
fn schedule_only(objects: &[Object]) -> (usize, usize, u64) {
    let mut scenario = Scenario::new(objects.to_vec());
    scenario.durations.schedule_cycle_ms = 1;
    scenario.durations.bind_ms = 1;
    scenario.durations.kubelet_sync_ms = 3_600_000;
    simulate(scenario, 60_000)
}

fn simulate(scenario: Scenario, until_ms: u64) -> (usize, usize, u64) {
    let mut sim = podsim::timeline::start(&scenario);
    let limits = Limits { until_ms, max_steps: usize::MAX, checkpoint_every: 0 };
    let mut steps = 0usize;
    podsim::timeline::drive(&mut sim, &limits, |_, _| steps += 1);
    let bound = sim.world.pods.values().filter(|p| !p.spec.node_name.is_empty()).count();
    (bound, steps, sim.world.now_ms)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn schedule_10k_pods_on_1k_nodes(b: divan::Bencher) {
    let objects = cluster(1000, 10_000, false);
    b.bench(|| schedule_only(&objects));
}

#[divan::bench(sample_count = 2, sample_size = 1)]
fn run_10k_pods_with_readiness_for_10m(b: divan::Bencher) {
    let objects = cluster(1000, 10_000, true);
    b.bench(|| scheduled(&objects, 600_000));
}

/// `PODSIM_BENCH_ONLY=schedule` or `=run` times one of the two (for profiling one at a time).
fn report() {
    let only = std::env::var("PODSIM_BENCH_ONLY").unwrap_or_default();
    if only != "run" {
        report_schedule();
    }
    if only != "schedule" {
        report_run();
    }
    if let Some(kib) = peak_rss_kib() {
        println!("peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0);
    }
}

fn report_schedule() {
    let objects = cluster(1000, 10_000, false);
    let t = std::time::Instant::now();
    let (bound, steps, _) = schedule_only(&objects);
    let s = t.elapsed().as_secs_f64();
    println!("schedule: {bound} pods bound on 1000 nodes in {s:.3}s wall = {:.0} pods/s ({steps} steps)", bound as f64 / s);
}

fn report_run() {
    let objects = cluster(1000, 10_000, true);
    let t = std::time::Instant::now();
    let (bound, steps, now) = scheduled(&objects, 600_000);
    let s = t.elapsed().as_secs_f64();
    println!("run: {bound} pods, {now} virtual ms, {steps} steps in {s:.3}s wall = {:.0} steps/s", steps as f64 / s);
}

fn main() {
    report();
    divan::main();
}
