//! `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE (`-A` adds NAMESPACE, `-o wide`
//! adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME), from the aggregated events.
//!
//! Order: kubectl does not sort events (kubernetes/kubernetes#29838 is still open); it prints
//! them in the API server's list order, which is etcd key order: namespace, then event name.
//! Event names are `<object name>.<hex Unix nanoseconds of the first occurrence>`, so events
//! group by object and then run oldest first. [`event_name`] derives the same names.
//! Events about cluster-scoped objects (nodes) live in the `default` namespace.

use super::clock::Clock;
use super::{check_get_flags, no_resources, GetOptions, OutputFormat, Printed};
use crate::event::KubeEvent;
use crate::time::SimTime;
use crate::world::World;
use std::collections::BTreeMap;

/// The namespace an event is stored in.
pub(crate) fn event_namespace(e: &KubeEvent) -> &str {
    if e.involved.namespace.is_empty() {
        "default"
    } else {
        &e.involved.namespace
    }
}

/// The event object's name as the client-go recorder makes it: `<object>.<hex nanos>`; `index`
/// (the event's position in `World::events`) keeps events of the same millisecond distinct and
/// in recording order.
pub fn event_name(e: &KubeEvent, epoch_unix_ms: i64, index: usize) -> String {
    let nanos = (epoch_unix_ms as i128 + e.first_ms as i128) * 1_000_000 + index as i128;
    format!("{}.{:x}", e.involved.name, nanos.max(0))
}

/// `kubectl get events` at virtual time `now_ms`.
pub fn get_events(world: &World, now_ms: SimTime, opts: &GetOptions) -> Printed {
    let clock = Clock::at(world, now_ms);
    let ns = opts.namespace_or(world);
    let selector = match check_get_flags(opts) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let no_labels = BTreeMap::new();
    let mut list: Vec<(String, String, &KubeEvent)> = world
        .events
        .iter()
        .map(|e| &**e)
        .enumerate()
        .filter(|(_, e)| opts.all_namespaces || event_namespace(e) == ns)
        .filter(|_| selector.matches(&no_labels))
        .map(|(i, e)| (event_namespace(e).to_string(), event_name(e, world.epoch_unix_ms, i), e))
        .filter(|(_, name, _)| opts.name.as_ref().is_none_or(|n| n == name))
        .collect();
    list.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    if list.is_empty() {
        if let Some(name) = &opts.name {
            return super::not_found("events", name);
        }
        return no_resources(opts, &ns, true);
    }
    let wide = opts.output == OutputFormat::Wide;
    let mut header = Vec::new();
    if opts.all_namespaces {
        header.push("NAMESPACE");
    }
    if wide {
        header.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]);
    } else {
        header.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    }
    if opts.show_labels {
        header.push("LABELS");
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|(ns, name, e)| {
            let mut r = Vec::new();
            if opts.all_namespaces {
                r.push(ns.clone());
            }
            let target = if e.involved.name.is_empty() {
                e.involved.kind.to_lowercase()
            } else {
                format!("{}/{}", e.involved.kind.to_lowercase(), e.involved.name)
            };
            let last = clock.since(e.last_ms);
            if wide {
                let source = if e.source_host.is_empty() {
                    e.source_component.clone()
                } else {
                    format!("{}, {}", e.source_component, e.source_host)
                };
                r.extend([
                    last,
                    e.kind.as_str().to_string(),
                    e.reason.clone(),
                    target,
                    e.involved.field_path.clone(),
                    source,
                    e.message.trim().to_string(),
                    clock.since(e.first_ms),
                    e.count.max(1).to_string(),
                    name.clone(),
                ]);
            } else {
                r.extend([last, e.kind.as_str().to_string(), e.reason.clone(), target, e.message.trim().to_string()]);
            }
            if opts.show_labels {
                r.push("<none>".to_string());
            }
            r
        })
        .collect();
    Printed::out(super::table::render(&header, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventType, InvolvedObject};

    #[test]
    fn names_sort_like_etcd_keys() {
        let e = |name: &str, first| {
            KubeEvent::new(
                EventType::Normal,
                "R",
                "m",
                InvolvedObject { kind: "Pod".into(), namespace: "default".into(), name: name.into(), ..Default::default() },
                "kubelet",
                "",
                first,
            )
        };
        let epoch = crate::time::DEFAULT_EPOCH_UNIX_MS;
        let a = event_name(&e("web", 1_000), epoch, 0);
        let b = event_name(&e("web", 2_000), epoch, 1);
        let c = event_name(&e("web-2", 0), epoch, 2);
        assert!(a.starts_with("web.188"));
        assert!(a < b);
        // `-` sorts before `.`, so web-2's events list before web's, as in etcd.
        assert!(c < a);
        assert_eq!(event_namespace(&e("x", 0)), "default");
    }
}
