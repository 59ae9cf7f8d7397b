//! The syntax tree the parser builds and the interpreter walks.
//!
//! Nodes are shared through `Arc` so an interpreter frame can hold "the loop I am running" or
//! "the list I am half-way through" cheaply, and a suspended [`super::Process`] stays `Clone` and
//! `Send` without borrowing from the source text.

use std::sync::Arc;

/// A shared node.
pub(crate) type NodeRef = Arc<Node>;

/// One command of any kind.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// `A=1 cmd arg >file`.
    Simple(SimpleCommand),
    /// `a | b | c`, optionally `! …`. Only built for two or more stages or a `!`.
    Pipeline { negate: bool, stages: Vec<NodeRef> },
    /// `a && b || c`.
    AndOr { first: NodeRef, rest: Vec<(AndOr, NodeRef)> },
    /// `a; b & c` (items run in order; `background` items are started as jobs).
    List(Vec<ListItem>),
    /// `if c1; then b1; elif c2; then b2; else b3; fi`.
    If { arms: Vec<(NodeRef, NodeRef)>, otherwise: Option<NodeRef> },
    /// `while c; do b; done` or `until c; do b; done`.
    Loop { until: bool, cond: NodeRef, body: NodeRef },
    /// `for v in w…; do b; done` (`items` None: `for v; do` iterates the positional parameters).
    For { var: String, items: Option<Vec<Word>>, body: NodeRef },
    /// bash's `for ((init; cond; step)); do b; done`.
    ArithFor { init: Word, cond: Word, step: Word, body: NodeRef },
    /// `case w in p1|p2) b;; esac`.
    Case { subject: Word, arms: Vec<CaseArm> },
    /// `{ …; }`.
    Group(NodeRef),
    /// `( … )`.
    Subshell(NodeRef),
    /// `name() { …; }`.
    FuncDef { name: String, body: NodeRef },
    /// `(( expr ))`.
    Arith(Word),
    /// A compound command with redirections: `while …; done > file`.
    Redirected { node: NodeRef, redirs: Vec<Redir> },
}

/// One element of a [`Node::List`].
#[derive(Clone, Debug)]
pub(crate) struct ListItem {
    pub node: NodeRef,
    pub background: bool,
}

/// `&&` or `||`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AndOr {
    And,
    Or,
}

/// A simple command.
#[derive(Clone, Debug)]
pub(crate) struct SimpleCommand {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// Source line (1-based), for `bash: line 3: …` and dash's `sh: 3: …` messages.
    pub line: u32,
}

/// `pattern | pattern ) body ;;`.
#[derive(Clone, Debug)]
pub(crate) struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: Option<NodeRef>,
}

/// One redirection.
#[derive(Clone, Debug)]
pub(crate) struct Redir {
    pub fd: u32,
    pub kind: RedirKind,
    /// The file name, the fd to duplicate, or the here-document body.
    pub target: Word,
}

/// Redirection operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RedirKind {
    /// `>` and `>|`.
    Out,
    /// `>>`.
    Append,
    /// `<`.
    In,
    /// `<>` (opened for reading; the simulator never writes through it).
    ReadWrite,
    /// `>&N`, `>&-`.
    DupOut,
    /// `<&N`, `<&-`.
    DupIn,
    /// `&>file` (bash; also accepted by ash): stdout and stderr to the file.
    OutErr,
    /// `<<EOF` / `<<-EOF` (target is the body) and `<<<word` (target is the word; a newline is added).
    HereDoc,
    HereString,
}

/// A word before expansion: a sequence of parts with their quoting.
#[derive(Clone, Debug, Default)]
pub(crate) struct Word {
    pub parts: Vec<WordPart>,
}

/// One piece of a word.
#[derive(Clone, Debug)]
pub(crate) enum WordPart {
    /// Unquoted literal text (subject to brace and pathname expansion).
    Lit(String),
    /// Quoted literal text (`'…'`, `\x`, `$'…'`): taken as is.
    Quoted(String),
    /// `"…"`: its parts expand but never split or glob. Inside, `Lit` means quoted text.
    Double(Vec<WordPart>),
    /// `$name`, `${name…}`.
    Param(Param),
    /// `$(…)` or backticks.
    CmdSub(NodeRef),
    /// `$((…))`: the expression text, expanded like a here-document before evaluation.
    Arith(Word),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

/// A parameter expansion.
#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub name: String,
    pub op: ParamOp,
}

/// What a `${…}` expansion does with the value.
#[derive(Clone, Debug)]
pub(crate) enum ParamOp {
    Plain,
    /// `${#name}`.
    Length,
    /// `${name:-w}` / `${name-w}`.
    Default { colon: bool, word: Word },
    /// `${name:=w}`.
    Assign { colon: bool, word: Word },
    /// `${name:?w}`.
    Error { colon: bool, word: Word },
    /// `${name:+w}`.
    Alt { colon: bool, word: Word },
    /// `${name#p}` / `${name##p}`.
    TrimPrefix { longest: bool, pattern: Word },
    /// `${name%p}` / `${name%%p}`.
    TrimSuffix { longest: bool, pattern: Word },
    /// `${name/p/r}` / `${name//p/r}` (bash, ash).
    Replace { all: bool, pattern: Word, with: Word },
    /// `${name:offset:length}` (bash, ash): the arithmetic texts.
    Substr { offset: Word, length: Option<Word> },
}

impl Word {
    /// A word made of one quoted literal (argv entries of exec-form commands).
    pub fn quoted(text: &str) -> Word {
        Word { parts: vec![WordPart::Quoted(text.to_string())] }
    }

    /// The text if the word is a single unquoted literal (keywords, names).
    pub fn as_lit(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// The text with quotes removed and no expansion, plus whether any part was quoted (here-doc
    /// delimiters: a quoted delimiter means a literal body).
    pub fn literal_text(&self) -> (String, bool) {
        let mut out = String::new();
        let mut quoted = false;
        for part in &self.parts {
            part_literal(part, &mut out, &mut quoted);
        }
        (out, quoted)
    }
}

fn part_literal(part: &WordPart, out: &mut String, quoted: &mut bool) {
    match part {
        WordPart::Lit(s) => out.push_str(s),
        WordPart::Quoted(s) => {
            *quoted = true;
            out.push_str(s);
        }
        WordPart::Double(inner) => {
            *quoted = true;
            for p in inner {
                part_literal(p, out, quoted);
            }
        }
        WordPart::Param(p) => {
            out.push('$');
            out.push_str(&p.name);
        }
        WordPart::Tilde(user) => {
            out.push('~');
            out.push_str(user);
        }
        WordPart::CmdSub(_) | WordPart::Arith(_) => {}
    }
}
