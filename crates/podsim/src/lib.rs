//! podsim: a deterministic simulator of a Kubernetes Pod's life.
//!
//! Scenario in, timeline out: manifests (YAML/JSON) are parsed into validated, defaulted objects
//! with located diagnostics (`manifest`), then a discrete-event loop (`sim`) lets the API server,
//! the scheduler and one kubelet per node act on them in virtual time. Every action is a recorded
//! step with its reason; printers render any instant exactly as kubectl would.
//!
//! The crate is pure: no wall clock, no unseeded randomness, no web dependencies.

pub mod api;
pub mod event;
pub mod manifest;
pub mod printers;
pub mod quantity;
pub mod rng;
pub mod runtime;
pub mod time;
pub mod world;
