//! The provider block: configuration, environment fallbacks, and the client the resources share.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tfplugin::framework::{Attribute, AttributeConstraint, AttributeType, Block, Description, Schema};
use tfplugin::framework::{AttributePath, DataSource, Diagnostics, Provider, Resource, TfValue};

use crate::client::{Client, ClientConfig, Service};
use crate::engine::diag;
use crate::engine::state::ProviderState;
use crate::engine::value::get;

pub const DEFAULT_MAX_RETRIES: u32 = 5;
const MAX_RETRIES_LIMIT: i64 = 20;

#[derive(Default)]
pub struct HuaweiCloudProvider {
    state: Arc<ProviderState>,
}

/// (name, type, constraint, sensitive, environment variable, description)
type Arg = (&'static str, AttributeType, bool, Option<&'static str>, &'static str);

fn args() -> Vec<Arg> {
    use AttributeType as T;
    vec![
        ("region", T::String, false, Some("HW_REGION_NAME"), "Region, e.g. `cn-north-4`."),
        ("project_id", T::String, false, Some("HW_PROJECT_ID"), "Project ID. When unset it is looked up once through IAM (`GET /v3/projects?name={region}`)."),
        ("access_key", T::String, false, Some("HW_ACCESS_KEY"), "Access key (AK)."),
        ("secret_key", T::String, true, Some("HW_SECRET_KEY"), "Secret key (SK)."),
        ("security_token", T::String, true, Some("HW_SECURITY_TOKEN"), "Security token of temporary credentials."),
        ("max_retries", T::Number, false, Some("HW_MAX_RETRIES"), "How many times a throttled, failed or unreachable call is retried (default 5, at most 20)."),
        ("endpoints", T::Map(Box::new(T::String)), false, None, "Base URLs per service, keys `iam`, `iotda`, `clouddc`, `dms` (e.g. `https://iotda-mgmt.cn-north-4.myhuaweicloud.com`; `http://` is allowed, paths are appended)."),
        ("cacert_file", T::String, false, Some("OS_CACERT"), "Extra certificate authorities to trust, as the path of a PEM file or the PEM text itself (e.g. a corporate TLS proxy's CA). The system's trust store and the public roots are always trusted."),
        ("insecure", T::Bool, false, Some("HW_INSECURE"), "Skip the verification of TLS certificates (for test endpoints only; default false)."),
        ("shared_config_file", T::String, false, Some("HW_SHARED_CONFIG_FILE"), "Path of the Huawei Cloud CLI's configuration file (e.g. `~/.hcloud/config.json`, saved unencrypted with `hcloud configure set --cli-auth-encrypt=false`). Its profile supplies the access key, secret key, security token, region and project id that the block and the environment leave unset."),
        ("profile", T::String, false, Some("HW_PROFILE"), "The profile of `shared_config_file` to use (default: the file's `current` profile)."),
        ("enterprise_project_id", T::String, false, Some("HW_ENTERPRISE_PROJECT_ID"), "Default enterprise project of new IoTDA and Kafka instances whose configuration sets none (shown in their plan)."),
        ("default_tags", T::Map(Box::new(T::String)), false, None, crate::engine::tags::DEFAULT_TAGS_DESCRIPTION),
    ]
}

pub fn provider_schema() -> Schema {
    let attributes = args()
        .into_iter()
        .map(|(name, attr_type, sensitive, env, desc)| {
            let description = match env {
                Some(var) => format!("{desc} Falls back to the `{var}` environment variable."),
                None => desc.to_string(),
            };
            (
                name.to_string(),
                Attribute {
                    sensitive,
                    ..Attribute::new(attr_type, AttributeConstraint::Optional, Description::markdown(description))
                },
            )
        })
        .collect();
    Schema {
        version: 0,
        block: Block {
            version: 0,
            attributes,
            blocks: HashMap::from([(crate::assume_role::NAME.to_string(), crate::assume_role::block())]),
            description: Description::markdown("Huawei Cloud: IoTDA, CloudDC iMetal and DMS for Kafka instances."),
            deprecated: false,
        },
    }
}

fn valid_keys() -> String {
    Service::ALL.iter().map(|s| s.key()).collect::<Vec<_>>().join(", ")
}

fn check_endpoint(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') => Ok(()),
        _ => Err(format!("{:?} is not an http:// or https:// URL", crate::client::without_credentials(url))),
    }
}

