//! Pod Playground, the web page: a Leptos (client-side rendered) shell around the simulator core.
//!
//! This crate only presents and interacts; the simulation lives in `crates/podsim` (see
//! ARCHITECTURE.md). The components live here, not in `main.rs`, so tests can import them.

pub mod app;
pub mod browser;
pub mod i18n;
pub mod icons;
pub mod panels;
pub mod panic;
pub mod state;

pub use app::App;
