//! The transport: play/pause, step by event or by instant (Shift), jump to start/end, the speed,
//! a scrubber over virtual time with the run's event marks, and the virtual clock.
//!
//! Playback is driven by `requestAnimationFrame` only while playing: each frame hands the elapsed
//! wall time to `SimState::advance`, and the loop ends as soon as playback stops, so a paused page
//! runs no timer at all. Keyboard shortcuts (Space, ←/→, Shift+←/→, Home/End) work anywhere except
//! where those keys already mean something (the editor, the terminal, form fields, tab strips).
//!
//! The pure parts (mark kinds, bucketing, key mapping) are tested natively in `tests/session.rs`.

use leptos::ev;
use leptos::prelude::*;
use podsim::explain::Why;
use podsim::time::{clock, SimTime};
use podsim::Step;
use wasm_bindgen::JsCast;

use crate::i18n::{t, Strings};
use crate::icons::{Glyph, Icon};
use crate::state::playback::{speed_label, Command, SPEEDS};
use crate::state::sim::{use_sim_state, SimState};

/// What a scrubber mark stands for. Each kind has its own colour, its own row on the scrubber and
/// a legend entry with an icon and words, so colour is never the only cue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MarkKind {
    Scheduling,
    Pull,
    Start,
    ProbeFailure,
    /// Kills, evictions, deadline failures and non-zero exits.
    Kill,
}

impl MarkKind {
    pub const ALL: [MarkKind; 5] = [MarkKind::Scheduling, MarkKind::Pull, MarkKind::Start, MarkKind::ProbeFailure, MarkKind::Kill];

    /// The CSS modifier (`mark--pull`).
    #[must_use]
    pub fn class(self) -> &'static str {
        match self {
            MarkKind::Scheduling => "scheduling",
            MarkKind::Pull => "pull",
            MarkKind::Start => "start",
            MarkKind::ProbeFailure => "probe",
            MarkKind::Kill => "kill",
        }
    }

    /// The legend's text, in the words of `t`.
    #[must_use]
    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            MarkKind::Scheduling => t.mark_scheduling,
            MarkKind::Pull => t.mark_pulls,
            MarkKind::Start => t.mark_starts,
            MarkKind::ProbeFailure => t.mark_probe_failures,
            MarkKind::Kill => t.mark_kills,
        }
    }

    /// The legend's icon.
    #[must_use]
    pub fn glyph(self) -> Glyph {
        match self {
            MarkKind::Scheduling => Glyph::Diamond,
            MarkKind::Pull => Glyph::TriangleDown,
            MarkKind::Start => Glyph::Play,
            MarkKind::ProbeFailure => Glyph::Cross,
            MarkKind::Kill => Glyph::Square,
        }
    }

    /// Which of two kinds in the same place wins (the rarer, more telling one).
    fn rank(self) -> u8 {
        match self {
            MarkKind::Kill => 5,
            MarkKind::ProbeFailure => 4,
            MarkKind::Start => 3,
            MarkKind::Scheduling => 2,
            MarkKind::Pull => 1,
        }
    }
}

/// The mark a step leaves on the scrubber, if it is one of the moments worth finding again.
#[must_use]
pub fn mark_kind(why: &Why) -> Option<MarkKind> {
    match why {
        Why::Scheduled { .. } | Why::Unschedulable { .. } | Why::Preempting { .. } => Some(MarkKind::Scheduling),
        Why::Pulling { .. } | Why::Pulled { .. } | Why::PullFailed { .. } | Why::PullBackOff { .. } | Why::NeverPull { .. } => {
            Some(MarkKind::Pull)
        }
        Why::Started { .. } => Some(MarkKind::Start),
        Why::ProbeResult { success: false, .. } | Why::ProbeThreshold { success: false, .. } => Some(MarkKind::ProbeFailure),
        Why::Killing { .. } | Why::GraceExpired { .. } | Why::Evicting { .. } | Why::DeadlineExceeded { .. } | Why::NodeFailed { .. } => {
            Some(MarkKind::Kill)
        }
        // An exit shows as the kubelet's reaction to it: an immediate restart, a back-off, or
        // no restart under restartPolicy.
        Why::Exited { exit_code, .. }
        | Why::CrashLoop { exit_code, .. }
        | Why::NotRestarted { exit_code, .. }
        | Why::Restarting { exit_code, delay_ms: 0, .. }
            if *exit_code != 0 =>
        {
            Some(MarkKind::Kill)
        }
        _ => None,
    }
}

/// One mark on the scrubber: where (percent of the run), what, and how many steps it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub percent: f64,
    pub kind: MarkKind,
    pub count: usize,
    /// Virtual time of the first step it stands for.
    pub at_ms: SimTime,
}

