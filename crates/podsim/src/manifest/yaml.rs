//! YAML (or JSON) text → one `serde_json::Value` per document, plus an index from every node's
//! field path (`spec.containers[0].image`, `metadata.labels.app`) to its 1-based line and column
//! and, for map entries, the key's position.
//!
//! The text is split on `---` lines first, as kubectl's reader does, so a syntax error in one
//! document does not hide the others. Each part is read with yaml-rust2's event parser (driven
//! step by step, never recursively) and resolved with the YAML 1.2 core schema plus the two
//! YAML 1.1 habits Kubernetes users rely on: `0644` is octal and merge keys (`<<`) work.
//! Aliases are expanded with a node budget and nesting is bounded, so hostile input cannot
//! exhaust memory or the stack.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::path;

/// Deepest nesting accepted (Kubernetes objects need about 12 levels).
pub(crate) const MAX_DEPTH: usize = 200;
/// Most nodes one document may hold once aliases are expanded.
pub(crate) const MAX_NODES: usize = 1_000_000;

/// A 1-based position in the whole input text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Where one node is: its key (for map entries) and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub key: Option<Pos>,
    pub value: Pos,
    /// The value is a scalar (or an alias), not a mapping or sequence.
    pub scalar: bool,
}

/// Field path (index spelling, see `path`) → position.
pub(crate) type LocIndex = BTreeMap<String, Span>;

/// One parsed document.
#[derive(Debug)]
pub(crate) struct Document {
    pub value: Value,
    pub index: LocIndex,
    /// Where the document's first node is.
    pub start: Pos,
    /// Non-fatal notes (duplicate keys, bad merge values): position, path, message.
    pub warnings: Vec<(Pos, String, String)>,
}

/// What reading one part of the input produced, in text order.
#[derive(Debug)]
pub(crate) enum Loaded {
    Doc(Document),
    /// A syntax error (or a document too large or too deep); the rest of that part is skipped.
    /// `document` is false for errors outside any document (a malformed `---` line).
    Error {
        pos: Pos,
        message: String,
        document: bool,
    },
}

/// Reads every document of `text`. Empty documents (only comments, or nothing) produce nothing.
pub(crate) fn load(text: &str) -> Vec<Loaded> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for part in split(text) {
        match part {
            Part::Chunk { text, first_line } => load_chunk(text, first_line, &mut out),
            Part::BadSeparator { line, rest } => out.push(Loaded::Error {
                pos: Pos { line, col: 1 },
                message: format!("invalid Yaml document separator: {rest}"),
                document: false,
            }),
        }
    }
    out
}

enum Part<'a> {
    Chunk { text: &'a str, first_line: u32 },
    BadSeparator { line: u32, rest: String },
}

/// Splits on lines starting with `---` (kubectl's rule: only spaces or a comment may follow).
fn split(text: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut chunk_start = 0usize;
    let mut chunk_line = 1u32;
    let mut offset = 0usize;
    let mut line_no = 1u32;
    for line in text.split_inclusive('\n') {
        let next = offset + line.len();
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
            parts.push(Part::Chunk { text: text.get(chunk_start..offset).unwrap_or(""), first_line: chunk_line });
            if !rest.is_empty() && !rest.starts_with('#') {
                parts.push(Part::BadSeparator { line: line_no, rest: rest.to_string() });
            }
            chunk_start = next;
            chunk_line = line_no.saturating_add(1);
        }
        offset = next;
        line_no = line_no.saturating_add(1);
    }
    parts.push(Part::Chunk { text: text.get(chunk_start..).unwrap_or(""), first_line: chunk_line });
    parts
}

fn pos_of(m: &Marker, first_line: u32) -> Pos {
    let line = u32::try_from(m.line()).unwrap_or(u32::MAX).saturating_add(first_line.saturating_sub(1)).max(1);
    let col = u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1);
    Pos { line, col }
}

