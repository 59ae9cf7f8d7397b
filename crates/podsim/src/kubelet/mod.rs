//! The kubelet, one per node: receives its pods by watch, and for each runs a pod worker that
//! syncs the runtime towards the spec — sandbox, image pulls, init containers in order, sidecars,
//! app containers, hooks, restarts with back-off, graceful termination — and writes the status.
//! Like `computePodActions`, each sync looks at the world and decides; runtime operations take
//! virtual time and end in `OpDone`, which syncs again.

mod backoff;
pub mod prober;
pub mod status;

use crate::api::{Container, ObjectKey, Pod, PodSpec, ProbeKind, PullPolicy, RestartPolicy, Terminated};
use crate::apiserver::pod_ref;
use crate::event::{EventType, KubeEvent};
use crate::explain::{Actor, Why};
use crate::runtime::catalog;
use crate::runtime::host::{self, ProgStep};
use crate::runtime::{ContainerRt, Instance, Op, OpKind, PodRuntime, Sandbox, Stopping};
use crate::sim::{Action, Command, Ctx, Event, Out, Signal};
use crate::time::{go_duration, SimTime};
use crate::world::World;

pub use status::{generate, get_phase, is_ready, is_started};

/// The minimum grace the runtime gives a container (`minimumGracePeriodInSeconds`).
const MIN_GRACE_MS: u64 = 2_000;

/// Timers of one container instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// Its process's sleep ends.
    Wake,
    /// Its preStop hook ends.
    PreStopDone,
    /// Its grace period ends: SIGKILL.
    GraceExpired,
}

fn node_down(w: &World, node: &str) -> bool {
    w.runtimes.get(node).is_none_or(|r| r.failed_since_ms.is_some()) || !w.nodes.contains_key(node)
}

fn runtime_of<'a>(w: &'a World, node: &str, uid: &str) -> Option<&'a PodRuntime> {
    w.runtimes.get(node)?.pods.get(uid).map(|p| &**p)
}

fn container_spec<'a>(pod: &'a Pod, name: &str) -> Option<(&'a Container, bool)> {
    pod.spec.init_containers.iter().find(|c| c.name == name).map(|c| (c, true)).or_else(|| pod.spec.containers.iter().find(|c| c.name == name).map(|c| (c, false)))
}

fn field_path(pod: &Pod, name: &str) -> String {
    if pod.spec.init_containers.iter().any(|c| c.name == name) {
        format!("spec.initContainers{{{name}}}")
    } else {
        format!("spec.containers{{{name}}}")
    }
}

/// Emits a kubelet event about a container (or the pod when `container` is empty).
fn emit(out: &mut Out, w: &World, node: &str, pod: &Pod, container: &str, kind: EventType, reason: &str, message: String) {
    let fp = if container.is_empty() { String::new() } else { field_path(pod, container) };
    out.push(Command::emit(KubeEvent::new(kind, reason, message, pod_ref(pod, &fp), "kubelet", node, w.now_ms)));
}

/// Writes the pod's status if it changed; returns whether it did.
fn write_status(out: &mut Out, w: &World, node: &str, pod: &Pod, rt: &PodRuntime) -> bool {
    // A pod removed in this step stays removed.
    if out.cmds.iter().any(|c| matches!(c, Command::RemovePod(k) if *k == *rt.key)) {
        return false;
    }
    let mut st = status::generate(pod, rt, w.now_ms);
    st.host_ip = w.nodes.get(node).map(|n| n.status.internal_ip.clone()).unwrap_or_default();
    st.nominated_node_name = pod.status.nominated_node_name.clone();
    if st == pod.status {
        return false;
    }
    // The new version shares the spec and source and gets the new status (the old one is not copied).
    let p = Pod { meta: pod.meta.clone(), spec: pod.spec.clone(), status: st, source: pod.source.clone() };
    out.push(Command::PutPod(std::sync::Arc::new(p)));
    true
}

/// The kubelet's watch delivers a pod bound to its node (new, updated or deleted).
pub fn on_watch(w: &World, ctx: &Ctx, node: &str, key: &ObjectKey) -> Out {
    if node_down(w, node) {
        return Out::none();
    }
    let actor = Actor::Kubelet(node.into());
    match w.pods.get(key).filter(|p| p.spec.node_name == node) {
        None => {
            // Removed from the API (force delete): stop whatever still runs for it.
            let Some(rt) = w.runtimes.get(node).and_then(|r| r.pods.values().filter(|p| *p.key == *key).min_by(|a, b| a.uid.cmp(&b.uid))) else {
                return Out::none();
            };
            let mut out = Out::new(actor, Why::WatchDelivered { watcher: format!("kubelet on {node}"), what: format!("the removal of pod/{}", key.name) }).with_pod(key);
            out.after(ctx.jitter(ctx.durations.kubelet_sync_ms, format_args!("sync/{}/{}", rt.uid, w.now_ms)), Event::KubeletSync { node: node.into(), uid: rt.uid.clone() });
            out
        }
        Some(pod) => {
            let uid = pod.meta.uid.clone();
            // (Concatenated, not formatted: one per pod bound.)
            let what = if pod.meta.deletion_ms.is_some() { ["the deletion of pod/", &key.name].concat() } else { ["pod/", &key.name, " bound to this node"].concat() };
            let mut out = Out::new(actor, Why::WatchDelivered { watcher: ["kubelet on ", node].concat(), what }).with_pod(key);
            if runtime_of(w, node, &uid).is_none() {
                let rt = PodRuntime { uid: uid.clone(), key: std::sync::Arc::new(key.clone()), added_ms: w.now_ms, start_ms: Some(w.now_ms), ..PodRuntime::default() };
                out.push(Command::PutRuntime { node: node.into(), runtime: Box::new(rt) });
                if let Some(ads) = pod.spec.active_deadline_seconds {
                    out.after(crate::time::seconds_ms(ads), Event::ActiveDeadline { node: node.into(), uid: uid.clone() });
                }
                prober::schedule_workers(&mut out, w, ctx, node, pod);
            }
            out.after(ctx.jitter(ctx.durations.kubelet_sync_ms, format_args!("sync/{uid}/{}", w.now_ms)), Event::KubeletSync { node: node.into(), uid });
            out
        }
    }
}

/// The pod worker runs a sync.
pub fn on_sync(w: &World, ctx: &Ctx, node: &str, uid: &str) -> Out {
    if node_down(w, node) {
        return Out::none();
    }
    let Some(rt) = runtime_of(w, node, uid) else { return Out::none() };
    if rt.op.is_some() {
        return Out::none();
    }
    let mut rt = rt.clone();
    if rt.sync_at == Some(w.now_ms) {
        rt.sync_at = None;
    }
    let mut out = Out::default();
    match w.pods.by_uid(uid) {
        Some(pod) => sync(w, ctx, node, pod, &mut rt, &mut out),
        None => sync_orphan(w, ctx, node, &mut rt, &mut out),
    }
    finish(out, w, node, &rt, Actor::Kubelet(node.into()))
}

