//! The Kubelet panel: for the selected pod, every step its node's kubelet and container runtime
//! took up to the cursor, in order — sandbox (pause container) and IP, image pulls, init
//! containers, sidecars, app containers, hooks, probe attempts, kills and restarts — each with its
//! time and sentence, the latest one highlighted; and the running back-off timers
//! (CrashLoopBackOff / ImagePullBackOff) with the time left before the next try.

use leptos::html;
use leptos::prelude::*;
use podsim::api::{ContainerState, ObjectKey, Pod, PodSpec};
use podsim::explain::{Actor, Why};
use podsim::Step;

use super::common::{fmt_duration, fmt_ms, has_run, pod_label, second_key, step_key, EmptyPanel};
use crate::i18n::{t, Strings};
use crate::icons::{Glyph, Icon};
use crate::state::sim::{use_sim_state, SimState};

/// What kind of work a kubelet step is (an icon and a label go with each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Watch,
    Sandbox,
    Pull,
    Create,
    Start,
    Exit,
    Restart,
    Probe,
    Hook,
    Stop,
    Process,
    Status,
}

impl Kind {
    /// (icon, label in the words of `t`, CSS modifier).
    pub fn look(self, t: &Strings) -> (Glyph, &'static str, &'static str) {
        match self {
            Kind::Watch => (Glyph::Target, t.kind_watch, "watch"),
            Kind::Sandbox => (Glyph::Sandbox, t.kind_sandbox, "sandbox"),
            Kind::Pull => (Glyph::Download, t.kind_image, "pull"),
            Kind::Create => (Glyph::Plus, t.kind_create, "create"),
            Kind::Start => (Glyph::Play, t.kind_start, "start"),
            Kind::Exit => (Glyph::Square, t.kind_exit, "exit"),
            Kind::Restart => (Glyph::Restart, t.kind_restart, "restart"),
            Kind::Probe => (Glyph::Diamond, t.kind_probe, "probe"),
            Kind::Hook => (Glyph::Hook, t.kind_hook, "hook"),
            Kind::Stop => (Glyph::Cross, t.kind_stop, "stop"),
            Kind::Process => (Glyph::Ellipsis, t.kind_process, "process"),
            Kind::Status => (Glyph::Lines, t.kind_status, "status"),
        }
    }
}

/// One kubelet/runtime step of the selected pod.
#[derive(Clone, Debug, PartialEq)]
pub struct KubeletItem {
    pub index: usize,
    pub time_ms: u64,
    pub actor: String,
    pub sentence: String,
    pub kind: Kind,
    pub container: Option<String>,
    /// Something went wrong (a failed pull, probe or hook, a non-zero exit, a back-off).
    pub warn: bool,
    /// Routine (probe successes, status writes, log lines): hidden on request.
    pub routine: bool,
}

/// Classifies a step's reason: (kind, container, warn, routine).
pub fn classify(why: &Why) -> (Kind, Option<String>, bool, bool) {
    let c = |s: &str| Some(s.to_string());
    match why {
        Why::WatchDelivered { .. } => (Kind::Watch, None, false, false),
        Why::SandboxCreating { .. } | Why::SandboxReady { .. } => (Kind::Sandbox, None, false, false),
        Why::Pulling { container, .. } | Why::ImagePresent { container, .. } | Why::Pulled { container, .. } => (Kind::Pull, c(container), false, false),
        Why::PullFailed { container, .. } | Why::PullBackOff { container, .. } | Why::NeverPull { container, .. } => (Kind::Pull, c(container), true, false),
        Why::Creating { container, .. } => (Kind::Create, c(container), false, false),
        Why::Started { container, .. } => (Kind::Start, c(container), false, false),
        Why::StartFailed { container, .. } => (Kind::Start, c(container), true, false),
        Why::InitDone { container, .. } => (Kind::Exit, c(container), false, false),
        Why::Exited { container, exit_code, .. } => (Kind::Exit, c(container), *exit_code != 0, false),
        Why::NotRestarted { container, exit_code, .. } => (Kind::Exit, c(container), *exit_code != 0, false),
        Why::Restarting { container, .. } => (Kind::Restart, c(container), false, false),
        Why::CrashLoop { container, .. } => (Kind::Restart, c(container), true, false),
        Why::ProbeResult { container, success, .. } => (Kind::Probe, c(container), !success, *success),
        Why::ProbeThreshold { container, success, .. } => (Kind::Probe, c(container), !success, false),
        Why::Hook { container, ok, .. } => (Kind::Hook, c(container), !ok, false),
        Why::Killing { container, .. } | Why::Signal { container, .. } | Why::GraceExpired { container } => (Kind::Stop, c(container), false, false),
        Why::DeadlineExceeded { .. } => (Kind::Stop, None, true, false),
        Why::PodFinished { .. } | Why::PodRemoved { .. } => (Kind::Exit, None, false, false),
        Why::ProcessProgress { container, .. } => (Kind::Process, c(container), false, true),
        Why::StatusSync { .. } => (Kind::Status, None, false, true),
        _ => (Kind::Status, None, false, false),
    }
}

