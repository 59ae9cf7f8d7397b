//! The programs a container image ships that the simulator implements: coreutils/busybox applets
//! (`sleep`, `cat`, `ls`, `tail`…), network tools (`wget`, `curl`, `nslookup`, `nc`) and the
//! memory hog `stress`. They run only if the host says the image has them
//! ([`super::ShellHost::has_program`]), so `wget` in the nginx image is `not found`, as on a
//! cluster.
//!
//! Output wording follows BusyBox (the images the Kubernetes docs use), e.g.
//! `cat: can't open '/tmp/healthy': No such file or directory`. Commands that take time return a
//! leaf frame (`sleep` → `Timed`, `tail -f` → `Follow`) instead of finishing.

use super::host::Signal;
use super::interp::{Ctl, Frame, Machine, Thread, R};
use super::util;

/// Whether the simulator implements this program.
pub(crate) fn is_simulated(name: &str) -> bool {
    matches!(
        name,
        "sleep"
            | "usleep"
            | "cat"
            | "touch"
            | "rm"
            | "rmdir"
            | "mkdir"
            | "ls"
            | "date"
            | "hostname"
            | "nslookup"
            | "wget"
            | "curl"
            | "tail"
            | "head"
            | "nc"
            | "grep"
            | "egrep"
            | "fgrep"
            | "wc"
            | "seq"
            | "expr"
            | "env"
            | "printenv"
            | "stress"
            | "basename"
            | "dirname"
            | "whoami"
            | "id"
            | "uname"
            | "sort"
            | "uniq"
            | "cp"
            | "mv"
            | "tee"
            | "tr"
            | "chmod"
            | "chown"
            | "sync"
            | "timeout"
            | "nohup"
            | "echo"
            | "printf"
            | "true"
            | "false"
            | "test"
            | "["
            | "kill"
            | "pwd"
    )
}

/// Runs a simulated program.
pub(crate) fn run(m: &mut Machine, th: &mut Thread, name: &str, argv: &[String], assigns: &[(String, String)]) -> R<()> {
    let args = &argv[1..];
    match name {
        "echo" | "printf" | "true" | "false" | "test" | "[" | "kill" | "pwd" => {
            let mut v = argv.to_vec();
            v[0] = name.to_string();
            m.run_builtin(th, &v)
        }
        "sleep" => sleep(m, th, args),
        "usleep" => {
            let us: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
            let ms = us.div_ceil(1000);
            if ms == 0 {
                th.status = 0;
            } else {
                th.frames.push(Frame::Timed { until: Some(m.now.saturating_add(ms)), status: 0, message: String::new() });
            }
            Ok(())
        }
        "cat" => cat(m, th, args),
        "touch" => touch(m, th, args),
        "rm" => rm(m, th, args),
        "rmdir" => rmdir(m, th, args),
        "mkdir" => mkdir(m, th, args),
        "ls" => ls(m, th, args),
        "date" => date(m, th, args),
        "hostname" => {
            let name = m.host.hostname();
            let out = if args.iter().any(|a| a == "-i" || a == "-I") { resolve(m, &name).unwrap_or_else(|| "127.0.0.1".to_string()) } else { name };
            m.write(th, 1, &format!("{out}\n"));
            th.status = 0;
            Ok(())
        }
        "nslookup" => nslookup(m, th, args),
        "wget" => wget(m, th, args),
        "curl" => curl(m, th, args),
        "tail" => tail(m, th, args),
        "head" => head(m, th, args),
        "nc" => nc(m, th, args),
        "grep" | "egrep" | "fgrep" => grep(m, th, name, args),
        "wc" => wc(m, th, args),
        "seq" => seq(m, th, args),
        "expr" => expr(m, th, args),
        "env" => env(m, th, args, assigns),
        "printenv" => {
            let vars = exported_with(th, assigns);
            th.status = 0;
            if args.is_empty() {
                let s: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
                m.write(th, 1, &s);
            } else {
                for a in args {
                    match vars.get(a) {
                        Some(v) => m.write(th, 1, &format!("{v}\n")),
                        None => th.status = 1,
                    }
                }
            }
            Ok(())
        }
        "stress" => stress(m, th, args),
        "basename" => {
            match args.first() {
                Some(p) => {
                    let mut b = util::basename(p);
                    if let Some(suffix) = args.get(1) {
                        if b != *suffix {
                            if let Some(stripped) = b.strip_suffix(suffix.as_str()) {
                                b = stripped.to_string();
                            }
                        }
                    }
                    m.write(th, 1, &format!("{b}\n"));
                    th.status = 0;
                }
                None => usage(m, th, "basename", "basename FILE [SUFFIX]"),
            }
            Ok(())
        }
        "dirname" => {
            match args.first() {
                Some(p) => {
                    m.write(th, 1, &format!("{}\n", util::dirname(p)));
                    th.status = 0;
                }
                None => usage(m, th, "dirname", "dirname FILENAME"),
            }
            Ok(())
        }
        "whoami" => {
            m.write(th, 1, "root\n");
            th.status = 0;
            Ok(())
        }
        "id" => {
            let out = match args.first().map(String::as_str) {
                Some("-u") | Some("-g") => "0\n",
                Some("-un") | Some("-gn") | Some("-n") => "root\n",
                _ => "uid=0(root) gid=0(root) groups=0(root)\n",
            };
            m.write(th, 1, out);
            th.status = 0;
            Ok(())
        }
        "uname" => {
            let host = m.host.hostname();
            let mut parts = Vec::new();
            for a in args {
                for c in a.trim_start_matches('-').chars() {
                    match c {
                        'a' => parts.extend(["Linux".to_string(), host.clone(), "6.8.0-podsim".to_string(), "#1 SMP PREEMPT_DYNAMIC".to_string(), "x86_64".to_string(), "GNU/Linux".to_string()]),
                        's' => parts.push("Linux".to_string()),
                        'n' => parts.push(host.clone()),
                        'r' => parts.push("6.8.0-podsim".to_string()),
                        'v' => parts.push("#1 SMP PREEMPT_DYNAMIC".to_string()),
                        'm' | 'p' | 'i' => parts.push("x86_64".to_string()),
                        'o' => parts.push("GNU/Linux".to_string()),
                        _ => {}
                    }
                }
            }
            if parts.is_empty() {
                parts.push("Linux".to_string());
            }
            m.write(th, 1, &format!("{}\n", parts.join(" ")));
            th.status = 0;
            Ok(())
        }
        "sort" => sort(m, th, args),
        "uniq" => uniq(m, th, args),
        "cp" | "mv" => cp_mv(m, th, name, args),
        "tee" => tee(m, th, args),
        "tr" => tr(m, th, args),
        "chmod" | "chown" => {
            th.status = 0;
            for f in args.iter().filter(|a| !a.starts_with('-')).skip(1) {
                let path = util::resolve_path(&th.env.cwd, f);
                if !m.host.exists(&path) {
                    m.write(th, 2, &format!("{name}: {f}: No such file or directory\n"));
                    th.status = 1;
                }
            }
            Ok(())
        }
        "sync" => {
            th.status = 0;
            Ok(())
        }
        "timeout" => timeout(m, th, args, assigns),
        "nohup" => {
            if args.is_empty() {
                usage(m, th, "nohup", "nohup PROG ARGS");
                return Ok(());
            }
            m.dispatch(th, args.to_vec(), assigns.to_vec())
        }
        _ => {
            th.status = 0;
            Ok(())
        }
    }
}

fn usage(m: &mut Machine, th: &mut Thread, name: &str, text: &str) {
    m.write(th, 2, &format!("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: {text}\n"));
    let _ = name;
    th.status = 1;
}

fn exported_with(th: &Thread, assigns: &[(String, String)]) -> std::collections::BTreeMap<String, String> {
    let mut vars = th.env.exported();
    for (k, v) in assigns {
        vars.insert(k.clone(), v.clone());
    }
    vars
}

/// Name → IPv4: `localhost` and IP literals locally, the rest through cluster DNS.
pub(crate) fn resolve(m: &Machine, name: &str) -> Option<String> {
    if name == "localhost" || name == "localhost.localdomain" || name == "ip6-localhost" {
        return Some("127.0.0.1".to_string());
    }
    if util::is_ipv4(name) {
        return Some(name.to_string());
    }
    m.host.resolve(name.trim_end_matches('.'))
}

