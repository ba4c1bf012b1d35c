//! How an instance is reached: its brokers' addresses and its access methods (`port_protocols`).
//!
//! Ports as the create table states them: private PLAINTEXT 9092, private SASL (SSL or PLAINTEXT)
//! 9093, public PLAINTEXT 9094, public SASL 9095. The brokers' IPs are read back from the show answer
//! (`connect_address`, and `public_connect_address` while public access is on), so the answer stays
//! the one record of them.

use hwapi::contract::kafka::PROTOCOLS;
use serde_json::{json, Map, Value};

/// On or off, for each access method in the order of the contract's `PROTOCOLS`.
pub type Methods = [bool; 6];

const PORTS: [u16; 6] = [9092, 9093, 9093, 9094, 9095, 9095];

/// The index of an access method named by its member (`private_plain_enable`).
pub fn index(member: &str) -> Option<usize> {
    PROTOCOLS.iter().position(|p| *p == member)
}

pub fn is_public(i: usize) -> bool {
    i >= 3
}

pub fn is_sasl(i: usize) -> bool {
    !i.is_multiple_of(3)
}

/// The other SASL method of the same network (SSL and PLAINTEXT exclude each other).
pub fn partner(i: usize) -> Option<usize> {
    match i % 3 {
        1 => Some(i + 1),
        2 => Some(i - 1),
        _ => None,
    }
}

/// What a create of the seed API (and a create without `port_protocol`) turns on: PLAINTEXT without
/// SASL; with SASL, SASL_SSL unless `sasl_plaintext`; the public ones only with public access.
pub fn derived(sasl: bool, sasl_plaintext: bool, public: bool) -> Methods {
    let (plain, ssl, plaintext) = (!sasl, sasl && !sasl_plaintext, sasl && sasl_plaintext);
    [plain, ssl, plaintext, public && plain, public && ssl, public && plaintext]
}

/// The methods of a `port_protocol` object (a member not given is off).
pub fn from_object(v: &Value) -> Methods {
    let mut on = [false; 6];
    for (i, name) in PROTOCOLS.iter().enumerate() {
        on[i] = v.get(*name).and_then(Value::as_bool).unwrap_or(false);
    }
    on
}

/// The methods the show answer states.
pub fn of_view(view: &Map<String, Value>) -> Methods {
    from_object(view.get("port_protocols").unwrap_or(&Value::Null))
}

fn ips_of(addresses: Option<&Value>) -> Vec<String> {
    let text = addresses.and_then(Value::as_str).unwrap_or("");
    text.split(',').filter(|a| !a.is_empty()).map(|a| a.rsplit_once(':').map_or(a, |(ip, _)| ip).to_string()).collect()
}

/// The brokers' private IPs, in broker order.
pub fn private_ips(view: &Map<String, Value>) -> Vec<String> {
    ips_of(view.get("connect_address"))
}

/// The brokers' public IPs (none while public access is off).
pub fn public_ips(view: &Map<String, Value>) -> Vec<String> {
    ips_of(view.get("public_connect_address"))
}

/// `n` new IPs of the form `prefix.X` that are not among `taken`.
pub fn new_ips(prefix: &str, taken: &[String], n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut host = fastrand::u8(10..200);
    while out.len() < n {
        let ip = format!("{prefix}.{host}");
        if !taken.contains(&ip) && !out.contains(&ip) {
            out.push(ip);
        }
        host = if host >= 254 { 2 } else { host + 1 };
    }
    out
}

/// A fresh public IP for each of `n` brokers.
pub fn new_public_ips(n: usize) -> Vec<String> {
    let prefix = format!("100.85.{}", fastrand::u8(1..255));
    new_ips(&prefix, &[], n)
}

pub fn addresses(ips: &[String], port: u16) -> String {
    ips.iter().map(|ip| format!("{ip}:{port}")).collect::<Vec<_>>().join(",")
}

/// The `port_protocols` member: each method on or off, with its addresses when on.
pub fn port_protocols(private: &[String], public: &[String], on: Methods) -> Value {
    let mut out = Map::new();
    for (i, member) in PROTOCOLS.iter().enumerate() {
        let name = member.trim_end_matches("_enable");
        let ips = if is_public(i) { public } else { private };
        out.insert((*member).to_string(), json!(on[i]));
        out.insert(format!("{name}_address"), json!(if on[i] { addresses(ips, PORTS[i]) } else { String::new() }));
        out.insert(format!("{name}_domain_name"), json!(""));
    }
    Value::Object(out)
}

/// The security protocol the show answer states: the private SASL method that is on, else the
/// public one, else PLAINTEXT.
pub fn security_protocol(on: Methods) -> &'static str {
    let pick = |ssl: usize, plaintext: usize| {
        if on[ssl] {
            Some("SASL_SSL")
        } else if on[plaintext] {
            Some("SASL_PLAINTEXT")
        } else {
            None
        }
    };
    pick(1, 2).or_else(|| pick(4, 5)).unwrap_or("PLAINTEXT")
}

/// Every member of the show answer that follows from the brokers' IPs and the access methods.
pub fn addressing(private: &[String], public: &[String], on: Methods) -> Map<String, Value> {
    let port = if on[0] { 9092 } else { 9093 };
    let public_port = if on[4] || on[5] { 9095 } else { 9094 };
    let manager = |ip: Option<&String>| ip.map_or(String::new(), |ip| format!("https://{ip}:9999"));
    let v = json!({
        "connect_address": private.join(","), "port": port,
        "kafka_private_connect_address": addresses(private, port),
        "public_connect_address": addresses(public, public_port),
        "management_connect_address": manager(private.first()),
        "public_management_connect_address": manager(public.first()),
        "port_protocols": port_protocols(private, public, on),
        "kafka_security_protocol": security_protocol(on),
    });
    v.as_object().cloned().unwrap_or_default()
}
