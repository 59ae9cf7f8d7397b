//! The image catalog: the images the simulated registry serves, with what each one runs — its
//! entrypoint, size, the programs it ships, the servers it starts and how it reacts to SIGTERM.
//! Data, in one place, easy to extend. An image not listed here fails to pull, as a typo does.

/// The body Go's `http.Redirect` writes for a GET (agnhost's `/redirect?loc=URL` answers 302 with
/// it; `{loc}` is the query's `loc`).
pub const REDIRECT_BODY: &str = "<a href=\"{loc}\">Found</a>.\n\n";

/// How a server program answers one HTTP path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub path: &'static str,
    pub status: u16,
    pub body: &'static str,
    /// The status changes to `after_status` once the program has run `after_ms` (the docs'
    /// liveness image: `/healthz` is 200 for 10 s, then 500).
    pub after_ms: Option<(u64, u16)>,
}

/// A long-running program an image ships (nginx, the kubia app, redis…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Server {
    /// The binary name that starts it (`nginx`, `node`, `redis-server`…), matched on argv[0]'s basename.
    pub program: &'static str,
    /// When set, argv must contain this word too (`python -m http.server`, `agnhost liveness`).
    pub needs_arg: Option<&'static str>,
    /// TCP ports it listens on.
    pub ports: &'static [u16],
    /// HTTP routes (empty for non-HTTP servers). Unknown paths answer 404.
    pub routes: &'static [Route],
    /// Whether it serves HTTP (`/` and routes) on its ports.
    pub http: bool,
    /// Lines printed at start.
    pub start_log: &'static [&'static str],
    /// An access-log line per request (`{ip}`, `{path}`, `{status}` are replaced), if it logs them.
    pub access_log: Option<&'static str>,
    /// Exit code when SIGTERM arrives; `None` = the program ignores SIGTERM (as PID 1 without a
    /// handler does), so only SIGKILL stops it.
    pub on_sigterm: Option<i32>,
    /// Lines printed on SIGTERM before exiting.
    pub stop_log: &'static [&'static str],
    /// Environment it needs: (any of these variables, the error it prints, exit code) — mysql and
    /// postgres refuse to start without a password, a classic CrashLoopBackOff.
    pub requires_env: Option<(&'static [&'static str], &'static str, i32)>,
}

/// One catalog image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Image {
    /// Repositories that name it (normalised: `docker.io/library/nginx`).
    pub repos: &'static [&'static str],
    /// Compressed size in bytes (drives pull time and ImageLocality).
    pub size_bytes: i64,
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// Programs on its PATH besides the servers (`sh`, `bash`, busybox applets…).
    pub programs: &'static [&'static str],
    pub servers: &'static [Server],
    /// The image's STOPSIGNAL (SIGTERM unless stated).
    pub stop_signal: &'static str,
}

const BUSYBOX_APPLETS: &[&str] = &[
    "sh", "ash", "sleep", "echo", "printf", "cat", "touch", "rm", "mkdir", "ls", "test", "[", "true", "false", "date", "hostname", "nslookup", "wget", "tail", "nc", "kill", "env", "grep", "wc", "seq", "expr", "head", "cp", "mv", "pwd", "id", "ps", "top", "uname", "whoami", "stat", "find", "sed", "awk", "timeout", "watch", "ping",
];
const DEBIAN_TOOLS: &[&str] = &[
    "sh", "bash", "dash", "sleep", "echo", "printf", "cat", "touch", "rm", "mkdir", "ls", "test", "[", "true", "false", "date", "hostname", "tail", "kill", "env", "grep", "wc", "seq", "expr", "head", "cp", "mv", "pwd", "id", "uname", "stat", "find", "sed", "awk", "timeout",
];

const NGINX_WELCOME: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and working.</p>\n</body>\n</html>";

const NGINX: Server = Server {
    program: "nginx",
    needs_arg: None,
    ports: &[80],
    routes: &[Route { path: "/", status: 200, body: NGINX_WELCOME, after_ms: None }, Route { path: "/index.html", status: 200, body: NGINX_WELCOME, after_ms: None }],
    http: true,
    start_log: &[
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
        "[notice] 1#1: using the \"epoll\" event method",
        "[notice] 1#1: start worker processes",
    ],
    access_log: Some("{ip} - - [{date}] \"GET {path} HTTP/1.1\" {status} 615 \"-\" \"{agent}\" \"-\""),
    on_sigterm: Some(0),
    stop_log: &["[notice] 1#1: signal 15 (SIGTERM) received, exiting", "[notice] 1#1: exit"],
    requires_env: None,
};

