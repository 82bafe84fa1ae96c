// openEventStore: the store the command line or the configuration names. A postgresql:// (or
// postgres://) URL opens the PostgreSQL store that several hall servers can share; anything else
// is the path of the SQLite file (the default, one hall server). Used by main.cpp.
#pragma once

#include "server/event_store.hpp"

#include <memory>
#include <string>

namespace loket::server {

bool isPostgresStore(const std::string& spec);
Result<std::unique_ptr<EventStore>> openEventStore(const std::string& spec);

} // namespace loket::server
