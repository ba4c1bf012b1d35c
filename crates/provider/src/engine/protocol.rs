//! The tf-provider `Resource` impl: decodes Terraform's values and hands them to the lifecycle steps.
//!
//! tf-provider's `ValueAny` only knows whole numbers, so a configuration such as `size = 1.5` would
//! fail to decode with a message that names no attribute. [`Val`] decodes such a number as the text
//! of the number instead; validation then reports it on the attribute that expects a whole number.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tf_provider::schema::Schema;
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::base::Engine;
use super::hooks::Hooks;
use super::schema;

/// A Terraform value as the engine sees it.
pub struct Val(pub ValueAny);

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// What a value may be on the wire: anything `ValueAny` decodes, or containers holding numbers it cannot.
#[derive(Deserialize)]
#[serde(untagged)]
enum Wire {
    Known(ValueAny),
    Fraction(f64),
    List(Vec<Wire>),
    Map(BTreeMap<String, Wire>),
}

impl From<Wire> for ValueAny {
    fn from(w: Wire) -> Self {
        match w {
            Wire::Known(v) => v,
            Wire::Fraction(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => ValueAny::Number(f as i64),
            Wire::Fraction(f) => ValueAny::String(f.to_string()),
            Wire::List(l) => ValueAny::List(l.into_iter().map(Into::into).collect()),
            Wire::Map(m) => ValueAny::Map(m.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

impl<'de> Deserialize<'de> for Val {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Wire::deserialize(deserializer).map(|w| Val(w.into()))
    }
}

fn wrap<P>(r: Option<(ValueAny, P)>) -> Option<(Val, P)> {
    r.map(|(s, p)| (Val(s), p))
}

#[async_trait]
impl<H: Hooks> Resource for Engine<H> {
    type State<'a> = Val;
    type PrivateState<'a> = ValueAny;
    type ProviderMetaState<'a> = ValueAny;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema::resource_schema(self.def()))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Val) -> Option<()> {
        self.do_validate(diags, config.0).await
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Val,
        private: ValueAny,
        meta: ValueAny,
    ) -> Option<(Val, ValueAny)> {
        wrap(self.do_read(diags, state.0, private, meta).await)
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: Val,
        config: Val,
        meta: ValueAny,
    ) -> Option<(Val, ValueAny)> {
        wrap(self.do_plan_create(diags, proposed.0, config.0, meta).await)
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Val,
        proposed: Val,
        config: Val,
        prior_private: ValueAny,
        meta: ValueAny,
    ) -> Option<(Val, ValueAny, Vec<AttributePath>)> {
        let r = self.do_plan_update(diags, prior.0, proposed.0, config.0, prior_private, meta).await;
        r.map(|(s, p, replace)| (Val(s), p, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Val,
        prior_private: ValueAny,
        meta: ValueAny,
    ) -> Option<ValueAny> {
        self.do_plan_destroy(diags, prior.0, prior_private, meta).await
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: Val,
        config: Val,
        private: ValueAny,
        meta: ValueAny,
    ) -> Option<(Val, ValueAny)> {
        wrap(self.do_create(diags, planned.0, config.0, private, meta).await)
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Val,
        planned: Val,
        config: Val,
        private: ValueAny,
        meta: ValueAny,
    ) -> Option<(Val, ValueAny)> {
        wrap(self.do_update(diags, prior.0, planned.0, config.0, private, meta).await)
    }

    async fn destroy<'a>(&self, diags: &mut Diagnostics, prior: Val, private: ValueAny, meta: ValueAny) -> Option<()> {
        self.do_destroy(diags, prior.0, private, meta).await
    }

    async fn import<'a>(&self, diags: &mut Diagnostics, id: String) -> Option<(Val, ValueAny)> {
        wrap(self.do_import(diags, id).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractional_numbers_decode_as_text_and_whole_ones_as_numbers() {
        let v: Val = serde_json::from_str(r#"{"a": 1.5, "b": [2.0, "x"], "c": {"d": true}, "e": null}"#).unwrap();
        let expected: ValueAny =
            serde_json::from_str(r#"{"a": "1.5", "b": [2, "x"], "c": {"d": true}, "e": null}"#).unwrap();
        assert_eq!(v.0, expected);
    }

    #[test]
    fn unknown_values_still_decode_from_msgpack() {
        let value =
            ValueAny::Map([("a".to_string(), ValueAny::Unknown), ("b".to_string(), ValueAny::Number(3))].into());
        let bytes = rmp_serde::to_vec_named(&value).unwrap();
        let v: Val = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(v.0, value);
    }
}
