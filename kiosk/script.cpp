#include "script.hpp"

#include "app.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace loket::kiosk {
namespace {

Error stepError(const ScriptStep& s, const std::string& what) {
    return makeError(ErrorCode::InvalidValue, "script line " + std::to_string(s.line) + " (" + s.verb + "): " + what);
}

Result<int> number(const ScriptStep& s, std::size_t i) {
    try {
        return std::stoi(s.args.at(i));
    } catch (...) {
        return stepError(s, "needs a whole number as argument " + std::to_string(i + 1));
    }
}

std::optional<NavKey> keyNamed(const std::string& name) {
    if (name == "next" || name == "tab") return NavKey::Next;
    if (name == "previous") return NavKey::Previous;
    if (name == "enter") return NavKey::Activate;
    if (name == "back" || name == "escape") return NavKey::Back;
    if (name == "erase" || name == "backspace") return NavKey::Erase;
    if (name == "repeat") return NavKey::Repeat;
    return std::nullopt;
}

} // namespace

Result<std::vector<ScriptStep>> parseScript(const std::string& text) {
    static const std::set<std::string> kVerbs{"tap", "tap-at", "type", "key", "wait-screen", "expect-screen",
                                              "wait", "advance", "headset", "shot", "mark", "await",
                                              "wait-printed", "report", "wait-text", "wait-services"};
    std::vector<ScriptStep> steps;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        std::istringstream words(line);
        ScriptStep step;
        step.line = n;
        if (!(words >> step.verb)) continue;
        for (std::string w; words >> w;) step.args.push_back(w);
        if (!kVerbs.count(step.verb))
            return makeError(ErrorCode::InvalidValue, "script line " + std::to_string(n) + ": unknown step \"" + step.verb + "\"");
        const bool needsArg = step.verb != "headset" && step.verb != "wait-printed" && step.verb != "wait-services";
        if (needsArg && step.args.empty())
            return makeError(ErrorCode::InvalidValue, "script line " + std::to_string(n) + ": \"" + step.verb + "\" needs an argument");
        steps.push_back(std::move(step));
    }
    return steps;
}

