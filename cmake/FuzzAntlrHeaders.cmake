# The fuzz build only (MIGPKG_FUZZ=ON, clang): clang 14 refuses a constructor in Debian's ANTLR
# 4.9 runtime headers (misc/InterpreterDataReader.h default-constructs a Vocabulary whose default
# constructor is deleted; GCC accepts it because nothing calls it). The parser is compiled against
# a copy of the headers with that one constructor defaulted, which declares the same thing
# without defining it; the prebuilt runtime library is unchanged.
set(MIGPKG_ANTLR_CLANG_HEADERS ${PROJECT_BINARY_DIR}/antlr4-runtime-clang)
file(COPY ${ANTLR4_INCLUDE_DIR}/ DESTINATION ${MIGPKG_ANTLR_CLANG_HEADERS})
file(READ ${MIGPKG_ANTLR_CLANG_HEADERS}/misc/InterpreterDataReader.h MIGPKG_ANTLR_HEADER)
string(REPLACE "InterpreterData() {};" "InterpreterData() = default;" MIGPKG_ANTLR_HEADER
               "${MIGPKG_ANTLR_HEADER}")
file(WRITE ${MIGPKG_ANTLR_CLANG_HEADERS}/misc/InterpreterDataReader.h "${MIGPKG_ANTLR_HEADER}")
set(ANTLR4_INCLUDE_DIR ${MIGPKG_ANTLR_CLANG_HEADERS})