/// Whether a step is the kubelet's or the runtime's work on `pod`.
pub fn is_kubelet_step(step: &Step, pod: &ObjectKey) -> bool {
    step.pod.as_deref() == Some(pod) && matches!(step.actor, Actor::Kubelet(_) | Actor::Runtime(_))
}

fn items_of(steps: &[Step], pod: &ObjectKey, upto: usize) -> Vec<KubeletItem> {
    steps
        .iter()
        .take(upto)
        .enumerate()
        .filter(|(_, s)| is_kubelet_step(s, pod))
        .map(|(i, s)| {
            let (kind, container, warn, routine) = classify(&s.why);
            KubeletItem { index: i, time_ms: s.time_ms, actor: s.actor.label(), sentence: s.why.sentence(), kind, container, warn, routine }
        })
        .collect()
}

/// `init`, `sidecar` or `app` for a container of `pod` (an id: [`role_label`] gives the words).
pub fn container_role(pod: &Pod, name: &str) -> &'static str {
    match pod.spec.init_containers.iter().find(|c| c.name == name) {
        Some(c) if PodSpec::is_sidecar(c) => "sidecar",
        Some(_) => "init",
        None => "app",
    }
}

/// A container role in the words of `t`.
pub fn role_label(role: &str, t: &Strings) -> &'static str {
    match role {
        "init" => t.role_init,
        "sidecar" => t.role_sidecar,
        _ => t.role_app,
    }
}

/// A back-off timer running for a container at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    pub container: String,
    pub reason: String,
    pub message: String,
    /// The back-off announced by the kubelet (10s, 20s, … 5m).
    pub delay_ms: Option<u64>,
    /// Time left until the kubelet tries again (from the recorded future), if known.
    pub left_ms: Option<u64>,
}

/// The back-off timers of `pod` at the cursor: waiting containers in CrashLoopBackOff or
/// ImagePullBackOff, with the announced delay (the latest such step before the cursor) and the time
/// left until the retry the timeline records next.
pub fn backoffs(pod: &Pod, key: &ObjectKey, steps: &[Step], taken: usize, now_ms: u64) -> Vec<Backoff> {
    let statuses = pod.status.init_container_statuses.iter().chain(pod.status.container_statuses.iter());
    let mut out = Vec::new();
    for cs in statuses {
        let ContainerState::Waiting { reason, message } = &cs.state else { continue };
        let crash = reason == "CrashLoopBackOff";
        let pull = reason == "ImagePullBackOff" || reason == "ErrImagePull";
        if !crash && !pull {
            continue;
        }
        let mine = |s: &&Step| s.pod.as_deref() == Some(key);
        let delay_ms = steps.iter().take(taken).filter(mine).rev().find_map(|s| match &s.why {
            Why::CrashLoop { container, delay_ms, .. } if crash && container == &cs.name => Some(*delay_ms),
            Why::Restarting { container, delay_ms, .. } if crash && container == &cs.name => Some(*delay_ms),
            Why::PullBackOff { container, delay_ms, .. } if pull && container == &cs.name => Some(*delay_ms),
            _ => None,
        });
        let retry_at = steps.iter().skip(taken).filter(mine).find_map(|s| match &s.why {
            Why::Restarting { container, .. } | Why::Started { container, .. } | Why::Creating { container, .. } if crash && container == &cs.name => Some(s.time_ms),
            Why::Pulling { container, .. } | Why::Pulled { container, .. } | Why::PullFailed { container, .. } if pull && container == &cs.name => Some(s.time_ms),
            _ => None,
        });
        out.push(Backoff { container: cs.name.clone(), reason: reason.clone(), message: message.clone(), delay_ms, left_ms: retry_at.map(|t| t.saturating_sub(now_ms)) });
    }
    out
}

