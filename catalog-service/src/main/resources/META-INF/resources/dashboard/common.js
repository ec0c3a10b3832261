"use strict";
// Shared by the dashboard's pages: the header (pages, who is logged in, log out), requests to the
// catalog's API (same origin: the session cookie authenticates them; writes carry the header the
// server requires of cookie-authenticated requests), and small formatting helpers.
const cxr = (() => {
  const fmt = new Intl.NumberFormat("en-US");
  const el = id => document.getElementById(id);
  const text = v => v === null || v === undefined ? "" : String(v);
  // page, label, the role its API calls need (the overview works with either)
  const PAGES = [["index.html", "Overview"], ["pipeline.html", "Pipeline", "operator"],
    ["dead-letters.html", "Dead letters", "operator"], ["studies.html", "Studies", "researcher"]];

  // local login page; with an identity provider (hybrid mode: 499 to a script) the pages log in through it
  function toLogin(codeFlow) { location.replace(codeFlow ? "/dashboard/" : "/dashboard/login"); }

  async function api(path, options = {}) {
    const o = Object.assign({ credentials: "same-origin" }, options);
    o.headers = Object.assign({ "Accept": "application/json", "X-Requested-With": "JavaScript" }, options.headers || {});
    if (o.method && o.method !== "GET") o.headers["X-CXR-Dashboard"] = "1";
    if (o.body !== undefined && typeof o.body !== "string") { o.body = JSON.stringify(o.body); o.headers["Content-Type"] = "application/json"; }
    const r = await fetch(path, o);
    if (r.status === 401 || r.status === 499) { toLogin(r.status === 499); throw new Error("not logged in"); }
    if (!r.ok) {
      let detail = "HTTP " + r.status;
      try { const p = await r.json(); if (p.detail) detail = p.detail; } catch (e) { /* not JSON */ }
      const err = new Error(r.status === 403 ? "your roles do not allow this (" + detail + ")" : detail);
      err.status = r.status;
      throw err;
    }
    return r.status === 204 ? null : r.json();
  }

  function header(here) {
    const h = document.createElement("header");
    h.innerHTML = '<h1>CXR catalog</h1><nav></nav><span class="right"><span id="status">loading…</span>'
      + '<span>logged in as <b id="who"></b> <span id="roles" class="muted"></span></span>'
      + '<a href="/q/swagger-ui/" style="color:#c7d2fe">API</a><button id="logout" type="button">log out</button></span>';
    const nav = h.querySelector("nav");
    PAGES.forEach(([href, label, role]) => { const a = document.createElement("a"); a.href = href; a.textContent = label;
      if (href === here) a.className = "here"; if (role) a.dataset.role = role; nav.appendChild(a); });
    document.body.prepend(h);
    h.querySelector("#logout").addEventListener("click", async () => {
      try { await api("/dashboard/session", { method: "DELETE" }); } finally { toLogin(); }
    });
    return api("/dashboard/session").then(s => {
      el("who").textContent = s.name; el("roles").textContent = "(" + s.roles.join(", ") + ")";
      nav.querySelectorAll("a[data-role]").forEach(a => { if (!s.roles.includes(a.dataset.role)) a.hidden = true; });
      return s;
    });
  }

  function cell(v, cls) { const td = document.createElement("td"); td.textContent = text(v); if (cls) td.className = cls; return td; }
  function row(tbody, cells) { const tr = document.createElement("tr"); cells.forEach(c => tr.appendChild(c)); tbody.appendChild(tr); return tr; }
  function link(href, label) { const td = document.createElement("td"), a = document.createElement("a"); a.href = href; a.textContent = label; td.appendChild(a); return td; }
  function bar(parts) {
    const td = document.createElement("td"), b = document.createElement("div");
    b.className = "bar";
    const total = parts.reduce((s, p) => s + p[0], 0) || 1;
    parts.forEach(([n, color]) => { const s = document.createElement("span"); s.style.width = (100 * n / total) + "%"; s.style.background = color; b.appendChild(s); });
    td.appendChild(b);
    return td;
  }
  function status(msg, bad) { const s = el("status"); s.textContent = msg; s.className = bad ? "bad" : ""; }
  function updated() { status("updated " + new Date().toLocaleTimeString()); }
  function every(ms, fn) { const run = () => fn().then(updated).catch(e => status(e.message, true)); run(); return setInterval(run, ms); }
  function time(t) { return t ? new Date(t).toLocaleString() : ""; }
  // uPlot (org.webjars.npm:uplot, served from the webjar): one time chart per box, its data replaced on each refresh
  const COLORS = ["#6366f1", "#15803d", "#b91c1c", "#a16207", "#0891b2", "#c2410c", "#7c3aed", "#64748b"];
  const charts = {};
  function chart(id, title, labels, times, columns) {
    const box = el(id), data = [times.map(t => Date.parse(t) / 1000), ...columns];
    const key = labels.join("|");
    if (charts[id] && charts[id].key === key) { charts[id].plot.setData(data); return charts[id].plot; }
    if (charts[id]) charts[id].plot.destroy();
    const plot = new uPlot({ title, width: Math.max(300, box.clientWidth - 8), height: 220,
      series: [{}, ...labels.map((l, i) => ({ label: l, stroke: COLORS[i % COLORS.length], width: 1.5 }))],
      axes: [{}, { size: 60 }], scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } } }, data, box);
    charts[id] = { key, plot };
    return plot;
  }
  return { fmt, el, text, api, header, cell, row, link, bar, status, updated, every, time, chart };
})();
