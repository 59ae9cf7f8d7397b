//! `$((…))`, `((…))`, `let` and bash's `for ((…))`: 64-bit signed integer arithmetic with the C
//! operators the shell supports, including assignments and `++`/`--`.
//!
//! Arithmetic wraps on overflow (as the shells' C `intmax_t` does in practice) instead of
//! panicking, division by zero is an error value, and nesting is bounded, so no expression text
//! can crash or hang the simulator. `&&`, `||` and `?:` do not evaluate (or assign in) the branch
//! they skip.

/// Which operator set: dash has neither `**` nor `++`/`--`, and its variables must hold plain
/// numbers; bash and BusyBox ash have both and evaluate a variable's text as an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    Full,
    Posix,
}

/// Variable access for the evaluator.
pub(crate) trait ArithVars {
    fn get(&self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: i64);
}

/// Why an expression failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ArithError {
    /// `token`: the source text from where parsing failed (bash's "error token").
    Syntax { token: String },
    /// `token`: the divisor's text.
    DivideByZero { token: String },
    /// dash: a variable used in arithmetic does not hold a number.
    IllegalNumber(String),
}

const MAX_DEPTH: u32 = 64;

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Ident(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "!",
    "~", "&", "^", "|", "?", ":", "(", ")", ",",
];

/// Tokens with the char offset each starts at.
fn tokenize(s: &str, flavor: Flavor) -> Result<(Vec<T>, Vec<usize>), ArithError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    let mut i = 0;
    'outer: while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        offsets.push(i);
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '#' || chars[i] == '_' || chars[i] == '@') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(T::Num(parse_number(&text).map_err(|_| syntax(&text))?));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(T::Ident(chars[start..i].iter().collect()));
            continue;
        }
        for op in OPS {
            if flavor == Flavor::Posix && matches!(*op, "**" | "++" | "--") {
                continue;
            }
            let n = op.len();
            if i + n <= chars.len() && chars[i..i + n].iter().copied().eq(op.chars()) {
                out.push(T::Op(op));
                i += n;
                continue 'outer;
            }
        }
        return Err(syntax(&chars[i..].iter().collect::<String>()));
    }
    Ok((out, offsets))
}

fn syntax(token: &str) -> ArithError {
    ArithError::Syntax { token: token.trim().to_string() }
}

/// Parses an integer constant: decimal, `0x…`, `0…` (octal) or `base#digits`.
pub(crate) fn parse_number(text: &str) -> Result<i64, ArithError> {
    let bad = || syntax(text);
    let digits_in = |s: &str, base: u32| -> Result<i64, ArithError> {
        if s.is_empty() {
            return Err(bad());
        }
        let mut v: i64 = 0;
        for c in s.chars() {
            let d = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'a'..='z' => c as u32 - 'a' as u32 + 10,
                'A'..='Z' => {
                    if base <= 36 {
                        c as u32 - 'A' as u32 + 10
                    } else {
                        c as u32 - 'A' as u32 + 36
                    }
                }
                '@' => 62,
                '_' => 63,
                _ => return Err(bad()),
            };
            if d >= base {
                return Err(bad());
            }
            v = v.wrapping_mul(base as i64).wrapping_add(d as i64);
        }
        Ok(v)
    };
    if let Some((base, digits)) = text.split_once('#') {
        let base: u32 = base.parse().map_err(|_| bad())?;
        if !(2..=64).contains(&base) {
            return Err(bad());
        }
        return digits_in(digits, base);
    }
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return digits_in(hex, 16);
    }
    if text.len() > 1 && text.starts_with('0') {
        return digits_in(&text[1..], 8);
    }
    digits_in(text, 10)
}

struct Eval<'a> {
    text: Vec<char>,
    offsets: Vec<usize>,
    toks: Vec<T>,
    pos: usize,
    vars: &'a mut dyn ArithVars,
    depth: u32,
    flavor: Flavor,
}

/// Evaluates an expression. An empty expression is 0.
pub(crate) fn eval(expr: &str, vars: &mut dyn ArithVars, flavor: Flavor) -> Result<i64, ArithError> {
    eval_depth(expr, vars, 0, flavor)
}

fn eval_depth(expr: &str, vars: &mut dyn ArithVars, depth: u32, flavor: Flavor) -> Result<i64, ArithError> {
    let (toks, offsets) = tokenize(expr, flavor)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut e = Eval { text: expr.chars().collect(), offsets, toks, pos: 0, vars, depth, flavor };
    let v = e.comma(true)?;
    if e.pos != e.toks.len() {
        return Err(e.error_here());
    }
    Ok(v)
}

