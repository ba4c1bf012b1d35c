//! The Kafka service: each declared operation of DMS for Kafka goes to its handler.

use std::sync::Mutex;

use hwapi::contract::kafka as c;
use hwapi::contract::{Invalid, Op};
use hwapi::service::Service as Api;
use serde_json::json;

use super::errors::{invalid, not_found};
use super::model::Store;
use super::{acl, catalog, configs, extend, instances, switches, topics, users};
use crate::request::{ApiRequest, Args, Reply};
use crate::service::Service;
use crate::state::Shared;
use crate::store::{self, Objects};

#[derive(Default)]
pub struct Kafka {
    pub(super) store: Mutex<Store>,
}

impl Service for Kafka {
    fn name(&self) -> &'static str {
        "kafka"
    }

    fn api(&self) -> Api {
        Api::Dms
    }

    fn handle(&self, sim: &Shared, op: &'static Op, args: &Args, req: &ApiRequest) -> Result<Reply, Reply> {
        let id = args.get("instance_id");
        Store::serve(&self.store, sim.now(), |store, now| match op {
            o if o == &c::CREATE => instances::create(sim, store, req, now),
            o if o == &c::CREATE_V2 => instances::create_v2(sim, store, req, now),
            o if o == &c::LIST => instances::list(store, req),
            o if o == &c::SHOW => Ok(Reply::json(200, store.find(id)?.view.clone().into())),
            o if o == &c::UPDATE => instances::update(store, req, id),
            o if o == &c::DELETE => instances::delete(sim, store, id, now),
            o if o == &c::AUTOTOPIC => instances::autotopic(sim, store, req, id, now),
            o if o == &c::EXTEND => extend::extend(sim, store, req, id, now),
            o if o == &c::PUBLIC_ACCESS => switches::public_access(sim, store, req, id, now),
            o if o == &c::PROTOCOL_SWITCH => switches::protocol(sim, store, req, id, now),
            o if o == &c::CONFIGS => configs::show(store, id),
            o if o == &c::CONFIGS_UPDATE => configs::update(store, req, id),
            o if o == &c::PRODUCTS => Ok(Reply::json(200, catalog::products(req.param("product_id")))),
            o if o == &c::ZONES => Ok(Reply::json(200, catalog::zones(&sim.config.region))),
            o if o == &c::RESET_MANAGER_PASSWORD => instances::password(store, id, false),
            o if o == &c::RESET_PASSWORD => instances::password(store, id, true),
            o if o == &c::TAGS => Ok(Reply::json(200, json!({"tags": store.find(id)?.view["tags"].clone()}))),
            o if o == &c::TAGS_ACTION => instances::tags(store, req, id),
            o if o == &c::TOPIC_CREATE => topics::topic_create(store, req, id, now),
            o if o == &c::TOPIC_LIST => topics::topic_list(store, req, id),
            o if o == &c::TOPIC_UPDATE => topics::topic_update(store, req, id),
            o if o == &c::TOPIC_DELETE => topics::topic_delete(store, req, id),
            o if o == &c::USER_CREATE => users::create(store, req, id, now),
            o if o == &c::USER_LIST => users::list(store, id),
            o if o == &c::USER_DELETE => users::delete(store, req, id),
            o if o == &c::USER_RESET_PASSWORD => users::reset_password(store, args),
            o if o == &c::USER_UPDATE => users::update(store, req, args),
            o if o == &c::POLICY_UPDATE => acl::update(store, req, id),
            o if o == &c::POLICY_SHOW => acl::show(store, id, args.get("topic_name")),
            _ => Err(Reply::not_routed(req)),
        })
    }

    fn invalid(&self, problem: &Invalid) -> Reply {
        invalid(problem)
    }

    fn objects(&self) -> Option<&dyn Objects> {
        Some(&self.store)
    }

    /// `pay`: the order of a yearly/monthly instance created without `is_auto_pay` is paid (as in the
    /// Billing Center); the instance, CREATING until then, is created (RUNNING after the create delay).
    fn action(&self, sim: &Shared, id: &str, action: &str) -> Option<Result<Reply, Reply>> {
        (action == "pay").then(|| store::pay(&self.store, sim.now(), sim.delays(), id, not_found))
    }
}
