//! The lifecycle steps on plain values (validate, read, create, update, delete, import; planning is in
//! `plan.rs`); the `Resource` impl in `protocol.rs` serves them.

use tfplugin::framework::{AttributePath, AttributePathStep, Diagnostic, Diagnostics, TfValue};

use super::base::Engine;
use super::ctx::Ctx;
use super::diag::{diag, path_label, warn};
use super::error::{with_timeout_hint, Error};
use super::field::{Field, Read, Twin};
use super::hooks::Hooks;
use super::private::{imported, private_state};
use super::reading::Reading;
use super::update::update;
use super::value::{self, get, has_unknown, Obj};
use super::{schema, shapes, timeouts, validate, write_only};

/// The warnings the hooks noted, as warnings of the step.
fn notes(diags: &mut Diagnostics, ctx: &Ctx) {
    for (summary, detail) in ctx.take_notes() {
        warn(diags, summary, detail, AttributePath::root());
    }
}

impl<H: Hooks> Engine<H> {
    /// Plan-time checks of the table, the rules and the timeouts, with the attribute named.
    /// A secret given through its write-only twin is checked as the secret, and its problems name the twin.
    fn problems(&self, diags: &mut Diagnostics, config: &TfValue) {
        let def = self.def();
        let checked = write_only::config(def.fields, config);
        let mut found = Diagnostics::default();
        for p in validate::validate(def.fields, def.create_for(&checked), def.rules, &checked) {
            diag(&mut found, "Invalid argument", format!("{} {}", path_label(&p.path), p.message), p.path);
        }
        for (name, message) in shapes::problems(def, &checked) {
            let path = AttributePath::new(name);
            diag(&mut found, "Invalid argument", format!("{} {message}", path_label(&path)), path);
        }
        for d in found.errors {
            diags.add_error(self.about_twin(d, config));
        }
        for (name, message) in write_only::conflicts(def.fields, config) {
            diag(diags, "Invalid argument", format!("{name} {message}"), AttributePath::new(name));
        }
        timeouts_problems(diags, config);
    }

    /// A problem about a secret that the configuration gives through its twin, told of the twin.
    fn about_twin(&self, mut d: Diagnostic, config: &TfValue) -> Diagnostic {
        let Some(AttributePathStep::Attribute(secret)) = d.attribute.steps.first().cloned() else { return d };
        let Some(twin) = write_only::reported_as(self.def().fields, config, &secret) else { return d };
        d.attribute.steps[0] = AttributePathStep::Attribute(twin.to_string());
        d.summary = write_only::renamed(&d.summary, &secret, twin);
        d.detail = write_only::renamed(&d.detail, &secret, twin);
        d
    }

    pub(crate) async fn do_validate(&self, diags: &mut Diagnostics, config: TfValue) -> Option<()> {
        self.problems(diags, &config);
        Some(())
    }

    pub(crate) async fn do_read(
        &self,
        diags: &mut Diagnostics,
        state: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        let id = match self.checked_id(diags, &state) {
            Ok(Some(id)) => id,
            Ok(None) => return Some((state, private)),
            Err(()) => return Some((state, private)),
        };
        let timeout = self.timeout(diags, &state, "read")?;
        let ctx = self.ctx(diags, timeout)?;
        // A refresh of many reads the objects in a few list calls, shared; an object the lists do not
        // show (gone, or created since) is read on its own.
        // (HUAWEICLOUD_REFRESH_BATCH=0 reads each on its own, for benchmarks.)
        static BATCHED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let batched = *BATCHED.get_or_init(|| std::env::var("HUAWEICLOUD_REFRESH_BATCH").as_deref() != Ok("0"));
        let batch = self.provider.refresh_batch(self.def().name);
        let all = match batched {
            true => batch.objects.get_or_init(|| async { self.hooks.read_all(&ctx).await.ok().flatten() }).await,
            false => &None,
        };
        let was_imported = imported(&private);
        let mut reading = Reading { imported: was_imported, unread: vec![] };
        let read = match all.as_ref().and_then(|all| all.get(&id)) {
            Some(api) => self.state_from(&id, api, &state, self.def().listing.op, &mut reading).map(Some),
            None => match self.hooks.read(&ctx, &id).await {
                Ok(Some(api)) => self.state_from(&id, &api, &state, self.def().read_by, &mut reading).map(Some),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            },
        };
        match read {
            Ok(Some(new)) => {
                self.warn_health(diags, &id, &new);
                Some((new, private_state(was_imported, &reading.unread)))
            }
            Ok(None) => {
                tracing::info!("{} {id} no longer exists; removing it from state", self.type_name());
                None
            }
            Err(e) => {
                self.fail(diags, "reading", Some(&id), &e);
                Some((state, private))
            }
        }
    }

