// The loket-print commands. Each returns the process exit status (0 done, 1 the printer failed
// or reported a fault, 2 bad command line or input) and writes to the given streams only.
#pragma once

#include "command_line.hpp"

#include <iosfwd>

namespace loket::print {

int runRender(const CommandLine& cl, std::ostream& out, std::ostream& err);
int runPrint(const CommandLine& cl, std::ostream& out, std::ostream& err);
int runStatus(const CommandLine& cl, std::ostream& out, std::ostream& err);
int runDecode(const CommandLine& cl, std::ostream& out, std::ostream& err);
// Runs until SIGINT or SIGTERM.
int runVirtual(const CommandLine& cl, std::ostream& out, std::ostream& err);

} // namespace loket::print
