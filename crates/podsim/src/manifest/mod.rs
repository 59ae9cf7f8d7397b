//! Text → validated, defaulted objects and located diagnostics. Never fails and never panics:
//! every problem becomes a `Diagnostic` pointing at a line and column, in the words the
//! apiserver or kubectl would use.
//!
//! For each `---`-separated document (YAML or JSON):
//! 1. `yaml` builds a `serde_json::Value` and a field path → position index;
//! 2. `decode` turns it into the real API type (k8s-openapi), collecting unknown fields
//!    (warnings, kubectl's strict-validation words) or a type error (the apiserver's words);
//! 3. `simulated` notes fields that exist but are not modelled (info, once per field);
//! 4. `defaults` applies apiserver defaulting, then `validate` the apiserver's validation;
//! 5. `convert` builds the simulator's model (`crate::api::Object`).
//!
//! An object with errors is not returned; kubectl's line for it goes to `Parsed::rejections`.
//! kubectl names its input in some of those lines (`error when creating "pod.yaml"`); this
//! module uses `SOURCE_NAME` there, as kubectl does for `-f -`.

mod convert;
mod decode;
mod defaults;
pub mod diagnostic;
mod fielderr;
mod kinds;
mod names;
mod path;
mod qos;
mod simulated;
mod validate;
mod yaml;

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1 as k;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use serde_json::Value;

pub use defaults::default_image_pull_policy;
pub use diagnostic::{Diagnostic, Severity};
pub use qos::qos_class;

use fielderr::go_quote;
use kinds::Kind;
use yaml::{Loaded, LocIndex, Pos};

const SIMULATED_KINDS: [&str; 7] = ["Pod", "Node", "Namespace", "Service", "ConfigMap", "Secret", "PriorityClass"];

/// The input's name in kubectl-style lines (`error when creating "STDIN": …`).
pub const SOURCE_NAME: &str = "STDIN";

/// Everything parsing produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// The valid objects, in input order.
    pub objects: Vec<ParsedObject>,
    /// Every message, sorted by document, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// One kubectl line per rejected document or object, in input order
    /// (`The Pod "x" is invalid: …`, `Error from server (BadRequest): …`, `error: …`).
    pub rejections: Vec<String>,
}

impl Parsed {
    /// Whether any diagnostic is an error (some input was rejected).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// One valid object and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedObject {
    /// Index of the document (0-based; empty documents are not counted).
    pub doc: usize,
    pub object: crate::api::Object,
    /// 1-based line where the object starts.
    pub line: u32,
}

/// Parses with virtual time 0 at `crate::time::DEFAULT_EPOCH_UNIX_MS`.
pub fn parse(text: &str) -> Parsed {
    parse_with_epoch(text, crate::time::DEFAULT_EPOCH_UNIX_MS)
}

/// Parses; timestamps in the input become virtual times relative to `epoch_unix_ms`
/// (clamped at 0 when earlier, see `convert`).
pub fn parse_with_epoch(text: &str, epoch_unix_ms: i64) -> Parsed {
    let mut run = Run { out: Parsed::default(), epoch: epoch_unix_ms };
    let mut doc = 0usize;
    for item in yaml::load(text) {
        match item {
            Loaded::Error { pos, message, document } => {
                run.diag(Severity::Error, doc, "", pos, message.clone());
                run.out.rejections.push(format!("error: error parsing {SOURCE_NAME}: {message}"));
                if document {
                    doc += 1;
                }
            }
            Loaded::Doc(d) => {
                run.document(doc, &d);
                doc += 1;
            }
        }
    }
    let mut diags = std::mem::take(&mut run.out.diagnostics);
    diags.sort_by_key(|d| (d.doc, d.line, d.column));
    diags.dedup_by(|a, b| a == b);
    run.out.diagnostics = diags;
    run.out
}

/// Finds positions for field paths in one document (or one item of a `List`).
struct Loc<'a> {
    index: &'a LocIndex,
    root: &'a Value,
    /// Index-spelling prefix of the object inside the document (`items[2]`), or empty.
    prefix: String,
    start: Pos,
}

impl Loc<'_> {
    fn full(&self, p: &str) -> String {
        match (self.prefix.is_empty(), p.is_empty()) {
            (true, _) => p.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}.{p}", self.prefix),
        }
    }

    /// The nearest existing node at or above `path` (Kubernetes spelling).
    fn nearest(&self, k8s_path: &str) -> Option<(String, yaml::Span)> {
        let mut p = path::index_key(k8s_path);
        loop {
            let full = self.full(&p);
            if let Some(span) = self.index.get(&full) {
                return Some((full, *span));
            }
            p = path::parent(&p)?;
        }
    }

    /// Where an error about `path` points: a scalar's value, a collection's key (or its first
    /// entry), the nearest existing parent, or the object's start. When the node is a map and
    /// the error names a string value, the entry with that key (or value) is preferred.
    fn at(&self, k8s_path: &str, hint: Option<&str>) -> Pos {
        let Some((full, span)) = self.nearest(k8s_path) else { return self.start };
        if span.scalar {
            return span.value;
        }
        if let Some(pos) = hint.and_then(|h| self.find_in_map(&full, h)) {
            return pos;
        }
        span.key.unwrap_or(span.value)
    }

    /// Where a field's key is (unknown and unsimulated fields).
    fn key_at(&self, k8s_path: &str) -> Pos {
        match self.nearest(k8s_path) {
            Some((_, span)) => span.key.unwrap_or(span.value),
            None => self.start,
        }
    }

    fn find_in_map(&self, full: &str, hint: &str) -> Option<Pos> {
        let Value::Object(m) = decode::lookup(self.root, &path::parse(full))? else { return None };
        if m.contains_key(hint) {
            return self.index.get(&path::child(full, hint)).and_then(|s| s.key);
        }
        let (k, _) = m.iter().find(|(_, v)| v.as_str() == Some(hint))?;
        self.index.get(&path::child(full, k)).map(|s| s.value)
    }
}

