//! The generated protocol types and services: `tfplugin6` (Terraform's provider protocol 6.8), `plugin`
//! (go-plugin's controller, stdio and broker services) and `health` (gRPC's health check).

/// Terraform plugin protocol 6.8, as Terraform 1.11 speaks it.
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// The go-plugin services Terraform's plugin client calls: `GRPCController`, `GRPCStdio`, `GRPCBroker`.
pub mod plugin {
    tonic::include_proto!("plugin");
}

/// gRPC's health service (`grpc.health.v1.Health`), which go-plugin's ping calls for the service "plugin".
pub mod health {
    tonic::include_proto!("grpc.health.v1");
}

/// The protocol minor version these definitions are, as Terraform names it.
pub const PROTOCOL_VERSION: (u32, u32) = (6, 8);

/// The encoded `FileDescriptorSet` of all three files, e.g. for checks or server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("tfplugin_descriptor");
