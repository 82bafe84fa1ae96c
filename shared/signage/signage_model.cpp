#include "shared/signage/signage_model.hpp"

#include "shared/i18n/catalog.hpp"
#include "shared/proto/rfc3339.hpp"

#include <algorithm>
#include <cmath>

namespace loket::signage {
namespace {

// How many calls are kept: enough for every profile's list, small enough to scan each frame.
constexpr std::size_t kKeptCalls = 32;
// Waiting numbers come from the snapshot; after ticket events they are refreshed this often.
constexpr double kRefreshIntervalS = 3.0;

bool isCalledOrServing(const std::string& status) { return status == "called" || status == "serving"; }

std::optional<std::int64_t> calledAtEpochS(const proto::ClientCall& call) {
    auto called = proto::parseRfc3339(call.calledAt);
    if (!called) return std::nullopt;
    return called->t;
}

} // namespace

std::vector<SpokenLine> spokenLines(const Announcement& a, const std::map<std::string, i18n::Catalog>& catalogs,
                                    const std::vector<std::string>& languages) {
    std::vector<SpokenLine> out;
    auto say = [&](const std::string& lang) {
        auto catalog = catalogs.find(lang);
        if (catalog == catalogs.end()) return;
        out.push_back(SpokenLine{lang, spokenCallText(catalog->second, a.number, a.counterName, a.recall)});
    };
    say("nl");
    if (a.language != "nl" && std::find(languages.begin(), languages.end(), a.language) != languages.end()) say(a.language);
    return out;
}

std::string callKey(const proto::ClientCall& call) { return call.number + "|" + call.counter + "|" + call.calledAt; }

SignageModel::SignageModel(SignageConfig config, DisplayTexts texts, double startedAt)
    : m_config(std::move(config)),
      m_texts(std::move(texts)),
      m_hallName(m_config.hallName),
      m_freshness(m_config.disconnectedAfterS, m_config.catchUpS, m_config.announceFreshS, startedAt) {}

bool SignageModel::inProfile(const std::string& counterId) const {
    switch (m_config.profile) {
    case Profile::Hall: return true;
    case Profile::Zone:
        return std::find(m_config.zoneCounters.begin(), m_config.zoneCounters.end(), counterId) != m_config.zoneCounters.end();
    case Profile::CounterTop: return counterId == m_config.counter;
    }
    return true;
}

void SignageModel::noteAlive(double now) {
    if (!m_freshness.live(now)) ++m_revision; // the mark goes away
    m_freshness.alive(now);
    if (m_certificateRefused) ++m_revision;
    m_certificateRefused = false;
}

void SignageModel::noteCertificateRefused() {
    if (!m_certificateRefused) ++m_revision;
    m_certificateRefused = true;
}

void SignageModel::setCounter(const proto::ClientCounter& counter) {
    if (!m_counters.count(counter.id)) m_counterOrder.push_back(counter.id);
    m_counters[counter.id] = counter;
    if (counter.ticket) m_ticketStatus[counter.ticket->number] = counter.ticket->status;
}

void SignageModel::addCall(const proto::ClientCall& call, double shownAt) {
    // A number is listed once: a recall or a second call moves it to the top.
    m_calls.erase(std::remove_if(m_calls.begin(), m_calls.end(),
                                 [&](const CallEntry& e) { return e.call.number == call.number; }),
                  m_calls.end());
    m_calls.push_front(CallEntry{call, shownAt});
    if (m_calls.size() > kKeptCalls) m_calls.pop_back();
    m_seenCalls.insert(callKey(call));
    ++m_revision;
}

void SignageModel::queueAnnouncement(const proto::ClientCall& call, std::string key, bool recall) {
    m_pending.push_back(Announcement{std::move(key), call.number, call.counter, call.counterName, call.language, recall});
}

void SignageModel::applySnapshot(const proto::HallSnapshot& snap, double now, std::int64_t nowEpochS) {
    noteAlive(now);
    if (!snap.hall.name.empty()) m_hallName = snap.hall.name;
    m_banner = snap.hall.banner;
    m_services = snap.services;
    // Counters from a snapshot older than events already applied would undo those events.
    if (snap.eventId >= m_lastEventId || m_needsReload) {
        for (auto& counter : snap.counters) setCounter(counter);
    }
    const bool history = !m_initialised;
    // The server lists recent calls newest first; add them oldest first so the newest ends on top.
    for (auto it = snap.recentCalls.rbegin(); it != snap.recentCalls.rend(); ++it) {
        const proto::ClientCall& call = *it;
        const std::string key = callKey(call);
        if (m_seenCalls.count(key)) continue;
        if (!inProfile(call.counter)) {
            m_seenCalls.insert(key);
            continue;
        }
        // A call's highlight runs from when it was made, so an old call is not highlighted now.
        const auto calledAt = calledAtEpochS(call);
        const double age = calledAt ? std::max<double>(0, static_cast<double>(nowEpochS - *calledAt)) : 0;
        addCall(call, now - age);
        if (history) continue;
        // Missed while away: still current only if its counter still has it called.
        auto counter = m_counters.find(call.counter);
        const bool current = counter != m_counters.end() && counter->second.ticket &&
                             counter->second.ticket->number == call.number && counter->second.ticket->status == "called";
        m_ticketStatus[call.number] = current ? "called" : "gone";
        if (m_freshness.mayAnnounce(now, nowEpochS, calledAt, /*missed=*/true)) queueAnnouncement(call, key, false);
    }
    m_lastEventId = std::max(m_lastEventId, snap.eventId);
    m_initialised = true;
    m_needsReload = false;
    m_waitingStale = false;
    m_configStale = false;
    ++m_revision;
}

void SignageModel::applyEvent(const proto::HallEvent& ev, double now, std::int64_t nowEpochS) {
    noteAlive(now);
    if (ev.type == "reset") {
        // The server cannot replay what we missed: reload the snapshot and accept its numbering.
        m_needsReload = true;
        m_lastEventId = 0;
        return;
    }
    if (ev.id > 0 && ev.id <= m_lastEventId) return; // already applied (a replay overlap)
    if (ev.id > 0) m_lastEventId = ev.id;

    if (ev.configuration) {
        m_banner = ev.configuration->banner;
        if (ev.configuration->servicesChanged) m_configStale = true;
        ++m_revision;
        return;
    }
    if (ev.counter) setCounter(*ev.counter);
    if (ev.ticket) m_ticketStatus[ev.ticket->number] = ev.ticket->status;
    if (ev.type == "counter.updated") {
        ++m_revision;
        return;
    }
    if (ev.type.rfind("ticket.", 0) == 0) m_waitingStale = true;

    if ((ev.type == "ticket.called" || ev.type == "ticket.recalled") && ev.call) {
        const bool recall = ev.type == "ticket.recalled";
        m_ticketStatus[ev.call->number] = "called";
        if (!inProfile(ev.call->counter)) return;
        const std::string key = recall ? "recall|" + callKey(*ev.call) + "|" + std::to_string(ev.id) : callKey(*ev.call);
        if (!recall && m_seenCalls.count(key)) return;
        addCall(*ev.call, now);
        // Shown in any case; spoken when it is news (a recall's called_at is the recall's time).
        if (m_freshness.mayAnnounce(now, nowEpochS, calledAtEpochS(*ev.call))) queueAnnouncement(*ev.call, key, recall);
        return;
    }
    if (ev.counter || ev.ticket) ++m_revision;
}

std::vector<Announcement> SignageModel::takeAnnouncements() {
    std::vector<Announcement> out;
    for (auto& a : m_pending) {
        // Only what is still current is spoken: the ticket still called, at the same counter.
        // (Whether it was fresh was decided when it arrived: CallFreshness.)
        auto status = m_ticketStatus.find(a.number);
        if (status != m_ticketStatus.end() && status->second != "called") continue;
        auto counter = m_counters.find(a.counterId);
        if (counter != m_counters.end() && counter->second.ticket && counter->second.ticket->number != a.number) continue;
        out.push_back(std::move(a));
    }
    m_pending.clear();
    return out;
}

bool SignageModel::wantsSnapshot(double now) const {
    if (!m_initialised || m_needsReload || m_configStale) return true;
    return m_waitingStale && now - m_lastSnapshotRequest >= kRefreshIntervalS;
}

void SignageModel::snapshotRequested(double now) {
    m_lastSnapshotRequest = now;
    m_waitingStale = false;
    m_configStale = false;
}

CallVm SignageModel::callVm(const proto::ClientCall& call) const {
    CallVm vm;
    vm.number = call.number;
    vm.counterId = call.counter;
    // The counter's name as it is now (the admin page may have renamed it since the call).
    std::string name = call.counterName;
    if (auto c = m_counters.find(call.counter); c != m_counters.end() && !c->second.name.empty()) name = c->second.name;
    vm.counterLabel = i18n::fillTemplate(m_texts.counterPattern, {{"counter", name}});
    vm.counterLabelSecond = i18n::fillTemplate(m_texts.counterPatternSecond, {{"counter", name}});
    if (auto a = m_config.arrows.find(call.counter); a != m_config.arrows.end()) vm.direction = a->second;
    vm.timeText = proto::localClockText(call.calledAt);
    return vm;
}

HallVm SignageModel::view(double now, const std::string& clockText) const {
    HallVm vm;
    vm.profile = m_config.profile;
    vm.hallName = m_hallName;
    vm.clockText = clockText;
    vm.texts = m_texts;
    vm.disconnected = !m_freshness.live(now);
    vm.untrusted = vm.disconnected && m_certificateRefused;
    vm.banner = core::textIn(m_banner, m_texts.lang1);
    if (auto second = m_banner.find(m_texts.lang2); second != m_banner.end() && second->second != vm.banner) vm.bannerSecond = second->second;

    if (!m_calls.empty()) {
        const CallEntry& newest = m_calls.front();
        vm.newest = callVm(newest.call);
        const double age = now - newest.shownAt;
        vm.highlight = age >= 0 && age < m_config.highlightS;
        // A calm 1 Hz pulse during the first seconds (WCAG 2.3.1 allows at most 3 flashes a second).
        vm.highlightOn = vm.highlight && (age >= m_config.pulseS || std::fmod(age, 1.0) < 0.5);
        for (std::size_t i = 1; i < m_calls.size() && static_cast<int>(vm.previous.size()) < m_config.previousCalls; ++i)
            vm.previous.push_back(callVm(m_calls[i].call));
    }

    // Services shown: all of them in the hall; in a zone only those its counters handle.
    std::set<std::string> zoneServices;
    if (m_config.profile == Profile::Zone)
        for (auto& id : m_config.zoneCounters)
            if (auto c = m_counters.find(id); c != m_counters.end()) zoneServices.insert(c->second.services.begin(), c->second.services.end());
    for (auto& s : m_services) {
        if (m_config.profile == Profile::Zone && !zoneServices.count(s.id)) continue;
        WaitingVm w;
        w.prefix = s.prefix;
        w.label = s.publicLabel ? core::textIn(*s.publicLabel, m_texts.lang1) : core::textIn(s.name, m_texts.lang1);
        w.waiting = s.waiting;
        if (s.waiting > 0) {
            const long minutes = std::max<long>(1, static_cast<long>(std::ceil(static_cast<double>(s.estimatedWaitS) / 60.0)));
            w.expectedWait = i18n::fillTemplate(m_texts.expectedWaitPattern, {{"min", std::to_string(minutes)}});
        }
        vm.waiting.push_back(std::move(w));
    }

    if (m_config.profile == Profile::CounterTop) {
        auto c = m_counters.find(m_config.counter);
        std::string name = c != m_counters.end() ? c->second.name : m_config.counter;
        vm.counterTop.counterLabel = i18n::fillTemplate(m_texts.counterPattern, {{"counter", name}});
        vm.counterTop.counterLabelSecond = i18n::fillTemplate(m_texts.counterPatternSecond, {{"counter", name}});
        if (c != m_counters.end()) {
            vm.counterTop.closed = c->second.state == "closed";
            if (c->second.ticket && isCalledOrServing(c->second.ticket->status)) vm.counterTop.number = c->second.ticket->number;
        }
    }
    return vm;
}

} // namespace loket::signage
