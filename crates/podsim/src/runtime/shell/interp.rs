//! The resumable interpreter: threads of execution with explicit frame stacks, a scheduler over
//! them, signal delivery and the exit/break/continue/return unwinding.
//!
//! # Why explicit frames
//! A container's script must stop at `sleep 30` and continue 30 virtual seconds later, possibly
//! deep inside `while …; do if …; then sleep 1; fi; done`. A recursive tree-walker cannot be
//! suspended without threads or async, and the simulator must stay a plain deterministic value
//! (`Clone`, no wall clock). So every partly-run construct is a [`Frame`] on a `Vec`: a `List`
//! frame remembers which item runs next, a `Loop` frame whether it is in the condition or the
//! body, a leaf frame (`Timed`, `Follow`, `Wait`, `Program`) what the thread waits for. Running is
//! "pop the top frame, step it, maybe push it back with a child on top"; suspending is simply
//! returning with a leaf on top; resuming is polling that leaf again.
//!
//! # Threads
//! PID 1 (the container's main process) and every background job (`cmd &`) are [`Thread`]s with
//! their own variables and stacks (a job is a subshell). The [`Process`](super::Process) runs
//! them round-robin in pid order until none can progress at the current virtual time, which keeps
//! output order deterministic. Pipelines and `( … )` run inside the thread that started them:
//! stage after stage, each stage in a `Subshell` frame with its stdout captured in a pipe buffer.
//!
//! # Signals
//! Signals reach PID 1 only, as the kubelet sends them. Without a `trap`, PID 1 ignores
//! TERM/INT/HUP… (the kernel gives init no default handler); a trapped signal is queued and its
//! action runs at the next safe point: between commands, or at once if the shell is in `wait`
//! (which then returns 128+n). A foreground child (a `Timed` sleep, `tail -f`, a server) is not
//! interrupted: the trap waits for it, exactly like `trap 'exit 0' TERM; sleep 600` on a cluster.
//!
//! # Time inside command substitutions
//! `$(…)` runs in a *sync* sub-thread to completion, in the middle of a word expansion (which
//! cannot be suspended). Its sleeps still take virtual time: a `Timed` leaf reached in sync mode
//! moves [`Machine::now`] forward to its `until` instead of suspending, so later commands of the
//! substitution (a second `sleep`, `date`, `$SECONDS`) see the later clock, and its writes to the
//! container log are kept with the time they were made. When the expansion is over and the clock
//! is ahead of the host's, the parent thread catches up before anything else happens: a simple
//! command stops right after expanding its words (a [`Frame::SimpleRest`] keeps the expanded
//! argv, so nothing is expanded or run twice), and at the next step the thread parks in a
//! [`Frame::Catchup`] leaf until the substitution's end, replaying the delayed log writes at
//! their times. So `x=$(sleep 5; echo hi); echo $x` prints at 5 s, the process is seen sleeping
//! meanwhile (a trap waits, SIGKILL kills), and `while :; do echo $(sleep 1; date); done` takes
//! one virtual second per line instead of spinning.

use std::collections::BTreeMap;
use super::ast::{AndOr, Node, NodeRef, Redir, RedirKind, SimpleCommand, Word};
use super::host::{Dialect, ProgramStart, ShellHost, Signal};
use super::lexer::{PErr, ParseError, TokDesc};
use super::parser::{self, Parser};
use super::util;

/// Frame steps one `Process::run` call may take before the busy thread is parked for a virtual
/// second (so `while true; do :; done` costs time instead of hanging the simulator). A step is
/// roughly 100-300 ns natively, so a busy container costs the simulator a few ms per virtual
/// second; a loop of a few thousand iterations still finishes within one call.
pub(crate) const RUN_BUDGET: u64 = 50_000;
/// Frame steps a command substitution may take (it runs to completion synchronously; its virtual
/// time is paid afterwards, see the module docs).
pub(crate) const SYNC_BUDGET: u64 = 100_000;
/// How long a thread that used up the budget pauses.
pub(crate) const BUSY_PAUSE_MS: u64 = 1_000;
/// Frame stack depth beyond which a function call fails (runaway recursion).
pub(crate) const MAX_FRAMES: usize = 5_000;
/// Nested command substitutions at run time (`f() { echo $(f); }`).
pub(crate) const MAX_SYNC_DEPTH: u32 = 8;
/// Live background jobs per process.
pub(crate) const MAX_JOBS: usize = 64;
/// Largest string a variable, pipe buffer or expansion may hold (bytes).
pub(crate) const MAX_TEXT: usize = 8 << 20;
/// Finished jobs whose status `wait PID` can still collect.
const MAX_ZOMBIES: usize = 256;

/// A shell variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Var {
    pub value: String,
    pub exported: bool,
    pub readonly: bool,
}

/// What a `trap` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TrapAction {
    /// `trap '' SIG`.
    Ignore,
    /// `trap 'cmd' SIG`.
    Run(String),
}

/// What a trap is set on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TrapCond {
    Exit,
    Sig(Signal),
}

/// `set -e`, `-x`, `-u`, `-o pipefail`, `-f`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Opts {
    pub errexit: bool,
    pub xtrace: bool,
    pub nounset: bool,
    pub pipefail: bool,
    pub noglob: bool,
}

/// Everything a subshell copies: variables, functions, traps, options, cwd.
#[derive(Clone, Debug)]
pub(crate) struct Env {
    pub vars: BTreeMap<String, Var>,
    pub positional: Vec<String>,
    /// `$0`, also the prefix of error messages (`sh: …`).
    pub arg0: String,
    pub cwd: String,
    pub traps: BTreeMap<TrapCond, TrapAction>,
    pub funcs: BTreeMap<String, NodeRef>,
    pub opts: Opts,
    pub last_bg: Option<u32>,
    pub dialect: Dialect,
    /// Running a script file rather than `-c` (ash then prefixes errors with `line N:`).
    pub script_file: bool,
}

impl Env {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    /// The variables a child process sees.
    pub fn exported(&self) -> BTreeMap<String, String> {
        self.vars.iter().filter(|(_, v)| v.exported).map(|(k, v)| (k.clone(), v.value.clone())).collect()
    }
}

/// Where a file descriptor's output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Sink {
    /// The container's stdout (log).
    Stdout,
    /// The container's stderr (log).
    Stderr,
    /// `/dev/null` or a closed descriptor.
    Null,
    /// Appends to a file through the host.
    File(String),
    /// A pipe buffer of the thread (pipeline stage or command substitution).
    Pipe(u32),
}

/// Where standard input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// End of file at once (containers run without stdin unless `stdin: true`).
    Null,
    Pipe(u32),
}

/// The three standard descriptors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fds {
    pub out: Sink,
    pub err: Sink,
    pub input: Input,
}

/// A pipe buffer with a read position.
#[derive(Clone, Debug, Default)]
pub(crate) struct PipeBuf {
    pub data: String,
    pub pos: usize,
}

/// One partly-run construct. See the module docs.
#[derive(Clone, Debug)]
pub(crate) enum Frame {
    /// Start running a node.
    Exec(NodeRef),
    /// The top level of a script, parsed one line at a time.
    TopLevel(Box<Parser>),
    List { node: NodeRef, next: usize },
    AndOr { node: NodeRef, next: usize, ran_last: bool },
    If { node: NodeRef, arm: usize, in_body: bool },
    Loop { node: NodeRef, in_body: bool, last: i32 },
    For { var: String, values: Vec<String>, next: usize, body: NodeRef, last: i32 },
    ArithFor { node: NodeRef, in_body: bool, last: i32 },
    Pipeline { node: NodeRef, next: usize, saved: Fds, input: Option<u32>, pending_out: Option<u32>, statuses: Vec<i32> },
    /// Restores the descriptors when popped (redirections of a command that suspended).
    Restore(Fds),
    /// Restores the variables when popped (assignments before a builtin or function).
    RestoreVars(Vec<(String, Option<Var>)>),
    /// A subshell boundary: `exit` stops here; the parent's environment comes back.
    Subshell { env: Box<Env>, fds: Fds },
    /// A function call: positional parameters and `local` variables to restore.
    Func { positional: Vec<String>, locals: Vec<(String, Option<Var>)> },
    /// A running trap action: `$?` to restore afterwards, or (EXIT trap) the exit code to keep.
    Trap { status: i32, exit_code: Option<i32> },
    /// The rest of a simple command whose expansion ran command substitutions that took virtual
    /// time: it takes effect (xtrace, redirections, the command itself) once the thread has
    /// caught up. `redirected`: the redirections are applied already (these are the descriptors
    /// to restore); only the command is left.
    SimpleRest { node: NodeRef, argv: Vec<String>, assigns: Vec<(String, String)>, redirected: Option<Box<Fds>> },
    // ---- leaves: the thread waits here ----
    /// Waits until `until` (`None`: forever), then prints `message` and sets `status`.
    Timed { until: Option<u64>, status: i32, message: String },
    /// A busy thread paused by the step budget.
    Yield { until: u64 },
    /// `tail -f`: byte offsets already shown per file.
    Follow { files: Vec<(String, usize)> },
    /// `wait` (`pids` empty: all children).
    Wait { pids: Vec<u32> },
    /// An image program (server) the host runs; `pid1`: it replaced the shell as PID 1.
    Program { start: ProgramStart, ends: Option<(u64, i32)>, pid1: bool },
    /// `tail /dev/zero`: allocates memory every 100 ms until the OOM killer strikes.
    DevZero { next_at: u64 },
    /// The virtual time command substitutions took: waits until `until`, writing the container
    /// log output they produced (time, stderr?, text) when its time comes.
    Catchup { until: u64, output: Vec<(u64, bool, String)> },
}

