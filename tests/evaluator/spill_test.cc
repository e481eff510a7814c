// SpillFile / SpillReader (evaluator/spill.h) and exact percentiles over a spill
// (evaluator/spill_percentile.h).
#include "evaluator/spill.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "evaluator/spill_percentile.h"
#include "evaluator/stats.h"
#include "tests/test_util.h"

namespace comply {
namespace {

TEST_CASE("spill: tuples and strings read back in order, across the buffer and the file", "[spill]") {
  testing::TempDir dir;
  SpillFile f(dir.path(), /*buffer_bytes=*/100);
  for (std::uint32_t i = 0; i < 5000; ++i) {
    f.Put(i);
    f.PutString(std::string(i % 37, static_cast<char>('a' + i % 26)));
    f.Put(static_cast<double>(i) / 3);
  }
  CHECK(f.spilled_to_disk());
  CHECK(f.io_error().empty());
  CHECK(f.memory_bytes() <= 200);
  // Nothing is left in the folder: the file has no name.
  CHECK(std::filesystem::is_empty(dir.path()));
  SpillReader in(f);
  f.Put(std::uint32_t{99999});  // written after the reader was made: not seen by it
  std::uint32_t n = 0;
  for (; !in.done(); ++n) {
    REQUIRE(in.Get<std::uint32_t>() == n);
    REQUIRE(in.GetString() == std::string(n % 37, static_cast<char>('a' + n % 26)));
    REQUIRE(in.Get<double>() == static_cast<double>(n) / 3);
  }
  CHECK(n == 5000);
  std::uint64_t bytes = 4;  // the late u32
  for (std::uint32_t i = 0; i < 5000; ++i) bytes += 4 + 4 + i % 37 + 8;
  CHECK(f.size() == bytes);
}

TEST_CASE("spill: a small spill stays in memory", "[spill]") {
  testing::TempDir dir;
  SpillFile f(dir.path());
  f.PutString("c1");
  f.Put(std::uint64_t{7});
  CHECK_FALSE(f.spilled_to_disk());
  CHECK(f.size() == 4 + 2 + 8);
  SpillReader in(f);
  CHECK(in.GetString() == "c1");
  CHECK(in.Get<std::uint64_t>() == 7);
  CHECK(in.done());
  // Reading past the end gives zeros.
  CHECK(in.Get<std::uint64_t>() == 0);
  CHECK(in.GetString().empty());
}

TEST_CASE("spill: without a usable folder the bytes stay in memory", "[spill]") {
  testing::TempDir dir;
  const auto missing = dir / "no/such/folder";
  SpillFile f(missing, /*buffer_bytes=*/64);
  for (std::uint64_t i = 0; i < 1000; ++i) f.Put(i);
  CHECK_FALSE(f.spilled_to_disk());
  CHECK(f.io_error() ==
        "cannot create a temporary file in " + missing.string() + ": No such file or directory");
  CHECK(f.size() == 8000);
  std::uint64_t i = 0;
  for (SpillReader in(f); !in.done(); ++i) REQUIRE(in.Get<std::uint64_t>() == i);
  CHECK(i == 1000);
}

TEST_CASE("spill: moving a spill keeps its bytes", "[spill]") {
  SpillFile a({}, 64);
  for (int i = 0; i < 100; ++i) a.Put(i);
  SpillFile b = std::move(a);
  int i = 0;
  for (SpillReader in(b); !in.done(); ++i) REQUIRE(in.Get<int>() == i);
  CHECK(i == 100);
}

// The reference: stats.h Percentile on each group's values held in memory.
std::vector<double> Reference(std::vector<float> v, const std::vector<double>& qs) {
  std::vector<double> out;
  for (double q : qs) {
    std::vector<float> copy = v;
    out.push_back(Percentile(&copy, q));
  }
  return out;
}

TEST_CASE("spill percentiles equal Percentile on the values in memory", "[spill]") {
  std::mt19937 rng(7);
  const std::vector<double> qs = {0.5, 0.95, 0.99, 0.0, 1.0, 0.123};
  // Groups: empty, one value, ties only, negatives and zeros, wide random, many duplicates.
  std::vector<std::vector<float>> groups(7);
  groups[1] = {42.5f};
  groups[2] = std::vector<float>(1000, 3.0f);
  for (int i = 0; i < 500; ++i) groups[3].push_back(static_cast<float>(i % 21) - 10.0f);
  groups[3].push_back(-0.0f);
  std::lognormal_distribution<float> lat(6.0f, 1.0f);
  for (int i = 0; i < 20000; ++i) groups[4].push_back(lat(rng));
  for (int i = 0; i < 3000; ++i) groups[5].push_back(static_cast<float>(rng() % 7) * 100.25f);
  groups[6] = {1.0f, 2.0f};
  for (std::size_t max_probes : {std::size_t{1024}, std::size_t{1}}) {
    SpillFile f({}, 4096);
    std::vector<std::uint64_t> counts(groups.size());
    // Values of the groups interleaved, as records arrive.
    std::size_t left = 1;
    for (std::size_t i = 0; left > 0; ++i) {
      left = 0;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        if (i < groups[g].size()) {
          AppendValue(&f, static_cast<std::uint32_t>(g), groups[g][i]);
          ++counts[g];
          ++left;
        }
      }
    }
    AppendValue(&f, 99, 1.0f);  // a group past counts.size() is ignored
    const auto got = SpilledPercentiles(f, counts, qs, max_probes);
    REQUIRE(got.size() == groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
      INFO("group " << g << " max_probes " << max_probes);
      const auto want = Reference(groups[g], qs);
      for (std::size_t k = 0; k < qs.size(); ++k) {
        if (std::isnan(want[k])) {
          CHECK(std::isnan(got[g][k]));
        } else {
          CHECK(got[g][k] == want[k]);  // exact, not approximate
        }
      }
    }
  }
}

}  // namespace
}  // namespace comply