/// The marks of a run, merged into `buckets` slots per kind so a 10,000-step run still draws a
/// few hundred elements. Sorted by position.
#[must_use]
pub fn bucket_marks(steps: &[Step], end: SimTime, buckets: usize) -> Vec<Mark> {
    let buckets = buckets.max(1);
    let end = end.max(1);
    let mut slots: std::collections::BTreeMap<(usize, MarkKind), Mark> = std::collections::BTreeMap::new();
    for step in steps {
        let Some(kind) = mark_kind(&step.why) else { continue };
        let t = step.time_ms.min(end);
        // u128: no overflow for any u64 time.
        let slot = usize::try_from(u128::from(t) * (buckets as u128 - 1) / u128::from(end)).unwrap_or(buckets - 1);
        slots
            .entry((slot, kind))
            .and_modify(|m| m.count += 1)
            .or_insert(Mark { percent: t as f64 * 100.0 / end as f64, kind, count: 1, at_ms: t });
    }
    let mut marks: Vec<Mark> = slots.into_values().collect();
    marks.sort_by(|a, b| a.percent.total_cmp(&b.percent).then(b.kind.rank().cmp(&a.kind.rank())));
    marks
}

/// The transport command for a key (`key` as `KeyboardEvent.key`), if it is a shortcut.
#[must_use]
pub fn key_command(key: &str, shift: bool) -> Option<Command> {
    match key {
        " " | "Spacebar" => Some(Command::Toggle),
        "ArrowRight" if shift => Some(Command::InstantForward),
        "ArrowRight" => Some(Command::StepForward),
        "ArrowLeft" if shift => Some(Command::InstantBack),
        "ArrowLeft" => Some(Command::StepBack),
        "Home" => Some(Command::JumpStart),
        "End" => Some(Command::JumpEnd),
        _ => None,
    }
}

/// Where the transport's keys must be left alone: text input, the editor, the terminal, menus
/// and tab strips (their own arrow keys). The scrubber is a range input but takes our keys.
const KEYS_BELONG_TO: &str = "textarea, select, input:not([type=range]), [contenteditable]:not([contenteditable=false]), \
     [role=tab], [role=tablist], [role=listbox], [role=menu], .monaco-editor, [data-testid=editor], [data-testid=terminal-input]";

fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Starts the animation-frame loop for playing generation `generation`; it stops by itself when
/// playback stops or a newer loop replaces it.
fn run_frames(sim: SimState, current: StoredValue<u64>, generation: u64, last: f64) {
    request_animation_frame(move || {
        if current.try_get_value() != Some(generation) {
            return;
        }
        let now = performance_now();
        // A hidden tab gets no frames; coming back must not jump minutes ahead.
        let elapsed = (now - last).clamp(0.0, 250.0);
        if sim.advance(elapsed) {
            run_frames(sim, current, generation, now);
        }
    });
}

