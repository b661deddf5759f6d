/**
 * The live topology page served at /status. Self-contained (no assets, no
 * framework): it polls /status.json every 2 s and redraws. With
 * STATUS_PAGE=admin the JSON needs an admin token; the page then asks for
 * one and keeps it in sessionStorage only.
 */
export const STATUS_POLL_MS = 2000;

export const statusPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agora · cluster status</title>
<style>
  :root { --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; }
  * { box-sizing: border-box; }
  body { margin:0; font:15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:#1f2328; background:#fff; }
  header { display:flex; align-items:baseline; gap:16px; padding:16px 24px; border-bottom:1px solid var(--line); background:var(--bg); }
  header h1 { margin:0; font-size:20px; }
  #updated { color:var(--muted); font-size:13px; margin-left:auto; }
  #updated.stale { color:var(--bad); font-weight:600; }
  main { padding:16px 24px; }
  .tiles { display:flex; gap:12px; flex-wrap:wrap; margin-bottom:20px; }
  .tile { border:1px solid var(--line); border-radius:8px; padding:10px 16px; min-width:140px; }
  .tile b { display:block; font-size:28px; }
  .tile span { color:var(--muted); font-size:13px; }
  .tile.bad b { color:var(--bad); }
  h2 { font-size:16px; margin:20px 0 8px; }
  table { border-collapse:collapse; min-width:420px; }
  th, td { text-align:left; padding:6px 12px; border-bottom:1px solid var(--line); }
  th { font-size:12px; text-transform:uppercase; color:var(--muted); }
  td.count { font-weight:700; font-size:18px; }
  .grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(280px, 1fr)); gap:12px; }
  .node { border:1px solid var(--line); border-left:6px solid var(--ok); border-radius:8px; padding:10px 14px; }
  .node.not-ready { border-left-color:var(--bad); }
  .node.unreachable { border-left-color:var(--warn); }
  .node .id { font-weight:700; font-family:ui-monospace, monospace; word-break:break-all; }
  .pill { display:inline-block; font-size:12px; font-weight:600; padding:1px 8px; border-radius:10px; color:#fff; background:var(--ok); }
  .not-ready .pill { background:var(--bad); }
  .unreachable .pill { background:var(--warn); }
  .chips { margin:8px 0 4px; }
  .chip { display:inline-block; background:#ddf4ff; color:#0a3069; border-radius:4px; padding:1px 6px; margin:2px 4px 2px 0; font-size:13px; }
  .facts { color:var(--muted); font-size:13px; }
  .failing { color:var(--bad); font-size:13px; }
  #login { display:none; border:1px solid var(--line); border-radius:8px; padding:16px; max-width:520px; }
  #login input { width:100%; padding:6px; margin:8px 0; font-family:monospace; }
</style>
</head>
<body>
<header><h1>Agora cluster</h1><span id="namespace"></span><span id="updated">loading…</span></header>
<main>
  <form id="login"><b>Admin token required.</b> Paste an admin Bearer token (kept in this tab only).
    <input id="token" autocomplete="off" placeholder="eyJ…"><button>Show status</button></form>
  <div class="tiles" id="tiles"></div>
  <h2>Services</h2>
  <table><thead><tr><th>Service</th><th>Instances</th><th>Nodes</th></tr></thead><tbody id="services"></tbody></table>
  <h2>Nodes</h2>
  <div class="grid" id="nodes"></div>
</main>
<script>
(function () {
  var POLL_MS = ${STATUS_POLL_MS};
  var lastOk = 0;
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }
  function tile(value, label, bad) {
    return el("div", { class: "tile" + (bad ? " bad" : "") }, [el("b", {}, [String(value)]), el("span", {}, [label])]);
  }
  function render(s) {
    document.getElementById("namespace").textContent = "namespace " + s.namespace;
    document.getElementById("tiles").replaceChildren(
      tile(s.totals.nodes, "nodes"),
      tile(s.totals.services, "services"),
      tile(s.totals.requestRate, "requests / s"),
      tile(s.totals.notReady, "nodes not ready", s.totals.notReady > 0)
    );
    document.getElementById("services").replaceChildren.apply(document.getElementById("services"),
      s.services.map(function (svc) {
        return el("tr", { "data-service": svc.name }, [
          el("td", {}, [svc.name]), el("td", { class: "count" }, [String(svc.instances)]), el("td", { class: "facts" }, [svc.nodes.join(", ")])
        ]);
      }));
    document.getElementById("nodes").replaceChildren.apply(document.getElementById("nodes"),
      s.nodes.map(function (n) {
        var cls = n.health === "ready" ? "" : n.health === "not ready" ? " not-ready" : " unreachable";
        var facts = [
          (n.requestRate == null ? "?" : n.requestRate) + " req/s",
          "cpu " + (n.cpu == null ? "?" : n.cpu + "%"),
          (n.memoryMB == null ? "?" : n.memoryMB) + " MB",
          "up " + (n.uptime == null ? "?" : n.uptime + " s")
        ];
        return el("div", { class: "node" + cls, "data-node-id": n.nodeID, "data-health": n.health }, [
          el("div", {}, [el("span", { class: "id" }, [n.nodeID]), " ", el("span", { class: "pill" }, [n.health]), n.gateway ? " (this gateway)" : ""]),
          el("div", { class: "chips" }, n.services.map(function (name) { return el("span", { class: "chip" }, [name]); })),
          el("div", { class: "facts" }, [facts.join(" · ")]),
          n.failing.length ? el("div", { class: "failing" }, ["failing: " + n.failing.join(", ")]) : ""
        ]);
      }));
  }
  function headers() {
    var t = sessionStorage.getItem("agora-status-token");
    return t ? { Authorization: "Bearer " + t } : {};
  }
  function poll() {
    fetch("status.json", { headers: headers(), cache: "no-store" }).then(function (r) {
      if (r.status === 401 || r.status === 403) { document.getElementById("login").style.display = "block"; return null; }
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (s) {
      if (!s) return;
      document.getElementById("login").style.display = "none";
      lastOk = Date.now();
      render(s);
      var u = document.getElementById("updated");
      u.className = ""; u.textContent = "updated " + new Date(s.generatedAt).toLocaleTimeString();
    }).catch(function () {
      var u = document.getElementById("updated");
      u.className = "stale"; u.textContent = "gateway unreachable" + (lastOk ? " since " + new Date(lastOk).toLocaleTimeString() : "");
    }).finally(function () { setTimeout(poll, POLL_MS); });
  }
  document.getElementById("login").addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem("agora-status-token", document.getElementById("token").value.trim());
  });
  poll();
})();
</script>
</body>
</html>
`;
