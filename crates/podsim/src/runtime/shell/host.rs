//! The boundary between the shell and the simulated node: everything a container's process can
//! observe or change outside its own memory goes through [`ShellHost`].
//!
//! The shell owns no state shared with other containers. Files, the network, DNS, memory and the
//! image's programs all belong to the host (the kubelet/runtime), so that `emptyDir` volumes are
//! really shared, two containers of a pod really reach each other on `localhost`, and the memory
//! limit is enforced in one place. The host is also the only clock: the shell never reads time
//! except through [`ShellHost::now_ms`].

/// Signals the simulator can deliver. Numbers are Linux x86-64 ones, which is what exit codes
/// (`128 + n`) and `kill -l` show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    Hup,
    Int,
    Quit,
    Kill,
    Usr1,
    Usr2,
    Pipe,
    Alrm,
    Term,
    Chld,
    Cont,
    Stop,
    Tstp,
    Winch,
}

impl Signal {
    /// Every signal, in number order (for `kill -l` and parsing).
    pub const ALL: [Signal; 14] = [
        Signal::Hup,
        Signal::Int,
        Signal::Quit,
        Signal::Kill,
        Signal::Usr1,
        Signal::Usr2,
        Signal::Pipe,
        Signal::Alrm,
        Signal::Term,
        Signal::Chld,
        Signal::Cont,
        Signal::Stop,
        Signal::Tstp,
        Signal::Winch,
    ];

    /// The Linux signal number.
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Usr2 => 12,
            Signal::Pipe => 13,
            Signal::Alrm => 14,
            Signal::Term => 15,
            Signal::Chld => 17,
            Signal::Cont => 18,
            Signal::Stop => 19,
            Signal::Tstp => 20,
            Signal::Winch => 28,
        }
    }

    /// The name without the `SIG` prefix (`TERM`).
    pub fn name(self) -> &'static str {
        match self {
            Signal::Hup => "HUP",
            Signal::Int => "INT",
            Signal::Quit => "QUIT",
            Signal::Kill => "KILL",
            Signal::Usr1 => "USR1",
            Signal::Usr2 => "USR2",
            Signal::Pipe => "PIPE",
            Signal::Alrm => "ALRM",
            Signal::Term => "TERM",
            Signal::Chld => "CHLD",
            Signal::Cont => "CONT",
            Signal::Stop => "STOP",
            Signal::Tstp => "TSTP",
            Signal::Winch => "WINCH",
        }
    }

    /// Parses `TERM`, `SIGTERM`, `sigterm` or `15`.
    pub fn parse(text: &str) -> Option<Signal> {
        if let Ok(n) = text.parse::<i32>() {
            return Signal::ALL.into_iter().find(|s| s.number() == n);
        }
        let upper = text.to_ascii_uppercase();
        let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
        Signal::ALL.into_iter().find(|s| s.name() == bare)
    }

    /// Whether the signal's default action ends a process that is not PID 1 (SIGCHLD, SIGCONT
    /// and SIGWINCH are ignored by default; SIGSTOP/SIGTSTP stop rather than end, which the
    /// simulator does not model, so they count as "no effect").
    pub fn terminates_by_default(self) -> bool {
        !matches!(self, Signal::Chld | Signal::Cont | Signal::Winch | Signal::Stop | Signal::Tstp)
    }
}

/// Which shell implementation interprets a script. They differ in error wording, in `echo`, and
/// in bash-only syntax such as `{1..5}` brace expansion, which `sh` leaves literal on a real
/// cluster too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// BusyBox `ash` (busybox, alpine images): `sh: foo: not found`.
    Ash,
    /// Debian's `dash` (`/bin/sh` on debian, ubuntu, nginx…): `sh: 1: foo: not found`.
    Dash,
    /// GNU bash: `bash: line 1: foo: command not found`, brace expansion.
    Bash,
}

/// An image program (a server such as nginx, redis, the kubia app) that the host started for the
/// shell. The host does the program's side effects (listening on ports, start-up log lines); the
/// shell only waits on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramStart {
    /// The host's handle for this running program, passed back in
    /// [`ShellHost::signal_image_program`] and [`ShellHost::image_program_stopped`].
    pub handle: u64,
    /// `Some`: the program ends on its own (a one-shot tool, or a server that refuses to start).
    /// `None`: it runs until a signal ends it.
    pub exit: Option<ProgramExit>,
}

/// How and when an image program ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramExit {
    /// Delay from now (start, or signal arrival) until the exit.
    pub after_ms: u64,
    /// The exit code.
    pub code: i32,
}

