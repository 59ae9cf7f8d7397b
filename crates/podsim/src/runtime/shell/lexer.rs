//! Characters to tokens: operators, newlines and words with their quoting kept (so expansion
//! later knows what may be split or globbed).
//!
//! Shell lexing is context-sensitive only in a few places, which are handled here rather than in
//! the grammar: `$(…)` and backticks are found by scanning for the matching close and parsed by a
//! nested [`super::parser`] call (so syntax errors inside them are reported at parse time, as real
//! shells do), and here-document bodies are read ahead when their delimiter is seen, then skipped
//! when the lexer reaches the end of that line. Keywords are not recognised here: `if` is a
//! keyword only in command position, which the parser knows.
//!
//! Nothing here panics on arbitrary input: every index is checked, and nesting is bounded by
//! [`MAX_DEPTH`] so that `$($($(…` cannot exhaust the stack.

use std::sync::Arc;

use super::ast::{Param, ParamOp, Word, WordPart};
use super::host::Dialect;
use super::parser;

/// Maximum nesting of compound commands and substitutions in one script. Deeper input is a
/// syntax error rather than a stack overflow.
pub(crate) const MAX_DEPTH: u32 = 40;

/// Operator tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Semi,
    Amp,
    AndIf,
    OrIf,
    Pipe,
    PipeAmp,
    LParen,
    RParen,
    DSemi,
    Less,
    Great,
    DGreat,
    LessAnd,
    GreatAnd,
    LessGreat,
    Clobber,
    DLess,
    DLessDash,
    TLess,
    AndGreat,
}

impl Op {
    /// The operator as written, for error messages.
    pub fn text(self) -> &'static str {
        match self {
            Op::Semi => ";",
            Op::Amp => "&",
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::Pipe => "|",
            Op::PipeAmp => "|&",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::DSemi => ";;",
            Op::Less => "<",
            Op::Great => ">",
            Op::DGreat => ">>",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::Clobber => ">|",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::TLess => "<<<",
            Op::AndGreat => "&>",
        }
    }

    /// Whether this operator starts a redirection.
    pub fn is_redirection(self) -> bool {
        matches!(
            self,
            Op::Less
                | Op::Great
                | Op::DGreat
                | Op::LessAnd
                | Op::GreatAnd
                | Op::LessGreat
                | Op::Clobber
                | Op::DLess
                | Op::DLessDash
                | Op::TLess
                | Op::AndGreat
        )
    }
}

/// A token.
#[derive(Clone, Debug)]
pub(crate) enum Tok {
    Word(Word),
    Op(Op),
    /// The `2` of `2>file`.
    IoNumber(u32),
    Newline,
    Eof,
}

/// How a token is named in a syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokDesc {
    Eof,
    Newline,
    Word(String),
    Keyword(String),
    Op(&'static str),
}

/// What went wrong while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PErr {
    /// `unexpected "fi" (expecting "then")`.
    Unexpected { found: TokDesc, expecting: Option<&'static str> },
    /// A quote (or backtick) that never closes.
    Unterminated(char),
    /// `${…}` with an operator the shell does not know.
    BadSubst,
    /// `${…` never closed.
    MissingBrace,
    /// `for 1 in …`.
    BadForVar(String),
    /// Nesting beyond [`MAX_DEPTH`].
    TooDeep,
}

/// A syntax error with the line it was found on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub kind: PErr,
    pub line: u32,
}

/// The lexer state. `Clone` so the parser can look ahead and a suspended script can keep its
/// position (top-level commands are parsed one at a time, as `sh -c` does).
#[derive(Clone, Debug)]
pub(crate) struct Lexer {
    src: Arc<[char]>,
    pos: usize,
    /// Current line (1-based).
    pub line: u32,
    /// Line of the last token returned.
    pub tok_line: u32,
    /// A pending here-document skip: when the newline before `.0` is consumed, jump to `.1`.
    heredoc: Option<(usize, usize)>,
    pub depth: u32,
    pub dialect: Dialect,
    /// Nesting of `${…}` and `"…"` inside one word (`${a:-"${b:-…}"}`), bounded like `depth`.
    nest: u32,
}

