//! The page's state: signals and controllers with no DOM access, so they are testable natively
//! with a reactive `Owner` (see `tests/state.rs`). Components read these and dispatch intents.

pub mod playback;
pub mod playground;
pub mod session;
pub mod sim;
pub mod theme;
