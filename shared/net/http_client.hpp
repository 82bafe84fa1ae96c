// HttpClient: JSON requests to the hall server with libcurl, for the kiosk, the display, the
// simulator and tests. Bearer token and base URL are set once; every request has a connect
// timeout and a total timeout. Errors are values: a transport failure is `unavailable` or
// `timeout` (`tls_verification_failed` when the server's certificate is not trusted, never
// retried); an HTTP error status becomes the API's error code (`counter_busy`, …) with the
// server's message, and the status stays readable in HttpResponse / HttpFailure.
//
// One HttpClient per thread (it reuses one connection); it is not safe to share between threads.
// Depends on libcurl (hidden in the .cpp), loket::core and loket::proto.
#pragma once

#include "shared/core/result.hpp"
#include "shared/net/server_list.hpp"
#include "shared/net/tls_options.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace loket::net {

struct HttpOptions {
    std::string baseUrl;  // "http://127.0.0.1:8080", no trailing slash needed
    std::string token;    // bearer token; empty sends no Authorization header
    std::chrono::milliseconds connectTimeout{2000};
    std::chrono::milliseconds timeout{5000};
    std::string basicAuth = {}; // "user:password" for HTTP Basic (a booking system); never logged
    TlsOptions tls{};       // https://: how the server's certificate is trusted (tls_options.hpp)
    // Several instances of the hall server (server_list.hpp): when set, baseUrl and tls are not
    // used; a request that finds the address in use gone is tried on the next one, and only
    // when every address failed does it fail (the returned error is a refused certificate when
    // one was, otherwise the last address's). A POST without an idempotency key moves on with
    // the same request only when it never reached the server, or when it is marked repeatable.
    std::shared_ptr<ServerList> servers = {};
};

struct RequestOptions {
    std::string idempotencyKey; // sent as `Idempotency-Key` when not empty
    // Other services than the hall server (booking systems) speak XML, forms or other headers.
    std::string contentType = "application/json";
    std::string accept = "application/json";
    std::vector<std::string> headers = {}; // extra "Name: value" lines (SOAPAction, auth-token, …)
    // The request means the same when it arrives twice (a heartbeat: the last report wins; an
    // upload whose entries carry their own keys; a lease request the server answers with the
    // leases it already granted): failover may send it to the next address even when the one
    // that went away may have acted on it. Without this (and without a key) it is not repeated.
    bool repeatable = false;
};

struct HttpResponse {
    long status = 0;   // 200, 201, 204, …
    std::string body;  // raw body text (JSON for the API)
};

// Why a request did not succeed: `error` is what Result carries; `status` is the HTTP status
// (0 when no response arrived); `apiCode` the API's snake_case code, verbatim.
struct HttpFailure {
    Error error;
    long status = 0;
    std::string apiCode;
    std::string body; // the error answer's body (a SOAP fault is sent with status 500)
    bool requestSent = false; // the request left this client (a time-out after it may have acted)
};

// How postWithRetry tries again: transport failures, 429 and 5xx are retried with the same
// idempotency key (the server then returns the first result instead of acting twice); other
// 4xx answers are final.
struct RetryPolicy {
    int attempts = 4;
    std::chrono::milliseconds initialBackoff{200};
    std::chrono::milliseconds maxBackoff{2000};
};

class HttpClient {
public:
    explicit HttpClient(HttpOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    // Each returns the response for a 2xx status, otherwise an Error (see above).
    Result<HttpResponse> get(const std::string& path, const RequestOptions& options = {});
    Result<HttpResponse> post(const std::string& path, const std::string& jsonBody, const RequestOptions& options = {});
    Result<HttpResponse> postWithRetry(const std::string& path, const std::string& jsonBody,
                                       const std::string& idempotencyKey, const RetryPolicy& policy = {});

    // Details of the last failed request on this client (status and API code), if any.
    const std::optional<HttpFailure>& lastFailure() const { return m_lastFailure; }
    const HttpOptions& options() const { return m_options; }
    void setToken(std::string token) { m_options.token = std::move(token); }

private:
    Result<HttpResponse> perform(const char* method, const std::string& path, const std::string* body,
                                 const RequestOptions& options);
    Result<HttpResponse> performOn(const std::string& baseUrl, const TlsOptions& tls, const char* method, const std::string& path,
                                   const std::string* body, const RequestOptions& options);

    struct Handle;
    HttpOptions m_options;
    std::unique_ptr<Handle> m_handle;
    std::optional<HttpFailure> m_lastFailure;
};

// A fresh random idempotency key (UUID v4 text) for one visitor action.
std::string makeIdempotencyKey();
// Makes sure libcurl's process-wide setup ran; called by every client constructor.
void ensureCurlInitialised();

} // namespace loket::net
