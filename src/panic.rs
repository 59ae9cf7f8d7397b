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

/// The banner's HTML in the page's current language (`i18n::current`; the hook runs outside
/// the reactive tree). Static text plus the escaped panic message; no script, no handlers (the
/// wasm is gone after the abort), so "Reload" is a plain link to the page itself.
#[must_use]
pub fn banner_html(details: &str) -> String {
    let t = crate::i18n::current().strings();
    format!(
        "<div class=\"crash-banner__body\">\
           <strong class=\"crash-banner__title\">{}</strong>\
           <p>{}<a class=\"crash-banner__reload\" href=\"\">{}</a>{}</p>\
           <details><summary>{}</summary><pre>{}</pre></details>\
         </div>",
        escape_html(t.crash_title),
        escape_html(t.crash_text_before),
        escape_html(t.crash_reload),
        escape_html(t.crash_text_after),
        escape_html(t.crash_details),
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
