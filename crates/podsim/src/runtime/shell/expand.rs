//! Word expansion, in POSIX order: brace expansion (bash only), tilde, parameters, command
//! substitution and arithmetic, then field splitting on `$IFS`, pathname expansion (globs, via
//! the host's directory listings) and quote removal.
//!
//! Expansion produces [`Piece`]s that remember whether each bit of text was quoted, a literal,
//! or the unquoted result of an expansion, because only the latter is split and only unquoted
//! text may glob. Command substitution runs the command to completion right here, in a
//! synchronous sub-thread (an expansion cannot be suspended halfway). Its sleeps still take
//! virtual time: they move the machine's clock forward, and the parent thread waits for that
//! time before the command containing the substitution takes effect (see `interp`'s module docs,
//! "Time inside command substitutions"), so `x=$(sleep 5)` costs 5 virtual seconds like on a
//! cluster, several substitutions in one command add up, and nested ones too.

use super::arith::{self, ArithError, ArithVars};
use super::ast::{NodeRef, Param, ParamOp, Word, WordPart};
use super::host::Dialect;
use super::interp::{reset_traps, truncate, Ctl, Fds, Frame, Input, Machine, Sink, Thread, Var, MAX_SYNC_DEPTH, MAX_TEXT, R, SYNC_BUDGET};
use super::util;

/// Largest number of words one brace expansion may produce.
const MAX_BRACE_WORDS: usize = 10_000;
/// Largest number of paths one glob may produce.
const MAX_GLOB_RESULTS: usize = 10_000;

#[derive(Clone, Debug)]
enum Piece {
    /// Quoted text: kept as is, never split or globbed.
    Quoted(String),
    /// Unquoted literal text: may glob, never split.
    Literal(String),
    /// Unquoted expansion result: split on IFS, may glob.
    Expanded(String),
    /// A field boundary (between the words of `"$@"`).
    Break,
}

#[derive(Default)]
struct FieldBuf {
    text: String,
    pattern: String,
    globby: bool,
}

