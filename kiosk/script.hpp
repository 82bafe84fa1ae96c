// Headless scripts: `loket-kiosk --headless --script <file> --screenshots <dir>` runs these
// steps, one a line ('#' starts a comment), and exits 0 when all pass or 1 naming the failed one:
//   tap <action> [arg]        touch the drawn target of that action (choose_walk_in,
//                             choose_service paspoort, type_char K, more_time, …)
//   tap-at <x> <y>            touch a point
//   type <text>               type (a USB scanner types the same way)
//   key <name>                next | previous | enter | back | erase | repeat
//   wait-screen <id> [ms]     let the kiosk run until its screen id starts with <id> (default 5000 ms;
//                             "pairing" while it shows its pairing code)
//   expect-screen <id>        the screen id must start with <id> now
//   wait-text <ms> <words…>   let the kiosk run until a text drawn on screen contains the words
//   wait-services [ms]        let the kiosk run until it has the service list (default 5000 ms)
//   wait <ms>                 let real time pass (the worker keeps working)
//   advance <seconds>         move the kiosk's clock on (idle time-outs and token renewal without waiting)
//   headset                   a headset is plugged in
//   mark <name>               create <dir>/<name>.mark (tells a test "I am here")
//   await <name> [ms]         wait until <dir>/<name>.mark exists (a test's "go on"), default 10000 ms
//   wait-printed [ms]         wait until the ticket's print finished (printed or failed)
//   report <file>             write every touch-to-print time so far as JSON (the benchmark)
//   shot <name>               write <dir>/<name>.png and <name>.json (view-model, targets in mm,
//                             drawn texts with colours, the spoken script and the speech log)
#pragma once

#include "shared/core/result.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace loket::kiosk {

class App;

struct ScriptStep {
    int line = 0;
    std::string verb;
    std::vector<std::string> args;
};

Result<std::vector<ScriptStep>> parseScript(const std::string& text);
// Reads and parses a script file; an unreadable file is an error naming it.
Result<std::vector<ScriptStep>> loadScript(const std::filesystem::path& file);
// Runs the steps on `app`; the first failing step's error names its line.
Status runScript(App& app, const std::vector<ScriptStep>& steps, const std::filesystem::path& screenshotDir);

} // namespace loket::kiosk
