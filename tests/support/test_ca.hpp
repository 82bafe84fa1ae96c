// TestCa: a certificate authority made by the test with the openssl command, and server
// certificates it signs for 127.0.0.1 / localhost (P-256 keys, valid for two days).
#pragma once

#include <filesystem>
#include <string>

namespace loket::test {

struct CertificateFiles {
    std::filesystem::path cert; // PEM certificate
    std::filesystem::path key;  // PEM private key (unencrypted)
};

class TestCa {
public:
    // Creates `<dir>/<name>-ca.pem` and its key; fails the test if openssl fails.
    TestCa(std::filesystem::path dir, std::string name = "loket-test");

    const std::filesystem::path& caFile() const { return m_caCert; }
    // A server certificate for `commonName` with subjectAltName IP:127.0.0.1 and DNS:localhost.
    CertificateFiles issue(const std::string& fileStem, const std::string& commonName = "localhost") const;
    // The SHA-256 pin of a certificate's public key in curl's form: "sha256//<base64>".
    static std::string publicKeyPin(const std::filesystem::path& cert);

private:
    std::filesystem::path m_dir;
    std::string m_name;
    std::filesystem::path m_caCert, m_caKey;
};

} // namespace loket::test
