//! The simulation loop: pops the next event, lets the actor it belongs to look at the world and
//! answer with commands, applies those commands (the only place the world is mutated), and
//! records the step — what changed, which Kubernetes events were emitted, and why.

use std::collections::BTreeMap;

use crate::api::{Node, Object, ObjectKey, Pod, Uid};
use crate::durations::Durations;
use crate::event::KubeEvent;
use crate::explain::{Actor, Why};
use crate::queue::{Class, EventQueue};
use crate::rng::Rng;
use crate::runtime::PodRuntime;
use crate::time::SimTime;
use crate::world::{ContainerLog, World};
use crate::{apiserver, kubelet, nodectl, scheduler};

/// Signals, as the shell and the runtime deliver them.
pub use crate::runtime::shell::Signal;

/// An intervention: what a user (or a scenario script) does at a moment.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `kubectl apply -f` / `create -f`: objects to create (or update). Shared: the request
    /// travels from kubectl to the API server as a queued event, and a scenario may hold thousands.
    Apply { objects: std::sync::Arc<[Object]> },
    /// `kubectl delete pod NAME [--grace-period=N] [--force]`.
    DeletePod { namespace: String, name: String, grace_seconds: Option<i64>, force: bool },
    /// `kubectl delete svc|ns|node NAME`.
    DeleteObject { kind: String, namespace: String, name: String },
    /// `kubectl label pod|node NAME k=v k-`.
    Label { kind: String, namespace: String, name: String, set: Vec<(String, String)>, remove: Vec<String>, overwrite: bool },
    /// `kubectl cordon` / `uncordon`.
    Cordon { node: String, unschedulable: bool },
    /// `kubectl drain NODE`: cordon, then evict every pod on it.
    Drain { node: String },
    /// `kubectl taint nodes NODE key=value:Effect[-]`.
    Taint { node: String, key: String, value: String, effect: String, remove: bool },
    /// `kubectl create namespace NAME`.
    CreateNamespace { name: String },
    /// `kubectl config set-context --current --namespace=NAME`.
    SetNamespace { name: String },
    /// Fault: the node's kubelet stops reporting.
    NodeFail { node: String },
    /// Fault: the node comes back.
    NodeRecover { node: String },
    /// Fault: send a signal to a container's main process.
    KillContainer { namespace: String, pod: String, container: String, signal: Signal },
    /// Fault: the container exceeds its memory and is OOM-killed.
    OomContainer { namespace: String, pod: String, container: String },
    /// `kubectl exec POD [-c C] -- CMD…`.
    Exec { namespace: String, pod: String, container: String, command: Vec<String> },
}

/// What happens inside the simulation: a closed set of causes.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A user intervention reaches kubectl.
    Action(Action),
    /// A request sent by kubectl reaches the API server.
    ApiRequest(Action),
    /// The scheduler's watch delivers a new unscheduled pod.
    SchedulerWatch(ObjectKey),
    /// The scheduler runs a cycle for the head of its queue.
    ScheduleCycle,
    /// The binding of a pod to a node reaches the API server.
    Bind { pod: ObjectKey, uid: Uid, node: String },
    /// A kubelet's watch delivers a pod bound to (or deleted on) its node.
    KubeletWatch { node: String, pod: ObjectKey },
    /// The kubelet's pod worker runs a sync of a pod.
    KubeletSync { node: String, uid: Uid },
    /// A runtime operation of a pod finished (sandbox, pull, create/start, hook).
    OpDone { node: String, uid: Uid, op: u64 },
    /// A container instance's timer (process wake-up, preStop end, grace period end).
    ContainerTimer { node: String, uid: Uid, container: String, instance: u64, timer: kubelet::Timer },
    /// A probe worker ticks.
    ProbeTick { target: std::sync::Arc<ProbeTarget>, instance: u64 },
    /// activeDeadlineSeconds reached.
    ActiveDeadline { node: String, uid: Uid },
    /// The node lifecycle controller checks node health.
    NodeMonitor,
    /// The kubelet's final delete (grace 0) of a pod it finished terminating.
    RemoveFinished { pod: ObjectKey, uid: Uid },
    /// The taint eviction controller's timer for a pod on a tainted node.
    TaintEviction { pod: ObjectKey, uid: Uid },
}

