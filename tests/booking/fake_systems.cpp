#include "fake_systems.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <sstream>
#include <stdexcept>

namespace loket::test {
namespace {

using Json = nlohmann::json;

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

std::string save(const pugi::xml_document& doc) {
    std::ostringstream out;
    doc.save(out, "  ");
    return out.str();
}

// <soap:Envelope …><soap:Body><{response} xmlns="GenericCBS">…</…></soap:Body></soap:Envelope>
pugi::xml_node soapAnswer(pugi::xml_document& doc, const char* response) {
    auto env = doc.append_child("soap:Envelope");
    env.append_attribute("xmlns:soap") = "http://schemas.xmlsoap.org/soap/envelope/";
    env.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
    env.append_attribute("xmlns:xsd") = "http://www.w3.org/2001/XMLSchema";
    auto node = env.append_child("soap:Body").append_child(response);
    node.append_attribute("xmlns") = "http://www.genericCBS.org/GenericCBS/";
    return node;
}

std::string soapFault(const std::string& code, const std::string& text) {
    pugi::xml_document doc;
    auto env = doc.append_child("soap:Envelope");
    env.append_attribute("xmlns:soap") = "http://schemas.xmlsoap.org/soap/envelope/";
    auto fault = env.append_child("soap:Body").append_child("soap:Fault");
    fault.append_child("faultcode").text().set(code.c_str());
    fault.append_child("faultstring").text().set(text.c_str());
    return save(doc);
}

void unqualified(pugi::xml_node parent, const char* name, const std::string& value) {
    auto n = parent.append_child(name);
    n.append_attribute("xmlns") = "";
    n.text().set(value.c_str());
}

} // namespace

FakeHttp::~FakeHttp() { stop(); }

void FakeHttp::start() {
    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    // stop() before the accept loop runs would be lost (and join would wait forever): wait for it.
    while (!m_server.is_running()) std::this_thread::yield();
}

void FakeHttp::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_released.notify_all();
    m_server.stop();
    if (m_thread.joinable()) m_thread.join();
}

void FakeHttp::restart() {
    stop();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    if (!m_server.bind_to_port("127.0.0.1", m_port))
        throw std::runtime_error("the fake booking system cannot listen again on port " + std::to_string(m_port));
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running()) std::this_thread::yield();
}

void FakeHttp::setMode(FakeMode mode) {
    {
        std::lock_guard lock(m_mutex);
        m_mode = mode;
    }
    m_released.notify_all();
}

bool FakeHttp::intercept(httplib::Response& res, const char* malformedType) {
    ++m_requests;
    std::unique_lock lock(m_mutex);
    // Slow: the request hangs until the test lets it go (setMode) or the fake stops.
    m_released.wait(lock, [this] { return m_mode != FakeMode::Slow || m_stopping; });
    switch (m_mode) {
    case FakeMode::HttpError:
        res.status = 503;
        res.set_content("<html><body>Service Unavailable</body></html>", "text/html");
        return true;
    case FakeMode::Malformed:
        res.status = 200;
        res.set_content(std::string(malformedType) == std::string("text/xml")
                            ? "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><getGov"
                            : "{\"appointmentList\": [{\"publicId\": \"d5",
                        malformedType);
        return true;
    default: return false;
    }
}

// ---- JCC GGS2 -------------------------------------------------------------------------------

