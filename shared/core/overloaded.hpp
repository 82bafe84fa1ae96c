// Overloaded{lambdas...}: one visitor for std::visit from several lambdas (the usual C++17
// idiom), written once for every file that visits the command and event variants.
#pragma once

namespace loket {

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>; // clang 16 (the fuzz tree) has no aggregate CTAD

} // namespace loket
