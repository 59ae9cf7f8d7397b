//! The Terminal panel: a kubectl prompt on the simulated cluster. Enter runs the line through
//! `SimState::run_command` (queries answer at the cursor; changes fork the timeline there) and
//! prints `$ <line>` and the answer verbatim in a monospace block (kubectl's alignment kept).
//! ↑/↓ walk the history, Tab completes verbs, resource types, pod/node/namespace names and flags
//! (when the line is not empty, so Tab still moves focus out of an empty prompt), `clear` empties
//! the screen and `help` lists what is supported. The history and screen live in a store created
//! by the panel area, so they survive switching tabs.

use leptos::html;
use leptos::prelude::*;
use podsim::world::World;

use crate::i18n::{t, Lang, Strings};
use crate::state::sim::use_sim_state;

/// How many screen entries are kept.
const MAX_ENTRIES: usize = 400;

/// The kind of a screen entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Command,
    Output,
    Error,
    Info,
}

/// One block of text on the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: u64,
    pub kind: EntryKind,
    pub text: String,
}

/// The terminal's screen, history and prompt; `Copy`, created once by the panel area.
#[derive(Clone, Copy)]
pub struct TerminalStore {
    pub entries: RwSignal<Vec<Entry>>,
    pub history: RwSignal<Vec<String>>,
    pub input: RwSignal<String>,
    /// Position in the history while walking it with ↑/↓.
    position: RwSignal<Option<usize>>,
    /// What was typed before walking the history.
    draft: RwSignal<String>,
    next_id: RwSignal<u64>,
}

impl TerminalStore {
    /// An empty screen with the greeting of `t`.
    pub fn new(t: &Strings) -> TerminalStore {
        let store = TerminalStore {
            entries: RwSignal::new(Vec::new()),
            history: RwSignal::new(Vec::new()),
            input: RwSignal::new(String::new()),
            position: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            next_id: RwSignal::new(0),
        };
        store.push(EntryKind::Info, t.terminal_greeting.to_string());
        store
    }

    fn push(&self, kind: EntryKind, mut text: String) {
        if text.is_empty() {
            return;
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let id = self.next_id.get_untracked();
        self.next_id.set(id + 1);
        self.entries.update(|e| {
            e.push(Entry { id, kind, text });
            if e.len() > MAX_ENTRIES {
                let extra = e.len() - MAX_ENTRIES;
                e.drain(..extra);
            }
        });
    }

    /// Walks the history: `back` is ↑.
    fn walk(&self, back: bool) {
        let history = self.history.get_untracked();
        if history.is_empty() {
            return;
        }
        let next = match (self.position.get_untracked(), back) {
            (None, true) => {
                self.draft.set(self.input.get_untracked());
                Some(history.len() - 1)
            }
            (None, false) => return,
            (Some(p), true) => Some(p.saturating_sub(1)),
            (Some(p), false) if p + 1 < history.len() => Some(p + 1),
            (Some(_), false) => None,
        };
        self.position.set(next);
        match next.and_then(|p| history.get(p)) {
            Some(line) => self.input.set(line.clone()),
            None => self.input.set(self.draft.get_untracked()),
        }
    }
}

impl Default for TerminalStore {
    fn default() -> Self {
        TerminalStore::new(Lang::default().strings())
    }
}

/// Puts a [`TerminalStore`] in context (called by the panel area), greeting in the words of `t`.
pub fn provide_terminal_store(t: &Strings) -> TerminalStore {
    let store = TerminalStore::new(t);
    provide_context(store);
    store
}

/// Names Tab completes, taken from the world at the cursor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Names {
    /// (namespace, name, containers).
    pub pods: Vec<(String, String, Vec<String>)>,
    pub nodes: Vec<String>,
    pub namespaces: Vec<String>,
    /// (namespace, name).
    pub services: Vec<(String, String)>,
    pub current_namespace: String,
}

impl Names {
    pub fn of(world: &World) -> Names {
        Names {
            pods: world.pods.values().map(|p| (p.meta.namespace.clone(), p.meta.name.clone(), p.spec.all_containers().map(|c| c.name.clone()).collect())).collect(),
            nodes: world.nodes.keys().cloned().collect(),
            namespaces: world.namespaces.keys().cloned().collect(),
            services: world.services.keys().map(|k| (k.namespace.clone(), k.name.clone())).collect(),
            current_namespace: if world.current_namespace.is_empty() { "default".into() } else { world.current_namespace.clone() },
        }
    }
}

/// The result of Tab: the new line, and the candidates to list when several remain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub options: Vec<String>,
}

const VERBS: &[&str] = &["get", "describe", "logs", "exec", "delete", "apply", "run", "label", "cordon", "uncordon", "drain", "taint", "create", "config", "node", "container", "help", "clear"];
const VALUE_FLAGS: &[&str] = &["-n", "--namespace", "-c", "--container", "-o", "--output", "-l", "--selector", "-f", "--filename", "--image", "--restart", "--grace-period", "--signal"];

