// LeanKiosk: the benchmark's kiosk on one keep-alive loopback connection, as cheap for the
// machine as a client can be: a request goes out in one send, its answer comes back in one or
// two receives, read by its Content-Length. The benchmark's kiosks share the two cores with the
// server they measure; with cpp-httplib's client each check-in cost the load side about a third
// of the machine's CPU (six polls, two sends, header maps, a JSON dump), which capped the server
// on tmpfs and on disk alike. A real kiosk runs on a machine of its own.
#pragma once

#include <string>
#include <string_view>

namespace loket::bench {

class LeanKiosk {
public:
    explicit LeanKiosk(int port); // connects to 127.0.0.1:port (TCP_NODELAY) at once; ok() tells
    ~LeanKiosk();
    LeanKiosk(const LeanKiosk&) = delete;
    LeanKiosk& operator=(const LeanKiosk&) = delete;

    bool ok() const { return m_fd >= 0; }
    // Sends one whole HTTP/1.1 request and reads its answer; returns the answer's status code,
    // or -1 when the connection failed or the answer was not one this reader understands (no
    // Content-Length, for example): the caller counts that as a failed check-in.
    int roundTrip(std::string_view request);

private:
    static constexpr int kNoAnswer = -2; // the connection failed before any byte of an answer
    void connectNow();
    int exchange(std::string_view request); // one send and its answer on the current connection
    int drop(int status);                   // closes the connection; returns `status`

    int m_port;
    int m_fd = -1;
    std::string m_in; // what has been received of the current answer
};

// POST /api/v1/tickets for `service` with `idempotencyKey`, as the kiosk token sends it.
std::string checkinRequest(std::string_view service, std::string_view idempotencyKey);

} // namespace loket::bench
