// HTTPS for the hall server: the certificate and key come from a CertificateStore that SIGHUP
// reloads without dropping a connection, TLS 1.2+ with the NCSC's "Good" cipher suites and
// groups; non-blocking TLS sessions that the hall listener (HallHttpServer and its StreamHub,
// http_listener.hpp) runs on its epoll thread and its workers, so an HTTPS event stream holds no
// thread either; and an optional plain-HTTP listener that only redirects to https://. Used by
// main.cpp and http_listener; depends on cpp-httplib and OpenSSL.
//
// Why a certificate callback and not SSL_CTX_use_certificate on reload: handshakes run on the
// hub's thread while SIGHUP arrives on another; OpenSSL copies the context's certificate into each new
// connection without a lock. Each handshake instead asks the store (under its own mutex) for the
// current pair, so a reload is one pointer swap and a connection in progress keeps its pair.
#pragma once

#include "server_config.hpp"
#include "shared/core/result.hpp"

#include <httplib.h>
#include <openssl/ssl.h>

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

// An OpenSSL server context configured by `store` (which must outlive it): the hall listener's
// handshakes (HallHttpServer, on the StreamHub's thread) use it.
class TlsServerContext {
public:
    static Result<std::unique_ptr<TlsServerContext>> make(CertificateStore& store);
    ~TlsServerContext();
    TlsServerContext(const TlsServerContext&) = delete;
    TlsServerContext& operator=(const TlsServerContext&) = delete;
    SSL_CTX* get() const { return m_ctx; }

private:
    explicit TlsServerContext(SSL_CTX* ctx) : m_ctx(ctx) {}
    SSL_CTX* m_ctx;
};

// One server-side TLS session on a non-blocking socket. Every call returns at once; "nothing
// now" says what to wait for (wants()). One thread at a time uses a session: the hub while the
// connection waits or streams, a worker while it answers a request.
class TlsSession {
public:
    enum class Step { Done, WouldBlock, Failed };
    static std::unique_ptr<TlsSession> accept(const TlsServerContext& context, int fd);
    ~TlsSession();
    TlsSession(const TlsSession&) = delete;
    TlsSession& operator=(const TlsSession&) = delete;

    Step handshake();
    // > 0: bytes; 0: nothing now (wait for wants()); -1: closed or failed.
    long read(char* data, std::size_t size);
    long write(const char* data, std::size_t size);
    bool hasBuffered() const;               // decrypted bytes not read yet
    short wants() const { return m_wants; } // POLLIN or POLLOUT after "nothing now"
    void closeNotify();                     // best effort, never waits

private:
    explicit TlsSession(SSL* ssl) : m_ssl(ssl) {}
    long result(int rc);
    SSL* m_ssl;
    short m_wants = 0;
    bool m_failed = false;
};

// A plain-HTTP server that answers every request with a redirect to `httpsBaseUrl` + the path:
// 301 for GET and HEAD, 308 (method kept) for the rest. Nothing else is served over plain HTTP.
std::unique_ptr<httplib::Server> makeRedirectServer(std::string httpsBaseUrl);

} // namespace loket::server
