// Result<T>: the value of an operation or a typed error, across every module border.
// Used by all of Loket (core, server, clients, tools). std::expected is C++23; this is the
// small subset we need, with the same spelling (has_value, value, error, operator bool).
// Depends on the standard library only.
#pragma once

#include "hall_time.hpp"

#include <cassert>
#include <optional>
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
    BookingUnavailable, // the hall's booking system cannot be reached to check a code
    DirectoryUnavailable, // the staff directory (LDAP) cannot be reached or refused the service account
    TlsVerificationFailed, // the peer's certificate did not verify (CA, pin or host name): never fall back
    ConfirmationNeeded, // a configuration change would disturb today's visitors: repeat it with confirm
    AlreadyExists, // a name that must be unique is taken (a staff account another manager just made)
    Internal,
};

// The API's spelling of a code (`unknown_service`).
const char* errorCodeName(ErrorCode code);

// The facts a client needs to act on an error, typed: a kiosk shows "come back at 10:25" from
// `checkInFrom`, never by reading the English message (messages are for people and logs). Set by
// the command handler, written to the API's `error.details` by shared/proto, and read back from
// it by shared/proto on the client. Times are instants with the hall's UTC offset at that instant.
struct ErrorDetails {
    std::optional<core::Now> checkInFrom;        // too_early: when check-in opens
    std::optional<core::Now> opensAt;            // hall_closed: today's opening (none: closed all day)
    std::optional<core::Now> closesAt;           // hall_closed: today's closing
    std::optional<std::string> ticketNumber;     // already_checked_in: the ticket already issued
    std::optional<core::LocalDay> appointmentDay; // appointment_not_today: the day it is booked for
    std::optional<std::string> field;            // a configuration change: the field that is wrong ("bring.nl")

    bool empty() const { return !checkInFrom && !opensAt && !closesAt && !ticketNumber && !appointmentDay && !field; }
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    ErrorDetails details = {};
};

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message), {}}; }

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
