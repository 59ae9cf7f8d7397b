//! The Lifecycle panel: the selected pod's phase state machine (Pending → Running →
//! Succeeded/Failed, and Unknown) and each container's state machine (Waiting → Running →
//! Terminated, with the reason or exit code) with the current states lit, the five pod conditions
//! (status, reason, message, last transition time and age), the QoS class, and the back-off timers.
//! The state machines are rendered once and only their classes change, so the lit state glides
//! with a CSS transition (none under `prefers-reduced-motion`).

use leptos::prelude::*;
use podsim::api::{ContainerState, Phase, Pod};
use podsim::printers::{pod_columns, Clock};

use super::common::{pod_label, second_key, step_key, EmptyPanel};
use super::kubelet::{container_role, BackoffTimers};
use crate::i18n::{t, Strings};
use crate::icons::{Glyph, Icon};
use crate::state::sim::use_sim_state;

/// The pod conditions kubectl describes, in its order.
pub const CONDITIONS: [&str; 5] = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];

/// The phases, in the order the diagram shows them.
const PHASES: [Phase; 5] = [Phase::Pending, Phase::Running, Phase::Succeeded, Phase::Failed, Phase::Unknown];

/// What a phase means, in the words of `t`.
fn phase_about(phase: Phase, t: &Strings) -> &'static str {
    match phase {
        Phase::Pending => t.phase_pending_about,
        Phase::Running => t.phase_running_about,
        Phase::Succeeded => t.phase_succeeded_about,
        Phase::Failed => t.phase_failed_about,
        Phase::Unknown => t.phase_unknown_about,
    }
}

/// One container's state at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerView {
    pub name: String,
    pub role: &'static str,
    /// 0 waiting (or no state yet), 1 running, 2 terminated.
    pub stage: u8,
    /// The reason / exit code / readiness of the current state.
    pub detail: String,
    pub ready: bool,
    pub restarts: i32,
    /// The previous instance's end (`lastState.terminated`), if any.
    pub last: Option<String>,
}

fn state_text(state: &ContainerState, ready: bool, t: &Strings) -> (u8, String) {
    match state {
        ContainerState::None => (0, t.no_state_yet.to_string()),
        ContainerState::Waiting { reason, .. } => (0, if reason.is_empty() { "Waiting".to_string() } else { reason.clone() }),
        ContainerState::Running { .. } => (1, if ready { t.ready.to_string() } else { t.not_ready.to_string() }),
        ContainerState::Terminated(x) => (2, (t.exit_code)(if x.reason.is_empty() { "Terminated" } else { &x.reason }, x.exit_code)),
    }
}

/// The container views of `pod` in the words of `t`: init containers (and sidecars) first, then
/// app containers, in spec order; containers without a status yet show as waiting.
pub fn container_views(pod: &Pod, t: &Strings) -> Vec<ContainerView> {
    let mut out = Vec::new();
    let specs = pod.spec.init_containers.iter().map(|c| (c, &pod.status.init_container_statuses)).chain(pod.spec.containers.iter().map(|c| (c, &pod.status.container_statuses)));
    for (c, statuses) in specs {
        let status = statuses.iter().find(|s| s.name == c.name);
        let (stage, detail, ready, restarts, last) = match status {
            Some(s) => {
                let (stage, detail) = state_text(&s.state, s.ready, t);
                let last = s.last_state.terminated().map(|x| (t.last_exit_code)(if x.reason.is_empty() { "Terminated" } else { &x.reason }, x.exit_code));
                (stage, detail, s.ready, s.restart_count, last)
            }
            None => (0, t.no_status_yet.to_string(), false, 0, None),
        };
        out.push(ContainerView { name: c.name.clone(), role: container_role(pod, &c.name), stage, detail, ready, restarts, last });
    }
    out
}

