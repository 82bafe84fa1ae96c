// PgConnection: one libpq connection with its own lock, the few calls the PostgreSQL store
// needs (parameterised statements in text format, transactions), and libpq's errors turned into
// StoreFailed values at this border. A broken connection is reset before the next statement, so a
// PostgreSQL restart costs the commands that ran into it, not the server.
// Used by server/store/postgres_* only; nothing else sees libpq.
#pragma once

#include "shared/core/result.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace loket::server::pg {

// A statement parameter: text, or NULL.
using Param = std::optional<std::string>;
inline Param param(std::int64_t v) { return std::to_string(v); }
inline Param param(const std::string& v) { return v; }
inline Param param(const std::optional<std::int64_t>& v) { return v ? Param(std::to_string(*v)) : std::nullopt; }
// A one-dimensional array parameter in PostgreSQL's text form ({"a","b\"c"}), for statements
// that take many rows at once (`unnest($1::text[], …)`, `key = ANY($1::text[])`).
std::string textArray(const std::vector<std::string>& values);

// One statement of a pipeline; `what` names it in the error. With a `prepared` name the server
// parses and plans the SQL once per connection (the first pipeline that runs it prepares it, in
// the same round trip) and every later run only binds the parameters: for the statements a write
// turn runs on every group. The name must always stand for the same SQL.
struct Statement {
    std::string what;
    std::string sql;
    std::vector<Param> params;
    const char* prepared = nullptr;
};

// The rows of one statement; text values, NULL as no value.
class Rows {
public:
    explicit Rows(pg_result* r) : m_result(r) {}
    int size() const;
    std::string text(int row, int col) const;
    std::int64_t integer(int row, int col) const;
    std::optional<std::int64_t> optInteger(int row, int col) const;

private:
    friend class Connection;
    struct Free {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Free> m_result;
};

class Connection {
public:
    static Result<std::unique_ptr<Connection>> open(const std::string& url);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // One statement; `what` names it in the error ("storing an event: <server message>").
    Result<Rows> exec(const std::string& what, const char* sql, const std::vector<Param>& params = {});
    // Several statements without parameters (a migration step).
    Status script(const std::string& what, const char* sql);
    // Several statements without parameters in one round trip; the rows of the last one.
    Result<Rows> query(const std::string& what, const char* sql);
    // Several parameterised statements in one round trip (libpq's pipeline mode), run in order;
    // the rows of each. The first error stops the rest (PostgreSQL skips them up to the sync) and
    // is the result; inside an explicit transaction, that transaction is then failed, so a COMMIT
    // at the end of the pipeline commits everything or nothing. Meant for a few statements with
    // small results: the connection is in blocking mode, and a pipeline whose results filled the
    // socket while libpq was still sending could stall.
    Result<std::vector<Rows>> pipeline(const std::vector<Statement>& statements);
    // Ends an open transaction without a word: after an error the first error is what counts.
    void rollbackQuietly();
    // Resets the connection if it broke (the server restarted, the network dropped).
    Status ensureConnected();
    pg_conn* raw() { return m_conn; }

private:
    explicit Connection(pg_conn* c) : m_conn(c) {}
    void reset(); // PQreset: a new session, so nothing is prepared any more
    pg_conn* m_conn;
    std::set<std::string> m_prepared; // statement names this session has prepared
};

// Whether `spec` names a PostgreSQL database (postgresql://… or postgres://…).
bool isPostgresUrl(const std::string& spec);

} // namespace loket::server::pg
