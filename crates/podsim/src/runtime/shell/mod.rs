//! A mini POSIX shell interpreter for container commands, resumable in virtual time.
//!
//! A container's process is a [`Process`]: the kubelet/runtime spawns it from the container's
//! argv (`["sh", "-c", "…"]`, `["bash", "-c", "…"]`, or a plain program such as
//! `["sleep", "3600"]` or an image server like `["nginx", "-g", "daemon off;"]`), then calls
//! [`Process::run`] whenever virtual time reaches the wake-up the last [`Step`] asked for. The
//! interpreter runs until every thread of the process blocks (a `sleep`, `tail -f`, a server) or
//! PID 1 exits, and says so. Nothing here reads the wall clock or draws unseeded randomness:
//! the same calls produce the same output.
//!
//! Everything outside the process (files, volumes shared with other containers, HTTP, DNS,
//! memory, the image's programs, the clock) is reached through the [`ShellHost`] trait, which
//! the runtime implements; [`testing::FakeHost`] is an in-memory one for tests.
//!
//! # API
//! ```text
//! Process::spawn(argv, env, &host) -> Result<Process, SpawnError>   // exec: "bash": executable file not found in $PATH
//! process.run(&mut host) -> Step                                    // Sleeping{wake_at_ms} | Blocked | Exited{code} | OomKilled
//! process.deliver_signal(Signal::Term, &mut host) -> Step           // SIGKILL → Exited{137}
//! process.file_changed("/data/log", &mut host) -> Step              // wakes `tail -f` followers
//! run_to_completion(argv, env, &mut host, budget_ms)                // (code, stdout, stderr, elapsed_ms, timed_out)
//! run_command(argv, env, &mut host, budget_ms) -> Completion        // the same, structured
//! ```
//! Call `run` again at `wake_at_ms` (or after any event for `Blocked`: a signal, a file change);
//! calling it early is harmless. After `Exited`/`OomKilled` every call returns the same step.
//!
//! # Semantics worth knowing
//! - **Signals** reach PID 1 as the kubelet sends them. PID 1 ignores SIGTERM/SIGINT/… unless a
//!   `trap` handles them, so `sh -c 'sleep 600'` stops only at SIGKILL (exit 137). A trapped
//!   signal runs its action after the current foreground command finishes (`trap 'exit 0' TERM;
//!   sleep 600` still waits for the sleep), except that `wait` is interrupted at once (returning
//!   143 for TERM), which is why `sleep 600 & wait` is the idiom for fast shutdown.
//! - **exec**: when an image program is the last command of a script without traps, the shell
//!   execs it (as dash, ash and bash do), so nginx becomes PID 1 and handles SIGTERM itself;
//!   [`ShellHost::signal_image_program`] decides how it reacts.
//! - **Budget**: one `run` call executes at most 50 000 interpreter steps
//!   ([`Process::set_step_budget`]); a busy loop (`while true; do :; done`) is then parked for one
//!   virtual second, so it costs time and never hangs the simulator.
//! - **Time**: sleeps are exact in virtual time; commands themselves take no time. A command
//!   that would block forever (`sleep infinity`, `tail -f`, a server, `nc -l`) returns `Blocked`.
//!   Sleeps inside `$(…)` take virtual time too: `x=$(sleep 5; echo hi); echo $x` prints `hi`
//!   at 5 s, and the process is seen sleeping meanwhile (still running for the kubelet, a trap
//!   runs after the command, SIGKILL kills; an exec probe's timeout counts that time). The
//!   substitution itself still runs in one go, so its own effects on files happen when it
//!   starts; its output to the container log is logged at the times it was written.
//!
//! # What runs
//! - Shell language: `;` `&` `&&` `||` `|` `!`, `if`/`elif`/`else`, `while`, `until`,
//!   `for x in …`, bash `for ((…))`, `case`, `{ …; }`, `( … )`, functions (`f() {…}`,
//!   `function f {…}`, `local`, `return`), `$(…)`, backticks, `$((…))`, `((…))`, `${x:-w}`
//!   `${x:=w}` `${x:?w}` `${x:+w}` `${#x}` `${x#p}` `${x%p}` `${x/p/r}` `${x:o:l}`, `$?` `$$` `$!`
//!   `$#` `$@` `$*` `$0`…`$9` `$RANDOM` `$SECONDS`, quoting and escapes, `$'…'`, comments, globs
//!   (via the host's directory listings), bash brace expansion, redirections `>` `>>` `<` `2>&1`
//!   `>&2` `&>` `2>/dev/null` here-docs and here-strings, `set -e -u -x -o pipefail`, traps on
//!   signals and EXIT.
//! - Builtins: `echo` `printf` `test`/`[`/`[[` `true` `false` `:` `cd` `pwd` `export` `readonly`
//!   `unset` `local` `set` `shift` `eval` `.`/`source` `exec` `exit` `return` `break` `continue`
//!   `trap` `wait` `kill` `read` `type` `command` `let` `umask` `ulimit` `jobs`.
//! - Programs (when the image has them): `sleep` `cat` `touch` `rm` `rmdir` `mkdir` `ls` `cp`
//!   `mv` `tee` `date` `hostname` `nslookup` `wget` `curl` `nc` `tail` (incl. `-f`, `-F`,
//!   `/dev/zero`) `head` `grep`/`egrep`/`fgrep` `wc` `seq` `expr` `env` `printenv` `sort` `uniq`
//!   `tr` `basename` `dirname` `whoami` `id` `uname` `chmod` `chown` `sync` `timeout` `nohup`
//!   `usleep` `stress`, nested `sh`/`bash`/`ash`/`dash`, `busybox APPLET`, script files on disk
//!   (ConfigMap-mounted `/scripts/start.sh` with a `#!` line), and image programs through
//!   [`ShellHost::run_image_program`].
//! - **Dialects**: `sh` is BusyBox ash unless the host says dash ([`ShellHost::shell_dialect`]);
//!   messages follow each (`sh: foo: not found`, `sh: 1: foo: not found`,
//!   `bash: line 1: foo: command not found`), and `{1..5}` expands only in bash, as on a cluster.
//!
//! # Limitations (by design, documented for the lead)
//! - `$(…)` runs to completion in one go (its virtual time is paid afterwards, see **Time**):
//!   something that would block forever (`$(tail -f x)`, `$(sleep infinity)`) ends instead, and
//!   jobs started inside are dropped.
//! - Pipelines run stage after stage: the left side must finish before the right side starts,
//!   so `tail -f file | grep x` shows nothing (the left side never ends).
//! - Background jobs have no stdin and cannot write into a pipe of their parent.
//! - Programs the image has but the simulator does not implement (`sed`, `awk`, `apt-get`…) exit 0
//!   silently ([`ShellHost::unsimulated_program`] lets the host note it).
//! - `ps`, `getopts`, arrays, `select`, job control (`fg`, `%1`) and here-doc tab/quote corner
//!   cases are not modelled.