fn sleep(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    if args.is_empty() {
        usage(m, th, "sleep", "sleep [N]...");
        return Ok(());
    }
    let mut total: u64 = 0;
    for a in args {
        match util::parse_duration_ms(a) {
            Ok(Some(ms)) => total = total.saturating_add(ms),
            Ok(None) => {
                th.frames.push(Frame::Timed { until: None, status: 0, message: String::new() });
                return Ok(());
            }
            Err(()) => {
                m.write(th, 2, &format!("sleep: invalid number '{a}'\n"));
                th.status = 1;
                return Ok(());
            }
        }
    }
    if total == 0 {
        th.status = 0;
    } else {
        th.frames.push(Frame::Timed { until: Some(m.now.saturating_add(total)), status: 0, message: String::new() });
    }
    Ok(())
}

/// Reads a file for a command; `Err` is the busybox message tail after `name: `.
fn read_input(m: &mut Machine, th: &mut Thread, file: &str) -> Result<String, String> {
    match file {
        "-" | "/dev/stdin" => Ok(m.read_stdin(th)),
        "/dev/null" => Ok(String::new()),
        _ => {
            let path = util::resolve_path(&th.env.cwd, file);
            match m.host.read_file(&path) {
                Some(c) => Ok(c),
                None if m.host.is_dir(&path) => Err("read error: Is a directory".to_string()),
                None => Err(format!("can't open '{file}': No such file or directory")),
            }
        }
    }
}

fn files_or_stdin(args: &[String]) -> Vec<String> {
    if args.is_empty() {
        vec!["-".to_string()]
    } else {
        args.to_vec()
    }
}

fn cat(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let files: Vec<String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).cloned().collect();
    th.status = 0;
    for f in files_or_stdin(&files) {
        if f == "/dev/zero" || f == "/dev/urandom" || f == "/dev/random" {
            // An endless stream: the command never ends (a CPU-burning keep-alive).
            th.frames.push(Frame::Timed { until: None, status: 0, message: String::new() });
            return Ok(());
        }
        match read_input(m, th, &f) {
            Ok(text) => m.write(th, 1, &text),
            Err(e) => {
                m.write(th, 2, &format!("cat: {e}\n"));
                th.status = 1;
            }
        }
    }
    Ok(())
}

fn touch(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let no_create = args.iter().any(|a| a == "-c");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if files.is_empty() {
        usage(m, th, "touch", "touch [-c] [-d DATE] [-t DATE] [-r FILE] FILE...");
        return Ok(());
    }
    th.status = 0;
    for f in files {
        let path = util::resolve_path(&th.env.cwd, f);
        if m.host.exists(&path) || no_create {
            continue;
        }
        if let Err(e) = m.host.write_file(&path, "", true) {
            m.write(th, 2, &format!("touch: {f}: {e}\n"));
            th.status = 1;
        }
    }
    Ok(())
}

fn rm(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut force = false;
    let mut recursive = false;
    let mut files = Vec::new();
    let mut opts_done = false;
    for a in args {
        if !opts_done && a == "--" {
            opts_done = true;
        } else if !opts_done && a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'f' => force = true,
                    'r' | 'R' => recursive = true,
                    _ => {}
                }
            }
        } else {
            files.push(a.clone());
        }
    }
    th.status = 0;
    if files.is_empty() && !force {
        usage(m, th, "rm", "rm [-irf] FILE...");
        return Ok(());
    }
    for f in files {
        let path = util::resolve_path(&th.env.cwd, &f);
        if !m.host.exists(&path) {
            if !force {
                m.write(th, 2, &format!("rm: can't remove '{f}': No such file or directory\n"));
                th.status = 1;
            }
            continue;
        }
        if m.host.is_dir(&path) && !recursive {
            m.write(th, 2, &format!("rm: '{f}' is a directory\n"));
            th.status = 1;
            continue;
        }
        if let Err(e) = m.host.remove(&path, recursive) {
            m.write(th, 2, &format!("rm: can't remove '{f}': {e}\n"));
            th.status = 1;
        }
    }
    Ok(())
}

fn rmdir(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    th.status = 0;
    for f in args.iter().filter(|a| !a.starts_with('-')) {
        let path = util::resolve_path(&th.env.cwd, f);
        let msg = if !m.host.exists(&path) {
            Some("No such file or directory".to_string())
        } else if !m.host.is_dir(&path) {
            Some("Not a directory".to_string())
        } else if m.host.list_dir(&path).is_some_and(|l| !l.is_empty()) {
            Some("Directory not empty".to_string())
        } else {
            m.host.remove(&path, false).err()
        };
        if let Some(e) = msg {
            m.write(th, 2, &format!("rmdir: '{f}': {e}\n"));
            th.status = 1;
        }
    }
    Ok(())
}

fn mkdir(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut parents = false;
    let mut dirs = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-m" {
            i += 2;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            if a.contains('p') {
                parents = true;
            }
        } else {
            dirs.push(a.clone());
        }
        i += 1;
    }
    if dirs.is_empty() {
        usage(m, th, "mkdir", "mkdir [-m MODE] [-p] DIRECTORY...");
        return Ok(());
    }
    th.status = 0;
    for d in dirs {
        let path = util::resolve_path(&th.env.cwd, &d);
        if m.host.exists(&path) {
            if parents && m.host.is_dir(&path) {
                continue;
            }
            m.write(th, 2, &format!("mkdir: can't create directory '{d}': File exists\n"));
            th.status = 1;
            continue;
        }
        let parent = util::dirname(&path);
        if !parents && !m.host.is_dir(&parent) {
            m.write(th, 2, &format!("mkdir: can't create directory '{d}': No such file or directory\n"));
            th.status = 1;
            continue;
        }
        if let Err(e) = m.host.mkdir(&path, parents) {
            m.write(th, 2, &format!("mkdir: can't create directory '{d}': {e}\n"));
            th.status = 1;
        }
    }
    Ok(())
}

fn ls(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut long = false;
    let mut all = false;
    let mut almost = false;
    let mut dir_only = false;
    let mut targets = Vec::new();
    for a in args {
        if a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'l' => long = true,
                    'a' => all = true,
                    'A' => almost = true,
                    'd' => dir_only = true,
                    _ => {}
                }
            }
        } else {
            targets.push(a.clone());
        }
    }
    if targets.is_empty() {
        targets.push(".".to_string());
    }
    let tm = util::tm_from_unix_ms(m.host.epoch_unix_ms().saturating_add(m.now as i64));
    let stamp = util::strftime("%b %e %H:%M", &tm);
    let entry = |m: &Machine, path: &str, name: &str| -> String {
        if !long {
            return format!("{name}\n");
        }
        let dir = m.host.is_dir(path);
        let size = if dir { 4096 } else { m.host.read_file(path).map_or(0, |c| c.len()) };
        let mode = if dir { "drwxr-xr-x" } else { "-rw-r--r--" };
        let links = if dir { 2 } else { 1 };
        format!("{mode} {links:>4} root     root     {size:>9} {stamp} {name}\n")
    };
    th.status = 0;
    let multiple = targets.len() > 1;
    let mut out = String::new();
    let mut first_dir = true;
    // Files first, then directories, as ls prints them.
    let mut dirs = Vec::new();
    for t in &targets {
        let path = util::resolve_path(&th.env.cwd, t);
        if !m.host.exists(&path) {
            m.write(th, 2, &format!("ls: {t}: No such file or directory\n"));
            th.status = 1;
            continue;
        }
        if m.host.is_dir(&path) && !dir_only {
            dirs.push((t.clone(), path));
        } else {
            out.push_str(&entry(m, &path, t));
        }
    }
    for (t, path) in dirs {
        if multiple {
            if !first_dir || !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{t}:\n"));
        }
        first_dir = false;
        let mut names = m.host.list_dir(&path).unwrap_or_default();
        names.sort();
        if long {
            out.push_str(&format!("total {}\n", names.len() * 4));
        }
        if all {
            out.push_str(&entry(m, &path, "."));
            out.push_str(&entry(m, &util::dirname(&path), ".."));
        }
        for n in names {
            if n.starts_with('.') && !all && !almost {
                continue;
            }
            let p = util::resolve_path(&path, &n);
            out.push_str(&entry(m, &p, &n));
        }
    }
    m.write(th, 1, &out);
    Ok(())
}

