// TlsOptions: how a device trusts the hall server over https:// — a CA file that must have signed
// the server's certificate, and/or the server's public key pinned. Used by HttpClient and
// EventStreamClient (the kiosk's and the display's only ways to the server).
//
// With an https:// URL the certificate and host name are always verified (TLS 1.2 or newer);
// a failure is ErrorCode::TlsVerificationFailed and the request is not retried over plain HTTP.
// TLS settings with an http:// URL are refused rather than ignored. Standard library only.
#pragma once

#include <string>

namespace loket::net {

struct TlsOptions {
    std::string caFile;          // PEM file of the CA that signs the server's certificate; empty = the system's CAs
    std::string pinnedPublicKey; // "sha256//<base64>" (several joined with ';') or a PEM/DER public key file; empty = no pin

    bool any() const { return !caFile.empty() || !pinnedPublicKey.empty(); }
};

} // namespace loket::net