/// Which probe worker a tick (or a worker update) is for. Shared: a worker queues its next tick
/// every period, ten thousand pods make that most of a run's events, and cloning an `Arc` copies
/// no name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeTarget {
    /// Shared with every attempt's step (its actor and why).
    pub node: std::sync::Arc<str>,
    pub uid: Uid,
    pub container: std::sync::Arc<str>,
    /// Where the container is in the pod's spec: (an init container (sidecar)?, its index).
    /// A pod's containers never change (the apiserver refuses such updates), so once the tick
    /// has checked the pod's uid this is the container, found without reading its name.
    pub position: (bool, u32),
    pub kind: crate::api::ProbeKind,
    /// The probe itself and whether the container has a startup probe, copied from the spec:
    /// probes cannot change either, and a tick that reads them here reads no spec at all.
    pub probe: crate::api::Probe,
    pub has_startup_probe: bool,
    /// What the probed server's access log line of this probe's request says besides its
    /// status and time, once known (a memo: see `runtime::host::AccessMemo`).
    pub access: crate::runtime::host::AccessMemo,
    /// Where the records the last tick read were (see `kubelet::prober::prefetch_for`).
    pub hints: crate::memo::Hints,
}

/// A change the actors ask for; the loop applies them in order.
#[derive(Clone, Debug)]
pub enum Command {
    /// Create or replace a pod object (spec and status). Shared: a pod is large, and the loop
    /// stores the actor's new version as it is.
    PutPod(std::sync::Arc<Pod>),
    /// Remove a pod object from the API server.
    RemovePod(ObjectKey),
    /// Create or replace a node object.
    PutNode(Box<Node>),
    /// Create or replace any other object.
    PutObject(Box<Object>),
    /// Remove a non-pod object.
    RemoveObject { kind: String, key: ObjectKey },
    /// Replace a pod's runtime state on a node.
    PutRuntime { node: String, runtime: Box<PodRuntime> },
    /// Replace one probe worker's state (a probe tick that changed nothing else).
    PutProbeWorker { target: std::sync::Arc<ProbeTarget>, worker: crate::runtime::ProbeWorker },
    /// Drop a pod's runtime state from a node.
    RemoveRuntime { node: String, uid: Uid },
    /// Replace a node's image cache.
    PutImages { node: String, images: std::collections::BTreeMap<String, i64> },
    /// Record a Kubernetes Event. Boxed: an event is the largest command by far, and every
    /// command of a step (most are small: a log line, a timer) would otherwise take its size.
    Emit(Box<KubeEvent>),
    /// Append lines to a container instance's log.
    /// (`container` is shared: `memo::name`.)
    Log { uid: Uid, container: std::sync::Arc<str>, restart_count: i32, lines: crate::world::LogLines },
    /// Schedule an event after `after_ms` (class Cluster).
    After { after_ms: u64, event: Event },
    /// Change the scheduler's queue.
    Queue(scheduler::QueueOp),
    /// Replace the node controller's state.
    PutNodeHealth(nodectl::NodeHealth),
    /// Set the default namespace of kubectl.
    SetNamespace(String),
    /// Mark a node's kubelet as failed (since a time) or healthy again.
    PutNodeFailed { node: String, since: Option<SimTime> },
}

impl Command {
    /// `Command::Emit` of `event`.
    pub fn emit(event: KubeEvent) -> Command {
        Command::Emit(Box::new(event))
    }
}

/// What changed in a step, for the timeline and the page's highlights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: &'static str,
    pub key: ObjectKey,
    pub op: ChangeOp,
}

/// How an object changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeOp {
    Created,
    Updated,
    Deleted,
}

