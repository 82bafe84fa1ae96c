#include "jcc_soap.hpp"

#include "shared/core/booking_code.hpp"
#include "shared/core/command_handler.hpp"

#include <pugixml.hpp>

#include <sstream>

namespace loket::booking::jcc {
namespace {

constexpr const char* kSoapEnvelope = "http://schemas.xmlsoap.org/soap/envelope/";

std::string_view localName(const pugi::xml_node& node) {
    std::string_view name = node.name();
    auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
    for (pugi::xml_node c : parent.children())
        if (c.type() == pugi::node_element && localName(c) == name) return c;
    return {};
}

std::string request(const char* element, std::initializer_list<std::pair<const char*, std::string>> fields) {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "utf-8";
    auto envelope = doc.append_child("soap:Envelope");
    envelope.append_attribute("xmlns:soap") = kSoapEnvelope;
    auto body = envelope.append_child("soap:Body");
    auto req = body.append_child((std::string("gen:") + element).c_str());
    req.append_attribute("xmlns:gen") = kNamespace;
    for (const auto& [name, value] : fields) req.append_child(name).text().set(value.c_str());
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw);
    return out.str();
}

// The body's answer element named `response`, or the error: malformed XML, a SOAP fault, or
// another answer than the one asked for.
Result<pugi::xml_node> answer(pugi::xml_document& doc, std::string_view xml, std::string_view response) {
    auto parsed = doc.load_buffer(xml.data(), xml.size());
    if (!parsed)
        return makeError(ErrorCode::InvalidValue, std::string("JCC sent malformed XML (") + parsed.description() +
                                                      " at byte " + std::to_string(parsed.offset) + ")");
    pugi::xml_node envelope = doc.document_element();
    if (localName(envelope) != "Envelope") return makeError(ErrorCode::InvalidValue, "JCC's answer is not a SOAP envelope");
    pugi::xml_node body = child(envelope, "Body");
    if (!body) return makeError(ErrorCode::InvalidValue, "JCC's SOAP envelope has no Body");
    if (pugi::xml_node fault = child(body, "Fault")) {
        const std::string code = child(fault, "faultcode").text().as_string();
        const std::string text = child(fault, "faultstring").text().as_string();
        return makeError(ErrorCode::Unavailable, "JCC answered with a SOAP fault (" + (code.empty() ? "no code" : code) +
                                                     "): " + (text.empty() ? "no reason given" : text));
    }
    pugi::xml_node node = child(body, response);
    if (!node) return makeError(ErrorCode::InvalidValue, "JCC's answer has no " + std::string(response));
    return node;
}

std::vector<std::string> splitProducts(const std::string& list) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(list);
    while (std::getline(in, item, ',')) {
        auto b = item.find_first_not_of(' ');
        auto e = item.find_last_not_of(' ');
        if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    }
    return out;
}

} // namespace

std::string soapAction(std::string_view operation) { return std::string(kNamespace) + std::string(operation); }

std::string appointmentsRequest(core::LocalDay day, const std::string& locationId) {
    return request("getGovAppointmentsRequest", {{"day", core::formatDate(day)}, {"locationID", locationId}});
}

std::string detailsRequest(const std::string& appId) {
    return request("getGovAppointmentDetailsRequest", {{"appID", appId}});
}

std::string qrTextRequest(const std::string& appId) { return request("GetAppointmentQRCodeTextRequest", {{"appID", appId}}); }

Result<std::vector<std::string>> parseAppointmentIds(std::string_view xml) {
    pugi::xml_document doc;
    auto node = answer(doc, xml, "getGovAppointmentsResponse");
    if (!node) return node.error();
    std::vector<std::string> ids;
    for (pugi::xml_node a : node->children()) {
        if (a.type() != pugi::node_element || localName(a) != "appointment") continue;
        const std::string id = child(a, "appointmentID").text().as_string();
        if (!core::validBookingCode(id, core::CodeSource::Jcc))
            return makeError(ErrorCode::InvalidValue, "JCC sent an appointment id that is not a number: '" + id + "'");
        ids.push_back(id);
    }
    return ids;
}

Result<std::optional<ForeignAppointment>> parseAppointmentDetails(std::string_view xml, const std::string& appId,
                                                                  const HallZone& zone) {
    pugi::xml_document doc;
    auto node = answer(doc, xml, "getGovAppointmentDetailsResponse");
    if (!node) return node.error();
    pugi::xml_node a = child(*node, "appointment");
    if (!a) return std::optional<ForeignAppointment>{};
    ForeignAppointment out;
    out.code = core::normaliseBookingCode(appId);
    out.products = splitProducts(child(a, "productID").text().as_string());
    if (out.products.empty()) return makeError(ErrorCode::InvalidValue, "JCC appointment " + appId + " names no product");
    auto start = parseDateTime(child(a, "appStartTime").text().as_string(), zone);
    if (!start) return makeError(ErrorCode::InvalidValue, "JCC appointment " + appId + ": appStartTime " + start.error().message);
    out.startsAt = *start;
    if (pugi::xml_node end = child(a, "appEndTime")) {
        auto e = parseDateTime(end.text().as_string(), zone);
        if (!e) return makeError(ErrorCode::InvalidValue, "JCC appointment " + appId + ": appEndTime " + e.error().message);
        out.endsAt = *e;
    }
    out.day = zone.dayOf(out.startsAt);
    out.location = child(a, "locationID").text().as_string();
    // Only the name, for staff. Date of birth, address, phone, e-mail and BSN are never read.
    out.name = staffName({child(a, "clientInitials").text().as_string(), child(a, "clientLastName").text().as_string()});
    return std::optional<ForeignAppointment>{std::move(out)};
}

Result<std::string> parseQrText(std::string_view xml) {
    pugi::xml_document doc;
    auto node = answer(doc, xml, "GetAppointmentQRCodeTextResponse");
    if (!node) return node.error();
    return std::string(child(*node, "Result").text().as_string());
}

} // namespace loket::booking::jcc
