//! The layout shell: header, editor, cluster, detail panels, footer. It creates the shared state,
//! wires autosave and the theme to the browser, and leaves everything else to the panels.

use std::time::Duration;

use leptos::prelude::*;

use crate::browser;
use crate::i18n::{self, t, Lang};
use crate::icons::{Glyph, Icon};
use crate::panels::cluster::ClusterPanel;
use crate::panels::editor::{EditorPanel, Marker};
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

    // The page's language (English for now): `lang` on <html>, and the text table every panel
    // reads through `i18n::t()`. Components read the table once, when they are built: nothing
    // re-renders in place when the language changes (see `i18n`), which keeps that code out of
    // the wasm.
    let lang = i18n::provide_lang(Lang::default());
    Effect::new(move |_| {
        let current = lang.lang.get();
        i18n::set_current(current);
        browser::set_root_attribute("lang", current.code());
    });

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

    view! { <Shell markers=markers /> }
}

/// Everything on the page, in the language of `i18n::t()`.
#[component]
fn Shell(markers: Memo<Vec<Marker>>) -> impl IntoView {
    let t = t();
    view! {
        <a class="skip-link" href="#editor-title">{t.skip_to_editor}</a>
        <header class="app-header">
            <div class="app-header__brand">
                <Logo />
                <div>
                    <h1 class="app-header__title">{t.app_title}</h1>
                    <p class="app-header__tagline">{t.app_tagline}</p>
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
            <p>{t.app_footer}</p>
        </footer>
    }
}

/// The light/dark switch (`data-testid="theme-toggle"`).
#[component]
fn ThemeToggle() -> impl IntoView {
    let theme = crate::state::theme::use_theme();
    let t = t();
    view! {
        <button
            type="button"
            class="button button--ghost theme-toggle"
            data-testid="theme-toggle"
            aria-pressed=move || theme.theme.get().is_dark().to_string()
            title=move || {
                if theme.theme.get().is_dark() { t.theme_to_light } else { t.theme_to_dark }
            }
            on:click=move |_| theme.toggle()
        >
            <span class="theme-toggle__icon">
                {move || view! { <Icon glyph=if theme.theme.get().is_dark() { Glyph::Moon } else { Glyph::Sun } /> }}
            </span>
            <span class="theme-toggle__label">{t.theme_dark}</span>
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
