//! The page's panels, one module each. Panels only read state and dispatch intents.

pub mod cluster;
pub mod common;
pub mod editor;
pub mod events;
pub mod kubelet;
pub mod lifecycle;
pub mod scheduler;
pub mod tabs;
pub mod terminal;
pub mod timeline;
pub mod yaml;
pub mod narration;
pub mod problems;
pub mod scenarios;
pub mod transport;