/// Puts the runtime back and, if nothing more specific was said, records a status sync.
fn finish(mut out: Out, w: &World, node: &str, rt: &PodRuntime, actor: Actor) -> Out {
    let removed = out.cmds.iter().any(|c| matches!(c, Command::RemoveRuntime { uid, .. } if *uid == rt.uid));
    if !removed && runtime_of(w, node, &rt.uid).is_some() {
        out.push(Command::PutRuntime { node: node.into(), runtime: Box::new(rt.clone()) });
    }
    if out.why.is_none() && out.cmds.iter().any(|c| matches!(c, Command::PutPod(_) | Command::Emit(_) | Command::RemovePod(_))) {
        out.why = Some(Why::StatusSync { pod: format!("pod/{}", rt.key.name) });
    }
    if out.actor.is_none() {
        out.actor = Some(actor);
    }
    if out.pod.is_none() {
        out.pod = Some(rt.key.clone());
    }
    out
}

fn set_why(out: &mut Out, why: Why) {
    if out.why.is_none() {
        out.why = Some(why);
    }
}

/// Asks the pod worker to sync again after `after_ms`, unless a sync is already due by then
/// (so retry chains never pile up).
fn sync_after(out: &mut Out, rt: &mut PodRuntime, now: SimTime, node: &str, after_ms: u64) {
    let at = now + after_ms.max(1);
    if rt.sync_at.is_some_and(|s| s > now && s <= at) {
        return;
    }
    rt.sync_at = Some(at);
    out.after(at - now, Event::KubeletSync { node: node.into(), uid: rt.uid.clone() });
}

/// A pod whose API object is gone: stop everything fast, then forget it.
fn sync_orphan(w: &World, ctx: &Ctx, node: &str, rt: &mut PodRuntime, out: &mut Out) {
    let running: Vec<String> = rt.containers.values().filter(|c| c.running().is_some()).map(|c| c.name.clone()).collect();
    if running.is_empty() {
        out.push(Command::RemoveRuntime { node: node.into(), uid: rt.uid.clone() });
        set_why(out, Why::PodRemoved { pod: format!("pod/{}", rt.key.name) });
        return;
    }
    let now = w.now_ms;
    for name in running {
        let Some(inst) = rt.containers.get_mut(&name).and_then(|c| c.instance.as_mut()) else { continue };
        if inst.stopping.is_none() {
            inst.stopping = Some(Stopping::Signaled { kill_at_ms: now + MIN_GRACE_MS });
            out.after(MIN_GRACE_MS, Event::ContainerTimer { node: node.into(), uid: rt.uid.clone(), container: name.clone(), instance: inst.id, timer: Timer::GraceExpired });
        }
    }
    set_why(out, Why::Killing { container: "every container".into(), reason: "the pod was force-deleted".into(), grace_seconds: 2 });
    let _ = ctx;
}

/// What the init pass concluded.
enum InitState {
    /// Every init entry is done; the app containers may run.
    Done,
    /// Waiting for an init entry (running, starting, or in back-off).
    Blocked,
    /// A regular init container failed under restartPolicy Never: the pod fails.
    Failed,
}

fn sync(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out) {
    let now = w.now_ms;
    let uid = pod.meta.uid.clone();
    // Termination first: deletion, deadline, or a finished pod's leftovers.
    if pod.meta.deletion_ms.is_some() && rt.terminating.is_none() {
        let grace = pod.meta.deletion_grace_seconds.unwrap_or(pod.spec.termination_grace_period_seconds);
        begin_termination(w, ctx, node, pod, rt, out, grace, None);
    }
    if rt.finished || (pod.status.phase.is_terminal() && rt.terminating.is_none()) {
        write_status(out, w, node, pod, rt);
        return;
    }
    if rt.terminating.is_some() {
        continue_termination(w, ctx, node, pod, rt, out);
        write_status(out, w, node, pod, rt);
        return;
    }
    // The sandbox.
    match &rt.sandbox {
        Sandbox::None => {
            rt.sandbox = Sandbox::Creating;
            let d = ctx.jitter(ctx.durations.sandbox_ms, format_args!("sandbox/{uid}"));
            begin_op(rt, out, node, OpKind::CreateSandbox, d, now);
            set_why(out, Why::SandboxCreating { pod: format!("pod/{}", pod.meta.name) });
            write_status(out, w, node, pod, rt);
            return;
        }
        Sandbox::Creating => return,
        Sandbox::Ready { .. } => {}
    }
    let reasons_before: Vec<Option<(String, String)>> = rt.containers.values().map(|c| c.waiting.clone()).collect();
    // Write what the runtime shows now (an exit becomes visible before any restart).
    write_status(out, w, node, pod, rt);
    let init_state = sync_init(w, ctx, node, pod, rt, out);
    if rt.op.is_some() {
        return;
    }
    match init_state {
        InitState::Failed => {
            // Nothing restarts: stop the sidecars and let the phase become Failed.
            begin_termination(w, ctx, node, pod, rt, out, pod.spec.termination_grace_period_seconds, Some(("".into(), "".into())));
            continue_termination(w, ctx, node, pod, rt, out);
        }
        InitState::Blocked => {}
        InitState::Done => {
            // Sidecars keep running after initialization: restart any that exited.
            for c in pod.spec.init_containers.iter().filter(|c| PodSpec::is_sidecar(c)) {
                ensure_running(w, ctx, node, pod, rt, out, c, true);
                if rt.op.is_some() {
                    return;
                }
            }
            for c in &pod.spec.containers {
                ensure_running(w, ctx, node, pod, rt, out, c, false);
                if rt.op.is_some() {
                    return;
                }
            }
            // All app containers done and none will restart: the pod completes (Job-style).
            let all_done = pod.spec.restart_policy != RestartPolicy::Always
                && pod.spec.containers.iter().all(|c| rt.containers.get(&c.name).and_then(|r| r.exited()).is_some_and(|t| !should_restart(pod.spec.restart_policy, t.exit_code)));
            if all_done {
                let sidecars_running = rt.containers.values().any(|c| c.running().is_some());
                if sidecars_running {
                    begin_termination(w, ctx, node, pod, rt, out, pod.spec.termination_grace_period_seconds, Some(("".into(), "".into())));
                    continue_termination(w, ctx, node, pod, rt, out);
                } else {
                    rt.finished = true;
                }
            }
        }
    }
    let reasons_after: Vec<Option<(String, String)>> = rt.containers.values().map(|c| c.waiting.clone()).collect();
    if rt.finished {
        write_status(out, w, node, pod, rt);
    }
    if reasons_before != reasons_after {
        // The kubelet's reason cache changed: the next status write shows it.
        sync_after(out, rt, now, node, ctx.jitter(ctx.durations.pleg_relist_ms, format_args!("pleg/{uid}/{now}")));
    }
}

