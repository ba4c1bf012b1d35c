//! The services and HTTP methods of the API: a leaf the contract and the client both build on.

/// The Huawei Cloud services the provider talks to; each has its own endpoint (`endpoints` keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    Iam,
    Iotda,
    Clouddc,
    Dms,
}

impl Service {
    pub const ALL: [Service; 4] = [Service::Iam, Service::Iotda, Service::Clouddc, Service::Dms];

    /// The key of this service in the provider's `endpoints` map.
    pub fn key(self) -> &'static str {
        match self {
            Service::Iam => "iam",
            Service::Iotda => "iotda",
            Service::Clouddc => "clouddc",
            Service::Dms => "dms",
        }
    }

    /// The service's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Service::Iam => "IAM",
            Service::Iotda => "IoTDA",
            Service::Clouddc => "CloudDC",
            Service::Dms => "DMS",
        }
    }

    pub fn from_key(key: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Default base URL of this service in `region` (no trailing slash).
    pub fn default_endpoint(self, region: &str) -> String {
        let cloud = if region == "eu-west-101" { "myhuaweicloud.eu" } else { "myhuaweicloud.com" };
        let host = match self {
            Service::Iam => "iam",
            Service::Iotda => "iotda-mgmt",
            Service::Clouddc => "clouddc",
            Service::Dms => "dms",
        };
        format!("https://{host}.{region}.{cloud}")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}
