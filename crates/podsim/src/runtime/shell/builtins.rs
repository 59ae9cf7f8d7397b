//! Shell builtins: the commands the shell itself runs without a program on disk (`echo`, `cd`,
//! `export`, `trap`, `wait`, `kill`, `exit`, `test`…), so they work even in images that ship
//! nothing but the shell.
//!
//! Special builtins (`exit`, `export`, `trap`, `set`…) keep prefix assignments (`A=1 export B`);
//! regular ones see them only for their own run, as POSIX says.

use super::host::{Dialect, Signal};
use super::interp::{Ctl, Frame, Machine, Thread, TrapAction, TrapCond, Var, R};
use super::parser;
use super::util;

/// `Some(true)` for special builtins, `Some(false)` for regular ones, `None` otherwise.
pub(crate) fn builtin_kind(name: &str) -> Option<bool> {
    match name {
        ":" | "." | "break" | "continue" | "eval" | "exec" | "exit" | "export" | "readonly" | "return" | "set" | "shift" | "trap" | "unset" | "times" | "source" => Some(true),
        "echo" | "printf" | "test" | "[" | "[[" | "true" | "false" | "cd" | "pwd" | "read" | "wait" | "kill" | "local" | "type" | "command" | "umask" | "ulimit" | "jobs" | "hash" | "let" | "alias"
        | "unalias" | "declare" | "typeset" | "getopts" => Some(false),
        _ => None,
    }
}

