#pragma once
// Aligned plain-text tables and the number formats the CLI prints (1,234,567; 12.3 MB; 4.1 G).

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace qs::cli {

class TextTable
{
public:
    enum class Align { Left, Right };
    struct Column
    {
        std::string title;
        Align align = Align::Left;
    };

    explicit TextTable(std::vector<Column> columns);
    void addRow(std::vector<std::string> cells);
    void write(std::ostream &out) const;

private:
    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
};

std::string groupDigits(int64_t value); // 25557032 -> "25,557,032"
std::string humanBytes(uint64_t bytes); // "97.5 MB"
std::string humanCount(int64_t value);  // 4089184256 -> "4.09 G"

} // namespace qs::cli
