//! The default filter plugins, in kube-scheduler's order, with their exact reason strings:
//! NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit.
//! A node's evaluation stops at the first plugin that rejects it, as the framework does.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Verdict;
use crate::api::{Node, NodeSelectorTerm, Pod, Taint, Toleration};
use crate::resources::pod_requests;

/// A node and what counts against it: requests, pod count, host ports of its pods (plus pods
/// nominated to it), and — only when preemption needs them — the pods themselves.
pub struct NodeInfo<'a> {
    pub node: &'a Node,
    pub pods: Vec<&'a Pod>,
    /// What counts against the node: computed from `pods`, or the shared empty usage of a bare
    /// node (the static filters' cache builds one per node without allocating).
    pub usage: UsageRef<'a>,
    pub caps: Caps,
}

/// A node's usage, borrowed (a bare node's empty usage) or owned (computed from its pods).
pub enum UsageRef<'a> {
    Shared(&'a NodeUsage),
    Own(Box<NodeUsage>),
}

impl std::ops::Deref for UsageRef<'_> {
    type Target = NodeUsage;

    fn deref(&self) -> &NodeUsage {
        match self {
            UsageRef::Shared(u) => u,
            UsageRef::Own(u) => u,
        }
    }
}

/// Resource amounts in milli-units: the standard resources as fields (a cycle reads them for
/// hundreds of nodes), extended resources by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Amounts {
    pub cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub extended: BTreeMap<String, i64>,
}

impl Amounts {
    pub const fn new() -> Amounts {
        Amounts { cpu: 0, memory: 0, ephemeral_storage: 0, extended: BTreeMap::new() }
    }

    pub fn get(&self, res: &str) -> i64 {
        match res {
            "cpu" => self.cpu,
            "memory" => self.memory,
            "ephemeral-storage" => self.ephemeral_storage,
            other => self.extended.get(other).copied().unwrap_or(0),
        }
    }

    fn add(&mut self, res: &str, v: i64) {
        match res {
            "cpu" => self.cpu = self.cpu.saturating_add(v),
            "memory" => self.memory = self.memory.saturating_add(v),
            "ephemeral-storage" => self.ephemeral_storage = self.ephemeral_storage.saturating_add(v),
            other => {
                let e = self.extended.entry(other.to_string()).or_default();
                *e = e.saturating_add(v);
            }
        }
    }
}

/// A node's allocatable standard resources and pod slots, read once per node change (the loop
/// keeps them in `World::node_caps`) instead of once per node per cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Caps {
    pub cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub pods: i64,
}

impl Caps {
    pub fn of(node: &Node) -> Caps {
        let a = &node.status.allocatable;
        let milli = |r: &str| a.get(r).map_or(0, |q| q.milli);
        Caps { cpu: milli("cpu"), memory: milli("memory"), ephemeral_storage: milli("ephemeral-storage"), pods: a.get("pods").map_or(110, |q| q.milli / 1000) }
    }

}

/// The usage of a node nothing runs on.
static EMPTY_USAGE: NodeUsage = NodeUsage { requested: Amounts::new(), requested_non_zero: Amounts::new(), pod_count: 0, host_ports: Vec::new() };

/// What the pods bound to a node use, kept up to date by the simulation loop (the scheduler's
/// cache), so a cycle never walks every pod of the cluster.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeUsage {
    pub requested: Amounts,
    pub requested_non_zero: Amounts,
    pub pod_count: usize,
    pub host_ports: Vec<(String, i32)>,
}

impl NodeUsage {
    /// Adds (`sign` = 1) or removes (`sign` = -1) a pod's share.
    pub fn account(&mut self, pod: &Pod, sign: i64) {
        for (k, v) in pod_requests(&pod.spec, false) {
            self.requested.add(k, sign * v);
        }
        for (k, v) in pod_requests(&pod.spec, true) {
            self.requested_non_zero.add(k, sign * v);
        }
        let ports = host_ports(pod);
        if sign > 0 {
            self.pod_count += 1;
            self.host_ports.extend(ports);
        } else {
            self.pod_count = self.pod_count.saturating_sub(1);
            for p in ports {
                if let Some(i) = self.host_ports.iter().position(|x| *x == p) {
                    self.host_ports.remove(i);
                }
            }
        }
    }
}

