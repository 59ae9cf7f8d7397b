//! Object metadata and references shared by every kind.

use std::collections::BTreeMap;

use crate::time::SimTime;

/// `metadata`, reduced to what the simulator reads and prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectMeta {
    pub name: String,
    /// Empty for cluster-scoped kinds (Node, Namespace, PriorityClass).
    pub namespace: String,
    /// Assigned by the API server on create.
    pub uid: Uid,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// Assigned by the API server on every write.
    pub resource_version: u64,
    pub generation: i64,
    /// Virtual time of creation; `None` until the API server stores the object.
    pub creation_ms: Option<SimTime>,
    /// Set by a graceful delete; the object stays until its owner finishes it.
    pub deletion_ms: Option<SimTime>,
    pub deletion_grace_seconds: Option<i64>,
}

/// An object's uid, kept inline. A probe tick or a scheduling step compares and hashes a few
/// uids, and a `String` keeps its bytes elsewhere in memory: with ten thousand pods, each of those
/// reads missed the cache. Every uid the API server hands out has 36 bytes and fits; a longer one
/// (written by hand in a test) is kept on the heap, shared. It orders, hashes, compares and
/// prints exactly as its text does, and reads as a `&str`.
#[derive(Clone)]
pub struct Uid(UidRepr);

/// Room for the API server's uids (36 bytes) with a little to spare.
const UID_INLINE: usize = 38;

#[derive(Clone)]
enum UidRepr {
    Inline { len: u8, bytes: [u8; UID_INLINE] },
    Shared(std::sync::Arc<str>),
}