fn flags_for(verb: &str) -> &'static [&'static str] {
    match verb {
        "get" => &["-o", "-l", "--show-labels", "-n", "-A", "--all-namespaces"],
        "describe" => &["-n"],
        "logs" => &["-c", "--previous", "-n"],
        "exec" => &["-c", "-n", "--"],
        "delete" => &["--grace-period=", "--force", "--now", "-n"],
        "apply" => &["-f"],
        "run" => &["--image=", "--restart=Never", "--restart=OnFailure", "--restart=Always", "--command", "-n", "--"],
        "label" => &["--overwrite", "-n"],
        "config" => &["--current", "--namespace="],
        "container" => &["--signal=", "-n"],
        _ => &[],
    }
}

fn is_kind(word: &str, kind: &str) -> bool {
    let w = word.to_lowercase();
    match kind {
        "pod" => matches!(w.as_str(), "po" | "pod" | "pods"),
        "node" => matches!(w.as_str(), "no" | "node" | "nodes"),
        "ns" => matches!(w.as_str(), "ns" | "namespace" | "namespaces"),
        "svc" => matches!(w.as_str(), "svc" | "service" | "services"),
        _ => false,
    }
}

fn candidates(args: &[&str], names: &Names, current: &str) -> Vec<String> {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let Some((verb, rest)) = args.split_first() else { return owned(VERBS) };
    let verb = *verb;
    // Nothing to complete after `--` (the command run in the container).
    if rest.contains(&"--") {
        return Vec::new();
    }
    let mut ns = names.current_namespace.clone();
    let mut positional: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i];
        if VALUE_FLAGS.contains(&w) {
            if let Some(v) = rest.get(i + 1) {
                if w == "-n" || w == "--namespace" {
                    ns = v.to_string();
                }
            }
            i += 2;
            continue;
        }
        if let Some(v) = w.strip_prefix("--namespace=") {
            ns = v.to_string();
        }
        if !w.starts_with('-') {
            positional.push(w);
        }
        i += 1;
    }
    let pods_in = |ns: &str| names.pods.iter().filter(|(n, _, _)| n == ns).map(|(_, p, _)| p.clone()).collect::<Vec<_>>();
    let names_of = |kind: &str| -> Vec<String> {
        if is_kind(kind, "pod") {
            pods_in(&ns)
        } else if is_kind(kind, "node") {
            names.nodes.clone()
        } else if is_kind(kind, "ns") {
            names.namespaces.clone()
        } else if is_kind(kind, "svc") {
            names.services.iter().filter(|(n, _)| *n == ns).map(|(_, s)| s.clone()).collect()
        } else {
            Vec::new()
        }
    };
    // The value of a flag that takes one.
    if let Some(prev) = rest.last() {
        if VALUE_FLAGS.contains(prev) && !current.starts_with('-') {
            return match *prev {
                "-o" | "--output" => owned(&["wide", "yaml", "json"]),
                "-n" | "--namespace" => names.namespaces.clone(),
                "-f" | "--filename" => owned(&["-"]),
                "-c" | "--container" => {
                    let pod = positional.iter().find_map(|p| names.pods.iter().find(|(n, name, _)| *n == ns && name == p));
                    match pod {
                        Some((_, _, cs)) => cs.clone(),
                        None => names.pods.iter().flat_map(|(_, _, cs)| cs.iter().cloned()).collect(),
                    }
                }
                _ => Vec::new(),
            };
        }
    }
    if current.starts_with('-') {
        return owned(flags_for(verb));
    }
    match (verb, positional.len()) {
        ("get", 0) => owned(&["pods", "nodes", "events", "svc", "ns"]),
        ("describe", 0) | ("label", 0) => owned(&["pod", "node"]),
        ("delete", 0) => owned(&["pod", "svc", "ns", "node"]),
        ("get" | "describe" | "delete" | "label", 1) if !positional[0].contains('/') => names_of(positional[0]),
        ("logs" | "exec", 0) => pods_in(&ns),
        ("cordon" | "uncordon" | "drain", 0) => names.nodes.clone(),
        ("taint", 0) => owned(&["nodes"]),
        ("taint", 1) => names.nodes.clone(),
        ("create", 0) => owned(&["namespace"]),
        ("config", 0) => owned(&["set-context"]),
        ("config", _) => owned(&["--current", "--namespace="]),
        ("apply", 0) => owned(&["-f"]),
        ("node", 0) => owned(&["fail", "recover"]),
        ("node", 1) => names.nodes.clone(),
        ("container", 0) => owned(&["kill", "oom"]),
        ("container", 1) => names.pods.iter().filter(|(n, _, _)| *n == ns).flat_map(|(_, p, cs)| cs.iter().map(move |c| format!("{p}/{c}"))).collect(),
        _ => Vec::new(),
    }
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else { return String::new() };
    let mut end = first.len();
    for w in &words[1..] {
        end = first.char_indices().zip(w.chars()).take_while(|((_, a), b)| a == b).map(|((i, a), _)| i + a.len_utf8()).last().unwrap_or(0).min(end);
    }
    first.get(..end).unwrap_or("").to_string()
}

