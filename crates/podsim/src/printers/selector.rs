//! Label selectors as `kubectl -l` takes them (apimachinery `labels.Parse`): `a=b`, `a==b`,
//! `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated and ANDed.
//! The lexer, the grammar and the error texts follow the upstream parser.

use std::collections::{BTreeMap, BTreeSet};

/// A requirement's operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectorOp {
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One requirement: `key op values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: SelectorOp,
    /// Sorted and de-duplicated, as upstream keeps them in a set.
    pub values: Vec<String>,
}

/// A parsed selector: every requirement must hold. Empty matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
}

impl Selector {
    /// Whether the selector has no requirement (matches everything).
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

impl Requirement {
    /// Upstream `Requirement.Matches`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let v = labels.get(&self.key);
        match self.op {
            SelectorOp::In | SelectorOp::Equals | SelectorOp::DoubleEquals => v.is_some_and(|v| self.values.contains(v)),
            SelectorOp::NotIn | SelectorOp::NotEquals => v.is_none_or(|v| !self.values.contains(v)),
            SelectorOp::Exists => v.is_some(),
            SelectorOp::DoesNotExist => v.is_none(),
            SelectorOp::GreaterThan | SelectorOp::LessThan => {
                let Some(lv) = v.and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                let Some(rv) = self.values.first().and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                if self.op == SelectorOp::GreaterThan {
                    lv > rv
                } else {
                    lv < rv
                }
            }
        }
    }
}

/// Parses a label selector. The error is the apiserver's message (printed by the caller after
/// `Error from server (BadRequest): `).
pub fn parse_label_selector(text: &str) -> Result<Selector, String> {
    let mut p = Parser { tokens: lex(text), pos: 0 };
    let mut reqs = Vec::new();
    loop {
        let (tok, lit) = p.lookahead(Ctx::Values);
        match tok {
            Tok::Identifier | Tok::DoesNotExist => {
                let r = p.requirement().map_err(|e| format!("unable to parse requirement: {e}"))?;
                reqs.push(r);
                let (tok, lit) = p.consume(Ctx::Values);
                match tok {
                    Tok::End => break,
                    Tok::Comma => {
                        let (t2, l2) = p.lookahead(Ctx::Values);
                        if t2 != Tok::Identifier && t2 != Tok::DoesNotExist {
                            return Err(format!("found '{l2}', expected: identifier after ','"));
                        }
                    }
                    _ => return Err(format!("found '{lit}', expected: ',' or 'end of string'")),
                }
            }
            Tok::End => break,
            _ => return Err(format!("found '{lit}', expected: !, identifier, or 'end of string'")),
        }
    }
    Ok(Selector { requirements: reqs })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    KeyAndOperator,
    Values,
}

fn is_special(c: char) -> bool {
    matches!(c, '!' | '(' | ')' | ',' | '=' | '<' | '>')
}

fn lex(text: &str) -> Vec<(Tok, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            out.push((Tok::End, String::new()));
            return out;
        }
        let c = chars[i];
        if is_special(c) {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let (tok, len) = match two.as_str() {
                "!=" => (Tok::NotEquals, 2),
                "==" => (Tok::DoubleEquals, 2),
                _ => match c {
                    '!' => (Tok::DoesNotExist, 1),
                    '(' => (Tok::OpenPar, 1),
                    ')' => (Tok::ClosedPar, 1),
                    ',' => (Tok::Comma, 1),
                    '=' => (Tok::Equals, 1),
                    '<' => (Tok::LessThan, 1),
                    _ => (Tok::GreaterThan, 1),
                },
            };
            out.push((tok, chars[i..i + len].iter().collect()));
            i += len;
        } else {
            let start = i;
            while i < chars.len() && !is_special(chars[i]) && !chars[i].is_whitespace() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let tok = match word.as_str() {
                "in" => Tok::In,
                "notin" => Tok::NotIn,
                _ => Tok::Identifier,
            };
            out.push((tok, word));
        }
    }
}

struct Parser {
    tokens: Vec<(Tok, String)>,
    pos: usize,
}

impl Parser {
    fn get(&self, i: usize, ctx: Ctx) -> (Tok, String) {
        let (tok, lit) = self.tokens.get(i).cloned().unwrap_or((Tok::End, String::new()));
        let tok = if ctx == Ctx::Values && matches!(tok, Tok::In | Tok::NotIn) { Tok::Identifier } else { tok };
        (tok, lit)
    }

    fn lookahead(&self, ctx: Ctx) -> (Tok, String) {
        self.get(self.pos, ctx)
    }

    fn consume(&mut self, ctx: Ctx) -> (Tok, String) {
        let r = self.get(self.pos, ctx);
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        r
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let (key, op) = self.key_and_inferred_operator()?;
        if let Some(op @ (SelectorOp::Exists | SelectorOp::DoesNotExist)) = op {
            return new_requirement(key, op, Vec::new());
        }
        let op = self.operator()?;
        let values = match op {
            SelectorOp::In | SelectorOp::NotIn => self.values()?,
            _ => self.exact_value()?,
        };
        new_requirement(key, op, values)
    }

    fn key_and_inferred_operator(&mut self) -> Result<(String, Option<SelectorOp>), String> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(Ctx::Values);
        if tok == Tok::DoesNotExist {
            op = Some(SelectorOp::DoesNotExist);
            (tok, lit) = self.consume(Ctx::Values);
        }
        if tok != Tok::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        validate_key(&lit)?;
        let (next, _) = self.lookahead(Ctx::Values);
        if (next == Tok::End || next == Tok::Comma) && op != Some(SelectorOp::DoesNotExist) {
            op = Some(SelectorOp::Exists);
        }
        Ok((lit, op))
    }

    fn operator(&mut self) -> Result<SelectorOp, String> {
        let (tok, lit) = self.consume(Ctx::KeyAndOperator);
        Ok(match tok {
            Tok::In => SelectorOp::In,
            Tok::Equals => SelectorOp::Equals,
            Tok::DoubleEquals => SelectorOp::DoubleEquals,
            Tok::GreaterThan => SelectorOp::GreaterThan,
            Tok::LessThan => SelectorOp::LessThan,
            Tok::NotIn => SelectorOp::NotIn,
            Tok::NotEquals => SelectorOp::NotEquals,
            _ => return Err(format!("found '{lit}', expected: in, notin, =, ==, !=, gt, lt")),
        })
    }

    fn values(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(Ctx::Values);
        if tok != Tok::OpenPar {
            return Err(format!("found '{lit}', expected: '('"));
        }
        let (tok, lit) = self.lookahead(Ctx::Values);
        match tok {
            Tok::Identifier | Tok::Comma => {
                let set = self.identifiers_list()?;
                let (tok, lit) = self.consume(Ctx::Values);
                if tok != Tok::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(set)
            }
            Tok::ClosedPar => {
                self.consume(Ctx::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn identifiers_list(&mut self) -> Result<Vec<String>, String> {
        let mut set = BTreeSet::new();
        loop {
            let (tok, lit) = self.consume(Ctx::Values);
            match tok {
                Tok::Identifier => {
                    set.insert(lit);
                    let (t2, l2) = self.lookahead(Ctx::Values);
                    match t2 {
                        Tok::Comma => continue,
                        Tok::ClosedPar => return Ok(set.into_iter().collect()),
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Tok::Comma => {
                    if set.is_empty() {
                        set.insert(String::new());
                    }
                    let (t2, _) = self.lookahead(Ctx::Values);
                    if t2 == Tok::ClosedPar {
                        set.insert(String::new());
                        return Ok(set.into_iter().collect());
                    }
                    if t2 == Tok::Comma {
                        self.consume(Ctx::Values);
                        set.insert(String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        let (tok, _) = self.lookahead(Ctx::Values);
        if tok == Tok::End || tok == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (tok, lit) = self.consume(Ctx::Values);
        if tok == Tok::Identifier {
            return Ok(vec![lit]);
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

fn new_requirement(key: String, op: SelectorOp, values: Vec<String>) -> Result<Requirement, String> {
    match op {
        SelectorOp::In | SelectorOp::NotIn if values.is_empty() => {
            return Err("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty".to_string())
        }
        SelectorOp::Equals | SelectorOp::DoubleEquals | SelectorOp::NotEquals if values.len() != 1 => {
            return Err("values: Invalid value: exact-match compatibility requires one single value".to_string())
        }
        SelectorOp::GreaterThan | SelectorOp::LessThan => {
            if values.len() != 1 {
                return Err("values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required".to_string());
            }
            if values[0].parse::<i64>().is_err() {
                return Err(format!(
                    "values[0]: Invalid value: \"{}\": for 'Gt', 'Lt' operators, the value must be an integer",
                    values[0]
                ));
            }
        }
        _ => {}
    }
    for (i, v) in values.iter().enumerate() {
        validate_value(&key, i, v)?;
    }
    let mut values = values;
    values.sort();
    values.dedup();
    Ok(Requirement { key, op, values })
}

const NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
                && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// Label keys are qualified names: `[prefix/]name`.
fn validate_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let bad = |detail: &str| Err(format!("key: Invalid value: \"{key}\": {detail}"));
    if let Some(p) = prefix {
        if p.is_empty() {
            return bad("prefix part must be non-empty");
        }
        if !is_dns1123_subdomain(p) {
            return bad("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
        if name.contains('/') {
            return bad("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        }
    }
    if name.is_empty() {
        return bad("name part must be non-empty");
    }
    if name.len() > 63 {
        return bad("name part must be no more than 63 characters");
    }
    if !is_name_part(name) {
        return bad(NAME_MSG);
    }
    Ok(())
}

fn validate_value(key: &str, i: usize, v: &str) -> Result<(), String> {
    if v.is_empty() || is_name_part(v) {
        return Ok(());
    }
    if v.len() > 63 {
        return Err(format!("values[{i}][{key}]: Invalid value: \"{v}\": must be no more than 63 characters"));
    }
    Err(format!(
        "values[{i}][{key}]: Invalid value: \"{v}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    ))
}

/// `labels.FormatLabels`: `a=1,b=2` sorted by key, `<none>` when empty.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn sel(s: &str) -> Selector {
        parse_label_selector(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn equality_and_set_based() {
        let l = labels(&[("app", "web"), ("tier", "frontend"), ("rev", "3")]);
        assert!(sel("app=web").matches(&l));
        assert!(sel("app==web").matches(&l));
        assert!(!sel("app!=web").matches(&l));
        assert!(sel("missing!=x").matches(&l));
        assert!(sel("tier in (frontend, backend)").matches(&l));
        assert!(!sel("tier notin (frontend)").matches(&l));
        assert!(sel("missing notin (x)").matches(&l));
        assert!(sel("app").matches(&l));
        assert!(sel("!missing").matches(&l));
        assert!(!sel("!app").matches(&l));
        assert!(sel("app=web,tier=frontend").matches(&l));
        assert!(!sel("app=web,tier=backend").matches(&l));
        assert!(sel("rev>2").matches(&l));
        assert!(!sel("rev<2").matches(&l));
        assert!(sel("").matches(&l));
        assert!(sel("  app = web ").matches(&l));
        assert!(sel("app in (web)").matches(&l));
        assert!(sel("in=x").matches(&labels(&[("in", "x")])));
    }

    #[test]
    fn empty_values() {
        assert!(sel("app=").matches(&labels(&[("app", "")])));
        assert!(sel("app in ()").matches(&labels(&[("app", "")])));
        assert!(sel("app in (,a)").matches(&labels(&[("app", "")])));
    }

    #[test]
    fn errors_use_upstream_words() {
        assert_eq!(parse_label_selector("a in").unwrap_err(), "unable to parse requirement: found '', expected: '('");
        assert_eq!(
            parse_label_selector("a b").unwrap_err(),
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(parse_label_selector("a=b c").unwrap_err(), "found 'c', expected: ',' or 'end of string'");
        assert_eq!(
            parse_label_selector("a in (x").unwrap_err(),
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(parse_label_selector("=a").unwrap_err(), "found '=', expected: !, identifier, or 'end of string'");
        assert!(parse_label_selector("a:b").unwrap_err().starts_with("unable to parse requirement: key: Invalid value: \"a:b\""));
        assert!(parse_label_selector("a>b").unwrap_err().contains("must be an integer"));
        assert_eq!(parse_label_selector("a,").unwrap_err(), "found '', expected: identifier after ','");
    }

    #[test]
    fn formats_labels() {
        assert_eq!(format_labels(&labels(&[("tier", "y"), ("app", "x")])), "app=x,tier=y");
        assert_eq!(format_labels(&BTreeMap::new()), "<none>");
    }
}
