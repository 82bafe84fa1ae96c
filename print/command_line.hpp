// Command-line parsing for loket-print: `loket-print <command> --option value …`.
// Kept apart from main.cpp so the rules (which options each command takes, what is required)
// live in one place. The options are read with CLI11.
#pragma once

#include "shared/core/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loket::print {

struct CommandLine {
    std::string command;
    std::map<std::string, std::string> options; // "--number" → "A012"

    bool has(const std::string& name) const { return options.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
};

// Options each command accepts (all take a value) and those it cannot do without.
struct CommandSpec {
    std::string name;
    std::vector<std::string> valued;
    std::vector<std::string> required;
};

const std::vector<CommandSpec>& commandSpecs();
std::string usageText();

// Parses argv[1..]; an unknown command or option, a missing value or a missing required option
// is an `invalid_value` / `missing_field` error with a message for the terminal.
Result<CommandLine> parseCommandLine(const std::vector<std::string>& args);

} // namespace loket::print