impl Eval<'_> {
    /// The text from token `i` (clamped to the last token) to the end.
    fn text_from(&self, i: usize) -> String {
        let i = i.min(self.toks.len().saturating_sub(1));
        let off = self.offsets.get(i).copied().unwrap_or(0).min(self.text.len());
        self.text[off..].iter().collect()
    }

    /// A syntax error at the current token (the previous one at the end, as bash reports).
    fn error_here(&self) -> ArithError {
        let i = if self.pos >= self.toks.len() { self.toks.len().saturating_sub(1) } else { self.pos };
        syntax(&self.text_from(i))
    }

    /// The text of tokens `from..to`.
    fn text_between(&self, from: usize, to: usize) -> String {
        let start = self.offsets.get(from).copied().unwrap_or(self.text.len()).min(self.text.len());
        let end = self.offsets.get(to).copied().unwrap_or(self.text.len()).min(self.text.len()).max(start);
        self.text[start..end].iter().collect::<String>().trim().to_string()
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), ArithError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here());
        }
        Ok(())
    }

    fn var_value(&mut self, name: &str) -> Result<i64, ArithError> {
        let text = self.vars.get(name).unwrap_or_default();
        let t = text.trim();
        if t.is_empty() {
            return Ok(0);
        }
        if let Some(stripped) = t.strip_prefix('-') {
            if let Ok(v) = parse_number(stripped) {
                return Ok(v.wrapping_neg());
            }
        }
        if let Ok(v) = parse_number(t) {
            return Ok(v);
        }
        if self.flavor == Flavor::Posix {
            return Err(ArithError::IllegalNumber(t.to_string()));
        }
        // bash evaluates a variable's value as an expression; bounded by depth.
        if self.depth + 8 > MAX_DEPTH {
            return Err(syntax(t));
        }
        eval_depth(t, self.vars, self.depth + 8, self.flavor)
    }

    fn comma(&mut self, live: bool) -> Result<i64, ArithError> {
        let mut v = self.assign(live)?;
        while self.eat(",") {
            v = self.assign(live)?;
        }
        Ok(v)
    }

    fn assign(&mut self, live: bool) -> Result<i64, ArithError> {
        self.enter()?;
        let result = self.assign_inner(live);
        self.depth -= 1;
        result
    }

    fn assign_inner(&mut self, live: bool) -> Result<i64, ArithError> {
        if let (Some(T::Ident(name)), Some(T::Op(op))) = (self.toks.get(self.pos).cloned(), self.toks.get(self.pos + 1).cloned()) {
            let compound = ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="];
            if compound.contains(&op) {
                self.pos += 2;
                let rhs_start = self.pos;
                let rhs = self.assign(live)?;
                let rhs_text = self.text_between(rhs_start, self.pos);
                if !live {
                    return Ok(rhs);
                }
                let cur = if op == "=" { 0 } else { self.var_value(&name)? };
                let v = match op {
                    "=" => rhs,
                    "+=" => cur.wrapping_add(rhs),
                    "-=" => cur.wrapping_sub(rhs),
                    "*=" => cur.wrapping_mul(rhs),
                    "/=" => checked_div(cur, rhs, &rhs_text)?,
                    "%=" => checked_rem(cur, rhs, &rhs_text)?,
                    "<<=" => cur.wrapping_shl(rhs as u32),
                    ">>=" => cur.wrapping_shr(rhs as u32),
                    "&=" => cur & rhs,
                    "^=" => cur ^ rhs,
                    _ => cur | rhs,
                };
                self.vars.set(&name, v);
                return Ok(v);
            }
        }
        self.ternary(live)
    }

    fn ternary(&mut self, live: bool) -> Result<i64, ArithError> {
        let c = self.binary(0, live)?;
        if self.eat("?") {
            let a = self.assign(live && c != 0)?;
            if !self.eat(":") {
                return Err(self.error_here());
            }
            let b = self.ternary(live && c == 0)?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    fn binary(&mut self, level: usize, live: bool) -> Result<i64, ArithError> {
        const LEVELS: &[&[&str]] = &[&["||"], &["&&"], &["|"], &["^"], &["&"], &["==", "!="], &["<", "<=", ">", ">="], &["<<", ">>"], &["+", "-"], &["*", "/", "%"]];
        if level >= LEVELS.len() {
            return self.power(live);
        }
        let mut lhs = self.binary(level + 1, live)?;
        while let Some(op) = self.peek_op().filter(|o| LEVELS[level].contains(o)) {
            self.pos += 1;
            let rhs_live = match op {
                "||" => live && lhs == 0,
                "&&" => live && lhs != 0,
                _ => live,
            };
            let rhs_start = self.pos;
            let rhs = self.binary(level + 1, rhs_live)?;
            lhs = match op {
                "||" => i64::from(lhs != 0 || rhs != 0),
                "&&" => i64::from(lhs != 0 && rhs != 0),
                "|" => lhs | rhs,
                "^" => lhs ^ rhs,
                "&" => lhs & rhs,
                "==" => i64::from(lhs == rhs),
                "!=" => i64::from(lhs != rhs),
                "<" => i64::from(lhs < rhs),
                "<=" => i64::from(lhs <= rhs),
                ">" => i64::from(lhs > rhs),
                ">=" => i64::from(lhs >= rhs),
                "<<" => lhs.wrapping_shl(rhs as u32),
                ">>" => lhs.wrapping_shr(rhs as u32),
                "+" => lhs.wrapping_add(rhs),
                "-" => lhs.wrapping_sub(rhs),
                "*" => lhs.wrapping_mul(rhs),
                "/" => {
                    if live {
                        checked_div(lhs, rhs, &self.text_between(rhs_start, self.pos))?
                    } else {
                        0
                    }
                }
                _ => {
                    if live {
                        checked_rem(lhs, rhs, &self.text_between(rhs_start, self.pos))?
                    } else {
                        0
                    }
                }
            };
        }
        Ok(lhs)
    }

    fn power(&mut self, live: bool) -> Result<i64, ArithError> {
        let base = self.unary(live)?;
        if self.eat("**") {
            self.enter()?;
            let exp = self.power(live)?;
            self.depth -= 1;
            if exp < 0 {
                return Err(syntax("exponent less than 0"));
            }
            return Ok(base.wrapping_pow(exp.min(u32::MAX as i64) as u32));
        }
        Ok(base)
    }

    fn unary(&mut self, live: bool) -> Result<i64, ArithError> {
        self.enter()?;
        let r = self.unary_inner(live);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self, live: bool) -> Result<i64, ArithError> {
        match self.peek_op() {
            Some("+") => {
                self.pos += 1;
                self.unary(live)
            }
            Some("-") => {
                self.pos += 1;
                Ok(self.unary(live)?.wrapping_neg())
            }
            Some("!") => {
                self.pos += 1;
                Ok(i64::from(self.unary(live)? == 0))
            }
            Some("~") => {
                self.pos += 1;
                Ok(!self.unary(live)?)
            }
            Some(op @ ("++" | "--")) => {
                self.pos += 1;
                let Some(T::Ident(name)) = self.toks.get(self.pos).cloned() else { return Err(self.error_here()) };
                self.pos += 1;
                let v = self.var_value(&name)?;
                let nv = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
                if live {
                    self.vars.set(&name, nv);
                }
                Ok(nv)
            }
            _ => self.postfix(live),
        }
    }

    fn postfix(&mut self, live: bool) -> Result<i64, ArithError> {
        match self.toks.get(self.pos).cloned() {
            Some(T::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(T::Ident(name)) => {
                self.pos += 1;
                let v = self.var_value(&name)?;
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.pos += 1;
                    if live {
                        let nv = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
                        self.vars.set(&name, nv);
                    }
                }
                Ok(v)
            }
            Some(T::Op("(")) => {
                self.pos += 1;
                let v = self.comma(live)?;
                if !self.eat(")") {
                    return Err(self.error_here());
                }
                Ok(v)
            }
            _ => Err(self.error_here()),
        }
    }
}

fn checked_div(a: i64, b: i64, divisor: &str) -> Result<i64, ArithError> {
    if b == 0 {
        return Err(ArithError::DivideByZero { token: divisor.to_string() });
    }
    Ok(a.wrapping_div(b))
}

fn checked_rem(a: i64, b: i64, divisor: &str) -> Result<i64, ArithError> {
    if b == 0 {
        return Err(ArithError::DivideByZero { token: divisor.to_string() });
    }
    Ok(a.wrapping_rem(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Vars(BTreeMap<String, String>);
    impl ArithVars for Vars {
        fn get(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn set(&mut self, name: &str, value: i64) {
            self.0.insert(name.to_string(), value.to_string());
        }
    }

    fn ev(s: &str) -> Result<i64, ArithError> {
        let mut v = Vars(BTreeMap::new());
        v.0.insert("x".into(), "5".into());
        eval(s, &mut v, Flavor::Full)
    }

    #[test]
    fn arithmetic() {
        assert_eq!(ev("1 + 2 * 3"), Ok(7));
        assert_eq!(ev("(1 + 2) * 3"), Ok(9));
        assert_eq!(ev("2 ** 10"), Ok(1024));
        assert_eq!(ev("x * 2"), Ok(10));
        assert_eq!(ev("x > 3 && x < 10"), Ok(1));
        assert_eq!(ev("x == 5 ? 10 : 20"), Ok(10));
        assert_eq!(ev("0x10 + 010"), Ok(24));
        assert_eq!(ev("1 / 0"), Err(ArithError::DivideByZero { token: "0".into() }));
        assert_eq!(ev("1 +"), Err(ArithError::Syntax { token: "+".into() }));
        assert_eq!(ev("0 && 1 / 0"), Ok(0));
        assert_eq!(ev("-x"), Ok(-5));
        assert_eq!(ev("9223372036854775807 + 1"), Ok(i64::MIN));
        assert_eq!(ev(""), Ok(0));
        assert!(ev(&"(".repeat(500)).is_err());
        let mut v = Vars(BTreeMap::new());
        assert_eq!(eval("i = 3, i++, i += 2, i", &mut v, Flavor::Full), Ok(6));
        assert!(eval("2 ** 3", &mut v, Flavor::Posix).is_err());
        assert_eq!(eval("++i", &mut v, Flavor::Posix), Ok(6));
    }
}
