#include "evaluator/case_source.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "evaluator/hash.h"
#include "evaluator/suite_loader.h"

namespace comply {

StreamedCases::~StreamedCases() {
  if (fd >= 0) ::close(fd);
}

Result<Case> StreamedCases::Read(std::size_t i) const {
  const Entry& e = entries[i];
  std::string text(e.length, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::pread(fd, text.data() + got, text.size() - got, static_cast<off_t>(e.offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return IoError(display + ":" + std::to_string(e.line) + ": cannot read the case again: " +
                     (n < 0 ? std::string(std::strerror(errno)) : std::string("the file is shorter")) +
                     " (the cases file changed during the run?)");
    }
    got += static_cast<std::size_t>(n);
  }
  return Parse(i, text);
}

Result<Case> StreamedCases::Parse(std::size_t i, const std::string& text) const {
  const Entry& e = entries[i];
  std::vector<Diagnostic> problems;
  std::optional<Case> c = ParseCaseLine(text, display, static_cast<int>(e.line), &problems);
  if (!c || Fnv1a64(c->id, key_prefix) != e.shard_key) {
    return IoError(display + ":" + std::to_string(e.line) +
                   ": the case line changed since the suite was loaded; run again on an unchanged file");
  }
  return std::move(*c);
}

std::size_t CaseCount(const SuiteSpec& suite) {
  return suite.cases.size() + (suite.streamed_cases ? suite.streamed_cases->entries.size() : 0);
}

Result<std::shared_ptr<const Case>> CaseAt(const SuiteSpec& suite, std::size_t i) {
  if (i < suite.cases.size()) {
    // Not owned: the aliasing constructor with an empty owner points into the suite.
    return std::shared_ptr<const Case>(std::shared_ptr<const Case>(), &suite.cases[i]);
  }
  try {
    Result<Case> c = suite.streamed_cases->Read(i - suite.cases.size());
    if (!c.ok()) return c.error();
    return std::shared_ptr<const Case>(std::make_shared<Case>(std::move(c.value())));
  } catch (const std::exception& e) {  // allocation failure: no exception escapes
    return Error{ErrorCode::kInternal, std::string("reading a case: ") + e.what()};
  }
}

Result<std::shared_ptr<const Case>> CaseReader::At(std::size_t i) {
  if (i < suite_->cases.size() || !suite_->streamed_cases) return CaseAt(*suite_, i);
  const StreamedCases& sc = *suite_->streamed_cases;
  const std::size_t k = i - suite_->cases.size();
  const StreamedCases::Entry& e = sc.entries[k];
  try {
    const bool held = e.offset >= block_offset_ && e.offset + e.length <= block_offset_ + block_.size();
    if (!held) {
      // Refill from the line's start: at least the whole line, else up to a block.
      block_.resize(std::max<std::size_t>(kBlock, e.length));
      block_offset_ = e.offset;
      std::size_t got = 0;
      while (got < block_.size()) {
        const ssize_t n = ::pread(sc.fd, block_.data() + got, block_.size() - got,
                                  static_cast<off_t>(block_offset_ + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
          const std::string why = std::strerror(errno);
          block_.clear();
          return IoError(sc.display + ":" + std::to_string(e.line) + ": cannot read the case again: " + why +
                         " (the cases file changed during the run?)");
        }
        if (n == 0) break;  // end of file
        got += static_cast<std::size_t>(n);
      }
      block_.resize(got);
      if (got < e.length) {
        block_.clear();
        return IoError(sc.display + ":" + std::to_string(e.line) +
                       ": cannot read the case again: the file is shorter (the cases file changed during the run?)");
      }
    }
    line_.assign(block_, static_cast<std::size_t>(e.offset - block_offset_), e.length);
    Result<Case> c = sc.Parse(k, line_);
    if (!c.ok()) return c.error();
    return std::shared_ptr<const Case>(std::make_shared<Case>(std::move(c.value())));
  } catch (const std::exception& ex) {  // allocation failure: no exception escapes
    return Error{ErrorCode::kInternal, std::string("reading a case: ") + ex.what()};
  }
}

std::uint64_t ShardKeyPrefix(const std::string& suite_name) { return Fnv1a64(suite_name + "/"); }

std::uint64_t CaseShardKey(const SuiteSpec& suite, std::size_t i) {
  if (i < suite.cases.size()) return Fnv1a64(suite.cases[i].id, ShardKeyPrefix(suite.name));
  return suite.streamed_cases->entries[i - suite.cases.size()].shard_key;
}

}  // namespace comply
