//! The Monaco adapter: **the only Rust file that talks to JavaScript for the editor.**
//!
//! It binds, through wasm-bindgen, to `public/monaco-bridge.js`, a tiny module that lazily imports
//! the Monaco bundle (`public/monaco/`, built from npm's `monaco-editor` and `monaco-yaml` by
//! `scripts/build-monaco.mjs`) from the page's own origin. Everything here is safe Rust:
//! [`load`] once, then [`MonacoEditor::create`]; text flows up through the `on_change` callback,
//! commands flow down through the methods (markers, reveal a line, replace the text).
//!
//! The pure helpers (marker JSON) compile and are tested natively; the bindings only work in a
//! browser.

use std::fmt::Write as _;

use wasm_bindgen::prelude::*;

use super::{Marker, Severity};

#[wasm_bindgen(module = "/public/monaco-bridge.js")]
extern "C" {
    #[wasm_bindgen(js_name = load)]
    fn bridge_load() -> js_sys::Promise;

    #[wasm_bindgen(js_name = create, catch)]
    fn bridge_create(
        container: &web_sys::HtmlElement,
        text: &str,
        dark: bool,
        on_change: &Closure<dyn FnMut(String)>,
        on_apply: &Closure<dyn FnMut()>,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = setMarkers, catch)]
    fn bridge_set_markers(handle: &JsValue, json: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = revealLine, catch)]
    fn bridge_reveal_line(handle: &JsValue, line: u32) -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = setText, catch)]
    fn bridge_set_text(handle: &JsValue, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = getText, catch)]
    fn bridge_get_text(handle: &JsValue) -> Result<String, JsValue>;

    #[wasm_bindgen(js_name = setTheme, catch)]
    fn bridge_set_theme(dark: bool) -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = setSchemas, catch)]
    fn bridge_set_schemas(json: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = focus, catch)]
    fn bridge_focus(handle: &JsValue, offset: Option<u32>) -> Result<(), JsValue>;

    #[wasm_bindgen(js_name = dispose, catch)]
    fn bridge_dispose(handle: &JsValue) -> Result<(), JsValue>;
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Loads Monaco (once; later calls share the first load). Fails if the bundle cannot be fetched
/// or evaluated, for example when it was blocked: the caller keeps the textarea then.
///
/// # Errors
/// A readable reason when Monaco is not available.
pub async fn load() -> Result<(), String> {
    wasm_bindgen_futures::JsFuture::from(bridge_load())
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// Switches every Monaco editor on the page to the light or dark theme. A no-op before [`load`].
pub fn set_theme(dark: bool) {
    let _ = bridge_set_theme(dark);
}

/// Sets the JSON schemas monaco-yaml validates, completes and documents with (monaco-yaml's
/// `[{ uri, fileMatch, schema }]` format, as JSON). Schemas must be inline: fetching is disabled.
///
/// # Errors
/// If Monaco is not loaded or the JSON is not valid.
pub fn set_schemas(json: &str) -> Result<(), String> {
    bridge_set_schemas(json).map_err(|e| describe(&e))
}

/// One Monaco editor instance. Dropping it disposes the editor and its callbacks.
pub struct MonacoEditor {
    handle: JsValue,
    _on_change: Closure<dyn FnMut(String)>,
    _on_apply: Closure<dyn FnMut()>,
}

impl MonacoEditor {
    /// Creates a YAML editor inside `container` with `text`. `on_change` receives the whole text
    /// after each edit; `on_apply` runs on Ctrl/Cmd+Enter.
    ///
    /// # Errors
    /// If Monaco is not loaded or refuses to start.
    pub fn create(
        container: &web_sys::HtmlElement,
        text: &str,
        dark: bool,
        on_change: impl FnMut(String) + 'static,
        on_apply: impl FnMut() + 'static,
    ) -> Result<Self, String> {
        let on_change = Closure::<dyn FnMut(String)>::new(on_change);
        let on_apply = Closure::<dyn FnMut()>::new(on_apply);
        let handle = bridge_create(container, text, dark, &on_change, &on_apply)
            .map_err(|e| describe(&e))?;
        Ok(MonacoEditor {
            handle,
            _on_change: on_change,
            _on_apply: on_apply,
        })
    }

    /// Replaces the simulator's diagnostics shown as squiggles.
    pub fn set_markers(&self, markers: &[Marker]) {
        let _ = bridge_set_markers(&self.handle, &markers_json(markers));
    }

    /// Scrolls to `line` (1-based), puts the cursor there and focuses the editor.
    pub fn reveal_line(&self, line: u32) {
        let _ = bridge_reveal_line(&self.handle, line.max(1));
    }

    /// Replaces the text as one undoable edit (no-op when equal). `on_change` fires as for typing.
    pub fn set_text(&self, text: &str) {
        let _ = bridge_set_text(&self.handle, text);
    }

    /// The current text.
    #[must_use]
    pub fn text(&self) -> Option<String> {
        bridge_get_text(&self.handle).ok()
    }

    /// Focuses the editor, keeping its cursor.
    pub fn focus(&self) {
        let _ = bridge_focus(&self.handle, None);
    }

    /// Focuses the editor with the cursor at `offset`, counted in UTF-16 code units like a
    /// textarea's `selectionStart` (used to carry the caret over from the fallback editor).
    pub fn focus_at(&self, offset: u32) {
        let _ = bridge_focus(&self.handle, Some(offset));
    }
}

impl Drop for MonacoEditor {
    fn drop(&mut self) {
        let _ = bridge_dispose(&self.handle);
    }
}

/// The markers as the JSON array the bridge expects:
/// `[{"severity":"error","message":"…","startLineNumber":1,"startColumn":1,"endLineNumber":1,"endColumn":5}]`.
#[must_use]
pub fn markers_json(markers: &[Marker]) -> String {
    let mut out = String::from("[");
    for (i, m) in markers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let severity = match m.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        };
        let _ = write!(
            out,
            "{{\"severity\":\"{severity}\",\"message\":{},\"startLineNumber\":{},\"startColumn\":{},\"endLineNumber\":{},\"endColumn\":{}}}",
            json_string(&m.message),
            m.start_line.max(1),
            m.start_column.max(1),
            m.end_line.max(m.start_line).max(1),
            m.end_column.max(1),
        );
    }
    out.push(']');
    out
}

/// A JSON string literal for `text` (RFC 8259 escaping).
#[must_use]
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
