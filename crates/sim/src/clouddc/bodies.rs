//! CloudDC request bodies: the create contract ("Creating an Instance" request table) and the
//! change-IP and change-password bodies of the SDK models, with the rules a spec cannot express.

use serde_json::Value;

use crate::spec::{self as s, Field, Invalid, Type};

/// Characters besides letters and digits a password may contain.
const SPECIALS: &str = "!@$%^-_=+[{}]:,./?";
pub const MAX_METADATA: usize = 10;

const ID: Type = s::string(1, 64);
const IPV4: Type = s::pattern(7, 15, ipv4);

const NETWORK_INTERFACE: &[Field] = &[Field::req("subnet_id", ID), Field::opt("ipv4_address", IPV4)];
const NIC: Type = s::obj(NETWORK_INTERFACE);

/// POST /v1/{project_id}/instances, without `metadata` (a free-form map, checked by [`metadata`]).
pub const CREATE: &[Field] = &[
    Field::req("name", s::pattern(1, 63, name)),
    Field::req("image_id", ID),
    Field::req("vpc_id", ID),
    Field::req("network_interfaces", s::array(&NIC, 1, 2)),
    Field::req("password", s::pattern(1, 1024, password)),
    Field::opt("description", s::string(0, 255)),
    Field::opt("placement", s::obj(&[Field::req("server_id", ID)])),
];

const IP_NIC: Type = s::obj(&[Field::req("subnet_id", ID), Field::opt("ip_address", s::pattern(0, 15, ipv4_or_empty))]);

/// PUT /v1/{project_id}/instances/{id}/ip
pub const CHANGE_IP: &[Field] = &[Field::req("vpc_id", ID), Field::req("nics", s::array(&IP_NIC, 1, 2))];

const INSTANCE_ID: Type = s::string(1, 64);

/// PUT /v1/{project_id}/instances/password
pub const CHANGE_PASSWORD: &[Field] = &[
    Field::req("new_password", s::pattern(1, 1024, password)),
    Field::req("instance_id_set", s::array(&INSTANCE_ID, 1, 100)),
];

/// PUT /v1/{project_id}/instances/reinstall (the SDK's ReinstallOSOptions; at most 10 instances)
pub const REINSTALL: &[Field] = &[
    Field::opt("image_id", ID),
    Field::req("password", s::pattern(1, 1024, password)),
    Field::req("instance_id_set", s::array(&INSTANCE_ID, 1, 10)),
];

/// The create body checked against [`CREATE`], `metadata` included.
pub fn create(body: &Value) -> Result<(), Invalid> {
    let mut rest = body.clone();
    let meta = rest.as_object_mut().and_then(|o| o.remove("metadata"));
    s::validate(CREATE, &rest)?;
    if let Some(meta) = meta {
        metadata(&meta)?;
    }
    let addresses: Vec<&str> = body["network_interfaces"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.get("ipv4_address").and_then(Value::as_str))
        .collect();
    if let [a, b] = addresses.as_slice() {
        if a == b {
            return Err(Invalid::new("network_interfaces[1].ipv4_address", format!("{a} is given twice")));
        }
    }
    Ok(())
}

/// At most 10 pairs; keys of 1-255 letters, digits, spaces and `-_:.`; String values of at most 255 characters.
fn metadata(meta: &Value) -> Result<(), Invalid> {
    let Value::Object(map) = meta else {
        return Err(Invalid::new("metadata", format!("expected an Object, got {}", s::describe(meta))));
    };
    if map.len() > MAX_METADATA {
        return Err(Invalid::new("metadata", format!("has {} pairs, at most {MAX_METADATA} allowed", map.len())));
    }
    for (k, v) in map {
        let path = format!("metadata.{k}");
        let n = k.chars().count();
        if !(1..=255).contains(&n) {
            return Err(Invalid::new(path, format!("key length {n} is outside 1..255 characters")));
        }
        s::chars_all(k, |c| c.is_ascii_alphanumeric() || " -_:.".contains(c), "letters, digits, spaces and -_:.")
            .map_err(|m| Invalid::new(&path, format!("key: {m}")))?;
        let text =
            v.as_str().ok_or_else(|| Invalid::new(&path, format!("expected a String, got {}", s::describe(v))))?;
        if text.chars().count() > 255 {
            return Err(Invalid::new(path, "value is longer than 255 characters"));
        }
    }
    Ok(())
}

fn name(v: &str) -> Result<(), String> {
    s::chars_all(v, |c| c.is_ascii_alphanumeric() || "_-.".contains(c), "letters, digits, _, - and .")
}

pub fn ipv4(v: &str) -> Result<(), String> {
    v.parse::<std::net::Ipv4Addr>().map(|_| ()).map_err(|_| format!("{v:?} is not an IPv4 address"))
}

fn ipv4_or_empty(v: &str) -> Result<(), String> {
    if v.is_empty() {
        Ok(())
    } else {
        ipv4(v)
    }
}

/// 8-26 characters, three of four character classes, no administrator name (or its reverse).
/// Messages never repeat the password.
pub fn password(v: &str) -> Result<(), String> {
    let n = v.chars().count();
    if !(8..=26).contains(&n) {
        return Err(format!("the password has {n} characters, 8 to 26 are required"));
    }
    if v.chars().any(|c| !c.is_ascii_alphanumeric() && !SPECIALS.contains(c)) {
        return Err(format!("the password may only contain letters, digits and {SPECIALS}"));
    }
    let classes: [fn(char) -> bool; 4] =
        [|c| c.is_ascii_uppercase(), |c| c.is_ascii_lowercase(), |c| c.is_ascii_digit(), |c| SPECIALS.contains(c)];
    if classes.iter().filter(|class| v.chars().any(class)).count() < 3 {
        return Err("the password must contain at least three kinds of characters".into());
    }
    let lower = v.to_lowercase();
    for user in ["root", "administrator"] {
        let reversed: String = user.chars().rev().collect();
        if lower.contains(user) || lower.contains(&reversed) {
            return Err("the password must not contain the user name or the user name spelled backwards".into());
        }
    }
    Ok(())
}
