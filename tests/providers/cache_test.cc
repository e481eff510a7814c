#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "providers/cache.h"
#include "providers/sha256.h"
#include "tests/test_util.h"

namespace comply {
namespace {

std::string Sha(const std::string& s) {
  Sha256 h;
  h.Update(s);
  return h.HexDigest();
}

HttpRequest Req(std::string body, std::string key = "sk-cache-SECRET-77") {
  return HttpRequest{"https://api.example.test/v1/chat/completions",
                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key}},
                     std::move(body)};
}

HttpResponse Resp(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = {{"x-request-id", "req_1"}, {"set-cookie", "s=1"}};
  r.attempts = 2;
  r.latency_ms = 12;
  return r;
}

TEST_CASE("cache: SHA-256 test vectors", "[transport]") {
  CHECK(Sha("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 h;  // split updates across the block boundary
  for (int i = 0; i < 1000; ++i) h.Update(std::string(1000, 'a'));
  CHECK(h.HexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("cache: the key covers URL, body, headers and sample, never credentials",
          "[transport]") {
  std::string k = ResponseCache::Key(Req("{}"), 0);
  CHECK(k.size() == 64);
  CHECK(ResponseCache::Key(Req("{}", "another-key"), 0) == k);
  CHECK(ResponseCache::Key(Req("{ }"), 0) != k);
  CHECK(ResponseCache::Key(Req("{}"), 1) != k);
  HttpRequest other = Req("{}");
  other.url += "?x=1";
  CHECK(ResponseCache::Key(other, 0) != k);
  HttpRequest extra = Req("{}");
  extra.headers.emplace_back("OpenAI-Organization", "org-2");
  CHECK(ResponseCache::Key(extra, 0) != k);
  HttpRequest azure = Req("{}");
  azure.headers.emplace_back("api-key", "zzz");
  azure.headers.emplace_back("X-Session-Token", "t");
  CHECK(ResponseCache::Key(azure, 0) == k);
  for (const char* name : {"Authorization", "x-api-key", "api-key", "Cookie",
                           "X-Amz-Security-Token", "Proxy-Authorization"}) {
    CHECK(ResponseCache::IsSecretHeader(name));
  }
  CHECK_FALSE(ResponseCache::IsSecretHeader("anthropic-version"));
  CHECK_FALSE(ResponseCache::IsSecretHeader("Content-Type"));
}

TEST_CASE("cache: store, look up before and after flush, reopen", "[transport]") {
  testing::TempDir dir;
  auto path = dir / "sub" / "cache.sqlite";
  {
    auto c = ResponseCache::Open(path, 3600);
    REQUIRE(c.ok());
    CHECK_FALSE((*c)->Lookup(Req("a"), 0).has_value());
    (*c)->Store(Req("a"), 0, Resp(200, R"({"ok":1})"));
    (*c)->Store(Req("b"), 0, Resp(500, "err"));  // only 2xx is cached
    HttpResponse failed;
    failed.error_class = "timeout";
    (*c)->Store(Req("c"), 0, failed);
    auto hit = (*c)->Lookup(Req("a", "rotated-key"), 0);  // unflushed entries are visible
    REQUIRE(hit.has_value());
    CHECK(hit->body == R"({"ok":1})");
    CHECK((*c)->Flush().ok());
    CHECK_FALSE((*c)->Lookup(Req("a"), 1).has_value());
    CHECK_FALSE((*c)->Lookup(Req("b"), 0).has_value());
    CHECK_FALSE((*c)->Lookup(Req("c"), 0).has_value());
  }
  auto c = ResponseCache::Open(path, 3600);
  REQUIRE(c.ok());
  auto hit = (*c)->Lookup(Req("a"), 0);
  REQUIRE(hit.has_value());
  CHECK(hit->status == 200);
  CHECK(hit->body == R"({"ok":1})");
  CHECK(hit->headers == HttpHeaders{{"x-request-id", "req_1"}});
  CHECK(hit->attempts == 0);
  CHECK(hit->latency_ms == 0);
  CHECK(hit->error_class.empty());
}

TEST_CASE("cache: the API key never reaches the database files", "[transport]") {
  testing::TempDir dir;
  auto path = dir / "cache.sqlite";
  {
    auto c = ResponseCache::Open(path, 0);
    REQUIRE(c.ok());
    for (int i = 0; i < 10; ++i) {
      (*c)->Store(Req("body " + std::to_string(i)), i, Resp(200, "answer"));
    }
    CHECK((*c)->Flush().ok());
    // Read while the WAL still holds the writes, then again after close.
    for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
      CHECK(testing::ReadFile(f.path()).find("sk-cache-SECRET") == std::string::npos);
    }
  }
  std::string all;
  for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
    all += testing::ReadFile(f.path());
  }
  CHECK(all.find("answer") != std::string::npos);  // the data is there…
  CHECK(all.find("sk-cache-SECRET") == std::string::npos);  // …the key is not
}

TEST_CASE("cache: expired entries are not returned and are pruned on open", "[transport]") {
  testing::TempDir dir;
  auto path = dir / "cache.sqlite";
  {
    auto c = ResponseCache::Open(path, 1e-9);
    REQUIRE(c.ok());
    (*c)->Store(Req("a"), 0, Resp(200, "old"));
    CHECK_FALSE((*c)->Lookup(Req("a"), 0).has_value());
    CHECK((*c)->Flush().ok());
  }
  {
    auto c = ResponseCache::Open(path, 1e-9);  // prunes
    REQUIRE(c.ok());
  }
  auto c = ResponseCache::Open(path, 0);  // no expiry: would return it if it were still there
  REQUIRE(c.ok());
  CHECK_FALSE((*c)->Lookup(Req("a"), 0).has_value());
}

TEST_CASE("cache: concurrent stores and lookups", "[transport]") {
  testing::TempDir dir;
  auto c = ResponseCache::Open(dir / "cache.sqlite", 3600);
  REQUIRE(c.ok());
  ResponseCache& cache = **c;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 150; ++i) {
        std::string body = std::to_string(t) + "/" + std::to_string(i);
        cache.Store(Req(body), 0, Resp(200, body));
        (void)cache.Lookup(Req(body), 0);
      }
    });
  }
  for (auto& th : threads) th.join();
  int found = 0;
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 150; ++i) {
      std::string body = std::to_string(t) + "/" + std::to_string(i);
      auto hit = cache.Lookup(Req(body), 0);
      if (hit && hit->body == body) ++found;
    }
  }
  CHECK(found == 600);
  CHECK(cache.Flush().ok());
}

TEST_CASE("cache: an unwritable path is an I/O error naming it", "[transport]") {
  testing::TempDir dir;
  testing::WriteFile(dir / "file", "x");
  auto c = ResponseCache::Open(dir / "file" / "cache.sqlite", 10);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == ErrorCode::kIo);
  CHECK(c.error().message == "response cache " + (dir / "file" / "cache.sqlite").string() +
                                 ": cannot open: unable to open database file");
}

}  // namespace
}  // namespace comply