mod arith;
mod ast;
mod builtins;
mod commands;
mod expand;
pub mod host;
mod interp;
mod lexer;
mod parser;
pub mod testing;
mod util;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use host::{Dialect, ProgramExit, ProgramStart, ShellHost, Signal};

use ast::{Node, SimpleCommand, Word};
use interp::{child_env, invocation, shebang_interpreter, Env, Fds, Frame, Input, Invocation, Machine, Opts, Shared, Sink, Thread, Var, RUN_BUDGET};
use parser::Parser;

/// What a process is doing after a [`Process::run`] (or signal) call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Waiting for virtual time: call `run` again at `wake_at_ms`.
    Sleeping { wake_at_ms: u64 },
    /// Waiting for something other than time (`sleep infinity`, `tail -f`, a server, `wait` on
    /// a blocked job): only a signal or a file change can move it.
    Blocked,
    /// PID 1 exited with this code. (`137` after SIGKILL.)
    Exited { code: i32 },
    /// The memory limit was hit: the kernel's OOM killer ended the container (exit 137,
    /// reason `OOMKilled`).
    OomKilled,
}

/// Why a container's process could not start (the runtime's `StartError`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpawnError {
    /// Empty argv.
    NoCommand,
    /// `argv[0]` is a name the image does not have.
    NotFound { program: String },
    /// `argv[0]` is a path that does not exist in the image.
    NoSuchFile { path: String },
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpawnError::NoCommand => write!(f, "no command specified"),
            SpawnError::NotFound { program } => write!(f, "exec: \"{program}\": executable file not found in $PATH"),
            SpawnError::NoSuchFile { path } => write!(f, "exec: \"{path}\": stat {path}: no such file or directory"),
        }
    }
}