fn load_chunk(text: &str, first_line: u32, out: &mut Vec<Loaded>) {
    if text.trim().is_empty() {
        return;
    }
    let mut parser = Parser::new_from_str(text);
    let mut builder: Option<Builder> = None;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(x) => x,
            Err(e) => {
                out.push(Loaded::Error {
                    pos: pos_of(e.marker(), first_line),
                    message: format!("error converting YAML to JSON: yaml: line {}: {}", pos_of(e.marker(), first_line).line, e.info()),
                    document: true,
                });
                return;
            }
        };
        let pos = pos_of(&mark, first_line);
        let step = match event {
            Event::StreamStart | Event::Nothing => Ok(()),
            Event::StreamEnd => return,
            Event::DocumentStart => {
                builder = Some(Builder::default());
                Ok(())
            }
            Event::DocumentEnd => {
                if let Some(b) = builder.take() {
                    if let Some(doc) = b.finish() {
                        out.push(Loaded::Doc(doc));
                    }
                }
                Ok(())
            }
            other => match builder.as_mut() {
                Some(b) => b.event(other, pos, mark.index()),
                None => Ok(()),
            },
        };
        if let Err((pos, message)) = step {
            out.push(Loaded::Error { pos, message, document: true });
            return;
        }
    }
}

struct Anchored {
    value: Value,
    size: usize,
    height: usize,
}

enum Kind {
    Map { map: Map<String, Value>, pending: Option<Pending>, merges: Vec<(Value, Pos)>, seen_key: bool },
    Seq { items: Vec<Value> },
}

struct Pending {
    key: String,
    pos: Pos,
    merge: bool,
}

struct Frame {
    kind: Kind,
    path: String,
    anchor: usize,
    /// Nodes inside (for alias budgets) and height below.
    size: usize,
    height: usize,
    start: Pos,
    start_index: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    index: LocIndex,
    anchors: BTreeMap<usize, Anchored>,
    nodes: usize,
    warnings: Vec<(Pos, String, String)>,
}

type Step = Result<(), (Pos, String)>;

/// Where the next node goes.
enum Slot {
    Key,
    Node { path: String, key: Option<Pos> },
}

impl Builder {
    fn finish(self) -> Option<Document> {
        let value = self.root?;
        if value.is_null() {
            return None;
        }
        let start = self.index.get("").map(|s| s.value).unwrap_or_default();
        Some(Document { value, index: self.index, start, warnings: self.warnings })
    }

