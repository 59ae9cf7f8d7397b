//! Scenario tests as data: every `tests/scenarios/*.yaml` starts with `# args: …` (the `podsim
//! run` flags) and its expected output lives in `tests/golden/<name>.out` (stdout, then stderr
//! after a `--- stderr` line). `UPDATE_GOLDEN=1 cargo test -p podsim --test scenarios` rewrites
//! them deliberately. Each scenario is also run twice (byte-identical) and with invariants
//! checked after every step.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Parser;
use podsim::api::Phase;
use podsim::cli::{Cli, Outcome};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir()).expect("scenarios dir").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "yaml")).collect();
    files.sort();
    files
}

fn args_of(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read scenario");
    let line = text.lines().next().unwrap_or_default();
    let args = line.strip_prefix("# args:").unwrap_or_else(|| panic!("{} must start with '# args:'", path.display()));
    podsim::kubectl::split_words(args).expect("args parse")
}

fn run_scenario(path: &Path) -> Outcome {
    let mut argv = vec!["podsim".to_string(), "run".into(), "-f".into(), path.file_name().unwrap().to_string_lossy().into_owned()];
    argv.extend(args_of(path));
    let cli = Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = scenarios_dir();
    let read = move |p: &str| std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string());
    podsim::cli::main_with(&cli, &read)
}

fn render(o: &Outcome) -> String {
    format!("{}--- stderr (exit {})\n{}", o.stdout, o.code, o.stderr)
}

#[test]
fn scenarios_match_their_golden_output() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for path in scenario_files() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let got = render(&run_scenario(&path));
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.out"));
        if update {
            std::fs::write(&golden, &got).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!("{name}: output differs from {}\n--- want\n{want}\n--- got\n{got}", golden.display())),
            Err(_) => failures.push(format!("{name}: no golden file {} (run with UPDATE_GOLDEN=1)", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_scenario_is_deterministic() {
    for path in scenario_files() {
        let a = render(&run_scenario(&path));
        let b = render(&run_scenario(&path));
        assert_eq!(a, b, "{} differs between two runs", path.display());
    }
}

/// Invariants that must hold after every step of every scenario.
#[test]
fn invariants_hold_after_every_step() {
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = podsim::manifest::parse(&text);
        let objects = parsed.objects.into_iter().map(|o| o.object).collect();
        let scenario = podsim::Scenario::new(objects);
        let mut sim = podsim::timeline::start(&scenario);
        let limits = podsim::Limits { until_ms: 12 * 60_000, max_steps: 50_000, checkpoint_every: 0 };
        let mut restarts: BTreeMap<(String, String), i32> = BTreeMap::new();
        let mut terminal: BTreeMap<String, Phase> = BTreeMap::new();
        let mut violations = Vec::new();
        podsim::timeline::drive(&mut sim, &limits, |step, s| {
            for pod in s.world.pods.values() {
                let uid = pod.meta.uid.to_string();
                for cs in pod.status.init_container_statuses.iter().chain(&pod.status.container_statuses) {
                    let k = (uid.clone(), cs.name.clone());
                    let prev = restarts.insert(k, cs.restart_count).unwrap_or(0);
                    if cs.restart_count < prev {
                        violations.push(format!("t={} {}: restartCount of {} went from {prev} to {}", step.time_ms, pod.meta.name, cs.name, cs.restart_count));
                    }
                }
                if let Some(p) = terminal.get(&uid) {
                    if *p != pod.status.phase {
                        violations.push(format!("t={} {}: left terminal phase {:?} for {:?}", step.time_ms, pod.meta.name, p, pod.status.phase));
                    }
                }
                if pod.status.phase.is_terminal() {
                    terminal.insert(uid.clone(), pod.status.phase);
                }
                if pod.status.condition("Ready").is_some_and(|c| c.is_true()) {
                    let all_ready = pod.status.container_statuses.iter().all(|c| c.ready && c.state.is_running());
                    if !all_ready {
                        violations.push(format!("t={} {}: Ready=True while a container is not ready and running", step.time_ms, pod.meta.name));
                    }
                }
            }
            for rt in s.world.runtimes.values() {
                for p in rt.pods.values() {
                    for (name, b) in &p.backoff {
                        if b.delay_ms > 300_000 {
                            violations.push(format!("t={} back-off of {name} is {}ms, above the 300s cap", step.time_ms, b.delay_ms));
                        }
                    }
                }
            }
        });
        assert!(violations.is_empty(), "{}:\n{}", path.display(), violations.join("\n"));
    }
}

/// Where `line` has a number as a whole YAML value (`periodSeconds: 10`, `cpu: "2"`, a list
/// item), as (start of the value, whether it is quoted); comment lines never.
fn number_at(line: &str) -> Option<(usize, bool)> {
    if line.trim_start().starts_with('#') {
        return None;
    }
    let at = line.find(": ").map(|i| i + 2).or_else(|| line.trim_start().starts_with("- ").then(|| line.find("- ").unwrap_or(0) + 2))?;
    let value = line[at..].trim_end();
    let bare = value.trim_matches('"');
    (!bare.is_empty() && bare.len() + 2 >= value.len() && bare.bytes().all(|b| b.is_ascii_digit())).then_some((at, value.starts_with('"')))
}

/// `text` with the numbers on the lines `which` selects (by their index among the lines with a
/// number) replaced by `x`.
fn with_numbers(text: &str, x: &str, which: impl Fn(usize) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut n = 0;
    for line in text.lines() {
        match number_at(line) {
            Some((at, quoted)) => {
                if which(n) {
                    out.push_str(&line[..at]);
                    out.push_str(&if quoted { format!("\"{x}\"") } else { x.to_string() });
                } else {
                    out.push_str(line);
                }
                n += 1;
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Every scenario (the tests' and the gallery's) with its numbers set to each extreme a field may hold (0, 1, -1, the largest
/// int32 and int64), one number at a time and all at once: whatever validation answers, nothing
/// panics. Test builds check integer overflow, so an overflowing computation fails here too.
#[test]
fn scenarios_with_extreme_numbers_never_panic() {
    let mut failures = Vec::new();
    let mut runs = 0;
    // The test scenarios with their own flags, and the gallery's for ten minutes with events.
    let tests = scenario_files().into_iter().map(|path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        (name, std::fs::read_to_string(&path).expect("read scenario"), args_of(&path))
    });
    let gallery = podsim::gallery::ALL.iter().map(|b| (format!("{}.yaml", b.id), b.text.to_string(), vec!["--until".into(), "10m".into(), "--events".into()]));
    for (name, text, args) in tests.chain(gallery) {
        let numbers = text.lines().filter(|l| number_at(l).is_some()).count();
        let mut argv = vec!["podsim".to_string(), "run".into(), "-f".into(), name.clone()];
        argv.extend(args);
        let cli = Cli::try_parse_from(&argv).expect("args");
        for x in ["0", "1", "-1", "2147483647", "9223372036854775807"] {
            // `None`: every number at once.
            for one in (0..numbers).map(Some).chain([None]) {
                let mutated = with_numbers(&text, x, |i| one.is_none_or(|o| o == i));
                let (main, dir) = (name.clone(), scenarios_dir());
                let read = move |p: &str| if p == main { Ok(mutated.clone()) } else { std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string()) };
                runs += 1;
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| podsim::cli::main_with(&cli, &read))).is_err() {
                    failures.push(format!("{name}: {} set to {x}", one.map_or("every number".to_string(), |i| format!("number #{i}"))));
                }
            }
        }
    }
    assert!(runs >= 5 * (40 + podsim::gallery::ALL.len()), "{runs} runs");
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}