/// Tab completion of `line`: completes the last word as far as the candidates agree (and adds a
/// space when only one is left); lists the candidates when several remain.
pub fn complete(line: &str, names: &Names) -> Completion {
    let ends_with_space = line.is_empty() || line.ends_with(char::is_whitespace);
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let current = if ends_with_space { "" } else { words.pop().unwrap_or("") };
    let head = line.get(..line.len() - current.len()).unwrap_or("");
    let mut args: &[&str] = &words;
    let mut all = if args.first().is_some_and(|w| *w == "kubectl" || *w == "k") {
        args = &args[1..];
        candidates(args, names, current)
    } else {
        let mut c = candidates(args, names, current);
        if args.is_empty() {
            c.push("kubectl".into());
        }
        c
    };
    all.retain(|c| c.starts_with(current));
    all.sort();
    all.dedup();
    match all.len() {
        0 => Completion { line: line.to_string(), options: Vec::new() },
        1 => {
            let only = &all[0];
            let sep = if only.ends_with('=') { "" } else { " " };
            Completion { line: format!("{head}{only}{sep}"), options: Vec::new() }
        }
        _ => {
            let prefix = common_prefix(&all);
            let word = if prefix.len() > current.len() { prefix } else { current.to_string() };
            Completion { line: format!("{head}{word}"), options: all }
        }
    }
}

/// Whether a command line changes the cluster (an intervention that forks the timeline).
pub fn is_intervention(line: &str, namespace: &str) -> bool {
    matches!(podsim::kubectl::parse(line, namespace), Ok(podsim::kubectl::Parsed::Action(_) | podsim::kubectl::Parsed::ApplyFile { .. }))
}

/// What to print for an intervention that printed nothing itself, in the words of `t`.
pub fn fork_note(at_ms: u64, end_ms: u64, t: &Strings) -> String {
    if end_ms > 0 && at_ms >= end_ms {
        (t.fork_after_end)(&podsim::time::clock(end_ms))
    } else {
        (t.fork_at)(&super::common::fmt_ms(at_ms))
    }
}

