#include "display/display_session.hpp"

#include "shared/signage/display_texts.hpp"

namespace loket::display {

namespace {
constexpr std::size_t kProblemsKept = 20;

signage::DisplayTexts textsFor(const std::map<std::string, i18n::Catalog>& catalogs) {
    const i18n::Catalog& first = catalogs.at("nl");
    auto second = catalogs.find("en");
    return signage::resolveDisplayTexts(first, second != catalogs.end() ? second->second : first);
}
} // namespace

Result<std::map<std::string, i18n::Catalog>> loadDisplayCatalogs(const std::filesystem::path& assetsDir,
                                                                  const std::vector<std::string>& languages) {
    std::map<std::string, i18n::Catalog> out;
    std::vector<std::string> wanted = languages;
    wanted.push_back("nl");
    wanted.push_back("en");
    for (auto& lang : wanted) {
        if (out.count(lang)) continue;
        auto catalog = i18n::loadCatalog(assetsDir, lang);
        if (!catalog) return catalog.error();
        out.emplace(lang, std::move(*catalog));
    }
    return out;
}

std::shared_ptr<net::ServerList> serverListOf(const signage::DisplayConfig& config) {
    std::vector<net::ServerEndpoint> more;
    for (const auto& address : config.moreServers) more.push_back({address.url, {address.caFile, address.pinnedPublicKey}});
    return net::makeServerList({config.serverUrl, {config.caFile, config.pinnedPublicKey}}, std::move(more));
}

DisplaySession::DisplaySession(const signage::DisplayConfig& config, std::map<std::string, i18n::Catalog> catalogs,
                               double startedAt, Auth auth)
    : m_config(config),
      m_catalogs(std::move(catalogs)),
      m_model(config.signage, textsFor(m_catalogs), startedAt),
      m_link(LinkSettings{config.serverUrl, config.token,
                          std::chrono::milliseconds(static_cast<long>(config.heartbeatIntervalS * 1000)),
                          std::chrono::milliseconds(5000), net::TlsOptions{config.caFile, config.pinnedPublicKey},
                          serverListOf(config), std::move(auth.tokenSource), std::move(auth.onUnauthorized)},
             m_queue) {}

std::size_t DisplaySession::update(double now, std::int64_t nowEpochS) {
    auto messages = m_queue.drain();
    for (auto& message : messages) {
        if (auto* snap = std::get_if<SnapshotLoaded>(&message)) {
            m_model.applySnapshot(snap->snapshot, now, nowEpochS);
        } else if (auto* ev = std::get_if<EventReceived>(&message)) {
            m_model.applyEvent(ev->event, now, nowEpochS);
        } else if (std::holds_alternative<ServerAlive>(message)) {
            m_model.noteAlive(now);
        } else if (auto* problem = std::get_if<LinkProblem>(&message)) {
            if (problem->certificateRefused) m_model.noteCertificateRefused();
            m_problems.push_back(problem->message);
            ++m_problemCount;
            if (m_problems.size() > kProblemsKept) m_problems.pop_front();
        }
    }
    if (m_model.wantsSnapshot(now)) {
        m_model.snapshotRequested(now);
        m_link.requestSnapshot();
    }
    return messages.size();
}

std::vector<speech::Utterance> DisplaySession::takeUtterances() {
    std::vector<speech::Utterance> out;
    for (auto& a : m_model.takeAnnouncements()) {
        speech::Utterance u;
        u.key = a.key;
        for (auto& line : signage::spokenLines(a, m_catalogs, m_config.sound.languages))
            u.parts.push_back(speech::SpokenPart{line.language, line.text});
        if (!u.parts.empty()) out.push_back(std::move(u));
    }
    return out;
}

} // namespace loket::display
