// Internal to loket::net: applies TlsOptions to a curl handle and names TLS failures. Only the
// .cpp files of this folder include it (it brings in curl.h).
#pragma once

#include "shared/core/result.hpp"
#include "shared/net/tls_options.hpp"

#include <curl/curl.h>

#include <string>

namespace loket::net::detail {

// For https:// URLs: verify peer and host, TLS 1.2 minimum, the CA file and the pin. For http://
// URLs with TLS options: a ConfigError (never a silent downgrade).
Status applyTls(CURL* curl, const std::string& url, const TlsOptions& tls);

// The certificate was not trusted, the pin did not match, the CA file is unusable, or the
// handshake failed (for example a server that offers only TLS 1.0/1.1).
bool isTlsFailure(CURLcode code);

} // namespace loket::net::detail
