#include "test_ca.hpp"

#include "programs.hpp"

#include <catch2/catch.hpp>

namespace loket::test {

TestCa::TestCa(std::filesystem::path dir, std::string name)
    : m_dir(std::move(dir)), m_name(std::move(name)), m_caCert(m_dir / (m_name + "-ca.pem")), m_caKey(m_dir / (m_name + "-ca-key.pem")) {
    const auto log = m_dir / "openssl.log";
    const int rc = runProgram({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                               "-keyout", m_caKey.string(), "-out", m_caCert.string(), "-days", "2", "-subj", "/CN=" + m_name + " CA",
                               "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
                              log);
    if (rc != 0) FAIL("openssl could not make the test CA: " << readFile(log));
}

CertificateFiles TestCa::issue(const std::string& fileStem, const std::string& commonName) const {
    CertificateFiles files{m_dir / (fileStem + ".pem"), m_dir / (fileStem + "-key.pem")};
    const auto csr = m_dir / (fileStem + ".csr");
    const auto ext = m_dir / (fileStem + ".ext");
    const auto log = m_dir / "openssl.log";
    writeFile(ext, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
                   "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    int rc = runProgram({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                         files.key.string(), "-out", csr.string(), "-subj", "/CN=" + commonName},
                        log);
    if (rc == 0)
        rc = runProgram({"openssl", "x509", "-req", "-in", csr.string(), "-CA", m_caCert.string(), "-CAkey", m_caKey.string(),
                         "-CAcreateserial", "-out", files.cert.string(), "-days", "2", "-extfile", ext.string()},
                        log);
    if (rc != 0) FAIL("openssl could not issue " << fileStem << ": " << readFile(log));
    return files;
}

std::string TestCa::publicKeyPin(const std::filesystem::path& cert) {
    // openssl x509 -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64
    const auto dir = cert.parent_path();
    const auto pub = dir / (cert.stem().string() + ".pub.pem");
    const auto der = dir / (cert.stem().string() + ".pub.der");
    const auto digest = dir / (cert.stem().string() + ".pub.sha256");
    const auto b64 = dir / (cert.stem().string() + ".pub.b64");
    const auto log = dir / "openssl.log";
    int rc = runProgram({"openssl", "x509", "-in", cert.string(), "-pubkey", "-noout", "-out", pub.string()}, log);
    if (rc == 0) rc = runProgram({"openssl", "pkey", "-pubin", "-in", pub.string(), "-outform", "DER", "-out", der.string()}, log);
    if (rc == 0) rc = runProgram({"openssl", "dgst", "-sha256", "-binary", "-out", digest.string(), der.string()}, log);
    if (rc == 0) rc = runProgram({"openssl", "base64", "-A", "-in", digest.string(), "-out", b64.string()}, log);
    if (rc != 0) FAIL("openssl could not compute the key pin: " << readFile(log));
    std::string text = readFile(b64);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return "sha256//" + text;
}

} // namespace loket::test
