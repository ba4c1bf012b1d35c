//! The lifecycle steps on plain values (validate, read, plan, create, update, delete, import); the
//! `Resource` impl in `protocol.rs` adapts them to tf-provider.

use serde_json::json;
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostics};

use super::field::{Field, Kind, Mode, Read, Update};
use super::value::{self, get, has_unknown, Obj, Reading};
use super::{
    change, diag, garbled, schema, timeouts, validate, warn, with_timeout_hint, BusyPause, Ctx, Engine, Error, Hooks,
};
use crate::client::Call;

/// What the engine keeps in a resource's private state: whether it was just imported (write-only values
/// never known are then taken over from the configuration), and which attributes the API's last answer
/// did not give while the state had no value for them (no replacement is planned from those).
fn private_state(imported: bool, unread: &[String]) -> ValueAny {
    let mut m = Obj::new();
    if imported {
        m.insert("imported".into(), ValueAny::Bool(true));
    }
    if !unread.is_empty() {
        m.insert("unread".into(), ValueAny::List(unread.iter().map(|u| ValueAny::String(u.clone())).collect()));
    }
    if m.is_empty() {
        ValueAny::Null
    } else {
        ValueAny::Map(m)
    }
}

fn imported(private: &ValueAny) -> bool {
    get(private, "imported") == &ValueAny::Bool(true)
}

fn unread(private: &ValueAny) -> Vec<String> {
    match get(private, "unread") {
        ValueAny::List(l) => l.iter().filter_map(|v| value::as_str(v).map(str::to_string)).collect(),
        _ => vec![],
    }
}

/// What the API decides at creation becomes unknown in the plan: computed attributes, and optional
/// ones left unset, at any depth of nested blocks.
fn mark_unknown(fields: &[Field], obj: &mut Obj) {
    for f in fields {
        let Some(v) = obj.get_mut(f.name) else { continue };
        if f.mode == Mode::Computed || (f.mode == Mode::OptionalComputed && matches!(v, ValueAny::Null)) {
            *v = ValueAny::Unknown;
        } else if let (Kind::Block { fields: nested, .. }, _) = (f.kind, &v) {
            match v {
                ValueAny::List(items) => items.iter_mut().for_each(|i| {
                    if let ValueAny::Map(m) = i {
                        mark_unknown(nested, m)
                    }
                }),
                ValueAny::Map(m) => mark_unknown(nested, m),
                _ => {}
            }
        }
    }
}

/// How an argument changes between prior and proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    None,
    InPlace,
    Replace,
}

/// What a plan knows beyond the two values it compares.
struct ChangeCx<'a> {
    /// Just imported: a write-only value never known (null, or no blocks) is taken over from the
    /// configuration without counting as a change.
    imported: bool,
    /// Attribute paths the API did not return and the state had no value for.
    unread: &'a [String],
    /// The paths whose configured value is recorded instead of replacing the instance.
    adopted: Vec<String>,
}

/// Inside a block, each nested field's own update mode decides; a block that may not be updated in
/// place is replaced when elements are added or removed. A create-only value the state never had
/// (a required one, or one the API did not return) is recorded from the configuration instead of
/// replacing the instance: a replacement is never planned from a value the API did not give.
fn change(f: &Field, prior: &ValueAny, proposed: &ValueAny, path: &str, cx: &mut ChangeCx) -> Change {
    if cx.imported && f.read == Read::Keep && !value::is_set(prior) {
        return Change::None;
    }
    let own = if f.update == Update::InPlace { Change::InPlace } else { Change::Replace };
    let never_known = !value::is_set(prior) && (f.mode == Mode::Required || cx.unread.iter().any(|u| u == path));
    let adopt_or = |c: Change, cx: &mut ChangeCx| {
        if c == Change::Replace && never_known {
            cx.adopted.push(path.to_string());
            Change::InPlace
        } else {
            c
        }
    };
    let Kind::Block { fields, .. } = f.kind else {
        return if prior == proposed { Change::None } else { adopt_or(own, cx) };
    };
    let items = |v: &ValueAny| -> Vec<ValueAny> {
        match v {
            ValueAny::List(l) => l.clone(),
            m @ ValueAny::Map(_) => vec![m.clone()],
            _ => vec![],
        }
    };
    let (a, b) = (items(prior), items(proposed));
    if a.len() != b.len() {
        return adopt_or(own, cx);
    }
    let mut nested = Change::None;
    for (x, y) in a.iter().zip(&b) {
        for n in fields.iter().filter(|n| n.is_argument()) {
            let c = change(n, get(x, n.name), get(y, n.name), &format!("{path}.{}", n.name), cx);
            nested = nested.max(c);
        }
    }
    // A block updated in place never forces replacement, whatever its fields say.
    if f.update == Update::InPlace {
        nested.min(Change::InPlace)
    } else {
        nested
    }
}

