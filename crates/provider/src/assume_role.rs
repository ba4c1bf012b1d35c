//! The provider block's `assume_role`: an IAM agency whose temporary credentials sign every call (the
//! configured keys only sign the call that obtains them). Each argument falls back to its environment
//! variable, named as Huawei's Go provider names it; without the block, `HW_ASSUME_ROLE_AGENCY_NAME`
//! turns it on.

use std::collections::HashMap;

use hwapi::client::{AgencyDomain, AssumeRole};
use hwapi::contract::{find_path, iam};
use tfplugin::framework::{Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock};
use tfplugin::framework::{AttributePath, Diagnostics, TfValue};

use crate::engine::diag;
use crate::engine::value::get;

pub const NAME: &str = "assume_role";

/// (name, type, environment variable, description)
type Arg = (&'static str, AttributeType, &'static str, &'static str);

fn args() -> [Arg; 4] {
    use AttributeType as T;
    [
        (
            "agency_name",
            T::String,
            "HW_ASSUME_ROLE_AGENCY_NAME",
            "The name of the agency to act as (required, from here or the environment). Every call, the lookup of the project ID included, is made as the agency; a `project_id` (or `HW_PROJECT_ID`, or the profile's) given with it must be a project of the agency's account, so leave it unset to have it looked up.",
        ),
        (
            "domain_name",
            T::String,
            "HW_ASSUME_ROLE_DOMAIN_NAME",
            "The name of the account (domain) that created the agency. Give `domain_name` or `domain_id`, not both.",
        ),
        (
            "domain_id",
            T::String,
            "HW_ASSUME_ROLE_DOMAIN_ID",
            "The ID of the account (domain) that created the agency. Give `domain_name` or `domain_id`, not both.",
        ),
        (
            "duration",
            T::Number,
            "HW_ASSUME_ROLE_DURATION",
            "How long the temporary credentials are asked for, in seconds",
        ),
    ]
}

/// The range IAM takes for the lifetime, and what it grants without one.
fn duration_range() -> (i64, i64) {
    match find_path(iam::ASSUME_AGENCY.body, iam::DURATION).map(|p| p.checks) {
        Some([hwapi::contract::Check::Range(lo, hi), ..]) => (*lo, *hi),
        _ => unreachable!("the contract gives the lifetime a range"),
    }
}

fn description(name: &str, env: &str, desc: &str) -> String {
    match name {
        "duration" => {
            let (lo, hi) = duration_range();
            let default = iam::DEFAULT_DURATION_SECONDS;
            format!("{desc}, {lo} to {hi} (default {default}, IAM's). IAM may grant less: the credentials are renewed before the expiry it answers. Falls back to the `{env}` environment variable.")
        }
        _ => format!("{desc} Falls back to the `{env}` environment variable."),
    }
}

/// The block: at most one.
pub fn block() -> NestedBlock {
    let attributes: HashMap<String, Attribute> = args()
        .into_iter()
        .map(|(name, ty, env, desc)| {
            let d = Description::markdown(description(name, env, desc));
            (name.to_string(), Attribute::new(ty, AttributeConstraint::Optional, d))
        })
        .collect();
    NestedBlock::Optional(Block {
        attributes,
        description: Description::markdown("Act as an IAM agency: every call is signed with its temporary credentials, obtained with the configured keys on the first call and renewed before they expire."),
        ..Block::default()
    })
}

/// The block's values (its one element), if it is there.
fn element(config: &TfValue) -> Option<&TfValue> {
    match get(config, NAME) {
        TfValue::List(items) => items.first(),
        _ => None,
    }
}

fn path(attr: &str) -> AttributePath {
    AttributePath::new(NAME).index(0).attribute(attr)
}

/// The duration's problem, if it has one.
fn duration_problem(n: i64) -> Option<String> {
    let (lo, hi) = duration_range();
    (!(lo..=hi).contains(&n)).then(|| format!("must be a whole number of seconds from {lo} to {hi}, got {n}"))
}

/// Plan-time checks of the block's own values (the environment is read at configure).
pub fn validate(diags: &mut Diagnostics, config: &TfValue) {
    let Some(block) = element(config) else { return };
    let given = |n: &str| matches!(get(block, n), TfValue::String(s) if !s.is_empty());
    if given("domain_name") && given("domain_id") {
        let detail = "assume_role: domain_name and domain_id are both set; give one of them.";
        diag(diags, "Invalid assume_role", detail, path("domain_id"));
    }
    let bad = match get(block, "duration") {
        TfValue::Number(n) => duration_problem(*n),
        TfValue::String(text) => Some(format!("must be a whole number of seconds, got {text}")),
        _ => None,
    };
    if let Some(problem) = bad {
        diag(diags, "Invalid assume_role", format!("assume_role.duration {problem}"), path("duration"));
    }
}

/// The agency to act as: the block's values, else their environment variables; without the block,
/// only when `HW_ASSUME_ROLE_AGENCY_NAME` is set.
pub fn setting(config: &TfValue, env: &dyn Fn(&str) -> Option<String>) -> Result<Option<AssumeRole>, String> {
    if get(config, NAME) == &TfValue::Unknown {
        return Err("assume_role is not known when the provider is configured; give it known values.".into());
    }
    let block = element(config);
    let value = |name: &str| -> Result<Option<String>, String> {
        let var = args().into_iter().find(|a| a.0 == name).map(|a| a.2).unwrap_or_default();
        match block.map(|b| get(b, name)) {
            Some(TfValue::Unknown) => Err(format!(
                "assume_role.{name} is not known when the provider is configured (it depends on a value Terraform \
computes later); nothing falls back to {var} instead. Give it a known value."
            )),
            Some(TfValue::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(TfValue::Number(n)) => Ok(Some(n.to_string())),
            _ => Ok(env(var).filter(|s| !s.is_empty())),
        }
    };
    let agency = value("agency_name")?;
    if block.is_none() && agency.is_none() {
        return Ok(None);
    }
    let agency_name =
        agency.ok_or("assume_role needs agency_name (or HW_ASSUME_ROLE_AGENCY_NAME), which is not set.")?;
    // The domain is one setting in two forms: a block that gives either form takes nothing from the
    // environment for the other.
    let in_block = |name: &str| block.is_some_and(|b| !matches!(get(b, name), TfValue::Null));
    let domain_value = |name: &str, other: &str| match in_block(other) && !in_block(name) {
        true => Ok(None),
        false => value(name),
    };
    let domain = match (domain_value("domain_name", "domain_id")?, domain_value("domain_id", "domain_name")?) {
        (Some(name), None) => AgencyDomain::Name(name),
        (None, Some(id)) => AgencyDomain::Id(id),
        (None, None) => {
            return Err("assume_role needs domain_name (or HW_ASSUME_ROLE_DOMAIN_NAME) or domain_id (or \
HW_ASSUME_ROLE_DOMAIN_ID): the account that created the agency."
                .into())
        }
        (Some(_), Some(_)) => {
            return Err("assume_role: domain_name (or HW_ASSUME_ROLE_DOMAIN_NAME) and domain_id (or \
HW_ASSUME_ROLE_DOMAIN_ID) are both set; give one of them."
                .into())
        }
    };
    let named = "assume_role.duration (or HW_ASSUME_ROLE_DURATION)";
    let duration_seconds = match value("duration")? {
        None => iam::DEFAULT_DURATION_SECONDS,
        Some(text) => {
            let n =
                text.parse::<i64>().map_err(|_| format!("{named} must be a whole number of seconds, got {text:?}"))?;
            if let Some(problem) = duration_problem(n) {
                return Err(format!("{named} {problem}"));
            }
            n
        }
    };
    Ok(Some(AssumeRole { agency_name, domain, duration_seconds }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> TfValue {
        TfValue::String(v.into())
    }

    fn with_block(pairs: &[(&str, TfValue)]) -> TfValue {
        let block = TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
        TfValue::Map([(NAME.to_string(), TfValue::List(vec![block]))].into())
    }

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_block_and_its_environment_fallbacks() {
        let role = setting(&with_block(&[("agency_name", s("ops")), ("domain_name", s("corp"))]), &env(&[]));
        let want =
            AssumeRole { agency_name: "ops".into(), domain: AgencyDomain::Name("corp".into()), duration_seconds: 900 };
        assert_eq!(role.unwrap(), Some(want));
        // Each argument left out falls back to its variable; without the block the agency's variable
        // turns it on.
        let vars = env(&[
            ("HW_ASSUME_ROLE_AGENCY_NAME", "ops"),
            ("HW_ASSUME_ROLE_DOMAIN_ID", "0a1b"),
            ("HW_ASSUME_ROLE_DURATION", "3600"),
        ]);
        let from_env = setting(&TfValue::Map(Default::default()), &vars).unwrap().unwrap();
        assert_eq!((from_env.domain, from_env.duration_seconds), (AgencyDomain::Id("0a1b".into()), 3600));
        let mixed = setting(&with_block(&[("agency_name", s("mine")), ("duration", TfValue::Number(1800))]), &vars);
        assert_eq!(mixed.unwrap().unwrap().agency_name, "mine");
        assert_eq!(setting(&TfValue::Map(Default::default()), &env(&[("HW_ASSUME_ROLE_DOMAIN_ID", "x")])), Ok(None));
    }

    #[test]
    fn missing_doubled_and_out_of_range_values_are_named() {
        let err = setting(&with_block(&[("domain_name", s("corp"))]), &env(&[])).unwrap_err();
        assert!(err.contains("agency_name (or HW_ASSUME_ROLE_AGENCY_NAME)"), "{err}");
        let err = setting(&with_block(&[("agency_name", s("ops"))]), &env(&[])).unwrap_err();
        assert!(err.contains("domain_name (or HW_ASSUME_ROLE_DOMAIN_NAME) or domain_id"), "{err}");
        // The block's domain, in either form, wins over the environment's in the other form; both forms
        // from the same place are refused.
        let id = env(&[("HW_ASSUME_ROLE_DOMAIN_ID", "0a1b")]);
        let role = setting(&with_block(&[("agency_name", s("ops")), ("domain_name", s("corp"))]), &id);
        assert_eq!(role.unwrap().unwrap().domain, AgencyDomain::Name("corp".into()));
        let both = env(&[("HW_ASSUME_ROLE_DOMAIN_ID", "0a1b"), ("HW_ASSUME_ROLE_DOMAIN_NAME", "corp")]);
        let err = setting(&with_block(&[("agency_name", s("ops"))]), &both).unwrap_err();
        assert!(err.contains("both set"), "{err}");
        let long = env(&[("HW_ASSUME_ROLE_DURATION", "86401")]);
        let err = setting(&with_block(&[("agency_name", s("ops")), ("domain_name", s("c"))]), &long).unwrap_err();
        assert!(err.contains("HW_ASSUME_ROLE_DURATION) must be a whole number of seconds from 900 to 86400"), "{err}");
        let unknown = setting(&with_block(&[("agency_name", TfValue::Unknown)]), &env(&[])).unwrap_err();
        assert!(unknown.contains("assume_role.agency_name is not known"), "{unknown}");

        let mut diags = Diagnostics::default();
        let config = with_block(&[("domain_name", s("c")), ("domain_id", s("i")), ("duration", TfValue::Number(60))]);
        validate(&mut diags, &config);
        let details: Vec<&str> = diags.errors.iter().map(|d| d.detail.as_str()).collect();
        assert_eq!(details.len(), 2, "{details:?}");
        assert!(details[0].contains("domain_name and domain_id are both set"), "{details:?}");
        assert!(details[1].contains("from 900 to 86400, got 60"), "{details:?}");
    }
}
