// UTF-8 to code points for the ticket: the core's strict decoder (shared/core/utf8.hpp), named in
// this namespace for the font code and the ticket layout.
#pragma once

#include "shared/core/utf8.hpp"

namespace loket::ticket {

using core::decodeUtf8;

} // namespace loket::ticket
