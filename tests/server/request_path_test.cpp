// The check-in path's own helpers, made cheaper for issue 11 (docs/benchmarks.md): the header
// lookup must answer exactly what cpp-httplib's get_header_value / has_header answer, the header
// replacement must leave one header whatever case the earlier ones had, and the token and
// request hashes must stay SHA-256 from any thread (each keeps its own context).
#include "server/crypto.hpp"
#include "server/http_util.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

using namespace loket::server;

TEST_CASE("http: a header is found as cpp-httplib finds it, in any case, the first of several") {
    httplib::Request req;
    req.headers = {{"Authorization", "Bearer one"}, {"content-length", "12"}, {"X-Forwarded-For", "10.0.0.1"},
                   {"x-forwarded-for", "10.0.0.2"}, {"Idempotency-Key", "k-1"}, {"Ab", "letters"}, {"A\x02", "not a letter"}, {"A`", "a backtick"}};
    const char* names[] = {"Authorization", "AUTHORIZATION", "authorization", "Content-Length", "X-FORWARDED-FOR",
                           "Idempotency-Key", "Origin", "Authorizatio", "Authorization2", "", "aB", "A\x22", "a\x02", "A@"};
    for (const char* name : names) {
        INFO(name);
        CHECK(headerValue(req, name) == req.get_header_value(name));
        CHECK((findHeader(req.headers, name) != nullptr) == req.has_header(name));
    }
    CHECK(headerValue(req, "x-forwarded-for") == "10.0.0.1");
    CHECK(findHeader(req.headers, "Origin") == nullptr);
}

TEST_CASE("http: replacing a header leaves exactly one, whatever case the earlier ones had") {
    httplib::Response res;
    res.set_header("X-Frame-Options", "SAMEORIGIN");
    res.set_header("x-frame-options", "ALLOW");
    res.set_header("Content-Type", "text/plain");
    replaceHeader(res.headers, "X-Frame-Options", "DENY");
    CHECK(res.headers.count("X-Frame-Options") == 1);
    CHECK(res.get_header_value("x-frame-options") == "DENY");
    CHECK(res.get_header_value("Content-Type") == "text/plain");
    replaceHeader(res.headers, "Referrer-Policy", "no-referrer");
    CHECK(res.get_header_value("Referrer-Policy") == "no-referrer");
    CHECK(res.headers.size() == 3);
}

TEST_CASE("crypto: the server's SHA-256 matches the FIPS 180-4 vectors, again and from other threads") {
    const std::vector<std::pair<std::string, std::string>> vectors = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"}};
    auto allMatch = [&] {
        bool ok = true;
        for (int round = 0; round < 3; ++round) // the thread's context is reused: no state carried over
            for (const auto& [text, digest] : vectors) ok = ok && sha256Hex(text) == digest;
        return ok;
    };
    CHECK(allMatch());
    std::vector<char> results(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) threads.emplace_back([&, t] { results[t] = allMatch() ? 1 : 0; });
    for (auto& t : threads) t.join();
    CHECK(results == std::vector<char>(4, 1));
}
