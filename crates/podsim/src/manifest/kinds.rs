//! The seven simulated kinds behind one trait, so the pipeline in `mod.rs` is written once:
//! decode → quantity check → defaults → validation → conversion to the model.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as k;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as KQuantity;
use serde::de::DeserializeOwned;

use super::convert;
use super::decode::QUANTITY_FORMAT_ERROR;
use super::defaults::{self, Note};
use super::fielderr::FieldError;
use super::path;
use super::simulated;
use super::validate;
use crate::api::Object;
use crate::quantity::Quantity;

/// One simulated kind.
pub(crate) trait Kind: DeserializeOwned {
    const KIND: &'static str;
    /// The version the apiserver names in decode errors (`Pod in version "v1" …`).
    const VERSION: &'static str = "v1";
    const FIELDS: simulated::Kind;
    /// The first resource quantity Kubernetes could not parse: its path and the reason.
    fn bad_quantity(&self) -> Option<(String, &'static str)> {
        None
    }
    fn apply_defaults(&mut self, seed: u64) -> Vec<Note>;
    fn validate(&self) -> Vec<FieldError>;
    fn name(&self) -> &str;
    fn convert(&self, epoch_unix_ms: i64) -> Object;
}

/// Why a quantity string does not parse, in `resource.ParseQuantity`'s words.
pub(crate) fn quantity_problem(text: &str) -> Option<&'static str> {
    if Quantity::parse(text).is_some() {
        return None;
    }
    if matches_quantity_regex(text.trim()) {
        Some("unable to parse quantity's suffix")
    } else {
        Some(QUANTITY_FORMAT_ERROR)
    }
}

/// `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`
fn matches_quantity_regex(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let start = i;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
        i += 1;
    }
    if i == start {
        return false;
    }
    while b.get(i).is_some_and(|c| b"eEinumkKMGTP".contains(c)) {
        i += 1;
    }
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i == b.len()
}

fn check_map(map: Option<&BTreeMap<String, KQuantity>>, at: &str) -> Option<(String, &'static str)> {
    map.into_iter().flatten().find_map(|(k, v)| quantity_problem(&v.0).map(|why| (path::key(at, k), why)))
}

fn check_resources(r: Option<&k::ResourceRequirements>, at: &str) -> Option<(String, &'static str)> {
    let r = r?;
    check_map(r.limits.as_ref(), &path::child(at, "limits")).or_else(|| check_map(r.requests.as_ref(), &path::child(at, "requests")))
}

fn name_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

impl Kind for k::Pod {
    const KIND: &'static str = "Pod";
    const FIELDS: simulated::Kind = simulated::Kind::Pod;

    fn bad_quantity(&self) -> Option<(String, &'static str)> {
        let spec = self.spec.as_ref()?;
        if let Some(found) =
            check_map(spec.overhead.as_ref(), "spec.overhead").or_else(|| check_resources(spec.resources.as_ref(), "spec.resources"))
        {
            return Some(found);
        }
        for (i, c) in spec.containers.iter().enumerate() {
            if let Some(found) = check_resources(c.resources.as_ref(), &path::child(&path::index("spec.containers", i), "resources")) {
                return Some(found);
            }
        }
        for (i, c) in spec.init_containers.iter().flatten().enumerate() {
            if let Some(found) = check_resources(c.resources.as_ref(), &path::child(&path::index("spec.initContainers", i), "resources")) {
                return Some(found);
            }
        }
        for (i, v) in spec.volumes.iter().flatten().enumerate() {
            if let Some(q) = v.empty_dir.as_ref().and_then(|d| d.size_limit.as_ref()) {
                if let Some(why) = quantity_problem(&q.0) {
                    return Some((path::child(&path::index("spec.volumes", i), "emptyDir.sizeLimit"), why));
                }
            }
        }
        None
    }

    fn apply_defaults(&mut self, seed: u64) -> Vec<Note> {
        defaults::pod(self, seed)
    }

    fn validate(&self) -> Vec<FieldError> {
        validate::pod(self)
    }

    fn name(&self) -> &str {
        name_of(&self.metadata)
    }

    fn convert(&self, epoch_unix_ms: i64) -> Object {
        Object::Pod(convert::pod(self, epoch_unix_ms).into())
    }
}

impl Kind for k::Node {
    const KIND: &'static str = "Node";
    const FIELDS: simulated::Kind = simulated::Kind::Node;

