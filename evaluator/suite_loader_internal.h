#pragma once
// The suite loader's internals shared by suite_loader.cc (the suite file: schema, prompts,
// rules, template, match) and suite_cases.cc (its cases, inline and from cases_file, streamed
// or loaded). Not an interface: evaluator/suite_loader.h is.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/suite.h"
#include "evaluator/yaml_util.h"

namespace comply::suite_internal {

// What every part of the suite loader needs: the parsed file, where relative paths resolve,
// and where problems go.
struct Ctx {
  const YamlDoc& doc;
  std::filesystem::path dir;          // absolute folder of the suite
  std::filesystem::path display_dir;  // the same, as shown in messages
  std::vector<Diagnostic>* problems;

  void Add(const std::string& pointer, std::string what, std::string text, std::string fix) const {
    problems->push_back(Diagnostic{doc.file, doc.MarkOf(pointer), std::move(what), std::move(text), std::move(fix)});
  }
  std::string Where(const std::string& pointer) const {
    return Diagnostic{doc.file, doc.MarkOf(pointer), "", "", ""}.Where();
  }
};

// The file named by `key` resolved against the suite, or empty (and a problem) when missing.
std::filesystem::path ExistingFile(const Ctx& ctx, FieldReader& r, std::string_view key);
// nlohmann's parse error without its "[json.exception…]" prefix.
std::string JsonReason(const std::string& what);
// A YAML scalar's text as written (`id: 007` keeps its zeros).
std::string ScalarText(const Ctx& ctx, const std::string& pointer, const nlohmann::json& v);
// SetStreamCasesFiles's setting.
bool StreamCasesFiles();
// The suite's `cases` and `cases_file`, checked (ids, placeholders).
void LoadCases(const Ctx& ctx, FieldReader& suite, SuiteSpec* s);

}  // namespace comply::suite_internal
