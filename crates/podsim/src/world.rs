//! The world: everything that exists at one instant — the API server's objects (the etcd view),
//! the Kubernetes events, and each node's runtime (sandboxes, container instances, logs, files).
//! Plain data with lookups; no behaviour. Only the simulation loop (`sim`) mutates it.

use std::collections::BTreeMap;

use crate::api::{ConfigMap, Namespace, Node, ObjectKey, Pod, PriorityClass, Secret, Service, Uid};
use crate::event::KubeEvent;
use crate::runtime::NodeRuntime;
use crate::time::SimTime;

/// The state of the simulated cluster at one instant.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// Virtual now.
    pub now_ms: SimTime,
    /// Unix ms that virtual time 0 corresponds to (for timestamps in the output).
    pub epoch_unix_ms: i64,
    /// The last resourceVersion handed out by the API server.
    pub resource_version: u64,
    /// Pods, shared copy-on-write: a checkpoint (and every scrub of the page) copies the map's
    /// spine, not the pods; the loop replaces a pod wholesale when it changes. Ordered by key,
    /// and also found by uid (`PodStore::by_uid`).
    pub pods: PodStore,
    pub nodes: BTreeMap<String, Node>,
    pub namespaces: BTreeMap<String, Namespace>,
    pub services: BTreeMap<ObjectKey, Service>,
    pub priority_classes: BTreeMap<String, PriorityClass>,
    pub config_maps: BTreeMap<ObjectKey, ConfigMap>,
    pub secrets: BTreeMap<ObjectKey, Secret>,
    /// Events in the order they were first recorded (aggregated in place: `Arc::make_mut`).
    /// Shared, so a checkpoint or a snapshot copies pointers, not every event's strings.
    pub events: Vec<std::sync::Arc<KubeEvent>>,
    /// Per-node runtime state (containers, processes, images, files), keyed by node name.
    pub runtimes: Runtimes,
    /// Logs of every container instance, keyed by (pod uid, container name), oldest first.
    pub logs: LogStore,
    /// The namespace kubectl commands use when none is given.
    pub current_namespace: String,
    /// The scheduler's queue (active, back-off, unschedulable pods).
    pub scheduler: crate::scheduler::SchedulingQueue,
    /// The node lifecycle controller's view of node health.
    pub node_health: crate::nodectl::NodeHealth,
    /// Every node's name in name order (the scheduler's verdicts refer to nodes by their index
    /// here; shared, so recording an attempt copies no name). Kept by the loop.
    pub node_names: std::sync::Arc<[String]>,
    /// Every node's allocatable capacities, by node index (`node_names` order): the scheduler's
    /// cache, kept by the loop.
    pub node_caps: Vec<crate::scheduler::Caps>,
    /// What the pods bound to each node use, by node index: the scheduler's cache, kept by the
    /// loop, so a cycle reads it by position while it walks the nodes.
    pub node_usage: Vec<crate::scheduler::NodeUsage>,
    /// What pods bound to a node that does not exist (any more, or yet) use, by node name; it
    /// moves into `node_usage` if a node of that name appears.
    pub orphan_usage: BTreeMap<String, crate::scheduler::NodeUsage>,
    /// Pods nominated to a node by preemption and not yet bound, by uid.
    pub nominated: BTreeMap<Uid, ObjectKey>,
    /// Index of aggregated events by their series key (see `sim::record_event`).
    pub event_index: BTreeMap<u64, Vec<usize>>,
    /// The scheduler's memo of static per-node verdicts; replaced by the loop whenever a node's
    /// labels, taints or unschedulable flag, or the set of nodes, change (scheduler/cache.rs).
    pub sched_static: crate::scheduler::StaticCache,
    /// The scheduler's memo of image spreads; replaced whenever a node's images change.
    pub image_cache: crate::scheduler::ImageCache,
}

impl World {
    /// The runtime of `node`, created empty if new.
    pub fn node_runtime_mut(&mut self, node: &str) -> &mut NodeRuntime {
        let key = self.node_name(node);
        self.runtimes.entry(key).or_default()
    }

