// quantscope-cli: forwards argv to the CLI library; the last line of defence turns any escaped
// exception into exit code 1 with a message instead of a crash.
#include "cli/cli.h"

#include <exception>
#include <iostream>

int main(int argc, char **argv)
{
    try {
        return qs::cli::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
    } catch (const std::exception &error) {
        std::cerr << "quantscope-cli: internal error: " << error.what() << "\n";
    } catch (...) {
        std::cerr << "quantscope-cli: internal error\n";
    }
    return qs::cli::kInternalError;
}
