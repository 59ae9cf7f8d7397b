//! The `podsim` command line, as a library function so tests run exactly what users run:
//! `run` simulates manifests and prints what kubectl would print at a virtual moment; `print`
//! prints kubectl's pod table for pods given with their status.

use clap::{Args, Parser, Subcommand};

use crate::kubectl;
use crate::manifest::{self, Severity};
use crate::printers::{self, Clock, GetOptions, OutputFormat, PodWatch, Printed};
use crate::sim::Action;
use crate::time::{parse_rfc3339, SimTime, DEFAULT_EPOCH_UNIX_MS};
use crate::timeline::{self, Bound, Limits, Scenario};

/// podsim: a deterministic Kubernetes Pod simulator (kubectl-exact output, virtual time).
#[derive(Parser, Debug)]
#[command(name = "podsim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate manifests and print what kubectl would print at `--until`.
    Run(RunArgs),
    /// Print kubectl's `get pods` table for Pods exactly as given (status included).
    Print(PrintArgs),
}

/// `podsim run`.
#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// Manifest files (YAML or JSON, multi-document). `-` reads stdin.
    #[arg(short = 'f', long = "filename", required = true)]
    pub files: Vec<String>,
    /// Virtual time to simulate to (`90s`, `5m`, `1h30m`).
    #[arg(long, default_value = "5m")]
    pub until: String,
    /// Seed of the run's random streams (durations' jitter, tie-breaks).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Namespace to list.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    /// List every namespace.
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,
    /// Label selector (`app=web,tier!=db`).
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Add a LABELS column.
    #[arg(long)]
    pub show_labels: bool,
    /// Output format: table, wide, yaml, json.
    #[arg(short = 'o', long, default_value = "table")]
    pub output: String,
    /// Print the rows `kubectl get pods -w` prints from the start, one per change.
    #[arg(long)]
    pub watch: bool,
    /// Print `kubectl get events`.
    #[arg(long)]
    pub events: bool,
    /// Print `kubectl describe pod POD`.
    #[arg(long)]
    pub describe: Option<String>,
    /// Print `kubectl logs POD[/CONTAINER]`.
    #[arg(long)]
    pub logs: Option<String>,
    /// With --logs: the previous instance's log (`--previous`).
    #[arg(long)]
    pub previous: bool,
    /// Run a command at a virtual time: `--at 30s='kubectl delete pod web'` (also `node fail
    /// NODE`, `node recover NODE`, `container kill POD/C [--signal TERM]`, `container oom POD/C`).
    #[arg(long = "at")]
    pub at: Vec<String>,
    /// Print every step of the timeline with its explanation.
    #[arg(long)]
    pub steps: bool,
    /// Maximum number of steps.
    #[arg(long, default_value_t = 500_000)]
    pub max_steps: usize,
}

/// `podsim print`.
#[derive(Args, Debug, Default)]
pub struct PrintArgs {
    /// Files with Pod objects (with status).
    #[arg(short = 'f', long = "filename", required = true)]
    pub files: Vec<String>,
    /// Output format: table or wide.
    #[arg(short = 'o', long, default_value = "table")]
    pub output: String,
    /// The reference time for AGE and "(Xs ago)" (RFC 3339). Default: the epoch of the run.
    #[arg(long)]
    pub now: Option<String>,
    /// Add a LABELS column.
    #[arg(long)]
    pub show_labels: bool,
}

/// What a command printed and its exit code.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Parses a duration like `90s`, `5m`, `1h30m`, `500ms`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<SimTime, String> {
    let t = text.trim();
    if let Ok(s) = t.parse::<u64>() {
        return Ok(s * 1000);
    }
    let mut total: u64 = 0;
    let mut num = String::new();
    let mut chars = t.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            "ms"
        } else {
            match c {
                'h' => "h",
                'm' => "m",
                's' => "s",
                'd' => "d",
                _ => return Err(format!("invalid duration \"{text}\"")),
            }
        };
        let v: f64 = num.parse().map_err(|_| format!("invalid duration \"{text}\""))?;
        num.clear();
        let ms = match unit {
            "ms" => v,
            "s" => v * 1e3,
            "m" => v * 60e3,
            "h" => v * 3600e3,
            _ => v * 86_400e3,
        };
        total += ms as u64;
        any = true;
    }
    if !num.is_empty() || !any {
        return Err(format!("invalid duration \"{text}\""));
    }
    Ok(total)
}

