//! Core throughput benchmarks (`cargo bench -p podsim`):
//! - `schedule_10k_pods_on_1k_nodes`: 10,000 pods with mixed requests, node selectors and
//!   tolerations scheduled onto 1,000 nodes (some tainted, some labelled);
//! - `run_10k_pods_with_readiness_for_10m`: the same cluster, every pod running nginx with a
//!   readiness probe, simulated for 10 virtual minutes.
//! Before divan's statistics, one timed run of each prints pods/s, steps/s and peak memory.
//! Like the `podsim` binary, the benchmark allocates with mimalloc.

mod workload;

use workload::{cluster, schedule_only, scheduled};

/// The allocator of the `podsim` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
