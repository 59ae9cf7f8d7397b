//! An in-memory [`ShellHost`] for tests (this module's and the kubelet's): a tiny file system,
//! canned HTTP/TCP/DNS answers, a memory limit, image programs and a settable clock, with every
//! byte the process writes recorded.
//!
//! ```text
//! let mut host = FakeHost::busybox();
//! let mut p = Process::spawn(&argv(&["sh", "-c", "echo hi; sleep 5"]), &BTreeMap::new(), &host)?;
//! assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 5000 });
//! host.now_ms = 5000;
//! ```

use std::collections::{BTreeMap, BTreeSet};

use super::host::{ProgramExit, ProgramStart, ShellHost, Signal};

/// BusyBox's applets the fake image ships by default.
pub const BUSYBOX_PROGRAMS: &[&str] = &[
    "sh", "ash", "sleep", "echo", "printf", "cat", "touch", "rm", "rmdir", "mkdir", "ls", "test", "[", "true", "false", "date", "hostname", "nslookup", "wget", "tail", "head", "nc", "kill", "env",
    "printenv", "grep", "egrep", "fgrep", "wc", "seq", "expr", "cp", "mv", "pwd", "id", "uname", "whoami", "basename", "dirname", "sort", "uniq", "tee", "tr", "chmod", "chown", "sync", "timeout", "nohup",
    "usleep", "sed", "awk",
];

/// How a fake image program behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeProgram {
    /// Lines written to stdout when it starts.
    pub start_log: Vec<String>,
    /// Ends by itself.
    pub exit: Option<ProgramExit>,
    /// Reaction to SIGTERM (when PID 1 or signalled by `kill`); `None` ignores it.
    pub on_term: Option<ProgramExit>,
}

/// The in-memory host.
#[derive(Clone, Debug, Default)]
pub struct FakeHost {
    pub now_ms: u64,
    pub stdout: String,
    pub stderr: String,
    /// stdout and stderr interleaved, as `kubectl logs` shows them.
    pub log: String,
    pub files: BTreeMap<String, String>,
    pub dirs: BTreeSet<String>,
    pub programs: BTreeSet<String>,
    /// URL (`http://host:port/path`, host as written by the script) → response or error text.
    /// Unknown URLs answer `Connection refused`.
    pub http: BTreeMap<String, Result<(u16, String), String>>,
    /// (ip, port) pairs that accept connections.
    pub open_ports: BTreeSet<(String, u16)>,
    pub dns: BTreeMap<String, String>,
    pub hostname: String,
    pub memory_limit: Option<u64>,
    pub memory_used: u64,
    pub image_programs: BTreeMap<String, FakeProgram>,
    /// argv of every image program started, in order.
    pub started: Vec<Vec<String>>,
    /// Handles of image programs stopped.
    pub stopped: Vec<u64>,
    /// (handle, signal, pid1) for every signal an image program received.
    pub signals: Vec<(u64, Signal, bool)>,
    /// argv of programs that ran as "not simulated".
    pub unsimulated: Vec<Vec<String>>,
    next_handle: u64,
    handle_names: BTreeMap<u64, String>,
}

impl FakeHost {
    /// A BusyBox-like image: applets, `/tmp`, the service-account namespace file (`default`),
    /// hostname `pod`.
    pub fn busybox() -> FakeHost {
        let mut h = FakeHost { hostname: "pod".to_string(), ..FakeHost::default() };
        for d in ["/", "/tmp", "/etc", "/root", "/var", "/var/run", "/var/run/secrets", "/var/run/secrets/kubernetes.io", "/var/run/secrets/kubernetes.io/serviceaccount"] {
            h.dirs.insert(d.to_string());
        }
        h.files.insert("/var/run/secrets/kubernetes.io/serviceaccount/namespace".to_string(), "default".to_string());
        h.files.insert("/etc/hostname".to_string(), "pod\n".to_string());
        for p in BUSYBOX_PROGRAMS {
            h.programs.insert((*p).to_string());
        }
        h
    }

    /// Adds programs the image ships.
    pub fn with_programs(mut self, names: &[&str]) -> FakeHost {
        for n in names {
            self.programs.insert((*n).to_string());
        }
        self
    }

    /// Removes programs from the image.
    pub fn without_programs(mut self, names: &[&str]) -> FakeHost {
        for n in names {
            self.programs.remove(*n);
        }
        self
    }

    /// Registers an image program by name (it is also added to `programs`).
    pub fn with_image_program(mut self, name: &str, program: FakeProgram) -> FakeHost {
        self.programs.insert(name.to_string());
        self.image_programs.insert(name.to_string(), program);
        self
    }

    /// Creates a file (and its parent directories).
    pub fn put_file(&mut self, path: &str, content: &str) {
        let mut dir = parent(path);
        while dir != "/" {
            self.dirs.insert(dir.clone());
            dir = parent(&dir);
        }
        self.files.insert(path.to_string(), content.to_string());
    }

