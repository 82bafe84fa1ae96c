// sqlite::Statement, shared by the server's SQLite store and the kiosk's offline journal.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace loket::sqlite {

class StatementCache;

// A prepared statement that finalises itself. A failed bind is remembered and makes step()
// fail with that code, so no statement runs with a parameter silently left NULL.
// Made from a StatementCache it is borrowed instead: reset, its bindings cleared, and handed
// back when it goes out of scope.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
    inline Statement(StatementCache& cache, const char* sql);
    ~Statement() {
        if (!m_borrowed) sqlite3_finalize(m_stmt);
        else if (m_stmt) reset();
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    bool ok() const { return m_rc == SQLITE_OK; }
    Statement& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(m_stmt, i, v)); }
    Statement& bind(int i, const std::string& v) {
        return check(sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    Statement& bindNull(int i) { return check(sqlite3_bind_null(m_stmt, i)); }
    Statement& bindOpt(int i, const std::optional<std::int64_t>& v) { return v ? bind(i, *v) : bindNull(i); }
    Statement& bind(int i, const std::optional<std::string>& v) { return v ? bind(i, *v) : bindNull(i); }
    int step() { return m_rc == SQLITE_OK ? sqlite3_step(m_stmt) : m_rc; }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    bool null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    std::optional<std::int64_t> optInteger(int col) const {
        if (sqlite3_column_type(m_stmt, col) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_int64(m_stmt, col);
    }
    std::string text(int col) const {
        auto p = sqlite3_column_text(m_stmt, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
                 : std::string();
    }

private:
    Statement& check(int rc) {
        if (m_rc == SQLITE_OK && rc != SQLITE_OK) m_rc = rc;
        return *this;
    }
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc;
    bool m_borrowed = false;
};

// The statements one connection runs again and again (a store's commit path, its retry-key
// look-up), prepared once and kept: preparing them for every batch was 80 k instructions of a
// check-in (docs/benchmarks.md). Not thread-safe: it belongs to a connection and is used under
// that connection's lock, one borrow of a given statement at a time. Destroy it before closing
// the connection (sqlite3_close refuses while statements are unfinalised).
class StatementCache {
public:
    explicit StatementCache(sqlite3* db) : m_db(db) {}
    ~StatementCache() {
        for (auto& [sql, stmt] : m_statements) sqlite3_finalize(stmt);
    }
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

private:
    friend class Statement;
    // The prepared statement for sql, prepared now if it is new; SQLite's error code when that
    // fails (nothing is kept then, so the next borrow tries again).
    int find(const char* sql, sqlite3_stmt*& out) {
        if (auto it = m_statements.find(std::string_view(sql)); it != m_statements.end()) {
            out = it->second;
            return SQLITE_OK;
        }
        const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &out, nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(out);
            out = nullptr;
            return rc;
        }
        m_statements.emplace(sql, out);
        return SQLITE_OK;
    }
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    sqlite3* m_db;
    // Keyed by the text (a copy): the same literal may sit at two addresses.
    std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> m_statements;
};

Statement::Statement(StatementCache& cache, const char* sql) : m_borrowed(true) { m_rc = cache.find(sql, m_stmt); }

} // namespace loket::sqlite
