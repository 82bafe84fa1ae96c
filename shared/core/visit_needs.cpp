#include "visit_needs.hpp"

namespace loket::core {
namespace {

bool* flag(VisitNeeds& n, const std::string& name) {
    if (name == "sitting_desk") return &n.sittingDesk;
    if (name == "hearing_loop") return &n.hearingLoop;
    if (name == "interpreter") return &n.interpreter;
    if (name == "extra_time") return &n.extraTime;
    if (name == "companion") return &n.companion;
    return nullptr;
}

} // namespace

const std::vector<std::string>& needNames() {
    static const std::vector<std::string> names = {"sitting_desk", "hearing_loop", "interpreter", "extra_time", "companion"};
    return names;
}

std::vector<std::string> needList(const VisitNeeds& needs) {
    std::vector<std::string> out;
    VisitNeeds copy = needs;
    for (const auto& name : needNames())
        if (*flag(copy, name)) out.push_back(name);
    return out;
}

bool setNeed(VisitNeeds& needs, const std::string& name) {
    bool* f = flag(needs, name);
    if (!f) return false;
    *f = true;
    return true;
}

} // namespace loket::core
