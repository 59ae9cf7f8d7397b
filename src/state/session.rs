//! The simulation session behind the page: the applied manifest text, its parse result, the
//! timeline it produced, the interventions that forked it, and derived views (lanes). Plain Rust
//! with no signals and no DOM, so it is tested natively; the page wraps it in signals.

use std::sync::Arc;

use podsim::history::{self, Lane};
use podsim::manifest::{self, Parsed, Severity};
use podsim::sim::Action;
use podsim::time::SimTime;
use podsim::{Limits, Scenario, Timeline};

/// The seed of a first Apply (a share link may carry another).
pub const DEFAULT_SEED: u64 = 1;
/// How far the page simulates after Apply.
pub const HORIZON_MS: SimTime = 10 * 60_000;
/// Steps between checkpoints for a small lesson: stepping back replays at most this many.
pub const CHECKPOINT_EVERY: usize = 32;
/// The most steps between checkpoints, for big runs (see [`checkpoint_every`]).
pub const CHECKPOINT_EVERY_MAX: usize = 128;

/// An intervention the learner made, kept so a share link can replay it.
#[derive(Clone, Debug, PartialEq)]
pub struct Intervention {
    pub at_ms: SimTime,
    /// What was typed or clicked, as a kubectl-like command line.
    pub command: String,
    pub action: Action,
}

/// One applied state of the playground.
#[derive(Clone, Debug)]
pub struct Session {
    /// The manifest text that was applied.
    pub text: String,
    pub parsed: Arc<Parsed>,
    pub timeline: Arc<Timeline>,
    pub lanes: Arc<Vec<Lane>>,
    pub interventions: Vec<Intervention>,
    pub seed: u64,
    /// Whether `lanes` were computed (they may come a moment later, see [`Session::simulate`]).
    pub lanes_ready: bool,
}

/// Whether a parse result blocks applying (any error).
pub fn has_errors(parsed: &Parsed) -> bool {
    parsed.diagnostics.iter().any(|d| d.severity == Severity::Error)
}

impl Session {
    /// Parses `text` and simulates it, lanes included. Objects with errors are left out, as the
    /// API server would refuse them; the diagnostics say why.
    pub fn apply(text: &str, seed: u64) -> Session {
        Session::simulate(text, seed).with_lanes()
    }

    /// Like [`Session::apply`] but without the lanes, which replay the whole run once more: the
    /// page shows the first frame first and fills them in right after ([`Session::with_lanes`]).
    pub fn simulate(text: &str, seed: u64) -> Session {
        let parsed = manifest::parse(text);
        let objects: Vec<_> = parsed.objects.iter().map(|o| o.object.clone()).collect();
        let pods = objects.iter().filter(|o| matches!(o, podsim::api::Object::Pod(_))).count();
        let mut scenario = Scenario::new(objects);
        scenario.seed = seed;
        let timeline = Timeline::run(scenario, limits(pods));
        Session {
            text: text.to_string(),
            parsed: Arc::new(parsed),
            timeline: Arc::new(timeline),
            lanes: Arc::new(Vec::new()),
            interventions: Vec::new(),
            seed,
            lanes_ready: false,
        }
    }

    /// This session with its lanes computed (a no-op clone if they already are).
    pub fn with_lanes(mut self) -> Session {
        if !self.lanes_ready {
            self.lanes = Arc::new(history::lanes(&self.timeline));
            self.lanes_ready = true;
        }
        self
    }

    /// A new session where `action` happens at `at_ms`: the past stays, the future is recomputed.
    pub fn intervene(&self, at_ms: SimTime, command: &str, action: Action) -> Session {
        self.fork(at_ms, command, action).with_lanes()
    }

    /// Like [`Session::intervene`] but without the lanes (see [`Session::simulate`]).
    pub fn fork(&self, at_ms: SimTime, command: &str, action: Action) -> Session {
        let timeline = self.timeline.fork(at_ms, action.clone());
        let mut interventions = self.interventions.clone();
        interventions.push(Intervention { at_ms, command: command.to_string(), action });
        Session {
            text: self.text.clone(),
            parsed: self.parsed.clone(),
            timeline: Arc::new(timeline),
            lanes: Arc::new(Vec::new()),
            interventions,
            seed: self.seed,
            lanes_ready: false,
        }
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.timeline.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.timeline.steps.is_empty()
    }

    /// The virtual time the run ends at.
    pub fn end_ms(&self) -> SimTime {
        self.timeline.limits.until_ms
    }
}

/// Steps between checkpoints for a run with `pods` pods. A checkpoint copies the whole
/// simulation, and a copy costs more the more pods there are, while replaying from one costs a
/// few microseconds a step: big runs keep fewer, so Apply stays fast and scrubbing stays
/// within a frame (32 steps up to 25 pods, then more, at most 128).
pub fn checkpoint_every(pods: usize) -> usize {
    (CHECKPOINT_EVERY * pods.div_ceil(25)).clamp(CHECKPOINT_EVERY, CHECKPOINT_EVERY_MAX)
}

fn limits(pods: usize) -> Limits {
    Limits { until_ms: HORIZON_MS, max_steps: 100_000, checkpoint_every: checkpoint_every(pods) }
}