/// One recorded step of the timeline.
#[derive(Clone, Debug)]
pub struct Step {
    pub index: usize,
    pub time_ms: SimTime,
    pub actor: Actor,
    pub why: Why,
    /// The pod the step is about (for per-pod panels), if any; shared with the pod's runtime
    /// record, so a kubelet step names it without a copy.
    pub pod: Option<std::sync::Arc<ObjectKey>>,
    pub changes: Vec<Change>,
    /// Kubernetes events emitted (or re-counted) in this step, as they stood after it (shared
    /// with the world until a later step re-counts them).
    pub events: Vec<std::sync::Arc<KubeEvent>>,
    /// Text output (kubectl exec, rejected requests) to show in a terminal.
    pub output: Option<String>,
    /// Extra data for panels (the scheduler's per-node verdicts).
    pub detail: Option<StepDetail>,
}

/// Structured data some steps carry.
#[derive(Clone, Debug, PartialEq)]
pub enum StepDetail {
    /// Boxed: an attempt is a few hundred bytes, and every step (and every actor's answer)
    /// carries room for a detail that only scheduling cycles have.
    Scheduling(Box<scheduler::Attempt>),
}

/// What an actor answers for one event.
#[derive(Debug, Default)]
pub struct Out {
    pub actor: Option<Actor>,
    pub why: Option<Why>,
    pub pod: Option<std::sync::Arc<ObjectKey>>,
    pub cmds: Vec<Command>,
    pub output: Option<String>,
    pub detail: Option<StepDetail>,
}

thread_local! {
    /// The last step's command list, emptied, for the next step's actor: most steps issue a few
    /// commands, and a fresh list for each was an allocation per step (a slow one in the wasm
    /// allocator: four commands take 672 bytes). Only its capacity is reused.
    static SPARE_CMDS: std::cell::Cell<Vec<Command>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A list to fill with commands: the spare one if there is one.
fn command_list() -> Vec<Command> {
    let cmds = SPARE_CMDS.take();
    if cmds.capacity() == 0 {
        // A recorded step usually issues a few commands: start with room for them.
        Vec::with_capacity(4)
    } else {
        cmds
    }
}

/// Keeps an applied step's emptied list for the next step (not a long one: that would keep its
/// memory for good).
fn recycle_command_list(mut cmds: Vec<Command>) {
    cmds.clear();
    if cmds.capacity() <= 16 {
        SPARE_CMDS.set(cmds);
    }
}

impl Out {
    pub fn new(actor: Actor, why: Why) -> Out {
        Out { actor: Some(actor), why: Some(why), cmds: command_list(), ..Out::default() }
    }

    /// Nothing to do, nothing recorded (a stale timer).
    pub fn none() -> Out {
        Out::default()
    }

    pub fn with_pod(mut self, key: &ObjectKey) -> Out {
        self.pod = Some(std::sync::Arc::new(key.clone()));
        self
    }

    /// `with_pod` with a key already shared (a runtime record's).
    pub fn with_shared_pod(mut self, key: &std::sync::Arc<ObjectKey>) -> Out {
        self.pod = Some(key.clone());
        self
    }

    pub fn push(&mut self, c: Command) {
        if self.cmds.capacity() == 0 {
            self.cmds = command_list();
        }
        self.cmds.push(c);
    }

    pub fn after(&mut self, after_ms: u64, event: Event) {
        self.push(Command::After { after_ms, event });
    }
}

/// Context the actors read besides the world: the seed and the durations.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub seed: u64,
    pub durations: Durations,
}

impl Ctx {
    /// A duration with seeded jitter, drawn from the stream `name` (stable per purpose).
    /// (`name` is `format_args!(…)`: the stream's name is hashed as it is formatted.)
    pub fn jitter(&self, base_ms: u64, name: std::fmt::Arguments<'_>) -> u64 {
        Rng::stream_args(self.seed, name).jitter(base_ms, self.durations.jitter_pct)
    }
}

