# Makes an ANTLR-generated recognizer (lexer or parser) deserialize its ATN on first use instead
# of at start-up. The C++ code of ANTLR 4.7/4.9 does it in the constructor of a static
# `Initializer _init` object, which costs every migpkg process about 3 ms (8 million
# instructions for the lexer and parser), even `migpkg --version` and runs that never read a DSL
# file. The patch drops that static object and constructs the Initializer as a function-local
# static in the recognizer's constructor instead: C++ runs it once, thread-safely, before the
# first recognizer uses the ATN. The tables the Initializer fills are only read through a
# recognizer instance, so nothing can see them earlier.
#
# Usage: cmake -DFILE=<generated .cpp> -DCLASS=<recognizer class> -P LazyAtn.cmake
file(READ "${FILE}" text)
set(static_init "${CLASS}::Initializer ${CLASS}::_init;")
string(FIND "${text}" "${static_init}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "LazyAtn.cmake: '${static_init}' not found in ${FILE}; the ANTLR tool's "
                      "output changed, see cmake/LazyAtn.cmake")
endif()
string(REPLACE "${static_init}"
       "// ${CLASS}::_init: constructed on first use in the constructor (cmake/LazyAtn.cmake)."
       text "${text}")
string(REGEX MATCH "${CLASS}::${CLASS}\\([A-Za-z]+ \\*input\\) : [A-Za-z]+\\(input\\) {\n"
       constructor "${text}")
if(NOT constructor)
  message(FATAL_ERROR "LazyAtn.cmake: the constructor of ${CLASS} not found in ${FILE}")
endif()
string(REPLACE "${constructor}"
       "${constructor}  static Initializer atn_initialized;  // cmake/LazyAtn.cmake\n"
       text "${text}")
file(WRITE "${FILE}" "${text}")
