//! Golden tests for `podsim::manifest`: every `tests/data/manifest/<case>.yaml` (or `.json`) is
//! parsed and compared with `<case>.out`: one diagnostic per line as
//! `<line>:<col> <severity> <message>`, then kubectl's rejection lines. Run with
//! `UPDATE_GOLDEN=1` to rewrite the `.out` files after an intended change.
//!
//! Also: every seed manifest in `tests/data/seeds/` parses with no errors.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use podsim::manifest::{self, Severity};

fn data(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(dir)
}

fn inputs(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(data(dir))
        .expect("test data directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    files.sort();
    files
}

fn render(text: &str) -> String {
    let parsed = manifest::parse(text);
    let mut out = String::new();
    for d in &parsed.diagnostics {
        let _ = writeln!(out, "{}:{} {} {}", d.line, d.column, d.severity.as_str(), d.message);
    }
    for r in &parsed.rejections {
        let _ = writeln!(out, "{r}");
    }
    out
}

#[test]
fn golden_diagnostics() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let cases = inputs("manifest");
    assert!(cases.len() >= 40, "expected the full case list, found {}", cases.len());
    for input in cases {
        let text = fs::read_to_string(&input).expect("readable case");
        let got = render(&text);
        let out = input.with_extension("out");
        if update {
            fs::write(&out, &got).expect("writable .out");
            continue;
        }
        let want = fs::read_to_string(&out).unwrap_or_default();
        if got != want {
            failures.push(format!("=== {}\n--- want\n{want}--- got\n{got}", input.display()));
        }
    }
    assert!(failures.is_empty(), "{} golden case(s) differ (UPDATE_GOLDEN=1 rewrites them):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn seed_manifests_parse_without_errors() {
    let seeds = inputs("seeds");
    assert!(!seeds.is_empty());
    for input in seeds {
        let text = fs::read_to_string(&input).expect("readable seed");
        let parsed = manifest::parse(&text);
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", input.display());
        assert!(parsed.rejections.is_empty(), "{}: {:?}", input.display(), parsed.rejections);
        assert!(!parsed.objects.is_empty(), "{}: no objects", input.display());
    }
}

#[test]
fn parsing_is_deterministic() {
    for input in inputs("manifest") {
        let text = fs::read_to_string(&input).expect("readable case");
        assert_eq!(manifest::parse(&text), manifest::parse(&text), "{}", input.display());
    }
}

/// Broken variants of every case (truncated, a character removed, stray `:`, `- `, tab, `[`,
/// quote or digit inserted) must still parse without panicking.
#[test]
fn mangled_input_never_panics() {
    let inserts = [":", "- ", "\t", "[", "\"", "7", "&a ", "*a", "{", "---\n"];
    for input in inputs("manifest").into_iter().chain(inputs("seeds")) {
        let text = fs::read_to_string(&input).expect("readable case");
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(11).collect();
        for (n, &i) in cuts.iter().enumerate() {
            let _ = manifest::parse(&text[..i]);
            let next = text[i..].chars().next().map_or(i, |c| i + c.len_utf8());
            let _ = manifest::parse(&format!("{}{}", &text[..i], &text[next..]));
            let ins = inserts[n % inserts.len()];
            let _ = manifest::parse(&format!("{}{ins}{}", &text[..i], &text[i..]));
        }
    }
}
