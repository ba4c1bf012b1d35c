//! Faults in depth (chance, reshaped, generated and dripped answers, skips, gathering), latency, the
//! bounded request log, redaction and the documented example requests.

use super::*;

/// A fault with a `percent` fires on that share of the matching requests; one that does not fire lets
/// the next matching fault try, so "30% answer 429, then 10% of the rest answer 503" takes two faults.
#[tokio::test]
async fn faults_fire_by_chance_in_order() {
    let api = start().await;
    let echo =
        add_fault(&api, json!({"path_contains": "iotda-instances", "status": 429, "count": 1_000_000, "percent": 30}))
            .await;
    assert_eq!((echo["percent"].as_u64(), echo["status"].as_u64()), (Some(30), Some(429)));
    add_fault(&api, json!({"path_contains": "iotda-instances", "status": 503, "count": 1_000_000, "percent": 10}))
        .await;
    let mut seen = std::collections::HashMap::new();
    for _ in 0..300 {
        *seen.entry(api.call("GET", BASE, None).await.status).or_insert(0u32) += 1;
    }
    let (throttled, failed, ok) = (seen[&429], seen.get(&503).copied().unwrap_or(0), seen[&200]);
    // Expected 90, 21 (10% of the remaining 70%) and 189 of 300; the bounds are some six deviations wide.
    assert!((45..=135).contains(&throttled), "{seen:?}");
    assert!((3..=45).contains(&failed), "{seen:?}");
    assert_eq!(throttled + failed + ok, 300, "{seen:?}");
    let faults = api.admin("GET", "faults", None).await.body;
    assert_eq!(faults[0]["count"], 1_000_000 - u64::from(throttled));
    assert_eq!(faults[1]["count"], 1_000_000 - u64::from(failed));
    for bad in [json!({"status": 500, "count": 1, "percent": 0}), json!({"status": 500, "count": 1, "percent": 101})] {
        let a = api.admin("POST", "faults", Some(bad.clone())).await;
        assert!(a.status == 400 && a.msg().contains("percent"), "{bad}: {}", a.body);
    }
}

/// A fault status under 400 without after_processing still answers the fault's error body (with the
/// request id), and the service does not act.
#[tokio::test]
async fn a_fault_with_status_200_answers_its_error_body_without_acting() {
    let api = start().await;
    add_fault(&api, json!({"status": 200, "path_contains": "iotda-instances", "method": "GET", "count": 1})).await;
    let a = api.call("GET", BASE, None).await;
    assert_eq!(a.status, 200);
    let id = a.headers["x-request-id"].to_str().unwrap();
    assert_eq!(a.body, json!({"error_code": "SIM.FAULT", "error_msg": "Injected fault", "request_id": id}));
    add_fault(&api, json!({"status": 200, "path_contains": "iotda-instances", "method": "POST", "count": 1})).await;
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!((a.status, a.code()), (200, "SIM.FAULT"));
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"], json!([]), "nothing was created");
}

