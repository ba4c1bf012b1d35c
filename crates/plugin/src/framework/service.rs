//! The `tfplugin6.Provider` service over a [`Provider`]: every call decodes its values against the
//! schema, hands them to the provider's code and encodes the answer. Problems with values are
//! diagnostics, never transport errors, so Terraform shows them as any other error.

// Every method answers with tonic's `Status` in its error position, as the generated trait requires.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::codec::{decode, decode_without, encode, encode_typed, private_in, private_out, prune};
use super::diags::Diagnostics;
use super::schema::Schema;
use super::traits::{DataSource, MoveSource, Provider, Resource};
use super::value::TfValue;
use crate::proto::tfplugin6::*;
use crate::value::{from_json, Error, Type};

type Answer<T> = Result<Response<T>, Status>;

/// A schema with what encoding needs of it.
struct Typed {
    schema: Schema,
    ty: Type,
    write_only: Vec<Vec<String>>,
}

impl Typed {
    fn new(schema: Schema) -> Self {
        let (ty, write_only) = (schema.block.to_type(), schema.block.write_only());
        Typed { schema, ty, write_only }
    }

    /// A state or plan Terraform sent, its write-only attributes null (only a configuration has them).
    fn decode_state(&self, diags: &mut Diagnostics, value: Option<&DynamicValue>, what: &str) -> Option<TfValue> {
        self.decoded(diags, decode_without(value, &self.ty, &self.write_only), what)
    }

    fn decode(&self, diags: &mut Diagnostics, value: Option<&DynamicValue>, what: &str) -> Option<TfValue> {
        self.decoded(diags, decode(value, &self.ty), what)
    }

    fn decoded(&self, diags: &mut Diagnostics, decoded: Result<TfValue, Error>, what: &str) -> Option<TfValue> {
        match decoded {
            Ok(v) => Some(v),
            Err(e) => {
                diags.root_error(format!("Invalid {what} from Terraform"), e.to_string());
                None
            }
        }
    }

    fn encode(&self, diags: &mut Diagnostics, value: &TfValue) -> Option<DynamicValue> {
        match encode(value, &self.ty, &self.write_only) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.root_error("The provider built a value that does not fit its schema", e.to_string());
                None
            }
        }
    }
}

/// The provider service: the provider, and its resources and data sources with their schemas.
pub struct ProviderServer<P: Provider> {
    provider: Arc<P>,
    config: Typed,
    resources: HashMap<String, (Arc<dyn Resource>, Typed)>,
    data_sources: HashMap<String, (Arc<dyn DataSource>, Typed)>,
}

impl<P: Provider> ProviderServer<P> {
    pub fn new(provider: P) -> Self {
        let resources =
            provider.resources().into_iter().map(|(name, r)| (name, (r.clone(), Typed::new(r.schema())))).collect();
        let data_sources =
            provider.data_sources().into_iter().map(|(name, d)| (name, (d.clone(), Typed::new(d.schema())))).collect();
        ProviderServer { config: Typed::new(provider.schema()), provider: Arc::new(provider), resources, data_sources }
    }

    fn resource(&self, name: &str) -> Result<&(Arc<dyn Resource>, Typed), Status> {
        self.resources
            .get(name)
            .ok_or_else(|| Status::invalid_argument(format!("this provider has no resource {name:?}")))
    }

    fn data_source(&self, name: &str) -> Result<&(Arc<dyn DataSource>, Typed), Status> {
        let unknown = || Status::invalid_argument(format!("this provider has no data source {name:?}"));
        self.data_sources.get(name).ok_or_else(unknown)
    }

    fn capabilities() -> ServerCapabilities {
        ServerCapabilities { plan_destroy: true, get_provider_schema_optional: false, move_resource_state: true }
    }
}

/// A failed step always says so, even when the provider's code added no error.
fn failed(diags: &mut Diagnostics, step: &str) {
    if !diags.has_errors() {
        diags.root_error(format!("{step} failed"), "The provider gave no further detail.");
    }
}

fn raw_json(diags: &mut Diagnostics, raw: Option<&RawState>) -> Option<serde_json::Value> {
    let json = raw.map(|r| r.json.as_slice()).unwrap_or_default();
    if json.is_empty() {
        diags.root_error(
            "State in a format this provider does not read",
            "The stored object has no JSON form (a flatmap state of Terraform 0.11 or earlier): upgrade it with a \
Terraform version that converts such state first.",
        );
        return None;
    }
    match serde_json::from_slice(json) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.root_error("Stored state is not JSON", e.to_string());
            None
        }
    }
}

