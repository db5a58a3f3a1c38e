#pragma once
// libarchive converts names through the current locale and its pax writer fails on non-ASCII
// names under "C". Library code must not change the process locale (setlocale is global), so
// archive calls run under a thread-local UTF-8 locale installed with uselocale() for the
// lifetime of this guard.
#include <locale.h>

namespace migpkg::package {

class Utf8LocaleGuard {
 public:
  Utf8LocaleGuard();
  ~Utf8LocaleGuard();
  Utf8LocaleGuard(const Utf8LocaleGuard&) = delete;
  Utf8LocaleGuard& operator=(const Utf8LocaleGuard&) = delete;

 private:
  locale_t utf8_ = static_cast<locale_t>(0);
  locale_t previous_ = static_cast<locale_t>(0);
};

}  // namespace migpkg::package
