#include "signage_fixtures.hpp"

#include "shared/proto/client_parse.hpp"

using namespace fixtures;
using loket::signage::Profile;
using loket::signage::SignageConfig;
using loket::signage::SignageModel;

namespace {
SignageModel started(SignageConfig config = {}) {
    SignageModel model(std::move(config), texts(), 0.0);
    model.applySnapshot(hall(), 0.0, at(0));
    return model;
}
std::vector<std::string> numbers(const std::vector<loket::signage::Announcement>& list) {
    std::vector<std::string> out;
    for (auto& a : list) out.push_back(a.number + (a.recall ? "!" : ""));
    return out;
}
} // namespace

TEST_CASE("signage: a call shows as the newest, the one before moves to the previous calls") {
    auto model = started();
    model.applyEvent(called(101, "A001", "b1", 1), 1.0, at(1));
    model.applyEvent(called(102, "B001", "b2", 2), 2.0, at(2));
    auto vm = model.view(2.0, "09:02");
    REQUIRE(vm.newest);
    CHECK(vm.newest->number == "B001");
    CHECK(vm.newest->counterLabel == "Balie 2");
    CHECK(vm.newest->counterLabelSecond == "Counter 2");
    REQUIRE(vm.previous.size() == 1);
    CHECK(vm.previous[0].number == "A001");
    CHECK(vm.hallName == "Gemeente Katwijk");
    CHECK(vm.clockText == "09:02");
}

TEST_CASE("signage: the newest call stays highlighted 30 s and pulses at most 3 times a second") {
    auto model = started();
    model.applyEvent(called(101, "A001", "b1", 1), 10.0, at(1));
    int transitions = 0;
    bool last = model.view(10.0, "").highlightOn;
    std::vector<int> perSecond(40, 0);
    for (int ms = 0; ms < 40000; ms += 10) {
        auto vm = model.view(10.0 + ms / 1000.0, "");
        if (ms < 30000) CHECK(vm.highlight);
        if (vm.highlightOn != last) {
            ++transitions;
            ++perSecond[static_cast<std::size_t>(ms / 1000)];
        }
        last = vm.highlightOn;
    }
    CHECK_FALSE(model.view(40.5, "").highlight);
    CHECK(transitions > 0); // it does draw attention
    for (int n : perSecond) CHECK(n <= 6); // at most 3 on-off flashes in any second
}

TEST_CASE("signage: the previous calls list holds the configured number of calls, a number once") {
    SignageConfig config;
    config.previousCalls = 6;
    auto model = started(config);
    for (int i = 1; i <= 12; ++i) model.applyEvent(called(100 + i, "A00" + std::to_string(i % 10), "b1", i), i, at(i));
    auto vm = model.view(12, "");
    CHECK(vm.previous.size() == 6);
    model.applyEvent(called(120, "A005", "b3", 20, "nl", /*recall=*/true), 20, at(20));
    vm = model.view(20, "");
    CHECK(vm.newest->number == "A005");
    for (auto& p : vm.previous) CHECK(p.number != "A005");
}

TEST_CASE("signage: each call is announced once and in order, and a recall is announced again") {
    auto model = started();
    model.applyEvent(called(101, "A001", "b1", 1), 1, at(1));
    model.applyEvent(called(102, "B001", "b2", 1), 1, at(1));
    CHECK(numbers(model.takeAnnouncements()) == std::vector<std::string>{"A001", "B001"});
    CHECK(model.takeAnnouncements().empty());
    model.applyEvent(called(103, "A001", "b1", 2, "nl", /*recall=*/true), 2, at(2));
    CHECK(numbers(model.takeAnnouncements()) == std::vector<std::string>{"A001!"});
    // The same event delivered twice (a replay overlap) is applied once.
    model.applyEvent(called(103, "A001", "b1", 2, "nl", true), 3, at(2));
    model.applyEvent(ticketEvent(104, "ticket.issued", "A002", "waiting", "b1"), 3, at(2));
    CHECK(model.takeAnnouncements().empty());
}

TEST_CASE("offline: calls caught up after an outage are all shown, and spoken only while still current and fresh") {
    auto model = started();
    model.applyEvent(called(101, "A001", "b1", 1), 1, at(1));
    CHECK(numbers(model.takeAnnouncements()) == std::vector<std::string>{"A001"});
    // Not live from 5 s on; at 50 s the stream replays from Last-Event-ID: A002 was already handled,
    // B001 was called 60 s ago and still waits at its counter, R001 was called 4 s ago.
    CHECK(model.view(5.5, "").disconnected);
    auto r001 = called(105, "R001", "b3", 4);
    r001.call->calledAt = stamp(4, 56);
    model.applyEvent(called(102, "A002", "b1", 3), 50, at(5));
    model.applyEvent(ticketEvent(103, "ticket.started", "A002", "serving", "b1"), 50, at(5));
    model.applyEvent(called(104, "B001", "b2", 4), 50, at(5));
    model.applyEvent(r001, 50, at(5));
    auto vm = model.view(50, "");
    CHECK_FALSE(vm.disconnected);
    CHECK(vm.newest->number == "R001");
    CHECK(vm.previous.at(0).number == "B001");
    CHECK(vm.previous.at(1).number == "A002");
    CHECK(vm.previous.at(2).number == "A001");
    CHECK(numbers(model.takeAnnouncements()) == std::vector<std::string>{"R001"});
    // The same events replayed again (a second reconnect) are neither shown twice nor spoken.
    model.applyEvent(r001, 51, at(5, 1));
    CHECK(model.takeAnnouncements().empty());
    // Three seconds after contact returned the catch-up is over: a new call is news again.
    model.applyEvent(called(106, "A003", "b1", 5), 53.5, at(5, 8));
    CHECK(numbers(model.takeAnnouncements()) == std::vector<std::string>{"A003"});
}

