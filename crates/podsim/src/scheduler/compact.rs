//! The compact lists a scheduling attempt keeps (`Attempt::outcomes`, `Attempt::scores`).
//!
//! Every step of a run keeps its attempt, so a run that schedules 10,000 pods onto 1,000 nodes
//! keeps about six million per-node entries: the bytes per entry decide how much memory the
//! timeline takes (and, on a virtual machine, much of the time, since fresh memory is cleared
//! page by page). Both lists take the narrow form in the usual case and widen themselves only
//! when a value needs it, so they always hold exactly what was pushed.

use super::score::Scores;

/// Per node looked at: 0 for a feasible node, else 1 + the index of its rejection in the
/// attempt's table. One byte each while the numbers fit (an attempt's table of distinct
/// rejections rarely has more than a handful of entries), four beyond.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcomes {
    Narrow(Vec<u8>),
    Wide(Vec<u32>),
}

impl Outcomes {
    pub fn with_capacity(n: usize) -> Outcomes {
        Outcomes::Narrow(Vec::with_capacity(n))
    }

    #[inline]
    pub fn push(&mut self, outcome: u32) {
        match self {
            Outcomes::Narrow(bytes) => match u8::try_from(outcome) {
                Ok(b) => bytes.push(b),
                Err(_) => {
                    let mut wide: Vec<u32> = Vec::with_capacity(bytes.capacity());
                    wide.extend(bytes.iter().map(|&b| u32::from(b)));
                    wide.push(outcome);
                    *self = Outcomes::Wide(wide);
                }
            },
            Outcomes::Wide(words) => words.push(outcome),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Outcomes::Narrow(v) => v.len(),
            Outcomes::Wide(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The outcomes in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = u32> + Clone + '_ {
        let (narrow, wide): (&[u8], &[u32]) = match self {
            Outcomes::Narrow(v) => (v, &[]),
            Outcomes::Wide(v) => (&[], v),
        };
        narrow.iter().map(|&b| u32::from(b)).chain(wide.iter().copied())
    }

    /// Drops the room reserved beyond what was pushed (the list is kept with its step).
    pub fn shrink_to_fit(&mut self) {
        match self {
            Outcomes::Narrow(v) => v.shrink_to_fit(),
            Outcomes::Wide(v) => v.shrink_to_fit(),
        }
    }
}

/// The feasible nodes' scores (`Scores`, one per score plugin). When the pod's TaintToleration,
/// NodeAffinity and ImageLocality scores are 100, 0 and 0 on every node (no node has a raw value
/// for the first two, none has any of its images: the usual case), only the two resource scores
/// are kept, two bytes instead of five.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScoreList {
    /// (NodeResourcesFit, NodeResourcesBalancedAllocation) per node.
    Resources(Vec<[u8; 2]>),
    Full(Vec<Scores>),
}

impl ScoreList {
    /// The full scores of a node whose only non-constant scores are the two resource ones.
    #[inline]
    fn of_resources([least, balanced]: [u8; 2]) -> Scores {
        [100, 0, least, balanced, 0]
    }

    pub fn len(&self) -> usize {
        match self {
            ScoreList::Resources(v) => v.len(),
            ScoreList::Full(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each node's full scores, in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = Scores> + Clone + '_ {
        let (resources, full): (&[[u8; 2]], &[Scores]) = match self {
            ScoreList::Resources(v) => (v, &[]),
            ScoreList::Full(v) => (&[], v),
        };
        resources.iter().map(|&r| ScoreList::of_resources(r)).chain(full.iter().copied())
    }

    pub fn get(&self, i: usize) -> Option<Scores> {
        match self {
            ScoreList::Resources(v) => v.get(i).map(|&r| ScoreList::of_resources(r)),
            ScoreList::Full(v) => v.get(i).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_widen_when_a_number_needs_more_than_a_byte() {
        let mut o = Outcomes::with_capacity(2);
        for v in [0, 3, 255] {
            o.push(v);
        }
        assert!(matches!(o, Outcomes::Narrow(_)));
        o.push(256);
        o.push(1);
        assert!(matches!(o, Outcomes::Wide(_)));
        assert_eq!(o.iter().collect::<Vec<_>>(), [0, 3, 255, 256, 1]);
        assert_eq!(o.len(), 5);
    }

    #[test]
    fn resource_only_scores_read_as_the_full_five() {
        let s = ScoreList::Resources(vec![[80, 95], [10, 20]]);
        assert_eq!(s.iter().collect::<Vec<_>>(), [[100, 0, 80, 95, 0], [100, 0, 10, 20, 0]]);
        assert_eq!(s.get(1), Some([100, 0, 10, 20, 0]));
        assert_eq!(s.get(2), None);
        let f = ScoreList::Full(vec![[1, 2, 3, 4, 5]]);
        assert_eq!(f.iter().collect::<Vec<_>>(), [[1, 2, 3, 4, 5]]);
    }
}
