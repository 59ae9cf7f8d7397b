//! The Timeline panel: one lane per container (the selected pod's, or every pod's when there are
//! few), its segments over virtual time as bars — waiting (with the reason; back-off gaps
//! hatched), running (ready or not), terminated (exit code) — with restart marks, probe and hook
//! ticks (shape per kind, filled when they pass, hollow when they fail), a cursor line at the
//! current time and a veil over the future. Zoom in/out/fit; clicking a segment or a tick seeks
//! there. Positioned divs (percentages of the span), so bars are focusable buttons with labels.

use leptos::html;
use leptos::prelude::*;
use podsim::history::{Lane, Segment, SegmentState, Tick};

use super::common::{fmt_duration, fmt_ms, seek_to_step, seek_to_time, EmptyPanel};
use crate::i18n::{t, Strings};
use crate::icons::{Glyph, Icon};
use crate::state::sim::use_sim_state;

/// Zoom levels (the canvas is this many times the visible width).
pub const ZOOMS: [u32; 7] = [1, 2, 4, 8, 16, 32, 64];

/// Axis label spacings to pick from.
const NICE_STEPS_MS: [u64; 14] = [500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

/// The span the lanes are drawn over ("fit"): a little past the last thing that happens in them,
/// and past the cursor (rounded up to 10s so it moves rarely), at least 10s, at most the run.
pub fn fit_span(lanes: &[Lane], cursor_ms: u64, end_ms: u64) -> u64 {
    let last = lanes
        .iter()
        .flat_map(|l| l.segments.iter().map(|s| s.to_ms.unwrap_or(s.from_ms)).chain(l.ticks.iter().map(|t| t.at_ms)))
        .max()
        .unwrap_or(0);
    let past_last = last + (last / 12).max(2_000);
    let past_cursor = (cursor_ms + cursor_ms / 20).div_ceil(10_000) * 10_000;
    let span = past_last.max(past_cursor).max(10_000);
    if end_ms > 0 {
        span.min(end_ms)
    } else {
        span
    }
}

/// The axis labels: a spacing giving at most about eight labels per visible width.
pub fn axis_marks(span_ms: u64, zoom: u32) -> Vec<u64> {
    let visible = span_ms / u64::from(zoom.max(1));
    let step = NICE_STEPS_MS.iter().copied().find(|s| visible / s <= 8).unwrap_or(3_600_000);
    (0..).map(|k| k * step).take_while(|t| *t <= span_ms).take(2_000).collect()
}

/// Percent of the span (clamped to 0–100).
pub fn pct(t: u64, span: u64) -> f64 {
    if span == 0 {
        return 0.0;
    }
    (t as f64 / span as f64 * 100.0).clamp(0.0, 100.0)
}

/// How a segment looks: its CSS modifier, its icon, its label (in the words of `t`; reasons
/// are Kubernetes' own) and its state word (`data-state`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentLook {
    pub modifier: &'static str,
    pub glyph: Glyph,
    pub label: String,
    pub word: &'static str,
}

/// The look of a segment.
pub fn segment_look(state: &SegmentState, t: &Strings) -> SegmentLook {
    let look = |modifier, glyph, label: String, word| SegmentLook { modifier, glyph, label, word };
    match state {
        SegmentState::Waiting { reason } if reason.contains("BackOff") => look("backoff", Glyph::Timer, reason.clone(), "waiting"),
        SegmentState::Waiting { reason } if reason.is_empty() => look("waiting", Glyph::Ellipsis, "Waiting".to_string(), "waiting"),
        SegmentState::Waiting { reason } => look("waiting", Glyph::Ellipsis, reason.clone(), "waiting"),
        SegmentState::Running { ready: true } => look("ready", Glyph::Play, t.seg_running_ready.to_string(), "running"),
        SegmentState::Running { ready: false } => look("unready", Glyph::PlayOutline, t.seg_running_not_ready.to_string(), "running"),
        SegmentState::Terminated { exit_code: 0, reason } => {
            look("done", Glyph::Square, (t.exited_with)(if reason.is_empty() { "Completed" } else { reason }, 0), "terminated")
        }
        SegmentState::Terminated { exit_code, reason } => {
            look("failed", Glyph::Cross, (t.exited_with)(if reason.is_empty() { "Error" } else { reason }, *exit_code), "terminated")
        }
    }
}

/// (CSS shape modifier, words in the words of `t`) of a tick kind.
pub fn tick_look(kind: &str, t: &Strings) -> (&'static str, String) {
    match kind {
        "liveness" | "readiness" | "startup" => {
            let shape = match kind {
                "liveness" => "diamond",
                "readiness" => "circle",
                _ => "triangle",
            };
            (shape, (t.probe_named)(kind))
        }
        "postStart" | "preStop" => ("hook", (t.hook_named)(kind)),
        "kill" => ("cross", t.tick_kill.to_string()),
        other => ("circle", other.to_string()),
    }
}

