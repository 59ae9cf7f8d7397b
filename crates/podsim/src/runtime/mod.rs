//! The node side below the kubelet: the container runtime's state (sandboxes, container
//! instances, the image cache, files) and the process model that runs each container's program
//! in virtual time (`shell`, `catalog`, `host`).

use std::collections::BTreeMap;

use crate::api::{ObjectKey, ProbeKind, Terminated, Uid};
use crate::time::SimTime;

pub mod catalog;
pub mod host;
pub mod shell;

/// One node's runtime state.
#[derive(Clone, Debug, Default)]
pub struct NodeRuntime {
    /// Images present on the node: normalised reference → size in bytes.
    pub images: BTreeMap<String, i64>,
    /// Pods the kubelet runs, by uid.
    /// Shared copy-on-write like the world's pods: a checkpoint copies the map, not the records.
    pub pods: PodRuntimes,
    /// The kubelet stopped reporting (a node fault) since this time.
    pub failed_since_ms: Option<SimTime>,
    /// Pod IPs handed out so far (the next is .2 + this).
    pub ips_allocated: u32,
    /// The node's own disk, for `hostPath` volumes: absolute path → content (directories end
    /// with '/'). Pods on the same node mounting the same path see the same files; pods on
    /// other nodes do not.
    pub host_files: SharedFiles,
}

/// A node's pod runtime records by pod uid. Hashed: every probe tick and kubelet sync looks its
/// record up. Nothing lists it in an order that shows (a pod is found by its IP or key, which
/// are unique; the IPs in use are a set).
pub type PodRuntimes = crate::world::HashedMap<Uid, std::sync::Arc<PodRuntime>>;

/// The sandbox (pause container + network namespace).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Sandbox {
    #[default]
    None,
    Creating,
    Ready { ip: String, created_ms: SimTime },
}

/// The pod worker's in-flight runtime operation (the kubelet does these one at a time per pod).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op {
    pub id: u64,
    pub kind: OpKind,
    pub started_ms: SimTime,
}

/// What the in-flight operation is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpKind {
    CreateSandbox,
    Pull { container: String, image: String },
    /// Create (the `Created` event was emitted) then start.
    Start { container: String },
    /// The postStart hook runs; the container does not count as running until it ends.
    PostStart { container: String, ok: bool, detail: String },
}

/// A crash-loop or image-pull back-off entry (client-go flowcontrol.Backoff).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub delay_ms: u64,
    pub last_update_ms: SimTime,
}

/// A probe worker's memory (kubelet prober worker).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeWorker {
    /// Stored result: `None` = Unknown.
    pub result: Option<bool>,
    /// The last raw result and how many times in a row it came.
    pub last: Option<bool>,
    pub run: i32,
    /// After a liveness/startup failure, probing stops until a new container instance.
    pub on_hold: bool,
    /// The instance the stored result belongs to.
    pub instance: u64,
}

/// A container's probe workers, one slot per probe kind, kept in the record itself: a probe
/// tick reads its worker and the loop writes it back, and a map would put it in a node of its
/// own elsewhere in memory (one more cache miss per tick with ten thousand pods). Reads and
/// prints as the map it replaces (by kind, in kind order).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProbeWorkers([Option<ProbeWorker>; 3]);

impl ProbeWorkers {
    fn slot(kind: ProbeKind) -> usize {
        match kind {
            ProbeKind::Startup => 0,
            ProbeKind::Liveness => 1,
            ProbeKind::Readiness => 2,
        }
    }

    pub fn get(&self, kind: &ProbeKind) -> Option<&ProbeWorker> {
        self.0[Self::slot(*kind)].as_ref()
    }

    pub fn get_mut(&mut self, kind: &ProbeKind) -> Option<&mut ProbeWorker> {
        self.0[Self::slot(*kind)].as_mut()
    }

    pub fn insert(&mut self, kind: ProbeKind, worker: ProbeWorker) {
        self.0[Self::slot(kind)] = Some(worker);
    }

    pub fn clear(&mut self) {
        self.0 = Default::default();
    }
}

impl std::fmt::Debug for ProbeWorkers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds = [ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness];
        f.debug_map().entries(kinds.iter().zip(&self.0).filter_map(|(k, w)| w.as_ref().map(|w| (k, w)))).finish()
    }
}

/// Files of a container or a shared volume: path → content; directories end with '/'.
pub type Files = BTreeMap<String, String>;

/// Files shared copy-on-write: cloning a runtime record (every kubelet step does) costs nothing
/// until a program actually writes.
pub type SharedFiles = std::sync::Arc<Files>;

/// The stop sequence of a container being killed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stopping {
    /// The preStop hook runs until `until_ms`.
    PreStop { until_ms: SimTime, deadline_ms: SimTime },
    /// A sidecar waits for the app containers (and later sidecars) to exit first.
    WaitingForOrder { deadline_ms: SimTime },
    /// The stop signal was sent; SIGKILL at `kill_at_ms`.
    Signaled { kill_at_ms: SimTime },
}