    pub(crate) async fn do_create(
        &self,
        diags: &mut Diagnostics,
        planned: TfValue,
        config: TfValue,
        _private: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        // Values unknown at plan time are checked now, before any request.
        self.problems(diags, &config);
        if !diags.errors.is_empty() {
            return None;
        }
        self.provider.forget_batch(self.def().name);
        let timeout = self.timeout(diags, &planned, "create")?;
        let ctx = self.ctx(diags, timeout)?;
        let t = self.type_name();
        // Never a duplicate: an instance with this identity that is not in this resource's state is adopted
        // by import, not created again (after a kill -9, a lost answer, or a create made elsewhere).
        if !self.identity_free(diags, &ctx, &planned, None).await {
            return None;
        }
        // The body carries each secret given through its write-only twin (the state never does), and
        // every tag, the provider's defaults with the instance's own.
        let sent = self.wire(&write_only::for_create(self.def().fields, &planned, &config));
        let created = match self.create_healing(&ctx, &sent).await {
            Ok(created) => created,
            Err((e, note)) => {
                self.fail_with(diags, "creating", None, &e, &note);
                return None;
            }
        };
        let id = created.id.clone();
        // An id from the API goes into URLs and the state only once it is known to be one.
        if let Some(problem) = validate::check_value(&self.def().id_check, &TfValue::String(id.clone())) {
            let e = Error::Message(format!(
                "The create call answered with the instance id {id:?}, but the id {problem}. It is not recorded or \
polled; look the instance up in the console."
            ));
            self.fail(diags, "creating", None, &e);
            return None;
        }
        tracing::info!("created {t} {id}");
        // From here on the id must reach the state, whatever happens.
        let waited = self.hooks.wait_ready(&ctx, &created).await;
        let observed = match &waited {
            // The last poll read the whole instance: no read repeats it.
            Ok(Some(api)) => self.state_from(&id, api, &planned, self.def().read_by, &mut Reading::default()).ok(),
            Ok(None) => self.observe(&ctx, &id, &planned).await.ok().flatten(),
            Err(_) => self.salvage(&id, &planned).await,
        };
        let state = self.settle(&planned, observed.as_ref(), &id);
        match waited {
            Ok(_) => {
                self.apply_deferred(diags, &ctx, &id, observed.as_ref(), &planned).await;
                self.check_twins(diags, &ctx, &planned, &id).await;
            }
            Err(e) => {
                self.fail(diags, "waiting for", Some(&id), &with_timeout_hint(e, "create", timeout));
                let next = match self.hooks.destroy_blocker(&state) {
                    None => "the next apply replaces it and a destroy deletes it.".to_string(),
                    Some(why) => format!(
                        "Terraform cannot delete it, as {why} Once it is ready (for an order awaiting payment: once \
the order is paid), run `terraform untaint ADDRESS` with this resource's address."
                    ),
                };
                diag(
                    diags,
                    format!("{t} {id} was created but is not ready"),
                    format!("It is recorded in the state and marked as tainted: {next}"),
                    AttributePath::root(),
                );
            }
        }
        notes(diags, &ctx);
        Some((state, TfValue::Null))
    }

