//! Pod status as the kubelet writes it: container statuses from the runtime (A.5), the phase
//! (`getPhase`, A.3, with sticky terminal phases), the five conditions (F) and the QoS class.

use crate::api::{Container, ContainerState, ContainerStatus, Phase, Pod, PodCondition, PodSpec, PodStatus, ProbeKind};
use crate::runtime::{ContainerRt, PodRuntime};
use crate::time::SimTime;

/// Whether the container counts as started (running, and its startup probe passed or it has none).
pub fn is_started(c: &Container, rt: Option<&ContainerRt>) -> bool {
    is_started_with(c.startup_probe.is_some(), rt)
}

/// `is_started` for a container known to have (or not) a startup probe.
pub fn is_started_with(has_startup_probe: bool, rt: Option<&ContainerRt>) -> bool {
    let Some(rt) = rt else { return false };
    let Some(inst) = rt.running() else { return false };
    if !inst.post_start_done {
        return false;
    }
    !has_startup_probe || rt.probes.get(&ProbeKind::Startup).is_some_and(|w| w.instance == inst.id && w.result == Some(true))
}

/// Whether the container is ready (started, running, readiness Success or no readiness probe).
pub fn is_ready(c: &Container, rt: Option<&ContainerRt>) -> bool {
    if !is_started(c, rt) {
        return false;
    }
    let Some(rt) = rt else { return false };
    let Some(inst) = rt.running() else { return false };
    if inst.stopping.is_some() && c.readiness_probe.is_none() {
        return true;
    }
    match &c.readiness_probe {
        None => true,
        Some(_) => rt.probes.get(&ProbeKind::Readiness).is_some_and(|w| w.instance == inst.id && w.result == Some(true)),
    }
}

/// A container's image as its status shows it (normalised) and its imageID (repository and
/// digest). Every status write asks for them and a run has few distinct images, so they are
/// remembered per image text (a memo of a pure function: it changes no result).
fn image_and_id(image: &str) -> (String, String) {
    thread_local! {
        static MEMO: std::cell::RefCell<crate::memo::Memo<String, (String, String), 64>> = const { std::cell::RefCell::new(crate::memo::Memo::new()) };
    }
    let make = |image: &str| {
        let full = crate::runtime::catalog::normalize_image(image);
        let repo = full.split('@').next().unwrap_or(&full).rsplit_once(':').map_or(full.as_str(), |(r, _)| r);
        let id = format!("{repo}@{}", crate::runtime::catalog::digest_of(&full));
        (full, id)
    };
    crate::memo::with(&MEMO, image, str::to_string, make, Clone::clone)
}

fn container_status(pod: &Pod, c: &Container, rt: Option<&ContainerRt>, init: bool, default_reason: &str) -> ContainerStatus {
    let (image, image_id) = image_and_id(&c.image);
    let mut s = ContainerStatus { name: c.name.clone(), image, ..ContainerStatus::default() };
    let Some(rt) = rt else {
        s.state = ContainerState::Waiting { reason: default_reason.into(), message: String::new() };
        s.started = Some(false);
        return s;
    };
    let inst = rt.instance.as_ref();
    if let Some(i) = inst {
        s.container_id = i.container_id.clone();
        s.image_id = image_id;
        s.restart_count = i.restart_count;
    }
    s.last_state = rt.previous.clone().map_or(ContainerState::None, ContainerState::Terminated);
    let running = inst.filter(|i| i.exit.is_none());
    match (running, &rt.waiting, inst.and_then(|i| i.exit.as_ref())) {
        (Some(i), _, _) if i.post_start_done => {
            s.state = ContainerState::Running { started_ms: i.started_ms };
        }
        (Some(_), _, _) => {
            // The postStart hook is still running: the kubelet has not reported the start yet.
            s.state = ContainerState::Waiting { reason: default_reason.into(), message: String::new() };
        }
        (None, Some((reason, message)), exited) => {
            s.state = ContainerState::Waiting { reason: reason.clone(), message: message.clone() };
            if let Some(t) = exited {
                s.last_state = ContainerState::Terminated(t.clone());
            }
        }
        (None, None, Some(t)) => s.state = ContainerState::Terminated(t.clone()),
        (None, None, None) => {
            s.state = ContainerState::Waiting { reason: default_reason.into(), message: String::new() };
        }
    }
    let sidecar = init && PodSpec::is_sidecar(c);
    if init && !sidecar {
        s.ready = matches!(&s.state, ContainerState::Terminated(t) if t.exit_code == 0);
        s.started = Some(matches!(s.state, ContainerState::Running { .. }));
    } else {
        let _ = pod;
        s.started = Some(is_started(c, Some(rt)));
        s.ready = is_ready(c, Some(rt));
    }
    s
}