impl<'a> NodeInfo<'a> {
    /// From an explicit list of pods (preemption's what-ifs, tests).
    pub fn new(node: &'a Node, pods: Vec<&'a Pod>) -> NodeInfo<'a> {
        let mut usage = NodeUsage::default();
        for p in &pods {
            usage.account(p, 1);
        }
        NodeInfo { node, pods, usage: UsageRef::Own(Box::new(usage)), caps: Caps::of(node) }
    }

    /// The node alone, for the static filters (they read the node object, never its usage).
    pub fn bare(node: &'a Node) -> NodeInfo<'a> {
        NodeInfo { node, pods: Vec::new(), usage: UsageRef::Shared(&EMPTY_USAGE), caps: Caps::default() }
    }
}

/// The pod being scheduled, with what every filter needs computed once per cycle.
pub struct Candidate<'a> {
    pub pod: &'a Pod,
    /// The positive requests in resource-name order (the order kube-scheduler reports them),
    /// each with its typed slot so the per-node check compares integers, not names.
    pub requests: Vec<(Resource, i64)>,
    pub host_ports: Vec<(String, i32)>,
    /// The requests of cpu, memory and ephemeral-storage when the pod asks for nothing else and
    /// no host port: the common case, where whether a node passes the dynamic filters is four
    /// comparisons (`quick_fit`). A resource not requested holds `i64::MIN`, which fits
    /// anywhere, so no comparison needs a branch of its own.
    standard_only: Option<[i64; 3]>,
}

/// A requested resource: the standard ones by slot, extended ones by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    Cpu,
    Memory,
    EphemeralStorage,
    Extended(String),
}

impl Resource {
    fn of(name: &str) -> Resource {
        match name {
            "cpu" => Resource::Cpu,
            "memory" => Resource::Memory,
            "ephemeral-storage" => Resource::EphemeralStorage,
            _ => Resource::Extended(name.to_string()),
        }
    }

    /// How much of it is used (`Amounts`).
    fn used(&self, a: &Amounts) -> i64 {
        match self {
            Resource::Cpu => a.cpu,
            Resource::Memory => a.memory,
            Resource::EphemeralStorage => a.ephemeral_storage,
            Resource::Extended(name) => a.extended.get(name).copied().unwrap_or(0),
        }
    }

    /// How much of it the node has (`extended` reads an extended resource from the node).
    fn allocatable(&self, caps: &Caps, extended: &dyn Fn(&str) -> i64) -> i64 {
        match self {
            Resource::Cpu => caps.cpu,
            Resource::Memory => caps.memory,
            Resource::EphemeralStorage => caps.ephemeral_storage,
            Resource::Extended(name) => extended(name),
        }
    }

    /// `Insufficient <resource>`, without allocating for the standard resources.
    fn insufficient(&self) -> Cow<'static, str> {
        match self {
            Resource::Cpu => Cow::Borrowed("Insufficient cpu"),
            Resource::Memory => Cow::Borrowed("Insufficient memory"),
            Resource::EphemeralStorage => Cow::Borrowed("Insufficient ephemeral-storage"),
            Resource::Extended(name) => Cow::Owned(format!("Insufficient {name}")),
        }
    }
}