/// A stored object's JSON in today's schema, as Terraform wants it back.
fn stored(diags: &mut Diagnostics, typed: &Typed, json: &[u8]) -> Option<DynamicValue> {
    match from_json(json, &typed.ty).and_then(|value| encode_typed(value, &typed.ty, &typed.write_only)) {
        Ok(state) => Some(state),
        Err(e) => {
            diags.root_error("The stored object does not fit this provider's schema", e.to_string());
            None
        }
    }
}

#[tonic::async_trait]
impl<P: Provider> provider_server::Provider for ProviderServer<P> {
    async fn get_metadata(&self, _: Request<get_metadata::Request>) -> Answer<get_metadata::Response> {
        let mut resources: Vec<_> =
            self.resources.keys().map(|n| get_metadata::ResourceMetadata { type_name: n.clone() }).collect();
        resources.sort_by(|a, b| a.type_name.cmp(&b.type_name));
        let mut data_sources: Vec<_> =
            self.data_sources.keys().map(|n| get_metadata::DataSourceMetadata { type_name: n.clone() }).collect();
        data_sources.sort_by(|a, b| a.type_name.cmp(&b.type_name));
        Ok(Response::new(get_metadata::Response {
            server_capabilities: Some(Self::capabilities()),
            resources,
            data_sources,
            ..Default::default()
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<get_provider_schema::Request>,
    ) -> Answer<get_provider_schema::Response> {
        Ok(Response::new(get_provider_schema::Response {
            provider: Some(self.config.schema.to_proto()),
            resource_schemas: self.resources.iter().map(|(n, (_, t))| (n.clone(), t.schema.to_proto())).collect(),
            data_source_schemas: self.data_sources.iter().map(|(n, (_, t))| (n.clone(), t.schema.to_proto())).collect(),
            server_capabilities: Some(Self::capabilities()),
            ..Default::default()
        }))
    }

    async fn validate_provider_config(
        &self,
        request: Request<validate_provider_config::Request>,
    ) -> Answer<validate_provider_config::Response> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some(config) = self.config.decode(&mut diags, request.config.as_ref(), "configuration") {
            self.provider.validate(&mut diags, config).await;
        }
        Ok(Response::new(validate_provider_config::Response { diagnostics: diags.to_proto() }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<validate_resource_config::Request>,
    ) -> Answer<validate_resource_config::Response> {
        let request = request.into_inner();
        let (resource, typed) = self.resource(&request.type_name)?;
        let mut diags = Diagnostics::default();
        if let Some(config) = typed.decode(&mut diags, request.config.as_ref(), "configuration") {
            let allowed = request.client_capabilities.is_some_and(|c| c.write_only_attributes_allowed);
            if !allowed {
                write_only_refused(&mut diags, typed, &config);
            }
            if resource.validate(&mut diags, config).await.is_none() {
                failed(&mut diags, "Validation");
            }
        }
        Ok(Response::new(validate_resource_config::Response { diagnostics: diags.to_proto() }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<validate_data_resource_config::Request>,
    ) -> Answer<validate_data_resource_config::Response> {
        let request = request.into_inner();
        let (source, typed) = self.data_source(&request.type_name)?;
        let mut diags = Diagnostics::default();
        if let Some(config) = typed.decode(&mut diags, request.config.as_ref(), "configuration") {
            if source.validate(&mut diags, config).await.is_none() {
                failed(&mut diags, "Validation");
            }
        }
        Ok(Response::new(validate_data_resource_config::Response { diagnostics: diags.to_proto() }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<upgrade_resource_state::Request>,
    ) -> Answer<upgrade_resource_state::Response> {
        let request = request.into_inner();
        let (resource, typed) = self.resource(&request.type_name)?;
        let mut diags = Diagnostics::default();
        let mut upgraded_state = None;
        // An object of today's version, which Terraform has stripped of removed attributes, is decoded as it
        // is: one pass on every refresh instead of three. One that does not fit takes the long way.
        let raw_bytes = request.raw_state.as_ref().map(|r| r.json.as_slice()).unwrap_or_default();
        if request.version == typed.schema.version && !raw_bytes.is_empty() {
            if let Some(state) = stored(&mut Diagnostics::default(), typed, raw_bytes) {
                let response = upgrade_resource_state::Response { upgraded_state: Some(state), diagnostics: vec![] };
                return Ok(Response::new(response));
            }
        }
        if let Some(raw) = raw_json(&mut diags, request.raw_state.as_ref()) {
            match resource.upgrade(&mut diags, request.version, raw).await {
                Some(json) => upgraded_state = stored(&mut diags, typed, prune(json, &typed.ty).to_string().as_bytes()),
                None => failed(&mut diags, "Upgrading the stored state"),
            }
        }
        Ok(Response::new(upgrade_resource_state::Response { upgraded_state, diagnostics: diags.to_proto() }))
    }

    async fn configure_provider(
        &self,
        request: Request<configure_provider::Request>,
    ) -> Answer<configure_provider::Response> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some(config) = self.config.decode(&mut diags, request.config.as_ref(), "configuration") {
            self.provider.configure(&mut diags, request.terraform_version, config).await;
        }
        Ok(Response::new(configure_provider::Response { diagnostics: diags.to_proto() }))
    }

    async fn read_resource(&self, request: Request<read_resource::Request>) -> Answer<read_resource::Response> {
        let request = request.into_inner();
        let (resource, typed) = self.resource(&request.type_name)?;
        let mut diags = Diagnostics::default();
        let mut read = None;
        if let Some(state) = typed.decode_state(&mut diags, request.current_state.as_ref(), "state") {
            read = match resource.read(&mut diags, state, private_in(&request.private)).await {
                Some((state, p)) => Some((typed.encode(&mut diags, &state), private_out(&p))),
                // Gone: Terraform drops it from the state and plans its creation.
                None if !diags.has_errors() => Some((typed.encode(&mut diags, &TfValue::Null), Vec::new())),
                None => None,
            };
        }
        // On failure Terraform keeps what it had.
        let (new_state, private) = read.unwrap_or((request.current_state, request.private));
        Ok(Response::new(read_resource::Response { new_state, private, diagnostics: diags.to_proto(), deferred: None }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<plan_resource_change::Request>,
    ) -> Answer<plan_resource_change::Response> {
        let request = request.into_inner();
        let (resource, typed) = self.resource(&request.type_name)?;
        let mut diags = Diagnostics::default();
        let mut response = plan_resource_change::Response::default();
        let values = (
            typed.decode_state(&mut diags, request.prior_state.as_ref(), "prior state"),
            typed.decode_state(&mut diags, request.proposed_new_state.as_ref(), "proposed state"),
            typed.decode(&mut diags, request.config.as_ref(), "configuration"),
        );
        let (Some(prior), Some(proposed), Some(config)) = values else {
            return Ok(Response::new(plan_resource_change::Response { diagnostics: diags.to_proto(), ..response }));
        };
        let private = private_in(&request.prior_private);
        let planned = match (prior.is_null(), proposed.is_null()) {
            (_, true) => resource.plan_destroy(&mut diags, prior, private).await.map(|p| (TfValue::Null, p, vec![])),
            (true, false) => resource.plan_create(&mut diags, proposed, config).await.map(|(s, p)| (s, p, vec![])),
            (false, false) => resource.plan_update(&mut diags, prior, proposed, config, private).await,
        };
        match planned {
            Some((state, private, replace)) => {
                response.planned_state = typed.encode(&mut diags, &state);
                response.planned_private = private_out(&private);
                response.requires_replace = replace.iter().filter_map(|p| p.to_proto()).collect();
            }
            None => failed(&mut diags, "Planning"),
        }
        response.diagnostics = diags.to_proto();
        Ok(Response::new(response))
    }

    async fn apply_resource_change(
        &self,
        request: Request<apply_resource_change::Request>,
    ) -> Answer<apply_resource_change::Response> {
        let request = request.into_inner();
        let (resource, typed) = self.resource(&request.type_name)?;
        let mut diags = Diagnostics::default();
        let mut response = apply_resource_change::Response::default();
        let values = (
            typed.decode_state(&mut diags, request.prior_state.as_ref(), "prior state"),
            typed.decode_state(&mut diags, request.planned_state.as_ref(), "planned state"),
            typed.decode(&mut diags, request.config.as_ref(), "configuration"),
        );
        let (Some(prior), Some(planned), Some(config)) = values else {
            return Ok(Response::new(apply_resource_change::Response { diagnostics: diags.to_proto(), ..response }));
        };
        let private = private_in(&request.planned_private);
        let planned_was_null = planned.is_null();
        let applied = match (prior.is_null(), planned.is_null()) {
            (_, true) => resource.destroy(&mut diags, prior, private).await.map(|()| (TfValue::Null, TfValue::Null)),
            (true, false) => resource.create(&mut diags, planned, config, private).await,
            (false, false) => resource.update(&mut diags, prior, planned, config, private).await,
        };
        match applied {
            Some((state, private)) => {
                response.new_state = typed.encode(&mut diags, &state);
                // An object whose new state does not fit the schema (an error already says why) is still
                // recorded by its id, so that Terraform does not lose it.
                if response.new_state.is_none() && !planned_was_null {
                    response.new_state = typed.encode(&mut diags, &id_only(&state));
                }
                response.private = private_out(&private);
            }
            // A failed destroy keeps the object; a failed create or update has recorded what exists.
            None => {
                failed(&mut diags, "Applying");
                response.new_state = request.prior_state;
                response.private = request.planned_private;
            }
        }
        response.diagnostics = diags.to_proto();
        Ok(Response::new(response))
    }

    async fn import_resource_state(
        &self,
        request: Request<import_resource_state::Request>,
    ) -> Answer<import_resource_state::Response> {
        let request = request.into_inner();
        let (resource, typed) = self.resource(&request.type_name)?;
        let mut diags = Diagnostics::default();
        let mut imported_resources = vec![];
        match resource.import(&mut diags, request.id).await {
            Some((state, private)) => {
                if let Some(state) = typed.encode(&mut diags, &state) {
                    imported_resources.push(import_resource_state::ImportedResource {
                        type_name: request.type_name,
                        state: Some(state),
                        private: private_out(&private),
                    });
                }
            }
            None => failed(&mut diags, "Importing"),
        }
        Ok(Response::new(import_resource_state::Response {
            imported_resources,
            diagnostics: diags.to_proto(),
            deferred: None,
        }))
    }

    async fn move_resource_state(
        &self,
        request: Request<move_resource_state::Request>,
    ) -> Answer<move_resource_state::Response> {
        let request = request.into_inner();
        let (resource, typed) = self.resource(&request.target_type_name)?;
        let mut diags = Diagnostics::default();
        let (mut target_state, mut target_private) = (None, Vec::new());
        if let Some(state) = raw_json(&mut diags, request.source_state.as_ref()) {
            let source = MoveSource {
                provider_address: request.source_provider_address,
                type_name: request.source_type_name,
                schema_version: request.source_schema_version,
                state,
            };
            match resource.move_from(&mut diags, source).await {
                Some((json, private)) => {
                    target_state = stored(&mut diags, typed, prune(json, &typed.ty).to_string().as_bytes());
                    target_private = private_out(&private);
                }
                None => failed(&mut diags, "Moving"),
            }
        }
        Ok(Response::new(move_resource_state::Response { target_state, diagnostics: diags.to_proto(), target_private }))
    }

    async fn read_data_source(
        &self,
        request: Request<read_data_source::Request>,
    ) -> Answer<read_data_source::Response> {
        let request = request.into_inner();
        let (source, typed) = self.data_source(&request.type_name)?;
        let mut diags = Diagnostics::default();
        let mut state = None;
        if let Some(config) = typed.decode(&mut diags, request.config.as_ref(), "configuration") {
            match source.read(&mut diags, config).await {
                Some(value) => state = typed.encode(&mut diags, &value),
                None => failed(&mut diags, "Reading"),
            }
        }
        Ok(Response::new(read_data_source::Response { state, diagnostics: diags.to_proto(), deferred: None }))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<validate_ephemeral_resource_config::Request>,
    ) -> Answer<validate_ephemeral_resource_config::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<open_ephemeral_resource::Request>,
    ) -> Answer<open_ephemeral_resource::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<renew_ephemeral_resource::Request>,
    ) -> Answer<renew_ephemeral_resource::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<close_ephemeral_resource::Request>,
    ) -> Answer<close_ephemeral_resource::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn get_functions(&self, _: Request<get_functions::Request>) -> Answer<get_functions::Response> {
        Ok(Response::new(Default::default()))
    }

    async fn call_function(&self, _: Request<call_function::Request>) -> Answer<call_function::Response> {
        Err(Status::unimplemented("this provider has no functions"))
    }

    async fn stop_provider(&self, _: Request<stop_provider::Request>) -> Answer<stop_provider::Response> {
        self.provider.stop();
        Ok(Response::new(stop_provider::Response { error: String::new() }))
    }
}

/// Only the `id` of an object.
fn id_only(state: &TfValue) -> TfValue {
    match state {
        TfValue::Map(m) => {
            TfValue::Map(m.iter().filter(|(k, _)| *k == "id").map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        _ => TfValue::Null,
    }
}

fn no_ephemeral(name: &str) -> Status {
    Status::invalid_argument(format!("this provider has no ephemeral resource {name:?}"))
}

/// A Terraform that does not know write-only attributes (before 1.11) would store them: refused.
fn write_only_refused(diags: &mut Diagnostics, typed: &Typed, config: &TfValue) {
    for path in &typed.write_only {
        if let [name] = path.as_slice() {
            if config_set(config, name) {
                diags.add_error(super::diags::Diagnostic::new(
                    "Write-only argument needs Terraform 1.11 or later",
                    format!("{name} is write-only: this Terraform cannot keep it out of the state. Use Terraform 1.11 or later, or the argument without the _wo suffix."),
                    super::diags::AttributePath::new(name.clone()),
                ));
            }
        }
    }
}

fn config_set(config: &TfValue, name: &str) -> bool {
    matches!(config, TfValue::Map(m) if m.get(name).is_some_and(|v| !v.is_null()))
}