/// answer_set and answer_remove edit the processed answer (the service acted); the stored object is
/// untouched, and `status`, when given, replaces the answer's.
#[tokio::test]
async fn faults_edit_the_processed_answer() {
    let api = start().await;
    add_fault(
        &api,
        json!({"method": "POST", "path_contains": "iotda-instances", "count": 1, "answer_remove": ["/instance_id"]}),
    )
    .await;
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.get("instance_id").is_none() && a.body["name"] == "tf-iotda", "{}", a.body);
    let state = api.admin("GET", "state", None).await.body;
    let id = state["iotda"][0]["instance_id"].as_str().expect("the instance was created").to_string();

    let edits = json!({
        "/status": "FROZEN", "/operate_window": null, "/new/deep": [1], "/access_infos/0/port": 1,
        "/tags/-": {"key": "added", "value": ""},
    });
    let echo = add_fault(
        &api,
        json!({"method": "GET", "path_contains": &id, "count": 1, "answer_set": edits,
               "answer_remove": ["/access_infos/1", "/description"]}),
    )
    .await;
    assert_eq!((&echo["answer_set"]["/status"], &echo["after_processing"]), (&json!("FROZEN"), &json!(true)));
    assert!(echo["status"].is_null(), "{echo}");
    let v = api.show(&id).await;
    assert_eq!(v.status, 200);
    assert_eq!((&v.body["status"], &v.body["operate_window"]), (&json!("FROZEN"), &Value::Null));
    assert!(v.body.as_object().unwrap().contains_key("operate_window"), "an explicit null stays");
    assert_eq!((&v.body["new"], &v.body["access_infos"][0]["port"]), (&json!({"deep": [1]}), &json!(1)));
    assert_eq!(v.body["tags"], json!([{"key": "added", "value": ""}]));
    assert_eq!(v.body["access_infos"][1]["type"], "DEVICE_MQTT", "APP_AMQP was removed");
    assert!(v.body.get("description").is_none());
    let plain = api.show(&id).await.body;
    assert_eq!((&plain["operate_window"]["start_time"], &plain["description"]), (&json!("02:00"), &json!("")));
    assert_ne!(plain["status"], "FROZEN", "the stored object is as before");

    add_fault(&api, json!({"path_contains": &id, "count": 1, "status": 503, "answer_set": {"/name": "x"}})).await;
    let a = api.show(&id).await;
    assert_eq!((a.status, &a.body["name"], &a.body["instance_id"]), (503, &json!("x"), &json!(id)));

    for (bad, part) in [
        (
            json!({"count": 1}),
            "status: is mandatory unless answer_set, answer_remove, answer_bytes, drip_ms, delay_ms or gather",
        ),
        (json!({"count": 1, "answer_set": [1]}), "answer_set: expected an Object"),
        (json!({"count": 1, "answer_set": {}}), "answer_set: must have 1 to 100 elements"),
        (json!({"count": 1, "answer_set": {"status": 1}}), "answer_set.status: must be a JSON pointer"),
        (json!({"count": 1, "answer_remove": ["/a~2"]}), "answer_remove[0]: must be a JSON pointer"),
        (json!({"count": 1, "answer_bytes": 4_294_967_297u64}), "answer_bytes: must be between 0 and 4294967296"),
        (
            json!({"count": 1, "answer_bytes": 1, "answer_set": {"/a": 1}}),
            "answer_set: must not be given with answer_bytes",
        ),
        (json!({"count": 1, "status": 200, "answer_length_header": true}), "answer_length_header: must not be given"),
        (json!({"count": 1, "drip_ms": 0}), "drip_ms: must be between 1 and 60000"),
        (json!({"count": 1, "answer_bytes": 1, "colour": 1}), "colour: unknown field"),
    ] {
        let a = api.admin("POST", "faults", Some(bad.clone())).await;
        assert!(a.status == 400 && a.msg().contains(part), "{bad}: {}", a.body);
    }
}

/// answer_bytes: a generated 200 answer, chunked without Content-Length (or with it, when asked), of
/// any size, without the simulator holding it.
#[tokio::test]
async fn faults_answer_generated_bytes() {
    let api = start().await;
    add_fault(&api, json!({"method": "POST", "path_contains": "iotda-instances", "count": 1, "answer_bytes": 100_000}))
        .await;
    let r = api.request("POST", BASE, &[], Some(&standard()), &api.sk, SystemTime::now()).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("content-length").is_none(), "{:?}", r.headers());
    assert_eq!(r.headers()["transfer-encoding"], "chunked");
    let body = r.bytes().await.unwrap();
    assert_eq!((body.len(), &body[..9]), (100_000, &b"{\"pad\":\"x"[..]));
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"].as_array().map(Vec::len), Some(1), "it acted");
    let logged = api.admin("GET", "requests", None).await.body;
    assert_eq!(logged[0]["status"], 200);

    add_fault(
        &api,
        json!({"method": "GET", "count": 1, "status": 202, "answer_bytes": 7, "answer_length_header": true}),
    )
    .await;
    let r = api.raw("GET", BASE).await;
    assert_eq!((r.status().as_u16(), r.headers()["content-length"].to_str().unwrap()), (202, "7"));
    assert_eq!(r.bytes().await.unwrap(), &b"{\"pad\":"[..]);

    // A 1 GiB answer streams through without the simulator (this process) growing by it.
    add_fault(&api, json!({"method": "GET", "count": 1, "answer_bytes": 1u64 << 30})).await;
    let before = resident();
    let mut r = api.raw("GET", BASE).await;
    let (mut total, mut peak) = (0u64, 0u64);
    while let Some(chunk) = r.chunk().await.unwrap() {
        total += chunk.len() as u64;
        if total % (64 << 20) < chunk.len() as u64 {
            peak = peak.max(resident().unwrap_or(0));
        }
    }
    assert_eq!(total, 1 << 30);
    if let Some(before) = before {
        let grown = peak.max(resident().unwrap_or(0)).saturating_sub(before);
        assert!(grown < 256 << 20, "the process grew by {} MiB", grown >> 20);
    }
}

