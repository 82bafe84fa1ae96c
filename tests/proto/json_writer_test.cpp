// The JSON writer of the server's hot outputs writes what nlohmann::json::dump() writes for the
// same values, byte for byte, and fails where dump fails (invalid UTF-8, type_error 316).
#include "shared/proto/json_writer.hpp"

#include "shared/core/utf8.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>
#include <limits>
#include <random>

using loket::proto::appendJsonString;
using loket::proto::JsonWriter;
using Json = nlohmann::json;

namespace {

std::string written(std::string_view s) {
    std::string out;
    appendJsonString(out, s);
    return out;
}

// What nlohmann's dump gives for the string, or "throws <id>".
std::string dumped(const std::string& s) {
    try {
        return Json(s).dump();
    } catch (const Json::type_error& e) {
        return "throws " + std::to_string(e.id);
    }
}

std::string writtenOrThrows(const std::string& s) {
    try {
        return written(s);
    } catch (const Json::type_error& e) {
        return "throws " + std::to_string(e.id);
    }
}

} // namespace

TEST_CASE("json writer: every single byte is escaped or passed as dump does") {
    for (int c = 0; c < 256; ++c) {
        const std::string s(1, static_cast<char>(c));
        INFO("byte " << c);
        CHECK(writtenOrThrows(s) == dumped(s));
        CHECK(writtenOrThrows("a" + s + "b") == dumped("a" + s + "b"));
    }
}

TEST_CASE("json writer: quotes, backslashes, control characters and UTF-8 as dump writes them") {
    CHECK(written("say \"hi\"") == R"("say \"hi\"")");
    CHECK(written("a\\b") == R"("a\\b")");
    CHECK(written("\b\f\n\r\t") == R"("\b\f\n\r\t")");
    CHECK(written(std::string("\0\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
    CHECK(written("\x7f") == "\"\x7f\"");
    CHECK(written("één € 👍") == "\"één € 👍\"");
    CHECK(written("") == "\"\"");
    CHECK(written("/") == "\"/\"");
}

TEST_CASE("json writer: random byte strings, valid UTF-8 or not, give dump's text or dump's error") {
    std::mt19937 rng(20261202);
    // Bytes drawn mostly from the interesting ranges: ASCII, controls, lead and continuation bytes.
    const std::string pool = std::string("aZ09 \"\\/\x01\x1f\x7f\n\t", 13) + "\x80\xBF\xC0\xC1\xC2\xDF\xE0\xED\xEF\xF0\xF4\xF5\xFF\xA0\x9F\x90\x8F";
    int invalid = 0, valid = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        const std::size_t n = rng() % 9;
        for (std::size_t k = 0; k < n; ++k) s += pool[rng() % pool.size()];
        INFO("bytes " << Json::binary(std::vector<std::uint8_t>(s.begin(), s.end())).dump());
        const std::string expected = dumped(s);
        CHECK(writtenOrThrows(s) == expected);
        // The core's strict check and nlohmann agree on what is UTF-8.
        CHECK(!loket::core::invalidUtf8At(s) == (expected.rfind("throws", 0) != 0));
        (expected.rfind("throws", 0) == 0 ? invalid : valid) += 1;
    }
    // Both branches were exercised many times.
    CHECK(invalid > 1000);
    CHECK(valid > 1000);
}

TEST_CASE("json writer: overlong forms, surrogates and code points past U+10FFFF fail as dump fails") {
    for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xE2\x82", "\x80"}) {
        INFO(Json::binary(std::vector<std::uint8_t>(bad, bad + std::strlen(bad))).dump());
        CHECK(loket::core::invalidUtf8At(bad));
        CHECK(writtenOrThrows(bad) == "throws 316");
    }
    for (const char* good : {"\xC2\x80", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"})
        CHECK(writtenOrThrows(good) == dumped(good));
}

TEST_CASE("json writer: objects, arrays, numbers and literals as dump writes them") {
    std::string out;
    JsonWriter w(out);
    w.beginObject()
        .key("a").beginArray().endArray()
        .key("b").beginObject().endObject()
        .key("c").beginArray().number(1).number(-2).beginObject().key("x").null().endObject().beginArray().boolean(true).endArray().endArray()
        .key("d").number(std::numeric_limits<std::int64_t>::min())
        .key("e").number(std::numeric_limits<std::int64_t>::max())
        .key("f").boolean(false)
        .key("g").string("t\"")
        .key("h").raw(R"({"k":[1,2]})")
        .key("i").number(0)
        .endObject();
    const Json same = {{"a", Json::array()},
                       {"b", Json::object()},
                       {"c", {1, -2, {{"x", nullptr}}, {true}}},
                       {"d", std::numeric_limits<std::int64_t>::min()},
                       {"e", std::numeric_limits<std::int64_t>::max()},
                       {"f", false},
                       {"g", "t\""},
                       {"h", {{"k", {1, 2}}}},
                       {"i", 0}};
    CHECK(out == same.dump());
    std::string empty;
    JsonWriter(empty).beginObject().endObject();
    CHECK(empty == "{}");
}