fn date(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut ms = m.host.epoch_unix_ms().saturating_add(m.now as i64);
    let mut fmt = "%a %b %e %H:%M:%S %Z %Y".to_string();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(f) = a.strip_prefix('+') {
            fmt = f.to_string();
        } else if a == "-R" || a == "--rfc-2822" || a == "--rfc-email" {
            fmt = "%a, %d %b %Y %H:%M:%S +0000".to_string();
        } else if a == "-I" || a == "--iso-8601" || a == "-Idate" {
            fmt = "%Y-%m-%d".to_string();
        } else if a.starts_with("-Iseconds") || a.starts_with("--iso-8601=seconds") {
            fmt = "%Y-%m-%dT%H:%M:%S+00:00".to_string();
        } else if a == "-d" || a == "--date" {
            i += 1;
            if let Some(d) = args.get(i) {
                match d.strip_prefix('@').and_then(|n| n.parse::<i64>().ok()) {
                    Some(secs) => ms = secs.saturating_mul(1000),
                    None => {
                        m.write(th, 2, &format!("date: invalid date '{d}'\n"));
                        th.status = 1;
                        return Ok(());
                    }
                }
            }
        }
        i += 1;
    }
    let tm = util::tm_from_unix_ms(ms);
    let text = util::strftime(&fmt, &tm);
    m.write(th, 1, &format!("{text}\n"));
    th.status = 0;
    Ok(())
}

fn nslookup(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(name) = names.first() else {
        usage(m, th, "nslookup", "nslookup HOST [DNS_SERVER]");
        return Ok(());
    };
    let server = m.host.dns_server();
    // BusyBox 1.28's format (the version the Kubernetes docs pin for nslookup).
    let mut out = format!("Server:    {server}\nAddress 1: {server} kube-dns.kube-system.svc.cluster.local\n\n");
    match resolve(m, name) {
        Some(ip) => {
            out.push_str(&format!("Name:      {name}\nAddress 1: {ip}"));
            if !util::is_ipv4(name) {
                out.push_str(&format!(" {name}"));
            }
            out.push('\n');
            m.write(th, 1, &out);
            th.status = 0;
        }
        None => {
            m.write(th, 1, &out);
            m.write(th, 2, &format!("nslookup: can't resolve '{name}'\n"));
            th.status = 1;
        }
    }
    Ok(())
}

fn http_status_line(code: u16) -> String {
    let reason = util::reason_phrase(code);
    if reason.is_empty() {
        format!("HTTP/1.1 {code}")
    } else {
        format!("HTTP/1.1 {code} {reason}")
    }
}

fn wget(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut spider = false;
    let mut urls = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-q" | "--quiet" => quiet = true,
            "--spider" | "-s" => spider = true,
            "-O" | "--output-document" => {
                i += 1;
                output = args.get(i).cloned();
            }
            "-T" | "-t" | "-U" | "--header" | "--post-data" | "--post-file" | "-P" | "-o" | "-Y" | "-e" | "--user-agent" | "--timeout" | "--tries" => i += 1,
            _ if a.starts_with("--output-document=") => output = a.split_once('=').map(|(_, v)| v.to_string()),
            _ if a.starts_with("-O") && a.len() > 2 => output = Some(a[2..].to_string()),
            _ if a.starts_with('-') && a.len() > 1 => {
                if !a.starts_with("--") && a[1..].contains('q') {
                    quiet = true;
                }
                if !a.starts_with("--") && a.ends_with('O') {
                    i += 1;
                    output = args.get(i).cloned();
                }
            }
            _ => urls.push(a.clone()),
        }
        i += 1;
    }
    let Some(raw) = urls.first() else {
        usage(m, th, "wget", "wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...");
        return Ok(());
    };
    th.status = 1;
    let Some(url) = util::parse_url(raw) else {
        m.write(th, 2, &format!("wget: not an http or ftp url: {raw}\n"));
        return Ok(());
    };
    let Some(ip) = resolve(m, &url.host) else {
        m.write(th, 2, &format!("wget: bad address '{}'\n", url.host));
        return Ok(());
    };
    let default_port = if url.scheme == "https" { 443 } else { 80 };
    let shown_host = if url.port == default_port { url.host.clone() } else { format!("{}:{}", url.host, url.port) };
    if !quiet {
        m.write(th, 2, &format!("Connecting to {shown_host} ({ip}:{})\n", url.port));
    }
    let (code, body) = match m.host.http_get(&url.full()) {
        Ok(r) => r,
        Err(e) => {
            if e.to_ascii_lowercase().contains("timed out") {
                m.write(th, 2, "wget: download timed out\n");
            } else {
                m.write(th, 2, &format!("wget: can't connect to remote host ({ip}): {e}\n"));
            }
            return Ok(());
        }
    };
    if code >= 400 {
        m.write(th, 2, &format!("wget: server returned error: {}\n", http_status_line(code)));
        return Ok(());
    }
    if spider {
        if !quiet {
            m.write(th, 2, "remote file exists\n");
        }
        th.status = 0;
        return Ok(());
    }
    let target = match output.as_deref() {
        Some("-") => None,
        Some(f) => Some(f.to_string()),
        None => {
            let base = util::basename(url.path.split('?').next().unwrap_or("/"));
            let name = if base.is_empty() || base == "/" { "index.html".to_string() } else { base };
            if m.host.exists(&util::resolve_path(&th.env.cwd, &name)) {
                m.write(th, 2, &format!("wget: can't open '{name}': File exists\n"));
                return Ok(());
            }
            Some(name)
        }
    };
    match &target {
        None => {
            if !quiet {
                m.write(th, 2, "writing to stdout\n");
            }
            m.write(th, 1, &body);
        }
        Some(f) => {
            if !quiet {
                m.write(th, 2, &format!("saving to '{f}'\n"));
            }
            let path = util::resolve_path(&th.env.cwd, f);
            if f != "/dev/null" {
                if let Err(e) = m.host.write_file(&path, &body, false) {
                    m.write(th, 2, &format!("wget: can't open '{f}': {e}\n"));
                    return Ok(());
                }
            }
        }
    }
    if !quiet {
        let label = target.clone().unwrap_or_else(|| "-".to_string());
        m.write(th, 2, &format!("{label:<20.20}100% |********************************| {:>5}  0:00:00 ETA\n", body.len()));
        match &target {
            None => m.write(th, 2, "written to stdout\n"),
            Some(f) => m.write(th, 2, &format!("'{f}' saved\n")),
        }
    }
    th.status = 0;
    Ok(())
}

