//! The problems list and the editor squiggles: every diagnostic `podsim::manifest::parse` finds
//! in the editor's text (syntax, type and validation errors in the apiserver's words,
//! unknown-field warnings, "accepted, not simulated" notes) at its line and column.
//!
//! The text is checked 300 ms after the learner stops typing and on every Apply. The rejection
//! lines (`The Pod "x" is invalid: …`, what `kubectl apply` would print) head the list; each
//! diagnostic below is a button that reveals its line in the editor.

use std::time::Duration;

use leptos::prelude::*;
use podsim::manifest::{Diagnostic, Parsed, Severity as PodSeverity};

use crate::i18n::t;
use crate::icons::{Glyph, Icon};
use crate::panels::editor::{use_editor, Marker, Severity};
use crate::state::playground::Playground;
use crate::state::sim::{use_sim_state, SimState};

/// How long typing must pause before the text is checked.
pub const CHECK_DELAY: Duration = Duration::from_millis(300);

/// One row of the problems list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    pub text: String,
    /// 1-based; `None` for rejection lines (they name objects, not places).
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// A line kubectl would print for a rejected object (shown first).
    pub rejection: bool,
}

/// The list's rows: the rejections first, then every diagnostic in text order.
#[must_use]
pub fn problems_of(parsed: &Parsed) -> Vec<Problem> {
    let rejections = parsed.rejections.iter().map(|r| Problem {
        severity: "error",
        text: r.clone(),
        line: None,
        column: None,
        rejection: true,
    });
    let diagnostics = parsed.diagnostics.iter().map(|d| Problem {
        severity: d.severity.as_str(),
        text: d.message.clone(),
        line: Some(d.line.max(1)),
        column: Some(d.column.max(1)),
        rejection: false,
    });
    rejections.chain(diagnostics).collect()
}

/// The editor marker of a diagnostic: from its column to the end of the key or word there (at
/// least one character), so a typo'd field is underlined whole.
#[must_use]
pub fn marker_of(d: &Diagnostic, text: &str) -> Marker {
    let line = d.line.max(1);
    let column = d.column.max(1);
    let line_text = text.lines().nth(line as usize - 1).unwrap_or("");
    let rest: Vec<char> = line_text.chars().skip(column as usize - 1).collect();
    let word = rest
        .iter()
        .take_while(|c| !c.is_whitespace() && **c != ':' && **c != ',' && **c != '}' && **c != ']')
        .map(|c| u32::try_from(c.len_utf16()).unwrap_or(1))
        .sum::<u32>();
    // Nothing word-like there (a syntax error at a bracket, the end of a line): mark the rest of
    // the line, or one column past the end.
    let width = if word > 0 {
        word
    } else {
        rest.iter().map(|c| u32::try_from(c.len_utf16()).unwrap_or(1)).sum::<u32>().max(1)
    };
    Marker {
        severity: match d.severity {
            PodSeverity::Error => Severity::Error,
            PodSeverity::Warning => Severity::Warning,
            PodSeverity::Info => Severity::Info,
        },
        message: d.message.clone(),
        start_line: line,
        start_column: column,
        end_line: line,
        end_column: column + width,
    }
}

/// The markers for a parse of `text`.
#[must_use]
pub fn markers_of(parsed: &Parsed, text: &str) -> Vec<Marker> {
    parsed.diagnostics.iter().map(|d| marker_of(d, text)).collect()
}

/// Checks the editor's text 300 ms after each change (and once at start), so squiggles and the
/// problems list follow typing without parsing on every key.
pub fn check_while_typing(playground: Playground, sim: SimState) {
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        playground.text.track();
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let _ = pending.try_update_value(|p| *p = None);
                sim.check(&playground.text.get_untracked());
            },
            CHECK_DELAY,
        )
        .ok();
        pending.set_value(handle);
    });
}

/// The editor's markers, recomputed only when a new parse arrives (not on every key).
#[must_use]
pub fn markers_memo(playground: Playground, sim: SimState) -> Memo<Vec<Marker>> {
    Memo::new(move |_| {
        sim.parsed.with(|p| match p {
            Some(p) => playground.text.with_untracked(|t| markers_of(p, t)),
            None => Vec::new(),
        })
    })
}

/// The problems list (`data-testid="problems"`), rendered inside the editor panel.
#[component]
pub fn ProblemsList() -> impl IntoView {
    let sim = use_sim_state();
    let editor = use_editor();
    let t = t();
    let rows = Memo::new(move |_| sim.parsed.with(|p| p.as_deref().map(problems_of).unwrap_or_default()));
    let counts = Memo::new(move |_| {
        rows.with(|r| {
            let n = |s: &str| r.iter().filter(|p| !p.rejection && p.severity == s).count();
            (n("error"), n("warning"), n("info"))
        })
    });
    view! {
        <section class="problems" aria-labelledby="problems-title">
            <h3 id="problems-title" class="problems__title">
                {t.problems}
                <span class="problems__counts" data-testid="problem-counts">
                    {move || {
                        let (e, w, i) = counts.get();
                        if e + w + i == 0 { t.problems_none.to_string() } else { (t.problem_counts)(e, w, i) }
                    }}
                </span>
            </h3>
            <ul class="problems__list" data-testid="problems">
                {move || rows.get().into_iter().map(|p| {
                        let (glyph, severity) = match p.severity {
                            "error" => (Glyph::Cross, t.severity_error),
                            "warning" => (Glyph::Warning, t.severity_warning),
                            _ => (Glyph::Info, t.severity_info),
                        };
                        if p.rejection {
                            view! {
                                <li class="problem problem--rejection" data-testid="rejection" data-severity="error">
                                    <span class="problem__glyph"><Icon glyph=Glyph::Cross /></span>
                                    <span class="visually-hidden">{t.severity_error}</span>
                                    <code class="problem__text">{p.text}</code>
                                </li>
                            }
                            .into_any()
                        } else {
                            let line = p.line.unwrap_or(1);
                            let column = p.column.unwrap_or(1);
                            view! {
                                <li class=format!("problem problem--{}", p.severity) data-testid="problem" data-line=line data-column=column data-severity=p.severity>
                                    <button
                                        type="button"
                                        class="problem__button"
                                        title=t.problem_reveal_title
                                        on:click=move |_| {
                                            if let Some(editor) = editor {
                                                editor.reveal_line(line);
                                            }
                                        }
                                    >
                                        <span class="problem__glyph"><Icon glyph=glyph /></span>
                                        <span class="visually-hidden">{severity}</span>
                                        <span class="problem__where">{format!("{line}:{column}")}</span>
                                        <span class="problem__text">{p.text}</span>
                                    </button>
                                </li>
                            }
                            .into_any()
                        }
                    }).collect_view()}
            </ul>
        </section>
    }
}
