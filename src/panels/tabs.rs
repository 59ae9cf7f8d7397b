//! The panel area: a tab strip for the detail panels (scheduler, kubelet, lifecycle, timeline,
//! events, terminal, YAML). Each tab shows an empty state until the simulator is connected.

use leptos::html;
use leptos::prelude::*;

/// The detail panels, in tab order: (id, label, what it will show).
pub const PANELS: [(&str, &str, &str); 7] = [
    ("scheduler", "Scheduler", "The scheduling queue, every node's filter verdicts and scores, and the final decision."),
    ("kubelet", "Kubelet", "The kubelet's sync steps for the selected pod: sandbox, image pulls, init containers, probes."),
    ("lifecycle", "Lifecycle", "The pod phase and container state machines, the conditions, and the restart back-off."),
    ("timeline", "Timeline", "One lane per container: waiting, running, terminated, restarts and probe results."),
    ("events", "Events", "The events, as kubectl get events prints them."),
    ("terminal", "Terminal", "A kubectl prompt: get, describe, logs, exec, delete, apply and more."),
    ("yaml", "YAML", "The live object, as kubectl get -o yaml shows it."),
];

/// Index of the tab after a key press on the strip (arrows wrap, Home/End jump), if it moves.
#[must_use]
pub fn next_tab(current: usize, key: &str, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    match key {
        "ArrowRight" => Some((current + 1) % count),
        "ArrowLeft" => Some((current + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}

/// The panel area (`data-testid="panels"`), an accessible tab list.
#[component]
pub fn PanelTabs() -> impl IntoView {
    let selected = RwSignal::new(0_usize);
    let tabs: [NodeRef<html::Button>; PANELS.len()] = std::array::from_fn(|_| NodeRef::new());
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if let Some(next) = next_tab(selected.get_untracked(), &ev.key(), PANELS.len()) {
            ev.prevent_default();
            selected.set(next);
            if let Some(tab) = tabs[next].get_untracked() {
                let _ = tab.focus();
            }
        }
    };
    view! {
        <section class="panel tabs-panel" data-testid="panels" aria-label="Details">
            <div class="tabs" role="tablist" aria-label="Detail panels" on:keydown=on_keydown>
                {PANELS
                    .iter()
                    .enumerate()
                    .map(|(i, (id, label, _))| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="tabs__tab"
                                node_ref=tabs[i]
                                id=format!("tab-{id}")
                                aria-controls=format!("tabpanel-{id}")
                                aria-selected=move || (selected.get() == i).to_string()
                                tabindex=move || if selected.get() == i { "0" } else { "-1" }
                                on:click=move |_| selected.set(i)
                            >
                                {*label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                let (id, label, blurb) = PANELS[selected.get()];
                view! {
                    <div
                        class="tabs__panel"
                        role="tabpanel"
                        id=format!("tabpanel-{id}")
                        aria-labelledby=format!("tab-{id}")
                        tabindex="0"
                    >
                        <p class="empty-state">
                            <strong>{label}</strong>
                            " — "
                            {blurb}
                            " It appears here once the simulator runs."
                        </p>
                    </div>
                }
            }}
        </section>
    }
}