    /// Arguments that no create body carries but a call sets once the instance is ready (IoTDA's
    /// maintenance window): sent right after the create, when the configuration sets them and the new
    /// instance (as `observed`, when it could be read) does not have them yet. A failure is a warning,
    /// not an error (an error would taint, and so replace, an instance that works); the state keeps the
    /// planned value, as Terraform requires, and the next refresh shows what the instance has, so the next
    /// plan sets it again.
    async fn apply_deferred(
        &self,
        diags: &mut Diagnostics,
        ctx: &Ctx,
        id: &str,
        observed: Option<&TfValue>,
        planned: &TfValue,
    ) {
        let deferred = |f: &&Field| f.is_argument() && !f.in_body && !f.via.is_empty();
        let set = |f: &&Field| {
            let v = get(planned, f.name);
            value::is_set(v) && !has_unknown(v) && observed.is_none_or(|o| v != get(o, f.name))
        };
        let pending: Vec<&Field> = self.def().fields.iter().filter(deferred).filter(set).collect();
        if pending.is_empty() {
            return;
        }
        // From what the instance has (or, unread, from nothing) to it with the pending values: only
        // those are sent.
        let mut from = match observed {
            Some(TfValue::Map(o)) => o.clone(),
            _ => match planned {
                TfValue::Map(p) => p.clone(),
                _ => Obj::new(),
            },
        };
        if observed.is_none() {
            for f in &pending {
                from.insert(f.name.to_string(), TfValue::Null);
            }
        }
        let mut to = from.clone();
        for f in &pending {
            to.insert(f.name.to_string(), get(planned, f.name).clone());
        }
        if let Err(e) = update(&self.hooks, ctx, id, &TfValue::Map(from), &TfValue::Map(to)).await {
            let names: Vec<&str> = pending.iter().map(|f| f.name).collect();
            warn(
                diags,
                format!("{} {id} was created, but setting {} failed", self.type_name(), names.join(", ")),
                format!("{e}\nThe instance works and is recorded in the state; the next plan shows the change again."),
                AttributePath::new(names[0]),
            );
        }
    }

    pub(crate) async fn do_update(
        &self,
        diags: &mut Diagnostics,
        prior: TfValue,
        planned: TfValue,
        config: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        let id = self.checked_id(diags, &prior).ok()??;
        self.provider.forget_batch(self.def().name);
        self.problems(diags, &config);
        if !diags.errors.is_empty() || self.refuse_changes(diags, &prior, &planned, &config) {
            return None;
        }
        let timeout = self.timeout(diags, &planned, "update")?;
        let ctx = self.ctx(diags, timeout)?;
        // A rename may not take another live instance's identity either.
        let key = self.def().identity;
        if get(&prior, key) != get(&planned, key) && !self.identity_free(diags, &ctx, &planned, Some(&id)).await {
            return None;
        }
        // After an import, a write-only value never known is taken over from the plan: the hooks see no
        // change for it and send nothing (a value known before, or set after creation, is sent as usual).
        let mut prior = prior;
        if imported(&private) {
            if let (TfValue::Map(p), TfValue::Map(n)) = (&mut prior, &planned) {
                for f in self.def().fields.iter().filter(|f| f.read == Read::Keep && f.is_argument()) {
                    if !value::is_set(p.get(f.name).unwrap_or(&value::NULL)) {
                        p.insert(f.name.to_string(), n.get(f.name).cloned().unwrap_or(TfValue::Null));
                    }
                }
            }
        }
        // An instance still busy with an earlier operation (an interrupted apply's resize) is waited for
        // and read again: only what is then still different is sent.
        let result = match self.converged_prior(&ctx, &id, prior.clone()).await {
            // What the instance now is may make the change impossible in place (grown past the plan).
            Ok(current) if current != prior && self.refuse_changes(diags, &current, &planned, &config) => {
                return Some((current, private));
            }
            Ok(current) => {
                // The calls carry each secret given through its write-only twin (again when its version
                // changed; the state never does), and the tag calls go from every tag to every tag.
                let (from, to) = write_only::for_update(self.def().fields, &current, &planned, &config);
                update(&self.hooks, &ctx, &id, &self.wire(&from), &self.wire(&to)).await
            }
            Err(e) => Err(e),
        };
        notes(diags, &ctx);
        match result {
            Ok(()) => {
                let observed = self.observe(&ctx, &id, &planned).await.ok().flatten();
                Some((self.settle(&planned, observed.as_ref(), &id), TfValue::Null))
            }
            Err(e) => {
                self.fail(diags, "updating", Some(&id), &with_timeout_hint(e, "update", timeout));
                // Record what the API now says, so that a partial update is not lost; write-only values
                // come from the plan where recording them needs no call, from the prior state where a call
                // sets them (it may not have been sent: the next apply sends it), and the private state is kept.
                // A write-only twin's version too: the rotation it asks for may not have been sent.
                let mut base = planned.clone();
                let from_prior =
                    |f: &&Field| f.read == Read::Keep && (!f.via.is_empty() || matches!(f.twin, Twin::VersionOf(_)));
                if let TfValue::Map(m) = &mut base {
                    for f in self.def().fields.iter().filter(from_prior) {
                        m.insert(f.name.to_string(), get(&prior, f.name).clone());
                    }
                }
                let state = self.salvage(&id, &base).await.unwrap_or(prior);
                Some((state, private))
            }
        }
    }

