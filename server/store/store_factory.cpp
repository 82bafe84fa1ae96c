#include "store_factory.hpp"

#include "postgres_event_store.hpp"
#include "server/sqlite_event_store.hpp"

#include <filesystem>

namespace loket::server {

bool isPostgresStore(const std::string& spec) { return pg::isPostgresUrl(spec); }

std::string sqlitePartitionPath(const std::string& file, const std::string& partition) {
    if (partition.empty()) return file;
    const std::filesystem::path p(file);
    return (p.parent_path() / (p.stem().string() + "." + partition + p.extension().string())).string();
}

Result<std::unique_ptr<EventStore>> openEventStore(const std::string& spec, const std::string& partition) {
    if (spec.empty()) return makeError(ErrorCode::ConfigError, "no store given: a SQLite file or a postgresql:// URL");
    if (isPostgresStore(spec)) return PostgresEventStore::open(spec, partition);
    return SqliteEventStore::open(sqlitePartitionPath(spec, partition));
}

} // namespace loket::server
