// monaco-yaml's language-service worker, bundled on its own (scripts/build-monaco.mjs).
import 'monaco-yaml/yaml.worker.js';
