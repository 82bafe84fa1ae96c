// API request bodies: the server's JSON reader and field checks (server/http_util), then the
// stored-event decoder, which reads the same JSON shapes back from disk.
#include "fuzz_input.hpp"

#include "server/http_util.hpp"
#include "server/server_config.hpp"
#include "shared/proto/event_codec.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace {
const loket::server::ServerConfig& exampleHall() {
    static const loket::server::ServerConfig config = [] {
        auto c = loket::server::loadServerConfig(LOKET_SOURCE_DIR "/firmware-config/hall.example.toml");
        if (!c) std::abort();
        return c.value();
    }();
    return config;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace loket::server;
    const auto [choice, body] = loket::fuzz::choose(data, size, 4);
    httplib::Request req;
    req.body = std::string(body);
    req.set_header("Content-Type", "application/json");
    auto json = jsonBody(req, {"service", "services", "language", "appointment_code", "ticket_id", "outcome", "note", "score",
                               "comment", "code", "starts_at", "name", "persons", "duration_min", "status", "detail"},
                         choice == 0);
    if (!json) return 0;
    (void)requiredString(*json, "service");
    (void)optionalString(*json, "note", 2000);
    (void)optionalInteger(*json, "score", 1, 10);
    (void)optionalInteger(*json, "ticket_id", 1, 1'000'000'000'000'000'000);
    (void)optionalStringList(*json, "services");
    static const char* kTypes[] = {"ticket.issued", "ticket.called", "counter.updated", "appointment.booked"};
    (void)loket::proto::eventFromJson(exampleHall().hall, kTypes[choice], *json);
    return 0;
}