fn curl(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut silent = false;
    let mut show_error = false;
    let mut fail = false;
    let mut head = false;
    let mut include = false;
    let mut output: Option<String> = None;
    let mut write_out: Option<String> = None;
    let mut urls = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--silent" => silent = true,
            "--show-error" => show_error = true,
            "--fail" | "--fail-with-body" => fail = true,
            "--head" => head = true,
            "--include" => include = true,
            "-o" | "--output" => {
                i += 1;
                output = args.get(i).cloned();
            }
            "-w" | "--write-out" => {
                i += 1;
                write_out = args.get(i).cloned();
            }
            "-X" | "--request" | "-H" | "--header" | "-d" | "--data" | "--data-raw" | "-u" | "--user" | "-A" | "--user-agent" | "-x" | "--proxy" | "-m" | "--max-time" | "--connect-timeout" | "--retry" | "-e"
            | "--referer" | "--cacert" | "--resolve" => i += 1,
            _ if a.starts_with("--") => {}
            _ if a.starts_with('-') && a.len() > 1 => {
                let flags: Vec<char> = a[1..].chars().collect();
                for (k, c) in flags.iter().enumerate() {
                    match c {
                        's' => silent = true,
                        'S' => show_error = true,
                        'f' => fail = true,
                        'I' => head = true,
                        'i' => include = true,
                        'o' | 'w' | 'X' | 'H' | 'd' | 'u' | 'A' | 'x' | 'm' | 'e' => {
                            // An option with a value: the rest of this word, or the next word.
                            let rest: String = flags[k + 1..].iter().collect();
                            let value = if rest.is_empty() {
                                i += 1;
                                args.get(i).cloned()
                            } else {
                                Some(rest)
                            };
                            if *c == 'o' {
                                output = value;
                            } else if *c == 'w' {
                                write_out = value;
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            }
            _ => urls.push(a.clone()),
        }
        i += 1;
    }
    let show_err = !silent || show_error;
    let Some(raw) = urls.first() else {
        if show_err {
            m.write(th, 2, "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        }
        th.status = 2;
        return Ok(());
    };
    let meter_header = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";
    let Some(url) = util::parse_url(raw) else {
        if show_err {
            m.write(th, 2, "curl: (3) URL rejected: Malformed input to a URL function\n");
        }
        th.status = 3;
        return Ok(());
    };
    let empty_meter = "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n";
    let write_out_text = |code: u16, size: usize, url: &str| -> String {
        let Some(fmt) = &write_out else { return String::new() };
        let (f, _) = util::backslash_escapes(fmt, false);
        f.replace("%{http_code}", &format!("{code:03}")).replace("%{response_code}", &format!("{code:03}")).replace("%{size_download}", &size.to_string()).replace("%{url_effective}", url).replace("%{time_total}", "0.001000")
    };
    let Some(_ip) = resolve(m, &url.host) else {
        if !silent {
            m.write(th, 2, &format!("{meter_header}{empty_meter}"));
        }
        let w = write_out_text(0, 0, raw);
        m.write(th, 1, &w);
        if show_err {
            m.write(th, 2, &format!("curl: (6) Could not resolve host: {}\n", url.host));
        }
        th.status = 6;
        return Ok(());
    };
    let (code, body) = match m.host.http_get(&url.full()) {
        Ok(r) => r,
        Err(e) => {
            if !silent {
                m.write(th, 2, &format!("{meter_header}{empty_meter}"));
            }
            let w = write_out_text(0, 0, raw);
            m.write(th, 1, &w);
            let timed_out = e.to_ascii_lowercase().contains("timed out");
            if show_err {
                if timed_out {
                    m.write(th, 2, "curl: (28) Connection timed out after 1000 milliseconds\n");
                } else {
                    m.write(th, 2, &format!("curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server\n", url.host, url.port));
                }
            }
            th.status = if timed_out { 28 } else { 7 };
            return Ok(());
        }
    };
    if !silent {
        let n = body.len();
        m.write(th, 2, &format!("{meter_header}100 {n:>5}  100 {n:>5}    0     0   {:>4}k      0 --:--:-- --:--:-- --:--:--  {:>4}k\n", n / 1000 + 1, n / 1000 + 1));
    }
    if fail && code >= 400 {
        if show_err {
            m.write(th, 2, &format!("curl: (22) The requested URL returned error: {code}\n"));
        }
        let w = write_out_text(code, 0, raw);
        m.write(th, 1, &w);
        th.status = 22;
        return Ok(());
    }
    let headers = format!("{}\r\ncontent-length: {}\r\ncontent-type: text/html\r\n\r\n", http_status_line(code), body.len());
    let mut text = String::new();
    if head || include {
        text.push_str(&headers);
    }
    if !head {
        text.push_str(&body);
    }
    match output.as_deref() {
        None | Some("-") => m.write(th, 1, &text),
        Some("/dev/null") => {}
        Some(f) => {
            let path = util::resolve_path(&th.env.cwd, f);
            if let Err(e) = m.host.write_file(&path, &text, false) {
                if show_err {
                    m.write(th, 2, &format!("curl: (23) Failure writing output to destination: {e}\n"));
                }
                th.status = 23;
                return Ok(());
            }
        }
    }
    let w = write_out_text(code, body.len(), raw);
    m.write(th, 1, &w);
    th.status = 0;
    Ok(())
}

/// Parses `-n N`, `-N`, `-nN`, `-n +N` and `-c N` style counts shared by head and tail.
struct LineOpts {
    count: usize,
    from_start: bool,
    bytes: bool,
    follow: bool,
    retry: bool,
    files: Vec<String>,
}

fn line_opts(m: &mut Machine, th: &mut Thread, name: &str, args: &[String]) -> Option<LineOpts> {
    let mut o = LineOpts { count: 10, from_start: false, bytes: false, follow: false, retry: false, files: Vec::new() };
    let mut i = 0;
    let parse = |s: &str, o: &mut LineOpts| -> bool {
        let (plus, digits) = match s.strip_prefix('+') {
            Some(d) => (true, d),
            None => (false, s.strip_prefix('-').unwrap_or(s)),
        };
        match digits.parse::<usize>() {
            Ok(n) => {
                o.count = n;
                o.from_start = plus;
                true
            }
            Err(_) => false,
        }
    };
    while i < args.len() {
        let a = &args[i];
        if a == "-n" || a == "-c" || a == "--lines" || a == "--bytes" {
            o.bytes = a == "-c" || a == "--bytes";
            i += 1;
            let v = args.get(i).cloned().unwrap_or_default();
            if !parse(&v, &mut o) {
                m.write(th, 2, &format!("{name}: invalid number '{v}'\n"));
                th.status = 1;
                return None;
            }
        } else if a == "-f" || a == "--follow" {
            o.follow = true;
        } else if a == "-F" {
            o.follow = true;
            o.retry = true;
        } else if a == "-q" || a == "-v" || a == "-s" {
            if a == "-s" {
                i += 1;
            }
        } else if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            let body = &a[1..];
            if body.chars().all(|c| c.is_ascii_digit()) {
                parse(body, &mut o);
            } else {
                // Clusters like `-fn5`, `-n5`, `-f`.
                for (k, c) in body.char_indices() {
                    match c {
                        'f' => o.follow = true,
                        'F' => {
                            o.follow = true;
                            o.retry = true;
                        }
                        'n' | 'c' => {
                            o.bytes = c == 'c';
                            let rest = &body[k + 1..];
                            let v = if rest.is_empty() {
                                i += 1;
                                args.get(i).cloned().unwrap_or_default()
                            } else {
                                rest.to_string()
                            };
                            if !parse(&v, &mut o) {
                                m.write(th, 2, &format!("{name}: invalid number '{v}'\n"));
                                th.status = 1;
                                return None;
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            }
        } else if a.starts_with('+') && name == "tail" {
            parse(a, &mut o);
        } else {
            o.files.push(a.clone());
        }
        i += 1;
    }
    Some(o)
}

fn last_lines(text: &str, o: &LineOpts) -> String {
    if o.bytes {
        let chars: Vec<char> = text.chars().collect();
        let start = if o.from_start { o.count.saturating_sub(1).min(chars.len()) } else { chars.len().saturating_sub(o.count) };
        return chars[start..].iter().collect();
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = if o.from_start { o.count.saturating_sub(1).min(lines.len()) } else { lines.len().saturating_sub(o.count) };
    lines[start..].concat()
}

fn tail(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let Some(o) = line_opts(m, th, "tail", args) else { return Ok(()) };
    th.status = 0;
    if o.files.iter().any(|f| f == "/dev/zero") && !o.follow {
        // Looks for the last line of an endless line-less stream: buffers it all.
        th.frames.push(Frame::DevZero { next_at: m.now });
        return Ok(());
    }
    if o.files.is_empty() {
        let text = m.read_stdin(th);
        let out = last_lines(&text, &o);
        m.write(th, 1, &out);
        return Ok(());
    }
    let multiple = o.files.len() > 1;
    let mut followed = Vec::new();
    let mut out = String::new();
    for (k, f) in o.files.iter().enumerate() {
        if f == "/dev/null" {
            if o.follow {
                followed.push(("/dev/null".to_string(), 0));
            }
            continue;
        }
        let path = util::resolve_path(&th.env.cwd, f);
        match m.host.read_file(&path) {
            Some(text) => {
                if multiple {
                    out.push_str(&format!("{}==> {f} <==\n", if k > 0 { "\n" } else { "" }));
                }
                out.push_str(&last_lines(&text, &o));
                followed.push((path, text.len()));
            }
            None => {
                let why = if m.host.is_dir(&path) { "Is a directory" } else { "No such file or directory" };
                m.write(th, 2, &format!("tail: can't open '{f}': {why}\n"));
                th.status = 1;
                if o.retry {
                    followed.push((path, 0));
                }
            }
        }
    }
    m.write(th, 1, &out);
    if o.follow {
        followed.retain(|(p, _)| p != "/dev/null");
        if followed.is_empty() {
            if o.files.iter().any(|f| f == "/dev/null") {
                // `tail -f /dev/null`: the classic keep-alive, never ends and prints nothing.
                th.frames.push(Frame::Timed { until: None, status: 0, message: String::new() });
                return Ok(());
            }
            m.write(th, 2, "tail: no files\n");
            th.status = 1;
            return Ok(());
        }
        th.frames.push(Frame::Follow { files: followed });
    }
    Ok(())
}

fn head(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let Some(o) = line_opts(m, th, "head", args) else { return Ok(()) };
    th.status = 0;
    let files = files_or_stdin(&o.files);
    let multiple = files.len() > 1;
    for (k, f) in files.iter().enumerate() {
        match read_input(m, th, f) {
            Ok(text) => {
                let body: String = if o.bytes { text.chars().take(o.count).collect() } else { text.split_inclusive('\n').take(o.count).collect() };
                if multiple {
                    m.write(th, 1, &format!("{}==> {f} <==\n", if k > 0 { "\n" } else { "" }));
                }
                m.write(th, 1, &body);
            }
            Err(e) => {
                m.write(th, 2, &format!("head: {e}\n"));
                th.status = 1;
            }
        }
    }
    Ok(())
}

fn nc(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut listen = false;
    let mut verbose = false;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'l' => listen = true,
                    'v' => verbose = true,
                    'w' | 'p' | 'e' | 'i' | 'q' | 's' => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
            }
        } else {
            rest.push(a.clone());
        }
        i += 1;
    }
    if listen {
        // A listener the host does not know about: it just waits forever.
        th.frames.push(Frame::Timed { until: None, status: 0, message: String::new() });
        return Ok(());
    }
    let (Some(host), Some(port)) = (rest.first(), rest.get(1)) else {
        usage(m, th, "nc", "nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen");
        return Ok(());
    };
    let Ok(port) = port.parse::<u16>() else {
        m.write(th, 2, &format!("nc: bad port '{port}'\n"));
        th.status = 1;
        return Ok(());
    };
    let Some(ip) = resolve(m, host) else {
        m.write(th, 2, &format!("nc: bad address '{host}'\n"));
        th.status = 1;
        return Ok(());
    };
    match m.host.tcp_connect(&ip, port) {
        Ok(()) => {
            if verbose {
                m.write(th, 2, &format!("{host} ({ip}:{port}) open\n"));
            }
            th.status = 0;
        }
        Err(e) => {
            m.write(th, 2, &format!("nc: {host} ({ip}:{port}): {e}\n"));
            th.status = 1;
        }
    }
    Ok(())
}

fn grep(m: &mut Machine, th: &mut Thread, name: &str, args: &[String]) -> R<()> {
    let mut quiet = false;
    let mut invert = false;
    let mut ignore_case = false;
    let mut count = false;
    let mut numbers = false;
    let mut list = false;
    let mut whole_line = false;
    let mut fixed = name == "fgrep";
    let mut with_name: Option<bool> = None;
    let mut patterns: Vec<String> = Vec::new();
    let mut files = Vec::new();
    let mut i = 0;
    let mut opts_done = false;
    while i < args.len() {
        let a = &args[i];
        if !opts_done && a == "--" {
            opts_done = true;
        } else if !opts_done && a == "-e" {
            i += 1;
            if let Some(p) = args.get(i) {
                patterns.push(p.clone());
            }
        } else if !opts_done && a.starts_with('-') && a.len() > 1 {
            for c in a[1..].chars() {
                match c {
                    'q' | 's' => quiet = quiet || c == 'q',
                    'v' => invert = true,
                    'i' => ignore_case = true,
                    'c' => count = true,
                    'n' => numbers = true,
                    'l' => list = true,
                    'x' => whole_line = true,
                    'F' => fixed = true,
                    'H' => with_name = Some(true),
                    'h' => with_name = Some(false),
                    _ => {}
                }
            }
        } else if patterns.is_empty() {
            patterns.push(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    if patterns.is_empty() {
        usage(m, th, "grep", "grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...");
        th.status = 2;
        return Ok(());
    }
    let matchers: Vec<re::Regex> = patterns
        .iter()
        .map(|p| {
            let p = if ignore_case { p.to_lowercase() } else { p.clone() };
            if fixed {
                re::Regex::literal(&p, whole_line)
            } else {
                re::Regex::new(&p, whole_line)
            }
        })
        .collect();
    let files = files_or_stdin(&files);
    let show_name = with_name.unwrap_or(files.len() > 1);
    let mut any = false;
    let mut error = false;
    let mut out = String::new();
    for f in &files {
        let text = match read_input(m, th, f) {
            Ok(t) => t,
            Err(_) => {
                if !quiet {
                    m.write(th, 2, &format!("grep: {f}: No such file or directory\n"));
                }
                error = true;
                continue;
            }
        };
        let label = if f == "-" { "(standard input)" } else { f.as_str() };
        let mut n = 0;
        for (ln, line) in text.lines().enumerate() {
            let hay = if ignore_case { line.to_lowercase() } else { line.to_string() };
            let hit = matchers.iter().any(|r| r.is_match(&hay)) != invert;
            if !hit {
                continue;
            }
            n += 1;
            any = true;
            if quiet || count || list {
                continue;
            }
            if show_name {
                out.push_str(&format!("{label}:"));
            }
            if numbers {
                out.push_str(&format!("{}:", ln + 1));
            }
            out.push_str(line);
            out.push('\n');
        }
        if count && !quiet {
            if show_name {
                out.push_str(&format!("{label}:"));
            }
            out.push_str(&format!("{n}\n"));
        }
        if list && n > 0 && !quiet {
            out.push_str(&format!("{label}\n"));
        }
        if quiet && any {
            break;
        }
    }
    m.write(th, 1, &out);
    th.status = if any && (quiet || !error) {
        0
    } else if error {
        2
    } else {
        1
    };
    Ok(())
}

fn wc(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut flags = String::new();
    let mut files = Vec::new();
    for a in args {
        if a.starts_with('-') && a.len() > 1 {
            flags.push_str(&a[1..]);
        } else {
            files.push(a.clone());
        }
    }
    let (l, w, c) = if flags.is_empty() { (true, true, true) } else { (flags.contains('l'), flags.contains('w'), flags.contains('c') || flags.contains('m')) };
    let columns = usize::from(l) + usize::from(w) + usize::from(c);
    th.status = 0;
    let named = !files.is_empty();
    let mut rows = Vec::new();
    let mut totals = (0usize, 0usize, 0usize);
    for f in files_or_stdin(&files) {
        match read_input(m, th, &f) {
            Ok(text) => {
                let counts = (text.matches('\n').count(), text.split_whitespace().count(), text.len());
                totals = (totals.0 + counts.0, totals.1 + counts.1, totals.2 + counts.2);
                rows.push((counts, if named { f.clone() } else { String::new() }));
            }
            Err(e) => {
                m.write(th, 2, &format!("wc: {e}\n"));
                th.status = 1;
            }
        }
    }
    if rows.len() > 1 {
        rows.push((totals, "total".to_string()));
    }
    let mut out = String::new();
    for ((nl, nw, nc), label) in rows {
        let mut nums = Vec::new();
        if l {
            nums.push(nl);
        }
        if w {
            nums.push(nw);
        }
        if c {
            nums.push(nc);
        }
        let line = if columns == 1 && label.is_empty() {
            nums[0].to_string()
        } else {
            nums.iter().map(|n| format!("{n:>7}")).collect::<Vec<_>>().join(" ")
        };
        if label.is_empty() {
            out.push_str(&format!("{line}\n"));
        } else {
            out.push_str(&format!("{line} {label}\n"));
        }
    }
    m.write(th, 1, &out);
    Ok(())
}

fn seq(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut sep = "\n".to_string();
    let mut equal_width = false;
    let mut nums = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-s" {
            i += 1;
            sep = args.get(i).cloned().unwrap_or_default();
        } else if a == "-w" {
            equal_width = true;
        } else {
            nums.push(a.clone());
        }
        i += 1;
    }
    let parsed: Result<Vec<i64>, String> = nums.iter().map(|n| n.trim().parse::<i64>().map_err(|_| n.clone())).collect();
    let parsed = match parsed {
        Ok(p) => p,
        Err(bad) => {
            m.write(th, 2, &format!("seq: invalid number '{bad}'\n"));
            th.status = 1;
            return Ok(());
        }
    };
    let (first, inc, last) = match parsed.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, s, l] => (*f, *s, *l),
        _ => {
            usage(m, th, "seq", "seq [-w] [-s SEP] [FIRST [INC]] LAST");
            return Ok(());
        }
    };
    th.status = 0;
    if inc == 0 {
        return Ok(());
    }
    let width = if equal_width { first.to_string().len().max(last.to_string().len()) } else { 0 };
    let mut items = Vec::new();
    let mut v = first;
    // Bounded: a script asking for a billion numbers gets the first 100 000.
    while ((inc > 0 && v <= last) || (inc < 0 && v >= last)) && items.len() < 100_000 {
        items.push(if width > 0 { format!("{v:0width$}") } else { v.to_string() });
        match v.checked_add(inc) {
            Some(n) => v = n,
            None => break,
        }
    }
    if !items.is_empty() {
        m.write(th, 1, &format!("{}\n", items.join(&sep)));
    }
    Ok(())
}

fn env(m: &mut Machine, th: &mut Thread, args: &[String], assigns: &[(String, String)]) -> R<()> {
    let mut vars = exported_with(th, assigns);
    let mut extra: Vec<(String, String)> = assigns.to_vec();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-i" || a == "-" {
            vars.clear();
            extra.clear();
        } else if a == "-u" {
            i += 1;
            if let Some(n) = args.get(i) {
                vars.remove(n);
            }
        } else if let Some((k, v)) = a.split_once('=').filter(|(k, _)| super::parser::is_name(k)) {
            vars.insert(k.to_string(), v.to_string());
            extra.push((k.to_string(), v.to_string()));
        } else {
            break;
        }
        i += 1;
    }
    if i >= args.len() {
        let s: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        m.write(th, 1, &s);
        th.status = 0;
        return Ok(());
    }
    // `env VAR=x cmd`: run cmd with the extra variables exported to it.
    let argv = args[i..].to_vec();
    let mut saved = Vec::new();
    for (k, v) in &extra {
        saved.push((k.clone(), th.env.vars.get(k).cloned()));
        th.env.vars.insert(k.clone(), super::interp::Var { value: v.clone(), exported: true, readonly: false });
    }
    let depth = th.frames.len();
    let r = if super::builtins::builtin_kind(&argv[0]).is_some() { m.run_builtin(th, &argv) } else { m.run_external(th, argv, Vec::new()) };
    if th.frames.len() > depth {
        th.frames.insert(depth, Frame::RestoreVars(saved));
    } else {
        super::interp::restore_vars(th, saved);
    }
    r
}

fn stress(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut cpu = 0u64;
    let mut io = 0u64;
    let mut vm = 0u64;
    let mut hdd = 0u64;
    let mut vm_bytes: u64 = 256 << 20;
    let mut timeout_ms: Option<u64> = None;
    let mut i = 0;
    let num = |s: Option<&String>| s.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    while i < args.len() {
        let a = args[i].as_str();
        let next = args.get(i + 1);
        match a {
            "-c" | "--cpu" => {
                cpu = num(next);
                i += 1;
            }
            "-i" | "--io" => {
                io = num(next);
                i += 1;
            }
            "-m" | "--vm" => {
                vm = num(next);
                i += 1;
            }
            "-d" | "--hdd" => {
                hdd = num(next);
                i += 1;
            }
            "--vm-bytes" => {
                match next.and_then(|v| util::parse_size(v)) {
                    Some(b) => vm_bytes = b,
                    None => {
                        m.write(th, 2, &format!("stress: FAIL: [1] (244) invalid number: {}\n", next.map_or("", String::as_str)));
                        th.status = 1;
                        return Ok(());
                    }
                }
                i += 1;
            }
            "-t" | "--timeout" => {
                timeout_ms = next.and_then(|v| util::parse_duration_ms(v).ok().flatten());
                i += 1;
            }
            "--vm-hang" | "--vm-stride" | "--hdd-bytes" | "--backoff" => i += 1,
            _ => {}
        }
        i += 1;
    }
    // stress reports its own pid: 1 when it is the container's init (exec form or exec'd by sh).
    let pid = if m.is_tail(th) { 1 } else { th.pid.max(7) };
    m.write(th, 1, &format!("stress: info: [{pid}] dispatching hogs: {cpu} cpu, {io} io, {vm} vm, {hdd} hdd\n"));
    if vm > 0 && m.host.allocate(vm.saturating_mul(vm_bytes)).is_err() {
        return Err(Ctl::Oom);
    }
    let secs = timeout_ms.map_or(0, |t| t / 1000);
    let message = format!("stress: info: [{pid}] successful run completed in {secs}s\n");
    if cpu + io + vm + hdd == 0 {
        m.write(th, 1, &message);
        th.status = 0;
        return Ok(());
    }
    th.frames.push(Frame::Timed { until: timeout_ms.map(|t| m.now.saturating_add(t)), status: 0, message });
    Ok(())
}

fn sort(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut reverse = false;
    let mut numeric = false;
    let mut unique = false;
    let mut files = Vec::new();
    for a in args {
        if a.starts_with('-') && a.len() > 1 {
            reverse |= a.contains('r');
            numeric |= a.contains('n');
            unique |= a.contains('u');
        } else {
            files.push(a.clone());
        }
    }
    let mut lines = Vec::new();
    th.status = 0;
    for f in files_or_stdin(&files) {
        match read_input(m, th, &f) {
            Ok(t) => lines.extend(t.lines().map(str::to_string)),
            Err(e) => {
                m.write(th, 2, &format!("sort: {e}\n"));
                th.status = 2;
                return Ok(());
            }
        }
    }
    if numeric {
        let key = |s: &str| -> i64 {
            let t = s.trim_start();
            let end = t.char_indices().find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-'))).map_or(t.len(), |(i, _)| i);
            t[..end].parse().unwrap_or(0)
        };
        lines.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.cmp(b)));
    } else {
        lines.sort();
    }
    if unique {
        lines.dedup();
    }
    if reverse {
        lines.reverse();
    }
    let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
    m.write(th, 1, &out);
    Ok(())
}

