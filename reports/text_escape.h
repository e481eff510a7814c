#pragma once
// Escaping for every report format: whatever bytes a model produced, the files comply writes
// stay valid UTF-8, valid XML, RFC 4180 CSV, inert HTML and unbreakable inline JSON.
//
//   std::string cell = CsvCell("=HYPERLINK(...)");     // "'=HYPERLINK(...)" (neutralised)
//   std::string text = XmlText(output);                  // &lt; ... control chars -> U+FFFD
//   std::string html = HtmlEscape(case_id);
//   std::string js   = JsonForScript(records);           // safe inside <script>
//
// Pure functions: thread-safe, never throw (allocation failure aside).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace comply {

// `s` with every invalid UTF-8 sequence (stray continuation bytes, truncated sequences,
// overlong forms, surrogates, code points above U+10FFFF) replaced by U+FFFD, one per
// offending byte. Valid input is returned unchanged.
std::string SanitizeUtf8(std::string_view s);

// Character data / attribute value for XML 1.0: SanitizeUtf8, then & < > " ' escaped as
// entities, and every character XML 1.0 forbids (C0 controls other than TAB, LF, CR; U+FFFE,
// U+FFFF) replaced by U+FFFD. CR is written as &#13; so it survives attribute normalisation.
// The result never contains "]]>".
std::string XmlText(std::string_view s);

// One RFC 4180 field for a text value: SanitizeUtf8; a value starting with = + - @ TAB or CR
// gets a leading ' (spreadsheet formula injection, OWASP's list); then quoted, with "" for ",
// when it contains a comma, a quote, CR or LF.
std::string CsvCell(std::string_view s);
// One RFC 4180 field for a value comply formatted itself (numbers, booleans): no
// neutralisation (a negative number is not a formula), quoted only when needed.
std::string CsvRaw(std::string_view s);

// HTML text or attribute value: SanitizeUtf8, then & < > " ' as entities.
std::string HtmlEscape(std::string_view s);

// `value` serialised for embedding inside <script type="application/json">: compact JSON,
// invalid UTF-8 replaced, and < > & U+2028 U+2029 written as \u escapes, so neither
// "</script>" nor "<!--" can appear in the output.
std::string JsonForScript(const nlohmann::json& value);

// Markdown table cell / inline text: SanitizeUtf8, newlines as spaces, HTML entities for
// & < >, and backslash escapes for the characters Markdown treats as markup (| ` * _ [ ] \ ...).
std::string MarkdownEscape(std::string_view s);

// `s` cut to at most `max_bytes` bytes on a UTF-8 boundary (no partial character);
// `*cut` (optional) says whether anything was removed.
std::string TruncateUtf8(std::string_view s, std::size_t max_bytes, bool* cut = nullptr);

}  // namespace comply