/// The whole simulation state: world, pending events, context. Cloning it is a checkpoint.
#[derive(Clone, Debug)]
pub struct Sim {
    pub world: World,
    pub queue: EventQueue<Event>,
    pub ctx: Ctx,
    /// Steps recorded so far (indices are global across a run).
    pub steps_taken: usize,
}

impl Sim {
    /// A simulation of `world` (already holding the cluster) with the given context.
    pub fn new(world: World, ctx: Ctx) -> Sim {
        let mut sim = Sim { world, queue: EventQueue::default(), ctx, steps_taken: 0 };
        let period = sim.ctx.durations.node_monitor_period_ms;
        sim.queue.push(period, Class::Cluster, Event::NodeMonitor);
        sim
    }

    /// Queues a user action at `at`.
    pub fn schedule_action(&mut self, at: SimTime, action: Action) {
        self.queue.push(at, Class::Action, Event::Action(action));
    }

    /// Time of the next pending event.
    pub fn next_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Processes one event. Returns the recorded step, or `None` if the event changed nothing
    /// worth recording (a stale timer) or the queue is empty. `processed` tells which.
    pub fn step(&mut self) -> (bool, Option<Step>) {
        let Some((at, event)) = self.queue.pop() else {
            return (false, None);
        };
        self.world.now_ms = at;
        // The next event is most likely the one queued first now. A probe tick's target was last
        // read a period ago: ask for it while this event runs, so the next step does not start by
        // waiting on memory. (A hint to the CPU only: nothing it does can change a result.)
        if let Some(Event::ProbeTick { target, .. }) = self.queue.peek() {
            crate::memo::prefetch(std::sync::Arc::as_ptr(target), std::mem::size_of::<ProbeTarget>());
        }
        let out = self.dispatch(&event);
        let step = self.apply(out);
        // The target asked for above has arrived by now: ask for the records its tick will read.
        if let Some(Event::ProbeTick { target, .. }) = self.queue.peek() {
            kubelet::prober::prefetch_for(target);
        }
        (true, step)
    }

    fn dispatch(&self, event: &Event) -> Out {
        let w = &self.world;
        let ctx = &self.ctx;
        match event {
            Event::Action(a) => apiserver::on_action(w, ctx, a),
            Event::ApiRequest(a) => apiserver::on_request(w, ctx, a),
            Event::SchedulerWatch(key) => scheduler::on_watch(w, ctx, key),
            Event::ScheduleCycle => scheduler::on_cycle(w, ctx),
            Event::Bind { pod, uid, node } => apiserver::on_bind(w, ctx, pod, uid, node),
            Event::KubeletWatch { node, pod } => kubelet::on_watch(w, ctx, node, pod),
            Event::KubeletSync { node, uid } => kubelet::on_sync(w, ctx, node, uid),
            Event::OpDone { node, uid, op } => kubelet::on_op_done(w, ctx, node, uid, *op),
            Event::ContainerTimer { node, uid, container, instance, timer } => kubelet::on_container_timer(w, ctx, node, uid, container, *instance, *timer),
            Event::ProbeTick { target, instance } => kubelet::prober::on_tick(w, ctx, target, *instance),
            Event::ActiveDeadline { node, uid } => kubelet::on_active_deadline(w, ctx, node, uid),
            Event::NodeMonitor => nodectl::on_monitor(w, ctx),
            Event::RemoveFinished { pod, uid } => apiserver::on_remove_finished(w, pod, uid),
            Event::TaintEviction { pod, uid } => nodectl::on_taint_eviction(w, ctx, pod, uid),
        }
    }