fn uniq(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let count = args.iter().any(|a| a == "-c");
    let files: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    let text = match read_input(m, th, files.first().map_or("-", String::as_str)) {
        Ok(t) => t,
        Err(e) => {
            m.write(th, 2, &format!("uniq: {e}\n"));
            th.status = 1;
            return Ok(());
        }
    };
    let mut out = String::new();
    let mut prev: Option<(&str, usize)> = None;
    let emit = |line: &str, n: usize, out: &mut String| {
        if count {
            out.push_str(&format!("{n:>7} {line}\n"));
        } else {
            out.push_str(&format!("{line}\n"));
        }
    };
    for line in text.lines() {
        match prev {
            Some((p, n)) if p == line => prev = Some((p, n + 1)),
            Some((p, n)) => {
                emit(p, n, &mut out);
                prev = Some((line, 1));
            }
            None => prev = Some((line, 1)),
        }
    }
    if let Some((p, n)) = prev {
        emit(p, n, &mut out);
    }
    m.write(th, 1, &out);
    th.status = 0;
    Ok(())
}

fn cp_mv(m: &mut Machine, th: &mut Thread, name: &str, args: &[String]) -> R<()> {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if operands.len() < 2 {
        usage(m, th, name, &format!("{name} [-fip] SOURCE... DEST"));
        return Ok(());
    }
    th.status = 0;
    let dest = operands[operands.len() - 1];
    let dest_path = util::resolve_path(&th.env.cwd, dest);
    let dest_is_dir = m.host.is_dir(&dest_path);
    for src in &operands[..operands.len() - 1] {
        let src_path = util::resolve_path(&th.env.cwd, src);
        let Some(data) = m.host.read_file(&src_path) else {
            let why = if m.host.is_dir(&src_path) { "omitting directory" } else { "No such file or directory" };
            m.write(th, 2, &format!("{name}: can't stat '{src}': {why}\n"));
            th.status = 1;
            continue;
        };
        let target = if dest_is_dir { util::resolve_path(&dest_path, &util::basename(src)) } else { dest_path.clone() };
        if let Err(e) = m.host.write_file(&target, &data, false) {
            m.write(th, 2, &format!("{name}: can't create '{dest}': {e}\n"));
            th.status = 1;
            continue;
        }
        if name == "mv" {
            let _ = m.host.remove(&src_path, false);
        }
    }
    Ok(())
}