/// drip_ms: the head goes out at once, then the body one byte every drip_ms.
#[tokio::test]
async fn faults_drip_the_body() {
    let api = start().await;
    add_fault(&api, json!({"method": "GET", "count": 1, "drip_ms": 600, "answer_set": {"": [1]}})).await;
    let started = std::time::Instant::now();
    let r = api.raw("GET", BASE).await;
    let head = started.elapsed();
    assert_eq!((r.status().as_u16(), r.headers()["content-length"].to_str().unwrap()), (200, "3"));
    assert_eq!(r.bytes().await.unwrap(), &b"[1]"[..]);
    let whole = started.elapsed();
    // The head comes before the first byte is due; the body takes at least three drips.
    assert!(head < Duration::from_millis(600), "the head took {head:?}");
    assert!(whole >= Duration::from_millis(1800), "the body took {whole:?}");
}

/// Latency: an API request waits before it is processed and again before its answer; other requests
/// are not held up, and admin calls answer at once.
#[tokio::test]
async fn latency_each_way() {
    let api = start().await;
    let c = api.admin("POST", "config", Some(json!({"latency_ms": 1000}))).await;
    assert_eq!((c.status, &c.body["latency_ms"]), (200, &json!(1000)), "{}", c.body);
    assert_eq!(api.admin("GET", "config", None).await.body["latency_ms"], 1000);
    let body = standard();
    let started = std::time::Instant::now();
    // Margins of half a second or more on every side: a loaded machine does not move a probe across.
    let (create, list, probes) =
        tokio::join!(api.call("POST", BASE, Some(&body)), api.call("GET", BASE, None), async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let early = api.admin("GET", "state", None).await.body["iotda"].clone();
            let early_at = started.elapsed();
            tokio::time::sleep(Duration::from_millis(1400)).await;
            let late = api.admin("GET", "state", None).await.body["iotda"].clone();
            (early, early_at, late)
        });
    let elapsed = started.elapsed();
    assert_eq!((create.status, list.status), (200, 200));
    let (early, early_at, late) = probes;
    assert_eq!(early, json!([]), "not processed yet");
    assert!(early_at < Duration::from_millis(900), "an admin call waited: {early_at:?}");
    assert_eq!(late.as_array().map(Vec::len), Some(1), "processed, the answer still on its way");
    assert!(elapsed >= Duration::from_millis(2000), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(3500), "the two requests waited in turn: {elapsed:?}");
    api.admin("POST", "config", Some(json!({"latency_ms": 0}))).await;
    assert!(api.admin("POST", "config", Some(json!({"latency_ms": -1}))).await.status == 400);
}