struct Run {
    out: Parsed,
    epoch: i64,
}

impl Run {
    fn diag(&mut self, severity: Severity, doc: usize, path: &str, pos: Pos, message: String) {
        self.out.diagnostics.push(Diagnostic { severity, doc, path: path.to_string(), line: pos.line, column: pos.col, message });
    }

    fn document(&mut self, doc: usize, d: &yaml::Document) {
        for (pos, p, msg) in &d.warnings {
            self.diag(Severity::Warning, doc, p, *pos, msg.clone());
        }
        let loc = Loc { index: &d.index, root: &d.value, prefix: String::new(), start: d.start };
        let Value::Object(map) = &d.value else {
            let msg = format!("json: cannot unmarshal {} into Go value of type map[string]interface {{}}", json_type(&d.value));
            self.diag(Severity::Error, doc, "", d.start, msg.clone());
            self.out.rejections.push(format!("error: unable to decode {}: {msg}", go_quote(SOURCE_NAME)));
            return;
        };
        let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind.ends_with("List") {
            if let Some(Value::Array(items)) = map.get("items") {
                for (i, item) in items.iter().enumerate() {
                    let prefix = path::index("items", i);
                    let start = d.index.get(&prefix).map_or(d.start, |s| s.value);
                    let item_loc = Loc { index: &d.index, root: &d.value, prefix, start };
                    self.object(doc, item, &item_loc);
                }
                return;
            }
        }
        self.object(doc, &d.value, &loc);
    }

    fn object(&mut self, doc: usize, value: &Value, loc: &Loc<'_>) {
        let api_version = value.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
        let mut missing = Vec::new();
        if api_version.is_empty() {
            missing.push("apiVersion not set");
        }
        if kind.is_empty() {
            missing.push("kind not set");
        }
        if !missing.is_empty() {
            let what = if missing.len() == 1 { missing.join("") } else { format!("[{}]", missing.join(", ")) };
            let msg = format!("error validating data: {what}");
            self.diag(Severity::Error, doc, "", loc.start, msg.clone());
            self.out.rejections.push(format!(
                "error: error validating {}: {msg}; if you choose to ignore these errors, turn validation off with --validate=false",
                go_quote(SOURCE_NAME)
            ));
            return;
        }
        match (api_version, kind) {
            ("v1", "Pod") => self.typed::<k::Pod>(doc, value, loc),
            ("v1", "Node") => self.typed::<k::Node>(doc, value, loc),
            ("v1", "Namespace") => self.typed::<k::Namespace>(doc, value, loc),
            ("v1", "Service") => self.typed::<k::Service>(doc, value, loc),
            ("v1", "ConfigMap") => self.typed::<k::ConfigMap>(doc, value, loc),
            ("v1", "Secret") => self.typed::<k::Secret>(doc, value, loc),
            ("scheduling.k8s.io/v1", "PriorityClass") => self.typed::<PriorityClass>(doc, value, loc),
            (_, k) if SIMULATED_KINDS.iter().any(|s| s.eq_ignore_ascii_case(k)) => {
                let msg = format!("no matches for kind {} in version {}", go_quote(kind), go_quote(api_version));
                // Point at whichever of the two is wrong: the version, or the kind's spelling.
                let field = if SIMULATED_KINDS.contains(&k) { "apiVersion" } else { "kind" };
                self.diag(Severity::Error, doc, field, loc.at(field, None), msg.clone());
                let meta = value.get("metadata");
                let field = |f: &str| meta.and_then(|m| m.get(f)).and_then(Value::as_str).unwrap_or("").to_string();
                self.out.rejections.push(format!(
                    "error: resource mapping not found for name: {} namespace: {} from {}: {msg}",
                    go_quote(&field("name")),
                    go_quote(&field("namespace")),
                    go_quote(SOURCE_NAME)
                ));
            }
            _ => {
                let msg = format!(
                    "kind {} ({api_version}) is not simulated: only Pod, Node, Namespace, Service, ConfigMap, Secret and PriorityClass are",
                    go_quote(kind)
                );
                self.diag(Severity::Error, doc, "kind", loc.at("kind", None), msg.clone());
                self.out.rejections.push(format!("error: {msg}"));
            }
        }
    }