impl Machine<'_> {
    /// Runs a builtin (the caller checked [`builtin_kind`]).
    pub fn run_builtin(&mut self, th: &mut Thread, argv: &[String]) -> R<()> {
        let name = argv[0].as_str();
        let args = &argv[1..];
        match name {
            ":" | "true" | "hash" | "alias" | "unalias" => th.status = 0,
            "false" => th.status = 1,
            "echo" => self.bi_echo(th, args),
            "printf" => self.bi_printf(th, args),
            "test" | "[" | "[[" => self.bi_test(th, name, args),
            "cd" => self.bi_cd(th, args),
            "pwd" => {
                let cwd = format!("{}\n", th.env.cwd);
                self.write(th, 1, &cwd);
                th.status = 0;
            }
            "exit" => return self.bi_exit(th, args),
            "return" => {
                let code = match args.first() {
                    Some(a) => a.parse::<i64>().map(|v| (v & 0xff) as i32).unwrap_or(2),
                    None => th.status,
                };
                return Err(Ctl::Return(code));
            }
            "break" | "continue" => {
                let n = match args.first() {
                    Some(a) => match a.parse::<u32>() {
                        Ok(n) if n > 0 => n,
                        _ => {
                            self.shell_error(th, &format!("{name}: Illegal number: {a}"));
                            return Err(Ctl::Exit(2));
                        }
                    },
                    None => 1,
                };
                return Err(if name == "break" { Ctl::Break(n) } else { Ctl::Continue(n) });
            }
            "export" | "readonly" | "declare" | "typeset" => self.bi_export(th, name, args)?,
            "local" => self.bi_local(th, args)?,
            "unset" => self.bi_unset(th, args)?,
            "set" => self.bi_set(th, args),
            "shift" => {
                let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
                if n > th.env.positional.len() {
                    // A special builtin's error ends a POSIX shell; bash just fails quietly.
                    if th.env.dialect == Dialect::Bash {
                        th.status = 1;
                        return Ok(());
                    }
                    self.shell_error(th, "shift: can't shift that many");
                    return Err(Ctl::Exit(2));
                } else {
                    th.env.positional.drain(..n);
                    th.status = 0;
                }
            }
            "eval" => {
                let text = args.join(" ");
                th.status = 0;
                if text.trim().is_empty() {
                    return Ok(());
                }
                if let Some(node) = self.parse_action(th, &text) {
                    th.frames.push(Frame::Exec(node));
                }
            }
            "." | "source" => self.bi_source(th, name, args)?,
            "exec" => return self.bi_exec(th, args),
            "trap" => self.bi_trap(th, args),
            "wait" => self.bi_wait(th, args),
            "kill" => self.bi_kill(th, args),
            "read" => self.bi_read(th, args)?,
            "type" => self.bi_type(th, args, false),
            "command" => return self.bi_command(th, args),
            "umask" => {
                if args.is_empty() {
                    self.write(th, 1, "0022\n");
                }
                th.status = 0;
            }
            "ulimit" => {
                if args.iter().all(|a| a.starts_with('-')) {
                    self.write(th, 1, "unlimited\n");
                }
                th.status = 0;
            }
            "times" => {
                self.write(th, 1, "0m0.00s 0m0.00s\n0m0.00s 0m0.00s\n");
                th.status = 0;
            }
            "jobs" => {
                let mine: Vec<u32> = self.others.values().filter(|t| t.parent == th.pid).map(|t| t.pid).collect();
                let n = mine.len();
                for (i, pid) in mine.into_iter().enumerate() {
                    let mark = if i + 1 == n { '+' } else { ' ' };
                    let line = format!("[{}]{mark}  Running                    (pid {pid})\n", i + 1);
                    self.write(th, 1, &line);
                }
                th.status = 0;
            }
            "let" => {
                let mut last = 0;
                for a in args {
                    last = self.arith_text(th, a)?;
                }
                th.status = i32::from(last == 0);
            }
            "getopts" => th.status = 1,
            _ => th.status = 0,
        }
        Ok(())
    }

    fn bi_echo(&mut self, th: &mut Thread, args: &[String]) {
        let mut newline = true;
        let mut escapes = th.env.dialect == Dialect::Dash;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let Some(flags) = a.strip_prefix('-') else { break };
            let allowed = if th.env.dialect == Dialect::Dash { "n" } else { "neE" };
            if flags.is_empty() || !flags.chars().all(|c| allowed.contains(c)) {
                break;
            }
            for c in flags.chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        }
        let mut text = args[i.min(args.len())..].join(" ");
        if escapes {
            let (t, stop) = util::backslash_escapes(&text, false);
            text = t;
            if stop {
                newline = false;
            }
        }
        if newline {
            text.push('\n');
        }
        self.write(th, 1, &text);
        th.status = 0;
    }

    fn bi_printf(&mut self, th: &mut Thread, args: &[String]) {
        let Some(fmt) = args.first() else {
            let msg = match th.env.dialect {
                Dialect::Bash => "printf: usage: printf [-v var] format [arguments]\n".to_string(),
                _ => "printf: usage: printf FORMAT [ARGUMENT...]\n".to_string(),
            };
            self.write(th, 2, &msg);
            th.status = 2;
            return;
        };
        let rest = &args[1..];
        let mut out = String::new();
        let mut idx = 0;
        let mut errors = Vec::new();
        loop {
            let before = idx;
            let stop = printf_once(fmt, rest, &mut idx, &mut out, &mut errors);
            if stop || idx >= rest.len() || idx == before || out.len() > super::interp::MAX_TEXT {
                break;
            }
        }
        self.write(th, 1, &out);
        th.status = 0;
        for e in errors {
            let msg = match th.env.dialect {
                Dialect::Bash => format!("printf: {e}: invalid number"),
                Dialect::Dash => format!("printf: {e}: expected numeric value"),
                Dialect::Ash => format!("printf: invalid number '{e}'"),
            };
            if th.env.dialect == Dialect::Ash {
                self.write(th, 2, &format!("{msg}\n"));
            } else {
                self.shell_error(th, &msg);
            }
            th.status = 1;
        }
    }

    fn bi_test(&mut self, th: &mut Thread, name: &str, args: &[String]) {
        let mut args: Vec<String> = args.to_vec();
        if name == "[" || name == "[[" {
            let close = if name == "[" { "]" } else { "]]" };
            if args.last().map(String::as_str) != Some(close) {
                let msg = match th.env.dialect {
                    Dialect::Bash => format!("{name}: missing `{close}'"),
                    _ => format!("{name}: missing {close}"),
                };
                self.shell_error(th, &msg);
                th.status = 2;
                return;
            }
            args.pop();
        }
        let bash_ext = name == "[[";
        let result = {
            let mut t = TestEval { m: self, th: &*th, args: &args, pos: 0, ext: bash_ext };
            t.eval_all()
        };
        match result {
            Ok(b) => th.status = i32::from(!b),
            Err(e) => {
                let msg = match th.env.dialect {
                    Dialect::Bash => format!("{name}: {e}"),
                    Dialect::Dash => format!("{name}: {e}"),
                    Dialect::Ash => format!("{name}: {e}"),
                };
                self.shell_error(th, &msg);
                th.status = 2;
            }
        }
    }

    fn bi_cd(&mut self, th: &mut Thread, args: &[String]) {
        let args: Vec<&String> = args.iter().filter(|a| *a != "-L" && *a != "-P").collect();
        let target = match args.first() {
            None => th.env.get("HOME").unwrap_or("/root").to_string(),
            Some(a) if a.as_str() == "-" => {
                let old = th.env.get("OLDPWD").unwrap_or("/").to_string();
                let line = format!("{old}\n");
                self.write(th, 1, &line);
                old
            }
            Some(a) => a.to_string(),
        };
        let path = util::resolve_path(&th.env.cwd, &target);
        if !self.host.is_dir(&path) {
            let why = if self.host.exists(&path) { "Not a directory" } else { "No such file or directory" };
            let msg = match th.env.dialect {
                Dialect::Ash => format!("cd: can't cd to {target}: {why}"),
                Dialect::Dash => format!("cd: can't cd to {target}"),
                Dialect::Bash => format!("cd: {target}: {why}"),
            };
            self.shell_error(th, &msg);
            th.status = if th.env.dialect == Dialect::Bash { 1 } else { 2 };
            return;
        }
        let old = std::mem::replace(&mut th.env.cwd, path.clone());
        set_plain(th, "OLDPWD", old);
        set_plain(th, "PWD", path);
        th.status = 0;
    }

    fn bi_exit(&mut self, th: &mut Thread, args: &[String]) -> R<()> {
        let code = match args.first() {
            None => {
                // In a trap action, `exit` means the status from before the trap.
                th.frames.iter().rev().find_map(|f| match f {
                    Frame::Trap { status, exit_code: None } => Some(*status),
                    _ => None,
                })
                .unwrap_or(th.status)
            }
            Some(a) => match a.trim().parse::<i64>() {
                Ok(v) if v >= 0 || th.env.dialect == Dialect::Bash => (v & 0xff) as i32,
                _ => {
                    let msg = match th.env.dialect {
                        Dialect::Bash => format!("exit: {a}: numeric argument required"),
                        _ => format!("exit: Illegal number: {a}"),
                    };
                    self.shell_error(th, &msg);
                    2
                }
            },
        };
        Err(Ctl::Exit(code))
    }

    fn bi_export(&mut self, th: &mut Thread, name: &str, args: &[String]) -> R<()> {
        let mut export = name == "export";
        let mut readonly = name == "readonly";
        let mut print = false;
        let mut unexport = false;
        let mut names = Vec::new();
        for a in args {
            if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty() && !a.contains('=')) {
                for c in flags.chars() {
                    match c {
                        'x' => export = true,
                        'r' => readonly = true,
                        'p' => print = true,
                        'n' => unexport = true,
                        _ => {}
                    }
                }
            } else {
                names.push(a.clone());
            }
        }
        if names.is_empty() {
            let keyword = if readonly && name == "readonly" { "readonly" } else { "export" };
            let lines: String = th
                .env
                .vars
                .iter()
                .filter(|(_, v)| if readonly && name == "readonly" { v.readonly } else { v.exported || (!export && !print) })
                .map(|(k, v)| format!("{keyword} {k}='{}'\n", v.value.replace('\'', "'\\''")))
                .collect();
            self.write(th, 1, &lines);
            th.status = 0;
            return Ok(());
        }
        // `declare x=1` inside a function is local, as in bash.
        let local = matches!(name, "declare" | "typeset") && !export;
        th.status = 0;
        for n in names {
            let (var, value) = match n.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (n.clone(), None),
            };
            if !parser::is_name(&var) {
                let msg = match th.env.dialect {
                    Dialect::Bash => format!("{name}: `{n}': not a valid identifier"),
                    _ => format!("{name}: {var}: bad variable name"),
                };
                self.shell_error(th, &msg);
                th.status = 1;
                if th.env.dialect != Dialect::Bash {
                    return Err(Ctl::Exit(2));
                }
                continue;
            }
            if local {
                self.make_local(th, &var);
            }
            if let Some(v) = value {
                self.set_var(th, &var, v)?;
            }
            let entry = th.env.vars.entry(var).or_insert(Var { value: String::new(), exported: false, readonly: false });
            if export {
                entry.exported = true;
            }
            if unexport {
                entry.exported = false;
            }
            if readonly {
                entry.readonly = true;
            }
        }
        Ok(())
    }

    /// Records a variable's current value in the innermost function frame.
    fn make_local(&mut self, th: &mut Thread, var: &str) -> bool {
        let old = th.env.vars.get(var).cloned();
        for f in th.frames.iter_mut().rev() {
            if let Frame::Func { locals, .. } = f {
                if !locals.iter().any(|(n, _)| n == var) {
                    locals.push((var.to_string(), old));
                }
                return true;
            }
        }
        false
    }

    fn bi_local(&mut self, th: &mut Thread, args: &[String]) -> R<()> {
        th.status = 0;
        for a in args {
            if a.starts_with('-') {
                continue;
            }
            let (var, value) = match a.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            if !parser::is_name(&var) {
                self.shell_error(th, &format!("local: {var}: bad variable name"));
                th.status = 1;
                continue;
            }
            if !self.make_local(th, &var) {
                let msg = match th.env.dialect {
                    Dialect::Bash => "local: can only be used in a function".to_string(),
                    _ => "local: not in a function".to_string(),
                };
                self.shell_error(th, &msg);
                th.status = 1;
                if th.env.dialect != Dialect::Bash {
                    return Err(Ctl::Exit(2));
                }
                return Ok(());
            }
            match value {
                Some(v) => self.set_var(th, &var, v)?,
                None => {
                    if th.env.dialect == Dialect::Bash {
                        th.env.vars.remove(&var);
                    }
                }
            }
        }
        Ok(())
    }

    fn bi_unset(&mut self, th: &mut Thread, args: &[String]) -> R<()> {
        let mut funcs = false;
        th.status = 0;
        for a in args {
            match a.as_str() {
                "-f" => funcs = true,
                "-v" => funcs = false,
                name => {
                    if funcs {
                        th.env.funcs.remove(name);
                        continue;
                    }
                    if th.env.vars.get(name).is_some_and(|v| v.readonly) {
                        self.shell_error(th, &format!("unset: {name}: readonly variable"));
                        th.status = 1;
                        continue;
                    }
                    if th.env.vars.remove(name).is_none() {
                        th.env.funcs.remove(name);
                    }
                }
            }
        }
        Ok(())
    }

    fn bi_set(&mut self, th: &mut Thread, args: &[String]) {
        th.status = 0;
        if args.is_empty() {
            let lines: String = th.env.vars.iter().map(|(k, v)| format!("{k}='{}'\n", v.value.replace('\'', "'\\''"))).collect();
            self.write(th, 1, &lines);
            return;
        }
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                th.env.positional = args[i + 1..].to_vec();
                return;
            }
            let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
                (Some(f), _) if !f.is_empty() => (true, f),
                (_, Some(f)) if !f.is_empty() => (false, f),
                _ => {
                    th.env.positional = args[i..].to_vec();
                    return;
                }
            };
            i += 1;
            for c in flags.chars() {
                match c {
                    'e' => th.env.opts.errexit = on,
                    'x' => th.env.opts.xtrace = on,
                    'u' => th.env.opts.nounset = on,
                    'f' => th.env.opts.noglob = on,
                    'o' => {
                        let opt = args.get(i).cloned().unwrap_or_default();
                        i += 1;
                        match opt.as_str() {
                            "pipefail" => th.env.opts.pipefail = on,
                            "errexit" => th.env.opts.errexit = on,
                            "nounset" => th.env.opts.nounset = on,
                            "xtrace" => th.env.opts.xtrace = on,
                            "noglob" => th.env.opts.noglob = on,
                            "" => {
                                let o = th.env.opts;
                                let mut s = String::new();
                                for (n, v) in [("errexit", o.errexit), ("noglob", o.noglob), ("nounset", o.nounset), ("pipefail", o.pipefail), ("xtrace", o.xtrace)] {
                                    s.push_str(&format!("{n:<16}{}\n", if v { "on" } else { "off" }));
                                }
                                self.write(th, 1, &s);
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn bi_source(&mut self, th: &mut Thread, name: &str, args: &[String]) -> R<()> {
        let Some(file) = args.first() else {
            self.shell_error(th, &format!("{name}: filename argument required"));
            th.status = 2;
            return Ok(());
        };
        let path = util::resolve_path(&th.env.cwd, file);
        let Some(text) = self.host.read_file(&path) else {
            let msg = match th.env.dialect {
                Dialect::Bash => format!("{file}: No such file or directory"),
                Dialect::Dash => format!("{name}: cannot open {file}: No such file"),
                Dialect::Ash => format!("{name}: can't open '{file}': No such file or directory"),
            };
            self.shell_error(th, &msg);
            if th.env.dialect == Dialect::Bash {
                th.status = 1;
                return Ok(());
            }
            return Err(Ctl::Exit(2));
        };
        th.status = 0;
        if let Some(node) = self.parse_action(th, &text) {
            th.frames.push(Frame::Exec(node));
        }
        Ok(())
    }

    fn bi_exec(&mut self, th: &mut Thread, args: &[String]) -> R<()> {
        th.keep_redirs = true;
        th.status = 0;
        if args.is_empty() {
            return Ok(());
        }
        // The shell is replaced: drop everything up to the enclosing subshell boundary, traps
        // included; what runs next decides the exit status.
        let keep = th.frames.iter().rposition(|f| matches!(f, Frame::Subshell { .. })).map_or(0, |i| i + 1);
        while th.frames.len() > keep {
            let _ = th.frames.pop();
        }
        if keep == 0 {
            th.env.traps.clear();
            th.exit_trap_done = true;
        }
        let argv = args.to_vec();
        if builtin_kind(&argv[0]).is_some() && !matches!(argv[0].as_str(), "exec" | "command") {
            self.run_builtin(th, &argv)?;
            return Err(Ctl::Exit(th.status));
        }
        self.run_external(th, argv, Vec::new())
    }

    fn bi_trap(&mut self, th: &mut Thread, args: &[String]) {
        th.status = 0;
        let bash = th.env.dialect == Dialect::Bash;
        if args.is_empty() || args[0] == "-p" {
            let mut s = String::new();
            for (cond, action) in &th.env.traps {
                let text = match action {
                    TrapAction::Ignore => String::new(),
                    TrapAction::Run(t) => t.clone(),
                };
                let name = match cond {
                    TrapCond::Exit => "EXIT".to_string(),
                    TrapCond::Sig(sig) if bash => format!("SIG{}", sig.name()),
                    TrapCond::Sig(sig) => sig.name().to_string(),
                };
                s.push_str(&format!("trap -- '{}' {name}\n", text.replace('\'', "'\\''")));
            }
            self.write(th, 1, &s);
            return;
        }
        if args[0] == "-l" {
            let s: String = Signal::ALL.iter().map(|sig| format!("{:2}) SIG{}\n", sig.number(), sig.name())).collect();
            self.write(th, 1, &s);
            return;
        }
        let first = &args[0];
        let is_num = !first.is_empty() && first.chars().all(|c| c.is_ascii_digit());
        let (action, conds): (Option<TrapAction>, &[String]) = if args.len() == 1 {
            let is_cond = is_num || first.eq_ignore_ascii_case("EXIT") || Signal::parse(first).is_some();
            if !is_cond {
                // `trap 'cmd'` with no condition does nothing.
                return;
            }
            (None, args)
        } else if is_num {
            // POSIX: a leading number means every operand is a condition to reset.
            (None, args)
        } else if first == "-" {
            (None, &args[1..])
        } else if first.is_empty() {
            (Some(TrapAction::Ignore), &args[1..])
        } else {
            (Some(TrapAction::Run(first.clone())), &args[1..])
        };
        for c in conds {
            let cond = match c.to_ascii_uppercase().as_str() {
                "EXIT" | "0" | "SIGEXIT" => Some(TrapCond::Exit),
                other => Signal::parse(other).map(TrapCond::Sig),
            };
            let Some(cond) = cond else {
                match th.env.dialect {
                    Dialect::Bash => self.shell_error(th, &format!("trap: {c}: invalid signal specification")),
                    // dash prints this one without its usual prefix.
                    Dialect::Dash => self.write(th, 2, &format!("trap: {c}: bad trap\n")),
                    Dialect::Ash => self.shell_error(th, &format!("trap: {c}: invalid signal specification")),
                }
                th.status = 1;
                continue;
            };
            match &action {
                Some(a) => {
                    th.env.traps.insert(cond, a.clone());
                }
                None => {
                    th.env.traps.remove(&cond);
                }
            }
        }
    }

    fn bi_wait(&mut self, th: &mut Thread, args: &[String]) {
        let mut pids = Vec::new();
        for a in args {
            match a.parse::<u32>() {
                Ok(p) if self.others.contains_key(&p) || self.sh.zombies.contains_key(&p) => pids.push(p),
                Ok(p) => {
                    let msg = match th.env.dialect {
                        Dialect::Bash => format!("wait: pid {p} is not a child of this shell"),
                        _ => format!("wait: pid {p} is not a child of this shell"),
                    };
                    if th.env.dialect == Dialect::Bash {
                        self.shell_error(th, &msg);
                    }
                    th.status = 127;
                    return;
                }
                Err(_) => {
                    self.shell_error(th, &format!("wait: {a}: invalid process id"));
                    th.status = 2;
                    return;
                }
            }
        }
        th.frames.push(Frame::Wait { pids });
    }

    fn bi_kill(&mut self, th: &mut Thread, args: &[String]) {
        let mut sig = Signal::Term;
        let mut i = 0;
        if let Some(first) = args.first() {
            if first == "-l" || first == "-L" {
                let s: String = Signal::ALL.iter().map(|s| format!("{}\n", s.name())).collect();
                self.write(th, 1, &s);
                th.status = 0;
                return;
            }
            if first == "-s" || first == "-n" {
                match args.get(1).and_then(|s| Signal::parse(s)) {
                    Some(s) => sig = s,
                    None => {
                        self.shell_error(th, &format!("kill: {}: invalid signal specification", args.get(1).map_or("", String::as_str)));
                        th.status = 1;
                        return;
                    }
                }
                i = 2;
            } else if first != "--" {
                if let Some(spec) = first.strip_prefix('-').filter(|s| !s.is_empty()) {
                    match Signal::parse(spec) {
                        Some(s) => sig = s,
                        None => {
                            self.shell_error(th, &format!("kill: {spec}: invalid signal specification"));
                            th.status = 1;
                            return;
                        }
                    }
                    i = 1;
                }
            }
        }
        if args.get(i).map(String::as_str) == Some("--") {
            i += 1;
        }
        let targets = &args[i.min(args.len())..];
        if targets.is_empty() {
            self.shell_error(th, "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]");
            th.status = 2;
            return;
        }
        th.status = 0;
        for t in targets {
            let Ok(pid) = t.parse::<i64>() else {
                self.shell_error(th, &format!("kill: {t}: arguments must be process or job IDs"));
                th.status = 1;
                continue;
            };
            if pid <= 0 {
                // Process group: every job of this container plus ourselves.
                let pids: Vec<u32> = self.others.keys().copied().collect();
                for p in pids {
                    if let Some(mut other) = self.others.remove(&p) {
                        let is_init = other.pid == 1;
                        self.signal_thread(&mut other, sig, is_init);
                        self.reinsert(other);
                    }
                }
                let is_init = th.pid == 1;
                self.signal_thread(th, sig, is_init);
                continue;
            }
            let pid = pid as u32;
            if pid == th.pid {
                let is_init = th.pid == 1;
                self.signal_thread(th, sig, is_init);
            } else if let Some(mut other) = self.others.remove(&pid) {
                let is_init = other.pid == 1;
                self.signal_thread(&mut other, sig, is_init);
                self.reinsert(other);
            } else {
                let msg = match th.env.dialect {
                    Dialect::Bash => format!("kill: ({pid}) - No such process"),
                    // dash really prints an empty line after this one.
                    Dialect::Dash => "kill: No such process\n".to_string(),
                    Dialect::Ash => format!("can't kill pid {pid}: No such process"),
                };
                self.shell_error(th, &msg);
                th.status = 1;
            }
        }
    }

    /// Puts a signalled thread back, or reaps it if it died.
    fn reinsert(&mut self, t: Box<Thread>) {
        if let Some(code) = t.done {
            if t.pid != 1 {
                Machine::reap(self.sh, t.pid, t.parent, code);
                return;
            }
        }
        self.others.insert(t.pid, t);
    }

    fn bi_read(&mut self, th: &mut Thread, args: &[String]) -> R<()> {
        let mut raw = false;
        let mut names = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            match a.as_str() {
                "-r" => raw = true,
                "-s" => {}
                "-p" => {
                    if let Some(prompt) = args.get(i + 1) {
                        let p = prompt.clone();
                        self.write(th, 2, &p);
                    }
                    i += 1;
                }
                "-t" | "-n" | "-N" | "-d" | "-u" => i += 1,
                _ => names.push(a.clone()),
            }
            i += 1;
        }
        if names.is_empty() {
            names.push("REPLY".to_string());
        }
        let Some((mut line, _)) = self.read_line(th) else {
            for n in &names {
                self.set_var(th, n, String::new())?;
            }
            th.status = 1;
            return Ok(());
        };
        if !raw {
            // Backslash-newline continues the line; other backslashes are removed.
            while line.ends_with('\\') {
                line.pop();
                match self.read_line(th) {
                    Some((more, _)) => line.push_str(&more),
                    None => break,
                }
            }
            let mut s = String::new();
            let mut esc = false;
            for c in line.chars() {
                if esc {
                    s.push(c);
                    esc = false;
                } else if c == '\\' {
                    esc = true;
                } else {
                    s.push(c);
                }
            }
            line = s;
        }
        let ifs = th.env.get("IFS").unwrap_or(" \t\n").to_string();
        let mut rest = line.trim_matches(|c: char| ifs.contains(c) && c.is_whitespace()).to_string();
        for (k, n) in names.iter().enumerate() {
            if k + 1 == names.len() {
                let v = rest.trim_end_matches(|c: char| ifs.contains(c) && c.is_whitespace()).to_string();
                self.set_var(th, n, v)?;
                break;
            }
            let split_at = rest.find(|c: char| ifs.contains(c));
            let (field, remainder) = match split_at {
                Some(p) => {
                    let field = rest[..p].to_string();
                    let rem = rest[p..].trim_start_matches(|c: char| ifs.contains(c)).to_string();
                    (field, rem)
                }
                None => (rest.clone(), String::new()),
            };
            self.set_var(th, n, field)?;
            rest = remainder;
        }
        th.status = 0;
        Ok(())
    }

    fn bi_type(&mut self, th: &mut Thread, args: &[String], short: bool) {
        th.status = 0;
        for name in args {
            let line = if th.env.funcs.contains_key(name) {
                if short {
                    name.clone()
                } else {
                    format!("{name} is a function")
                }
            } else if builtin_kind(name).is_some() {
                if short {
                    name.clone()
                } else if builtin_kind(name) == Some(true) {
                    format!("{name} is a special shell builtin")
                } else {
                    format!("{name} is a shell builtin")
                }
            } else if ["if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done", "{", "}", "!"].contains(&name.as_str()) {
                if short {
                    name.clone()
                } else {
                    format!("{name} is a shell keyword")
                }
            } else if self.host.has_program(&util::basename(name)) {
                let path = if name.contains('/') { name.clone() } else { format!("/bin/{name}") };
                if short {
                    path
                } else {
                    format!("{name} is {path}")
                }
            } else {
                th.status = 1;
                if short {
                    continue;
                }
                let msg = match th.env.dialect {
                    Dialect::Bash => format!("type: {name}: not found"),
                    _ => format!("{name}: not found"),
                };
                if th.env.dialect == Dialect::Bash {
                    self.shell_error(th, &msg);
                } else {
                    let line = format!("{msg}\n");
                    self.write(th, 1, &line);
                }
                continue;
            };
            let line = format!("{line}\n");
            self.write(th, 1, &line);
        }
    }

    fn bi_command(&mut self, th: &mut Thread, args: &[String]) -> R<()> {
        let mut i = 0;
        let mut query = None;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-v" => query = Some(true),
                "-V" => query = Some(false),
                "-p" => {}
                _ => break,
            }
            i += 1;
        }
        let rest = &args[i.min(args.len())..];
        if let Some(short) = query {
            self.bi_type(th, rest, short);
            return Ok(());
        }
        if rest.is_empty() {
            th.status = 0;
            return Ok(());
        }
        if builtin_kind(&rest[0]).is_some() {
            return self.run_builtin(th, rest);
        }
        self.run_external(th, rest.to_vec(), Vec::new())
    }
}

fn set_plain(th: &mut Thread, name: &str, value: String) {
    let exported = th.env.vars.get(name).is_some_and(|v| v.exported);
    th.env.vars.insert(name.to_string(), Var { value, exported, readonly: false });
}

/// One pass of a printf format over the arguments. Returns true if `\c` stopped output.
fn printf_once(fmt: &str, args: &[String], idx: &mut usize, out: &mut String, errors: &mut Vec<String>) -> bool {
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let next_arg = |idx: &mut usize| -> Option<String> {
        let a = args.get(*idx).cloned();
        if a.is_some() {
            *idx += 1;
        }
        a
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let consumed = escape_len(&chars[i..]).max(1);
            let esc: String = chars[i..(i + consumed).min(chars.len())].iter().collect();
            let (text, stop) = util::backslash_escapes(&esc, true);
            out.push_str(&text);
            if stop {
                return true;
            }
            i += consumed;
            continue;
        }
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.get(i) {
            if "-+ 0#".contains(f) {
                flags.push(f);
                i += 1;
            } else {
                break;
            }
        }
        let mut width = String::new();
        while let Some(&d) = chars.get(i) {
            if d.is_ascii_digit() {
                width.push(d);
                i += 1;
            } else if d == '*' {
                width = next_arg(idx).unwrap_or_default();
                i += 1;
                break;
            } else {
                break;
            }
        }
        let mut precision: Option<usize> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = String::new();
            while let Some(&d) = chars.get(i) {
                if d.is_ascii_digit() {
                    p.push(d);
                    i += 1;
                } else if d == '*' {
                    p = next_arg(idx).unwrap_or_default();
                    i += 1;
                    break;
                } else {
                    break;
                }
            }
            precision = Some(p.parse().unwrap_or(0));
        }
        // Length modifiers are accepted and ignored.
        while matches!(chars.get(i), Some('l') | Some('h') | Some('j') | Some('z') | Some('q')) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.push('%');
            break;
        };
        i += 1;
        let width: usize = width.trim_start_matches('-').parse::<usize>().unwrap_or(0).min(10_000);
        let left = flags.contains('-');
        let zero = flags.contains('0') && !left;
        let formatted = match conv {
            's' => {
                let mut s = next_arg(idx).unwrap_or_default();
                if let Some(p) = precision {
                    s = s.chars().take(p).collect();
                }
                s
            }
            'b' => {
                let (s, stop) = util::backslash_escapes(&next_arg(idx).unwrap_or_default(), false);
                out.push_str(&pad(&s, width, left, false));
                if stop {
                    return true;
                }
                continue;
            }
            'c' => next_arg(idx).and_then(|s| s.chars().next()).map(String::from).unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let a = next_arg(idx).unwrap_or_default();
                let v = parse_printf_int(&a).unwrap_or_else(|| {
                    errors.push(a.clone());
                    0
                });
                let body = match conv {
                    'x' => format!("{:x}", v),
                    'X' => format!("{:X}", v),
                    'o' => format!("{:o}", v),
                    'u' => format!("{}", v as u64),
                    _ => {
                        if flags.contains('+') && v >= 0 {
                            format!("+{v}")
                        } else {
                            v.to_string()
                        }
                    }
                };
                if let Some(p) = precision {
                    let (sign, digits) = if let Some(d) = body.strip_prefix('-') { ("-", d.to_string()) } else { ("", body.clone()) };
                    format!("{sign}{digits:0>p$}")
                } else {
                    body
                }
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let a = next_arg(idx).unwrap_or_default();
                let v: f64 = a.trim().parse().unwrap_or_else(|_| {
                    if !a.is_empty() {
                        errors.push(a.clone());
                    }
                    0.0
                });
                let p = precision.unwrap_or(6).min(50);
                match conv {
                    'e' | 'E' => {
                        let s = format!("{v:.p$e}");
                        if conv == 'E' {
                            s.to_uppercase()
                        } else {
                            s
                        }
                    }
                    'g' | 'G' => format!("{v}"),
                    _ => format!("{v:.p$}"),
                }
            }
            other => {
                out.push('%');
                out.push(other);
                continue;
            }
        };
        let numeric = matches!(conv, 'd' | 'i' | 'u' | 'x' | 'X' | 'o' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G');
        out.push_str(&pad(&formatted, width, left, zero && numeric));
    }
    false
}