fn tee(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let append = args.iter().any(|a| a == "-a");
    let text = m.read_stdin(th);
    th.status = 0;
    for f in args.iter().filter(|a| !a.starts_with('-')) {
        let path = util::resolve_path(&th.env.cwd, f);
        if let Err(e) = m.host.write_file(&path, &text, append) {
            m.write(th, 2, &format!("tee: {f}: {e}\n"));
            th.status = 1;
        }
    }
    m.write(th, 1, &text);
    Ok(())
}

fn tr_set(spec: &str) -> Vec<char> {
    let spec = spec.replace("[:upper:]", "A-Z").replace("[:lower:]", "a-z").replace("[:digit:]", "0-9").replace("[:space:]", " \t\n\r").replace("[:alpha:]", "a-zA-Z");
    let (unescaped, _) = util::backslash_escapes(&spec, true);
    let chars: Vec<char> = unescaped.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i] <= chars[i + 2] && (chars[i + 2] as u32 - chars[i] as u32) < 1024 {
            for c in chars[i]..=chars[i + 2] {
                out.push(c);
            }
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn tr(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let delete = args.iter().any(|a| a == "-d");
    let squeeze = args.iter().any(|a| a == "-s");
    let sets: Vec<&String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).collect();
    let Some(s1) = sets.first() else {
        usage(m, th, "tr", "tr [-cds] STRING1 [STRING2]");
        return Ok(());
    };
    let from = tr_set(s1);
    let to = sets.get(1).map(|s| tr_set(s)).unwrap_or_default();
    let text = m.read_stdin(th);
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in text.chars() {
        let mapped = match from.iter().position(|&f| f == c) {
            Some(_) if delete => None,
            Some(i) if !to.is_empty() => Some(*to.get(i).unwrap_or(to.last().unwrap_or(&c))),
            _ => Some(c),
        };
        if let Some(mc) = mapped {
            if squeeze && last == Some(mc) && (to.contains(&mc) || from.contains(&mc)) {
                continue;
            }
            out.push(mc);
            last = Some(mc);
        }
    }
    m.write(th, 1, &out);
    th.status = 0;
    Ok(())
}

