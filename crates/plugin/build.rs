//! Generates the protocol's messages and services from proto/ (needs protoc on the PATH, or PROTOC set).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    let protos = ["proto/tfplugin6.proto", "proto/plugin.proto", "proto/health.proto"];
    for proto in protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    tonic_build::configure()
        .build_server(true)
        // Clients only let the tests call a served provider the way Terraform does.
        .build_client(true)
        // Older protoc releases need this for `optional` in proto3; newer ones ignore it.
        .protoc_arg("--experimental_allow_proto3_optional")
        .file_descriptor_set_path(out.join("tfplugin_descriptor.bin"))
        .compile_protos(&protos, &["proto"])?;
    Ok(())
}
