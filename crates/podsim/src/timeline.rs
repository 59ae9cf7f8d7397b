//! A run's timeline: the ordered steps plus periodic checkpoints of the whole simulation, so
//! any step's world can be rebuilt by replaying from the nearest checkpoint (instant step-back
//! and scrubbing), and a run can be forked at a moment with a new intervention, keeping the past.

use crate::api::Object;
use crate::durations::Durations;
use crate::sim::{Action, Ctx, Event, Sim, Step};
use crate::time::{SimTime, DEFAULT_EPOCH_UNIX_MS};
use crate::world::World;

/// Everything a run depends on. Same scenario ⇒ same timeline, byte for byte.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Objects to apply at time 0 (Nodes among them replace the default cluster).
    pub objects: Vec<Object>,
    /// Interventions at their times (kubectl commands, faults).
    pub actions: Vec<(SimTime, Action)>,
    pub seed: u64,
    pub epoch_unix_ms: i64,
    pub durations: Durations,
}

impl Scenario {
    /// A scenario applying `objects` at time 0 with seed 1.
    pub fn new(objects: Vec<Object>) -> Scenario {
        Scenario { objects, actions: Vec::new(), seed: 1, epoch_unix_ms: DEFAULT_EPOCH_UNIX_MS, durations: Durations::default() }
    }
}

/// How far a run goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Virtual time horizon (inclusive).
    pub until_ms: SimTime,
    /// Maximum recorded steps.
    pub max_steps: usize,
    /// Keep a checkpoint every this many steps (0: keep none — for the CLI and benchmarks).
    pub checkpoint_every: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { until_ms: 10 * 60_000, max_steps: 200_000, checkpoint_every: 64 }
    }
}

/// How long a fork runs at least after its intervention, so its consequences show.
pub const FORK_TAIL_MS: SimTime = 60_000;

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// Nothing left to happen.
    Quiet,
    /// The time horizon was reached.
    Horizon,
    /// The step limit was reached.
    MaxSteps,
}

/// The recorded run.
#[derive(Clone, Debug)]
pub struct Timeline {
    pub steps: Vec<Step>,
    /// (number of steps taken when saved, simulation state).
    checkpoints: Vec<(usize, Sim)>,
    /// The state at the end of the run.
    pub last: Sim,
    pub bound: Bound,
    pub limits: Limits,
    pub scenario: Scenario,
}

/// Builds the world a scenario starts from: its nodes (or the default cluster) and namespaces.
pub fn initial_world(scenario: &Scenario) -> World {
    let mut world = World { epoch_unix_ms: scenario.epoch_unix_ms, current_namespace: "default".into(), ..World::default() };
    let user_nodes: Vec<crate::api::Node> = scenario.objects.iter().filter_map(|o| if let Object::Node(n) = o { Some(crate::api::Node::clone(n)) } else { None }).collect();
    let nodes = if user_nodes.is_empty() { crate::cluster::default_nodes() } else { user_nodes };
    for (i, mut n) in nodes.into_iter().enumerate() {
        crate::cluster::complete_node(&mut n, i as u32);
        world.resource_version += 1;
        n.meta.resource_version = world.resource_version;
        n.meta.uid = crate::apiserver::make_uid(scenario.seed, "Node", &crate::api::ObjectKey::new("", &n.meta.name), world.resource_version);
        n.meta.creation_ms = Some(0);
        let images = n.status.images.clone();
        world.node_runtime_mut(&n.meta.name).images = images;
        world.nodes.insert(n.meta.name.clone(), n);
    }
    world.refresh_node_caches(None);
    for mut ns in crate::cluster::builtin_namespaces() {
        world.resource_version += 1;
        ns.meta.resource_version = world.resource_version;
        ns.meta.uid = crate::apiserver::make_uid(scenario.seed, "Namespace", &crate::api::ObjectKey::new("", &ns.meta.name), world.resource_version);
        ns.meta.creation_ms = Some(0);
        world.namespaces.insert(ns.meta.name.clone(), ns);
    }
    world
}

/// A fresh simulation of a scenario, with its actions queued.
pub fn start(scenario: &Scenario) -> Sim {
    let ctx = Ctx { seed: scenario.seed, durations: scenario.durations.clone() };
    let mut sim = Sim::new(initial_world(scenario), ctx);
    let objects: Vec<Object> = scenario.objects.iter().filter(|o| !matches!(o, Object::Node(_))).cloned().collect();
    if !objects.is_empty() {
        sim.schedule_action(0, Action::Apply { objects: objects.into() });
    }
    for (t, a) in &scenario.actions {
        sim.schedule_action(*t, a.clone());
    }
    sim
}

/// Whether nothing is left to happen: at most the node controller's periodic check is pending,
/// and it has nothing to do (no node whose kubelet stopped reporting still awaits being marked
/// Unknown). The check keeps ticking forever, so without this a run could never be quiet.
fn quiet(sim: &Sim) -> bool {
    match sim.queue.len() {
        0 => true,
        1 => {
            let mut q = sim.queue.clone();
            let Some((_, Event::NodeMonitor)) = q.pop() else { return false };
            let w = &sim.world;
            w.runtimes.iter().all(|(name, rt)| rt.failed_since_ms.is_none() || w.node_health.unknown_since.contains_key(&**name) || !w.nodes.contains_key(&**name))
        }
        _ => false,
    }
}

