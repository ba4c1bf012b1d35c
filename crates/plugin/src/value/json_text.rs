//! A JSON reader that keeps each number literal as its text.
//!
//! serde_json reads numbers into u64, i64 or f64 unless its `arbitrary_precision` feature is on, and that
//! feature is one switch for the whole build: turning it on here would change how every other crate of
//! the workspace reads and prints numbers. So structure is read here, by hand; serde_json only unescapes
//! string literals, whose extent this reader finds first.

use super::error::Error;

/// Nesting deeper than this is refused, so that crafted input cannot exhaust the stack.
const MAX_DEPTH: usize = 256;

/// A JSON document, numbers as written.
#[derive(Debug)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// The literal, as in the text (`-1.50e3`); valid JSON number syntax.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in the order written.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a bool",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The same document as serde_json's, numbers rounded as serde_json rounds them; for the parts,
    /// such as types, that hold no numbers.
    pub(crate) fn to_serde(&self) -> serde_json::Value {
        match self {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => (*b).into(),
            Json::Number(text) => text.parse().unwrap_or(serde_json::Value::Null),
            Json::String(s) => s.as_str().into(),
            Json::Array(items) => items.iter().map(Json::to_serde).collect(),
            Json::Object(members) => {
                serde_json::Value::Object(members.iter().map(|(k, v)| (k.clone(), v.to_serde())).collect())
            }
        }
    }
}

/// Reads one JSON document, with nothing but whitespace around it.
pub(crate) fn parse(text: &str) -> Result<Json, Error> {
    let mut parser = Parser { text, at: 0, depth: 0 };
    let json = parser.value()?;
    parser.whitespace();
    if parser.at != text.len() {
        return Err(parser.error("text after the JSON value"));
    }
    Ok(json)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> Error {
        Error::new(format!("invalid JSON at byte {}: {what}", self.at))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `b` if it comes next.
    fn eat(&mut self, b: u8) -> bool {
        let next = self.peek() == Some(b);
        if next {
            self.at += 1;
        }
        next
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn value(&mut self) -> Result<Json, Error> {
        self.whitespace();
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!("values nest deeper than {MAX_DEPTH} levels")));
        }
        let value = match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.literal(),
        };
        self.depth -= 1;
        value
    }

    fn literal(&mut self) -> Result<Json, Error> {
        for (word, json) in [("null", Json::Null), ("true", Json::Bool(true)), ("false", Json::Bool(false))] {
            if self.text[self.at..].starts_with(word) {
                self.at += word.len();
                return Ok(json);
            }
        }
        Err(self.error("expected a value"))
    }

    fn number(&mut self) -> Result<Json, Error> {
        let start = self.at;
        self.eat(b'-');
        match self.digits() {
            0 => return Err(self.error("expected a digit")),
            n if n > 1 && self.text.as_bytes()[self.at - n] == b'0' => {
                return Err(self.error("a number cannot start with 0"))
            }
            _ => {}
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.error("expected a digit after the point"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _sign = self.eat(b'+') || self.eat(b'-');
            if self.digits() == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        Ok(Json::Number(self.text[start..self.at].to_owned()))
    }

    fn string(&mut self) -> Result<String, Error> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek() {
                None => return Err(self.error("a string does not end")),
                Some(b'"') => break,
                Some(b'\\') => self.at += 2,
                Some(_) => self.at += 1,
            }
        }
        self.at += 1;
        let literal = self.text.get(start..self.at).ok_or_else(|| self.error("a string does not end"))?;
        serde_json::from_str(literal).map_err(|e| Error::new(format!("invalid JSON at byte {start}: {e}")))
    }

    fn array(&mut self) -> Result<Json, Error> {
        self.at += 1;
        let mut items = Vec::new();
        self.whitespace();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.whitespace();
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.error("expected , or ]"));
            }
        }
    }

    fn object(&mut self) -> Result<Json, Error> {
        self.at += 1;
        let mut members = Vec::new();
        self.whitespace();
        if self.eat(b'}') {
            return Ok(Json::Object(members));
        }
        loop {
            self.whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.string()?;
            self.whitespace();
            if !self.eat(b':') {
                return Err(self.error("expected :"));
            }
            members.push((name, self.value()?));
            self.whitespace();
            if self.eat(b'}') {
                return Ok(Json::Object(members));
            }
            if !self.eat(b',') {
                return Err(self.error("expected , or }"));
            }
        }
    }
}
