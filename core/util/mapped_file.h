#pragma once
// A read-only memory map of a whole file. External tensor data is viewed through it, so a
// multi-gigabyte weight file costs address space, not a heap copy.

#include "util/status.h"

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace qs {

class MappedFile
{
public:
    static Result<std::shared_ptr<const MappedFile>> open(const std::string &path);
    ~MappedFile();

    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const std::string &path() const { return m_path; }
    std::span<const std::byte> bytes() const { return {m_data, m_size}; }
    size_t size() const { return m_size; }

private:
    MappedFile() = default;

    std::string m_path;
    const std::byte *m_data = nullptr;
    size_t m_size = 0;
};

} // namespace qs