/// `ShouldContainerBeRestarted` for an exited container (pod not being deleted).
fn should_restart(policy: RestartPolicy, exit_code: i32) -> bool {
    match policy {
        RestartPolicy::Always => true,
        RestartPolicy::OnFailure => exit_code != 0,
        RestartPolicy::Never => false,
    }
}

/// Walks the init containers in order (computeInitContainerActions).
fn sync_init(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out) -> InitState {
    // Once any app container exists, the pod is initialized: regular inits never run again.
    let initialized = pod.spec.containers.iter().any(|c| rt.containers.get(&c.name).is_some_and(|r| r.instance.is_some()));
    if initialized {
        return InitState::Done;
    }
    for (i, c) in pod.spec.init_containers.iter().enumerate() {
        let crt = rt.container(&c.name);
        if PodSpec::is_sidecar(c) {
            if status::is_started(c, crt) {
                continue;
            }
            if crt.and_then(|r| r.running()).is_some() {
                return InitState::Blocked;
            }
            ensure_running(w, ctx, node, pod, rt, out, c, true);
            return InitState::Blocked;
        }
        match crt.map(|r| (r.running().is_some(), r.exited().map(|t| t.exit_code))) {
            Some((true, _)) => return InitState::Blocked,
            Some((false, Some(0))) => {
                // Done. Say so once, when it just finished.
                let next = pod.spec.init_containers.get(i + 1).map(|n| n.name.clone());
                let _ = next;
                continue;
            }
            Some((false, Some(_code))) if pod.spec.restart_policy == RestartPolicy::Never => return InitState::Failed,
            _ => {
                ensure_running(w, ctx, node, pod, rt, out, c, true);
                return InitState::Blocked;
            }
        }
    }
    InitState::Done
}

/// Starts a container that has never run, or restarts an exited one per restartPolicy and
/// back-off. Running containers are left alone.
#[allow(clippy::too_many_arguments)]
fn ensure_running(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, c: &Container, init: bool) {
    let now = w.now_ms;
    let sidecar = init && PodSpec::is_sidecar(c);
    let crt = rt.containers.get(&c.name);
    if crt.and_then(|r| r.running()).is_some() {
        return;
    }
    if let Some(t) = crt.and_then(|r| r.exited()).cloned() {
        let policy = if sidecar { RestartPolicy::Always } else { pod.spec.restart_policy };
        if !should_restart(policy, t.exit_code) {
            return;
        }
        // doBackOff: the latest exit's finishedAt against the back-off entry.
        let key = c.name.clone();
        let entry = rt.backoff.get(&key).copied();
        if backoff::in_backoff_since(entry.as_ref(), backoff::Kind::CrashLoop, t.finished_ms, now) {
            let delay = entry.map_or(0, |e| e.delay_ms);
            let msg = format!("back-off {} restarting failed container={} pod={}_{}({})", go_duration(delay), c.name, pod.meta.name, pod.meta.namespace, pod.meta.uid);
            let changed = rt.containers.get(&c.name).is_none_or(|r| r.waiting.as_ref().map(|x| &x.0) != Some(&"CrashLoopBackOff".to_string()));
            if let Some(r) = rt.containers.get_mut(&c.name) {
                r.waiting = Some(("CrashLoopBackOff".into(), msg));
            }
            emit(out, w, node, pod, &c.name, EventType::Warning, "BackOff", format!("Back-off restarting failed container {} in pod {}_{}({})", c.name, pod.meta.name, pod.meta.namespace, pod.meta.uid));
            if changed {
                set_why(out, Why::CrashLoop { container: c.name.clone(), delay_ms: delay, exit_code: t.exit_code });
            }
            // Retry when the back-off expires, and re-sync (re-emitting BackOff) meanwhile.
            let expiry = (t.finished_ms + delay).saturating_sub(now);
            sync_after(out, rt, now, node, expiry.min(ctx.durations.sync_retry_ms));
            return;
        }
        let b = backoff::next(entry, backoff::Kind::CrashLoop, t.finished_ms, now);
        rt.backoff.insert(key, b);
        let delay = now.saturating_sub(t.finished_ms);
        set_why(out, Why::Restarting { container: c.name.clone(), policy: policy.as_str().into(), exit_code: t.exit_code, delay_ms: if entry.is_none() { 0 } else { delay } });
    }
    start_container(w, ctx, node, pod, rt, out, c);
}

