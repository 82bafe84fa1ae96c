#include "store_factory.hpp"

#include "postgres_event_store.hpp"
#include "server/sqlite_event_store.hpp"

namespace loket::server {

bool isPostgresStore(const std::string& spec) { return pg::isPostgresUrl(spec); }

Result<std::unique_ptr<EventStore>> openEventStore(const std::string& spec) {
    if (spec.empty()) return makeError(ErrorCode::ConfigError, "no store given: a SQLite file or a postgresql:// URL");
    if (isPostgresStore(spec)) return PostgresEventStore::open(spec);
    return SqliteEventStore::open(spec);
}

} // namespace loket::server
