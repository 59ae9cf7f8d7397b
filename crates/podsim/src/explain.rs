//! Why each step happened: a structured reason per step, and the plain sentence the CLI and the
//! page's narration show. The page may translate the structure itself; `sentence` is English.

use crate::time::go_duration;

/// Who acted in a step.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Actor {
    /// The user (or a script) running a kubectl command.
    Kubectl,
    ApiServer,
    Scheduler,
    /// The kubelet on the named node (shared: a probe's every attempt names it).
    Kubelet(std::sync::Arc<str>),
    /// The container runtime (containerd) on the named node.
    Runtime(std::sync::Arc<str>),
    NodeController,
    TaintEvictionController,
    /// A fault injected by the user (node failure, container kill).
    Fault,
}

impl Actor {
    /// A short label (`kubelet@worker-1`).
    pub fn label(&self) -> String {
        match self {
            Actor::Kubectl => "kubectl".into(),
            Actor::ApiServer => "kube-apiserver".into(),
            Actor::Scheduler => "kube-scheduler".into(),
            Actor::Kubelet(n) => format!("kubelet@{n}"),
            Actor::Runtime(n) => format!("containerd@{n}"),
            Actor::NodeController => "node-lifecycle-controller".into(),
            Actor::TaintEvictionController => "taint-eviction-controller".into(),
            Actor::Fault => "fault".into(),
        }
    }
}

