//! The transport's state machine: a cursor over the timeline (a virtual time and the number of
//! steps taken by then), play/pause, speed, and stepping by event or by instant. Pure logic with
//! no timers, tested natively; the page drives `advance` from animation frames while playing
//! and stops asking when paused (so an idle page runs nothing).

use podsim::time::SimTime;
use podsim::Step;

/// The speeds the speed control offers.
pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];

/// What the transport's buttons and keys ask for. One entry point ([`Playback::apply`]) keeps
/// the buttons, the keyboard and the tests on the same path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    /// Play or pause.
    Toggle,
    Play,
    Pause,
    /// One step (event) forward / back.
    StepForward,
    StepBack,
    /// To the next / previous instant that has steps.
    InstantForward,
    InstantBack,
    JumpStart,
    JumpEnd,
    /// To a virtual time (the scrubber).
    Seek(SimTime),
    /// To a speed (snapped to the nearest of [`SPEEDS`]).
    Speed(f64),
}

/// Where the learner is in the timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cursor {
    /// Virtual time shown, in ms.
    pub time_ms: SimTime,
    /// Steps taken at this moment (every step with time ≤ `time_ms`, unless stepping
    /// event by event inside one instant).
    pub steps: usize,
}

/// Play/pause and speed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Playback {
    pub cursor: Cursor,
    pub playing: bool,
    /// Multiplier of real time.
    pub speed: f64,
    /// Virtual time not yet shown because it was less than a millisecond.
    carry_ms: f64,
}

impl Default for Playback {
    fn default() -> Playback {
        Playback { cursor: Cursor { time_ms: 0, steps: 0 }, playing: false, speed: 1.0, carry_ms: 0.0 }
    }
}

fn steps_until(steps: &[Step], t: SimTime) -> usize {
    steps.partition_point(|s| s.time_ms <= t)
}

impl Playback {
    /// Moves to virtual time `t`, clamped to `[0, end]`.
    pub fn seek_time(&mut self, steps: &[Step], t: SimTime, end: SimTime) {
        let t = t.min(end);
        self.cursor = Cursor { time_ms: t, steps: steps_until(steps, t) };
        self.carry_ms = 0.0;
    }

    /// Moves to right after step `index` (0-based): its time, with it and every earlier step taken.
    pub fn seek_step(&mut self, steps: &[Step], index: usize) {
        match steps.get(index) {
            Some(s) => self.cursor = Cursor { time_ms: s.time_ms, steps: index + 1 },
            None => self.cursor = Cursor { time_ms: steps.last().map_or(0, |s| s.time_ms), steps: steps.len() },
        }
        self.carry_ms = 0.0;
    }

    /// Advances by `real_ms` of wall time at the current speed; stops at the end.
    /// Returns whether the cursor moved.
    pub fn advance(&mut self, steps: &[Step], real_ms: f64, end: SimTime) -> bool {
        if !self.playing {
            return false;
        }
        let virtual_ms = real_ms.max(0.0) * self.speed + self.carry_ms;
        let whole = virtual_ms.floor();
        self.carry_ms = virtual_ms - whole;
        let before = self.cursor;
        let t = (self.cursor.time_ms + whole as u64).min(end);
        self.cursor = Cursor { time_ms: t, steps: steps_until(steps, t).max(self.cursor.steps.min(steps.len())) };
        if t >= end {
            self.playing = false;
        }
        self.cursor != before
    }

    /// One step (event) forward.
    pub fn step_forward(&mut self, steps: &[Step]) {
        if self.cursor.steps < steps.len() {
            self.seek_step(steps, self.cursor.steps);
        }
        self.playing = false;
    }

    /// One step (event) back.
    pub fn step_back(&mut self, steps: &[Step]) {
        self.playing = false;
        match self.cursor.steps {
            0 => {}
            1 => self.cursor = Cursor { time_ms: 0, steps: 0 },
            n => self.seek_step(steps, n - 2),
        }
    }

