// UTF-8, strictly: text that came from outside (a network reply for the ticket printer, an
// imported appointment file) must be valid UTF-8, and a malformed byte becomes a clear error rather
// than a garbled ticket or a JSON answer that cannot be written.
// Used by the ticket layout (shared/ticket) and the appointment import (shared/proto).
// Standard library only.
#pragma once

#include "result.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace loket::core {

// The code points of `text`. Rejects overlong forms, surrogates, code points above U+10FFFF and
// truncated sequences, naming the byte's position and the valid text before it.
Result<std::vector<char32_t>> decodeUtf8(std::string_view text);
// The position of the first byte that is not valid UTF-8; nullopt when all of `text` is.
std::optional<std::size_t> invalidUtf8At(std::string_view text);

} // namespace loket::core
