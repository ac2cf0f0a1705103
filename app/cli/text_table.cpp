#include "cli/text_table.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace qs::cli {

TextTable::TextTable(std::vector<Column> columns)
    : m_columns(std::move(columns))
{}

void TextTable::addRow(std::vector<std::string> cells)
{
    cells.resize(m_columns.size());
    m_rows.push_back(std::move(cells));
}

void TextTable::write(std::ostream &out) const
{
    std::vector<size_t> widths;
    for (const Column &column : m_columns)
        widths.push_back(column.title.size());
    for (const auto &row : m_rows) {
        for (size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    }
    auto writeRow = [&](const std::vector<std::string> &cells) {
        std::string line;
        for (size_t c = 0; c < cells.size(); ++c) {
            const std::string padding(widths[c] - cells[c].size(), ' ');
            if (c > 0)
                line += "  ";
            line += m_columns[c].align == Align::Right ? padding + cells[c] : cells[c] + padding;
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << '\n';
    };
    std::vector<std::string> titles;
    for (const Column &column : m_columns)
        titles.push_back(column.title);
    writeRow(titles);
    for (const auto &row : m_rows)
        writeRow(row);
}

std::string groupDigits(int64_t value)
{
    std::string digits = std::to_string(value < 0 ? -value : value);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<size_t>(i), ",");
    return value < 0 ? "-" + digits : digits;
}

std::string humanBytes(uint64_t bytes)
{
    const char *units[] = {"B", "KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1000.0 && unit < 4) {
        value /= 1000.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return buffer;
}

std::string humanCount(int64_t value)
{
    const char *units[] = {"", " K", " M", " G", " T"};
    double scaled = static_cast<double>(value);
    int unit = 0;
    while (scaled >= 1000.0 && unit < 4) {
        scaled /= 1000.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f%s" : "%.2f%s", scaled, units[unit]);
    return buffer;
}

} // namespace qs::cli