    /// Forward to the next instant that has steps (all its steps taken).
    pub fn instant_forward(&mut self, steps: &[Step]) {
        self.playing = false;
        if let Some(next) = steps.get(self.cursor.steps) {
            let t = next.time_ms;
            self.cursor = Cursor { time_ms: t, steps: steps_until(steps, t) };
        }
    }

    /// Back to the previous instant that has steps (all its steps taken), or the start.
    pub fn instant_back(&mut self, steps: &[Step]) {
        self.playing = false;
        let current = self.cursor.steps;
        // The instant of the last step taken; go to the instant before it.
        let here = if current == 0 { None } else { steps.get(current - 1).map(|s| s.time_ms) };
        let Some(here) = here else { return };
        let first_of_here = steps.partition_point(|s| s.time_ms < here);
        if first_of_here == 0 {
            self.cursor = Cursor { time_ms: 0, steps: 0 };
        } else {
            let t = steps[first_of_here - 1].time_ms;
            self.cursor = Cursor { time_ms: t, steps: first_of_here };
        }
    }

    /// To the start.
    pub fn jump_start(&mut self) {
        self.playing = false;
        self.cursor = Cursor { time_ms: 0, steps: 0 };
    }

    /// To the end of the run.
    pub fn jump_end(&mut self, steps: &[Step], end: SimTime) {
        self.playing = false;
        self.cursor = Cursor { time_ms: end, steps: steps.len() };
    }

    /// Play or pause; playing from the end starts over.
    pub fn toggle(&mut self, end: SimTime) {
        if !self.playing && self.cursor.time_ms >= end {
            self.cursor = Cursor { time_ms: 0, steps: 0 };
        }
        self.playing = !self.playing;
    }

    /// Carries out a transport command over `steps`, a run that ends at `end`.
    pub fn apply(&mut self, command: Command, steps: &[Step], end: SimTime) {
        match command {
            Command::Toggle => self.toggle(end),
            Command::Play => {
                if !self.playing {
                    self.toggle(end);
                }
            }
            Command::Pause => self.playing = false,
            Command::StepForward => self.step_forward(steps),
            Command::StepBack => self.step_back(steps),
            Command::InstantForward => self.instant_forward(steps),
            Command::InstantBack => self.instant_back(steps),
            Command::JumpStart => self.jump_start(),
            Command::JumpEnd => self.jump_end(steps, end),
            Command::Seek(t) => self.seek_time(steps, t, end),
            Command::Speed(speed) => self.speed = snap_speed(speed),
        }
    }

    /// Whether the cursor is at the end of the run.
    pub fn at_end(&self, end: SimTime) -> bool {
        self.cursor.time_ms >= end
    }

    /// The index of the step the learner is looking at (the last one taken), if any.
    pub fn current_step(&self) -> Option<usize> {
        self.cursor.steps.checked_sub(1)
    }

    /// Picks the next/previous speed.
    pub fn change_speed(&mut self, faster: bool) {
        let i = SPEEDS.iter().position(|s| (*s - self.speed).abs() < 1e-9).unwrap_or(2);
        let j = if faster { (i + 1).min(SPEEDS.len() - 1) } else { i.saturating_sub(1) };
        self.speed = SPEEDS[j];
    }
}

/// The offered speed nearest to `speed` (1× for nonsense such as NaN).
pub fn snap_speed(speed: f64) -> f64 {
    if !speed.is_finite() || speed <= 0.0 {
        return 1.0;
    }
    let mut best: f64 = 1.0;
    for s in SPEEDS {
        if (s.ln() - speed.ln()).abs() < (best.ln() - speed.ln()).abs() {
            best = s;
        }
    }
    best
}

/// How a speed reads on the control: `0.25×`, `1×`, `16×`.
pub fn speed_label(speed: f64) -> String {
    if speed.fract() == 0.0 {
        format!("{speed:.0}×")
    } else {
        format!("{speed}×")
    }
}
