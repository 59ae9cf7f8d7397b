//! Every default duration of the simulated cluster, in one place. Each is a typical value seen on
//! a small local cluster (kind/minikube on a laptop); a scenario may override any of them. Jitter
//! is applied by the caller from its own seeded stream, so changing one pod never moves another.

/// Durations in milliseconds (and the jitter percentage applied to the ones marked "jittered").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Durations {
    /// kubectl → API server → etcd write, until the object is stored.
    pub api_write_ms: u64,
    /// From an etcd write to a watcher (scheduler, kubelet) receiving it.
    pub watch_delivery_ms: u64,
    /// One scheduling cycle (filter + score) for one pod. Jittered.
    pub schedule_cycle_ms: u64,
    /// The binding write after a successful cycle.
    pub bind_ms: u64,
    /// The kubelet's pod worker picking up a change. Jittered.
    pub kubelet_sync_ms: u64,
    /// PLEG relist: how long until the kubelet notices a container exit. Jittered.
    pub pleg_relist_ms: u64,
    /// Creating the pod sandbox (pause container, network namespace, CNI IP). Jittered.
    pub sandbox_ms: u64,
    /// Fixed part of an image pull (registry round trips). Jittered.
    pub pull_base_ms: u64,
    /// Pull bandwidth, in bytes per millisecond (25_000 = 25 MB/s).
    pub pull_bytes_per_ms: u64,
    /// How long a failing pull takes to report its error. Jittered.
    pub pull_failure_ms: u64,
    /// Container create (the `Created` event) until start. Jittered.
    pub container_create_ms: u64,
    /// Container start until the process runs (the `Started` event). Jittered.
    pub container_start_ms: u64,
    /// How often the kubelet re-syncs a pod that is waiting in back-off (pod worker back-off).
    pub sync_retry_ms: u64,
    /// Node lifecycle controller: grace before a silent node is marked Unknown.
    pub node_monitor_grace_ms: u64,
    /// Node lifecycle controller: how often node health is checked.
    pub node_monitor_period_ms: u64,
    /// Scheduler: initial and maximum per-pod back-off for unschedulable pods.
    pub pod_initial_backoff_ms: u64,
    pub pod_max_backoff_ms: u64,
    /// Scheduler: unschedulable pods are retried at least this often even without cluster events.
    pub unschedulable_flush_ms: u64,
    /// Jitter, in percent, for the durations marked "jittered".
    pub jitter_pct: u64,
}

impl Default for Durations {
    fn default() -> Durations {
        Durations {
            api_write_ms: 8,
            watch_delivery_ms: 3,
            schedule_cycle_ms: 12,
            bind_ms: 6,
            kubelet_sync_ms: 20,
            pleg_relist_ms: 800,
            sandbox_ms: 1_100,
            pull_base_ms: 700,
            pull_bytes_per_ms: 25_000,
            pull_failure_ms: 1_500,
            container_create_ms: 60,
            container_start_ms: 120,
            sync_retry_ms: 10_000,
            node_monitor_grace_ms: 40_000,
            node_monitor_period_ms: 5_000,
            pod_initial_backoff_ms: 1_000,
            pod_max_backoff_ms: 10_000,
            unschedulable_flush_ms: 300_000,
            jitter_pct: 10,
        }
    }
}