impl Frame {
    pub fn is_leaf(&self) -> bool {
        matches!(self, Frame::Timed { .. } | Frame::Yield { .. } | Frame::Follow { .. } | Frame::Wait { .. } | Frame::Program { .. } | Frame::DevZero { .. } | Frame::Catchup { .. })
    }
}

/// One thread of execution: PID 1 or a background job.
#[derive(Clone, Debug)]
pub(crate) struct Thread {
    pub pid: u32,
    pub parent: u32,
    pub frames: Vec<Frame>,
    pub env: Env,
    pub fds: Fds,
    /// `$?`.
    pub status: i32,
    /// Trapped signals waiting for a safe point.
    pub pending: Vec<Signal>,
    pub pipes: BTreeMap<u32, PipeBuf>,
    pub next_pipe: u32,
    pub exit_trap_done: bool,
    /// The last status came from a place `set -e` ignores (`a && b` where `a` failed, `! cmd`).
    pub errexit_exempt: bool,
    /// Status of the last command substitution (the status of `x=$(false)`).
    pub cmdsub_status: Option<i32>,
    /// Current source line, for messages.
    pub line: u32,
    /// A command substitution: runs to completion in one go; its sleeps move the machine's clock
    /// forward instead of suspending (the parent pays that time afterwards).
    pub sync: bool,
    /// Redirections of the current command must persist (`exec >file`).
    pub keep_redirs: bool,
    pub done: Option<i32>,
}

impl Thread {
    pub fn new(pid: u32, parent: u32, env: Env, fds: Fds, frames: Vec<Frame>) -> Thread {
        Thread {
            pid,
            parent,
            frames,
            env,
            fds,
            status: 0,
            pending: Vec::new(),
            pipes: BTreeMap::new(),
            next_pipe: 1,
            exit_trap_done: false,
            errexit_exempt: false,
            cmdsub_status: None,
            line: 1,
            sync: false,
            keep_redirs: false,
            done: None,
        }
    }

    pub fn new_pipe(&mut self, data: String) -> u32 {
        let id = self.next_pipe;
        self.next_pipe = self.next_pipe.wrapping_add(1).max(1);
        self.pipes.insert(id, PipeBuf { data, pos: 0 });
        id
    }

    /// The time the thread's leaf wakes up by itself, if any.
    pub fn wake_at(&self) -> Option<u64> {
        match self.frames.last() {
            Some(Frame::Timed { until, .. }) => *until,
            Some(Frame::Yield { until }) => Some(*until),
            Some(Frame::Program { ends, .. }) => ends.map(|(t, _)| t),
            Some(Frame::DevZero { next_at }) => Some(*next_at),
            Some(Frame::Catchup { until, output }) => Some(output.first().map_or(*until, |c| c.0.min(*until))),
            _ => None,
        }
    }

    /// PID 1 was replaced by an image program (exec'd).
    pub fn pid1_program(&self) -> Option<u64> {
        match self.frames.as_slice() {
            [Frame::Program { start, pid1: true, .. }] => Some(start.handle),
            _ => None,
        }
    }
}

/// Non-local control flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctl {
    Exit(i32),
    Break(u32),
    Continue(u32),
    Return(i32),
    /// The memory limit was hit: the whole container dies.
    Oom,
}

pub(crate) type R<T> = Result<T, Ctl>;

/// Process-wide state besides the threads.
#[derive(Clone, Debug)]
pub(crate) struct Shared {
    pub next_pid: u32,
    /// Finished jobs: pid → (parent pid, exit status).
    pub zombies: BTreeMap<u32, (u32, i32)>,
    pub rng: u64,
    pub start_ms: u64,
    pub sync_depth: u32,
    pub oom: bool,
    /// Frame steps per `run` call (see [`RUN_BUDGET`]).
    pub run_budget: u64,
}

/// Borrowed view used while one thread runs: the process state, the other threads and the host.
pub(crate) struct Machine<'a> {
    pub sh: &'a mut Shared,
    pub others: &'a mut BTreeMap<u32, Box<Thread>>,
    pub host: &'a mut dyn ShellHost,
    /// The virtual time the running code sees. Equal to `host_now`, except while (and right
    /// after) command substitutions took time: then it is ahead, and the thread must catch up.
    pub now: u64,
    /// The host's clock for this call (`host.now_ms()`).
    pub host_now: u64,
    pub budget: u64,
    /// Container log output written while `now` was ahead of `host_now`: (time, stderr?, text).
    pub deferred: Vec<(u64, bool, String)>,
    pub deferred_bytes: usize,
}

enum LeafPoll {
    Done,
    Blocked { output: bool },
}