/// Maximum nesting of `${…}`/`"…"` within one word.
const MAX_WORD_NEST: u32 = 64;

impl Lexer {
    pub fn new(src: &str, dialect: Dialect, depth: u32) -> Lexer {
        Lexer { src: src.chars().collect::<Vec<_>>().into(), pos: 0, line: 1, tok_line: 1, heredoc: None, depth, dialect, nest: 0 }
    }

    fn err(&self, kind: PErr) -> ParseError {
        ParseError { kind, line: self.line }
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.src.get(self.pos + k).copied()
    }

    fn peek(&self) -> Option<char> {
        self.peek_at(0)
    }

    /// The whole source.
    pub fn source_text(&self) -> String {
        self.src.iter().collect()
    }

    /// The character right at the lexer position (used by the parser to tell `((` from `( (`).
    pub fn char_here(&self) -> Option<char> {
        self.peek()
    }

    /// Consumes one character, keeping the line count and performing a pending here-document
    /// skip at the end of the line that introduced it.
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            if let Some((start, end)) = self.heredoc {
                if self.pos == start {
                    let end = end.min(self.src.len());
                    let skipped = self.src.get(start..end).map_or(0, |s| s.iter().filter(|&&c| c == '\n').count());
                    self.line += skipped as u32;
                    self.pos = end;
                    self.heredoc = None;
                }
            }
        }
        Some(c)
    }

    /// Skips blanks, line continuations and comments (not the newline ending a comment).
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ') | Some('\t') | Some('\r') => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    /// The next token.
    pub fn next_token(&mut self) -> Result<Tok, ParseError> {
        loop {
            self.skip_blanks();
            self.tok_line = self.line;
            let Some(c) = self.peek() else { return Ok(Tok::Eof) };
            let n1 = self.peek_at(1);
            let n2 = self.peek_at(2);
            let op = match c {
                '\n' => {
                    self.bump();
                    return Ok(Tok::Newline);
                }
                ';' => Some(if n1 == Some(';') { (Op::DSemi, 2) } else { (Op::Semi, 1) }),
                '&' => Some(match n1 {
                    Some('&') => (Op::AndIf, 2),
                    Some('>') => (Op::AndGreat, 2),
                    _ => (Op::Amp, 1),
                }),
                '|' => Some(match n1 {
                    Some('|') => (Op::OrIf, 2),
                    Some('&') => (Op::PipeAmp, 2),
                    _ => (Op::Pipe, 1),
                }),
                '(' => Some((Op::LParen, 1)),
                ')' => Some((Op::RParen, 1)),
                '<' => Some(match (n1, n2) {
                    (Some('<'), Some('-')) => (Op::DLessDash, 3),
                    (Some('<'), Some('<')) => (Op::TLess, 3),
                    (Some('<'), _) => (Op::DLess, 2),
                    (Some('&'), _) => (Op::LessAnd, 2),
                    (Some('>'), _) => (Op::LessGreat, 2),
                    _ => (Op::Less, 1),
                }),
                '>' => Some(match n1 {
                    Some('>') => (Op::DGreat, 2),
                    Some('&') => (Op::GreatAnd, 2),
                    Some('|') => (Op::Clobber, 2),
                    _ => (Op::Great, 1),
                }),
                _ => None,
            };
            if let Some((op, len)) = op {
                for _ in 0..len {
                    self.bump();
                }
                // `&>>file` appends both streams in bash; the simulator treats it as `&>`.
                if op == Op::AndGreat && self.peek() == Some('>') {
                    self.bump();
                }
                return Ok(Tok::Op(op));
            }
            if c.is_ascii_digit() {
                let mut k = 0;
                while self.peek_at(k).is_some_and(|d| d.is_ascii_digit()) {
                    k += 1;
                }
                if matches!(self.peek_at(k), Some('<') | Some('>')) && k <= 4 {
                    let text: String = (0..k).filter_map(|i| self.peek_at(i)).collect();
                    if let Ok(n) = text.parse::<u32>() {
                        for _ in 0..k {
                            self.bump();
                        }
                        return Ok(Tok::IoNumber(n));
                    }
                }
            }
            let start = self.pos;
            let word = self.read_word()?;
            if word.parts.is_empty() && self.pos == start {
                // Defensive: a character no rule consumed; take it literally so we always advance.
                let ch = self.bump().unwrap_or(' ');
                return Ok(Tok::Word(Word { parts: vec![WordPart::Lit(ch.to_string())] }));
            }
            if word.parts.is_empty() {
                // Only line continuations: nothing to return, keep lexing.
                continue;
            }
            return Ok(Tok::Word(word));
        }
    }

    /// An unquoted word, up to the next blank or operator character.
    fn read_word(&mut self) -> Result<Word, ParseError> {
        let mut parts: Vec<WordPart> = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\\' => {
                    self.bump();
                    match self.peek() {
                        Some('\n') => {
                            self.bump();
                        }
                        Some(n) => {
                            self.bump();
                            push_quoted(&mut parts, n);
                        }
                        None => push_lit(&mut parts, '\\'),
                    }
                }
                '\'' => {
                    self.bump();
                    let s = self.read_single()?;
                    parts.push(WordPart::Quoted(s));
                }
                '"' => {
                    self.bump();
                    let inner = self.read_dq_like(false)?;
                    parts.push(WordPart::Double(inner));
                }
                '$' => match self.read_dollar(false)? {
                    Some(p) => parts.push(p),
                    None => push_lit(&mut parts, '$'),
                },
                '`' => {
                    self.bump();
                    let p = self.read_backtick()?;
                    parts.push(p);
                }
                _ => {
                    self.bump();
                    push_lit(&mut parts, c);
                }
            }
        }
        // A leading unquoted `~` (up to the first `/`) is a tilde prefix.
        if let Some(WordPart::Lit(s)) = parts.first() {
            if let Some(rest) = s.strip_prefix('~') {
                let (user, tail) = match rest.find('/') {
                    Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
                    None => (rest.to_string(), String::new()),
                };
                let valid = user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if valid && (!tail.is_empty() || parts.len() == 1) {
                    let mut new_parts = vec![WordPart::Tilde(user)];
                    if !tail.is_empty() {
                        new_parts.push(WordPart::Lit(tail));
                    }
                    new_parts.extend(parts.drain(1..));
                    parts = new_parts;
                }
            }
        }
        Ok(Word { parts })
    }

    /// `'…'` after the opening quote.
    fn read_single(&mut self) -> Result<String, ParseError> {
        let mut s = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(s),
                Some(c) => s.push(c),
                None => return Err(self.err(PErr::Unterminated('\''))),
            }
        }
    }

    /// The inside of `"…"` (after the opening quote; `heredoc`: a here-document body or an
    /// arithmetic text, read to the end, where `"` is an ordinary character).
    fn read_dq_like(&mut self, heredoc: bool) -> Result<Vec<WordPart>, ParseError> {
        self.nest += 1;
        if self.nest > MAX_WORD_NEST {
            return Err(self.err(PErr::TooDeep));
        }
        let r = self.read_dq_like_inner(heredoc);
        self.nest -= 1;
        r
    }

    fn read_dq_like_inner(&mut self, heredoc: bool) -> Result<Vec<WordPart>, ParseError> {
        let mut parts: Vec<WordPart> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                if heredoc {
                    return Ok(parts);
                }
                return Err(self.err(PErr::Unterminated('"')));
            };
            match c {
                '"' if !heredoc => {
                    self.bump();
                    return Ok(parts);
                }
                '\\' => {
                    self.bump();
                    match self.peek() {
                        Some('\n') => {
                            self.bump();
                        }
                        Some(n) if n == '$' || n == '`' || n == '\\' || (n == '"' && !heredoc) => {
                            self.bump();
                            push_lit(&mut parts, n);
                        }
                        Some(_) => push_lit(&mut parts, '\\'),
                        None => {
                            if heredoc {
                                push_lit(&mut parts, '\\');
                                return Ok(parts);
                            }
                            return Err(self.err(PErr::Unterminated('"')));
                        }
                    }
                }
                '$' => match self.read_dollar(true)? {
                    Some(p) => parts.push(p),
                    None => push_lit(&mut parts, '$'),
                },
                '`' => {
                    self.bump();
                    let p = self.read_backtick()?;
                    parts.push(p);
                }
                _ => {
                    self.bump();
                    push_lit(&mut parts, c);
                }
            }
        }
    }

    /// A `$` expansion at the current position. `None` (with the `$` consumed) when the `$` is
    /// literal, as in `echo $` or `a$ b`.
    fn read_dollar(&mut self, in_dq: bool) -> Result<Option<WordPart>, ParseError> {
        let next = self.peek_at(1);
        match next {
            Some('(') => {
                if self.peek_at(2) == Some('(') {
                    if let Some(end) = self.scan_arith_end(self.pos + 3) {
                        let text: String = self.src[self.pos + 3..end].iter().collect();
                        let line = self.line;
                        while self.pos < end + 2 {
                            self.bump();
                        }
                        let word = self.sub_text_word(&text, line)?;
                        return Ok(Some(WordPart::Arith(word)));
                    }
                }
                self.bump();
                self.bump();
                let node = self.read_cmdsub_paren()?;
                Ok(Some(WordPart::CmdSub(node)))
            }
            Some('{') => {
                self.bump();
                self.bump();
                let p = self.read_braced_param()?;
                Ok(Some(WordPart::Param(p)))
            }
            Some('\'') if !in_dq => {
                self.bump();
                self.bump();
                let s = self.read_ansi_c()?;
                Ok(Some(WordPart::Quoted(s)))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.bump();
                let name = self.read_name();
                Ok(Some(WordPart::Param(Param { name, op: ParamOp::Plain })))
            }
            Some(c) if c.is_ascii_digit() || "?$!#@*-".contains(c) => {
                self.bump();
                self.bump();
                Ok(Some(WordPart::Param(Param { name: c.to_string(), op: ParamOp::Plain })))
            }
            _ => {
                self.bump();
                Ok(None)
            }
        }
    }

    fn read_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.bump();
            } else {
                break;
            }
        }
        name
    }

    /// `${…}` after the `${`.
    fn read_braced_param(&mut self) -> Result<Param, ParseError> {
        self.nest += 1;
        if self.nest > MAX_WORD_NEST {
            return Err(self.err(PErr::TooDeep));
        }
        let r = self.read_braced_param_inner();
        self.nest -= 1;
        r
    }

    fn read_braced_param_inner(&mut self) -> Result<Param, ParseError> {
        // `${#name}` is the length; `${#}` is `$#`.
        if self.peek() == Some('#') && self.peek_at(1).is_some_and(|c| c != '}') {
            let after = self.peek_at(1).unwrap_or('}');
            if after.is_ascii_alphanumeric() || after == '_' || "?$!@*".contains(after) {
                self.bump();
                let name = self.read_param_name();
                return match self.bump() {
                    Some('}') => Ok(Param { name, op: ParamOp::Length }),
                    None => Err(self.err(PErr::MissingBrace)),
                    Some(_) => Err(self.err(PErr::BadSubst)),
                };
            }
        }
        let name = self.read_param_name();
        if name.is_empty() {
            return Err(self.err(if self.peek().is_none() { PErr::MissingBrace } else { PErr::BadSubst }));
        }
        let c = self.peek();
        let op = match c {
            Some('}') => {
                self.bump();
                return Ok(Param { name, op: ParamOp::Plain });
            }
            Some(':') => {
                self.bump();
                match self.peek() {
                    Some('-') => {
                        self.bump();
                        ParamOp::Default { colon: true, word: self.read_brace_word(&[])? }
                    }
                    Some('=') => {
                        self.bump();
                        ParamOp::Assign { colon: true, word: self.read_brace_word(&[])? }
                    }
                    Some('?') => {
                        self.bump();
                        ParamOp::Error { colon: true, word: self.read_brace_word(&[])? }
                    }
                    Some('+') => {
                        self.bump();
                        ParamOp::Alt { colon: true, word: self.read_brace_word(&[])? }
                    }
                    _ => {
                        let offset = self.read_brace_word(&[':'])?;
                        let length = if self.peek() == Some(':') {
                            self.bump();
                            Some(self.read_brace_word(&[])?)
                        } else {
                            None
                        };
                        ParamOp::Substr { offset, length }
                    }
                }
            }
            Some('-') => {
                self.bump();
                ParamOp::Default { colon: false, word: self.read_brace_word(&[])? }
            }
            Some('=') => {
                self.bump();
                ParamOp::Assign { colon: false, word: self.read_brace_word(&[])? }
            }
            Some('?') => {
                self.bump();
                ParamOp::Error { colon: false, word: self.read_brace_word(&[])? }
            }
            Some('+') => {
                self.bump();
                ParamOp::Alt { colon: false, word: self.read_brace_word(&[])? }
            }
            Some('#') | Some('%') => {
                let ch = c.unwrap_or('#');
                self.bump();
                let longest = self.peek() == Some(ch);
                if longest {
                    self.bump();
                }
                let pattern = self.read_brace_word(&[])?;
                if ch == '#' {
                    ParamOp::TrimPrefix { longest, pattern }
                } else {
                    ParamOp::TrimSuffix { longest, pattern }
                }
            }
            Some('/') => {
                self.bump();
                let all = self.peek() == Some('/');
                if all {
                    self.bump();
                }
                let pattern = self.read_brace_word(&['/'])?;
                let with = if self.peek() == Some('/') {
                    self.bump();
                    self.read_brace_word(&[])?
                } else {
                    Word::default()
                };
                ParamOp::Replace { all, pattern, with }
            }
            None => return Err(self.err(PErr::MissingBrace)),
            _ => return Err(self.err(PErr::BadSubst)),
        };
        if self.bump() != Some('}') {
            return Err(self.err(PErr::MissingBrace));
        }
        Ok(Param { name, op })
    }

    fn read_param_name(&mut self) -> String {
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => self.read_name(),
            Some(c) if c.is_ascii_digit() => {
                let mut s = String::new();
                while let Some(d) = self.peek().filter(|d| d.is_ascii_digit()) {
                    s.push(d);
                    self.bump();
                }
                s
            }
            Some(c) if "?$!#@*-".contains(c) => {
                self.bump();
                c.to_string()
            }
            _ => String::new(),
        }
    }

    /// The word argument of a `${…}` operator, up to the closing `}` (or one of `stops`), not
    /// consuming it. Blanks are literal here.
    fn read_brace_word(&mut self, stops: &[char]) -> Result<Word, ParseError> {
        let mut parts: Vec<WordPart> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err(PErr::MissingBrace));
            };
            if c == '}' || stops.contains(&c) {
                return Ok(Word { parts });
            }
            match c {
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some(n) => push_quoted(&mut parts, n),
                        None => push_lit(&mut parts, '\\'),
                    }
                }
                '\'' => {
                    self.bump();
                    let s = self.read_single()?;
                    parts.push(WordPart::Quoted(s));
                }
                '"' => {
                    self.bump();
                    let inner = self.read_dq_like(false)?;
                    parts.push(WordPart::Double(inner));
                }
                '$' => match self.read_dollar(false)? {
                    Some(p) => parts.push(p),
                    None => push_lit(&mut parts, '$'),
                },
                '`' => {
                    self.bump();
                    let p = self.read_backtick()?;
                    parts.push(p);
                }
                _ => {
                    self.bump();
                    push_lit(&mut parts, c);
                }
            }
        }
    }

    /// `$'…'` after the opening quote: ANSI-C escapes.
    fn read_ansi_c(&mut self) -> Result<String, ParseError> {
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err(PErr::Unterminated('\''))),
                Some('\'') => return Ok(s),
                Some('\\') => {
                    let Some(e) = self.bump() else { return Err(self.err(PErr::Unterminated('\''))) };
                    match e {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\u{7}'),
                        'b' => s.push('\u{8}'),
                        'e' | 'E' => s.push('\u{1b}'),
                        'f' => s.push('\u{c}'),
                        'v' => s.push('\u{b}'),
                        'x' => {
                            let mut v = 0u32;
                            let mut n = 0;
                            while n < 2 {
                                match self.peek().and_then(|c| c.to_digit(16)) {
                                    Some(d) => {
                                        v = v * 16 + d;
                                        self.bump();
                                        n += 1;
                                    }
                                    None => break,
                                }
                            }
                            s.push(char::from_u32(v).unwrap_or('?'));
                        }
                        '0'..='7' => {
                            let mut v = e.to_digit(8).unwrap_or(0);
                            let mut n = 1;
                            while n < 3 {
                                match self.peek().and_then(|c| c.to_digit(8)) {
                                    Some(d) => {
                                        v = v * 8 + d;
                                        self.bump();
                                        n += 1;
                                    }
                                    None => break,
                                }
                            }
                            s.push(char::from_u32(v).unwrap_or('?'));
                        }
                        other => s.push(other),
                    }
                }
                Some(c) => s.push(c),
            }
        }
    }

    /// `` `…` `` after the opening backtick: unescape, then parse as a nested script.
    fn read_backtick(&mut self) -> Result<WordPart, ParseError> {
        let line = self.line;
        let mut inner = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err(PErr::Unterminated('`'))),
                Some('`') => break,
                Some('\\') => match self.peek() {
                    Some(c @ ('`' | '\\' | '$')) => {
                        self.bump();
                        inner.push(c);
                    }
                    _ => inner.push('\\'),
                },
                Some(c) => inner.push(c),
            }
        }
        let node = self.sub_parse(&inner, line)?;
        Ok(WordPart::CmdSub(node))
    }

    /// `$(…)` after the `$(`.
    fn read_cmdsub_paren(&mut self) -> Result<super::ast::NodeRef, ParseError> {
        let line = self.line;
        let Some(end) = self.scan_paren_end(self.pos) else {
            return Err(self.err(PErr::Unexpected { found: TokDesc::Eof, expecting: Some(")") }));
        };
        let text: String = self.src[self.pos..end].iter().collect();
        while self.pos < end + 1 {
            self.bump();
        }
        self.sub_parse(&text, line)
    }

    fn sub_parse(&self, text: &str, line: u32) -> Result<super::ast::NodeRef, ParseError> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(self.err(PErr::TooDeep));
        }
        parser::parse_all(text, self.dialect, self.depth + 1).map_err(|mut e| {
            e.line = e.line.saturating_add(line.saturating_sub(1));
            e
        })
    }

    fn sub_text_word(&self, text: &str, line: u32) -> Result<Word, ParseError> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(self.err(PErr::TooDeep));
        }
        parse_text_word(text, self.dialect, self.depth + 1).map_err(|mut e| {
            e.line = e.line.saturating_add(line.saturating_sub(1));
            e
        })
    }

    /// Index of the `)` matching an already consumed `(`, starting the scan at `from`. Quotes,
    /// backslashes, nested `$(`/`(` and backticks are skipped over.
    fn scan_paren_end(&self, from: usize) -> Option<usize> {
        let src = &self.src;
        let mut depth = 1usize;
        let mut i = from;
        let mut word_start = true;
        while i < src.len() {
            let c = src[i];
            match c {
                '\\' => {
                    i += 2;
                    word_start = false;
                    continue;
                }
                '\'' => {
                    i += 1;
                    while i < src.len() && src[i] != '\'' {
                        i += 1;
                    }
                    if i >= src.len() {
                        return None;
                    }
                }
                '"' => {
                    i = scan_dq_end(src, i + 1, 0)?;
                }
                '`' => {
                    i += 1;
                    while i < src.len() && src[i] != '`' {
                        if src[i] == '\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    if i >= src.len() {
                        return None;
                    }
                }
                '#' if word_start => {
                    while i < src.len() && src[i] != '\n' {
                        i += 1;
                    }
                    continue;
                }
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
            word_start = matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')');
            i += 1;
        }
        None
    }

    /// Index of the first `)` of the `))` closing a `$((`, scanning from `from`.
    fn scan_arith_end(&self, from: usize) -> Option<usize> {
        let src = &self.src;
        let mut depth = 0usize;
        let mut i = from;
        while i < src.len() {
            match src[i] {
                '(' => depth += 1,
                ')' => {
                    if depth == 0 {
                        return (src.get(i + 1) == Some(&')')).then_some(i);
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// For `((…))` commands and `for ((…))`: the lexer is at the second `(`. Returns the text
    /// between `((` and `))` and moves past them, or `None` (position unchanged) if they do not
    /// close.
    pub fn read_double_paren(&mut self) -> Option<String> {
        if self.peek() != Some('(') {
            return None;
        }
        let end = self.scan_arith_end(self.pos + 1)?;
        let text: String = self.src[self.pos + 1..end].iter().collect();
        while self.pos < end + 2 {
            self.bump();
        }
        Some(text)
    }

    /// Reads a here-document body for `delim`, which starts on the line after the current one
    /// (or after the previous here-document of this line), and arranges for the lexer to skip
    /// it. Returns the body text (tabs stripped for `<<-`).
    pub fn read_heredoc_body(&mut self, delim: &str, strip_tabs: bool) -> String {
        let src = &self.src;
        let (trigger, body_start) = match self.heredoc {
            Some((t, end)) => (t, end),
            None => {
                let mut i = self.pos;
                while i < src.len() && src[i] != '\n' {
                    i += 1;
                }
                if i >= src.len() {
                    return String::new();
                }
                (i + 1, i + 1)
            }
        };
        let mut body = String::new();
        let mut i = body_start.min(src.len());
        let mut end = src.len();
        while i < src.len() {
            let mut j = i;
            while j < src.len() && src[j] != '\n' {
                j += 1;
            }
            let raw: String = src[i..j].iter().collect();
            let line = if strip_tabs { raw.trim_start_matches('\t').to_string() } else { raw };
            let next = if j < src.len() { j + 1 } else { j };
            if line == delim {
                end = next;
                break;
            }
            body.push_str(&line);
            body.push('\n');
            i = next;
        }
        self.heredoc = Some((trigger, end));
        body
    }
}

/// End index (of the closing quote) of a double-quoted string starting after its `"`.
fn scan_dq_end(src: &[char], mut i: usize, nest: u32) -> Option<usize> {
    if nest > MAX_WORD_NEST {
        return None;
    }
    while i < src.len() {
        match src[i] {
            '\\' => i += 1,
            '"' => return Some(i),
            '`' => {
                i += 1;
                while i < src.len() && src[i] != '`' {
                    if src[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '$' if src.get(i + 1) == Some(&'(') => {
                // Nested `$(…)` inside the quotes may itself contain quotes.
                let mut depth = 1usize;
                i += 2;
                while i < src.len() && depth > 0 {
                    match src[i] {
                        '\\' => i += 1,
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        '\'' => {
                            i += 1;
                            while i < src.len() && src[i] != '\'' {
                                i += 1;
                            }
                        }
                        '"' => {
                            i = scan_dq_end(src, i + 1, nest + 1).unwrap_or(src.len());
                        }
                        _ => {}
                    }
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses text with here-document rules (expansions active, quotes literal) into a word whose
/// parts are all quoted: here-document bodies and `$((…))` texts.
pub(crate) fn parse_text_word(text: &str, dialect: Dialect, depth: u32) -> Result<Word, ParseError> {
    let mut lx = Lexer::new(text, dialect, depth);
    let parts = lx.read_dq_like(true)?;
    Ok(Word { parts: vec![WordPart::Double(parts)] })
}

fn push_lit(parts: &mut Vec<WordPart>, c: char) {
    if let Some(WordPart::Lit(s)) = parts.last_mut() {
        s.push(c);
    } else {
        parts.push(WordPart::Lit(c.to_string()));
    }
}

fn push_quoted(parts: &mut Vec<WordPart>, c: char) {
    if let Some(WordPart::Quoted(s)) = parts.last_mut() {
        s.push(c);
    } else {
        parts.push(WordPart::Quoted(c.to_string()));
    }
}