impl<H: Hooks> Engine<H> {
    /// Plan-time checks of the table, the rules and the timeouts, with the attribute named.
    fn problems(&self, diags: &mut Diagnostics, config: &ValueAny) {
        let def = self.def();
        for p in validate::validate(def.fields, def.create.body, def.rules, config) {
            diag(diags, "Invalid argument", format!("{} {}", super::path_label(&p.path), p.message), p.path);
        }
        timeouts_problems(diags, config);
    }

    pub(crate) async fn do_validate(&self, diags: &mut Diagnostics, config: ValueAny) -> Option<()> {
        self.problems(diags, &config);
        Some(())
    }

    pub(crate) async fn do_read(
        &self,
        diags: &mut Diagnostics,
        state: ValueAny,
        private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
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

    pub(crate) async fn do_plan_create(
        &self,
        _diags: &mut Diagnostics,
        proposed: ValueAny,
        config: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let mut planned = match proposed {
            ValueAny::Map(m) => m,
            _ => Obj::new(),
        };
        mark_unknown(self.def().fields, &mut planned);
        // The provider's default enterprise project for an instance whose configuration sets none.
        let eps = "enterprise_project_id";
        if self.def().fields.iter().any(|f| f.name == eps && f.is_argument()) && get(&config, eps) == &ValueAny::Null {
            if let Some(default) = self.provider.default_enterprise_project() {
                planned.insert(eps.into(), ValueAny::String(default));
            }
        }
        planned.insert("id".into(), ValueAny::Unknown);
        Some((ValueAny::Map(planned), ValueAny::Null))
    }

    pub(crate) async fn do_plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        proposed: ValueAny,
        config: ValueAny,
        prior_private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny, Vec<AttributePath>)> {
        let unread = unread(&prior_private);
        let mut cx = ChangeCx { imported: imported(&prior_private), unread: &unread, adopted: vec![] };
        let mut changes: Vec<(&Field, Change)> = Vec::new();
        for f in self.def().fields.iter().filter(|f| f.is_argument()) {
            let mut c = change(f, get(&prior, f.name), get(&proposed, f.name), f.name, &mut cx);
            // A create-only change that only records what already is (the resource's judgement).
            if c == Change::Replace
                && f.update == Update::Judged
                && self.hooks.recorded_change(f.name, &prior, &proposed)
            {
                c = Change::InPlace;
            }
            if c != Change::None {
                changes.push((f, c));
            }
        }
        if !cx.adopted.is_empty() {
            warn(
                diags,
                format!("{}: values the API did not return", self.type_name()),
                format!(
                    "The service's answer did not include {}. The configured values are recorded in the state \
without replacing the instance (a replacement is never planned from a value the API did not give).",
                    cx.adopted.join(", ")
                ),
                AttributePath::new(cx.adopted[0].split('.').next().unwrap_or_default().to_string()),
            );
        }
        let mut replace: Vec<AttributePath> =
            changes.iter().filter(|(_, c)| *c == Change::Replace).map(|(f, _)| AttributePath::new(f.name)).collect();
        let mut reasons: Vec<String> = changes
            .iter()
            .filter(|(_, c)| *c == Change::Replace)
            .map(|(f, _)| format!("changing {}", f.name))
            .collect();
        // An instance whose creation failed never works, and one being deleted is going away: either is
        // replaced, shown on its status (unless Terraform cannot delete it, e.g. a yearly/monthly one:
        // then the refresh's warning stands alone).
        let deletable = self.hooks.destroy_blocker(&prior).is_none();
        let never_came_up = self.hooks.creation_failed(&prior) && deletable;
        let going = self.going_away(&prior) && deletable;
        if never_came_up || going {
            replace.push(AttributePath::new("status"));
            reasons.push(if going { "its deletion, under way," } else { "its creation failed, so it" }.into());
        }
        // What cannot change in place fails at plan, unless the instance is replaced anyway.
        if replace.is_empty() && self.refuse_changes(diags, &prior, &proposed, &config) {
            return None;
        }
        if !replace.is_empty() {
            if let Some(why) = self.hooks.destroy_blocker(&prior) {
                diag(
                    diags,
                    format!("{} cannot be replaced", self.type_name()),
                    format!("{} requires replacing the instance, but {why}", reasons.join(" and ")),
                    replace[0].clone(),
                );
                return None;
            }
        }
        let mut planned = match proposed {
            ValueAny::Map(m) => m,
            _ => Obj::new(),
        };
        if never_came_up || going {
            planned.insert("status".into(), ValueAny::Unknown);
        }
        if !changes.is_empty() && replace.is_empty() {
            for f in self.def().fields.iter().filter(|f| f.volatile) {
                planned.insert(f.name.to_string(), ValueAny::Unknown);
            }
            // What the service derives from a changed argument is known after the change, unless written.
            let changed = |name: &str| changes.iter().any(|(c, _)| c.name == name);
            for f in self.def().fields.iter().filter(|f| f.follows.iter().any(|n| changed(n))) {
                if f.mode == Mode::Computed || get(&config, f.name) == &ValueAny::Null {
                    planned.insert(f.name.to_string(), ValueAny::Unknown);
                }
            }
        }
        Some((ValueAny::Map(planned), prior_private, replace))
    }

