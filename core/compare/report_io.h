#pragma once
// A Report as protobuf text format (readable back with parseReportText), as JSON in the shape
// scripts expect ({"reference", "variants": [{"path", "size_bytes", "latency_ms": {...},
// "accuracy": {"outputs": {...}}, "per_node": [...], "verdict": {...}}], "diagnostics": [...]}),
// and as CSV (one row per variant and output, with the codes of the warnings that concern it and
// the variant's verdict). Every writer is atomic.
#include "quantscope.pb.h"
#include "util/status.h"

#include <iosfwd>
#include <string>

namespace qs {

std::string reportToText(const quantscope::Report &report);
Result<quantscope::Report> parseReportText(const std::string &text, const std::string &origin);
void writeReportJson(const quantscope::Report &report, std::ostream &out);
void writeReportCsv(const quantscope::Report &report, std::ostream &out);

enum class ReportFormat { Text, Json, Csv };
Status saveReport(const quantscope::Report &report, const std::string &path, ReportFormat format);

} // namespace qs
