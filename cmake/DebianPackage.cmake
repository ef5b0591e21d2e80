# A Debian package of what `cmake --install` installs: `cpack -G DEB` in a build folder
# (docs/install.md). Dependencies come from dpkg-shlibdeps, so they match the build. The
# package carries what Debian policy asks of every package (lintian checks it, scripts/check-deb.sh):
# a changelog and a copyright file, with the copyright files of every library linked in
# statically (SLACK_INTEL_STATIC_DEPS) beside it.
include(GNUInstallDirs)
find_package(Git QUIET)
set(debian_doc ${CMAKE_BINARY_DIR}/debian-doc)
file(MAKE_DIRECTORY ${debian_doc})

# The changelog is dated by the commit built, so two builds of one commit make the same file.
set(build_epoch "")
if(GIT_FOUND AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} log -1 --format=%ct
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE build_epoch
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(build_epoch STREQUAL "")
  string(TIMESTAMP build_epoch "%s" UTC)
endif()
execute_process(COMMAND env LC_ALL=C date -u -d @${build_epoch} "+%a, %d %b %Y %H:%M:%S +0000"
  OUTPUT_VARIABLE changelog_date OUTPUT_STRIP_TRAILING_WHITESPACE)
set(maintainer "slack-intel <slack-intel@example.invalid>")
file(WRITE ${debian_doc}/changelog
  "slack-intel (${SLACK_INTEL_VERSION}) unstable; urgency=medium\n\n"
  "  * Built from git ${SLACK_INTEL_VERSION}.\n\n"
  " -- ${maintainer}  ${changelog_date}\n")
execute_process(COMMAND gzip -9nf ${debian_doc}/changelog)

# The statically linked libraries and the Debian packages whose copyright files describe them.
set(embedded_packages "")
if(SLACK_INTEL_STATIC_DEPS)
  set(embedded_packages libsnappy-dev libyaml-cpp-dev libzstd-dev libpugixml-dev libfmt-dev
    libspdlog-dev libcli11-dev nlohmann-json3-dev libstdc++-12-dev)
endif()
set(embedded_note "")
foreach(package IN LISTS embedded_packages)
  set(source /usr/share/doc/${package}/copyright)
  if(NOT EXISTS ${source})
    message(FATAL_ERROR "${source} is missing: install ${package} (scripts/install-deps.sh)")
  endif()
  configure_file(${source} ${debian_doc}/embedded/${package} COPYONLY)
  string(APPEND embedded_note " ${package}\n")
endforeach()
if(embedded_note)
  set(embedded_note
    "Comment:\n The binary has these libraries linked in. Their copyright and licence terms,\n"
    " as Debian ships them, are in /usr/share/doc/slack-intel/embedded/:\n${embedded_note}")
  string(REPLACE ";" "" embedded_note "${embedded_note}")
  install(DIRECTORY ${debian_doc}/embedded DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
file(WRITE ${debian_doc}/copyright
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
  "Upstream-Name: slack-intel\n${embedded_note}\n"
  "Files: *\n"
  "Copyright: 2026 the slack-intel developers\n"
  "License: no-licence-yet\n"
  " The owners have not chosen a licence yet: until they do, all rights are\n"
  " reserved by the authors.\n")
install(FILES ${debian_doc}/changelog.gz ${debian_doc}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME slack-intel)
set(CPACK_PACKAGE_VERSION ${SLACK_INTEL_VERSION})
set(CPACK_PACKAGE_CONTACT ${maintainer})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Slack history as hive-partitioned Parquet for Athena, synced to S3")
# Debian wraps nothing: each line of the long description is a line of its own, under 80.
set(CPACK_PACKAGE_DESCRIPTION
    "Fetches a Slack workspace's history (from the Web API or an export) and\n"
    "the Jira tickets it mentions into a local Parquet cache partitioned by\n"
    "day and channel, and syncs it incrementally to S3 or an S3-compatible\n"
    "store for Athena, Glue, Spark, Trino or DuckDB.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
include(CPack)