/// The request log keeps the newest entries, and a large body only by its size: fifty unsigned 4 MB
/// posts (refused, but logged) do not grow the simulator by their size.
#[tokio::test]
async fn the_request_log_is_bounded() {
    let api = start().await;
    assert_eq!(api.admin("GET", "config", None).await.body["request_log_limit"], 10_000);
    let big = vec![b'a'; 4_000_000];
    let before = resident();
    for _ in 0..50 {
        let r = api.http.post(format!("{}{BASE}", api.sim.url())).body(big.clone()).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }
    let log = api.admin("GET", "requests", None).await.body;
    assert_eq!(log.as_array().map(Vec::len), Some(50));
    assert_eq!(log[49]["body"], json!({"_sim_truncated_bytes": 4_000_000}));
    if let (Some(before), Some(after)) = (before, resident()) {
        let grown = after.saturating_sub(before);
        assert!(grown < 100 << 20, "the process grew by {} MiB", grown >> 20);
    }
    let just = json!({"pad": "x".repeat(64 * 1024 - 10)});
    assert_eq!(just.to_string().len(), 64 * 1024);
    let over = json!({"pad": "x".repeat(64 * 1024 - 9)});
    for body in [&just, &over] {
        api.http.post(format!("{}{BASE}", api.sim.url())).body(body.to_string()).send().await.unwrap();
    }
    let log = api.admin("GET", "requests", None).await.body;
    assert_eq!(log[50]["body"], just);
    assert_eq!(log[51]["body"], json!({"_sim_truncated_bytes": 64 * 1024 + 1}));

    let c = api.admin("POST", "config", Some(json!({"request_log_limit": 3}))).await;
    assert_eq!(c.body["request_log_limit"], 3);
    assert_eq!(api.admin("GET", "requests", None).await.body.as_array().map(Vec::len), Some(3), "trimmed at once");
    for n in 0..5 {
        api.signed("GET", BASE, &[("name", &format!("n{n}"))], None, &api.sk, SystemTime::now()).await;
    }
    let log = api.admin("GET", "requests", None).await.body;
    let names: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["query"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["n2", "n3", "n4"]);
}

/// No admin answer shows a password in clear: not the state (the services' bookkeeping included), not
/// the request log, not a patch's answer; each shows the redacted form, which still tells which one.
#[tokio::test]
async fn admin_answers_never_show_a_password() {
    let api = start().await;
    let secrets = [
        "Kafka@Pass-01",
        "Manager@Pass-02",
        "Manager@Pass-03",
        "Kafka@Pass-04",
        "Secret-123",
        "Other-4567",
        "Again-8901",
    ];
    let kafka = json!({
        "name": "kafka-secret", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
        "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "root",
        "kafka_manager_password": secrets[1], "storage_spec_code": "dms.physical.storage.ultra",
        "ssl_enable": true, "access_user": "user", "password": secrets[0],
    });
    let a = api.call("POST", KAFKA, Some(&kafka)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let kafka_id = a.body["instance_id"].as_str().unwrap().to_string();
    let bm = json!({"name": "bm-secret", "image_id": "img-1", "vpc_id": "vpc-1", "password": secrets[4],
                    "network_interfaces": [{"subnet_id": "sub-1"}]});
    let a = api.call("POST", CLOUDDC, Some(&bm)).await;
    assert_eq!(a.status, 202, "{}", a.body);
    let bm_id = a.body["instance_id"].as_str().unwrap().to_string();
    api.create(&standard()).await;
    api.advance(TICK * 2).await;

    let changes = [
        ("PUT", format!("{KAFKA}/{kafka_id}/kafka-manager-password"), json!({"new_password": secrets[2]}), 204),
        ("POST", format!("{KAFKA}/{kafka_id}/password"), json!({"new_password": secrets[3]}), 204),
        ("PUT", format!("{CLOUDDC}/password"), json!({"new_password": secrets[5], "instance_id_set": [bm_id]}), 200),
        ("PUT", format!("{CLOUDDC}/reinstall"), json!({"password": secrets[6], "instance_id_set": [bm_id]}), 200),
    ];
    for (method, path, body, status) in changes {
        let a = api.call(method, &path, Some(&body)).await;
        assert_eq!(a.status, status, "{path}: {}", a.body);
    }
    api.advance(TICK * 2).await;

    let state = api.admin("GET", "state", None).await.body;
    let log = api.admin("GET", "requests", None).await.body;
    let patched = api.admin("PATCH", &format!("clouddc/{bm_id}"), Some(json!({"name": "bm-renamed"}))).await.body;
    let faults = add_fault(&api, json!({"count": 1, "answer_set": {"/password": secrets[0]}})).await;
    for (what, answer) in [("state", &state), ("requests", &log), ("patch", &patched), ("faults", &faults)] {
        let text = answer.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{what} shows {secret}: {text}");
        }
    }
    let sim_password = |v: &Value| v["_sim"]["password"].clone();
    assert_eq!(sim_password(&state["clouddc"][0]), sim::redacted(secrets[6]));
    assert_eq!(sim_password(&patched), sim::redacted(secrets[6]));
    assert_eq!(state["kafka"][0]["_sim"]["passwords_changed"], json!(["manager", "sasl"]), "not a secret");
    let body_of = |fragment: &str| {
        log.as_array().unwrap().iter().find(|e| e["path"].as_str().unwrap().ends_with(fragment)).unwrap()["body"]
            .clone()
    };
    let created = body_of("/instances");
    assert_eq!(
        (&created["password"], &created["kafka_manager_password"]),
        (&json!(sim::redacted(secrets[0])), &json!(sim::redacted(secrets[1])))
    );
    assert_eq!(body_of("/kafka-manager-password")["new_password"], sim::redacted(secrets[2]));
    assert_eq!(body_of("/reinstall"), json!({"password": sim::redacted(secrets[6]), "instance_id_set": [bm_id]}));
    assert_eq!(faults["answer_set"]["/password"], sim::redacted(secrets[0]));
    assert_eq!(sim::redacted("abc"), "<redacted sha256:ba7816bf>");
}

