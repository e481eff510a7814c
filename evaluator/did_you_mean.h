#pragma once
// "Did you mean …?" for unknown names (config keys, endpoint names, suite names).
//
//   std::string s = DidYouMean("promt", {"prompt", "name", "rules"});   // "prompt"
//   if (!s.empty()) msg += "; did you mean \"" + s + "\"?";
//
// Pure functions, thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace comply {

// Edit distance (insertions, deletions, substitutions and swaps of neighbours, each 1),
// ASCII case-insensitive.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo: distance at
// most 1 for words of up to 4 characters, 2 up to 8, else 3 (and less than the word's
// length). Ties go to the earlier candidate. Empty when nothing is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace comply
