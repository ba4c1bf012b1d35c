//! IoTDA through the server: signatures, the project lookup, the instance lifecycle and validation.

use super::*;

#[tokio::test]
async fn signature_problems_are_401() {
    let api = start().await;
    let path = format!("{BASE}/nothing");
    let a = api.signed("GET", &path, &[], None, "wrong-secret", SystemTime::now()).await;
    assert_eq!((a.status, a.code()), (401, "APIGW.0301"));
    assert!(
        a.msg().starts_with("Incorrect IAM authentication information: the signature does not match"),
        "{}",
        a.msg()
    );
    assert_eq!(a.body["request_id"], a.headers["x-request-id"].to_str().unwrap());

    let old = SystemTime::now() - Duration::from_secs(20 * 60);
    let a = api.signed("GET", &path, &[], None, &api.sk, old).await;
    assert_eq!(a.status, 401);
    assert!(a.msg().contains("X-Sdk-Date"), "{}", a.msg());

    let r = api.http.get(format!("{}{path}", api.sim.url())).send().await.unwrap();
    let a = answer(r).await;
    assert_eq!(a.status, 401);
    assert!(a.msg().contains("Authorization header is missing"));

    // Signed headers without x-sdk-date are refused.
    let auth = format!("SDK-HMAC-SHA256 Access={}, SignedHeaders=host, Signature=00", api.ak);
    let r = api.http.get(format!("{}{path}", api.sim.url())).header("authorization", auth).send().await.unwrap();
    assert!(answer(r).await.msg().contains("must include x-sdk-date"));

    // Every logged request records the status it got.
    let log = api.admin("GET", "requests", None).await.body;
    assert_eq!(log.as_array().unwrap().len(), 4);
    assert!(log.as_array().unwrap().iter().all(|e| e["status"] == 401));
}

#[tokio::test]
async fn iam_project_lookup() {
    let api = start().await;
    let a = api.signed("GET", "/v3/projects", &[("name", "cn-north-4")], None, &api.sk, SystemTime::now()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["projects"][0]["id"], api.project);
    assert_eq!(a.body["projects"][0]["name"], "cn-north-4");
    let a = api.signed("GET", "/v3/projects", &[("name", "ap-southeast-1")], None, &api.sk, SystemTime::now()).await;
    assert_eq!(a.body["projects"], json!([]));
}

#[tokio::test]
async fn create_goes_from_creating_to_active() {
    let api = start().await;
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["status"], "CREATING");
    assert!(a.body.get("order_id").is_none());
    assert!(!a.headers["x-request-id"].is_empty());
    let id = a.body["instance_id"].as_str().unwrap();
    assert_eq!(api.show(id).await.body["status"], "CREATING");

    let v = wait_status(&api, id, "ACTIVE").await;
    assert_eq!(v["region_id"], "cn-north-4");
    assert_eq!(v["charge_mode"], "postPaid");
    assert_eq!(v["enterprise_project_id"], "0");
    assert_eq!(v["description"], "");
    assert_eq!(v["tags"], json!([]));
    assert!(v["additional_params"].is_null());
    let created = v["create_time"].as_str().unwrap();
    assert_eq!((created.len(), &created[10..11], &created[19..]), (20, "T", "Z"));
    let types: Vec<&str> = v["access_infos"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["APP_HTTPS", "APP_AMQP", "DEVICE_MQTT", "DEVICE_COAP", "DEVICE_HTTPS", "APP_MQTT"]);
    assert_eq!(v["access_infos"][2]["port"], 8883);
    assert_eq!(v["access_infos"][2]["non_tls_port"], 1883);
    assert!(v["access_infos"][0]["domain_name"].as_str().unwrap().ends_with(".cn-north-4.myhuaweicloud.com"));
}

