//! The `podsim` command line (under construction).
fn main() {}
