//! The page's panels, one module each. Panels only read state and dispatch intents.

pub mod cluster;
pub mod editor;
pub mod tabs;
