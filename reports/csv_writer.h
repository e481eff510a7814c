#pragma once
// results.csv and summary.csv (RFC 4180, UTF-8, CRLF line ends, stable column order
// documented in reports/README.md). Text cells are neutralised against spreadsheet formula
// injection (text_escape.h CsvCell).
//
//   std::string header = JoinCsvRow(ResultsCsvColumns());
//   std::string row = JoinCsvRow(ResultsCsvRow(record));
//   nlohmann::json summary = ...;
//   for (auto& row : SummaryCsvRows(summary)) ...
//
// Pure functions: thread-safe, never throw.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"

namespace comply {

// Column names of results.csv, in file order (never reordered; new columns go at the end).
const std::vector<std::string>& ResultsCsvColumns();
// One results.csv row for `r`, already escaped (same length as ResultsCsvColumns()).
std::vector<std::string> ResultsCsvRow(const Record& r);

// Column names of summary.csv, in file order.
const std::vector<std::string>& SummaryCsvColumns();
// summary.csv rows from summary.json: per endpoint (in endpoint_order) one "endpoint" row,
// then one row per suite and per tag (sorted by name). Absent figures are empty cells.
std::vector<std::vector<std::string>> SummaryCsvRows(const nlohmann::json& summary);

// Cells joined with commas and terminated by CRLF. Cells must already be escaped.
std::string JoinCsvRow(const std::vector<std::string>& cells);

}  // namespace comply