impl std::error::Error for SpawnError {}

/// A container's process: PID 1 plus its background jobs, suspended between calls.
#[derive(Clone, Debug)]
pub struct Process {
    shared: Shared,
    /// Boxed: a B-tree node has room for eleven entries, and a process nearly always has one
    /// thread (a node of unboxed threads would be a 3.6 KiB allocation per container).
    threads: BTreeMap<u32, Box<Thread>>,
    outcome: Option<Step>,
    /// A shell invocation error (`sh -c` without a script) printed on the first run.
    startup_error: Option<(String, i32)>,
}

const SHELLS: [&str; 4] = ["sh", "bash", "ash", "dash"];

impl Process {
    /// Starts a container's process. `env` is the container's environment (Kubernetes `env`,
    /// plus `HOSTNAME`, `PATH`… as the runtime sets them); `PWD` in it is the working directory
    /// (`workingDir`), `/` by default. Nothing runs until [`Process::run`].
    pub fn spawn(argv: &[String], env: &BTreeMap<String, String>, host: &dyn ShellHost) -> Result<Process, SpawnError> {
        let Some(prog) = argv.first() else { return Err(SpawnError::NoCommand) };
        if prog.is_empty() {
            return Err(SpawnError::NotFound { program: String::new() });
        }
        let base = util::basename(prog);
        let cwd = env.get("PWD").filter(|p| p.starts_with('/')).map_or_else(|| "/".to_string(), |p| util::resolve_path("/", p));
        let mut vars = env.clone();
        vars.entry("PATH".to_string()).or_insert_with(|| "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string());
        vars.entry("HOME".to_string()).or_insert_with(|| "/root".to_string());
        vars.entry("HOSTNAME".to_string()).or_insert_with(|| host.hostname());
        vars.insert("PWD".to_string(), cwd.clone());
        let shared = Shared { next_pid: 7, zombies: BTreeMap::new(), rng: host.random_seed() | 1, start_ms: host.now_ms(), sync_depth: 0, oom: false, run_budget: RUN_BUDGET };
        let mut startup_error = None;
        let std_fds = Fds { out: Sink::Stdout, err: Sink::Stderr, input: Input::Null };

        let script_on_disk = if prog.contains('/') && !host.has_program(&base) { host.read_file(&util::resolve_path(&cwd, prog)) } else { None };
        let thread = if SHELLS.contains(&base.as_str()) || script_on_disk.is_some() {
            let (dialect, inv) = if let Some(text) = script_on_disk {
                let interp = shebang_interpreter(&text).map_or_else(|| "sh".to_string(), |i| util::basename(&i));
                if !host.has_program(&interp) {
                    return Err(SpawnError::NoSuchFile { path: prog.clone() });
                }
                let dialect = host.shell_dialect(&interp);
                (dialect, Invocation { script: text, arg0: prog.clone(), positional: argv[1..].to_vec(), opts: Opts::default(), script_file: true })
            } else {
                if !host.has_program(&base) {
                    return Err(not_found(prog));
                }
                let dialect = host.shell_dialect(&base);
                match invocation(argv, dialect, &cwd, host, None) {
                    Ok(inv) => (dialect, inv),
                    Err((msg, code)) => {
                        startup_error = Some((msg, code));
                        (dialect, Invocation { script: String::new(), arg0: prog.clone(), positional: Vec::new(), opts: Opts::default(), script_file: false })
                    }
                }
            };
            let env = child_env(&vars, &inv, dialect, cwd);
            let parser = Parser::new(&inv.script, dialect, 0);
            Thread::new(1, 0, env, std_fds, vec![Frame::TopLevel(Box::new(parser))])
        } else {
            if !host.has_program(&base) {
                return Err(not_found(prog));
            }
            // Exec form: the program itself is PID 1. Run it as a one-word-per-argument simple
            // command with no shell syntax.
            let env = Env {
                vars: vars.into_iter().map(|(k, v)| (k, Var { value: v, exported: true, readonly: false })).collect(),
                positional: Vec::new(),
                arg0: prog.clone(),
                cwd,
                traps: BTreeMap::new(),
                funcs: BTreeMap::new(),
                opts: Opts::default(),
                last_bg: None,
                dialect: Dialect::Ash,
                script_file: false,
            };
            let cmd = SimpleCommand { assigns: Vec::new(), words: argv.iter().map(|a| Word::quoted(a)).collect(), redirs: Vec::new(), line: 1 };
            Thread::new(1, 0, env, std_fds, vec![Frame::Exec(Arc::new(Node::Simple(cmd)))])
        };
        let mut threads = BTreeMap::new();
        threads.insert(1, Box::new(thread));
        Ok(Process { shared, threads, outcome: None, startup_error })
    }

    /// Runs every thread that can make progress at `host.now_ms()`, until all block or PID 1
    /// exits.
    pub fn run(&mut self, host: &mut dyn ShellHost) -> Step {
        if let Some(o) = self.outcome {
            return o;
        }
        if let Some((msg, code)) = self.startup_error.take() {
            host.stderr(&msg);
            return self.finish(Step::Exited { code });
        }
        let now = host.now_ms();
        let mut budget = self.shared.run_budget;
        loop {
            let mut progressed = false;
            let pids: Vec<u32> = self.threads.keys().copied().collect();
            for pid in pids {
                let Some(mut th) = self.threads.remove(&pid) else { continue };
                let trap_ready = !th.pending.is_empty() && matches!(th.frames.last(), Some(Frame::Yield { .. }) | Some(Frame::Wait { .. }));
                if th.wake_at().is_some_and(|t| t > now) && !trap_ready {
                    self.threads.insert(pid, th);
                    continue;
                }
                let mut m = Machine { sh: &mut self.shared, others: &mut self.threads, host: &mut *host, now, host_now: now, budget, deferred: Vec::new(), deferred_bytes: 0 };
                progressed |= m.run_thread(&mut th);
                budget = m.budget;
                if self.shared.oom {
                    return self.finish(Step::OomKilled);
                }
                match th.done {
                    Some(code) if pid == 1 => return self.finish(Step::Exited { code }),
                    Some(code) => Machine::reap(&mut self.shared, pid, th.parent, code),
                    None => {
                        self.threads.insert(pid, th);
                    }
                }
            }
            if !progressed {
                break;
            }
        }
        match self.next_wake_ms() {
            Some(t) => Step::Sleeping { wake_at_ms: t.max(now.saturating_add(1)) },
            None => Step::Blocked,
        }
    }

    /// Delivers a signal from outside (the kubelet stopping the container) to PID 1, then runs.
    /// SIGKILL ends the process at once with exit code 137.
    pub fn deliver_signal(&mut self, sig: Signal, host: &mut dyn ShellHost) -> Step {
        if let Some(o) = self.outcome {
            return o;
        }
        if sig == Signal::Kill {
            return self.finish(Step::Exited { code: 128 + Signal::Kill.number() });
        }
        if let Some(mut main) = self.threads.remove(&1) {
            let now = host.now_ms();
            let mut m = Machine { sh: &mut self.shared, others: &mut self.threads, host: &mut *host, now, host_now: now, budget: RUN_BUDGET, deferred: Vec::new(), deferred_bytes: 0 };
            m.signal_thread(&mut main, sig, true);
            if let Some(code) = main.done {
                return self.finish(Step::Exited { code });
            }
            self.threads.insert(1, main);
        }
        self.run(host)
    }

    /// A file changed (written by this or another container): `tail -f` followers print the new
    /// lines. Equivalent to `run`.
    pub fn file_changed(&mut self, path: &str, host: &mut dyn ShellHost) -> Step {
        let _ = path;
        self.run(host)
    }

    /// Changes how many interpreter steps one `run` call may take before a busy thread is
    /// parked for a virtual second (default 50 000). Lower values make busy loops cheaper for
    /// the simulator; the script's behaviour only changes in how much virtual time a busy loop
    /// appears to take.
    pub fn set_step_budget(&mut self, steps: u64) {
        self.shared.run_budget = steps.max(100);
    }

    /// The final step, once PID 1 has exited or was killed.
    pub fn outcome(&self) -> Option<Step> {
        self.outcome
    }

    /// The earliest time a thread wakes up by itself.
    pub fn next_wake_ms(&self) -> Option<u64> {
        if self.outcome.is_some() {
            return None;
        }
        self.threads.values().filter_map(|t| t.wake_at()).min()
    }

    /// The host handle of the image program running as PID 1 (after `exec`), if any.
    pub fn pid1_program(&self) -> Option<u64> {
        self.threads.get(&1).and_then(|t| t.pid1_program())
    }

    /// Whether PID 1 currently has a handler for `sig` (a shell `trap`). Image programs answer
    /// through the host instead.
    pub fn traps_signal(&self, sig: Signal) -> bool {
        self.threads.get(&1).is_some_and(|t| matches!(interp::process_traps(t).get(&interp::TrapCond::Sig(sig)), Some(interp::TrapAction::Run(_))))
    }

    fn finish(&mut self, step: Step) -> Step {
        self.outcome = Some(step);
        self.threads.clear();
        step
    }
}

fn not_found(prog: &str) -> SpawnError {
    if prog.contains('/') {
        SpawnError::NoSuchFile { path: prog.to_string() }
    } else {
        SpawnError::NotFound { program: prog.to_string() }
    }
}

/// How a synchronous run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompletionStatus {
    Exited(i32),
    /// Still running when the time budget ran out (or blocked forever).
    TimedOut,
    OomKilled,
    SpawnFailed(SpawnError),
}

