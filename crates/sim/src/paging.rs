//! The whole-number paging parameters of list calls (limit, offset). Each service writes the ranges of
//! each of its lists once, as a table copied from the official SDK's request model.

use crate::request::ApiRequest;

/// A whole-number query parameter: its range (inclusive) and the value it takes when absent.
#[derive(Clone, Copy, Debug)]
pub struct Number {
    pub key: &'static str,
    pub min: i64,
    pub max: i64,
    pub default: i64,
}

impl Number {
    pub const fn new(key: &'static str, min: i64, max: i64, default: i64) -> Number {
        Number { key, min, max, default }
    }

    /// The value in `req`'s query; `Err` says why it is refused.
    fn read(&self, req: &ApiRequest) -> Result<i64, String> {
        let Some(text) = req.param(self.key) else { return Ok(self.default) };
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{}: {text:?} is not an integer", self.key));
        }
        match text.parse::<i64>() {
            Ok(n) if (self.min..=self.max).contains(&n) => Ok(n),
            Ok(n) if self.max == i64::MAX => Err(format!("{}: {n} is less than {}", self.key, self.min)),
            _ => Err(format!("{}: {text} is outside the range {}..{}", self.key, self.min, self.max)),
        }
    }
}

/// The values of `table`'s parameters, in its order; `Err` names the first one refused.
pub fn numbers<const N: usize>(req: &ApiRequest, table: &[Number; N]) -> Result<[i64; N], String> {
    let mut out = [0; N];
    for (slot, number) in out.iter_mut().zip(table) {
        *slot = number.read(req)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(query: &[(&str, &str)]) -> ApiRequest {
        ApiRequest {
            method: "GET".into(),
            path: "/".into(),
            query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: Default::default(),
        }
    }

    #[test]
    fn ranges_defaults_and_refusals() {
        const TABLE: [Number; 2] = [Number::new("limit", 1, 50, 10), Number::new("offset", 0, i64::MAX, 0)];
        assert_eq!(numbers(&req(&[]), &TABLE), Ok([10, 0]));
        assert_eq!(numbers(&req(&[("offset", "7"), ("limit", "50")]), &TABLE), Ok([50, 7]));
        for (query, expected) in [
            (("limit", "0"), "limit: 0 is outside the range 1..50"),
            (("limit", "51"), "limit: 51 is outside the range 1..50"),
            (("limit", "-1"), "limit: -1 is outside the range 1..50"),
            (("limit", "1.5"), "limit: \"1.5\" is not an integer"),
            (("limit", ""), "limit: \"\" is not an integer"),
            (("offset", "-3"), "offset: -3 is less than 0"),
            (
                ("offset", "99999999999999999999"),
                "offset: 99999999999999999999 is outside the range 0..9223372036854775807",
            ),
        ] {
            assert_eq!(numbers(&req(&[query]), &TABLE), Err(expected.to_string()));
        }
    }
}
