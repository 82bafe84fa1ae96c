// Small builders for hall snapshots and events, so signage tests read like the hall's day.
#pragma once

#include "shared/i18n/catalog.hpp"
#include "shared/proto/client_types.hpp"
#include "shared/signage/display_texts.hpp"
#include "shared/proto/rfc3339.hpp"
#include "shared/signage/signage_model.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace fixtures {

using namespace loket;

inline const char* kDay = "2026-11-23T";
// Wall-clock epoch of 09:mm:ss on the test day, +01:00.
inline std::int64_t at(int minute, int second = 0) {
    return proto::parseRfc3339(std::string_view(std::string(kDay) + "09:" + (minute < 10 ? "0" : "") +
                                                std::to_string(minute) + ":" + (second < 10 ? "0" : "") +
                                                std::to_string(second) + "+01:00"))
        ->t;
}
inline std::string stamp(int minute, int second = 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s09:%02d:%02d+01:00", kDay, minute, second);
    return buf;
}

inline proto::ClientCounter counter(const std::string& id, const std::string& name, std::vector<std::string> services,
                                    std::string state = "open") {
    return proto::ClientCounter{id, name, std::move(services), std::move(state), std::nullopt};
}

inline proto::ClientService service(const std::string& id, const std::string& prefix, int waiting, std::int64_t waitS) {
    proto::ClientService s;
    s.id = id;
    s.name = {{"nl", "Dienst " + prefix}, {"en", "Service " + prefix}};
    s.prefix = prefix;
    s.waiting = waiting;
    s.estimatedWaitS = waitS;
    return s;
}

// The services each counter of the example hall handles.
inline std::vector<std::string> servicesOf(const std::string& counterId) {
    if (counterId == "b2") return {"ophalen"};
    if (counterId == "b3") return {"rijbewijs", "paspoort"};
    return {"paspoort"};
}

inline proto::HallSnapshot hall() {
    proto::HallSnapshot s;
    s.eventId = 100;
    s.hall.name = "Gemeente Katwijk";
    s.services = {service("paspoort", "A", 3, 840), service("ophalen", "B", 0, 0), service("rijbewijs", "R", 1, 60)};
    s.counters = {counter("b1", "1", servicesOf("b1")), counter("b2", "2", servicesOf("b2")), counter("b3", "3", servicesOf("b3"))};
    return s;
}

inline proto::ClientTicket ticket(const std::string& number, const std::string& status, const std::string& counterId,
                                  const std::string& language = "nl") {
    return proto::ClientTicket{"t-" + number, number, "paspoort", status, counterId, language, std::nullopt};
}

inline proto::HallEvent called(std::int64_t id, const std::string& number, const std::string& counterId, int minute,
                               const std::string& language = "nl", bool recall = false) {
    proto::HallEvent ev;
    ev.id = id;
    ev.type = recall ? "ticket.recalled" : "ticket.called";
    ev.ticket = ticket(number, "called", counterId, language);
    proto::ClientCounter c = counter(counterId, counterId.substr(1), servicesOf(counterId));
    c.ticket = ev.ticket;
    ev.counter = c;
    ev.call = proto::ClientCall{number, counterId, counterId.substr(1), stamp(minute), language};
    return ev;
}

inline proto::HallEvent ticketEvent(std::int64_t id, const std::string& type, const std::string& number,
                                    const std::string& status, const std::string& counterId) {
    proto::HallEvent ev;
    ev.id = id;
    ev.type = type;
    ev.ticket = ticket(number, status, counterId);
    proto::ClientCounter c = counter(counterId, counterId.substr(1), servicesOf(counterId));
    if (status == "serving" || status == "called") c.ticket = ev.ticket;
    ev.counter = c;
    return ev;
}

inline signage::DisplayTexts texts() {
    auto nl = i18n::loadCatalog(std::string(LOKET_SOURCE_DIR) + "/assets", "nl");
    auto en = i18n::loadCatalog(std::string(LOKET_SOURCE_DIR) + "/assets", "en");
    REQUIRE(nl);
    REQUIRE(en);
    return signage::resolveDisplayTexts(*nl, *en);
}

} // namespace fixtures
