#include "util/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace qs {

Status writeFileAtomically(const std::string &path,
                           const std::function<Status(std::ostream &)> &write)
{
    // mkstemp gives a unique name in the target folder, so rename() stays on one file system.
    std::string tempPath = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tempPath.data());
    if (fd < 0)
        return invalidArgument(path + ": cannot create a file there: " + std::strerror(errno));
    // mkstemp creates the file 0600; give it the permissions a plain create would (0666 & ~umask)
    // so a saved model is readable like any other file the user writes.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    ::close(fd);

    auto fail = [&](Status status) {
        std::remove(tempPath.c_str());
        return status;
    };

    {
        std::ofstream out(tempPath, std::ios::binary | std::ios::trunc);
        if (!out)
            return fail(invalidArgument(path + ": cannot write: " + std::strerror(errno)));
        Status written = write(out);
        if (!written.isOk())
            return fail(written);
        out.flush();
        if (!out)
            return fail(invalidArgument(path + ": write failed (disk full?)"));
    }
    if (std::rename(tempPath.c_str(), path.c_str()) != 0)
        return fail(invalidArgument(
            path + ": cannot rename the temporary file into place: " + std::strerror(errno)));
    return Status::ok();
}

} // namespace qs