/// Counts per reference §A.2 and decides the phase per §A.3 (ContainerRestartRules off).
pub fn get_phase(spec: &PodSpec, init: &[ContainerStatus], apps: &[ContainerStatus], pod_is_terminal: bool, pod_has_initialized: bool) -> Phase {
    let (mut pending_init, mut failed_init) = (0, 0);
    let (mut unknown, mut running, mut waiting, mut stopped, mut succeeded, mut pending_sidecar) = (0, 0, 0, 0, 0, 0);
    for (c, s) in spec.init_containers.iter().zip(init) {
        if PodSpec::is_sidecar(c) {
            match (&s.state, &s.last_state) {
                (ContainerState::Running { .. }, _) => {
                    running += 1;
                    if s.started != Some(true) {
                        pending_sidecar += 1;
                    }
                }
                (ContainerState::Terminated(_), _) => {}
                (ContainerState::Waiting { .. }, ContainerState::Terminated(_)) => {}
                (ContainerState::Waiting { .. }, _) => {
                    pending_sidecar += 1;
                    waiting += 1;
                }
                (ContainerState::None, _) => {
                    pending_sidecar += 1;
                    unknown += 1;
                }
            }
            continue;
        }
        match (&s.state, &s.last_state) {
            (ContainerState::Running { .. }, _) | (ContainerState::None, _) => pending_init += 1,
            (ContainerState::Terminated(t), _) => {
                if t.exit_code != 0 {
                    failed_init += 1;
                }
            }
            (ContainerState::Waiting { .. }, ContainerState::Terminated(t)) => {
                if t.exit_code != 0 {
                    failed_init += 1;
                }
            }
            (ContainerState::Waiting { .. }, _) => pending_init += 1,
        }
    }
    for s in apps {
        match (&s.state, &s.last_state) {
            (ContainerState::Running { .. }, _) => running += 1,
            (ContainerState::Terminated(t), _) => {
                stopped += 1;
                if t.exit_code == 0 {
                    succeeded += 1;
                }
            }
            (ContainerState::Waiting { .. }, ContainerState::Terminated(_)) => stopped += 1,
            (ContainerState::Waiting { .. }, _) => waiting += 1,
            (ContainerState::None, _) => unknown += 1,
        }
    }
    if failed_init > 0 && spec.restart_policy == crate::api::RestartPolicy::Never {
        return Phase::Failed;
    }
    if pending_init > 0 || (pending_sidecar > 0 && !pod_has_initialized) {
        return Phase::Pending;
    }
    if waiting > 0 {
        return Phase::Pending;
    }
    if running > 0 && unknown == 0 {
        return Phase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded { Phase::Succeeded } else { Phase::Failed };
        }
        return match spec.restart_policy {
            crate::api::RestartPolicy::Always => Phase::Running,
            _ if stopped == succeeded => Phase::Succeeded,
            crate::api::RestartPolicy::Never => Phase::Failed,
            crate::api::RestartPolicy::OnFailure => Phase::Running,
        };
    }
    Phase::Pending
}

fn go_list(names: &[String]) -> String {
    format!("[{}]", names.join(" "))
}

