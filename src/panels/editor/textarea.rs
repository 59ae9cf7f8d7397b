//! The plain `<textarea>` editor: shown at first paint, kept while Monaco loads, and for good if
//! Monaco cannot load. It needs no JavaScript beyond the DOM, so the page always works.

use leptos::html;
use leptos::prelude::*;

/// The fallback editor bound to `text`. Ctrl/Cmd+Enter calls `on_apply`.
#[component]
pub fn TextareaEditor(
    /// The accessible name (`aria-label`).
    label: &'static str,
    text: RwSignal<String>,
    on_apply: Callback<()>,
    node_ref: NodeRef<html::Textarea>,
    #[prop(into)] hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <textarea
            node_ref=node_ref
            class="editor__textarea"
            data-testid="editor-textarea"
            aria-label=label
            spellcheck="false"
            autocapitalize="off"
            autocomplete="off"
            wrap="off"
            hidden=move || hidden.get()
            prop:value=move || text.get()
            on:input:target=move |ev| text.set(ev.target().value())
            on:keydown=move |ev| {
                if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                    ev.prevent_default();
                    on_apply.run(());
                }
            }
        ></textarea>
    }
}

/// Puts the caret at the start of `line` (1-based), focuses the textarea and lets the browser
/// scroll the caret into view.
pub fn reveal_line(textarea: &web_sys::HtmlTextAreaElement, line: u32) {
    let offset = line_start_utf16(&textarea.value(), line);
    let _ = textarea.blur();
    let _ = textarea.set_selection_range(offset, offset);
    let _ = textarea.focus();
}

/// The UTF-16 offset (what `setSelectionRange` counts) where `line` (1-based) starts; the end of
/// the text if it has fewer lines.
#[must_use]
pub fn line_start_utf16(text: &str, line: u32) -> u32 {
    let mut remaining = line.saturating_sub(1);
    let mut offset: u32 = 0;
    for c in text.chars() {
        if remaining == 0 {
            break;
        }
        offset += u32::try_from(c.len_utf16()).unwrap_or(1);
        if c == '\n' {
            remaining -= 1;
        }
    }
    offset
}