impl Machine<'_> {
    /// Expands command words into fields.
    pub fn expand_words(&mut self, th: &mut Thread, words: &[Word]) -> R<Vec<String>> {
        let mut out = Vec::new();
        for w in words {
            // Fast path: most words are plain literals (`echo`, `-gt`, `/tmp/x`).
            match w.parts.as_slice() {
                [WordPart::Quoted(s)] => {
                    out.push(s.clone());
                    continue;
                }
                [WordPart::Lit(s)] if !s.contains(['*', '?', '[', '{']) => {
                    out.push(s.clone());
                    continue;
                }
                _ => {}
            }
            let variants = if th.env.dialect == Dialect::Bash { brace_expand(w) } else { vec![w.clone()] };
            for v in &variants {
                let fields = self.expand_fields(th, v)?;
                out.extend(fields);
                if out.len() > MAX_BRACE_WORDS * 10 {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// One word to fields (splitting and globbing).
    fn expand_fields(&mut self, th: &mut Thread, w: &Word) -> R<Vec<String>> {
        let mut pieces = Vec::new();
        self.expand_parts(th, &w.parts, false, &mut pieces)?;
        let ifs = th.env.get("IFS").map(str::to_string).unwrap_or_else(|| " \t\n".to_string());
        let fields = build_fields(&pieces, &ifs);
        let mut out = Vec::new();
        for f in fields {
            if f.globby && !th.env.opts.noglob {
                let matches = self.glob(th, &f.pattern);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(f.text);
        }
        Ok(out)
    }

    /// A word as one string: no splitting, no globbing (assignments, redirection targets,
    /// here-documents, `case` subjects).
    pub fn expand_string(&mut self, th: &mut Thread, w: &Word) -> R<String> {
        match w.parts.as_slice() {
            [] => return Ok(String::new()),
            [WordPart::Quoted(s)] | [WordPart::Lit(s)] => return Ok(s.clone()),
            _ => {}
        }
        let mut pieces = Vec::new();
        self.expand_parts(th, &w.parts, false, &mut pieces)?;
        let mut s = String::new();
        let mut prev_break = false;
        for p in pieces {
            match p {
                Piece::Quoted(t) | Piece::Literal(t) | Piece::Expanded(t) => {
                    s.push_str(&t);
                    prev_break = false;
                }
                Piece::Break => {
                    if !prev_break {
                        s.push(' ');
                    }
                    prev_break = true;
                }
            }
        }
        Ok(s)
    }

    /// A word as a glob pattern: quoted parts are escaped, unquoted ones stay active.
    pub fn expand_pattern(&mut self, th: &mut Thread, w: &Word) -> R<String> {
        let mut pieces = Vec::new();
        self.expand_parts(th, &w.parts, false, &mut pieces)?;
        let mut s = String::new();
        for p in pieces {
            match p {
                Piece::Quoted(t) => s.push_str(&util::escape_glob(&t)),
                Piece::Literal(t) | Piece::Expanded(t) => s.push_str(&t),
                Piece::Break => s.push(' '),
            }
        }
        Ok(s)
    }

    fn expand_parts(&mut self, th: &mut Thread, parts: &[WordPart], quoted: bool, out: &mut Vec<Piece>) -> R<()> {
        for part in parts {
            match part {
                WordPart::Lit(s) => out.push(if quoted { Piece::Quoted(s.clone()) } else { Piece::Literal(s.clone()) }),
                WordPart::Quoted(s) => out.push(Piece::Quoted(s.clone())),
                WordPart::Double(inner) => {
                    let before = out.len();
                    self.expand_parts(th, inner, true, out)?;
                    if out.len() == before && !inner.iter().any(is_at) {
                        // `""` is an empty field, not nothing.
                        out.push(Piece::Quoted(String::new()));
                    }
                }
                WordPart::Param(p) => self.expand_param(th, p, quoted, out)?,
                WordPart::CmdSub(node) => {
                    let text = self.command_subst(th, node.clone())?;
                    out.push(if quoted { Piece::Quoted(text) } else { Piece::Expanded(text) });
                }
                WordPart::Arith(w) => {
                    let v = self.arith_word(th, w)?;
                    out.push(if quoted { Piece::Quoted(v.to_string()) } else { Piece::Expanded(v.to_string()) });
                }
                WordPart::Tilde(user) => {
                    let home = if user.is_empty() {
                        th.env.get("HOME").unwrap_or("/root").to_string()
                    } else if user == "root" {
                        "/root".to_string()
                    } else {
                        format!("/home/{user}")
                    };
                    out.push(Piece::Quoted(home));
                }
            }
        }
        let total: usize = out
            .iter()
            .map(|p| match p {
                Piece::Quoted(t) | Piece::Literal(t) | Piece::Expanded(t) => t.len(),
                Piece::Break => 1,
            })
            .sum();
        if total > MAX_TEXT {
            self.shell_error(th, "out of memory");
            return Err(Ctl::Exit(2));
        }
        Ok(())
    }

    /// A special or ordinary parameter's value; `None` when unset.
    pub fn param_value(&mut self, th: &Thread, name: &str) -> Option<String> {
        match name {
            "?" => Some(th.status.to_string()),
            "$" => Some("1".to_string()),
            "!" => th.env.last_bg.map(|p| p.to_string()),
            "#" => Some(th.env.positional.len().to_string()),
            "0" => Some(th.env.arg0.clone()),
            "-" => {
                let o = &th.env.opts;
                let mut s = String::new();
                if o.errexit {
                    s.push('e');
                }
                if o.noglob {
                    s.push('f');
                }
                if o.nounset {
                    s.push('u');
                }
                if o.xtrace {
                    s.push('x');
                }
                Some(s)
            }
            "@" | "*" => Some(th.env.positional.join(" ")),
            "RANDOM" if !th.env.vars.contains_key("RANDOM") => Some((self.next_random() % 32768).to_string()),
            "SECONDS" if !th.env.vars.contains_key("SECONDS") => Some((self.now.saturating_sub(self.sh.start_ms) / 1000).to_string()),
            "LINENO" => Some(th.line.to_string()),
            "PPID" if !th.env.vars.contains_key("PPID") => Some("0".to_string()),
            "BASHPID" if th.env.dialect == Dialect::Bash => Some(th.pid.to_string()),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                th.env.positional.get(i.checked_sub(1)?).cloned()
            }
            n => th.env.get(n).map(str::to_string),
        }
    }

    fn expand_param(&mut self, th: &mut Thread, p: &Param, quoted: bool, out: &mut Vec<Piece>) -> R<()> {
        let push = |out: &mut Vec<Piece>, text: String| out.push(if quoted { Piece::Quoted(text) } else { Piece::Expanded(text) });
        if matches!(p.op, ParamOp::Plain) && (p.name == "@" || p.name == "*") {
            let params = th.env.positional.clone();
            if quoted && p.name == "@" {
                for (i, v) in params.into_iter().enumerate() {
                    if i > 0 {
                        out.push(Piece::Break);
                    }
                    out.push(Piece::Quoted(v));
                }
            } else if quoted {
                let sep = th.env.get("IFS").map_or(" ".to_string(), |s| s.chars().next().map(String::from).unwrap_or_default());
                out.push(Piece::Quoted(params.join(&sep)));
            } else {
                for (i, v) in params.into_iter().enumerate() {
                    if i > 0 {
                        out.push(Piece::Break);
                    }
                    out.push(Piece::Expanded(v));
                }
            }
            return Ok(());
        }
        let value = self.param_value(th, &p.name);
        let is_special = !super::parser::is_name(&p.name);
        match &p.op {
            ParamOp::Plain => {
                if value.is_none() && th.env.opts.nounset && !is_special {
                    return self.unset_error(th, &p.name, None);
                }
                push(out, value.unwrap_or_default());
            }
            ParamOp::Length => {
                if value.is_none() && th.env.opts.nounset && !is_special {
                    return self.unset_error(th, &p.name, None);
                }
                push(out, value.map_or(0, |v| v.chars().count()).to_string());
            }
            ParamOp::Default { colon, word } | ParamOp::Assign { colon, word } => {
                let missing = match &value {
                    None => true,
                    Some(v) => *colon && v.is_empty(),
                };
                if missing {
                    let w = self.expand_string(th, word)?;
                    if matches!(p.op, ParamOp::Assign { .. }) {
                        if is_special {
                            self.shell_error(th, &format!("{}: bad variable name", p.name));
                            return Err(Ctl::Exit(2));
                        }
                        self.set_var(th, &p.name, w.clone())?;
                    }
                    push(out, w);
                } else {
                    push(out, value.unwrap_or_default());
                }
            }
            ParamOp::Error { colon, word } => {
                let missing = match &value {
                    None => true,
                    Some(v) => *colon && v.is_empty(),
                };
                if missing {
                    let msg = self.expand_string(th, word)?;
                    return self.unset_error(th, &p.name, Some(msg));
                }
                push(out, value.unwrap_or_default());
            }
            ParamOp::Alt { colon, word } => {
                let present = match &value {
                    None => false,
                    Some(v) => !(*colon && v.is_empty()),
                };
                if present {
                    let w = self.expand_string(th, word)?;
                    push(out, w);
                } else if quoted {
                    out.push(Piece::Quoted(String::new()));
                }
            }
            ParamOp::TrimPrefix { longest, pattern } | ParamOp::TrimSuffix { longest, pattern } => {
                let pat = self.expand_pattern(th, pattern)?;
                let v = value.unwrap_or_default();
                let prefix = matches!(p.op, ParamOp::TrimPrefix { .. });
                push(out, util::trim_pattern(&v, &pat, prefix, *longest));
            }
            ParamOp::Replace { all, pattern, with } => {
                let pat = self.expand_pattern(th, pattern)?;
                let rep = self.expand_string(th, with)?;
                let v = value.unwrap_or_default();
                push(out, util::replace_pattern(&v, &pat, &rep, *all));
            }
            ParamOp::Substr { offset, length } => {
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let n = v.len() as i64;
                let mut off = self.arith_word(th, offset)?;
                if off < 0 {
                    off = (n + off).max(0);
                }
                let off = off.min(n);
                let end = match length {
                    Some(l) => {
                        let l = self.arith_word(th, l)?;
                        if l < 0 {
                            (n + l).max(off)
                        } else {
                            off.saturating_add(l).min(n)
                        }
                    }
                    None => n,
                };
                push(out, v[off as usize..end.max(off) as usize].iter().collect());
            }
        }
        Ok(())
    }

    fn unset_error(&mut self, th: &mut Thread, name: &str, msg: Option<String>) -> R<()> {
        let text = match (th.env.dialect, msg) {
            (_, Some(m)) if !m.is_empty() => format!("{name}: {m}"),
            (Dialect::Bash, Some(_)) => format!("{name}: parameter null or not set"),
            (Dialect::Bash, None) => format!("{name}: unbound variable"),
            (_, Some(_)) => format!("{name}: parameter not set or null"),
            (_, None) => format!("{name}: parameter not set"),
        };
        self.shell_error(th, &text);
        Err(Ctl::Exit(if th.env.dialect == Dialect::Bash { 127 } else { 2 }))
    }

    /// Evaluates arithmetic text, reporting errors the shell's way (the script exits).
    pub fn arith_text(&mut self, th: &mut Thread, text: &str) -> R<i64> {
        struct Vars<'a> {
            th: &'a mut Thread,
            failed: bool,
        }
        impl ArithVars for Vars<'_> {
            fn get(&self, name: &str) -> Option<String> {
                match name {
                    "RANDOM" | "SECONDS" | "LINENO" => None,
                    _ => self.th.env.get(name).map(str::to_string),
                }
            }
            fn set(&mut self, name: &str, value: i64) {
                match self.th.env.vars.get_mut(name) {
                    Some(v) if v.readonly => self.failed = true,
                    Some(v) => v.value = value.to_string(),
                    None => {
                        self.th.env.vars.insert(name.to_string(), Var { value: value.to_string(), exported: false, readonly: false });
                    }
                }
            }
        }
        let flavor = if th.env.dialect == Dialect::Dash { arith::Flavor::Posix } else { arith::Flavor::Full };
        let mut vars = Vars { th, failed: false };
        let r = arith::eval(text, &mut vars, flavor);
        match r {
            Ok(v) => Ok(v),
            Err(e) => {
                let expr = text.trim();
                let msg = match (th.env.dialect, e) {
                    (_, ArithError::IllegalNumber(v)) => format!("Illegal number: {v}"),
                    (Dialect::Bash, ArithError::DivideByZero { token }) => format!("{expr}: division by 0 (error token is \"{token}\")"),
                    (Dialect::Bash, ArithError::Syntax { token }) => format!("{expr}: syntax error: operand expected (error token is \"{token}\")"),
                    (Dialect::Dash, ArithError::DivideByZero { .. }) => format!("arithmetic expression: division by zero: \"{expr}\""),
                    (Dialect::Dash, ArithError::Syntax { .. }) => format!("arithmetic expression: expecting primary: \"{expr}\""),
                    (Dialect::Ash, ArithError::DivideByZero { .. }) => "divide by zero".to_string(),
                    (Dialect::Ash, ArithError::Syntax { .. }) => "arithmetic syntax error".to_string(),
                };
                self.shell_error(th, &msg);
                Err(Ctl::Exit(if th.env.dialect == Dialect::Bash { 1 } else { 2 }))
            }
        }
    }

    /// `$(…)`: runs the command in a synchronous subshell and returns its output without the
    /// trailing newlines. Its exit status becomes the status of an assignment-only command.
    /// Time its sleeps take is left on `self.now` (ahead of the host's clock), for the parent
    /// thread to catch up with.
    pub fn command_subst(&mut self, th: &mut Thread, node: NodeRef) -> R<String> {
        if self.sh.sync_depth >= MAX_SYNC_DEPTH {
            self.shell_error(th, "command substitution nested too deeply");
            th.cmdsub_status = Some(2);
            return Ok(String::new());
        }
        let mut env = th.env.clone();
        reset_traps(&mut env);
        let mut sub = Thread::new(th.pid, th.pid, env, Fds { out: Sink::Null, err: Sink::Null, input: Input::Null }, vec![Frame::Exec(node)]);
        sub.sync = true;
        sub.line = th.line;
        let out_id = sub.new_pipe(String::new());
        sub.fds.out = Sink::Pipe(out_id);
        // stderr goes where the parent's goes; a parent pipe is forwarded after the run.
        let mut err_forward = None;
        sub.fds.err = match &th.fds.err {
            Sink::Pipe(parent_id) => {
                let id = sub.new_pipe(String::new());
                err_forward = Some((id, *parent_id));
                Sink::Pipe(id)
            }
            other => other.clone(),
        };
        if let Input::Pipe(pid) = th.fds.input {
            if let Some(p) = th.pipes.get(&pid) {
                let rest = p.data.get(p.pos..).unwrap_or("").to_string();
                let id = sub.new_pipe(rest);
                sub.fds.input = Input::Pipe(id);
            }
        }
        self.sh.sync_depth += 1;
        let outer_budget = self.budget;
        self.budget = SYNC_BUDGET.min(outer_budget.max(1_000));
        let start_budget = self.budget;
        loop {
            let progressed = self.run_thread(&mut sub);
            if sub.done.is_some() || self.sh.oom || !progressed {
                break;
            }
        }
        let used = start_budget - self.budget;
        self.budget = outer_budget.saturating_sub(used);
        self.sh.sync_depth -= 1;
        if self.sh.oom {
            return Err(Ctl::Oom);
        }
        if let Some((sub_id, parent_id)) = err_forward {
            let text = sub.pipes.get(&sub_id).map(|p| p.data.clone()).unwrap_or_default();
            self.write_sink(th, &Sink::Pipe(parent_id), &text);
        }
        th.cmdsub_status = Some(sub.done.unwrap_or(sub.status));
        let mut text = sub.pipes.remove(&out_id).map(|p| p.data).unwrap_or_default();
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(truncate(text, MAX_TEXT))
    }

    /// Pathname expansion of a pattern (with `\` escapes) against the host's file system.
    fn glob(&mut self, th: &Thread, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
        // (display path, absolute path)
        let mut current: Vec<(String, String)> = vec![if absolute { (String::new(), "/".to_string()) } else { (String::new(), th.env.cwd.clone()) }];
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let mut next = Vec::new();
            for (shown, abs) in &current {
                let join = |name: &str| -> (String, String) {
                    let shown_new = if shown.is_empty() {
                        if absolute {
                            format!("/{name}")
                        } else {
                            name.to_string()
                        }
                    } else {
                        format!("{shown}/{name}")
                    };
                    (shown_new, util::resolve_path(abs, name))
                };
                if util::has_glob(comp) {
                    let Some(mut names) = self.host.list_dir(abs) else { continue };
                    names.sort();
                    for name in names {
                        if name.starts_with('.') && !comp.starts_with('.') && !comp.starts_with("\\.") {
                            continue;
                        }
                        if util::glob_match(comp, &name) {
                            let (s, a) = join(&name);
                            if last || self.host.is_dir(&a) {
                                next.push((s, a));
                            }
                        }
                    }
                } else {
                    let name = util::unescape_glob(comp);
                    let (s, a) = join(&name);
                    if (last && self.host.exists(&a)) || self.host.is_dir(&a) {
                        next.push((s, a));
                    }
                }
                if next.len() > MAX_GLOB_RESULTS {
                    break;
                }
            }
            current = next;
            if current.is_empty() {
                return Vec::new();
            }
        }
        let trailing_slash = pattern.ends_with('/');
        current
            .into_iter()
            .map(|(s, _)| if trailing_slash { format!("{s}/") } else { s })
            .filter(|s| !s.is_empty())
            .collect()
    }
}