/// The result of [`run_command`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub status: CompletionStatus,
    pub stdout: String,
    pub stderr: String,
    /// stdout and stderr interleaved in write order (what the kubelet puts in a probe message).
    pub output: String,
    /// Virtual time the command took (the budget when it timed out).
    pub elapsed_ms: u64,
}

impl Completion {
    /// The exit code, if the command exited.
    pub fn exit_code(&self) -> Option<i32> {
        match self.status {
            CompletionStatus::Exited(c) => Some(c),
            _ => None,
        }
    }
}

/// Runs a command synchronously with a virtual-time budget: exec probes (`timeoutSeconds`),
/// `postStart`/`preStop` exec handlers, `kubectl exec`. Returns
/// `(exit code, stdout, stderr, elapsed_ms, timed_out)`.
///
/// Time advances inside the run (a `sleep 2` takes 2 s of `elapsed_ms`) but the host's clock is
/// not moved: the caller accounts for `elapsed_ms`. Output is captured, not written to the
/// container log; file side effects happen immediately. On timeout the code is 137 (the command
/// is killed) and `elapsed_ms` is the budget; an OOM kill is 137 too; a program the image lacks
/// gives 126 with the runtime's `exec failed` message on stderr. See [`run_command`] for the
/// same run with a structured result.
pub fn run_to_completion(argv: &[String], env: &BTreeMap<String, String>, host: &mut dyn ShellHost, budget_ms: u64) -> (i32, String, String, u64, bool) {
    let c = run_command(argv, env, host, budget_ms);
    let (code, timed_out, stderr) = match &c.status {
        CompletionStatus::Exited(code) => (*code, false, c.stderr.clone()),
        CompletionStatus::TimedOut => (137, true, c.stderr.clone()),
        CompletionStatus::OomKilled => (137, false, c.stderr.clone()),
        CompletionStatus::SpawnFailed(e) => (126, false, format!("OCI runtime exec failed: exec failed: unable to start container process: {e}: unknown")),
    };
    (code, c.stdout, stderr, c.elapsed_ms, timed_out)
}

