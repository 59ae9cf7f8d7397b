//! The Events panel: the Kubernetes events at the cursor as `kubectl get events` lists them
//! (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, plus COUNT), newest last. Clicking a row (or its
//! time button) seeks to the step that emitted the event's latest occurrence.

use leptos::html;
use leptos::prelude::*;
use podsim::event::{EventType, KubeEvent};
use podsim::printers::Clock;
use podsim::Step;

use super::common::{has_run, seek_to_step, seek_to_time, step_key, EmptyPanel};
use crate::i18n::t;
use crate::icons::{Glyph, Icon};
use crate::state::sim::use_sim_state;

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub first_ms: u64,
    pub last_ms: u64,
    pub warning: bool,
    pub reason: String,
    pub object: String,
    pub message: String,
    pub count: u32,
    pub source: String,
    /// The step that emitted the latest occurrence, if found.
    pub step: Option<usize>,
}

fn same_series(a: &KubeEvent, b: &KubeEvent) -> bool {
    a.reason == b.reason && a.involved == b.involved && a.message == b.message
}

/// The index of the step (among the first `taken`) that emitted `ev`'s latest occurrence: the step
/// at `ev.last_ms` carrying the same event, else the latest step within its first..last span that
/// carries an event of the same reason about the same object.
pub fn emitting_step(steps: &[Step], taken: usize, ev: &KubeEvent) -> Option<usize> {
    let upto = taken.min(steps.len());
    let past = &steps[..upto];
    past.iter()
        .rposition(|s| s.time_ms == ev.last_ms && s.events.iter().any(|e| same_series(e, ev)))
        .or_else(|| {
            past.iter().rposition(|s| {
                s.time_ms >= ev.first_ms && s.time_ms <= ev.last_ms && s.events.iter().any(|e| e.reason == ev.reason && e.involved == ev.involved)
            })
        })
}

/// `pod/web` (kubectl's OBJECT column).
pub fn object_text(ev: &KubeEvent) -> String {
    if ev.involved.name.is_empty() {
        ev.involved.kind.to_lowercase()
    } else {
        format!("{}/{}", ev.involved.kind.to_lowercase(), ev.involved.name)
    }
}

/// The rows, newest last (by last occurrence; ties keep the recording order).
pub fn rows_of(events: &[std::sync::Arc<KubeEvent>], steps: &[Step], taken: usize, only: Option<&podsim::api::ObjectKey>) -> Vec<EventRow> {
    let mut rows: Vec<EventRow> = events
        .iter()
        .filter(|e| only.is_none_or(|k| e.involved.kind == "Pod" && e.involved.name == k.name && e.involved.namespace == k.namespace))
        .map(|e| EventRow {
            first_ms: e.first_ms,
            last_ms: e.last_ms,
            warning: e.kind == EventType::Warning,
            reason: e.reason.clone(),
            object: object_text(e),
            message: e.message.trim().to_string(),
            count: e.count.max(1),
            source: if e.source_host.is_empty() { e.source_component.clone() } else { format!("{}, {}", e.source_component, e.source_host) },
            step: emitting_step(steps, taken, e),
        })
        .collect();
    rows.sort_by_key(|r| r.last_ms);
    rows
}

