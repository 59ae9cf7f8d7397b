//! The container side of the process model: what a container's program sees. Implements the
//! shell's `ShellHost` over the pod's runtime record — its own filesystem plus shared volumes,
//! the pod's network namespace (servers of every container, `localhost`), cluster DNS and
//! Services, the memory limit — and runs programs, probes, hooks and `kubectl exec` with it.

use std::collections::BTreeMap;

use super::catalog::{self, Image, Server};
use super::shell::{self, Dialect, ProgramExit, ProgramStart, ShellHost, Signal};
use super::{Files, PodRuntime};
use crate::api::{Container, EnvValue, Handler, Pod, PortRef, Probe, Uid, VolumeSource};
use crate::sim::{Command, Ctx, Out};
use crate::time::SimTime;
use crate::world::{AccessRequest, LogLine, LogLines, World};

/// A server program an image started (nginx, redis, the kubia app…), listening on its ports.
#[derive(Clone, Debug)]
pub struct RunningServer {
    pub handle: u64,
    pub server: &'static Server,
    pub started_ms: SimTime,
}

/// A container's running program: the shell process and the image servers it started.
#[derive(Clone, Debug)]
pub struct Program {
    pub process: shell::Process,
    pub servers: Vec<RunningServer>,
    pub next_handle: u64,
}

/// What a process step reports to the kubelet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgStep {
    Sleeping(SimTime),
    Blocked,
    Exited(i32),
    Oom,
}

impl From<shell::Step> for ProgStep {
    fn from(s: shell::Step) -> ProgStep {
        match s {
            shell::Step::Sleeping { wake_at_ms } => ProgStep::Sleeping(wake_at_ms),
            shell::Step::Blocked => ProgStep::Blocked,
            shell::Step::Exited { code } => ProgStep::Exited(code),
            shell::Step::OomKilled => ProgStep::Oom,
        }
    }
}

/// The result of a probe attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeOutcome {
    pub success: bool,
    /// 3xx answers: success with a `ProbeWarning`.
    pub warning: bool,
    pub output: String,
}

/// The result of a hook or an exec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerResult {
    pub ok: bool,
    pub output: String,
    pub elapsed_ms: u64,
}

/// The result of `kubectl exec`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecResult {
    pub exit_code: i32,
    pub output: String,
}

/// The `ShellHost` a container's program runs against.
struct Host<'a> {
    w: &'a World,
    ctx: &'a Ctx,
    pod: &'a Pod,
    rt: RtRef<'a>,
    container: &'a str,
    /// The container's image in the catalog, looked up when first needed (a network probe,
    /// which only talks to the servers already running, never needs it).
    image: std::cell::OnceCell<Option<&'static Image>>,
    /// Image servers of the program being run: borrowed from its instance, copied only if the
    /// program starts or stops one (a probe asking a server only looks, ten thousand times).
    servers: std::borrow::Cow<'a, [RunningServer]>,
    next_handle: &'a mut u64,
    /// Lines written during this step before `log`'s text: access log lines kept as their
    /// parts (`LogLine::Access`), and the text lines written before them.
    lines: LogLines,
    /// Log text written during this step (after `lines`).
    log: String,
    /// Side effects on other containers (their access logs).
    cmds: Vec<Command>,
    /// Shared-volume files written during this step: (volume, relative path).
    touched: Vec<(String, String)>,
    /// Virtual time offset inside a run-to-completion (exec, hooks).
    now_ms: SimTime,
    /// The container's memory limit (or the node's allocatable), looked up when a program first
    /// allocates: most steps (probes, sleeps) never ask.
    memory_limit: std::cell::OnceCell<u64>,
    restart_count: i32,
    /// The container's initial filesystem, built here when a program reads it before anything
    /// wrote it (the instance keeps no copy until then: see `Instance::files`).
    initial_files: std::cell::OnceCell<Files>,
}

/// The pod's runtime record as a host sees it: writable for programs, hooks and exec; read-only
/// for network probes, which only look (so a probe tick need not copy the record).
enum RtRef<'a> {
    Mut(&'a mut PodRuntime),
    Read(&'a PodRuntime),
}

impl RtRef<'_> {
    fn get(&self) -> &PodRuntime {
        match self {
            RtRef::Mut(rt) => rt,
            RtRef::Read(rt) => rt,
        }
    }

    fn get_mut(&mut self) -> Option<&mut PodRuntime> {
        match self {
            RtRef::Mut(rt) => Some(rt),
            RtRef::Read(_) => None,
        }
    }
}

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