fn is_at(p: &WordPart) -> bool {
    matches!(p, WordPart::Param(Param { name, op: ParamOp::Plain }) if name == "@")
}

/// Splits pieces into fields.
fn build_fields(pieces: &[Piece], ifs: &str) -> Vec<FieldBuf> {
    let mut fields = Vec::new();
    let mut cur: Option<FieldBuf> = None;
    for p in pieces {
        match p {
            Piece::Quoted(t) => {
                let f = cur.get_or_insert_with(FieldBuf::default);
                f.text.push_str(t);
                f.pattern.push_str(&util::escape_glob(t));
            }
            Piece::Literal(t) => {
                let f = cur.get_or_insert_with(FieldBuf::default);
                f.text.push_str(t);
                f.pattern.push_str(t);
                f.globby |= util::has_glob(t);
            }
            Piece::Expanded(t) => {
                if ifs.is_empty() {
                    if !t.is_empty() {
                        let f = cur.get_or_insert_with(FieldBuf::default);
                        f.text.push_str(t);
                        f.pattern.push_str(t);
                        f.globby |= util::has_glob(t);
                    }
                    continue;
                }
                for c in t.chars() {
                    if ifs.contains(c) {
                        if c.is_whitespace() {
                            if let Some(f) = cur.take() {
                                fields.push(f);
                            }
                        } else {
                            fields.push(cur.take().unwrap_or_default());
                        }
                    } else {
                        let f = cur.get_or_insert_with(FieldBuf::default);
                        f.text.push(c);
                        f.pattern.push(c);
                        f.globby |= matches!(c, '*' | '?' | '[');
                    }
                }
            }
            Piece::Break => {
                if let Some(f) = cur.take() {
                    fields.push(f);
                }
            }
        }
    }
    if let Some(f) = cur.take() {
        fields.push(f);
    }
    fields
}