    pub(crate) async fn do_plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        prior_private: ValueAny,
        _meta: ValueAny,
    ) -> Option<ValueAny> {
        if let Some(why) = self.hooks.destroy_blocker(&prior) {
            diag(diags, format!("{} cannot be destroyed by Terraform", self.type_name()), why, AttributePath::root());
            return None;
        }
        Some(prior_private)
    }

    pub(crate) async fn do_create(
        &self,
        diags: &mut Diagnostics,
        planned: ValueAny,
        config: ValueAny,
        _private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
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
        let created = match self.create_healing(&ctx, &planned).await {
            Ok(created) => created,
            Err((e, note)) => {
                self.fail_with(diags, "creating", None, &e, &note);
                return None;
            }
        };
        let id = created.id.clone();
        // An id from the API goes into URLs and the state only once it is known to be one.
        if let Some(problem) = validate::check_value(&self.def().id_check, &ValueAny::String(id.clone())) {
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
        Some((state, ValueAny::Null))
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
        observed: Option<&ValueAny>,
        planned: &ValueAny,
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
            Some(ValueAny::Map(o)) => o.clone(),
            _ => match planned {
                ValueAny::Map(p) => p.clone(),
                _ => Obj::new(),
            },
        };
        if observed.is_none() {
            for f in &pending {
                from.insert(f.name.to_string(), ValueAny::Null);
            }
        }
        let mut to = from.clone();
        for f in &pending {
            to.insert(f.name.to_string(), get(planned, f.name).clone());
        }
        if let Err(e) = update(&self.hooks, ctx, id, &ValueAny::Map(from), &ValueAny::Map(to)).await {
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
        prior: ValueAny,
        planned: ValueAny,
        config: ValueAny,
        private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
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
            if let (ValueAny::Map(p), ValueAny::Map(n)) = (&mut prior, &planned) {
                for f in self.def().fields.iter().filter(|f| f.read == Read::Keep && f.is_argument()) {
                    if !value::is_set(p.get(f.name).unwrap_or(&value::NULL)) {
                        p.insert(f.name.to_string(), n.get(f.name).cloned().unwrap_or(ValueAny::Null));
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
            Ok(current) => update(&self.hooks, &ctx, &id, &current, &planned).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                let observed = self.observe(&ctx, &id, &planned).await.ok().flatten();
                Some((self.settle(&planned, observed.as_ref(), &id), ValueAny::Null))
            }
            Err(e) => {
                self.fail(diags, "updating", Some(&id), &with_timeout_hint(e, "update", timeout));
                // Record what the API now says, so that a partial update is not lost; write-only values
                // come from the plan where recording them needs no call, from the prior state where a call
                // sets them (it may not have been sent: the next apply sends it), and the private state is kept.
                let mut base = planned.clone();
                if let ValueAny::Map(m) = &mut base {
                    for f in self.def().fields.iter().filter(|f| f.read == Read::Keep && !f.via.is_empty()) {
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
    async fn converged_prior(&self, ctx: &Ctx, id: &str, prior: ValueAny) -> Result<ValueAny, Error> {
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

    pub(crate) async fn do_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        _private: ValueAny,
        _meta: ValueAny,
    ) -> Option<()> {
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

    pub(crate) async fn do_import(&self, diags: &mut Diagnostics, id: String) -> Option<(ValueAny, ValueAny)> {
        let id = id.trim().to_string();
        if let Some(problem) = validate::check_value(&self.def().id_check, &ValueAny::String(id.clone())) {
            let detail = format!("Import {} by its {}: the id {problem}.", self.type_name(), self.def().id_noun());
            diag(diags, "Invalid import id", detail, AttributePath::root());
            return None;
        }
        Some((self.blank(&id), private_state(true, &[])))
    }
}

/// Errors for the values of a `timeouts` block (a resource's or a data source's).
pub(crate) fn timeouts_problems(diags: &mut Diagnostics, config: &ValueAny) {
    if let ValueAny::Map(t) = value::single(get(config, "timeouts")) {
        for (op, v) in t {
            if let ValueAny::String(s) = v {
                if let Err(e) = timeouts::parse_duration(s) {
                    let path = schema::timeouts_path(config).attribute(op.clone());
                    diag(diags, "Invalid timeout", format!("timeouts.{op}: {e}"), path);
                }
            }
        }
    }
}

/// Apply the in-place changes from `prior` to `plan`: the declared changes in order, each call whose
/// arguments changed (the engine's update; public for the wiremock tests). A call answered "busy"
/// waits for the instance to settle, reads it again and sends what is then still different.
pub async fn update<H: Hooks + ?Sized>(
    hooks: &H,
    ctx: &Ctx,
    id: &str,
    prior: &ValueAny,
    plan: &ValueAny,
) -> Result<(), Error> {
    let def = hooks.def();
    let mut prior = prior.clone();
    for ch in def.changes {
        let mut pause = BusyPause::new();
        loop {
            let carried = change::carried(def.fields, ch.op);
            if !carried.iter().any(|f| change::differs(&prior, plan, f.name)) {
                break;
            }
            let sent = send_change(hooks, ctx, id, ch, &carried, &prior, plan).await;
            let what = || {
                format!(
                    "{}: {} is busy; waiting for it to settle, then sending what is still different",
                    ch.op.label(),
                    def.label(id)
                )
            };
            match &sent {
                Err(Error::Api(e)) if pause.wait(ctx, def.busy, e, what).await => {}
                _ => {
                    sent?;
                    break;
                }
            }
            hooks.settle(ctx, id).await?;
            let Some(api) = hooks.read(ctx, id).await? else {
                return Err(Error::Message(format!("{} no longer exists", def.label(id))));
            };
            let current = value::state_from_api(def.fields, &api, &prior).map_err(|g| garbled(def.read_by, g))?;
            prior = ValueAny::Map(current);
        }
    }
    Ok(())
}

/// One declared change's calls, sent once each.
async fn send_change<H: Hooks + ?Sized>(
    hooks: &H,
    ctx: &Ctx,
    id: &str,
    ch: &change::Change,
    carried: &[&'static Field],
    prior: &ValueAny,
    plan: &ValueAny,
) -> Result<(), Error> {
    use change::Send;
    let def = hooks.def();
    let call = || Call::to(ch.op).arg("instance_id", hooks.instance_id(id)).idempotent(true);
    match ch.send {
        Send::Hook => hooks.apply_change(ctx, id, ch, prior, plan).await,
        Send::Changed { wait, .. } => {
            if let Some(body) = change::changed_body(ch, def.fields, id, prior, plan) {
                ctx.send(call().body(body)).await?;
                if wait {
                    hooks.settle(ctx, id).await?;
                }
            }
            Ok(())
        }
        Send::TagsRemoved | Send::TagsAdded | Send::TagActions => {
            let Some(f) = carried.iter().find(|f| f.codec == super::field::Codec::TagList) else { return Ok(()) };
            let (removed, added) = change::tag_changes(get(prior, f.name), get(plan, f.name));
            let bodies = match ch.send {
                Send::TagsRemoved => vec![json!({ "tags": removed })],
                Send::TagsAdded => vec![json!({ "tags": added })],
                _ => vec![json!({"action": "delete", "tags": removed}), json!({"action": "create", "tags": added})],
            };
            for body in bodies.into_iter().filter(|b| b["tags"].as_array().is_some_and(|t| !t.is_empty())) {
                ctx.send(call().body(body)).await?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: [Field; 2] = [Field::string("subnet_id", "s").required(), Field::string("note", "n")];
    static FIELDS: [Field; 3] = [
        Field::string("vpc_id", "v").required(),
        Field::string("zone", "z"),
        Field::blocks("nics", &INNER, 2, "n").required(),
    ];

    fn s(v: &str) -> ValueAny {
        ValueAny::String(v.into())
    }

    #[test]
    fn a_create_only_value_never_known_is_recorded_not_replaced() {
        let unread = vec!["zone".to_string()];
        let mut cx = ChangeCx { imported: false, unread: &unread, adopted: vec![] };
        // Required, null in the state (the API did not say): recorded.
        assert_eq!(change(&FIELDS[0], &ValueAny::Null, &s("vpc-1"), "vpc_id", &mut cx), Change::InPlace);
        // Optional and unread: recorded; optional and known to be unset: replaced.
        assert_eq!(change(&FIELDS[1], &ValueAny::Null, &s("az1"), "zone", &mut cx), Change::InPlace);
        let mut plain = ChangeCx { imported: false, unread: &[], adopted: vec![] };
        assert_eq!(change(&FIELDS[1], &ValueAny::Null, &s("az1"), "zone", &mut plain), Change::Replace);
        // A value the API gave, changed: replaced.
        assert_eq!(change(&FIELDS[0], &s("vpc-0"), &s("vpc-1"), "vpc_id", &mut cx), Change::Replace);
        // Inside a block: the nested required member never known is recorded.
        let nic = |subnet: ValueAny| ValueAny::List(vec![ValueAny::Map([("subnet_id".to_string(), subnet)].into())]);
        assert_eq!(change(&FIELDS[2], &nic(ValueAny::Null), &nic(s("sn")), "nics", &mut cx), Change::InPlace);
        assert_eq!(cx.adopted, ["vpc_id", "zone", "nics.subnet_id"]);
        assert_eq!(change(&FIELDS[2], &nic(s("a")), &nic(s("b")), "nics", &mut cx), Change::Replace);
    }

    #[test]
    fn private_state_round_trips() {
        let p = private_state(true, &["a.b".to_string()]);
        assert!(imported(&p));
        assert_eq!(unread(&p), ["a.b"]);
        assert_eq!(private_state(false, &[]), ValueAny::Null);
    }
}