impl Host<'_> {
    /// The container's image in the catalog (the spec's, looked up once per host).
    fn image(&self) -> Option<&'static Image> {
        *self.image.get_or_init(|| self.pod.spec.all_containers().find(|c| c.name == self.container).and_then(|c| catalog::lookup(&c.image)))
    }

    fn instance_files(&mut self) -> Option<&mut Files> {
        let (container, pod) = (self.container, self.pod);
        let rt = self.rt.get_mut()?;
        // (The sandbox's field, not `rt.ip()`: the container is borrowed from `rt` below.)
        let ip = match &rt.sandbox {
            crate::runtime::Sandbox::Ready { ip, .. } => ip.as_str(),
            _ => "",
        };
        let inst = rt.containers.get_mut(container).and_then(|c| c.instance.as_mut())?;
        // The first write gives the instance its own copy of the initial filesystem.
        let files = inst.files.get_or_insert_with(|| std::sync::Arc::new(self.initial_files.take().unwrap_or_else(|| initial_files(pod, ip.to_string()))));
        Some(std::sync::Arc::make_mut(files))
    }

    /// Maps an absolute path to (volume name or None for the container's own fs, path inside it).
    fn locate(&self, path: &str) -> (Option<String>, String) {
        let c = self.pod.spec.all_containers().find(|c| c.name == self.container);
        let mut best: Option<(&str, &str)> = None;
        if let Some(c) = c {
            for m in &c.volume_mounts {
                let mp = m.mount_path.trim_end_matches('/');
                if (path == mp || path.starts_with(&format!("{mp}/"))) && best.is_none_or(|(b, _)| mp.len() > b.len()) {
                    best = Some((mp, &m.name));
                }
            }
        }
        match best {
            Some((mp, vol)) => {
                let rel = path[mp.len()..].trim_start_matches('/');
                (Some(vol.to_string()), format!("/{rel}"))
            }
            None => (None, path.to_string()),
        }
    }

    fn files(&mut self, vol: &Option<String>) -> Option<&mut Files> {
        match vol {
            Some(v) => self.rt.get_mut()?.volumes.get_mut(v).map(std::sync::Arc::make_mut),
            None => self.instance_files(),
        }
    }

    fn files_ref(&self, vol: &Option<String>) -> Option<&Files> {
        match vol {
            Some(v) => self.rt.get().volumes.get(v).map(|f| &**f),
            None => {
                let inst = self.rt.get().containers.get(self.container).and_then(|c| c.instance.as_ref())?;
                Some(match &inst.files {
                    Some(files) => &**files,
                    None => self.initial_files.get_or_init(|| initial_files(self.pod, self.pod_ip().to_string())),
                })
            }
        }
    }

    fn read_only(&self, path: &str) -> bool {
        let c = self.pod.spec.all_containers().find(|c| c.name == self.container);
        let (vol, _) = self.locate(path);
        let Some(vol) = vol else { return false };
        let mount_ro = c.is_some_and(|c| c.volume_mounts.iter().any(|m| m.name == vol && m.read_only));
        let source_ro = self.pod.spec.volumes.iter().any(|v| v.name == vol && matches!(v.source, VolumeSource::ConfigMap { .. } | VolumeSource::Secret { .. }));
        mount_ro || source_ro
    }

    fn pod_ip(&self) -> &str {
        self.rt.get().ip().unwrap_or_default()
    }

    /// Finds which pod answers on an IP: (uid, ip) of a pod, following Services to an endpoint.
    fn target_for(&self, host: &str, port: u16) -> Result<(Target, u16), String> {
        let own_ip = self.pod_ip();
        if host == "localhost" || host == "127.0.0.1" || host == own_ip || host == "0.0.0.0" {
            return Ok((Target::Own, port));
        }
        let ip = if host.parse::<std::net::Ipv4Addr>().is_ok() { host.to_string() } else { self.resolve(host).ok_or_else(|| format!("bad address '{host}'"))? };
        if let Some(svc) = self.w.services.values().find(|s| s.cluster_ip == ip) {
            let sp = svc.ports.iter().find(|p| p.port == i32::from(port)).ok_or_else(|| "Connection refused".to_string())?;
            let endpoints = crate::runtime::host::endpoints(self.w, svc);
            if endpoints.is_empty() {
                return Err("Connection refused".into());
            }
            // kube-proxy picks an endpoint at random; here by a seeded draw for this instant.
            let pick = crate::rng::Rng::stream_args(self.ctx.seed, format_args!("svc/{}/{}", svc.meta.name, self.now_ms)).below(endpoints.len() as u64) as usize;
            let (uid, _, pod) = &endpoints[pick];
            let target_port = match &sp.target_port {
                PortRef::Number(n) => *n as u16,
                PortRef::Name(name) => pod.spec.all_containers().flat_map(|c| c.ports.iter()).find(|p| &p.name == name).map_or(0, |p| p.container_port as u16),
            };
            if uid == &self.rt.get().uid {
                return Ok((Target::Own, target_port));
            }
            return Ok((Target::Other(uid.clone()), target_port));
        }
        // Pod IPs are unique unless two nodes were given the same podCIDR; then the first by
        // (node, uid) answers, whatever the hashed maps' order.
        let owner = self.w.runtimes.iter().flat_map(|(node, r)| r.pods.values().map(move |p| (node, p))).filter(|(_, p)| p.ip() == Some(ip.as_str())).min_by(|a, b| (a.0, &a.1.uid).cmp(&(b.0, &b.1.uid)));
        match owner {
            Some((_, p)) if p.uid == self.rt.get().uid => Ok((Target::Own, port)),
            Some((_, p)) => Ok((Target::Other(p.uid.clone()), port)),
            None => Err("No route to host".into()),
        }
    }

    /// The server listening on `port` in the target pod, with its container name.
    fn listener(&self, target: &Target, port: u16) -> Option<(&str, RunningServer)> {
        fn find<'r>(rt: &'r PodRuntime, skip: Option<&str>, port: u16) -> Option<(&'r str, RunningServer)> {
            rt.containers.values().filter(|c| Some(c.name.as_str()) != skip).find_map(|c| {
                let prog = c.running()?.process.as_ref()?;
                prog.servers.iter().find(|s| s.server.ports.contains(&port)).map(|s| (c.name.as_str(), s.clone()))
            })
        }
        match target {
            Target::Own => {
                if let Some(s) = self.servers.iter().find(|s| s.server.ports.contains(&port)) {
                    return Some((self.container, s.clone()));
                }
                find(self.rt.get(), Some(self.container), port)
            }
            Target::Other(uid) => self.w.runtimes.values().find_map(|r| r.pods.get(uid)).and_then(|rt| find(rt, None, port)),
        }
    }

    fn target_pod(&self, target: &Target) -> Option<(&Pod, String)> {
        match target {
            Target::Own => Some((self.pod, self.pod_ip().to_string())),
            Target::Other(uid) => {
                let rt = self.w.runtimes.values().find_map(|r| r.pods.get(uid))?;
                Some((self.w.pod_by_uid(uid)?, rt.ip().unwrap_or_default().to_string()))
            }
        }
    }

    /// Answers one HTTP request. The body borrows the catalog's text when it is fixed (a probe
    /// every ten seconds on ten thousand pods should not copy a welcome page each time).
    fn serve(&mut self, target: &Target, port: u16, path: &str, agent: &str, memo: Option<&AccessMemo>) -> Result<(u16, std::borrow::Cow<'static, str>), String> {
        let Some((name, srv)) = self.listener(target, port) else { return Err("Connection refused".into()) };
        // The listening container is named only when it is another one (its log is a command).
        let mine = matches!(target, Target::Own) && name == self.container;
        let container = if mine { String::new() } else { name.to_string() };
        if !srv.server.http {
            return Err("Connection reset by peer".into());
        }
        let pod = match target {
            Target::Own => self.pod,
            Target::Other(_) => self.target_pod(target).ok_or_else(|| "Connection refused".to_string())?.0,
        };
        let uptime = self.now_ms.saturating_sub(srv.started_ms);
        let path_only = path.split('?').next().unwrap_or(path);
        let fixed_body = |body: &'static str| !has_placeholder(body);
        let (status, body) = match srv.server.routes.iter().find(|r| r.path == path_only).or_else(|| srv.server.routes.iter().find(|r| r.path == "*")) {
            Some(r) => {
                let status = match r.after_ms {
                    Some((after, later)) if uptime >= after => later,
                    _ => r.status,
                };
                let body = if status >= 400 {
                    format!("error: {status}").into()
                } else if fixed_body(r.body) {
                    // Most bodies are fixed text: no placeholder to fill (probes hit this every tick).
                    std::borrow::Cow::Borrowed(r.body)
                } else {
                    // (Read here only: a fixed body, what probes get, needs nothing of the pod.)
                    let hostname = if pod.spec.hostname.is_empty() { pod.meta.name.as_str() } else { pod.spec.hostname.as_str() };
                    r.body.replace("{hostname}", hostname).replace("{date}", &crate::time::rfc3339(self.w.unix_ms(self.now_ms))).replace("{loc}", &redirect_location(path).unwrap_or_default()).into()
                };
                (status, body)
            }
            None => (404, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>".into()),
        };
        if let Some(fmt) = srv.server.access_log {
            let unix_ms = self.w.unix_ms(self.now_ms);
            if mine && !self.log.is_empty() && !self.log.ends_with('\n') {
                // After a partial line: the access line continues it, as text.
                let ip = self.rt.get().ip().unwrap_or_default();
                self.log.reserve(access_log_capacity(fmt, ip, path, agent) + 1);
                push_access_log(&mut self.log, fmt, ip, path, status, agent, unix_ms);
                self.log.push('\n');
            } else if mine {
                // Kept as its parts, after the lines written before it.
                let text = std::mem::take(&mut self.log);
                self.lines.extend(text_lines(&text).map(|l| LogLine::Text(l.to_string())));
                let request = access_request_memo(memo, fmt, self.rt.get().ip().unwrap_or_default(), path, agent);
                self.lines.push(LogLine::Access { request, status, unix_ms });
            } else {
                let request = access_request_memo(memo, fmt, self.pod_ip(), path, agent);
                let restart_count = match target {
                    Target::Own => self.rt.get().containers.get(&container).and_then(|c| c.instance.as_ref()).map_or(0, |i| i.restart_count),
                    Target::Other(u) => self.w.runtimes.values().find_map(|r| r.pods.get(u)).and_then(|rt| rt.containers.get(&container)).and_then(|c| c.instance.as_ref()).map_or(0, |i| i.restart_count),
                };
                self.cmds.push(Command::Log { uid: pod.meta.uid.clone(), container: crate::memo::name(&container), restart_count, lines: LogLines::One(LogLine::Access { request, status, unix_ms }) });
            }
        }
        Ok((status, body))
    }
}

/// Whether a catalog text has a `{…}` placeholder to fill. Remembered per text (by address: the
/// catalog's texts are static): a probe every ten seconds on ten thousand nginx pods would
/// otherwise scan the welcome page each time.
fn has_placeholder(text: &'static str) -> bool {
    thread_local! {
        static SEEN: std::cell::RefCell<crate::memo::Memo<(usize, usize), bool, 256>> = const { std::cell::RefCell::new(crate::memo::Memo::new()) };
    }
    crate::memo::with(&SEEN, &crate::memo::address(text), |k| *k, |_| text.contains('{'), |has| *has)
}

/// The `loc` query parameter of a request path (agnhost's `/redirect?loc=URL`).
fn redirect_location(path: &str) -> Option<String> {
    let (_, query) = path.split_once('?')?;
    query.split('&').find_map(|kv| kv.strip_prefix("loc=")).map(str::to_string)
}

enum Target {
    Own,
    Other(Uid),
}

/// The lines of log text (a last line without its newline counts too).
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.split('\n').filter(move |_| !text.is_empty())
}

/// The shared parts of an access log line. A client asks a server the same path again and
/// again (a probe every few seconds), so the parts are remembered, by their hash, and every
/// line of that request shares them. A memo of values only: sharing changes no text. One request
/// per hash: another request with the same hash (rare) takes the place, and the next line of
/// the first gets parts of its own, equal to the earlier ones.
fn access_request(format: &'static str, ip: &str, path: &str, agent: &str) -> std::sync::Arc<AccessRequest> {
    use std::hash::{Hash, Hasher};
    thread_local! {
        static MEMO: std::cell::RefCell<crate::world::FastMap<u64, std::sync::Arc<AccessRequest>>> = std::cell::RefCell::new(Default::default());
    }
    let mut h = crate::world::FxHasher::default();
    (format.as_ptr() as usize, ip, path, agent).hash(&mut h);
    let key = h.finish();
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let same = |r: &AccessRequest| std::ptr::eq(r.format, format) && r.ip == ip && r.path == path && r.agent == agent;
        if let Some(found) = memo.get(&key).filter(|r| same(r)) {
            return found.clone();
        }
        // Bounded: past this many requests the memo starts over (lines keep their parts).
        if memo.len() >= 1 << 16 {
            memo.clear();
        }
        let request = std::sync::Arc::new(AccessRequest { format, ip: ip.to_string(), path: path.to_string(), agent: agent.to_string() });
        memo.insert(key, request.clone());
        request
    })
}

