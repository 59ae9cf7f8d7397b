//! The typed pass: a document's `serde_json::Value` → a real API type from k8s-openapi.
//!
//! Every kind goes through the same adapter stack (`serde_ignored` over `serde_path_to_error`
//! over `&Value`), so each API type is instantiated for one deserializer only. Unknown fields
//! are collected, not fatal. A type error is reworded the way the apiserver's Go JSON decoder
//! says it (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.
//! ports.containerPort of type int32`): the Go struct names come from probing the same decoder
//! with a deliberately wrong value and reading which type it expected.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::path::Seg;

/// A successfully decoded object and the paths of the fields the type does not have.
pub(crate) struct Decoded<T> {
    pub object: T,
    pub unknown: Vec<Vec<Seg>>,
}

/// Where decoding stopped and serde's own words for why.
#[derive(Debug)]
pub(crate) struct Failure {
    pub path: Vec<Seg>,
    pub serde_message: String,
}

/// Decodes `value` as `T`, collecting unknown fields.
pub(crate) fn decode<T: DeserializeOwned>(value: &Value) -> Result<Decoded<T>, Failure> {
    let mut unknown = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let result = {
        let tracked = serde_path_to_error::Deserializer::new(value, &mut track);
        let mut on_ignored = |p: serde_ignored::Path<'_>| unknown.push(ignored_segments(&p));
        T::deserialize(serde_ignored::Deserializer::new(tracked, &mut on_ignored))
    };
    match result {
        Ok(object) => Ok(Decoded { object, unknown }),
        Err(e) => {
            let path = track
                .path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                    _ => None,
                })
                .collect();
            Err(Failure { path, serde_message: e.to_string() })
        }
    }
}

fn ignored_segments(p: &serde_ignored::Path<'_>) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut cur = p;
    loop {
        match cur {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                out.push(Seg::Index(*index));
                cur = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                out.push(Seg::Key(key.clone()));
                cur = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => cur = parent,
        }
    }
    out.reverse();
    out
}

/// The regular expression Kubernetes quotes for a malformed quantity.
pub(crate) const QUANTITY_FORMAT_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// The apiserver's wording for a failed decode, without the `Pod in version "v1" cannot be
/// handled as a Pod: ` prefix.
pub(crate) fn describe<T: DeserializeOwned>(root: &Value, failure: &Failure) -> String {
    let msg = &failure.serde_message;
    let actual = lookup(root, &failure.path);
    let expected = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected ").map(|(_, e)| e.to_string()));
    let Some(expected) = expected else {
        return describe_custom(actual, &failure.path, msg);
    };
    if expected == "Quantity" {
        return QUANTITY_FORMAT_ERROR.to_string();
    }
    let json_type = json_type_name(actual, false);
    if expected == "IntOrString" || expected == "a 32-bit integer" {
        return format!("json: cannot unmarshal {} into Go value of type int32", json_type_name(actual, true));
    }
    let last_field = failure.path.iter().rev().find_map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Index(_) => None,
    });
    let go_type = go_type::<T>(root, &failure.path, &expected, last_field.unwrap_or(""), 0);
    let numeric = matches!(go_type.as_str(), "int32" | "int64" | "float64" | "uint32" | "uint64");
    let json_type = if numeric { json_type_name(actual, true) } else { json_type };

    // Which key segments are struct fields (not map keys), and the struct holding the last one.
    let mut fields: Vec<&str> = Vec::new();
    let mut holder = String::new();
    for (i, seg) in failure.path.iter().enumerate() {
        let Seg::Key(k) = seg else { continue };
        let container = failure.path.get(..i).unwrap_or(&[]);
        match probe::<T>(root, container, Value::Bool(true)) {
            Some((p, e)) if p.as_slice() == container && e != "a map" => {
                fields.push(k);
                holder = e;
            }
            _ => {}
        }
    }
    if fields.is_empty() {
        return format!("json: cannot unmarshal {json_type} into Go value of type {go_type}");
    }
    format!("json: cannot unmarshal {json_type} into Go struct field {holder}.{} of type {go_type}", fields.join("."))
}

