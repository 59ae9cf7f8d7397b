//! The cluster view: the API server and the scheduling queue as places pods pass through, then
//! one box per node (name, labels on hover, taints, Ready/NotReady, cpu/memory/pods allocation
//! bars) holding its pods. Each pod shows kubectl's STATUS, READY and RESTARTS, its containers as
//! chips (a colour *and* an icon and a word for each state), a probe pulse when the current step
//! probes it, and the CrashLoopBackOff countdown. Clicking a pod selects it for the panels.
//!
//! Pods are keyed elements (`<For>` by uid). When a pod changes place (queued → bound), its new
//! element starts where the old one was and glides over with a CSS transition (the FLIP technique:
//! positions are recorded after each move, the new element is offset back, then released). Under
//! `prefers-reduced-motion: reduce` the CSS turns transitions off and nothing is offset. The
//! status text is always on screen, so no motion carries meaning on its own.
//!
//! The view model (`cluster_view`, `chip_of`, `backoff_left_ms`, …) is pure and tested natively.
//! The component keeps it as one signal per pod, node and place (`ClusterStore`), set only when
//! that part changed, so a step redraws the cards it changed and no others.

use std::collections::BTreeMap;

use leptos::html;
use leptos::prelude::*;
use podsim::api::{ContainerState, ContainerStatus, Node, ObjectKey, Pod};
use podsim::explain::Why;
use podsim::printers::{pod_columns, Clock};
use podsim::time::SimTime;
use podsim::world::World;
use wasm_bindgen::JsCast;

use crate::i18n::{t, Strings};
use crate::icons::{Glyph, Icon};
use crate::state::sim::use_sim_state;

/// Where a pod is drawn.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// Stored by the API server, not yet seen by the scheduler.
    ApiServer,
    /// In the scheduler's queue (or being bound).
    Queue,
    /// Bound to this node.
    Node(String),
}

/// How a container chip is coloured. Every tone also has its own icon and words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChipTone {
    /// No state yet.
    Pending,
    /// Waiting for an ordinary reason (ContainerCreating, PodInitializing).
    Waiting,
    /// Waiting because something went wrong (CrashLoopBackOff, ErrImagePull, …).
    Error,
    /// Running but not ready (or not started yet by its startup probe).
    Running,
    /// Running and ready.
    Ready,
    /// Terminated with exit code 0.
    Done,
    /// Terminated with a non-zero exit code (Error, OOMKilled, …).
    Failed,
}

impl ChipTone {
    #[must_use]
    pub fn class(self) -> &'static str {
        match self {
            ChipTone::Pending => "pending",
            ChipTone::Waiting => "waiting",
            ChipTone::Error => "error",
            ChipTone::Running => "running",
            ChipTone::Ready => "ready",
            ChipTone::Done => "done",
            ChipTone::Failed => "failed",
        }
    }

    /// The icon that says the same as the colour.
    #[must_use]
    pub fn glyph(self) -> Glyph {
        match self {
            ChipTone::Pending => Glyph::DotSmall,
            ChipTone::Waiting => Glyph::Ellipsis,
            ChipTone::Error => Glyph::Alert,
            ChipTone::Running => Glyph::Circle,
            ChipTone::Ready => Glyph::Check,
            ChipTone::Done => Glyph::Square,
            ChipTone::Failed => Glyph::Cross,
        }
    }
}

/// One container, as a chip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chip {
    pub name: String,
    pub init: bool,
    pub tone: ChipTone,
    /// An icon that says the same as the colour (a check, a ring, an alert, …).
    pub glyph: Glyph,
    /// The state in words: `Running, ready`, `CrashLoopBackOff`, `Completed (exit 0)`, …
    pub label: String,
    /// The probe the current step ran on this container (`liveness probe passed`) and whether
    /// it passed, if any.
    pub probe: Option<(String, bool)>,
}

/// Waiting reasons that mean trouble (shown in the error tone).
const ERROR_REASONS: [&str; 10] = [
    "CrashLoopBackOff",
    "ErrImagePull",
    "ImagePullBackOff",
    "ErrImageNeverPull",
    "InvalidImageName",
    "CreateContainerError",
    "CreateContainerConfigError",
    "RunContainerError",
    "PreStartHookError",
    "PostStartHookError",
];

