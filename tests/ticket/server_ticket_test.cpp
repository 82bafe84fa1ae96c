// End to end with the real hall server: a ticket the server issues, printed on paper, leads the
// visitor back to that same ticket. The mapping here is the minimum the test needs; the kiosk's
// full mapping (shared/kiosk/ticket_mapping) has its own tests.
#include "ticket_fixtures.hpp"

#include "tests/server/server_process.hpp"

#include <catch2/catch.hpp>

using namespace loket::ticket;
using namespace loket::ticket::test;

TEST_CASE("ticket: the QR code printed for a server ticket opens that ticket's visitor page") {
    loket::test::TempDir dir;
    loket::test::ServerProcess server(dir.path() / "hall.db");
    loket::test::ApiClient kiosk(server, "demo-kiosk-token");
    auto issued = kiosk.post("/api/v1/tickets", {{"service", "paspoort"}, {"language", "nl"}},
                             {{"Idempotency-Key", "ticket-print-test-1"}});
    INFO(issued.body);
    REQUIRE(issued.status == 201);
    const auto& t = issued.json["ticket"];
    const std::string visitorUrl = issued.json["visitor_url"];

    TicketContent content;
    content.language = "nl";
    content.number = t["number"];
    content.serviceLabel = "Paspoort of ID-kaart aanvragen";
    content.issuedAtLocal = t["issued_at"].get<std::string>().substr(0, 16);
    content.visitorUrl = visitorUrl;
    if (t.contains("estimated_wait_range_s") && t["estimated_wait_range_s"].is_array()) {
        content.waitLowMin = t["estimated_wait_range_s"][0].get<int>() / 60;
        content.waitHighMin = (t["estimated_wait_range_s"][1].get<int>() + 59) / 60;
    }
    // The narrowest paper is the hardest case for the code's size.
    const auto p = profile("generic-58mm");
    auto image = renderTicket(content, catalog("nl"), p, fonts());
    REQUIRE(image);
    ScratchDir out;
    const auto outcome = printJob("file:" + (out / "ticket.bin").string(), encodeEscPos(*image, p), p);
    REQUIRE(outcome.printed);
    const std::string scanned = scanQr(out / "ticket.bin.png");
    CHECK(scanned == visitorUrl);

    // The code after /v/ is what the visitor page asks the server about.
    const auto slash = scanned.rfind("/v/");
    REQUIRE(slash != std::string::npos);
    loket::test::ApiClient visitor(server);
    auto visit = visitor.get("/api/v1/visits/" + scanned.substr(slash + 3));
    INFO(visit.body);
    REQUIRE(visit.status == 200);
    CHECK(visit.json["number"] == t["number"]);
}
