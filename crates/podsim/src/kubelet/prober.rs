//! Probe workers (kubelet prober/worker.go): one per container and probe type, ticking every
//! periodSeconds from the moment the kubelet adds the pod. Initial results, initial delay,
//! startup gating, consecutive-result thresholds, the hold after a liveness/startup kill, and the
//! `Unhealthy` / `ProbeWarning` events — every attempt a recorded step.

use std::sync::Arc;

use crate::api::{Container, Pod, PodSpec, ProbeKind};
use crate::event::EventType;
use crate::explain::{Actor, Why};
use crate::runtime::{PodRuntime, ProbeWorker};
use crate::sim::{Command, Ctx, Event, Out, ProbeTarget};
use crate::world::World;

fn probe_of(c: &Container, kind: ProbeKind) -> Option<&crate::api::Probe> {
    match kind {
        ProbeKind::Startup => c.startup_probe.as_ref(),
        ProbeKind::Liveness => c.liveness_probe.as_ref(),
        ProbeKind::Readiness => c.readiness_probe.as_ref(),
    }
}

/// Starts the workers of a pod the kubelet just added: the first tick right away.
pub fn schedule_workers(out: &mut Out, w: &World, ctx: &Ctx, node: &str, pod: &Pod) {
    // The node's name as the runtimes map keeps it: every tick looks it up there.
    let node = w.node_name(node);
    // Containers that may have probes: sidecars (init containers that keep running), then app
    // containers.
    let sidecars = pod.spec.init_containers.iter().enumerate().filter(|(_, c)| PodSpec::is_sidecar(c)).map(|(i, c)| ((true, i as u32), c));
    let apps = pod.spec.containers.iter().enumerate().map(|(i, c)| ((false, i as u32), c));
    for (position, c) in sidecars.chain(apps) {
        for kind in [ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness] {
            if let Some(probe) = probe_of(c, kind) {
                let target = ProbeTarget { node: node.clone(), uid: pod.meta.uid.clone(), container: c.name.as_str().into(), position, kind, probe: probe.clone(), has_startup_probe: c.startup_probe.is_some(), access: Default::default(), hints: Default::default() };
                out.after(ctx.durations.kubelet_sync_ms, Event::ProbeTick { target: Arc::new(target), instance: 0 });
            }
        }
    }
}

/// The records a tick reads, in the order it finds them (`ProbeTarget::hints` slots), and how
/// many bytes of each it may read.
mod hint {
    pub const RT_ENTRY: usize = 0;
    pub const RT: usize = 1;
    pub const CRT_ENTRY: usize = 2;
    pub const CRT_NAME: usize = 3;
    pub const CRT: usize = 4;
    pub const WORKER_ENTRY: usize = 5;
    pub const PROGRAM: usize = 6;
    pub const SERVERS: usize = 7;
    pub const POD_ENTRY: usize = 8;
    pub const POD: usize = 9;
    /// The log store's entry of the container, and the end of its current instance's lines
    /// (where the tick's access line goes): written by the loop, which appends it.
    pub const LOG_ENTRY: usize = 10;
    pub const LOG_LAST: usize = 11;
    pub const LOG_TAIL: usize = 12;
    pub const BYTES: [usize; crate::memo::Hints::SLOTS] = [
        64,
        std::mem::size_of::<crate::runtime::PodRuntime>(),
        64,
        64,
        std::mem::size_of::<crate::runtime::ContainerRt>(),
        64,
        std::mem::size_of::<crate::runtime::host::Program>(),
        128,
        64,
        std::mem::size_of::<crate::api::Pod>(),
        128,
        64,
        64,
    ];
}

/// Remembers where the log lines of `target`'s container went this step (see `hint`).
pub fn remember_log(target: &ProbeTarget, entry: *const u8, last: *const u8, tail: *const u8) {
    let hints = &target.hints;
    // The entry's key comes before it in the table: both are read.
    hints.remember(hint::LOG_ENTRY, entry.wrapping_sub(64));
    hints.remember(hint::LOG_LAST, last);
    hints.remember(hint::LOG_TAIL, tail);
}

