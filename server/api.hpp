// Api: the HTTP routes of ../shared/api.md on a cpp-httplib server, with roles enforced on each
// route. Thin: it parses and checks input, turns it into a core command or a read of the hall,
// and renders the answer; the rules live in the core.
#pragma once

#include "auth.hpp"
#include "hall.hpp"
#include "http_util.hpp"
#include "metrics.hpp"

#include <httplib.h>

#include <filesystem>
#include <initializer_list>

namespace loket::server {

class Api {
public:
    Api(Hall& hall, Auth& auth, Metrics& metrics, std::filesystem::path webDir);
    void install(httplib::Server& server);

private:
    // The caller, if it has one of `roles`; otherwise the response already holds 401/403.
    std::optional<Principal> allow(const httplib::Request& req, httplib::Response& res, const std::vector<Role>& roles);
    // Runs a command and answers 200 with `render`, or the command's error.
    void runCommand(httplib::Response& res, const core::Command& command, int okStatus,
                    const std::function<Json(const HallView&, const Executed&)>& render);

    void installPublic(httplib::Server& server);
    void installDevices(httplib::Server& server);
    void installCounter(httplib::Server& server);
    void installAdmin(httplib::Server& server);
    void installStatic(httplib::Server& server);
    void installEvents(httplib::Server& server);

    Hall& m_hall;
    Auth& m_auth;
    Metrics& m_metrics;
    std::filesystem::path m_webDir;
};

} // namespace loket::server
