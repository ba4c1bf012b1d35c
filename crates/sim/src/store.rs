//! What the stateful services share: a stored object kept as its API view, the store of a
//! service's objects with their lazily applied transitions, and the admin API's view of it.

use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::faults::Delays;
use crate::request::Reply;
use crate::util::lock;

/// An object a service stores: exactly its API view, plus the transitions under way.
pub trait Stored {
    /// The view's key holding the object's id.
    const ID: &'static str;
    /// The view's key an admin patch sets to end the transition under way.
    const STATUS: &'static str;

    fn view(&self) -> &Map<String, Value>;
    fn view_mut(&mut self) -> &mut Map<String, Value>;
    /// Apply the transitions due by `now`; false when the object is gone.
    fn advance(&mut self, now: SystemTime) -> bool;
    /// Forget the transition under way (an explicit status replaces it).
    fn cancel_pending(&mut self);
    /// The simulator's bookkeeping, shown under `_sim` in the admin state.
    fn bookkeeping(&self, now: SystemTime) -> Value;

    fn id(&self) -> &str {
        self.get_str(Self::ID)
    }
    /// A string field of the view; "" when absent or not a string.
    fn get_str(&self, key: &str) -> &str {
        self.view().get(key).and_then(Value::as_str).unwrap_or("")
    }
    fn set(&mut self, key: &str, value: Value) {
        self.view_mut().insert(key.to_string(), value);
    }
    /// The view plus the bookkeeping under `_sim` (admin state).
    fn admin_view(&self, now: SystemTime) -> Value {
        let mut out = self.view().clone();
        out.insert("_sim".into(), self.bookkeeping(now));
        Value::Object(out)
    }
}

/// The objects of one service, in creation order.
pub struct Store<T> {
    pub instances: Vec<T>,
    /// The last creation number handed out.
    seq: u64,
}

impl<T> Default for Store<T> {
    fn default() -> Store<T> {
        Store { instances: Vec::new(), seq: 0 }
    }
}

impl<T: Stored> Store<T> {
    /// Lock `store` and apply the transitions due by `now`.
    fn open(store: &Mutex<Store<T>>, now: SystemTime) -> MutexGuard<'_, Store<T>> {
        let mut guard = lock(store);
        guard.advance(now);
        guard
    }

    /// Answer an API request: the store is opened at `now` (the transitions due applied), and `route`
    /// answers.
    pub fn serve(
        store: &Mutex<Store<T>>,
        now: SystemTime,
        route: impl FnOnce(&mut Store<T>, SystemTime) -> Result<Reply, Reply>,
    ) -> Result<Reply, Reply> {
        route(&mut Store::open(store, now), now)
    }

    /// Apply the transitions due by `now`, dropping the objects that are gone.
    pub fn advance(&mut self, now: SystemTime) {
        self.instances.retain_mut(|i| i.advance(now));
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.instances.iter_mut().find(|i| i.id() == id)
    }

    /// The next creation number (1, 2, ...).
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
}

/// An object created only once its yearly/monthly order is paid.
pub trait Ordered: Stored {
    /// Pay the order the object awaits; why not, when it awaits none.
    fn pay(&mut self, now: SystemTime, delays: Delays) -> Result<(), String>;
}

/// The admin action `pay`, as the Billing Center pays an order: the object `id` (the service's
/// `not_found` answer when there is none) is created; the answer is its view.
pub fn pay<T: Ordered>(
    store: &Mutex<Store<T>>,
    now: SystemTime,
    delays: Delays,
    id: &str,
    not_found: fn() -> Reply,
) -> Result<Reply, Reply> {
    Store::serve(store, now, |store, now| {
        let object = store.get_mut(id).ok_or_else(not_found)?;
        object.pay(now, delays).map_err(|e| Reply::error(400, "SIM.0400", e))?;
        Ok(Reply::json(200, object.view().clone().into()))
    })
}

/// A service's stored objects as the admin API (`/_sim/...`) sees them.
pub trait Objects {
    /// All stored objects, with the transitions due applied.
    fn snapshot(&self, now: SystemTime) -> Value;
    /// Delete an object out of band; false when there is no such object.
    fn remove(&self, id: &str) -> bool;
    /// Merge a JSON object into a stored object; `Ok(None)` when there is no such object.
    fn patch(&self, id: &str, patch: &Value, now: SystemTime) -> Result<Option<Value>, String>;
}

impl<T: Stored> Objects for Mutex<Store<T>> {
    fn snapshot(&self, now: SystemTime) -> Value {
        let store = Store::open(self, now);
        Value::Array(store.instances.iter().map(|i| i.admin_view(now)).collect())
    }

    fn remove(&self, id: &str) -> bool {
        let mut store = lock(self);
        let before = store.instances.len();
        store.instances.retain(|i| i.id() != id);
        store.instances.len() != before
    }

    fn patch(&self, id: &str, patch: &Value, now: SystemTime) -> Result<Option<Value>, String> {
        let mut store = Store::open(self, now);
        let Some(obj) = store.get_mut(id) else { return Ok(None) };
        if patch.get(T::ID).is_some_and(|v| v.as_str() != Some(id)) {
            return Err(format!("{} cannot be changed", T::ID));
        }
        let mut view = Value::Object(std::mem::take(obj.view_mut()));
        merge(&mut view, patch);
        *obj.view_mut() = view.as_object().cloned().unwrap_or_default();
        if patch.get(T::STATUS).is_some() {
            obj.cancel_pending();
        }
        Ok(Some(obj.admin_view(now)))
    }
}

/// RFC 7386 JSON merge patch.
pub fn merge(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let t = target.as_object_mut().expect("made an object above");
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// Milliseconds from `now` until `t` (0 when `t` has passed).
pub fn ms_until(t: SystemTime, now: SystemTime) -> u64 {
    t.duration_since(now).unwrap_or_default().as_millis() as u64
}
