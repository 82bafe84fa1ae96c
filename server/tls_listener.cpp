#include "tls_listener.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

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

Result<std::unique_ptr<httplib::Server>> makeHttpsServer(const std::shared_ptr<CertificateStore>& store, long hstsMaxAgeS) {
    CertificateStore* raw = store.get();
    auto server = std::make_unique<httplib::SSLServer>([raw](SSL_CTX& ctx) { return raw->configure(ctx); });
    if (!server->is_valid()) return makeError(ErrorCode::ConfigError, "cannot set up TLS: " + opensslError());
    // HSTS: a browser that once reached the hall over HTTPS never tries plain HTTP again.
    if (hstsMaxAgeS > 0) server->set_default_headers({{"Strict-Transport-Security", "max-age=" + std::to_string(hstsMaxAgeS)}});
    return std::unique_ptr<httplib::Server>(std::move(server));
}

Result<Listener> makeListener(const ServerConfig& config) {
    Listener listener;
    if (!config.tls) {
        listener.server = std::make_unique<httplib::Server>();
        return listener;
    }
    auto store = CertificateStore::load(config.tls->certFile, config.tls->keyFile);
    if (!store) return store.error();
    listener.certificates = store.value();
    auto https = makeHttpsServer(listener.certificates, config.tls->hstsMaxAgeS);
    if (!https) return https.error();
    listener.server = std::move(https.value());
    return listener;
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