/// The parts of the access-log line a probe's request leaves, remembered by its probe target
/// (`ProbeTarget::access`). Ten thousand probes ask their servers every few seconds; finding the
/// parts in the shared memo (`access_request`) reads a table slot, the parts and their strings,
/// all cold, where this reads the target the tick has already read. A memo of values only: it
/// is used when the server's format and the client's IP are those it was made with (the path
/// and the agent are the probe's own, which never change), and then it gives equal parts.
#[derive(Clone, Default)]
pub struct AccessMemo(std::sync::OnceLock<AccessMemoEntry>);

#[derive(Clone)]
struct AccessMemoEntry {
    format: &'static str,
    /// The client's IP, inline (so checking it reads no other memory).
    ip: [u8; AccessMemo::IP_MAX],
    ip_len: u8,
    request: std::sync::Arc<AccessRequest>,
}

impl AccessMemo {
    /// An IPv6 address's longest text (with an IPv4 tail) is 45 bytes.
    const IP_MAX: usize = 45;
}

/// Not part of a target's identity: two targets are the same whatever they remember.
impl PartialEq for AccessMemo {
    fn eq(&self, _: &AccessMemo) -> bool {
        true
    }
}

impl Eq for AccessMemo {}

impl std::fmt::Debug for AccessMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessMemo")
    }
}

/// `access_request`, through a probe target's memo when there is one.
fn access_request_memo(memo: Option<&AccessMemo>, format: &'static str, ip: &str, path: &str, agent: &str) -> std::sync::Arc<AccessRequest> {
    let remembered = memo.and_then(|m| m.0.get()).filter(|e| std::ptr::eq(e.format, format) && &e.ip[..usize::from(e.ip_len)] == ip.as_bytes());
    if let Some(e) = remembered {
        debug_assert!(e.request.path == path && e.request.agent == agent, "a memo serves its probe's own request");
        return e.request.clone();
    }
    let request = access_request(format, ip, path, agent);
    // The first request fills the memo; a later one with another IP or server leaves it as it is.
    if let Some(memo) = memo.filter(|_| ip.len() <= AccessMemo::IP_MAX) {
        let mut bytes = [0u8; AccessMemo::IP_MAX];
        bytes[..ip.len()].copy_from_slice(ip.as_bytes());
        let _ = memo.0.set(AccessMemoEntry { format, ip: bytes, ip_len: ip.len() as u8, request: request.clone() });
    }
    request
}

/// An access log line from its format: `{ip}`, `{path}`, `{status}`, `{agent}`, `{date}` filled
/// in one pass (what `LogLine::Access` writes out; the tests check it directly).
#[cfg(test)]
fn fill_access_log(fmt: &'static str, ip: &str, path: &str, status: u16, agent: &str, unix_ms: i64) -> String {
    let mut line = String::with_capacity(access_log_capacity(fmt, ip, path, agent));
    push_access_log(&mut line, fmt, ip, path, status, agent, unix_ms);
    line
}

/// Room for an access log line: the format, the strings it takes, and the status and date.
fn access_log_capacity(fmt: &str, ip: &str, path: &str, agent: &str) -> usize {
    fmt.len() + ip.len() + path.len() + agent.len() + 32
}

/// One piece of an access-log format: text written as it is, or a placeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogPiece {
    Text(&'static str),
    Ip,
    Path,
    Status,
    Agent,
    Date,
}

/// Splits an access-log format into pieces. A name other than the five placeholders stays as
/// written, braces included, and so does a `{` with no `}` after it.
fn split_access_log(fmt: &'static str) -> Vec<LogPiece> {
    let bytes = fmt.as_bytes();
    let mut pieces = Vec::new();
    let (mut literal, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'{' {
            i += 1;
            continue;
        }
        let Some(len) = bytes[i..].iter().position(|&b| b == b'}') else { break };
        let placeholder = match &fmt[i..=i + len] {
            "{ip}" => Some(LogPiece::Ip),
            "{path}" => Some(LogPiece::Path),
            "{status}" => Some(LogPiece::Status),
            "{agent}" => Some(LogPiece::Agent),
            "{date}" => Some(LogPiece::Date),
            _ => None,
        };
        if let Some(piece) = placeholder {
            if literal < i {
                pieces.push(LogPiece::Text(&fmt[literal..i]));
            }
            pieces.push(piece);
            literal = i + len + 1;
        }
        i += len + 1;
    }
    if literal < fmt.len() {
        pieces.push(LogPiece::Text(&fmt[literal..]));
    }
    pieces
}

/// Appends an access log line (see `fill_access_log`) to `line`. The catalog has a handful of
/// formats and a busy cluster logs a line per probe, so each format is split into pieces once
/// (a memo of a pure function, keyed by the static text's address: it changes no result).
pub(crate) fn push_access_log(line: &mut String, fmt: &'static str, ip: &str, path: &str, status: u16, agent: &str, unix_ms: i64) {
    thread_local! {
        static PIECES: std::cell::RefCell<crate::memo::Memo<(usize, usize), Vec<LogPiece>, 64>> = const { std::cell::RefCell::new(crate::memo::Memo::new()) };
    }
    crate::memo::with(&PIECES, &crate::memo::address(fmt), |k| *k, |_| split_access_log(fmt), |pieces| {
        for piece in pieces {
            match *piece {
                LogPiece::Text(text) => line.push_str(text),
                LogPiece::Ip => line.push_str(ip),
                LogPiece::Path => line.push_str(path),
                LogPiece::Status => push_decimal(line, u64::from(status), 1),
                LogPiece::Agent => line.push_str(agent),
                LogPiece::Date => push_access_date(line, unix_ms),
            }
        }
    });
}

/// Appends `n` in decimal, zero-padded to at least `width` digits (no formatter on the hot path).
fn push_decimal(line: &mut String, n: u64, width: usize) {
    let mut buf = [0u8; 20];
    line.push_str(std::str::from_utf8(crate::rng::decimal_digits(n, width, &mut buf)).unwrap_or_default());
}

/// ASCII text built in a fixed buffer (the access log's date).
struct AsciiBuf {
    bytes: [u8; 48],
    len: usize,
}

impl AsciiBuf {
    fn push(&mut self, text: &[u8]) {
        let end = (self.len + text.len()).min(self.bytes.len());
        self.bytes[self.len..end].copy_from_slice(&text[..end - self.len]);
        self.len = end;
    }

    fn push_decimal(&mut self, n: u64, width: usize) {
        let mut buf = [0u8; 20];
        self.push(crate::rng::decimal_digits(n, width, &mut buf));
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Appends the access log's date, `22/Nov/2026:07:37:56 +0000` (web servers log every request,
/// probes included). The text of the last second seen is kept: the probes of a busy cluster
/// come in time order, many within one second.
fn push_access_date(line: &mut String, unix_ms: i64) {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(i64, AsciiBuf)>> = const { std::cell::RefCell::new(None) };
    }
    let secs = unix_ms.div_euclid(1000);
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if !matches!(&*last, Some((s, _)) if *s == secs) {
            *last = Some((secs, access_date(secs)));
        }
        if let Some((_, text)) = &*last {
            line.push_str(text.as_str());
        }
    });
}

