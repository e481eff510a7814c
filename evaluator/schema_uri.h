#pragma once
// Private to the schema validator: URI references (RFC 3986 §5) and JSON Pointers (RFC 6901)
// as the schema pre-pass needs them. Pure functions, thread-safe.
//
//   ResolveUri("file:///s/a.json", "b.json#/x")  == "file:///s/b.json#/x"
//   SplitUriFragment("x.json#/a", &frag) == "x.json", frag == "/a"

#include <string>
#include <string_view>
#include <vector>

namespace comply::schema_internal {

// Resolves `ref` against the absolute `base` (RFC 3986 §5.2, dot segments removed).
std::string ResolveUri(std::string_view base, std::string_view ref);

// Returns the URI without its fragment; stores the fragment (without '#') in *fragment.
std::string SplitUriFragment(std::string_view uri, std::string* fragment);

// "%25" -> "%"; invalid escapes are kept as they are.
std::string PercentDecode(std::string_view text);

// Escapes one reference token: '~' -> "~0", '/' -> "~1".
std::string EscapePointerToken(std::string_view token);

// Splits "/a/b~1c" into {"a", "b/c"}. False when `pointer` is neither "" nor starts with '/'.
bool SplitPointer(std::string_view pointer, std::vector<std::string>* tokens);

}  // namespace comply::schema_internal
