//! Bad input is a lesson, not a crash: a seeded stream of mutated manifests (every test scenario
//! and gallery lesson, with values swapped, tokens inserted, lines moved, dropped or cut) goes
//! through the CLI, and random kubectl lines go through the terminal's parser, its printers and
//! the timeline's forks, on the world those manifests make. Whatever is answered, nothing
//! panics (a panic in the page's wasm kills the page). Test builds check integer overflow, so an
//! overflowing computation fails here too. The stream is seeded: a failure names the input,
//! and rerunning reproduces it.

use std::path::Path;

use clap::Parser;
use podsim::cli::Cli;
use podsim::kubectl::{self, Parsed};
use podsim::timeline::{Limits, Scenario, Timeline};

/// xorshift64: a small seeded stream, so the inputs are the same in every run.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// Text fragments a learner might type by mistake (or on purpose): YAML syntax, odd scalars,
/// quantities, images, shell snippets, whole sub-documents.
const TOKENS: &[&str] = &[
    ":", "- ", "{", "}", "[", "]", "'", "\"", "\t", "é", "🙂", "null", "~", "-1", "0x1f", "1e400", "&a ", "*a", "!!binary ", "<<: *a", "---\n", "...\n", "\n", "  ", "#", "|\n", ">-\n", "?", ",",
    "%YAML 1.2\n", "\\", "\u{0}", "\u{feff}", "9223372036854775808", "name: x\n", "containers:\n- name: a\n  image: busybox\n", "livenessProbe:\n  exec:\n    command: [cat, /tmp/x]\n", "kind: Node\n", "kind: Service\n",
    "apiVersion: v1\n", "1Ei", "0.0001m", "x:y@sha256:", "$(", "${X}", "`", "&&", "||", ";", "|", ">", "<", "while true; do", "done", "trap", "echo $((1/0))", "kill -9 1",
];

/// Values put in place of a scalar.
const VALUES: &[&str] = &[
    "0", "-1", "1", "2147483647", "\"\"", "x", "Always", "Never", "OnFailure", "IfNotPresent", "[]", "{}", "null", "true", "1.5", "100Gi", "0m", "-5", "[sh, -c, 'sleep 5; exit 1']",
    "[sh, -c, 'kill -TERM 1']", "[sh, -c, 'trap \"\" TERM; sleep 1000']", "[sh, -c, 'cat /nope']", "[sh, -c, 'echo a > /tmp/x; cat /tmp/x; exec sleep 3']", "nginx:1.25", "busybox", "redis",
    "postgres", "nope/nope:1", "localhost:5000/x", "HTTPS", "TCP", "8080", "80", "kube-system", "worker-1", "NoExecute", "Exists", "In", "Gt", "[\"a\"]",
];

/// One to three edits of `text`.
fn mutate(s: &mut Stream, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + s.below(3) {
        let n = lines.len();
        match s.below(8) {
            // A scalar value replaced.
            0..=2 => {
                let scalars: Vec<usize> = (0..n).filter(|&i| lines[i].contains(": ") || lines[i].trim_start().starts_with("- ")).collect();
                if let Some(&i) = scalars.get(s.below(scalars.len())) {
                    let line = &lines[i];
                    let cut = line.find(": ").or_else(|| line.find("- ")).map_or(line.len(), |p| p + 2);
                    lines[i] = format!("{}{}", &line[..cut], s.pick(VALUES));
                }
            }
            // A token inserted at a character boundary.
            3 | 4 if n > 0 => {
                let i = s.below(n);
                let at = lines[i].char_indices().map(|(p, _)| p).nth(s.below(lines[i].chars().count() + 1)).unwrap_or(lines[i].len());
                let token = s.pick(TOKENS);
                lines[i].insert_str(at, token);
            }
            // A line dropped, duplicated elsewhere, or two lines swapped.
            5 if n > 0 => {
                lines.remove(s.below(n));
            }
            6 if n > 0 => {
                let copy = lines[s.below(n)].clone();
                lines.insert(s.below(n + 1), copy);
            }
            7 if n > 1 => lines.swap(s.below(n), s.below(n)),
            // The text cut short.
            _ => lines.truncate(n / 2 + s.below(n / 2 + 1)),
        }
    }
    lines.join("\n")
}

fn texts() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("scenarios dir").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "yaml")).collect();
    files.sort();
    let tests = files.into_iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).expect("read scenario")));
    let gallery = podsim::gallery::ALL.iter().map(|b| (format!("{}.yaml", b.id), b.text.to_string()));
    tests.chain(gallery).collect()
}

/// The first `name:` value of a text (a pod to describe, delete or kill), or `web`.
fn some_name(text: &str) -> String {
    text.lines().find_map(|l| l.trim_start().strip_prefix("name: ")).map_or("web".to_string(), |n| n.trim().to_string())
}

