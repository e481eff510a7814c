// `comply check`: score recorded responses offline (DESIGN.md "Command line").
#include "evaluator/cli/check_command.h"

#include <iostream>

#include "evaluator/check_pipeline.h"
#include "evaluator/checker.h"
#include "evaluator/cli/common.h"
#include "evaluator/run_dir.h"
#include "evaluator/suite_loader.h"
#include "evaluator/summary.h"
#include "evaluator/version.h"

namespace comply::cli {

namespace {

struct CheckArgs {
  std::string suite;
  std::string schema;
  std::string responses;
  std::string out;
  std::string extraction;
};

// A schema-only suite for `--schema F`.
Result<SuiteSpec> SchemaOnlySuite(const std::filesystem::path& file) {
  auto text = ReadTextFile(file);
  if (!text.ok()) return InvalidInput(text.error().message);
  SuiteSpec s;
  s.name = file.stem().string();
  s.file = std::filesystem::absolute(file);
  s.dir = s.file.parent_path();
  s.schema_file = s.file;
  try {
    s.schema = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    // Byte offset -> line:column for the message.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text->size(); ++i) {
      if ((*text)[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return InvalidInput(file.string() + ":" + std::to_string(line) + ":" + std::to_string(col) +
                        ": not valid JSON: " + what);
  }
  return s;
}

int RunCheck(const CheckArgs& args) {
  if (args.suite.empty() == args.schema.empty()) {
    PrintError("check needs exactly one of --suite SUITE.yaml or --schema SCHEMA.json");
    return 2;
  }
  std::optional<ExtractionMode> extraction;
  if (args.extraction == "strict") extraction = ExtractionMode::kStrict;
  if (args.extraction == "lenient") extraction = ExtractionMode::kLenient;
  // --schema defaults to strict; a suite keeps its own mode unless the flag says otherwise.

  Result<SuiteSpec> suite = args.suite.empty() ? SchemaOnlySuite(args.schema) : LoadSuite(args.suite);
  if (!suite.ok()) {
    PrintError(suite.error());
    return ExitCodeFor(suite.error());
  }
  auto checker = SuiteChecker::Compile(*suite, extraction);
  if (!checker.ok()) {
    PrintError(checker.error());
    return 2;
  }
  if (args.responses != "-" && !std::filesystem::exists(args.responses)) {
    PrintError("cannot read " + args.responses + ": no such file");
    return 2;
  }
  const std::filesystem::path out_dir = args.out.empty() ? DefaultRunDir() : std::filesystem::path(args.out);
  auto writer = ResultsWriter::Open(out_dir / "results.jsonl", /*append=*/false);
  if (!writer.ok()) {
    PrintError(writer.error());
    return 3;
  }

  SummaryContext ctx;
  ctx.run_id = out_dir.filename().string();
  ctx.config = args.suite.empty() ? args.schema : args.suite;
  ctx.started = UtcNowIso();
  SummaryBuilder summary(ctx);
  CheckInput in;
  in.path = args.responses;
  auto stats = RunCheckPipeline(**checker, in, writer->get(), [&](const Record& r) { summary.Add(r); });
  if (!stats.ok()) {
    PrintError(stats.error());
    return ExitCodeFor(stats.error());
  }
  nlohmann::json s = summary.Finish();
  s["run"]["finished"] = UtcNowIso();
  nlohmann::json manifest = {
      {"manifest_version", 1},
      {"run_id", ctx.run_id},
      {"status", "complete"},
      {"command", "check"},
      {"input", std::filesystem::absolute(args.responses == "-" ? "/dev/stdin" : args.responses).string()},
      {"suite", suite->name},
      {"extraction", (*checker)->extraction() == ExtractionMode::kStrict ? "strict" : "lenient"},
      {"started_at", ctx.started},
      {"finished_at", s["run"]["finished"]},
      {"versions", {{"comply", COMPLY_VERSION}}}};
  for (auto [name, value] : {std::pair{"summary.json", &s}, std::pair{"manifest.json", &manifest}}) {
    if (Status st = WriteJsonFile(out_dir / name, *value); !st.ok()) {
      PrintError(st.error());
      return 3;
    }
  }
  PrintSummaryTable(s, std::cout);
  std::cout << "\nwrote " << (out_dir / "results.jsonl").string() << " (" << stats->lines
            << " records";
  if (stats->bad_input > 0) std::cout << ", " << stats->bad_input << " bad_input";
  std::cout << ") and " << (out_dir / "summary.json").string() << "\n";
  if (stats->bad_input > 0) {
    PrintWarning(std::to_string(stats->bad_input) +
                 " input line(s) could not be read; they are bad_input records (see \"error\")");
  }
  return 0;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand("check", "Score recorded responses offline (JSONL with \"output\")");
  cmd->add_option("--suite", args->suite, "Suite file (schema, rules, template, gold)");
  cmd->add_option("--schema", args->schema, "A JSON Schema file (instead of a suite)");
  cmd->add_option("responses", args->responses,
                  "JSONL: one {\"output\": …, \"case_id\"?, \"endpoint\"?, \"sample\"?, \"status\"?} a line ('-' = stdin)")
      ->required();
  cmd->add_option("--out", args->out, "Output directory (default: runs/<UTC timestamp>)");
  cmd->add_option("--extraction", args->extraction,
                  "strict|lenient (default: the suite's; strict with --schema)")
      ->check(CLI::IsMember({"strict", "lenient"}));
  cmd->callback([args, exit_code] { *exit_code = RunCheck(*args); });
}

}  // namespace comply::cli
