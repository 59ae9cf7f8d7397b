//! The Scheduler panel: the scheduling queue at the cursor, and for the selected pod every
//! scheduling attempt so far, each as a table of nodes × filter plugins (the real verdict
//! reasons, "—" for plugins not run), the scores of feasible nodes per plugin with their total,
//! the chosen node, the resulting `Scheduled` / `FailedScheduling` message and preemption victims.

use leptos::prelude::*;
use podsim::api::ObjectKey;
use podsim::scheduler::{Attempt, NodeResult, Verdict};
use podsim::sim::StepDetail;

use super::common::{fmt_ms, has_run, pod_label, second_key, step_key, EmptyPanel};
use crate::i18n::{t, Strings};
use crate::icons::{Glyph, Icon};
use crate::state::sim::{use_sim_state, SimState};

/// One attempt of the selected pod: the step that recorded it and what it found.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptView {
    pub step: usize,
    pub time_ms: u64,
    pub attempt: Attempt,
}

/// A row of the queue.
#[derive(Clone, Debug, PartialEq)]
struct QueueRow {
    key: ObjectKey,
    priority: i32,
    attempts: u32,
    state: String,
}

/// The filter plugins of an attempt's nodes, in the order they ran (union over nodes).
pub fn filter_plugins(nodes: &[NodeResult]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for n in nodes {
        for (p, _) in &n.filters {
            if !out.contains(p) {
                out.push(p);
            }
        }
    }
    out
}

