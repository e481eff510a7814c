#pragma once
// YAML (and JSON) files as nlohmann::json with source positions, for the suite and config
// loaders, and the diagnostics they report.
//
//   std::vector<Diagnostic> problems;
//   YamlDoc doc = ParseYamlFile("suites/invoice/suite.yaml", {}, &problems);
//   Mark m = doc.MarkOf("/rules/0/pattern");     // 1-based line:column of that value
//   FieldReader suite(doc, "", "suite", &problems);
//   std::optional<std::string> prompt = suite.String("prompt");
//
// Typing follows YAML 1.2 core: plain `no`/`yes`/`on` stay strings; plain ints, floats,
// true/false and null become those JSON types; quoted scalars are always strings.
// Duplicate keys (yaml-cpp accepts them silently) are reported. Not thread-safe per object;
// independent objects are independent.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace comply {

// A 1-based source position; line 0 = unknown, col 0 = whole line.
struct Mark {
  int line = 0;
  int col = 0;
};

// One problem in an input file. Formats as
//   file:line:col: error: <what> — "<text>" — <fix>
// (the quoted text and the fix are left out when empty).
struct Diagnostic {
  std::string file;  // as shown to the user
  Mark mark;
  std::string what;
  std::string text;  // the offending fragment, quoted in the message (never a secret)
  std::string fix;

  std::string Where() const;   // "file:line:col", "file:line" or "file"
  std::string Message() const; // "<what> — \"<text>\" — <fix>"
  std::string Format() const;  // Where() + ": error: " + Message()
};

// All diagnostics, one Format() per line (no trailing newline).
std::string JoinDiagnostics(const std::vector<Diagnostic>& problems);

// Orders problems for reading: `first_file` first (when given), then files in order of first
// appearance, each by line and column (stable, so problems at one place keep their order).
void SortDiagnostics(std::vector<Diagnostic>* problems, const std::string& first_file = "");

// A parsed file: the value plus the source position of every value and map key, addressed by
// JSON Pointer ("" = the root), and the raw text of every scalar (before typing and ${ENV}).
struct YamlDoc {
  std::string file;  // display name
  nlohmann::json value;  // null for an empty file
  std::unordered_map<std::string, Mark> value_marks;
  std::unordered_map<std::string, Mark> key_marks;
  std::unordered_map<std::string, std::string> raw;
  std::vector<std::string> lines;  // the source, for quoting

  // Position of the value at `pointer`; falls back to its key, then to the nearest parent.
  Mark MarkOf(const std::string& pointer) const;
  // Position of the key naming `pointer` (falls back to MarkOf).
  Mark KeyMarkOf(const std::string& pointer) const;
  // The value's source text: the raw scalar, else the rest of its first source line.
  std::string TextOf(const std::string& pointer) const;
};

struct ParseOptions {
  // Expand ${VAR} and ${VAR:-default} in string values (`$${` is a literal `${`).
  bool expand_env = true;
  // Pointers whose string value is kept verbatim (e.g. "/endpoints/0/api_key_env").
  std::function<bool(const std::string& pointer)> keep_verbatim;
};

// Reads and parses `file` (shown as `display`, default file.string()). Problems (unreadable
// file, YAML syntax, duplicate keys, non-scalar keys, `{{x}}` read as a flow map, unset
// variables) are appended to *problems; the value is whatever could be read. Never throws.
YamlDoc ParseYamlFile(const std::filesystem::path& file, std::string display, const ParseOptions& options,
                      std::vector<Diagnostic>* problems);
// Same, from text in memory.
YamlDoc ParseYamlText(std::string_view text, std::string display, const ParseOptions& options,
                      std::vector<Diagnostic>* problems);

// Expands ${VAR} / ${VAR:-default} in `in`. On an unset variable without default returns
// false and sets *unset to its name. `$${` yields a literal `${`.
bool ExpandEnv(std::string_view in, std::string* out, std::string* unset);

// 1-based line:col of byte `offset` in `text`.
Mark MarkAtOffset(std::string_view text, std::size_t offset);

// "/a/b" + "c~d" -> "/a/b/c~0d".
std::string ChildPointer(const std::string& pointer, std::string_view key);
std::string ChildPointer(const std::string& pointer, std::size_t index);

// `text` on one line, cut to about 80 characters (for quoting in messages).
std::string ShortText(std::string_view text);

// "a string", "a number", "a list", "a map", "true/false", "null": for type errors.
std::string JsonTypeName(const nlohmann::json& value);

// Reads the map at `pointer` of a YamlDoc with type and range checks; every problem is
// appended to *problems (the getters return nullopt for a missing or bad value).
// Messages name the key: `"timeout_s" must be a number, not a string`.
class FieldReader {
 public:
  // `context` names the map in messages: "suite", "endpoint", "rule" ... Reports once when
  // the node is present but not a map.
  FieldReader(const YamlDoc& doc, std::string pointer, std::string context,
              std::vector<Diagnostic>* problems);

  bool valid() const { return map_ != nullptr; }
  const std::string& pointer() const { return pointer_; }
  const YamlDoc& doc() const { return doc_; }

  // Reports every key outside `allowed`: `unknown key "promt" in suite; did you mean "prompt"?`.
  void AllowKeys(const std::vector<std::string>& allowed);
  // Present (null counts as absent).
  bool Has(std::string_view key) const;
  const nlohmann::json* Get(std::string_view key) const;  // null when absent
  std::string PointerOf(std::string_view key) const;
  // Reports `missing required key "x" in <context>` at the map; `fix` says what to add.
  bool Require(std::string_view key, const std::string& fix);

  std::optional<std::string> String(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  // Numbers in [min, max]; Integer also refuses fractions.
  std::optional<double> Number(std::string_view key, double min, double max);
  std::optional<long long> Integer(std::string_view key, long long min, long long max);
  // A string that must be one of `choices`.
  std::optional<std::string> OneOf(std::string_view key, const std::vector<std::string>& choices);
  std::optional<std::vector<std::string>> StringList(std::string_view key);
  // Present and a map (reports otherwise).
  bool IsMap(std::string_view key);

  // Adds a problem at the value of `key` (quoting its source text).
  void Error(std::string_view key, std::string what, std::string fix);
  void ErrorAtKey(std::string_view key, std::string what, std::string text, std::string fix);
  void ErrorAtMap(std::string what, std::string text, std::string fix);
  void TypeError(std::string_view key, const std::string& expected);

 private:
  const YamlDoc& doc_;
  std::string pointer_;
  std::string context_;
  std::vector<Diagnostic>* problems_;
  const nlohmann::json* map_ = nullptr;
};

}  // namespace comply