/// Reads a file (or stdin for `-`) through `read`.
type Reader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// Parses manifest files; returns objects plus the stderr text kubectl would print for them.
fn load(files: &[String], read: Reader<'_>, epoch: i64) -> (Vec<crate::api::Object>, String, bool) {
    let mut objects = Vec::new();
    let mut err = String::new();
    let mut failed = false;
    for f in files {
        let text = match read(f) {
            Ok(t) => t,
            Err(e) => {
                err.push_str(&format!("error: the path \"{f}\" does not exist ({e})\n"));
                failed = true;
                continue;
            }
        };
        let parsed = manifest::parse_with_epoch(&text, epoch);
        // Warnings print as kubectl prints them; errors follow (located, or as the apiserver's
        // rejections); infos ("accepted, not simulated") are the page's, not the CLI's.
        for d in parsed.diagnostics.iter().filter(|d| d.severity == Severity::Warning) {
            err.push_str(&format!("Warning: {} ({f}:{}:{})\n", d.message, d.line, d.column));
        }
        // Syntax and decoding errors have no rejection line of their own: print them located.
        let located: Vec<&manifest::Diagnostic> = parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        if parsed.rejections.is_empty() {
            for d in &located {
                err.push_str(&format!("error: error parsing {f}: {} (line {}, column {})\n", d.message, d.line, d.column));
                failed = true;
            }
        } else {
            for r in &parsed.rejections {
                err.push_str(r);
                err.push('\n');
            }
            failed = true;
        }
        objects.extend(parsed.objects.into_iter().map(|o| o.object));
    }
    (objects, err, failed)
}