/// The score plugins of an attempt's nodes with their weights, in order (union over feasible nodes).
pub fn score_plugins(nodes: &[NodeResult]) -> Vec<(&'static str, i64)> {
    let mut out: Vec<(&'static str, i64)> = Vec::new();
    for n in nodes {
        for (p, _, w) in &n.scores {
            if !out.iter().any(|(q, _)| q == p) {
                out.push((p, *w));
            }
        }
    }
    out
}

/// One verdict cell: (icon, text, CSS class): a check and `pass`, a cross and the reasons
/// (`reason; reason`, the scheduler's own words), or no icon and `—` when the plugin did not run.
pub fn verdict_text(v: Option<&Verdict>, t: &Strings) -> (Option<Glyph>, String, &'static str) {
    match v {
        Some(Verdict::Pass) => (Some(Glyph::Check), t.verdict_pass.to_string(), "is-pass"),
        Some(Verdict::Fail { reasons, .. }) => (Some(Glyph::Cross), reasons.join("; "), "is-fail"),
        Some(Verdict::Skipped) | None => (None, t.not_run.to_string(), "is-skipped"),
    }
}

fn attempts_of(sim: SimState, key: &ObjectKey, upto: usize) -> Vec<AttemptView> {
    sim.with_steps(|steps| {
        steps
            .iter()
            .take(upto)
            .enumerate()
            .filter_map(|(i, s)| match &s.detail {
                Some(StepDetail::Scheduling(a)) if &a.pod == key => Some(AttemptView { step: i, time_ms: s.time_ms, attempt: (**a).clone() }),
                _ => None,
            })
            .collect()
    })
}

/// The Scheduler panel's body.
#[component]
pub fn SchedulerPanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let key = step_key(sim);
    let running = has_run(sim);
    let attempts = Memo::new(move |_| {
        let Some((_, steps)) = key.get() else { return Vec::new() };
        let Some(sel) = sim.selected.get() else { return Vec::new() };
        attempts_of(sim, &sel, steps)
    });
    // Which attempt is shown (a step index); `None` follows the latest.
    let picked = RwSignal::new(None::<usize>);
    let tick = second_key(sim);
    let queue = Memo::new(move |_| {
        tick.with(|_| ());
        sim.snapshot.with_untracked(|s| {
            s.as_ref().map(|s| {
                let now = s.time_ms;
                s.world
                    .scheduler
                    .pods()
                    .map(|q| QueueRow {
                        key: q.key.clone(),
                        priority: q.priority,
                        attempts: q.attempts,
                        state: if let Some(since) = q.unschedulable_since_ms {
                            (t.queue_unschedulable_since)(&fmt_ms(since))
                        } else if q.ready_at_ms > now {
                            (t.queue_backing_off_until)(&fmt_ms(q.ready_at_ms))
                        } else {
                            t.queue_active.to_string()
                        },
                    })
                    .collect::<Vec<_>>()
            })
        })
    });

    move || {
        if !running.get() {
            return view! { <EmptyPanel text=t.nothing_runs /> }.into_any();
        }
        let selected = sim.selected.get();
        view! {
            <div class="detail sched">
                <section class="detail__section" aria-labelledby="sched-queue-title">
                    <h3 class="detail__heading" id="sched-queue-title">{t.station_queue}</h3>
                    {move || {
                        let rows = queue.get().unwrap_or_default();
                        if rows.is_empty() {
                            view! { <p class="detail__note">{t.queue_empty}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="sched__queue" data-testid="scheduler-queue">
                                    {rows
                                        .into_iter()
                                        .map(|r| {
                                            view! {
                                                <li class="sched__queued">
                                                    <span class="mono">{pod_label(&r.key)}</span>
                                                    <span class="detail__note">
                                                        " "
                                                        {(t.queue_row)(r.priority, r.attempts, &r.state)}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                            .into_any()
                        }
                    }}
                </section>
                {match selected {
                    None => view! { <EmptyPanel text=t.no_pod /> }.into_any(),
                    Some(sel) => view! { <Attempts pod=sel attempts=attempts picked=picked /> }.into_any(),
                }}
            </div>
        }
        .into_any()
    }
}

#[component]
fn Attempts(pod: ObjectKey, attempts: Memo<Vec<AttemptView>>, picked: RwSignal<Option<usize>>) -> impl IntoView {
    let t = t();
    let label = pod_label(&pod);
    let shown = Memo::new(move |_| {
        attempts.with(|all| {
            let want = picked.get();
            want.and_then(|w| all.iter().find(|a| a.step == w)).or_else(|| all.last()).cloned()
        })
    });
    view! {
        <section class="detail__section" aria-labelledby="sched-attempts-title">
            <h3 class="detail__heading" id="sched-attempts-title">{(t.attempts_for)(&label)}</h3>
            {move || {
                let all = attempts.get();
                if all.is_empty() {
                    return view! {
                        <p class="detail__note">{t.attempts_none}</p>
                    }
                    .into_any();
                }
                let current = shown.with(|s| s.as_ref().map(|s| s.step));
                view! {
                    <div class="sched__attempts" role="group" aria-label=t.attempts_pick>
                        {all
                            .iter()
                            .enumerate()
                            .map(|(n, a)| {
                                let step = a.step;
                                let ok = a.attempt.chosen.is_some();
                                let is_current = current == Some(step);
                                view! {
                                    <button
                                        type="button"
                                        class="chip"
                                        class:is-current=is_current
                                        class:is-ok=ok
                                        class:is-fail={!ok}
                                        aria-pressed=is_current.to_string()
                                        on:click=move |_| picked.set(Some(step))
                                    >
                                        {(t.attempt_at)(n + 1, &fmt_ms(a.time_ms))}
                                        <Icon glyph=if ok { Glyph::Check } else { Glyph::Cross } />
                                        {if ok { "Scheduled" } else { "FailedScheduling" }}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                }
                .into_any()
            }}
            {move || shown.get().map(|a| view! { <AttemptTable data=a /> })}
        </section>
    }
}

/// A node's row header in both tables: its name, and a badge on the chosen one.
fn node_header(node: &str, is_chosen: bool, t: &'static Strings) -> impl IntoView {
    view! {
        <th scope="row" class="mono">
            {node.to_string()}
            {is_chosen.then(|| view! { <span class="badge badge--ok"><Icon glyph=Glyph::Star />{t.chosen}</span> })}
        </th>
    }
}

#[component]
fn AttemptTable(data: AttemptView) -> impl IntoView {
    let t = t();
    let a = data.attempt;
    // The attempt records compact verdicts; the table needs them spelled out.
    let nodes = a.nodes();
    let filters = filter_plugins(&nodes);
    let scores = score_plugins(&nodes);
    let chosen = a.chosen.clone();
    let feasible: Vec<&NodeResult> = nodes.iter().filter(|n| n.feasible()).collect();
    let scheduled = chosen.is_some();
    let filter_rows = nodes
        .iter()
        .map(|n| {
            let is_chosen = chosen.as_deref() == Some(n.node.as_str());
            let cells = filters
                .iter()
                .map(|p| {
                    let (glyph, text, class) = verdict_text(n.filters.iter().find(|(q, _)| q == p).map(|(_, v)| v), t);
                    view! { <td class=format!("sched__verdict {class}")>{glyph.map(|g| view! { <Icon glyph=g /> })}{text}</td> }
                })
                .collect_view();
            view! {
                <tr class:is-chosen=is_chosen>
                    {node_header(&n.node, is_chosen, t)}
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let score_table = (!feasible.is_empty()).then(|| {
        let head = scores
            .iter()
            .map(|(p, w)| view! { <th scope="col">{p.to_string()}<span class="sched__weight">{(t.score_weight)(*w)}</span></th> })
            .collect_view();
        let rows = feasible
            .iter()
            .map(|n| {
                let is_chosen = chosen.as_deref() == Some(n.node.as_str());
                let cells = scores
                    .iter()
                    .map(|(p, _)| {
                        let v = n.scores.iter().find(|(q, _, _)| q == p).map_or(t.not_run.to_string(), |(_, s, _)| s.to_string());
                        view! { <td class="num">{v}</td> }
                    })
                    .collect_view();
                view! {
                    <tr class:is-chosen=is_chosen>
                        {node_header(&n.node, is_chosen, t)}
                        {cells}
                        <td class="num sched__total">{n.total.map_or(t.not_run.to_string(), |total| total.to_string())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h4 class="detail__subheading">{t.scores_heading}</h4>
            <div class="table-scroll">
                <table class="data-table sched__table" data-testid="scheduler-scores">
                    <thead>
                        <tr>
                            <th scope="col">{t.col_node}</th>
                            {head}
                            <th scope="col">{t.col_total}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let victims = (!a.victims.is_empty()).then(|| {
        view! {
            <p class="detail__note sched__victims">
                <strong>{t.preemption_victims}</strong>
                {a.victims.iter().map(pod_label).collect::<Vec<_>>().join(", ")}
            </p>
        }
    });
    view! {
        <div class="sched__attempt" data-testid="scheduler-attempt">
            <p class="detail__note">{(t.attempt_recorded)(&fmt_ms(data.time_ms), data.step + 1)}</p>
            <h4 class="detail__subheading">{t.filters_heading}</h4>
            <div class="table-scroll">
                <table class="data-table sched__table" data-testid="scheduler-filters">
                    <thead>
                        <tr>
                            <th scope="col">{t.col_node}</th>
                            {filters.iter().map(|p| view! { <th scope="col">{p.to_string()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{filter_rows}</tbody>
                </table>
            </div>
            {score_table}
            <p class="sched__result" class:is-ok=scheduled class:is-fail={!scheduled} data-testid="scheduler-result">
                <span class="badge" class:badge--ok=scheduled class:badge--fail={!scheduled}>
                    <Icon glyph=if scheduled { Glyph::Check } else { Glyph::Cross } />
                    {if scheduled { "Scheduled" } else { "FailedScheduling" }}
                </span>
                " "
                <span class="mono">{a.message.clone()}</span>
            </p>
            {victims}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, filters: Vec<(&'static str, Verdict)>, scores: Vec<(&'static str, i64, i64)>) -> NodeResult {
        let total = if scores.is_empty() { None } else { Some(scores.iter().map(|(_, s, w)| s * w).sum()) };
        NodeResult { node: name.into(), filters, scores, total }
    }

    #[test]
    fn plugins_are_the_union_in_order() {
        let nodes = vec![
            node("a", vec![("NodeName", Verdict::Pass), ("TaintToleration", Verdict::Fail { reasons: vec!["x".into()], resolvable: false })], vec![]),
            node("b", vec![("NodeName", Verdict::Pass), ("TaintToleration", Verdict::Pass), ("NodeAffinity", Verdict::Pass)], vec![("ImageLocality", 10, 1), ("TaintToleration", 100, 3)]),
        ];
        assert_eq!(filter_plugins(&nodes), vec!["NodeName", "TaintToleration", "NodeAffinity"]);
        assert_eq!(score_plugins(&nodes), vec![("ImageLocality", 1), ("TaintToleration", 3)]);
    }

    #[test]
    fn verdicts_keep_the_reasons() {
        let en = crate::i18n::Lang::En.strings();
        let fail = Verdict::Fail { reasons: vec!["node(s) didn't match Pod's node affinity/selector".into()], resolvable: false };
        assert_eq!(verdict_text(Some(&fail), en), (Some(Glyph::Cross), "node(s) didn't match Pod's node affinity/selector".to_string(), "is-fail"));
        assert_eq!(verdict_text(Some(&Verdict::Skipped), en), (None, "—".to_string(), "is-skipped"));
        assert_eq!(verdict_text(None, en).1, "—");
        assert_eq!(verdict_text(Some(&Verdict::Pass), en), (Some(Glyph::Check), "pass".to_string(), "is-pass"));
    }
}