    /// Decode, note unknown and unsimulated fields, check quantities, default, validate,
    /// convert.
    fn typed<T: Kind>(&mut self, doc: usize, value: &Value, loc: &Loc<'_>) {
        let mut v = value.clone();
        decode::strip_nulls(&mut v);
        let handled_as = format!("{} in version {} cannot be handled as a {}: ", T::KIND, go_quote(T::VERSION), T::KIND);
        let decoded = match decode::decode::<T>(&v) {
            Ok(d) => d,
            Err(f) => {
                let msg = format!("{handled_as}{}", decode::describe::<T>(&v, &f));
                let p = path::format(&f.path);
                self.diag(Severity::Error, doc, &p, loc.at(&p, None), msg.clone());
                self.bad_request(&msg);
                return;
            }
        };
        let unknown: BTreeSet<String> = decoded.unknown.iter().map(|p| path::format(p)).collect();
        for u in &unknown {
            self.diag(Severity::Warning, doc, u, loc.key_at(u), format!("unknown field {}", go_quote(u)));
        }
        let mut notes: Vec<(Pos, String, String)> = simulated::unsimulated(T::FIELDS, &v, &unknown)
            .into_iter()
            .map(|(pattern, actual)| (loc.key_at(&actual), pattern, actual))
            .collect();
        notes.sort();
        let mut seen = BTreeSet::new();
        for (pos, pattern, actual) in notes {
            if seen.insert(pattern) {
                self.diag(Severity::Info, doc, &actual, pos, format!("{actual}: accepted, not simulated"));
            }
        }

        let mut object = decoded.object;
        if let Some((p, why)) = object.bad_quantity() {
            let msg = format!("{handled_as}{why}");
            self.diag(Severity::Error, doc, &p, loc.at(&p, None), msg.clone());
            self.bad_request(&msg);
            return;
        }
        let seed = defaults::seed_of(&serde_json::to_string(&v).unwrap_or_default(), doc);
        for note in object.apply_defaults(seed) {
            let pos = loc.at(&note.path, None);
            self.diag(note.severity, doc, &note.path, pos, note.message);
        }
        let errors = object.validate();
        if !errors.is_empty() {
            for e in &errors {
                let target = e.locate.as_deref().unwrap_or(&e.path);
                self.diag(Severity::Error, doc, &e.path, loc.at(target, e.bad_str()), e.message());
            }
            self.out.rejections.push(fielderr::rejection(T::KIND, object.name(), &errors));
            return;
        }
        self.out.objects.push(ParsedObject { doc, object: object.convert(self.epoch), line: loc.start.line });
    }

    fn bad_request(&mut self, msg: &str) {
        self.out.rejections.push(format!("Error from server (BadRequest): error when creating {}: {msg}", go_quote(SOURCE_NAME)));
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Object;

    fn messages(p: &Parsed) -> Vec<String> {
        p.diagnostics.iter().map(|d| format!("{}:{} {} {}", d.line, d.column, d.severity.as_str(), d.message)).collect()
    }

    #[test]
    fn a_minimal_pod_parses_and_is_defaulted() {
        let p = parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n");
        assert!(p.diagnostics.is_empty(), "{:?}", messages(&p));
        assert_eq!(p.objects.len(), 1);
        let Object::Pod(pod) = &p.objects[0].object else { panic!("not a pod") };
        assert_eq!(pod.meta.namespace, "default");
        assert_eq!(pod.spec.containers[0].image_pull_policy, crate::api::PullPolicy::Always);
        assert_eq!(pod.spec.termination_grace_period_seconds, 30);
        assert_eq!(pod.status.qos_class, "BestEffort");
        assert_eq!(pod.source["spec"]["dnsPolicy"], "ClusterFirst");
    }

    #[test]
    fn errors_are_located_and_rejected_like_kubectl() {
        let p =
            parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    imagePullPolcy: Always\n");
        assert_eq!(
            messages(&p),
            vec!["7:5 error spec.containers[0].image: Required value", "8:5 warning unknown field \"spec.containers[0].imagePullPolcy\"",]
        );
        assert_eq!(p.rejections, vec!["The Pod \"web\" is invalid: spec.containers[0].image: Required value"]);
        assert!(p.objects.is_empty());
    }

    #[test]
    fn lists_are_expanded() {
        let p = parse("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: B}\n");
        assert_eq!(p.objects.len(), 1);
        assert_eq!(p.objects[0].line, 4);
        assert_eq!(p.diagnostics[0].line, 9);
        assert!(p.rejections[0].starts_with("The Namespace \"B\" is invalid: metadata.name: Invalid value: \"B\""));
    }

    #[test]
    fn never_panics_on_odd_documents() {
        for t in [
            "",
            "5",
            "[1, 2]",
            "kind: Pod",
            "apiVersion: v1\nkind: Pod\nspec: 5",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: [x]}",
            "{}",
            "apiVersion: 1\nkind: true",
        ] {
            let _ = parse(t);
        }
    }
}
