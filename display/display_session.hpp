// DisplaySession: one hall display's life without its pixels — the link to the server, the
// signage model fed from it on the main thread, and the announcements it decides on. The
// program draws its view-model and plays its utterances; tests and the benchmark drive the same
// session against a real server without a screen.
#pragma once

#include "display/hall_link.hpp"
#include "shared/i18n/catalog.hpp"
#include "shared/signage/display_config.hpp"
#include "shared/signage/signage_model.hpp"
#include "shared/speech/announcement_player.hpp"

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace loket::display {

// The display's server addresses ([server] url and [[server.also]]) as one list for its clients.
std::shared_ptr<net::ServerList> serverListOf(const signage::DisplayConfig& config);

class DisplaySession {
public:
    // `catalogs` holds every language of config.sound.languages (Dutch first).
    // `auth`: an enrolled display's token source and 401 hook (LinkSettings); empty: config.token.
    struct Auth {
        std::function<std::string()> tokenSource;
        std::function<void(const std::string&)> onUnauthorized;
    };
    DisplaySession(const signage::DisplayConfig& config, std::map<std::string, i18n::Catalog> catalogs, double startedAt,
                   Auth auth = {});
    void start() { m_link.start(); }
    void stop() { m_link.stop(); }

    // Applies everything the link delivered; asks for a snapshot when the model needs one.
    // Returns how many messages were applied.
    std::size_t update(double now, std::int64_t nowEpochS);
    // Sleeps until the link delivers something or `timeout` passes.
    void waitForMessages(std::chrono::milliseconds timeout) { m_queue.waitFor(timeout); }

    signage::HallVm view(double now, const std::string& clockText) const { return m_model.view(now, clockText); }
    // The calls to speak now, as sentences. Take them after the frame showing them is presented.
    std::vector<speech::Utterance> takeUtterances();

    const signage::SignageModel& model() const { return m_model; }
    HallLink& link() { return m_link; }
    // The last problems the link reported (newest last), for logs and tests.
    const std::deque<std::string>& problems() const { return m_problems; }
    // How many problems were reported since start (problems() keeps only the last few).
    std::size_t problemCount() const { return m_problemCount; }

private:
    signage::DisplayConfig m_config;
    std::map<std::string, i18n::Catalog> m_catalogs;
    signage::SignageModel m_model;
    ui::MainQueue<LinkMessage> m_queue;
    HallLink m_link;
    std::deque<std::string> m_problems;
    std::size_t m_problemCount = 0;
};

// Catalogs for the display's languages, with a clear error naming a missing one.
Result<std::map<std::string, i18n::Catalog>> loadDisplayCatalogs(const std::filesystem::path& assetsDir,
                                                                  const std::vector<std::string>& languages);

} // namespace loket::display
