#include "postgres_connection.hpp"

#include <libpq-fe.h>

namespace loket::server::pg {

void Rows::Free::operator()(pg_result* r) const { PQclear(r); }
int Rows::size() const { return PQntuples(m_result.get()); }
std::string Rows::text(int row, int col) const {
    return std::string(PQgetvalue(m_result.get(), row, col), static_cast<std::size_t>(PQgetlength(m_result.get(), row, col)));
}
std::int64_t Rows::integer(int row, int col) const { return std::stoll(PQgetvalue(m_result.get(), row, col)); }
std::optional<std::int64_t> Rows::optInteger(int row, int col) const {
    if (PQgetisnull(m_result.get(), row, col)) return std::nullopt;
    return integer(row, col);
}

std::string textArray(const std::vector<std::string>& values) {
    // Every element quoted, so empty strings, commas, braces, spaces and the word NULL stay text;
    // inside quotes only the quote and the backslash are escaped.
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (const char ch : values[i]) {
            if (ch == '"' || ch == '\\') out += '\\';
            out += ch;
        }
        out += '"';
    }
    out += '}';
    return out;
}

bool isPostgresUrl(const std::string& spec) { return spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0; }

namespace {
std::string trimmed(const char* message) {
    std::string s = message ? message : "unknown error";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}
} // namespace

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
    PGconn* c = PQconnectdb(url.c_str());
    if (!c) return makeError(ErrorCode::StoreFailed, "cannot connect to PostgreSQL: out of memory");
    if (PQstatus(c) != CONNECTION_OK) {
        std::string message = trimmed(PQerrorMessage(c));
        PQfinish(c);
        return makeError(ErrorCode::StoreFailed, "cannot connect to PostgreSQL: " + message);
    }
    // The hall's messages are read by people: no NOTICE chatter on stderr.
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
    return std::unique_ptr<Connection>(new Connection(c));
}

Connection::~Connection() { PQfinish(m_conn); }

void Connection::reset() {
    m_prepared.clear();
    PQreset(m_conn);
}

Status Connection::ensureConnected() {
    if (PQstatus(m_conn) == CONNECTION_OK) return Ok{};
    reset();
    if (PQstatus(m_conn) != CONNECTION_OK)
        return makeError(ErrorCode::StoreFailed, "PostgreSQL connection lost: " + trimmed(PQerrorMessage(m_conn)));
    return Ok{};
}

Result<Rows> Connection::exec(const std::string& what, const char* sql, const std::vector<Param>& params) {
    if (PQtransactionStatus(m_conn) == PQTRANS_IDLE)
        if (auto st = ensureConnected(); !st) return makeError(ErrorCode::StoreFailed, what + ": " + st.error().message);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
    Rows rows(PQexecParams(m_conn, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
    PGresult* r = rows.m_result.get();
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return makeError(ErrorCode::StoreFailed, what + ": " + trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(m_conn)));
    return rows;
}

Result<Rows> Connection::query(const std::string& what, const char* sql) {
    // PQexec returns the last statement's result; an error stops the rest and is that result.
    Rows rows(PQexec(m_conn, sql));
    PGresult* r = rows.m_result.get();
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return makeError(ErrorCode::StoreFailed, what + ": " + trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(m_conn)));
    return rows;
}

Status Connection::script(const std::string& what, const char* sql) {
    auto rows = query(what, sql);
    if (!rows) return rows.error();
    return Ok{};
}

Result<std::vector<Rows>> Connection::pipeline(const std::vector<Statement>& statements) {
    if (statements.empty()) return std::vector<Rows>{};
    if (PQtransactionStatus(m_conn) == PQTRANS_IDLE)
        if (auto st = ensureConnected(); !st) return makeError(ErrorCode::StoreFailed, statements.front().what + ": " + st.error().message);
    if (PQenterPipelineMode(m_conn) != 1)
        return makeError(ErrorCode::StoreFailed, statements.front().what + ": " + trimmed(PQerrorMessage(m_conn)));
    std::optional<Error> failure;
    auto fail = [&](const std::string& what, const char* message) {
        if (!failure) failure = makeError(ErrorCode::StoreFailed, what + ": " + trimmed(message));
    };
    // What the server answers, in order: each statement's rows, after the answer to its Prepare
    // when it is prepared in this pipeline.
    struct Expected {
        std::size_t statement;
        bool prepare;
    };
    std::vector<Expected> expected;
    expected.reserve(statements.size() + 4);
    std::vector<const char*> values;
    std::set<std::string> preparing; // prepared earlier in this pipeline: not again
    for (std::size_t i = 0; i < statements.size(); ++i) {
        const Statement& s = statements[i];
        values.clear();
        for (const Param& p : s.params) values.push_back(p ? p->c_str() : nullptr);
        const int n = static_cast<int>(values.size());
        bool sent;
        if (s.prepared) {
            if (!m_prepared.count(s.prepared) && preparing.insert(s.prepared).second) {
                if (PQsendPrepare(m_conn, s.prepared, s.sql.c_str(), n, nullptr) != 1) {
                    fail(s.what, PQerrorMessage(m_conn));
                    break;
                }
                expected.push_back({i, true});
            }
            sent = PQsendQueryPrepared(m_conn, s.prepared, n, values.data(), nullptr, nullptr, 0) == 1;
        } else {
            sent = PQsendQueryParams(m_conn, s.sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0) == 1;
        }
        if (!sent) {
            fail(s.what, PQerrorMessage(m_conn));
            break;
        }
        expected.push_back({i, false});
    }
    const bool synced = PQpipelineSync(m_conn) == 1;
    if (!synced) fail(statements.front().what, PQerrorMessage(m_conn));
    // Each answer, then the NULL that ends it; a statement skipped after an error answers
    // PGRES_PIPELINE_ABORTED. The sync's own result ends the pipeline.
    std::vector<Rows> out;
    out.reserve(statements.size());
    bool lost = false;
    for (const Expected& e : expected) {
        const Statement& s = statements[e.statement];
        PGresult* r = PQgetResult(m_conn);
        if (!r) {
            fail(s.what, PQerrorMessage(m_conn));
            lost = true;
            break;
        }
        Rows rows(r);
        const ExecStatusType status = PQresultStatus(r);
        const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
        if (status == PGRES_PIPELINE_ABORTED) fail(s.what, "skipped after an earlier error");
        else if (!ok) fail(s.what, PQresultErrorMessage(r));
        while (PGresult* more = PQgetResult(m_conn)) PQclear(more);
        // A prepared statement belongs to the session, not to the transaction: a rollback keeps it.
        if (e.prepare) {
            if (ok) m_prepared.insert(s.prepared);
        } else {
            out.push_back(std::move(rows));
        }
    }
    if (synced && !lost) {
        PGresult* r = PQgetResult(m_conn);
        if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
            fail(statements.front().what, PQerrorMessage(m_conn));
            lost = true;
        }
        PQclear(r);
    }
    if (lost || PQexitPipelineMode(m_conn) != 1) {
        // A connection that lost track of its pipeline is no use: start afresh (an open
        // transaction ends unfinished, i.e. rolled back).
        fail(statements.front().what, PQerrorMessage(m_conn));
        reset();
    }
    if (failure) return *failure;
    return out;
}

void Connection::rollbackQuietly() {
    if (PQstatus(m_conn) != CONNECTION_OK) return;
    if (PQtransactionStatus(m_conn) == PQTRANS_IDLE) return;
    PQclear(PQexec(m_conn, "ROLLBACK"));
}

} // namespace loket::server::pg
