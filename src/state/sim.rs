//! The simulation as the panels see it: the current [`Session`] (applied text, timeline, lanes),
//! the transport ([`Playback`]), the selected pod, the editor text's diagnostics, and the world at
//! the cursor — plus the intents panels send (apply, check, transport commands, intervene).
//! Panels read; only these methods write.

use std::sync::Arc;

use leptos::prelude::*;
use podsim::api::ObjectKey;
use podsim::manifest::Parsed;
use podsim::sim::Sim;
use podsim::time::SimTime;
use podsim::world::World;

use super::playback::{Command, Playback};
use super::session::Session;

/// The world at the cursor, compared by identity so the memo notifies only when it moves.
///
/// `world` is the world right after `steps` steps; its own `now_ms` is the instant of the last of
/// them. `time_ms` is the moment shown (the cursor may sit between two steps while playing): use
/// it as "now" (`Clock::at(&world, time_ms)`), never `world.now_ms`.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub world: Arc<World>,
    /// Steps taken at this moment.
    pub steps: usize,
    pub time_ms: SimTime,
    /// Which session it belongs to (bumped on every apply or intervention).
    pub revision: u64,
}

impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision && self.steps == other.steps && self.time_ms == other.time_ms
    }
}

/// The world after some steps of one session. Rebuilt only when the step count or the session
/// changes, so playing between two steps (every animation frame) costs nothing.
#[derive(Clone, Debug)]
struct WorldAt {
    revision: u64,
    steps: usize,
    world: Arc<World>,
}

impl PartialEq for WorldAt {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision && self.steps == other.steps
    }
}

/// Shared through context; `Copy`, so closures capture it freely.
#[derive(Clone, Copy)]
pub struct SimState {
    /// The current session (`None` before the first Apply).
    pub session: RwSignal<Option<Arc<Session>>, LocalStorage>,
    /// Bumped whenever `session` changes.
    pub revision: RwSignal<u64>,
    pub playback: RwSignal<Playback>,
    /// The pod the panels describe.
    pub selected: RwSignal<Option<ObjectKey>>,
    /// The world at the cursor.
    pub snapshot: Memo<Option<Snapshot>>,
    /// The last parse of the editor's text (while typing, debounced, and on Apply): the
    /// diagnostics and rejections the editor and the problems list show.
    pub parsed: RwSignal<Option<Arc<Parsed>>, LocalStorage>,
    /// Compute the timeline lanes after the first frame instead of before it (in the browser;
    /// tests compute them at once).
    defer_lanes: StoredValue<bool>,
}

impl SimState {
    /// Creates the state (in the current reactive owner).
    pub fn new() -> SimState {
        let session: RwSignal<Option<Arc<Session>>, LocalStorage> = RwSignal::new_local(None);
        let revision = RwSignal::new(0u64);
        let playback = RwSignal::new(Playback::default());
        // Moves only when a step is taken (not on every frame of playback).
        let cursor_steps = Memo::new(move |_| playback.with(|p| p.cursor.steps));
        // While playing, the state the cursor showed last, with the revision and the session it
        // belongs to: playing forward continues from it, replaying the few steps since the last frame
        // instead of everything since the nearest checkpoint (the timeline ignores it when the
        // checkpoint is nearer). Another session, even of the same revision, never uses it.
        let shown: StoredValue<Option<(u64, usize, Sim)>, LocalStorage> = StoredValue::new_local(None);
        let world_at = Memo::new(move |_| {
            let rev = revision.get();
            let steps = cursor_steps.get();
            session.with(|s| {
                s.as_ref().map(|s| {
                    let id = Arc::as_ptr(s) as usize;
                    let near = shown.try_update_value(Option::take).flatten().filter(|(r, i, _)| *r == rev && *i == id).map(|(_, _, sim)| sim);
                    // Only playback moves forward a few steps at a time; a scrub or a step back
                    // would pay for keeping a copy it never uses.
                    let sim = s.timeline.sim_after_from(steps, near);
                    if !playback.with_untracked(|p| p.playing) {
                        return WorldAt { revision: rev, steps, world: Arc::new(sim.world) };
                    }
                    let world = Arc::new(sim.world.clone());
                    shown.set_value(Some((rev, id, sim)));
                    WorldAt { revision: rev, steps, world }
                })
            })
        });
        let snapshot = Memo::new(move |_| {
            let time_ms = playback.with(|p| p.cursor.time_ms);
            world_at.with(|w| {
                w.as_ref().map(|w| Snapshot { world: w.world.clone(), steps: w.steps, time_ms, revision: w.revision })
            })
        });
        SimState {
            session,
            revision,
            playback,
            selected: RwSignal::new(None),
            snapshot,
            parsed: RwSignal::new_local(None),
            defer_lanes: StoredValue::new(false),
        }
    }