/// The reason for a step, with the facts a sentence needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// kubectl sent a request (`create`, `delete`, …).
    Request { verb: String, what: String },
    /// The API server refused a request.
    Rejected { message: String },
    /// The API server stored an object in etcd.
    Stored { what: String, resource_version: u64 },
    /// A watcher received a change.
    WatchDelivered { watcher: String, what: String },
    /// The scheduler could not place a pod.
    Unschedulable { pod: String, message: String },
    /// The scheduler chose a node.
    Scheduled { pod: String, node: String, feasible: usize, score: i64 },
    /// The scheduler nominated a node and evicts lower-priority victims.
    Preempting { pod: String, node: String, victims: Vec<String> },
    /// The binding was written.
    Bound { pod: String, node: String },
    /// The pod is waiting for a scheduling gate.
    Gated { pod: String },
    /// Sandbox (pause container) requested / ready.
    SandboxCreating { pod: String },
    SandboxReady { pod: String, ip: String },
    /// Image pull started / ended.
    Pulling { container: String, image: String, policy: String },
    ImagePresent { container: String, image: String, policy: String },
    Pulled { container: String, image: String, ms: u64 },
    PullFailed { container: String, image: String, error: String },
    PullBackOff { container: String, image: String, delay_ms: u64 },
    NeverPull { container: String, image: String },
    /// Container lifecycle.
    Creating { container: String, init: bool },
    Started { container: String, restart_count: i32 },
    StartFailed { container: String, error: String },
    Exited { container: String, exit_code: i32, reason: String },
    Restarting { container: String, policy: String, exit_code: i32, delay_ms: u64 },
    CrashLoop { container: String, delay_ms: u64, exit_code: i32 },
    NotRestarted { container: String, policy: String, exit_code: i32 },
    InitDone { container: String, next: Option<String> },
    /// A process slept, woke, logged.
    ProcessProgress { container: String, detail: String },
    /// Probes.
    /// `output` is what a failed attempt produced (empty on success: only failures quote it).
    /// `container` is shared with the probe's target: every attempt is a step.
    ProbeResult { container: std::sync::Arc<str>, probe: &'static str, success: bool, output: String, consecutive: i32, threshold: i32 },
    ProbeThreshold { container: std::sync::Arc<str>, probe: &'static str, success: bool },
    /// Hooks.
    Hook { container: String, hook: String, ok: bool, detail: String },
    /// Termination.
    Killing { container: String, reason: String, grace_seconds: i64 },
    Signal { container: String, signal: String, effect: String },
    GraceExpired { container: String },
    PodFinished { pod: String, phase: String },
    PodRemoved { pod: String },
    DeadlineExceeded { pod: String, seconds: i64 },
    /// Node lifecycle.
    NodeFailed { node: String },
    NodeRecovered { node: String },
    NodeUnknown { node: String },
    Evicting { pod: String, node: String },
    /// A status write with no other story (conditions recomputed).
    StatusSync { pod: String },
    /// Output of `kubectl exec` or another command.
    CommandOutput { command: String },
    /// Another change to an object (label, cordon).
    Updated { what: String, detail: String },
}

impl Why {
    /// One plain English sentence.
    pub fn sentence(&self) -> String {
        match self {
            Why::Request { verb, what } => format!("kubectl sends a {verb} request for {what} to the API server."),
            Why::Rejected { message } => format!("The API server rejects the request: {message}"),
            Why::Stored { what, resource_version } => format!("The API server validates {what} and stores it in etcd (resourceVersion {resource_version})."),
            Why::WatchDelivered { watcher, what } => format!("Through its watch, the {watcher} receives {what}."),
            Why::Unschedulable { pod, message } => format!("The scheduler finds no node for {pod}: {message}"),
            Why::Scheduled { pod, node, feasible, score } => format!("The scheduler picks {node} for {pod}: it passed every filter and scored highest ({score}) of {feasible} feasible node(s)."),
            Why::Preempting { pod, node, victims } => format!("The scheduler nominates {node} for {pod} and evicts lower-priority pods to make room: {}.", victims.join(", ")),
            Why::Bound { pod, node } => format!("The binding of {pod} to {node} is written to the API server."),
            Why::Gated { pod } => format!("{pod} stays out of scheduling until its scheduling gates are removed."),
            Why::SandboxCreating { pod } => format!("The kubelet asks the runtime to create the sandbox of {pod}: the pause container that holds its network namespace."),
            Why::SandboxReady { pod, ip } => format!("The sandbox of {pod} is ready with IP {ip}; containers can now start."),
            Why::Pulling { container, image, policy } => format!("The kubelet pulls {image} for {container} (imagePullPolicy {policy})."),
            Why::ImagePresent { container, image, policy } => format!("{image} is already on the node, so {container} needs no pull (imagePullPolicy {policy})."),
            Why::Pulled { container, image, ms } => format!("{image} for {container} is pulled in {}.", go_duration(*ms)),
            Why::PullFailed { container, image, error } => format!("Pulling {image} for {container} fails: {error}"),
            Why::PullBackOff { container, image, delay_ms } => format!("The kubelet waits {} before pulling {image} for {container} again (image pull back-off).", go_duration(*delay_ms)),
            Why::NeverPull { container, image } => format!("{image} is not on the node and imagePullPolicy Never forbids pulling it, so {container} cannot start."),
            Why::Creating { container, init } => format!("The kubelet creates {} {container}.", if *init { "init container" } else { "container" }),
            Why::Started { container, restart_count } => {
                if *restart_count == 0 {
                    format!("Container {container} starts.")
                } else {
                    format!("Container {container} starts again (restart {restart_count}).")
                }
            }
            Why::StartFailed { container, error } => format!("Container {container} cannot start: {error}"),
            Why::Exited { container, exit_code, reason } => format!("Container {container} exits with code {exit_code} ({reason})."),
            Why::Restarting { container, policy, exit_code, delay_ms } => {
                if *delay_ms == 0 {
                    format!("The kubelet restarts {container} at once because restartPolicy is {policy} and it exited with code {exit_code}; the first restart has no back-off.")
                } else {
                    format!("The kubelet restarts {container} after a {} back-off because restartPolicy is {policy} and it exited with code {exit_code}.", go_duration(*delay_ms))
                }
            }
            Why::CrashLoop { container, delay_ms, exit_code } => format!("{container} exited with code {exit_code} again, so the kubelet waits {} before restarting it (CrashLoopBackOff).", go_duration(*delay_ms)),
            Why::NotRestarted { container, policy, exit_code } => format!("{container} exited with code {exit_code} and restartPolicy {policy} does not restart it."),
            Why::InitDone { container, next } => match next {
                Some(n) => format!("Init container {container} is done, so {n} may start."),
                None => format!("Init container {container} is done; every init step has finished, so the app containers start."),
            },
            Why::ProcessProgress { container, detail } => format!("In {container}: {detail}"),
            Why::ProbeResult { container, probe, success, output, consecutive, threshold } => {
                if *success {
                    format!("The {probe} probe of {container} succeeds ({consecutive}/{threshold}).")
                } else {
                    format!("The {probe} probe of {container} fails ({consecutive}/{threshold}): {output}")
                }
            }
            Why::ProbeThreshold { container, probe, success } => {
                if *success {
                    format!("The {probe} probe of {container} reached its successThreshold: the result is now Success.")
                } else {
                    format!("The {probe} probe of {container} reached its failureThreshold: the result is now Failure.")
                }
            }
            Why::Hook { container, hook, ok, detail } => {
                if *ok {
                    format!("The {hook} hook of {container} completes.")
                } else {
                    format!("The {hook} hook of {container} fails: {detail}")
                }
            }
            Why::Killing { container, reason, grace_seconds } => format!("The kubelet stops {container} ({reason}) with a {grace_seconds}s grace period."),
            Why::Signal { container, signal, effect } => format!("{signal} reaches {container}: {effect}"),
            Why::GraceExpired { container } => format!("The grace period of {container} ran out: the runtime sends SIGKILL."),
            Why::PodFinished { pod, phase } => format!("Every container of {pod} has stopped: its phase is {phase}."),
            Why::PodRemoved { pod } => format!("{pod} is removed from the API server."),
            Why::DeadlineExceeded { pod, seconds } => format!("{pod} ran longer than activeDeadlineSeconds ({seconds}s): the kubelet fails it."),
            Why::NodeFailed { node } => format!("Node {node} fails: its kubelet stops reporting."),
            Why::NodeRecovered { node } => format!("Node {node} recovers: its kubelet reports again."),
            Why::NodeUnknown { node } => format!("{node} has not reported for the grace period: the node controller marks it Unknown and taints it unreachable."),
            Why::Evicting { pod, node } => format!("{pod} does not tolerate the taints of {node} any longer: the taint eviction controller deletes it."),
            Why::StatusSync { pod } => format!("The kubelet updates the status of {pod}."),
            Why::CommandOutput { command } => format!("Ran `{command}`."),
            Why::Updated { what, detail } => format!("{what}: {detail}"),
        }
    }
}