impl<'a> Candidate<'a> {
    pub fn new(pod: &'a Pod) -> Candidate<'a> {
        let requests: Vec<(Resource, i64)> = pod_requests(&pod.spec, false).into_iter().filter(|(_, v)| *v > 0).map(|(k, v)| (Resource::of(k), v)).collect();
        let host_ports = host_ports(pod);
        let mut standard = [i64::MIN; 3];
        let mut standard_only = host_ports.is_empty();
        for (res, want) in &requests {
            match res {
                Resource::Cpu => standard[0] = *want,
                Resource::Memory => standard[1] = *want,
                Resource::EphemeralStorage => standard[2] = *want,
                Resource::Extended(_) => standard_only = false,
            }
        }
        Candidate { pod, requests, host_ports, standard_only: standard_only.then_some(standard) }
    }

    /// Whether the node certainly passes the dynamic filters, in four comparisons — the same
    /// ones `resources_fit` makes (a request of 0 is not checked). False means "run the full
    /// checks" (`dynamic_verdict`): the node may still pass, or it needs its reasons.
    #[inline(always)]
    pub fn quick_fit(&self, usage: &NodeUsage, caps: &Caps) -> bool {
        let Some([cpu, memory, ephemeral_storage]) = self.standard_only else { return false };
        let used = &usage.requested;
        // (`capacity - used` cannot overflow: neither is negative. `want + used` could.) The
        // four are combined with `&`, not `&&`: all four are cheap, and a node usually passes.
        ((usage.pod_count as i64) < caps.pods) & (cpu <= caps.cpu - used.cpu) & (memory <= caps.memory - used.memory) & (ephemeral_storage <= caps.ephemeral_storage - used.ephemeral_storage)
    }
}

/// Why a filter plugin rejected a node, in kube-scheduler's words. Most rejections have one
/// fixed reason, so the common case allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reasons {
    One(Cow<'static, str>),
    Many(Vec<Cow<'static, str>>),
}

impl Reasons {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (one, many): (Option<&Cow<'static, str>>, &[Cow<'static, str>]) = match self {
            Reasons::One(r) => (Some(r), &[]),
            Reasons::Many(v) => (None, v),
        };
        one.into_iter().chain(many).map(|c| c.as_ref())
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

/// A filter plugin's rejection: the reasons, and whether evicting pods could help (preemption).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub reasons: Reasons,
    pub resolvable: bool,
}

type Plugin = fn(&Candidate<'_>, &NodeInfo<'_>) -> Result<(), Rejection>;

/// The filter plugins in the default profile's order.
pub const FILTERS: [(&str, Plugin); 6] = [
    ("NodeUnschedulable", node_unschedulable),
    ("NodeName", node_name),
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity),
    ("NodePorts", node_ports),
    ("NodeResourcesFit", node_resources_fit),
];

/// The filters' outcome on one node: the plugin (index into `FILTERS`) that rejected it and why,
/// or `None` when every plugin passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filtered(pub Option<(u8, Rejection)>);

impl Filtered {
    pub fn feasible(&self) -> bool {
        self.0.is_none()
    }

    pub fn rejection(&self) -> Option<&Rejection> {
        self.0.as_ref().map(|(_, r)| r)
    }

    /// Every plugin's verdict, as the scheduler panel lists them (plugins after the rejecting
    /// one were not run).
    pub fn verdicts(&self) -> Vec<(&'static str, Verdict)> {
        FILTERS
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let v = match &self.0 {
                    Some((at, r)) if usize::from(*at) == i => Verdict::Fail { reasons: r.reasons.to_vec(), resolvable: r.resolvable },
                    Some((at, _)) if usize::from(*at) < i => Verdict::Skipped,
                    _ => Verdict::Pass,
                };
                (*name, v)
            })
            .collect()
    }
}

/// Runs the filters on one node, stopping at the first rejection (as the framework does).
pub fn run_filters(pod: &Candidate<'_>, info: &NodeInfo<'_>) -> Filtered {
    match run_static_filters(pod, info) {
        Some(r) => Filtered(Some(r)),
        None => Filtered(dynamic_verdict(pod, &info.usage, &info.caps, &|name| extended_allocatable(info.node, name))),
    }
}

/// How many of the first `FILTERS` read only the node object (its name, labels, taints and
/// unschedulable flag), never what runs there: their verdicts can be memoised (`cache.rs`).
pub const STATIC_FILTERS: usize = 4;

/// The static filters (the first `STATIC_FILTERS`): the first rejection, if any.
pub fn run_static_filters(pod: &Candidate<'_>, info: &NodeInfo<'_>) -> Option<(u8, Rejection)> {
    for (i, (_, plugin)) in FILTERS[..STATIC_FILTERS].iter().enumerate() {
        if let Err(r) = plugin(pod, info) {
            return Some((i as u8, r));
        }
    }
    None
}


fn unresolvable(reason: &'static str) -> Result<(), Rejection> {
    Err(Rejection { reasons: Reasons::One(Cow::Borrowed(reason)), resolvable: false })
}

