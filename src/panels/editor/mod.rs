//! The editor panel: the manifest editor, its Apply button, and the editor adapter.
//!
//! The page paints with a plain `<textarea>` ([`textarea`]); after the first paint it loads Monaco
//! through [`monaco`] (the only module that touches JavaScript) and swaps it in. If Monaco cannot
//! load, the textarea simply stays. Either way the text lives in [`Playground::text`] and is
//! autosaved by the app. Other panels command the editor through [`EditorHandle`] (reveal a line)
//! and the `markers` prop (diagnostics as squiggles).

pub mod monaco;
pub mod textarea;

use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::t;
use crate::state::playground::{use_playground, Playground};
use crate::state::theme::use_theme;
use monaco::MonacoEditor;
use textarea::TextareaEditor;

/// How serious a diagnostic is (mirrors Monaco's marker severities).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

/// A diagnostic shown in the editor. Lines and columns are 1-based; the end column is exclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub severity: Severity,
    pub message: String,
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Which editor is on screen. Exposed as `data-editor-kind` on the `editor` test id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EditorKind {
    Textarea,
    Monaco,
}

impl EditorKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EditorKind::Textarea => "textarea",
            EditorKind::Monaco => "monaco",
        }
    }
}

/// Where the lazy Monaco load stands. Exposed as `data-monaco` on the `editor` test id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MonacoStatus {
    /// Waiting for the first paint.
    Waiting,
    Loading,
    Ready,
    /// Could not load (blocked, offline, failed to start): the textarea stays.
    Unavailable,
}

impl MonacoStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            MonacoStatus::Waiting => "waiting",
            MonacoStatus::Loading => "loading",
            MonacoStatus::Ready => "ready",
            MonacoStatus::Unavailable => "unavailable",
        }
    }
}

/// Commands for the editor from other panels, whichever editor is on screen.
#[derive(Clone, Copy)]
pub struct EditorHandle {
    kind: RwSignal<EditorKind>,
    monaco: StoredValue<Option<MonacoEditor>, LocalStorage>,
    textarea: NodeRef<html::Textarea>,
}

impl EditorHandle {
    /// Scrolls to `line` (1-based), puts the caret there and focuses the editor.
    pub fn reveal_line(&self, line: u32) {
        if self.kind.get_untracked() == EditorKind::Monaco {
            self.monaco.with_value(|m| {
                if let Some(m) = m {
                    m.reveal_line(line);
                }
            });
        } else if let Some(textarea) = self.textarea.get_untracked() {
            textarea::reveal_line(&textarea, line);
        }
    }
}

/// The editor handle provided by [`EditorPanel`], for panels rendered beside it.
#[must_use]
pub fn use_editor() -> Option<EditorHandle> {
    use_context::<EditorHandle>()
}