    fn event(&mut self, event: Event, pos: Pos, byte: usize) -> Step {
        match event {
            Event::Scalar(text, style, anchor, tag) => self.scalar(text, style, anchor, tag.as_ref(), pos, byte),
            Event::Alias(id) => self.alias(id, pos, byte),
            Event::MappingStart(anchor, _) => self.start(true, anchor, pos, byte),
            Event::SequenceStart(anchor, _) => self.start(false, anchor, pos, byte),
            Event::MappingEnd | Event::SequenceEnd => {
                self.end();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn slot(&self) -> Slot {
        match self.stack.last() {
            None => Slot::Node { path: String::new(), key: None },
            Some(f) => match &f.kind {
                Kind::Map { pending: None, .. } => Slot::Key,
                Kind::Map { pending: Some(p), .. } => {
                    Slot::Node { path: path::child(&f.path, if p.merge { "<<" } else { &p.key }), key: Some(p.pos) }
                }
                Kind::Seq { items } => Slot::Node { path: path::index(&f.path, items.len()), key: None },
            },
        }
    }

    fn count(&mut self, n: usize, pos: Pos) -> Step {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err((
                pos,
                format!("error converting YAML to JSON: the document has more than {MAX_NODES} nodes once its aliases are expanded"),
            ));
        }
        Ok(())
    }

    /// A map key arrives. The first key of a block mapping also fixes the mapping's position:
    /// yaml-rust2 marks a block mapping after its first key, the editor wants the key itself.
    fn key(&mut self, key: String, plain: bool, pos: Pos, byte: usize) {
        let index = &mut self.index;
        if let Some(f) = self.stack.last_mut() {
            if let Kind::Map { pending, seen_key, .. } = &mut f.kind {
                if !*seen_key {
                    *seen_key = true;
                    if byte < f.start_index {
                        f.start = pos;
                        if let Some(span) = index.get_mut(&f.path) {
                            span.value = pos;
                        }
                    }
                }
                *pending = Some(Pending { merge: plain && key == "<<", key, pos });
            }
        }
    }

    fn scalar(&mut self, text: String, style: TScalarStyle, anchor: usize, tag: Option<&Tag>, pos: Pos, byte: usize) -> Step {
        match self.slot() {
            Slot::Key => {
                if anchor > 0 {
                    self.anchors.insert(anchor, Anchored { value: Value::String(text.clone()), size: 1, height: 0 });
                }
                self.key(text, matches!(style, TScalarStyle::Plain), pos, byte);
                Ok(())
            }
            Slot::Node { path, key } => {
                self.count(1, pos)?;
                let value = resolve(&text, style, tag);
                self.index.insert(path, Span { key, value: pos, scalar: true });
                if anchor > 0 {
                    self.anchors.insert(anchor, Anchored { value: value.clone(), size: 1, height: 0 });
                }
                self.attach(value, 1, 0);
                Ok(())
            }
        }
    }

    fn alias(&mut self, id: usize, pos: Pos, byte: usize) -> Step {
        let Some((size, height)) = self.anchors.get(&id).map(|a| (a.size, a.height)) else {
            return Err((pos, "error converting YAML to JSON: yaml: unknown anchor referenced".to_string()));
        };
        match self.slot() {
            Slot::Key => match self.anchors.get(&id).map(|a| a.value.clone()) {
                Some(Value::String(s)) => {
                    self.key(s, false, pos, byte);
                    Ok(())
                }
                _ => Err((pos, "error converting YAML to JSON: unsupported map key: a key must be a scalar".to_string())),
            },
            Slot::Node { path, key } => {
                self.count(size, pos)?;
                if self.stack.len().saturating_add(height) > MAX_DEPTH {
                    return Err((pos, format!("error converting YAML to JSON: the document nests deeper than {MAX_DEPTH} levels")));
                }
                let value = self.anchors.get(&id).map(|a| a.value.clone()).unwrap_or(Value::Null);
                self.index.insert(path, Span { key, value: pos, scalar: true });
                self.attach(value, size, height);
                Ok(())
            }
        }
    }

    fn start(&mut self, map: bool, anchor: usize, pos: Pos, byte: usize) -> Step {
        match self.slot() {
            Slot::Key => Err((pos, "error converting YAML to JSON: unsupported map key: a key must be a scalar".to_string())),
            Slot::Node { path, key } => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err((pos, format!("error converting YAML to JSON: the document nests deeper than {MAX_DEPTH} levels")));
                }
                self.count(1, pos)?;
                self.index.insert(path.clone(), Span { key, value: pos, scalar: false });
                let kind = if map {
                    Kind::Map { map: Map::new(), pending: None, merges: Vec::new(), seen_key: false }
                } else {
                    Kind::Seq { items: Vec::new() }
                };
                self.stack.push(Frame { kind, path, anchor, size: 0, height: 0, start: pos, start_index: byte });
                Ok(())
            }
        }
    }

    fn end(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let value = match frame.kind {
            Kind::Seq { items } => Value::Array(items),
            Kind::Map { mut map, merges, .. } => {
                for (source, mpos) in merges {
                    let sources = match source {
                        Value::Array(items) => items,
                        other => vec![other],
                    };
                    for s in sources {
                        let Value::Object(m) = s else {
                            self.warnings.push((
                                mpos,
                                frame.path.clone(),
                                "map merge requires map or sequence of maps as the value".to_string(),
                            ));
                            continue;
                        };
                        for (k, v) in m {
                            if map.contains_key(&k) {
                                continue;
                            }
                            let scalar = !(v.is_object() || v.is_array());
                            self.index.entry(path::child(&frame.path, &k)).or_insert(Span { key: Some(mpos), value: mpos, scalar });
                            map.insert(k, v);
                        }
                    }
                }
                Value::Object(map)
            }
        };
        let _ = frame.start;
        let size = frame.size.saturating_add(1);
        let height = frame.height.saturating_add(1);
        if frame.anchor > 0 {
            self.anchors.insert(frame.anchor, Anchored { value: value.clone(), size, height });
        }
        self.attach(value, size, height);
    }

