//! `schema-gen`: writes the JSON Schema the playground's editor uses for completion, hover
//! documentation and enum values (monaco-yaml), generated from the real API types.
//!
//! The schemas come from k8s-openapi's `schemars` support (the same `v1_34` types podsim decodes
//! with), so descriptions match the Kubernetes API reference word for word. Two things are added
//! on top, because k8s-openapi does not emit them:
//! - `enum`s for the string fields Kubernetes marks `+enum` (restartPolicy, imagePullPolicy, …),
//!   from a hand-checked table ([`ENUMS`]); a missing field fails the build instead of silently
//!   dropping a completion;
//! - a dispatch on `kind`: the root accepts any of the simulated kinds and applies the matching
//!   object schema through `if kind = X then $ref X` (one per kind), which yaml-language-server
//!   follows for completion and hover in multi-document files.
//!
//! Usage: `schema-gen [OUTPUT]` (default `public/schema/kubernetes.json`). Run by
//! `scripts/build-monaco.mjs` when the file is missing or older than this tool.

use std::path::PathBuf;
use std::process::ExitCode;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::scheduling::v1 as scheduling;
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

/// The kinds the simulator reads: (apiVersion, kind). Same list as podsim's `SIMULATED_KINDS`.
const KINDS: [(&str, &str); 7] = [
    ("v1", "Pod"),
    ("v1", "Node"),
    ("v1", "Namespace"),
    ("v1", "Service"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
];

const CORE: &str = "io.k8s.api.core.v1.";
const META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.";

/// String fields with a closed set of values in Kubernetes v1.34 (default feature gates), as
/// (definition, property, values). Checked against the Go types' `+enum` constants.
const ENUMS: &[(&str, &str, &[&str])] = &[
    ("PodSpec", "restartPolicy", &["Always", "OnFailure", "Never"]),
    ("PodSpec", "dnsPolicy", &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]),
    ("PodSpec", "preemptionPolicy", &["PreemptLowerPriority", "Never"]),
    ("Container", "imagePullPolicy", &["Always", "IfNotPresent", "Never"]),
    // Only init containers take one, and only `Always` (a sidecar) with default feature gates.
    ("Container", "restartPolicy", &["Always"]),
    ("Container", "terminationMessagePolicy", &["File", "FallbackToLogsOnError"]),
    ("EphemeralContainer", "imagePullPolicy", &["Always", "IfNotPresent", "Never"]),
    ("ContainerPort", "protocol", &["TCP", "UDP", "SCTP"]),
    ("ServicePort", "protocol", &["TCP", "UDP", "SCTP"]),
    ("HTTPGetAction", "scheme", &["HTTP", "HTTPS"]),
    ("Toleration", "operator", &["Exists", "Equal"]),
    ("Toleration", "effect", &["NoSchedule", "PreferNoSchedule", "NoExecute"]),
    ("Taint", "effect", &["NoSchedule", "PreferNoSchedule", "NoExecute"]),
    ("NodeSelectorRequirement", "operator", &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]),
    ("TopologySpreadConstraint", "whenUnsatisfiable", &["DoNotSchedule", "ScheduleAnyway"]),
    ("TopologySpreadConstraint", "nodeAffinityPolicy", &["Honor", "Ignore"]),
    ("TopologySpreadConstraint", "nodeTaintsPolicy", &["Honor", "Ignore"]),
    ("VolumeMount", "mountPropagation", &["None", "HostToContainer", "Bidirectional"]),
    ("VolumeMount", "recursiveReadOnly", &["Disabled", "IfPossible", "Enabled"]),
    (
        "HostPathVolumeSource",
        "type",
        &["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"],
    ),
    ("SeccompProfile", "type", &["Unconfined", "RuntimeDefault", "Localhost"]),
    ("AppArmorProfile", "type", &["Unconfined", "RuntimeDefault", "Localhost"]),
    ("PodSecurityContext", "fsGroupChangePolicy", &["OnRootMismatch", "Always"]),
    ("PodSecurityContext", "seLinuxChangePolicy", &["MountOption", "Recursive"]),
    ("SecurityContext", "procMount", &["Default", "Unmasked"]),
    ("PodOS", "name", &["linux", "windows"]),
    ("ContainerResizePolicy", "resourceName", &["cpu", "memory"]),
    ("ContainerResizePolicy", "restartPolicy", &["NotRequired", "RestartContainer"]),
    ("ServiceSpec", "type", &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]),
    ("ServiceSpec", "sessionAffinity", &["ClientIP", "None"]),
    ("ServiceSpec", "externalTrafficPolicy", &["Cluster", "Local"]),
    ("ServiceSpec", "internalTrafficPolicy", &["Cluster", "Local"]),
    ("ServiceSpec", "ipFamilyPolicy", &["SingleStack", "PreferDualStack", "RequireDualStack"]),
    ("ServiceSpec", "ipFamilies", &["IPv4", "IPv6"]),
    // In the meta package.
    ("meta:LabelSelectorRequirement", "operator", &["In", "NotIn", "Exists", "DoesNotExist"]),
];