Result<std::vector<ScriptStep>> loadScript(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return makeError(ErrorCode::NotFound, "cannot read script " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    auto steps = parseScript(text.str());
    if (!steps) return makeError(steps.error().code, file.string() + ": " + steps.error().message);
    return steps;
}

Status runScript(App& app, const std::vector<ScriptStep>& steps, const std::filesystem::path& dir) {
    using namespace std::chrono;
    for (const auto& s : steps) {
        if (s.verb == "tap") {
            auto kind = actionFromName(s.args[0]);
            if (!kind) return stepError(s, "no action \"" + s.args[0] + "\"");
            if (auto st = app.tapAction(Action{*kind, s.args.size() > 1 ? s.args[1] : ""}); !st)
                return stepError(s, st.error().message);
        } else if (s.verb == "tap-at") {
            auto x = number(s, 0);
            auto y = s.args.size() > 1 ? number(s, 1) : Result<int>(stepError(s, "needs x and y"));
            if (!x) return x.error();
            if (!y) return y.error();
            app.tapAt(static_cast<float>(*x), static_cast<float>(*y));
        } else if (s.verb == "type") {
            std::string text;
            for (const auto& a : s.args) text += a;
            app.typeText(text);
        } else if (s.verb == "key") {
            auto key = keyNamed(s.args[0]);
            if (!key) return stepError(s, "no key \"" + s.args[0] + "\"");
            app.pressKey(*key);
        } else if (s.verb == "wait-screen" || s.verb == "expect-screen") {
            int timeoutMs = 0;
            if (s.verb == "wait-screen") {
                auto t = s.args.size() > 1 ? number(s, 1) : Result<int>(5000);
                if (!t) return t.error();
                timeoutMs = *t;
            }
            const auto until = steady_clock::now() + milliseconds(timeoutMs);
            app.step();
            while (app.screenId().rfind(s.args[0], 0) != 0) {
                if (steady_clock::now() >= until)
                    return stepError(s, "the screen is \"" + app.screenId() + "\", not \"" + s.args[0] + "\"");
                app.waitAndStep(milliseconds(50));
            }
        } else if (s.verb == "wait-services") {
            // A fresh kiosk shows its welcome screen at once and asks for the services after its
            // first heartbeat: a script that chooses a walk-in first waits for them.
            auto t = s.args.empty() ? Result<int>(5000) : number(s, 0);
            if (!t) return t.error();
            const auto until = steady_clock::now() + milliseconds(*t);
            app.step();
            while (!app.flow().state().servicesLoaded) {
                if (steady_clock::now() >= until) return stepError(s, "no service list from the server");
                app.waitAndStep(milliseconds(50));
            }
        } else if (s.verb == "wait-text") {
            // wait-text <ms> <words…>: until a text drawn on the screen contains the words.
            auto t = number(s, 0);
            if (!t) return t.error();
            std::string words;
            for (std::size_t i = 1; i < s.args.size(); ++i) words += (i > 1 ? " " : "") + s.args[i];
            if (words.empty()) return stepError(s, "needs the words to wait for");
            auto drawn = [&] {
                for (const auto& text : app.lastFrame().texts)
                    if (text.text.find(words) != std::string::npos) return true;
                return false;
            };
            const auto until = steady_clock::now() + milliseconds(*t);
            app.step();
            while (!drawn()) {
                if (steady_clock::now() >= until) return stepError(s, "\"" + words + "\" is not on the screen \"" + app.screenId() + "\"");
                app.waitAndStep(milliseconds(20));
            }
        } else if (s.verb == "wait") {
            auto ms = number(s, 0);
            if (!ms) return ms.error();
            const auto until = steady_clock::now() + milliseconds(*ms);
            while (steady_clock::now() < until)
                app.waitAndStep(duration_cast<milliseconds>(until - steady_clock::now()));
        } else if (s.verb == "advance") {
            auto secs = number(s, 0);
            if (!secs) return secs.error();
            app.advanceClock(seconds(*secs));
            app.step();
        } else if (s.verb == "headset") {
            app.handle(HeadsetPlugged{});
            app.step();
        } else if (s.verb == "wait-printed") {
            auto t = !s.args.empty() ? number(s, 0) : Result<int>(5000);
            if (!t) return t.error();
            const auto until = steady_clock::now() + milliseconds(*t);
            while (app.flow().state().print == PrintState::Printing || app.flow().state().print == PrintState::None) {
                if (steady_clock::now() >= until) return stepError(s, "no print finished");
                app.waitAndStep(milliseconds(5));
            }
        } else if (s.verb == "report") {
            nlohmann::json j;
            j["touch_to_print_ms"] = app.touchToPrintMs();
            j["screens_entered"] = app.screensEntered();
            const WorkerStats stats = app.workerStats();
            j["journal_ms"] = stats.journalMs;
            j["layout_ms"] = stats.layoutMs;
            j["transport_ms"] = stats.transportMs;
            std::ofstream(s.args[0]) << j.dump() << "\n";
        } else if (s.verb == "mark") {
            if (dir.empty()) return stepError(s, "no --screenshots folder was given");
            std::ofstream(dir / (s.args[0] + ".mark")) << "1\n";
        } else if (s.verb == "await") {
            auto t = s.args.size() > 1 ? number(s, 1) : Result<int>(10000);
            if (!t) return t.error();
            const auto until = steady_clock::now() + milliseconds(*t);
            while (!std::filesystem::exists(dir / (s.args[0] + ".mark"))) {
                if (steady_clock::now() >= until) return stepError(s, "nobody marked \"" + s.args[0] + "\"");
                app.waitAndStep(milliseconds(20));
            }
        } else if (s.verb == "shot") {
            if (dir.empty()) return stepError(s, "no --screenshots folder was given");
            if (auto st = app.writeShot(dir, s.args[0]); !st) return stepError(s, st.error().message);
        }
    }
    return Ok{};
}

} // namespace loket::kiosk