/// The chip of a container status, in the words of `t`. Waiting and terminated reasons are
/// Kubernetes' own words and stay as the core reports them.
#[must_use]
pub fn chip_of(cs: &ContainerStatus, t: &Strings) -> Chip {
    let (tone, label) = match &cs.state {
        ContainerState::None => (ChipTone::Pending, t.chip_not_created.to_string()),
        ContainerState::Waiting { reason, .. } => {
            let label = if reason.is_empty() { "Waiting".to_string() } else { reason.clone() };
            if ERROR_REASONS.contains(&reason.as_str()) {
                (ChipTone::Error, label)
            } else {
                (ChipTone::Waiting, label)
            }
        }
        ContainerState::Running { .. } if cs.ready => (ChipTone::Ready, t.chip_running_ready.to_string()),
        ContainerState::Running { .. } if cs.started == Some(false) => (ChipTone::Running, t.chip_running_starting.to_string()),
        ContainerState::Running { .. } => (ChipTone::Running, t.chip_running_not_ready.to_string()),
        ContainerState::Terminated(x) if x.exit_code == 0 => {
            let reason = if x.reason.is_empty() { "Completed" } else { x.reason.as_str() };
            (ChipTone::Done, (t.exited_with)(reason, 0))
        }
        ContainerState::Terminated(x) => {
            let reason = if x.reason.is_empty() { "Error" } else { x.reason.as_str() };
            (ChipTone::Failed, (t.exited_with)(reason, x.exit_code))
        }
    };
    Chip { name: cs.name.clone(), init: false, tone, glyph: tone.glyph(), label, probe: None }
}

/// The back-off delay in a CrashLoopBackOff waiting message (`back-off 40s restarting failed …`).
#[must_use]
pub fn backoff_delay_ms(message: &str) -> Option<SimTime> {
    let rest = message.strip_prefix("back-off ")?;
    let text = rest.split_whitespace().next()?;
    parse_go_duration(text)
}

/// Parses the Go durations the kubelet prints (`10s`, `1m20s`, `5m0s`, `1.5s`, `1h0m0s`).
#[must_use]
pub fn parse_go_duration(text: &str) -> Option<SimTime> {
    let mut total = 0.0_f64;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            1.0
        } else {
            match c {
                'h' => 3_600_000.0,
                'm' => 60_000.0,
                's' => 1_000.0,
                _ => return None,
            }
        };
        let value: f64 = number.parse().ok()?;
        total += value * unit;
        number.clear();
        any = true;
    }
    (any && number.is_empty() && total.is_finite()).then(|| total.round() as SimTime)
}

/// How long until a container in CrashLoopBackOff is restarted, at virtual time `now`: the
/// back-off in its waiting message, counted from when its last run finished.
#[must_use]
pub fn backoff_left_ms(cs: &ContainerStatus, now: SimTime) -> Option<SimTime> {
    let ContainerState::Waiting { reason, message } = &cs.state else { return None };
    if reason != "CrashLoopBackOff" {
        return None;
    }
    let delay = backoff_delay_ms(message)?;
    let finished = cs.last_state.terminated()?.finished_ms;
    Some(finished.saturating_add(delay).saturating_sub(now))
}

/// Everything the view shows about one pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub uid: String,
    pub key: ObjectKey,
    pub place: Place,
    /// kubectl's STATUS, READY and RESTARTS columns.
    pub status: String,
    pub ready: String,
    pub restarts: String,
    /// The overall tone (drives the pod's border colour; the STATUS text says the same).
    pub tone: ChipTone,
    pub chips: Vec<Chip>,
    /// `app restarts in 23s` while a container waits out its CrashLoopBackOff.
    pub backoff: Option<String>,
    /// Whether the current step probes this pod.
    pub probed: bool,
}

impl PodView {
    /// The stable test id: `pod-<namespace>-<name>`.
    #[must_use]
    pub fn test_id(&self) -> String {
        format!("pod-{}-{}", self.key.namespace, self.key.name)
    }
}

/// One allocation bar of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// `cpu`, `memory`, `pods`.
    pub resource: &'static str,
    /// Requested share of allocatable, 0–100 (may exceed 100 on an overcommitted node).
    pub percent: u32,
    /// `350m / 4`, `192Mi / 8Gi`, `3 / 110`.
    pub text: String,
}

/// Everything the view shows about one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// `Ready`, `NotReady`, `Ready,SchedulingDisabled`, as `kubectl get nodes` prints it.
    pub status: String,
    pub ready: bool,
    /// `key=value` lines (shown on hover).
    pub labels: String,
    /// `key=value:Effect`.
    pub taints: Vec<String>,
    pub bars: Vec<Bar>,
}

/// The whole view at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterView {
    pub nodes: Vec<NodeView>,
    /// By uid (the `<For>` key).
    pub pods: BTreeMap<String, PodView>,
}