/// Asks the CPU for the records `target`'s next tick will read (where they were last time), so
/// they arrive together instead of one after another. A hint only: see `memo::prefetch`.
pub fn prefetch_for(target: &ProbeTarget) {
    target.hints.prefetch_all(&hint::BYTES);
}

/// A new container instance: every worker starts over with its initial result.
pub fn reset_for_instance(rt: &mut PodRuntime, c: &Container, instance: u64) {
    let Some(crt) = rt.containers.get_mut(&c.name) else { return };
    crt.probes.clear();
    for kind in [ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness] {
        if probe_of(c, kind).is_some() {
            let result = match kind {
                ProbeKind::Readiness => Some(false),
                ProbeKind::Liveness => Some(true),
                ProbeKind::Startup => None,
            };
            crt.probes.insert(kind, ProbeWorker { result, last: None, run: 0, on_hold: false, instance });
        }
    }
}

/// One worker tick (doProbe).
pub fn on_tick(w: &World, ctx: &Ctx, target: &Arc<ProbeTarget>, instance: u64) -> Out {
    let (node, uid, container, kind) = (&*target.node, target.uid.as_str(), &*target.container, target.kind);
    let Some(node_rt) = w.runtimes.get(node) else { return Out::none() };
    let Some(rt0) = node_rt.pods.get(uid) else { return Out::none() };
    let Some(pod) = w.pods.by_uid(uid) else { return Out::none() };
    let hints = &target.hints;
    hints.remember(hint::RT_ENTRY, rt0);
    hints.remember(hint::RT, std::sync::Arc::as_ptr(rt0));
    hints.remember(hint::POD_ENTRY, pod);
    hints.remember(hint::POD, std::sync::Arc::as_ptr(pod));
    // The container's spec is read only when the attempt changes something (below).
    let (init, index) = target.position;
    let container_spec = || {
        let c = (if init { &pod.spec.init_containers } else { &pod.spec.containers }).get(index as usize);
        debug_assert!(c.is_some_and(|c| c.name == container && probe_of(c, kind) == Some(&target.probe)), "a probe target names its container and probe");
        c
    };
    debug_assert!(container_spec().is_some());
    let probe = &target.probe;
    // The worker stops with a terminal phase.
    if pod.status.phase.is_terminal() || rt0.finished {
        return Out::none();
    }
    let mut out = Out::none();
    out.after(crate::time::seconds_ms(i64::from(probe.period_seconds).max(1)), Event::ProbeTick { target: target.clone(), instance });
    if node_rt.failed_since_ms.is_some() {
        return out;
    }
    let now = w.now_ms;
    let Some((name, crt)) = rt0.containers.get_key_value(container) else { return out };
    hints.remember(hint::CRT_ENTRY, crt);
    hints.remember(hint::CRT_NAME, name.as_ptr());
    hints.remember(hint::CRT, &**crt);
    let Some(inst) = crt.instance.as_ref() else { return out };
    if let Some(program) = &inst.process {
        hints.remember(hint::PROGRAM, std::sync::Arc::as_ptr(program));
        hints.remember(hint::SERVERS, program.servers.as_ptr());
    }
    let Some(worker) = crt.probes.get(&kind) else { return out };
    hints.remember(hint::WORKER_ENTRY, worker);
    if worker.instance != inst.id || worker.on_hold {
        return out;
    }
    // Container not running (or its postStart still runs, so the kubelet has not reported it).
    if inst.exit.is_some() || !inst.post_start_done {
        if inst.exit.is_some() && worker.result != Some(false) {
            let worker = ProbeWorker { result: Some(false), ..worker.clone() };
            out.push(Command::PutProbeWorker { target: target.clone(), worker });
        }
        return out;
    }
    // Graceful shutdown: liveness and startup report Success and stop; readiness goes on.
    if pod.meta.deletion_ms.is_some() && kind != ProbeKind::Readiness {
        return Out::none();
    }
    let since_start_s = (now.saturating_sub(inst.started_ms) / 1000) as i64;
    if since_start_s < i64::from(probe.initial_delay_seconds) {
        return out;
    }
    let started = super::status::is_started_with(target.has_startup_probe, Some(crt));
    if (kind == ProbeKind::Startup) == started {
        return out;
    }
    // A recorded attempt from here on; the next tick already queued moves along.
    let mut out = Out { actor: Some(Actor::Kubelet(target.node.clone())), why: Some(Why::StatusSync { pod: String::new() }), cmds: std::mem::take(&mut out.cmds), ..Out::default() }.with_shared_pod(&rt0.key);
    // A network probe only looks at the pod, so it runs on the record as it is; an exec probe
    // runs a program in the container (which may write files), so it works on a copy.
    let mut copied: Option<PodRuntime> = None;
    let result = match crate::runtime::host::probe_network(w, ctx, pod, rt0, container, probe, &target.access, &mut out) {
        Some(r) => r,
        None => {
            let mut rt = PodRuntime::clone(rt0);
            let r = crate::runtime::host::probe(w, ctx, node, pod, &mut rt, container, probe, &mut out);
            copied = Some(rt);
            r
        }
    };
    // Thresholds: the stored result changes only after enough identical results in a row.
    let mut wk = worker.clone();
    let (consecutive, threshold, stored_changed, new_result) = {
        let wk = &mut wk;
        if wk.last == Some(result.success) {
            wk.run += 1;
        } else {
            wk.last = Some(result.success);
            wk.run = 1;
        }
        let threshold = if result.success { probe.success_threshold } else { probe.failure_threshold };
        let mut changed = false;
        if wk.run >= threshold {
            changed = wk.result != Some(result.success);
            wk.result = Some(result.success);
            if !result.success && kind != ProbeKind::Readiness {
                wk.on_hold = true;
                wk.run = 0;
                changed = true;
            }
        }
        (if result.success { wk.run } else { wk.run.max(if changed && !result.success && kind != ProbeKind::Readiness { threshold } else { 0 }) }, threshold, changed, wk.result)
    };
    out.why = Some(Why::ProbeResult { container: target.container.clone(), probe: kind.lower(), success: result.success, output: if result.success { String::new() } else { result.output.clone() }, consecutive, threshold });
    let ev = |kind_: EventType, reason: &str, msg: String| {
        let fp = if init { format!("spec.initContainers{{{container}}}") } else { format!("spec.containers{{{container}}}") };
        Command::emit(crate::event::KubeEvent::new(kind_, reason, msg, crate::apiserver::pod_ref(pod, &fp), "kubelet", node, now))
    };
    if !result.success {
        out.push(ev(EventType::Warning, "Unhealthy", format!("{} probe failed: {}", kind.title(), result.output)));
    } else if result.warning {
        out.push(ev(EventType::Warning, "ProbeWarning", format!("{} probe warning: {}", kind.title(), result.output)));
    }
    // The pod's status depends on the probe only through its stored result: an attempt that
    // left it as it was (the usual ready-and-still-ready tick) changes the worker alone.
    if !stored_changed && copied.is_none() {
        out.push(Command::PutProbeWorker { target: target.clone(), worker: wk });
        return out;
    }
    let mut rt = copied.unwrap_or_else(|| PodRuntime::clone(rt0));
    if let Some(slot) = rt.containers.get_mut(container).and_then(|r| r.probes.get_mut(&kind)) {
        *slot = wk;
    }
    if stored_changed {
        if new_result == Some(false) && kind != ProbeKind::Readiness {
            if let Some(c) = container_spec() {
                super::probe_kill(w, ctx, node, pod, &mut rt, &mut out, c, kind);
            }
        }
        if new_result == Some(true) && kind == ProbeKind::Startup {
            // Started: liveness/readiness begin, and a sidecar unblocks the next init entry.
            out.after(1, Event::KubeletSync { node: node.into(), uid: uid.into() });
        }
        super::write_status_pub(&mut out, w, node, pod, &rt);
    }
    out.push(Command::PutRuntime { node: node.into(), runtime: Box::new(rt) });
    out
}
