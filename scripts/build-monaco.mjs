#!/usr/bin/env node
// Bundles the Monaco editor + monaco-yaml from node_modules into public/monaco/ with esbuild.
//
// The output is generated (git-ignored) and served by the site itself (Trunk copies public/monaco
// into dist/monaco). It is loaded lazily by public/monaco-bridge.js after the first paint.
// Runs as Trunk's pre_build hook (Trunk.toml) and skips itself when its inputs did not change.
//
//   public/monaco-src/editor.js         -> public/monaco/editor.js (+ editor.css, codicon font)
//   public/monaco-src/editor.worker.js  -> public/monaco/editor.worker.js
//   public/monaco-src/yaml.worker.js    -> public/monaco/yaml.worker.js
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'public', 'monaco-src');
const outDir = join(root, 'public', 'monaco');
// Outside outDir, so Trunk's copy-dir does not ship it; `npm ci` wipes it, forcing a rebuild.
const stampFile = join(root, 'node_modules', '.cache', 'pod-playground-monaco.stamp');

// Everything the bundle depends on: our sources, this script, and the exact npm versions.
function inputsHash() {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const name of readdirSync(srcDir).sort()) {
    hash.update(name);
    hash.update(readFileSync(join(srcDir, name)));
  }
  for (const pkg of ['monaco-editor', 'monaco-yaml', 'esbuild']) {
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
    hash.update(`${pkg}@${manifest.version}`);
  }
  return hash.digest('hex');
}

const wanted = inputsHash();
if (existsSync(stampFile) && existsSync(join(outDir, 'editor.js')) && readFileSync(stampFile, 'utf8') === wanted) {
  console.log('monaco bundle: up to date (public/monaco)');
  process.exit(0);
}

const { build } = await import('esbuild');
const started = Date.now();
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  platform: 'browser',
  target: 'es2022',
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: {
    // monaco-editor >= 0.56 has an `exports` map that hides this path, but monaco-yaml's worker
    // (through monaco-worker-manager) imports it by that name.
    'monaco-editor/esm/vs/editor/editor.worker.js': join(
      root, 'node_modules', 'monaco-editor', 'esm', 'vs', 'editor', 'editor.worker.js',
    ),
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: { editor: join(srcDir, 'editor.js') },
    outdir: outDir,
    format: 'esm',
    loader: { '.ttf': 'file' },
    assetNames: '[name]-[hash]',
  }),
  build({
    ...common,
    entryPoints: {
      'editor.worker': join(srcDir, 'editor.worker.js'),
      'yaml.worker': join(srcDir, 'yaml.worker.js'),
    },
    outdir: outDir,
    format: 'iife',
  }),
]);

mkdirSync(dirname(stampFile), { recursive: true });
writeFileSync(stampFile, wanted);
console.log(`monaco bundle: built public/monaco in ${((Date.now() - started) / 1000).toFixed(1)} s`);