const KUBIA: Server = Server {
    program: "node",
    needs_arg: Some("app.js"),
    ports: &[8080],
    routes: &[Route { path: "*", status: 200, body: "You've hit {hostname}\n", after_ms: None }],
    http: true,
    start_log: &["Kubia server starting..."],
    access_log: Some("Received request from ::ffff:{ip}"),
    // A Node.js process that is PID 1 with no SIGTERM handler ignores SIGTERM.
    on_sigterm: None,
    stop_log: &[],
    requires_env: None,
};

/// The catalog.
pub const IMAGES: &[Image] = &[
    Image { repos: &["docker.io/library/busybox", "registry.k8s.io/busybox", "gcr.io/google-containers/busybox", "k8s.gcr.io/busybox"], size_bytes: 2_156_000, entrypoint: &[], cmd: &["sh"], programs: BUSYBOX_APPLETS, servers: &[], stop_signal: "SIGTERM" },
    Image { repos: &["docker.io/library/alpine"], size_bytes: 3_650_000, entrypoint: &[], cmd: &["/bin/sh"], programs: BUSYBOX_APPLETS, servers: &[], stop_signal: "SIGTERM" },
    Image { repos: &["docker.io/library/ubuntu"], size_bytes: 29_750_000, entrypoint: &[], cmd: &["/bin/bash"], programs: DEBIAN_TOOLS, servers: &[], stop_signal: "SIGTERM" },
    Image { repos: &["docker.io/library/debian"], size_bytes: 48_500_000, entrypoint: &[], cmd: &["bash"], programs: DEBIAN_TOOLS, servers: &[], stop_signal: "SIGTERM" },
    Image { repos: &["docker.io/library/centos"], size_bytes: 76_100_000, entrypoint: &[], cmd: &["/bin/bash"], programs: &["sh", "bash", "sleep", "echo", "printf", "cat", "touch", "rm", "mkdir", "ls", "test", "[", "true", "false", "date", "hostname", "tail", "kill", "env", "grep", "wc", "seq", "expr", "head", "curl", "cp", "mv", "pwd", "uname", "sed", "awk"], servers: &[], stop_signal: "SIGTERM" },
    Image { repos: &["docker.io/library/nginx"], size_bytes: 72_200_000, entrypoint: &["/docker-entrypoint.sh"], cmd: &["nginx", "-g", "daemon off;"], programs: &["sh", "bash", "dash", "sleep", "echo", "printf", "cat", "touch", "rm", "mkdir", "ls", "test", "[", "true", "false", "date", "hostname", "tail", "kill", "env", "grep", "wc", "curl", "head", "pwd", "sed"], servers: &[NGINX], stop_signal: "SIGQUIT" },
    Image {
        repos: &["docker.io/library/httpd"],
        size_bytes: 58_900_000,
        entrypoint: &[],
        cmd: &["httpd-foreground"],
        programs: DEBIAN_TOOLS,
        servers: &[Server { program: "httpd-foreground", needs_arg: None, ports: &[80], routes: &[Route { path: "/", status: 200, body: "<html><body><h1>It works!</h1></body></html>", after_ms: None }], http: true, start_log: &["AH00558: httpd: Could not reliably determine the server's fully qualified domain name", "[mpm_event:notice] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations"], access_log: Some("{ip} - - [{date}] \"GET {path} HTTP/1.1\" {status} 45"), on_sigterm: Some(0), stop_log: &["[mpm_event:notice] AH00491: caught SIGTERM, shutting down"], requires_env: None }],
        stop_signal: "SIGWINCH",
    },
    Image {
        repos: &["docker.io/library/redis"],
        size_bytes: 45_000_000,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        programs: DEBIAN_TOOLS,
        servers: &[Server { program: "redis-server", needs_arg: None, ports: &[6379], routes: &[], http: false, start_log: &["1:M * Server initialized", "1:M * Ready to accept connections tcp"], access_log: None, on_sigterm: Some(0), stop_log: &["1:M # User requested shutdown...", "1:M # Redis is now ready to exit, bye bye..."], requires_env: None }],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["docker.io/library/mysql"],
        size_bytes: 170_000_000,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        programs: &["sh", "bash", "sleep", "echo", "cat", "ls", "test", "[", "true", "false", "date", "hostname", "env", "mysql", "mysqladmin"],
        servers: &[Server {
            program: "mysqld",
            needs_arg: None,
            ports: &[3306, 33060],
            routes: &[],
            http: false,
            start_log: &["[Entrypoint]: Entrypoint script for MySQL Server 8.4.6-1.el9 started.", "[Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.6'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."],
            access_log: None,
            on_sigterm: Some(0),
            stop_log: &["[Server] /usr/sbin/mysqld: Shutdown complete."],
            requires_env: Some((&["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"], "[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD", 1)),
        }],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["docker.io/library/postgres"],
        size_bytes: 160_000_000,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["postgres"],
        programs: &["sh", "bash", "sleep", "echo", "cat", "ls", "test", "[", "true", "false", "date", "hostname", "env", "psql", "pg_isready"],
        servers: &[Server {
            program: "postgres",
            needs_arg: None,
            ports: &[5432],
            routes: &[],
            http: false,
            start_log: &["LOG:  starting PostgreSQL 17.6 on x86_64-pc-linux-gnu", "LOG:  listening on IPv4 address \"0.0.0.0\", port 5432", "LOG:  database system is ready to accept connections"],
            access_log: None,
            on_sigterm: Some(0),
            stop_log: &["LOG:  received smart shutdown request", "LOG:  database system is shut down"],
            requires_env: Some((&["POSTGRES_PASSWORD"], "Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".", 1)),
        }],
        stop_signal: "SIGINT",
    },
    Image { repos: &["docker.io/library/node"], size_bytes: 48_000_000, entrypoint: &["docker-entrypoint.sh"], cmd: &["node"], programs: DEBIAN_TOOLS, servers: &[], stop_signal: "SIGTERM" },
    Image {
        repos: &["docker.io/library/python"],
        size_bytes: 50_000_000,
        entrypoint: &[],
        cmd: &["python3"],
        programs: DEBIAN_TOOLS,
        servers: &[Server { program: "python3", needs_arg: Some("http.server"), ports: &[8000], routes: &[Route { path: "/", status: 200, body: "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<title>Directory listing for /</title>\n</head>\n</html>", after_ms: None }], http: true, start_log: &["Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ..."], access_log: Some("{ip} - - [{date}] \"GET {path} HTTP/1.1\" {status} -"), on_sigterm: None, stop_log: &[], requires_env: None }],
        stop_signal: "SIGTERM",
    },
    Image { repos: &["docker.io/polinux/stress"], size_bytes: 4_100_000, entrypoint: &[], cmd: &["stress"], programs: &["sh", "stress", "sleep", "echo", "cat", "ls", "true", "false"], servers: &[], stop_signal: "SIGTERM" },
    Image { repos: &["registry.k8s.io/pause", "k8s.gcr.io/pause"], size_bytes: 320_368, entrypoint: &["/pause"], cmd: &[], programs: &["pause"], servers: &[Server { program: "pause", needs_arg: None, ports: &[], routes: &[], http: false, start_log: &[], access_log: None, on_sigterm: Some(0), stop_log: &[], requires_env: None }], stop_signal: "SIGTERM" },
    Image {
        repos: &["registry.k8s.io/liveness", "k8s.gcr.io/liveness"],
        size_bytes: 2_500_000,
        entrypoint: &["/server"],
        cmd: &[],
        programs: &["server"],
        servers: &[Server { program: "server", needs_arg: None, ports: &[8080], routes: &[Route { path: "/healthz", status: 200, body: "ok", after_ms: Some((10_000, 500)) }], http: true, start_log: &[], access_log: None, on_sigterm: None, stop_log: &[], requires_env: None }],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["registry.k8s.io/e2e-test-images/agnhost"],
        size_bytes: 51_000_000,
        entrypoint: &["/agnhost"],
        cmd: &["pause"],
        programs: &["sh", "agnhost", "sleep", "echo", "cat", "ls", "true", "false", "nslookup", "wget", "curl"],
        servers: &[
            Server { program: "agnhost", needs_arg: Some("liveness"), ports: &[8080], routes: &[Route { path: "/healthz", status: 200, body: "ok", after_ms: Some((10_000, 500)) }, Route { path: "/started", status: 200, body: "ok", after_ms: None }, Route { path: "/redirect", status: 302, body: REDIRECT_BODY, after_ms: None }], http: true, start_log: &[], access_log: None, on_sigterm: Some(2), stop_log: &[], requires_env: None },
            Server { program: "agnhost", needs_arg: Some("netexec"), ports: &[8080], routes: &[Route { path: "*", status: 200, body: "NOW: {date}", after_ms: None }], http: true, start_log: &["Started HTTP server on port 8080"], access_log: None, on_sigterm: Some(2), stop_log: &[], requires_env: None },
            Server { program: "agnhost", needs_arg: Some("pause"), ports: &[], routes: &[], http: false, start_log: &["Paused"], access_log: None, on_sigterm: Some(0), stop_log: &["Shutting down after receiving signal: terminated."], requires_env: None },
        ],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["registry.k8s.io/goproxy"],
        size_bytes: 2_800_000,
        entrypoint: &["/goproxy"],
        cmd: &[],
        programs: &["goproxy"],
        servers: &[Server { program: "goproxy", needs_arg: None, ports: &[8080], routes: &[], http: false, start_log: &[], access_log: None, on_sigterm: None, stop_log: &[], requires_env: None }],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["registry.k8s.io/etcd"],
        size_bytes: 57_000_000,
        entrypoint: &[],
        cmd: &["etcd"],
        programs: &["etcd", "etcdctl"],
        servers: &[Server { program: "etcd", needs_arg: None, ports: &[2379, 2380], routes: &[], http: false, start_log: &["{\"level\":\"info\",\"msg\":\"serving client traffic insecurely; this is strongly discouraged!\",\"address\":\"[::]:2379\"}"], access_log: None, on_sigterm: Some(0), stop_log: &[], requires_env: None }],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["docker.io/luksa/kubia", "cluster.k8s/kubia", "deploy.cluster.k8s/kubia"],
        size_bytes: 242_000_000,
        entrypoint: &["node", "app.js"],
        cmd: &[],
        programs: &["sh", "bash", "node", "sleep", "echo", "cat", "ls", "true", "false", "curl", "hostname", "env"],
        servers: &[KUBIA],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["www.myharbor.com/wangqihan/java-demo"],
        size_bytes: 210_000_000,
        entrypoint: &["catalina.sh"],
        cmd: &["run"],
        programs: &["sh", "bash", "java", "sleep", "echo", "cat", "ls", "true", "false", "curl", "hostname", "env"],
        servers: &[Server { program: "catalina.sh", needs_arg: None, ports: &[8080], routes: &[Route { path: "/", status: 200, body: "<h1>Hello from java-demo on Tomcat</h1>", after_ms: None }], http: true, start_log: &["INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [2154] milliseconds"], access_log: None, on_sigterm: Some(143), stop_log: &["INFO [main] org.apache.catalina.core.StandardServer.await A valid shutdown command was received via the shutdown port. Stopping the Server instance."], requires_env: None }],
        stop_signal: "SIGTERM",
    },
    Image {
        repos: &["docker.io/library/ghost"],
        size_bytes: 180_000_000,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["node", "current/index.js"],
        programs: DEBIAN_TOOLS,
        servers: &[Server { program: "node", needs_arg: Some("current/index.js"), ports: &[2368], routes: &[Route { path: "*", status: 200, body: "<title>Ghost</title>", after_ms: None }], http: true, start_log: &["[2026-01-01 00:00:00] INFO Ghost booted in 2.41s", "[2026-01-01 00:00:00] INFO Your site is now available on http://localhost:2368/"], access_log: None, on_sigterm: Some(0), stop_log: &["[2026-01-01 00:00:00] WARN Ghost is shutting down"], requires_env: None }],
        stop_signal: "SIGTERM",
    },
];

/// A parsed image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// `docker.io/library/nginx`
    pub repo: String,
    /// `latest` when neither tag nor digest was given.
    pub tag: String,
    pub digest: String,
}

impl ImageRef {
    /// The full reference containerd reports (`docker.io/library/nginx:1.25`).
    pub fn full(&self) -> String {
        if !self.digest.is_empty() {
            format!("{}@{}", self.repo, self.digest)
        } else {
            format!("{}:{}", self.repo, self.tag)
        }
    }
}

/// Parses an image reference the way the kubelet (docker reference grammar) does; `Err` for an
/// invalid name (→ `InvalidImageName`).
pub fn parse_image(image: &str) -> Result<ImageRef, String> {
    let invalid = || Err("invalid reference format".to_string());
    if image.is_empty() || image.trim() != image {
        return invalid();
    }
    let (name_tag, digest) = match image.split_once('@') {
        Some((n, d)) => {
            if !d.starts_with("sha256:") || d.len() != 71 || !d[7..].chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
                return invalid();
            }
            (n, d.to_string())
        }
        None => (image, String::new()),
    };
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].find(':') {
        Some(i) => (&name_tag[..last_slash + i], name_tag[last_slash + i + 1..].to_string()),
        None => (name_tag, String::new()),
    };
    if !tag.is_empty() && (tag.len() > 128 || !tag.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) || tag.starts_with(['.', '-'])) {
        return invalid();
    }
    if name.is_empty() {
        return invalid();
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("invalid reference format: repository name must be lowercase".to_string());
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let has_domain = parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost");
    for (i, p) in parts.iter().enumerate() {
        if i == 0 && has_domain {
            continue;
        }
        let ok = !p.is_empty()
            && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
            && p.starts_with(|c: char| c.is_ascii_alphanumeric())
            && p.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !ok {
            return invalid();
        }
    }
    if !has_domain {
        if parts.len() == 1 {
            parts.insert(0, "library");
        }
        parts.insert(0, "docker.io");
    }
    let tag = if tag.is_empty() && digest.is_empty() { "latest".to_string() } else { tag };
    Ok(ImageRef { repo: parts.join("/"), tag, digest })
}

