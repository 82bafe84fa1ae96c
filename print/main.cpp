// loket-print: wires the command line to the commands (see commands.hpp).
#include "command_line.hpp"
#include "commands.hpp"

#include <iostream>

int main(int argc, char** argv) {
    using namespace loket::print;
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "help") {
        std::cout << usageText();
        return args.empty() ? 2 : 0;
    }
    auto cl = parseCommandLine(args);
    if (!cl) {
        std::cerr << "loket-print: " << cl.error().message << "\n\n" << usageText();
        return 2;
    }
    if (cl->command == "render") return runRender(*cl, std::cout, std::cerr);
    if (cl->command == "print") return runPrint(*cl, std::cout, std::cerr);
    if (cl->command == "status") return runStatus(*cl, std::cout, std::cerr);
    if (cl->command == "decode") return runDecode(*cl, std::cout, std::cerr);
    return runVirtual(*cl, std::cout, std::cerr);
}
