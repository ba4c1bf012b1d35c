//! Every page of a list, as its operation's paging declares, and the entries of a list that carry a
//! name: what the lists of instances and of the objects inside them share.

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use hwapi::contract::{at, Op, Paging, Statuses};

use super::ctx::Ctx;
use super::error::{listed_member, Error};
use crate::client::Call;

/// Most pages a list may take: a service that never ends its pages is an error.
const MAX_PAGES: usize = 1000;

/// Every item of the list `call` (a call of `op` with its arguments and query) answers: the array at
/// `op.items` of each answer, page after page as `op.paging` declares, each page as large as it
/// declares. An offset list is read until its total (an answer without its total is read on while its
/// pages are full), a marker list until a page comes back empty or without a marker. A page that ends
/// the list before its total, the same marker answered again, an entry repeated and a list that never
/// ends are errors, never a shorter list: an object missing from it would leave the state.
pub async fn list_all<T: DeserializeOwned + PartialEq>(
    ctx: &Ctx,
    op: &'static Op,
    call: Call,
) -> Result<Vec<T>, Error> {
    let broken = |what: &str| Error::Message(format!("{}: the list {what}; its paging is broken", op.label()));
    let mut items: Vec<T> = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let c = match op.paging {
            Paging::None => call.clone(),
            Paging::Offset { limit, .. } => {
                call.clone().query("limit", limit.to_string()).query("offset", items.len().to_string())
            }
            Paging::Marker { limit, .. } => {
                let c = call.clone().query("limit", limit.to_string());
                marker.iter().fold(c, |c, m| c.query("marker", m.clone()))
            }
        };
        let r = ctx.send(c).await?;
        let page: Vec<T> = r.parse_list(op.items)?;
        let n = page.len();
        let next = match op.paging {
            Paging::Marker { next, .. } => at(&r.body, next).and_then(Json::as_str).filter(|m| !m.is_empty()),
            _ => None,
        };
        if n > 0 && next.is_some() && next == marker.as_deref() {
            return Err(broken("answered the same page again"));
        }
        if page.iter().any(|p| items.contains(p)) {
            return Err(broken("repeated an entry"));
        }
        items.extend(page);
        match op.paging {
            Paging::None => return Ok(items),
            Paging::Offset { limit, total } => match r.body.get(total).and_then(Json::as_u64) {
                Some(total) if items.len() as u64 >= total => return Ok(items),
                Some(total) if n == 0 => {
                    let read = items.len();
                    return Err(Error::Message(format!(
                        "{}: the list ended after {read} of {total} entries",
                        op.label()
                    )));
                }
                Some(_) => {}
                None if n < limit => return Ok(items),
                None => {}
            },
            Paging::Marker { .. } => match next {
                Some(m) if n > 0 => marker = Some(m.to_string()),
                _ => return Ok(items),
            },
        }
    }
    Err(Error::Message(format!("{}: the list did not end after {MAX_PAGES} pages", op.label())))
}

/// The status of entry `i` of the list `op` (its member `statuses.member`), if it shows one.
pub fn status(op: &Op, i: usize, item: &Json, statuses: &Statuses) -> Result<Option<String>, Error> {
    match item.get(statuses.member) {
        None | Some(Json::Null) => Ok(None),
        Some(_) => listed_member(op, i, item, statuses.member).map(Some),
    }
}

/// Neither being deleted (`going`) nor deleted (`gone`): no status says so.
pub fn is_live(statuses: &Statuses, status: Option<&str>) -> bool {
    status.is_none_or(|s| !statuses.going.contains(&s) && !statuses.gone.contains(&s))
}

/// An entry of a list named as looked for: its index, the entry and its status, if it shows one.
pub type Named<'a> = (usize, &'a Json, Option<String>);

/// The live entries of `items` (entries of the list `op`) whose member `key` is exactly `name` (a
/// list's name filter may be fuzzy) and whose members hold each of the `scope` values, with their
/// statuses (when `statuses` declares them).
pub fn named<'a>(
    op: &Op,
    items: &'a [Json],
    (key, name): (&str, &str),
    statuses: Option<&Statuses>,
    scope: &[(&str, &str)],
) -> Result<Vec<Named<'a>>, Error> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let status = match statuses {
            Some(s) => status(op, i, item, s)?,
            None => None,
        };
        let live = statuses.is_none_or(|s| is_live(s, status.as_deref()));
        let placed = scope.iter().all(|(m, v)| item.get(*m).and_then(Json::as_str) == Some(*v));
        if listed_member(op, i, item, key)? == name && placed && live {
            out.push((i, item, status));
        }
    }
    Ok(out)
}