/// The full definition name of a table entry (`meta:` entries live in the meta package).
fn definition_name(short: &str) -> String {
    match short.strip_prefix("meta:") {
        Some(rest) => format!("{META}{rest}"),
        None => format!("{CORE}{short}"),
    }
}

/// Builds the whole schema document.
///
/// # Errors
/// When a definition or a property of the enum table is missing (the API types changed).
fn build() -> Result<Value, String> {
    let mut generator = SchemaSettings::draft07().into_generator();
    let refs: Vec<Value> = vec![
        generator.subschema_for::<core::Pod>().to_value(),
        generator.subschema_for::<core::Node>().to_value(),
        generator.subschema_for::<core::Namespace>().to_value(),
        generator.subschema_for::<core::Service>().to_value(),
        generator.subschema_for::<scheduling::PriorityClass>().to_value(),
        generator.subschema_for::<core::ConfigMap>().to_value(),
        generator.subschema_for::<core::Secret>().to_value(),
    ];
    let mut definitions = generator.take_definitions(true);

    let mut missing = Vec::new();
    for (short, property, values) in ENUMS {
        let name = definition_name(short);
        let Some(prop) = definitions
            .get_mut(&name)
            .and_then(|d| d.get_mut("properties"))
            .and_then(|p| p.get_mut(*property))
            .and_then(Value::as_object_mut)
        else {
            missing.push(format!("{name}.{property}"));
            continue;
        };
        let values: Vec<Value> = values.iter().map(|v| Value::from(*v)).collect();
        // Arrays of enum strings (ipFamilies) constrain their items.
        if prop.get("type").and_then(Value::as_str) == Some("array") {
            if let Some(items) = prop.get_mut("items").and_then(Value::as_object_mut) {
                items.insert("enum".into(), Value::Array(values));
            } else {
                missing.push(format!("{name}.{property}[]"));
            }
        } else {
            prop.insert("enum".into(), Value::Array(values));
        }
    }

    let mut dispatch = Vec::new();
    for ((api_version, kind), reference) in KINDS.iter().zip(&refs) {
        let Some(target) = reference.get("$ref").and_then(Value::as_str) else {
            missing.push(format!("$ref of {kind}"));
            continue;
        };
        let name = target.trim_start_matches("#/definitions/").to_string();
        match definitions.get_mut(&name).and_then(|d| d.get_mut("properties")).and_then(Value::as_object_mut) {
            Some(props) => {
                // Pin apiVersion and kind, so completion offers exactly the right values.
                for (key, value) in [("apiVersion", *api_version), ("kind", *kind)] {
                    if let Some(p) = props.get_mut(key).and_then(Value::as_object_mut) {
                        p.insert("enum".into(), json!([value]));
                    }
                }
            }
            None => missing.push(format!("{name}.properties")),
        }
        dispatch.push(json!({
            "if": { "properties": { "kind": { "const": kind } }, "required": ["kind"] },
            "then": { "$ref": target },
        }));
    }
    if !missing.is_empty() {
        return Err(format!("not in the generated schema: {}", missing.join(", ")));
    }

    let kinds: Vec<&str> = KINDS.iter().map(|(_, k)| *k).collect();
    let mut versions: Vec<&str> = KINDS.iter().map(|(v, _)| *v).collect();
    versions.dedup();
    versions.sort_unstable();
    versions.dedup();
    let mut root = Map::new();
    root.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    root.insert("title".into(), json!("Kubernetes v1.34 objects simulated by Pod Playground"));
    root.insert(
        "description".into(),
        json!(format!("One Kubernetes object per YAML document: {}.", kinds.join(", "))),
    );
    root.insert("type".into(), json!("object"));
    root.insert(
        "properties".into(),
        json!({
            "apiVersion": {
                "description": "The API group and version of the object: v1 for core kinds, scheduling.k8s.io/v1 for PriorityClass.",
                "type": "string",
                "enum": versions,
            },
            "kind": {
                "description": "The kind of object this document describes.",
                "type": "string",
                "enum": kinds,
            },
        }),
    );
    root.insert("required".into(), json!(["apiVersion", "kind"]));
    root.insert("allOf".into(), Value::Array(dispatch));
    root.insert("definitions".into(), Value::Object(definitions));
    Ok(Value::Object(root))
}

