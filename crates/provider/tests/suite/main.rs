//! Every test of the provider crate that needs its binary, a scripted server or the simulator, in one
//! test binary (linked once): the generated docs, the API calls pinned with wiremock, and the end-to-end
//! behaviour through the real `terraform` binary.

mod common;
mod consistency;
mod contract;
mod contract_facts;
mod contract_facts_answers;
mod contract_facts_sim;
mod docs;
mod e2e_assume_role;
mod e2e_clouddc;
mod e2e_converge;
mod e2e_data_sources;
mod e2e_default_tags;
mod e2e_faults;
mod e2e_imports;
mod e2e_iotda;
mod e2e_kafka;
mod e2e_kafka_access;
mod e2e_kafka_catalogs;
mod e2e_kafka_current;
mod e2e_kafka_shapes;
mod e2e_kafka_topic;
mod e2e_migration;
mod e2e_module_test;
mod e2e_provider_settings;
mod e2e_release;
mod e2e_replace_provider;
mod e2e_safety;
mod e2e_state_upgrade;
mod e2e_throttling;
mod e2e_two_providers;
mod e2e_write_only;
mod layering;
mod validation;
mod wiremock_clouddc;
mod wiremock_iotda;
mod wiremock_kafka;
mod wiremock_kafka_access;
mod wiremock_kafka_catalogs;
mod wiremock_kafka_current;
mod wiremock_kafka_topic;
