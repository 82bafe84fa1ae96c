// Structured logs: one JSON line per request and per command on stderr, never personal data
// (no names, booking codes, visitor codes, notes, tokens or passwords).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace loket::server {

void logLine(const std::string& kind, nlohmann::json fields);
void setLogQuiet(bool quiet);
// False with --quiet: a caller on the hot path (every request, every command) skips building
// the fields it would log.
bool logEnabled();

} // namespace loket::server
