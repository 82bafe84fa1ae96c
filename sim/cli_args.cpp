#include "cli_args.hpp"

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
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0) {
            args.positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        bool inlineValue = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inlineValue = true;
        }
        if (flagOptions.count(name)) {
            if (inlineValue) return makeError(ErrorCode::InvalidValue, "--" + name + " takes no value");
            args.flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= argc) return makeError(ErrorCode::MissingField, "--" + name + " needs a value");
                value = argv[++i];
            }
            args.options[name] = value;
        } else {
            return makeError(ErrorCode::UnknownField, "unknown option --" + name);
        }
    }
    return args;
}

} // namespace loket::sim