    fn bad_quantity(&self) -> Option<(String, &'static str)> {
        let st = self.status.as_ref()?;
        check_map(st.capacity.as_ref(), "status.capacity").or_else(|| check_map(st.allocatable.as_ref(), "status.allocatable"))
    }

    fn apply_defaults(&mut self, _seed: u64) -> Vec<Note> {
        defaults::node(self)
    }

    fn validate(&self) -> Vec<FieldError> {
        validate::node(self)
    }

    fn name(&self) -> &str {
        name_of(&self.metadata)
    }

    fn convert(&self, epoch_unix_ms: i64) -> Object {
        Object::Node(Box::new(convert::node(self, epoch_unix_ms)))
    }
}

impl Kind for k::Namespace {
    const KIND: &'static str = "Namespace";
    const FIELDS: simulated::Kind = simulated::Kind::Namespace;

    fn apply_defaults(&mut self, _seed: u64) -> Vec<Note> {
        defaults::namespace(self);
        Vec::new()
    }

    fn validate(&self) -> Vec<FieldError> {
        validate::namespace(self)
    }

    fn name(&self) -> &str {
        name_of(&self.metadata)
    }

    fn convert(&self, epoch_unix_ms: i64) -> Object {
        Object::Namespace(Box::new(convert::namespace(self, epoch_unix_ms)))
    }
}

impl Kind for k::Service {
    const KIND: &'static str = "Service";
    const FIELDS: simulated::Kind = simulated::Kind::Service;

    fn apply_defaults(&mut self, _seed: u64) -> Vec<Note> {
        defaults::service(self);
        Vec::new()
    }

    fn validate(&self) -> Vec<FieldError> {
        validate::service(self)
    }

    fn name(&self) -> &str {
        name_of(&self.metadata)
    }

    fn convert(&self, epoch_unix_ms: i64) -> Object {
        Object::Service(Box::new(convert::service(self, epoch_unix_ms)))
    }
}

impl Kind for PriorityClass {
    const KIND: &'static str = "PriorityClass";
    const FIELDS: simulated::Kind = simulated::Kind::PriorityClass;

    fn apply_defaults(&mut self, _seed: u64) -> Vec<Note> {
        defaults::priority_class(self);
        Vec::new()
    }

    fn validate(&self) -> Vec<FieldError> {
        validate::priority_class(self)
    }

    fn name(&self) -> &str {
        name_of(&self.metadata)
    }

    fn convert(&self, epoch_unix_ms: i64) -> Object {
        Object::PriorityClass(Box::new(convert::priority_class(self, epoch_unix_ms)))
    }
}

impl Kind for k::ConfigMap {
    const KIND: &'static str = "ConfigMap";
    const FIELDS: simulated::Kind = simulated::Kind::ConfigMap;

    fn apply_defaults(&mut self, _seed: u64) -> Vec<Note> {
        defaults::config_map(self);
        Vec::new()
    }

    fn validate(&self) -> Vec<FieldError> {
        validate::config_map(self)
    }

    fn name(&self) -> &str {
        name_of(&self.metadata)
    }

    fn convert(&self, epoch_unix_ms: i64) -> Object {
        Object::ConfigMap(Box::new(convert::config_map(self, epoch_unix_ms)))
    }
}

impl Kind for k::Secret {
    const KIND: &'static str = "Secret";
    const FIELDS: simulated::Kind = simulated::Kind::Secret;

    fn apply_defaults(&mut self, _seed: u64) -> Vec<Note> {
        defaults::secret(self);
        Vec::new()
    }

    fn validate(&self) -> Vec<FieldError> {
        validate::secret(self)
    }

    fn name(&self) -> &str {
        name_of(&self.metadata)
    }

    fn convert(&self, epoch_unix_ms: i64) -> Object {
        Object::Secret(Box::new(convert::secret(self, epoch_unix_ms)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_problems_use_kubernetes_words() {
        assert_eq!(quantity_problem("500m"), None);
        assert_eq!(quantity_problem("abc"), Some(QUANTITY_FORMAT_ERROR));
        assert_eq!(quantity_problem("1kk"), Some("unable to parse quantity's suffix"));
        assert_eq!(quantity_problem(""), Some(QUANTITY_FORMAT_ERROR));
    }
}
