#include "connector.hpp"

#include "shared/booking/ics_feed.hpp"
#include "shared/booking/jcc_rest.hpp"
#include "shared/booking/jcc_soap.hpp"
#include "shared/booking/qmatic.hpp"
#include "shared/core/command_handler.hpp"
#include "shared/net/http_client.hpp"

#include <algorithm>
#include <cctype>

namespace loket::server::booking {
namespace {

using loket::booking::ForeignAppointment;
using loket::booking::HallZone;
using Appointments = std::vector<ForeignAppointment>;
using Found = std::optional<ForeignAppointment>;

net::HttpClient client(const ConnectorConfig& c, std::chrono::milliseconds timeout, bool basicAuth) {
    net::HttpOptions o;
    o.baseUrl = c.endpoint;
    o.connectTimeout = std::min(timeout, std::chrono::milliseconds(2000));
    o.timeout = timeout;
    if (basicAuth && !c.username.empty()) o.basicAuth = c.username + ":" + c.secret;
    return net::HttpClient(std::move(o));
}

// Says which system failed and why; an HTTP status without a body we understand becomes
// "HTTP 503", a transport failure keeps curl's reason (timeout, refused).
Error describe(const ConnectorConfig& c, const net::HttpClient& http, const Error& error) {
    std::string message = c.name + ": ";
    if (const auto& f = http.lastFailure(); f && f->status > 0)
        message += "HTTP " + std::to_string(f->status) + " from " + c.endpoint;
    else
        message += error.message;
    const ErrorCode code = error.code == ErrorCode::Timeout ? ErrorCode::Timeout : ErrorCode::Unavailable;
    return makeError(code, message);
}

Error named(const ConnectorConfig& c, const Error& e) { return makeError(e.code, c.name + ": " + e.message); }

std::string lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

class JccSoapConnector final : public Connector {
public:
    JccSoapConnector(ConnectorConfig c, HallZone zone) : m_c(std::move(c)), m_zone(std::move(zone)) {}

    Result<Appointments> pull(core::LocalDay day) override {
        auto http = client(m_c, m_c.pullTimeout, true);
        auto ids = call(http, "getGovAppointments", loket::booking::jcc::appointmentsRequest(day, m_c.location),
                        loket::booking::jcc::parseAppointmentIds);
        if (!ids) return ids.error();
        Appointments out;
        for (const auto& id : *ids) {
            auto found = details(http, id);
            if (!found) return found.error();
            if (!*found) continue; // deleted between the two calls: it is gone
            out.push_back(std::move(**found));
        }
        return out;
    }

    Result<Found> lookup(const std::string& code, core::LocalDay) override {
        if (!core::validBookingCode(code, core::CodeSource::Jcc)) return Found{}; // QR texts are known from pulls only
        auto http = client(m_c, m_c.lookupTimeout, true);
        return details(http, code);
    }

private:
    template <typename Parse>
    auto call(net::HttpClient& http, const char* operation, const std::string& body, Parse parse)
        -> decltype(parse(std::string_view{})) {
        net::RequestOptions o;
        o.contentType = "text/xml; charset=utf-8";
        o.accept = "text/xml";
        o.headers.push_back("SOAPAction: \"" + loket::booking::jcc::soapAction(operation) + "\"");
        auto res = http.post("", body, o);
        if (!res) {
            // A SOAP fault comes with HTTP 500 and says more than the status.
            if (const auto& f = http.lastFailure(); f && f->status == 500 && !f->body.empty()) {
                auto fault = parse(f->body);
                if (!fault && fault.error().code == ErrorCode::Unavailable) return named(m_c, fault.error());
            }
            return describe(m_c, http, res.error());
        }
        auto parsed = parse(res->body);
        if (!parsed) return named(m_c, parsed.error());
        return parsed;
    }

    Result<Found> details(net::HttpClient& http, const std::string& id) {
        auto found = call(http, "getGovAppointmentDetails", loket::booking::jcc::detailsRequest(id),
                          [this, &id](std::string_view xml) { return loket::booking::jcc::parseAppointmentDetails(xml, id, m_zone); });
        if (!found || !*found || !m_c.jccQrCodes) return found;
        auto qr = call(http, "GetAppointmentQRCodeText", loket::booking::jcc::qrTextRequest(id), loket::booking::jcc::parseQrText);
        if (!qr) return qr.error();
        (*found)->qrText = core::normaliseBookingCode(*qr);
        return found;
    }

    ConnectorConfig m_c;
    HallZone m_zone;
};

class JccRestConnector final : public Connector {
public:
    JccRestConnector(ConnectorConfig c, HallZone zone) : m_c(std::move(c)), m_zone(std::move(zone)) {}

    Result<Appointments> pull(core::LocalDay day) override { return list(day, m_c.pullTimeout); }

