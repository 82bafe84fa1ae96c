// Result<T>: the value of an operation or a typed error, across every module border.
// Used by all of Loket (core, server, clients, tools). std::expected is C++23; this is the
// small subset we need, with the same spelling (has_value, value, error, operator bool).
// Depends on the standard library only.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace loket {

// The closed set of things that can go wrong, named as the API names them (snake_case there).
enum class ErrorCode {
    InvalidJson,
    MissingField,
    UnknownField,
    InvalidValue,
    Unauthorized,
    Forbidden,
    NotFound,
    UnknownService,
    UnknownCounter,
    UnknownTicket,
    UnknownAppointment,
    UnknownVisit,
    PayloadTooLarge,
    TooManyRequests,
    AlreadyCheckedIn,
    IdempotencyConflict,
    MissingIdempotencyKey,
    WalkInNotOffered,
    AppointmentNotToday,
    TooEarly,
    HallClosed,
    CounterBusy,
    CounterClosed,
    InvalidTransition,
    NumbersExhausted,
    FeedbackNotAllowed,
    StoreFailed,
    ConfigError,
    Io,
    Timeout,
    Unavailable,
    DirectoryUnavailable, // the staff directory (LDAP) cannot be reached or refused the service account
    TlsVerificationFailed, // the peer's certificate did not verify (CA, pin or host name): never fall back
    Internal,
};

// The API's spelling of a code (`unknown_service`).
const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return m_data.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value() && "Result::value() on an error"); return std::get<0>(m_data); }
    const T& value() const& { assert(has_value() && "Result::value() on an error"); return std::get<0>(m_data); }
    T&& value() && { assert(has_value() && "Result::value() on an error"); return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!has_value() && "Result::error() on a value"); return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// Result<void>: success or an error.
struct Ok {};
using Status = Result<Ok>;

} // namespace loket