/// What the shell needs from the simulated node. Paths handed to the host are always absolute
/// and normalised (`/a/b`, no `.`/`..`, no trailing slash except `/`).
pub trait ShellHost {
    /// Virtual time now, in milliseconds since the start of the simulation.
    fn now_ms(&self) -> u64;
    /// Text the process writes to its standard output (the container log). Not necessarily whole
    /// lines: `echo -n`/`printf` may write fragments.
    fn stdout(&mut self, text: &str);
    /// Text the process writes to its standard error (the container log too).
    fn stderr(&mut self, text: &str);

    /// A regular file's content, `None` if it does not exist or is a directory.
    fn read_file(&self, path: &str) -> Option<String>;
    /// Writes (or appends to) a regular file, creating it. `Err` carries the errno text
    /// (`No such file or directory`, `Is a directory`, `Read-only file system`).
    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String>;
    /// Removes a file or (with `recursive`) a directory tree. `Err` carries the errno text.
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), String>;
    /// Creates a directory (`parents`: and the missing ones above it, no error if it exists).
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String>;
    /// Whether anything (file or directory) exists at `path`.
    fn exists(&self, path: &str) -> bool;
    /// Whether `path` is a directory.
    fn is_dir(&self, path: &str) -> bool;
    /// The names (not paths) in a directory, `None` if it is not a directory.
    fn list_dir(&self, path: &str) -> Option<Vec<String>>;

    /// Whether the image ships this program (by basename: `sh`, `bash`, `wget`, `nginx`…). Must be
    /// true for image entrypoints and servers too, since `spawn` refuses an unknown `argv[0]`.
    fn has_program(&self, name: &str) -> bool;
    /// An HTTP GET. `Ok((status, body))`, or `Err` with the transport error text
    /// (`Connection refused`). URLs always carry a scheme (`http://host:port/path`).
    fn http_get(&mut self, url: &str) -> Result<(u16, String), String>;
    /// A TCP connection attempt (`nc -z`). `Err` carries the error text.
    fn tcp_connect(&mut self, host: &str, port: u16) -> Result<(), String>;
    /// Cluster DNS with the pod's search path: a name to an IPv4 address. The shell answers
    /// `localhost` and IP literals itself.
    fn resolve(&self, name: &str) -> Option<String>;
    /// The container's hostname (the pod name, or `spec.hostname`).
    fn hostname(&self) -> String;
    /// The process allocates `bytes` more memory. `Err` = the container's memory limit (or the
    /// node's memory) was hit: the kernel OOM-kills the container.
    #[allow(clippy::result_unit_err)]
    fn allocate(&mut self, bytes: u64) -> Result<(), ()>;
    /// Starts an image program (nginx, `node app.js`, redis-server, an entrypoint script) if argv
    /// names one this image runs. `None`: not an image program.
    fn run_image_program(&mut self, argv: &[String]) -> Option<ProgramStart>;

    /// A signal reached a running image program. `pid1` says whether it is the container's PID 1
    /// (signals sent by the kubelet), as opposed to a child signalled by the script's `kill`.
    /// Return how it exits, or `None` if it ignores the signal. When it ignores a signal while
    /// not PID 1, the shell applies the kernel's default action instead (death by `128 + n`).
    fn signal_image_program(&mut self, handle: u64, signal: Signal, pid1: bool) -> Option<ProgramExit> {
        let _ = (handle, signal, pid1);
        None
    }
    /// An image program stopped (it exited, was killed, or its process went away) so the host can
    /// close its ports. Not called when the whole container ends: the host knows that already.
    fn image_program_stopped(&mut self, handle: u64) {
        let _ = handle;
    }
    /// The image has a program the shell does not simulate (`sed`, `apt-get`…); it runs as a
    /// silent success. The host may record a note for the learner.
    fn unsimulated_program(&mut self, argv: &[String]) {
        let _ = argv;
    }
    /// Which shell a shell program name (`sh`, `bash`, `ash`, `dash`) is in this image.
    fn shell_dialect(&self, program: &str) -> Dialect {
        match program {
            "bash" => Dialect::Bash,
            "dash" => Dialect::Dash,
            _ => Dialect::Ash,
        }
    }
    /// Unix time in milliseconds at virtual time 0, for `date` (default 2026-01-01T00:00:00Z).
    fn epoch_unix_ms(&self) -> i64 {
        1_767_225_600_000
    }
    /// The cluster DNS server address `nslookup` prints.
    fn dns_server(&self) -> String {
        "10.96.0.10".to_string()
    }
    /// Seed for `$RANDOM`, so scripts that use it stay deterministic per container.
    fn random_seed(&self) -> u64 {
        0x5eed
    }
}
