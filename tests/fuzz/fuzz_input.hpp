// Helpers for the libFuzzer targets: the input as text, and a split of one input into parts so
// a target can fuzz a choice and its data together. Standard library only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace loket::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

inline std::span<const std::uint8_t> bytes(const std::uint8_t* data, std::size_t size) { return {data, size}; }

// The first byte chooses among `choices` (0 when the input is empty); the rest is the data.
struct Chosen {
    unsigned choice = 0;
    std::string_view rest;
};
inline Chosen choose(const std::uint8_t* data, std::size_t size, unsigned choices) {
    if (size == 0) return {};
    return {data[0] % choices, text(data + 1, size - 1)};
}

} // namespace loket::fuzz
