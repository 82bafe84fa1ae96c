// openEventStore: the store the command line or the configuration names. A postgresql:// (or
// postgres://) URL opens the PostgreSQL store that several hall servers can share; anything else
// is the path of the SQLite file (the default, one hall server). Used by main.cpp.
#pragma once

#include "server/event_store.hpp"

#include <memory>
#include <string>

namespace loket::server {

bool isPostgresStore(const std::string& spec);
// `partition`: one location of a city (docs/locations.md); "" for the hall's own store. SQLite:
// the file <stem>.<partition><ext> beside the named one; PostgreSQL: the schema loc_<partition>.
Result<std::unique_ptr<EventStore>> openEventStore(const std::string& spec, const std::string& partition = {});
std::string sqlitePartitionPath(const std::string& file, const std::string& partition);

} // namespace loket::server
