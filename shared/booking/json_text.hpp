// A text field of a booking system's JSON answer: the text, or empty when it is missing or not a
// text (the mappers then say which field they needed). Used by the JCC REST and Qmatic mappers.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace loket::booking {

inline std::string jsonText(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace loket::booking
