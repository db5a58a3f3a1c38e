#pragma once
#include <string>

namespace migpkg::serve {

// The status page at / (serve/status_page.cpp): plain HTML and a little JavaScript, no external
// asset. It holds no data itself: it asks for a viewer token (or takes it from the URL fragment,
// #token=...), keeps it in sessionStorage, and polls /operations, /status and /history with it.
const std::string& status_page_html();

}  // namespace migpkg::serve
