//! Small, failure-tolerant wrappers over the browser APIs the page uses: localStorage, the
//! `prefers-color-scheme` media query, the root element's attributes and the query string.
//!
//! Every function degrades quietly (storage may be disabled, full or blocked in a private window):
//! losing a preference must never break the page.

use web_sys::Storage;

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads `key` from localStorage.
#[must_use]
pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes `key` to localStorage; returns whether it was stored.
pub fn storage_set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Whether the system asks for a dark colour scheme.
#[must_use]
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Sets an attribute on `<html>` (for example `data-theme`).
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(name, value);
    }
}

/// Whether the page's query string contains `name=value` (e.g. `?debug=panic`).
#[must_use]
pub fn query_has(name: &str, value: &str) -> bool {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    query_string_has(&search, name, value)
}

/// Pure part of [`query_has`]: looks for `name=value` in a `?a=b&c=d` string.
#[must_use]
pub fn query_string_has(search: &str, name: &str, value: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .any(|(k, v)| k == name && v == value)
}
