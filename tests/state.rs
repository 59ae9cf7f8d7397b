//! Native tests of the page's pure logic and state controllers (no browser needed).
//! Components that need a DOM are covered by the browser tests in `tests/e2e/`.

use leptos::prelude::*;

use pod_playground::browser::query_string_has;
use pod_playground::panels::editor::monaco::{json_string, markers_json};
use pod_playground::panels::editor::textarea::line_start_utf16;
use pod_playground::panels::editor::{Marker, Severity};
use pod_playground::panels::tabs::{next_tab, PANELS};
use pod_playground::panic::{banner_html, escape_html};
use pod_playground::state::playground::{count_documents, Applied, Playground, DEFAULT_MANIFEST};
use pod_playground::state::theme::{Theme, ThemeState};

#[test]
fn theme_parses_toggles_and_defaults_to_the_system() {
    assert_eq!(Theme::parse("dark"), Some(Theme::Dark));
    assert_eq!(Theme::parse(" light\n"), Some(Theme::Light));
    assert_eq!(Theme::parse("blue"), None);
    assert_eq!(Theme::Light.toggled(), Theme::Dark);
    assert_eq!(Theme::Dark.toggled().as_str(), "light");
    assert_eq!(Theme::initial(Some("dark"), false), Theme::Dark);
    assert_eq!(Theme::initial(Some("garbage"), true), Theme::Dark);
    assert_eq!(Theme::initial(None, false), Theme::Light);
}

#[test]
fn theme_state_toggles() {
    let owner = Owner::new();
    owner.set();
    let state = ThemeState::new(Theme::Light);
    state.toggle();
    assert_eq!(state.theme.get_untracked(), Theme::Dark);
    state.toggle();
    assert_eq!(state.theme.get_untracked(), Theme::Light);
}

#[test]
fn playground_starts_from_saved_text_or_the_default_pod() {
    let owner = Owner::new();
    owner.set();
    assert_eq!(Playground::new(None).text.get_untracked(), DEFAULT_MANIFEST);
    let saved = Playground::new(Some("kind: Pod\n".into()));
    assert_eq!(saved.text.get_untracked(), "kind: Pod\n");
    saved.reset_text();
    assert_eq!(saved.text.get_untracked(), DEFAULT_MANIFEST);
}

#[test]
fn apply_snapshots_the_text_with_a_growing_revision() {
    let owner = Owner::new();
    owner.set();
    let playground = Playground::new(None);
    assert_eq!(playground.applied.get_untracked(), None);
    playground.apply();
    playground.text.set("a: 1\n---\nb: 2\n".into());
    playground.apply();
    assert_eq!(
        playground.applied.get_untracked(),
        Some(Applied {
            revision: 2,
            text: "a: 1\n---\nb: 2\n".into(),
            documents: 2
        })
    );
}

#[test]
fn the_default_manifest_is_a_small_busybox_pod() {
    assert_eq!(count_documents(DEFAULT_MANIFEST), 1);
    for needle in ["apiVersion: v1", "kind: Pod", "image: busybox", "echo hello; sleep 3600"] {
        assert!(DEFAULT_MANIFEST.contains(needle), "missing {needle:?}");
    }
    assert!(!DEFAULT_MANIFEST.contains('\t'), "YAML indentation must not use tabs");
}

#[test]
fn documents_are_counted_like_kubectl_splits_them() {
    assert_eq!(count_documents(""), 0);
    assert_eq!(count_documents("# only a comment\n\n"), 0);
    assert_eq!(count_documents("---\nkind: Pod\n"), 1);
    assert_eq!(count_documents("kind: Pod\n---\n---\nkind: Node\n...\n"), 2);
    assert_eq!(count_documents("kind: Pod\n--- # next\nkind: Node"), 2);
}

#[test]
fn markers_become_the_json_the_bridge_expects() {
    let markers = [Marker {
        severity: Severity::Warning,
        message: "unknown field \"spec.containers[0].imagePullPolcy\"".into(),
        start_line: 12,
        start_column: 7,
        end_line: 12,
        end_column: 22,
    }];
    assert_eq!(
        markers_json(&markers),
        r#"[{"severity":"warning","message":"unknown field \"spec.containers[0].imagePullPolcy\"","startLineNumber":12,"startColumn":7,"endLineNumber":12,"endColumn":22}]"#
    );
    assert_eq!(markers_json(&[]), "[]");
    assert_eq!(json_string("a\\b\n\u{1}é"), r#""a\\b\n\u0001é""#);
}

#[test]
fn textarea_lines_start_at_utf16_offsets() {
    let text = "a: é\n😀: x\nc: 3";
    assert_eq!(line_start_utf16(text, 1), 0);
    assert_eq!(line_start_utf16(text, 2), 5);
    assert_eq!(line_start_utf16(text, 3), 11, "the emoji counts two UTF-16 units");
    assert_eq!(line_start_utf16(text, 99), 15, "past the end: the end");
    assert_eq!(line_start_utf16(text, 0), 0);
}

#[test]
fn the_panic_banner_escapes_the_message() {
    assert_eq!(escape_html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    let html = banner_html("panicked at src/app.rs:1:1: <oops>");
    assert!(html.contains("&lt;oops&gt;"));
    assert!(html.contains("Your manifest is safe"));
    assert!(!html.contains("<oops>"));
}

#[test]
fn query_strings_are_matched_exactly() {
    assert!(query_string_has("?debug=panic", "debug", "panic"));
    assert!(query_string_has("?a=1&debug=panic", "debug", "panic"));
    assert!(!query_string_has("?debug=panicky", "debug", "panic"));
    assert!(!query_string_has("", "debug", "panic"));
}

#[test]
fn tab_keys_wrap_around() {
    let n = PANELS.len();
    assert_eq!(next_tab(0, "ArrowLeft", n), Some(n - 1));
    assert_eq!(next_tab(n - 1, "ArrowRight", n), Some(0));
    assert_eq!(next_tab(3, "Home", n), Some(0));
    assert_eq!(next_tab(3, "End", n), Some(n - 1));
    assert_eq!(next_tab(3, "a", n), None);
}