fn validate_config(diags: &mut Diagnostics, config: &TfValue) {
    crate::engine::tags::check_config(diags, get(config, "default_tags"));
    crate::assume_role::validate(diags, config);
    if let TfValue::Map(endpoints) = get(config, "endpoints") {
        for (key, url) in endpoints {
            let path = AttributePath::new("endpoints").key(key.clone());
            if Service::from_key(key).is_none() {
                diag(
                    diags,
                    "Unknown endpoint key",
                    format!("endpoints: {key:?} is not a service of this provider; valid keys are {}.", valid_keys()),
                    path,
                );
            } else if let TfValue::String(u) = url {
                if let Err(e) = check_endpoint(u) {
                    diag(diags, "Invalid endpoint", format!("endpoints[{key:?}]: {e}"), path);
                }
            }
        }
    }
    // A fractional number arrives as its text (see `Val`).
    let bad_retries = match get(config, "max_retries") {
        TfValue::Number(n) if !(0..=MAX_RETRIES_LIMIT).contains(n) => Some(n.to_string()),
        TfValue::String(n) => Some(n.clone()),
        _ => None,
    };
    if let Some(n) = bad_retries {
        diag(
            diags,
            "Invalid max_retries",
            format!("max_retries must be a whole number from 0 to {MAX_RETRIES_LIMIT}, got {n}"),
            AttributePath::new("max_retries"),
        );
    }
    // An empty project_id means "not set" (the environment or the IAM lookup decide).
    if let TfValue::String(id) = get(config, "project_id") {
        if let Some(e) = (!id.is_empty()).then(|| crate::client::check_project_id(id).err()).flatten() {
            diag(diags, "Invalid project_id", format!("project_id: {e}"), AttributePath::new("project_id"));
        }
    }
}

/// What is wrong with an enterprise project id, by the create tables' rule.
fn eps_problem(id: &str) -> Option<String> {
    let param = hwapi::contract::find(hwapi::contract::kafka::CREATE.body, "enterprise_project_id")?;
    param.checks.iter().find_map(|c| c.text(id))
}

/// `~/` at the start of a path is the home directory.
fn expand_home(path: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    match (path.strip_prefix("~/"), env("HOME")) {
        (Some(rest), Some(home)) => format!("{}/{rest}", home.trim_end_matches('/')),
        _ => path.to_string(),
    }
}

/// The named profile (else the `current` one) of the Huawei Cloud CLI's configuration file:
/// `{"current": NAME, "profiles": [{"name", "accessKeyId", "secretAccessKey", "securityToken", "region",
/// "projectId", ...}]}`.
fn shared_profile(
    path: &str,
    name: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let full = expand_home(path, env);
    let text = std::fs::read_to_string(&full)
        .map_err(|e| format!("shared_config_file (or HW_SHARED_CONFIG_FILE): cannot read {path:?}: {e}"))?;
    let file: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!("shared_config_file {path:?} is not the CLI's JSON configuration (an encrypted file cannot be read: save it with --cli-auth-encrypt=false): {e}")
    })?;
    let wanted = name.map(str::to_string).or_else(|| file["current"].as_str().map(str::to_string));
    let Some(wanted) = wanted else {
        return Err(format!("shared_config_file {path:?} names no current profile: set profile (or HW_PROFILE)"));
    };
    let profiles = file["profiles"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = profiles.iter().filter_map(|p| p["name"].as_str()).collect();
    profiles
        .iter()
        .find(|p| p["name"].as_str() == Some(wanted.as_str()))
        .and_then(|p| p.as_object().cloned())
        .ok_or_else(|| format!("shared_config_file {path:?} has no profile {wanted:?} (it has: {})", names.join(", ")))
}

/// A string setting: the configuration, else its environment variable.
fn setting(config: &TfValue, name: &str, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let var = args().into_iter().find(|a| a.0 == name).and_then(|a| a.3);
    match get(config, name) {
        TfValue::String(s) if !s.is_empty() => Some(s.clone()),
        TfValue::Number(n) => Some(n.to_string()),
        TfValue::Bool(b) => Some(b.to_string()),
        _ => var.and_then(env).filter(|s| !s.is_empty()),
    }
}