impl ClusterView {
    /// The uids of the pods at `place`, in name order.
    #[must_use]
    pub fn uids_at(&self, place: &Place) -> Vec<String> {
        let mut at: Vec<&PodView> = self.pods.values().filter(|p| &p.place == place).collect();
        at.sort_by(|a, b| a.key.cmp(&b.key));
        at.into_iter().map(|p| p.uid.clone()).collect()
    }
}

fn node_status(node: &Node) -> (String, bool) {
    let ready = node.status.conditions.iter().find(|c| c.kind == "Ready");
    let mut status = match ready {
        Some(c) if c.status == "True" => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if node.spec.unschedulable {
        status.push_str(",SchedulingDisabled");
    }
    (status, ready.is_some_and(|c| c.status == "True"))
}

/// `350m` or `1.5` cores (from millicores).
#[must_use]
pub fn cpu_text(milli: i64) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else if milli < 1000 {
        format!("{milli}m")
    } else {
        format!("{:.1}", milli as f64 / 1000.0)
    }
}

/// `192Mi`, `8Gi`, `1.5Gi` (from bytes).
#[must_use]
pub fn memory_text(bytes: i64) -> String {
    const GI: i64 = 1 << 30;
    const MI: i64 = 1 << 20;
    if bytes >= GI {
        if bytes % GI == 0 {
            format!("{}Gi", bytes / GI)
        } else {
            format!("{:.1}Gi", bytes as f64 / GI as f64)
        }
    } else if bytes >= MI || bytes == 0 {
        format!("{}Mi", bytes / MI)
    } else {
        format!("{}Ki", bytes / 1024)
    }
}

fn percent(used: i64, total: i64) -> u32 {
    if total <= 0 {
        return if used > 0 { 100 } else { 0 };
    }
    u32::try_from((used.max(0) as i128 * 100 / total as i128).min(999)).unwrap_or(999)
}

fn node_view(node: &Node, pods: &[&Pod]) -> NodeView {
    let (status, ready) = node_status(node);
    let mut cpu = 0_i64;
    let mut memory = 0_i64;
    let mut count = 0_i64;
    for pod in pods.iter().filter(|p| !p.status.phase.is_terminal()) {
        let requests = podsim::resources::pod_requests(&pod.spec, false);
        cpu = cpu.saturating_add(requests.get("cpu").copied().unwrap_or(0));
        memory = memory.saturating_add(requests.get("memory").copied().unwrap_or(0));
        count += 1;
    }
    let allocatable = |r: &str| node.status.allocatable.get(r).map_or(0, |q| q.milli);
    let (cpu_total, memory_total, pods_total) = (allocatable("cpu"), allocatable("memory"), allocatable("pods"));
    let bars = vec![
        Bar { resource: "cpu", percent: percent(cpu, cpu_total), text: format!("{} / {}", cpu_text(cpu), cpu_text(cpu_total)) },
        Bar {
            resource: "memory",
            percent: percent(memory, memory_total),
            text: format!("{} / {}", memory_text(memory / 1000), memory_text(memory_total / 1000)),
        },
        Bar { resource: "pods", percent: percent(count * 1000, pods_total), text: format!("{count} / {}", pods_total / 1000) },
    ];
    NodeView {
        name: node.meta.name.clone(),
        status,
        ready,
        labels: node.meta.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n"),
        taints: node
            .spec
            .taints
            .iter()
            .map(|t| if t.value.is_empty() { format!("{}:{}", t.key, t.effect) } else { format!("{}={}:{}", t.key, t.value, t.effect) })
            .collect(),
        bars,
    }
}

/// The pod's overall tone from its STATUS text.
fn pod_tone(status: &str) -> ChipTone {
    match status {
        "Running" => ChipTone::Ready,
        "Completed" | "Succeeded" => ChipTone::Done,
        "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating" => ChipTone::Waiting,
        s if s.starts_with("Init:") && !s.contains("Error") && !s.contains("BackOff") && !s.contains("Err") => ChipTone::Waiting,
        "NotReady" => ChipTone::Running,
        _ => ChipTone::Error,
    }
}

/// The probe a step ran, as (pod, container, probe, success).
fn probe_of(why: &Why) -> Option<(&str, &str, bool)> {
    match why {
        Why::ProbeResult { container, probe, success, .. } | Why::ProbeThreshold { container, probe, success } => {
            Some((&**container, *probe, *success))
        }
        _ => None,
    }
}