/// Errors that are not type mismatches: base64 data and timestamps.
fn describe_custom(actual: Option<&Value>, path: &[Seg], msg: &str) -> String {
    let in_data = path.iter().any(|s| matches!(s, Seg::Key(k) if k == "data" || k == "binaryData"));
    if in_data {
        let s = actual.and_then(Value::as_str).unwrap_or("");
        let at = msg.split("offset ").nth(1).and_then(|r| r.trim_end_matches('.').parse::<usize>().ok()).unwrap_or(s.len());
        return format!("illegal base64 data at input byte {at}");
    }
    if let Some(s) = actual.and_then(Value::as_str) {
        return format!("parsing time {s:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse {s:?} as \"2006\"");
    }
    msg.to_string()
}

/// Go's name for the JSON type of a value (`number 1.5` when the target is numeric).
fn json_type_name(v: Option<&Value>, numeric_target: bool) -> String {
    match v {
        None | Some(Value::Null) => "null".to_string(),
        Some(Value::Bool(_)) => "bool".to_string(),
        Some(Value::Number(n)) => {
            if numeric_target {
                format!("number {n}")
            } else {
                "number".to_string()
            }
        }
        Some(Value::String(_)) => "string".to_string(),
        Some(Value::Array(_)) => "array".to_string(),
        Some(Value::Object(_)) => "object".to_string(),
    }
}

const RESOURCE_LISTS: &[&str] = &["requests", "limits", "capacity", "allocatable", "overhead", "allocatedResources"];

/// The Go type for serde's "expected …" at `path`.
fn go_type<T: DeserializeOwned>(root: &Value, path: &[Seg], expected: &str, field: &str, depth: usize) -> String {
    match expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u32" => "uint32".into(),
        "u64" => "uint64".into(),
        "f64" | "f32" => "float64".into(),
        "a string" => "string".into(),
        "a boolean" => "bool".into(),
        "Quantity" => "resource.Quantity".into(),
        "IntOrString" => "intstr.IntOrString".into(),
        "Time" | "MicroTime" => "v1.Time".into(),
        "a base64-encoded string" => "[]uint8".into(),
        "a map" => {
            if RESOURCE_LISTS.contains(&field) {
                "v1.ResourceList".into()
            } else if field == "data" || field == "binaryData" {
                "map[string][]uint8".into()
            } else {
                "map[string]string".into()
            }
        }
        "a sequence" => {
            if depth > 3 {
                return "[]interface {}".into();
            }
            let mut elem_path = path.to_vec();
            elem_path.push(Seg::Index(0));
            match probe::<T>(root, path, Value::Array(vec![Value::Bool(true)])) {
                Some((p, e)) if p == elem_path => format!("[]{}", go_type::<T>(root, &elem_path, &e, field, depth + 1)),
                _ => "[]bool".into(),
            }
        }
        other => format!("v1.{other}"),
    }
}

/// Decodes a copy of `root` with the node at `at` replaced, and reports where it failed and
/// what type was expected there.
fn probe<T: DeserializeOwned>(root: &Value, at: &[Seg], replacement: Value) -> Option<(Vec<Seg>, String)> {
    let mut copy = root.clone();
    *lookup_mut(&mut copy, at)? = replacement;
    let failure = decode::<T>(&copy).err()?;
    let expected = failure.serde_message.rsplit_once(", expected ")?.1.to_string();
    Some((failure.path, expected))
}

