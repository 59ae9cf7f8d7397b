//! The page's own icon set: small 16×16 shapes that pair with a colour and a word for every state
//! (✓-like check, cross, dots, play, back-off timer, …), for the transport buttons and a few
//! controls. Each icon is path data drawn in `currentColor`, so it follows the theme and the state
//! palette; [`Icon`] renders it as an inline `<svg aria-hidden="true" focusable="false">`. No icon
//! font, no sprite file, nothing fetched.
//!
//! Icons are decorative: every place that shows one also says the same in words (its text, an
//! `aria-label` or visually hidden text), so meaning never rests on colour or shape alone.
//! `public/styles/app.css` (`.icon`) sizes them to 1em on the text baseline.

use leptos::prelude::*;

/// Declares the icon set: a variant, its CSS name, and its path data in the 16×16 box: a shape
/// filled with `currentColor` and/or one stroked with it (at least one of the two).
macro_rules! glyphs {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal $(, fill: $fill:literal)? $(, line: $line:literal)?; )*) => {
        /// One icon of the set.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Glyph {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Glyph {
            /// Every icon, in declaration order.
            pub const ALL: &'static [Glyph] = &[$(Glyph::$variant),*];

            /// The icon's name (the `icon--NAME` class).
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $( Glyph::$variant => $name, )*
                }
            }

            /// The `class` attribute: `icon icon--NAME`.
            #[must_use]
            pub fn class(self) -> &'static str {
                match self {
                    $( Glyph::$variant => concat!("icon icon--", $name), )*
                }
            }

            /// Path data: (filled with `currentColor`, stroked with `currentColor`); either may be
            /// empty.
            #[must_use]
            pub fn paths(self) -> (&'static str, &'static str) {
                match self {
                    $( Glyph::$variant => (concat!($($fill)?), concat!($($line)?)), )*
                }
            }

            /// The SVG inside the `<svg>`, made at compile time: one static string per icon (a
            /// lighter view than path elements built one by one).
            #[must_use]
            pub fn markup(self) -> &'static str {
                match self {
                    $( Glyph::$variant => concat!(
                        $("<path d=\"", $fill, "\" fill=\"currentColor\"/>",)?
                        $("<path class=\"icon__line\" d=\"", $line, "\" fill=\"none\" stroke=\"currentColor\"/>",)?
                    ), )*
                }
            }
        }
    };
}

