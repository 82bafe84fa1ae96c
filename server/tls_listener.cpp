#include "tls_listener.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <poll.h>

#include <algorithm>
#include <cstdio>

namespace loket::server {
namespace {

// NCSC, "ICT-beveiligingsrichtlijnen voor Transport Layer Security (TLS)" (2021, v2.1), the
// "Goed" (good) settings: TLS 1.3 and 1.2 only; AEAD suites with ECDHE; groups X25519, X448,
// P-256, P-384. Nothing "Voldoende" (sufficient) or weaker is offered.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256";
constexpr const char* kTls13Suites = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384:X448";

std::string opensslError() {
    std::string text;
    while (unsigned long e = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(e, buffer, sizeof buffer);
        if (!text.empty()) text += "; ";
        text += buffer;
    }
    return text.empty() ? "unknown OpenSSL error" : text;
}

struct BioCloser {
    void operator()(BIO* b) const { BIO_free(b); }
};

} // namespace

struct CertificateStore::Pair {
    X509* cert = nullptr;
    EVP_PKEY* key = nullptr;
    STACK_OF(X509)* chain = nullptr;
    std::string description;
    ~Pair() {
        X509_free(cert);
        EVP_PKEY_free(key);
        sk_X509_pop_free(chain, X509_free);
    }
};

namespace {

Result<std::shared_ptr<CertificateStore::Pair>> readPair(const std::filesystem::path& certFile, const std::filesystem::path& keyFile) {
    auto fail = [](const std::string& what) -> Error {
        return makeError(ErrorCode::ConfigError, what + ": " + opensslError());
    };
    ERR_clear_error();
    auto pair = std::make_shared<CertificateStore::Pair>();
    std::unique_ptr<BIO, BioCloser> certBio(BIO_new_file(certFile.c_str(), "r"));
    if (!certBio) return fail("cannot open the certificate file " + certFile.string());
    pair->cert = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr);
    if (!pair->cert) return fail(certFile.string() + " holds no PEM certificate");
    pair->chain = sk_X509_new_null();
    while (X509* extra = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr)) sk_X509_push(pair->chain, extra);
    ERR_clear_error(); // the end of the file ends the loop with a "no start line" error

    std::unique_ptr<BIO, BioCloser> keyBio(BIO_new_file(keyFile.c_str(), "r"));
    if (!keyBio) return fail("cannot open the key file " + keyFile.string());
    pair->key = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr);
    if (!pair->key) return fail(keyFile.string() + " holds no unencrypted PEM private key");
    if (X509_check_private_key(pair->cert, pair->key) != 1)
        return fail(keyFile.string() + " is not the key of the certificate in " + certFile.string());

    char subject[256] = "";
    X509_NAME_oneline(X509_get_subject_name(pair->cert), subject, sizeof subject);
    std::string expires;
    if (BIO* mem = BIO_new(BIO_s_mem())) {
        ASN1_TIME_print(mem, X509_get0_notAfter(pair->cert));
        char* data = nullptr;
        const long n = BIO_get_mem_data(mem, &data);
        expires.assign(data, static_cast<std::size_t>(n));
        BIO_free(mem);
    }
    pair->description = std::string(subject) + " (valid until " + expires + ")";
    return pair;
}

} // namespace

CertificateStore::CertificateStore(std::filesystem::path certFile, std::filesystem::path keyFile)
    : m_certFile(std::move(certFile)), m_keyFile(std::move(keyFile)) {}

CertificateStore::~CertificateStore() = default;

Result<std::shared_ptr<CertificateStore>> CertificateStore::load(std::filesystem::path certFile, std::filesystem::path keyFile) {
    std::shared_ptr<CertificateStore> store(new CertificateStore(std::move(certFile), std::move(keyFile)));
    if (auto st = store->reload(); !st) return st.error();
    return store;
}

Status CertificateStore::reload() {
    auto pair = readPair(m_certFile, m_keyFile);
    if (!pair) return pair.error();
    std::lock_guard lock(m_mutex);
    m_pair = std::move(pair.value());
    return Ok{};
}

std::shared_ptr<const CertificateStore::Pair> CertificateStore::current() const {
    std::lock_guard lock(m_mutex);
    return m_pair;
}

std::string CertificateStore::describe() const {
    auto pair = current();
    return pair ? pair->description : "no certificate";
}

