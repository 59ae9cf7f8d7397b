//! The layout shell: header, editor, cluster, detail panels, footer. It creates the shared state,
//! wires autosave and the theme to the browser, and leaves everything else to the panels.

use std::time::Duration;

use leptos::prelude::*;

use crate::browser;
use crate::panels::cluster::ClusterPanel;
use crate::panels::editor::EditorPanel;
use crate::panels::narration::Narration;
use crate::panels::problems::{check_while_typing, markers_memo, ProblemsList};
use crate::panels::scenarios::ScenarioPicker;
use crate::panels::tabs::PanelTabs;
use crate::panels::transport::Transport;
use crate::state::playground::{provide_playground_context, Playground, EDITOR_TEXT_KEY};
use crate::state::sim::provide_sim_state;
use crate::state::theme::{provide_theme_context, Theme, ThemeState};

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let playground = Playground::new(browser::storage_get(EDITOR_TEXT_KEY));
    provide_playground_context(playground);
    let sim = provide_sim_state();
    // Apply (button or Ctrl/Cmd+Enter) snapshots the text in `Playground::apply`; the simulation
    // follows that snapshot, so every way of applying goes through one place.
    Effect::new(move |_| {
        if let Some(applied) = playground.applied.get() {
            sim.apply(&applied.text, crate::state::session::DEFAULT_SEED);
        }
    });
    // Squiggles and the problems list follow typing (debounced) and every Apply.
    check_while_typing(playground, sim);
    let markers = markers_memo(playground, sim);

    let stored_theme = browser::storage_get(Theme::STORAGE_KEY);
    let theme = ThemeState::new(Theme::initial(stored_theme.as_deref(), browser::prefers_dark()));
    provide_theme_context(theme);

    // Autosave: every change of the text goes to localStorage at once, so a reload or a crash
    // never loses what was typed.
    Effect::new(move |_| {
        playground.text.with(|text| browser::storage_set(EDITOR_TEXT_KEY, text));
    });
    // The theme is an attribute on <html> (the CSS keys off it) and, once chosen, a preference.
    Effect::new(move |previous: Option<Theme>| {
        let current = theme.theme.get();
        browser::set_root_attribute("data-theme", current.as_str());
        if previous.is_some_and(|p| p != current) {
            browser::storage_set(Theme::STORAGE_KEY, current.as_str());
        }
        current
    });

    // A deliberate panic for the browser tests of the panic hook (`?debug=panic`).
    if browser::query_has("debug", "panic") {
        set_timeout(
            || panic!("deliberate panic requested with ?debug=panic"),
            Duration::from_millis(100),
        );
    }

    view! {
        <a class="skip-link" href="#editor-title">"Skip to the editor"</a>
        <header class="app-header">
            <div class="app-header__brand">
                <Logo />
                <div>
                    <h1 class="app-header__title">"Pod Playground"</h1>
                    <p class="app-header__tagline">"A Kubernetes Pod's life, simulated in your browser"</p>
                </div>
            </div>
            <ThemeToggle />
        </header>
        <main class="app-main" data-testid="app">
            <div class="app-main__editor">
                <ScenarioPicker />
                <EditorPanel markers=markers>
                    <ProblemsList />
                </EditorPanel>
            </div>
            <div class="app-main__stage">
                <div class="stage-controls">
                    <Transport />
                    <Narration />
                </div>
                <ClusterPanel />
                <PanelTabs />
            </div>
        </main>
        <footer class="app-footer">
            <p>
                "Simulates Kubernetes v1.34 with its default feature gates. "
                "Everything runs in this page: nothing you type leaves your browser."
            </p>
        </footer>
    }
}

/// The light/dark switch (`data-testid="theme-toggle"`).
#[component]
fn ThemeToggle() -> impl IntoView {
    let theme = crate::state::theme::use_theme();
    view! {
        <button
            type="button"
            class="button button--ghost theme-toggle"
            data-testid="theme-toggle"
            aria-pressed=move || theme.theme.get().is_dark().to_string()
            title=move || {
                if theme.theme.get().is_dark() { "Switch to the light theme" } else { "Switch to the dark theme" }
            }
            on:click=move |_| theme.toggle()
        >
            <span class="theme-toggle__icon" aria-hidden="true">
                {move || if theme.theme.get().is_dark() { "☾" } else { "☀" }}
            </span>
            <span class="theme-toggle__label">"Dark theme"</span>
        </button>
    }
}

/// The product mark: a pod (rounded box) holding two containers.
#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="app-header__logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">
            <rect x="2" y="2" width="28" height="28" rx="7" fill="var(--color-accent)" />
            <rect x="8" y="9" width="7" height="14" rx="2" fill="var(--color-on-accent)" />
            <rect x="17" y="9" width="7" height="14" rx="2" fill="var(--color-on-accent)" opacity="0.7" />
        </svg>
    }
}
