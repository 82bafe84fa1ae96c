#include "shared/net/http_client.hpp"

#include "shared/net/backoff.hpp"
#include "shared/net/tls_setup.hpp"
#include "shared/proto/client_parse.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

namespace loket::net {

void ensureCurlInitialised() {
    // curl_global_init is not thread-safe and must run once before any handle exists.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct HttpClient::Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl) curl_easy_cleanup(curl);
    }
};

namespace {

std::size_t appendBody(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::string joinUrl(const std::string& base, const std::string& path) {
    if (!base.empty() && base.back() == '/' && !path.empty() && path.front() == '/') return base + path.substr(1);
    return base + path;
}

bool retryable(const HttpFailure& failure) {
    if (failure.error.code == ErrorCode::TlsVerificationFailed || failure.error.code == ErrorCode::ConfigError) return false;
    return failure.status == 0 || failure.status == 429 || failure.status >= 500;
}

} // namespace

HttpClient::HttpClient(HttpOptions options) : m_options(std::move(options)), m_handle(std::make_unique<Handle>()) {
    ensureCurlInitialised();
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<HttpResponse> HttpClient::get(const std::string& path, const RequestOptions& options) {
    return perform("GET", path, nullptr, options);
}

Result<HttpResponse> HttpClient::post(const std::string& path, const std::string& jsonBody, const RequestOptions& options) {
    return perform("POST", path, &jsonBody, options);
}

Result<HttpResponse> HttpClient::postWithRetry(const std::string& path, const std::string& jsonBody,
                                               const std::string& idempotencyKey, const RetryPolicy& policy) {
    Backoff backoff(policy.initialBackoff, policy.maxBackoff);
    RequestOptions options{idempotencyKey};
    for (int attempt = 1;; ++attempt) {
        auto result = post(path, jsonBody, options);
        if (result || attempt >= policy.attempts || !m_lastFailure || !retryable(*m_lastFailure)) return result;
        std::this_thread::sleep_for(backoff.next());
    }
}

Result<HttpResponse> HttpClient::perform(const char* method, const std::string& path, const std::string* body,
                                         const RequestOptions& options) {
    if (!m_options.servers) return performOn(m_options.baseUrl, m_options.tls, method, path, body, options);
    ServerList& servers = *m_options.servers;
    std::optional<Result<HttpResponse>> refusedCertificate;
    std::optional<HttpFailure> refusedFailure;
    for (std::size_t tried = 1;; ++tried) {
        const auto choice = servers.current();
        auto result = performOn(choice.endpoint.url, choice.endpoint.tls, method, path, body, options);
        if (result || !m_lastFailure || !movesOn(m_lastFailure->status)) return result;
        servers.reportFailure(choice.index);
        if (result.error().code == ErrorCode::TlsVerificationFailed && !refusedCertificate) {
            refusedCertificate = result;
            refusedFailure = m_lastFailure;
        }
        // The same request again elsewhere only when it cannot have acted twice.
        const bool repeatable = !body || !options.idempotencyKey.empty() || options.repeatable || !m_lastFailure->requestSent;
        if (tried >= servers.size() || !repeatable) {
            if (!refusedCertificate) return result;
            m_lastFailure = refusedFailure;
            return *refusedCertificate;
        }
    }
}

Result<HttpResponse> HttpClient::performOn(const std::string& baseUrl, const TlsOptions& tls, const char* method, const std::string& path,
                                           const std::string* body, const RequestOptions& options) {
    m_lastFailure.reset();
    auto failWith = [this](Error error, long status, std::string apiCode, std::string body = {}) -> Result<HttpResponse> {
        m_lastFailure = HttpFailure{error, status, std::move(apiCode), std::move(body)};
        return error;
    };
    if (!m_handle->curl) m_handle->curl = curl_easy_init();
    CURL* curl = m_handle->curl;
    if (!curl) return failWith(makeError(ErrorCode::Internal, "curl_easy_init failed"), 0, "");
    curl_easy_reset(curl);

    const std::string url = joinUrl(baseUrl, path);
    HttpResponse response;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("Accept: " + options.accept).c_str());
    if (body) headers = curl_slist_append(headers, ("Content-Type: " + options.contentType).c_str());
    for (const auto& line : options.headers) headers = curl_slist_append(headers, line.c_str());
    if (!m_options.token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + m_options.token).c_str());
    if (!options.idempotencyKey.empty())
        headers = curl_slist_append(headers, ("Idempotency-Key: " + options.idempotencyKey).c_str());

    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    if (auto applied = detail::applyTls(curl, url, tls); !applied) {
        curl_slist_free_all(headers);
        return failWith(applied.error(), 0, "");
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); // worker threads: no SIGALRM for timeouts
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    if (!m_options.basicAuth.empty()) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        curl_easy_setopt(curl, CURLOPT_USERPWD, m_options.basicAuth.c_str());
    }
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    }
    (void)method; // GET is curl's default; POST is set by the body above

    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        ErrorCode code = rc == CURLE_OPERATION_TIMEDOUT ? ErrorCode::Timeout
                         : detail::isTlsFailure(rc)      ? ErrorCode::TlsVerificationFailed
                                                         : ErrorCode::Unavailable;
        auto failed = failWith(makeError(code, std::string(method) + " " + url + ": " + curl_easy_strerror(rc)), 0, "");
        // No connection (curl retries a kept-alive connection that died on its own first, and a
        // refused fresh connect then ends it) or no handshake: the request never reached a server.
        m_lastFailure->requestSent = !(rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                                       rc == CURLE_COULDNT_RESOLVE_PROXY || detail::isTlsFailure(rc));
        return failed;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    if (response.status >= 200 && response.status < 300) return response;

    auto api = proto::parseApiErrorBody(response.body);
    ErrorCode code = api.code.empty() ? (response.status >= 500 ? ErrorCode::Unavailable : ErrorCode::Internal)
                                      : proto::errorCodeFromName(api.code);
    if (api.code.empty() && response.status == 401) code = ErrorCode::Unauthorized;
    if (api.code.empty() && response.status == 403) code = ErrorCode::Forbidden;
    if (api.code.empty() && response.status == 404) code = ErrorCode::NotFound;
    std::string message = api.message.empty()
                              ? std::string(method) + " " + path + ": HTTP " + std::to_string(response.status)
                              : api.message;
    auto failed = failWith(Error{code, message, api.details}, response.status, api.code, std::move(response.body));
    m_lastFailure->requestSent = true;
    return failed;
}

std::string makeIdempotencyKey() {
    std::random_device device;
    std::uniform_int_distribution<unsigned> byte(0, 255);
    unsigned char b[16];
    for (auto& x : b) x = static_cast<unsigned char>(byte(device));
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
    char text[37];
    std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return text;
}

} // namespace loket::net