/// The Terminal panel's body.
#[component]
pub fn TerminalPanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let store = use_context::<TerminalStore>().unwrap_or_else(|| TerminalStore::new(t));
    let input_ref = NodeRef::<html::Input>::new();
    let screen = NodeRef::<html::Pre>::new();

    Effect::new(move |_| {
        store.entries.with(|_| ());
        if let Some(el) = screen.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    let submit = move || {
        let line = store.input.get_untracked();
        store.input.set(String::new());
        store.position.set(None);
        let trimmed = line.trim();
        store.push(EntryKind::Command, format!("$ {line}"));
        if trimmed.is_empty() {
            return;
        }
        store.history.update(|h| {
            if h.last().map(String::as_str) != Some(trimmed) {
                h.push(trimmed.to_string());
            }
        });
        match trimmed {
            "clear" => store.entries.set(Vec::new()),
            "help" | "kubectl help" | "kubectl --help" | "?" => store.push(EntryKind::Info, t.terminal_help.to_string()),
            _ => {
                let at = sim.playback.with_untracked(|p| p.cursor.time_ms);
                let end = sim.session.with_untracked(|s| s.as_ref().map_or(0, |s| s.end_ms()));
                let ns = sim.snapshot.with_untracked(|s| s.as_ref().map(|s| s.world.current_namespace.clone())).unwrap_or_default();
                let changes = is_intervention(trimmed, if ns.is_empty() { "default" } else { &ns });
                let (text, ok) = sim.run_command(trimmed);
                if text.is_empty() && changes {
                    store.push(EntryKind::Info, fork_note(at, end, t));
                } else {
                    store.push(if ok { EntryKind::Output } else { EntryKind::Error }, text);
                }
            }
        }
    };

    let on_keydown = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            submit();
        }
        "ArrowUp" => {
            ev.prevent_default();
            store.walk(true);
        }
        "ArrowDown" => {
            ev.prevent_default();
            store.walk(false);
        }
        "Escape" => store.input.set(String::new()),
        "Tab" if !ev.shift_key() && !store.input.get_untracked().is_empty() => {
            ev.prevent_default();
            let names = sim.snapshot.with_untracked(|s| s.as_ref().map(|s| Names::of(&s.world))).unwrap_or_default();
            let line = store.input.get_untracked();
            let done = complete(&line, &names);
            if !done.options.is_empty() {
                store.push(EntryKind::Command, format!("$ {line}"));
                store.push(EntryKind::Info, done.options.join("  "));
            }
            store.input.set(done.line);
        }
        "l" if ev.ctrl_key() => {
            ev.prevent_default();
            store.entries.set(Vec::new());
        }
        _ => {}
    };

    view! {
        <div class="detail terminal">
            <pre
                class="terminal__screen"
                node_ref=screen
                data-testid="terminal-output"
                aria-live="polite"
                aria-label=t.terminal_output
                tabindex="0"
            >
                <For
                    each=move || store.entries.get()
                    key=|e| e.id
                    children=|e: Entry| {
                        let class = match e.kind {
                            EntryKind::Command => "term term--cmd",
                            EntryKind::Output => "term term--out",
                            EntryKind::Error => "term term--err",
                            EntryKind::Info => "term term--info",
                        };
                        view! { <span class=class>{e.text}</span> }
                    }
                />
            </pre>
            <form class="terminal__prompt" on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
                <label class="terminal__sign mono" for="terminal-input">"$"</label>
                <input
                    id="terminal-input"
                    class="terminal__input mono"
                    type="text"
                    node_ref=input_ref
                    data-testid="terminal-input"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    aria-label=t.terminal_input
                    placeholder=t.terminal_placeholder
                    prop:value=move || store.input.get()
                    on:input=move |ev| {
                        store.input.set(event_target_value(&ev));
                        store.position.set(None);
                    }
                    on:keydown=on_keydown
                />
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            pods: vec![("default".into(), "web".into(), vec!["app".into(), "sidecar".into()]), ("default".into(), "worker".into(), vec!["main".into()]), ("shop".into(), "cart".into(), vec!["c".into()])],
            nodes: vec!["control-plane".into(), "worker-1".into(), "worker-2".into()],
            namespaces: vec!["default".into(), "kube-system".into(), "shop".into()],
            services: vec![],
            current_namespace: "default".into(),
        }
    }

    fn line(l: &str) -> String {
        complete(l, &names()).line
    }

    #[test]
    fn completes_verbs_types_and_names() {
        assert_eq!(line("kubectl desc"), "kubectl describe ");
        assert_eq!(line("kub"), "kubectl ");
        assert_eq!(line("kubectl get po"), "kubectl get pods ");
        assert_eq!(line("kubectl get pods we"), "kubectl get pods web ");
        assert_eq!(line("kubectl logs w"), "kubectl logs w");
        assert_eq!(complete("kubectl logs w", &names()).options, vec!["web", "worker"]);
        assert_eq!(line("kubectl get pods -n shop c"), "kubectl get pods -n shop cart ");
        assert_eq!(line("kubectl cordon worker-"), "kubectl cordon worker-");
        assert_eq!(line("kubectl cordon worker-2"), "kubectl cordon worker-2 ");
        assert_eq!(line("node f"), "node fail ");
        assert_eq!(line("container kill web/s"), "container kill web/sidecar ");
    }

    #[test]
    fn completes_flags_and_their_values() {
        assert_eq!(line("kubectl get pods -o y"), "kubectl get pods -o yaml ");
        assert_eq!(line("kubectl get pods --show"), "kubectl get pods --show-labels ");
        assert_eq!(line("kubectl delete pod web --gr"), "kubectl delete pod web --grace-period=");
        assert_eq!(line("kubectl logs web -c s"), "kubectl logs web -c sidecar ");
        assert_eq!(line("kubectl run x --restart=N"), "kubectl run x --restart=Never ");
        assert_eq!(line("kubectl exec web -- ec"), "kubectl exec web -- ec");
        assert_eq!(line("kubectl frob"), "kubectl frob");
    }

    #[test]
    fn interventions_are_told_apart_from_queries() {
        assert!(is_intervention("kubectl delete pod web", "default"));
        assert!(is_intervention("container kill web/app", "default"));
        assert!(is_intervention("kubectl apply -f -", "default"));
        assert!(!is_intervention("kubectl get pods", "default"));
        assert!(!is_intervention("kubectl frobnicate", "default"));
        let en = Lang::En.strings();
        assert!(fork_note(600_000, 600_000, en).starts_with("The run ends at 10m0s"));
        assert!(fork_note(5_000, 600_000, en).starts_with("Timeline forked at 5.0s"));
    }

    #[test]
    fn common_prefixes_stop_at_the_first_difference() {
        assert_eq!(common_prefix(&["worker-1".into(), "worker-2".into()]), "worker-");
        assert_eq!(common_prefix(&["a".into(), "b".into()]), "");
        assert_eq!(common_prefix(&[]), "");
    }
}
