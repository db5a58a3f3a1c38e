# The man pages and shell completion scripts, generated at build time by the migpkg just built
# from its command table (cli/reference_docs.hpp), so they list exactly what --help prints, and
# the files editors and packagers want: the JSON Schemas and the editor support (docs/editors.md).
include(GNUInstallDirs)

set(MIGPKG_DOCS_DIR ${PROJECT_BINARY_DIR}/reference)
set(MIGPKG_DOCS_STAMP ${MIGPKG_DOCS_DIR}/generated.stamp)
# The pages are rewritten from scratch so that a removed command leaves no page behind.
add_custom_command(
  OUTPUT ${MIGPKG_DOCS_STAMP} ${MIGPKG_DOCS_DIR}/completion/migpkg ${MIGPKG_DOCS_DIR}/completion/_migpkg
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${MIGPKG_DOCS_DIR}/man1 ${MIGPKG_DOCS_DIR}/completion
  COMMAND ${CMAKE_COMMAND} -E make_directory ${MIGPKG_DOCS_DIR}/man1 ${MIGPKG_DOCS_DIR}/completion
  COMMAND $<TARGET_FILE:migpkg> help --man ${MIGPKG_DOCS_DIR}/man1
  COMMAND $<TARGET_FILE:migpkg> help --bash-completion > ${MIGPKG_DOCS_DIR}/completion/migpkg
  COMMAND $<TARGET_FILE:migpkg> help --zsh-completion > ${MIGPKG_DOCS_DIR}/completion/_migpkg
  COMMAND ${CMAKE_COMMAND} -E touch ${MIGPKG_DOCS_STAMP}
  DEPENDS migpkg
  COMMENT "Generating migpkg's man pages and shell completion from its command table"
  VERBATIM)
add_custom_target(migpkg_reference_docs ALL DEPENDS ${MIGPKG_DOCS_STAMP})

install(DIRECTORY ${MIGPKG_DOCS_DIR}/man1/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        FILES_MATCHING PATTERN "*.1")
install(FILES ${MIGPKG_DOCS_DIR}/completion/migpkg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${MIGPKG_DOCS_DIR}/completion/_migpkg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
# portable-migration-v1 documents name their schema by its $id (docs/format.md); editors map
# that id to this copy (docs/editors.md).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION ${CMAKE_INSTALL_DATADIR}/migpkg/schemas
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/editors/ DESTINATION ${CMAKE_INSTALL_DATADIR}/migpkg/editors)