/// The Timeline panel's body.
#[component]
pub fn TimelinePanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    // `None`: automatic (every pod when there are at most three, else the selected one).
    let show_all = RwSignal::new(None::<bool>);
    let zoom = RwSignal::new(0usize);
    let all_lanes = Memo::new(move |_| sim.session.with(|s| s.as_ref().map(|s| s.lanes.clone())));
    let pod_count = Memo::new(move |_| {
        all_lanes.with(|l| {
            let mut pods: Vec<_> = l.as_ref().map(|l| l.iter().map(|l| l.pod.clone()).collect()).unwrap_or_default();
            pods.dedup();
            pods.len()
        })
    });
    let showing_all = Memo::new(move |_| show_all.get().unwrap_or(pod_count.get() <= 3) || sim.selected.get().is_none());
    let lanes = Memo::new(move |_| {
        let sel = sim.selected.get();
        let all = showing_all.get();
        all_lanes.with(|l| {
            l.as_ref()
                .map(|l| l.iter().filter(|lane| all || sel.as_ref() == Some(&lane.pod)).take(60).cloned().collect::<Vec<Lane>>())
                .unwrap_or_default()
        })
    });
    let cursor_ms = Memo::new(move |_| sim.snapshot.with(|s| s.as_ref().map_or(0, |s| s.time_ms)));
    let end_ms = Memo::new(move |_| sim.end_ms());
    let span = Memo::new(move |_| lanes.with(|l| fit_span(l, cursor_ms.get(), end_ms.get())));
    let scroller = NodeRef::<html::Div>::new();
    let axis = NodeRef::<html::Div>::new();
    let zoom_factor = move || ZOOMS.get(zoom.get()).copied().unwrap_or(1);

    // After a zoom, bring the cursor into the middle of the view.
    Effect::new(move |_| {
        let z = zoom_factor();
        let at = pct(cursor_ms.get_untracked(), span.get_untracked());
        if let Some(el) = scroller.get() {
            if z <= 1 {
                el.set_scroll_left(0);
            } else {
                let x = (f64::from(el.scroll_width()) * at / 100.0 - f64::from(el.client_width()) / 2.0).max(0.0);
                el.set_scroll_left(x as i32);
            }
        }
    });

    let canvas = move || {
        let span_ms = span.get();
        let z = zoom_factor();
        let lanes = lanes.get();
        let multi_pod = lanes.windows(2).any(|w| w[0].pod != w[1].pod);
        let labels = lanes
            .iter()
            .map(|lane| {
                let role = if lane.init { t.lane_init_container } else { t.lane_container };
                let restarts = lane.segments.last().map_or(0, |s| s.restart_count);
                view! {
                    <div class="tl__label">
                        <span class="mono tl__name">{lane.container.clone()}</span>
                        <span class="tl__sub">
                            {multi_pod.then(|| (t.lane_of_pod)(&lane.pod.name))}
                            {role}
                            {(restarts > 0).then(|| view! {
                                " · "
                                <Icon glyph=Glyph::Restart />
                                <span class="visually-hidden">{t.restarts_hidden}</span>
                                {restarts}
                            })}
                        </span>
                    </div>
                }
            })
            .collect_view();
        let marks = axis_marks(span_ms, z)
            .into_iter()
            .map(|t| view! { <span class="tl__mark" style:left=format!("{}%", pct(t, span_ms))>{podsim::time::clock(t)}</span> })
            .collect_view();
        let rows = lanes
            .into_iter()
            .map(|lane| {
                let name = lane.container.clone();
                let segs = lane
                    .segments
                    .iter()
                    .enumerate()
                    .map(|(i, seg)| {
                        let restarted = i > 0 && lane.segments.get(i - 1).is_some_and(|p| p.restart_count < seg.restart_count);
                        segment_view(sim, &name, seg, span_ms, restarted, t)
                    })
                    .collect_view();
                let ticks = lane.ticks.iter().map(|tick| tick_view(sim, &name, tick, span_ms, t)).collect_view();
                view! {
                    <div class="tl__lane" data-container=lane.container.clone() data-pod=lane.pod.name.clone()>
                        <div class="tl__ticks">{ticks}</div>
                        <div class="tl__bar">{segs}</div>
                    </div>
                }
            })
            .collect_view();
        view! {
            <div class="tl__body">
                <div class="tl__labels">
                    <div class="tl__label tl__label--axis" aria-hidden="true"></div>
                    {labels}
                </div>
                <div class="tl__scroll" node_ref=scroller tabindex="0" aria-label=t.lanes_label>
                    <div class="tl__canvas" style:width=format!("{}%", z * 100)>
                        <div
                            class="tl__axis"
                            aria-hidden="true"
                            node_ref=axis
                            data-testid="timeline-axis"
                            title=t.axis_title
                            on:click=move |ev: web_sys::MouseEvent| {
                                // Mouse convenience (the transport is the keyboard way to seek).
                                if let Some(el) = axis.get_untracked() {
                                    let width = f64::from(el.client_width());
                                    if width > 0.0 {
                                        let at = (f64::from(ev.offset_x()) / width).clamp(0.0, 1.0) * span_ms as f64;
                                        seek_to_time(sim, at as u64);
                                    }
                                }
                            }
                        >
                            {marks}
                        </div>
                        {rows}
                        <div class="tl__veil" aria-hidden="true" style:left=move || format!("{}%", pct(cursor_ms.get(), span.get()))></div>
                        <div class="tl__cursor" aria-hidden="true" data-testid="timeline-cursor" style:left=move || format!("{}%", pct(cursor_ms.get(), span.get()))></div>
                    </div>
                </div>
            </div>
        }
    };

    move || {
        if all_lanes.with(Option::is_none) {
            return view! { <EmptyPanel text=t.nothing_runs /> }.into_any();
        }
        view! {
            <div class="detail timeline">
                <div class="detail__toolbar">
                    <div class="tl__zoom" role="group" aria-label=t.zoom>
                        <button type="button" class="button button--ghost button--small" data-testid="timeline-zoom-out" aria-label=t.zoom_out title=t.zoom_out disabled=move || { zoom.get() == 0 } on:click=move |_| zoom.update(|z| *z = z.saturating_sub(1))><Icon glyph=Glyph::Minus /></button>
                        <button type="button" class="button button--ghost button--small" data-testid="timeline-zoom-in" aria-label=t.zoom_in title=t.zoom_in disabled=move || { zoom.get() + 1 >= ZOOMS.len() } on:click=move |_| zoom.update(|z| *z = (*z + 1).min(ZOOMS.len() - 1))><Icon glyph=Glyph::Plus /></button>
                        <button type="button" class="button button--ghost button--small" data-testid="timeline-zoom-fit" on:click=move |_| zoom.set(0)>{t.zoom_fit}</button>
                        <span class="detail__note">{move || (t.zoom_span)(zoom_factor(), &podsim::time::clock(span.get()))}</span>
                    </div>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || showing_all.get() on:change=move |_| show_all.set(Some(!showing_all.get_untracked())) />
                        " "
                        {t.all_pods}
                    </label>
                </div>
                {move || if lanes.with(Vec::is_empty) {
                    view! { <p class="detail__note">{t.lanes_none}</p> }.into_any()
                } else {
                    canvas().into_any()
                }}
                <Legend />
            </div>
        }
        .into_any()
    }
}

