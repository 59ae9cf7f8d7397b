#!/usr/bin/env node
// The core throughput benchmark in wasm (PRODUCT.md §4): instantiates the bare module built from
// crates/podsim-wasm-bench (the native benchmark's workloads, the page's release profile) in Node's
// V8 and times each run from here, the core having no clock of its own. Run by scripts/bench-core.sh:
//
//   node scripts/bench-core-wasm.mjs PATH/TO/podsim_wasm_bench.wasm [RUNS]
//
// Prints one line per workload in the native benchmark's words, the median of RUNS timed runs.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const path = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
if (!path) {
  console.error('usage: node scripts/bench-core-wasm.mjs MODULE.wasm [RUNS]');
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const wasm = instance.exports;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function time(run) {
  const seconds = [];
  let bound = 0;
  let steps = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    bound = run();
    seconds.push((performance.now() - t) / 1000);
    steps = wasm.last_steps();
    // The finished world is freed after the clock stops, as the native benchmark does.
    wasm.release();
  }
  return { s: median(seconds), worst: Math.max(...seconds), bound, steps };
}

wasm.prepare(0);
const schedule = time(() => wasm.run_schedule());
console.log(
  `wasm schedule: ${schedule.bound} pods bound on 1000 nodes in ${schedule.s.toFixed(3)}s wall = ${(schedule.bound / schedule.s).toFixed(0)} pods/s (${schedule.steps} steps; median of ${runs}, worst ${schedule.worst.toFixed(3)}s)`,
);
wasm.prepare(1);
const run = time(() => wasm.run_readiness(600_000));
console.log(
  `wasm run: ${run.bound} pods, 600000 virtual ms, ${run.steps} steps in ${run.s.toFixed(3)}s wall = ${(run.steps / run.s).toFixed(0)} steps/s (median of ${runs}, worst ${run.worst.toFixed(3)}s)`,
);
console.log(`wasm memory: ${(wasm.memory.buffer.byteLength / 1048576).toFixed(1)} MiB`);
