//! cty numbers, kept exactly.
//!
//! Terraform's numbers are arbitrary-precision decimals. On the wire it sends one as the smallest msgpack
//! integer when it is an integer that fits in an i64, as a float64 when a float64 holds it exactly, and
//! otherwise as a string of its decimal digits (`"18446744073709551617"`, `"0.1"`); in JSON as a number
//! literal of any length. A [`Number`] keeps each of these exactly, in one canonical form per value so
//! that equal numbers compare equal however they arrived:
//! - an integer in the i64 range is an `i64`; one above it, up to `u64::MAX`, a `u64`;
//! - any other number a float64 holds exactly (1.5, 2^64, infinities) is an `f64`;
//! - anything else (2^64+1, 0.1, 1e400) is its decimal text, without exponent, leading zeros or
//!   trailing fractional zeros.
//!
//! Texts longer than [`MAX_DIGITS`] characters are refused rather than rounded.

use std::fmt;
use std::str::FromStr;

/// The longest decimal text a number may take, sign and point included: enough for every float64
/// written out exactly, and far beyond the 512 bits Terraform itself keeps.
pub const MAX_DIGITS: usize = 2048;

/// An exact cty number; see the module documentation for its forms.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(Repr);

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    Int(i64),
    UInt(u64),
    Float(f64),
    Decimal(String),
}

/// A number's canonical form, to read it without losing anything.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumberRepr<'a> {
    /// An integer in the i64 range.
    Int(i64),
    /// An integer above `i64::MAX`.
    UInt(u64),
    /// A number a float64 holds exactly that is not one of the above.
    Float(f64),
    /// Any other number, as plain decimal text (`-123.45`, `18446744073709551617`).
    Decimal(&'a str),
}

// Canonical forms never hold NaN, so equality is total.
impl Eq for Number {}

impl Number {
    /// The number a float64 holds; `None` for NaN, which is not a number Terraform has.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            return None;
        }
        if f.is_finite() && f.fract() == 0.0 {
            // 2^63 and 2^64: the first integers outside each range, both exact as float64.
            if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
                return Some(Number(Repr::Int(f as i64)));
            }
            if (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                return Some(Number(Repr::UInt(f as u64)));
            }
        }
        Some(Number(Repr::Float(f)))
    }

    /// Parses a decimal number: an optional sign, digits with an optional fraction, an optional
    /// exponent (`-12`, `1.50`, `2e3`, `18446744073709551617`).
    pub fn parse(text: &str) -> Result<Number, String> {
        let bad = || format!("{text:?} is not a number");
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], rest[at + 1..].parse::<i64>().map_err(|_| bad())?),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return Err(bad());
        }
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            return Ok(Number(Repr::Int(0)));
        }
        let significant = digits.trim_end_matches('0');
        // The value is significant × 10^scale.
        let scale = i128::from(exponent) - frac.len() as i128 + (digits.len() - significant.len()) as i128;
        let length =
            if scale >= 0 { significant.len() as i128 + scale } else { (significant.len() as i128).max(-scale) + 2 };
        if length > MAX_DIGITS as i128 {
            return Err(format!("{text:?} has more digits than the {MAX_DIGITS} a number may have"));
        }
        let body = if scale >= 0 {
            format!("{significant}{}", "0".repeat(scale as usize))
        } else {
            let point = significant.len() as i128 + scale;
            if point > 0 {
                let (whole, part) = significant.split_at(point as usize);
                format!("{whole}.{part}")
            } else {
                format!("0.{}{significant}", "0".repeat(-point as usize))
            }
        };
        let canonical = if negative { format!("-{body}") } else { body };
        if scale >= 0 {
            if let Ok(i) = canonical.parse::<i64>() {
                return Ok(Number(Repr::Int(i)));
            }
            if let Ok(u) = canonical.parse::<u64>() {
                return Ok(Number(Repr::UInt(u)));
            }
        }
        let float: f64 = canonical.parse().map_err(|_| bad())?;
        if float.is_finite() && exact_text(float) == canonical {
            return Ok(Number(Repr::Float(float)));
        }
        Ok(Number(Repr::Decimal(canonical)))
    }

    /// The canonical form.
    pub fn repr(&self) -> NumberRepr<'_> {
        match &self.0 {
            Repr::Int(i) => NumberRepr::Int(*i),
            Repr::UInt(u) => NumberRepr::UInt(*u),
            Repr::Float(f) => NumberRepr::Float(*f),
            Repr::Decimal(text) => NumberRepr::Decimal(text),
        }
    }

    /// The number as an i64, when it is an integer in its range.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The number as a u64, when it is an integer in its range.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            Repr::Int(i) => u64::try_from(i).ok(),
            Repr::UInt(u) => Some(u),
            _ => None,
        }
    }

    /// The nearest float64 (rounding decimals that have no exact one).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            Repr::Int(i) => *i as f64,
            Repr::UInt(u) => *u as f64,
            Repr::Float(f) => *f,
            Repr::Decimal(text) => text.parse().unwrap_or(f64::NAN),
        }
    }

    /// Whether the number has no fractional part.
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Int(_) | Repr::UInt(_) => true,
            Repr::Float(f) => f.is_finite() && f.fract() == 0.0,
            Repr::Decimal(text) => !text.contains('.'),
        }
    }
}

/// A float64's value written out in full: every binary fraction has a finite decimal expansion, with as
/// many decimal places as it has binary ones.
fn exact_text(f: f64) -> String {
    let mut scaled = f;
    let mut places = 0;
    while scaled.fract() != 0.0 {
        scaled *= 2.0;
        places += 1;
    }
    format!("{f:.places$}")
}

/// Exact decimal text (`inf` and `-inf` for the infinities).
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Int(i) => write!(f, "{i}"),
            Repr::UInt(u) => write!(f, "{u}"),
            Repr::Float(x) if x.is_finite() => f.write_str(&exact_text(*x)),
            Repr::Float(x) => write!(f, "{x}"),
            Repr::Decimal(text) => f.write_str(text),
        }
    }
}

impl FromStr for Number {
    type Err = String;

    fn from_str(text: &str) -> Result<Number, String> {
        Number::parse(text)
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        Number(Repr::Int(i))
    }
}

impl From<i32> for Number {
    fn from(i: i32) -> Number {
        Number(Repr::Int(i.into()))
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Number {
        match i64::try_from(u) {
            Ok(i) => Number(Repr::Int(i)),
            Err(_) => Number(Repr::UInt(u)),
        }
    }
}

impl From<u32> for Number {
    fn from(u: u32) -> Number {
        Number(Repr::Int(u.into()))
    }
}