/// The status the kubelet would write now for `pod` given its runtime record.
pub fn generate(pod: &Pod, rt: &PodRuntime, now: SimTime) -> PodStatus {
    let spec = &pod.spec;
    let default_reason = if spec.init_containers.is_empty() { "ContainerCreating" } else { "PodInitializing" };
    let init: Vec<ContainerStatus> = spec.init_containers.iter().map(|c| container_status(pod, c, rt.container(&c.name), true, default_reason)).collect();
    let apps: Vec<ContainerStatus> = spec.containers.iter().map(|c| container_status(pod, c, rt.container(&c.name), false, default_reason)).collect();
    let has_initialized = spec.containers.iter().any(|c| rt.containers.get(&c.name).is_some_and(|r| r.instance.is_some()));
    let mut phase = get_phase(spec, &init, &apps, rt.finished, has_initialized);
    let old = &pod.status;
    // Terminal phases are sticky (the kubelet never leaves them).
    if old.phase.is_terminal() && !phase.is_terminal() {
        phase = old.phase;
    }
    let mut st = PodStatus {
        phase,
        reason: if phase == old.phase { old.reason.clone() } else { String::new() },
        message: if phase == old.phase { old.message.clone() } else { String::new() },
        host_ip: String::new(),
        pod_ip: rt.ip().unwrap_or_default().to_string(),
        start_ms: rt.start_ms,
        nominated_node_name: String::new(),
        qos_class: if old.qos_class.is_empty() { crate::manifest::qos_class(spec).to_string() } else { old.qos_class.clone() },
        init_container_statuses: init,
        container_statuses: apps,
        conditions: Vec::new(),
    };
    if let Some((reason, message)) = &rt.terminal_reason {
        st.reason = reason.clone();
        st.message = message.clone();
    }
    // Conditions, in the order the kubelet writes them.
    let prev = |kind: &str| old.conditions.iter().find(|c| c.kind == kind);
    let mut set = |c: PodCondition| {
        let mut c = c;
        if let Some(p) = prev(&c.kind) {
            if p.status == c.status {
                c.last_transition_ms = p.last_transition_ms;
            }
        }
        st.conditions.push(c);
    };
    set(PodCondition::new("PodReadyToStartContainers", rt.ip().is_some() && !rt.finished, "", "", now));
    let incomplete: Vec<String> = spec
        .init_containers
        .iter()
        .zip(&st.init_container_statuses)
        .filter(|(c, s)| if PodSpec::is_sidecar(c) { s.started != Some(true) } else { !s.ready })
        .map(|(c, _)| c.name.clone())
        .collect();
    let initialized = incomplete.is_empty() || has_initialized;
    if initialized {
        let reason = if phase == Phase::Succeeded && !spec.init_containers.is_empty() { "PodCompleted" } else { "" };
        set(PodCondition::new("Initialized", true, reason, "", now));
    } else {
        set(PodCondition::new("Initialized", false, "ContainersNotInitialized", &format!("containers with incomplete status: {}", go_list(&incomplete)), now));
    }
    let unready: Vec<String> = spec
        .init_containers
        .iter()
        .zip(&st.init_container_statuses)
        .filter(|(c, s)| PodSpec::is_sidecar(c) && !s.ready)
        .map(|(c, _)| c.name.clone())
        .chain(st.container_statuses.iter().filter(|s| !s.ready).map(|s| s.name.clone()))
        .collect();
    let (ready, reason, message) = if phase == Phase::Failed {
        (false, "PodFailed".to_string(), String::new())
    } else if phase == Phase::Succeeded {
        (false, "PodCompleted".to_string(), String::new())
    } else if unready.is_empty() {
        (true, String::new(), String::new())
    } else {
        (false, "ContainersNotReady".to_string(), format!("containers with unready status: {}", go_list(&unready)))
    };
    let gates_ok = spec.readiness_gates.iter().all(|g| old.conditions.iter().any(|c| &c.kind == g && c.is_true()));
    if ready && !gates_ok {
        let g = spec.readiness_gates.iter().find(|g| !old.conditions.iter().any(|c| &c.kind == *g && c.is_true())).cloned().unwrap_or_default();
        let msg = if old.conditions.iter().any(|c| c.kind == g) {
            format!("the status of pod readiness gate \"{g}\" is not \"True\", but False")
        } else {
            format!("corresponding condition of pod readiness gate \"{g}\" does not exist.")
        };
        set(PodCondition::new("Ready", false, "ReadinessGatesNotReady", &msg, now));
    } else {
        set(PodCondition::new("Ready", ready, &reason, &message, now));
    }
    set(PodCondition::new("ContainersReady", ready, &reason, &message, now));
    set(PodCondition::new("PodScheduled", true, "", "", now));
    // Conditions the kubelet does not own are kept (DisruptionTarget, readiness gates).
    for c in &old.conditions {
        if !["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].contains(&c.kind.as_str()) {
            st.conditions.push(c.clone());
        }
    }
    st
}