    fn attach(&mut self, value: Value, size: usize, height: usize) {
        let warnings = &mut self.warnings;
        let Some(f) = self.stack.last_mut() else {
            self.root = Some(value);
            return;
        };
        f.size = f.size.saturating_add(size);
        f.height = f.height.max(height);
        match &mut f.kind {
            Kind::Seq { items } => items.push(value),
            Kind::Map { map, pending, merges, .. } => {
                if let Some(p) = pending.take() {
                    if p.merge {
                        merges.push((value, p.pos));
                    } else {
                        if map.contains_key(&p.key) {
                            let full = path::child(&f.path, &p.key);
                            warnings.push((p.pos, full.clone(), format!("duplicate field \"{full}\"")));
                        }
                        map.insert(p.key, value);
                    }
                }
            }
        }
    }
}

/// Resolves a scalar to a JSON value: quoted and block scalars are strings, plain ones follow
/// the core schema (null, booleans, integers incl. `0x`/`0o`/leading-zero octal, floats).
fn resolve(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(t) = tag {
        if t.handle == "tag:yaml.org,2002:" {
            let v = match t.suffix.as_str() {
                "null" => Some(Value::Null),
                "bool" => parse_bool(text).map(Value::Bool),
                "int" => parse_int(text),
                "float" => parse_float(text).or_else(|| parse_int(text)),
                _ => None,
            };
            return v.unwrap_or_else(|| Value::String(text.to_string()));
        }
        if t.handle == "!" && t.suffix.is_empty() {
            return Value::String(text.to_string());
        }
    }
    if !matches!(style, TScalarStyle::Plain) {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        _ => {}
    }
    if let Some(b) = parse_bool(text) {
        return Value::Bool(b);
    }
    parse_int(text).or_else(|| parse_float(text)).unwrap_or_else(|| Value::String(text.to_string()))
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<Value> {
    let (neg, body) = if let Some(b) = text.strip_prefix('-') {
        (true, b)
    } else if let Some(b) = text.strip_prefix('+') {
        (false, b)
    } else {
        (false, text)
    };
    let (radix, digits) = if let Some(h) = body.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = body.strip_prefix("0o") {
        (8, o)
    } else if body.len() > 1 && body.starts_with('0') && body.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        (8, body.get(1..).unwrap_or(""))
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        let v = i128::try_from(magnitude).ok()?.checked_neg()?;
        match i64::try_from(v) {
            Ok(v) => Some(Value::Number(v.into())),
            Err(_) => Number::from_f64(v as f64).map(Value::Number),
        }
    } else {
        match u64::try_from(magnitude) {
            Ok(v) => Some(Value::Number(v.into())),
            Err(_) => Number::from_f64(magnitude as f64).map(Value::Number),
        }
    }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`; a float with no fraction becomes an
/// integer, as it does on its way through Go's YAML → JSON conversion.
fn parse_float(text: &str) -> Option<Value> {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        frac_digits = i - s;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = text.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        return Some(Value::Number((f as i64).into()));
    }
    Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<Document> {
        load(text)
            .into_iter()
            .filter_map(|l| match l {
                Loaded::Doc(d) => Some(d),
                Loaded::Error { .. } => None,
            })
            .collect()
    }

    fn errors(text: &str) -> Vec<(Pos, String)> {
        load(text)
            .into_iter()
            .filter_map(|l| match l {
                Loaded::Error { pos, message, .. } => Some((pos, message)),
                Loaded::Doc(_) => None,
            })
            .collect()
    }

    fn p(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    #[test]
    fn builds_values_with_core_schema() {
        let d = &docs("a: 1\nb: \"2\"\nc: true\nd: ~\ne: 1.5\nf: 0644\ng: 0x1F\nh: yes\ni: 8080.0\nj: '3'\n")[0];
        assert_eq!(
            d.value,
            serde_json::json!({"a": 1, "b": "2", "c": true, "d": null, "e": 1.5, "f": 420, "g": 31, "h": "yes", "i": 8080, "j": "3"})
        );
    }

    #[test]
    fn indexes_keys_and_values() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n";
        let d = &docs(text)[0];
        assert_eq!(d.start, p(1, 1));
        let s = d.index["metadata.labels.app"];
        assert_eq!((s.key, s.value, s.scalar), (Some(p(6, 5)), p(6, 10), true));
        let s = d.index["spec.containers[0]"];
        assert_eq!((s.key, s.value, s.scalar), (None, p(9, 5), false));
        assert_eq!(d.index["spec.containers[0].image"].value, p(10, 12));
        assert_eq!(d.index["spec.containers[0].ports[0].containerPort"].key, Some(p(12, 7)));
        assert_eq!(d.index["spec.containers"].key, Some(p(8, 3)));
        assert_eq!(d.index["metadata"].value, p(4, 3));
    }

    #[test]
    fn splits_documents_and_keeps_line_numbers() {
        let text = "a: 1\n---\n# only a comment\n---\n\n---\nb: [1, 2]\n--- # c\nc: {d: e}\n";
        let d = docs(text);
        assert_eq!(d.len(), 3);
        assert_eq!(d[1].value, serde_json::json!({"b": [1, 2]}));
        assert_eq!(d[1].index["b[1]"].value, p(7, 8));
        assert_eq!(d[2].index["c.d"].value, p(9, 8));
    }

    #[test]
    fn reads_json() {
        let d = &docs("{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80}]}]}}")[0];
        assert_eq!(d.value["spec"]["containers"][0]["ports"][0]["containerPort"], 80);
        assert_eq!(d.index["spec.containers[0].name"].value, p(1, 45));
    }

    #[test]
    fn syntax_errors_are_located_and_later_documents_survive() {
        let text = "a: [1, 2\n---\nb: c: d\n---\nok: 1\n";
        let e = errors(text);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, p(2, 1));
        assert!(e[0].1.contains("did not find expected ',' or ']'") || e[0].1.contains("expected ',' or ']'"), "{}", e[0].1);
        assert_eq!(e[1].0.line, 3);
        assert!(e[1].1.starts_with("error converting YAML to JSON: yaml: line 3: mapping values are not allowed"), "{}", e[1].1);
        assert_eq!(docs(text).len(), 1);
    }

    #[test]
    fn bad_separator_is_an_error() {
        let e = errors("a: 1\n---x\nb: 2\n");
        assert_eq!(e, vec![(p(2, 1), "invalid Yaml document separator: x".to_string())]);
    }

    #[test]
    fn anchors_aliases_and_merges() {
        let d = &docs("base: &b {x: 1, y: 2}\nuse: *b\nm:\n  <<: *b\n  y: 3\n")[0];
        assert_eq!(d.value["use"], serde_json::json!({"x": 1, "y": 2}));
        assert_eq!(d.value["m"], serde_json::json!({"x": 1, "y": 3}));
        assert_eq!(d.index["m.x"].key, Some(p(4, 3)));
    }

    #[test]
    fn duplicate_keys_warn_and_last_wins() {
        let d = &docs("a: 1\na: 2\n")[0];
        assert_eq!(d.value["a"], 2);
        assert_eq!(d.warnings, vec![(p(2, 1), "a".to_string(), "duplicate field \"a\"".to_string())]);
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let e = errors(&text);
        assert_eq!(e.len(), 1);
        assert!(e[0].1.contains("nodes once its aliases are expanded"));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let e = errors(&text);
        assert_eq!(e.len(), 1);
        assert!(e[0].1.contains("nests deeper") || e[0].1.contains("recursion limit"), "{}", e[0].1);
        let text = format!("{}x", "- ".repeat(300));
        assert_eq!(errors(&text).len(), 1);
    }

    #[test]
    fn tags_force_types() {
        let d = &docs("a: !!str 8080\nb: !!int \"7\"\nc: !!float 2\n")[0];
        assert_eq!(d.value, serde_json::json!({"a": "8080", "b": 7, "c": 2}));
    }

    #[test]
    fn empty_and_null_documents_are_skipped() {
        assert!(load("").is_empty());
        assert!(load("# nothing\n---\n~\n").is_empty());
    }

    #[test]
    fn strange_input_never_panics() {
        for t in [
            "\u{feff}a: 1",
            ":",
            "- - - -",
            "{",
            "}",
            "]",
            "&a",
            "*a",
            "a: *b",
            "? [a]: 1",
            "\t",
            "a:\n\tb: 1",
            "'",
            "\"\\",
            "!!",
            "a: !!binary x",
            "---\n---\n...\n...",
            "\r\n---\r\na: 1\r\n",
            "\u{0}",
            "a: |\n x\n---\nb",
        ] {
            let _ = load(t);
        }
    }
}
