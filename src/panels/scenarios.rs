//! The scenario picker: the built-in gallery (`podsim::gallery::ALL`) grouped by family. Picking
//! one puts its text in the editor and applies it; "Reset" brings the picked scenario's text back
//! after edits (and applies it again).

use leptos::prelude::*;
use podsim::gallery::{self, BuiltIn};

use crate::browser;
use crate::i18n::{t, Strings};
use crate::state::playground::use_playground;

/// localStorage key keeping the text a scenario replaced, so a pick never loses typed work (Monaco
/// can also undo the replacement).
pub const REPLACED_TEXT_KEY: &str = "pod-playground:editor-text-before-scenario:v1";

/// The families in gallery order, each with its scenarios.
#[must_use]
pub fn families() -> Vec<(&'static str, Vec<&'static BuiltIn>)> {
    let mut out: Vec<(&'static str, Vec<&'static BuiltIn>)> = Vec::new();
    for s in gallery::ALL {
        match out.iter_mut().find(|(f, _)| *f == s.family()) {
            Some((_, list)) => list.push(s),
            None => out.push((s.family(), vec![s])),
        }
    }
    out
}

/// How a family reads in the picker, in the words of `t`.
#[must_use]
pub fn family_label(family: &str, t: &Strings) -> String {
    match family {
        "restartPolicy" => t.family_restart_policy.into(),
        "initContainers" => t.family_init_containers.into(),
        "probes" => t.family_probes.into(),
        "" => t.family_other.into(),
        other => other.into(),
    }
}

/// The picker (`data-testid="scenario-picker"`) with its description and reset button.
#[component]
pub fn ScenarioPicker() -> impl IntoView {
    let playground = use_playground();
    let t = t();
    let picked = RwSignal::new(None::<&'static BuiltIn>);
    let load = move |s: &'static BuiltIn| {
        let before = playground.text.get_untracked();
        if before != s.text {
            browser::storage_set(REPLACED_TEXT_KEY, &before);
        }
        playground.text.set(s.text.to_string());
        playground.apply();
    };
    view! {
        <div class="scenario-bar">
            <label class="scenario-bar__label" for="scenario-picker">{t.scenario}</label>
            <select
                id="scenario-picker"
                class="scenario-bar__select"
                data-testid="scenario-picker"
                on:change:target=move |ev| {
                    let id = ev.target().value();
                    if let Some(s) = gallery::get(&id) {
                        picked.set(Some(s));
                        load(s);
                    }
                }
            >
                <option value="" selected=move || picked.get().is_none()>{t.scenario_choose}</option>
                {families()
                    .into_iter()
                    .map(|(family, list)| {
                        view! {
                            <optgroup label=family_label(family, t)>
                                {list
                                    .into_iter()
                                    .map(|s| {
                                        view! {
                                            <option value=s.id title=s.about() selected=move || picked.get().is_some_and(|p| p.id == s.id)>
                                                {s.title()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </optgroup>
                        }
                    })
                    .collect_view()}
            </select>
            <button
                type="button"
                class="button button--ghost"
                data-testid="scenario-reset"
                title=t.scenario_reset_title
                disabled=move || picked.get().is_none()
                on:click=move |_| {
                    if let Some(s) = picked.get_untracked() {
                        load(s);
                    }
                }
            >
                {t.scenario_reset}
            </button>
            {move || picked.get().map(|s| view! {
                <p class="scenario-bar__about" data-testid="scenario-about">{s.about()}</p>
            })}
        </div>
    }
}
