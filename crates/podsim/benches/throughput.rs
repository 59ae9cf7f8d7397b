//! Core throughput benchmarks (`cargo bench -p podsim`):
//! - `schedule_10k_pods_on_1k_nodes`: 10,000 pods with mixed requests, node selectors and
//!   tolerations scheduled onto 1,000 nodes (some tainted, some labelled);
//! - `run_10k_pods_with_readiness_for_10m`: the same cluster, every pod running nginx with a
//!   readiness probe, simulated for 10 virtual minutes.
//! Before divan's statistics, one timed run of each prints pods/s, steps/s and peak memory.
//! The timing ends when the simulation does; the finished world is freed after it (see
//! `workload::Finished`).
//! Like the `podsim` binary, the benchmark allocates with mimalloc (`podsim::alloc::MiMalloc`).

mod workload;

use workload::{cluster, schedule_only, scheduled};

/// The allocator of the `podsim` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: podsim::alloc::MiMalloc = podsim::alloc::MiMalloc;

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
/// Minor page faults so far (each maps fresh memory, zeroed by the kernel: with transparent huge
/// pages a fault costs a 2 MiB clear, which on a virtual machine can outweigh the simulation).
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; minflt is the 10th field overall.
    stat.rsplit_once(')')?.1.split_whitespace().nth(7)?.parse().ok()
}

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
    let faults = minor_faults();
    let t = std::time::Instant::now();
    let done = schedule_only(&objects);
    let s = t.elapsed().as_secs_f64();
    let (bound, steps) = (done.bound, done.steps);
    drop(done);
    let faults = faults.zip(minor_faults()).map_or(String::new(), |(a, b)| format!(", {} page faults", b - a));
    println!("schedule: {bound} pods bound on 1000 nodes in {s:.3}s wall = {:.0} pods/s ({steps} steps{faults})", bound as f64 / s);
}

fn report_run() {
    let objects = cluster(1000, 10_000, true);
    let faults = minor_faults();
    let t = std::time::Instant::now();
    let done = scheduled(&objects, 600_000);
    let s = t.elapsed().as_secs_f64();
    let (bound, steps, now) = (done.bound, done.steps, done.now_ms);
    drop(done);
    let faults = faults.zip(minor_faults()).map_or(String::new(), |(a, b)| format!(", {} page faults", b - a));
    println!("run: {bound} pods, {now} virtual ms, {steps} steps in {s:.3}s wall = {:.0} steps/s{faults}", steps as f64 / s);
}

fn main() {
    report();
    divan::main();
}