int CertificateStore::onHandshake(SSL* ssl, void* self) {
    auto pair = static_cast<CertificateStore*>(self)->current();
    if (!pair) return 0;
    // SSL_use_cert_and_key takes its own references, so the pair may be replaced right after.
    return SSL_use_cert_and_key(ssl, pair->cert, pair->key, pair->chain, 1) == 1 ? 1 : 0;
}

bool CertificateStore::configure(SSL_CTX& context) {
    SSL_CTX* ctx = &context;
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                 SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) return false;
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) return false;
    if (SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1) return false;
    if (SSL_CTX_set1_groups_list(ctx, kGroups) != 1) return false;
    SSL_CTX_set_cert_cb(ctx, &CertificateStore::onHandshake, this);
    return true;
}

Result<std::unique_ptr<TlsServerContext>> TlsServerContext::make(CertificateStore& store) {
    ERR_clear_error();
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) return makeError(ErrorCode::ConfigError, "cannot set up TLS: " + opensslError());
    std::unique_ptr<TlsServerContext> context(new TlsServerContext(ctx));
    if (!store.configure(*ctx)) return makeError(ErrorCode::ConfigError, "cannot set up TLS: " + opensslError());
    // A write may be retried with another buffer address (the hub's buffers move as they grow).
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS);
    return context;
}

TlsServerContext::~TlsServerContext() { SSL_CTX_free(m_ctx); }

std::unique_ptr<TlsSession> TlsSession::accept(const TlsServerContext& context, int fd) {
    SSL* ssl = SSL_new(context.get());
    if (!ssl) return nullptr;
    std::unique_ptr<TlsSession> session(new TlsSession(ssl));
    if (SSL_set_fd(ssl, fd) != 1) return nullptr;
    SSL_set_accept_state(ssl);
    return session;
}

TlsSession::~TlsSession() { SSL_free(m_ssl); }

long TlsSession::result(int rc) {
    if (rc > 0) return rc;
    switch (SSL_get_error(m_ssl, rc)) {
    case SSL_ERROR_WANT_READ: m_wants = POLLIN; return 0;
    case SSL_ERROR_WANT_WRITE: m_wants = POLLOUT; return 0;
    default:
        // A peer that vanished, a protocol error, or close_notify: this session is over. The
        // error queue is this thread's: leave it clean for the next connection.
        ERR_clear_error();
        m_failed = true;
        return -1;
    }
}

TlsSession::Step TlsSession::handshake() {
    ERR_clear_error();
    const long r = result(SSL_do_handshake(m_ssl));
    return r > 0 ? Step::Done : r == 0 ? Step::WouldBlock : Step::Failed;
}

long TlsSession::read(char* data, std::size_t size) {
    if (m_failed) return -1;
    ERR_clear_error();
    return result(SSL_read(m_ssl, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30))));
}

long TlsSession::write(const char* data, std::size_t size) {
    if (m_failed) return -1;
    if (size == 0) return 0;
    ERR_clear_error();
    return result(SSL_write(m_ssl, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30))));
}

bool TlsSession::hasBuffered() const { return SSL_pending(m_ssl) > 0; }

void TlsSession::closeNotify() {
    if (m_failed || !SSL_is_init_finished(m_ssl)) return;
    ERR_clear_error();
    SSL_shutdown(m_ssl); // one attempt: the socket is closed right after
    ERR_clear_error();
}

std::unique_ptr<httplib::Server> makeRedirectServer(std::string httpsBaseUrl) {
    while (!httpsBaseUrl.empty() && httpsBaseUrl.back() == '/') httpsBaseUrl.pop_back();
    auto server = std::make_unique<httplib::Server>();
    // The target comes from the request, the host from the configuration: a forged Host header
    // cannot send anyone elsewhere.
    server->set_pre_routing_handler([base = std::move(httpsBaseUrl)](const httplib::Request& req, httplib::Response& res) {
        const std::string target = req.target.empty() || req.target.front() != '/' ? "/" : req.target;
        res.status = req.method == "GET" || req.method == "HEAD" ? 301 : 308;
        res.set_header("Location", base + target);
        res.set_header("Cache-Control", "no-store");
        return httplib::Server::HandlerResponse::Handled;
    });
    return server;
}

} // namespace loket::server