    /// `node` as the runtimes map keeps it (shared), or a new name if it has no runtime yet.
    pub fn node_name(&self, node: &str) -> std::sync::Arc<str> {
        self.runtimes.get_key_value(node).map_or_else(|| node.into(), |(k, _)| k.clone())
    }
}

/// The API server's pods: ordered by (namespace, name), as kubectl lists them, and indexed by
/// uid. A probe tick or a kubelet sync knows its pod by uid, and finding a key among ten thousand
/// in the ordered map costs a dozen scattered string comparisons; the index costs one hashed
/// look-up of an inline uid. Reads go through to the ordered map; writes go through `insert`
/// and `remove`, which keep the index.
#[derive(Clone, Default)]
pub struct PodStore {
    by_key: BTreeMap<ObjectKey, std::sync::Arc<Pod>>,
    by_uid: FastMap<Uid, std::sync::Arc<Pod>>,
}

impl PodStore {
    /// Stores `pod` under `key`; returns the pod it replaces.
    pub fn insert(&mut self, key: ObjectKey, pod: std::sync::Arc<Pod>) -> Option<std::sync::Arc<Pod>> {
        let old = self.by_key.insert(key, pod.clone());
        if let Some(o) = &old {
            // The usual write: a new version of the same pod takes its entry's place (one look-up).
            if o.meta.uid == pod.meta.uid {
                if let Some(entry) = self.by_uid.get_mut(&pod.meta.uid).filter(|e| std::sync::Arc::ptr_eq(e, o)) {
                    *entry = pod;
                    return old;
                }
            }
            self.unindex(o);
        }
        self.by_uid.insert(pod.meta.uid.clone(), pod);
        old
    }

    /// Removes the pod stored under `key`.
    pub fn remove(&mut self, key: &ObjectKey) -> Option<std::sync::Arc<Pod>> {
        let old = self.by_key.remove(key)?;
        self.unindex(&old);
        Some(old)
    }

    /// The pod whose uid is `uid`. (The API server's uids are unique. A hand-built world that
    /// gives two pods one uid finds the one stored last, and none once that one is removed.)
    pub fn by_uid(&self, uid: &str) -> Option<&std::sync::Arc<Pod>> {
        self.by_uid.get(uid)
    }

    /// Changes the pod stored under `key` in place (tests and hand-built worlds).
    pub fn modify(&mut self, key: &ObjectKey, change: impl FnOnce(&mut Pod)) {
        if let Some(mut pod) = self.remove(key) {
            change(std::sync::Arc::make_mut(&mut pod));
            self.insert(key.clone(), pod);
        }
    }

    /// Drops `pod`'s index entry, if the entry is this very pod (another pod may share its uid
    /// in a hand-built world).
    fn unindex(&mut self, pod: &std::sync::Arc<Pod>) {
        if self.by_uid.get(&pod.meta.uid).is_some_and(|p| std::sync::Arc::ptr_eq(p, pod)) {
            self.by_uid.remove(&pod.meta.uid);
        }
    }
}

impl std::ops::Deref for PodStore {
    type Target = BTreeMap<ObjectKey, std::sync::Arc<Pod>>;
    fn deref(&self) -> &Self::Target {
        &self.by_key
    }
}

impl std::fmt::Debug for PodStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The index repeats the map: the text is the map's, as it always was.
        self.by_key.fmt(f)
    }
}

/// Two stores are equal when they hold equal pods under equal keys (the index follows).
impl PartialEq for PodStore {
    fn eq(&self, other: &PodStore) -> bool {
        self.by_key == other.by_key
    }
}

impl<'a> IntoIterator for &'a PodStore {
    type Item = (&'a ObjectKey, &'a std::sync::Arc<Pod>);
    type IntoIter = std::collections::btree_map::Iter<'a, ObjectKey, std::sync::Arc<Pod>>;
    fn into_iter(self) -> Self::IntoIter {
        self.by_key.iter()
    }
}

