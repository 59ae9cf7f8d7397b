//! The panel area: the detail panels (scheduler, kubelet, lifecycle, timeline, events, terminal,
//! YAML). On small screens it is an accessible tab list showing one panel; on wide screens the
//! same strip becomes a row of toggles and every panel switched on is shown, side by side in a
//! grid. A pod picker above drives the panels that describe one pod. Only open panels are
//! mounted (they recompute as the cursor moves); the terminal's screen and history live in a
//! store created here, so they survive switching.

use leptos::html;
use leptos::prelude::*;

use super::events::EventsPanel;
use super::kubelet::KubeletPanel;
use super::lifecycle::LifecyclePanel;
use super::scheduler::SchedulerPanel;
use super::terminal::{provide_terminal_store, TerminalPanel};
use super::timeline::TimelinePanel;
use super::yaml::YamlPanel;
use crate::i18n::{t, Strings};
use crate::icons::{Glyph, Icon};
use crate::state::sim::use_sim_state;

/// The detail panels' ids, in tab order (`tab-<id>`, `panel-<id>`).
pub const PANELS: [&str; 7] = ["scheduler", "kubelet", "lifecycle", "timeline", "events", "terminal", "yaml"];

/// A panel's (tab label, what it shows), in the words of `t`.
#[must_use]
pub fn panel_text(id: &str, t: &Strings) -> (&'static str, &'static str) {
    match id {
        "scheduler" => (t.tab_scheduler, t.tab_scheduler_about),
        "kubelet" => (t.tab_kubelet, t.tab_kubelet_about),
        "lifecycle" => (t.tab_lifecycle, t.tab_lifecycle_about),
        "timeline" => (t.tab_timeline, t.tab_timeline_about),
        "events" => (t.tab_events, t.tab_events_about),
        "terminal" => (t.tab_terminal, t.tab_terminal_about),
        _ => (t.tab_yaml, t.tab_yaml_about),
    }
}

/// The width from which panels can be shown side by side.
pub const WIDE_QUERY: &str = "(min-width: 1100px)";

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

/// Which panels are visible: in tabs mode the active one; in grid mode every open one.
#[must_use]
pub fn visible(wide: bool, active: usize, open: &[bool], i: usize) -> bool {
    if wide {
        open.get(i).copied().unwrap_or(false)
    } else {
        i == active
    }
}

/// A toggle in grid mode: flips `i`, and makes it the active tab when it opens (so narrowing
/// the window later shows the panel last opened).
pub fn toggle(open: &mut [bool], active: &mut usize, i: usize) {
    if let Some(o) = open.get_mut(i) {
        *o = !*o;
        if *o {
            *active = i;
        }
    }
}

fn is_wide() -> bool {
    web_sys::window().and_then(|w| w.match_media(WIDE_QUERY).ok().flatten()).is_some_and(|m| m.matches())
}

fn panel_body(id: &str) -> AnyView {
    match id {
        "scheduler" => view! { <SchedulerPanel /> }.into_any(),
        "kubelet" => view! { <KubeletPanel /> }.into_any(),
        "lifecycle" => view! { <LifecyclePanel /> }.into_any(),
        "timeline" => view! { <TimelinePanel /> }.into_any(),
        "events" => view! { <EventsPanel /> }.into_any(),
        "terminal" => view! { <TerminalPanel /> }.into_any(),
        _ => view! { <YamlPanel /> }.into_any(),
    }
}