FakeJcc::FakeJcc() {
    m_server.Post("/GenericGuidanceSystem2.asmx", [this](const httplib::Request& req, httplib::Response& res) {
        if (intercept(res, "text/xml")) return;
        const FakeMode current = mode();
        std::lock_guard lock(m_mutex);
        m_lastAuthorization = req.get_header_value("Authorization");
        const std::string ns = "http://www.genericCBS.org/GenericCBS/";
        pugi::xml_document in;
        pugi::xml_node request;
        if (in.load_string(req.body.c_str()) && localName(in.document_element()) == "Envelope")
            if (auto body = child(in.document_element(), "Body")) request = body.first_child();
        if (!request || req.get_header_value("Content-Type").rfind("text/xml", 0) != 0 ||
            std::string(request.attribute(("xmlns:" + std::string(request.name()).substr(0, std::string(request.name()).find(':'))).c_str()).value()) != ns) {
            res.status = 400;
            res.set_content(soapFault("soap:Client", "Bad SOAP 1.1 request"), "text/xml; charset=utf-8");
            return;
        }
        const std::string op(localName(request));
        const std::string operation = op.size() > 7 ? op.substr(0, op.size() - 7) : "";
        if (req.get_header_value("SOAPAction") != "\"" + ns + operation + "\"") {
            res.status = 500;
            res.set_content(soapFault("soap:Client", "Server did not recognize the value of HTTP Header SOAPAction"),
                            "text/xml; charset=utf-8");
            return;
        }
        if (current == FakeMode::SoapFault) {
            res.status = 500;
            res.set_content(soapFault("soap:Server", "Object reference not set to an instance of an object."),
                            "text/xml; charset=utf-8");
            return;
        }
        pugi::xml_document out;
        if (operation == "getGovAppointments") {
            const std::string day = child(request, "day").text().as_string();
            const std::string location = child(request, "locationID").text().as_string();
            auto node = soapAnswer(out, "getGovAppointmentsResponse");
            for (const auto& [id, a] : m_appointments) {
                if (a.start.substr(0, 10) != day || a.location != location) continue;
                auto item = node.append_child("appointment");
                item.append_attribute("xmlns") = "";
                item.append_child("appointmentID").text().set(a.id.c_str());
                item.append_child("locationID").text().set(a.location.c_str());
                item.append_child("productID").text().set(a.productIds.c_str());
                item.append_child("clientID").text().set("0");
                item.append_child("clientName").text().set((a.initials + " " + a.lastName).c_str());
                item.append_child("clientBirthDate").text().set("1980-01-01");
                item.append_child("isRecurring").text().set("false");
            }
        } else if (operation == "getGovAppointmentDetails") {
            auto node = soapAnswer(out, "getGovAppointmentDetailsResponse");
            auto it = m_appointments.find(child(request, "appID").text().as_string());
            if (it != m_appointments.end()) {
                const JccAppointment& a = it->second;
                auto item = node.append_child("appointment");
                item.append_attribute("xmlns") = "";
                for (auto [k, v] : std::initializer_list<std::pair<const char*, std::string>>{
                         {"productID", a.productIds}, {"clientLastName", a.lastName}, {"clientSex", "M"},
                         {"clientDateOfBirth", "1980-01-01"}, {"clientInitials", a.initials}, {"clientAddress", "Straat 1"},
                         {"clientPostalCode", "1111 AA"}, {"clientCity", "Stad"}, {"clientCountry", "Nederland"},
                         {"clientTel", "06123456789"}, {"clientMail", "j.jansen@example.com"}, {"locationID", a.location},
                         {"appStartTime", a.start}, {"appEndTime", a.end}, {"appointmentDesc", "BSN 123456782"},
                         {"isClientVerified", "false"}, {"isRecurring", "false"}})
                    item.append_child(k).text().set(v.c_str());
            }
        } else if (operation == "GetAppointmentQRCodeText") {
            auto node = soapAnswer(out, "GetAppointmentQRCodeTextResponse");
            auto it = m_appointments.find(child(request, "appID").text().as_string());
            unqualified(node, "Result", it == m_appointments.end() ? "" : it->second.qrText);
        } else {
            res.status = 500;
            res.set_content(soapFault("soap:Client", "Unknown operation " + operation), "text/xml; charset=utf-8");
            return;
        }
        res.set_content(save(out), "text/xml; charset=utf-8");
    });
    start();
}

void FakeJcc::put(JccAppointment a) {
    std::lock_guard lock(m_mutex);
    m_appointments[a.id] = std::move(a);
}