/// Runs `sim` until a bound, calling `observe` after each recorded step.
pub fn drive(sim: &mut Sim, limits: &Limits, mut observe: impl FnMut(&Step, &Sim)) -> Bound {
    loop {
        if sim.steps_taken >= limits.max_steps {
            return Bound::MaxSteps;
        }
        if quiet(sim) {
            return Bound::Quiet;
        }
        match sim.next_time() {
            None => return Bound::Quiet,
            Some(t) if t > limits.until_ms => return Bound::Horizon,
            Some(_) => {}
        }
        let (_, step) = sim.step();
        if let Some(step) = step {
            observe(&step, sim);
        }
    }
}

/// Replays `sim` until it has recorded `count` steps (never past `until_ms`, so a count the run
/// never reached cannot loop on periodic events forever).
fn replay(sim: &mut Sim, count: usize, until_ms: SimTime) {
    while sim.steps_taken < count && sim.next_time().is_some_and(|t| t <= until_ms) {
        let (processed, _) = sim.step();
        if !processed {
            break;
        }
    }
}

impl Timeline {
    /// Simulates a scenario within limits.
    pub fn run(scenario: Scenario, limits: Limits) -> Timeline {
        let sim = start(&scenario);
        Timeline::continue_from(scenario, limits, Vec::new(), vec![(0, sim.clone())], sim)
    }

    fn continue_from(scenario: Scenario, limits: Limits, mut steps: Vec<Step>, mut checkpoints: Vec<(usize, Sim)>, mut sim: Sim) -> Timeline {
        let every = limits.checkpoint_every;
        let bound = drive(&mut sim, &limits, |step, s| {
            steps.push(step.clone());
            if every > 0 && s.steps_taken % every == 0 {
                checkpoints.push((s.steps_taken, s.clone()));
            }
        });
        // Virtual time advances to the horizon even if nothing happens (a quiet cluster ages).
        if bound != Bound::MaxSteps {
            sim.world.now_ms = sim.world.now_ms.max(limits.until_ms.min(sim.next_time().map_or(limits.until_ms, |t| t.saturating_sub(1))));
            if bound == Bound::Quiet {
                sim.world.now_ms = limits.until_ms;
            }
        }
        Timeline { steps, checkpoints, last: sim, bound, limits, scenario }
    }

    /// The simulation state right after `count` steps (0 = before the first step), with the
    /// clock at the instant of the last of them — exactly what a step-by-step run saw then.
    pub fn sim_after(&self, count: usize) -> Sim {
        self.sim_after_from(count, None)
    }

    /// [`Timeline::sim_after`], starting from `near` (a state this timeline reached, such as the
    /// one playback showed a frame ago; taken, so it is not copied) when it lies between the
    /// nearest checkpoint and `count`: playing forward then replays the few steps since the last
    /// frame, not everything since the checkpoint. The state after n steps is the same whichever
    /// way it is reached.
    pub fn sim_after_from(&self, count: usize, near: Option<Sim>) -> Sim {
        let count = count.min(self.steps.len());
        // A run cut by the step limit ends right after its last step; otherwise `last` also holds
        // what happened after it (silent events, the clock at the horizon), so replay.
        if count == self.steps.len() && self.bound == Bound::MaxSteps && self.last.steps_taken == count {
            return self.last.clone();
        }
        let checkpoint = self.checkpoints.iter().rev().find(|(n, _)| *n <= count);
        let from_near = near.filter(|s| s.steps_taken <= count && checkpoint.is_none_or(|(n, _)| *n <= s.steps_taken));
        let mut sim = match from_near {
            Some(s) => s,
            None => checkpoint.map_or_else(|| start(&self.scenario), |(_, cp)| cp.clone()),
        };
        replay(&mut sim, count, self.limits.until_ms);
        // The clock shows the instant of the last step taken.
        if count > 0 {
            sim.world.now_ms = self.steps[count - 1].time_ms;
        }
        sim
    }

    /// The world right after `count` steps.
    pub fn world_after(&self, count: usize) -> World {
        self.sim_after(count).world
    }

    /// How many steps happened at or before `t`.
    pub fn steps_until(&self, t: SimTime) -> usize {
        self.steps.partition_point(|s| s.time_ms <= t)
    }

    /// The world at virtual time `t` (after every step at or before it).
    pub fn world_at(&self, t: SimTime) -> World {
        let mut w = self.world_after(self.steps_until(t));
        w.now_ms = t;
        w
    }

    /// A new timeline where `action` happens at `at_ms`: steps before `at_ms` are kept as they
    /// are, the future is recomputed.
    pub fn fork(&self, at_ms: SimTime, action: Action) -> Timeline {
        let mut scenario = self.scenario.clone();
        scenario.actions.push((at_ms, action.clone()));
        let keep = self.steps.partition_point(|s| s.time_ms < at_ms);
        let (n, cp) = self.checkpoints.iter().rev().find(|(n, _)| *n <= keep).cloned().unwrap_or_else(|| (0, start(&self.scenario)));
        let mut sim = cp;
        // Replay to the last step before the fork instant, then insert the action.
        replay(&mut sim, keep, self.limits.until_ms);
        sim.schedule_action(at_ms, action);
        let steps = self.steps[..keep].to_vec();
        // Checkpoints up to the replay's start are still valid (their steps are the kept past);
        // from the fork on, the new future must be replayed from a state that knows the action.
        let mut checkpoints: Vec<(usize, Sim)> = self.checkpoints.iter().filter(|(m, _)| *m <= n).cloned().collect();
        checkpoints.push((keep, sim.clone()));
        // An intervention near the end still gets a minute to play out.
        let limits = Limits { until_ms: self.limits.until_ms.max(at_ms + FORK_TAIL_MS), ..self.limits };
        Timeline::continue_from(scenario, limits, steps, checkpoints, sim)
    }
}
