//! The event queue: a min-heap keyed by (time, class, insertion sequence). Equal times pop in a
//! fixed order — user actions first, then everything else in the order it was scheduled — so a
//! run is a pure function of its input.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// Ordering class for events at the same instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Interventions (kubectl commands, faults) happen before anything else at their instant.
    Action = 0,
    /// Everything the cluster does by itself.
    Cluster = 1,
}

/// A deterministic priority queue of events. The heap orders small keys only; the events
/// themselves (a hundred bytes or more, with their names) wait in a slab, so a push or pop moves
/// 24-byte entries up and down the heap instead of whole events.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    /// (time, order, slot), where `order` is the class in the top bit above the sequence (see
    /// `order`): one integer comparison after the time. The sequence is unique, so the slot
    /// never decides.
    heap: BinaryHeap<Reverse<(SimTime, u64, u32)>>,
    slots: Vec<Option<E>>,
    /// Slots whose event was popped, reused by the next pushes.
    free: Vec<u32>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue { heap: BinaryHeap::new(), slots: Vec::new(), free: Vec::new(), next_seq: 0 }
    }
}

/// Orders events of one instant: by class, then by sequence. The sequence counts pushes and
/// stays far below 2^63 (a run pushing a million events a second would need three hundred
/// thousand years), so it never reaches the class bit.
fn order(class: Class, seq: u64) -> u64 {
    debug_assert!(seq < 1 << 63);
    ((class as u64) << 63) | seq
}

impl<E> EventQueue<E> {
    /// Schedules `event` at `at`.
    pub fn push(&mut self, at: SimTime, class: Class, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(event);
                i
            }
            None => {
                self.slots.push(Some(event));
                (self.slots.len() - 1) as u32
            }
        };
        self.heap.push(Reverse((at, order(class, seq), slot)));
    }

    /// The time of the next event.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(k)| k.0)
    }

    /// Removes and returns the next event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let Reverse((at, _, slot)) = self.heap.pop()?;
        self.free.push(slot);
        // Every slot in the heap holds its event until popped.
        self.slots.get_mut(slot as usize).and_then(Option::take).map(|e| (at, e))
    }

    /// The event `pop` would return next.
    pub fn peek(&self) -> Option<&E> {
        let Reverse((_, _, slot)) = self.heap.peek()?;
        self.slots.get(*slot as usize).and_then(Option::as_ref)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_class_then_sequence() {
        let mut q = EventQueue::default();
        q.push(10, Class::Cluster, "c10a");
        q.push(5, Class::Cluster, "c5");
        q.push(10, Class::Action, "a10");
        q.push(10, Class::Cluster, "c10b");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["c5", "a10", "c10a", "c10b"]);
    }
}