/// The view of `world` at virtual time `now`, with `current` the step the cursor shows, in the
/// words of `t`.
#[must_use]
pub fn cluster_view(world: &World, now: SimTime, current: Option<&podsim::Step>, t: &Strings) -> ClusterView {
    let clock = Clock::at(world, now);
    let queued: std::collections::BTreeSet<&str> = world
        .scheduler
        .pods()
        .map(|q| q.uid.as_str())
        .chain(world.scheduler.assumed.keys().map(|u| u.as_str()))
        .collect();
    let probe = current.and_then(|s| Some((s.pod.as_deref()?, probe_of(&s.why)?)));
    let mut by_node: BTreeMap<&str, Vec<&Pod>> = BTreeMap::new();
    let mut pods = BTreeMap::new();
    for (key, pod) in &world.pods {
        let place = if !pod.spec.node_name.is_empty() {
            by_node.entry(pod.spec.node_name.as_str()).or_default().push(pod);
            Place::Node(pod.spec.node_name.clone())
        } else if queued.contains(pod.meta.uid.as_str()) || !pod.status.nominated_node_name.is_empty() {
            Place::Queue
        } else {
            Place::ApiServer
        };
        let cols = pod_columns(pod, &clock);
        let probed = probe.filter(|(k, _)| *k == key);
        let mut chips = Vec::new();
        let mut backoff = None;
        for (init, specs, statuses) in [
            (true, &pod.spec.init_containers, &pod.status.init_container_statuses),
            (false, &pod.spec.containers, &pod.status.container_statuses),
        ] {
            for c in specs {
                let mut chip = match statuses.iter().find(|s| s.name == c.name) {
                    Some(cs) => {
                        if let Some(left) = backoff_left_ms(cs, now) {
                            backoff.get_or_insert_with(|| (t.restarts_in)(&cs.name, &podsim::time::clock(left.div_ceil(1000) * 1000)));
                        }
                        chip_of(cs, t)
                    }
                    None => Chip {
                        name: c.name.clone(),
                        init,
                        tone: ChipTone::Pending,
                        glyph: ChipTone::Pending.glyph(),
                        label: t.chip_not_created.to_string(),
                        probe: None,
                    },
                };
                chip.init = init;
                if let Some((_, (container, probe, ok))) = probed {
                    if container == c.name {
                        let text = if ok { (t.probe_passed)(probe) } else { (t.probe_failed)(probe) };
                        chip.probe = Some((text, ok));
                    }
                }
                chips.push(chip);
            }
        }
        pods.insert(
            pod.meta.uid.to_string(),
            PodView {
                uid: pod.meta.uid.to_string(),
                key: key.clone(),
                place,
                tone: pod_tone(&cols.status),
                status: cols.status,
                ready: cols.ready,
                restarts: cols.restarts,
                chips,
                backoff,
                probed: probed.is_some(),
            },
        );
    }
    let nodes = world
        .nodes
        .values()
        .map(|n| node_view(n, by_node.get(n.meta.name.as_str()).map_or(&[][..], Vec::as_slice)))
        .collect();
    ClusterView { nodes, pods }
}

/// Whether the user asked for less motion.
fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Last known positions of the pod elements (relative to the stage), by uid: where a pod that
/// changes place starts its glide from.
type Positions = StoredValue<BTreeMap<String, (f64, f64)>, LocalStorage>;

fn position_of(el: &web_sys::HtmlElement) -> (f64, f64) {
    (f64::from(el.offset_left()), f64::from(el.offset_top()))
}

/// More pods than this changing place at once (a scrub across the run) just snap into place:
/// dozens of simultaneous glides say nothing and cost frames.
const MAX_GLIDES: usize = 40;

/// Where every pod element is drawn now, by uid (one layout for all of them).
fn measure_positions(stage: &web_sys::HtmlElement) -> BTreeMap<String, (web_sys::HtmlElement, (f64, f64))> {
    let mut map = BTreeMap::new();
    let Ok(list) = stage.query_selector_all("[data-uid]") else { return map };
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            if let Some(uid) = el.get_attribute("data-uid") {
                let at = position_of(&el);
                map.insert(uid, (el, at));
            }
        }
    }
    map
}

