//! Throughput benchmarks for the simulator core (filled in with the engine).
fn main() {}