fn output_format(text: &str) -> Result<OutputFormat, String> {
    match text {
        "table" | "" => Ok(OutputFormat::Table),
        "wide" => Ok(OutputFormat::Wide),
        "json" => Ok(OutputFormat::Json),
        "yaml" => Ok(OutputFormat::Yaml),
        other => Err(format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,table,wide,yaml")),
    }
}

/// `podsim run`.
pub fn run(args: &RunArgs, read: Reader<'_>) -> Outcome {
    let mut o = Outcome::default();
    let until = match parse_duration(&args.until) {
        Ok(u) => u,
        Err(e) => return Outcome { stderr: format!("error: {e}\n"), code: 1, ..Outcome::default() },
    };
    let output = match output_format(&args.output) {
        Ok(f) => f,
        Err(e) => return Outcome { stderr: format!("{e}\n"), code: 1, ..Outcome::default() },
    };
    let (objects, err, mut failed) = load(&args.files, read, DEFAULT_EPOCH_UNIX_MS);
    o.stderr.push_str(&err);
    let mut scenario = Scenario::new(objects);
    scenario.seed = args.seed;
    for at in &args.at {
        let Some((t, cmd)) = at.split_once('=') else {
            o.stderr.push_str(&format!("error: --at expects TIME=COMMAND, got \"{at}\"\n"));
            failed = true;
            continue;
        };
        let t = match parse_duration(t) {
            Ok(t) => t,
            Err(e) => {
                o.stderr.push_str(&format!("error: {e}\n"));
                failed = true;
                continue;
            }
        };
        match kubectl::parse(cmd, "default") {
            Ok(kubectl::Parsed::Action(a)) => scenario.actions.push((t, a)),
            Ok(kubectl::Parsed::ApplyFile { path }) => {
                let (objs, err, f) = load(&[path], read, DEFAULT_EPOCH_UNIX_MS);
                o.stderr.push_str(&err);
                failed |= f;
                scenario.actions.push((t, Action::Apply { objects: objs.into() }));
            }
            Ok(kubectl::Parsed::Query(_)) => {
                o.stderr.push_str(&format!("error: --at runs commands that change the cluster; \"{cmd}\" only reads it (use --describe, --logs, --events)\n"));
                failed = true;
            }
            Err(e) => {
                o.stderr.push_str(&format!("{e}\n"));
                failed = true;
            }
        }
    }
    let limits = Limits { until_ms: until, max_steps: args.max_steps, checkpoint_every: 0 };
    let opts = GetOptions {
        namespace: args.namespace.clone(),
        all_namespaces: args.all_namespaces,
        selector: args.selector.clone().unwrap_or_default(),
        output,
        show_labels: args.show_labels,
        name: None,
    };
    let mut sim = timeline::start(&scenario);
    let mut watch = PodWatch::new(GetOptions { output: if output == OutputFormat::Wide { OutputFormat::Wide } else { OutputFormat::Table }, ..opts.clone() });
    let mut watch_text = String::new();
    let mut steps_text = String::new();
    let mut last_seen: std::collections::BTreeMap<crate::api::ObjectKey, std::sync::Arc<crate::api::Pod>> = std::collections::BTreeMap::new();
    if args.watch {
        watch_text.push_str(&watch.start(&sim.world, 0));
    }
    let bound = timeline::drive(&mut sim, &limits, |step, s| {
        if args.steps {
            steps_text.push_str(&format!("{:>9}  {:<28} {}\n", crate::time::clock(step.time_ms), step.actor.label(), step.why.sentence()));
            if let Some(out) = &step.output {
                for line in out.lines() {
                    steps_text.push_str(&format!("{:>9}  {:<28} | {line}\n", "", ""));
                }
            }
        }
        if args.watch {
            for ch in step.changes.iter().filter(|c| c.kind == "Pod") {
                let world = &s.world;
                let clock = Clock::at(world, step.time_ms);
                // A deletion prints the object's last state once more, as the DELETED event does.
                let pod = match world.pods.get(&ch.key) {
                    Some(p) => {
                        last_seen.insert(ch.key.clone(), p.clone());
                        p.clone()
                    }
                    None => match last_seen.remove(&ch.key) {
                        Some(p) => p,
                        None => continue,
                    },
                };
                if !watch.matches(&pod) {
                    continue;
                }
                // kubectl prints a row for every watch event, identical-looking ones included.
                watch_text.push_str(&watch.row(&pod, &clock));
            }
        }
    });
    let now = match bound {
        Bound::MaxSteps => sim.world.now_ms,
        _ => until,
    };
    sim.world.now_ms = now;
    let world = &sim.world;
    if bound == Bound::MaxSteps {
        o.stderr.push_str(&format!("warning: the run stopped at the step limit ({}) at t={}\n", args.max_steps, crate::time::clock(now)));
    }
    let mut sections: Vec<String> = Vec::new();
    let mut push = |p: Printed, o: &mut Outcome| {
        o.stderr.push_str(&p.stderr);
        if !p.success {
            o.code = 1;
        }
        if !p.stdout.is_empty() {
            sections.push(p.stdout);
        }
    };
    if args.steps {
        push(Printed::out(steps_text), &mut o);
    }
    let any_view = args.events || args.describe.is_some() || args.logs.is_some();
    if args.watch {
        push(Printed::out(watch_text), &mut o);
    } else if !any_view || output != OutputFormat::Table || args.show_labels || args.selector.is_some() {
        push(printers::get_pods(world, now, &opts), &mut o);
    }
    if args.events {
        push(printers::get_events(world, now, &GetOptions { namespace: args.namespace.clone(), all_namespaces: args.all_namespaces, ..GetOptions::default() }), &mut o);
    }
    if let Some(pod) = &args.describe {
        let ns = args.namespace.clone().unwrap_or_else(|| "default".into());
        push(printers::describe_pod(world, now, &ns, pod), &mut o);
    }
    if let Some(target) = &args.logs {
        let ns = args.namespace.clone().unwrap_or_else(|| "default".into());
        let (pod, container) = target.split_once('/').map_or((target.as_str(), None), |(p, c)| (p, Some(c)));
        push(printers::logs(world, &ns, pod, container, args.previous), &mut o);
    }
    o.stdout = sections.join("\n");
    if failed {
        o.code = 1;
    }
    o
}

/// `podsim print`.
pub fn print(args: &PrintArgs, read: Reader<'_>) -> Outcome {
    let mut o = Outcome::default();
    let output = match output_format(&args.output) {
        Ok(f @ (OutputFormat::Table | OutputFormat::Wide)) => f,
        Ok(_) => return Outcome { stderr: "error: podsim print supports -o table and -o wide\n".into(), code: 1, ..Outcome::default() },
        Err(e) => return Outcome { stderr: format!("{e}\n"), code: 1, ..Outcome::default() },
    };
    let now_unix = match &args.now {
        Some(t) => match parse_rfc3339(t) {
            Some(v) => v,
            None => return Outcome { stderr: format!("error: --now expects an RFC 3339 time, got \"{t}\"\n"), code: 1, ..Outcome::default() },
        },
        None => DEFAULT_EPOCH_UNIX_MS,
    };
    // Timestamps in the files are read relative to an epoch early enough for any real file.
    let epoch = 0;
    let (objects, err, failed) = load(&args.files, read, epoch);
    o.stderr.push_str(&err);
    let pods: Vec<crate::api::Pod> = objects.into_iter().filter_map(|x| if let crate::api::Object::Pod(p) = x { Some(std::sync::Arc::unwrap_or_clone(p)) } else { None }).collect();
    let clock = Clock::new(epoch, now_unix);
    let p = printers::print_pods(&pods, &clock, &GetOptions { output, show_labels: args.show_labels, all_namespaces: false, ..GetOptions::default() });
    o.stdout = p.stdout;
    o.stderr.push_str(&p.stderr);
    o.code = i32::from(failed || !p.success);
    o
}

/// Runs a parsed command line.
pub fn main_with(cli: &Cli, read: Reader<'_>) -> Outcome {
    match &cli.command {
        Command::Run(a) => run(a, read),
        Command::Print(a) => print(a, read),
    }
}