/// The transport bar (`data-testid="transport"`).
#[component]
pub fn Transport() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let playing = Memo::new(move |_| sim.playback.with(|p| p.playing));
    let time_ms = Memo::new(move |_| sim.playback.with(|p| p.cursor.time_ms));
    let steps_taken = Memo::new(move |_| sim.playback.with(|p| p.cursor.steps));
    let speed = Memo::new(move |_| sim.playback.with(|p| p.speed));
    let end_ms = Memo::new(move |_| sim.end_ms());
    let step_count = Memo::new(move |_| sim.with_steps(<[Step]>::len));
    let ready = Memo::new(move |_| sim.session.with(Option::is_some));

    // The frame loop runs only while playing.
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let now_playing = playing.get();
        let next = generation.get_value().wrapping_add(1);
        generation.set_value(next);
        if now_playing {
            run_frames(sim, generation, next, performance_now());
        }
    });

    let keys = window_event_listener(ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let Some(command) = key_command(&ev.key(), ev.shift_key()) else { return };
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if let Some(target) = target {
            if target.closest(KEYS_BELONG_TO).ok().flatten().is_some() {
                return;
            }
            // Space and Enter on a button press that button.
            if command == Command::Toggle && target.closest("button, a, summary").ok().flatten().is_some() {
                return;
            }
        }
        if !sim.session.with_untracked(Option::is_some) {
            return;
        }
        ev.prevent_default();
        sim.transport(command);
    });
    on_cleanup(move || keys.remove());

    let marks = Memo::new(move |_| sim.session.with(|s| s.as_ref().map(|s| bucket_marks(&s.timeline.steps, s.end_ms(), 240)).unwrap_or_default()));

    let by_event_or_instant = move |ev: &web_sys::MouseEvent, event: Command, instant: Command| {
        sim.transport(if ev.shift_key() { instant } else { event });
    };

    view! {
        <section class="transport" data-testid="transport" data-revision=move || sim.revision.get() aria-label=t.playback>
            <div class="transport__buttons" role="group" aria-label=t.playback_controls>
                <button
                    type="button"
                    class="button button--icon"
                    data-testid="jump-start"
                    aria-label=t.jump_start
                    title=t.jump_start_title
                    disabled=move || !ready.get()
                    on:click=move |_| sim.transport(Command::JumpStart)
                >
                    <Icon glyph=Glyph::JumpStart />
                </button>
                <button
                    type="button"
                    class="button button--icon"
                    data-testid="step-back"
                    aria-label=t.step_back
                    title=t.step_back_title
                    disabled=move || !ready.get() || steps_taken.get() == 0
                    on:click=move |ev| by_event_or_instant(&ev, Command::StepBack, Command::InstantBack)
                >
                    <Icon glyph=Glyph::StepBack />
                </button>
                <button
                    type="button"
                    class="button button--primary button--icon transport__play"
                    data-testid=move || if playing.get() { "transport-pause" } else { "transport-play" }
                    aria-label=move || if playing.get() { t.pause } else { t.play }
                    title=move || if playing.get() { t.pause_title } else { t.play_title }
                    disabled=move || !ready.get()
                    on:click=move |_| sim.transport(Command::Toggle)
                >
                    {move || view! { <Icon glyph=if playing.get() { Glyph::Pause } else { Glyph::Play } /> }}
                </button>
                <button
                    type="button"
                    class="button button--icon"
                    data-testid="step-forward"
                    aria-label=t.step_forward
                    title=t.step_forward_title
                    disabled=move || { !ready.get() || steps_taken.get() >= step_count.get() }
                    on:click=move |ev| by_event_or_instant(&ev, Command::StepForward, Command::InstantForward)
                >
                    <Icon glyph=Glyph::StepForward />
                </button>
                <button
                    type="button"
                    class="button button--icon"
                    data-testid="jump-end"
                    aria-label=t.jump_end
                    title=t.jump_end_title
                    disabled=move || !ready.get()
                    on:click=move |_| sim.transport(Command::JumpEnd)
                >
                    <Icon glyph=Glyph::JumpEnd />
                </button>
            </div>
            <label class="transport__speed">
                <span class="visually-hidden">{t.speed}</span>
                <select
                    data-testid="speed"
                    title=t.speed_title
                    on:change:target=move |ev| {
                        if let Ok(v) = ev.target().value().parse::<f64>() {
                            sim.transport(Command::Speed(v));
                        }
                    }
                >
                    {SPEEDS
                        .iter()
                        .map(|s| {
                            let s = *s;
                            view! {
                                <option value=s.to_string() selected=move || (speed.get() - s).abs() < 1e-9>
                                    {speed_label(s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="transport__scrubber">
                <div class="scrubber__marks" aria-hidden="true">
                    {move || {
                        marks
                            .get()
                            .into_iter()
                            .map(|m| {
                                let title = (t.mark_title)(m.kind.label(t), &clock(m.at_ms), m.count - 1);
                                view! {
                                    <span
                                        class=format!("mark mark--{}", m.kind.class())
                                        style=format!("left: {:.3}%", m.percent)
                                        title=title
                                    ></span>
                                }
                            })
                            .collect_view()
                    }}
                </div>
                <input
                    type="range"
                    class="scrubber__input"
                    data-testid="scrubber"
                    aria-label=t.virtual_time
                    min="0"
                    step="100"
                    max=move || end_ms.get().to_string()
                    prop:value=move || time_ms.get().to_string()
                    aria-valuetext=move || clock(time_ms.get())
                    disabled=move || !ready.get()
                    on:input:target=move |ev| {
                        if let Ok(v) = ev.target().value().parse::<f64>() {
                            // The range gives a float; times are whole milliseconds.
                            sim.transport(Command::Seek(v.max(0.0) as SimTime));
                        }
                    }
                />
            </div>
            <p class="transport__time">
                <output data-testid="clock" class="transport__clock" aria-label=t.virtual_time>
                    {move || clock(time_ms.get())}
                </output>
                <span class="transport__end">{move || (t.clock_end)(&clock(end_ms.get()))}</span>
                <span class="transport__steps" data-testid="step-count">
                    {move || (t.step_of)(steps_taken.get(), step_count.get())}
                </span>
            </p>
            <ul class="transport__legend" aria-label=t.scrubber_marks>
                {MarkKind::ALL
                    .iter()
                    .map(|k| {
                        view! {
                            <li class=format!("legend legend--{}", k.class())>
                                <span class="legend__glyph"><Icon glyph=k.glyph() /></span>
                                {k.label(t)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
