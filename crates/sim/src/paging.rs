//! The whole-number paging parameters of list calls (limit, offset): their ranges and defaults are the
//! contract's (`hwapi::contract`, each list operation's `query`), which the router has checked.

use hwapi::contract::param::query_int;
use hwapi::contract::Op;

use crate::request::ApiRequest;

/// The value of the whole-number query parameter `name` of `op` in `req`, or its declared default (0
/// when the contract declares none; a negative value, which the router refuses, as 0).
pub fn number(op: &Op, req: &ApiRequest, name: &str) -> usize {
    query_int(op.query, &req.query, name).map_or(0, |n| usize::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use hwapi::contract::kafka;

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
    fn values_and_declared_defaults() {
        let read = |q: &[(&str, &str)]| ["limit", "offset"].map(|k| number(&kafka::LIST, &req(q), k));
        assert_eq!(read(&[]), [10, 0]);
        assert_eq!(read(&[("offset", "7"), ("limit", "50")]), [50, 7]);
        assert_eq!(number(&kafka::TOPIC_LIST, &req(&[]), "limit"), 50);
    }

    /// The ranges are the contract's, checked by the router before a list reads its numbers (the
    /// Kafka instance list: limit 1 to 50, offset at least 0).
    #[test]
    fn refusals_are_the_contracts() {
        for (query, expected) in [
            (("limit", "0"), "limit: must be between 1 and 50, got 0"),
            (("limit", "51"), "limit: must be between 1 and 50, got 51"),
            (("limit", "-1"), "limit: must be between 1 and 50, got -1"),
            (("limit", "1.5"), "limit: expected an Integer, got \"1.5\""),
            (("limit", ""), "limit: expected an Integer, got \"\""),
            (("offset", "-3"), "offset: must be at least 0, got -3"),
            (("offset", "99999999999999999999"), "offset: expected an Integer, got \"99999999999999999999\""),
        ] {
            let problem = kafka::LIST.validate_query(&req(&[query]).query).unwrap_err();
            assert_eq!(problem.to_string(), expected, "{query:?}");
        }
    }
}
