//! Tokens to the syntax tree ([`super::ast`]): a recursive-descent parser for the POSIX shell
//! grammar plus the bash bits container commands use (`function`, `((…))`, `for ((…))`).
//!
//! Two entry points: [`parse_all`] parses a whole text (trap actions, `eval`, substitutions) and
//! [`Parser::next_command`] parses a script one top-level line at a time, as `sh -c` does, so
//! `echo hi; sleep 1` followed on a later line by a syntax error still prints `hi` first.
//!
//! Syntax errors are values ([`ParseError`]) that the interpreter turns into the dialect's
//! message (`sh: syntax error: unexpected "fi"`) and exit status 2.

use std::sync::Arc;

use super::ast::{AndOr, CaseArm, ListItem, Node, NodeRef, Redir, RedirKind, SimpleCommand, Word, WordPart};
use super::host::Dialect;
use super::lexer::{self, Lexer, Op, PErr, ParseError, Tok, TokDesc, MAX_DEPTH};

/// Words that are keywords in command position.
const KEYWORDS: &[&str] = &["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{", "}", "!", "in"];

/// Keywords that end a list (the body of a compound command).
const TERMINATORS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}"];

/// Parses a whole text.
pub(crate) fn parse_all(src: &str, dialect: Dialect, depth: u32) -> Result<NodeRef, ParseError> {
    let mut p = Parser::new(src, dialect, depth);
    let items = p.parse_list()?;
    let tok = p.peek()?;
    if !matches!(tok, Tok::Eof) {
        return Err(p.unexpected(&tok, None));
    }
    Ok(make_list(items))
}

/// The parser state; `Clone` so a suspended top-level script keeps its place.
#[derive(Clone, Debug)]
pub(crate) struct Parser {
    lx: Lexer,
    peeked: Option<Tok>,
    depth: u32,
}

impl Parser {
    pub fn new(src: &str, dialect: Dialect, depth: u32) -> Parser {
        Parser { lx: Lexer::new(src, dialect, depth), peeked: None, depth }
    }

    /// The next top-level command line (`a; b & c` up to a newline), `None` at the end.
    pub fn next_command(&mut self) -> Result<Option<NodeRef>, ParseError> {
        self.skip_newlines()?;
        if matches!(self.peek()?, Tok::Eof) {
            return Ok(None);
        }
        let mut items = Vec::new();
        loop {
            let node = self.parse_and_or()?;
            match self.peek()? {
                Tok::Op(Op::Semi) => {
                    self.next()?;
                    items.push(ListItem { node, background: false });
                }
                Tok::Op(Op::Amp) => {
                    self.next()?;
                    items.push(ListItem { node, background: true });
                }
                Tok::Newline | Tok::Eof => {
                    items.push(ListItem { node, background: false });
                    break;
                }
                other => return Err(self.unexpected(&other, None)),
            }
            if matches!(self.peek()?, Tok::Newline | Tok::Eof) {
                break;
            }
        }
        Ok(Some(make_list(items)))
    }

    /// The whole source text (for bash's error messages, which quote the offending line).
    pub fn source_text(&self) -> String {
        self.lx.source_text()
    }

    /// Whether only blank lines and comments remain (the last command is in tail position).
    pub fn is_exhausted(&self) -> bool {
        let mut probe = self.clone();
        loop {
            match probe.peek() {
                Ok(Tok::Newline) => {
                    if probe.next().is_err() {
                        return false;
                    }
                }
                Ok(Tok::Eof) => return true,
                _ => return false,
            }
        }
    }

    fn peek(&mut self) -> Result<Tok, ParseError> {
        if let Some(t) = &self.peeked {
            return Ok(t.clone());
        }
        let t = self.lx.next_token()?;
        self.peeked = Some(t.clone());
        Ok(t)
    }

