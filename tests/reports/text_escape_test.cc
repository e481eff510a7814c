#include "reports/text_escape.h"

#include <catch2/catch.hpp>

namespace comply {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST_CASE("SanitizeUtf8 replaces each invalid byte with U+FFFD", "[reports]") {
  CHECK(SanitizeUtf8("plain ascii") == "plain ascii");
  CHECK(SanitizeUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
        "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  CHECK(SanitizeUtf8("a\xFFz") == "a" + kFffd + "z");                 // never valid
  CHECK(SanitizeUtf8("\x80") == kFffd);                               // stray continuation
  CHECK(SanitizeUtf8("\xC3") == kFffd);                               // truncated at the end
  CHECK(SanitizeUtf8("\xC0\xAF") == kFffd + kFffd);                   // overlong '/'
  CHECK(SanitizeUtf8("\xED\xA0\x80") == kFffd + kFffd + kFffd);       // UTF-16 surrogate
  CHECK(SanitizeUtf8("\xF4\x90\x80\x80") == kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  CHECK(SanitizeUtf8(std::string("a\0b", 3)) == std::string("a\0b", 3));     // NUL is valid
}

TEST_CASE("XmlText escapes markup and replaces what XML 1.0 forbids", "[reports]") {
  CHECK(XmlText("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;");
  CHECK(XmlText("]]>") == "]]&gt;");
  CHECK(XmlText("x\x01y\x1Bz\tt\nn") == "x" + kFffd + "y" + kFffd + "z\tt\nn");
  CHECK(XmlText("cr\r") == "cr&#13;");
  CHECK(XmlText("\xEF\xBF\xBE") == kFffd);  // U+FFFE is not an XML Char
  CHECK(XmlText("bad\xC3(") == "bad" + kFffd + "(");
}

TEST_CASE("CsvCell neutralises formula prefixes and quotes per RFC 4180", "[reports]") {
  CHECK(CsvCell("plain") == "plain");
  CHECK(CsvCell("=1+2") == "'=1+2");
  CHECK(CsvCell("+1") == "'+1");
  CHECK(CsvCell("-1") == "'-1");
  CHECK(CsvCell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(CsvCell("\tx") == "'\tx");
  CHECK(CsvCell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(CsvCell("a,b") == "\"a,b\"");
  CHECK(CsvCell("line\r\nbreak") == "\"line\r\nbreak\"");
  CHECK(CsvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvCell("") == "");
  CHECK(CsvRaw("-0.5") == "-0.5");  // numbers comply formats are not neutralised
  CHECK(CsvCell("\xFF") == kFffd);
}

TEST_CASE("HtmlEscape makes hostile output inert text", "[reports]") {
  CHECK(HtmlEscape("</script><script>alert(1)</script>") ==
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(HtmlEscape("\"><img src=x onerror=alert(1)>") ==
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  CHECK(HtmlEscape("it's & co") == "it&#39;s &amp; co");
  CHECK(HtmlEscape(std::string("n\0l", 3)) == "n" + kFffd + "l");
}

TEST_CASE("JsonForScript cannot close a script element or open a comment", "[reports]") {
  nlohmann::json j = {{"o", "</script><!-- & \xE2\x80\xA8\xE2\x80\xA9 >"}};
  const std::string s = JsonForScript(j);
  CHECK(s == "{\"o\":\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e\"}");
  CHECK(s.find('<') == std::string::npos);
  CHECK(nlohmann::json::parse(s) == j);  // still the same data
  nlohmann::json bad = std::string("x\xFFy");
  CHECK(JsonForScript(bad) == "\"x" + kFffd + "y\"");
}

TEST_CASE("MarkdownEscape keeps config strings from becoming markup", "[reports]") {
  CHECK(MarkdownEscape("a|b") == "a\\|b");
  CHECK(MarkdownEscape("[x](http://e)") == "\\[x\\](http://e)");
  CHECK(MarkdownEscape("<img src=x>") == "&lt;img src=x&gt;");
  CHECK(MarkdownEscape("two\nlines") == "two lines");
  CHECK(MarkdownEscape("snake_case*") == "snake\\_case\\*");
}

TEST_CASE("TruncateUtf8 never splits a character", "[reports]") {
  bool cut = false;
  CHECK(TruncateUtf8("h\xC3\xA9llo", 2, &cut) == "h");
  CHECK(cut);
  CHECK(TruncateUtf8("abc", 3, &cut) == "abc");
  CHECK_FALSE(cut);
  CHECK(TruncateUtf8("\xF0\x9F\x98\x80!", 4) == "\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace comply
