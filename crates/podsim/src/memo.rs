//! Small per-thread memos of pure functions: the few distinct image references, catalog texts
//! and log formats of a run, asked about on every probe tick or status write. A memo holds at
//! most a fixed number of entries (the oldest goes first) and only speeds up a lookup: what it
//! returns is what the function returns, so no output depends on it. Also [`prefetch`], a cache
//! hint of the same kind: it changes when memory arrives, never what is read.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::thread::LocalKey;

/// Up to `N` (key, value) pairs, searched in order (a handful of entries: faster than hashing).
pub struct Memo<K, V, const N: usize>(Vec<(K, V)>);

impl<K, V, const N: usize> Memo<K, V, N> {
    pub const fn new() -> Self {
        Memo(Vec::new())
    }
}

/// Calls `read` with the value `memo` holds for `key`, first computing it with `make` (and
/// storing it under `owned(key)`) if the memo has none.
pub fn with<K, V, Q, R, const N: usize>(memo: &'static LocalKey<RefCell<Memo<K, V, N>>>, key: &Q, owned: impl FnOnce(&Q) -> K, make: impl FnOnce(&Q) -> V, read: impl FnOnce(&V) -> R) -> R
where
    K: Borrow<Q> + 'static,
    V: 'static,
    Q: PartialEq + ?Sized,
{
    memo.with(|memo| {
        let mut memo = memo.borrow_mut();
        let entries = &mut memo.0;
        let at = match entries.iter().position(|(k, _)| k.borrow() == key) {
            Some(at) => at,
            None => {
                if entries.len() >= N {
                    entries.remove(0);
                }
                entries.push((owned(key), make(key)));
                entries.len() - 1
            }
        };
        read(&entries[at].1)
    })
}

/// The address and length of a static text: a key that tells the catalog's texts apart without
/// reading them.
pub fn address(text: &'static str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static LENGTHS: RefCell<Memo<String, usize, 2>> = const { RefCell::new(Memo::new()) };
    }

    /// Guards the memo: values are the function's, and the oldest entry makes room.
    #[test]
    fn a_memo_returns_the_functions_values_and_keeps_the_newest() {
        let calls = std::cell::Cell::new(0);
        let len = |s: &str| with(&LENGTHS, s, str::to_string, |s| { calls.set(calls.get() + 1); s.len() }, |v| *v);
        assert_eq!((len("a"), len("bb"), len("a")), (1, 2, 1));
        assert_eq!(calls.get(), 2);
        assert_eq!(len("ccc"), 3);
        assert_eq!(len("a"), 1);
        assert_eq!(calls.get(), 4, "\"a\" was the oldest entry when \"ccc\" came");
    }
}

/// Asks the CPU to start loading the `bytes` bytes at `ptr` into its caches, so a later read does
/// not wait for memory. Only a hint: it never faults, reads nothing into the program and has no
/// effect on any result (on targets without the instruction it does nothing).
#[inline]
pub fn prefetch<T>(ptr: *const T, bytes: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let start = ptr.cast::<i8>();
        for offset in (0..bytes).step_by(64) {
            // SAFETY: `prefetcht0` is part of SSE (in every x86_64 CPU) and never faults, whatever
            // the address; `wrapping_add` computes an address without asserting it is valid.
            #[allow(unused_unsafe)]
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(start.wrapping_add(offset))
            };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (ptr, bytes);
}

/// Where the records a probe tick reads were the last time it ran: the loop asks for them
/// ([`prefetch`]) just before the tick's next run, so the tick does not wait on memory for each
/// in turn (finding a pod's runtime record, then its container, then its server: each found
/// through the one before). Addresses only, never dereferenced: a stale one (the record was
/// replaced since) costs a useless hint and nothing else.
#[derive(Default)]
pub struct Hints([std::sync::atomic::AtomicUsize; Hints::SLOTS]);

impl Hints {
    pub const SLOTS: usize = 13;

    /// Remembers the `bytes` bytes at `ptr` as the record of slot `slot`.
    pub fn remember<T: ?Sized>(&self, slot: usize, ptr: *const T) {
        if let Some(cell) = self.0.get(slot) {
            cell.store(ptr.cast::<u8>() as usize, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Prefetches every remembered record, `bytes[slot]` bytes each.
    pub fn prefetch_all(&self, bytes: &[usize; Hints::SLOTS]) {
        for (cell, &len) in self.0.iter().zip(bytes) {
            let addr = cell.load(std::sync::atomic::Ordering::Relaxed);
            if addr != 0 {
                prefetch(addr as *const u8, len);
            }
        }
    }
}

impl Clone for Hints {
    fn clone(&self) -> Self {
        let copy = Hints::default();
        for (to, from) in copy.0.iter().zip(&self.0) {
            to.store(from.load(std::sync::atomic::Ordering::Relaxed), std::sync::atomic::Ordering::Relaxed);
        }
        copy
    }
}

/// Not part of what holds them: equal whatever they remember.
impl PartialEq for Hints {
    fn eq(&self, _: &Hints) -> bool {
        true
    }
}

impl Eq for Hints {}

impl std::fmt::Debug for Hints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hints")
    }
}

/// `name` as a shared string, the same one for every caller while it is among the last few
/// names asked for (container names: a run has a handful, and each probe's log line names one).
pub fn name(name: &str) -> std::sync::Arc<str> {
    thread_local! {
        static NAMES: RefCell<Memo<Box<str>, std::sync::Arc<str>, 32>> = const { RefCell::new(Memo::new()) };
    }
    with(&NAMES, name, |n| Box::from(n), |n| std::sync::Arc::from(n), std::sync::Arc::clone)
}