fn segment_view(sim: crate::state::sim::SimState, container: &str, seg: &Segment, span: u64, restarted: bool, t: &'static Strings) -> impl IntoView {
    let SegmentLook { modifier, glyph, label, word } = segment_look(&seg.state, t);
    let end = seg.to_ms.unwrap_or(span).max(seg.from_ms);
    let left = pct(seg.from_ms, span);
    let width = (pct(end, span) - left).max(0.25);
    let until = seg.to_ms.map_or_else(|| t.end_of_run.to_string(), fmt_ms);
    let aria = (t.segment_label)(container, &label, &fmt_ms(seg.from_ms), &until, &fmt_duration(end - seg.from_ms), seg.restart_count);
    let reason = match &seg.state {
        SegmentState::Waiting { reason } | SegmentState::Terminated { reason, .. } => reason.clone(),
        SegmentState::Running { ready } => if *ready { "ready".into() } else { "not ready".into() },
    };
    let from = seg.from_ms;
    view! {
        <button
            type="button"
            class=format!("seg seg--{modifier}")
            style:left=format!("{left}%")
            style:width=format!("{width}%")
            title=aria.clone()
            aria-label=aria
            data-state=word
            data-reason=reason
            data-from-ms=seg.from_ms.to_string()
            data-to-ms=seg.to_ms.map(|t| t.to_string()).unwrap_or_default()
            data-restart=seg.restart_count.to_string()
            on:click=move |_| seek_to_time(sim, from)
        >
            {restarted.then(|| view! { <span class="seg__restart" aria-hidden="true"><Icon glyph=Glyph::Restart />{seg.restart_count}</span> })}
            <span class="seg__label" aria-hidden="true"><Icon glyph=glyph />{label}</span>
        </button>
    }
}