/// The access log's date of the second `secs` since the epoch.
fn access_date(secs: i64) -> AsciiBuf {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let sod = secs.rem_euclid(86_400) as u64;
    let (y, mo, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
    let mut out = AsciiBuf { bytes: [0; 48], len: 0 };
    out.push_decimal(d.clamp(0, 99) as u64, 2);
    out.push(b"/");
    out.push(MONTHS[(mo as usize).clamp(1, 12) - 1].as_bytes());
    out.push(b"/");
    if y < 0 {
        out.push(b"-");
    }
    out.push_decimal(y.unsigned_abs(), 4);
    for part in [sod / 3600, (sod / 60) % 60, sod % 60] {
        out.push(b":");
        out.push_decimal(part, 2);
    }
    out.push(b" +0000");
    out
}

/// Ready endpoints of a Service: (uid, ip, pod) of running, ready pods its selector matches.
pub fn endpoints<'a>(w: &'a World, svc: &crate::api::Service) -> Vec<(Uid, String, &'a Pod)> {
    if svc.selector.is_empty() {
        return Vec::new();
    }
    w.pods
        .values()
        .map(|p| &**p)
        .filter(|p| p.meta.namespace == svc.meta.namespace && svc.selector.iter().all(|(k, v)| p.meta.labels.get(k) == Some(v)))
        .filter(|p| p.meta.deletion_ms.is_none() && p.status.condition("Ready").is_some_and(|c| c.is_true()) && !p.status.pod_ip.is_empty())
        .map(|p| (p.meta.uid.clone(), p.status.pod_ip.clone(), p))
        .collect()
}

impl ShellHost for Host<'_> {
    fn now_ms(&self) -> u64 {
        self.now_ms
    }

    fn stdout(&mut self, text: &str) {
        self.log.push_str(text);
    }

    fn stderr(&mut self, text: &str) {
        self.log.push_str(text);
    }

    fn read_file(&self, path: &str) -> Option<String> {
        let (vol, p) = self.locate(path);
        self.files_ref(&vol)?.get(&p).cloned()
    }

    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String> {
        if self.is_dir(path) {
            return Err("Is a directory".into());
        }
        if self.read_only(path) {
            return Err("Read-only file system".into());
        }
        let parent = path.rsplit_once('/').map_or("/", |(p, _)| if p.is_empty() { "/" } else { p });
        if !self.is_dir(parent) {
            return Err("No such file or directory".into());
        }
        let (vol, p) = self.locate(path);
        if let Some(v) = &vol {
            self.touched.push((v.clone(), p.clone()));
        }
        let files = self.files(&vol).ok_or_else(|| "No such file or directory".to_string())?;
        let entry = files.entry(p).or_default();
        if append {
            entry.push_str(data);
        } else {
            *entry = data.to_string();
        }
        Ok(())
    }

    fn remove(&mut self, path: &str, recursive: bool) -> Result<(), String> {
        if self.read_only(path) {
            return Err("Read-only file system".into());
        }
        let is_dir = self.is_dir(path);
        if is_dir && !recursive {
            return Err("Is a directory".into());
        }
        let (vol, p) = self.locate(path);
        let files = self.files(&vol).ok_or_else(|| "No such file or directory".to_string())?;
        if is_dir {
            let prefix = format!("{}/", p.trim_end_matches('/'));
            let before = files.len();
            files.retain(|k, _| !(k.starts_with(&prefix) || k == &prefix));
            if files.len() == before && p != "/" {
                return Err("No such file or directory".into());
            }
            return Ok(());
        }
        files.remove(&p).map(|_| ()).ok_or_else(|| "No such file or directory".to_string())
    }

    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String> {
        if self.exists(path) {
            return if parents && self.is_dir(path) { Ok(()) } else { Err("File exists".into()) };
        }
        let parent = path.rsplit_once('/').map_or("/", |(p, _)| if p.is_empty() { "/" } else { p });
        if !self.is_dir(parent) {
            if !parents {
                return Err("No such file or directory".into());
            }
            self.mkdir(parent, true)?;
        }
        let (vol, p) = self.locate(path);
        let files = self.files(&vol).ok_or_else(|| "No such file or directory".to_string())?;
        files.insert(format!("{}/", p.trim_end_matches('/')), String::new());
        Ok(())
    }

    fn exists(&self, path: &str) -> bool {
        self.read_file(path).is_some() || self.is_dir(path)
    }

    fn is_dir(&self, path: &str) -> bool {
        if path == "/" {
            return true;
        }
        let (vol, p) = self.locate(path);
        if vol.is_some() && p == "/" {
            return true;
        }
        let Some(files) = self.files_ref(&vol) else { return false };
        let prefix = format!("{}/", p.trim_end_matches('/'));
        files.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        if !self.is_dir(path) {
            return None;
        }
        let (vol, p) = self.locate(path);
        let prefix = if p == "/" { "/".to_string() } else { format!("{}/", p.trim_end_matches('/')) };
        let mut names: Vec<String> = self
            .files_ref(&vol)
            .map(|f| f.keys().filter_map(|k| k.strip_prefix(&prefix)).filter_map(|rest| rest.split('/').next()).filter(|n| !n.is_empty()).map(String::from).collect())
            .unwrap_or_default();
        // Mount points show up in their parent directory.
        if vol.is_none() {
            if let Some(c) = self.pod.spec.all_containers().find(|c| c.name == self.container) {
                for m in &c.volume_mounts {
                    if let Some(rest) = m.mount_path.strip_prefix(&prefix) {
                        if let Some(n) = rest.split('/').next().filter(|n| !n.is_empty()) {
                            names.push(n.to_string());
                        }
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        Some(names)
    }

    fn has_program(&self, name: &str) -> bool {
        let Some(image) = self.image() else { return false };
        let name = basename(name);
        image.programs.contains(&name) || image.servers.iter().any(|s| s.program == name) || image.entrypoint.first().is_some_and(|e| basename(e) == name)
    }

    fn http_get(&mut self, url: &str) -> Result<(u16, String), String> {
        let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or(url);
        let (hostport, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("bad port '{p}'"))?),
            None => (hostport, 80),
        };
        let (target, port) = self.target_for(host, port)?;
        self.serve(&target, port, path, "Wget", None).map(|(code, body)| (code, body.into_owned()))
    }

    fn tcp_connect(&mut self, host: &str, port: u16) -> Result<(), String> {
        let (target, port) = self.target_for(host, port)?;
        self.listener(&target, port).map(|_| ()).ok_or_else(|| "Connection refused".into())
    }

    fn resolve(&self, name: &str) -> Option<String> {
        resolve_name(self.w, &self.pod.meta.namespace, name)
    }

    fn hostname(&self) -> String {
        if self.pod.spec.hostname.is_empty() {
            self.pod.meta.name.clone()
        } else {
            self.pod.spec.hostname.clone()
        }
    }

    fn allocate(&mut self, bytes: u64) -> Result<(), ()> {
        let limit = *self.memory_limit.get_or_init(|| memory_limit(self.w, self.pod, &self.container));
        let container = self.container;
        let inst = self.rt.get_mut().and_then(|rt| rt.containers.get_mut(container)).and_then(|c| c.instance.as_mut()).ok_or(())?;
        inst.memory_bytes = inst.memory_bytes.saturating_add(bytes);
        if inst.memory_bytes > limit {
            Err(())
        } else {
            Ok(())
        }
    }

    fn run_image_program(&mut self, argv: &[String]) -> Option<ProgramStart> {
        let image = self.image()?;
        let prog = basename(argv.first()?);
        let server = image.servers.iter().find(|s| s.program == prog && s.needs_arg.is_none_or(|a| argv.iter().skip(1).any(|x| x.contains(a))))?;
        let handle = *self.next_handle;
        *self.next_handle += 1;
        if let Some((vars, message, code)) = server.requires_env {
            let env = container_env(self.w, self.pod, self.rt.get().ip().unwrap_or_default(), &self.container);
            if !vars.iter().any(|v| env.get(*v).is_some_and(|x| !x.is_empty())) {
                self.log.push_str(message);
                self.log.push('\n');
                return Some(ProgramStart { handle, exit: Some(ProgramExit { after_ms: 300, code }) });
            }
        }
        for port in server.ports {
            if self.listener(&Target::Own, *port).is_some() {
                let msg = if server.program == "nginx" {
                    format!("nginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use)")
                } else {
                    format!("listen tcp :{port}: bind: address already in use")
                };
                self.log.push_str(&msg);
                self.log.push('\n');
                return Some(ProgramStart { handle, exit: Some(ProgramExit { after_ms: 100, code: 1 }) });
            }
        }
        for line in server.start_log {
            self.log.push_str(line);
            self.log.push('\n');
        }
        self.servers.to_mut().push(RunningServer { handle, server, started_ms: self.now_ms });
        Some(ProgramStart { handle, exit: None })
    }

    fn signal_image_program(&mut self, handle: u64, signal: Signal, _pid1: bool) -> Option<ProgramExit> {
        let srv = self.servers.iter().find(|s| s.handle == handle)?;
        let stops = matches!(signal, Signal::Term | Signal::Quit | Signal::Int | Signal::Winch);
        if !stops {
            return None;
        }
        let code = srv.server.on_sigterm?;
        for line in srv.server.stop_log {
            self.log.push_str(line);
            self.log.push('\n');
        }
        Some(ProgramExit { after_ms: 100, code })
    }

    fn image_program_stopped(&mut self, handle: u64) {
        if self.servers.iter().any(|s| s.handle == handle) {
            self.servers.to_mut().retain(|s| s.handle != handle);
        }
    }

    fn shell_dialect(&self, program: &str) -> Dialect {
        let has = |p: &str| self.image().is_some_and(|i| i.programs.contains(&p));
        match basename(program) {
            "bash" => Dialect::Bash,
            "dash" => Dialect::Dash,
            _ if has("dash") => Dialect::Dash,
            _ if has("bash") && !has("nslookup") => Dialect::Bash,
            _ => Dialect::Ash,
        }
    }

    fn epoch_unix_ms(&self) -> i64 {
        self.w.epoch_unix_ms
    }

    fn random_seed(&self) -> u64 {
        crate::rng::fnv1a(format!("{}/{}/{}/{}", self.ctx.seed, self.pod.meta.uid, self.container, self.restart_count).as_bytes())
    }
}

/// Cluster DNS: Services (short names in the pod's namespace, `svc.ns`, FQDNs), pod A records
/// (`10-244-1-5.ns.pod.cluster.local`), and `kubernetes.default`.
pub fn resolve_name(w: &World, namespace: &str, name: &str) -> Option<String> {
    let name = name.trim_end_matches('.');
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some(name.to_string());
    }
    let parts: Vec<&str> = name.split('.').collect();
    let (svc, ns) = match parts.as_slice() {
        [s] => (*s, namespace),
        [s, n] => (*s, *n),
        [s, n, "svc"] | [s, n, "svc", "cluster", "local"] => (*s, *n),
        [ip, _ns, "pod"] | [ip, _ns, "pod", "cluster", "local"] => return Some(ip.replace('-', ".")),
        _ => return None,
    };
    if svc == "kubernetes" && ns == "default" {
        return Some("10.96.0.1".into());
    }
    w.services.get(&crate::api::ObjectKey::new(ns, svc)).map(|s| s.cluster_ip.clone()).filter(|ip| !ip.is_empty())
}

