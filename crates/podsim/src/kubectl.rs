//! kubectl command lines → interventions. Shared by the CLI's `--at 30s=COMMAND` and the page's
//! terminal, with kubectl's own error messages for what it does not understand. Read-only verbs
//! (`get`, `describe`, `logs`) are answered by the printers, not here.

use crate::api::{Container, Object, ObjectMeta, Pod, PodSpec, PullPolicy, RestartPolicy};
use crate::sim::{Action, Signal};

/// A parsed command.
#[derive(Clone, Debug, PartialEq)]
pub enum Parsed {
    /// Changes the cluster: becomes an intervention.
    Action(Action),
    /// `apply -f FILE`: the caller loads the file and parses it.
    ApplyFile { path: String },
    /// A read-only query for the printers (`get`, `describe`, `logs`), with its words.
    Query(Vec<String>),
}

/// Splits a command line like a POSIX shell would (quotes, backslashes).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("unterminated quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => {
                            if let Some(x) = chars.next() {
                                cur.push(x);
                            }
                        }
                        Some(x) => cur.push(x),
                        None => return Err("unterminated quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    cur.push(x);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Flags and positional words of a command (`--flag=v`, `--flag v`, `-n v`, `--` rest).
#[derive(Debug, Default)]
struct Args {
    positional: Vec<String>,
    flags: Vec<(String, Option<String>)>,
    rest: Vec<String>,
}

const VALUE_FLAGS: &[&str] = &["-n", "--namespace", "-c", "--container", "--grace-period", "--image", "--restart", "-f", "--filename", "--signal", "-l", "--selector", "-o", "--output", "--labels", "--namespace=", "--timeout", "--port", "--env"];

fn parse_args(words: &[String]) -> Args {
    let mut a = Args::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w == "--" {
            a.rest = words[i + 1..].to_vec();
            break;
        }
        if let Some(body) = w.strip_prefix("--") {
            if let Some((k, v)) = body.split_once('=') {
                a.flags.push((format!("--{k}"), Some(v.to_string())));
            } else if VALUE_FLAGS.contains(&w.as_str()) && i + 1 < words.len() {
                a.flags.push((w.clone(), Some(words[i + 1].clone())));
                i += 1;
            } else {
                a.flags.push((w.clone(), None));
            }
        } else if w.starts_with('-') && w.len() > 1 && !w.starts_with("-1") {
            if let Some((k, v)) = w.split_once('=') {
                a.flags.push((k.to_string(), Some(v.to_string())));
            } else if VALUE_FLAGS.contains(&w.as_str()) && i + 1 < words.len() {
                a.flags.push((w.clone(), Some(words[i + 1].clone())));
                i += 1;
            } else if w.len() > 2 && VALUE_FLAGS.contains(&&w[..2]) {
                a.flags.push((w[..2].to_string(), Some(w[2..].to_string())));
            } else {
                a.flags.push((w.clone(), None));
            }
        } else {
            a.positional.push(w.clone());
        }
        i += 1;
    }
    a
}

impl Args {
    fn get(&self, names: &[&str]) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| names.contains(&k.as_str())).and_then(|(_, v)| v.as_deref())
    }

    fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(k, _)| names.contains(&k.as_str()))
    }
}

/// Normalises a resource word (`po`, `pods`, `pod/web`) to its kind.
fn kind_of(word: &str) -> Option<&'static str> {
    match word.to_lowercase().as_str() {
        "po" | "pod" | "pods" => Some("Pod"),
        "no" | "node" | "nodes" => Some("Node"),
        "svc" | "service" | "services" => Some("Service"),
        "ns" | "namespace" | "namespaces" => Some("Namespace"),
        "cm" | "configmap" | "configmaps" => Some("ConfigMap"),
        "secret" | "secrets" => Some("Secret"),
        "pc" | "priorityclass" | "priorityclasses" => Some("PriorityClass"),
        "ev" | "event" | "events" => Some("Event"),
        _ => None,
    }
}