/// The image step of a start (EnsureImageExists), then the create+start operation.
fn start_container(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, c: &Container) {
    let now = w.now_ms;
    let uid = pod.meta.uid.clone();
    let image = &c.image;
    let parsed = catalog::parse_image(image);
    let set_waiting = |rt: &mut PodRuntime, reason: &str, msg: String| {
        let r = rt.containers.entry(c.name.clone()).or_insert_with(|| Box::new(ContainerRt { name: c.name.clone(), ..ContainerRt::default() }));
        r.waiting = Some((reason.into(), msg));
    };
    let Ok(reference) = parsed else {
        let err = parsed.err().unwrap_or_default();
        emit(out, w, node, pod, &c.name, EventType::Warning, "InspectFailed", format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": {err}"));
        emit(out, w, node, pod, &c.name, EventType::Warning, "Failed", "Error: InvalidImageName".into());
        set_waiting(rt, "InvalidImageName", format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": {err}"));
        set_why(out, Why::PullFailed { container: c.name.clone(), image: image.clone(), error: "invalid image name".into() });
        return;
    };
    let full = reference.full();
    let present = w.runtimes.get(node).is_some_and(|r| r.images.contains_key(&full));
    let policy = c.image_pull_policy;
    if present && policy != PullPolicy::Always {
        emit(out, w, node, pod, &c.name, EventType::Normal, "Pulled", format!("Container image \"{image}\" already present on machine"));
        set_why(out, Why::ImagePresent { container: c.name.clone(), image: image.clone(), policy: policy.as_str().into() });
        begin_start_op(w, ctx, node, pod, rt, out, c);
        return;
    }
    if !present && policy == PullPolicy::Never {
        let msg = format!("Container image \"{image}\" is not present with pull policy of Never");
        emit(out, w, node, pod, &c.name, EventType::Warning, "ErrImageNeverPull", msg.clone());
        emit(out, w, node, pod, &c.name, EventType::Warning, "Failed", "Error: ErrImageNeverPull".into());
        set_waiting(rt, "ErrImageNeverPull", msg);
        set_why(out, Why::NeverPull { container: c.name.clone(), image: image.clone() });
        return;
    }
    let key = format!("{uid}_{image}");
    if backoff::in_backoff_since_update(rt.image_backoff.get(&key), now) {
        let prev = rt.image_errors.get(&key).cloned().unwrap_or_default();
        emit(out, w, node, pod, &c.name, EventType::Normal, "BackOff", format!("Back-off pulling image \"{image}\""));
        emit(out, w, node, pod, &c.name, EventType::Warning, "Failed", "Error: ImagePullBackOff".into());
        set_waiting(rt, "ImagePullBackOff", format!("Back-off pulling image \"{image}\": ErrImagePull: {prev}"));
        let e = rt.image_backoff.get(&key).copied().unwrap_or(crate::runtime::Backoff { delay_ms: 0, last_update_ms: now });
        set_why(out, Why::PullBackOff { container: c.name.clone(), image: image.clone(), delay_ms: e.delay_ms });
        sync_after(out, rt, now, node, (e.last_update_ms + e.delay_ms).saturating_sub(now).min(ctx.durations.sync_retry_ms));
        return;
    }
    emit(out, w, node, pod, &c.name, EventType::Normal, "Pulling", format!("Pulling image \"{image}\""));
    set_why(out, Why::Pulling { container: c.name.clone(), image: image.clone(), policy: policy.as_str().into() });
    let d = match catalog::lookup(image) {
        Some(entry) => {
            // Layers already on the node make an `Always` re-pull quick.
            let bytes = if present { 0 } else { entry.size_bytes as u64 };
            ctx.jitter(ctx.durations.pull_base_ms + bytes / ctx.durations.pull_bytes_per_ms.max(1), format_args!("pull/{uid}/{}/{now}", c.name))
        }
        None => ctx.jitter(ctx.durations.pull_failure_ms, format_args!("pull/{uid}/{}/{now}", c.name)),
    };
    begin_op(rt, out, node, OpKind::Pull { container: c.name.clone(), image: image.clone() }, d, now);
}

fn begin_op(rt: &mut PodRuntime, out: &mut Out, node: &str, kind: OpKind, duration_ms: u64, now: SimTime) {
    let id = rt.next_id();
    rt.op = Some(Op { id, kind, started_ms: now });
    out.after(duration_ms, Event::OpDone { node: node.into(), uid: rt.uid.clone(), op: id });
}

/// Emits `Created` and starts the create+start operation.
fn begin_start_op(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, c: &Container) {
    let now = w.now_ms;
    let uid = pod.meta.uid.clone();
    if let Err(msg) = host::check_config(w, pod, c) {
        emit(out, w, node, pod, &c.name, EventType::Warning, "Failed", format!("Error: {msg}"));
        let r = rt.containers.entry(c.name.clone()).or_insert_with(|| Box::new(ContainerRt { name: c.name.clone(), ..ContainerRt::default() }));
        r.waiting = Some(("CreateContainerConfigError".into(), msg.clone()));
        set_why(out, Why::StartFailed { container: c.name.clone(), error: msg });
        sync_after(out, rt, now, node, ctx.durations.sync_retry_ms);
        return;
    }
    emit(out, w, node, pod, &c.name, EventType::Normal, "Created", format!("Created container: {}", c.name));
    let init = pod.spec.init_containers.iter().any(|i| i.name == c.name);
    set_why(out, Why::Creating { container: c.name.clone(), init });
    let d = ctx.jitter(ctx.durations.container_create_ms + ctx.durations.container_start_ms, format_args!("start/{uid}/{}/{now}", c.name));
    begin_op(rt, out, node, OpKind::Start { container: c.name.clone() }, d, now);
}