/// The container's environment: image defaults, service links, then the spec's env.
pub fn container_env(w: &World, pod: &Pod, pod_ip: &str, container: &str) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    env.insert("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string());
    env.insert("HOSTNAME".to_string(), if pod.spec.hostname.is_empty() { pod.meta.name.clone() } else { pod.spec.hostname.clone() });
    env.insert("HOME".to_string(), "/root".to_string());
    env.insert("KUBERNETES_SERVICE_HOST".to_string(), "10.96.0.1".to_string());
    env.insert("KUBERNETES_SERVICE_PORT".to_string(), "443".to_string());
    env.insert("KUBERNETES_PORT".to_string(), "tcp://10.96.0.1:443".to_string());
    for s in w.services.values().filter(|s| s.meta.namespace == pod.meta.namespace) {
        let prefix = s.meta.name.to_uppercase().replace('-', "_");
        if let Some(p) = s.ports.first() {
            env.insert(format!("{prefix}_SERVICE_HOST"), s.cluster_ip.clone());
            env.insert(format!("{prefix}_SERVICE_PORT"), p.port.to_string());
        }
    }
    let Some(c) = pod.spec.all_containers().find(|c| c.name == container) else { return env };
    for e in &c.env {
        let value = match &e.value {
            EnvValue::Literal(v) => expand_env_refs(v, &env),
            EnvValue::FieldRef(f) => field_ref(pod, pod_ip, f),
            EnvValue::ResourceFieldRef { container: rc, resource } => {
                let target = if rc.is_empty() { c } else { pod.spec.all_containers().find(|x| &x.name == rc).unwrap_or(c) };
                let (kind, res) = resource.split_once('.').unwrap_or(("limits", resource));
                let map = if kind == "requests" { &target.requests } else { &target.limits };
                map.get(res).map(|q| if res == "cpu" { (q.milli.saturating_add(999) / 1000).to_string() } else { q.units_ceil().to_string() }).unwrap_or_else(|| "0".into())
            }
            EnvValue::ConfigMapKey { name, key, .. } => w.config_maps.get(&crate::api::ObjectKey::new(&pod.meta.namespace, name)).and_then(|m| m.data.get(key).cloned()).unwrap_or_default(),
            EnvValue::SecretKey { name, key, .. } => w.secrets.get(&crate::api::ObjectKey::new(&pod.meta.namespace, name)).and_then(|m| m.data.get(key).cloned()).unwrap_or_default(),
        };
        env.insert(e.name.clone(), value);
    }
    env
}

