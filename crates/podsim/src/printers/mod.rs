//! kubectl-exact output (kubectl v1.34): every text here is what kubectl would print for the same
//! objects at the same instant, byte for byte, including column alignment (a port of kubectl's
//! tabwriter), ages (`HumanDuration` on second-precision timestamps), the STATUS/READY/RESTARTS
//! logic of `printPod`, `describe` layouts, and the YAML/JSON encoders.
//!
//! Everything is pure: functions read a `World` (or objects) and a virtual
//! "now", and return text. Output meant for stderr (`No resources found…`, errors, `Defaulted
//! container…`) is kept apart in [`Printed`] so callers can route it.
//!
//! # API
//!
//! Tables (`kubectl get`), all taking `(&World, now_ms, &GetOptions)` and returning [`Printed`]:
//! - [`get_pods`] — `get pods [NAME]`, with `-o wide|json|yaml`, `--show-labels`, `-A`, `-n`, `-l`;
//! - [`get_nodes`], [`get_events`], [`get_services`], [`get_namespaces`];
//! - [`print_pods`]`(&[Pod], &Clock, &GetOptions)` — the same for pods given directly (`podsim print`);
//! - [`pod_columns`]`(&Pod, &Clock) -> PodColumns` — READY/STATUS/RESTARTS/AGE (+ wide) of one pod;
//! - [`PodWatch`] — `get pods -w`: [`PodWatch::start`] prints the first table, [`PodWatch::row`]
//!   one row per watch event, aligned as kubectl aligns them (column widths remembered across
//!   rows, header once); [`PodWatch::matches`] filters, [`PodWatch::peek`] previews a row.
//!
//! Describe: [`describe_pod`]`(&World, now_ms, namespace, name)`, [`describe_node`]`(&World, now_ms, name)`.
//!
//! Objects: [`pod_to_json`]`(&Pod, epoch_unix_ms) -> serde_json::Value`, [`pods_list_json`],
//! [`to_json_pretty`] (Go's 4-space `MarshalIndent`), [`to_yaml`] (go-yaml v2 as kubectl).
//! `get_pods` with `-o json|yaml` uses them (a named pod prints the object, a list a `v1/List`).
//!
//! Logs: [`logs`]`(&World, namespace, pod, container, previous) -> Printed`.
//!
//! Selectors: [`parse_label_selector`] → [`Selector::matches`]; [`format_labels`].
//!
//! Time: [`Clock`] maps virtual milliseconds to absolute times (`World::epoch_unix_ms`) and holds
//! "now"; `Clock::at(world, now_ms)`. Timestamps are whole seconds, as the API stores them.
//!
//! # What the printers read from the model
//!
//! - `ObjectMeta::deletion_ms` is `metadata.deletionTimestamp` (the delete request time plus the
//!   grace period), so `describe` shows `Terminating (lasts <invalid>)` during the grace period,
//!   as kubectl does; `deletion_grace_seconds` is `deletionGracePeriodSeconds`.
//! - `ContainerStatus::container_id` / `Terminated::container_id` are printed as
//!   `containerd://<id>` unless they already carry a runtime prefix.
//! - `World::logs[(uid, container)]` holds one entry per container run, the current run last.
//! - `Pod::source` (the defaulted manifest) supplies `-o yaml` fields and describe details the
//!   model does not carry (projected volumes, `envFrom`, owner references, pod-level resources).

mod clock;
mod describe;
mod events;
mod gosort;
mod logs;
mod nodes;
mod object;
mod pods;
mod qty;
mod resources;
mod selector;
mod table;
mod yaml;

pub use clock::{human_since, rfc1123z, Clock};
pub use describe::{describe_node, describe_pod};
pub use events::{event_name, get_events};
pub use logs::logs;
pub use nodes::get_nodes;
pub use object::{pod_to_json, pods_list_json, to_json_pretty};
pub use pods::{get_pods, pod_columns, print_pods, PodColumns, PodWatch};
pub use resources::{get_namespaces, get_services};
pub use selector::{format_labels, parse_label_selector, Requirement, Selector, SelectorOp};
pub use yaml::to_yaml;

use crate::world::World;

/// What a kubectl command prints: `stdout`, `stderr`, and whether it succeeded (exit code 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    pub success: bool,
}

impl Printed {
    /// Successful output on stdout.
    pub fn out(stdout: impl Into<String>) -> Printed {
        Printed { stdout: stdout.into(), stderr: String::new(), success: true }
    }

    /// A failure with its message on stderr (the message should end with a newline).
    pub fn fail(stderr: impl Into<String>) -> Printed {
        Printed { stdout: String::new(), stderr: stderr.into(), success: false }
    }

    /// Success with a note on stderr only (`No resources found in default namespace.`).
    pub fn note(stderr: impl Into<String>) -> Printed {
        Printed { stdout: String::new(), stderr: stderr.into(), success: true }
    }
}

/// `-o`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// The default table.
    #[default]
    Table,
    /// `-o wide`.
    Wide,
    /// `-o json`.
    Json,
    /// `-o yaml`.
    Yaml,
}

/// The flags of `kubectl get`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetOptions {
    /// `-n`; `None` uses the world's current namespace (or `default`).
    pub namespace: Option<String>,
    /// `-A` / `--all-namespaces`.
    pub all_namespaces: bool,
    /// `-l` (empty: no selector).
    pub selector: String,
    /// `-o`.
    pub output: OutputFormat,
    /// `--show-labels`.
    pub show_labels: bool,
    /// A resource name (`kubectl get pod web`).
    pub name: Option<String>,
}

impl GetOptions {
    /// The namespace a command acts on.
    pub(crate) fn namespace_or(&self, world: &World) -> String {
        match &self.namespace {
            Some(ns) => ns.clone(),
            None if !world.current_namespace.is_empty() => world.current_namespace.clone(),
            None => "default".to_string(),
        }
    }
}

/// Checks flag combinations kubectl rejects, and parses `-l`.
pub(crate) fn check_get_flags(opts: &GetOptions) -> Result<Selector, Printed> {
    if opts.name.is_some() && !opts.selector.trim().is_empty() {
        return Err(Printed::fail("error: name cannot be provided when a selector is specified\n"));
    }
    if opts.name.is_some() && opts.all_namespaces {
        return Err(Printed::fail("error: a resource cannot be retrieved by name across all namespaces\n"));
    }
    parse_label_selector(&opts.selector).map_err(|e| Printed::fail(format!("Error from server (BadRequest): {e}\n")))
}

/// `Error from server (NotFound): pods "x" not found`.
pub(crate) fn not_found(resource: &str, name: &str) -> Printed {
    Printed::fail(format!("Error from server (NotFound): {resource} \"{name}\" not found\n"))
}

/// kubectl's message for an empty list (on stderr).
pub(crate) fn no_resources(opts: &GetOptions, ns: &str, namespaced: bool) -> Printed {
    if opts.all_namespaces || !namespaced {
        Printed::note("No resources found\n")
    } else {
        Printed::note(format!("No resources found in {ns} namespace.\n"))
    }
}