    fn next(&mut self) -> Result<Tok, ParseError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lx.next_token(),
        }
    }

    fn tok_line(&self) -> u32 {
        self.lx.tok_line
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    fn unexpected(&self, tok: &Tok, expecting: Option<&'static str>) -> ParseError {
        let found = match tok {
            Tok::Eof => TokDesc::Eof,
            Tok::Newline => TokDesc::Newline,
            Tok::Op(op) => TokDesc::Op(op.text()),
            Tok::IoNumber(n) => TokDesc::Word(n.to_string()),
            Tok::Word(w) => match w.as_lit() {
                Some(s) if KEYWORDS.contains(&s) => TokDesc::Keyword(s.to_string()),
                _ => TokDesc::Word(w.literal_text().0),
            },
        };
        ParseError { kind: PErr::Unexpected { found, expecting }, line: self.tok_line() }
    }

    fn peek_kw(&mut self) -> Result<Option<String>, ParseError> {
        Ok(match self.peek()? {
            Tok::Word(w) => w.as_lit().filter(|s| KEYWORDS.contains(s)).map(str::to_string),
            _ => None,
        })
    }

    fn expect_kw(&mut self, kw: &'static str) -> Result<(), ParseError> {
        let tok = self.peek()?;
        if let Tok::Word(w) = &tok {
            if w.as_lit() == Some(kw) {
                self.next()?;
                return Ok(());
            }
        }
        Err(self.unexpected(&tok, Some(kw)))
    }

    /// A list of and-or commands separated by `;`, `&` or newlines, up to a terminator keyword,
    /// `)`, `;;` or the end. May be empty.
    fn parse_list(&mut self) -> Result<Vec<ListItem>, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            match self.peek()? {
                Tok::Eof | Tok::Op(Op::RParen) | Tok::Op(Op::DSemi) => break,
                Tok::Word(w) if w.as_lit().is_some_and(|s| TERMINATORS.contains(&s)) => break,
                _ => {}
            }
            let node = self.parse_and_or()?;
            match self.peek()? {
                Tok::Op(Op::Semi) => {
                    self.next()?;
                    items.push(ListItem { node, background: false });
                }
                Tok::Op(Op::Amp) => {
                    self.next()?;
                    items.push(ListItem { node, background: true });
                }
                Tok::Newline => items.push(ListItem { node, background: false }),
                _ => {
                    items.push(ListItem { node, background: false });
                    break;
                }
            }
        }
        Ok(items)
    }

    fn parse_body(&mut self) -> Result<NodeRef, ParseError> {
        let items = self.parse_list()?;
        if items.is_empty() {
            let tok = self.peek()?;
            return Err(self.unexpected(&tok, None));
        }
        Ok(make_list(items))
    }

    fn parse_and_or(&mut self) -> Result<NodeRef, ParseError> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek()? {
                Tok::Op(Op::AndIf) => AndOr::And,
                Tok::Op(Op::OrIf) => AndOr::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((op, self.parse_pipeline()?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        Ok(Arc::new(Node::AndOr { first, rest }))
    }

    fn parse_pipeline(&mut self) -> Result<NodeRef, ParseError> {
        let mut negate = false;
        while self.peek_kw()?.as_deref() == Some("!") {
            self.next()?;
            negate = !negate;
        }
        let mut stages = vec![self.parse_command()?];
        while let Tok::Op(op @ (Op::Pipe | Op::PipeAmp)) = self.peek()? {
            self.next()?;
            self.skip_newlines()?;
            let stage = self.parse_command()?;
            if op == Op::PipeAmp {
                // `a |& b` is `a 2>&1 | b`: wrap the previous stage.
                if let Some(prev) = stages.pop() {
                    let dup = Redir { fd: 2, kind: RedirKind::DupOut, target: Word::quoted("1") };
                    stages.push(Arc::new(Node::Redirected { node: prev, redirs: vec![dup] }));
                }
            }
            stages.push(stage);
        }
        if stages.len() == 1 && !negate {
            if let Some(only) = stages.pop() {
                return Ok(only);
            }
        }
        Ok(Arc::new(Node::Pipeline { negate, stages }))
    }

    fn parse_command(&mut self) -> Result<NodeRef, ParseError> {
        // One depth counter covers compound nesting and substitutions (the lexer starts nested
        // parsers at this depth), so no input can recurse deeper than MAX_DEPTH.
        if self.depth >= MAX_DEPTH {
            return Err(ParseError { kind: PErr::TooDeep, line: self.tok_line() });
        }
        self.depth += 1;
        self.lx.depth = self.depth;
        let result = self.parse_command_inner();
        self.depth -= 1;
        self.lx.depth = self.depth;
        result
    }

    fn parse_command_inner(&mut self) -> Result<NodeRef, ParseError> {
        let tok = self.peek()?;
        let compound = match &tok {
            Tok::Word(w) => match w.as_lit() {
                Some("if") => Some(self.parse_if()?),
                Some("while") => Some(self.parse_loop(false)?),
                Some("until") => Some(self.parse_loop(true)?),
                Some("for") => Some(self.parse_for()?),
                Some("case") => Some(self.parse_case()?),
                Some("{") => {
                    self.next()?;
                    let body = self.parse_body()?;
                    self.expect_kw("}")?;
                    Some(Arc::new(Node::Group(body)))
                }
                Some("function") if self.lx.dialect != Dialect::Dash => Some(self.parse_function_kw()?),
                Some(s) if TERMINATORS.contains(&s) || s == "!" => return Err(self.unexpected(&tok, None)),
                _ => None,
            },
            Tok::Op(Op::LParen) => {
                self.next()?;
                if self.lx.char_here() == Some('(') {
                    let saved = self.clone();
                    if let Some(text) = self.lx.read_double_paren() {
                        let word = lexer::parse_text_word(&text, self.lx.dialect, self.depth)?;
                        Some(Arc::new(Node::Arith(word)))
                    } else {
                        *self = saved;
                        Some(self.parse_subshell_rest()?)
                    }
                } else {
                    Some(self.parse_subshell_rest()?)
                }
            }
            Tok::Op(op) if !op.is_redirection() => return Err(self.unexpected(&tok, None)),
            Tok::Eof | Tok::Newline => return Err(self.unexpected(&tok, None)),
            _ => None,
        };
        match compound {
            Some(node) => {
                let mut redirs = Vec::new();
                loop {
                    match self.peek()? {
                        Tok::IoNumber(n) => {
                            self.next()?;
                            redirs.push(self.parse_redir(Some(n))?);
                        }
                        Tok::Op(op) if op.is_redirection() => redirs.push(self.parse_redir(None)?),
                        _ => break,
                    }
                }
                if redirs.is_empty() {
                    Ok(node)
                } else {
                    Ok(Arc::new(Node::Redirected { node, redirs }))
                }
            }
            None => self.parse_simple(),
        }
    }

    fn parse_subshell_rest(&mut self) -> Result<NodeRef, ParseError> {
        let body = self.parse_body()?;
        let tok = self.peek()?;
        if !matches!(tok, Tok::Op(Op::RParen)) {
            return Err(self.unexpected(&tok, Some(")")));
        }
        self.next()?;
        Ok(Arc::new(Node::Subshell(body)))
    }

    fn parse_simple(&mut self) -> Result<NodeRef, ParseError> {
        let line = self.tok_line();
        let mut cmd = SimpleCommand { assigns: Vec::new(), words: Vec::new(), redirs: Vec::new(), line };
        loop {
            match self.peek()? {
                Tok::IoNumber(n) => {
                    self.next()?;
                    cmd.redirs.push(self.parse_redir(Some(n))?);
                }
                Tok::Op(op) if op.is_redirection() => cmd.redirs.push(self.parse_redir(None)?),
                Tok::Word(w) => {
                    self.next()?;
                    if cmd.words.is_empty() {
                        if let Some((name, value)) = split_assignment(&w) {
                            cmd.assigns.push((name, value));
                            continue;
                        }
                    }
                    cmd.words.push(w);
                    // `name() compound` defines a function.
                    if cmd.words.len() == 1 && cmd.assigns.is_empty() && cmd.redirs.is_empty() && matches!(self.peek()?, Tok::Op(Op::LParen)) {
                        if let Some(name) = cmd.words[0].as_lit().filter(|s| is_func_name(s)).map(str::to_string) {
                            self.next()?;
                            let tok = self.peek()?;
                            if !matches!(tok, Tok::Op(Op::RParen)) {
                                return Err(self.unexpected(&tok, Some(")")));
                            }
                            self.next()?;
                            self.skip_newlines()?;
                            let body = self.parse_command()?;
                            return Ok(Arc::new(Node::FuncDef { name, body }));
                        }
                    }
                }
                _ => break,
            }
        }
        if cmd.assigns.is_empty() && cmd.words.is_empty() && cmd.redirs.is_empty() {
            let tok = self.peek()?;
            return Err(self.unexpected(&tok, None));
        }
        Ok(Arc::new(Node::Simple(cmd)))
    }

    fn parse_redir(&mut self, fd: Option<u32>) -> Result<Redir, ParseError> {
        let tok = self.next()?;
        let Tok::Op(op) = tok else { return Err(self.unexpected(&tok, None)) };
        let kind = match op {
            Op::Great | Op::Clobber => RedirKind::Out,
            Op::DGreat => RedirKind::Append,
            Op::Less => RedirKind::In,
            Op::LessGreat => RedirKind::ReadWrite,
            Op::GreatAnd => RedirKind::DupOut,
            Op::LessAnd => RedirKind::DupIn,
            Op::AndGreat => RedirKind::OutErr,
            Op::DLess | Op::DLessDash => RedirKind::HereDoc,
            Op::TLess => RedirKind::HereString,
            _ => return Err(self.unexpected(&Tok::Op(op), None)),
        };
        let default_fd = match kind {
            RedirKind::In | RedirKind::ReadWrite | RedirKind::DupIn | RedirKind::HereDoc | RedirKind::HereString => 0,
            _ => 1,
        };
        let target_tok = self.next()?;
        let Tok::Word(target) = target_tok else { return Err(self.unexpected(&target_tok, None)) };
        let target = if kind == RedirKind::HereDoc {
            let (delim, quoted) = target.literal_text();
            let body = self.lx.read_heredoc_body(&delim, op == Op::DLessDash);
            if quoted {
                Word::quoted(&body)
            } else {
                lexer::parse_text_word(&body, self.lx.dialect, self.depth)?
            }
        } else {
            target
        };
        Ok(Redir { fd: fd.unwrap_or(default_fd), kind, target })
    }

    fn parse_if(&mut self) -> Result<NodeRef, ParseError> {
        self.next()?;
        let mut arms = Vec::new();
        let cond = self.parse_body()?;
        self.expect_kw("then")?;
        let body = self.parse_body()?;
        arms.push((cond, body));
        let mut otherwise = None;
        loop {
            match self.peek_kw()?.as_deref() {
                Some("elif") => {
                    self.next()?;
                    let cond = self.parse_body()?;
                    self.expect_kw("then")?;
                    let body = self.parse_body()?;
                    arms.push((cond, body));
                }
                Some("else") => {
                    self.next()?;
                    otherwise = Some(self.parse_body()?);
                    self.expect_kw("fi")?;
                    break;
                }
                Some("fi") => {
                    self.next()?;
                    break;
                }
                _ => {
                    let tok = self.peek()?;
                    return Err(self.unexpected(&tok, Some("fi")));
                }
            }
        }
        Ok(Arc::new(Node::If { arms, otherwise }))
    }

    fn parse_loop(&mut self, until: bool) -> Result<NodeRef, ParseError> {
        self.next()?;
        let cond = self.parse_body()?;
        self.expect_kw("do")?;
        let body = self.parse_body()?;
        self.expect_kw("done")?;
        Ok(Arc::new(Node::Loop { until, cond, body }))
    }

    fn parse_for(&mut self) -> Result<NodeRef, ParseError> {
        self.next()?;
        if matches!(self.peek()?, Tok::Op(Op::LParen)) && self.lx.dialect == Dialect::Bash {
            self.next()?;
            let Some(text) = self.lx.read_double_paren() else {
                let tok = self.peek()?;
                return Err(self.unexpected(&tok, None));
            };
            let pieces: Vec<&str> = text.splitn(3, ';').collect();
            let get = |i: usize| pieces.get(i).copied().unwrap_or("");
            let init = lexer::parse_text_word(get(0), self.lx.dialect, self.depth)?;
            let cond = lexer::parse_text_word(get(1), self.lx.dialect, self.depth)?;
            let step = lexer::parse_text_word(get(2), self.lx.dialect, self.depth)?;
            if matches!(self.peek()?, Tok::Op(Op::Semi)) {
                self.next()?;
            }
            self.skip_newlines()?;
            let body = self.parse_do_body()?;
            return Ok(Arc::new(Node::ArithFor { init, cond, step, body }));
        }
        let tok = self.next()?;
        let var = match &tok {
            Tok::Word(w) => match w.as_lit() {
                Some(s) if is_name(s) => s.to_string(),
                _ => return Err(ParseError { kind: PErr::BadForVar(w.literal_text().0), line: self.tok_line() }),
            },
            _ => return Err(self.unexpected(&tok, None)),
        };
        self.skip_newlines()?;
        let mut items = None;
        if self.peek_kw()?.as_deref() == Some("in") {
            self.next()?;
            let mut words = Vec::new();
            loop {
                match self.peek()? {
                    Tok::Word(w) => {
                        self.next()?;
                        words.push(w);
                    }
                    Tok::Op(Op::Semi) | Tok::Newline => {
                        self.next()?;
                        break;
                    }
                    other => return Err(self.unexpected(&other, Some("do"))),
                }
            }
            items = Some(words);
        } else if matches!(self.peek()?, Tok::Op(Op::Semi)) {
            self.next()?;
        }
        self.skip_newlines()?;
        let body = self.parse_do_body()?;
        Ok(Arc::new(Node::For { var, items, body }))
    }

    fn parse_do_body(&mut self) -> Result<NodeRef, ParseError> {
        if self.peek_kw()?.as_deref() == Some("{") {
            // bash accepts `for …; { …; }`.
            self.next()?;
            let body = self.parse_body()?;
            self.expect_kw("}")?;
            return Ok(body);
        }
        self.expect_kw("do")?;
        let body = self.parse_body()?;
        self.expect_kw("done")?;
        Ok(body)
    }

    fn parse_case(&mut self) -> Result<NodeRef, ParseError> {
        self.next()?;
        let tok = self.next()?;
        let Tok::Word(subject) = tok else { return Err(self.unexpected(&tok, None)) };
        self.skip_newlines()?;
        self.expect_kw("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_kw()?.as_deref() == Some("esac") {
                self.next()?;
                break;
            }
            if matches!(self.peek()?, Tok::Op(Op::LParen)) {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                let tok = self.next()?;
                let Tok::Word(w) = tok else { return Err(self.unexpected(&tok, Some(")"))) };
                patterns.push(w);
                match self.peek()? {
                    Tok::Op(Op::Pipe) => {
                        self.next()?;
                    }
                    Tok::Op(Op::RParen) => {
                        self.next()?;
                        break;
                    }
                    other => return Err(self.unexpected(&other, Some(")"))),
                }
            }
            let items = self.parse_list()?;
            let body = if items.is_empty() { None } else { Some(make_list(items)) };
            arms.push(CaseArm { patterns, body });
            match self.peek()? {
                Tok::Op(Op::DSemi) => {
                    self.next()?;
                }
                Tok::Word(w) if w.as_lit() == Some("esac") => {}
                other => return Err(self.unexpected(&other, Some("esac"))),
            }
        }
        Ok(Arc::new(Node::Case { subject, arms }))
    }

    fn parse_function_kw(&mut self) -> Result<NodeRef, ParseError> {
        self.next()?;
        let tok = self.next()?;
        let name = match &tok {
            Tok::Word(w) => match w.as_lit() {
                Some(s) if is_func_name(s) => s.to_string(),
                _ => return Err(self.unexpected(&tok, None)),
            },
            _ => return Err(self.unexpected(&tok, None)),
        };
        if matches!(self.peek()?, Tok::Op(Op::LParen)) {
            self.next()?;
            let tok = self.next()?;
            if !matches!(tok, Tok::Op(Op::RParen)) {
                return Err(self.unexpected(&tok, Some(")")));
            }
        }
        self.skip_newlines()?;
        let body = self.parse_command()?;
        Ok(Arc::new(Node::FuncDef { name, body }))
    }
}

