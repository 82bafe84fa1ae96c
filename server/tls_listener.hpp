// HTTPS for the hall server: an httplib::SSLServer whose certificate and key come from a
// CertificateStore that SIGHUP reloads without dropping a connection, TLS 1.2+ with the NCSC's
// "Good" cipher suites and groups, HSTS on every answer, and an optional plain-HTTP listener that
// only redirects to https://. Used by main.cpp; depends on cpp-httplib and OpenSSL.
//
// Why a certificate callback and not SSL_CTX_use_certificate on reload: connections are accepted
// on many threads while SIGHUP arrives; OpenSSL copies the context's certificate into each new
// connection without a lock. Each handshake instead asks the store (under its own mutex) for the
// current pair, so a reload is one pointer swap and a connection in progress keeps its pair.
#pragma once

#include "server_config.hpp"
#include "shared/core/result.hpp"

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace loket::server {


class CertificateStore {
public:
    // Reads and checks the pair (the key must belong to the certificate).
    static Result<std::shared_ptr<CertificateStore>> load(std::filesystem::path certFile, std::filesystem::path keyFile);
    ~CertificateStore();

    // Reads the files again. On any error the current pair stays in use and the error is returned.
    Status reload();
    // "CN=… (expires 2027-01-31)": for the log.
    std::string describe() const;

    // Sets protocol, ciphers and the per-handshake certificate callback on a server context.
    bool configure(SSL_CTX& context);

    struct Pair;

private:
    CertificateStore(std::filesystem::path certFile, std::filesystem::path keyFile);
    std::shared_ptr<const Pair> current() const;
    static int onHandshake(SSL* ssl, void* self);

    std::filesystem::path m_certFile, m_keyFile;
    mutable std::mutex m_mutex;
    std::shared_ptr<const Pair> m_pair;
};

// An HTTPS server using `store` (which must outlive it), with HSTS when hstsMaxAgeS > 0.
Result<std::unique_ptr<httplib::Server>> makeHttpsServer(const std::shared_ptr<CertificateStore>& store, long hstsMaxAgeS);

// The hall's main listener: HTTPS when the configuration has [tls], plain HTTP otherwise.
struct Listener {
    std::unique_ptr<httplib::Server> server;
    std::shared_ptr<CertificateStore> certificates; // null without [tls]; reload() on SIGHUP
    const char* scheme() const { return certificates ? "https" : "http"; }
};
Result<Listener> makeListener(const ServerConfig& config);

// A plain-HTTP server that answers every request with a redirect to `httpsBaseUrl` + the path:
// 301 for GET and HEAD, 308 (method kept) for the rest. Nothing else is served over plain HTTP.
std::unique_ptr<httplib::Server> makeRedirectServer(std::string httpsBaseUrl);

} // namespace loket::server