glyphs! {
    /// Ready, passed, True.
    Check = "check", line: "M3 8.5l3.2 3.2L13 4.5";
    /// Failed, false, stop, close.
    Cross = "cross", line: "M4 4l8 8M12 4l-8 8";
    /// A filled disc: on, lit, Normal.
    Dot = "dot", fill: "M8 3a5 5 0 1 0 0 10A5 5 0 1 0 8 3z";
    /// A small disc: nothing yet.
    DotSmall = "dot-small", fill: "M8 6a2 2 0 1 0 0 4A2 2 0 1 0 8 6z";
    /// A ring: off, running but not ready.
    Circle = "circle", line: "M8 3a5 5 0 1 0 0 10A5 5 0 1 0 8 3z";
    /// A dashed ring: not ready (a node).
    CircleDashed = "circle-dashed", line: "M6.45 3.24A5 5 0 0 1 9.38 3.19M11.35 4.28A5 5 0 0 1 12.85 6.79M12.89 9.04A5 5 0 0 1 11.47 11.6M9.55 12.76A5 5 0 0 1 6.62 12.81M4.65 11.72A5 5 0 0 1 3.15 9.21M3.11 6.96A5 5 0 0 1 4.53 4.4";
    /// A filled triangle: play, start, running and ready.
    Play = "play", fill: "M4 2.5v11L13.5 8z";
    /// A hollow triangle: running, not ready.
    PlayOutline = "play-outline", line: "M5 3.5v9L12.5 8z";
    /// A filled square: exited, stopped.
    Square = "square", fill: "M3.5 3.5h9v9h-9z";
    /// A filled diamond: scheduling, probes.
    Diamond = "diamond", fill: "M8 1.5L14.5 8 8 14.5 1.5 8z";
    /// A filled down-pointing triangle: image pulls (scrubber legend).
    TriangleDown = "triangle-down", fill: "M2.5 4.5h11L8 12.5z";
    /// A clock: back-off, a grace period running.
    Timer = "timer", line: "M8 2.5a5.5 5.5 0 0 1 0 11a5.5 5.5 0 0 1 0-11zM8 5v3.2l2.2 1.5";
    /// A triangle with an exclamation mark: a warning.
    Warning = "warning", fill: "M8 10.6a1 1 0 1 0 0 2a1 1 0 1 0 0-2z", line: "M8 2L14.5 13.5h-13zM8 6.2v2.8";
    /// A circled i: a note.
    Info = "info", fill: "M8 3.7a1 1 0 1 0 0 2a1 1 0 1 0 0-2z", line: "M8 1.8a6.2 6.2 0 0 1 0 12.4a6.2 6.2 0 0 1 0-12.4zM8 7.4v4";
    /// A circled exclamation mark: an error state.
    Alert = "alert", fill: "M8 10.3a1 1 0 1 0 0 2a1 1 0 1 0 0-2z", line: "M8 1.8a6.2 6.2 0 0 1 0 12.4a6.2 6.2 0 0 1 0-12.4zM8 4.6v3.6";
    /// Three dots: waiting, in progress.
    Ellipsis = "ellipsis", fill: "M3.5 6.7a1.3 1.3 0 1 0 0 2.6a1.3 1.3 0 1 0 0-2.6zM8 6.7a1.3 1.3 0 1 0 0 2.6a1.3 1.3 0 1 0 0-2.6zM12.5 6.7a1.3 1.3 0 1 0 0 2.6a1.3 1.3 0 1 0 0-2.6z";
    /// A circular arrow: restarts.
    Restart = "restart", line: "M13 8A5 5 0 1 1 11.5 4.5M12.3 1.6v3.3H9";
    /// A ring around a disc: a watch event.
    Target = "target", fill: "M8 6a2 2 0 1 0 0 4A2 2 0 1 0 8 6z", line: "M8 2.5a5.5 5.5 0 0 1 0 11a5.5 5.5 0 0 1 0-11z";
    /// A box in a box: the pod sandbox.
    Sandbox = "sandbox", fill: "M5.5 5.5h5v5h-5z", line: "M2.5 2.5h11v11h-11z";
    /// An arrow into a tray: an image pull.
    Download = "download", line: "M8 2v8M4.5 6.5L8 10l3.5-3.5M3 13.5h10";
    /// Plus: create, zoom in.
    Plus = "plus", line: "M8 3v10M3 8h10";
    /// Minus: zoom out.
    Minus = "minus", line: "M3 8h10";
    /// A hooked arrow: lifecycle hooks.
    Hook = "hook", line: "M3 3.5v4a3 3 0 0 0 3 3h7M10 7.5l3 3-3 3";
    /// Three lines: a status write.
    Lines = "lines", line: "M3 4.5h10M3 8h10M3 11.5h10";
    /// A question mark: Unknown.
    Question = "question", fill: "M8 11.4a1 1 0 1 0 0 2a1 1 0 1 0 0-2z", line: "M5.6 5.6a2.4 2.4 0 1 1 3.4 2.2c-.7.3-1 .8-1 1.5v.3";
    /// A dash: not set, not run.
    Dash = "dash", line: "M3.5 8h9";
    /// A star: the chosen node.
    Star = "star", fill: "M8 1.9l1.59 4.32 4.59.17-3.61 2.84 1.25 4.43L8 11.1l-3.82 2.56 1.25-4.43-3.61-2.84 4.59-.17z";
    /// A ticked box: a panel switched on.
    CheckboxOn = "checkbox-on", line: "M2.5 2.5h11v11h-11zM5 8.2l2 2L11 6";
    /// An empty box: a panel switched off.
    CheckboxOff = "checkbox-off", line: "M2.5 2.5h11v11h-11z";
    /// The sun: the light theme.
    Sun = "sun", line: "M8 5a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1.1 1.1M11.9 11.9L13 13M3 13l1.1-1.1M11.9 4.1L13 3";
    /// A crescent: the dark theme.
    Moon = "moon", fill: "M13.5 10.2A6 6 0 0 1 5.8 2.5a6 6 0 1 0 7.7 7.7z";
    /// An arrow to the right: from one place to the next.
    ArrowRight = "arrow-right", line: "M2.5 8h10M9 4.5L12.5 8 9 11.5";
    /// Transport: jump to the start.
    JumpStart = "jump-start", fill: "M2 3h2v10H2zM9 3v10L4 8zM15 3v10l-5-5z";
    /// Transport: step back.
    StepBack = "step-back", fill: "M3 3h2v10H3zM13 3v10L6 8z";
    /// Transport: pause.
    Pause = "pause", fill: "M4 3h3v10H4zM9 3h3v10H9z";
    /// Transport: step forward.
    StepForward = "step-forward", fill: "M11 3h2v10h-2zM3 3v10l7-5z";
    /// Transport: jump to the end.
    JumpEnd = "jump-end", fill: "M12 3h2v10h-2zM7 3v10l5-5zM1 3v10l5-5z";
}

/// An icon of the set as inline SVG, decorative (`aria-hidden`, not focusable). Put a word next
/// to it, or an `aria-label` on its control.
#[component]
pub fn Icon(glyph: Glyph) -> impl IntoView {
    view! { <svg class=glyph.class() viewBox="0 0 16 16" aria-hidden="true" focusable="false" inner_html=glyph.markup()></svg> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_has_a_name_and_a_shape() {
        let mut names: Vec<&str> = Glyph::ALL.iter().map(|g| g.name()).collect();
        for g in Glyph::ALL {
            let (fill, line) = g.paths();
            assert!(!fill.is_empty() || !line.is_empty(), "{g:?} draws something");
            for d in [fill, line].into_iter().filter(|d| !d.is_empty()) {
                assert!(d.starts_with('M'), "{g:?}: path data starts with a move");
                assert!(d.chars().all(|c| c.is_ascii_digit() || " .-,MmLlHhVvAaCcZz".contains(c)), "{g:?}: {d}");
            }
            assert_eq!(g.class(), format!("icon icon--{}", g.name()));
            let markup = g.markup();
            assert_eq!(markup.matches("<path ").count(), [fill, line].iter().filter(|d| !d.is_empty()).count(), "{g:?}: {markup}");
            assert!(markup.matches("currentColor").count() >= 1 && !markup.contains("href"), "{g:?}: {markup}");
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Glyph::ALL.len(), "names are unique");
    }
}