fn main() -> ExitCode {
    let output = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("public/schema/kubernetes.json"), PathBuf::from);
    let schema = match build() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("schema-gen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let text = match serde_json::to_string(&schema) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("schema-gen: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("schema-gen: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    // Write then rename, so a watcher never serves a half-written file.
    let partial = output.with_extension("json.partial");
    if let Err(e) = std::fs::write(&partial, text.as_bytes()).and_then(|()| std::fs::rename(&partial, &output)) {
        eprintln!("schema-gen: cannot write {}: {e}", output.display());
        return ExitCode::FAILURE;
    }
    println!("schema-gen: wrote {} ({} KB)", output.display(), text.len() / 1024);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def<'a>(schema: &'a Value, name: &str) -> &'a Value {
        &schema["definitions"][name]
    }

    #[test]
    fn every_kind_is_dispatched_and_pinned() {
        let schema = build().expect("schema builds");
        assert_eq!(schema["allOf"].as_array().map(Vec::len), Some(KINDS.len()));
        assert_eq!(def(&schema, "io.k8s.api.core.v1.Pod")["properties"]["kind"]["enum"], json!(["Pod"]));
        assert_eq!(
            def(&schema, "io.k8s.api.scheduling.v1.PriorityClass")["properties"]["apiVersion"]["enum"],
            json!(["scheduling.k8s.io/v1"])
        );
        assert_eq!(schema["properties"]["apiVersion"]["enum"], json!(["scheduling.k8s.io/v1", "v1"]));
    }

    #[test]
    fn enums_and_descriptions_are_there() {
        let schema = build().expect("schema builds");
        let spec = def(&schema, "io.k8s.api.core.v1.PodSpec");
        assert_eq!(spec["properties"]["restartPolicy"]["enum"], json!(["Always", "OnFailure", "Never"]));
        assert!(spec["properties"]["restartPolicy"]["description"].as_str().is_some_and(|d| d.contains("Restart policy")));
        assert_eq!(
            def(&schema, "io.k8s.api.core.v1.ServiceSpec")["properties"]["ipFamilies"]["items"]["enum"],
            json!(["IPv4", "IPv6"])
        );
        let text = serde_json::to_string(&schema).expect("serialises");
        assert!(!text.contains("$defs"), "draft-07 references only: {}", &text[..200.min(text.len())]);
    }
}
