# Generates the DSL lexer and parser from grammar/Migpkg.g4 and embeds stdlib/*.mig.
#
# The tool runs from the source directory with a relative grammar path, because the generated
# headers embed the path as given: an absolute path would make the output differ per checkout.
# The tool is ANTLR 4.7.2 and the runtime 4.9 (Debian 12); the generated code compiles and runs
# against 4.9 (docs/dsl.md, "Implementation"). cmake/LazyAtn.cmake then moves the deserialization
# of the ATNs from start-up to the first use of the lexer or parser, and cmake/ThreadLocalDfa.cmake
# gives every thread its own DFA cache, so that files can be parsed on several threads.
set(MIGPKG_DSL_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated/dsl)
set(MIGPKG_DSL_GENERATED_SOURCES
    ${MIGPKG_DSL_GENERATED_DIR}/MigpkgLexer.cpp ${MIGPKG_DSL_GENERATED_DIR}/MigpkgParser.cpp
    ${MIGPKG_DSL_GENERATED_DIR}/MigpkgVisitor.cpp ${MIGPKG_DSL_GENERATED_DIR}/MigpkgBaseVisitor.cpp)
# The headers are outputs too: libmigpkg's sources include them (token numbers), and a header
# the build does not know it regenerates is checked before it is rewritten, so after a grammar
# change those sources kept the old token numbers until the next build.
set(MIGPKG_DSL_GENERATED_HEADERS
    ${MIGPKG_DSL_GENERATED_DIR}/MigpkgLexer.h ${MIGPKG_DSL_GENERATED_DIR}/MigpkgParser.h
    ${MIGPKG_DSL_GENERATED_DIR}/MigpkgVisitor.h ${MIGPKG_DSL_GENERATED_DIR}/MigpkgBaseVisitor.h)
add_custom_command(
  OUTPUT ${MIGPKG_DSL_GENERATED_SOURCES} ${MIGPKG_DSL_GENERATED_HEADERS}
  COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -visitor -no-listener -Xexact-output-dir
          -package migpkg::dsl::generated -o ${MIGPKG_DSL_GENERATED_DIR} grammar/Migpkg.g4
  COMMAND ${CMAKE_COMMAND} -DFILE=${MIGPKG_DSL_GENERATED_DIR}/MigpkgLexer.cpp -DCLASS=MigpkgLexer
          -P ${PROJECT_SOURCE_DIR}/cmake/LazyAtn.cmake
  COMMAND ${CMAKE_COMMAND} -DFILE=${MIGPKG_DSL_GENERATED_DIR}/MigpkgLexer.cpp -DCLASS=MigpkgLexer
          -P ${PROJECT_SOURCE_DIR}/cmake/ThreadLocalDfa.cmake
  COMMAND ${CMAKE_COMMAND} -DFILE=${MIGPKG_DSL_GENERATED_DIR}/MigpkgParser.cpp -DCLASS=MigpkgParser
          -P ${PROJECT_SOURCE_DIR}/cmake/LazyAtn.cmake
  COMMAND ${CMAKE_COMMAND} -DFILE=${MIGPKG_DSL_GENERATED_DIR}/MigpkgParser.cpp -DCLASS=MigpkgParser
          -P ${PROJECT_SOURCE_DIR}/cmake/ThreadLocalDfa.cmake
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  DEPENDS ${PROJECT_SOURCE_DIR}/grammar/Migpkg.g4 ${PROJECT_SOURCE_DIR}/cmake/LazyAtn.cmake
          ${PROJECT_SOURCE_DIR}/cmake/ThreadLocalDfa.cmake
  COMMENT "Generating the DSL parser from grammar/Migpkg.g4"
  VERBATIM)
add_library(migpkg_dsl_parser STATIC ${MIGPKG_DSL_GENERATED_SOURCES})
# Generated code only: its warnings are ANTLR's, not ours.
target_compile_options(migpkg_dsl_parser PRIVATE -w)
target_include_directories(migpkg_dsl_parser SYSTEM PUBLIC ${MIGPKG_DSL_GENERATED_DIR}
                                                           ${ANTLR4_INCLUDE_DIR})
set_target_properties(migpkg_dsl_parser PROPERTIES POSITION_INDEPENDENT_CODE ON)
# The runtime is linked statically (Debian's libantlr4-runtime-dev ships the archive, built
# position-independent): one copy of its classes' type_info in the executable, so the
# dynamic_casts ANTLR does on every rule entry and exit compare pointers instead of running
# strcmp over mangled names across the library boundary, and no symbol binding of the shared
# library at start-up (measurements: docs/architecture.md, "Start-up").
target_link_libraries(migpkg_dsl_parser PUBLIC antlr4_static)

# stdlib/*.mig compiled into the binary, so an installed or copied migpkg needs no source tree.
file(GLOB MIGPKG_STDLIB_MODULES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/stdlib/*.mig)
set(MIGPKG_STDLIB_CPP ${PROJECT_BINARY_DIR}/generated/stdlib/embedded_stdlib.cpp)
add_custom_command(
  OUTPUT ${MIGPKG_STDLIB_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${MIGPKG_STDLIB_CPP} -DSTDLIB_DIR=${PROJECT_SOURCE_DIR}/stdlib
          -P ${PROJECT_SOURCE_DIR}/cmake/EmbedStdlib.cmake
  DEPENDS ${MIGPKG_STDLIB_MODULES} ${PROJECT_SOURCE_DIR}/cmake/EmbedStdlib.cmake
  COMMENT "Embedding stdlib/*.mig"
  VERBATIM)
add_library(migpkg_stdlib STATIC ${MIGPKG_STDLIB_CPP})
target_include_directories(migpkg_stdlib PRIVATE ${PROJECT_SOURCE_DIR})
