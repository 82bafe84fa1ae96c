#include "transport.hpp"

#include "transport_kinds.hpp"

#include <charconv>

namespace loket::ticket {

namespace {

Error badSpec(std::string_view spec, const std::string& why) {
    return makeError(ErrorCode::InvalidValue, "printer \"" + std::string(spec) + "\": " + why +
                                                  " (use file:/path/out, tcp:host:9100 or device:/dev/usb/lp0)");
}

} // namespace

Result<TransportSpec> parseTransportSpec(std::string_view spec) {
    const auto colon = spec.find(':');
    if (colon == std::string_view::npos) return badSpec(spec, "no kind given");
    const std::string_view kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    TransportSpec out;
    if (kind == "file" || kind == "device") {
        if (rest.empty()) return badSpec(spec, "no path given");
        out.kind = kind == "file" ? TransportSpec::Kind::File : TransportSpec::Kind::Device;
        out.path = std::filesystem::path(std::string(rest));
        return out;
    }
    if (kind != "tcp") return badSpec(spec, "unknown kind \"" + std::string(kind) + "\"");
    out.kind = TransportSpec::Kind::Tcp;
    std::string_view host, port;
    if (rest.starts_with('[')) {
        const auto close = rest.find("]:");
        if (close == std::string_view::npos) return badSpec(spec, "an IPv6 address needs the form [addr]:port");
        host = rest.substr(1, close - 1);
        port = rest.substr(close + 2);
    } else {
        const auto last = rest.rfind(':');
        if (last == std::string_view::npos) return badSpec(spec, "no port given");
        host = rest.substr(0, last);
        port = rest.substr(last + 1);
    }
    int number = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (host.empty()) return badSpec(spec, "no host given");
    if (ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535)
        return badSpec(spec, "port must be a number from 1 to 65535");
    out.host = std::string(host);
    out.port = number;
    return out;
}

Result<std::unique_ptr<Transport>> openTransport(std::string_view spec, std::chrono::milliseconds connectTimeout) {
    auto parsed = parseTransportSpec(spec);
    if (!parsed) return parsed.error();
    switch (parsed->kind) {
    case TransportSpec::Kind::File: return detail::openFileTransport(parsed->path, std::string(spec));
    case TransportSpec::Kind::Tcp:
        return detail::openTcpTransport(parsed->host, parsed->port, std::string(spec), connectTimeout);
    case TransportSpec::Kind::Device: return detail::openDeviceTransport(parsed->path, std::string(spec));
    }
    return badSpec(spec, "unknown kind");
}

} // namespace loket::ticket
