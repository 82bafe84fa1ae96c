#include "shared/net/tls_setup.hpp"

namespace loket::net::detail {

Status applyTls(CURL* curl, const std::string& url, const TlsOptions& tls) {
    const bool https = url.rfind("https://", 0) == 0;
    if (!https) {
        if (tls.any())
            return makeError(ErrorCode::ConfigError, url + ": a CA file or pinned key is set but the server URL is plain http://; use https://");
        return Ok{};
    }
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https"); // and no redirect to http:// either
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    if (!tls.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.caFile.c_str());
    if (!tls.pinnedPublicKey.empty()) curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, tls.pinnedPublicKey.c_str());
    return Ok{};
}

bool isTlsFailure(CURLcode code) {
    return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_PINNEDPUBKEYNOTMATCH || code == CURLE_SSL_CACERT_BADFILE ||
           code == CURLE_SSL_CONNECT_ERROR || code == CURLE_SSL_CERTPROBLEM;
}

} // namespace loket::net::detail