#[tokio::test]
async fn enterprise_prepaid_instance() {
    let api = start().await;
    let a = api.call("POST", BASE, Some(&enterprise_prepaid())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body["order_id"].as_str().unwrap().starts_with("CS"));
    let id = a.body["instance_id"].as_str().unwrap();
    // Without is_auto_pay the order awaits payment: TRADING until it is paid, then CREATING -> ACTIVE.
    assert_eq!(a.body["status"], "TRADING");
    api.advance(Duration::from_millis(100)).await;
    assert_eq!(api.show(id).await.body["status"], "TRADING");
    let paid = api.admin("POST", &format!("iotda/{id}/pay"), None).await;
    assert_eq!((paid.status, &paid.body["status"]), (200, &json!("CREATING")), "{}", paid.body);
    let again = api.admin("POST", &format!("iotda/{id}/pay"), None).await;
    assert_eq!(again.status, 400, "{}", again.body);
    let v = wait_status(&api, id, "ACTIVE").await;
    assert_eq!(v["order_id"], a.body["order_id"]);
    assert_eq!(v["access_infos"][0]["port"], 8443);
    assert_eq!(v["access_infos"][2]["non_tls_port"], 11883);
    assert_eq!(v["access_infos"][1]["port"], 5671);
    assert_eq!(v["additional_params"]["ciphering_algorithm"], "COMMON_ALGORITHM");
    assert_eq!(v["tags"], json!([{"key": "env", "value": "prod"}, {"key": "team", "value": ""}]));

    let d = api.call("DELETE", &format!("{BASE}/{id}"), None).await;
    assert_eq!((d.status, d.code()), (400, "IOTDA.000011"));
    assert!(d.msg().contains("unsubscribed"));
}

/// Fields the official SDK's models carry beyond the create tables are accepted and used.
#[tokio::test]
async fn sdk_fields_beyond_the_tables_are_accepted() {
    let api = start().await;
    let mut body = enterprise_prepaid();
    body["name"] = json!("tf-sdk");
    body["charge_info"]["is_auto_pay"] = json!(true);
    body["charge_info"]["promotion_infos"] = json!("");
    body["additional_params"]["port_info"]["app_mqtts_port"] = json!(18883);
    let a = api.call("POST", BASE, Some(&body)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let v = wait_status(&api, a.body["instance_id"].as_str().unwrap(), "ACTIVE").await;
    let mqtt = v["access_infos"].as_array().unwrap().iter().find(|a| a["type"] == "APP_MQTT").cloned();
    assert_eq!(mqtt.map(|m| m["port"].clone()), Some(json!(18883)));
}

#[tokio::test]
async fn create_validation_names_the_field() {
    let api = start().await;
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str)> = vec![
        (|b| b["colour"] = json!("red"), "colour: unknown field"),
        (|b| b["flavor"]["speed"] = json!(1), "flavor.speed: unknown field"),
        (|b| b["description"] = Value::Null, "description: must not be null"),
        (|b| b["charge_info"]["is_auto_renew"] = json!("true"), "charge_info.is_auto_renew: expected a Boolean"),
        (|b| b["flavor"]["size"] = json!("1"), "flavor.size: expected an Integer"),
        (|b| b["flavor"]["size"] = json!(1.5), "flavor.size: expected an Integer"),
        (
            |b| {
                b.as_object_mut().unwrap().remove("name");
            },
            "name: is mandatory",
        ),
        (
            |b| {
                b["flavor"].as_object_mut().unwrap().remove("size");
            },
            "flavor.size: is required when instance_type is \"standard\"",
        ),
        (
            |b| b["charge_info"]["period_type"] = json!("month"),
            "charge_info.period_type: may only be set when charge_info.charge_mode is \"prePaid\"",
        ),
        (|b| b["charge_info"]["period_num"] = json!(1), "charge_info.period_num: may only be set when"),
        (
            |b| b["charge_info"] = json!({"charge_mode": "prePaid", "period_type": "month"}),
            "charge_info.period_num: is required when charge_info.charge_mode is \"prePaid\"",
        ),
        (
            |b| b["charge_info"] = json!({"charge_mode": "prePaid", "period_type": "year", "period_num": 4}),
            "charge_info.period_num: must be at most 3 when charge_info.period_type is \"year\", got 4",
        ),
        (
            |b| b["charge_info"] = json!({"charge_mode": "prePaid", "period_type": "month", "period_num": 10}),
            "charge_info.period_num: must be between 1 and 9, got 10",
        ),
        (|b| b["charge_info"]["charge_mode"] = json!("onDemand"), "charge_info.charge_mode: must be one of"),
        (|b| b["instance_type"] = json!("basic"), "instance_type: must be one of"),
        (
            |b| b["name"] = json!("my instance"),
            "name: may only contain letters, digits, underscores (_) and hyphens (-); ' ' is not allowed",
        ),
        (|b| b["name"] = json!("x".repeat(65)), "name: must be 1 to 64 characters long, got 65"),
        (|b| b["name"] = json!(""), "name: must be 1 to 64 characters long, got 0"),
        (|b| b["description"] = json!("d".repeat(257)), "description: must be 0 to 256 characters long, got 257"),
        (
            |b| b["enterprise_project_id"] = json!("ABC"),
            "enterprise_project_id: may only contain lowercase letters a-f, digits and hyphens; 'A'",
        ),
        (
            |b| b["enterprise_project_id"] = json!("0".repeat(37)),
            "enterprise_project_id: must be 1 to 36 characters long, got 37",
        ),
        (
            |b| b["tags"] = json!([{"key": " lead"}]),
            "tags[0].key: must be a key that does not start or end with a space",
        ),
        (
            |b| b["tags"] = json!([{"key": "a#b"}]),
            "tags[0].key: may only contain letters, digits, spaces and _.:=+-@; '#'",
        ),
        (
            |b| b["tags"] = json!([{"key": "k", "value": "v".repeat(256)}]),
            "tags[0].value: must be 0 to 255 characters long, got 256",
        ),
        (|b| b["tags"] = json!([{"key": "k"}, {"key": "k"}]), "tags[1].key: duplicate tag key"),
        (|b| b["tags"] = json!({"key": "k"}), "tags: expected an Array"),
        (|b| b["additional_params"] = json!({}), "additional_params.vpc_id: is mandatory"),
    ];
    for (edit, expected) in cases {
        let mut body = standard();
        edit(&mut body);
        let a = api.call("POST", BASE, Some(&body)).await;
        assert_eq!((a.status, a.code()), (400, "IOTDA.000006"), "{expected}: {}", a.body);
        assert_eq!(
            a.msg().strip_prefix("Invalid input data: ").map(|m| m.starts_with(expected)),
            Some(true),
            "want {expected:?}, got {:?}",
            a.msg()
        );
    }
    let mut e = enterprise_prepaid();
    e["additional_params"]["port_info"]["app_https_port"] = json!("443");
    let a = api.call("POST", BASE, Some(&e)).await;
    assert!(a.msg().contains("additional_params.port_info.app_https_port: expected an Integer"), "{}", a.msg());
    e["additional_params"]["port_info"]["app_https_port"] = json!(70000);
    assert!(api
        .call("POST", BASE, Some(&e))
        .await
        .msg()
        .contains("app_https_port: must be between 1 and 65535, got 70000"));
    e.as_object_mut().unwrap().remove("additional_params");
    assert!(api
        .call("POST", BASE, Some(&e))
        .await
        .msg()
        .contains("additional_params: is required when instance_type is \"enterprise\""));

    let r = api.http.post(format!("{}/_sim/state", api.sim.url())).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"], json!([]));
}