    fn is_parent_dir_ok(&self, path: &str) -> bool {
        self.dirs.contains(&parent(path))
    }
}

fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => path[..i].to_string(),
    }
}

impl ShellHost for FakeHost {
    fn now_ms(&self) -> u64 {
        self.now_ms
    }
    fn stdout(&mut self, text: &str) {
        self.stdout.push_str(text);
        self.log.push_str(text);
    }
    fn stderr(&mut self, text: &str) {
        self.stderr.push_str(text);
        self.log.push_str(text);
    }
    fn read_file(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }
    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String> {
        if self.dirs.contains(path) {
            return Err("Is a directory".to_string());
        }
        if !self.is_parent_dir_ok(path) {
            return Err("No such file or directory".to_string());
        }
        let entry = self.files.entry(path.to_string()).or_default();
        if append {
            entry.push_str(data);
        } else {
            *entry = data.to_string();
        }
        Ok(())
    }
    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), String> {
        if self.files.remove(path).is_some() {
            return Ok(());
        }
        if !self.dirs.contains(path) {
            return Err("No such file or directory".to_string());
        }
        let prefix = format!("{}/", path.trim_end_matches('/'));
        let has_children = self.files.keys().any(|k| k.starts_with(&prefix)) || self.dirs.iter().any(|d| d.starts_with(&prefix));
        if has_children && !recursive {
            return Err("Directory not empty".to_string());
        }
        self.files.retain(|k, _| !k.starts_with(&prefix));
        self.dirs.retain(|d| !d.starts_with(&prefix) && d != path);
        Ok(())
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String> {
        if self.files.contains_key(path) {
            return Err("File exists".to_string());
        }
        if parents {
            let mut p = path.to_string();
            while p != "/" {
                self.dirs.insert(p.clone());
                p = parent(&p);
            }
            return Ok(());
        }
        if !self.is_parent_dir_ok(path) {
            return Err("No such file or directory".to_string());
        }
        self.dirs.insert(path.to_string());
        Ok(())
    }
    fn exists(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.dirs.contains(path)
    }
    fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path)
    }
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        if !self.dirs.contains(path) {
            return None;
        }
        let prefix = if path == "/" { "/".to_string() } else { format!("{path}/") };
        let mut names = BTreeSet::new();
        for k in self.files.keys().chain(self.dirs.iter()) {
            if let Some(rest) = k.strip_prefix(&prefix) {
                if !rest.is_empty() && !rest.contains('/') {
                    names.insert(rest.to_string());
                }
            }
        }
        Some(names.into_iter().collect())
    }
    fn has_program(&self, name: &str) -> bool {
        self.programs.contains(name)
    }
    fn http_get(&mut self, url: &str) -> Result<(u16, String), String> {
        self.http.get(url).cloned().unwrap_or_else(|| Err("Connection refused".to_string()))
    }
    fn tcp_connect(&mut self, host: &str, port: u16) -> Result<(), String> {
        if self.open_ports.contains(&(host.to_string(), port)) {
            Ok(())
        } else {
            Err("Connection refused".to_string())
        }
    }
    fn resolve(&self, name: &str) -> Option<String> {
        self.dns.get(name).cloned()
    }
    fn hostname(&self) -> String {
        self.hostname.clone()
    }
    fn allocate(&mut self, bytes: u64) -> Result<(), ()> {
        let used = self.memory_used.saturating_add(bytes);
        if self.memory_limit.is_some_and(|l| used > l) {
            return Err(());
        }
        self.memory_used = used;
        Ok(())
    }
    fn run_image_program(&mut self, argv: &[String]) -> Option<ProgramStart> {
        let name = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_string())?;
        let program = self.image_programs.get(&name)?.clone();
        self.started.push(argv.to_vec());
        for line in &program.start_log {
            self.stdout(&format!("{line}\n"));
        }
        self.next_handle += 1;
        self.handle_names.insert(self.next_handle, name);
        Some(ProgramStart { handle: self.next_handle, exit: program.exit })
    }
    fn signal_image_program(&mut self, handle: u64, signal: Signal, pid1: bool) -> Option<ProgramExit> {
        self.signals.push((handle, signal, pid1));
        let name = self.handle_names.get(&handle)?;
        let program = self.image_programs.get(name)?;
        if signal == Signal::Term {
            program.on_term
        } else {
            None
        }
    }
    fn image_program_stopped(&mut self, handle: u64) {
        self.stopped.push(handle);
    }
    fn unsimulated_program(&mut self, argv: &[String]) {
        self.unsimulated.push(argv.to_vec());
    }
}

/// `&["sh", "-c", "…"]` → `Vec<String>`.
pub fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}