    Result<Found> lookup(const std::string& code, core::LocalDay today) override {
        // JCC REST finds appointments by GUID, residents carry the number: read today's list.
        auto all = list(today, m_c.lookupTimeout);
        if (!all) return all.error();
        for (auto& a : *all)
            if (a.code == code) return Found{std::move(a)};
        return Found{};
    }

private:
    Result<Appointments> list(core::LocalDay day, std::chrono::milliseconds timeout) {
        auto tokenHttp = client(m_c, timeout, true);
        net::RequestOptions form;
        form.contentType = "application/x-www-form-urlencoded";
        auto token = tokenHttp.post("/connect/token", loket::booking::jcc_rest::tokenRequestBody(), form);
        if (!token) return describe(m_c, tokenHttp, token.error());
        auto bearer = loket::booking::jcc_rest::parseToken(token->body);
        if (!bearer) return named(m_c, bearer.error());
        auto http = client(m_c, timeout, false);
        http.setToken(*bearer);
        const std::string date = core::formatDate(day);
        auto res = http.get("/appointment/list?locationId=" + m_c.location + "&fromDate=" + date + "&toDate=" + date);
        if (!res) return describe(m_c, http, res.error());
        auto parsed = loket::booking::jcc_rest::parseAppointments(res->body, m_zone);
        if (!parsed) return named(m_c, parsed.error());
        return parsed;
    }

    ConnectorConfig m_c;
    HallZone m_zone;
};

class QmaticConnector final : public Connector {
public:
    QmaticConnector(ConnectorConfig c, HallZone zone) : m_c(std::move(c)), m_zone(std::move(zone)) {}

    Result<Appointments> pull(core::LocalDay day) override {
        auto http = client(m_c, m_c.pullTimeout, false);
        const std::string date = core::formatDate(day);
        auto res = http.get("/branches/" + m_c.location + "/appointments?fromDate=" + date + "&toDate=" + date, options());
        if (!res) return describe(m_c, http, res.error());
        auto parsed = loket::booking::qmatic::parseAppointments(res->body, m_zone);
        if (!parsed) return named(m_c, parsed.error());
        return parsed;
    }

    Result<Found> lookup(const std::string& code, core::LocalDay) override {
        if (!core::validBookingCode(code, core::CodeSource::Qmatic)) return Found{};
        auto http = client(m_c, m_c.lookupTimeout, false);
        auto res = http.get("/appointments/" + lower(code), options());
        if (!res) {
            if (const auto& f = http.lastFailure(); f && f->status == 404) return Found{};
            return describe(m_c, http, res.error());
        }
        auto parsed = loket::booking::qmatic::parseAppointment(res->body, m_zone);
        if (!parsed) return named(m_c, parsed.error());
        return parsed;
    }

private:
    net::RequestOptions options() const {
        net::RequestOptions o;
        o.headers.push_back("auth-token: " + m_c.secret);
        return o;
    }

    ConnectorConfig m_c;
    HallZone m_zone;
};

class IcsConnector final : public Connector {
public:
    IcsConnector(ConnectorConfig c, HallZone zone, std::string tz) : m_c(std::move(c)), m_zone(std::move(zone)), m_tz(std::move(tz)) {}

    Result<Appointments> pull(core::LocalDay day) override {
        auto all = fetch(day, m_c.pullTimeout);
        if (!all) return all.error();
        Appointments out;
        for (auto& a : *all)
            if (a.day == day) out.push_back(std::move(a));
        return out;
    }

    Result<Found> lookup(const std::string& code, core::LocalDay today) override {
        auto all = fetch(today, m_c.lookupTimeout);
        if (!all) return all.error();
        for (auto& a : *all)
            if (a.code == code) return Found{std::move(a)};
        return Found{};
    }

private:
    Result<Appointments> fetch(core::LocalDay day, std::chrono::milliseconds timeout) {
        auto http = client(m_c, timeout, true);
        net::RequestOptions o;
        o.accept = "text/calendar";
        auto res = http.get("", o);
        if (!res) return describe(m_c, http, res.error());
        auto parsed = loket::booking::ics::parseFeed(res->body, m_zone, m_tz);
        if (!parsed) return named(m_c, parsed.error());
        (void)day;
        return parsed;
    }

    ConnectorConfig m_c;
    HallZone m_zone;
    std::string m_tz;
};

} // namespace

std::unique_ptr<Connector> makeConnector(const ConnectorConfig& config, HallZone zone, std::string hallTimeZone) {
    switch (config.system) {
    case loket::booking::System::JccSoap: return std::make_unique<JccSoapConnector>(config, std::move(zone));
    case loket::booking::System::JccRest: return std::make_unique<JccRestConnector>(config, std::move(zone));
    case loket::booking::System::Qmatic: return std::make_unique<QmaticConnector>(config, std::move(zone));
    case loket::booking::System::Ics: return std::make_unique<IcsConnector>(config, std::move(zone), std::move(hallTimeZone));
    }
    return nullptr;
}

} // namespace loket::server::booking