/// The back-off timers of the selected pod, as a list (shared with the Lifecycle panel).
#[component]
pub fn BackoffTimers(sim: SimState) -> impl IntoView {
    let t = t();
    let tick = second_key(sim);
    let timers = Memo::new(move |_| {
        tick.with(|_| ());
        let Some(sel) = sim.selected.get() else { return Vec::new() };
        sim.snapshot.with_untracked(|s| {
            let Some(s) = s.as_ref() else { return Vec::new() };
            let Some(pod) = s.world.pods.get(&sel) else { return Vec::new() };
            sim.with_steps(|steps| backoffs(pod, &sel, steps, s.steps, s.time_ms))
        })
    });
    move || {
        let timers = timers.get();
        (!timers.is_empty()).then(|| {
            view! {
                <ul class="backoffs" data-testid="backoff-timers" aria-label=t.backoff_timers>
                    {timers
                        .into_iter()
                        .map(|b| {
                            let delay = b.delay_ms.map(|d| podsim::time::go_duration(d));
                            let text = match (delay, b.left_ms) {
                                (Some(d), Some(l)) => (t.backoff_next_try)(&d, &fmt_duration(l)),
                                (Some(d), None) => (t.backoff_no_retry)(&d),
                                (None, Some(l)) => (t.next_try_in)(&fmt_duration(l)),
                                (None, None) => t.no_retry.to_string(),
                            };
                            view! {
                                <li class="backoff">
                                    <span class="badge badge--wait"><Icon glyph=Glyph::Timer />{b.reason}</span>
                                    <strong class="mono">{b.container}</strong>
                                    " "
                                    <span>{text}</span>
                                    {(!b.message.is_empty()).then(|| view! { <span class="backoff__message mono">{b.message}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}

/// The Kubelet panel's body.
#[component]
pub fn KubeletPanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let key = step_key(sim);
    let running = has_run(sim);
    let show_routine = RwSignal::new(true);
    let items = Memo::new(move |_| {
        let Some((_, taken)) = key.get() else { return Vec::new() };
        let Some(sel) = sim.selected.get() else { return Vec::new() };
        sim.with_steps(|steps| items_of(steps, &sel, taken))
    });
    // Roles (init / sidecar / app) of the selected pod's containers at the cursor.
    let roles = Memo::new(move |_| {
        key.with(|_| ());
        let Some(sel) = sim.selected.get() else { return Vec::new() };
        sim.snapshot.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.world.pods.get(&sel))
                .map(|p| p.spec.all_containers().map(|c| (c.name.clone(), container_role(p, &c.name))).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let node = Memo::new(move |_| {
        key.with(|_| ());
        let sel = sim.selected.get()?;
        sim.snapshot.with_untracked(|s| s.as_ref().and_then(|s| s.world.pods.get(&sel).map(|p| p.spec.node_name.clone())))
    });
    let list = NodeRef::<html::Ol>::new();
    let stick = RwSignal::new(true);
    Effect::new(move |_| {
        items.with(|_| ());
        show_routine.with(|_| ());
        if let Some(el) = list.get() {
            if stick.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            stick.set(el.scroll_top() + el.client_height() >= el.scroll_height() - 24);
        }
    };

    move || {
        if !running.get() {
            return view! { <EmptyPanel text=t.nothing_runs /> }.into_any();
        }
        let Some(sel) = sim.selected.get() else { return view! { <EmptyPanel text=t.no_pod /> }.into_any() };
        let node = node.get();
        let label = pod_label(&sel);
        view! {
            <div class="detail kubelet">
                <div class="detail__toolbar">
                    <p class="detail__note">
                        {match node.as_deref() {
                            None => (t.kubelet_pod_gone)(&label),
                            Some("") => (t.kubelet_pod_unbound)(&label),
                            Some(node) => (t.kubelet_pod_on)(&label, node),
                        }}
                    </p>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || show_routine.get() on:change=move |_| show_routine.update(|v| *v = !*v) />
                        " "
                        {t.kubelet_routine}
                    </label>
                </div>
                <BackoffTimers sim=sim />
                <ol class="steps" node_ref=list on:scroll=on_scroll tabindex="0" aria-label=(t.kubelet_steps_for)(&label) data-testid="kubelet-steps">
                    {move || {
                        let taken = key.get().map_or(0, |(_, t)| t);
                        let all = items.get();
                        let roles = roles.get();
                        let last = all.iter().rposition(|i| show_routine.get() || !i.routine);
                        let shown: Vec<(bool, KubeletItem)> = all
                            .into_iter()
                            .enumerate()
                            .filter(|(_, i)| show_routine.get() || !i.routine)
                            .map(|(n, i)| (Some(n) == last, i))
                            .collect();
                        if shown.is_empty() {
                            return view! { <li class="detail__note">{t.kubelet_no_steps}</li> }.into_any();
                        }
                        shown
                            .into_iter()
                            .map(|(is_last, item)| {
                                let (glyph, kind_label, modifier) = item.kind.look(t);
                                let is_current = is_last && item.index + 1 == taken;
                                let index = item.index;
                                let role = item.container.as_ref().and_then(|c| roles.iter().find(|(n, _)| n == c).map(|(_, r)| *r));
                                view! {
                                    <li
                                        class=format!("step step--{modifier}")
                                        class:is-warn=item.warn
                                        class:is-latest=is_last
                                        class:is-current=is_current
                                        aria-current=is_last.then_some("step")
                                        data-step=index.to_string()
                                    >
                                        <button type="button" class="step__time mono" title=t.jump_to_step on:click=move |_| super::common::seek_to_step(sim, index)>
                                            {fmt_ms(item.time_ms)}
                                        </button>
                                        <span class="step__kind" title=kind_label>
                                            <Icon glyph=glyph />
                                            {kind_label}
                                        </span>
                                        <span class="step__text">
                                            {item.container.clone().map(|c| view! {
                                                <span class="chip chip--static mono">{c}{role.filter(|r| *r != "app").map(|r| (t.with_role)(role_label(r, t)))}</span>
                                                " "
                                            })}
                                            {item.sentence}
                                            <span class="step__actor">{(t.by_actor)(&item.actor)}</span>
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </ol>
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_flags_failures_and_routine() {
        let ok = Why::ProbeResult { container: "app".into(), probe: "liveness", success: true, output: String::new(), consecutive: 1, threshold: 1 };
        let bad = Why::ProbeResult { container: "app".into(), probe: "liveness", success: false, output: "x".into(), consecutive: 1, threshold: 3 };
        assert_eq!(classify(&ok), (Kind::Probe, Some("app".into()), false, true));
        assert_eq!(classify(&bad), (Kind::Probe, Some("app".into()), true, false));
        let crash = Why::CrashLoop { container: "app".into(), delay_ms: 10_000, exit_code: 1 };
        assert_eq!(classify(&crash).0, Kind::Restart);
        assert!(classify(&crash).2);
        assert_eq!(classify(&Why::Exited { container: "a".into(), exit_code: 0, reason: "Completed".into() }).2, false);
    }
}