impl Uid {
    pub fn new(text: &str) -> Uid {
        if text.len() <= UID_INLINE {
            let mut bytes = [0u8; UID_INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Uid(UidRepr::Inline { len: text.len() as u8, bytes })
        } else {
            Uid(UidRepr::Shared(text.into()))
        }
    }

    fn bytes(&self) -> &[u8] {
        match &self.0 {
            UidRepr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            UidRepr::Shared(s) => s.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Not checked again: every map look-up by uid reads its key this way, ten thousand
            // probes a minute.
            UidRepr::Inline { .. } => {
                let bytes = self.bytes();
                debug_assert!(std::str::from_utf8(bytes).is_ok());
                // SAFETY: `Uid::new` is the only writer of `Inline`, and it copies a whole `&str`
                // (`len` of it); `bytes()` returns exactly those bytes: valid UTF-8.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            UidRepr::Shared(s) => s,
        }
    }
}

impl Default for Uid {
    fn default() -> Uid {
        Uid::new("")
    }
}

impl std::ops::Deref for Uid {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Uid {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Uid {
    fn from(s: &str) -> Uid {
        Uid::new(s)
    }
}

impl From<String> for Uid {
    fn from(s: String) -> Uid {
        Uid::new(&s)
    }
}

impl PartialEq for Uid {
    fn eq(&self, other: &Uid) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Uid {}

impl PartialEq<str> for Uid {
    fn eq(&self, other: &str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Uid {
    fn eq(&self, other: &&str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Uid {
    fn eq(&self, other: &String) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<Uid> for str {
    fn eq(&self, other: &Uid) -> bool {
        self.as_bytes() == other.bytes()
    }
}

impl PartialEq<Uid> for &str {
    fn eq(&self, other: &Uid) -> bool {
        self.as_bytes() == other.bytes()
    }
}

impl PartialEq<Uid> for String {
    fn eq(&self, other: &Uid) -> bool {
        self.as_bytes() == other.bytes()
    }
}

impl Ord for Uid {
    fn cmp(&self, other: &Uid) -> std::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl PartialOrd for Uid {
    fn partial_cmp(&self, other: &Uid) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// As `str` hashes, so a map keyed by uids can be asked with a `&str`.
impl std::hash::Hash for Uid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Display for Uid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Uid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A namespaced name, the key of the object store.
///
/// Build it with [`ObjectKey::new`] and do not assign its fields: it also keeps the first bytes of
/// both strings as integers, so ordering two keys (a lookup in a store of ten thousand pods makes
/// a few dozen comparisons) seldom reads the strings themselves, which live elsewhere in memory.
#[derive(Clone, Default)]
pub struct ObjectKey {
    pub namespace: String,
    pub name: String,
    /// Big-endian, zero-padded: the namespace's first 8 bytes, the name's first 16.
    order: [u64; 3],
}

/// Up to 8 bytes of `s` from `from`, big-endian and zero-padded, so integer order is byte order.
fn prefix_word(s: &str, from: usize) -> u64 {
    let bytes = s.as_bytes().get(from..).unwrap_or_default();
    let mut word = [0u8; 8];
    let n = bytes.len().min(8);
    word[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(word)
}

impl ObjectKey {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> ObjectKey {
        let (namespace, name) = (namespace.into(), name.into());
        let order = [prefix_word(&namespace, 0), prefix_word(&name, 0), prefix_word(&name, 8)];
        ObjectKey { namespace, name, order }
    }
}

/// Orders two strings whose first `covered` bytes (zero-padded) are equal: short strings of the
/// same length are then equal; anything else needs the full comparison.
fn rest_cmp(a: &str, b: &str, covered: usize) -> std::cmp::Ordering {
    if a.len() == b.len() && a.len() <= covered {
        std::cmp::Ordering::Equal
    } else {
        a.cmp(b)
    }
}

impl Ord for ObjectKey {
    fn cmp(&self, other: &ObjectKey) -> std::cmp::Ordering {
        // Zero-padded big-endian prefixes order as the strings do wherever they differ.
        self.order[0]
            .cmp(&other.order[0])
            .then_with(|| rest_cmp(&self.namespace, &other.namespace, 8))
            .then_with(|| self.order[1].cmp(&other.order[1]))
            .then_with(|| self.order[2].cmp(&other.order[2]))
            .then_with(|| rest_cmp(&self.name, &other.name, 16))
    }
}

impl PartialOrd for ObjectKey {
    fn partial_cmp(&self, other: &ObjectKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ObjectKey {
    fn eq(&self, other: &ObjectKey) -> bool {
        self.order == other.order && self.namespace == other.namespace && self.name == other.name
    }
}

impl Eq for ObjectKey {}

impl std::hash::Hash for ObjectKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // The strings alone (the prefixes follow from them), as the derived hash did.
        self.namespace.hash(state);
        self.name.hash(state);
    }
}

impl std::fmt::Debug for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectKey").field("namespace", &self.namespace).field("name", &self.name).finish()
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// A label selector: `matchLabels` plus `matchExpressions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<SelectorRequirement>,
}

/// One `key op values` requirement (label selectors and node selector terms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorRequirement {
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`.
    pub operator: String,
    pub values: Vec<String>,
}

impl SelectorRequirement {
    /// Whether `labels` satisfy this requirement (Kubernetes semantics, incl. Gt/Lt on integers).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let v = labels.get(&self.key);
        match self.operator.as_str() {
            "In" => v.is_some_and(|v| self.values.contains(v)),
            "NotIn" => v.is_none_or(|v| !self.values.contains(v)),
            "Exists" => v.is_some(),
            "DoesNotExist" => v.is_none(),
            "Gt" | "Lt" => {
                let (Some(v), Some(bound)) = (v.and_then(|v| v.parse::<i64>().ok()), self.values.first().and_then(|b| b.parse::<i64>().ok())) else {
                    return false;
                };
                if self.operator == "Gt" { v > bound } else { v < bound }
            }
            _ => false,
        }
    }
}

impl LabelSelector {
    /// Whether `labels` satisfy every part of the selector. An empty selector matches everything.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::{ObjectKey, Uid};

    /// The prefix shortcut must order keys exactly as (namespace, name) string pairs: names
    /// around the 8- and 16-byte boundaries, shared prefixes, empty strings, non-ASCII.
    #[test]
    fn keys_order_as_their_string_pairs() {
        let words = ["", "a", "default", "default1", "defaultx", "kube-system", "kube-systen", "pod-00001", "pod-00001-x", "pod-0000", "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnoq", "z", "é", "a\u{0}"];
        let keys: Vec<ObjectKey> = words.iter().flat_map(|ns| words.iter().map(move |n| ObjectKey::new(*ns, *n))).collect();
        for a in &keys {
            for b in &keys {
                let expected = (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name));
                assert_eq!(a.cmp(b), expected, "{a:?} vs {b:?}");
                assert_eq!(a == b, expected.is_eq(), "{a:?} == {b:?}");
            }
        }
    }

    /// A uid kept inline (or, past 38 bytes, on the heap) must behave as its text: the same
    /// order, equality, hash (maps keyed by uids are asked with a `&str`), Display and Debug.
    #[test]
    fn uids_behave_as_their_text() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let long = "x".repeat(39);
        let texts = ["", "a", "uid-1", "0c5e6f3a-1b2d-4c3e-8f4a-5b6c7d8e9f00", "0c5e6f3a-1b2d-4c3e-8f4a-5b6c7d8e9f01", "é-ü", long.as_str(), "x"];
        let hasher = BuildHasherDefault::<crate::world::FxHasher>::default();
        for a in texts {
            let ua = Uid::new(a);
            assert_eq!(ua.as_str(), a);
            assert_eq!(format!("{ua}"), a);
            assert_eq!(format!("{ua:?}"), format!("{a:?}"));
            assert_eq!(hasher.hash_one(&ua), hasher.hash_one(a), "{a}");
            // Each direction and each text type has its own impl.
            let owned: String = a.into();
            assert!(ua == a, "{a}");
            assert!(a == ua, "{a}");
            assert!(ua == owned, "{a}");
            assert!(owned == ua, "{a}");
            for b in texts {
                let ub = Uid::new(b);
                assert_eq!(ua.cmp(&ub), a.cmp(b), "{a} vs {b}");
                assert_eq!(ua == ub, a == b);
            }
        }
        let mut by_uid = crate::world::FastMap::default();
        by_uid.insert(Uid::new(&long), 1);
        assert_eq!(by_uid.get(long.as_str()), Some(&1));
    }
}