impl FromIterator<(ObjectKey, std::sync::Arc<Pod>)> for PodStore {
    fn from_iter<I: IntoIterator<Item = (ObjectKey, std::sync::Arc<Pod>)>>(iter: I) -> Self {
        let mut store = PodStore::default();
        for (key, pod) in iter {
            store.insert(key, pod);
        }
        store
    }
}

/// A fast hasher with no keys (FxHash's mix): lookups in the hashed stores cost a few
/// multiplications instead of SipHash's rounds. The same in every run; nothing observable depends
/// on hash order (the stores' Debug texts sort their keys).
#[derive(Clone, Copy, Default)]
pub struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with [`FxHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A hashed map looked up by key and never listed in hash order: its Debug text sorts the keys
/// (the shape of [`Runtimes`] and [`crate::runtime::PodRuntimes`]). Reads and writes go through
/// to the map.
#[derive(Clone)]
pub struct HashedMap<K, V>(FastMap<K, V>);

impl<K, V> Default for HashedMap<K, V> {
    fn default() -> Self {
        HashedMap(FastMap::default())
    }
}

impl<K, V> std::ops::Deref for HashedMap<K, V> {
    type Target = FastMap<K, V>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<K, V> std::ops::DerefMut for HashedMap<K, V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<K: Ord + std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for HashedMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.0.iter().collect::<BTreeMap<_, _>>()).finish()
    }
}

/// Every node's runtime, by node name. Hashed: a probe tick looks its node up, and an ordered map
/// of a thousand names costs a dozen scattered string comparisons per lookup. Nothing iterates it
/// in an order that shows (finding a pod by IP or uid, checking all nodes). The names are shared:
/// a probe target names its node with the map's own key (`World::node_name`), so the look-up
/// reads one string the map already keeps warm, not a copy per pod.
pub type Runtimes = HashedMap<std::sync::Arc<str>, NodeRuntime>;

/// Every container instance's log, by (pod uid, container name). Looked up by key only (its
/// Debug text sorts the keys), so nothing observable depends on its order; hashed, because a
/// busy cluster appends to it on most steps (a web server logs every probe) and an ordered map
/// of ten thousand string pairs costs a dozen scattered comparisons per append. The hasher
/// ([`FxHasher`]) has no keys: the same in every run.
///
/// A key's container name is the shared string of `Command::Log` (`memo::name`): the keys naming
/// `app` share one string, so hashing and comparing a key reads that one (warm) string instead of
/// a copy per pod last read ten virtual seconds ago.
#[derive(Clone, Default)]
pub struct LogStore(FastMap<LogKey, Vec<ContainerLog>>);

/// A log's key: the pod's uid and the container's interned name.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct LogKey {
    uid: Uid,
    container: Interned,
}

/// A log key's container name: equal names are (almost always) one shared string, so equality
/// asks the pointers first and reads the text only when they differ.
#[derive(Clone, PartialOrd, Ord)]
struct Interned(std::sync::Arc<str>);

impl PartialEq for Interned {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl Eq for Interned {}

impl std::hash::Hash for Interned {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As the (uid, name) tuple it was: the world's Debug text is fingerprinted by tests.
        f.debug_tuple("").field(&self.uid).field(&&*self.container.0).finish()
    }
}

impl LogStore {
    /// The instances' logs of one container, oldest first.
    pub fn get(&self, uid: &str, container: &str) -> &[ContainerLog] {
        self.0.get(&LogKey { uid: Uid::new(uid), container: Interned(crate::memo::name(container)) }).map_or(&[], Vec::as_slice)
    }

    /// The logs of one container, created empty if new.
    pub fn entry(&mut self, uid: Uid, container: std::sync::Arc<str>) -> &mut Vec<ContainerLog> {
        self.0.entry(LogKey { uid, container: Interned(container) }).or_default()
    }

    /// Replaces one container's logs (tests and hand-built worlds).
    pub fn insert(&mut self, (uid, container): (Uid, String), logs: Vec<ContainerLog>) {
        self.0.insert(LogKey { uid, container: Interned(crate::memo::name(&container)) }, logs);
    }
}

impl std::fmt::Debug for LogStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // In key order, so a world's Debug text (tests fingerprint it) is the same in every run.
        let sorted: BTreeMap<&LogKey, &Vec<ContainerLog>> = self.0.iter().collect();
        f.debug_tuple("LogStore").field(&sorted).finish()
    }
}

/// The log of one container instance (one run, numbered by its restartCount).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerLog {
    pub restart_count: i32,
    pub lines: Vec<(SimTime, LogLine)>,
}

/// The lines one step appends to a container's log. Most steps append one (a web server's
/// access line for a probe), kept inline, so that step allocates no list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LogLines {
    #[default]
    None,
    One(LogLine),
    Many(Vec<LogLine>),
}

impl LogLines {
    pub fn push(&mut self, line: LogLine) {
        *self = match std::mem::take(self) {
            LogLines::None => LogLines::One(line),
            LogLines::One(first) => LogLines::Many(vec![first, line]),
            LogLines::Many(mut lines) => {
                lines.push(line);
                LogLines::Many(lines)
            }
        };
    }

    pub fn as_slice(&self) -> &[LogLine] {
        match self {
            LogLines::None => &[],
            LogLines::One(line) => std::slice::from_ref(line),
            LogLines::Many(lines) => lines,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }
}

impl Extend<LogLine> for LogLines {
    fn extend<I: IntoIterator<Item = LogLine>>(&mut self, lines: I) {
        for line in lines {
            self.push(line);
        }
    }
}

impl IntoIterator for LogLines {
    type Item = LogLine;
    type IntoIter = std::iter::Chain<std::option::IntoIter<LogLine>, std::vec::IntoIter<LogLine>>;

    fn into_iter(self) -> Self::IntoIter {
        let (one, many) = match self {
            LogLines::None => (None, Vec::new()),
            LogLines::One(line) => (Some(line), Vec::new()),
            LogLines::Many(lines) => (None, lines),
        };
        one.into_iter().chain(many)
    }
}

/// One line of a container's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogLine {
    Text(String),
    /// A web server's access log line, kept as its parts and written out when read: a server
    /// logs every probe, and ten thousand probed pods write a line each every few seconds. The
    /// request's parts are shared by the lines of one client asking one path.
    Access { request: std::sync::Arc<AccessRequest>, status: u16, unix_ms: i64 },
}

/// What an access log line says of its request, besides the status and the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRequest {
    /// The server's format (`{ip}`, `{path}`, `{status}`, `{agent}`, `{date}`).
    pub format: &'static str,
    pub ip: String,
    pub path: String,
    pub agent: String,
}

impl LogLine {
    /// The line's text, without its newline.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            LogLine::Text(t) => std::borrow::Cow::Borrowed(t),
            LogLine::Access { .. } => {
                let mut out = String::new();
                self.write_to(&mut out);
                std::borrow::Cow::Owned(out)
            }
        }
    }

    /// Appends the line's text (without its newline) to `out`.
    pub fn write_to(&self, out: &mut String) {
        match self {
            LogLine::Text(t) => out.push_str(t),
            LogLine::Access { request: r, status, unix_ms } => crate::runtime::host::push_access_log(out, r.format, &r.ip, &r.path, *status, &r.agent, *unix_ms),
        }
    }
}

impl World {
    /// Brings the scheduler's node caches (`node_names`, `node_caps`, `node_usage`) up to date:
    /// `Some(names)` after those nodes were updated in place, `None` after nodes were added or
    /// removed (everything is rebuilt).
    pub fn refresh_node_caches(&mut self, updated: Option<&[&str]>) {
        if let Some(names) = updated {
            for name in names {
                if let (Some(i), Some(n)) = (self.node_index(name), self.nodes.get(*name)) {
                    if let Some(c) = self.node_caps.get_mut(i) {
                        *c = crate::scheduler::Caps::of(n);
                    }
                }
            }
            return;
        }
        // The set of nodes may have changed: the memos index nodes by position.
        self.sched_static = Default::default();
        self.image_cache = Default::default();
        // Usage follows the node's name, wherever its position moves.
        let old_usage = std::mem::take(&mut self.node_usage);
        for (name, usage) in self.node_names.iter().zip(old_usage) {
            if usage != crate::scheduler::NodeUsage::default() {
                self.orphan_usage.insert(name.clone(), usage);
            }
        }
        if self.node_names.len() != self.nodes.len() || !self.node_names.iter().zip(self.nodes.keys()).all(|(a, b)| a == b) {
            self.node_names = self.nodes.keys().cloned().collect::<Vec<_>>().into();
        }
        self.node_caps = self.nodes.values().map(crate::scheduler::Caps::of).collect();
        let mut orphans = std::mem::take(&mut self.orphan_usage);
        self.node_usage = self.node_names.iter().map(|n| orphans.remove(n).unwrap_or_default()).collect();
        self.orphan_usage = orphans;
    }

    /// A node's position in `node_names` (and `node_caps`, `node_usage`).
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.node_names.binary_search_by(|n| n.as_str().cmp(name)).ok()
    }

    /// The usage counted against a node, by name (existing or not).
    pub fn usage_mut(&mut self, name: &str) -> &mut crate::scheduler::NodeUsage {
        match self.node_index(name).filter(|&i| i < self.node_usage.len()) {
            Some(i) => &mut self.node_usage[i],
            None => self.orphan_usage.entry(name.to_string()).or_default(),
        }
    }

    /// Looks a pod up by namespace and name.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Pod> {
        self.pods.get(&ObjectKey::new(namespace, name)).map(|p| &**p)
    }

    /// Looks a pod up by uid.
    pub fn pod_by_uid(&self, uid: &str) -> Option<&Pod> {
        self.pods.by_uid(uid).map(|p| &**p)
    }

    /// The logs of `container` in the pod with `uid`: the current instance is the last.
    pub fn container_logs(&self, uid: &str, container: &str) -> &[ContainerLog] {
        self.logs.get(uid, container)
    }

    /// Unix ms for a virtual time.
    pub fn unix_ms(&self, at: SimTime) -> i64 {
        self.epoch_unix_ms + at as i64
    }
}

#[cfg(test)]
mod tests {
    use super::PodStore;
    use crate::api::{ObjectKey, Pod, Uid};
    use std::sync::Arc;

    fn pod(name: &str, uid: &str, rv: u64) -> Arc<Pod> {
        let meta = crate::api::ObjectMeta { name: name.into(), namespace: "default".into(), uid: Uid::new(uid), resource_version: rv, ..Default::default() };
        Arc::new(Pod { meta, spec: Default::default(), status: Default::default(), source: Default::default() })
    }

    /// Guards the uid index through every kind of write: a new version replaces its entry, a pod
    /// recreated under the same name with a new uid drops the old uid, a removal drops its uid,
    /// and (hand-built worlds only) two pods sharing a uid never unindex each other.
    #[test]
    fn the_uid_index_follows_every_write() {
        let mut store = PodStore::default();
        let key = ObjectKey::new("default", "web");
        store.insert(key.clone(), pod("web", "u1", 1));
        store.insert(key.clone(), pod("web", "u1", 2));
        assert_eq!(store.by_uid("u1").map(|p| p.meta.resource_version), Some(2));
        store.insert(key.clone(), pod("web", "u2", 3));
        assert!(store.by_uid("u1").is_none());
        assert_eq!(store.by_uid("u2").map(|p| p.meta.resource_version), Some(3));
        store.insert(ObjectKey::new("default", "twin"), pod("twin", "u2", 4));
        store.remove(&key);
        assert_eq!(store.by_uid("u2").map(|p| p.meta.name.as_str()), Some("twin"));
        store.remove(&ObjectKey::new("default", "twin"));
        assert!(store.by_uid("u2").is_none() && store.is_empty());
        store.modify(&key, |p| p.meta.resource_version = 9);
        assert!(store.is_empty(), "modify changes only what exists");
    }
}
