//! Per-container history of a timeline, for the page's timeline lanes: one lane per container
//! instance with its waiting / running / terminated segments, and the probe and hook ticks.
//! Computed by replaying the run once and watching each pod's status change.

use std::collections::BTreeMap;

use crate::api::{ContainerState, ObjectKey};
use crate::explain::Why;
use crate::time::SimTime;
use crate::timeline::{self, Timeline};

/// What a container was doing during a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SegmentState {
    Waiting { reason: String },
    Running { ready: bool },
    Terminated { exit_code: i32, reason: String },
}

/// A stretch of time in one state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub from_ms: SimTime,
    /// `None` while it lasts to the end of the run.
    pub to_ms: Option<SimTime>,
    pub state: SegmentState,
    pub restart_count: i32,
}

/// A tick on a lane: a probe attempt or a hook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tick {
    pub at_ms: SimTime,
    /// Index of the step that recorded it (click to seek).
    pub step: usize,
    /// `liveness`, `readiness`, `startup`, `postStart`, `preStop`, `kill`.
    pub kind: String,
    pub ok: bool,
}

/// One container's lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    pub pod: ObjectKey,
    pub container: String,
    pub init: bool,
    pub segments: Vec<Segment>,
    pub ticks: Vec<Tick>,
}

fn state_of(cs: &crate::api::ContainerStatus) -> SegmentState {
    match &cs.state {
        ContainerState::Waiting { reason, .. } => SegmentState::Waiting { reason: reason.clone() },
        ContainerState::Running { .. } => SegmentState::Running { ready: cs.ready },
        ContainerState::Terminated(t) => SegmentState::Terminated { exit_code: t.exit_code, reason: t.reason.clone() },
        ContainerState::None => SegmentState::Waiting { reason: String::new() },
    }
}

/// Replays `t` and returns every container's lane, in pod then spec order.
pub fn lanes(t: &Timeline) -> Vec<Lane> {
    let mut lanes: BTreeMap<(ObjectKey, usize, String), Lane> = BTreeMap::new();
    let mut sim = timeline::start(&t.scenario);
    let limits = crate::timeline::Limits { checkpoint_every: 0, ..t.limits };
    let mut index = 0usize;
    timeline::drive(&mut sim, &limits, |step, s| {
        for ch in step.changes.iter().filter(|c| c.kind == "Pod") {
            let Some(pod) = s.world.pods.get(&ch.key) else {
                // Removed: close its open segments.
                for ((k, _, _), lane) in lanes.iter_mut() {
                    if *k == ch.key {
                        if let Some(last) = lane.segments.last_mut() {
                            last.to_ms.get_or_insert(step.time_ms);
                        }
                    }
                }
                continue;
            };
            let statuses = pod.status.init_container_statuses.iter().map(|c| (true, c)).chain(pod.status.container_statuses.iter().map(|c| (false, c)));
            for (order, (init, cs)) in statuses.enumerate() {
                let lane = lanes.entry((ch.key.clone(), order, cs.name.clone())).or_insert_with(|| Lane { pod: ch.key.clone(), container: cs.name.clone(), init, segments: Vec::new(), ticks: Vec::new() });
                let state = state_of(cs);
                let same = lane.segments.last().is_some_and(|s| s.state == state && s.restart_count == cs.restart_count && s.to_ms.is_none());
                if !same {
                    if let Some(last) = lane.segments.last_mut() {
                        last.to_ms.get_or_insert(step.time_ms);
                    }
                    lane.segments.push(Segment { from_ms: step.time_ms, to_ms: None, state, restart_count: cs.restart_count });
                }
            }
        }
        if let Some(key) = &step.pod {
            let tick = match &step.why {
                Why::ProbeResult { container, probe, success, .. } => Some((&**container, *probe, *success)),
                Why::Hook { container, hook, ok, .. } => Some((container.as_str(), hook.as_str(), *ok)),
                Why::Killing { container, .. } => Some((container.as_str(), "kill", false)),
                _ => None,
            };
            if let Some((container, kind, ok)) = tick {
                if let Some(lane) = lanes.values_mut().find(|l| l.pod == **key && l.container == container) {
                    lane.ticks.push(Tick { at_ms: step.time_ms, step: index, kind: kind.to_string(), ok });
                }
            }
        }
        index += 1;
    });
    lanes.into_values().collect()
}