/// The panel area (`data-testid="panels"`).
#[component]
pub fn PanelTabs() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    provide_terminal_store(t);
    let active = RwSignal::new(0_usize);
    let open = RwSignal::new({
        let mut o = [false; PANELS.len()];
        o[0] = true;
        o
    });
    let wide = RwSignal::new(is_wide());
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        let now = is_wide();
        if now != wide.get_untracked() {
            wide.set(now);
        }
    });
    on_cleanup(move || resize.remove());

    let tabs: [NodeRef<html::Button>; PANELS.len()] = std::array::from_fn(|_| NodeRef::new());
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if let Some(next) = next_tab(active.get_untracked(), &ev.key(), PANELS.len()) {
            ev.prevent_default();
            if !wide.get_untracked() {
                active.set(next);
            }
            if let Some(tab) = tabs[next].get_untracked() {
                let _ = tab.focus();
            }
        }
    };
    let key = super::common::step_key(sim);
    let pods = Memo::new(move |_| {
        key.with(|_| ());
        sim.snapshot.with_untracked(|s| s.as_ref().map(|s| s.world.pods.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
    });

    view! {
        <section class="panel tabs-panel detail-panels" class:is-grid=move || wide.get() data-testid="panels" aria-label=t.details>
            <div class="detail-panels__bar">
                <div
                    class="tabs"
                    role=move || if wide.get() { "toolbar" } else { "tablist" }
                    aria-label=move || if wide.get() { t.details_toggles } else { t.details_tabs }
                    on:keydown=on_keydown
                >
                    {PANELS
                        .iter()
                        .enumerate()
                        .map(|(i, id)| {
                            let (label, blurb) = panel_text(id, t);
                            let shown = move || visible(wide.get(), active.get(), &open.get(), i);
                            view! {
                                <button
                                    type="button"
                                    role=move || if wide.get() { None } else { Some("tab") }
                                    class="tabs__tab"
                                    class:is-toggle=move || wide.get()
                                    node_ref=tabs[i]
                                    id=format!("tab-{id}")
                                    data-testid=format!("tab-{id}")
                                    title=blurb
                                    aria-controls=move || shown().then(|| format!("tabpanel-{id}"))
                                    aria-selected=move || (!wide.get()).then(|| (active.get() == i).to_string())
                                    aria-pressed=move || wide.get().then(|| shown().to_string())
                                    tabindex=move || if wide.get() || active.get() == i { "0" } else { "-1" }
                                    on:click=move |_| {
                                        if wide.get_untracked() {
                                            open.update(|o| active.update(|a| toggle(o, a, i)));
                                        } else {
                                            active.set(i);
                                            open.update(|o| o[i] = true);
                                        }
                                    }
                                >
                                    <span class="tabs__check">
                                        {move || wide.get().then(|| view! { <Icon glyph=if shown() { Glyph::CheckboxOn } else { Glyph::CheckboxOff } /> })}
                                    </span>
                                    {label}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <PodPicker pods=pods />
            </div>
            <div class="detail-panels__grid">
                {PANELS
                    .iter()
                    .enumerate()
                    .map(|(i, id)| {
                        let id = *id;
                        let (label, _) = panel_text(id, t);
                        view! {
                            <Show when=move || visible(wide.get(), active.get(), &open.get(), i)>
                                <div
                                    class=format!("tabs__panel detail-panel detail-panel--{id}")
                                    role=move || if wide.get() { "region" } else { "tabpanel" }
                                    id=format!("tabpanel-{id}")
                                    aria-labelledby=format!("tab-{id}")
                                    data-testid=format!("panel-{id}")
                                >
                                    <header class="detail-panel__header">
                                        <h2 class="detail-panel__title">{label}</h2>
                                        {move || wide.get().then(|| view! {
                                            <button
                                                type="button"
                                                class="button button--ghost button--small detail-panel__close"
                                                aria-label=(t.hide_panel)(label)
                                                title=t.hide
                                                on:click=move |_| open.update(|o| o[i] = false)
                                            >
                                                <Icon glyph=Glyph::Cross />
                                            </button>
                                        })}
                                    </header>
                                    <div class="detail-panel__body">{panel_body(id)}</div>
                                </div>
                            </Show>
                        }
                    })
                    .collect_view()}
                {move || (wide.get() && !open.get().iter().any(|o| *o)).then(|| view! {
                    <p class="empty-state detail-empty">{t.all_panels_hidden}</p>
                })}
            </div>
        </section>
    }
}

/// Chooses the pod the panels describe (shown when there is more than one).
#[component]
fn PodPicker(pods: Memo<Vec<podsim::api::ObjectKey>>) -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    move || {
        let list = pods.get();
        (list.len() > 1).then(|| {
            let current = sim.selected.get();
            view! {
                <label class="pod-picker">
                    <span class="pod-picker__label">{t.pod_picker}</span>
                    <select
                        class="pod-picker__select mono"
                        data-testid="pod-picker"
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            let key = pods.get_untracked().into_iter().find(|k| format!("{}/{}", k.namespace, k.name) == value);
                            if key.is_some() {
                                sim.selected.set(key);
                            }
                        }
                    >
                        {list
                            .into_iter()
                            .map(|k| {
                                let value = format!("{}/{}", k.namespace, k.name);
                                let selected = current.as_ref() == Some(&k);
                                let text = value.clone();
                                view! { <option value=value selected=selected>{text}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_and_home_end_jump() {
        assert_eq!(next_tab(0, "ArrowLeft", 7), Some(6));
        assert_eq!(next_tab(6, "ArrowRight", 7), Some(0));
        assert_eq!(next_tab(3, "End", 7), Some(6));
        assert_eq!(next_tab(3, "x", 7), None);
        assert_eq!(next_tab(0, "Home", 0), None);
    }

    #[test]
    fn tabs_show_one_grid_shows_the_open_ones() {
        let open = [true, false, true];
        assert!(visible(false, 1, &open, 1));
        assert!(!visible(false, 1, &open, 0));
        assert!(visible(true, 1, &open, 0) && visible(true, 1, &open, 2) && !visible(true, 1, &open, 1));
        let (mut o, mut a) = ([true, false, false], 0);
        toggle(&mut o, &mut a, 2);
        assert_eq!((o, a), ([true, false, true], 2));
        toggle(&mut o, &mut a, 0);
        assert_eq!((o, a), ([false, false, true], 2));
        toggle(&mut o, &mut a, 9);
        assert_eq!(o, [false, false, true]);
    }
}
