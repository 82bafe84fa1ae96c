// SignageModel: the hall display's state machine. It takes the hall snapshot (GET /api/v1/hall)
// and the event stream's events, keeps the calls, counters and services a profile shows, and
// builds the HallVm for each frame. It decides what is spoken: each call once, a recall again,
// and after the display was not live only calls that are still current (the ticket still waits
// at its counter) and fresh (CallFreshness: made at most a few seconds before they arrived). A
// configuration change (the admin page) takes effect live: the banner comes with the event;
// renamed counters and changed services come with the snapshot the model asks for at once
// (wantsSnapshot). Pure and deterministic: `now` is a monotonic time in
// seconds, `nowEpochS` the wall clock; neither is read here. Used by display/ and the benchmark.
#pragma once

#include "shared/i18n/catalog.hpp"
#include "shared/proto/client_types.hpp"
#include "shared/signage/call_freshness.hpp"
#include "shared/signage/display_config.hpp"
#include "shared/signage/display_texts.hpp"
#include "shared/signage/hall_vm.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace loket::signage {

// One thing to say: "Nummer A 12, naar balie 3", in Dutch and in `language` when it differs.
struct Announcement {
    std::string key;         // unique per call or recall; nothing is announced twice
    std::string number;      // "A012"
    std::string counterId;   // "b3"
    std::string counterName; // "3"
    std::string language;    // the visitor's language
    bool recall = false;
};

class SignageModel {
public:
    // `startedAt` (monotonic seconds) starts the disconnected clock before any contact.
    SignageModel(SignageConfig config, DisplayTexts texts, double startedAt = 0);

    // The first snapshot is history: its calls are shown, never spoken. A later snapshot (after
    // a `reset`, or a refresh) adds the calls this display missed, spoken if still current.
    void applySnapshot(const proto::HallSnapshot& snapshot, double now, std::int64_t nowEpochS);
    void applyEvent(const proto::HallEvent& event, double now, std::int64_t nowEpochS);
    // The server showed a sign of life (keep-alive comment, event, snapshot).
    void noteAlive(double now);
    // The server's certificate was refused: until the next sign of life, the "connection lost"
    // mark says why.
    void noteCertificateRefused();

    HallVm view(double now, const std::string& clockText) const;
    // The announcements due, in call order; each is returned once.
    std::vector<Announcement> takeAnnouncements();

    // Whether the display should fetch GET /api/v1/hall now: at once after `reset`, and at
    // most every few seconds while waiting numbers are stale after ticket events.
    bool wantsSnapshot(double now) const;
    void snapshotRequested(double now);

    bool initialised() const { return m_initialised; }
    std::int64_t lastEventId() const { return m_lastEventId; }
    // Bumps whenever what the screen shows changes (calls, counters, waiting, connection).
    std::uint64_t revision() const { return m_revision; }

private:
    struct CallEntry {
        proto::ClientCall call;
        double shownAt = 0;
    };
    bool inProfile(const std::string& counterId) const;
    void addCall(const proto::ClientCall& call, double shownAt);
    void queueAnnouncement(const proto::ClientCall& call, std::string key, bool recall);
    void setCounter(const proto::ClientCounter& counter);
    CallVm callVm(const proto::ClientCall& call) const;

    SignageConfig m_config;
    DisplayTexts m_texts;
    std::string m_hallName;
    core::LocalText m_banner;
    std::vector<proto::ClientService> m_services;
    std::vector<std::string> m_counterOrder;
    std::map<std::string, proto::ClientCounter> m_counters;
    std::deque<CallEntry> m_calls; // newest first
    std::map<std::string, std::string> m_ticketStatus; // number → latest status seen
    std::set<std::string> m_seenCalls;                 // keys of calls already shown or spoken
    std::vector<Announcement> m_pending;
    CallFreshness m_freshness; // live or not, and whether a call is fresh enough to speak
    bool m_certificateRefused = false;
    bool m_initialised = false;
    bool m_needsReload = false;
    bool m_configStale = false; // a configuration change named services or counters: fetch the snapshot now
    bool m_waitingStale = false;
    double m_lastSnapshotRequest = -1e9;
    std::int64_t m_lastEventId = 0;
    std::uint64_t m_revision = 0;
};

// One sentence of an announcement in one language.
struct SpokenLine {
    std::string language;
    std::string text;
};
// What is said for an announcement: Dutch first, then the visitor's language when it is another
// one that the display speaks (`languages`, from the config) and has texts for (`catalogs`).
std::vector<SpokenLine> spokenLines(const Announcement& announcement, const std::map<std::string, i18n::Catalog>& catalogs,
                                    const std::vector<std::string>& languages);

// The key of one call ("A012|b3|2026-…"): the same call from an event and a snapshot matches.
std::string callKey(const proto::ClientCall& call);

} // namespace loket::signage