    /// Installs a session: without lanes when they are deferred (then filled in on the next
    /// turn of the event loop, so the first frame of a new run is not held up by them).
    fn install(&self, session: Session) {
        let deferred = self.defer_lanes.get_value();
        let session = Arc::new(if deferred { session } else { session.with_lanes() });
        self.session.set(Some(session.clone()));
        self.revision.update(|r| *r += 1);
        if deferred && !session.lanes_ready {
            let this = *self;
            leptos::prelude::set_timeout(move || this.fill_lanes(&session), std::time::Duration::ZERO);
        }
    }

    /// Adds the lanes to `session` if it is still the current one.
    fn fill_lanes(&self, session: &Arc<Session>) {
        let current = self.session.with_untracked(|s| s.as_ref().is_some_and(|s| Arc::ptr_eq(s, session)));
        if current {
            let full = (**session).clone().with_lanes();
            self.session.set(Some(Arc::new(full)));
        }
    }

    /// Applies manifest text: parse, simulate, rewind and play.
    pub fn apply(&self, text: &str, seed: u64) {
        let session = Session::simulate(text, seed);
        self.parsed.set(Some(session.parsed.clone()));
        // Keep the selected pod if it still exists, else select the first one, so the detail
        // panels have something to show.
        let first = session.timeline.last.world.pods.keys().next().cloned();
        let keep = self
            .selected
            .with_untracked(|s| s.as_ref().is_some_and(|k| session.timeline.last.world.pods.contains_key(k)));
        if !keep {
            self.selected.set(first);
        }
        self.install(session);
        self.playback.update(|p| {
            p.jump_start();
            p.playing = true;
        });
    }

    /// Parses `text` for its diagnostics only (while the learner types); simulates nothing.
    pub fn check(&self, text: &str) {
        let parsed = podsim::manifest::parse(text);
        let unchanged = self.parsed.with_untracked(|p| p.as_deref() == Some(&parsed));
        if !unchanged {
            self.parsed.set(Some(Arc::new(parsed)));
        }
    }

    /// Carries out a transport command (play, pause, step, seek, speed).
    pub fn transport(&self, command: Command) {
        let end = self.end_ms_untracked();
        self.session.with_untracked(|s| {
            let steps = s.as_ref().map_or(&[][..], |s| &s.timeline.steps[..]);
            self.playback.update(|p| p.apply(command, steps, end));
        });
    }

    /// Moves playback on by `real_ms` of wall time (one animation frame). Returns whether it is
    /// still playing, so the frame loop knows whether to ask for another frame.
    pub fn advance(&self, real_ms: f64) -> bool {
        let end = self.end_ms_untracked();
        self.session.with_untracked(|s| {
            let steps = s.as_ref().map_or(&[][..], |s| &s.timeline.steps[..]);
            let mut next = self.playback.get_untracked();
            let was_playing = next.playing;
            let moved = next.advance(steps, real_ms, end);
            if moved || next.playing != was_playing {
                self.playback.set(next);
            } else {
                // Only the sub-millisecond carry changed: keep it without notifying every reader.
                self.playback.update_untracked(|p| *p = next);
            }
            next.playing
        })
    }

    /// The world at the cursor as a clone of the snapshot's `Arc` (untracked), with `now_ms` set
    /// to the cursor's time.
    fn world_now_untracked(&self) -> Option<World> {
        self.snapshot.with_untracked(|s| {
            s.as_ref().map(|s| {
                let mut world = (*s.world).clone();
                world.now_ms = s.time_ms;
                world
            })
        })
    }

