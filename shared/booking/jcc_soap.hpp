// JCC-Afspraken GGS2 (GenericGuidanceSystem2): SOAP 1.1, document/literal, namespace
// http://www.genericCBS.org/GenericCBS/ with unqualified child elements. A day is read in two
// steps: getGovAppointments (the ids at a location on a date) and, per id,
// getGovAppointmentDetails (products "1,2,1", local start and end without an offset, the client's
// name) plus GetAppointmentQRCodeText (the text of the confirmation's QR code).
// Requests are built and answers read with pugixml; client data other than the name is never read.
// Used by server/booking. Depends on the core.
#pragma once

#include "foreign_appointment.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loket::booking::jcc {

inline constexpr const char* kNamespace = "http://www.genericCBS.org/GenericCBS/";

// The SOAPAction header value of an operation ("getGovAppointments" → the namespace + it).
std::string soapAction(std::string_view operation);

std::string appointmentsRequest(core::LocalDay day, const std::string& locationId);
std::string detailsRequest(const std::string& appId);
std::string qrTextRequest(const std::string& appId);

// Each answer parser fails with invalid_value for XML that is not a SOAP answer of that
// operation, and with unavailable (the fault's code and text in the message) for a SOAP fault.
Result<std::vector<std::string>> parseAppointmentIds(std::string_view xml);
// nullopt: JCC knows no appointment with this id (an empty answer).
Result<std::optional<ForeignAppointment>> parseAppointmentDetails(std::string_view xml, const std::string& appId,
                                                                  const HallZone& zone);
Result<std::string> parseQrText(std::string_view xml);

} // namespace loket::booking::jcc
