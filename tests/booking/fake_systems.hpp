// Protocol-faithful fakes of the booking systems, each a real HTTP server (cpp-httplib) on
// loopback with an OS-assigned port, for the connector tests. They check what a real system
// checks (SOAPAction, envelope and request element, bearer token, auth-token, the query) and
// answer in the systems' shapes, including personal data Loket must not keep. Each can fail the
// way real systems do: an HTTP error, a SOAP fault, malformed XML/JSON, or slow (a request waits
// until the fake is released or destroyed).
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace loket::test {

enum class FakeMode { Normal, HttpError, SoapFault, Malformed, Slow };

class FakeHttp {
public:
    virtual ~FakeHttp();
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    void setMode(FakeMode mode);
    FakeMode mode() const {
        std::lock_guard lock(m_mutex);
        return m_mode;
    }
    void stop(); // the system is gone: connections are refused from now on
    void restart(); // after stop(): the system is back on the same address, with the same data
    int requests() const { return m_requests.load(); }

protected:
    void start();
    // Handles the failure modes; true when the answer is already made.
    bool intercept(httplib::Response& res, const char* malformedType);
    httplib::Server m_server;
    mutable std::mutex m_mutex;

private:
    int m_port = 0;
    std::thread m_thread;
    std::condition_variable m_released;
    FakeMode m_mode = FakeMode::Normal;
    bool m_stopping = false;
    std::atomic<int> m_requests{0};
};

// JCC GGS2 at /GenericGuidanceSystem2.asmx.
struct JccAppointment {
    std::string id;          // appointmentID, numeric
    std::string productIds;  // "1,2,1"
    std::string start, end;  // local, no offset: "2026-12-01T09:00:00"
    std::string location = "1";
    std::string initials = "J.", lastName = "Jansen";
    std::string qrText;
};

class FakeJcc : public FakeHttp {
public:
    FakeJcc();
    ~FakeJcc() override { stop(); } // before the members the handlers use are gone
    std::string endpoint() const { return url() + "/GenericGuidanceSystem2.asmx"; }
    void put(JccAppointment a);
    void remove(const std::string& id);
    std::string lastAuthorization() const;

private:
    std::map<std::string, JccAppointment> m_appointments;
    std::string m_lastAuthorization;
};

// JCC REST (WARP v1) under /api/warp/v1.
struct JccRestAppointment {
    std::string id;      // GUID
    long number = 0;     // what residents carry
    std::vector<std::pair<std::string, int>> activities; // id, amount
    std::string start, end; // local, no offset
    std::string location = "f3b8864b";
    int customers = 1;
    std::string lastName = "Jansen";
};

class FakeJccRest : public FakeHttp {
public:
    FakeJccRest(std::string clientId, std::string secret);
    ~FakeJccRest() override { stop(); } // before the members the handlers use are gone
    std::string endpoint() const { return url() + "/api/warp/v1"; }
    void put(JccRestAppointment a);
    void remove(long number);

private:
    std::string m_clientId, m_secret;
    std::map<long, JccRestAppointment> m_appointments;
};

// Qmatic Calendar public API v1 under /calendar-backend/public/api/v1.
struct QmaticAppointment {
    std::string publicId;                 // lower-case hex
    std::vector<std::string> services;    // service publicIds
    std::string start, end;               // with offset: "2026-12-01T08:00:00.000+00:00"
    std::string branch = "f364d92b7fa07a48c4ecc862de30";
    int customers = 1;
    int status = 20;
    std::string name = "Piet Jansen";
};

class FakeQmatic : public FakeHttp {
public:
    explicit FakeQmatic(std::string apiKey);
    ~FakeQmatic() override { stop(); } // before the members the handlers use are gone
    std::string endpoint() const { return url() + "/calendar-backend/public/api/v1"; }
    void put(QmaticAppointment a);

private:
    std::string m_apiKey;
    std::map<std::string, QmaticAppointment> m_appointments;
};

// A calendar: GET /feed.ics, the whole feed (what a CalDAV server's .ics export serves).
class FakeCalendar : public FakeHttp {
public:
    FakeCalendar();
    ~FakeCalendar() override { stop(); } // before the members the handlers use are gone
    std::string feedUrl() const { return url() + "/feed.ics"; }
    // One VEVENT's lines (without BEGIN/END:VEVENT); `utcStart` (20261201T080000Z) is kept for
    // ordering only.
    void put(const std::string& uid, std::string eventLines, std::string utcStart);
    void remove(const std::string& uid);

private:
    std::string calendar(const std::vector<std::string>& events) const;
    std::map<std::string, std::pair<std::string, std::string>> m_events;
};

} // namespace loket::test