/// One run of a container.
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: u64,
    /// `containerd://<64 hex>`
    pub container_id: String,
    pub restart_count: i32,
    pub created_ms: SimTime,
    pub started_ms: SimTime,
    /// The postStart hook finished (only then does the kubelet report it Running).
    pub post_start_done: bool,
    /// Set once the process has ended.
    pub exit: Option<Terminated>,
    /// The program (shell script or image server), shared copy-on-write like the files.
    pub process: Option<std::sync::Arc<host::Program>>,
    /// The container's own filesystem (outside its volume mounts). `None` until a program first
    /// writes to it: until then it is the initial filesystem (`host::initial_files`, made from
    /// the pod, which cannot change), built only when read. Most containers never write a file,
    /// and ten thousand copies of it were a tenth of a large run's memory.
    pub files: Option<SharedFiles>,
    pub stopping: Option<Stopping>,
    /// Why it is being stopped (`Killing` event text), for the exit.
    pub stop_reason: String,
    /// Memory in use (bytes), for the OOM check.
    pub memory_bytes: u64,
}

/// A container's runtime record across its instances.
#[derive(Clone, Debug, Default)]
pub struct ContainerRt {
    pub name: String,
    /// The newest instance (running or exited).
    pub instance: Option<Instance>,
    /// The termination of the instance before the newest (for `lastState`).
    pub previous: Option<Terminated>,
    /// The kubelet's reason cache: why the container is waiting (CrashLoopBackOff, ErrImagePull…).
    pub waiting: Option<(String, String)>,
    pub probes: ProbeWorkers,
    /// Instances created so far (the next restartCount).
    pub runs: i32,
}

impl ContainerRt {
    pub fn running(&self) -> Option<&Instance> {
        self.instance.as_ref().filter(|i| i.exit.is_none())
    }

    pub fn exited(&self) -> Option<&Terminated> {
        self.instance.as_ref().and_then(|i| i.exit.as_ref())
    }
}

/// Everything the runtime holds for one pod on a node.
#[derive(Clone, Debug, Default)]
pub struct PodRuntime {
    pub uid: Uid,
    /// Shared with the steps about this pod (`Step::pod`): the kubelet records many.
    pub key: std::sync::Arc<ObjectKey>,
    pub sandbox: Sandbox,
    pub op: Option<Op>,
    pub next_id: u64,
    /// Boxed: a B-tree node holds room for eleven entries, and a record is a few hundred bytes,
    /// so unboxed every pod would carry (and every kubelet step would copy) five kilobytes.
    pub containers: BTreeMap<String, Box<ContainerRt>>,
    pub backoff: BTreeMap<String, Backoff>,
    pub image_backoff: BTreeMap<String, Backoff>,
    pub image_errors: BTreeMap<String, String>,
    /// Shared volumes (emptyDir, configMap, secret…): volume name → files relative to the volume root.
    pub volumes: BTreeMap<String, SharedFiles>,
    /// Termination started (deletion, deadline, completion): when it began and its deadline.
    pub terminating: Option<(SimTime, SimTime)>,
    /// Why the pod is being stopped, for the final status (DeadlineExceeded…).
    pub terminal_reason: Option<(String, String)>,
    /// The kubelet has written a terminal phase.
    pub finished: bool,
    /// When the kubelet first acknowledged the pod (status.startTime).
    pub start_ms: Option<SimTime>,
    /// The probe workers' tick origin (when the kubelet added the pod).
    pub added_ms: SimTime,
    /// When the pod worker's next requested sync is due.
    pub sync_at: Option<SimTime>,
}

/// The files of `host_files` under the directory `path`, relative to it (`/a/b` under `/a` is `/b`).
pub fn host_subtree(host_files: &Files, path: &str) -> Files {
    let root = path.trim_end_matches('/');
    let prefix = format!("{root}/");
    host_files.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).map(|(k, v)| (k[root.len()..].to_string(), v.clone())).collect()
}

/// Replaces the directory `path` of `host_files` with `files` (relative to it, as `host_subtree`
/// returns them).
pub fn put_host_subtree(host_files: &mut Files, path: &str, files: &Files) {
    let root = path.trim_end_matches('/');
    let prefix = format!("{root}/");
    let old: Vec<String> = host_files.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone()).collect();
    for k in old {
        host_files.remove(&k);
    }
    host_files.insert(prefix, String::new());
    for (k, v) in files {
        host_files.insert(format!("{root}{k}"), v.clone());
    }
}

impl PodRuntime {
    /// A fresh id for instances and operations.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A container's record, if the kubelet has made one.
    pub fn container(&self, name: &str) -> Option<&ContainerRt> {
        self.containers.get(name).map(|b| &**b)
    }

    pub fn ip(&self) -> Option<&str> {
        match &self.sandbox {
            Sandbox::Ready { ip, .. } => Some(ip),
            _ => None,
        }
    }
}