fn node_unschedulable(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Result<(), Rejection> {
    let pod = c.pod;
    if !info.node.spec.unschedulable {
        return Ok(());
    }
    let taint = Taint { key: "node.kubernetes.io/unschedulable".into(), value: String::new(), effect: "NoSchedule".into(), time_added_ms: None };
    if pod.spec.tolerations.iter().any(|t| tolerates(t, &taint)) {
        Ok(())
    } else {
        unresolvable("node(s) were unschedulable")
    }
}

fn node_name(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Result<(), Rejection> {
    let pod = c.pod;
    if pod.spec.node_name.is_empty() || pod.spec.node_name == info.node.meta.name {
        Ok(())
    } else {
        unresolvable("node(s) didn't match the requested node name")
    }
}

/// Whether a toleration tolerates a taint (key, operator, value, effect).
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    if !t.effect.is_empty() && t.effect != taint.effect {
        return false;
    }
    if t.key.is_empty() {
        return t.operator == "Exists";
    }
    if t.key != taint.key {
        return false;
    }
    match t.operator.as_str() {
        "Exists" => true,
        _ => t.value == taint.value,
    }
}

fn taint_toleration(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Result<(), Rejection> {
    let pod = c.pod;
    let untolerated = info
        .node
        .spec
        .taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .any(|taint| !pod.spec.tolerations.iter().any(|t| tolerates(t, taint)));
    if untolerated {
        // v1.34.2+ wording: the taint itself is no longer part of the status message.
        unresolvable("node(s) had untolerated taint(s)")
    } else {
        Ok(())
    }
}

/// Whether a node selector term matches a node (expressions on labels, fields on the name).
pub fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    if term.match_expressions.is_empty() && term.match_fields.is_empty() {
        return false;
    }
    let mut fields = BTreeMap::new();
    fields.insert("metadata.name".to_string(), node.meta.name.clone());
    term.match_expressions.iter().all(|r| r.matches(&node.meta.labels)) && term.match_fields.iter().all(|r| r.matches(&fields))
}

fn node_affinity(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Result<(), Rejection> {
    let pod = c.pod;
    let labels = &info.node.meta.labels;
    let selector_ok = pod.spec.node_selector.iter().all(|(k, v)| labels.get(k) == Some(v));
    let required = &pod.spec.affinity.required;
    let affinity_ok = required.is_empty() || required.iter().any(|t| term_matches(t, info.node));
    if selector_ok && affinity_ok {
        Ok(())
    } else {
        unresolvable("node(s) didn't match Pod's node affinity/selector")
    }
}

pub(crate) fn host_ports(pod: &Pod) -> Vec<(String, i32)> {
    pod.spec.all_containers().flat_map(|c| c.ports.iter()).filter(|p| p.host_port > 0).map(|p| (p.protocol.clone(), p.host_port)).collect()
}

fn node_ports(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Result<(), Rejection> {
    ports_fit(c, &info.usage)
}

fn node_resources_fit(c: &Candidate<'_>, info: &NodeInfo<'_>) -> Result<(), Rejection> {
    resources_fit(c, &info.usage, &info.caps, &|name| extended_allocatable(info.node, name))
}

/// A node's allocatable amount of an extended resource (milli-units; 0 if it has none).
pub fn extended_allocatable(node: &Node, name: &str) -> i64 {
    node.status.allocatable.get(name).map_or(0, |q| q.milli)
}

/// NodePorts on a node's usage.
fn ports_fit(c: &Candidate<'_>, usage: &NodeUsage) -> Result<(), Rejection> {
    let wanted = &c.host_ports;
    if wanted.is_empty() || !wanted.iter().any(|w| usage.host_ports.contains(w)) {
        return Ok(());
    }
    Err(Rejection { reasons: Reasons::One(Cow::Borrowed("node(s) didn't have free ports for the requested pod ports")), resolvable: true })
}

/// NodeResourcesFit on a node's usage and capacities; `extended` gives the node's allocatable
/// amount of an extended resource (asked only when the pod requests one).
fn resources_fit(c: &Candidate<'_>, usage: &NodeUsage, caps: &Caps, extended: &dyn Fn(&str) -> i64) -> Result<(), Rejection> {
    let mut reasons: Vec<Cow<'static, str>> = Vec::new();
    let mut resolvable = true;
    if usage.pod_count as i64 + 1 > caps.pods {
        reasons.push(Cow::Borrowed("Too many pods"));
    }
    for (res, want) in &c.requests {
        let capacity = res.allocatable(caps, extended);
        let used = res.used(&usage.requested);
        if *want > capacity - used {
            reasons.push(res.insufficient());
            if *want > capacity {
                // Larger than the whole node: evicting pods cannot help.
                resolvable = false;
            }
        }
    }
    match reasons.len() {
        0 => Ok(()),
        1 => Err(Rejection { reasons: Reasons::One(reasons.remove(0)), resolvable }),
        _ => Err(Rejection { reasons: Reasons::Many(reasons), resolvable }),
    }
}

/// Index of NodePorts and NodeResourcesFit in `FILTERS` (checked by a test).
const NODE_PORTS: u8 = 4;
const NODE_RESOURCES_FIT: u8 = 5;

/// The filters after the static ones (NodePorts, NodeResourcesFit) on a node's usage and
/// capacities alone, without its `NodeInfo`: what a cycle runs on every node the static filters
/// passed. `run_filters` runs it too, so a cycle and a what-if agree.
pub fn dynamic_verdict(c: &Candidate<'_>, usage: &NodeUsage, caps: &Caps, extended: &dyn Fn(&str) -> i64) -> Option<(u8, Rejection)> {
    if c.quick_fit(usage, caps) {
        return None;
    }
    if let Err(r) = ports_fit(c, usage) {
        return Some((NODE_PORTS, r));
    }
    resources_fit(c, usage, caps, extended).err().map(|r| (NODE_RESOURCES_FIT, r))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dynamic_filters_sit_where_dynamic_verdict_says() {
        assert_eq!(super::FILTERS[usize::from(super::NODE_PORTS)].0, "NodePorts");
        assert_eq!(super::FILTERS[usize::from(super::NODE_RESOURCES_FIT)].0, "NodeResourcesFit");
        assert_eq!(super::STATIC_FILTERS, 4);
    }

    /// Guards the fast path of `dynamic_verdict` (four comparisons for pods with standard
    /// requests only): it must pass exactly the nodes the full NodePorts + NodeResourcesFit
    /// checks pass, including a request of 0 on an over-committed node.
    #[test]
    fn the_quick_fit_agrees_with_the_full_checks() {
        use super::*;
        let resources: [&[(&str, &str)]; 5] = [&[], &[("cpu", "500m")], &[("memory", "1Gi")], &[("cpu", "1"), ("memory", "2Gi"), ("ephemeral-storage", "1Gi")], &[("cpu", "1"), ("example.com/gpu", "1")]];
        let ports = ["", "    ports:\n    - containerPort: 80\n      hostPort: 8080\n"];
        let mut checked = 0;
        for res in resources {
            for port in ports {
                let mut text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n{port}");
                if !res.is_empty() {
                    // Extended resources must be limited as much as requested.
                    let amounts: String = res.iter().map(|(k, v)| format!("        {k}: \"{v}\"\n")).collect();
                    text.push_str(&format!("    resources:\n      requests:\n{amounts}      limits:\n{amounts}"));
                }
                let parsed = crate::manifest::parse(&text);
                let Some(crate::api::Object::Pod(pod)) = parsed.objects.first().map(|o| &o.object) else { panic!("{text}\n{:?}", parsed.rejections) };
                let candidate = Candidate::new(pod);
                for used_cpu in [0, 500, 3_500, 5_000] {
                    for pod_count in [0, 109, 110] {
                        for host_port in [false, true] {
                            let mut usage = NodeUsage::default();
                            usage.requested.cpu = used_cpu;
                            usage.requested.memory = used_cpu * 1024 * 1024;
                            usage.requested.ephemeral_storage = used_cpu * 512 * 1024;
                            usage.pod_count = pod_count;
                            if host_port {
                                usage.host_ports.push(("TCP".into(), 8080));
                            }
                            let caps = Caps { cpu: 4_000, memory: 4_000 * 1024 * 1024, ephemeral_storage: 2_000 * 1024 * 1024, pods: 110 };
                            let extended = |_: &str| 1;
                            let full = match ports_fit(&candidate, &usage) {
                                Err(r) => Some((NODE_PORTS, r)),
                                Ok(()) => resources_fit(&candidate, &usage, &caps, &extended).err().map(|r| (NODE_RESOURCES_FIT, r)),
                            };
                            assert_eq!(dynamic_verdict(&candidate, &usage, &caps, &extended), full, "{res:?} {port} cpu={used_cpu} pods={pod_count} port={host_port}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 5 * 2 * 4 * 3 * 2);
    }
}
