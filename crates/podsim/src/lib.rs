//! podsim: a deterministic simulator of a Kubernetes Pod's life.
//!
//! Scenario in, timeline out: manifests (YAML/JSON) are parsed into validated, defaulted objects
//! with located diagnostics (`manifest`), then a discrete-event loop (`sim`) lets the API server,
//! the scheduler and one kubelet per node act on them in virtual time. Every action is a recorded
//! step with its reason (`explain`); `timeline` keeps checkpoints so any step can be rebuilt at
//! once; `printers` render any instant exactly as kubectl would.
//!
//! The crate is pure: no wall clock, no unseeded randomness, no web dependencies.
//!
//! ```
//! let parsed = podsim::manifest::parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: ['sh', '-c', 'echo hi; sleep 5']\n");
//! let objects = parsed.objects.into_iter().map(|o| o.object).collect();
//! let timeline = podsim::Timeline::run(podsim::Scenario::new(objects), podsim::Limits::default());
//! assert!(timeline.steps.iter().any(|s| s.why.sentence().contains("starts")));
//! ```

/// The native binaries' allocator (mimalloc); never used by the library or the page.
#[cfg(feature = "cli")]
pub mod alloc;
pub mod api;
pub mod apiserver;
#[cfg(feature = "cli")]
pub mod cli;
pub mod cluster;
pub mod durations;
pub mod event;
pub mod explain;
pub mod gallery;
pub mod history;
pub mod kubectl;
pub mod kubelet;
pub mod manifest;
pub mod memo;
pub mod nodectl;
pub mod printers;
pub mod quantity;
pub mod queue;
pub mod resources;
pub mod rng;
pub mod runtime;
pub mod scheduler;
pub mod sim;
pub mod time;
pub mod timeline;
pub mod world;

pub use sim::{Action, Step};
pub use timeline::{Bound, Limits, Scenario, Timeline};
