// `comply export-dataset RUN_DIR --endpoint NAME --out FILE`.
#include "evaluator/cli/export_command.h"

#include <iostream>

#include "evaluator/cli/common.h"
#include "evaluator/dataset_export.h"

namespace comply::cli {

namespace {

int RunExport(const ExportOptions& o) {
  auto stats = ExportDataset(o);
  if (!stats.ok()) {
    PrintError(stats.error());
    return ExitCodeFor(stats.error());
  }
  std::cout << "wrote " << stats->written << " training pairs to " << o.out.string() << " ("
            << stats->cases_seen << " cases of " << o.endpoint << "; " << stats->duplicates
            << " duplicates dropped; " << stats->below_agreement << " cases without "
            << std::max(1, o.min_agreement) << " identical "
            << (o.include_noncompliant ? "answers" : "compliant answers") << ")\n";
  for (const auto& [suite, n] : stats->per_suite) {
    std::cout << "  " << suite << ": " << n << " pairs";
    if (n < kMinPairsForFineTuning) {
      std::cout << " (below the " << kMinPairsForFineTuning
                << "-pair mark: fine-tuning on this alone is premature)";
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

void AddExportCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ExportOptions>();
  auto run_dir = std::make_shared<std::string>(), out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "export-dataset", "Write an endpoint's compliant answers as chat fine-tuning data (JSONL)");
  cmd->add_option("run_dir", *run_dir, "The run directory")->required();
  cmd->add_option("--endpoint", o->endpoint, "Whose answers to export")->required();
  cmd->add_option("--out,-o", *out, "The JSONL file to write")->required();
  cmd->add_option("--min-agreement", o->min_agreement,
                  "Identical compliant answers needed among a case's samples")
      ->capture_default_str();
  cmd->add_option("--system-prompt-from", o->system_prompt_from,
                  "Use this endpoint's system prompt in the data (e.g. the fine-tuned one's short prompt)");
  cmd->add_flag("--include-noncompliant", o->include_noncompliant,
                "Export answered but non-compliant responses too");
  cmd->callback([o, run_dir, out, exit_code] {
    o->run_dir = *run_dir;
    o->out = *out;
    *exit_code = RunExport(*o);
  });
}

}  // namespace comply::cli