/// [`run_to_completion`] with a structured result (distinguishes OOM and spawn failures, keeps
/// stdout and stderr interleaved in `output`).
pub fn run_command(argv: &[String], env: &BTreeMap<String, String>, host: &mut dyn ShellHost, budget_ms: u64) -> Completion {
    let start = host.now_ms();
    let mut process = match Process::spawn(argv, env, &*host) {
        Ok(p) => p,
        Err(e) => {
            return Completion { status: CompletionStatus::SpawnFailed(e), stdout: String::new(), stderr: String::new(), output: String::new(), elapsed_ms: 0 };
        }
    };
    let deadline = start.saturating_add(budget_ms);
    let mut cap = Capture { inner: host, now: start, out: String::new(), err: String::new(), all: String::new() };
    let mut rounds = 0u32;
    let status = loop {
        rounds += 1;
        match process.run(&mut cap) {
            Step::Exited { code } => break CompletionStatus::Exited(code),
            Step::OomKilled => break CompletionStatus::OomKilled,
            Step::Sleeping { wake_at_ms } if wake_at_ms <= deadline && rounds < 100_000 => cap.now = wake_at_ms.max(cap.now + 1),
            _ => {
                cap.now = deadline;
                break CompletionStatus::TimedOut;
            }
        }
    };
    Completion { status, stdout: cap.out, stderr: cap.err, output: cap.all, elapsed_ms: cap.now.saturating_sub(start) }
}

