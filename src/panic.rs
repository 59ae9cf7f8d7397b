//! The panic hook: a panic must never leave a dead page or lose the learner's text.
//!
//! The release build aborts on panic (`panic = "abort"`), so nothing in the app runs afterwards. The
//! hook therefore does everything with plain DOM calls: it logs the message and puts a readable
//! banner on top of the page. The editor's text is already in localStorage (it is saved on every
//! change) and stays visible in the editor, so the learner can copy it or simply reload.

use std::sync::atomic::{AtomicBool, Ordering};

static PANICKED: AtomicBool = AtomicBool::new(false);

/// Whether a panic happened; late async work (like the Monaco swap) checks it and stands down.
#[must_use]
pub fn has_panicked() -> bool {
    PANICKED.load(Ordering::Relaxed)
}

/// Installs the hook. Call it first thing in `main`.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        PANICKED.store(true, Ordering::Relaxed);
        let details = info.to_string();
        web_sys::console::error_1(&format!("Pod Playground panicked: {details}").into());
        show_banner(&details);
    }));
}

/// The banner's HTML. Static text plus the escaped panic message; no script, no handlers (the wasm
/// is gone after the abort), so "Reload" is a plain link to the page itself.
#[must_use]
pub fn banner_html(details: &str) -> String {
    format!(
        "<div class=\"crash-banner__body\">\
           <strong class=\"crash-banner__title\">Pod Playground stopped because of an internal error.</strong>\
           <p>Your manifest is safe: it was saved in this browser and is still in the editor. \
              Edits made from now on are not saved, so copy anything new, then \
              <a class=\"crash-banner__reload\" href=\"\">reload the page</a>.</p>\
           <details><summary>Technical details</summary><pre>{}</pre></details>\
         </div>",
        escape_html(details)
    )
}

/// Escapes text for inclusion in HTML.
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn show_banner(details: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id("crash-banner").is_some() {
        return; // Only the first panic is reported; later ones are consequences.
    }
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_id("crash-banner");
    banner.set_class_name("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "panic-banner");
    banner.set_inner_html(&banner_html(details));
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}
