//! Prints how long signing one request takes (canonical request, string to sign, HMAC).
//! Run with `cargo bench --bench signer`.

use std::hint::black_box;
use std::time::Instant;

use hwapi::client::signer::{authorization, Signable};

fn main() {
    let query = vec![("engine".to_string(), "kafka".to_string()), ("name".to_string(), "my kafka/é".to_string())];
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("Host".to_string(), "dms.cn-north-4.myhuaweicloud.com".to_string()),
        ("X-Project-Id".to_string(), "0123456789abcdef0123456789abcdef".to_string()),
        ("X-Sdk-Date".to_string(), "20250102T030405Z".to_string()),
    ];
    let body = br#"{"instance_type":"standard","flavor":{"type":"iotda.standard.s1","size":1},"name":"tf-iotda","charge_info":{"charge_mode":"postPaid"}}"#;
    let s = Signable {
        method: "POST",
        path: "/v5/iot/0123456789abcdef0123456789abcdef/iotda-instances",
        query: &query,
        headers: &headers,
        body,
    };
    let rounds = 200_000u32;
    let start = Instant::now();
    for _ in 0..rounds {
        black_box(authorization(
            "HPUAEXAMPLEAK0000001",
            "exampleSecretKey0123456789abcdefghijklmnopqrstu",
            black_box(&s),
            "20250102T030405Z",
        ));
    }
    let per = start.elapsed() / rounds;
    println!("signer: {:.2} us per signed request ({rounds} rounds)", per.as_nanos() as f64 / 1000.0);
}
