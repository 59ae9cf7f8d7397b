//! The scheduling queue: active pods ordered by priority then arrival (PrioritySort), a back-off
//! for pods that failed, and an unschedulable pool that cluster changes (node added or
//! uncordoned, pod deleted, labels changed) move back — like kube-scheduler's. Ordered maps keep
//! every operation logarithmic, so 10,000 queued pods cost nothing per step.

use std::cmp::Reverse;
use std::collections::BTreeMap;

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
    /// Ready pods by (priority descending, arrival).
    active: BTreeMap<(Reverse<i32>, u64), QueuedPod>,
    /// Pods waiting out their back-off, by (ready time, arrival).
    backoff: BTreeMap<(SimTime, u64), QueuedPod>,
    /// Pods that failed and wait for a cluster change, by (since, arrival).
    unschedulable: BTreeMap<(SimTime, u64), QueuedPod>,
    /// Time of the pending scheduling cycle event, if one is queued.
    pub cycle_at: Option<SimTime>,
    /// Where the next cycle starts looking through the nodes (kube-scheduler rotates it).
    pub next_start_node: usize,
    /// Pods the scheduler has placed whose binding is not written yet: (uid, node). They count
    /// against their node, as kube-scheduler's "assumed" pods do.
    pub assumed: Vec<(String, String)>,
    next_arrival: u64,
}

impl SchedulingQueue {
    /// Adds a new pod (unless it is already queued).
    pub fn add(mut self, key: &crate::api::ObjectKey, uid: &str, priority: i32, now: SimTime) -> SchedulingQueue {
        if self.pods().any(|p| p.uid == uid) {
            return self;
        }
        let arrival = self.next_arrival;
        self.next_arrival += 1;
        let p = QueuedPod { key: key.clone(), uid: uid.into(), priority, arrival, attempts: 0, ready_at_ms: now, unschedulable_since_ms: None };
        self.active.insert((Reverse(priority), arrival), p);
        self
    }

    fn promote(&mut self, now: SimTime) {
        while let Some(entry) = self.backoff.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let p = entry.remove();
            self.active.insert((Reverse(p.priority), p.arrival), p);
        }
    }

    /// The next pod to try at `now`: highest priority, then earliest arrival, among ready pods.
    pub fn pop_ready(mut self, now: SimTime) -> (SchedulingQueue, Option<QueuedPod>) {
        self.promote(now);
        let popped = self.active.pop_first().map(|(_, p)| p);
        (self, popped)
    }

    /// A pod that could not be scheduled waits in the unschedulable pool with a longer back-off.
    pub fn requeue_unschedulable(mut self, mut p: QueuedPod, now: SimTime, initial_ms: u64, max_ms: u64) -> SchedulingQueue {
        p.attempts += 1;
        let backoff = initial_ms.saturating_mul(1u64 << (p.attempts - 1).min(20)).min(max_ms);
        p.ready_at_ms = now + backoff;
        p.unschedulable_since_ms = Some(now);
        self.unschedulable.insert((now, p.arrival), p);
        self
    }

    fn release(&mut self, mut p: QueuedPod) {
        p.unschedulable_since_ms = None;
        self.backoff.insert((p.ready_at_ms, p.arrival), p);
    }

    /// Something changed that may make unschedulable pods fit: move them back (they still
    /// respect their back-off).
    pub fn cluster_changed(mut self, now: SimTime) -> SchedulingQueue {
        for (_, p) in std::mem::take(&mut self.unschedulable) {
            self.release(p);
        }
        self.promote(now);
        self
    }

    /// Unschedulable pods that waited longer than `flush_ms` are retried anyway.
    pub fn flush_stale(mut self, now: SimTime, flush_ms: u64) -> SchedulingQueue {
        while let Some(entry) = self.unschedulable.first_entry() {
            if entry.key().0 + flush_ms > now {
                break;
            }
            let p = entry.remove();
            self.release(p);
        }
        self
    }

    /// Records a placement until its binding lands.
    pub fn assume(mut self, uid: &str, node: &str) -> SchedulingQueue {
        self.assumed.retain(|(u, _)| u != uid);
        self.assumed.push((uid.to_string(), node.to_string()));
        self
    }

    /// Drops a deleted pod.
    pub fn forget(&mut self, uid: &str) {
        self.active.retain(|_, p| p.uid != uid);
        self.backoff.retain(|_, p| p.uid != uid);
        self.unschedulable.retain(|_, p| p.uid != uid);
        self.assumed.retain(|(u, _)| u != uid);
    }

    /// When the scheduler next has work: now if a pod is ready, else the earliest back-off end
    /// or stale-pool flush.
    pub fn wake_at(&self, now: SimTime, flush_ms: u64) -> Option<SimTime> {
        if !self.active.is_empty() {
            return Some(now);
        }
        let backoff = self.backoff.keys().next().map(|k| k.0);
        let flush = self.unschedulable.keys().next().map(|k| k.0 + flush_ms);
        match (backoff, flush) {
            (Some(a), Some(f)) => Some(a.min(f)),
            (a, f) => a.or(f),
        }
    }

    /// Every queued pod: active (in scheduling order), then backing off, then unschedulable.
    pub fn pods(&self) -> impl Iterator<Item = &QueuedPod> {
        self.active.values().chain(self.backoff.values()).chain(self.unschedulable.values())
    }

    /// Pods waiting for a cluster change.
    pub fn unschedulable(&self) -> impl Iterator<Item = &QueuedPod> {
        self.unschedulable.values()
    }

    pub fn len(&self) -> usize {
        self.active.len() + self.backoff.len() + self.unschedulable.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
