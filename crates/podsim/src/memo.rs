//! Small per-thread memos of pure functions: the few distinct image references, catalog texts
//! and log formats of a run, asked about on every probe tick or status write. A memo holds at
//! most a fixed number of entries (the oldest goes first) and only speeds up a lookup: what it
//! returns is what the function returns, so no output depends on it.

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
