//! The scheduling queue: active pods ordered by priority then arrival (PrioritySort), a back-off
//! for pods that failed, and an unschedulable pool that cluster changes (node added or
//! uncordoned, pod deleted, labels changed) move back to active — like kube-scheduler's.

use crate::time::SimTime;

/// A pod waiting in the scheduler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedPod {
    pub key: crate::api::ObjectKey,
    pub uid: String,
    pub priority: i32,
    /// Arrival order (tie-break after priority).
    pub arrival: u64,
    /// Failed attempts so far (drives the back-off).
    pub attempts: u32,
    /// Not to be tried before this time.
    pub ready_at_ms: SimTime,
    /// When it entered the unschedulable pool.
    pub unschedulable_since_ms: Option<SimTime>,
}

/// The queue state (part of the world so the page can show it and checkpoints include it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchedulingQueue {
    /// Pods to try (ready now or after their back-off).
    pub active: Vec<QueuedPod>,
    /// Pods that failed and wait for a cluster change.
    pub unschedulable: Vec<QueuedPod>,
    /// Time of the pending scheduling cycle event, if one is queued.
    pub cycle_at: Option<SimTime>,
    next_arrival: u64,
}

impl SchedulingQueue {
    /// Adds a new pod (or refreshes an existing entry).
    pub fn add(mut self, key: &crate::api::ObjectKey, uid: &str, priority: i32, now: SimTime) -> SchedulingQueue {
        if self.active.iter().chain(&self.unschedulable).any(|p| p.uid == uid) {
            return self;
        }
        let arrival = self.next_arrival;
        self.next_arrival += 1;
        self.active.push(QueuedPod { key: key.clone(), uid: uid.into(), priority, arrival, attempts: 0, ready_at_ms: now, unschedulable_since_ms: None });
        self
    }

    /// The next pod to try at `now`: highest priority, then earliest arrival, among ready pods.
    pub fn pop_ready(mut self, now: SimTime) -> (SchedulingQueue, Option<QueuedPod>) {
        let best = self
            .active
            .iter()
            .enumerate()
            .filter(|(_, p)| p.ready_at_ms <= now)
            .min_by_key(|(_, p)| (std::cmp::Reverse(p.priority), p.arrival))
            .map(|(i, _)| i);
        let popped = best.map(|i| self.active.remove(i));
        (self, popped)
    }

    /// A pod that could not be scheduled goes to the unschedulable pool with a longer back-off.
    pub fn requeue_unschedulable(mut self, mut p: QueuedPod, now: SimTime, initial_ms: u64, max_ms: u64) -> SchedulingQueue {
        p.attempts += 1;
        let backoff = initial_ms.saturating_mul(1u64 << (p.attempts - 1).min(20)).min(max_ms);
        p.ready_at_ms = now + backoff;
        p.unschedulable_since_ms = Some(now);
        self.unschedulable.push(p);
        self
    }

    /// Something changed that may make unschedulable pods fit: move them back (they still
    /// respect their back-off).
    pub fn cluster_changed(mut self, _now: SimTime) -> SchedulingQueue {
        for mut p in std::mem::take(&mut self.unschedulable) {
            p.unschedulable_since_ms = None;
            self.active.push(p);
        }
        self
    }

    /// Unschedulable pods that waited longer than `flush_ms` are retried anyway.
    pub fn flush_stale(mut self, now: SimTime, flush_ms: u64) -> SchedulingQueue {
        let (stale, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut self.unschedulable).into_iter().partition(|p| p.unschedulable_since_ms.is_some_and(|s| now >= s + flush_ms));
        self.unschedulable = keep;
        for mut p in stale {
            p.unschedulable_since_ms = None;
            self.active.push(p);
        }
        self
    }

    /// Drops a deleted pod.
    pub fn forget(&mut self, uid: &str) {
        self.active.retain(|p| p.uid != uid);
        self.unschedulable.retain(|p| p.uid != uid);
    }

    /// When the scheduler next has work: the earliest ready active pod, or a stale flush.
    pub fn wake_at(&self, flush_ms: u64) -> Option<SimTime> {
        let active = self.active.iter().map(|p| p.ready_at_ms).min();
        let flush = self.unschedulable.iter().filter_map(|p| p.unschedulable_since_ms.map(|s| s + flush_ms)).min();
        match (active, flush) {
            (Some(a), Some(f)) => Some(a.min(f)),
            (a, f) => a.or(f),
        }
    }

    /// Every queued pod, for display.
    pub fn len(&self) -> usize {
        self.active.len() + self.unschedulable.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