/// A runtime operation finished.
pub fn on_op_done(w: &World, ctx: &Ctx, node: &str, uid: &str, op_id: u64) -> Out {
    if node_down(w, node) {
        return Out::none();
    }
    let Some(rt0) = runtime_of(w, node, uid) else { return Out::none() };
    let Some(op) = rt0.op.clone().filter(|o| o.id == op_id) else { return Out::none() };
    let mut rt = rt0.clone();
    rt.op = None;
    let mut out = Out::default();
    let Some(pod) = w.pods.by_uid(uid) else {
        sync_orphan(w, ctx, node, &mut rt, &mut out);
        return finish(out, w, node, &rt, Actor::Runtime(node.into()));
    };
    let now = w.now_ms;
    match &op.kind {
        OpKind::CreateSandbox => {
            let node_rt = w.runtimes.get(node);
            let used: Vec<&str> = node_rt.map(|r| r.pods.values().filter_map(|p| p.ip()).collect()).unwrap_or_default();
            let cidr = w.nodes.get(node).map(|n| n.spec.pod_cidr.clone()).unwrap_or_default();
            let base = cidr.split('/').next().unwrap_or("10.244.0.0").rsplit_once('.').map_or("10.244.0".to_string(), |(b, _)| b.to_string());
            let ip = (2..255).map(|i| format!("{base}.{i}")).find(|ip| !used.contains(&ip.as_str())).unwrap_or_else(|| format!("{base}.254"));
            rt.sandbox = Sandbox::Ready { ip: ip.clone(), created_ms: now };
            host::init_volumes(w, pod, &mut rt);
            out.why = Some(Why::SandboxReady { pod: format!("pod/{}", pod.meta.name), ip });
            out.actor = Some(Actor::Runtime(node.into()));
        }
        OpKind::Pull { container, image } => {
            let key = format!("{uid}_{image}");
            match catalog::lookup(image) {
                Some(entry) => {
                    let full = catalog::normalize_image(image);
                    let mut images = w.runtimes.get(node).map(|r| r.images.clone()).unwrap_or_default();
                    images.insert(full.clone(), entry.size_bytes);
                    out.push(Command::PutImages { node: node.into(), images });
                    // The node's status lists its images (ImageLocality scores with them).
                    if let Some(n) = w.nodes.get(node).filter(|n| !n.status.images.contains_key(&full)) {
                        let mut n = n.clone();
                        n.status.images.insert(full, entry.size_bytes);
                        out.push(Command::PutNode(Box::new(n)));
                    }
                    let took = now - op.started_ms;
                    emit(&mut out, w, node, pod, container, EventType::Normal, "Pulled", format!("Successfully pulled image \"{image}\" in {} ({} including waiting). Image size: {} bytes.", go_duration(took), go_duration(took), entry.size_bytes));
                    out.why = Some(Why::Pulled { container: container.clone(), image: image.clone(), ms: took });
                    out.actor = Some(Actor::Runtime(node.into()));
                    if let Some((c, _)) = container_spec(pod, container) {
                        // The pull is done; creating the container follows in the same sync.
                        let mut sub = Out::default();
                        begin_start_op(w, ctx, node, pod, &mut rt, &mut sub, c);
                        out.cmds.extend(sub.cmds);
                    }
                }
                None => {
                    let full = catalog::normalize_image(image);
                    let err = pull_error(image, &full);
                    emit(&mut out, w, node, pod, container, EventType::Warning, "Failed", format!("Failed to pull image \"{image}\": {err}"));
                    emit(&mut out, w, node, pod, container, EventType::Warning, "Failed", "Error: ErrImagePull".into());
                    let entry = rt.image_backoff.get(&key).copied();
                    rt.image_backoff.insert(key.clone(), backoff::next(entry, backoff::Kind::ImagePull, now, now));
                    rt.image_errors.insert(key, err.clone());
                    if let Some(r) = rt.containers.get_mut(container) {
                        r.waiting = Some(("ErrImagePull".into(), err.clone()));
                    } else {
                        rt.containers.insert(container.clone(), Box::new(ContainerRt { name: container.clone(), waiting: Some(("ErrImagePull".into(), err.clone())), ..ContainerRt::default() }));
                    }
                    out.why = Some(Why::PullFailed { container: container.clone(), image: image.clone(), error: err });
                    out.actor = Some(Actor::Runtime(node.into()));
                    write_status(&mut out, w, node, pod, &rt);
                    sync_after(&mut out, &mut rt, now, node, ctx.jitter(ctx.durations.pleg_relist_ms, format_args!("pleg/{uid}/{now}")));
                    return finish(out, w, node, &rt, Actor::Runtime(node.into()));
                }
            }
            // The pull chained into a start op: keep going later.
            if rt.op.is_some() {
                return finish(out, w, node, &rt, Actor::Runtime(node.into()));
            }
        }
        OpKind::Start { container } => {
            if let Some((c, init)) = container_spec(pod, container) {
                start_process(w, ctx, node, pod, &mut rt, &mut out, c, init);
                if rt.op.is_some() {
                    write_status(&mut out, w, node, pod, &rt);
                    return finish(out, w, node, &rt, Actor::Runtime(node.into()));
                }
            }
        }
        OpKind::PostStart { container, ok, detail } => {
            let Some((c, _)) = container_spec(pod, container) else { return finish(out, w, node, &rt, Actor::Runtime(node.into())) };
            out.why = Some(Why::Hook { container: container.clone(), hook: "postStart".into(), ok: *ok, detail: detail.clone() });
            out.actor = Some(Actor::Kubelet(node.into()));
            if let Some(inst) = rt.containers.get_mut(container).and_then(|r| r.instance.as_mut()) {
                inst.post_start_done = true;
            }
            if !*ok {
                emit(&mut out, w, node, pod, container, EventType::Warning, "FailedPostStartHook", "PostStartHook failed".into());
                kill_container(w, ctx, node, pod, &mut rt, &mut out, c, "FailedPostStartHook".into(), pod.spec.termination_grace_period_seconds);
            }
        }
    }
    // Continue the sync where the operation left it.
    if rt.op.is_none() {
        let mut sub = Out::default();
        sync(w, ctx, node, pod, &mut rt, &mut sub);
        if out.why.is_none() {
            out.why = sub.why.take();
        }
        out.cmds.extend(sub.cmds);
    }
    finish(out, w, node, &rt, Actor::Kubelet(node.into()))
}

