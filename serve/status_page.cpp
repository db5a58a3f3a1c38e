#include "serve/status_page.hpp"

namespace migpkg::serve {

const std::string& status_page_html() {
  static const std::string html = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>migpkg status</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; }
th { background: #f4f4f4; }
#error { color: #b00; }
</style>
</head>
<body>
<h1>migpkg <span id="database"></span></h1>
<form id="login" hidden>
  <label>Viewer token <input id="token" type="password" autocomplete="off" size="70"></label>
  <button type="submit">Show</button>
</form>
<p id="error"></p>
<h2>Operations</h2>
<table id="operations"><thead><tr><th>id</th><th>kind</th><th>state</th><th>progress</th><th>rate</th><th>ETA</th><th>by</th><th>created</th></tr></thead><tbody></tbody></table>
<h2>Installed plugins</h2>
<table id="plugins"><thead><tr><th>plugin</th><th>version</th><th>migrations</th><th>updated</th></tr></thead><tbody></tbody></table>
<h2>Half-done migrations</h2>
<table id="partial"><thead><tr><th>plugin</th><th>migration</th><th>direction</th><th>steps done</th></tr></thead><tbody></tbody></table>
<h2>History</h2>
<table id="history"><thead><tr><th>started</th><th>state</th><th>plugin</th><th>migration</th><th>version</th><th>by</th><th>ms</th></tr></thead><tbody></tbody></table>
<script>
"use strict";
const key = "migpkg-token";
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get("token")) {
  sessionStorage.setItem(key, fragment.get("token"));
  history.replaceState(null, "", location.pathname);
}
function fill(id, rows) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  for (const cells of rows) {
    const tr = document.createElement("tr");
    for (const text of cells) {
      const td = document.createElement("td");
      td.textContent = String(text);
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}
async function get(path) {
  const response = await fetch(path, {headers: {Authorization: "Bearer " + sessionStorage.getItem(key)}});
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}
async function refresh() {
  if (!sessionStorage.getItem(key)) { document.getElementById("login").hidden = false; return; }
  try {
    const status = await get("/status");
    document.getElementById("database").textContent = status.database + " (" + status.engine + ")";
    fill("plugins", status.plugins.map(p => [p.pluginId, p.version, p.migrations.length, p.updatedAt]));
    fill("partial", status.partial.map(f => [f.pluginId, f.migrationId, f.direction, f.stepsDone + " of " + f.stepsTotal]));
    const operations = await get("/operations");
    fill("operations", operations.slice(0, 20).map(o => [o.id, o.kind, o.state,
      o.progress.unit ? o.progress.done + (o.progress.total ? " of " + o.progress.total : "") + " " + o.progress.unit : "",
      o.progress.ratePerSecond ? o.progress.ratePerSecond.toFixed(1) + "/s" : "",
      o.progress.etaSeconds == null ? "" : Math.round(o.progress.etaSeconds) + " s",
      o.requestedBy, o.createdAt]));
    const history = await get("/history");
    fill("history", history.slice(-50).reverse().map(h => [h.startedAt, h.state, h.pluginId, h.migrationId, h.version, h.appliedBy, h.durationMs]));
    document.getElementById("error").textContent = "";
  } catch (e) {
    document.getElementById("error").textContent = e.message;
    if (/token/.test(e.message)) { sessionStorage.removeItem(key); document.getElementById("login").hidden = false; }
  }
}
document.getElementById("login").addEventListener("submit", event => {
  event.preventDefault();
  sessionStorage.setItem(key, document.getElementById("token").value);
  document.getElementById("login").hidden = true;
  refresh();
});
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
)HTML";
  return html;
}

}  // namespace migpkg::serve
