// Structured logs: one JSON line per request and per command on stderr, never personal data
// (no names, booking codes, visitor codes, notes, tokens or passwords).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace loket::server {

void logLine(const std::string& kind, nlohmann::json fields);
void setLogQuiet(bool quiet);

} // namespace loket::server