#[tokio::test]
async fn missing_instance_and_wrong_project() {
    let mut api = start().await;
    let id = "8561675c-d8a3-4956-9884-9cf9cbdd3134";
    let tags = json!({"tags": [{"key": "a", "value": "b"}]});
    for (m, p, b) in [
        ("GET", format!("{BASE}/{id}"), None),
        ("PUT", format!("{BASE}/{id}"), Some(json!({"name": "x"}))),
        ("DELETE", format!("{BASE}/{id}"), None),
        ("POST", format!("{BASE}/{id}/resize"), Some(json!({"flavor": {"type": "iotda.standard.s2", "size": 2}}))),
        ("POST", format!("{BASE}/{id}/bind-tags"), Some(tags.clone())),
        ("POST", format!("{BASE}/{id}/unbind-tags"), Some(tags)),
    ] {
        let a = api.call(m, &p, b.as_ref()).await;
        assert_eq!((a.status, a.code(), a.msg()), (403, "IOTDA.001000", "The resource is not found"), "{m} {p}");
    }
    let a = api.call("GET", "/v5/iot/ffffffffffffffffffffffffffffffff/iotda-instances", None).await;
    assert_eq!(a.status, 403);
    assert!(a.msg().contains("project"), "{}", a.msg());
    assert_eq!(api.call("GET", "/v5/iot/nope", None).await.status, 404);
    api.project = "ffffffffffffffffffffffffffffffff".into(); // sent as X-Project-Id
    let a = api.call("GET", BASE, None).await;
    assert_eq!((a.status, a.msg().contains("X-Project-Id")), (403, true), "{}", a.body);
}