/// containerd's error for an image the registry does not have.
fn pull_error(image: &str, full: &str) -> String {
    let repo = full.split(['@']).next().unwrap_or(full);
    let domain = repo.split('/').next().unwrap_or("");
    if domain == "docker.io" {
        format!("failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
    } else if domain.ends_with(".k8s.io") || domain == "gcr.io" || domain == "k8s.gcr.io" || domain == "ghcr.io" || domain == "quay.io" {
        format!("failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found")
    } else {
        let path = repo.strip_prefix(&format!("{domain}/")).unwrap_or(repo);
        let (path, tag) = path.rsplit_once(':').unwrap_or((path, "latest"));
        let _ = image;
        format!("failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": failed to do request: Head \"https://{domain}/v2/{path}/manifests/{tag}\": dial tcp: lookup {domain}: no such host")
    }
}

/// The create+start operation ended: a new instance runs its program; `Started`; postStart.
#[allow(clippy::too_many_arguments)]
fn start_process(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, c: &Container, init: bool) {
    let now = w.now_ms;
    let id = rt.next_id();
    let crt = rt.containers.entry(c.name.clone()).or_insert_with(|| Box::new(ContainerRt { name: c.name.clone(), ..ContainerRt::default() }));
    if let Some(old) = crt.instance.take() {
        crt.previous = old.exit;
    }
    let restart_count = crt.runs;
    crt.runs += 1;
    crt.waiting = None;
    let hash = crate::rng::fnv1a(format!("{}/{}/{id}", pod.meta.uid, c.name).as_bytes());
    let hash2 = crate::rng::fnv1a(format!("{id}/{}/{}", c.name, pod.meta.uid).as_bytes());
    crt.instance = Some(Instance {
        id,
        container_id: format!("containerd://{hash:016x}{hash2:016x}{:016x}{:016x}", hash ^ hash2, hash.rotate_left(13)),
        restart_count,
        created_ms: now,
        started_ms: now,
        post_start_done: c.post_start.is_none(),
        exit: None,
        process: None,
        files: None,
        stopping: None,
        stop_reason: String::new(),
        memory_bytes: 0,
    });
    // Probe workers start afresh for the new instance (initial results).
    prober::reset_for_instance(rt, c, id);
    emit(out, w, node, pod, &c.name, EventType::Normal, "Started", format!("Started container {}", c.name));
    set_why(out, Why::Started { container: c.name.clone(), restart_count });
    let step = host::spawn(w, ctx, node, pod, rt, &c.name, out);
    apply_step(w, ctx, node, pod, rt, out, &c.name, id, step);
    let _ = init;
    // postStart blocks the container from counting as started until it completes.
    if let Some(h) = &c.post_start {
        if rt.containers.get(&c.name).and_then(|r| r.running()).is_some() {
            let r = host::run_handler(w, ctx, node, pod, rt, &c.name, h, 120_000, out);
            let d = r.elapsed_ms.max(1);
            begin_op(rt, out, node, OpKind::PostStart { container: c.name.clone(), ok: r.ok, detail: r.output.clone() }, d, now);
        }
    }
}

/// Acts on what a process step reported: schedule its wake-up, or record its exit.
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply_step(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, container: &str, instance: u64, step: ProgStep) {
    let now = w.now_ms;
    match step {
        ProgStep::Sleeping(until) => {
            out.after(until.saturating_sub(now).max(1), Event::ContainerTimer { node: node.into(), uid: pod.meta.uid.clone(), container: container.into(), instance, timer: Timer::Wake });
        }
        ProgStep::Blocked => {}
        ProgStep::Exited(code) => record_exit(w, ctx, node, pod, rt, out, container, code, false),
        ProgStep::Oom => record_exit(w, ctx, node, pod, rt, out, container, 137, true),
    }
}

/// The runtime records a process exit; the kubelet notices it at its next relist.
#[allow(clippy::too_many_arguments)]
fn record_exit(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, container: &str, code: i32, oom: bool) {
    let now = w.now_ms;
    let Some(inst) = rt.containers.get_mut(container).and_then(|r| r.instance.as_mut()) else { return };
    if inst.exit.is_some() {
        return;
    }
    let reason = if oom { "OOMKilled" } else if code == 0 { "Completed" } else { "Error" };
    inst.exit = Some(Terminated {
        exit_code: code,
        signal: 0,
        reason: reason.into(),
        message: String::new(),
        started_ms: Some(inst.started_ms),
        finished_ms: now,
        container_id: inst.container_id.clone(),
    });
    inst.process = None;
    inst.stopping = None;
    host::container_stopped(w, pod, rt, container, out);
    set_why(out, Why::Exited { container: container.into(), exit_code: code, reason: reason.into() });
    if out.actor.is_none() {
        out.actor = Some(Actor::Runtime(node.into()));
    }
    let uid = pod.meta.uid.clone();
    sync_after(out, rt, now, node, ctx.jitter(ctx.durations.pleg_relist_ms, format_args!("pleg/{uid}/{container}/{now}")));
}

/// A container timer fired.
pub fn on_container_timer(w: &World, ctx: &Ctx, node: &str, uid: &str, container: &str, instance: u64, timer: Timer) -> Out {
    if node_down(w, node) {
        return Out::none();
    }
    let Some(rt0) = runtime_of(w, node, uid) else { return Out::none() };
    let live = rt0.containers.get(container).and_then(|r| r.instance.as_ref()).is_some_and(|i| i.id == instance && i.exit.is_none());
    if !live {
        return Out::none();
    }
    let mut rt = rt0.clone();
    let mut out = Out::default();
    let pod = w.pods.by_uid(uid).cloned();
    let pod = match pod {
        Some(p) => p,
        None => {
            // Force-deleted: only the kill matters.
            if timer == Timer::GraceExpired {
                if let Some(inst) = rt.containers.get_mut(container).and_then(|r| r.instance.as_mut()) {
                    inst.exit = Some(Terminated { exit_code: 137, reason: "Error".into(), finished_ms: w.now_ms, started_ms: Some(inst.started_ms), container_id: inst.container_id.clone(), ..Terminated::default() });
                    inst.process = None;
                }
                out.why = Some(Why::GraceExpired { container: container.into() });
                out.actor = Some(Actor::Runtime(node.into()));
                out.after(1, Event::KubeletSync { node: node.into(), uid: uid.into() });
            }
            return finish(out, w, node, &rt, Actor::Runtime(node.into()));
        }
    };
    match timer {
        Timer::Wake => {
            let step = host::resume(w, ctx, node, &pod, &mut rt, container, &mut out);
            out.actor = Some(Actor::Runtime(node.into()));
            if out.why.is_none() {
                out.why = Some(Why::ProcessProgress { container: container.into(), detail: host::progress_note(&out) });
            }
            apply_step(w, ctx, node, &pod, &mut rt, &mut out, container, instance, step);
        }
        Timer::PreStopDone => {
            send_stop_signal(w, ctx, node, &pod, &mut rt, &mut out, container);
        }
        Timer::GraceExpired => {
            out.why = Some(Why::GraceExpired { container: container.into() });
            out.actor = Some(Actor::Runtime(node.into()));
            record_exit(w, ctx, node, &pod, &mut rt, &mut out, container, 137, false);
        }
    }
    finish(out, w, node, &rt, Actor::Runtime(node.into()))
}

/// Starts killing a container: `Killing`, preStop, then the stop signal (KRC killContainer).
#[allow(clippy::too_many_arguments)]
pub(crate) fn kill_container(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, c: &Container, message: String, grace_s: i64) {
    let now = w.now_ms;
    let Some(inst) = rt.containers.get(&c.name).and_then(|r| r.running()) else { return };
    if inst.stopping.is_some() {
        return;
    }
    let inst_id = inst.id;
    emit(out, w, node, pod, &c.name, EventType::Normal, "Killing", message.clone());
    set_why(out, Why::Killing { container: c.name.clone(), reason: message.clone(), grace_seconds: grace_s });
    let deadline = now.saturating_add(crate::time::seconds_ms(grace_s));
    if let Some(inst) = rt.containers.get_mut(&c.name).and_then(|r| r.instance.as_mut()) {
        inst.stop_reason = message;
    }
    if let (Some(h), true) = (&c.pre_stop, grace_s > 0) {
        let r = host::run_handler(w, ctx, node, pod, rt, &c.name, h, crate::time::seconds_ms(grace_s), out);
        if !r.ok {
            emit(out, w, node, pod, &c.name, EventType::Warning, "FailedPreStopHook", "PreStopHook failed".into());
        }
        let until = now.saturating_add(r.elapsed_ms.min(crate::time::seconds_ms(grace_s)));
        if let Some(inst) = rt.containers.get_mut(&c.name).and_then(|r| r.instance.as_mut()) {
            inst.stopping = Some(Stopping::PreStop { until_ms: until, deadline_ms: deadline });
        }
        out.after((until - now).max(1), Event::ContainerTimer { node: node.into(), uid: pod.meta.uid.clone(), container: c.name.clone(), instance: inst_id, timer: Timer::PreStopDone });
        return;
    }
    if let Some(inst) = rt.containers.get_mut(&c.name).and_then(|r| r.instance.as_mut()) {
        inst.stopping = Some(Stopping::PreStop { until_ms: now, deadline_ms: deadline });
    }
    send_stop_signal(w, ctx, node, pod, rt, out, &c.name);
}

/// After preStop: wait for sidecar ordering if needed, else send the stop signal with the
/// remaining grace (at least 2 s) before SIGKILL.
fn send_stop_signal(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, container: &str) {
    let now = w.now_ms;
    let Some(inst) = rt.containers.get(container).and_then(|r| r.running()) else { return };
    let deadline = match inst.stopping {
        Some(Stopping::PreStop { deadline_ms, .. }) | Some(Stopping::WaitingForOrder { deadline_ms }) => deadline_ms,
        Some(Stopping::Signaled { .. }) => return,
        None => now,
    };
    let inst_id = inst.id;
    let is_sidecar = pod.spec.init_containers.iter().any(|c| c.name == container && PodSpec::is_sidecar(c));
    if is_sidecar && rt.terminating.is_some() && !sidecar_may_stop(pod, rt, container) && now < deadline {
        if let Some(i) = rt.containers.get_mut(container).and_then(|r| r.instance.as_mut()) {
            i.stopping = Some(Stopping::WaitingForOrder { deadline_ms: deadline });
        }
        return;
    }
    let remaining = deadline.saturating_sub(now).max(MIN_GRACE_MS);
    if let Some(i) = rt.containers.get_mut(container).and_then(|r| r.instance.as_mut()) {
        i.stopping = Some(Stopping::Signaled { kill_at_ms: now + remaining });
    }
    let signal = host::stop_signal(pod, container);
    let step = host::signal(w, ctx, node, pod, rt, container, signal, out);
    let effect = match step {
        ProgStep::Exited(code) => format!("the process exits with code {code}"),
        ProgStep::Sleeping(_) => "the process handles it and begins to shut down".to_string(),
        _ => format!("it keeps running (PID 1 ignores SIG{} without a handler), so SIGKILL follows in {}", signal.name(), go_duration(remaining)),
    };
    if out.why.is_none() || matches!(out.why, Some(Why::ProcessProgress { .. })) {
        out.why = Some(Why::Signal { container: container.into(), signal: format!("SIG{}", signal.name()), effect });
    }
    match step {
        ProgStep::Exited(_) | ProgStep::Oom => apply_step(w, ctx, node, pod, rt, out, container, inst_id, step),
        other => {
            if let ProgStep::Sleeping(_) = other {
                apply_step(w, ctx, node, pod, rt, out, container, inst_id, other);
            }
            out.after(remaining, Event::ContainerTimer { node: node.into(), uid: pod.meta.uid.clone(), container: container.into(), instance: inst_id, timer: Timer::GraceExpired });
        }
    }
}

/// Sidecars stop after every app container, and after the sidecars that follow them (reverse order).
fn sidecar_may_stop(pod: &Pod, rt: &PodRuntime, container: &str) -> bool {
    let apps_done = pod.spec.containers.iter().all(|c| rt.containers.get(&c.name).is_none_or(|r| r.running().is_none()));
    let later_done = pod
        .spec
        .init_containers
        .iter()
        .skip_while(|c| c.name != container)
        .skip(1)
        .filter(|c| PodSpec::is_sidecar(c))
        .all(|c| rt.containers.get(&c.name).is_none_or(|r| r.running().is_none()));
    apps_done && later_done
}

/// Starts stopping the whole pod (deletion, deadline, failed init, completion).
#[allow(clippy::too_many_arguments)]
fn begin_termination(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, grace_s: i64, reason: Option<(String, String)>) {
    let now = w.now_ms;
    if rt.terminating.is_some() {
        return;
    }
    rt.terminating = Some((now, now.saturating_add(crate::time::seconds_ms(grace_s))));
    if let Some(r) = reason.filter(|r| !r.0.is_empty()) {
        rt.terminal_reason = Some(r);
    }
    // Pending starts are abandoned.
    rt.op = None;
    let names: Vec<(Container, bool)> = pod.spec.containers.iter().map(|c| (c.clone(), false)).chain(pod.spec.init_containers.iter().map(|c| (c.clone(), true))).collect();
    for (c, _) in names {
        if rt.containers.get(&c.name).and_then(|r| r.running()).is_some() {
            kill_container(w, ctx, node, pod, rt, out, &c, format!("Stopping container {}", c.name), grace_s);
        }
    }
}

/// Moves a termination along: sidecars whose turn came get their signal; when nothing runs,
/// the pod reaches its terminal phase and, if deleted, is removed from the API server.
fn continue_termination(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out) {
    let now = w.now_ms;
    let waiting: Vec<String> = pod
        .spec
        .init_containers
        .iter()
        .rev()
        .filter(|c| rt.containers.get(&c.name).and_then(|r| r.running()).is_some_and(|i| matches!(i.stopping, Some(Stopping::WaitingForOrder { .. }))))
        .map(|c| c.name.clone())
        .collect();
    for name in waiting {
        let deadline = rt.terminating.map_or(now, |t| t.1);
        if sidecar_may_stop(pod, rt, &name) || now >= deadline {
            send_stop_signal(w, ctx, node, pod, rt, out, &name);
        }
    }
    // A sidecar still waiting must not outlive the pod's grace period.
    if let Some((_, deadline)) = rt.terminating {
        if now < deadline && rt.containers.values().any(|c| c.running().is_some_and(|i| matches!(i.stopping, Some(Stopping::WaitingForOrder { .. })))) {
            sync_after(out, rt, now, node, deadline - now);
        }
    }
    let anything_running = rt.containers.values().any(|c| c.running().is_some());
    if anything_running {
        return;
    }
    // Containers that never started stay waiting; the pod is done.
    for c in rt.containers.values_mut() {
        if c.instance.as_ref().is_some_and(|i| i.exit.is_some()) {
            c.waiting = None;
        }
    }
    let deleted = pod.meta.deletion_ms.is_some();
    rt.finished = true;
    if rt.terminal_reason.is_some() || deleted {
        // podIsTerminal: the phase follows the exit codes.
    }
    let mut st = status::generate(pod, rt, now);
    if rt.terminal_reason.as_ref().is_some_and(|r| r.0 == "DeadlineExceeded") {
        st.phase = crate::api::Phase::Failed;
    }
    st.host_ip = w.nodes.get(node).map(|n| n.status.internal_ip.clone()).unwrap_or_default();
    let phase = st.phase;
    let mut p = pod.clone();
    p.status = st;
    // Fix the conditions for the final phase (PodFailed / PodCompleted).
    let rt_final = rt.clone();
    p.status = {
        let mut tmp = p.clone();
        tmp.status.phase = phase;
        let mut s = status::generate(&tmp, &rt_final, now);
        s.phase = phase;
        s.host_ip = p.status.host_ip.clone();
        s
    };
    set_why(out, Why::PodFinished { pod: format!("pod/{}", pod.meta.name), phase: phase.as_str().into() });
    if deleted {
        // The final status is one API write; the deletion (grace 0) is the next.
        out.push(Command::PutPod(std::sync::Arc::new(p)));
        out.push(Command::RemoveRuntime { node: node.into(), uid: pod.meta.uid.clone() });
        out.after(ctx.durations.api_write_ms, Event::RemoveFinished { pod: ObjectKey::clone(&rt.key), uid: pod.meta.uid.clone() });
    } else if p.status != pod.status {
        out.push(Command::PutPod(std::sync::Arc::new(p)));
    }
}

/// activeDeadlineSeconds elapsed.
pub fn on_active_deadline(w: &World, ctx: &Ctx, node: &str, uid: &str) -> Out {
    if node_down(w, node) {
        return Out::none();
    }
    let Some(rt0) = runtime_of(w, node, uid) else { return Out::none() };
    let Some(pod) = w.pods.by_uid(uid) else { return Out::none() };
    if pod.status.phase.is_terminal() || rt0.terminating.is_some() {
        return Out::none();
    }
    let mut rt = rt0.clone();
    let mut out = Out::new(Actor::Kubelet(node.into()), Why::DeadlineExceeded { pod: format!("pod/{}", pod.meta.name), seconds: pod.spec.active_deadline_seconds.unwrap_or(0) }).with_shared_pod(&rt.key);
    let msg = "Pod was active on the node longer than the specified deadline".to_string();
    emit(&mut out, w, node, pod, "", EventType::Normal, "DeadlineExceeded", msg.clone());
    begin_termination(w, ctx, node, pod, &mut rt, &mut out, pod.spec.termination_grace_period_seconds, Some(("DeadlineExceeded".into(), msg)));
    continue_termination(w, ctx, node, pod, &mut rt, &mut out);
    write_status(&mut out, w, node, pod, &rt);
    finish(out, w, node, &rt, Actor::Kubelet(node.into()))
}

/// Interventions that reach a node: kill/OOM a container, `kubectl exec`.
pub fn on_intervention(w: &World, ctx: &Ctx, action: &Action) -> Out {
    let (namespace, pod_name, container) = match action {
        Action::KillContainer { namespace, pod, container, .. } | Action::OomContainer { namespace, pod, container } | Action::Exec { namespace, pod, container, .. } => (namespace, pod, container),
        _ => return Out::none(),
    };
    let key = ObjectKey::new(namespace, pod_name);
    let fail = |msg: String| {
        let mut out = Out::new(Actor::Kubectl, Why::Rejected { message: msg.clone() });
        out.output = Some(format!("{msg}\n"));
        out
    };
    let Some(pod) = w.pods.get(&key) else {
        return fail(format!("Error from server (NotFound): pods \"{pod_name}\" not found"));
    };
    let node = pod.spec.node_name.clone();
    if node.is_empty() {
        return fail(format!("Error from server (BadRequest): pod {pod_name} does not have a host assigned"));
    }
    let container = if container.is_empty() { pod.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default() } else { container.clone() };
    if container_spec(pod, &container).is_none() {
        return fail(format!("Error from server (BadRequest): container {container} is not valid for pod {pod_name}"));
    }
    let Some(rt0) = runtime_of(w, &node, &pod.meta.uid) else {
        return fail(format!("error: unable to upgrade connection: container not found (\"{container}\")"));
    };
    if matches!(action, Action::Exec { .. }) && pod.status.phase.is_terminal() {
        return fail(format!("error: cannot exec into a container in a completed pod; current phase is {}", pod.status.phase.as_str()));
    }
    let Some(inst_id) = rt0.containers.get(&container).and_then(|r| r.running()).map(|i| i.id) else {
        return fail(format!("error: unable to upgrade connection: container not found (\"{container}\")"));
    };
    if node_down(w, &node) {
        return fail(format!("Error from server: error dialing backend: dial tcp {}:10250: connect: no route to host", w.nodes.get(&node).map(|n| n.status.internal_ip.clone()).unwrap_or_default()));
    }
    let mut rt = rt0.clone();
    let mut out = Out::default();
    match action {
        Action::Exec { command, .. } => {
            let r = host::exec(w, ctx, &node, pod, &mut rt, &container, command, 60_000, &mut out);
            out.why = Some(Why::CommandOutput { command: format!("kubectl exec {pod_name} -c {container} -- {}", command.join(" ")) });
            out.actor = Some(Actor::Kubelet(node.as_str().into()));
            let mut text = r.output;
            if r.exit_code != 0 {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&format!("command terminated with exit code {}\n", r.exit_code));
            }
            out.output = Some(text);
        }
        Action::KillContainer { signal, .. } => {
            out.why = Some(Why::Signal { container: container.clone(), signal: format!("SIG{}", signal.name()), effect: "sent by hand".into() });
            out.actor = Some(Actor::Fault);
            let step = if *signal == Signal::Kill { ProgStep::Exited(137) } else { host::signal(w, ctx, &node, pod, &mut rt, &container, *signal, &mut out) };
            apply_step(w, ctx, &node, pod, &mut rt, &mut out, &container, inst_id, step);
        }
        Action::OomContainer { .. } => {
            out.why = Some(Why::Exited { container: container.clone(), exit_code: 137, reason: "OOMKilled".into() });
            out.actor = Some(Actor::Fault);
            apply_step(w, ctx, &node, pod, &mut rt, &mut out, &container, inst_id, ProgStep::Oom);
            out.why = Some(Why::Exited { container: container.clone(), exit_code: 137, reason: "OOMKilled".into() });
        }
        _ => {}
    }
    out.pod = Some(std::sync::Arc::new(key));
    finish(out, w, &node, &rt, Actor::Kubelet(node.as_str().into()))
}

/// The liveness/startup probe decided a restart: kill it with the probe's grace period.
#[allow(clippy::too_many_arguments)]
pub(crate) fn probe_kill(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, out: &mut Out, c: &Container, kind: ProbeKind) {
    let init = pod.spec.init_containers.iter().any(|i| i.name == c.name);
    let restart = init || pod.spec.restart_policy != RestartPolicy::Never;
    let mut msg = format!("{} {} failed {} probe", if init { "Init container" } else { "Container" }, c.name, kind.lower());
    if restart {
        msg.push_str(", will be restarted");
    }
    let probe = match kind {
        ProbeKind::Liveness => c.liveness_probe.as_ref(),
        ProbeKind::Startup => c.startup_probe.as_ref(),
        ProbeKind::Readiness => None,
    };
    let grace = probe.and_then(|p| p.termination_grace_period_seconds).unwrap_or(pod.spec.termination_grace_period_seconds);
    kill_container(w, ctx, node, pod, rt, out, c, msg, grace);
}

pub(crate) fn write_status_pub(out: &mut Out, w: &World, node: &str, pod: &Pod, rt: &PodRuntime) -> bool {
    write_status(out, w, node, pod, rt)
}