/// One item without `&` stays itself; anything else becomes a list.
fn make_list(mut items: Vec<ListItem>) -> NodeRef {
    if items.len() == 1 && !items[0].background {
        if let Some(item) = items.pop() {
            return item.node;
        }
    }
    Arc::new(Node::List(items))
}

/// Whether `s` is a valid variable name.
pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Function names may also contain `-`, `.` and `:` in bash/ash practice.
fn is_func_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == ':')
        && !KEYWORDS.contains(&s)
}

/// `NAME=value…` → (NAME, value word).
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(WordPart::Lit(first)) = w.parts.first() else { return None };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    let rest = &first[eq + 1..];
    if let Some(after) = rest.strip_prefix('~') {
        // `X=~/bin` expands the tilde like a word start does.
        let end = after.find(['/', ':']).unwrap_or(after.len());
        let user = &after[..end];
        if user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') && (end < after.len() || w.parts.len() == 1) {
            parts.push(WordPart::Tilde(user.to_string()));
            if end < after.len() {
                parts.push(WordPart::Lit(after[end..].to_string()));
            }
        } else {
            parts.push(WordPart::Lit(rest.to_string()));
        }
    } else if !rest.is_empty() {
        parts.push(WordPart::Lit(rest.to_string()));
    }
    parts.extend(w.parts.iter().skip(1).cloned());
    Some((name.to_string(), Word { parts }))
}
