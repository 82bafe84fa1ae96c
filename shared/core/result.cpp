#include "result.hpp"

namespace loket {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidJson: return "invalid_json";
    case ErrorCode::MissingField: return "missing_field";
    case ErrorCode::UnknownField: return "unknown_field";
    case ErrorCode::InvalidValue: return "invalid_value";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::Forbidden: return "forbidden";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::UnknownService: return "unknown_service";
    case ErrorCode::UnknownCounter: return "unknown_counter";
    case ErrorCode::UnknownTicket: return "unknown_ticket";
    case ErrorCode::UnknownAppointment: return "unknown_appointment";
    case ErrorCode::UnknownVisit: return "unknown_visit";
    case ErrorCode::PayloadTooLarge: return "payload_too_large";
    case ErrorCode::TooManyRequests: return "too_many_requests";
    case ErrorCode::AlreadyCheckedIn: return "already_checked_in";
    case ErrorCode::IdempotencyConflict: return "idempotency_conflict";
    case ErrorCode::MissingIdempotencyKey: return "missing_idempotency_key";
    case ErrorCode::WalkInNotOffered: return "walk_in_not_offered";
    case ErrorCode::AppointmentNotToday: return "appointment_not_today";
    case ErrorCode::TooEarly: return "too_early";
    case ErrorCode::HallClosed: return "hall_closed";
    case ErrorCode::CounterBusy: return "counter_busy";
    case ErrorCode::CounterClosed: return "counter_closed";
    case ErrorCode::InvalidTransition: return "invalid_transition";
    case ErrorCode::NumbersExhausted: return "numbers_exhausted";
    case ErrorCode::FeedbackNotAllowed: return "feedback_not_allowed";
    case ErrorCode::StoreFailed: return "store_failed";
    case ErrorCode::ConfigError: return "config_error";
    case ErrorCode::ConfirmationNeeded: return "confirmation_needed";
    case ErrorCode::AlreadyExists: return "already_exists";
    case ErrorCode::Io: return "io_error";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::BookingUnavailable: return "booking_unavailable";
    case ErrorCode::DirectoryUnavailable: return "directory_unavailable";
    case ErrorCode::TlsVerificationFailed: return "tls_verification_failed";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

} // namespace loket