fn tick_view(sim: crate::state::sim::SimState, container: &str, tick: &Tick, span: u64, t: &'static Strings) -> impl IntoView {
    let (shape, words) = tick_look(&tick.kind, t);
    let at = fmt_ms(tick.at_ms);
    let label = if tick.kind == "kill" {
        (t.tick_label)(container, &words, &at)
    } else if tick.ok {
        (t.tick_passed)(container, &words, &at)
    } else {
        (t.tick_failed)(container, &words, &at)
    };
    let step = tick.step;
    view! {
        <button
            type="button"
            tabindex="-1"
            class=format!("tick tick--{shape}")
            class:is-ok=tick.ok
            class:is-fail={!tick.ok}
            style:left=format!("{}%", pct(tick.at_ms, span))
            title=label.clone()
            aria-label=label
            data-kind=tick.kind.clone()
            data-ok=tick.ok.to_string()
            on:click=move |_| seek_to_step(sim, step)
        ></button>
    }
}

#[component]
fn Legend() -> impl IntoView {
    let t = t();
    let segs = [
        ("waiting", Glyph::Ellipsis, "Waiting"),
        ("backoff", Glyph::Timer, t.legend_backoff),
        ("ready", Glyph::Play, t.chip_running_ready),
        ("unready", Glyph::PlayOutline, t.chip_running_not_ready),
        ("done", Glyph::Square, t.legend_exited_0),
        ("failed", Glyph::Cross, t.legend_failed),
    ];
    let ticks = [("diamond", "liveness"), ("circle", "readiness"), ("triangle", "startup"), ("hook", t.legend_hook), ("cross", t.tick_kill)];
    view! {
        <div class="tl__legend" aria-label=t.legend>
            {segs
                .iter()
                .map(|(m, g, l)| {
                    view! {
                        <span class="legend-item">
                            <span class=format!("swatch seg--{m}") aria-hidden="true"></span>
                            <Icon glyph=*g />
                            {*l}
                        </span>
                    }
                })
                .collect_view()}
            {ticks.iter().map(|(m, l)| view! { <span class="legend-item"><span class=format!("tick tick--{m} is-ok tick--legend") aria-hidden="true"></span>{*l}</span> }).collect_view()}
            <span class="legend-item">{t.legend_ticks}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podsim::api::ObjectKey;

    fn lane(segments: Vec<(u64, Option<u64>)>, ticks: Vec<u64>) -> Lane {
        Lane {
            pod: ObjectKey::new("default", "p"),
            container: "app".into(),
            init: false,
            segments: segments.into_iter().map(|(from_ms, to_ms)| Segment { from_ms, to_ms, state: SegmentState::Running { ready: true }, restart_count: 0 }).collect(),
            ticks: ticks.into_iter().enumerate().map(|(step, at_ms)| Tick { at_ms, step, kind: "liveness".into(), ok: true }).collect(),
        }
    }

    #[test]
    fn fit_covers_the_activity_and_the_cursor() {
        let l = vec![lane(vec![(0, Some(20_000)), (20_000, None)], vec![30_000])];
        assert_eq!(fit_span(&l, 0, 600_000), 32_500);
        assert_eq!(fit_span(&l, 100_000, 600_000), 110_000);
        assert_eq!(fit_span(&l, 590_000, 600_000), 600_000);
        assert_eq!(fit_span(&[], 0, 0), 10_000);
    }

    #[test]
    fn axis_marks_are_nice() {
        assert_eq!(axis_marks(60_000, 1), vec![0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
        assert_eq!(axis_marks(60_000, 4).len(), 31);
        assert!(axis_marks(0, 1) == vec![0]);
    }

    #[test]
    fn looks_pair_colour_with_words() {
        let en = crate::i18n::Lang::En.strings();
        let backoff = segment_look(&SegmentState::Waiting { reason: "CrashLoopBackOff".into() }, en);
        assert_eq!((backoff.modifier, backoff.glyph, backoff.label.as_str()), ("backoff", Glyph::Timer, "CrashLoopBackOff"));
        let failed = segment_look(&SegmentState::Terminated { exit_code: 1, reason: "Error".into() }, en);
        assert_eq!((failed.modifier, failed.glyph, failed.label.as_str(), failed.word), ("failed", Glyph::Cross, "Error (exit 1)", "terminated"));
        let ready = segment_look(&SegmentState::Running { ready: true }, en);
        assert_eq!((ready.glyph, ready.label.as_str()), (Glyph::Play, "Running · ready"));
        assert_eq!(tick_look("startup", en), ("triangle", "startup probe".to_string()));
        assert_eq!(tick_look("preStop", en), ("hook", "preStop hook".to_string()));
        assert_eq!(pct(50, 100), 50.0);
        assert_eq!(pct(500, 100), 100.0);
        assert_eq!(pct(1, 0), 0.0);
    }
}
