#include "shared/net/event_stream_client.hpp"

#include "shared/net/backoff.hpp"
#include "shared/net/http_client.hpp"
#include "shared/net/tls_setup.hpp"

#include <curl/curl.h>

namespace loket::net {

struct EventStreamClient::Impl {
    CURLM* multi = nullptr;
    SseParser parser;
    std::chrono::steady_clock::time_point lastByte;
    Impl() { multi = curl_multi_init(); }
    ~Impl() { curl_multi_cleanup(multi); }
};

EventStreamClient::EventStreamClient(EventStreamOptions options, EventStreamCallbacks callbacks)
    : m_options(std::move(options)), m_callbacks(std::move(callbacks)) {
    ensureCurlInitialised();
    m_impl = std::make_unique<Impl>();
    m_impl->parser.setLastEventId(m_options.lastEventId);
    m_lastIdCopy = m_options.lastEventId;
    m_impl->parser.onEvent = [this](const SseEvent& ev) {
        if (m_callbacks.onEvent) m_callbacks.onEvent(ev);
    };
    m_impl->parser.onComment = [this](std::string_view) {
        if (m_callbacks.onHeartbeat) m_callbacks.onHeartbeat();
    };
}

EventStreamClient::~EventStreamClient() { stop(); }

void EventStreamClient::start() {
    if (m_thread.joinable()) return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void EventStreamClient::stop() {
    m_stop = true;
    {
        std::lock_guard lock(m_mutex);
        m_wake.notify_all();
    }
    if (m_impl && m_impl->multi) curl_multi_wakeup(m_impl->multi);
    if (m_thread.joinable()) m_thread.join();
}

std::string EventStreamClient::lastEventId() const {
    std::lock_guard lock(m_mutex);
    return m_lastIdCopy;
}

void EventStreamClient::setState(StreamState state, const std::string& detail) {
    m_state = state;
    if (m_callbacks.onState) m_callbacks.onState(state, detail);
}

bool EventStreamClient::waitBackoff(std::chrono::milliseconds delay) {
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, delay, [this] { return m_stop.load(); });
    return !m_stop;
}

std::string EventStreamClient::serverUrl() const {
    std::lock_guard lock(m_mutex);
    return m_serverUrl;
}

void EventStreamClient::run() {
    Backoff backoff(m_options.initialBackoff, m_options.maxBackoff);
    std::size_t failedInRow = 0;
    while (!m_stop) {
        const Attempt attempt = connectOnce();
        if (m_stop) break;
        if (attempt.gotData) {
            backoff.reset();
            failedInRow = 0;
        } else {
            ++failedInRow;
        }
        // Another address not yet tried since the stream was last live: at once, no backoff.
        if (attempt.movedOn && m_options.servers && failedInRow < m_options.servers->size()) continue;
        if (!waitBackoff(backoff.next())) break;
    }
    setState(StreamState::Stopped, "");
}

namespace {

struct Transfer {
    SseParser* parser;
    std::mutex* mutex;
    std::chrono::steady_clock::time_point* lastByte;
    std::string* lastIdCopy;
    std::atomic<bool>* stop;
    bool gotData = false;
};

std::size_t onBytes(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    if (t->stop->load()) return 0; // aborts the transfer
    *t->lastByte = std::chrono::steady_clock::now();
    t->gotData = true;
    // The parser's callbacks run user code, so it is fed without the lock; only the copy of the
    // last id that other threads read is guarded.
    t->parser->feed(std::string_view(data, size * count));
    std::lock_guard lock(*t->mutex);
    *t->lastIdCopy = t->parser->lastEventId();
    return size * count;
}

} // namespace

EventStreamClient::Attempt EventStreamClient::connectOnce() {
    setState(StreamState::Connecting, "");
    CURL* curl = curl_easy_init();
    if (!curl) {
        setState(StreamState::Disconnected, "curl_easy_init failed");
        return {};
    }
    const ServerList::Choice choice =
        m_options.servers ? m_options.servers->current() : ServerList::Choice{0, ServerEndpoint{m_options.baseUrl, m_options.tls}};
    {
        std::lock_guard lock(m_mutex);
        m_serverUrl = choice.endpoint.url;
    }
    std::string url = choice.endpoint.url + m_options.path;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Accept: text/event-stream");
    headers = curl_slist_append(headers, "Cache-Control: no-cache");
    const std::string token = m_options.tokenSource ? m_options.tokenSource() : m_options.token;
    if (!token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    std::string lastId = lastEventId();
    if (!lastId.empty()) headers = curl_slist_append(headers, ("Last-Event-ID: " + lastId).c_str());

    m_impl->parser.resetPartial();
    m_impl->lastByte = std::chrono::steady_clock::now();
    Transfer transfer{&m_impl->parser, &m_mutex, &m_impl->lastByte, &m_lastIdCopy, &m_stop};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    if (auto tls = detail::applyTls(curl, url, choice.endpoint.tls); !tls) {
        curl_easy_cleanup(curl);
        curl_slist_free_all(headers);
        m_tlsRejected = true;
        const bool movedOn = m_options.servers && m_options.servers->size() > 1;
        if (movedOn) m_options.servers->reportFailure(choice.index);
        setState(StreamState::Disconnected, tls.error().message);
        return {false, movedOn};
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_multi_add_handle(m_impl->multi, curl);

    std::string detail;
    bool announcedConnected = false;
    int running = 1;
    while (running && !m_stop) {
        if (curl_multi_perform(m_impl->multi, &running) != CURLM_OK) {
            detail = "curl_multi_perform failed";
            break;
        }
        if (!announcedConnected) {
            long status = 0;
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
            if (status == 200) {
                announcedConnected = true;
                m_tlsRejected = false;
                ++m_connects;
                setState(StreamState::Connected, "");
            }
        }
        if (!running) break;
        if (std::chrono::steady_clock::now() - m_impl->lastByte > m_options.stallTimeout) {
            detail = "no heartbeat from the server";
            break;
        }
        curl_multi_poll(m_impl->multi, nullptr, 0, 250, nullptr);
    }
    if (detail.empty()) {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(m_impl->multi, &left)) {
            if (msg->msg == CURLMSG_DONE) {
                if (msg->data.result != CURLE_OK) detail = curl_easy_strerror(msg->data.result);
                else detail = "the server closed the stream";
                m_tlsRejected = detail::isTlsFailure(msg->data.result);
            }
        }
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    m_lastStatus = status;
    curl_multi_remove_handle(m_impl->multi, curl);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    // The stream ended or never began, and no HTTP answer said why (the instance is gone, or a
    // proxy says so): the next address in the list. A refusal (401, 403) is no reason to move.
    bool movedOn = false;
    if (!m_stop && m_options.servers && m_options.servers->size() > 1 && (announcedConnected || movesOn(status))) {
        m_options.servers->reportFailure(choice.index);
        movedOn = true;
    }
    if (!m_stop) setState(StreamState::Disconnected, detail);
    return {transfer.gotData, movedOn};
}

} // namespace loket::net
