//! Dynamic values: what Terraform sends and expects as msgpack or JSON, decoded against their type.