/// skip, path_equals and delay_ms: the second list call fails, not the first; a fault on a list's exact
/// path leaves the objects under it alone; a delayed answer comes after the service acted.
#[tokio::test]
async fn faults_skip_match_exact_paths_and_hold_answers() {
    let api = start().await;
    add_fault(&api, json!({"method": "GET", "path_equals": BASE, "skip": 1, "count": 1, "status": 503})).await;
    assert_eq!(api.call("GET", BASE, None).await.status, 200);
    assert_eq!(api.call("GET", BASE, None).await.status, 503);
    assert_eq!(api.call("GET", BASE, None).await.status, 200);

    let created = api.call("POST", BASE, Some(&standard())).await;
    let id = created.body["instance_id"].as_str().unwrap().to_string();
    add_fault(&api, json!({"method": "GET", "path_equals": BASE, "count": 5, "status": 500})).await;
    assert_eq!(api.call("GET", &format!("{BASE}/{id}"), None).await.status, 200, "an object under the list");
    api.admin("DELETE", "faults", None).await;

    add_fault(&api, json!({"method": "POST", "path_equals": BASE, "count": 1, "delay_ms": 1500})).await;
    let body = json!({"name": "held"}).as_object().cloned().map(|mut b| {
        b.extend(standard().as_object().cloned().unwrap().into_iter().filter(|(k, _)| k != "name"));
        Value::Object(b)
    });
    let started = std::time::Instant::now();
    let (answer, seen) = tokio::join!(api.call("POST", BASE, body.as_ref()), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        api.admin("GET", "state", None).await.body["iotda"].as_array().map(Vec::len)
    });
    assert_eq!(answer.status, 200);
    assert_eq!(seen, Some(2), "the service acted before the held answer left");
    assert!(started.elapsed() >= Duration::from_millis(1500), "{:?}", started.elapsed());
}

