//! The Kubernetes objects as the simulator understands them: validated, defaulted, with no
//! `Option` left where the apiserver would have filled a default. Built from the real API types
//! by `manifest`, read by every actor and printer.

mod meta;
mod node;
mod other;
mod pod;

pub use meta::*;
pub use node::*;
pub use other::*;
pub use pod::*;

/// One object of any simulated kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    /// Shared: a scenario's pods travel to the API server without being copied.
    Pod(std::sync::Arc<Pod>),
    // The other kinds are boxed so an `Object` is two words: lists of thousands of objects
    // (a scenario, an apply request) are copied and moved whole, and the largest kind (a Node)
    // would make every entry 480 bytes.
    Node(Box<Node>),
    Namespace(Box<Namespace>),
    Service(Box<Service>),
    PriorityClass(Box<PriorityClass>),
    ConfigMap(Box<ConfigMap>),
    Secret(Box<Secret>),
}

impl Object {
    /// The object's metadata.
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Pod(o) => &o.meta,
            Object::Node(o) => &o.meta,
            Object::Namespace(o) => &o.meta,
            Object::Service(o) => &o.meta,
            Object::PriorityClass(o) => &o.meta,
            Object::ConfigMap(o) => &o.meta,
            Object::Secret(o) => &o.meta,
        }
    }

    /// Mutable metadata.
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Pod(o) => &mut std::sync::Arc::make_mut(o).meta,
            Object::Node(o) => &mut o.meta,
            Object::Namespace(o) => &mut o.meta,
            Object::Service(o) => &mut o.meta,
            Object::PriorityClass(o) => &mut o.meta,
            Object::ConfigMap(o) => &mut o.meta,
            Object::Secret(o) => &mut o.meta,
        }
    }

    /// The kind in lower case, as kubectl names an object (`pod/web`).
    pub fn kind_lower(&self) -> &'static str {
        match self {
            Object::Pod(_) => "pod",
            Object::Node(_) => "node",
            Object::Namespace(_) => "namespace",
            Object::Service(_) => "service",
            Object::PriorityClass(_) => "priorityclass",
            Object::ConfigMap(_) => "configmap",
            Object::Secret(_) => "secret",
        }
    }

    /// The kind as Kubernetes spells it (`Pod`, `PriorityClass`).
    pub fn kind(&self) -> &'static str {
        match self {
            Object::Pod(_) => "Pod",
            Object::Node(_) => "Node",
            Object::Namespace(_) => "Namespace",
            Object::Service(_) => "Service",
            Object::PriorityClass(_) => "PriorityClass",
            Object::ConfigMap(_) => "ConfigMap",
            Object::Secret(_) => "Secret",
        }
    }
}