#[tokio::test]
async fn update_resize_tags_and_list() {
    let api = start().await;
    let id = api.create(&standard()).await;
    let before = wait_status(&api, &id, "ACTIVE").await;
    api.advance(Duration::from_millis(1100)).await;
    let path = format!("{BASE}/{id}");
    let upd = json!({"name": "renamed", "description": "new one", "operate_window": {"start_time": "22:00", "end_time": "23:59"}});
    let a = api.call("PUT", &path, Some(&upd)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!((&a.body["name"], &a.body["operate_window"]["end_time"]), (&json!("renamed"), &json!("23:59")));
    assert_ne!(a.body["update_time"], before["update_time"]);
    let bad =
        api.call("PUT", &path, Some(&json!({"operate_window": {"start_time": "25:00", "end_time": "01:00"}}))).await;
    assert!(bad.msg().contains("operate_window.start_time"), "{}", bad.msg());

    let rs = format!("{path}/resize");
    let same = api.call("POST", &rs, Some(&json!({"flavor": {"type": "iotda.standard.s1", "size": 1}}))).await;
    assert_eq!(same.status, 400);
    let a = api
        .call("POST", &rs, Some(&json!({"flavor": {"type": "iotda.standard.s1", "size": 3}, "is_auto_pay": true})))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(api.show(&id).await.body["status"], "MODIFYING");
    let again = api.call("POST", &rs, Some(&json!({"flavor": {"type": "iotda.standard.s1", "size": 4}}))).await;
    assert_eq!((again.status, again.code()), (400, "IOTDA.000007"), "busy while MODIFYING");
    assert_eq!(wait_status(&api, &id, "ACTIVE").await["flavor"]["size"], 3);

    let bind = json!({"tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]});
    assert_eq!(api.call("POST", &format!("{path}/bind-tags"), Some(&bind)).await.status, 200);
    let unbind = json!({"tags": [{"key": "a"}]});
    assert_eq!(api.call("POST", &format!("{path}/unbind-tags"), Some(&unbind)).await.status, 200);
    assert_eq!(api.show(&id).await.body["tags"], json!([{"key": "b", "value": "2"}]));
    let a = api.call("POST", &format!("{path}/bind-tags"), Some(&json!({"tags": []}))).await;
    assert!(a.msg().contains("tags: must have 1 to 20 elements, got 0"), "{}", a.msg());

    let mut other = standard();
    other["name"] = json!("another");
    let id2 = api.create(&other).await;
    let list = |q: Vec<(&'static str, String)>| {
        let api = &api;
        async move {
            let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.signed("GET", BASE, &q, None, &api.sk, SystemTime::now()).await
        }
    };
    let a = list(vec![("name", "name".into())]).await;
    assert_eq!((a.body["count"].clone(), a.body["instances"][0]["instance_id"].clone()), (json!(1), json!(id)));
    let a = list(vec![("limit", "1".into())]).await;
    assert_eq!((a.body["count"].clone(), a.body["marker"].clone()), (json!(2), json!(id2)));
    let a = list(vec![("limit", "1".into()), ("marker", id2.clone())]).await;
    assert_eq!(a.body["instances"][0]["instance_id"], id);
    assert_eq!(a.body["instances"][0]["status"], "ACTIVE");
    assert!(list(vec![("limit", "0".into())]).await.msg().contains("limit: must be between 1 and 500, got 0"));
    assert!(list(vec![("sort", "x".into())]).await.msg().contains("sort: unknown query parameter"));
    // Query values that need percent-encoding are signed and decoded consistently.
    let a = list(vec![("name", "tf iotda/é*~".into())]).await;
    assert_eq!((a.status, &a.body["count"]), (200, &json!(0)), "{}", a.body);
}

#[tokio::test]
async fn delete_disappears_after_the_delay() {
    let api = start().await;
    let id = api.create(&standard()).await;
    wait_status(&api, &id, "ACTIVE").await;
    let path = format!("{BASE}/{id}");
    assert_eq!(api.call("DELETE", &path, None).await.status, 204);
    assert_eq!(api.show(&id).await.status, 200);
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"][0]["_sim"]["deleting"], true);
    api.advance(TICK * 2).await;
    assert_eq!(api.show(&id).await.code(), "IOTDA.001000");
}