/// The create documents' own example requests are accepted, with two repairs the documents force:
/// masked passwords (`**********`) get real ones, and the IoTDA examples' `"true"`/`"443"` (text where
/// their tables say Boolean and Integer) are sent as the tables type them. The Kafka example's
/// `public_boundwidth`, an older spelling the SDK still shows, is accepted.
#[tokio::test]
async fn the_documented_example_requests_are_accepted() {
    let api = start().await;
    let iotda_examples = [
        json!({"instance_type": "standard", "flavor": {"type": "iotda.standard.s1", "size": 2}, "name": "iotda_instance",
               "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
               "description": "IoTDA instance for production.", "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
               "tags": [{"key": "testTagName", "value": "testTagValue"}]}),
        json!({"instance_type": "standard", "flavor": {"type": "iotda.standard.s2", "size": 2}, "name": "iotda_instance_2",
               "charge_info": {"charge_mode": "postPaid"}, "description": "IoTDA instance for production.",
               "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d"}),
        json!({"instance_type": "enterprise", "flavor": {"type": "iotda.enterprise.1000tps.10wonlinedevice"},
               "name": "iotda_enterprise_instance",
               "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
               "description": "IoTDA instance for production.", "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
               "additional_params": {"vpc_id": "40926909-d411-45dd-a8b4-1ebc36512345", "subnet_id": "088c7d8a-f49e-4f5f-bd33-ce9b6b712345",
                   "security_group_id": "55980b43-f006-4dbf-ab58-9b0d9e712345",
                   "smn_topic_urn": "urn:smn:cn-north-7:08aaee8ae000d5182f26c00199812345:iotda_instance_create",
                   "ciphering_algorithm": "COMMON_ALGORITHM",
                   "port_info": {"app_https_port": 443, "app_amqps_port": 5671, "device_coap_port": 5683, "device_coaps_port": 5684,
                                 "device_mqtt_port": 1883, "device_mqtts_port": 8883, "device_https_port": 443}}}),
    ];
    for example in iotda_examples {
        let a = api.call("POST", BASE, Some(&example)).await;
        assert_eq!(a.status, 200, "{example}: {}", a.body);
    }
    let kafka = json!({
        "name": "kafka-test", "description": "", "engine": "kafka", "engine_version": "1.1.0", "storage_space": 300,
        "kafka_manager_user": "root", "kafka_manager_password": "Manager@Pass-02",
        "vpc_id": "23921d2a-****-****-****-5f2fa5327a48", "security_group_id": "2e888928-****-****-****-e36c6520d473",
        "subnet_id": "37bb12c9-****-****-****-ae8f7d336ab6", "available_zones": ["a0865121f83b41cbafce65930a22a6e8"],
        "product_id": "00300-30310-0--0", "maintain_begin": "22:00", "maintain_end": "02:00", "ssl_enable": true,
        "enable_publicip": true,
        "publicip_id": "6db1129f-16af-455d-8d54-d7ab9f277393,bb200202-423f-49e4-bae7-8ab3c36cdc3e,ca8801e8-6620-42af-b506-a5c9ee395466",
        "access_user": "root", "password": "Kafka@Pass-01", "enterprise_project_id": "0", "specification": "300MB",
        "partition_num": 900, "retention_policy": "time_base", "public_boundwidth": 3, "connector_enable": false,
        "enable_auto_topic": true, "storage_spec_code": "dms.physical.storage.ultra",
        "tags": [{"key": "key1", "value": "value1"}, {"key": "key2", "value": "value2"}]
    });
    let a = api.call("POST", KAFKA, Some(&kafka)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let id = a.body["instance_id"].as_str().unwrap();
    let shown = api.call("GET", &format!("{KAFKA}/{id}"), None).await.body;
    assert_eq!((&shown["public_bandwidth"], &shown["public_boundwidth"]), (&json!(3), &json!(3)));
}

/// gather: each matching request is processed when it arrives, and its answer waits until the wanted
/// number have arrived: the first of two lookups answers only with the second, and shows what was there
/// when it arrived.
#[tokio::test]
async fn faults_gather_answers_until_all_arrived() {
    let api = start().await;
    add_fault(&api, json!({"method": "GET", "path_equals": BASE, "count": 2, "gather": 2})).await;
    let first = api.call("GET", BASE, None);
    tokio::pin!(first);
    let early = tokio::time::timeout(Duration::from_millis(300), &mut first).await;
    assert!(early.is_err(), "answered before the second arrived");
    assert_eq!(api.call("POST", BASE, Some(&standard())).await.status, 200);
    let (first, second) = tokio::join!(first, api.call("GET", BASE, None));
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(first.body["instances"].as_array().map(Vec::len), Some(0), "processed when it arrived");
    assert_eq!(second.body["instances"].as_array().map(Vec::len), Some(1));
}
