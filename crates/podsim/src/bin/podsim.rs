//! The `podsim` command line: see `podsim --help` and `podsim::cli`.

use std::io::{Read, Write};

use clap::Parser;

/// A run makes and drops many small strings (names, log lines, events): mimalloc does that
/// several times faster than the system allocator. Only the binary chooses; the library does not.
#[global_allocator]
static ALLOCATOR: podsim::alloc::MiMalloc = podsim::alloc::MiMalloc;

fn read(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| e.to_string())?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

fn main() {
    let cli = podsim::cli::Cli::parse();
    let out = podsim::cli::main_with(&cli, &read);
    // Broken pipes (`podsim run … | head`) are not errors worth a panic.
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}
