#include "cli/ops_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "runtime/ops/registry.h"
#include "util/json_writer.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>

namespace qs::cli {

const CommandUsage kOpsUsage{"ops", "usage: quantscope-cli ops [--json]\n"};

namespace {

std::vector<KernelRegistration> sortedRegistrations()
{
    const auto registry = kernelRegistry();
    std::vector<KernelRegistration> rows(registry.begin(), registry.end());
    std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
        return std::tie(a.domain, a.opType, a.sinceVersion)
               < std::tie(b.domain, b.opType, b.sinceVersion);
    });
    return rows;
}

} // namespace

int opsCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    bool json = false;
    for (const std::string &arg : args) {
        if (arg == "--json") {
            json = true;
        } else {
            return reportUsageError(err, kOpsUsage,
                                    invalidArgument("unknown argument '" + arg + "'"));
        }
    }
    const std::vector<KernelRegistration> rows = sortedRegistrations();
    if (json) {
        JsonWriter writer(out);
        writer.beginArray();
        for (const KernelRegistration &row : rows) {
            writer.beginObject();
            writer.member("domain", row.domain).member("op_type", row.opType);
            writer.member("since_version", row.sinceVersion);
            writer.endObject();
        }
        writer.endArray();
        out << "\n";
        return kSuccess;
    }
    // One line per op type with its version boundaries: "Resize  10, 11, 13".
    std::map<std::pair<std::string_view, std::string_view>, std::vector<int>> versions;
    for (const KernelRegistration &row : rows)
        versions[{row.domain, row.opType}].push_back(row.sinceVersion);
    for (const auto &[key, since] : versions) {
        std::string name = key.first.empty()
                               ? std::string(key.second)
                               : std::string(key.first) + "::" + std::string(key.second);
        out << name << std::string(name.size() < 28 ? 28 - name.size() : 1, ' ') << "since ";
        for (size_t i = 0; i < since.size(); ++i)
            out << (i ? ", " : "") << since[i];
        out << "\n";
    }
    out << versions.size() << " op types, " << rows.size() << " kernels\n";
    return kSuccess;
}

} // namespace qs::cli
