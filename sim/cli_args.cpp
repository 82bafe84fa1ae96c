#include "cli_args.hpp"

#include <CLI/CLI.hpp>

namespace loket::sim {

std::string CliArgs::get(const std::string& name, const std::string& fallback) const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
}

Result<long long> CliArgs::integer(const std::string& name, long long fallback) const {
    auto it = options.find(name);
    if (it == options.end()) return fallback;
    try {
        std::size_t used = 0;
        long long v = std::stoll(it->second, &used, 0);
        if (used == it->second.size()) return v;
    } catch (const std::exception&) {
    }
    return makeError(ErrorCode::InvalidValue, "--" + name + " needs a whole number, not '" + it->second + "'");
}

Result<double> CliArgs::real(const std::string& name, double fallback) const {
    auto it = options.find(name);
    if (it == options.end()) return fallback;
    try {
        std::size_t used = 0;
        double v = std::stod(it->second, &used);
        if (used == it->second.size()) return v;
    } catch (const std::exception&) {
    }
    return makeError(ErrorCode::InvalidValue, "--" + name + " needs a number, not '" + it->second + "'");
}

Result<CliArgs> parseCli(int argc, char** argv, const std::set<std::string>& valueOptions,
                         const std::set<std::string>& flagOptions) {
    CliArgs args;
    if (argc < 2) return makeError(ErrorCode::MissingField, "no command given");
    args.command = argv[1];
    // CLI11 reads what follows the command: "--name value", "--name=value", flags, positionals.
    CLI::App app("loket-sim " + args.command);
    app.set_help_flag(); // "help" is one of our flags; main prints the usage
    std::map<std::string, std::string> values;
    std::map<std::string, bool> flags;
    for (const auto& name : valueOptions) app.add_option("--" + name, values[name]);
    for (const auto& name : flagOptions) app.add_flag("--" + name, flags[name]);
    app.add_option("positional", args.positional);
    try {
        app.parse(argc - 1, argv + 1); // argv[1], the command, stands where CLI11 expects the program
    } catch (const CLI::ParseError& e) {
        return makeError(ErrorCode::InvalidValue, e.what());
    }
    for (const auto& name : valueOptions)
        if (app.count("--" + name)) args.options[name] = values[name];
    for (const auto& name : flagOptions)
        if (app.count("--" + name)) args.flags.insert(name);
    return args;
}

} // namespace loket::sim
