//! ECDSA P-521 with SHA-512 for the TLS handshake: Terraform's client key (go-plugin AutoMTLS) is a
//! P-521 key, which ring, the crypto rustls runs on here, cannot verify.

use std::sync::OnceLock;

use p521::ecdsa::signature::Verifier;
use p521::ecdsa::{DerSignature, VerifyingKey};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use rustls::SignatureScheme;

/// `ecdsa_secp521r1_sha512`, the signature Go's TLS 1.3 client makes with a P-521 key.
#[derive(Debug)]
struct EcdsaP521Sha512;

impl SignatureVerificationAlgorithm for EcdsaP521Sha512 {
    fn verify_signature(&self, public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), InvalidSignature> {
        let key = VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature = DerSignature::try_from(signature).map_err(|_| InvalidSignature)?;
        let signature = p521::ecdsa::Signature::try_from(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }
}

static ECDSA_P521_SHA512: &dyn SignatureVerificationAlgorithm = &EcdsaP521Sha512;

/// The given algorithms and P-521/SHA-512 besides.
pub fn with_p521(base: WebPkiSupportedAlgorithms) -> WebPkiSupportedAlgorithms {
    static ALL: OnceLock<WebPkiSupportedAlgorithms> = OnceLock::new();
    *ALL.get_or_init(|| {
        let mut all = base.all.to_vec();
        all.push(ECDSA_P521_SHA512);
        let mut mapping = base.mapping.to_vec();
        mapping.push((SignatureScheme::ECDSA_NISTP521_SHA512, std::slice::from_ref(&ECDSA_P521_SHA512)));
        WebPkiSupportedAlgorithms { all: Vec::leak(all), mapping: Vec::leak(mapping) }
    })
}

#[cfg(test)]
mod tests {
    use p521::ecdsa::signature::RandomizedSigner;
    use p521::ecdsa::{Signature, SigningKey};
    use p521::elliptic_curve::rand_core::{CryptoRng, Error, RngCore};

    use super::*;

    /// Nonces for signing in the test only (the crate's OS randomness is not built in); any nonce
    /// gives a signature that verifies.
    struct Counter(u8);

    impl RngCore for Counter {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            let mut bytes = [0; 8];
            self.fill_bytes(&mut bytes);
            u64::from_le_bytes(bytes)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for byte in dest {
                self.0 = self.0.wrapping_add(37);
                *byte = self.0;
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    impl CryptoRng for Counter {}

    fn key() -> SigningKey {
        // Any scalar below the group order: a fixed one keeps the test deterministic.
        let mut scalar = [0u8; 66];
        scalar[65] = 7;
        SigningKey::from_slice(&scalar).expect("a valid scalar")
    }

    #[test]
    fn a_p521_sha512_signature_verifies_and_a_changed_message_does_not() {
        let key = key();
        let public = VerifyingKey::from(&key).to_encoded_point(false);
        let signature: Signature = key.sign_with_rng(&mut Counter(1), b"TLS 1.3, client CertificateVerify");
        let der = signature.to_der();
        let algorithm = ECDSA_P521_SHA512;
        assert!(algorithm
            .verify_signature(public.as_bytes(), b"TLS 1.3, client CertificateVerify", der.as_bytes())
            .is_ok());
        assert!(algorithm.verify_signature(public.as_bytes(), b"another message", der.as_bytes()).is_err());
        assert!(algorithm.verify_signature(public.as_bytes(), b"x", b"not DER").is_err());
    }

    #[test]
    fn the_scheme_is_added_to_the_given_ones() {
        let ring = rustls::crypto::ring::default_provider().signature_verification_algorithms;
        let all = with_p521(ring);
        assert!(all.supported_schemes().contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
        assert!(!ring.supported_schemes().contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
        assert!(ring.supported_schemes().iter().all(|s| all.supported_schemes().contains(s)));
    }
}