impl Machine<'_> {
    // ------------------------------------------------------------------ output

    /// Writes to the thread's stdout (`fd` 1) or stderr (`fd` 2).
    pub fn write(&mut self, th: &mut Thread, fd: u8, text: &str) {
        if text.is_empty() {
            return;
        }
        let sink = if fd == 2 { th.fds.err.clone() } else { th.fds.out.clone() };
        self.write_sink(th, &sink, text);
    }

    pub fn write_sink(&mut self, th: &mut Thread, sink: &Sink, text: &str) {
        match sink {
            Sink::Stdout => self.log_at(self.now, false, text),
            Sink::Stderr => self.log_at(self.now, true, text),
            Sink::Null => {}
            Sink::File(path) => {
                let _ = self.host.write_file(path, text, true);
            }
            Sink::Pipe(id) => {
                if let Some(p) = th.pipes.get_mut(id) {
                    if p.data.len() + text.len() <= MAX_TEXT {
                        p.data.push_str(text);
                    }
                }
            }
        }
    }

    /// Writes to the container log at virtual time `at`: now, or kept for the thread's
    /// [`Frame::Catchup`] when `at` is still in the host's future.
    fn log_at(&mut self, at: u64, stderr: bool, text: &str) {
        if at <= self.host_now {
            if stderr {
                self.host.stderr(text);
            } else {
                self.host.stdout(text);
            }
            return;
        }
        if self.deferred_bytes.saturating_add(text.len()) > MAX_TEXT {
            return;
        }
        self.deferred_bytes += text.len();
        match self.deferred.last_mut() {
            Some((t, e, buf)) if *t == at && *e == stderr => buf.push_str(text),
            _ => self.deferred.push((at, stderr, text.to_string())),
        }
    }

    /// Whether command substitutions of a (non-sync) thread took virtual time that the thread
    /// has not caught up with yet.
    fn is_ahead(&self, th: &Thread) -> bool {
        !th.sync && self.now > self.host_now
    }

    /// A shell diagnostic with the dialect's prefix: `sh: msg`, `sh: 3: msg`, `bash: line 3: msg`.
    pub fn shell_error(&mut self, th: &mut Thread, msg: &str) {
        let text = format!("{}{}\n", self.err_prefix(th), msg);
        self.write(th, 2, &text);
    }

    pub fn err_prefix(&self, th: &Thread) -> String {
        let arg0 = &th.env.arg0;
        match th.env.dialect {
            Dialect::Ash if th.env.script_file => format!("{arg0}: line {}: ", th.line),
            Dialect::Ash => format!("{arg0}: "),
            Dialect::Dash => format!("{arg0}: {}: ", th.line),
            Dialect::Bash => format!("{arg0}: line {}: ", th.line),
        }
    }

    /// A syntax error in the dialect's words, and the exit status it causes. `src` is the
    /// script text (bash quotes the offending line and counts lines to the end of file).
    pub fn syntax_message(&self, th: &Thread, e: &ParseError, src: &str) -> (String, i32) {
        let arg0 = &th.env.arg0;
        let tok = |d: &TokDesc, dash: bool| -> String {
            match d {
                TokDesc::Eof => "end of file".to_string(),
                TokDesc::Newline => "newline".to_string(),
                TokDesc::Word(_) if !dash => "word".to_string(),
                TokDesc::Word(w) | TokDesc::Keyword(w) => format!("\"{w}\""),
                TokDesc::Op(o) => format!("\"{o}\""),
            }
        };
        match th.env.dialect {
            Dialect::Ash => {
                let body = match &e.kind {
                    PErr::Unexpected { found, expecting } => {
                        let mut s = format!("syntax error: unexpected {}", tok(found, false));
                        if let Some(x) = expecting {
                            s.push_str(&format!(" (expecting \"{x}\")"));
                        }
                        s
                    }
                    PErr::Unterminated('`') => "syntax error: EOF in backquote substitution".to_string(),
                    PErr::Unterminated(_) => "syntax error: unterminated quoted string".to_string(),
                    PErr::BadSubst => "syntax error: bad substitution".to_string(),
                    PErr::MissingBrace => "syntax error: missing '}'".to_string(),
                    PErr::BadForVar(_) => "syntax error: bad for loop variable".to_string(),
                    PErr::TooDeep => "syntax error: nesting too deep".to_string(),
                };
                let text = if th.env.script_file { format!("{arg0}: line {}: {body}\n", e.line) } else { format!("{arg0}: {body}\n") };
                (text, 2)
            }
            Dialect::Dash => {
                let body = match &e.kind {
                    PErr::Unexpected { found, expecting } => {
                        let mut s = format!("Syntax error: {} unexpected", tok(found, true));
                        if let Some(x) = expecting {
                            s.push_str(&format!(" (expecting \"{x}\")"));
                        }
                        s
                    }
                    PErr::Unterminated('`') => "Syntax error: EOF in backquote substitution".to_string(),
                    PErr::Unterminated(_) => "Syntax error: Unterminated quoted string".to_string(),
                    PErr::BadSubst => "Bad substitution".to_string(),
                    PErr::MissingBrace => "Syntax error: Missing '}'".to_string(),
                    PErr::BadForVar(_) => "Syntax error: Bad for loop variable".to_string(),
                    PErr::TooDeep => "Syntax error: nesting too deep".to_string(),
                };
                (format!("{arg0}: {}: {body}\n", e.line), 2)
            }
            Dialect::Bash => {
                let at = |line: u32| if th.env.script_file { format!("{arg0}: line {line}") } else { format!("{arg0}: -c: line {line}") };
                // bash reports an unexpected end of file on the line after the last one.
                let eof_line = (src.matches('\n').count() + if src.ends_with('\n') { 1 } else { 2 }) as u32;
                match &e.kind {
                    PErr::Unexpected { found: TokDesc::Eof, .. } => (format!("{}: syntax error: unexpected end of file\n", at(eof_line)), 2),
                    PErr::Unexpected { found, .. } => {
                        let t = match found {
                            TokDesc::Newline => "newline".to_string(),
                            TokDesc::Word(w) | TokDesc::Keyword(w) => w.clone(),
                            TokDesc::Op(o) => o.to_string(),
                            TokDesc::Eof => String::new(),
                        };
                        let mut s = format!("{}: syntax error near unexpected token `{t}'\n", at(e.line));
                        if let Some(line) = src.lines().nth(e.line.saturating_sub(1) as usize) {
                            s.push_str(&format!("{}: `{line}'\n", at(e.line)));
                        }
                        (s, 2)
                    }
                    PErr::Unterminated(q) => (format!("{}: unexpected EOF while looking for matching `{q}'\n", at(e.line)), 2),
                    PErr::MissingBrace => (format!("{}: unexpected EOF while looking for matching `}}'\n", at(e.line)), 2),
                    PErr::BadSubst => (format!("{}: bad substitution\n", at(e.line)), 1),
                    // bash finds this at run time, like any invalid identifier.
                    PErr::BadForVar(v) => (format!("{arg0}: line {}: `{v}': not a valid identifier\n", e.line), 1),
                    PErr::TooDeep => (format!("{}: syntax error: nesting too deep\n", at(e.line)), 2),
                }
            }
        }
    }

    // ------------------------------------------------------------------ input

    /// All remaining standard input.
    pub fn read_stdin(&mut self, th: &mut Thread) -> String {
        match th.fds.input {
            Input::Null => String::new(),
            Input::Pipe(id) => match th.pipes.get_mut(&id) {
                Some(p) => {
                    let start = p.pos.min(p.data.len());
                    let s = p.data.get(start..).unwrap_or("").to_string();
                    p.pos = p.data.len();
                    s
                }
                None => String::new(),
            },
        }
    }

    /// One line of standard input (without the newline); `None` at end of file. The second value
    /// says whether the line ended with a newline.
    pub fn read_line(&mut self, th: &mut Thread) -> Option<(String, bool)> {
        let Input::Pipe(id) = th.fds.input else { return None };
        let p = th.pipes.get_mut(&id)?;
        let rest = p.data.get(p.pos..)?;
        if rest.is_empty() {
            return None;
        }
        match rest.find('\n') {
            Some(i) => {
                let line = rest[..i].to_string();
                p.pos += i + 1;
                Some((line, true))
            }
            None => {
                let line = rest.to_string();
                p.pos = p.data.len();
                Some((line, false))
            }
        }
    }

    // ------------------------------------------------------------------ variables

    pub fn set_var(&mut self, th: &mut Thread, name: &str, value: String) -> R<()> {
        if let Some(v) = th.env.vars.get(name) {
            if v.readonly {
                let (msg, code) = match th.env.dialect {
                    Dialect::Bash => (format!("{name}: readonly variable"), 1),
                    _ => (format!("{name}: is read only"), 2),
                };
                self.shell_error(th, &msg);
                return Err(Ctl::Exit(code));
            }
        }
        let value = if value.len() > MAX_TEXT { truncate(value, MAX_TEXT) } else { value };
        let exported = th.env.vars.get(name).is_some_and(|v| v.exported);
        th.env.vars.insert(name.to_string(), Var { value, exported, readonly: false });
        Ok(())
    }

    pub fn next_random(&mut self) -> u64 {
        // xorshift64*: deterministic, seeded per container by the host.
        let mut x = self.sh.rng.max(1);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.sh.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    // ------------------------------------------------------------------ scheduling one thread

    /// Runs a thread until it blocks, finishes or the budget runs out. Returns whether anything
    /// changed (used by the process scheduler to find the fixed point).
    pub fn run_thread(&mut self, th: &mut Thread) -> bool {
        let mut progressed = false;
        loop {
            if self.is_ahead(th) {
                // Command substitutions took virtual time: nothing more happens before it has
                // passed.
                let until = self.now;
                let output = std::mem::take(&mut self.deferred);
                self.deferred_bytes = 0;
                self.now = self.host_now;
                if th.done.is_none() && !self.sh.oom {
                    th.frames.push(Frame::Catchup { until, output });
                } else {
                    for (_, stderr, text) in output {
                        self.log_at(self.host_now, stderr, &text);
                    }
                }
                progressed = true;
            }
            if th.done.is_some() || self.sh.oom {
                return progressed;
            }
            if !th.pending.is_empty() && self.try_run_trap(th) {
                progressed = true;
                continue;
            }
            let Some(top) = th.frames.last() else {
                self.finish_thread(th);
                progressed = true;
                continue;
            };
            if top.is_leaf() {
                match self.poll_leaf(th) {
                    LeafPoll::Done => {
                        progressed = true;
                        continue;
                    }
                    LeafPoll::Blocked { output } => return progressed || output,
                }
            }
            if self.budget == 0 {
                if th.sync {
                    // A runaway command substitution is cut short.
                    th.done = Some(th.status);
                } else {
                    th.frames.push(Frame::Yield { until: self.now + BUSY_PAUSE_MS });
                }
                return true;
            }
            self.budget -= 1;
            progressed = true;
            let Some(frame) = th.frames.pop() else { continue };
            if let Err(ctl) = self.step(th, frame) {
                self.unwind(th, ctl);
            }
        }
    }

    /// The stack is empty: run the EXIT trap once, then the thread is done.
    fn finish_thread(&mut self, th: &mut Thread) {
        if !th.exit_trap_done {
            th.exit_trap_done = true;
            if let Some(TrapAction::Run(action)) = th.env.traps.get(&TrapCond::Exit).cloned() {
                let status = th.status;
                if let Some(node) = self.parse_action(th, &action) {
                    th.frames.push(Frame::Trap { status, exit_code: Some(status) });
                    th.frames.push(Frame::Exec(node));
                    return;
                }
            }
        }
        th.done = Some(th.status);
    }

    /// Parses a trap action or `eval` text; a syntax error is reported and yields `None`.
    pub fn parse_action(&mut self, th: &mut Thread, text: &str) -> Option<NodeRef> {
        match parser::parse_all(text, th.env.dialect, 0) {
            Ok(node) => Some(node),
            Err(e) => {
                let (msg, code) = self.syntax_message(th, &e, text);
                self.write(th, 2, &msg);
                th.status = code;
                None
            }
        }
    }

    /// Runs a pending trapped signal's action if the thread is at a safe point.
    fn try_run_trap(&mut self, th: &mut Thread) -> bool {
        if th.sync {
            return false;
        }
        // A foreground child (pipeline stage, subshell) or a running trap defers the signal.
        if th.frames.iter().any(|f| matches!(f, Frame::Subshell { .. } | Frame::Pipeline { .. } | Frame::Trap { .. })) {
            return false;
        }
        match th.frames.last() {
            // A command whose substitutions just finished: it runs first.
            Some(Frame::SimpleRest { .. }) => return false,
            Some(Frame::Wait { .. }) => {
                // `wait` is interrupted at once and returns 128+n.
                th.frames.pop();
                th.status = 128 + th.pending[0].number();
            }
            Some(Frame::Yield { .. }) | None => {}
            Some(f) if f.is_leaf() => return false,
            _ => {}
        }
        let sig = th.pending.remove(0);
        if let Some(TrapAction::Run(action)) = th.env.traps.get(&TrapCond::Sig(sig)).cloned() {
            let status = th.status;
            if let Some(node) = self.parse_action(th, &action) {
                th.status = status;
                th.frames.push(Frame::Trap { status, exit_code: None });
                th.frames.push(Frame::Exec(node));
            }
        }
        true
    }

    /// Checks a leaf; pops it if it is finished.
    fn poll_leaf(&mut self, th: &mut Thread) -> LeafPoll {
        let now = self.now;
        let sync = th.sync;
        let Some(top) = th.frames.last_mut() else { return LeafPoll::Done };
        match top {
            Frame::Timed { until, status, message } => {
                if sync || until.is_some_and(|u| u <= now) {
                    if sync {
                        // In a command substitution the sleep passes on the machine's clock.
                        self.now = self.now.max(until.unwrap_or(0));
                    }
                    let status = *status;
                    let message = std::mem::take(message);
                    th.frames.pop();
                    self.write(th, 1, &message);
                    th.status = status;
                    return LeafPoll::Done;
                }
                LeafPoll::Blocked { output: false }
            }
            Frame::Yield { until } => {
                if sync || *until <= now {
                    th.frames.pop();
                    return LeafPoll::Done;
                }
                LeafPoll::Blocked { output: false }
            }
            Frame::Follow { files } => {
                let mut files = std::mem::take(files);
                let mut out = String::new();
                let mut errs = String::new();
                for (path, offset) in files.iter_mut() {
                    let content = self.host.read_file(path).unwrap_or_default();
                    if content.len() < *offset {
                        errs.push_str(&format!("tail: {path}: file truncated\n"));
                        *offset = 0;
                    }
                    if content.len() > *offset {
                        let start = if content.is_char_boundary(*offset) { *offset } else { 0 };
                        out.push_str(&content[start..]);
                        *offset = content.len();
                    }
                }
                if let Some(Frame::Follow { files: slot }) = th.frames.last_mut() {
                    *slot = files;
                }
                let output = !out.is_empty() || !errs.is_empty();
                self.write(th, 2, &errs);
                self.write(th, 1, &out);
                if sync {
                    th.frames.pop();
                    th.status = 0;
                    return LeafPoll::Done;
                }
                LeafPoll::Blocked { output }
            }
            Frame::Wait { pids } => {
                let pids = pids.clone();
                let alive = |p: &u32| self.others.contains_key(p);
                let satisfied = if sync {
                    true
                } else if pids.is_empty() {
                    !self.others.values().any(|t| t.parent == th.pid)
                } else {
                    !pids.iter().any(alive)
                };
                if !satisfied {
                    return LeafPoll::Blocked { output: false };
                }
                th.frames.pop();
                th.status = 0;
                if let Some(last) = pids.last() {
                    th.status = match self.sh.zombies.remove(last) {
                        Some((_, code)) => code,
                        None => 127,
                    };
                    for p in &pids {
                        self.sh.zombies.remove(p);
                    }
                } else {
                    let pid = th.pid;
                    self.sh.zombies.retain(|_, (parent, _)| *parent != pid);
                }
                LeafPoll::Done
            }
            Frame::Program { start, ends, .. } => {
                let handle = start.handle;
                let finished = match ends {
                    Some((t, code)) if *t <= now => Some(*code),
                    Some((t, code)) if sync => {
                        self.now = self.now.max(*t);
                        Some(*code)
                    }
                    None if sync => Some(0),
                    _ => None,
                };
                match finished {
                    Some(code) => {
                        th.frames.pop();
                        th.status = code;
                        self.host.image_program_stopped(handle);
                        LeafPoll::Done
                    }
                    None => LeafPoll::Blocked { output: false },
                }
            }
            Frame::DevZero { next_at } => {
                if !sync && *next_at > now {
                    return LeafPoll::Blocked { output: false };
                }
                // `tail /dev/zero` buffers an endless line: 256 MiB more every 100 ms.
                let rounds = if sync { 4096 } else { 1 };
                for _ in 0..rounds {
                    if self.host.allocate(256 << 20).is_err() {
                        self.sh.oom = true;
                        return LeafPoll::Done;
                    }
                }
                if sync {
                    th.frames.pop();
                    th.status = 0;
                    return LeafPoll::Done;
                }
                *next_at = now + 100;
                LeafPoll::Blocked { output: false }
            }
            Frame::Catchup { until, output } => {
                let until = *until;
                let due = if sync { output.len() } else { output.iter().take_while(|c| c.0 <= now).count() };
                let chunks: Vec<(u64, bool, String)> = output.drain(..due).collect();
                let finished = sync || until <= now;
                if finished {
                    th.frames.pop();
                }
                if sync {
                    self.now = self.now.max(until);
                }
                let output = !chunks.is_empty();
                for (at, stderr, text) in chunks {
                    self.log_at(at, stderr, &text);
                }
                if finished {
                    LeafPoll::Done
                } else {
                    LeafPoll::Blocked { output }
                }
            }
            _ => LeafPoll::Done,
        }
    }

    // ------------------------------------------------------------------ unwinding

    /// Undoes what a frame set up, when it is abandoned by exit/break/return.
    fn cleanup_frame(&mut self, th: &mut Thread, frame: Frame) {
        match frame {
            Frame::Restore(fds) => th.fds = fds,
            Frame::RestoreVars(saved) => restore_vars(th, saved),
            Frame::Pipeline { saved, input, pending_out, .. } => {
                th.fds = saved;
                for id in input.into_iter().chain(pending_out) {
                    th.pipes.remove(&id);
                }
            }
            Frame::Func { positional, locals } => {
                th.env.positional = positional;
                restore_vars(th, locals);
            }
            Frame::Subshell { env, fds } => {
                th.env = *env;
                th.fds = fds;
            }
            Frame::Program { start, .. } => self.host.image_program_stopped(start.handle),
            Frame::SimpleRest { redirected: Some(fds), .. } => th.fds = *fds,
            _ => {}
        }
    }

    pub fn unwind(&mut self, th: &mut Thread, ctl: Ctl) {
        match ctl {
            Ctl::Oom => self.sh.oom = true,
            Ctl::Exit(code) => loop {
                match th.frames.pop() {
                    None => {
                        th.status = code;
                        return;
                    }
                    Some(Frame::Subshell { env, fds }) => {
                        th.env = *env;
                        th.fds = fds;
                        th.status = code;
                        return;
                    }
                    Some(f) => self.cleanup_frame(th, f),
                }
            },
            Ctl::Return(code) => {
                let has_func = th.frames.iter().rev().take_while(|f| !matches!(f, Frame::Subshell { .. })).any(|f| matches!(f, Frame::Func { .. }));
                if !has_func {
                    // `return` outside a function ends the script, as in dash and ash.
                    self.unwind(th, Ctl::Exit(code));
                    return;
                }
                while let Some(f) = th.frames.pop() {
                    if let Frame::Func { .. } = f {
                        self.cleanup_frame(th, f);
                        break;
                    }
                    self.cleanup_frame(th, f);
                }
                th.status = code;
            }
            Ctl::Break(n) | Ctl::Continue(n) => {
                let is_break = matches!(ctl, Ctl::Break(_));
                let mut n = n.max(1);
                let loops = th
                    .frames
                    .iter()
                    .rev()
                    .take_while(|f| !matches!(f, Frame::Subshell { .. } | Frame::Func { .. } | Frame::Trap { .. } | Frame::TopLevel(_)))
                    .filter(|f| matches!(f, Frame::Loop { .. } | Frame::For { .. } | Frame::ArithFor { .. }))
                    .count() as u32;
                if loops == 0 {
                    if th.env.dialect == Dialect::Bash {
                        let name = if is_break { "break" } else { "continue" };
                        self.shell_error(th, &format!("{name}: only meaningful in a `for', `while', or `until' loop"));
                    }
                    th.status = 0;
                    return;
                }
                n = n.min(loops);
                while let Some(f) = th.frames.pop() {
                    let is_loop = matches!(f, Frame::Loop { .. } | Frame::For { .. } | Frame::ArithFor { .. });
                    if is_loop && n == 1 {
                        if !is_break {
                            // Leave the loop frame in "body finished" state: it continues.
                            let f = match f {
                                Frame::Loop { node, last, .. } => Frame::Loop { node, in_body: true, last },
                                Frame::ArithFor { node, last, .. } => Frame::ArithFor { node, in_body: true, last },
                                other => other,
                            };
                            th.frames.push(f);
                        }
                        break;
                    }
                    if is_loop {
                        n -= 1;
                    }
                    self.cleanup_frame(th, f);
                }
                th.status = 0;
            }
        }
    }

    /// `set -e`: exit if the last command failed outside a condition.
    fn check_errexit(&mut self, th: &mut Thread) -> R<()> {
        if !th.env.opts.errexit || th.status == 0 || th.errexit_exempt {
            return Ok(());
        }
        let in_condition = th.frames.iter().any(|f| match f {
            Frame::If { in_body: false, .. } | Frame::Loop { in_body: false, .. } => true,
            Frame::AndOr { node, next, .. } => match &**node {
                Node::AndOr { rest, .. } => *next < rest.len(),
                _ => false,
            },
            Frame::Pipeline { node, .. } => matches!(&**node, Node::Pipeline { negate: true, .. }),
            _ => false,
        });
        if in_condition {
            return Ok(());
        }
        Err(Ctl::Exit(th.status))
    }

    /// The next command of a script's top level (parsed one line at a time).
    fn step_top_level(&mut self, th: &mut Thread, mut parser: Box<Parser>) -> R<()> {
        match parser.next_command() {
            Ok(Some(node)) => {
                th.frames.push(Frame::TopLevel(parser));
                th.frames.push(Frame::Exec(node));
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(e) => {
                th.line = e.line;
                let (msg, code) = self.syntax_message(th, &e, &parser.source_text());
                self.write(th, 2, &msg);
                Err(Ctl::Exit(code))
            }
        }
    }

    // ------------------------------------------------------------------ stepping frames

    fn step(&mut self, th: &mut Thread, frame: Frame) -> R<()> {
        match frame {
            Frame::Exec(node) => self.exec_node(th, node),
            Frame::TopLevel(parser) => {
                // `set -e` holds between the script's lines as between `;`-separated commands.
                self.check_errexit(th)?;
                self.step_top_level(th, parser)
            }
            Frame::List { node, next } => {
                let Node::List(items) = &*node else { return Ok(()) };
                if next > 0 && items.get(next - 1).is_some_and(|i| !i.background) {
                    self.check_errexit(th)?;
                }
                let Some(item) = items.get(next) else { return Ok(()) };
                let item_node = item.node.clone();
                let background = item.background;
                th.frames.push(Frame::List { node: node.clone(), next: next + 1 });
                if background {
                    self.spawn_job(th, item_node);
                    th.status = 0;
                } else {
                    th.frames.push(Frame::Exec(item_node));
                }
                Ok(())
            }
            Frame::AndOr { node, next, ran_last } => {
                let Node::AndOr { rest, .. } = &*node else { return Ok(()) };
                let Some((op, cmd)) = rest.get(next) else {
                    th.errexit_exempt = th.errexit_exempt || !ran_last;
                    return Ok(());
                };
                let run = match op {
                    AndOr::And => th.status == 0,
                    AndOr::Or => th.status != 0,
                };
                let cmd = cmd.clone();
                let is_last = next + 1 == rest.len();
                th.frames.push(Frame::AndOr { node: node.clone(), next: next + 1, ran_last: run && is_last });
                if run {
                    th.frames.push(Frame::Exec(cmd));
                }
                Ok(())
            }
            Frame::If { node, arm, in_body } => {
                let Node::If { arms, otherwise } = &*node else { return Ok(()) };
                if in_body {
                    return Ok(());
                }
                if th.status == 0 {
                    if let Some((_, body)) = arms.get(arm) {
                        let body = body.clone();
                        th.frames.push(Frame::If { node: node.clone(), arm, in_body: true });
                        th.frames.push(Frame::Exec(body));
                    }
                } else if let Some((cond, _)) = arms.get(arm + 1) {
                    let cond = cond.clone();
                    th.frames.push(Frame::If { node: node.clone(), arm: arm + 1, in_body: false });
                    th.frames.push(Frame::Exec(cond));
                } else if let Some(o) = otherwise {
                    let o = o.clone();
                    th.frames.push(Frame::If { node: node.clone(), arm, in_body: true });
                    th.frames.push(Frame::Exec(o));
                } else {
                    th.status = 0;
                }
                Ok(())
            }
            Frame::Loop { node, in_body, last } => {
                let Node::Loop { until, cond, body } = &*node else { return Ok(()) };
                if in_body {
                    let cond = cond.clone();
                    th.frames.push(Frame::Loop { node: node.clone(), in_body: false, last: th.status });
                    th.frames.push(Frame::Exec(cond));
                    return Ok(());
                }
                if (th.status == 0) != *until {
                    let body = body.clone();
                    th.frames.push(Frame::Loop { node: node.clone(), in_body: true, last });
                    th.frames.push(Frame::Exec(body));
                } else {
                    th.status = last;
                }
                Ok(())
            }
            Frame::For { var, values, next, body, last } => {
                let last = if next > 0 { th.status } else { last };
                let Some(value) = values.get(next).cloned() else {
                    th.status = last;
                    return Ok(());
                };
                self.set_var(th, &var, value)?;
                th.frames.push(Frame::For { var, values, next: next + 1, body: body.clone(), last });
                th.frames.push(Frame::Exec(body));
                Ok(())
            }
            Frame::ArithFor { node, in_body, last } => {
                let Node::ArithFor { cond, step, body, .. } = &*node else { return Ok(()) };
                let mut last = last;
                if in_body {
                    last = th.status;
                    self.arith_word(th, step)?;
                }
                let c = if cond.parts.iter().all(|p| matches!(p, super::ast::WordPart::Double(v) if v.iter().all(|x| matches!(x, super::ast::WordPart::Lit(s) if s.trim().is_empty())))) {
                    1
                } else {
                    self.arith_word(th, cond)?
                };
                if c != 0 {
                    let body = body.clone();
                    th.frames.push(Frame::ArithFor { node: node.clone(), in_body: true, last });
                    th.frames.push(Frame::Exec(body));
                } else {
                    th.status = last;
                }
                Ok(())
            }
            Frame::Pipeline { node, next, saved, mut input, mut pending_out, mut statuses } => {
                let Node::Pipeline { negate, stages } = &*node else { return Ok(()) };
                if next > 0 {
                    statuses.push(th.status);
                    if let Some(old) = input.take() {
                        th.pipes.remove(&old);
                    }
                    input = pending_out.take();
                }
                let Some(stage) = stages.get(next).cloned() else {
                    th.fds = saved;
                    if let Some(old) = input.take() {
                        th.pipes.remove(&old);
                    }
                    let mut status = statuses.last().copied().unwrap_or(0);
                    if th.env.opts.pipefail {
                        status = statuses.iter().rev().find(|s| **s != 0).copied().unwrap_or(0);
                    }
                    if *negate {
                        status = i32::from(status == 0);
                        th.errexit_exempt = true;
                    }
                    th.status = status;
                    return Ok(());
                };
                let last_stage = next + 1 == stages.len();
                let mut fds = saved.clone();
                if let Some(i) = input {
                    fds.input = Input::Pipe(i);
                }
                if !last_stage {
                    let id = th.new_pipe(String::new());
                    fds.out = Sink::Pipe(id);
                    pending_out = Some(id);
                }
                let multi = stages.len() > 1;
                th.frames.push(Frame::Pipeline { node: node.clone(), next: next + 1, saved: saved.clone(), input, pending_out, statuses });
                if multi {
                    // Each stage of a real pipeline is a child process.
                    th.frames.push(Frame::Subshell { env: Box::new(th.env.clone()), fds: saved });
                    reset_traps(&mut th.env);
                }
                th.fds = fds;
                th.frames.push(Frame::Exec(stage));
                Ok(())
            }
            Frame::Restore(fds) => {
                th.fds = fds;
                Ok(())
            }
            Frame::RestoreVars(saved) => {
                restore_vars(th, saved);
                Ok(())
            }
            Frame::Subshell { env, fds } => {
                th.env = *env;
                th.fds = fds;
                Ok(())
            }
            Frame::Func { positional, locals } => {
                th.env.positional = positional;
                restore_vars(th, locals);
                Ok(())
            }
            Frame::Trap { status, exit_code } => {
                th.status = exit_code.unwrap_or(status);
                Ok(())
            }
            Frame::SimpleRest { node, argv, assigns, redirected } => {
                let Node::Simple(cmd) = &*node else { return Ok(()) };
                self.simple_rest(th, &node, cmd, argv, assigns, redirected)
            }
            // Leaves are handled by `poll_leaf`; reaching here means "finished".
            Frame::Timed { .. } | Frame::Yield { .. } | Frame::Follow { .. } | Frame::Wait { .. } | Frame::Program { .. } | Frame::DevZero { .. } | Frame::Catchup { .. } => Ok(()),
        }
    }

    pub fn arith_word(&mut self, th: &mut Thread, word: &Word) -> R<i64> {
        let text = self.expand_string(th, word)?;
        self.arith_text(th, &text)
    }

    fn exec_node(&mut self, th: &mut Thread, node: NodeRef) -> R<()> {
        match &*node {
            Node::Simple(cmd) => self.exec_simple(th, &node, cmd),
            Node::List(_) => {
                th.frames.push(Frame::List { node: node.clone(), next: 0 });
                Ok(())
            }
            Node::AndOr { first, .. } => {
                let first = first.clone();
                th.frames.push(Frame::AndOr { node: node.clone(), next: 0, ran_last: false });
                th.frames.push(Frame::Exec(first));
                Ok(())
            }
            Node::Pipeline { .. } => {
                th.frames.push(Frame::Pipeline { node: node.clone(), next: 0, saved: th.fds.clone(), input: None, pending_out: None, statuses: Vec::new() });
                Ok(())
            }
            Node::If { arms, .. } => {
                let Some((cond, _)) = arms.first() else { return Ok(()) };
                let cond = cond.clone();
                th.frames.push(Frame::If { node: node.clone(), arm: 0, in_body: false });
                th.frames.push(Frame::Exec(cond));
                Ok(())
            }
            Node::Loop { cond, .. } => {
                let cond = cond.clone();
                th.frames.push(Frame::Loop { node: node.clone(), in_body: false, last: 0 });
                th.frames.push(Frame::Exec(cond));
                Ok(())
            }
            Node::For { var, items, body } => {
                let values = match items {
                    Some(words) => self.expand_words(th, words)?,
                    None => th.env.positional.clone(),
                };
                th.frames.push(Frame::For { var: var.clone(), values, next: 0, body: body.clone(), last: 0 });
                Ok(())
            }
            Node::ArithFor { init, .. } => {
                self.arith_word(th, init)?;
                th.frames.push(Frame::ArithFor { node: node.clone(), in_body: false, last: 0 });
                Ok(())
            }
            Node::Case { subject, arms } => {
                let value = self.expand_string(th, subject)?;
                for arm in arms {
                    for pat in &arm.patterns {
                        let p = self.expand_pattern(th, pat)?;
                        if util::glob_match(&p, &value) {
                            match &arm.body {
                                Some(b) => th.frames.push(Frame::Exec(b.clone())),
                                None => th.status = 0,
                            }
                            return Ok(());
                        }
                    }
                }
                th.status = 0;
                Ok(())
            }
            Node::Group(body) => {
                th.frames.push(Frame::Exec(body.clone()));
                Ok(())
            }
            Node::Subshell(body) => {
                th.frames.push(Frame::Subshell { env: Box::new(th.env.clone()), fds: th.fds.clone() });
                reset_traps(&mut th.env);
                th.frames.push(Frame::Exec(body.clone()));
                Ok(())
            }
            Node::FuncDef { name, body } => {
                th.env.funcs.insert(name.clone(), body.clone());
                th.status = 0;
                Ok(())
            }
            Node::Arith(word) => {
                th.errexit_exempt = false;
                let v = self.arith_word(th, word)?;
                th.status = i32::from(v == 0);
                Ok(())
            }
            Node::Redirected { node: inner, redirs } => {
                let saved = th.fds.clone();
                match self.apply_redirs(th, redirs)? {
                    None => {
                        th.frames.push(Frame::Restore(saved));
                        th.frames.push(Frame::Exec(inner.clone()));
                    }
                    Some(msg) => {
                        th.fds = saved;
                        self.shell_error(th, &msg);
                        th.status = if th.env.dialect == Dialect::Bash { 1 } else { 2 };
                    }
                }
                Ok(())
            }
        }
    }

    // ------------------------------------------------------------------ simple commands

    fn exec_simple(&mut self, th: &mut Thread, node: &NodeRef, cmd: &SimpleCommand) -> R<()> {
        th.line = cmd.line;
        th.errexit_exempt = false;
        th.cmdsub_status = None;
        let argv = self.expand_words(th, &cmd.words)?;
        let mut assigns = Vec::with_capacity(cmd.assigns.len());
        for (name, w) in &cmd.assigns {
            let v = self.expand_string(th, w)?;
            if argv.is_empty() {
                self.set_var(th, name, v)?;
            } else {
                assigns.push((name.clone(), v));
            }
        }
        if self.is_ahead(th) {
            // Its command substitutions took time: the command takes effect once that passed.
            th.frames.push(Frame::SimpleRest { node: node.clone(), argv, assigns, redirected: None });
            return Ok(());
        }
        self.simple_rest(th, node, cmd, argv, assigns, None)
    }

    /// A simple command after its words and assignments are expanded: xtrace, redirections,
    /// then the command. `redirected`: resuming after the redirections' substitutions took time.
    fn simple_rest(&mut self, th: &mut Thread, node: &NodeRef, cmd: &SimpleCommand, argv: Vec<String>, assigns: Vec<(String, String)>, redirected: Option<Box<Fds>>) -> R<()> {
        let saved = match redirected {
            Some(saved) => *saved,
            None => {
                let saved = self.trace_and_redirect(th, cmd, &argv, &assigns)?;
                let Some(saved) = saved else { return Ok(()) };
                if self.is_ahead(th) && !argv.is_empty() {
                    th.frames.push(Frame::SimpleRest { node: node.clone(), argv, assigns, redirected: Some(Box::new(saved)) });
                    return Ok(());
                }
                saved
            }
        };
        if argv.is_empty() {
            if !cmd.redirs.is_empty() {
                th.fds = saved;
            }
            th.status = th.cmdsub_status.unwrap_or(0);
            return Ok(());
        }
        th.keep_redirs = false;
        let depth_before = th.frames.len();
        let result = self.dispatch(th, argv, assigns);
        if !cmd.redirs.is_empty() && !th.keep_redirs {
            if th.frames.len() > depth_before {
                th.frames.insert(depth_before, Frame::Restore(saved));
            } else {
                th.fds = saved;
            }
        }
        th.keep_redirs = false;
        result
    }

    /// xtrace and the redirections of a simple command. `Ok(None)`: a redirection failed (the
    /// command does not run); otherwise the descriptors to restore afterwards.
    fn trace_and_redirect(&mut self, th: &mut Thread, cmd: &SimpleCommand, argv: &[String], assigns: &[(String, String)]) -> R<Option<Fds>> {
        if th.env.opts.xtrace && (!argv.is_empty() || !cmd.assigns.is_empty()) {
            let mut line = String::from("+");
            for (n, v) in assigns {
                line.push_str(&format!(" {n}={v}"));
            }
            for a in argv {
                line.push(' ');
                line.push_str(&trace_quote(a));
            }
            line.push('\n');
            self.write(th, 2, &line);
        }
        let saved = th.fds.clone();
        if !cmd.redirs.is_empty() {
            if let Some(msg) = self.apply_redirs(th, &cmd.redirs)? {
                th.fds = saved;
                self.shell_error(th, &msg);
                th.status = if th.env.dialect == Dialect::Bash { 1 } else { 2 };
                return Ok(None);
            }
        }
        Ok(Some(saved))
    }

    pub(crate) fn dispatch(&mut self, th: &mut Thread, argv: Vec<String>, assigns: Vec<(String, String)>) -> R<()> {
        let name = argv[0].clone();
        if let Some(body) = th.env.funcs.get(&name).cloned() {
            if th.frames.len() > MAX_FRAMES {
                self.shell_error(th, &format!("{name}: function nesting too deep"));
                return Err(Ctl::Exit(2));
            }
            let mut saved = Vec::new();
            for (n, v) in assigns {
                saved.push((n.clone(), th.env.vars.get(&n).cloned()));
                self.set_var(th, &n, v)?;
            }
            if !saved.is_empty() {
                th.frames.push(Frame::RestoreVars(saved));
            }
            let positional = std::mem::replace(&mut th.env.positional, argv[1..].to_vec());
            th.frames.push(Frame::Func { positional, locals: Vec::new() });
            th.frames.push(Frame::Exec(body));
            return Ok(());
        }
        if let Some(special) = super::builtins::builtin_kind(&name) {
            let mut saved = Vec::new();
            for (n, v) in assigns {
                if !special {
                    saved.push((n.clone(), th.env.vars.get(&n).cloned()));
                }
                self.set_var(th, &n, v)?;
            }
            let r = self.run_builtin(th, &argv);
            if !saved.is_empty() {
                restore_vars(th, saved);
            }
            return r;
        }
        self.run_external(th, argv, assigns)
    }

    /// Whether PID 1's current command is the last thing the script will do, with no traps:
    /// then `sh` execs it (the program becomes PID 1 and gets the kubelet's signals itself).
    pub fn is_tail(&self, th: &Thread) -> bool {
        if th.pid != 1 || th.sync || !th.env.traps.is_empty() {
            return false;
        }
        th.frames.iter().all(|f| match f {
            Frame::TopLevel(p) => p.is_exhausted(),
            Frame::List { node, next } => matches!(&**node, Node::List(items) if *next == items.len()),
            Frame::AndOr { node, next, .. } => matches!(&**node, Node::AndOr { rest, .. } if *next >= rest.len()),
            Frame::If { in_body: true, .. } | Frame::Restore(_) => true,
            _ => false,
        })
    }

    /// A program that is neither a builtin nor a function.
    pub(crate) fn run_external(&mut self, th: &mut Thread, argv: Vec<String>, assigns: Vec<(String, String)>) -> R<()> {
        let name = argv[0].clone();
        let base = util::basename(&name);
        if name.contains('/') && !self.host.has_program(&base) {
            // A script file on disk (a ConfigMap-mounted `/scripts/start.sh`).
            let path = util::resolve_path(&th.env.cwd, &name);
            if let Some(text) = self.host.read_file(&path) {
                return self.start_script_file(th, &argv, &path, &text, assigns);
            }
        }
        if !self.host.has_program(&base) {
            return self.not_found(th, &name);
        }
        if matches!(base.as_str(), "sh" | "bash" | "ash" | "dash") {
            return self.start_nested_shell(th, &argv, assigns);
        }
        if base == "busybox" && argv.len() > 1 {
            // The multi-call binary: `busybox sleep 10` runs the applet.
            return self.dispatch(th, argv[1..].to_vec(), assigns);
        }
        if super::commands::is_simulated(&base) {
            return super::commands::run(self, th, &base, &argv, &assigns);
        }
        let tail = self.is_tail(th);
        if let Some(start) = self.host.run_image_program(&argv) {
            let ends = start.exit.map(|e| (self.now.saturating_add(e.after_ms), e.code));
            if tail {
                th.frames.clear();
            }
            th.frames.push(Frame::Program { start, ends, pid1: tail });
            return Ok(());
        }
        self.host.unsimulated_program(&argv);
        th.status = 0;
        Ok(())
    }

    pub fn not_found(&mut self, th: &mut Thread, name: &str) -> R<()> {
        let msg = match th.env.dialect {
            Dialect::Bash if name.contains('/') => format!("{name}: No such file or directory"),
            Dialect::Bash => format!("{name}: command not found"),
            _ => format!("{name}: not found"),
        };
        self.shell_error(th, &msg);
        th.status = 127;
        Ok(())
    }

    /// `sh -c '…'` (or `bash script.sh`) run from a script: a child shell in a subshell frame.
    fn start_nested_shell(&mut self, th: &mut Thread, argv: &[String], assigns: Vec<(String, String)>) -> R<()> {
        let base = util::basename(&argv[0]);
        let dialect = self.host.shell_dialect(&base);
        let stdin_text = if matches!(th.fds.input, Input::Pipe(_)) { Some(self.read_stdin(th)) } else { None };
        let inv = match invocation(argv, dialect, &th.env.cwd, &*self.host, stdin_text) {
            Ok(inv) => inv,
            Err((msg, code)) => {
                self.write(th, 2, &msg);
                th.status = code;
                return Ok(());
            }
        };
        let mut vars = th.env.exported();
        for (n, v) in assigns {
            vars.insert(n, v);
        }
        let env = child_env(&vars, &inv, dialect, th.env.cwd.clone());
        self.enter_child_shell(th, env, &inv.script, dialect);
        Ok(())
    }

    fn start_script_file(&mut self, th: &mut Thread, argv: &[String], path: &str, text: &str, assigns: Vec<(String, String)>) -> R<()> {
        let interp = shebang_interpreter(text);
        let base = interp.as_deref().map(util::basename).unwrap_or_else(|| "sh".to_string());
        let dialect = self.host.shell_dialect(&base);
        let inv = Invocation { script: text.to_string(), arg0: path.to_string(), positional: argv[1..].to_vec(), opts: Opts::default(), script_file: true };
        let mut vars = th.env.exported();
        for (n, v) in assigns {
            vars.insert(n, v);
        }
        let env = child_env(&vars, &inv, dialect, th.env.cwd.clone());
        self.enter_child_shell(th, env, &inv.script, dialect);
        Ok(())
    }

    fn enter_child_shell(&mut self, th: &mut Thread, env: Env, script: &str, dialect: Dialect) {
        let old = std::mem::replace(&mut th.env, env);
        th.frames.push(Frame::Subshell { env: Box::new(old), fds: th.fds.clone() });
        th.frames.push(Frame::TopLevel(Box::new(Parser::new(script, dialect, 0))));
    }

    /// Starts `node` as a background job (`cmd &`).
    pub fn spawn_job(&mut self, th: &mut Thread, node: NodeRef) {
        if th.sync {
            // Jobs started inside `$(…)` are not kept (documented limitation).
            return;
        }
        if self.others.len() >= MAX_JOBS {
            self.shell_error(th, "can't fork: Resource temporarily unavailable");
            return;
        }
        let pid = self.sh.next_pid;
        self.sh.next_pid = self.sh.next_pid.saturating_add(1);
        let mut env = th.env.clone();
        reset_traps(&mut env);
        let job_sink = |s: &Sink| match s {
            Sink::Pipe(_) => Sink::Null,
            other => other.clone(),
        };
        let fds = Fds { out: job_sink(&th.fds.out), err: job_sink(&th.fds.err), input: Input::Null };
        // `( … ) &`: the job already is the subshell.
        let node = match &*node {
            Node::Subshell(body) => body.clone(),
            _ => node,
        };
        let mut job = Thread::new(pid, th.pid, env, fds, vec![Frame::Exec(node)]);
        // A job's own `exit` must not run the parent's EXIT trap.
        job.exit_trap_done = false;
        job.line = th.line;
        self.others.insert(pid, Box::new(job));
        th.env.last_bg = Some(pid);
    }

    /// Records a finished job so `wait PID` can collect its status.
    pub fn reap(sh: &mut Shared, pid: u32, parent: u32, code: i32) {
        sh.zombies.insert(pid, (parent, code));
        while sh.zombies.len() > MAX_ZOMBIES {
            let Some(first) = sh.zombies.keys().next().copied() else { break };
            sh.zombies.remove(&first);
        }
    }

    /// Delivers a signal to a thread (kill builtin, or the kubelet for PID 1). `pid1`: the
    /// thread is the container's init, which ignores signals it has no handler for.
    pub fn signal_thread(&mut self, target: &mut Thread, sig: Signal, pid1: bool) {
        if target.done.is_some() {
            return;
        }
        if sig == Signal::Kill || sig == Signal::Stop {
            // Cannot be caught. The kernel does not let a container's processes kill their own
            // init, so from inside only non-PID-1 threads die.
            if !pid1 {
                self.kill_thread(target, 128 + sig.number());
            }
            return;
        }
        let own_program = match target.frames.as_slice() {
            [Frame::Program { start, .. }] => Some(start.handle),
            _ => None,
        };
        if let Some(handle) = target.pid1_program().or(own_program) {
            // The thread *is* the image program.
            match self.host.signal_image_program(handle, sig, pid1) {
                Some(exit) => {
                    if let Some(Frame::Program { ends, .. }) = target.frames.last_mut() {
                        let at = self.now.saturating_add(exit.after_ms);
                        if ends.is_none_or(|(t, _)| at < t) {
                            *ends = Some((at, exit.code));
                        }
                    }
                }
                None => {
                    if !pid1 && sig.terminates_by_default() {
                        self.kill_thread(target, 128 + sig.number());
                    }
                }
            }
            return;
        }
        match process_traps(target).get(&TrapCond::Sig(sig)) {
            Some(TrapAction::Run(_)) => target.pending.push(sig),
            Some(TrapAction::Ignore) => {}
            None => {
                if !pid1 && sig.terminates_by_default() {
                    self.kill_thread(target, 128 + sig.number());
                }
            }
        }
    }

    /// Ends a thread at once (death by signal).
    pub fn kill_thread(&mut self, target: &mut Thread, code: i32) {
        while let Some(f) = target.frames.pop() {
            if let Frame::Program { start, .. } = f {
                self.host.image_program_stopped(start.handle);
            }
        }
        target.status = code;
        target.done = Some(code);
    }

    // ------------------------------------------------------------------ redirections

    /// Applies redirections to the thread's descriptors. `Ok(Some(msg))`: a redirection failed
    /// (the command must not run).
    pub fn apply_redirs(&mut self, th: &mut Thread, redirs: &[Redir]) -> R<Option<String>> {
        for r in redirs {
            match r.kind {
                RedirKind::Out | RedirKind::Append | RedirKind::OutErr => {
                    let target = self.expand_string(th, &r.target)?;
                    let sink = match self.open_sink(th, &target, r.kind == RedirKind::Append) {
                        Ok(s) => s,
                        Err(msg) => return Ok(Some(msg)),
                    };
                    if r.kind == RedirKind::OutErr {
                        th.fds.out = sink.clone();
                        th.fds.err = sink;
                    } else {
                        set_fd(th, r.fd, sink);
                    }
                }
                RedirKind::In | RedirKind::ReadWrite => {
                    let target = self.expand_string(th, &r.target)?;
                    if r.fd != 0 {
                        continue;
                    }
                    match target.as_str() {
                        "/dev/null" | "/dev/zero" | "/dev/stdin" => th.fds.input = Input::Null,
                        _ => {
                            let path = util::resolve_path(&th.env.cwd, &target);
                            match self.host.read_file(&path) {
                                Some(data) => {
                                    let id = th.new_pipe(data);
                                    th.fds.input = Input::Pipe(id);
                                }
                                None if r.kind == RedirKind::ReadWrite && self.host.write_file(&path, "", true).is_ok() => {
                                    th.fds.input = Input::Null;
                                }
                                None => {
                                    let why = if self.host.is_dir(&path) { "Is a directory" } else { "No such file or directory" };
                                    let msg = match th.env.dialect {
                                        Dialect::Ash => format!("can't open {target}: {why}"),
                                        Dialect::Dash => format!("cannot open {target}: No such file"),
                                        Dialect::Bash => format!("{target}: {why}"),
                                    };
                                    return Ok(Some(msg));
                                }
                            }
                        }
                    }
                }
                RedirKind::DupOut => {
                    let target = self.expand_string(th, &r.target)?;
                    let sink = match target.as_str() {
                        "1" => th.fds.out.clone(),
                        "2" => th.fds.err.clone(),
                        "-" => Sink::Null,
                        t if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() => Sink::Null,
                        t => {
                            // `>&file` is bash's `&>file` for fd 1.
                            match self.open_sink(th, t, false) {
                                Ok(s) => {
                                    th.fds.err = s.clone();
                                    s
                                }
                                Err(msg) => return Ok(Some(msg)),
                            }
                        }
                    };
                    set_fd(th, r.fd, sink);
                }
                RedirKind::DupIn => {
                    let target = self.expand_string(th, &r.target)?;
                    if r.fd == 0 && target != "0" {
                        th.fds.input = Input::Null;
                    }
                }
                RedirKind::HereDoc | RedirKind::HereString => {
                    let mut body = self.expand_string(th, &r.target)?;
                    if r.kind == RedirKind::HereString {
                        body.push('\n');
                    }
                    if r.fd == 0 {
                        let id = th.new_pipe(body);
                        th.fds.input = Input::Pipe(id);
                    }
                }
            }
        }
        Ok(None)
    }

    /// Opens an output target: `/dev/null`, `/dev/stdout`, or a file (created/truncated now).
    fn open_sink(&mut self, th: &mut Thread, target: &str, append: bool) -> Result<Sink, String> {
        match target {
            "/dev/null" => return Ok(Sink::Null),
            "/dev/stdout" | "/proc/self/fd/1" | "/dev/fd/1" => return Ok(th.fds.out.clone()),
            "/dev/stderr" | "/proc/self/fd/2" | "/dev/fd/2" => return Ok(th.fds.err.clone()),
            "/proc/1/fd/1" => return Ok(Sink::Stdout),
            "/proc/1/fd/2" => return Ok(Sink::Stderr),
            "" => {
                return Err(match th.env.dialect {
                    Dialect::Bash => ": No such file or directory".to_string(),
                    Dialect::Ash => "can't create : No such file or directory".to_string(),
                    Dialect::Dash => "cannot create : Directory nonexistent".to_string(),
                })
            }
            _ => {}
        }
        let path = util::resolve_path(&th.env.cwd, target);
        let result = if self.host.is_dir(&path) { Err("Is a directory".to_string()) } else { self.host.write_file(&path, "", append) };
        match result {
            Ok(()) => Ok(Sink::File(path)),
            Err(why) => Err(match th.env.dialect {
                Dialect::Ash => format!("can't create {target}: {why}"),
                Dialect::Dash => {
                    let why = if why.contains("No such file") { "Directory nonexistent".to_string() } else { why };
                    format!("cannot create {target}: {why}")
                }
                Dialect::Bash => format!("{target}: {why}"),
            }),
        }
    }
}

fn set_fd(th: &mut Thread, fd: u32, sink: Sink) {
    match fd {
        1 => th.fds.out = sink,
        2 => th.fds.err = sink,
        _ => {}
    }
}

/// The traps of the thread's own process: while a subshell (pipeline stage, `( … )`, child
/// `sh -c`) runs in the thread, the process's environment is the one saved by the outermost
/// subshell frame. Signals from outside are judged against these.
pub(crate) fn process_traps(th: &Thread) -> &BTreeMap<TrapCond, TrapAction> {
    for f in &th.frames {
        if let Frame::Subshell { env, .. } = f {
            return &env.traps;
        }
    }
    &th.env.traps
}

/// Traps are reset in a subshell, except ignored signals, which stay ignored.
pub(crate) fn reset_traps(env: &mut Env) {
    env.traps.retain(|_, a| *a == TrapAction::Ignore);
}

pub(crate) fn restore_vars(th: &mut Thread, saved: Vec<(String, Option<Var>)>) {
    for (name, old) in saved.into_iter().rev() {
        match old {
            Some(v) => {
                th.env.vars.insert(name, v);
            }
            None => {
                th.env.vars.remove(&name);
            }
        }
    }
}

fn trace_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Truncates a string to at most `max` bytes on a character boundary.
pub(crate) fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while cut > 0 && !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// What a shell invocation (`sh [-opts] -c script [name args…]`, `sh file args…`) runs.
#[derive(Clone, Debug)]
pub(crate) struct Invocation {
    pub script: String,
    pub arg0: String,
    pub positional: Vec<String>,
    pub opts: Opts,
    pub script_file: bool,
}

/// Parses a shell's argv. `Err((message, exit code))` for `-c` without a script or a missing
/// script file. `stdin`: the script text when there is neither `-c` nor a file.
pub(crate) fn invocation(argv: &[String], dialect: Dialect, cwd: &str, host: &dyn ShellHost, stdin: Option<String>) -> Result<Invocation, (String, i32)> {
    let arg0 = argv.first().cloned().unwrap_or_else(|| "sh".to_string());
    let mut opts = Opts::default();
    let mut command_mode = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" || a == "-" {
            i += 1;
            break;
        }
        if a.starts_with("--") {
            // bash long options (`--login`, `--norc`, `--noprofile`): accepted, no effect.
            i += 1;
            continue;
        }
        let (on, flags) = match a.strip_prefix('-') {
            Some(f) if !f.is_empty() => (true, f),
            _ => match a.strip_prefix('+') {
                Some(f) if !f.is_empty() => (false, f),
                _ => break,
            },
        };
        i += 1;
        for f in flags.chars() {
            match f {
                'c' => command_mode = true,
                'e' => opts.errexit = on,
                'x' => opts.xtrace = on,
                'u' => opts.nounset = on,
                'f' => opts.noglob = on,
                'o' => {
                    if let Some(name) = argv.get(i) {
                        if name == "pipefail" {
                            opts.pipefail = on;
                        } else if name == "errexit" {
                            opts.errexit = on;
                        } else if name == "nounset" {
                            opts.nounset = on;
                        } else if name == "xtrace" {
                            opts.xtrace = on;
                        }
                        i += 1;
                    }
                }
                _ => {}
            }
        }
    }
    let rest: Vec<String> = argv.get(i..).map(<[String]>::to_vec).unwrap_or_default();
    let name = util::basename(&arg0);
    if command_mode {
        let Some(script) = rest.first().cloned() else {
            let msg = match dialect {
                Dialect::Bash => format!("{arg0}: -c: option requires an argument\n"),
                Dialect::Dash => format!("{arg0}: 0: -c requires an argument\n"),
                Dialect::Ash => format!("{arg0}: -c requires an argument\n"),
            };
            return Err((msg, 2));
        };
        let (zero, positional) = match rest.get(1) {
            Some(z) => (z.clone(), rest[2..].to_vec()),
            None => (arg0.clone(), Vec::new()),
        };
        return Ok(Invocation { script, arg0: zero, positional, opts, script_file: false });
    }
    if let Some(file) = rest.first() {
        let path = util::resolve_path(cwd, file);
        return match host.read_file(&path) {
            Some(text) => Ok(Invocation { script: text, arg0: file.clone(), positional: rest[1..].to_vec(), opts, script_file: true }),
            None => Err(match dialect {
                Dialect::Bash => (format!("{arg0}: {file}: No such file or directory\n"), 127),
                Dialect::Dash => (format!("{arg0}: 0: cannot open {file}: No such file\n"), 2),
                Dialect::Ash => (format!("{name}: can't open '{file}': No such file or directory\n"), 2),
            }),
        };
    }
    // No script: the shell reads standard input, which a container does not have by default,
    // so it exits 0 at once (why a bare `busybox` container "Completed").
    Ok(Invocation { script: stdin.unwrap_or_default(), arg0, positional: Vec::new(), opts, script_file: false })
}

/// The environment of a freshly started shell.
pub(crate) fn child_env(vars: &BTreeMap<String, String>, inv: &Invocation, dialect: Dialect, cwd: String) -> Env {
    let vars = vars.iter().map(|(k, v)| (k.clone(), Var { value: v.clone(), exported: true, readonly: false })).collect();
    Env {
        vars,
        positional: inv.positional.clone(),
        arg0: inv.arg0.clone(),
        cwd,
        traps: BTreeMap::new(),
        funcs: BTreeMap::new(),
        opts: inv.opts,
        last_bg: None,
        dialect,
        script_file: inv.script_file,
    }
}

/// The interpreter named by a script's `#!` line.
pub(crate) fn shebang_interpreter(text: &str) -> Option<String> {
    let first = text.lines().next()?;
    let rest = first.strip_prefix("#!")?.trim();
    let mut words = rest.split_whitespace();
    let prog = words.next()?;
    if util::basename(prog) == "env" {
        return words.next().map(str::to_string);
    }
    Some(prog.to_string())
}