fn timeout(m: &mut Machine, th: &mut Thread, args: &[String], assigns: &[(String, String)]) -> R<()> {
    let mut i = 0;
    let mut sig = Signal::Term;
    while let Some(a) = args.get(i) {
        if a == "-s" {
            sig = args.get(i + 1).and_then(|s| Signal::parse(s)).unwrap_or(Signal::Term);
            i += 2;
        } else if a.starts_with('-') && a.len() > 1 {
            i += 1;
        } else {
            break;
        }
    }
    let Some(limit) = args.get(i).and_then(|d| util::parse_duration_ms(d).ok()) else {
        usage(m, th, "timeout", "timeout [-s SIG] SECS PROG ARGS");
        return Ok(());
    };
    let argv = args[i + 1..].to_vec();
    if argv.is_empty() {
        usage(m, th, "timeout", "timeout [-s SIG] SECS PROG ARGS");
        return Ok(());
    }
    let depth = th.frames.len();
    m.dispatch(th, argv, assigns.to_vec())?;
    // If the command is still running at the deadline, it is killed: status 124 (GNU) / 128+n.
    if let (Some(limit), true) = (limit, th.frames.len() > depth) {
        let deadline = m.now.saturating_add(limit);
        let killed = 124.max(if sig == Signal::Term { 124 } else { 128 + sig.number() });
        if let Some(top) = th.frames.last_mut() {
            let replace = match top {
                Frame::Timed { until, .. } => until.is_none_or(|u| u > deadline),
                Frame::Follow { .. } | Frame::Wait { .. } => true,
                _ => false,
            };
            if replace {
                *top = Frame::Timed { until: Some(deadline), status: killed, message: String::new() };
            }
        }
    }
    Ok(())
}

/// `expr`: arithmetic, comparisons, `:` matching, `length`, `substr`, `index`.
fn expr(m: &mut Machine, th: &mut Thread, args: &[String]) -> R<()> {
    let mut p = ExprParser { toks: args, pos: 0, depth: 0 };
    let result = p.or();
    let result = match result {
        Ok(v) if p.pos == args.len() => Ok(v),
        Ok(_) => Err("syntax error".to_string()),
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => {
            m.write(th, 1, &format!("{v}\n"));
            th.status = i32::from(v.is_empty() || v == "0");
        }
        Err(e) => {
            m.write(th, 2, &format!("expr: {e}\n"));
            th.status = 2;
        }
    }
    Ok(())
}

struct ExprParser<'a> {
    toks: &'a [String],
    pos: usize,
    depth: u32,
}