/// A host wrapper with its own clock and captured output, for [`run_command`].
struct Capture<'a> {
    inner: &'a mut dyn ShellHost,
    now: u64,
    out: String,
    err: String,
    all: String,
}

impl ShellHost for Capture<'_> {
    fn now_ms(&self) -> u64 {
        self.now
    }
    fn stdout(&mut self, text: &str) {
        if self.out.len() < interp::MAX_TEXT {
            self.out.push_str(text);
            self.all.push_str(text);
        }
    }
    fn stderr(&mut self, text: &str) {
        if self.err.len() < interp::MAX_TEXT {
            self.err.push_str(text);
            self.all.push_str(text);
        }
    }
    fn read_file(&self, path: &str) -> Option<String> {
        self.inner.read_file(path)
    }
    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String> {
        self.inner.write_file(path, data, append)
    }
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), String> {
        self.inner.remove(path, recursive)
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String> {
        self.inner.mkdir(path, parents)
    }
    fn exists(&self, path: &str) -> bool {
        self.inner.exists(path)
    }
    fn is_dir(&self, path: &str) -> bool {
        self.inner.is_dir(path)
    }
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        self.inner.list_dir(path)
    }
    fn has_program(&self, name: &str) -> bool {
        self.inner.has_program(name)
    }
    fn http_get(&mut self, url: &str) -> Result<(u16, String), String> {
        self.inner.http_get(url)
    }
    fn tcp_connect(&mut self, host: &str, port: u16) -> Result<(), String> {
        self.inner.tcp_connect(host, port)
    }
    fn resolve(&self, name: &str) -> Option<String> {
        self.inner.resolve(name)
    }
    fn hostname(&self) -> String {
        self.inner.hostname()
    }
    fn allocate(&mut self, bytes: u64) -> Result<(), ()> {
        self.inner.allocate(bytes)
    }
    fn run_image_program(&mut self, argv: &[String]) -> Option<ProgramStart> {
        self.inner.run_image_program(argv)
    }
    fn signal_image_program(&mut self, handle: u64, signal: Signal, pid1: bool) -> Option<ProgramExit> {
        self.inner.signal_image_program(handle, signal, pid1)
    }
    fn image_program_stopped(&mut self, handle: u64) {
        self.inner.image_program_stopped(handle)
    }
    fn unsimulated_program(&mut self, argv: &[String]) {
        self.inner.unsimulated_program(argv)
    }
    fn shell_dialect(&self, program: &str) -> Dialect {
        self.inner.shell_dialect(program)
    }
    fn epoch_unix_ms(&self) -> i64 {
        self.inner.epoch_unix_ms()
    }
    fn dns_server(&self) -> String {
        self.inner.dns_server()
    }
    fn random_seed(&self) -> u64 {
        self.inner.random_seed()
    }
}