    /// Applies an actor's commands to the world and records the step.
    fn apply(&mut self, out: Out) -> Option<Step> {
        let now = self.world.now_ms;
        let mut changes = ChangeSet::default();
        let mut emitted = Vec::new();
        // Where the last log lines went (a probe tick's target remembers it: `prober::hint`).
        let mut logged: Option<(*const u8, *const u8, *const u8)> = None;
        let mut cmds = out.cmds;
        for cmd in cmds.drain(..) {
            match cmd {
                Command::PutPod(mut pod) => {
                    let key = ObjectKey::new(&pod.meta.namespace, &pod.meta.name);
                    self.world.resource_version += 1;
                    // The actor's new version is its own (unshared): no copy here.
                    std::sync::Arc::make_mut(&mut pod).meta.resource_version = self.world.resource_version;
                    let old = self.world.pods.get(&key).cloned();
                    let op = if old.is_some() { ChangeOp::Updated } else { ChangeOp::Created };
                    // A pod's requests and ports are immutable: its share of the node changes only
                    // when it is bound, finishes, or is replaced by another pod of the same name.
                    let same_share = old.as_deref().is_some_and(|o| o.meta.uid == pod.meta.uid && o.spec.node_name == pod.spec.node_name && counts(o) == counts(&pod));
                    if !same_share {
                        if let Some(o) = &old {
                            unaccount(&mut self.world, o);
                        }
                        account(&mut self.world, &pod);
                    }
                    if pod.spec.node_name.is_empty() && !pod.status.nominated_node_name.is_empty() {
                        self.world.nominated.insert(pod.meta.uid.clone(), key.clone());
                    } else {
                        self.world.nominated.remove(&pod.meta.uid);
                    }
                    // A pod that finished frees its node's resources: unschedulable pods retry.
                    if old.as_deref().is_some_and(|o| !o.status.phase.is_terminal()) && pod.status.phase.is_terminal() {
                        self.world.scheduler.apply(scheduler::QueueOp::ClusterChanged, now);
                    }
                    self.world.pods.insert(key.clone(), pod);
                    changes.push(Change { kind: "Pod", key, op });
                }
                Command::RemovePod(key) => {
                    if let Some(pod) = self.world.pods.remove(&key) {
                        self.world.resource_version += 1;
                        unaccount(&mut self.world, &pod);
                        self.world.nominated.remove(&pod.meta.uid);
                        // The scheduler's queue forgets a deleted pod; the room it held may help others.
                        self.world.scheduler.forget(&pod.meta.uid);
                        self.world.scheduler.apply(scheduler::QueueOp::ClusterChanged, now);
                        changes.push(Change { kind: "Pod", key, op: ChangeOp::Deleted });
                    }
                }
                Command::PutNode(node) => {
                    let mut node = *node;
                    let key = ObjectKey::new("", &node.meta.name);
                    self.world.resource_version += 1;
                    node.meta.resource_version = self.world.resource_version;
                    let old = self.world.nodes.get(&node.meta.name);
                    let op = if old.is_some() { ChangeOp::Updated } else { ChangeOp::Created };
                    // The scheduler's memos are valid only for the nodes they were made from.
                    if old.is_none_or(|o| !scheduler::same_static_shape(o, &node)) {
                        self.world.sched_static = Default::default();
                    }
                    if old.is_none_or(|o| o.status.images != node.status.images) {
                        self.world.image_cache = Default::default();
                    }
                    self.world.node_runtime_mut(&node.meta.name);
                    self.world.nodes.insert(node.meta.name.clone(), node);
                    changes.push(Change { kind: "Node", key, op });
                }
                Command::PutObject(obj) => {
                    let mut obj = *obj;
                    self.world.resource_version += 1;
                    obj.meta_mut().resource_version = self.world.resource_version;
                    let kind = obj.kind();
                    let key = ObjectKey::new(&obj.meta().namespace, &obj.meta().name);
                    let existed = match obj {
                        Object::Pod(p) => {
                            if let Some(o) = self.world.pods.get(&key).cloned() {
                                unaccount(&mut self.world, &o);
                            }
                            account(&mut self.world, &p);
                            self.world.pods.insert(key.clone(), p).is_some()
                        }
                        Object::Node(n) => {
                            self.world.sched_static = Default::default();
                            self.world.image_cache = Default::default();
                            self.world.nodes.insert(key.name.clone(), *n).is_some()
                        }
                        Object::Namespace(n) => self.world.namespaces.insert(key.name.clone(), *n).is_some(),
                        Object::Service(s) => self.world.services.insert(key.clone(), *s).is_some(),
                        Object::PriorityClass(p) => self.world.priority_classes.insert(key.name.clone(), *p).is_some(),
                        Object::ConfigMap(c) => self.world.config_maps.insert(key.clone(), *c).is_some(),
                        Object::Secret(s) => self.world.secrets.insert(key.clone(), *s).is_some(),
                    };
                    changes.push(Change { kind, key, op: if existed { ChangeOp::Updated } else { ChangeOp::Created } });
                }
                Command::RemoveObject { kind, key } => {
                    let removed = match kind.as_str() {
                        "Service" => self.world.services.remove(&key).is_some(),
                        "Namespace" => self.world.namespaces.remove(&key.name).is_some(),
                        "Node" => self.world.nodes.remove(&key.name).is_some(),
                        "ConfigMap" => self.world.config_maps.remove(&key).is_some(),
                        "Secret" => self.world.secrets.remove(&key).is_some(),
                        "PriorityClass" => self.world.priority_classes.remove(&key.name).is_some(),
                        _ => false,
                    };
                    if removed {
                        self.world.resource_version += 1;
                        let kind = match kind.as_str() {
                            "Service" => "Service",
                            "Namespace" => "Namespace",
                            "Node" => "Node",
                            "ConfigMap" => "ConfigMap",
                            "Secret" => "Secret",
                            _ => "PriorityClass",
                        };
                        changes.push(Change { kind, key, op: ChangeOp::Deleted });
                    }
                }
                Command::PutRuntime { node, runtime } => {
                    let key = self.world.node_name(&node);
                    let rt = self.world.runtimes.entry(key).or_default();
                    // hostPath volumes are the node's directories: what the pod wrote lands there.
                    if let Some(pod) = self.world.pods.by_uid(&runtime.uid) {
                        for v in &pod.spec.volumes {
                            if let (crate::api::VolumeSource::HostPath { path }, Some(files)) = (&v.source, runtime.volumes.get(&v.name)) {
                                if crate::runtime::host_subtree(&rt.host_files, path) != **files {
                                    crate::runtime::put_host_subtree(std::sync::Arc::make_mut(&mut rt.host_files), path, files);
                                }
                            }
                        }
                    }
                    rt.pods.insert(runtime.uid.clone(), std::sync::Arc::from(runtime));
                }
                Command::PutProbeWorker { target, worker } => {
                    if let Some((entry, last, tail)) = logged.take() {
                        kubelet::prober::remember_log(&target, entry, last, tail);
                    }
                    if let Some(c) = self.world.runtimes.get_mut(&*target.node).and_then(|r| r.pods.get_mut(&target.uid)).and_then(|p| std::sync::Arc::make_mut(p).containers.get_mut(&*target.container)) {
                        // Written into its slot in the record, in place.
                        c.probes.insert(target.kind, worker);
                    }
                }
                Command::RemoveRuntime { node, uid } => {
                    if let Some(rt) = self.world.runtimes.get_mut(node.as_str()) {
                        rt.pods.remove(&uid);
                    }
                }
                Command::PutImages { node, images } => {
                    self.world.node_runtime_mut(&node).images = images;
                }
                Command::Emit(ev) => {
                    let recorded = record_event(&mut self.world.events, &mut self.world.event_index, *ev);
                    emitted.push(recorded);
                }
                Command::Log { uid, container, restart_count, lines } => {
                    let logs = self.world.logs.entry(uid, container);
                    if logs.last().is_none_or(|l| l.restart_count != restart_count) {
                        logs.push(ContainerLog { restart_count, lines: Vec::new() });
                    }
                    let entry = (&*logs as *const Vec<ContainerLog>).cast::<u8>();
                    if let Some(last) = logs.last_mut() {
                        last.lines.extend(lines.into_iter().map(|l| (now, l)));
                        logged = Some((entry, (&*last as *const ContainerLog).cast::<u8>(), last.lines.as_ptr_range().end.cast::<u8>()));
                    }
                }
                Command::After { after_ms, event } => {
                    self.queue.push(now.saturating_add(after_ms), Class::Cluster, event);
                }
                Command::Queue(op) => self.world.scheduler.apply(op, now),
                Command::PutNodeHealth(h) => self.world.node_health = h,
                Command::SetNamespace(ns) => self.world.current_namespace = ns,
                Command::PutNodeFailed { node, since } => {
                    self.world.node_runtime_mut(&node).failed_since_ms = since;
                }
            }
        }
        recycle_command_list(cmds);
        let changes = changes.finish();
        let nodes_changed: Vec<&str> = changes.iter().filter(|c| c.kind == "Node").map(|c| c.key.name.as_str()).collect();
        if changes.iter().any(|c| c.kind == "Node" && c.op != ChangeOp::Updated) {
            // A node appeared or went: rebuild the per-node caches.
            self.world.refresh_node_caches(None);
        } else if !nodes_changed.is_empty() {
            // Status updates (conditions, images): only those nodes' capacities are re-read.
            self.world.refresh_node_caches(Some(&nodes_changed));
        }
        // The scheduler wakes up whenever it has a pod ready to try.
        if let Some(ready) = self.world.scheduler.wake_at(now, self.ctx.durations.unschedulable_flush_ms) {
            let at = ready.max(now) + self.ctx.jitter(self.ctx.durations.schedule_cycle_ms, format_args!("cycle/{now}"));
            if self.world.scheduler.cycle_at.is_none_or(|c| c > at || c < now) {
                self.world.scheduler.apply(scheduler::QueueOp::CycleAt(at), now);
                self.queue.push(at, Class::Cluster, Event::ScheduleCycle);
            }
        }
        let why = out.why?;
        let step = Step {
            index: self.steps_taken,
            time_ms: now,
            actor: out.actor.unwrap_or(Actor::ApiServer),
            why,
            pod: out.pod,
            changes,
            events: emitted,
            output: out.output,
            detail: out.detail,
        };
        self.steps_taken += 1;
        Some(step)
    }
}