/// bash brace expansion: `{a,b,c}`, `{1..5}`, `{01..10}`, `{a..e}`, `{1..10..2}`, applied to
/// unquoted literal parts only.
pub(crate) fn brace_expand(w: &Word) -> Vec<Word> {
    let mut out = vec![w.clone()];
    // Expand repeatedly until no part has a brace group; bounded by the word budget.
    let mut rounds = 0;
    loop {
        rounds += 1;
        let mut changed = false;
        let mut next = Vec::new();
        for word in &out {
            match expand_one_brace(word) {
                Some(ws) => {
                    changed = true;
                    next.extend(ws);
                }
                None => next.push(word.clone()),
            }
            if next.len() > MAX_BRACE_WORDS {
                next.truncate(MAX_BRACE_WORDS);
                break;
            }
        }
        out = next;
        if !changed || rounds > 32 {
            return out;
        }
    }
}

fn expand_one_brace(w: &Word) -> Option<Vec<Word>> {
    for (pi, part) in w.parts.iter().enumerate() {
        let WordPart::Lit(s) = part else { continue };
        let chars: Vec<char> = s.chars().collect();
        for open in 0..chars.len() {
            if chars[open] != '{' || (open > 0 && chars[open - 1] == '$') {
                continue;
            }
            let mut depth = 0;
            let mut close = None;
            let mut commas = Vec::new();
            for (j, &c) in chars.iter().enumerate().skip(open) {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(j);
                            break;
                        }
                    }
                    ',' if depth == 1 => commas.push(j),
                    _ => {}
                }
            }
            let Some(close) = close else { continue };
            let inner: String = chars[open + 1..close].iter().collect();
            let alternatives: Vec<String> = if !commas.is_empty() {
                let mut alts = Vec::new();
                let mut start = open + 1;
                for &c in &commas {
                    alts.push(chars[start..c].iter().collect());
                    start = c + 1;
                }
                alts.push(chars[start..close].iter().collect());
                alts
            } else if let Some(seq) = sequence(&inner) {
                seq
            } else {
                continue;
            };
            let prefix: String = chars[..open].iter().collect();
            let suffix: String = chars[close + 1..].iter().collect();
            let mut words = Vec::new();
            for alt in alternatives {
                let mut parts = w.parts[..pi].to_vec();
                parts.push(WordPart::Lit(format!("{prefix}{alt}{suffix}")));
                parts.extend(w.parts[pi + 1..].iter().cloned());
                words.push(Word { parts });
            }
            return Some(words);
        }
    }
    None
}

