//! Log lines in the JSON form Terraform's plugin host reads from a plugin's stderr (go-hclog's:
//! `@level`, `@message`, `@module`, `@timestamp`, then the event's fields), so that Terraform shows
//! them at their level and filters them with `TF_LOG` / `TF_LOG_PROVIDER`. Written by hand: the
//! tracing ecosystem's JSON formatters use other key names, which Terraform would show as raw text.

use std::io::Write;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Writes every event it sees to stderr as one hclog JSON line.
pub struct HclogLayer;

struct Fields(Map<String, Value>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), Value::String(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), Value::String(value.to_string()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_string(), Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_string(), Value::from(value));
    }
}

fn level(l: &Level) -> &'static str {
    match *l {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// One event as an hclog JSON line (without the newline).
pub fn line(event_level: &Level, target: &str, fields: Map<String, Value>, now: time::OffsetDateTime) -> String {
    let mut fields = fields;
    let message = match fields.remove("message") {
        Some(Value::String(m)) => m,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    // hclog's own layout (microseconds, UTC): the plugin host parses exactly this.
    let layout =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    let timestamp = now.to_offset(time::UtcOffset::UTC).format(layout).unwrap_or_default();
    let mut out = Map::new();
    out.insert("@level".into(), Value::from(level(event_level)));
    out.insert("@message".into(), Value::from(message));
    out.insert("@module".into(), Value::from(format!("huaweicloud.{}", target.split("::").next().unwrap_or(target))));
    out.insert("@timestamp".into(), Value::from(timestamp));
    for (k, v) in fields {
        out.insert(k, v);
    }
    Value::Object(out).to_string()
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields(Map::new());
        event.record(&mut fields);
        let meta = event.metadata();
        let text = line(meta.level(), meta.target(), fields.0, time::OffsetDateTime::now_utc());
        // One write per line, so that lines of concurrent calls never interleave.
        let _ = std::io::stderr().lock().write_all(format!("{text}\n").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_becomes_one_hclog_json_line() {
        let mut fields = Map::new();
        fields.insert("message".into(), Value::from("Huawei Cloud API call"));
        fields.insert("method".into(), Value::from("GET"));
        fields.insert("status".into(), Value::from(200u64));
        let now = time::macros::datetime!(2026-11-29 10:00:00 UTC);
        let text = line(&Level::DEBUG, "hwapi::client", fields, now);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["@level"], "debug");
        assert_eq!(v["@message"], "Huawei Cloud API call");
        assert_eq!(v["@module"], "huaweicloud.hwapi");
        assert_eq!(v["@timestamp"], "2026-11-29T10:00:00.000000Z");
        assert_eq!((v["method"].as_str(), v["status"].as_u64()), (Some("GET"), Some(200)));
        assert!(!text.contains('\n'));
    }
}