/// The manifest editor with its toolbar. `markers` are shown as squiggles once Monaco is ready;
/// `children` (the problems list) render under the editor, where [`use_editor`] reaches them.
#[component]
pub fn EditorPanel(
    #[prop(optional, into)] markers: Option<Signal<Vec<Marker>>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let playground = use_playground();
    let theme = use_theme();
    let t = t();
    let kind = RwSignal::new(EditorKind::Textarea);
    let status = RwSignal::new(MonacoStatus::Waiting);
    let monaco_editor = StoredValue::new_local(None::<MonacoEditor>);
    let host = NodeRef::<html::Div>::new();
    let textarea_ref = NodeRef::<html::Textarea>::new();
    provide_context(EditorHandle {
        kind,
        monaco: monaco_editor,
        textarea: textarea_ref,
    });

    let on_apply = Callback::new(move |()| playground.apply());

    // Load Monaco only after the first paint: the rAF callback runs just before that paint, and
    // the zero timeout after it.
    request_animation_frame(move || {
        set_timeout(
            move || {
                spawn_local(swap_in_monaco(SwapIn {
                    playground,
                    dark: theme.theme.get_untracked().is_dark(),
                    kind,
                    status,
                    monaco_editor,
                    host,
                    textarea_ref,
                    markers,
                }));
            },
            Duration::ZERO,
        );
    });

    Effect::new(move |_| {
        let dark = theme.theme.get().is_dark();
        if status.get() == MonacoStatus::Ready {
            monaco::set_theme(dark);
        }
    });
    if let Some(markers) = markers {
        Effect::new(move |_| {
            let markers = markers.get();
            monaco_editor.with_value(|m| {
                if let Some(m) = m {
                    m.set_markers(&markers);
                }
            });
        });
    }
    // Text set from outside the editor (a scenario, a reset) flows down into Monaco. Typing
    // flows up first, so the text is already equal then and the bridge does nothing.
    Effect::new(move |_| {
        let text = playground.text.get();
        if status.get() == MonacoStatus::Ready {
            monaco_editor.with_value(|m| {
                if let Some(m) = m {
                    m.set_text(&text);
                }
            });
        }
    });
    on_cleanup(move || {
        monaco_editor.try_update_value(|m| drop(m.take()));
    });

    view! {
        <section class="panel editor-panel" aria-labelledby="editor-title">
            <header class="panel__header">
                <h2 id="editor-title" class="panel__title">{t.manifest}</h2>
                <span class="panel__meta" data-testid="editor-status">
                    {move || match status.get() {
                        MonacoStatus::Ready => t.editor_ready,
                        MonacoStatus::Unavailable => t.editor_plain,
                        MonacoStatus::Waiting | MonacoStatus::Loading => t.editor_loading,
                    }}
                </span>
                <button
                    type="button"
                    class="button button--primary"
                    data-testid="apply"
                    title=t.apply_title
                    on:click=move |_| playground.apply()
                >
                    {t.apply}
                    <kbd class="button__hint" aria-hidden="true">{t.apply_hint}</kbd>
                </button>
            </header>
            <div
                class="editor"
                data-testid="editor"
                data-editor-kind=move || kind.get().as_str()
                data-monaco=move || status.get().as_str()
            >
                <TextareaEditor
                    label=t.editor_textarea_label
                    text=playground.text
                    on_apply=on_apply
                    node_ref=textarea_ref
                    hidden=Signal::derive(move || kind.get() == EditorKind::Monaco)
                />
                <div
                    class="editor__monaco"
                    data-testid="editor-monaco"
                    node_ref=host
                    hidden=move || kind.get() != EditorKind::Monaco
                ></div>
            </div>
            {children.map(|c| c())}
        </section>
    }
}

/// What the lazy Monaco swap needs (all `Copy` handles).
struct SwapIn {
    playground: Playground,
    dark: bool,
    kind: RwSignal<EditorKind>,
    status: RwSignal<MonacoStatus>,
    monaco_editor: StoredValue<Option<MonacoEditor>, LocalStorage>,
    host: NodeRef<html::Div>,
    textarea_ref: NodeRef<html::Textarea>,
    markers: Option<Signal<Vec<Marker>>>,
}

async fn swap_in_monaco(s: SwapIn) {
    s.status.set(MonacoStatus::Loading);
    if let Err(reason) = monaco::load().await {
        leptos::logging::warn!("Monaco could not load ({reason}); keeping the plain text editor.");
        s.status.set(MonacoStatus::Unavailable);
        return;
    }
    // After a panic the page is frozen on purpose; do not touch it.
    if crate::panic::has_panicked() {
        return;
    }
    let Some(host) = s.host.get_untracked() else {
        return; // The panel was unmounted meanwhile.
    };
    // If the learner is typing in the textarea right now, Monaco takes over focus and caret.
    let caret = s.textarea_ref.get_untracked().and_then(|t| {
        let focused = leptos::prelude::document()
            .active_element()
            .is_some_and(|active| active == **t);
        focused.then(|| t.selection_start().ok().flatten().unwrap_or(0))
    });
    let playground = s.playground;
    let created = MonacoEditor::create(
        &host,
        &playground.text.get_untracked(),
        s.dark,
        move |text| playground.text.set(text),
        move || playground.apply(),
    );
    match created {
        Ok(editor) => {
            if let Some(markers) = s.markers {
                editor.set_markers(&markers.get_untracked());
            }
            if let Some(offset) = caret {
                editor.focus_at(offset);
            }
            s.monaco_editor.set_value(Some(editor));
            s.kind.set(EditorKind::Monaco);
            s.status.set(MonacoStatus::Ready);
        }
        Err(reason) => {
            leptos::logging::warn!("Monaco failed to start ({reason}); keeping the plain text editor.");
            s.status.set(MonacoStatus::Unavailable);
        }
    }
}