/// The node at a path.
pub(crate) fn lookup<'a>(root: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let mut cur = root;
    for s in path {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Object(m)) => m.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn lookup_mut<'a>(root: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = root;
    for s in path {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Removes `null` map entries, which Go's decoder treats as absent (k8s-openapi would reject
/// `null` for a required field). Iterative, so deep input cannot exhaust the stack.
pub(crate) fn strip_nulls(value: &mut Value) {
    let mut stack: Vec<&mut Value> = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                stack.extend(m.values_mut());
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Pod, Secret};
    use serde_json::json;

    fn fmt(p: &[Seg]) -> String {
        super::super::path::format(p)
    }

    #[test]
    fn collects_unknown_fields_with_indices() {
        let v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "lables": {}},
            "spec": {"containers": [{"name": "a", "image": "i"}, {"name": "b", "imagePullPolcy": "Always"}]}});
        let d = decode::<Pod>(&v).unwrap();
        let u: Vec<String> = d.unknown.iter().map(|p| fmt(p)).collect();
        assert_eq!(u, vec!["metadata.lables", "spec.containers[1].imagePullPolcy"]);
        assert_eq!(d.object.spec.unwrap().containers[1].name, "b");
    }

    fn type_error(v: Value) -> (String, String) {
        let f = decode::<Pod>(&v).err().unwrap();
        (fmt(&f.path), describe::<Pod>(&v, &f))
    }

    #[test]
    fn string_for_int_is_worded_like_go() {
        let v = json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": "8080"}]}]}});
        assert_eq!(
            type_error(v),
            (
                "spec.containers[0].ports[0].containerPort".to_string(),
                "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
                    .to_string()
            )
        );
    }

    #[test]
    fn observed_apiserver_messages() {
        let cases = [
            (json!({"spec": {"containers": {"name": "a"}}}), "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"),
            (json!({"spec": {"containers": [{"name": "a", "env": [{"name": "N", "value": 9}]}]}}), "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string"),
            (json!({"spec": {"containers": [{"name": "a", "command": ["sleep", 5]}]}}), "json: cannot unmarshal number into Go struct field Container.spec.containers.command of type string"),
            (json!({"spec": {"tolerations": [{"key": "k", "value": true}]}}), "json: cannot unmarshal bool into Go struct field Toleration.spec.tolerations.value of type string"),
            (json!({"spec": {"containers": [{"name": "a", "securityContext": {"runAsUser": "root"}}]}}), "json: cannot unmarshal string into Go struct field SecurityContext.spec.containers.securityContext.runAsUser of type int64"),
            (json!({"spec": {"nodeSelector": {"gpu": true}}}), "json: cannot unmarshal bool into Go struct field PodSpec.spec.nodeSelector of type string"),
            (json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 1.5}]}]}}), "json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"),
            (json!({"spec": {"containers": [{"name": "a", "livenessProbe": "x"}]}}), "json: cannot unmarshal string into Go struct field Container.spec.containers.livenessProbe of type v1.Probe"),
            (json!({"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": true}}}]}}), QUANTITY_FORMAT_ERROR),
            (json!({"spec": {"containers": [{"name": "a", "livenessProbe": {"httpGet": {"port": true}}}]}}), "json: cannot unmarshal bool into Go value of type int32"),
            (json!({"metadata": {"labels": ["a"]}}), "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"),
        ];
        for (v, want) in cases {
            assert_eq!(type_error(v).1, want);
        }
    }

    #[test]
    fn base64_errors_read_like_go() {
        let v = json!({"data": {"k": "no!t"}});
        let f = decode::<Secret>(&v).err().unwrap();
        assert_eq!(fmt(&f.path), "data.k");
        assert!(describe::<Secret>(&v, &f).starts_with("illegal base64 data at input byte"));
    }

    #[test]
    fn nulls_are_absent() {
        let mut v = json!({"spec": {"containers": [{"name": null, "image": "x"}], "nodeName": null}});
        strip_nulls(&mut v);
        assert_eq!(v, json!({"spec": {"containers": [{"image": "x"}]}}));
        assert!(decode::<Pod>(&v).is_ok());
    }
}
