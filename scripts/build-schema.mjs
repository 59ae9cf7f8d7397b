#!/usr/bin/env node
// Generates public/schema/kubernetes.json, the JSON Schema the editor (monaco-yaml) completes and
// documents Pod, Node, Namespace, Service, PriorityClass, ConfigMap and Secret fields with. It is
// generated at build time from the Kubernetes API types by the native tool crates/schema-gen
// (k8s-openapi's `schemars` support), never by the page itself, so none of that code is in the wasm.
//
// Runs as a Trunk pre_build hook (Trunk.toml), so both `make serve` and `make test` have it; skips
// itself when the file exists and its inputs (the tool's sources, Cargo.lock) did not change.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'public', 'schema', 'kubernetes.json');
// Outside public/ so Trunk does not ship it; `cargo clean` forces a rebuild.
const stampFile = join(root, 'target', 'pod-playground-schema.stamp');

function inputsHash() {
  const hash = createHash('sha256');
  for (const file of [
    fileURLToPath(import.meta.url),
    join(root, 'crates', 'schema-gen', 'Cargo.toml'),
    join(root, 'crates', 'schema-gen', 'src', 'main.rs'),
    join(root, 'Cargo.lock'),
  ]) {
    hash.update(file);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

const wanted = inputsHash();
if (existsSync(output) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) {
  console.log('schema: up to date (public/schema/kubernetes.json)');
  process.exit(0);
}

const started = Date.now();
// --offline: the build never reaches the network (scripts/setup.sh fetched the crates).
const run = spawnSync('cargo', ['run', '--quiet', '--offline', '-p', 'schema-gen', '--', output], {
  cwd: root,
  stdio: 'inherit',
});
if (run.status !== 0) {
  console.error(`schema: crates/schema-gen failed (exit ${run.status ?? run.signal})`);
  process.exit(1);
}
mkdirSync(dirname(stampFile), { recursive: true });
writeFileSync(stampFile, wanted);
console.log(`schema: generated public/schema/kubernetes.json in ${((Date.now() - started) / 1000).toFixed(1)} s`);
