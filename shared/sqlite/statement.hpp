// sqlite::Statement, shared by the server's SQLite store and the kiosk's offline journal.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace loket::sqlite {

// A prepared statement that finalises itself. A failed bind is remembered and makes step()
// fail with that code, so no statement runs with a parameter silently left NULL.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
    ~Statement() { sqlite3_finalize(m_stmt); }
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
};

} // namespace loket::sqlite
