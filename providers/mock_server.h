#pragma once
// A loopback HTTP server that simulates LLM endpoints (OpenAI chat completions and Anthropic
// Messages) for the demo, the integration tests and the benchmarks.
//
//   MockOptions o;
//   o.profiles = DefaultMockProfiles();           // "large-prompted", "small-finetuned"
//   o.answers = [&](std::string_view prompt) -> std::optional<nlohmann::json> { ... gold ... };
//   Result<std::unique_ptr<MockServer>> s = MockServer::Start(std::move(o));
//   if (!s.ok()) return s.error();
//   std::string base_url = "http://127.0.0.1:" + std::to_string((*s)->port()) + "/v1";
//   ...                                            // send requests with "model": "large-prompted"
//   (*s)->Stop();                                  // or let the destructor do it
//
// Routes: POST /v1/chat/completions (also /chat/completions and any path ending in it),
// POST /v1/messages (also /messages), GET /health, GET /v1/models (also /models), GET /stats.
// The request's "model" names the profile; an unknown model answers 404 with the wire format's
// error body.
//
// Each request draws its defects and its fault from a hash of (seed, profile name, user
// message, n), n being how many times this (profile, user message) was seen before: repeated
// samples differ, and the multiset of answers is the same under the same seed whatever the
// arrival order. Every answer carries the headers `x-mock-defects` (comma list, may be empty)
// and `x-mock-fault` (when a fault was injected).
//
// Start() makes SIGPIPE ignored in the process when it was at its default (writes to a peer
// that went away must fail with EPIPE, not kill the process).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/result.h"

namespace comply {

// A simulated model. Probabilities are per request, in [0, 1].
struct MockProfile {
  std::string name;  // selected by the request's "model" field
  // Latency before the response starts: `latency_ms` when `latency_jitter_ms` is 0, otherwise
  // log-normal with that mean and standard deviation (a long right tail, like real endpoints).
  double latency_ms = 20, latency_jitter_ms = 0;
  // Answer defects, drawn independently of each other (several may apply to one answer) and
  // applied to the gold answer. For a JSON gold: hallucinated_field adds an undeclared key at
  // the top level or in a nested object; code_fence wraps the text in ```json ... ```; prose
  // adds a sentence before and after; truncation cuts the JSON in the middle (finish_reason
  // "length"); wrong_type turns a number into a string or a numeric string into a number;
  // rule_violation lowercases the first id/code-like string or replaces it with an unlisted
  // code. For a string gold (a text-template suite): hallucinated_field adds an extra section,
  // code_fence fences the text, prose adds a sentence before and after, truncation cuts the
  // text, wrong_type swaps two sections, rule_violation drops a section.
  double hallucinated_field = 0, code_fence = 0, prose = 0, truncation = 0, wrong_type = 0,
         rule_violation = 0;
  // Faults, at most one per request (drawn in this order from one uniform number, so their
  // sum should stay <= 1): 429 with Retry-After (`retry_after_s` seconds, also as
  // `retry-after-ms`), 500, 503, a slow trickle (the answer sent in chunks over `trickle_s`),
  // a TCP reset before any response byte, a truncated body (Content-Length larger than what is
  // sent, then the connection closes), an invalid envelope (200 with a non-JSON body or JSON
  // without the answer), and a hang (nothing for `hang_s` seconds, cut short by Stop()).
  double rate_limit = 0, retry_after_s = 1, http_500 = 0, http_503 = 0, slow_trickle = 0,
         reset = 0, truncated_body = 0, invalid_envelope = 0, hang = 0;
  double trickle_s = 3;   // how long a slow trickle takes
  double hang_s = 120;    // how long a hang lasts (bounded, so a forgotten client cannot pin it)
  // Token estimate (no tokenizer, PLATFORM.md): ceil(chars * input_tokens_per_char) over every
  // message, the system prompt included, plus 4 per message; completion tokens use the same
  // rate on the answer text. A system prompt of 1024 tokens or more is reported as cached
  // (OpenAI: prompt_tokens_details.cached_tokens, in 128-token steps) from its second use on.
  double input_tokens_per_char = 0.25;
};

// The gold answer for a rendered user prompt (JSON for JSON suites, a string for text suites),
// or nullopt when the prompt is unknown (then the server answers a small generic JSON object).
// Called concurrently from the server's threads: must be thread-safe.
using AnswerBook = std::function<std::optional<nlohmann::json>(std::string_view user_message)>;

struct MockOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port
  std::vector<MockProfile> profiles;
  AnswerBook answers;  // may be empty: every prompt is unknown
  std::uint64_t seed = 1;
  // Worker threads. cpp-httplib serves one keep-alive connection per thread, so this should be
  // at least the clients' total concurrency, or connections wait for a free thread.
  int threads = 8;
};

// What the server has seen. Fault and defect names are the MockProfile field names
// ("rate_limit", "hallucinated_field", ...).
struct MockStats {
  struct Profile {
    std::uint64_t requests = 0;
    std::map<std::string, std::uint64_t> faults;
    std::map<std::string, std::uint64_t> defects;  // defects actually applied
  };
  std::uint64_t requests = 0;       // every request, any route
  std::uint64_t unknown_model = 0;  // answered 404
  std::uint64_t bad_request = 0;    // answered 400
  std::map<std::string, Profile> profiles;  // by profile name
  nlohmann::json ToJson() const;    // the body of GET /stats
};

class MockServer {
 public:
  using Stats = MockStats;

  // Validates the options (profile names unique and non-empty, probabilities in [0, 1],
  // threads >= 1), binds and starts serving; returns once the socket is listening.
  // Errors: kInvalidInput for bad options, kIo when the address cannot be bound.
  static Result<std::unique_ptr<MockServer>> Start(MockOptions options);

  ~MockServer();  // Stop()s
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  int port() const;  // the bound port (the chosen one when options.port was 0)
  // Stops accepting, cuts short hangs, trickles and latency sleeps, and joins every thread.
  // Idempotent; thread-safe. Requests cut short get no response (the connection closes).
  void Stop();
  Stats stats() const;  // a snapshot; thread-safe

  struct Impl;

 private:
  explicit MockServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The demo's two profiles (rates per request):
//   large-prompted:  40 ms +- 15 ms; hallucinated field 8%, code fence 6%, prose 4%,
//                    truncation 2%, wrong type 3%, rule violation 4%; 429 1%, 500 0.2%,
//                    503 0.3%.
//   small-finetuned: 15 ms +- 5 ms; hallucinated field 1%, code fence 0.5%, prose 0,
//                    truncation 0.5%, wrong type 0.5%, rule violation 1%; 500 0.1%.
std::vector<MockProfile> DefaultMockProfiles();

// Profiles from a JSON file: `{"profiles": [{"name": ..., "latency_ms": ..., ...}]}` or a bare
// array; keys are the MockProfile field names, unset keys keep their defaults. YAML files are
// read by `comply mock-endpoint` (which converts them) and refused here with a message.
// Errors (kInvalidInput, kIo) name the file and the JSON Pointer of the bad value.
Result<std::vector<MockProfile>> LoadMockProfiles(const std::filesystem::path& yaml_or_json);
// The same from an already parsed document; `where` prefixes error messages.
Result<std::vector<MockProfile>> ParseMockProfiles(const nlohmann::json& doc,
                                                   const std::string& where);

}  // namespace comply