/// The Events panel's body.
#[component]
pub fn EventsPanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let key = step_key(sim);
    let running = has_run(sim);
    let only_selected = RwSignal::new(false);
    let rows = Memo::new(move |_| {
        let Some((_, taken)) = key.get() else { return Vec::new() };
        let only = if only_selected.get() { sim.selected.get() } else { None };
        sim.snapshot.with_untracked(|s| {
            let Some(s) = s.as_ref() else { return Vec::new() };
            sim.with_steps(|steps| rows_of(&s.world.events, steps, taken, only.as_ref()))
        })
    });
    // LAST SEEN has a one-second resolution: re-render once per virtual second, not per frame.
    let clock = Memo::new(move |_| sim.snapshot.with(|s| s.as_ref().map(|s| Clock::at(&s.world, s.time_ms / 1000 * 1000))));
    let scroller = NodeRef::<html::Div>::new();
    let stick = RwSignal::new(true);
    Effect::new(move |_| {
        rows.with(|_| ());
        if let Some(el) = scroller.get() {
            if stick.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            stick.set(el.scroll_top() + el.client_height() >= el.scroll_height() - 24);
        }
    };

    move || {
        if !running.get() {
            return view! { <EmptyPanel text=t.nothing_runs /> }.into_any();
        }
        view! {
            <div class="detail events">
                <div class="detail__toolbar">
                    <p class="detail__note">{t.events_note}</p>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || only_selected.get() on:change=move |_| only_selected.update(|v| *v = !*v) />
                        " "
                        {t.events_selected_only}
                    </label>
                </div>
                <div class="table-scroll events__scroll" node_ref=scroller on:scroll=on_scroll>
                    <table class="data-table events__table" data-testid="events-table">
                        <thead>
                            <tr>
                                <th scope="col">"LAST SEEN"</th>
                                <th scope="col">"TYPE"</th>
                                <th scope="col">"REASON"</th>
                                <th scope="col">"OBJECT"</th>
                                <th scope="col">"MESSAGE"</th>
                                <th scope="col">"COUNT"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                let taken = key.get().map_or(0, |(_, t)| t);
                                let rows = rows.get();
                                if rows.is_empty() {
                                    return view! { <tr><td colspan="6" class="detail__note">{t.events_none}</td></tr> }.into_any();
                                }
                                let clock = clock.get();
                                rows.into_iter()
                                    .map(|r| {
                                        let last_seen = clock.map(|c| c.since(r.last_ms)).unwrap_or_default();
                                        let first_seen = clock.map(|c| c.since(r.first_ms)).unwrap_or_default();
                                        let target = r.step;
                                        let at = r.last_ms;
                                        let go = move || match target {
                                            Some(i) => seek_to_step(sim, i),
                                            None => seek_to_time(sim, at),
                                        };
                                        let is_current = target.is_some_and(|i| i + 1 == taken);
                                        let count = if r.count > 1 {
                                            (t.event_count_over)(r.count, &podsim::time::human_duration((r.last_ms - r.first_ms.min(r.last_ms)) as i64))
                                        } else {
                                            r.count.to_string()
                                        };
                                        view! {
                                            <tr
                                                class="events__row"
                                                class:is-warning=r.warning
                                                class:is-current=is_current
                                                aria-current=is_current.then_some("true")
                                                data-reason=r.reason.clone()
                                                data-step=target.map(|i| i.to_string()).unwrap_or_default()
                                                on:click=move |_| go()
                                            >
                                                <td>
                                                    <button type="button" class="link-button mono" title=(t.event_jump_title)(&first_seen, &r.source) on:click=move |ev| {
                                                        ev.stop_propagation();
                                                        go();
                                                    }>
                                                        {last_seen}
                                                    </button>
                                                </td>
                                                <td class="nowrap">
                                                    <span class="badge" class:badge--warn=r.warning class:badge--info={!r.warning}>
                                                        <Icon glyph=if r.warning { Glyph::Warning } else { Glyph::Dot } />
                                                        {if r.warning { "Warning" } else { "Normal" }}
                                                    </span>
                                                </td>
                                                <td class="mono">{r.reason.clone()}</td>
                                                <td class="mono">{r.object.clone()}</td>
                                                <td>{r.message.clone()}</td>
                                                <td class="num nowrap">{count}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }}
                        </tbody>
                    </table>
                </div>
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podsim::event::InvolvedObject;

    fn ev(reason: &str, first: u64, last: u64) -> KubeEvent {
        let mut e = KubeEvent::new(EventType::Normal, reason, "m", InvolvedObject { kind: "Pod".into(), namespace: "default".into(), name: "p".into(), ..Default::default() }, "kubelet", "", first);
        e.last_ms = last;
        e
    }

    #[test]
    fn rows_are_newest_last_with_objects() {
        let events = [ev("Scheduled", 0, 0), ev("BackOff", 5, 90), ev("Pulled", 10, 10)].map(std::sync::Arc::new);
        let rows = rows_of(&events, &[], 0, None);
        assert_eq!(rows.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>(), vec!["Scheduled", "Pulled", "BackOff"]);
        assert_eq!(rows[0].object, "pod/p");
        assert_eq!(rows[0].step, None);
    }

    #[test]
    fn every_event_of_a_run_finds_its_step() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: ['sh', '-c', 'sleep 1; exit 1']\n";
        let objects = podsim::manifest::parse(text).objects.into_iter().map(|o| o.object).collect();
        let limits = podsim::Limits { until_ms: 120_000, max_steps: 10_000, checkpoint_every: 32 };
        let t = podsim::Timeline::run(podsim::Scenario::new(objects), limits);
        let taken = t.steps.len();
        let world = t.world_after(taken);
        let rows = rows_of(&world.events, &t.steps, taken, None);
        assert!(rows.iter().any(|r| r.reason == "BackOff" && r.count > 1));
        for r in &rows {
            let i = r.step.unwrap_or_else(|| panic!("no step for {}", r.reason));
            assert_eq!(t.steps[i].time_ms, r.last_ms, "{} seeks to its latest occurrence", r.reason);
            assert!(t.steps[i].events.iter().any(|e| e.reason == r.reason));
        }
    }
}
