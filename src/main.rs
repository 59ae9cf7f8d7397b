//! Entry point of the page: installs the panic hook, then mounts the app. Nothing else lives here,
//! so tests can import every component from the library crate.

fn main() {
    pod_playground::panic::install_hook();
    leptos::mount::mount_to_body(pod_playground::App);
}
