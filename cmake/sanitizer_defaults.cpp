// Linked into the executables of a -DMIGPKG_SANITIZE=ON build only (CMakeLists.txt): default
// options the sanitizer runtime reads at start-up, before ASAN_OPTIONS / LSAN_OPTIONS (which still
// override them).
//
// intercept_tls_get_addr=0: GCC 12's sanitizer runtime (Debian 12; fixed in GCC 14 / LLVM 17)
// intercepts __tls_get_addr and takes a dynamic TLS block that starts 16 bytes past a page
// boundary for glibc < 2.25's block header, reading the two words before it as the block's
// address and size. Since glibc 2.25 there is no such header, so when malloc happens to place a
// block there, LeakSanitizer's tracer scans a made-up range at exit and dies ("Tracer caught
// signal 11"). A process that has loaded both engine modules (libpq with Kerberos, and MariaDB
// Connector/C: several libraries with dynamic TLS) met it reliably. Without the interceptor the
// tracer still scans every thread's static TLS, and the dynamic TLS blocks (heap blocks) stay
// reachable from there through glibc's per-thread vector of them, so nothing they point to is
// reported as a leak.
extern "C" const char* __asan_default_options() { return "intercept_tls_get_addr=0"; }
extern "C" const char* __lsan_default_options() { return "intercept_tls_get_addr=0"; }
