# The Debian package (`make package`: cpack -G DEB in the build directory) of what the install
# rules list: quantscope and quantscope-cli in bin/, the desktop entry and the icon. The
# translations need no files of their own: lrelease compiles them into the binary (:/i18n, see
# ui/shell), where the program looks for them.
#
# Depends is not written by hand: dpkg-shlibdeps (dpkg-dev) reads the binaries' libraries and
# names the Debian packages that provide them (libqt6core6, libdnnl2, libprotobuf32...) at the
# versions the build saw, so the package installs on the Debian release it was built on and its
# successors.

if(QS_NATIVE OR QS_ARCH STREQUAL "native")
    message(WARNING "QS_NATIVE/QS_ARCH=native: a package built so runs only on CPUs like this one")
endif()

set(QS_PACKAGE_MAINTAINER
    "Quantscope maintainers <maintainers@users.noreply.h-seed-bffec2c6.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME quantscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${QS_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The summary is the Description's first line; this is the text under it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "\
A desktop workbench (quantscope) and a command-line tool (quantscope-cli)
that inspect ONNX models, run them on their own CPU engine (oneDNN, Eigen),
quantize them to INT8 (dynamic, static QDQ or QOperator) or FP16, and compare
size, latency and accuracy of the variants.")
if(QS_NATIVE OR QS_ARCH STREQUAL "native")
    string(APPEND CPACK_DEBIAN_PACKAGE_DESCRIPTION "\n\nBuilt for the build machine's CPU only.")
elseif(QS_ARCH STREQUAL "x86-64-v3")
    string(APPEND CPACK_DEBIAN_PACKAGE_DESCRIPTION
           "\n\nBuilt for x86-64-v3: needs a CPU with AVX2, FMA and F16C.")
elseif(QS_ARCH)
    string(APPEND CPACK_DEBIAN_PACKAGE_DESCRIPTION "\n\nBuilt for -march=${QS_ARCH}.")
endif()
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${QS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt's own dialog strings in Chinese, and a CJK font for the Chinese interface on minimal systems.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, fonts-wqy-microhei")
# quantscope_<version>_<arch>.deb, as dpkg-name would call it.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)

include(CPack)