    /// `prior`, or, when its status says the instance is busy (not ready, not failed, not going away),
    /// the instance read again once it has settled.
    async fn converged_prior(&self, ctx: &Ctx, id: &str, prior: TfValue) -> Result<TfValue, Error> {
        let h = &self.def().health;
        let Some(status) = value::as_str(get(&prior, "status")) else { return Ok(prior) };
        let busy = !h.ready.is_empty()
            && !h.ready.contains(&status)
            && !h.failed.contains(&status)
            && !h.going.contains(&status)
            && !self.hooks.creation_failed(&prior);
        if !busy {
            return Ok(prior);
        }
        tracing::info!(
            "{} {id} is {status}: waiting for it to settle, then sending what is still different",
            self.type_name()
        );
        self.hooks.settle(ctx, id).await?;
        match self.observe(ctx, id, &prior).await? {
            Some(current) => Ok(current),
            None => Err(Error::Message(format!("{} {id} no longer exists", self.type_name()))),
        }
    }

    pub(crate) async fn do_destroy(&self, diags: &mut Diagnostics, prior: TfValue, _private: TfValue) -> Option<()> {
        let id = self.checked_id(diags, &prior).ok()??;
        self.provider.forget_batch(self.def().name);
        let timeout = self.timeout(diags, &prior, "delete")?;
        let ctx = self.ctx(diags, timeout)?;
        if let Err(e) = self.hooks.delete(&ctx, &id, &prior).await {
            self.fail(diags, "deleting", Some(&id), &with_timeout_hint(e, "delete", timeout));
            return None;
        }
        Some(())
    }

    pub(crate) async fn do_import(&self, diags: &mut Diagnostics, id: String) -> Option<(TfValue, TfValue)> {
        let id = id.trim().to_string();
        if let Some(problem) = validate::check_value(&self.def().id_check, &TfValue::String(id.clone())) {
            let detail = format!("Import {} by its {}: the id {problem}.", self.type_name(), self.def().id_noun());
            diag(diags, "Invalid import id", detail, AttributePath::root());
            return None;
        }
        Some((self.blank(&id), private_state(true, &[])))
    }
}

/// Errors for the values of a `timeouts` block (a resource's or a data source's).
pub(crate) fn timeouts_problems(diags: &mut Diagnostics, config: &TfValue) {
    if let TfValue::Map(t) = value::single(get(config, "timeouts")) {
        for (op, v) in t {
            if let TfValue::String(s) = v {
                if let Err(e) = timeouts::parse_duration(s) {
                    let path = schema::timeouts_path(config).attribute(op.clone());
                    diag(diags, "Invalid timeout", format!("timeouts.{op}: {e}"), path);
                }
            }
        }
    }
}
