// The kiosk's offline journal (kiosk/offline_journal.hpp): numbers from usable leases in order,
// committed before they are printed and kept across a restart, the last resort when the blocks
// run out, and clearing after the server's answer.
#include "offline_journal.hpp"
#include "tests/server/server_process.hpp"

#include <catch2/catch.hpp>

using loket::kiosk::JournalLease;
using loket::kiosk::OfflineJournal;
using loket::test::TempDir;

namespace {
JournalLease lease(loket::core::LeaseId id, const std::string& service, char prefix, int first, int count) {
    return JournalLease{id, service, prefix, first, count, "2026-11-23", 10'000};
}
} // namespace

TEST_CASE("offline: the journal issues a lease's numbers in order and keeps them across a restart") {
    TempDir dir;
    const auto file = dir.path() / "journal.sqlite";
    {
        auto journal = OfflineJournal::open(file);
        REQUIRE(journal);
        REQUIRE(journal->replaceLeases({lease(7, "paspoort", 'A', 21, 2), lease(8, "ophalen", 'B', 5, 10)}));
        auto a = journal->issue("paspoort", std::nullopt, 100, 1000, "2026-11-23", "nl", "code-1");
        REQUIRE(a);
        CHECK(a->kind == "ticket");
        CHECK(a->number == "A021");
        CHECK(a->lease == 7);
        auto hashed = journal->issue("paspoort", std::string(64, 'f'), 101, 1001, "2026-11-23", "en", "code-2");
        REQUIRE(hashed);
        CHECK(hashed->number == "A022");
    } // the kiosk loses power
    auto journal = OfflineJournal::open(file);
    REQUIRE(journal);
    CHECK(journal->used(7).value() == 2);
    auto pending = journal->pending(10);
    REQUIRE(pending);
    REQUIRE(pending->size() == 2);
    CHECK((*pending)[0].number == "A021");
    CHECK((*pending)[1].codeHash == std::string(64, 'f'));
    CHECK((*pending)[1].language == "en");
    // The block is used up: the last resort, journalled but never uploaded.
    auto desk = journal->issue("paspoort", std::nullopt, 102, 1002, "2026-11-23", "nl", "code-3");
    REQUIRE(desk);
    CHECK(desk->kind == "no_number");
    CHECK(desk->number.empty());
    CHECK(journal->noNumberCount().value() == 1);
    CHECK(journal->pendingCount().value() == 2);
    // An expired lease (server time past it) or another day's is not used either.
    CHECK(journal->issue("ophalen", std::nullopt, 103, 20'000, "2026-11-23", "nl", "code-4")->kind == "no_number");
    CHECK(journal->issue("ophalen", std::nullopt, 103, 1003, "2026-11-24", "nl", "code-5")->kind == "no_number");
    // The server answered: cleared from the upload; leases it no longer lists go once nothing waits.
    REQUIRE(journal->markAnswered((*pending)[0].key, "accepted"));
    CHECK(journal->pendingCount().value() == 1);
    REQUIRE(journal->replaceLeases({}));
    CHECK(journal->leases()->size() == 1); // lease 7 still has a ticket to upload
    REQUIRE(journal->markAnswered((*pending)[1].key, "duplicate"));
    REQUIRE(journal->replaceLeases({}));
    CHECK(journal->leases()->empty());
}
