# `cmake --install` of the library for programs that embed migpkg (docs/api.md, "Installing"),
# all in the component Development:
#   ${CMAKE_INSTALL_LIBDIR}/libmigpkg.a             libmigpkg with the DSL parser, the embedded
#                                                    stdlib and the ANTLR runtime merged in
#   ${CMAKE_INSTALL_INCLUDEDIR}/migpkg/*.hpp         the public API (include/migpkg/)
#   ${CMAKE_INSTALL_LIBDIR}/cmake/migpkg/            find_package(migpkg) -> migpkg::migpkg
#   ${CMAKE_INSTALL_LIBDIR}/pkgconfig/migpkg.pc      pkg-config --cflags --libs migpkg
# The build's libmigpkg.a leaves its internal static libraries to the link line; the installed
# one carries them, so a host links one archive plus the system libraries listed once here.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The system libraries libmigpkg needs at link time (migpkg.pc.in lists them too).
set(MIGPKG_INSTALLED_LINK_NAMES sqlite3 sodium zstd crypto)
# A library built with sanitizers calls their runtimes: a host links it with the same option.
set(MIGPKG_INSTALLED_LINK_OPTIONS "")
if(MIGPKG_SANITIZE)
  set(MIGPKG_INSTALLED_LINK_OPTIONS "-fsanitize=address,undefined")
elseif(MIGPKG_TSAN)
  set(MIGPKG_INSTALLED_LINK_OPTIONS "-fsanitize=thread")
endif()

# The merged archive is made when installing (the build does not need it): an ar MRI script
# adding each archive's members, written with the build's own paths.
set(MIGPKG_BUNDLE_DIR ${PROJECT_BINARY_DIR}/installed-library)
file(GENERATE OUTPUT ${MIGPKG_BUNDLE_DIR}/libmigpkg.mri
     CONTENT "create ${MIGPKG_BUNDLE_DIR}/libmigpkg.a
addlib $<TARGET_FILE:libmigpkg>
addlib $<TARGET_FILE:migpkg_dsl_parser>
addlib $<TARGET_FILE:migpkg_stdlib>
addlib $<TARGET_FILE:antlr4_static>
save
end
")
install(CODE "
  file(REMOVE \"${MIGPKG_BUNDLE_DIR}/libmigpkg.a\")
  execute_process(COMMAND \"${CMAKE_AR}\" -M INPUT_FILE \"${MIGPKG_BUNDLE_DIR}/libmigpkg.mri\"
                  RESULT_VARIABLE migpkg_ar_result)
  if(NOT migpkg_ar_result EQUAL 0)
    message(FATAL_ERROR \"merging libmigpkg.a failed (${CMAKE_AR} -M: \${migpkg_ar_result})\")
  endif()
  execute_process(COMMAND \"${CMAKE_RANLIB}\" \"${MIGPKG_BUNDLE_DIR}/libmigpkg.a\")
" COMPONENT Development)
install(FILES ${MIGPKG_BUNDLE_DIR}/libmigpkg.a DESTINATION ${CMAKE_INSTALL_LIBDIR}
        COMPONENT Development)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/migpkg DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT Development FILES_MATCHING PATTERN "*.hpp")

# The CMake package: relocatable (paths from the config file's own place), with a version file
# that accepts the same major version (docs/api.md, "Versioning").
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/migpkgConfig.cmake.in ${MIGPKG_BUNDLE_DIR}/migpkgConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/migpkg
  PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${MIGPKG_BUNDLE_DIR}/migpkgConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${MIGPKG_BUNDLE_DIR}/migpkgConfig.cmake ${MIGPKG_BUNDLE_DIR}/migpkgConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/migpkg COMPONENT Development)

# migpkg.pc names the prefix it is installed under (`cmake --install --prefix` included), so it
# is written when installing.
install(CODE "
  set(MIGPKG_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(MIGPKG_PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(MIGPKG_PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(MIGPKG_PC_VERSION \"${PROJECT_VERSION}\")
  set(MIGPKG_PC_LINK_OPTIONS \"${MIGPKG_INSTALLED_LINK_OPTIONS}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/migpkg.pc.in\" \"${MIGPKG_BUNDLE_DIR}/migpkg.pc\"
                 @ONLY)
" COMPONENT Development)
install(FILES ${MIGPKG_BUNDLE_DIR}/migpkg.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT Development)