void FakeJcc::remove(const std::string& id) {
    std::lock_guard lock(m_mutex);
    m_appointments.erase(id);
}

std::string FakeJcc::lastAuthorization() const {
    std::lock_guard lock(m_mutex);
    return m_lastAuthorization;
}

// ---- JCC REST -------------------------------------------------------------------------------

FakeJccRest::FakeJccRest(std::string clientId, std::string secret) : m_clientId(std::move(clientId)), m_secret(std::move(secret)) {
    m_server.Post("/api/warp/v1/connect/token", [this](const httplib::Request& req, httplib::Response& res) {
        if (intercept(res, "application/json")) return;
        const std::string basic = httplib::make_basic_authentication_header(m_clientId, m_secret).second;
        if (req.get_header_value("Authorization") != basic || req.body.find("grant_type=client_credentials") == std::string::npos) {
            res.status = 401;
            res.set_content(R"({"error": "invalid_client"})", "application/json");
            return;
        }
        res.set_content(R"({"access_token": "fake-warp-token", "expires_in": 3600, "token_type": "Bearer"})", "application/json");
    });
    m_server.Get("/api/warp/v1/appointment/list", [this](const httplib::Request& req, httplib::Response& res) {
        if (intercept(res, "application/json")) return;
        if (req.get_header_value("Authorization") != "Bearer fake-warp-token") {
            res.status = 401;
            return;
        }
        const std::string location = req.get_param_value("locationId");
        const std::string from = req.get_param_value("fromDate");
        std::lock_guard lock(m_mutex);
        Json list = Json::array();
        for (const auto& [number, a] : m_appointments) {
            if (a.start.substr(0, 10) != from || a.location != location) continue;
            Json acts = Json::array();
            for (const auto& [id, amount] : a.activities)
                acts.push_back({{"id", id}, {"number", 1}, {"description", "Paspoort aanvragen"}, {"appointmentDuration", 10}, {"amount", amount}});
            Json customers = Json::array();
            for (int i = 0; i < a.customers; ++i)
                customers.push_back({{"isMainCustomer", i == 0}, {"gender", 0}, {"initials", "P."}, {"lastName", a.lastName},
                                     {"birthDate", "1980-01-01T00:00:00"}, {"emailAddress", "p.jansen@example.com"},
                                     {"phoneNumber", "0612345678"}, {"streetName", "Straat"}, {"houseNumber", 1},
                                     {"postalCode", "1111AA"}, {"city", "Stad"}, {"socialSecurityNumber", "123456782"}});
            list.push_back({{"id", a.id}, {"number", a.number}, {"startDateTime", a.start}, {"endDateTime", a.end},
                            {"acitivityList", acts}, {"customerList", customers}, {"location", {{"id", a.location}}},
                            {"paymentStatus", {{"transactionState", 0}}}});
        }
        res.set_content(list.dump(), "application/json; charset=utf-8");
    });
    start();
}

void FakeJccRest::put(JccRestAppointment a) {
    std::lock_guard lock(m_mutex);
    m_appointments[a.number] = std::move(a);
}

void FakeJccRest::remove(long number) {
    std::lock_guard lock(m_mutex);
    m_appointments.erase(number);
}

// ---- Qmatic ---------------------------------------------------------------------------------