/// `1..5`, `05..10`, `a..e`, `1..10..2` → the items.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let pieces: Vec<&str> = inner.split("..").collect();
    if pieces.len() != 2 && pieces.len() != 3 {
        return None;
    }
    let step: i64 = match pieces.get(2) {
        Some(s) => s.parse::<i64>().ok()?.checked_abs()?.max(1),
        None => 1,
    };
    if let (Ok(a), Ok(b)) = (pieces[0].parse::<i64>(), pieces[1].parse::<i64>()) {
        let width = if (pieces[0].starts_with('0') && pieces[0].len() > 1) || (pieces[1].starts_with('0') && pieces[1].len() > 1) { pieces[0].len().max(pieces[1].len()) } else { 0 };
        let count = (a.abs_diff(b) / step as u64).saturating_add(1);
        if count as usize > MAX_BRACE_WORDS {
            return None;
        }
        let mut out = Vec::new();
        let mut v = a;
        for _ in 0..count {
            out.push(if width > 0 { format!("{v:0width$}") } else { v.to_string() });
            v = if a <= b { v.saturating_add(step) } else { v.saturating_sub(step) };
        }
        return Some(out);
    }
    let ca: Vec<char> = pieces[0].chars().collect();
    let cb: Vec<char> = pieces[1].chars().collect();
    if ca.len() == 1 && cb.len() == 1 && ca[0].is_ascii_alphabetic() && cb[0].is_ascii_alphabetic() {
        let (a, b) = (ca[0] as u32, cb[0] as u32);
        let mut out = Vec::new();
        let mut v = a;
        loop {
            out.push(char::from_u32(v)?.to_string());
            if v == b {
                break;
            }
            let next = if a <= b { v + step as u32 } else { v.checked_sub(step as u32)? };
            if (a <= b && next > b) || (a > b && next < b) {
                break;
            }
            v = next;
        }
        return Some(out);
    }
    None
}
