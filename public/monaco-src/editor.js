// Entry of the lazily loaded Monaco bundle (esbuild → public/monaco/editor.js, see
// scripts/build-monaco.mjs). It is only ever loaded by public/monaco-bridge.js, which is the one
// JS module the Rust code talks to (src/panels/editor/monaco.rs).
//
// Only the editor core, its standard features and the YAML language are bundled, not the 80 other
// languages of `monaco-editor`'s main entry.
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/register.all.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import { configureMonacoYaml } from 'monaco-yaml';

/** Marker owner for the simulator's diagnostics (YAML syntax markers use the owner "yaml"). */
const MARKER_OWNER = 'podsim';

let workerBase = null;
let yaml = null;

/**
 * Wires the web workers and the YAML language service. Called once by the bridge, after this
 * module loaded. `base` is the absolute URL of the folder holding the bundle (ends with "/").
 */
export function init(base) {
  if (workerBase) return;
  workerBase = base;
  // Monaco asks this for its generic editor worker (diffs, links, word-based suggestions).
  self.MonacoEnvironment = {
    getWorker() {
      return new Worker(new URL('editor.worker.js', workerBase), { name: 'monaco-editor' });
    },
  };
  // monaco-yaml 5.5.1 still creates its worker with the pre-0.55 `createWebWorker({ moduleId,
  // label, createData })`. Monaco ≥ 0.55 wants `{ worker }`, so hand monaco-yaml a monaco whose
  // createWebWorker starts the bundled yaml.worker.js and performs the two-message handshake
  // monaco-worker-manager's worker side expects: one message to initialise, then the createData.
  const monacoForYaml = {
    ...monaco,
    editor: {
      ...monaco.editor,
      createWebWorker(options) {
        const worker = new Worker(new URL('yaml.worker.js', workerBase), { name: 'monaco-yaml' });
        worker.postMessage('ignore');
        worker.postMessage(options.createData);
        return monaco.editor.createWebWorker({ worker, host: options.host });
      },
    },
  };
  yaml = configureMonacoYaml(monacoForYaml, {
    enableSchemaRequest: false, // never fetch a schema from the network
    hover: true,
    completion: true,
    validate: true,
    format: true,
    schemas: [],
  });
  defineThemes();
}

function defineThemes() {
  monaco.editor.defineTheme('pod-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#8a94a6' },
  });
  monaco.editor.defineTheme('pod-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#111826', 'editorLineNumber.foreground': '#5d6b82' },
  });
}

/**
 * Creates an editor in `container` holding `text` (YAML mode). `onChange(text)` is called after
 * every edit with the whole text; `onApply()` on Ctrl/Cmd+Enter. Returns a handle object.
 */
export function create(container, text, dark, onChange, onApply) {
  const model = monaco.editor.createModel(text, 'yaml', monaco.Uri.parse('file:///pod.yaml'));
  const editor = monaco.editor.create(container, {
    model,
    theme: dark ? 'pod-dark' : 'pod-light',
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fontSize: 14,
    tabSize: 2,
    insertSpaces: true,
    renderWhitespace: 'selection',
    fixedOverflowWidgets: true,
    ariaLabel: 'Pod manifest (YAML)',
  });
  const subscription = model.onDidChangeContent(() => onChange(model.getValue()));
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => onApply());
  return { editor, model, subscription };
}

/** Replaces the simulator's markers. `json` is an array of {severity, message, startLineNumber,
 * startColumn, endLineNumber, endColumn}; severity is "error" | "warning" | "info" | "hint". */
export function setMarkers(handle, json) {
  const severities = {
    error: monaco.MarkerSeverity.Error,
    warning: monaco.MarkerSeverity.Warning,
    info: monaco.MarkerSeverity.Info,
    hint: monaco.MarkerSeverity.Hint,
  };
  const markers = JSON.parse(json).map((m) => ({
    ...m,
    severity: severities[m.severity] ?? monaco.MarkerSeverity.Info,
  }));
  monaco.editor.setModelMarkers(handle.model, MARKER_OWNER, markers);
}

/** Scrolls `line` (1-based) into the middle of the view, puts the cursor there and focuses. */
export function revealLine(handle, line) {
  handle.editor.revealLineInCenter(line);
  handle.editor.setPosition({ lineNumber: line, column: 1 });
  handle.editor.focus();
}

/** Replaces the whole text (keeps undo history). Does nothing when the text is already equal. */
export function setText(handle, text) {
  if (handle.model.getValue() === text) return;
  handle.editor.executeEdits('pod-playground', [
    { range: handle.model.getFullModelRange(), text },
  ]);
}

export function getText(handle) {
  return handle.model.getValue();
}

export function setTheme(dark) {
  monaco.editor.setTheme(dark ? 'pod-dark' : 'pod-light');
}

/** Sets the JSON schemas used for validation, completion and hover (monaco-yaml's format:
 * [{ uri, fileMatch: ['*'], schema }]). Schemas must be inline: requests are disabled. */
export function setSchemas(schemasJson) {
  yaml?.update({ schemas: JSON.parse(schemasJson) });
}

/** Sets the one schema every YAML document is checked, completed and documented against. The
 * schema object is passed as is (no JSON round trip); `uri` only names it: requests are off. */
export function setSchema(uri, schema) {
  yaml?.update({ schemas: [{ uri, fileMatch: ['*'], schema }] });
}

/** Focuses the editor; with `offset` (UTF-16 code units, as a textarea counts), moves the cursor
 * there first, so a caret carried over from the textarea stays where the learner was typing. */
export function focus(handle, offset) {
  if (typeof offset === 'number') {
    handle.editor.setPosition(handle.model.getPositionAt(offset));
  }
  handle.editor.focus();
}

export function dispose(handle) {
  handle.subscription.dispose();
  handle.editor.dispose();
  handle.model.dispose();
}
