//! The core throughput benchmark in wasm (PRODUCT.md §4: "the same in wasm within 2× of native").
//!
//! The workloads are the native benchmark's own (`crates/podsim/benches/workload`), compiled
//! with the page's release profile and allocator. `scripts/bench-core.sh` builds this crate for
//! `wasm32-unknown-unknown`, and `scripts/bench-core-wasm.mjs` instantiates the bare module in
//! Node (V8, Chromium's engine) and times each run from JavaScript: the core never reads a
//! clock, here as everywhere.
//!
//! Exports (all numbers are `u32`/`f64`, no bindings needed):
//! - `prepare(readiness)`: parses the cluster's manifests (not timed) and keeps them;
//! - `run_schedule()` / `run_readiness(until_ms)`: one run on the prepared objects; returns the
//!   pods bound;
//! - `last_steps()`: the steps the last run recorded;
//! - `release()`: frees the last run's finished simulation (called after the timing, as the
//!   native benchmark drops it after its clock stops).

#[path = "../../podsim/benches/workload/mod.rs"]
mod workload;

use std::cell::{Cell, RefCell};

use podsim::api::Object;

thread_local! {
    static PREPARED: RefCell<Vec<Object>> = const { RefCell::new(Vec::new()) };
    static LAST_STEPS: Cell<usize> = const { Cell::new(0) };
    static LAST_RUN: RefCell<Option<workload::Finished>> = const { RefCell::new(None) };
}

/// 1,000 nodes and 10,000 pods, as the native benchmark builds them.
const NODES: usize = 1000;
const PODS: usize = 10_000;

/// Parses the workload's manifests (busybox pods, or nginx with readiness probes when
/// `readiness` is not 0) and keeps them for the runs. Returns how many objects it holds.
#[no_mangle]
pub extern "C" fn prepare(readiness: u32) -> u32 {
    let objects = workload::cluster(NODES, PODS, readiness != 0);
    let count = objects.len();
    PREPARED.with(|p| *p.borrow_mut() = objects);
    count as u32
}

/// Scheduling alone on the prepared objects; returns the pods bound.
#[no_mangle]
pub extern "C" fn run_schedule() -> u32 {
    finish(PREPARED.with(|p| workload::schedule_only(&p.borrow())))
}

/// The full life on the prepared objects for `until_ms` of virtual time; returns the pods bound.
#[no_mangle]
pub extern "C" fn run_readiness(until_ms: f64) -> u32 {
    finish(PREPARED.with(|p| workload::scheduled(&p.borrow(), until_ms.max(0.0) as u64)))
}

/// The steps the last run recorded.
#[no_mangle]
pub extern "C" fn last_steps() -> f64 {
    LAST_STEPS.with(Cell::get) as f64
}

/// Frees the last run's finished simulation.
#[no_mangle]
pub extern "C" fn release() {
    LAST_RUN.with(|r| r.borrow_mut().take());
}

fn finish(done: workload::Finished) -> u32 {
    LAST_STEPS.with(|s| s.set(done.steps));
    let bound = done.bound as u32;
    // Kept until `release()`, so freeing it falls outside the caller's timing.
    LAST_RUN.with(|r| *r.borrow_mut() = Some(done));
    bound
}