/// The Lifecycle panel's body.
#[component]
pub fn LifecyclePanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let key = step_key(sim);
    let pod = Memo::new(move |_| {
        let sel = sim.selected.get()?;
        key.get()?;
        // The pod changes only with a step: read the snapshot untracked so ages do not re-clone it.
        sim.snapshot.with_untracked(|s| s.as_ref().and_then(|s| s.world.pods.get(&sel).cloned()))
    });
    let phase = Memo::new(move |_| pod.with(|p| p.as_ref().map(|p| p.status.phase)));
    let containers = Memo::new(move |_| pod.with(|p| p.as_ref().map(|p| container_views(p, t)).unwrap_or_default()));
    let names = Memo::new(move |_| containers.with(|cs| cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>()));

    let phase_machine = view! {
        <ol class="fsm fsm--phase" aria-label=t.pod_phase>
            {PHASES
                .iter()
                .map(|p| {
                    let p = *p;
                    let lit = move || phase.get() == Some(p);
                    view! {
                        <li
                            class=format!("fsm__state fsm__state--{}", p.as_str().to_lowercase())
                            class:is-lit=lit
                            aria-current=move || lit().then_some("true")
                            title=phase_about(p, t)
                            data-phase=p.as_str()
                            data-joiner=(p == Phase::Failed).then_some(t.phase_or)
                        >
                            <span class="fsm__glyph">{move || view! { <Icon glyph=if lit() { Glyph::Dot } else { Glyph::Circle } /> }}</span>
                            {p.as_str()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    };

    let tick = second_key(sim);
    let header = move || {
        tick.with(|_| ());
        let sel = sim.selected.get()?;
        let (cols, qos, reason, deleting) = sim.snapshot.with_untracked(|s| {
            let s = s.as_ref()?;
            let p = s.world.pods.get(&sel)?;
            let clock = Clock::at(&s.world, s.time_ms);
            let reason = if p.status.reason.is_empty() { None } else { Some(format!("{}: {}", p.status.reason, p.status.message)) };
            let deleting = p.meta.deletion_ms.map(|d| (t.terminating_since)(&clock.rfc3339(d), p.meta.deletion_grace_seconds.unwrap_or(0)));
            Some((pod_columns(p, &clock), p.status.qos_class.clone(), reason, deleting))
        })?;
        Some(view! {
            <dl class="facts" data-testid="lifecycle-facts">
                <div><dt>"STATUS"</dt><dd class="mono" data-testid="lifecycle-status">{cols.status}</dd></div>
                <div><dt>"READY"</dt><dd class="mono">{cols.ready}</dd></div>
                <div><dt>"RESTARTS"</dt><dd class="mono">{cols.restarts}</dd></div>
                <div><dt>{t.qos_class}</dt><dd class="mono">{if qos.is_empty() { t.none_dash.to_string() } else { qos }}</dd></div>
            </dl>
            {reason.map(|r| view! { <p class="detail__note mono">{r}</p> })}
            {deleting.map(|d| view! { <p class="detail__note"><span class="badge badge--wait"><Icon glyph=Glyph::Timer />"Terminating"</span>" "{d}</p> })}
        })
    };

    let conditions = move || {
        tick.with(|_| ());
        let sel = sim.selected.get()?;
        let rows = sim.snapshot.with_untracked(|s| {
            let s = s.as_ref()?;
            let p = s.world.pods.get(&sel)?;
            let clock = Clock::at(&s.world, s.time_ms);
            Some(
                CONDITIONS
                    .iter()
                    .map(|kind| match p.status.condition(kind) {
                        Some(c) => (kind.to_string(), c.status.clone(), c.reason.clone(), c.message.clone(), (t.at_ago)(&clock.rfc3339(c.last_transition_ms), &clock.since(c.last_transition_ms))),
                        None => (kind.to_string(), String::new(), String::new(), String::new(), String::new()),
                    })
                    .collect::<Vec<_>>(),
            )
        })?;
        Some(view! {
            <div class="table-scroll">
                <table class="data-table" data-testid="lifecycle-conditions">
                    <thead>
                        <tr>
                            <th scope="col">{t.col_condition}</th>
                            <th scope="col">{t.col_status}</th>
                            <th scope="col">{t.col_reason}</th>
                            <th scope="col">{t.col_message}</th>
                            <th scope="col">{t.col_last_transition}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(kind, status, reason, message, at)| {
                                let (glyph, class, word) = match status.as_str() {
                                    "True" => (Glyph::Check, "is-true", "True"),
                                    "False" => (Glyph::Cross, "is-false", "False"),
                                    "Unknown" => (Glyph::Question, "is-unknown", "Unknown"),
                                    _ => (Glyph::Dash, "is-unset", t.not_set),
                                };
                                view! {
                                    <tr>
                                        <th scope="row" class="mono">{kind}</th>
                                        <td class=format!("cond {class}")><Icon glyph=glyph />{word}</td>
                                        <td class="mono">{reason}</td>
                                        <td>{message}</td>
                                        <td class="mono nowrap">{at}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };

    let container_machines = view! {
        <For
            each=move || names.get()
            key=|n| n.clone()
            children=move |name: String| {
                let n1 = name.clone();
                let info = Memo::new(move |_| containers.with(|cs| cs.iter().find(|c| c.name == n1).cloned()));
                let stage = Memo::new(move |_| info.with(|c| c.as_ref().map(|c| c.stage)));
                let stages = [("Waiting", 0u8), ("Running", 1), ("Terminated", 2)];
                view! {
                    <li class="container-fsm" data-container=name.clone()>
                        <div class="container-fsm__head">
                            <strong class="mono">{name.clone()}</strong>
                            <span class="chip chip--static">{move || info.with(|c| match c.as_ref().map(|c| c.role) { Some("init") => t.init_container, Some("sidecar") => t.sidecar_container, _ => t.app_container })}</span>
                            <span class="detail__note">
                                {move || info.with(|c| c.as_ref().map(|c| {
                                    let (glyph, word) = if c.ready { (Glyph::Check, t.ready) } else { (Glyph::Cross, t.not_ready) };
                                    view! { {(t.restarts_count)(c.restarts)}<Icon glyph=glyph />{word} }
                                }))}
                            </span>
                        </div>
                        <ol class="fsm fsm--container" aria-label=(t.container_state_of)(&name)>
                            {stages
                                .iter()
                                .map(|(label, n)| {
                                    let n = *n;
                                    let lit = move || stage.get() == Some(n);
                                    view! {
                                        <li
                                            class=format!("fsm__state fsm__state--{}", label.to_lowercase())
                                            class:is-lit=lit
                                            aria-current=move || lit().then_some("true")
                                            data-state=label.to_lowercase()
                                        >
                                                            <span class="fsm__glyph">{move || view! { <Icon glyph=if lit() { Glyph::Dot } else { Glyph::Circle } /> }}</span>
                                            {*label}
                                            <span class="fsm__detail">{move || if lit() { info.with(|c| c.as_ref().map(|c| c.detail.clone()).unwrap_or_default()) } else { String::new() }}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                        {move || info.with(|c| c.as_ref().and_then(|c| c.last.clone())).map(|l| view! { <p class="detail__note mono">{l}</p> })}
                    </li>
                }
            }
        />
    };

    view! {
        <div class="detail lifecycle">
            {move || match (key.get(), sim.selected.get()) {
                (None, _) => Some(view! { <EmptyPanel text=t.nothing_runs /> }.into_any()),
                (_, None) => Some(view! { <EmptyPanel text=t.no_pod /> }.into_any()),
                (_, Some(sel)) if pod.with(Option::is_none) => Some(view! { <EmptyPanel text=(t.pod_gone)(&pod_label(&sel)) /> }.into_any()),
                _ => None,
            }}
            <div class="lifecycle__body" class:is-hidden=move || pod.with(Option::is_none)>
                {header}
                <section class="detail__section" aria-labelledby="lc-phase-title">
                    <h3 class="detail__heading" id="lc-phase-title">{t.pod_phase}</h3>
                    {phase_machine}
                </section>
                <section class="detail__section" aria-labelledby="lc-containers-title">
                    <h3 class="detail__heading" id="lc-containers-title">{t.containers}</h3>
                    <BackoffTimers sim=sim />
                    <ul class="container-fsms">{container_machines}</ul>
                </section>
                <section class="detail__section" aria-labelledby="lc-conditions-title">
                    <h3 class="detail__heading" id="lc-conditions-title">{t.conditions}</h3>
                    {conditions}
                </section>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_show_their_state_in_spec_order() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n  containers:\n  - name: app\n    image: busybox\n";
        let parsed = podsim::manifest::parse(text);
        let Some(podsim::api::Object::Pod(pod)) = parsed.objects.into_iter().next().map(|o| o.object) else { panic!("a pod") };
        let mut pod = std::sync::Arc::unwrap_or_clone(pod);
        pod.status.container_statuses.push(podsim::api::ContainerStatus {
            name: "app".into(),
            state: ContainerState::Terminated(podsim::api::Terminated { exit_code: 1, reason: "Error".into(), ..Default::default() }),
            restart_count: 2,
            ..Default::default()
        });
        let v = container_views(&pod, crate::i18n::Lang::En.strings());
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].name.as_str(), v[0].role, v[0].stage), ("init", "init", 0));
        assert_eq!((v[1].stage, v[1].detail.as_str(), v[1].restarts), (2, "Error · exit code 1", 2));
    }
}