/// The FLIP step, for every pod at once: each pod that is now drawn somewhere else than before
/// starts at its old place (an inverse translate) and the CSS transition on `transform` glides it
/// home. Reads first, then writes, then one reflow, so the whole batch costs one layout.
fn glide_moved_pods(stage: &web_sys::HtmlElement, positions: Positions) {
    let now = measure_positions(stage);
    let moved: Vec<(&web_sys::HtmlElement, f64, f64)> = positions.with_value(|before| {
        now.iter()
            .filter_map(|(uid, (el, (x, y)))| {
                let (bx, by) = before.get(uid)?;
                let (dx, dy) = (bx - x, by - y);
                (dx.abs() >= 1.0 || dy.abs() >= 1.0).then_some((el, dx, dy))
            })
            .collect()
    });
    positions.set_value(now.iter().map(|(uid, (_, at))| (uid.clone(), *at)).collect());
    if moved.is_empty() || moved.len() > MAX_GLIDES {
        return;
    }
    for (el, dx, dy) in &moved {
        let style = web_sys::HtmlElement::style(el);
        let _ = style.set_property("transition", "none");
        let _ = style.set_property("transform", &format!("translate({dx:.1}px, {dy:.1}px)"));
    }
    // Commits the offset start before the transition is switched back on.
    let _ = stage.offset_width();
    for (el, _, _) in &moved {
        let style = web_sys::HtmlElement::style(el);
        let _ = style.remove_property("transition");
        let _ = style.remove_property("transform");
    }
}

/// The cluster view split into one signal per pod, node and place, so a step that changes three
/// pods updates those three cards and nothing else.
///
/// Why not one memo of the whole view that every card reads: Leptos marks every subscriber of a
/// memo (and theirs, recursively) each time one of its sources moves, before it knows whether the
/// value changed. The snapshot moves on every animation frame while playing, so with 200 cards
/// that walk, plus each card cloning and comparing its part of a fresh view, cost more than the
/// frame. Here an effect (a leaf: nothing subscribes to it) computes the view when a step is taken
/// or a second passes, compares it part by part with what the cards show, and sets only the
/// signals whose value changed. The signals are `ArcRwSignal`s kept in a map rather than
/// arena signals created inside the effect, which the effect's next run would dispose of.
#[derive(Clone, Copy)]
pub struct ClusterStore {
    /// Whether there is a view at all (a session runs).
    pub shown: RwSignal<bool>,
    /// (nodes, pods), for the panel's summary.
    pub counts: RwSignal<(usize, usize)>,
    pub node_names: RwSignal<Vec<String>>,
    parts: StoredValue<Parts, LocalStorage>,
}

/// The per-item signals of a [`ClusterStore`].
#[derive(Default)]
struct Parts {
    /// By uid.
    pods: BTreeMap<String, ArcRwSignal<Option<PodView>>>,
    /// By node name.
    nodes: BTreeMap<String, ArcRwSignal<Option<NodeView>>>,
    /// The uids at each place, in name order.
    places: BTreeMap<Place, ArcRwSignal<Vec<String>>>,
}

/// Sets `signal` to `value` only if it differs, so equal values notify nobody.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: &ArcRwSignal<T>, value: T) {
    if signal.with_untracked(|old| *old != value) {
        signal.set(value);
    }
}

impl Default for ClusterStore {
    fn default() -> Self {
        ClusterStore::new()
    }
}

impl ClusterStore {
    /// An empty store (in the current reactive owner).
    #[must_use]
    pub fn new() -> ClusterStore {
        ClusterStore {
            shown: RwSignal::new(false),
            counts: RwSignal::new((0, 0)),
            node_names: RwSignal::new(Vec::new()),
            parts: StoredValue::new_local(Parts::default()),
        }
    }

    /// The signal of pod `uid` (created empty if the store has not seen it; a detached one if the
    /// store is gone, which only a card outliving its panel could meet).
    pub fn pod(&self, uid: &str) -> ArcRwSignal<Option<PodView>> {
        self.parts
            .try_update_value(|p| p.pods.entry(uid.to_string()).or_insert_with(|| ArcRwSignal::new(None)).clone())
            .unwrap_or_else(|| ArcRwSignal::new(None))
    }

    /// The signal of node `name` (created empty if the store has not seen it).
    pub fn node(&self, name: &str) -> ArcRwSignal<Option<NodeView>> {
        self.parts
            .try_update_value(|p| p.nodes.entry(name.to_string()).or_insert_with(|| ArcRwSignal::new(None)).clone())
            .unwrap_or_else(|| ArcRwSignal::new(None))
    }

    /// The signal of the uids at `place` (created empty if nothing was there yet).
    pub fn place(&self, place: &Place) -> ArcRwSignal<Vec<String>> {
        self.parts
            .try_update_value(|p| p.places.entry(place.clone()).or_insert_with(|| ArcRwSignal::new(Vec::new())).clone())
            .unwrap_or_else(|| ArcRwSignal::new(Vec::new()))
    }