/// Every mutated text through `podsim run` with the printers the CLI has (events, watch, yaml,
/// describe, logs, steps, interventions) and through `podsim print`.
#[test]
fn mutated_manifests_never_panic() {
    let texts = texts();
    let mut s = Stream(0x9E37_79B9_7F4A_7C15);
    let mut failures = Vec::new();
    let mut answered = [0usize; 2];
    let mut refused_args = 0;
    for i in 0..1200 {
        let (name, base) = &texts[s.below(texts.len())];
        let text = mutate(&mut s, base);
        let pod = some_name(&text);
        let args: Vec<String> = match s.below(6) {
            0 => vec!["run", "--until", "3m", "--events", "--watch"].into_iter().map(String::from).collect(),
            1 => vec!["run", "--until", "2m", "-o", "yaml", "--steps"].into_iter().map(String::from).collect(),
            2 => vec!["run".to_string(), "--until".into(), "4m".into(), format!("--describe={pod}")],
            3 => vec!["run".to_string(), "--until".into(), "4m".into(), format!("--logs={pod}"), "--previous".into()],
            4 => vec!["run".to_string(), "--until".into(), "3m".into(), format!("--at=20s=kubectl delete pod {pod} --grace-period=1"), format!("--at=10s=container kill {pod}/app"), "--at=30s=node fail worker-1".into(), "-o".into(), "wide".into()],
            _ => vec!["print", "-o", "wide", "--show-labels"].into_iter().map(String::from).collect(),
        };
        let mut argv = vec!["podsim".to_string(), args[0].clone(), "-f".into(), "x.yaml".into()];
        argv.extend(args[1..].iter().cloned());
        // A mutated name may not make a valid argument (the CLI refuses it before reading anything).
        let Ok(cli) = Cli::try_parse_from(&argv) else {
            refused_args += 1;
            continue;
        };
        let input = text.clone();
        let read = move |p: &str| if p == "x.yaml" { Ok(input.clone()) } else { Err(format!("{p}: no such file")) };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| podsim::cli::main_with(&cli, &read))) {
            Ok(o) => answered[usize::from(o.code != 0)] += 1,
            Err(_) => failures.push(format!("#{i} (from {name}, {argv:?}):\n{text}")),
        }
    }
    assert!(failures.is_empty(), "{} panicked; the first:\n{}", failures.len(), failures[0]);
    // Both kinds of answer happen: runs that go through, and inputs refused with a message.
    assert!(answered[0] > 100 && answered[1] > 100 && refused_args < 100, "{answered:?}, {refused_args} refused arguments");
}

/// Random kubectl lines (right and wrong words, flags, selectors) on the world a lesson makes:
/// parsed, answered by the printers, and applied as forks of the timeline.
#[test]
fn random_kubectl_lines_never_panic() {
    const WORDS: &[&str] = &[
        "get", "pods", "pod", "po", "-o", "yaml", "json", "wide", "describe", "logs", "-c", "app", "--previous", "-f", "exec", "--", "sh", "-c", "echo hi", "delete", "--grace-period=-1", "--grace-period=0",
        "--force", "label", "a=b", "a-", "--overwrite", "run", "x", "--image=nginx", "--restart=Never", "-n", "kube-system", "-A", "-l", "a!=b,c in (d)", "app=web", "cordon", "uncordon", "drain", "worker-1",
        "node", "nodes", "create", "namespace", "config", "set-context", "--current", "--namespace=", "=", "é", "", "-", "apply", "taint", "k=v:NoSchedule", "k-", "events", "-w", "svc", "ns", "--show-labels",
        "top", "edit", "'", "\"", "web", "2>&1",
    ];
    let mut s = Stream(0xD1B5_4A32_D192_ED03);
    let mut failures = Vec::new();
    for lesson in podsim::gallery::ALL.iter().take(8) {
        let parsed = podsim::manifest::parse(lesson.text);
        let objects = parsed.objects.into_iter().map(|o| o.object).collect();
        let timeline = Timeline::run(Scenario::new(objects), Limits { until_ms: 120_000, max_steps: 20_000, checkpoint_every: 64 });
        for _ in 0..60 {
            let line = (0..1 + s.below(6)).map(|_| s.pick(WORDS)).collect::<Vec<_>>().join(" ");
            let at = s.below(120_000) as u64;
            let run = || {
                let world = timeline.world_at(at);
                match kubectl::parse(&line, "default") {
                    Ok(Parsed::Query(words)) => drop(kubectl::answer(&world, at, &words)),
                    Ok(Parsed::Action(action)) => drop(timeline.fork(at, action)),
                    Ok(_) | Err(_) => {}
                }
                if let Ok(words) = kubectl::split_words(&line) {
                    drop(kubectl::answer(&world, at, &words));
                }
            };
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).is_err() {
                failures.push(format!("{}: {line:?} at {at} ms", lesson.id));
            }
        }
    }
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}
