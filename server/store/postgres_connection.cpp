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

Status Connection::ensureConnected() {
    if (PQstatus(m_conn) == CONNECTION_OK) return Ok{};
    PQreset(m_conn);
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

void Connection::rollbackQuietly() {
    if (PQstatus(m_conn) != CONNECTION_OK) return;
    if (PQtransactionStatus(m_conn) == PQTRANS_IDLE) return;
    PQclear(PQexec(m_conn, "ROLLBACK"));
}

} // namespace loket::server::pg