/// The changes of one step, one entry per object: a change to an object the step already
/// changed folds into its first entry (created-then-updated is still a creation,
/// anything-then-deleted a deletion). Small steps fold as they go; a step that touches many
/// objects (applying thousands of documents at once) collects every change and folds them once,
/// by sorting (no per-change index, no copied keys), so recording stays O(n log n).
#[derive(Default)]
struct ChangeSet {
    list: Vec<Change>,
}

impl ChangeSet {
    /// Up to this many entries, a change is folded by searching the list.
    const SEARCH_UP_TO: usize = 16;

    fn push(&mut self, c: Change) {
        if self.list.len() <= Self::SEARCH_UP_TO {
            if let Some(existing) = self.list.iter_mut().find(|x| x.kind == c.kind && x.key == c.key) {
                existing.op = ChangeSet::fold(existing.op, c.op);
                return;
            }
        }
        self.list.push(c);
    }

    /// An object's op after a later change to it in the same step.
    fn fold(earlier: ChangeOp, later: ChangeOp) -> ChangeOp {
        if later == ChangeOp::Deleted || earlier != ChangeOp::Created {
            later
        } else {
            earlier
        }
    }

    /// The list, one entry per object in the order each was first changed.
    fn finish(self) -> Vec<Change> {
        let mut list = self.list;
        if list.len() <= Self::SEARCH_UP_TO {
            return list;
        }
        // Positions grouped by object, each group in the order its changes came.
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_unstable_by(|&a, &b| (list[a].kind, &list[a].key, a).cmp(&(list[b].kind, &list[b].key, b)));
        let mut keep = vec![true; list.len()];
        let mut group = 0;
        while group < order.len() {
            let first = order[group];
            let mut next = group + 1;
            while next < order.len() && list[order[next]].kind == list[first].kind && list[order[next]].key == list[first].key {
                list[first].op = ChangeSet::fold(list[first].op, list[order[next]].op);
                keep[order[next]] = false;
                next += 1;
            }
            group = next;
        }
        let mut at = 0;
        list.retain(|_| {
            at += 1;
            keep[at - 1]
        });
        list
    }
}