/// The normalised full reference, or the input unchanged if it does not parse.
pub fn normalize_image(image: &str) -> String {
    parse_image(image).map(|r| r.full()).unwrap_or_else(|_| image.to_string())
}

/// Finds the catalog entry for an image reference.
pub fn lookup(image: &str) -> Option<&'static Image> {
    // Every probe tick and program step asks for its container's image: the few distinct
    // references of a run are parsed once (a pure function, so the memo changes no result).
    thread_local! {
        static MEMO: std::cell::RefCell<crate::memo::Memo<String, Option<&'static Image>, 64>> = const { std::cell::RefCell::new(crate::memo::Memo::new()) };
    }
    let find = |image: &str| parse_image(image).ok().and_then(|r| IMAGES.iter().find(|i| i.repos.contains(&r.repo.as_str())));
    crate::memo::with(&MEMO, image, str::to_string, find, |found| *found)
}

/// A stable fake digest for an image (for imageID and containerd ids).
pub fn digest_of(image: &str) -> String {
    let a = crate::rng::fnv1a(image.as_bytes());
    let b = crate::rng::fnv1a(format!("{image}#").as_bytes());
    let c = crate::rng::fnv1a(format!("#{image}").as_bytes());
    let d = crate::rng::fnv1a(format!("{image}##").as_bytes());
    format!("sha256:{a:016x}{b:016x}{c:016x}{d:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_normalise_like_docker() {
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalize_image("nginx:1.25"), "docker.io/library/nginx:1.25");
        assert_eq!(normalize_image("luksa/kubia"), "docker.io/luksa/kubia:latest");
        assert_eq!(normalize_image("registry.k8s.io/busybox"), "registry.k8s.io/busybox:latest");
        assert!(parse_image("Nginx").is_err());
        assert!(parse_image("nginx::1").is_err());
        assert!(lookup("busybox:1.36").is_some());
        assert!(lookup("nginxx").is_none());
        assert!(lookup("cluster.k8s/kubia").is_some());
    }
}
