// UTF-8 to code points, strictly: the ticket prints text that came over the network, and a
// malformed byte must become a clear error rather than a garbled ticket.
// Used by the font code and the ticket layout. Standard library only.
#pragma once

#include "shared/core/result.hpp"

#include <string_view>
#include <vector>

namespace loket::ticket {

// Rejects overlong forms, surrogates, code points above U+10FFFF and truncated sequences.
Result<std::vector<char32_t>> decodeUtf8(std::string_view text);

} // namespace loket::ticket