#[cfg(test)]
mod change_set_tests {
    use super::*;

    fn change(name: &str, op: ChangeOp) -> Change {
        Change { kind: "Pod", key: ObjectKey::new("default", name), op }
    }

    /// The sorting fold (many changes) gives what the searching fold (few) gives: one entry
    /// per object, in first-change order, created-then-updated a creation, then-deleted a
    /// deletion.
    #[test]
    fn one_entry_per_object_in_first_change_order_at_any_size() {
        for objects in [3usize, 40] {
            let mut set = ChangeSet::default();
            let mut expected = Vec::new();
            for i in 0..objects {
                set.push(change(&format!("p{i:03}"), ChangeOp::Created));
            }
            for i in (0..objects).rev() {
                set.push(change(&format!("p{i:03}"), if i % 3 == 0 { ChangeOp::Deleted } else { ChangeOp::Updated }));
            }
            set.push(change("late", ChangeOp::Updated));
            set.push(change("late", ChangeOp::Created));
            for i in 0..objects {
                expected.push(change(&format!("p{i:03}"), if i % 3 == 0 { ChangeOp::Deleted } else { ChangeOp::Created }));
            }
            expected.push(change("late", ChangeOp::Created));
            assert_eq!(set.finish(), expected, "{objects} objects");
        }
    }
}