/// `TYPE NAME` or `TYPE/NAME` from the positional words.
fn type_and_name(pos: &[String]) -> Result<(&'static str, String), String> {
    let first = pos.first().ok_or_else(|| "error: you must specify the type of resource to delete".to_string())?;
    if let Some((t, n)) = first.split_once('/') {
        let k = kind_of(t).ok_or_else(|| format!("error: the server doesn't have a resource type \"{t}\""))?;
        return Ok((k, n.to_string()));
    }
    let k = kind_of(first).ok_or_else(|| format!("error: the server doesn't have a resource type \"{first}\""))?;
    let name = pos.get(1).ok_or_else(|| "error: resource(s) were provided, but no name was specified".to_string())?;
    Ok((k, name.clone()))
}

/// Parses one command line (with or without the leading `kubectl`). `namespace` is the
/// current context's namespace.
pub fn parse(line: &str, namespace: &str) -> Result<Parsed, String> {
    let mut words = split_words(line)?;
    if words.first().is_some_and(|w| w == "kubectl" || w == "k") {
        words.remove(0);
    }
    let Some(verb) = words.first().cloned() else { return Err("error: no command given".into()) };
    let args = parse_args(&words[1..]);
    let ns = args.get(&["-n", "--namespace"]).unwrap_or(namespace).to_string();
    match verb.as_str() {
        "get" | "describe" | "logs" | "top" | "explain" | "version" | "cluster-info" | "api-resources" => Ok(Parsed::Query(words)),
        "delete" => {
            let (kind, name) = type_and_name(&args.positional)?;
            if kind == "Pod" {
                let grace = args.get(&["--grace-period"]).map(|g| g.parse::<i64>().map_err(|_| format!("error: invalid argument \"{g}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{g}\": invalid syntax"))).transpose()?;
                let force = args.has(&["--force"]);
                let grace = if args.has(&["--now"]) { Some(1) } else { grace };
                if force && grace != Some(0) && grace.is_some() {
                    return Err("error: --force and --grace-period greater than 0 cannot be specified together".into());
                }
                let grace = if force && grace.is_none() { Some(0) } else { grace };
                Ok(Parsed::Action(Action::DeletePod { namespace: ns, name, grace_seconds: grace, force }))
            } else {
                let ns = if matches!(kind, "Node" | "Namespace" | "PriorityClass") { String::new() } else { ns };
                Ok(Parsed::Action(Action::DeleteObject { kind: kind.into(), namespace: ns, name }))
            }
        }
        "label" => {
            let (kind, name) = type_and_name(&args.positional)?;
            let skip = if args.positional.first().is_some_and(|p| p.contains('/')) { 1 } else { 2 };
            let mut set = Vec::new();
            let mut remove = Vec::new();
            for l in args.positional.iter().skip(skip) {
                if let Some(k) = l.strip_suffix('-') {
                    remove.push(k.to_string());
                } else if let Some((k, v)) = l.split_once('=') {
                    set.push((k.to_string(), v.to_string()));
                } else {
                    return Err(format!("error: at least one label update is required"));
                }
            }
            if set.is_empty() && remove.is_empty() {
                return Err("error: at least one label update is required".into());
            }
            if kind != "Pod" && kind != "Node" {
                return Err(format!("error: labelling {} is not simulated; label pods or nodes", kind.to_lowercase()));
            }
            Ok(Parsed::Action(Action::Label { kind: kind.into(), namespace: ns, name, set, remove, overwrite: args.has(&["--overwrite"]) }))
        }
        "cordon" | "uncordon" | "drain" => {
            let node = args.positional.first().ok_or_else(|| "error: USAGE: cordon NODE [flags]".to_string())?.clone();
            Ok(Parsed::Action(if verb == "drain" { Action::Drain { node } } else { Action::Cordon { node, unschedulable: verb == "cordon" } }))
        }
        "taint" => {
            let node = match args.positional.as_slice() {
                [t, n, ..] if kind_of(t) == Some("Node") => n.clone(),
                _ => return Err("error: taint requires nodes NODE KEY=VALUE:EFFECT".into()),
            };
            let spec = args.positional.get(2).ok_or_else(|| "error: at least one taint update is required".to_string())?;
            let remove = spec.ends_with('-');
            let spec = spec.trim_end_matches('-');
            let (kv, effect) = spec.split_once(':').unwrap_or((spec, ""));
            let (key, value) = kv.split_once('=').unwrap_or((kv, ""));
            if !remove && !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect) {
                return Err(format!("error: invalid taint effect: {effect}, unsupported taint effect"));
            }
            Ok(Parsed::Action(Action::Taint { node, key: key.into(), value: value.into(), effect: effect.into(), remove }))
        }
        "create" => match args.positional.first().map(String::as_str) {
            Some("namespace") | Some("ns") => {
                let name = args.positional.get(1).ok_or_else(|| "error: exactly one NAME is required, got 0".to_string())?.clone();
                Ok(Parsed::Action(Action::CreateNamespace { name }))
            }
            _ => match args.get(&["-f", "--filename"]) {
                Some(f) => Ok(Parsed::ApplyFile { path: f.into() }),
                None => Err("error: must specify one of -f and -k".into()),
            },
        },
        "apply" | "replace" => match args.get(&["-f", "--filename"]) {
            Some(f) => Ok(Parsed::ApplyFile { path: f.into() }),
            None => Err("error: must specify one of -f and -k".into()),
        },
        "config" => {
            if args.positional.first().map(String::as_str) == Some("set-context") && args.has(&["--current"]) {
                let name = args.get(&["--namespace", "-n"]).ok_or_else(|| "error: you must specify --namespace".to_string())?;
                Ok(Parsed::Action(Action::SetNamespace { name: name.into() }))
            } else {
                Err("error: only `kubectl config set-context --current --namespace=NAME` is simulated".into())
            }
        }
        "exec" => {
            let pod = args.positional.first().ok_or_else(|| "error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command".to_string())?;
            let pod = pod.strip_prefix("pod/").unwrap_or(pod).to_string();
            if args.rest.is_empty() {
                return Err("error: you must specify at least one command for the container".into());
            }
            let container = args.get(&["-c", "--container"]).unwrap_or("").to_string();
            Ok(Parsed::Action(Action::Exec { namespace: ns, pod, container, command: args.rest.clone() }))
        }
        "run" => {
            let name = args.positional.first().ok_or_else(|| "error: NAME is required for run".to_string())?.clone();
            let image = args.get(&["--image"]).ok_or_else(|| "error: --image is required".to_string())?.to_string();
            let restart = match args.get(&["--restart"]).unwrap_or("Always") {
                "Always" => RestartPolicy::Always,
                "OnFailure" => RestartPolicy::OnFailure,
                "Never" => RestartPolicy::Never,
                other => return Err(format!("error: invalid restart policy: {other}")),
            };
            let mut labels = std::collections::BTreeMap::new();
            labels.insert("run".to_string(), name.clone());
            let container = Container {
                name: name.clone(),
                image: image.clone(),
                image_pull_policy: crate::manifest::default_image_pull_policy(&image),
                args: if args.has(&["--command"]) { Vec::new() } else { args.rest.clone() },
                command: if args.has(&["--command"]) { args.rest.clone() } else { Vec::new() },
                termination_message_path: "/dev/termination-log".into(),
                termination_message_policy: "File".into(),
                ..Container::default()
            };
            let _ = PullPolicy::Always;
            let spec = PodSpec {
                containers: vec![container].into(),
                restart_policy: restart,
                termination_grace_period_seconds: 30,
                scheduler_name: "default-scheduler".into(),
                dns_policy: "ClusterFirst".into(),
                ..PodSpec::default()
            };
            let meta = ObjectMeta { name: name.clone(), namespace: ns, labels, ..ObjectMeta::default() };
            let source = serde_json::json!({
                "metadata": {"name": name, "labels": {"run": name}},
                "spec": {"containers": [{"name": name, "image": image}], "restartPolicy": restart.as_str(), "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler"}
            });
            Ok(Parsed::Action(Action::Apply { objects: vec![Object::Pod(Pod { meta, spec: spec.into(), status: Default::default(), source: source.into() }.into())].into() }))
        }
        // Fault injection (not kubectl, but typed at the same prompt).
        "node" => {
            let name = args.positional.get(1).ok_or_else(|| "error: usage: node fail|recover NODE".to_string())?.clone();
            match args.positional.first().map(String::as_str) {
                Some("fail") => Ok(Parsed::Action(Action::NodeFail { node: name })),
                Some("recover") => Ok(Parsed::Action(Action::NodeRecover { node: name })),
                _ => Err("error: usage: node fail|recover NODE".into()),
            }
        }
        "container" => {
            let target = args.positional.get(1).ok_or_else(|| "error: usage: container kill|oom POD/CONTAINER".to_string())?;
            let (pod, container) = target.split_once('/').map_or((target.clone(), String::new()), |(p, c)| (p.to_string(), c.to_string()));
            match args.positional.first().map(String::as_str) {
                Some("kill") => {
                    let sig = args.get(&["--signal"]).unwrap_or("KILL");
                    let signal = Signal::parse(sig).ok_or_else(|| format!("error: unknown signal {sig}"))?;
                    Ok(Parsed::Action(Action::KillContainer { namespace: ns, pod, container, signal }))
                }
                Some("oom") => Ok(Parsed::Action(Action::OomContainer { namespace: ns, pod, container })),
                _ => Err("error: usage: container kill|oom POD/CONTAINER".into()),
            }
        }
        other => Err(format!("error: unknown command \"{other}\" for \"kubectl\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_interventions() {
        assert_eq!(
            parse("kubectl delete pod web --grace-period=0 --force", "default").unwrap(),
            Parsed::Action(Action::DeletePod { namespace: "default".into(), name: "web".into(), grace_seconds: Some(0), force: true })
        );
        assert_eq!(parse("kubectl label node worker-1 gpu=true", "default").unwrap(), Parsed::Action(Action::Label { kind: "Node".into(), namespace: "default".into(), name: "worker-1".into(), set: vec![("gpu".into(), "true".into())], remove: vec![], overwrite: false }));
        assert!(matches!(parse("kubectl exec web -c app -- cat /tmp/x", "default").unwrap(), Parsed::Action(Action::Exec { .. })));
        assert_eq!(parse("kubectl frobnicate", "default").unwrap_err(), "error: unknown command \"frobnicate\" for \"kubectl\"");
        assert_eq!(parse("kubectl delete foo x", "default").unwrap_err(), "error: the server doesn't have a resource type \"foo\"");
        assert_eq!(split_words("sh -c 'echo hi; sleep 1'").unwrap(), vec!["sh", "-c", "echo hi; sleep 1"]);
    }
}

/// Answers a read-only query (`get`, `describe`, `logs`) from the printers, at `now_ms`.
pub fn answer(world: &crate::world::World, now_ms: crate::time::SimTime, words: &[String]) -> crate::printers::Printed {
    use crate::printers::{self, GetOptions, OutputFormat, Printed};
    let verb = words.first().map(String::as_str).unwrap_or("");
    let args = parse_args(&words[1.min(words.len())..]);
    let namespace = args.get(&["-n", "--namespace"]).map(String::from);
    let mut opts = GetOptions {
        namespace: namespace.clone(),
        all_namespaces: args.has(&["-A", "--all-namespaces"]),
        selector: args.get(&["-l", "--selector"]).unwrap_or("").to_string(),
        output: match args.get(&["-o", "--output"]) {
            None => OutputFormat::Table,
            Some("wide") => OutputFormat::Wide,
            Some("json") => OutputFormat::Json,
            Some("yaml") => OutputFormat::Yaml,
            Some(other) => return Printed::fail(format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n")),
        },
        show_labels: args.has(&["--show-labels"]),
        name: None,
    };
    let ns = namespace.clone().unwrap_or_else(|| if world.current_namespace.is_empty() { "default".into() } else { world.current_namespace.clone() });
    match verb {
        "get" => {
            let Some(first) = args.positional.first() else {
                return Printed::fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\n");
            };
            let (kind_word, name) = match first.split_once('/') {
                Some((k, n)) => (k.to_string(), Some(n.to_string())),
                None => (first.clone(), args.positional.get(1).cloned()),
            };
            opts.name = name;
            match kind_of(&kind_word) {
                Some("Pod") => printers::get_pods(world, now_ms, &opts),
                Some("Node") => printers::get_nodes(world, now_ms, &opts),
                Some("Event") => printers::get_events(world, now_ms, &opts),
                Some("Service") => printers::get_services(world, now_ms, &opts),
                Some("Namespace") => printers::get_namespaces(world, now_ms, &opts),
                Some(k) => Printed::fail(format!("error: listing {} is not simulated yet\n", k.to_lowercase())),
                None => Printed::fail(format!("error: the server doesn't have a resource type \"{kind_word}\"\n")),
            }
        }
        "describe" => {
            let Some(first) = args.positional.first() else { return Printed::fail("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n") };
            let (kind_word, name) = match first.split_once('/') {
                Some((k, n)) => (k.to_string(), Some(n.to_string())),
                None => (first.clone(), args.positional.get(1).cloned()),
            };
            match (kind_of(&kind_word), name) {
                (Some("Pod"), Some(n)) => printers::describe_pod(world, now_ms, &ns, &n),
                (Some("Node"), Some(n)) => printers::describe_node(world, now_ms, &n),
                (Some("Pod"), None) => {
                    let mut out = Printed::out("");
                    let names: Vec<String> = world.pods.values().filter(|p| p.meta.namespace == ns).map(|p| p.meta.name.clone()).collect();
                    for (i, n) in names.iter().enumerate() {
                        let p = printers::describe_pod(world, now_ms, &ns, n);
                        if i > 0 {
                            out.stdout.push_str("\n\n");
                        }
                        out.stdout.push_str(&p.stdout);
                    }
                    if names.is_empty() {
                        return Printed::note(format!("No resources found in {ns} namespace.\n"));
                    }
                    out
                }
                (Some("Node"), None) => {
                    let mut out = Printed::out("");
                    for (i, n) in world.nodes.keys().enumerate() {
                        if i > 0 {
                            out.stdout.push_str("\n\n");
                        }
                        out.stdout.push_str(&printers::describe_node(world, now_ms, n).stdout);
                    }
                    out
                }
                (Some(k), _) => Printed::fail(format!("error: describing {} is not simulated yet\n", k.to_lowercase())),
                (None, _) => Printed::fail(format!("error: the server doesn't have a resource type \"{kind_word}\"\n")),
            }
        }
        "logs" => {
            let Some(first) = args.positional.first() else { return Printed::fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n") };
            let pod = first.strip_prefix("pod/").unwrap_or(first);
            let container = args.get(&["-c", "--container"]).or(args.positional.get(1).map(String::as_str));
            printers::logs(world, &ns, pod, container, args.has(&["-p", "--previous"]))
        }
        "version" => Printed::out("Client Version: v1.34.1\nKustomize Version: v5.7.1\nServer Version: v1.34.1\n"),
        "cluster-info" => Printed::out("Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"),
        other => Printed::fail(format!("error: \"{other}\" is not simulated\n")),
    }
}