    /// Moves the store to `view`, notifying only the parts that changed. Returns how many known
    /// pods changed place and how many pods appeared (for the glide).
    pub fn show(&self, view: Option<ClusterView>) -> (usize, usize) {
        let Some(view) = view else {
            if self.shown.get_untracked() {
                self.shown.set(false);
            }
            return (0, 0);
        };
        let mut places: BTreeMap<Place, Vec<(ObjectKey, String)>> = BTreeMap::new();
        for p in view.pods.values() {
            places.entry(p.place.clone()).or_default().push((p.key.clone(), p.uid.clone()));
        }
        let (mut changed, mut appeared) = (0, 0);
        let counts = (view.nodes.len(), view.pods.len());
        let names: Vec<String> = view.nodes.iter().map(|n| n.name.clone()).collect();
        // The signals to set are collected first and set after the map is released: setting one
        // must never find the map borrowed (should a subscriber ever run at once).
        let mut pod_sets = Vec::new();
        let mut node_sets = Vec::new();
        let mut place_sets = Vec::new();
        self.parts.update_value(|parts| {
            parts.pods.retain(|uid, _| view.pods.contains_key(uid));
            for (uid, pod) in view.pods {
                match parts.pods.get(&uid) {
                    Some(signal) => {
                        if signal.with_untracked(|old| old.as_ref().is_some_and(|o| o.place != pod.place)) {
                            changed += 1;
                        }
                        pod_sets.push((signal.clone(), Some(pod)));
                    }
                    None => {
                        appeared += 1;
                        parts.pods.insert(uid, ArcRwSignal::new(Some(pod)));
                    }
                }
            }
            parts.nodes.retain(|name, _| names.contains(name));
            for node in view.nodes {
                match parts.nodes.get(&node.name) {
                    Some(signal) => node_sets.push((signal.clone(), Some(node))),
                    None => {
                        parts.nodes.insert(node.name.clone(), ArcRwSignal::new(Some(node)));
                    }
                }
            }
            for (place, signal) in &parts.places {
                if !places.contains_key(place) {
                    place_sets.push((signal.clone(), Vec::new()));
                }
            }
            for (place, mut at) in places {
                at.sort();
                let uids: Vec<String> = at.into_iter().map(|(_, uid)| uid).collect();
                match parts.places.get(&place) {
                    Some(signal) => place_sets.push((signal.clone(), uids)),
                    None => {
                        parts.places.insert(place, ArcRwSignal::new(uids));
                    }
                }
            }
        });
        for (signal, value) in pod_sets {
            set_if_changed(&signal, value);
        }
        for (signal, value) in node_sets {
            set_if_changed(&signal, value);
        }
        for (signal, value) in place_sets {
            set_if_changed(&signal, value);
        }
        if self.node_names.with_untracked(|n| *n != names) {
            self.node_names.set(names);
        }
        if self.counts.get_untracked() != counts {
            self.counts.set(counts);
        }
        if !self.shown.get_untracked() {
            self.shown.set(true);
        }
        (changed, appeared)
    }
}

/// The cluster area (`data-testid="cluster"`).
#[component]
pub fn ClusterPanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    // The view changes when a step is taken or a whole second passes (ages, countdowns), not on
    // every animation frame.
    let moment = Memo::new(move |_| sim.snapshot.with(|s| s.as_ref().map(|s| (s.revision, s.steps, s.time_ms / 1000))));
    let store = ClusterStore::new();

    let stage = NodeRef::<html::Div>::new();
    let positions: Positions = StoredValue::new_local(BTreeMap::new());
    let animate = !reduced_motion();
    // The view of the moment, handed to the store; then, after a change of place, glide the pods
    // that moved. In an animation frame: the DOM is updated by then and not yet painted, so
    // nothing flickers. Big jumps (a scrub, many pods at once) and fast playback just snap: a
    // glide there says nothing and costs frames; the positions are forgotten then, so the next
    // glide never starts from a stale place. New pods only need their place recorded, so their
    // first move can glide.
    Effect::new(move |_| {
        // Read, not just `track()`: a memo that is only tracked is never computed, so it would
        // never learn that the snapshot moved.
        moment.with(|_| ());
        let view = sim.snapshot.with_untracked(|s| {
            let s = s.as_ref()?;
            let current = s.steps.checked_sub(1);
            Some(sim.session.with_untracked(|session| {
                let step = session.as_ref().and_then(|ss| current.and_then(|i| ss.timeline.steps.get(i)));
                cluster_view(&s.world, s.time_ms, step, t)
            }))
        });
        let (changed, appeared) = store.show(view);
        if !animate || changed + appeared == 0 {
            return;
        }
        let fast = sim.playback.with_untracked(|p| p.playing && p.speed > 4.0);
        if fast || changed > MAX_GLIDES || appeared > MAX_GLIDES {
            positions.set_value(BTreeMap::new());
            return;
        }
        request_animation_frame(move || {
            if let Some(stage) = stage.get_untracked() {
                glide_moved_pods(&stage, positions);
            }
        });
    });

    let counts = store.counts;
    view! {
        <section class="panel cluster-panel" data-testid="cluster" aria-labelledby="cluster-title">
            <header class="panel__header">
                <h2 id="cluster-title" class="panel__title">{t.cluster}</h2>
                <span class="panel__meta" data-testid="cluster-summary">
                    {move || if store.shown.get() {
                        let (nodes, pods) = counts.get();
                        (t.cluster_summary)(nodes, pods)
                    } else {
                        t.cluster_simulated.to_string()
                    }}
                </span>
            </header>
            <Show
                when=move || store.shown.get()
                fallback=move || view! {
                    <p class="empty-state" data-testid="cluster-empty">
                        {t.cluster_empty_before}
                        <strong>{t.apply}</strong>
                        {t.cluster_empty_after}
                    </p>
                }
            >
                <div class="cluster" node_ref=stage data-testid="cluster-stage">
                    <div class="cluster__control">
                        <Station place=Place::ApiServer title=t.station_apiserver hint=t.station_apiserver_hint store=store />
                        <span class="cluster__arrow"><Icon glyph=Glyph::ArrowRight /></span>
                        <Station place=Place::Queue title=t.station_queue hint=t.station_queue_hint store=store />
                    </div>
                    <div class="cluster__nodes">
                        <For each=move || store.node_names.get() key=|name| name.clone() let:name>
                            <NodeBox name=name store=store />
                        </For>
                    </div>
                    <Show when=move || counts.with(|c| c.1 == 0)>
                        <p class="cluster__note">{t.cluster_no_pods}</p>
                    </Show>
                </div>
            </Show>
        </section>
    }
}

