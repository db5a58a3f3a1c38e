# Gives each thread its own DFA cache for an ANTLR-generated recognizer (lexer or parser), so
# that several files can be parsed at once (compiler/sources.cpp reads sources on several
# threads, compiler/util/parallel.hpp). The generated code hands every recognizer the class's
# static `_decisionToDFA` and `_sharedContextCache`, which all instances then fill while they
# predict. ANTLR 4.9 guards them with locks, but its C++ runtime has a long record of crashes
# when threads share them (antlr/antlr4 issues 1826, 2004, 2199, 2210). With one DFA and one
# context cache per thread, the only shared state left is the ATN, which the runtime only reads
# after it is built (its one lazily computed field, ATNState's next-token set, is guarded by an
# atomic flag and a mutex). Each thread warms up its own DFA on its first file: a few
# microseconds per decision, once.
#
# Usage: cmake -DFILE=<generated .cpp> -DCLASS=<recognizer class> -P ThreadLocalDfa.cmake
# (after LazyAtn.cmake, which makes the constructor build the ATN first).
file(READ "${FILE}" text)
string(REGEX MATCH
       "  _interpreter = new atn::([A-Za-z]+)ATNSimulator\\(this, _atn, _decisionToDFA, _sharedContextCache\\);\n"
       interpreter "${text}")
if(NOT interpreter)
  message(FATAL_ERROR "ThreadLocalDfa.cmake: the simulator construction not found in ${FILE}; "
                      "the ANTLR tool's output changed, see cmake/ThreadLocalDfa.cmake")
endif()
set(simulator "${CMAKE_MATCH_1}ATNSimulator")
string(REPLACE "${interpreter}" "  // One DFA and context cache per thread (cmake/ThreadLocalDfa.cmake).
  thread_local std::vector<dfa::DFA> thread_dfa = [] {
    std::vector<dfa::DFA> dfa;
    dfa.reserve(_atn.getNumberOfDecisions());
    for (size_t i = 0; i < _atn.getNumberOfDecisions(); i++)
      dfa.emplace_back(_atn.getDecisionState(i), i);
    return dfa;
  }();
  thread_local atn::PredictionContextCache thread_context_cache;
  _interpreter = new atn::${simulator}(this, _atn, thread_dfa, thread_context_cache);
" text "${text}")
file(WRITE "${FILE}" "${text}")