/// `$(VAR)` references in env values, as the kubelet expands them.
fn expand_env_refs(v: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find("$(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find(')') {
            Some(j) => {
                let name = &after[..j];
                match env.get(name) {
                    Some(val) => out.push_str(val),
                    None => out.push_str(&format!("$({name})")),
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn field_ref(pod: &Pod, pod_ip: &str, path: &str) -> String {
    match path {
        "metadata.name" => pod.meta.name.clone(),
        "metadata.namespace" => pod.meta.namespace.clone(),
        "metadata.uid" => pod.meta.uid.to_string(),
        "spec.nodeName" => pod.spec.node_name.clone(),
        "spec.serviceAccountName" => pod.spec.service_account_name.clone(),
        "status.podIP" | "status.podIPs" => pod_ip.to_string(),
        "status.hostIP" | "status.hostIPs" => pod.status.host_ip.clone(),
        p => {
            let label = p.strip_prefix("metadata.labels['").and_then(|r| r.strip_suffix("']"));
            let ann = p.strip_prefix("metadata.annotations['").and_then(|r| r.strip_suffix("']"));
            match (label, ann) {
                (Some(k), _) => pod.meta.labels.get(k).cloned().unwrap_or_default(),
                (_, Some(k)) => pod.meta.annotations.get(k).cloned().unwrap_or_default(),
                _ => String::new(),
            }
        }
    }
}

/// Checks references a container needs before it can be created (CreateContainerConfigError).
pub fn check_config(w: &World, pod: &Pod, c: &Container) -> Result<(), String> {
    for e in &c.env {
        match &e.value {
            EnvValue::ConfigMapKey { name, key, optional } if !optional => match w.config_maps.get(&crate::api::ObjectKey::new(&pod.meta.namespace, name)) {
                None => return Err(format!("configmap \"{name}\" not found")),
                Some(m) if !m.data.contains_key(key) => return Err(format!("couldn't find key {key} in ConfigMap {}/{name}", pod.meta.namespace)),
                _ => {}
            },
            EnvValue::SecretKey { name, key, optional } if !optional => match w.secrets.get(&crate::api::ObjectKey::new(&pod.meta.namespace, name)) {
                None => return Err(format!("secret \"{name}\" not found")),
                Some(m) if !m.data.contains_key(key) => return Err(format!("couldn't find key {key} in Secret {}/{name}", pod.meta.namespace)),
                _ => {}
            },
            _ => {}
        }
    }
    Ok(())
}

/// Refreshes the pod's `hostPath` volumes from its node's disk (another pod on the node may have
/// written there since); the simulation loop writes them back when the runtime record is stored.
fn refresh_host_paths(w: &World, node: &str, pod: &Pod, rt: &mut PodRuntime) {
    let Some(nrt) = w.runtimes.get(node) else { return };
    for v in pod.spec.volumes.iter() {
        if let VolumeSource::HostPath { path } = &v.source {
            let files = super::host_subtree(&nrt.host_files, path);
            if rt.volumes.get(&v.name).is_none_or(|f| **f != files) {
                rt.volumes.insert(v.name.clone(), std::sync::Arc::new(files));
            }
        }
    }
}

/// Fills the pod's volumes when its sandbox is created.
pub fn init_volumes(w: &World, pod: &Pod, rt: &mut PodRuntime) {
    for v in pod.spec.volumes.iter() {
        let mut files = Files::new();
        match &v.source {
            VolumeSource::HostPath { path } => {
                if let Some(nrt) = w.runtimes.get(pod.spec.node_name.as_str()) {
                    files = super::host_subtree(&nrt.host_files, path);
                }
            }
            VolumeSource::ConfigMap { name, .. } => {
                if let Some(m) = w.config_maps.get(&crate::api::ObjectKey::new(&pod.meta.namespace, name)) {
                    for (k, val) in &m.data {
                        files.insert(format!("/{k}"), val.clone());
                    }
                }
            }
            VolumeSource::Secret { name, .. } => {
                if let Some(m) = w.secrets.get(&crate::api::ObjectKey::new(&pod.meta.namespace, name)) {
                    for (k, val) in &m.data {
                        files.insert(format!("/{k}"), val.clone());
                    }
                }
            }
            _ => {}
        }
        rt.volumes.insert(v.name.clone(), std::sync::Arc::new(files));
    }
}

/// The files every container starts with (hosts, resolv.conf, the service account).
pub fn initial_files(pod: &Pod, ip: String) -> Files {
    // What every container's filesystem starts with, built once: cloning a built map costs
    // far less than inserting its entries one by one (each container start does this).
    static BASE: std::sync::OnceLock<Files> = std::sync::OnceLock::new();
    let mut f = BASE.get_or_init(base_files).clone();
    let host = if pod.spec.hostname.is_empty() { pod.meta.name.clone() } else { pod.spec.hostname.clone() };
    f.insert("/etc/hostname".into(), format!("{host}\n"));
    f.insert("/etc/hosts".into(), format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n{ip}\t{host}\n"));
    f.insert("/etc/resolv.conf".into(), format!("search {}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", pod.meta.namespace));
    let sa = "/var/run/secrets/kubernetes.io/serviceaccount";
    f.insert(format!("{sa}/namespace"), pod.meta.namespace.clone());
    f.insert(format!("{sa}/token"), format!("eyJhbGciOiJSUzI1NiIsImtpZCI6InBvZHNpbSJ9.{}", pod.meta.uid));
    f.insert(format!("{sa}/ca.crt"), "-----BEGIN CERTIFICATE-----\n(simulated cluster CA)\n-----END CERTIFICATE-----\n".into());
    f
}

/// The directories and image files every container's filesystem has, whatever its pod.
fn base_files() -> Files {
    let mut f = Files::new();
    for dir in [
        "/bin/", "/dev/", "/etc/", "/home/", "/mnt/", "/opt/", "/proc/", "/root/", "/run/", "/sbin/", "/srv/", "/sys/", "/tmp/", "/usr/", "/usr/bin/", "/usr/lib/", "/usr/local/", "/usr/local/bin/", "/usr/sbin/", "/usr/share/", "/var/", "/var/cache/", "/var/lib/", "/var/log/", "/var/run/", "/var/tmp/",
    ] {
        f.insert(dir.to_string(), String::new());
    }
    // What the images ship that scripts commonly touch.
    f.insert("/usr/share/nginx/html/index.html".into(), "<h1>Welcome to nginx!</h1>\n".into());
    f.insert("/etc/nginx/nginx.conf".into(), "user  nginx;\nworker_processes  auto;\n".into());
    f.insert("/etc/os-release".into(), "PRETTY_NAME=\"Linux\"\n".into());
    f.insert("/dev/termination-log".into(), String::new());
    f
}

/// The argv a container runs: `command`/`args` over the image's ENTRYPOINT/CMD, as Docker and
/// the kubelet combine them. Wrapper entrypoint scripts exec their arguments.
pub fn container_argv(c: &Container, image: Option<&Image>) -> Vec<String> {
    let (entry, cmd): (Vec<String>, Vec<String>) = match image {
        Some(i) => (i.entrypoint.iter().map(|s| s.to_string()).collect(), i.cmd.iter().map(|s| s.to_string()).collect()),
        None => (Vec::new(), Vec::new()),
    };
    let mut argv = if !c.command.is_empty() {
        let mut v = c.command.clone();
        v.extend(c.args.iter().cloned());
        v
    } else {
        let mut v = entry;
        v.extend(if c.args.is_empty() { cmd } else { c.args.clone() });
        v
    };
    while argv.first().is_some_and(|a| matches!(basename(a), "docker-entrypoint.sh")) && argv.len() > 1 {
        argv.remove(0);
    }
    argv
}

fn memory_limit(w: &World, pod: &Pod, container: &str) -> u64 {
    let c = pod.spec.all_containers().find(|c| c.name == container);
    c.and_then(|c| c.limits.get("memory")).map(|q| q.units_ceil().max(0) as u64).unwrap_or_else(|| w.nodes.get(&pod.spec.node_name).and_then(|n| n.status.allocatable.get("memory")).map_or(8 << 30, |q| q.units_ceil().max(0) as u64))
}

/// Runs `f` with a host for `container`. `f` gets the container's process only when
/// `needs_process`; otherwise the program stays shared (a probe or exec does not touch PID 1).
#[allow(clippy::too_many_arguments)]
fn with_host<R>(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, out: &mut Out, needs_process: bool, f: impl FnOnce(&mut Host<'_>, Option<&mut shell::Process>) -> R) -> R {
    refresh_host_paths(w, node, pod, rt);
    let instance = rt.containers.get_mut(container).and_then(|c| c.instance.as_mut());
    let restart_count = instance.as_ref().map_or(0, |i| i.restart_count);
    let mut program = if needs_process { instance.and_then(|i| i.process.take()) } else { None };
    let (r, touched) = run_host(w, ctx, pod, RtRef::Mut(rt), container, out, restart_count, program.as_mut(), f);
    if let Some(p) = program {
        if let Some(inst) = rt.containers.get_mut(container).and_then(|c| c.instance.as_mut()) {
            inst.process = Some(p);
        }
    }
    notify_followers(w, ctx, node, pod, rt, container, &touched, out);
    r
}

/// Runs `f` with a host that can look but not write (network probes): the runtime record is
/// borrowed, not copied.
fn with_host_read<R>(w: &World, ctx: &Ctx, pod: &Pod, rt: &PodRuntime, container: &str, out: &mut Out, f: impl FnOnce(&mut Host<'_>) -> R) -> R {
    let restart_count = rt.containers.get(container).and_then(|c| c.instance.as_ref()).map_or(0, |i| i.restart_count);
    run_host(w, ctx, pod, RtRef::Read(rt), container, out, restart_count, None, |h, _| f(h)).0
}

/// Builds the host, runs `f`, stores a program's server changes back into it, and logs what the
/// program wrote. Returns `f`'s result and the shared files written.
#[allow(clippy::too_many_arguments)]
fn run_host<R>(
    w: &World,
    ctx: &Ctx,
    pod: &Pod,
    rt: RtRef<'_>,
    container: &str,
    out: &mut Out,
    restart_count: i32,
    program: Option<&mut std::sync::Arc<Program>>,
    f: impl FnOnce(&mut Host<'_>, Option<&mut shell::Process>) -> R,
) -> (R, Vec<(String, String)>) {
    // The log's key names the pod by the record's uid (the same as the pod's): the record is
    // already read, and a probe tick need not read the pod.
    debug_assert_eq!(rt.get().uid, pod.meta.uid);
    let uid = rt.get().uid.clone();
    let shared = rt.get().containers.get(container).and_then(|c| c.instance.as_ref()).and_then(|i| i.process.as_ref());
    let mut next_handle = program.as_deref().or(shared).map_or(1, |p| p.next_handle);
    // The program's servers. A host that only looks (a network probe) borrows them from the
    // record; a program being run (the caller's own copy) or a writable record gets a copy.
    let read_only = match &rt {
        RtRef::Read(r) => Some(*r),
        RtRef::Mut(_) => None,
    };
    let servers: std::borrow::Cow<'_, [RunningServer]> = match (program.as_deref(), read_only) {
        (Some(p), _) => std::borrow::Cow::Owned(p.servers.clone()),
        (None, Some(r)) => std::borrow::Cow::Borrowed(r.containers.get(container).and_then(|c| c.instance.as_ref()).and_then(|i| i.process.as_ref()).map_or(&[][..], |p| &p.servers[..])),
        (None, None) => std::borrow::Cow::Owned(shared.map_or_else(Vec::new, |p| p.servers.clone())),
    };
    let mut program = program;
    let (r, lines, log, cmds, touched, servers) = {
        let mut host = Host {
            w,
            ctx,
            pod,
            rt,
            container,
            image: std::cell::OnceCell::new(),
            servers,
            next_handle: &mut next_handle,
            lines: LogLines::None,
            log: String::new(),
            cmds: Vec::new(),
            touched: Vec::new(),
            now_ms: w.now_ms,
            memory_limit: std::cell::OnceCell::new(),
            restart_count,
            initial_files: std::cell::OnceCell::new(),
        };
        let process = program.as_mut().map(|p| &mut std::sync::Arc::make_mut(p).process);
        let r = f(&mut host, process);
        (r, std::mem::take(&mut host.lines), std::mem::take(&mut host.log), std::mem::take(&mut host.cmds), std::mem::take(&mut host.touched), host.servers)
    };
    if let Some(p) = program {
        let pm = std::sync::Arc::make_mut(p);
        pm.servers = servers.into_owned();
        pm.next_handle = next_handle;
    }
    push_log(out, uid, container, restart_count, lines, &log);
    out.cmds.extend(cmds);
    (r, touched)
}

/// Logs what a step wrote: `lines` first, then the text lines of `log`.
fn push_log(out: &mut Out, uid: crate::api::Uid, container: &str, restart_count: i32, mut lines: LogLines, log: &str) {
    // Each text line is copied to its exact size: the log keeps it for the rest of the run.
    lines.extend(text_lines(log).map(|l| LogLine::Text(l.to_string())));
    if lines.is_empty() {
        return;
    }
    out.push(Command::Log { uid, container: crate::memo::name(container), restart_count, lines });
}

/// Containers following (`tail -f`) a shared file another container wrote see the new lines.
#[allow(clippy::too_many_arguments)]
fn notify_followers(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, writer: &str, touched: &[(String, String)], out: &mut Out) {
    if touched.is_empty() {
        return;
    }
    let others: Vec<(String, String)> = pod
        .spec
        .all_containers()
        .filter(|c| c.name != writer)
        .flat_map(|c| c.volume_mounts.iter().map(move |m| (c.name.clone(), m.clone())))
        .filter_map(|(name, m)| touched.iter().find(|(v, _)| *v == m.name).map(|(_, rel)| (name, format!("{}{}", m.mount_path.trim_end_matches('/'), rel))))
        .collect();
    for (name, path) in others {
        let Some(inst_id) = rt.containers.get(&name).and_then(|c| c.running()).filter(|i| i.process.is_some()).map(|i| i.id) else { continue };
        let step: ProgStep = with_host(w, ctx, node, pod, rt, &name, out, true, |h, p| p.map_or(ProgStep::Blocked, |p| p.file_changed(&path, h).into()));
        crate::kubelet::apply_step(w, ctx, node, pod, rt, out, &name, inst_id, step);
    }
}

/// Starts the container's program (its instance exists, without a process yet).
pub fn spawn(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, out: &mut Out) -> ProgStep {
    let Some(c) = pod.spec.all_containers().find(|c| c.name == container) else { return ProgStep::Exited(128) };
    let image = catalog::lookup(&c.image);
    let argv = container_argv(c, image);
    let env = container_env(w, pod, rt.ip().unwrap_or_default(), container);
    let spawned = with_host(w, ctx, node, pod, rt, container, out, false, |h, _| {
        if argv.is_empty() {
            return Err("exec: no command specified".to_string());
        }
        match shell::Process::spawn(&argv, &env, h) {
            Ok(mut p) => {
                let step = p.run(h);
                Ok((p, step, std::mem::take(&mut h.servers).into_owned(), *h.next_handle))
            }
            Err(e) => Err(e.to_string()),
        }
    });
    match spawned {
        Ok((process, step, servers, next_handle)) => {
            if let Some(inst) = rt.containers.get_mut(container).and_then(|c| c.instance.as_mut()) {
                inst.process = Some(std::sync::Arc::new(Program { process, servers, next_handle }));
            }
            step.into()
        }
        Err(e) => {
            // The runtime could not start the process: StartError, exit 128.
            let msg = format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {e}: unknown");
            out.push(Command::emit(crate::event::KubeEvent::new(
                crate::event::EventType::Warning,
                "Failed",
                format!("Error: {msg}"),
                crate::apiserver::pod_ref(pod, &format!("spec.containers{{{container}}}")),
                "kubelet",
                node,
                w.now_ms,
            )));
            if let Some(inst) = rt.containers.get_mut(container).and_then(|c| c.instance.as_mut()) {
                inst.exit = Some(crate::api::Terminated { exit_code: 128, reason: "StartError".into(), message: msg, started_ms: None, finished_ms: w.now_ms, container_id: inst.container_id.clone(), signal: 0 });
            }
            let uid = pod.meta.uid.clone();
            out.after(ctx.jitter(ctx.durations.pleg_relist_ms, format_args!("pleg/{uid}/{container}/start")), crate::sim::Event::KubeletSync { node: node.into(), uid });
            ProgStep::Blocked
        }
    }
}

/// Wakes the container's process at the end of its sleep.
pub fn resume(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, out: &mut Out) -> ProgStep {
    with_host(w, ctx, node, pod, rt, container, out, true, |h, p| p.map_or(ProgStep::Blocked, |p| p.run(h).into()))
}

/// Delivers a signal to the container's main process (PID 1).
#[allow(clippy::too_many_arguments)]
pub fn signal(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, sig: Signal, out: &mut Out) -> ProgStep {
    with_host(w, ctx, node, pod, rt, container, out, true, |h, p| p.map_or(ProgStep::Blocked, |p| p.deliver_signal(sig, h).into()))
}

/// The signal the runtime stops a container with: the image's STOPSIGNAL for image programs,
/// SIGTERM for anything else.
pub fn stop_signal(pod: &Pod, container: &str) -> Signal {
    let c = pod.spec.all_containers().find(|c| c.name == container);
    let image = c.and_then(|c| catalog::lookup(&c.image));
    let uses_image_cmd = c.is_some_and(|c| c.command.is_empty());
    match (image, uses_image_cmd) {
        (Some(i), true) => Signal::parse(i.stop_signal).unwrap_or(Signal::Term),
        _ => Signal::Term,
    }
}

/// Runs a command to completion inside the container (exec probes, exec hooks, kubectl exec).
#[allow(clippy::too_many_arguments)]
fn run_command(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, argv: &[String], budget_ms: u64, out: &mut Out, to_log: bool) -> (i32, String, u64, bool) {
    let env = container_env(w, pod, rt.ip().unwrap_or_default(), container);
    let mut scratch = Out::default();
    let r = with_host(w, ctx, node, pod, rt, container, &mut scratch, false, |h, _| {
        let r = shell::run_to_completion(argv, &env, h, budget_ms);
        // Output of exec'd commands is returned to the caller, not written to the container log.
        let mut log = String::new();
        for line in std::mem::take(&mut h.lines) {
            line.write_to(&mut log);
            log.push('\n');
        }
        log.push_str(&std::mem::take(&mut h.log));
        (r, log)
    });
    // Side effects on other containers (access logs of servers it called) still happen.
    for c in scratch.cmds {
        if !matches!(c, Command::Log { .. }) || to_log {
            out.push(c);
        }
    }
    let ((code, stdout, stderr, elapsed, timed_out), log) = (r.0, r.1);
    let mut output = log;
    output.push_str(&stdout);
    output.push_str(&stderr);
    (code, output, elapsed, timed_out)
}

/// `kubectl exec`.
#[allow(clippy::too_many_arguments)]
pub fn exec(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, argv: &[String], budget_ms: u64, out: &mut Out) -> ExecResult {
    let (code, output, _, _) = run_command(w, ctx, node, pod, rt, container, argv, budget_ms, out, false);
    ExecResult { exit_code: code, output }
}

/// Runs a lifecycle hook handler.
#[allow(clippy::too_many_arguments)]
pub fn run_handler(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, h: &Handler, budget_ms: u64, out: &mut Out) -> HandlerResult {
    match h {
        Handler::Exec { command } => {
            let (code, output, elapsed, timed_out) = run_command(w, ctx, node, pod, rt, container, command, budget_ms, out, false);
            let ok = code == 0 && !timed_out;
            let detail = if ok {
                output
            } else {
                format!(
                    "Exec lifecycle hook ({command:?}) for Container \"{container}\" in Pod \"{}_{}({})\" failed - error: command '{}' exited with {code}: {output}",
                    pod.meta.name,
                    pod.meta.namespace,
                    pod.meta.uid,
                    command.join(" ")
                )
            };
            HandlerResult { ok, output: detail, elapsed_ms: elapsed }
        }
        Handler::Sleep { seconds } => HandlerResult { ok: true, output: String::new(), elapsed_ms: crate::time::seconds_ms(*seconds) },
        Handler::HttpGet { .. } | Handler::TcpSocket { .. } | Handler::Grpc { .. } => {
            let r = http_or_tcp(w, ctx, pod, rt, container, h, None, out);
            HandlerResult { ok: r.success, output: r.output, elapsed_ms: 10 }
        }
    }
}

fn resolve_port(pod: &Pod, port: &PortRef) -> Option<u16> {
    match port {
        PortRef::Number(n) => u16::try_from(*n).ok(),
        PortRef::Name(name) => pod.spec.all_containers().flat_map(|c| c.ports.iter()).find(|p| &p.name == name).and_then(|p| u16::try_from(p.container_port).ok()),
    }
}

#[allow(clippy::too_many_arguments)]
/// `memo` (a probe target's) remembers the parts of the access-log line of the first request,
/// whose path is always the handler's.
#[allow(clippy::too_many_arguments)]
fn http_or_tcp(w: &World, ctx: &Ctx, pod: &Pod, rt: &PodRuntime, container: &str, h: &Handler, memo: Option<&AccessMemo>, out: &mut Out) -> ProbeOutcome {
    let ip = rt.ip().unwrap_or_default();
    match h {
        Handler::HttpGet { path, port, host, scheme, .. } => {
            let Some(port) = resolve_port(pod, port) else {
                return ProbeOutcome { success: false, warning: false, output: format!("unable to find port {port}") };
            };
            let target = if host.is_empty() { ip } else { host.as_str() };
            let r = with_host_read(w, ctx, pod, rt, container, out, |h| {
                let t = if target == ip { Ok((Target::Own, port)) } else { h.target_for(target, port) };
                t.and_then(|(t, p)| {
                    // The prober follows redirects on the same host (at most 10); one to another
                    // host is not followed and its 3xx answer is the result.
                    let mut answer = h.serve(&t, p, path, "kube-probe/1.34", memo)?;
                    let mut at: std::borrow::Cow<'_, str> = std::borrow::Cow::Borrowed(path.as_str());
                    for _ in 0..10 {
                        if !(300..400).contains(&answer.0) {
                            break;
                        }
                        match redirect_location(&at) {
                            Some(loc) if loc.starts_with('/') => {
                                answer = h.serve(&t, p, &loc, "kube-probe/1.34", None)?;
                                at = loc.into();
                            }
                            _ => break,
                        }
                    }
                    Ok(answer)
                })
            });
            match r {
                // A successful attempt's body is not reported anywhere (only failures and warnings are).
                Ok((code, _)) if (200..300).contains(&code) => ProbeOutcome { success: true, warning: false, output: String::new() },
                Ok((code, body)) if (300..400).contains(&code) => ProbeOutcome { success: true, warning: true, output: format!("Probe terminated redirects, Response body: {body}") },
                Ok((code, _)) => ProbeOutcome { success: false, warning: false, output: format!("HTTP probe failed with statuscode: {code}") },
                Err(e) => {
                    let errno = if e == "Connection refused" { "connect: connection refused".to_string() } else { e.to_lowercase() };
                    let url = format!("{}://{target}:{port}{path}", scheme.to_lowercase());
                    ProbeOutcome { success: false, warning: false, output: format!("Get \"{url}\": dial tcp {target}:{port}: {errno}") }
                }
            }
        }
        Handler::TcpSocket { port, host } => {
            let Some(port) = resolve_port(pod, port) else {
                return ProbeOutcome { success: false, warning: false, output: format!("unable to find port {port}") };
            };
            let target = if host.is_empty() { ip } else { host.as_str() };
            let ok = with_host_read(w, ctx, pod, rt, container, out, |h| if target == ip { h.listener(&Target::Own, port).is_some() } else { h.tcp_connect(target, port).is_ok() });
            if ok {
                ProbeOutcome { success: true, warning: false, output: String::new() }
            } else {
                ProbeOutcome { success: false, warning: false, output: format!("dial tcp {target}:{port}: connect: connection refused") }
            }
        }
        Handler::Grpc { port, .. } => {
            let port = u16::try_from(*port).unwrap_or(0);
            let srv = with_host_read(w, ctx, pod, rt, container, out, |h| h.listener(&Target::Own, port).map(|(_, s)| s.server.program));
            match srv {
                Some("etcd") | Some("agnhost") => ProbeOutcome { success: true, warning: false, output: String::new() },
                Some(_) => ProbeOutcome { success: false, warning: false, output: format!("timeout: health rpc did not complete within 1s") },
                None => ProbeOutcome { success: false, warning: false, output: format!("timeout: failed to connect service \"{ip}:{port}\" within 1s: context deadline exceeded") },
            }
        }
        _ => ProbeOutcome { success: false, warning: false, output: String::new() },
    }
}

/// Runs one probe attempt.
#[allow(clippy::too_many_arguments)]
pub fn probe(w: &World, ctx: &Ctx, node: &str, pod: &Pod, rt: &mut PodRuntime, container: &str, p: &Probe, out: &mut Out) -> ProbeOutcome {
    match &p.handler {
        Handler::Exec { command } => {
            let budget = crate::time::seconds_ms(i64::from(p.timeout_seconds).max(1));
            let (code, output, _, timed_out) = run_command(w, ctx, node, pod, rt, container, command, budget, out, false);
            if timed_out {
                return ProbeOutcome { success: false, warning: false, output: format!("command \"{}\" timed out", command.join(" ")) };
            }
            ProbeOutcome { success: code == 0, warning: false, output: output.trim_end_matches('\n').to_string() }
        }
        h => http_or_tcp(w, ctx, pod, rt, container, h, None, out),
    }
}

/// A network probe attempt (httpGet, tcpSocket, grpc): it only looks at the pod, so it runs on
/// the runtime record as it is. `None` for an exec probe (that one runs a program).
#[allow(clippy::too_many_arguments)]
#[allow(clippy::too_many_arguments)]
pub fn probe_network(w: &World, ctx: &Ctx, pod: &Pod, rt: &PodRuntime, container: &str, p: &Probe, memo: &AccessMemo, out: &mut Out) -> Option<ProbeOutcome> {
    match &p.handler {
        Handler::Exec { .. } => None,
        h => Some(http_or_tcp(w, ctx, pod, rt, container, h, Some(memo), out)),
    }
}

/// The container's process ended: nothing to release beyond the program itself (its servers'
/// ports close with it).
pub fn container_stopped(_w: &World, _pod: &Pod, _rt: &mut PodRuntime, _container: &str, _out: &mut Out) {}

/// A short note of what a process did in a step (for the narration).
pub fn progress_note(out: &Out) -> String {
    let lines: Vec<std::borrow::Cow<'_, str>> = out.cmds.iter().filter_map(|c| if let Command::Log { lines, .. } = c { Some(lines.as_slice()) } else { None }).flatten().map(LogLine::text).collect();
    match lines.as_slice() {
        [] => "its sleep ends and the script goes on".into(),
        [one] => format!("it writes \"{one}\" to its log"),
        many => format!("it writes {} lines to its log", many.len()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn access_log_lines_fill_every_placeholder_once() {
        let line = super::fill_access_log("{ip} - - [{date}] \"GET {path} HTTP/1.1\" {status} 615 \"-\" \"{agent}\" {x", "10.244.1.2", "/", 200, "kube-probe/1.34", 0);
        assert_eq!(line, "10.244.1.2 - - [01/Jan/1970:00:00:00 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"kube-probe/1.34\" {x");
        let at = crate::time::parse_rfc3339("2026-11-22T07:37:56.250Z").expect("a valid time");
        assert_eq!(super::fill_access_log("[{date}]", "", "", 0, "", at), "[22/Nov/2026:07:37:56 +0000]");
        // Unknown names stay as written; the status is not padded.
        assert_eq!(super::fill_access_log("{x} {status} {path}{", "", "/a", 7, "", 0), "{x} 7 /a{");
        let end_of_year = crate::time::parse_rfc3339("0999-12-31T23:59:09Z").expect("a valid time");
        assert_eq!(super::fill_access_log("{date}", "", "", 0, "", end_of_year), "31/Dec/0999:23:59:09 +0000");
    }

    /// Guards the memo of the last second's date: lines within one second share its text, and
    /// the next second (or an earlier one) gets its own.
    #[test]
    fn access_log_dates_follow_the_second() {
        let at = crate::time::parse_rfc3339("2026-11-22T07:37:56.250Z").expect("a valid time");
        for (ms, want) in [(at, "56"), (at + 700, "56"), (at + 750, "57"), (at - 1_000, "55"), (at + 749, "56")] {
            assert_eq!(super::fill_access_log("{date}", "", "", 0, "", ms), format!("22/Nov/2026:07:37:{want} +0000"), "{ms}");
        }
    }

    #[test]
    fn formats_split_into_text_and_placeholders() {
        use super::LogPiece::*;
        assert_eq!(super::split_access_log("{ip} [{date}] {x}{status}"), vec![Ip, Text(" ["), Date, Text("] {x}"), Status]);
        assert_eq!(super::split_access_log("no placeholder {"), vec![Text("no placeholder {")]);
    }
}