    /// Runs a command line at the cursor: queries answer at once; changes fork the timeline.
    /// Returns the text to print (stdout and stderr together) and whether it succeeded. The
    /// page's own errors are in the page's language (`i18n::t()`); kubectl's stay as printed.
    pub fn run_command(&self, line: &str) -> (String, bool) {
        let Some(session) = self.session.get_untracked() else {
            return (crate::i18n::t().terminal_nothing_runs.to_string(), false);
        };
        let cursor = self.playback.get_untracked().cursor;
        let world = match self.world_now_untracked() {
            Some(w) => w,
            None => {
                let mut w = session.timeline.world_after(cursor.steps);
                w.now_ms = cursor.time_ms;
                w
            }
        };
        let ns = if world.current_namespace.is_empty() { "default".to_string() } else { world.current_namespace.clone() };
        match podsim::kubectl::parse(line, &ns) {
            Ok(podsim::kubectl::Parsed::Query(words)) => {
                let p = podsim::kubectl::answer(&world, cursor.time_ms, &words);
                (format!("{}{}", p.stdout, p.stderr), p.success)
            }
            Ok(podsim::kubectl::Parsed::ApplyFile { path }) => {
                if path != "-" {
                    return ((crate::i18n::t().terminal_no_such_path)(&path), false);
                }
                let parsed = podsim::manifest::parse(&session.text);
                if !parsed.rejections.is_empty() {
                    return (parsed.rejections.iter().map(|r| format!("{r}\n")).collect(), false);
                }
                let objects: Vec<podsim::api::Object> = parsed.objects.into_iter().map(|o| o.object).collect();
                self.intervene(cursor.time_ms, line, podsim::sim::Action::Apply { objects: objects.into() })
            }
            Ok(podsim::kubectl::Parsed::Action(action)) => self.intervene(cursor.time_ms, line, action),
            Err(e) => (format!("{e}\n"), false),
        }
    }

    /// Forks the timeline with `action` at `at_ms`, moves the cursor to the intervention's
    /// output, and returns that output.
    pub fn intervene(&self, at_ms: SimTime, line: &str, action: podsim::sim::Action) -> (String, bool) {
        let Some(session) = self.session.get_untracked() else {
            return (String::new(), false);
        };
        // Earlier interventions at this same instant answer first (same order as issued).
        let earlier_here = session.interventions.iter().filter(|i| i.at_ms == at_ms).count();
        let next = session.fork(at_ms, line, action);
        let steps = &next.timeline.steps;
        let first_after = steps.partition_point(|s| s.time_ms < at_ms);
        // The request's own step(s): the output comes from the API server's answer.
        let output_step = steps
            .iter()
            .enumerate()
            .skip(first_after)
            .filter(|(_, s)| s.output.is_some())
            .nth(earlier_here)
            .map(|(i, s)| (i, s.output.clone().unwrap_or_default()));
        let text = output_step.as_ref().map(|(_, o)| o.clone()).unwrap_or_default();
        let ok = !text.starts_with("Error") && !text.starts_with("error");
        let end = next.end_ms();
        let timeline = next.timeline.clone();
        self.install(next);
        self.playback.update(|p| match output_step {
            Some((i, _)) => p.seek_step(&timeline.steps, i),
            // No output: stay at the moment; the recomputed steps of that instant are the
            // future now, not yet taken.
            None => {
                p.seek_time(&timeline.steps, at_ms.min(end), end);
                p.cursor.steps = first_after;
            }
        });
        (text, ok)
    }

    /// Runs `f` with the current steps (empty before Apply).
    pub fn with_steps<R>(&self, f: impl FnOnce(&[podsim::Step]) -> R) -> R {
        self.session.with(|s| match s {
            Some(s) => f(&s.timeline.steps),
            None => f(&[]),
        })
    }

    /// The end of the run (virtual ms), 0 before Apply.
    pub fn end_ms(&self) -> SimTime {
        self.session.with(|s| s.as_ref().map_or(0, |s| s.end_ms()))
    }

    fn end_ms_untracked(&self) -> SimTime {
        self.session.with_untracked(|s| s.as_ref().map_or(0, |s| s.end_ms()))
    }
}

impl Default for SimState {
    fn default() -> Self {
        SimState::new()
    }
}

/// Puts a [`SimState`] in context (the page's: lanes deferred past the first frame).
pub fn provide_sim_state() -> SimState {
    let s = SimState::new();
    s.defer_lanes.set_value(cfg!(target_arch = "wasm32"));
    provide_context(s);
    s
}

/// The [`SimState`] from context.
pub fn use_sim_state() -> SimState {
    expect_context::<SimState>()
}