/// Length in characters of the backslash escape at the start of `chars`.
fn escape_len(chars: &[char]) -> usize {
    if chars.len() < 2 {
        return chars.len();
    }
    match chars[1] {
        '0'..='7' => {
            let mut n = 2;
            while n < chars.len() && n < 4 + usize::from(chars[1] == '0') && chars[n].is_digit(8) {
                n += 1;
            }
            n
        }
        'x' => {
            let mut n = 2;
            while n < chars.len() && n < 4 && chars[n].is_ascii_hexdigit() {
                n += 1;
            }
            n
        }
        _ => 2,
    }
}

fn pad(s: &str, width: usize, left: bool, zero: bool) -> String {
    let len = s.chars().count();
    if len >= width {
        return s.to_string();
    }
    let fill = width - len;
    if left {
        format!("{s}{}", " ".repeat(fill))
    } else if zero {
        let (sign, digits) = if let Some(d) = s.strip_prefix('-') { ("-", d) } else { ("", s) };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn parse_printf_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Some(c.chars().next().map_or(0, |c| c as i64));
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = super::arith::parse_number(body).ok()?;
    Some(if neg { v.wrapping_neg() } else { v })
}

/// The `test` / `[` evaluator (POSIX rules by argument count, then a general parser).
struct TestEval<'a, 'm> {
    m: &'a mut Machine<'m>,
    th: &'a Thread,
    args: &'a [String],
    pos: usize,
    ext: bool,
}

const UNARY: &[&str] = &["-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-b", "-c", "-p", "-S", "-z", "-n", "-t", "-g", "-u", "-k", "-O", "-G", "-N"];
const BINARY: &[&str] = &["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "=~"];

impl TestEval<'_, '_> {
    fn eval_all(&mut self) -> Result<bool, String> {
        let a = self.args;
        match a.len() {
            0 => return Ok(false),
            1 => return Ok(!a[0].is_empty()),
            2 => {
                if a[0] == "!" {
                    return Ok(a[1].is_empty());
                }
                if UNARY.contains(&a[0].as_str()) {
                    return self.unary(&a[0], &a[1]);
                }
                return Err(format!("{}: unknown operand", a[0]));
            }
            3 => {
                if BINARY.contains(&a[1].as_str()) {
                    return self.binary(&a[0], &a[1], &a[2]);
                }
                if a[0] == "!" {
                    let mut sub = TestEval { m: self.m, th: self.th, args: &a[1..], pos: 0, ext: self.ext };
                    return Ok(!sub.eval_all()?);
                }
                if a[0] == "(" && a[2] == ")" {
                    return Ok(!a[1].is_empty());
                }
            }
            4 => {
                if a[0] == "!" {
                    let mut sub = TestEval { m: self.m, th: self.th, args: &a[1..], pos: 0, ext: self.ext };
                    return Ok(!sub.eval_all()?);
                }
                if a[0] == "(" && a[3] == ")" {
                    let mut sub = TestEval { m: self.m, th: self.th, args: &a[1..3], pos: 0, ext: self.ext };
                    return sub.eval_all();
                }
            }
            _ => {}
        }
        let v = self.or_expr(0)?;
        if self.pos != self.args.len() {
            return Err(format!("{}: unexpected operator", self.args[self.pos]));
        }
        Ok(v)
    }

    fn or_expr(&mut self, depth: u32) -> Result<bool, String> {
        if depth > 64 {
            return Err("expression too complex".to_string());
        }
        let mut v = self.and_expr(depth)?;
        while matches!(self.args.get(self.pos).map(String::as_str), Some("-o") | Some("||")) {
            self.pos += 1;
            let r = self.and_expr(depth)?;
            v = v || r;
        }
        Ok(v)
    }

    fn and_expr(&mut self, depth: u32) -> Result<bool, String> {
        let mut v = self.not_expr(depth)?;
        while matches!(self.args.get(self.pos).map(String::as_str), Some("-a") | Some("&&")) {
            self.pos += 1;
            let r = self.not_expr(depth)?;
            v = v && r;
        }
        Ok(v)
    }

    fn not_expr(&mut self, depth: u32) -> Result<bool, String> {
        if self.args.get(self.pos).map(String::as_str) == Some("!") {
            self.pos += 1;
            if depth > 64 {
                return Err("expression too complex".to_string());
            }
            return Ok(!self.not_expr(depth + 1)?);
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: u32) -> Result<bool, String> {
        let Some(a) = self.args.get(self.pos).cloned() else { return Err("argument expected".to_string()) };
        if a == "(" {
            self.pos += 1;
            let v = self.or_expr(depth + 1)?;
            if self.args.get(self.pos).map(String::as_str) != Some(")") {
                return Err("closing paren expected".to_string());
            }
            self.pos += 1;
            return Ok(v);
        }
        if UNARY.contains(&a.as_str()) {
            if let Some(operand) = self.args.get(self.pos + 1).cloned() {
                self.pos += 2;
                return self.unary(&a, &operand);
            }
        }
        if let (Some(op), Some(rhs)) = (self.args.get(self.pos + 1).cloned(), self.args.get(self.pos + 2).cloned()) {
            if BINARY.contains(&op.as_str()) {
                self.pos += 3;
                return self.binary(&a, &op, &rhs);
            }
        }
        self.pos += 1;
        Ok(!a.is_empty())
    }

    fn unary(&mut self, op: &str, x: &str) -> Result<bool, String> {
        let path = util::resolve_path(&self.th.env.cwd, x);
        let host = &*self.m.host;
        Ok(match op {
            "-z" => x.is_empty(),
            "-n" => !x.is_empty(),
            "-e" | "-r" | "-w" => !x.is_empty() && host.exists(&path),
            "-x" => !x.is_empty() && (host.is_dir(&path) || host.exists(&path)),
            "-f" => !x.is_empty() && host.exists(&path) && !host.is_dir(&path),
            "-d" => !x.is_empty() && host.is_dir(&path),
            "-s" => !x.is_empty() && (host.is_dir(&path) || host.read_file(&path).is_some_and(|c| !c.is_empty())),
            "-t" => false,
            _ => false,
        })
    }

    fn binary(&mut self, a: &str, op: &str, b: &str) -> Result<bool, String> {
        let int = |s: &str| -> Result<i64, String> {
            let t = s.trim();
            t.parse::<i64>().map_err(|_| match self.th.env.dialect {
                Dialect::Bash => format!("{s}: integer expression expected"),
                Dialect::Dash => format!("Illegal number: {s}"),
                Dialect::Ash => format!("{s}: bad number"),
            })
        };
        Ok(match op {
            "=" | "==" => {
                if self.ext {
                    util::glob_match(b, a)
                } else {
                    a == b
                }
            }
            "!=" => {
                if self.ext {
                    !util::glob_match(b, a)
                } else {
                    a != b
                }
            }
            "=~" => a.contains(b.trim_start_matches('^').trim_end_matches('$')),
            "<" => a < b,
            ">" => a > b,
            "-eq" => int(a)? == int(b)?,
            "-ne" => int(a)? != int(b)?,
            "-lt" => int(a)? < int(b)?,
            "-le" => int(a)? <= int(b)?,
            "-gt" => int(a)? > int(b)?,
            "-ge" => int(a)? >= int(b)?,
            _ => false,
        })
    }
}