/// Builds the client configuration, or the one message that says everything that is missing or wrong.
pub fn client_config(
    config: &TfValue,
    terraform_version: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ClientConfig, String> {
    // A setting not known yet must not fall back to another source (the environment, a profile): calls
    // would be signed as someone else, or go to another region.
    let unknown: Vec<&str> =
        ["region", "access_key", "secret_key", "security_token", "project_id", "enterprise_project_id"]
            .into_iter()
            .filter(|n| get(config, n) == &TfValue::Unknown)
            .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "{} not known when the provider is configured (they depend on a value Terraform computes later); \
nothing falls back to the environment or a profile instead. Give the provider known values.",
            unknown.join(", ")
        ));
    }
    // The shared configuration file's profile supplies the keys (access key, secret key and token, as
    // one set) when neither the block nor the environment gives any key, the region when nothing else
    // does, and the project id only together with its region.
    let profile = match setting(config, "shared_config_file", env) {
        Some(path) => Some(shared_profile(&path, setting(config, "profile", env).as_deref(), env)?),
        None => None,
    };
    let from_profile = |value: Option<String>, key: &str| {
        value.or_else(|| {
            profile
                .as_ref()
                .and_then(|p| p.get(key))
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
    };
    let own_region = setting(config, "region", env);
    let region_from_profile = own_region.is_none();
    let region = from_profile(own_region, "region");
    let (own_ak, own_sk) = (setting(config, "access_key", env), setting(config, "secret_key", env));
    let keys_from_profile = own_ak.is_none() && own_sk.is_none();
    let (access_key, secret_key, token) = if keys_from_profile {
        (from_profile(None, "accessKeyId"), from_profile(None, "secretAccessKey"), from_profile(None, "securityToken"))
    } else {
        (own_ak, own_sk, None)
    };
    let missing: Vec<&str> = [
        ("region (or HW_REGION_NAME)", region.is_none()),
        ("access_key (or HW_ACCESS_KEY)", access_key.is_none()),
        ("secret_key (or HW_SECRET_KEY)", secret_key.is_none()),
    ]
    .into_iter()
    .filter_map(|(n, m)| m.then_some(n))
    .collect();
    if !missing.is_empty() {
        return Err(format!(
            "The huaweicloud provider needs {}, which {} not set.",
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        ));
    }
    let own_project = setting(config, "project_id", env);
    let project_id = if region_from_profile { from_profile(own_project, "projectId") } else { own_project };
    if let Some(id) = &project_id {
        crate::client::check_project_id(id).map_err(|e| format!("project_id (or HW_PROJECT_ID): {e}"))?;
    }
    let max_retries = match setting(config, "max_retries", env) {
        None => DEFAULT_MAX_RETRIES,
        Some(s) => s.parse::<u32>().ok().filter(|n| i64::from(*n) <= MAX_RETRIES_LIMIT).ok_or_else(|| {
            format!("max_retries (or HW_MAX_RETRIES) must be a whole number from 0 to {MAX_RETRIES_LIMIT}, got {s:?}")
        })?,
    };
    // An endpoint not known yet must not fall back to the service's public address: the calls meant for
    // it would go elsewhere.
    let unknown: Vec<&str> = match get(config, "endpoints") {
        TfValue::Unknown => vec!["endpoints"],
        TfValue::Map(m) => m.iter().filter(|(_, v)| **v == TfValue::Unknown).map(|(k, _)| k.as_str()).collect(),
        _ => vec![],
    };
    if !unknown.is_empty() {
        return Err(format!(
            "endpoints ({}) are not known when the provider is configured (they depend on a value Terraform \
computes later); no call is made to a default address instead. Give the provider known endpoint URLs.",
            unknown.join(", ")
        ));
    }
    let mut endpoints = BTreeMap::new();
    if let TfValue::Map(m) = get(config, "endpoints") {
        for (k, v) in m {
            if let (Some(service), TfValue::String(url)) = (Service::from_key(k), v) {
                endpoints.insert(service, url.trim_end_matches('/').to_string());
            }
        }
    }
    Ok(ClientConfig {
        region: region.unwrap_or_default(),
        project_id,
        access_key: access_key.unwrap_or_default(),
        secret_key: secret_key.unwrap_or_default(),
        security_token: setting(config, "security_token", env).or(token),
        assume_role: crate::assume_role::setting(config, env)?,
        max_retries,
        endpoints,
        user_agent: format!(
            "terraform-provider-huaweicloud/{} terraform/{terraform_version}",
            env!("CARGO_PKG_VERSION")
        ),
        ca_bundle: match setting(config, "cacert_file", env) {
            Some(v) if v.contains("-----BEGIN") => Some(v),
            Some(path) => Some(
                std::fs::read_to_string(expand_home(&path, env))
                    .map_err(|e| format!("cacert_file (or OS_CACERT): cannot read the file {path:?}: {e}"))?,
            ),
            None => None,
        },
        insecure: match setting(config, "insecure", env).as_deref() {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(other) => return Err(format!("insecure (or HW_INSECURE) must be true or false, got {other:?}")),
        },
        backoff_base: Duration::from_millis(500),
        backoff_cap: Duration::from_secs(10),
    })
}

/// The prefix of every type name of this provider.
const PREFIX: &str = "huaweicloud_";

#[async_trait]
impl Provider for HuaweiCloudProvider {
    fn schema(&self) -> Schema {
        provider_schema()
    }

    async fn validate(&self, diags: &mut Diagnostics, config: TfValue) {
        validate_config(diags, &config);
    }

    async fn configure(&self, diags: &mut Diagnostics, terraform_version: String, config: TfValue) {
        let env = |name: &str| std::env::var(name).ok();
        self.state.set_default_tags(get(&config, "default_tags").clone());
        let client =
            client_config(&config, &terraform_version, &env).and_then(|c| Client::new(c).map_err(|e| e.to_string()));
        match client {
            Ok(client) => {
                if client.config().insecure {
                    crate::engine::warn(
                        diags,
                        "TLS certificates are not verified",
                        "insecure = true (or HW_INSECURE): any server can answer for the services. Use it for test endpoints only.",
                        AttributePath::new("insecure"),
                    );
                }
                let eps = setting(&config, "enterprise_project_id", &env);
                if let Some(problem) = eps.as_deref().and_then(eps_problem) {
                    let detail = format!("enterprise_project_id (or HW_ENTERPRISE_PROJECT_ID) {problem}");
                    diag(
                        diags,
                        "Invalid huaweicloud provider configuration",
                        detail,
                        AttributePath::new("enterprise_project_id"),
                    );
                    return;
                }
                if self.state.configure(client, eps).is_none() {
                    let detail = "The provider's shared state could not be written (an earlier call failed badly).";
                    diag(diags, "Provider not configured", detail, AttributePath::root());
                }
            }
            Err(message) => {
                diag(diags, "Invalid huaweicloud provider configuration", message, AttributePath::root());
            }
        }
    }

    fn resources(&self) -> Vec<(String, Arc<dyn Resource>)> {
        crate::resources::all(self.state.clone()).into_iter().map(|(n, r)| (format!("{PREFIX}{n}"), r)).collect()
    }

    fn data_sources(&self) -> Vec<(String, Arc<dyn DataSource>)> {
        let sources = crate::resources::data_sources(self.state.clone());
        sources.into_iter().map(|(n, d)| (format!("{PREFIX}{n}"), d)).collect()
    }

    /// Terraform was interrupted: running waits and retry sleeps end, so that what exists is recorded.
    fn stop(&self) {
        crate::stop::request();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> TfValue {
        TfValue::String(v.into())
    }

    #[test]
    fn the_shared_config_profile_fills_what_the_block_and_environment_leave_unset() {
        let dir = std::env::temp_dir().join(format!("hw-shared-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.json");
        let profiles = serde_json::json!({"current": "dev", "profiles": [
            {"name": "dev", "accessKeyId": "AK-DEV", "secretAccessKey": "SK-DEV", "region": "cn-north-4",
             "projectId": "0123456789abcdef0123456789abcdef"},
            {"name": "prod", "accessKeyId": "AK-PROD", "secretAccessKey": "SK-PROD", "region": "cn-east-3",
             "securityToken": "TOKEN"}
        ]});
        std::fs::write(&file, profiles.to_string()).unwrap();
        let home = dir.to_str().unwrap().to_string();
        let env_with = |vars: Vec<(&'static str, String)>| {
            move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
        };

        // The current profile; `~/` is the home directory.
        let env = env_with(vec![("HOME", home.clone())]);
        let c = client_config(&config(&[("shared_config_file", s("~/config.json"))]), "1.11", &env).unwrap();
        assert_eq!(
            (c.access_key.as_str(), c.secret_key.as_str(), c.region.as_str()),
            ("AK-DEV", "SK-DEV", "cn-north-4")
        );
        assert_eq!(c.project_id.as_deref(), Some("0123456789abcdef0123456789abcdef"));
        // A named profile from the environment; the block's own region wins.
        let env = env_with(vec![("HW_SHARED_CONFIG_FILE", file.display().to_string()), ("HW_PROFILE", "prod".into())]);
        let c = client_config(&config(&[("region", s("ap-southeast-1"))]), "1.11", &env).unwrap();
        assert_eq!((c.access_key.as_str(), c.region.as_str()), ("AK-PROD", "ap-southeast-1"));
        assert_eq!(c.security_token.as_deref(), Some("TOKEN"));
        // Keys are one set: a key in the block never pairs with the profile's secret; the profile's project
        // id only goes with the profile's region.
        let env = env_with(vec![("HW_SHARED_CONFIG_FILE", file.display().to_string())]);
        let err = client_config(&config(&[("access_key", s("MINE"))]), "1.11", &env).unwrap_err();
        assert!(err.contains("secret_key (or HW_SECRET_KEY)"), "{err}");
        let c = client_config(&config(&[("region", s("cn-east-3"))]), "1.11", &env).unwrap();
        assert_eq!((c.access_key.as_str(), c.project_id.as_deref()), ("AK-DEV", None));
        // A value not known yet never falls back to the profile.
        let err = client_config(&config(&[("region", TfValue::Unknown)]), "1.11", &env).unwrap_err();
        assert!(err.contains("region not known"), "{err}");
        // An unknown profile and an unreadable file are clear errors.
        let err = client_config(
            &config(&[("shared_config_file", s(file.to_str().unwrap())), ("profile", s("qa"))]),
            "1.11",
            &|_| None,
        )
        .unwrap_err();
        assert!(err.contains("has no profile \"qa\" (it has: dev, prod)"), "{err}");
        let err = client_config(&config(&[("shared_config_file", s("/nonexistent/config.json"))]), "1.11", &|_| None)
            .unwrap_err();
        assert!(err.contains("cannot read"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tls_settings() {
        let base = [("region", s("cn-north-4")), ("access_key", s("AK")), ("secret_key", s("SK"))];
        let with = |extra: &[(&'static str, TfValue)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            client_config(&config(&pairs), "1.11", &|_| None)
        };
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert_eq!(with(&[("cacert_file", s(pem))]).unwrap().ca_bundle.as_deref(), Some(pem));
        assert!(with(&[("cacert_file", s("/nonexistent/ca.pem"))]).unwrap_err().contains("cacert_file"));
        assert!(with(&[("insecure", TfValue::Bool(true))]).unwrap().insecure);
        assert!(!with(&[]).unwrap().insecure);
        let env = |k: &str| (k == "HW_INSECURE").then(|| "maybe".to_string());
        assert!(client_config(&config(&base), "1.11", &env).unwrap_err().contains("must be true or false"));
    }

    #[test]
    fn an_unknown_endpoint_never_falls_back_to_the_public_address() {
        let env = |_: &str| None;
        let keys = [("region", "cn-north-4"), ("access_key", "AK"), ("secret_key", "SK")];
        let mut pairs: Vec<(&str, TfValue)> = keys.iter().map(|(k, v)| (*k, TfValue::String(v.to_string()))).collect();
        pairs.push(("endpoints", TfValue::Map([("iam".to_string(), TfValue::Unknown)].into())));
        let Err(err) = client_config(&config(&pairs), "1.11", &env) else { panic!("an unknown endpoint was accepted") };
        assert!(err.contains("endpoints (iam) are not known"), "{err}");
        pairs.pop();
        pairs.push(("endpoints", TfValue::Unknown));
        assert!(client_config(&config(&pairs), "1.11", &env).is_err());
    }

    fn config(pairs: &[(&str, TfValue)]) -> TfValue {
        TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn missing_settings_are_named_in_one_message() {
        let err = client_config(&config(&[]), "1.11.0", &|_| None).unwrap_err();
        assert_eq!(err, "The huaweicloud provider needs region (or HW_REGION_NAME), access_key (or HW_ACCESS_KEY), secret_key (or HW_SECRET_KEY), which are not set.");
    }

    #[test]
    fn environment_fills_what_the_block_leaves_out() {
        let env = |n: &str| match n {
            "HW_REGION_NAME" => Some("cn-north-4".to_string()),
            "HW_ACCESS_KEY" => Some("AK".to_string()),
            "HW_SECRET_KEY" => Some("SK".to_string()),
            "HW_MAX_RETRIES" => Some("2".to_string()),
            _ => None,
        };
        let c = client_config(&config(&[("region", TfValue::String("eu-west-101".into()))]), "1.11.0", &env).unwrap();
        assert_eq!((c.region.as_str(), c.access_key.as_str(), c.max_retries), ("eu-west-101", "AK", 2));
        assert!(c.project_id.is_none());
        let bad = |n: &str| if n == "HW_MAX_RETRIES" { Some("lots".into()) } else { env(n) };
        assert!(client_config(&config(&[]), "1.11.0", &bad).unwrap_err().contains("max_retries"));
    }

    #[test]
    fn unknown_endpoint_keys_list_the_valid_ones() {
        let mut diags = Diagnostics::default();
        let endpoints = TfValue::Map([("kafka".to_string(), TfValue::String("http://x".into()))].into());
        validate_config(&mut diags, &config(&[("endpoints", endpoints)]));
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.contains("valid keys are iam, iotda, clouddc, dms"));
    }
}
