#include "util/subprocess.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace qs {

namespace {

// Closes its descriptors however the function returns.
struct Pipe
{
    int fds[2] = {-1, -1};
    ~Pipe()
    {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    void closeEnd(int i)
    {
        if (fds[i] >= 0)
            ::close(fds[i]);
        fds[i] = -1;
    }
};

// Reaps the child on every path out of runProcess, so none is left a zombie or running.
struct Child
{
    pid_t pid = -1;
    int status = 0;
    bool reaped = false;
    void kill()
    {
        if (pid > 0 && !reaped) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
        }
    }
    void wait()
    {
        if (pid > 0 && !reaped) {
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            reaped = true;
        }
    }
    ~Child()
    {
        kill();
        wait();
    }
};

} // namespace

Result<ProcessOutput> runProcess(const std::vector<std::string> &argv,
                                 std::chrono::milliseconds timeout, Progress &progress)
{
    if (argv.empty())
        return invalidArgument("no program to run");
    Pipe out, err;
    if (::pipe2(out.fds, O_CLOEXEC) != 0 || ::pipe2(err.fds, O_CLOEXEC) != 0)
        return internalError(std::string("pipe: ") + std::strerror(errno));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);

    std::vector<char *> args;
    for (const auto &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    Child child;
    const int spawned = ::posix_spawnp(&child.pid, args[0], &actions, &attributes, args.data(),
                                       environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) {
        child.pid = -1;
        return notFound("cannot run '" + argv[0] + "': " + std::strerror(spawned));
    }
    out.closeEnd(1);
    err.closeEnd(1);

    ProcessOutput result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string *sinks[2] = {&result.out, &result.err};
    int open = 2;
    while (open > 0) {
        if (progress.cancelled()) {
            child.kill();
            return cancelled();
        }
        if (std::chrono::steady_clock::now() > deadline) {
            child.kill();
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%.1f", double(timeout.count()) / 1000.0);
            return internalError("'" + argv[0] + "' did not finish within " + seconds + " s");
        }
        pollfd fds[2] = {{out.fds[0], POLLIN, 0}, {err.fds[0], POLLIN, 0}};
        // Short waits: the loop is also where cancel and the deadline are noticed.
        const int ready = ::poll(fds, 2, 100);
        if (ready < 0 && errno != EINTR)
            return internalError(std::string("poll: ") + std::strerror(errno));
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buffer[65536];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, size_t(n));
            } else if (n == 0 || errno != EINTR) {
                (i == 0 ? out : err).closeEnd(0);
                --open;
            }
        }
    }
    child.wait();
    result.exitCode = WIFEXITED(child.status) ? WEXITSTATUS(child.status) : -1;
    return result;
}

} // namespace qs