TEST_CASE("signage: a call from long ago is shown but not spoken") {
    auto model = started();
    model.applyEvent(called(101, "A001", "b1", 1), 600, at(10));
    CHECK(model.view(600, "").newest->number == "A001");
    CHECK(model.takeAnnouncements().empty());
}

TEST_CASE("signage: the first snapshot is history, shown and never spoken") {
    SignageModel model(SignageConfig{}, texts(), 0.0);
    auto snap = hall();
    snap.recentCalls = {{"A002", "b1", "1", stamp(3), "nl"}, {"A001", "b3", "3", stamp(1), "nl"}};
    model.applySnapshot(snap, 5.0, at(3, 10));
    auto vm = model.view(5.0, "");
    REQUIRE(vm.newest);
    CHECK(vm.newest->number == "A002");
    CHECK(vm.previous.at(0).number == "A001");
    CHECK(vm.highlight); // called 10 s ago: still within its 30 s
    CHECK(model.takeAnnouncements().empty());
}

TEST_CASE("signage: after a reset the reloaded snapshot adds the missed calls, spoken if still current") {
    auto model = started();
    model.applyEvent(called(101, "A001", "b1", 1), 1, at(1));
    (void)model.takeAnnouncements();
    proto::HallEvent reset;
    reset.type = "reset";
    model.applyEvent(reset, 60, at(2));
    CHECK(model.wantsSnapshot(60));
    auto snap = hall();
    snap.eventId = 7; // a restarted server may number its events anew
    snap.counters[1].ticket = ticket("B002", "called", "b2");
    snap.counters[0].ticket = ticket("A002", "serving", "b1");
    snap.recentCalls = {{"B002", "b2", "2", stamp(2), "nl"}, {"A002", "b1", "1", stamp(1, 30), "nl"}, {"A001", "b1", "1", stamp(1), "nl"}};
    model.applySnapshot(snap, 61, at(2, 5));
    CHECK_FALSE(model.wantsSnapshot(61));
    auto vm = model.view(61, "");
    CHECK(vm.newest->number == "B002");
    CHECK(vm.previous.at(0).number == "A002");
    CHECK(numbers(model.takeAnnouncements()) == std::vector<std::string>{"B002"});
    // Events after the reset use the new server's numbering and are not mistaken for replays.
    model.applyEvent(called(8, "A003", "b3", 3), 62, at(3));
    CHECK(model.view(62, "").newest->number == "A003");
}

TEST_CASE("offline: 4 s without a sign of life shows the disconnected mark while the last state stays") {
    auto model = started();
    model.applyEvent(called(101, "A001", "b1", 1), 1, at(1));
    CHECK_FALSE(model.view(5.0, "").disconnected);
    auto vm = model.view(5.01, "");
    CHECK(vm.disconnected);
    CHECK(vm.newest->number == "A001");
    const auto revision = model.revision();
    model.noteAlive(6);
    CHECK(model.revision() != revision); // the mark goes away at once
    CHECK_FALSE(model.view(6, "").disconnected);
    SignageModel neverConnected(SignageConfig{}, texts(), 100.0);
    CHECK_FALSE(neverConnected.view(104, "").disconnected);
    CHECK(neverConnected.view(104.5, "").disconnected);
}

TEST_CASE("signage: a refused server certificate turns the disconnected mark into a certificate alert until contact") {
    auto model = started();
    model.noteCertificateRefused();
    // Refused, but not yet disconnected for long: no mark at all yet.
    CHECK_FALSE(model.view(3, "").untrusted);
    auto vm = model.view(21.5, "");
    CHECK(vm.disconnected);
    CHECK(vm.untrusted);
    CHECK(vm.texts.untrusted.first != vm.texts.disconnected.first);
    // A verified contact again: the alert goes with the mark.
    model.noteAlive(22);
    CHECK_FALSE(model.view(22, "").untrusted);
    CHECK_FALSE(model.view(43, "").untrusted); // lost again later, for another reason: a plain mark
    CHECK(model.view(43, "").disconnected);
}

TEST_CASE("signage: a zone display shows only its counters' calls and the services they handle") {
    SignageConfig config;
    config.profile = Profile::Zone;
    config.zoneCounters = {"b2"};
    auto model = started(config);
    model.applyEvent(called(101, "A001", "b1", 1), 1, at(1));
    model.applyEvent(called(102, "B001", "b2", 1), 1, at(1));
    auto vm = model.view(1, "");
    CHECK(vm.newest->number == "B001");
    CHECK(vm.previous.empty());
    REQUIRE(vm.waiting.size() == 1);
    CHECK(vm.waiting[0].prefix == "B");
    CHECK(numbers(model.takeAnnouncements()) == std::vector<std::string>{"B001"});
}

