// HallHttpServer: cpp-httplib's Server with its connection handling replaced, so that no open
// connection holds a thread while it waits. cpp-httplib (0.11, Debian's compiled library) gives
// every connection a pool thread for its whole life: an event stream or a client sending its
// headers slowly kept one forever, and ~192 of them stopped the hall (issue 11, defect 1).
//
// Here the accept thread hands every new connection to the StreamHub (epoll threads), which
// shakes hands (HTTPS: non-blocking OpenSSL, tls_listener.hpp), waits for a complete request head
// under a deadline and size limits, serves event streams itself, and passes ordinary requests to
// a small worker pool. Plain HTTP and HTTPS take the same path and get the same limits. A worker answers the request(s)
// already received with cpp-httplib's own request processing (routing, handlers, body limits —
// everything installApi() set up), then gives the connection back to the hub to wait for the
// next one. Routes and handlers are unchanged.
//
// Also: raiseOpenFileLimit() lifts RLIMIT_NOFILE to the hard limit (each connection is a file;
// the service unit sets LimitNOFILE=).
#pragma once

#include "stream_hub.hpp"

#include <httplib.h>

#include <memory>

namespace loket::server {

struct ListenerOptions {
    std::size_t workers = 32;    // threads answering requests (none is held by a waiting connection)
    StreamLimits limits;
    time_t readTimeoutS = 5;     // a body (or a write) that stalls this long ends the connection
    SecurityHeaders securityHeaders; // on the answers the hub writes itself (HSTS over HTTPS)
};

class HallHttpServer : public httplib::Server {
public:
    // With `tls`, every connection is HTTPS (its CertificateStore reloads on SIGHUP).
    HallHttpServer(EventBroker& broker, Auth& auth, HallClock& clock, ListenerOptions options,
                   std::unique_ptr<TlsServerContext> tls = nullptr);
    ~HallHttpServer() override;

    // Before listen_after_bind(), after bind; stopHub() after listen_after_bind() returned.
    void startHub();
    void stopHub();
    int openStreams() const { return m_hub.openStreams(); }

private:
    bool process_and_close_socket(socket_t sock) override;
    void serve(ClientLink link);

    ListenerOptions m_options;
    std::unique_ptr<TlsServerContext> m_tls;
    std::unique_ptr<httplib::ThreadPool> m_workers;
    StreamHub m_hub;
    std::atomic<bool> m_stopping{false};
};

// For a route or pre-routing handler: close the connection once this answer is sent (the rest
// of a refused body is not read as the next request). Only on a request worker's thread.
void closeConnectionAfterThisRequest();

// Raises the soft limit of open files to the hard limit; returns the new soft limit.
long raiseOpenFileLimit();

} // namespace loket::server
