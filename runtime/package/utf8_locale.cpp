#include "runtime/package/utf8_locale.hpp"

namespace migpkg::package {

Utf8LocaleGuard::Utf8LocaleGuard() {
  // C.UTF-8 ships with glibc on Debian; fall back to leaving the locale alone (ASCII names,
  // which are all a package may hold, work under any locale).
  utf8_ = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (utf8_) previous_ = uselocale(utf8_);
}

Utf8LocaleGuard::~Utf8LocaleGuard() {
  if (utf8_) {
    uselocale(previous_);
    freelocale(utf8_);
  }
}

}  // namespace migpkg::package
