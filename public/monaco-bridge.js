// The one JS module the Rust code imports (through wasm-bindgen, only from
// src/panels/editor/monaco.rs). It stays tiny and loads nothing by itself: `load()` fetches the
// Monaco bundle (public/monaco/, built by scripts/build-monaco.mjs) from the page's own origin when
// the app asks for it, after the first paint. Every other function forwards to that bundle.
//
// URLs are resolved against document.baseURI, so the site works from any static host or sub-path.

let bundle = null;
let loading = null;

function monacoUrl(file) {
  return new URL(`monaco/${file}`, document.baseURI).href;
}

function loadStylesheet(href) {
  return new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = () => resolve();
    link.onerror = () => {
      link.remove();
      reject(new Error(`could not load ${href}`));
    };
    document.head.appendChild(link);
  });
}

// The JSON Schema of the simulated kinds, generated at build time from the API types
// (crates/schema-gen → public/schema/kubernetes.json) and served by the site itself.
function schemaUrl() {
  return new URL('schema/kubernetes.json', document.baseURI).href;
}

/** Fetches the schema; resolves to null (never rejects) if it is missing or broken. */
async function loadSchema() {
  try {
    const response = await fetch(schemaUrl());
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/** Loads Monaco once. Resolves when it is ready to create editors; rejects if it cannot load. */
export function load() {
  if (!loading) {
    loading = (async () => {
      const [mod, schema] = await Promise.all([
        import(monacoUrl('editor.js')),
        loadSchema(),
        loadStylesheet(monacoUrl('editor.css')),
      ]);
      mod.init(monacoUrl(''));
      // Completion and hover come from the schema; without it the editor still works.
      if (schema) mod.setSchema(schemaUrl(), schema);
      bundle = mod;
    })();
    // A failed attempt may be retried later (for example after the network came back).
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

function ready() {
  if (!bundle) throw new Error('Monaco is not loaded: call load() first');
  return bundle;
}

export function create(container, text, dark, onChange, onApply) {
  return ready().create(container, text, dark, onChange, onApply);
}
export function setMarkers(handle, json) {
  ready().setMarkers(handle, json);
}
export function revealLine(handle, line) {
  ready().revealLine(handle, line);
}
export function setText(handle, text) {
  ready().setText(handle, text);
}
export function getText(handle) {
  return ready().getText(handle);
}
export function setTheme(dark) {
  if (bundle) bundle.setTheme(dark);
}
export function setSchemas(json) {
  ready().setSchemas(json);
}
export function focus(handle, offset) {
  ready().focus(handle, offset);
}
export function dispose(handle) {
  if (bundle) bundle.dispose(handle);
}
