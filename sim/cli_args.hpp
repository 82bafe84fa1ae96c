// Command-line options of loket-sim, read with CLI11: "--name value" (or --name=value) pairs,
// flags and positional arguments, with a clear error for anything unknown or malformed.
#pragma once

#include "shared/core/result.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace loket::sim {

struct CliArgs {
    std::string command;
    std::map<std::string, std::string> options;   // "--seed 7" → {"seed", "7"}
    std::set<std::string> flags;                  // "--markdown"
    std::vector<std::string> positional;

    std::string get(const std::string& name, const std::string& fallback) const;
    Result<long long> integer(const std::string& name, long long fallback) const;
    Result<double> real(const std::string& name, double fallback) const;
};

// `valueOptions`: options that take a value; `flagOptions`: options that do not.
Result<CliArgs> parseCli(int argc, char** argv, const std::set<std::string>& valueOptions,
                         const std::set<std::string>& flagOptions);

} // namespace loket::sim
