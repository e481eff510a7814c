#pragma once
// Every case of a suite by index, whether it is held in SuiteSpec::cases or streamed from the
// suite's cases_file (DESIGN.md "Scale": memory does not grow with the number of cases).
//
//   SetStreamCasesFiles(true);                 // evaluator/suite_loader.h, before loading
//   Result<SuiteSpec> s = LoadSuite("suites/big/suite.yaml");
//   for (std::size_t i = 0; i < CaseCount(*s); ++i) {
//     Result<std::shared_ptr<const Case>> c = CaseAt(*s, i);
//     if (c.ok()) Use(RenderPrompt(s->prompt, (**c).vars));
//   }
//
// Index order is the loader's: the inline `cases` first, then the lines of `cases_file`.
// A streamed case costs 24 bytes until it is read; a read parses its line again (pread on a
// descriptor opened at load time). Thread-safe: everything here is const after loading.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "evaluator/suite.h"
#include "providers/result.h"

namespace comply {

// The lines of one cases_file, indexed at load time (every line was parsed and checked then).
struct StreamedCases {
  struct Entry {
    std::uint64_t offset = 0;     // byte offset of the line in `file`
    std::uint32_t length = 0;     // bytes, without the line end
    std::uint32_t line = 0;       // 1-based line number, for `where`
    std::uint64_t shard_key = 0;  // Fnv1a64("suite/case_id"): the shard key (run.h InShard)
  };
  std::filesystem::path file;
  std::string display;          // the file as named in messages ("cases.jsonl")
  std::uint64_t key_prefix = 0; // Fnv1a64("suite/"), to check a re-read line's id
  std::vector<Entry> entries;
  int fd = -1;                  // open for the suite's lifetime: reads use pread

  StreamedCases() = default;
  StreamedCases(const StreamedCases&) = delete;
  StreamedCases& operator=(const StreamedCases&) = delete;
  ~StreamedCases();

  // Reads and parses entry `i`. Fails (kIo) when the line cannot be read or no longer parses
  // to a case with the same id (the file changed since it was loaded).
  Result<Case> Read(std::size_t i) const;
  // Parses entry `i` from `text`, its line as read from the file (same checks as Read).
  Result<Case> Parse(std::size_t i, const std::string& text) const;
};

// Inline cases plus streamed ones.
std::size_t CaseCount(const SuiteSpec& suite);

// Case `i` (< CaseCount). An inline case is shared with `suite` (which must outlive the
// pointer); a streamed one is read from its file and owned by the pointer. Never throws.
Result<std::shared_ptr<const Case>> CaseAt(const SuiteSpec& suite, std::size_t i);

// Reads one suite's cases by index through a block buffer: reading them in index order costs
// one pread per block (1 MiB) instead of one per case, which at 100,000 cases was a third of a
// run's start-up. Any order works; out-of-order reads refill the buffer. One per thread.
class CaseReader {
 public:
  explicit CaseReader(const SuiteSpec& suite) : suite_(&suite) {}
  // As CaseAt(suite, i).
  Result<std::shared_ptr<const Case>> At(std::size_t i);

 private:
  static constexpr std::size_t kBlock = 1u << 20;
  const SuiteSpec* suite_;
  std::string block_;            // bytes [block_offset_, block_offset_ + block_.size()) of the file
  std::uint64_t block_offset_ = 0;
  std::string line_;
};

// Fnv1a64("suite/case_id") of case `i`, without reading a streamed case.
std::uint64_t CaseShardKey(const SuiteSpec& suite, std::size_t i);

// The key prefix of a suite: Fnv1a64(name + "/"); CaseShardKey = Fnv1a64(case_id, prefix).
std::uint64_t ShardKeyPrefix(const std::string& suite_name);

}  // namespace comply