/// The API server or the scheduling queue, with the pods in it.
#[component]
fn Station(place: Place, title: &'static str, hint: &'static str, store: ClusterStore) -> impl IntoView {
    let class = match place {
        Place::Queue => "station station--queue",
        _ => "station station--apiserver",
    };
    let testid = match place {
        Place::Queue => "station-queue",
        _ => "station-apiserver",
    };
    let t = t();
    let uids = RwSignal::from(store.place(&place));
    view! {
        <div class=class data-testid=testid>
            <h3 class="station__title">
                {title}
                <span class="station__count">{move || (t.station_count)(uids.with(Vec::len))}</span>
            </h3>
            <p class="station__hint">{hint}</p>
            <div class="pods">
                <For each=move || uids.get() key=|uid| uid.clone() let:uid>
                    <PodCard uid=uid store=store />
                </For>
            </div>
        </div>
    }
}

/// One node box (`data-testid="node-<name>"`).
#[component]
fn NodeBox(name: String, store: ClusterStore) -> impl IntoView {
    let t = t();
    let node = RwSignal::from(store.node(&name));
    let uids = RwSignal::from(store.place(&Place::Node(name.clone())));
    view! {
        <article
            class=move || format!("node {}", if node.with(|n| n.as_ref().is_some_and(|n| n.ready)) { "node--ready" } else { "node--notready" })
            data-testid=format!("node-{name}")
            data-status=move || node.with(|n| n.as_ref().map(|n| n.status.clone()))
            title=move || node.with(|n| n.as_ref().map(|n| (t.node_title)(&n.name, &n.labels)))
        >
            <header class="node__header">
                <h3 class="node__name">{name.clone()}</h3>
                <span class="node__status">
                    {move || {
                        let ready = node.with(|n| n.as_ref().is_some_and(|n| n.ready));
                        view! { <Icon glyph=if ready { Glyph::Dot } else { Glyph::CircleDashed } /> }
                    }}
                    {move || node.with(|n| n.as_ref().map(|n| n.status.clone()))}
                </span>
            </header>
            {move || {
                let taints = node.with(|n| n.as_ref().map(|n| n.taints.clone()).unwrap_or_default());
                (!taints.is_empty()).then(|| view! {
                    <ul class="node__taints" aria-label=t.taints>
                        {taints.into_iter().map(|taint| view! { <li class="taint" title=t.taint_title><span class="taint__label">{t.taint_label}</span>{taint}</li> }).collect_view()}
                    </ul>
                })
            }}
            <dl class="node__bars">
                {move || node.with(|n| n.as_ref().map(|n| n.bars.clone()).unwrap_or_default()).into_iter().map(|b| {
                    let width = b.percent.min(100);
                    view! {
                        <div class=format!("bar bar--{}", b.resource) data-testid=format!("bar-{}", b.resource)>
                            <dt class="bar__label">{b.resource}</dt>
                            <dd class="bar__value">
                                <span class="bar__track" aria-hidden="true">
                                    <span class="bar__fill" class:bar__fill--over={ b.percent > 100 } style=format!("width: {width}%")></span>
                                </span>
                                <span class="bar__text">{(t.bar_usage)(&b.text, b.percent)}</span>
                            </dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
            <div class="pods">
                <For each=move || uids.get() key=|uid| uid.clone() let:uid>
                    <PodCard uid=uid store=store />
                </For>
            </div>
        </article>
    }
}

/// One pod (`data-testid="pod-<namespace>-<name>"`, `data-status`, `data-ready`).
#[component]
fn PodCard(uid: String, store: ClusterStore) -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    // Owned by this card (disposed with it); the store keeps the shared signal alive for the
    // next card of this pod (after a change of place).
    let pod = RwSignal::from(store.pod(&uid));
    let key = Memo::new(move |_| pod.with(|p| p.as_ref().map(|p| p.key.clone())));
    let selected = Memo::new(move |_| {
        let k = key.get();
        sim.selected.with(|s| s.is_some() && *s == k)
    });
    let select = move || {
        if let Some(k) = key.get_untracked() {
            sim.selected.set(Some(k));
        }
    };
    let field = move |f: fn(&PodView) -> String| pod.with(|p| p.as_ref().map(f).unwrap_or_default());
    // The attributes tests and styles key off are fine-grained; the body is one block, rebuilt
    // only when this pod's view changes (cheaper than a dozen small effects per pod).
    view! {
        <div
            class=move || {
                pod.with(|p| match p {
                    Some(p) => format!("pod pod--{}{}", p.tone.class(), if p.probed { " pod--probed" } else { "" }),
                    None => "pod".to_string(),
                })
            }
            class:pod--selected=move || selected.get()
            data-uid=uid.clone()
            data-testid=move || pod.with(|p| p.as_ref().map(PodView::test_id))
            data-status=move || field(|p| p.status.clone())
            data-ready=move || field(|p| p.ready.clone())
            data-restarts=move || field(|p| p.restarts.clone())
            on:click=move |_| select()
        >
            {move || pod.get().map(|p| pod_body(p, selected.get(), select, t))}
        </div>
    }
}

/// The inside of a pod card: name (a button, for keyboard selection), READY, STATUS, RESTARTS,
/// the container chips and the back-off countdown, all as text.
fn pod_body(p: PodView, selected: bool, select: impl Fn() + Copy + 'static, t: &'static Strings) -> impl IntoView {
    let name = if p.key.namespace == "default" { p.key.name.clone() } else { format!("{}/{}", p.key.namespace, p.key.name) };
    view! {
        <div class="pod__head">
            <button
                type="button"
                class="pod__name"
                aria-pressed=selected.to_string()
                title=t.pod_select_title
                on:click=move |ev| {
                    ev.stop_propagation();
                    select();
                }
            >
                {name}
            </button>
            <span class="pod__ready" title=t.pod_ready_title>{p.ready}</span>
        </div>
        <div class="pod__status">{p.status}</div>
        <div class="pod__restarts" title="RESTARTS">
            <Icon glyph=Glyph::Restart />
            <span class="visually-hidden">{t.restarts_hidden}</span>
            {p.restarts}
        </div>
        <ul class="ctrs" aria-label=t.containers>
            {p.chips.into_iter().map(|c| {
                let probed = c.probe.is_some();
                let title = if c.init { (t.init_container_title)(&c.name, &c.label) } else { (t.container_title)(&c.name, &c.label) };
                let class = format!("ctr ctr--{}{}{}", c.tone.class(), if c.init { " ctr--init" } else { "" }, if probed { " ctr--probed" } else { "" });
                let testid = format!("chip-{}", c.name);
                let state = c.label.clone();
                view! {
                    <li class=class title=title data-testid=testid data-state=state>
                        <span class="ctr__glyph"><Icon glyph=c.glyph /></span>
                        <span class="ctr__name">
                            {c.init.then(|| view! { <span class="ctr__init">{t.chip_init}</span> })}
                            {c.name}
                        </span>
                        <span class="ctr__state">{c.label}</span>
                        {c.probe.map(|(text, ok)| view! {
                            <span class="ctr__probe"><Icon glyph=if ok { Glyph::Check } else { Glyph::Cross } />{text}</span>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {p.backoff.map(|b| view! {
            <div class="pod__backoff" data-testid="backoff">
                <span class="pod__backoff-label">{t.backoff_label}</span>
                {b}
            </div>
        })}
    }
}
