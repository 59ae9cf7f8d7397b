//! The scheduling queue: active pods ordered by priority then arrival (PrioritySort), a back-off
//! for pods that failed, and an unschedulable pool that cluster changes (node added or
//! uncordoned, pod deleted, labels changed) move back — like kube-scheduler's. Ordered maps keep
//! every operation logarithmic, so 10,000 queued pods cost nothing per step.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::api::Uid;
use crate::time::SimTime;

/// A pod waiting in the scheduler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedPod {
    pub key: crate::api::ObjectKey,
    pub uid: Uid,
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
    /// Pods the scheduler has placed whose binding is not written yet: uid → (node, pod key).
    /// They count against their node, as kube-scheduler's "assumed" pods do.
    pub assumed: BTreeMap<Uid, (String, crate::api::ObjectKey)>,
    next_arrival: u64,
    /// The uids of every queued pod, so adding and forgetting never scan the queue.
    uids: QueuedUids,
}

/// The uids of the queued pods: a hashed set, because it is only asked "is this one queued?"
/// (a pod's uid is random text, so an ordered set of ten thousand costs a dozen scattered string
/// comparisons per question). Never listed in hash order: its Debug text sorts them.
#[derive(Clone, Default, PartialEq, Eq)]
struct QueuedUids(std::collections::HashSet<Uid, std::hash::BuildHasherDefault<crate::world::FxHasher>>);

impl QueuedUids {
    fn insert(&mut self, uid: Uid) -> bool {
        self.0.insert(uid)
    }

    fn remove(&mut self, uid: &str) -> bool {
        self.0.remove(uid)
    }
}

impl std::fmt::Debug for QueuedUids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.iter().collect::<BTreeSet<_>>()).finish()
    }
}

/// One change to the queue, as the scheduler and the API server ask for it; the simulation loop
/// applies them (so no actor ever copies the whole queue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueOp {
    /// A new pod arrives.
    Add { key: crate::api::ObjectKey, uid: Uid, priority: i32 },
    /// A cycle took this pod out to try it.
    Take { pod: QueuedPod },
    /// The tried pod did not fit: it waits for a cluster change.
    Unschedulable { pod: QueuedPod, initial_ms: u64, max_ms: u64 },
    /// A node appeared or changed, or a pod left: unschedulable pods may fit now.
    ClusterChanged,
    /// Unschedulable pods that waited this long are retried anyway.
    FlushStale { flush_ms: u64 },
    /// A pod was placed on a node; it counts there until its binding lands.
    Assume { uid: Uid, node: String, key: crate::api::ObjectKey },
    /// The binding landed (or the pod went away).
    Unassume { uid: Uid },
    /// Where the next cycle starts looking through the nodes.
    NextStartNode(usize),
    /// The pending cycle ran.
    CycleDone,
    /// A cycle is queued for this time.
    CycleAt(SimTime),
}

impl SchedulingQueue {
    /// Applies one operation at `now`.
    pub fn apply(&mut self, op: QueueOp, now: SimTime) {
        match op {
            QueueOp::Add { key, uid, priority } => *self = std::mem::take(self).add(&key, &uid, priority, now),
            QueueOp::Take { pod } => {
                self.promote(now);
                if self.active.remove(&(Reverse(pod.priority), pod.arrival)).is_none() {
                    self.forget_queued(&pod.uid);
                }
                self.uids.remove(&pod.uid);
            }
            QueueOp::Unschedulable { pod, initial_ms, max_ms } => *self = std::mem::take(self).requeue_unschedulable(pod, now, initial_ms, max_ms),
            QueueOp::ClusterChanged => *self = std::mem::take(self).cluster_changed(now),
            QueueOp::FlushStale { flush_ms } => *self = std::mem::take(self).flush_stale(now, flush_ms),
            QueueOp::Assume { uid, node, key } => {
                self.assumed.insert(uid, (node, key));
            }
            QueueOp::Unassume { uid } => {
                self.assumed.remove(&uid);
            }
            QueueOp::NextStartNode(i) => self.next_start_node = i,
            QueueOp::CycleDone => self.cycle_at = None,
            QueueOp::CycleAt(t) => self.cycle_at = Some(t),
        }
    }

    /// The pod the next cycle at `now` takes: the best (priority, arrival) among ready pods,
    /// counting back-offs that ended and stale unschedulable pods as ready.
    pub fn peek_ready(&self, now: SimTime, flush_ms: u64) -> Option<&QueuedPod> {
        let rank = |p: &QueuedPod| (Reverse(p.priority), p.arrival);
        let active = self.active.values().next();
        let backoff = self.backoff.range(..(now + 1, 0)).map(|(_, p)| p).min_by_key(|p| rank(p));
        let stale = self.unschedulable.values().take_while(|p| p.unschedulable_since_ms.is_some_and(|s| s + flush_ms <= now)).filter(|p| p.ready_at_ms <= now).min_by_key(|p| rank(p));
        [active, backoff, stale].into_iter().flatten().min_by_key(|p| rank(p))
    }

    fn forget_queued(&mut self, uid: &str) {
        if !self.uids.remove(uid) {
            return;
        }
        self.active.retain(|_, p| p.uid != uid);
        self.backoff.retain(|_, p| p.uid != uid);
        self.unschedulable.retain(|_, p| p.uid != uid);
    }

    /// Adds a new pod (unless it is already queued).
    pub fn add(mut self, key: &crate::api::ObjectKey, uid: &str, priority: i32, now: SimTime) -> SchedulingQueue {
        if !self.uids.insert(Uid::new(uid)) {
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
        if let Some(p) = &popped {
            self.uids.remove(&p.uid);
        }
        (self, popped)
    }

    /// A pod that could not be scheduled waits in the unschedulable pool with a longer back-off.
    pub fn requeue_unschedulable(mut self, mut p: QueuedPod, now: SimTime, initial_ms: u64, max_ms: u64) -> SchedulingQueue {
        p.attempts += 1;
        let backoff = initial_ms.saturating_mul(1u64 << (p.attempts - 1).min(20)).min(max_ms);
        p.ready_at_ms = now + backoff;
        p.unschedulable_since_ms = Some(now);
        self.uids.insert(p.uid.clone());
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

    /// Drops a deleted pod.
    pub fn forget(&mut self, uid: &str) {
        self.forget_queued(uid);
        self.assumed.remove(uid);
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