namespace {

Json qmaticJson(const QmaticAppointment& a) {
    Json services = Json::array();
    for (const auto& s : a.services)
        services.push_back({{"publicId", s}, {"name", "Dienst " + s.substr(0, 4)}, {"duration", 10}, {"additionalCustomerDuration", 5}});
    Json customers = Json::array();
    for (int i = 0; i < a.customers; ++i)
        customers.push_back({{"name", a.name}, {"firstName", "Piet"}, {"lastName", "Jansen"}, {"dateOfBirth", -2206357200000},
                             {"email", "piet@example.com"}, {"phone", "06-11223344"}, {"addressLine1", "Straatnaam 1"},
                             {"addressZip", "1111AB"}, {"identificationNumber", "123456782"}, {"publicId", "f9c6a5fa1b978b41"}});
    return {{"publicId", a.publicId}, {"status", a.status}, {"start", a.start}, {"end", a.end}, {"services", services},
            {"customers", customers}, {"title", "Online booking"}, {"notes", "Geboekt via internet"},
            {"branch", {{"publicId", a.branch}, {"name", "Stadhuis"}, {"timeZone", "Europe/Amsterdam"}}}};
}

Json qmaticMeta() {
    return {{"start", ""}, {"end", ""}, {"totalResults", 1}, {"offset", nullptr}, {"limit", nullptr}, {"fields", ""}, {"arguments", Json::object()}};
}

} // namespace

FakeQmatic::FakeQmatic(std::string apiKey) : m_apiKey(std::move(apiKey)) {
    m_server.Get(R"(/calendar-backend/public/api/v1/branches/([0-9a-f]+)/appointments)",
                 [this](const httplib::Request& req, httplib::Response& res) {
        if (intercept(res, "application/json")) return;
        if (req.get_header_value("auth-token") != m_apiKey) {
            res.status = 401;
            return;
        }
        std::lock_guard lock(m_mutex);
        Json list = Json::array();
        for (const auto& [id, a] : m_appointments) {
            // Qmatic sends UTC; the fake compares the asked local date with the UTC date, which is
            // the same for daytime appointments in Europe.
            if (a.branch != req.matches[1] || a.start.substr(0, 10) != req.get_param_value("fromDate")) continue;
            list.push_back(qmaticJson(a));
        }
        res.set_content(Json{{"notifications", Json::array()}, {"meta", qmaticMeta()}, {"appointmentList", list}}.dump(),
                        "application/json");
    });
    m_server.Get(R"(/calendar-backend/public/api/v1/appointments/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
        if (intercept(res, "application/json")) return;
        if (req.get_header_value("auth-token") != m_apiKey) {
            res.status = 401;
            return;
        }
        std::lock_guard lock(m_mutex);
        auto it = m_appointments.find(req.matches[1]);
        if (it == m_appointments.end()) {
            res.status = 404;
            res.set_content(R"({"msg": "Appointment not found"})", "application/json");
            return;
        }
        res.set_content(Json{{"notifications", Json::array()}, {"meta", qmaticMeta()}, {"appointment", qmaticJson(it->second)}}.dump(),
                        "application/json");
    });
    start();
}

void FakeQmatic::put(QmaticAppointment a) {
    std::lock_guard lock(m_mutex);
    m_appointments[a.publicId] = std::move(a);
}

// ---- Calendar (ICS) -------------------------------------------------------------------------

FakeCalendar::FakeCalendar() {
    m_server.Get("/feed.ics", [this](const httplib::Request&, httplib::Response& res) {
        if (intercept(res, "text/calendar")) return;
        std::lock_guard lock(m_mutex);
        std::vector<std::string> events;
        for (const auto& [uid, e] : m_events) events.push_back(e.first);
        res.set_content(calendar(events), "text/calendar; charset=utf-8");
    });
    start();
}

std::string FakeCalendar::calendar(const std::vector<std::string>& events) const {
    std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Loket tests//Fake calendar//NL\r\n";
    for (const auto& e : events) text += "BEGIN:VEVENT\r\n" + e + "END:VEVENT\r\n";
    return text + "END:VCALENDAR\r\n";
}

void FakeCalendar::put(const std::string& uid, std::string eventLines, std::string utcStart) {
    std::lock_guard lock(m_mutex);
    m_events[uid] = {std::move(eventLines), std::move(utcStart)};
}

void FakeCalendar::remove(const std::string& uid) {
    std::lock_guard lock(m_mutex);
    m_events.erase(uid);
}

} // namespace loket::test
