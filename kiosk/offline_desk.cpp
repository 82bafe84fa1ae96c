#include "offline_desk.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/offline/offline_book.hpp"
#include "shared/proto/rfc3339.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace loket::kiosk {
namespace {

using Json = nlohmann::json;

Error badAnswer(const std::string& what, const std::exception& e) {
    return makeError(ErrorCode::InvalidJson, "offline " + what + ": unexpected answer: " + e.what());
}

Error requestFailed(const net::HttpClient& http, const std::string& what) {
    if (const auto& f = http.lastFailure()) return f->error;
    return makeError(ErrorCode::Unavailable, "offline " + what + " failed");
}

} // namespace

Status OfflineDesk::sync(net::HttpClient& http, core::Seconds kioskNow) {
    auto kept = m_journal.leases();
    if (!kept) return kept.error();
    Json used = Json::object();
    for (const auto& l : *kept) {
        auto n = m_journal.used(l.id);
        if (!n) return n.error();
        used[std::to_string(l.id)] = *n;
    }
    auto reply = http.post("/api/v1/offline/leases", Json{{"kiosk_time", kioskNow}, {"used", used}}.dump());
    if (!reply) return requestFailed(http, "lease request");
    std::vector<JournalLease> leases;
    try {
        const Json j = Json::parse(reply->body);
        m_bookKey = j.at("book_key").get<std::string>();
        m_visitorUrlBase = j.at("visitor_url_base").get<std::string>();
        m_utcOffsetS = j.at("utc_offset_s").get<std::int32_t>();
        m_offsetS = j.at("server_time").get<core::Seconds>() - kioskNow;
        const std::string day = j.at("day").get<std::string>();
        for (const auto& l : j.at("leases")) {
            JournalLease lease;
            lease.id = l.at("id");
            lease.service = l.at("service");
            lease.prefix = l.at("prefix").get<std::string>().at(0);
            lease.first = l.at("first");
            lease.count = l.at("count");
            lease.day = day;
            lease.expiresAt = l.at("expires_at_s");
            leases.push_back(lease);
        }
    } catch (const std::exception& e) {
        return badAnswer("lease request", e);
    }
    if (auto st = m_journal.replaceLeases(leases); !st) return st;

    auto book = http.get("/api/v1/offline/book");
    if (!book) return requestFailed(http, "book request");
    try {
        std::map<std::string, BookEntry> entries;
        const Json parsed = Json::parse(book->body); // kept: a range-for over a temporary's member dangles
        for (const auto& a : parsed.at("appointments"))
            entries[a.at("hash").get<std::string>()] = BookEntry{a.at("services").at(0).get<std::string>(), a.at("starts_at").get<std::string>()};
        m_book = std::move(entries);
    } catch (const std::exception& e) {
        return badAnswer("book request", e);
    }
    m_synced = true;
    return Ok{};
}

Result<OfflineUploadResult> OfflineDesk::upload(net::HttpClient& http) {
    OfflineUploadResult out;
    for (;;) {
        auto batch = m_journal.pending(m_uploadBatch);
        if (!batch) return batch.error();
        if (batch->empty()) {
            out.complete = true;
            return out;
        }
        auto total = m_journal.pendingCount();
        if (!total) return total.error();
        Json entries = Json::array();
        for (const auto& e : *batch)
            entries.push_back({{"key", e.key}, {"lease", e.lease}, {"number", e.number}, {"service", e.service},
                               {"code_hash", e.codeHash ? Json(*e.codeHash) : Json(nullptr)}, {"checked_in_at", e.checkedInAt},
                               {"language", e.language}, {"visitor_code", e.visitorCode}});
        auto reply = http.post("/api/v1/offline/upload",
                               Json{{"entries", entries}, {"unsent", *total - batch->size()}}.dump());
        if (!reply) return requestFailed(http, "upload");
        try {
            const Json answer = Json::parse(reply->body);
            for (const auto& r : answer.at("results")) {
                if (!r.at("key").is_string()) continue;
                const std::string status = r.at("status");
                if (status == "accepted") ++out.accepted;
                else if (status == "duplicate") ++out.duplicates;
                else {
                    ++out.refused;
                    // Refused entries are final: staff need to know (the kiosk's log reaches them).
                    std::cerr << "loket-kiosk: offline ticket " << r.value("number", std::string()) << " refused: "
                              << r.value("error", Json::object()).value("message", std::string()) << "\n";
                }
                if (auto st = m_journal.markAnswered(r.at("key"), status); !st) return st.error();
            }
        } catch (const std::exception& e) {
            return badAnswer("upload", e);
        }
    }
}

bool OfflineDesk::ready() {
    if (m_synced) return true;
    auto leases = m_journal.leases();
    return leases && !leases->empty();
}

Result<proto::IssuedTicket> OfflineDesk::checkIn(const std::string& body, core::Seconds kioskNow) {
    std::string service, language = "nl";
    std::optional<std::string> codeHash;
    std::optional<std::string> startsAt;
    try {
        const Json j = Json::parse(body);
        language = j.value("language", std::string("nl"));
        if (j.contains("appointment_code")) {
            const std::string code = core::normaliseBookingCode(j.at("appointment_code").get<std::string>());
            auto hash = m_bookKey.empty() ? Result<std::string>(makeError(ErrorCode::UnknownAppointment, "no key"))
                                          : offline::bookCodeHash(m_bookKey, code);
            auto found = hash ? m_book.find(*hash) : m_book.end();
            if (found == m_book.end())
                return makeError(ErrorCode::UnknownAppointment, "This code is not in the kiosk's offline book.");
            codeHash = *hash;
            service = found->second.service;
            startsAt = found->second.startsAt;
        } else {
            service = j.at("service").get<std::string>();
        }
    } catch (const std::exception& e) {
        return makeError(ErrorCode::InvalidJson, std::string("offline check-in body: ") + e.what());
    }
    const core::Seconds serverNow = kioskNow + m_offsetS;
    const core::Now now{serverNow, m_utcOffsetS};
    const std::string visitorCode = offline::newVisitorCode();
    auto entry = m_journal.issue(service, codeHash, kioskNow, serverNow, core::formatDate(core::localDay(now)), language, visitorCode);
    if (!entry) return entry.error();

    proto::IssuedTicket t;
    t.offline = true;
    t.ticket.id = entry->key;
    t.ticket.service = service;
    t.ticket.status = "waiting";
    t.ticket.language = language;
    t.issuedAt = proto::rfc3339(now);
    if (entry->kind == "ticket") {
        t.ticket.number = entry->number;
        t.visitorUrl = m_visitorUrlBase + visitorCode;
        t.appointment = startsAt.has_value();
        t.appointmentStartsAt = startsAt;
    } else {
        t.noNumber = true; // the last resort: the visitor goes to the desk
    }
    return t;
}

std::size_t OfflineDesk::unsent() {
    auto n = m_journal.pendingCount();
    return n ? *n : 0;
}

std::size_t OfflineDesk::withoutNumber() {
    auto n = m_journal.noNumberCount();
    return n ? *n : 0;
}

} // namespace loket::kiosk