TEST_CASE("signage: a counter-top display shows only its own counter's current number") {
    SignageConfig config;
    config.profile = Profile::CounterTop;
    config.counter = "b3";
    auto model = started(config);
    auto vm = model.view(0, "");
    CHECK(vm.counterTop.counterLabel == "Balie 3");
    CHECK(vm.counterTop.number.empty());
    model.applyEvent(called(101, "A001", "b1", 1), 1, at(1));
    CHECK(model.view(1, "").counterTop.number.empty());
    model.applyEvent(called(102, "R001", "b3", 1), 1, at(1));
    CHECK(model.view(1, "").counterTop.number == "R001");
    model.applyEvent(ticketEvent(103, "ticket.completed", "R001", "done", "b3"), 2, at(2));
    CHECK(model.view(2, "").counterTop.number.empty());
}

TEST_CASE("signage: each service shows how many wait and the expected wait in whole minutes") {
    auto vm = started().view(0, "");
    REQUIRE(vm.waiting.size() == 3);
    CHECK(vm.waiting[0].label == "Dienst A");
    CHECK(vm.waiting[0].waiting == 3);
    CHECK(vm.waiting[0].expectedWait == "± 14 min");
    CHECK(vm.waiting[1].expectedWait.empty());
    CHECK(vm.waiting[2].expectedWait == "± 1 min");
}

TEST_CASE("signage: numbers only - names, visitor codes and booking codes never reach the screen") {
    const char* body = R"({"event_id": 5, "hall": {"name": "Gemeente Katwijk"},
      "services": [{"id": "paspoort", "name": {"nl": "Paspoort"}, "prefix": "A", "waiting": 1, "estimated_wait_s": 60}],
      "counters": [{"id": "b1", "name": "1", "services": ["paspoort"], "state": "open",
        "ticket": {"id": "t1", "number": "A001", "service": "paspoort", "status": "called", "counter": "b1",
                   "name": "Jansen", "note": "boze klant", "public_code": "Zx81secret", "appointment": {"code": "K7Q2MX"}}}],
      "recent_calls": [{"number": "A001", "counter": "b1", "counter_name": "1", "called_at": "2026-11-23T09:01:00+01:00", "name": "Jansen"}]})";
    auto snap = loket::proto::parseHallSnapshot(body);
    REQUIRE(snap);
    SignageModel model(SignageConfig{}, texts(), 0);
    model.applySnapshot(*snap, 0, at(1));
    auto vm = model.view(0, "09:01");
    std::string all = vm.hallName + vm.newest->number + vm.newest->counterLabel + vm.counterTop.number;
    for (auto& w : vm.waiting) all += w.label + w.prefix;
    for (const char* secret : {"Jansen", "boze", "Zx81secret", "K7Q2MX"}) CHECK(all.find(secret) == std::string::npos);
}

TEST_CASE("signage: a visitor who chose English hears the call in Dutch, then in English") {
    auto nl = loket::i18n::loadCatalog(std::string(LOKET_SOURCE_DIR) + "/assets", "nl");
    auto en = loket::i18n::loadCatalog(std::string(LOKET_SOURCE_DIR) + "/assets", "en");
    std::map<std::string, loket::i18n::Catalog> catalogs{{"nl", *nl}, {"en", *en}};
    auto model = started();
    model.applyEvent(called(101, "A012", "b3", 1, "en"), 1, at(1));
    model.applyEvent(called(102, "B007", "b2", 1, "tr"), 1, at(1));
    auto due = model.takeAnnouncements();
    REQUIRE(due.size() == 2);
    auto lines = loket::signage::spokenLines(due[0], catalogs, {"nl", "en"});
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == "Nummer A 12, naar balie 3.");
    CHECK(lines[1].language == "en");
    CHECK(lines[1].text == "Number A 12, to counter 3.");
    // Turkish is not among this display's languages: Dutch only.
    CHECK(loket::signage::spokenLines(due[1], catalogs, {"nl", "en"}).size() == 1);
}

TEST_CASE("signage: the snapshot is fetched at start, at once after reset, and refreshed at most every 3 s") {
    SignageModel model(SignageConfig{}, texts(), 0);
    CHECK(model.wantsSnapshot(0));
    model.snapshotRequested(0);
    model.applySnapshot(hall(), 0, at(0));
    CHECK_FALSE(model.wantsSnapshot(1));
    model.applyEvent(ticketEvent(101, "ticket.issued", "A004", "waiting", "b1"), 1, at(1));
    CHECK(model.wantsSnapshot(3.1));
    model.snapshotRequested(3.1);
    model.applyEvent(ticketEvent(102, "ticket.issued", "A005", "waiting", "b1"), 3.5, at(1));
    CHECK_FALSE(model.wantsSnapshot(4));
    CHECK(model.wantsSnapshot(6.2));
}
