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
    // A retry changes nothing more on the server (it answers with the leases already granted):
    // failover may repeat it on the next instance.
    net::RequestOptions repeatable;
    repeatable.repeatable = true;
    auto reply = http.post("/api/v1/offline/leases", Json{{"kiosk_time", kioskNow}, {"used", used}}.dump(), repeatable);
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
            lease.uploadSecret = l.value("upload_secret", std::string());
            leases.push_back(lease);
        }
    } catch (const std::exception& e) {
        return badAnswer("lease request", e);
    }
    if (auto st = m_journal.replaceLeases(leases); !st) return st;
    if (auto st = m_journal.keep("contact", Json{{"clock_offset_s", m_offsetS}, {"utc_offset_s", m_utcOffsetS},
                                                 {"visitor_url_base", m_visitorUrlBase}}.dump());
        !st)
        return st;
    m_contactLoaded = true;

    if (auto st = refreshBook(http); !st) return st;
    m_synced = true;
    return Ok{};
}

Status OfflineDesk::refreshBook(net::HttpClient& http) {
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
    return Ok{};
}

Result<bool> OfflineDesk::uploadBatch(net::HttpClient& http, const std::vector<JournalEntry>& batch, std::size_t unsent,
                                      const std::optional<JournalLease>& lease, OfflineUploadResult& out) {
    Json entries = Json::array();
    for (const auto& e : batch)
        entries.push_back({{"key", e.key}, {"lease", e.lease}, {"number", e.number}, {"service", e.service},
                           {"code_hash", e.codeHash ? Json(*e.codeHash) : Json(nullptr)}, {"checked_in_at", e.checkedInAt},
                           {"language", e.language}, {"visitor_code", e.visitorCode}});
    Json body{{"entries", entries}};
    if (!lease) body["unsent"] = unsent;
    // Each entry carries its key (a repeat is answered "duplicate"): failover may repeat the request.
    net::RequestOptions options;
    options.repeatable = true;
    Result<net::HttpResponse> reply = makeError(ErrorCode::Internal, "");
    if (lease) {
        // The lease's own credential instead of the (refused) device token.
        std::string token = http.options().token;
        http.setToken({});
        options.headers = {"Authorization: Lease " + std::to_string(lease->id) + "." + lease->uploadSecret};
        reply = http.post("/api/v1/offline/upload", body.dump(), options);
        http.setToken(std::move(token));
    } else {
        reply = http.post("/api/v1/offline/upload", body.dump(), options);
    }
    if (!reply) {
        if (!lease && http.lastFailure() && http.lastFailure()->status == 401) return false; // revoked: by lease
        return requestFailed(http, "upload");
    }
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
    return true;
}

Result<OfflineUploadResult> OfflineDesk::upload(net::HttpClient& http, bool withToken) {
    OfflineUploadResult out;
    if (!withToken) return uploadByLease(http, out);
    for (;;) {
        auto batch = m_journal.pending(m_uploadBatch);
        if (!batch) return batch.error();
        if (batch->empty()) {
            out.complete = true;
            return out;
        }
        auto total = m_journal.pendingCount();
        if (!total) return total.error();
        auto sent = uploadBatch(http, *batch, *total - batch->size(), std::nullopt, out);
        if (!sent) return sent.error();
        if (!*sent) return uploadByLease(http, out);
    }
}

Result<OfflineUploadResult> OfflineDesk::uploadByLease(net::HttpClient& http, OfflineUploadResult out) {
    auto leases = m_journal.leases();
    if (!leases) return leases.error();
    for (const JournalLease& lease : *leases) {
        for (;;) {
            auto batch = m_journal.pending(m_uploadBatch, lease.id);
            if (!batch) return batch.error();
            if (batch->empty()) break;
            if (lease.uploadSecret.empty())
                return makeError(ErrorCode::Unauthorized, "offline upload: the server refused this kiosk and lease " +
                                                              std::to_string(lease.id) + " has no upload secret");
            auto sent = uploadBatch(http, *batch, 0, lease, out);
            if (!sent) return sent.error();
        }
    }
    auto left = m_journal.pendingCount();
    if (!left) return left.error();
    out.complete = *left == 0;
    return out;
}

void OfflineDesk::loadContact() {
    if (m_contactLoaded) return;
    m_contactLoaded = true;
    auto kept = m_journal.kept("contact");
    if (!kept || kept->empty()) return;
    try {
        const Json j = Json::parse(*kept);
        m_offsetS = j.at("clock_offset_s").get<core::Seconds>();
        m_utcOffsetS = j.at("utc_offset_s").get<std::int32_t>();
        m_visitorUrlBase = j.at("visitor_url_base").get<std::string>();
    } catch (const std::exception& e) {
        std::cerr << "loket-kiosk: offline journal: the last contact cannot be read: " << e.what() << "\n";
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
            // Restarted during the outage: the key is gone with the memory, so no code can be checked.
            if (m_bookKey.empty())
                return makeError(ErrorCode::BookingUnavailable, "The kiosk cannot check appointment codes until the server is back.");
            const std::string code = core::normaliseBookingCode(j.at("appointment_code").get<std::string>());
            auto hash = offline::bookCodeHash(m_bookKey, code);
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
    loadContact();
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
