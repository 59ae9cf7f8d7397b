//! Light and dark themes: the choice, its stored form, and the default.

/// The page's colour theme. The stylesheet keys off `<html data-theme="light|dark">`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The localStorage key holding the user's explicit choice (absent: follow the system).
    /// `index.html` reads the same key before the wasm loads, so the first paint has the right theme.
    pub const STORAGE_KEY: &'static str = "pod-playground:theme";

    /// The stored and attribute form: `"light"` or `"dark"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses the stored form; anything else is `None`.
    #[must_use]
    pub fn parse(value: &str) -> Option<Theme> {
        match value.trim() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// The other theme.
    #[must_use]
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    #[must_use]
    pub fn is_dark(self) -> bool {
        self == Theme::Dark
    }

    /// The theme to start with: the stored choice if it is valid, else the system preference.
    #[must_use]
    pub fn initial(stored: Option<&str>, system_prefers_dark: bool) -> Theme {
        stored.and_then(Theme::parse).unwrap_or(if system_prefers_dark {
            Theme::Dark
        } else {
            Theme::Light
        })
    }
}

/// The theme as shared state (`provide_theme_context`).
#[derive(Clone, Copy, Debug)]
pub struct ThemeState {
    pub theme: leptos::prelude::RwSignal<Theme>,
}

impl ThemeState {
    #[must_use]
    pub fn new(initial: Theme) -> Self {
        ThemeState {
            theme: leptos::prelude::RwSignal::new(initial),
        }
    }

    /// Switches between light and dark.
    pub fn toggle(&self) {
        use leptos::prelude::Update;
        self.theme.update(|t| *t = t.toggled());
    }
}

/// Makes `state` available to every component below the caller.
pub fn provide_theme_context(state: ThemeState) {
    leptos::prelude::provide_context(state);
}

/// The theme state provided by [`provide_theme_context`].
///
/// # Panics
/// If no ancestor provided it (a programming error).
#[must_use]
pub fn use_theme() -> ThemeState {
    leptos::prelude::expect_context::<ThemeState>()
}
