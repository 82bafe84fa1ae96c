#include "command_line.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>

namespace loket::print {

namespace {

const std::vector<std::string> kTicketOptions = {
    "--profile", "--assets", "--lang",  "--hall", "--number", "--service",     "--issued",
    "--wait",    "--bring",  "--url",   "--appointment",      "--font-dir",
};

std::vector<std::string> withTicketOptions(std::vector<std::string> extra) {
    extra.insert(extra.end(), kTicketOptions.begin(), kTicketOptions.end());
    return extra;
}

} // namespace

std::string CommandLine::get(const std::string& name, const std::string& fallback) const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
}

const std::vector<CommandSpec>& commandSpecs() {
    static const std::vector<CommandSpec> kSpecs = {
        {"render", withTicketOptions({"--out", "--escpos"}), {"--out", "--number", "--service", "--url"}},
        {"print", withTicketOptions({"--printer"}), {"--printer", "--number", "--service", "--url"}},
        {"status", {"--printer"}, {"--printer"}},
        {"decode", {"--in", "--out"}, {"--in", "--out"}},
        {"virtual", {"--listen", "--save-dir", "--status"}, {}},
    };
    return kSpecs;
}

std::string usageText() {
    return R"(loket-print — Loket's ticket printing tool

  loket-print render  --out ticket.png [--escpos job.bin] TICKET
  loket-print print   --printer SPEC TICKET
  loket-print status  --printer SPEC
  loket-print decode  --in job.bin --out job.png
  loket-print virtual [--listen 127.0.0.1:9100] [--save-dir DIR]
                      [--status ok|paper_near_end|paper_out|cover_open|offline]

TICKET:
  --number A012  --service "Paspoort of ID-kaart aanvragen"  --url https://…/v/<code>   (required)
  --lang nl|en (nl)  --hall "Stadswinkel"  --issued "23-11-2026 09:15" (now)
  --wait 10-20 (none: no estimate)  --bring "…"  --appointment 10:30
  --profile PROFILE.toml  --assets DIR  --font-dir DIR
    (defaults: installed, /usr/share/loket/printers/epson-tm-t20iii.toml and /usr/share/loket/assets;
     in a build tree, firmware-config/printers/epson-tm-t20iii.toml and assets)
SPEC: file:/path/out | file:/existing/dir/ | tcp:host:9100 | device:/dev/usb/lp0
Exit status: 0 done, 1 the printer failed or reported a fault, 2 bad command line or input.
)";
}

Result<CommandLine> parseCommandLine(const std::vector<std::string>& args) {
    if (args.empty()) return makeError(ErrorCode::MissingField, "no command given");
    CommandLine out;
    out.command = args[0];
    const auto& specs = commandSpecs();
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const CommandSpec& s) { return s.name == out.command; });
    if (spec == specs.end()) return makeError(ErrorCode::InvalidValue, "unknown command \"" + out.command + "\"");
    // CLI11 reads the options; the messages stay ours (scripts and tests read them).
    CLI::App app("loket-print " + out.command);
    app.set_help_flag();
    app.allow_extras();
    std::map<std::string, std::vector<std::string>> values;
    for (const auto& name : spec->valued)
        app.add_option(name, values[name])->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->expected(1);
    std::vector<std::string> rest(args.rbegin(), args.rend() - 1); // CLI11 takes the arguments reversed
    try {
        app.parse(rest);
    } catch (const CLI::ArgumentMismatch& e) {
        for (const auto& name : spec->valued)
            if (!args.empty() && args.back() == name) return makeError(ErrorCode::MissingField, name + " needs a value");
        return makeError(ErrorCode::InvalidValue, e.what());
    } catch (const CLI::ParseError& e) {
        return makeError(ErrorCode::InvalidValue, e.what());
    }
    if (auto extra = app.remaining(); !extra.empty())
        return makeError(ErrorCode::InvalidValue, "\"" + out.command + "\" does not take \"" + extra.front() + "\"");
    for (const auto& [name, given] : values) {
        if (given.size() > 1) return makeError(ErrorCode::InvalidValue, name + " is given twice");
        if (!given.empty()) out.options[name] = given.front();
    }
    for (const auto& name : spec->required)
        if (!out.has(name)) return makeError(ErrorCode::MissingField, "\"" + out.command + "\" needs " + name);
    return out;
}

} // namespace loket::print