impl ExprParser<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(String::as_str)
    }

    fn num(v: &str) -> Result<i64, String> {
        v.trim().parse::<i64>().map_err(|_| "non-numeric argument".to_string())
    }

    fn or(&mut self) -> Result<String, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("syntax error".to_string());
        }
        let mut l = self.and()?;
        while self.peek() == Some("|") {
            self.pos += 1;
            let r = self.and()?;
            if l.is_empty() || l == "0" {
                l = if r.is_empty() { "0".to_string() } else { r };
            }
        }
        self.depth -= 1;
        Ok(l)
    }

    fn and(&mut self) -> Result<String, String> {
        let mut l = self.cmp()?;
        while self.peek() == Some("&") {
            self.pos += 1;
            let r = self.cmp()?;
            if l.is_empty() || l == "0" || r.is_empty() || r == "0" {
                l = "0".to_string();
            }
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<String, String> {
        let mut l = self.add()?;
        while let Some(op) = self.peek().filter(|o| ["=", "==", "!=", "<", "<=", ">", ">="].contains(o)).map(str::to_string) {
            self.pos += 1;
            let r = self.add()?;
            let ord = match (l.trim().parse::<i64>(), r.trim().parse::<i64>()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => l.cmp(&r),
            };
            let v = match op.as_str() {
                "=" | "==" => ord.is_eq(),
                "!=" => !ord.is_eq(),
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                ">" => ord.is_gt(),
                _ => ord.is_ge(),
            };
            l = i64::from(v).to_string();
        }
        Ok(l)
    }

    fn add(&mut self) -> Result<String, String> {
        let mut l = self.mul()?;
        while let Some(op) = self.peek().filter(|o| *o == "+" || *o == "-").map(str::to_string) {
            self.pos += 1;
            let r = self.mul()?;
            let (a, b) = (Self::num(&l)?, Self::num(&r)?);
            l = if op == "+" { a.wrapping_add(b) } else { a.wrapping_sub(b) }.to_string();
        }
        Ok(l)
    }

    fn mul(&mut self) -> Result<String, String> {
        let mut l = self.matching()?;
        while let Some(op) = self.peek().filter(|o| ["*", "/", "%"].contains(o)).map(str::to_string) {
            self.pos += 1;
            let r = self.matching()?;
            let (a, b) = (Self::num(&l)?, Self::num(&r)?);
            if op != "*" && b == 0 {
                return Err("division by zero".to_string());
            }
            l = match op.as_str() {
                "*" => a.wrapping_mul(b),
                "/" => a.wrapping_div(b),
                _ => a.wrapping_rem(b),
            }
            .to_string();
        }
        Ok(l)
    }

    fn matching(&mut self) -> Result<String, String> {
        let l = self.primary()?;
        if self.peek() == Some(":") {
            self.pos += 1;
            let r = self.primary()?;
            return Ok(re::Regex::new(&format!("^{r}"), false).match_len(&l).unwrap_or(0).to_string());
        }
        Ok(l)
    }

    fn primary(&mut self) -> Result<String, String> {
        let Some(t) = self.peek().map(str::to_string) else { return Err("syntax error".to_string()) };
        self.pos += 1;
        match t.as_str() {
            "(" => {
                let v = self.or()?;
                if self.peek() != Some(")") {
                    return Err("syntax error".to_string());
                }
                self.pos += 1;
                Ok(v)
            }
            "length" => {
                let v = self.primary()?;
                Ok(v.chars().count().to_string())
            }
            "substr" => {
                let s = self.primary()?;
                let p = Self::num(&self.primary()?)?;
                let n = Self::num(&self.primary()?)?;
                if p < 1 || n < 1 {
                    return Ok(String::new());
                }
                Ok(s.chars().skip((p - 1) as usize).take(n as usize).collect())
            }
            "index" => {
                let s = self.primary()?;
                let chars = self.primary()?;
                Ok(s.chars().position(|c| chars.contains(c)).map_or(0, |i| i + 1).to_string())
            }
            "match" => {
                let s = self.primary()?;
                let r = self.primary()?;
                Ok(re::Regex::new(&format!("^{r}"), false).match_len(&s).unwrap_or(0).to_string())
            }
            _ => Ok(t),
        }
    }
}

/// A small regular-expression engine for `grep` and `expr`: literals, `.`, bracket classes,
/// `*`/`+`/`?` on one atom, `^`/`$` anchors and top-level `|`. It simulates the automaton on
/// the whole set of positions at once, so matching is linear in the line length whatever the
/// pattern (no catastrophic backtracking).
mod re {
    #[derive(Clone, Debug)]
    enum Atom {
        Char(char),
        Any,
        Class(bool, Vec<(char, char)>),
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Rep {
        One,
        Star,
        Opt,
    }

    #[derive(Clone, Debug)]
    struct Branch {
        atoms: Vec<(Atom, Rep)>,
        start: bool,
        end: bool,
    }

    #[derive(Clone, Debug)]
    pub(super) struct Regex {
        branches: Vec<Branch>,
    }

    impl Atom {
        fn matches(&self, c: char) -> bool {
            match self {
                Atom::Char(x) => *x == c,
                Atom::Any => true,
                Atom::Class(neg, items) => items.iter().any(|&(a, b)| a <= c && c <= b) != *neg,
            }
        }
    }

    impl Regex {
        pub fn literal(p: &str, whole: bool) -> Regex {
            let atoms = p.chars().map(|c| (Atom::Char(c), Rep::One)).collect();
            Regex { branches: vec![Branch { atoms, start: whole, end: whole }] }
        }

        pub fn new(p: &str, whole: bool) -> Regex {
            // `\|` (BRE) and `|` (ERE) both separate alternatives here.
            let mut alts = Vec::new();
            let mut cur = String::new();
            let chars: Vec<char> = p.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                if chars[i] == '\\' && chars.get(i + 1) == Some(&'|') {
                    alts.push(std::mem::take(&mut cur));
                    i += 2;
                    continue;
                }
                if chars[i] == '|' {
                    alts.push(std::mem::take(&mut cur));
                    i += 1;
                    continue;
                }
                if chars[i] == '\\' {
                    if let Some(&n) = chars.get(i + 1) {
                        cur.push('\\');
                        cur.push(n);
                        i += 2;
                        continue;
                    }
                }
                cur.push(chars[i]);
                i += 1;
            }
            alts.push(cur);
            Regex { branches: alts.iter().map(|a| Self::branch(a, whole)).collect() }
        }

        fn branch(p: &str, whole: bool) -> Branch {
            let mut chars: Vec<char> = p.chars().filter(|c| *c != '(' && *c != ')').collect();
            let start = whole || chars.first() == Some(&'^');
            if chars.first() == Some(&'^') {
                chars.remove(0);
            }
            let end = whole || (chars.last() == Some(&'$') && !(chars.len() >= 2 && chars[chars.len() - 2] == '\\'));
            if chars.last() == Some(&'$') && end && !whole {
                chars.pop();
            }
            let mut atoms: Vec<(Atom, Rep)> = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                let atom = match c {
                    '.' => Atom::Any,
                    '\\' if i + 1 < chars.len() => {
                        i += 1;
                        match chars[i] {
                            'd' => Atom::Class(false, vec![('0', '9')]),
                            'w' => Atom::Class(false, vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]),
                            's' => Atom::Class(false, vec![(' ', ' '), ('\t', '\t')]),
                            '+' | '?' if !atoms.is_empty() => {
                                let rep = if chars[i] == '+' { Rep::Star } else { Rep::Opt };
                                if rep == Rep::Star {
                                    if let Some(last) = atoms.last().cloned() {
                                        atoms.push((last.0, Rep::Star));
                                    }
                                } else if let Some(last) = atoms.last_mut() {
                                    last.1 = Rep::Opt;
                                }
                                i += 1;
                                continue;
                            }
                            other => Atom::Char(other),
                        }
                    }
                    '[' => {
                        let mut j = i + 1;
                        let neg = matches!(chars.get(j), Some('^') | Some('!'));
                        if neg {
                            j += 1;
                        }
                        let first = j;
                        let mut items = Vec::new();
                        while j < chars.len() && (chars[j] != ']' || j == first) {
                            if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|c| *c != ']') {
                                items.push((chars[j], chars[j + 2]));
                                j += 3;
                            } else {
                                items.push((chars[j], chars[j]));
                                j += 1;
                            }
                        }
                        if j >= chars.len() {
                            Atom::Char('[')
                        } else {
                            i = j;
                            Atom::Class(neg, items)
                        }
                    }
                    '*' if atoms.is_empty() => Atom::Char('*'),
                    '*' => {
                        if let Some(last) = atoms.last_mut() {
                            last.1 = Rep::Star;
                        }
                        i += 1;
                        continue;
                    }
                    '+' if !atoms.is_empty() => {
                        if let Some(last) = atoms.last().cloned() {
                            atoms.push((last.0, Rep::Star));
                        }
                        i += 1;
                        continue;
                    }
                    '?' if !atoms.is_empty() => {
                        if let Some(last) = atoms.last_mut() {
                            last.1 = Rep::Opt;
                        }
                        i += 1;
                        continue;
                    }
                    other => Atom::Char(other),
                };
                atoms.push((atom, Rep::One));
                i += 1;
            }
            Branch { atoms, start, end }
        }

        pub fn is_match(&self, text: &str) -> bool {
            let chars: Vec<char> = text.chars().collect();
            self.branches.iter().any(|b| b.search(&chars))
        }

        /// Length of the longest match anchored at the start (`expr STR : REGEX`).
        pub fn match_len(&self, text: &str) -> Option<usize> {
            let chars: Vec<char> = text.chars().collect();
            self.branches.iter().filter_map(|b| b.longest_from(&chars, 0)).max()
        }
    }

    impl Branch {
        /// Whether the branch matches anywhere in `chars`: one pass, a new start at every
        /// position unless anchored.
        fn search(&self, chars: &[char]) -> bool {
            let n = self.atoms.len();
            let mut set = vec![false; n + 1];
            set[0] = true;
            self.closure(&mut set);
            if set[n] && (!self.end || chars.is_empty()) {
                return true;
            }
            for (k, &c) in chars.iter().enumerate() {
                let mut next = vec![false; n + 1];
                for i in 0..n {
                    if set[i] && self.atoms[i].0.matches(c) {
                        if self.atoms[i].1 == Rep::Star {
                            next[i] = true;
                        }
                        next[i + 1] = true;
                    }
                }
                if !self.start {
                    next[0] = true;
                }
                self.closure(&mut next);
                set = next;
                if set[n] && (!self.end || k + 1 == chars.len()) {
                    return true;
                }
                if !set.iter().any(|s| *s) {
                    return false;
                }
            }
            false
        }

        fn closure(&self, set: &mut [bool]) {
            for i in 0..self.atoms.len() {
                if set[i] && self.atoms[i].1 != Rep::One {
                    set[i + 1] = true;
                }
            }
        }

        /// Longest match starting at `from`, as a length; `None` if no match.
        fn longest_from(&self, chars: &[char], from: usize) -> Option<usize> {
            let n = self.atoms.len();
            let mut set = vec![false; n + 1];
            set[0] = true;
            self.closure(&mut set);
            let mut best = None;
            let accept = |set: &[bool], pos: usize| set[n] && (!self.end || pos == chars.len());
            if accept(&set, from) {
                best = Some(0);
            }
            for (k, &c) in chars.iter().enumerate().skip(from) {
                let mut next = vec![false; n + 1];
                let mut any = false;
                for i in 0..n {
                    if set[i] && self.atoms[i].0.matches(c) {
                        any = true;
                        if self.atoms[i].1 == Rep::Star {
                            next[i] = true;
                        }
                        next[i + 1] = true;
                    }
                }
                if !any {
                    break;
                }
                self.closure(&mut next);
                set = next;
                if accept(&set, k + 1) {
                    best = Some(k + 1 - from);
                }
            }
            best
        }
    }
}