/// Whether a pod counts against its node's resources (bound and not finished).
fn counts(pod: &Pod) -> bool {
    !pod.spec.node_name.is_empty() && !pod.status.phase.is_terminal()
}

fn account(w: &mut World, pod: &Pod) {
    if counts(pod) {
        w.usage_mut(&pod.spec.node_name).account(pod, 1);
    }
}

fn unaccount(w: &mut World, pod: &Pod) {
    if counts(pod) {
        w.usage_mut(&pod.spec.node_name).account(pod, -1);
    }
}

/// A hash of the series key, for the index (collisions are resolved by
/// `KubeEvent::same_series`). The keyless `world::FxHasher`: the same in every run (and a word
/// at a time, where SipHash cost more than the rest of recording an event); only lookups depend
/// on it, never the output.
fn series_hash(ev: &KubeEvent) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::world::FxHasher::default();
    (&ev.involved, ev.kind, &ev.reason, &ev.message, &ev.source_host, &ev.source_component).hash(&mut h);
    h.finish()
}

/// Adds an event the way client-go's recorder aggregates: a repeat of the same series bumps its
/// count and last timestamp instead of creating a new Event.
fn record_event(events: &mut Vec<std::sync::Arc<KubeEvent>>, index: &mut BTreeMap<u64, Vec<usize>>, ev: KubeEvent) -> std::sync::Arc<KubeEvent> {
    let slot = index.entry(series_hash(&ev)).or_default();
    if let Some(&i) = slot.iter().find(|&&i| events.get(i).is_some_and(|e| e.same_series(&ev))) {
        // Checkpoints and earlier steps share the event: the update copies it once, leaving
        // theirs as it was.
        let existing = std::sync::Arc::make_mut(&mut events[i]);
        existing.count += 1;
        existing.last_ms = ev.last_ms;
        return events[i].clone();
    }
    slot.push(events.len());
    // The step records the same event the world keeps (shared, not copied).
    let ev = std::sync::Arc::new(ev);
    events.push(ev.clone());
    ev
}
