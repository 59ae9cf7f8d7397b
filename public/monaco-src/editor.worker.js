// Monaco's generic editor worker, bundled on its own (scripts/build-monaco.mjs).
import 'monaco-editor/esm/vs/editor/editor.worker.js';
