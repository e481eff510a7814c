#include "reports/html_assets.h"

namespace comply {

const char* const kReportCss = R"CSS(
:root{--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--pass:#1a7f37;--fail:#b42318;--warn:#9a6700}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:16px 24px;max-width:1400px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:14px;margin:14px 0 6px}
.meta{color:var(--muted);font-size:12.5px}
.headline{font-size:18px;font-weight:600;margin:12px 0;padding:12px 14px;border-left:5px solid #0072B2;background:var(--soft)}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-weight:600;font-size:12.5px;border:1px solid currentColor}
.pass{color:var(--pass)}.fail{color:var(--fail)}.warn{color:var(--warn)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:250px;flex:1 1 260px;break-inside:avoid}
.card h3{margin:0 0 4px;font-size:15px}.card .big{font-size:26px;font-weight:700}
.card dl{display:grid;grid-template-columns:auto auto;gap:2px 12px;margin:6px 0 0}.card dt{color:var(--muted)}.card dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:8px;break-inside:avoid}figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;height:auto;font-size:12px}svg .grid{stroke:#e4e8ec}svg .axisline{stroke:#59636e}svg .ci{stroke:#1b1f24;stroke-width:1.5}
svg .axis{fill:#59636e;font-size:11px}svg .small{font-size:11px}svg .label{fill:#1b1f24}svg .value{fill:#1b1f24}svg .note{fill:#59636e;font-style:italic}
svg .frontier{fill:none;stroke:#59636e;stroke-dasharray:5 3;stroke-width:1.5}svg .trend{fill:none;stroke-width:2}svg .band{fill-opacity:.15;stroke:none}
table{border-collapse:collapse;margin:6px 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:var(--soft)}td.num{text-align:right}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-word;background:var(--soft);padding:8px;border-radius:6px;max-height:420px;overflow:auto;margin:4px 0}
.hl{background:#ffd7d5;outline:1px solid var(--fail);border-radius:2px}
.filters{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:end;margin:8px 0;padding:8px;background:var(--soft);border-radius:8px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
select,input,button{font:inherit;padding:3px 6px}button{cursor:pointer}
button:focus-visible,select:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #0072B2;outline-offset:1px}
#records-table td.detail{background:#fbfcfd}
.pager{display:flex;gap:10px;align-items:center;margin:6px 0}
.sr{position:absolute;left:-9999px}
@media print{.filters,.pager,noscript,button.toggle{display:none}body{padding:0;max-width:none}pre{max-height:none;overflow:visible}a{color:inherit;text-decoration:none}.charts{display:block}figure{margin-bottom:10px}}
)CSS";

const char* const kReportJs = R"JS(
(function () {
  'use strict';
  var root = document.documentElement;
  window.addEventListener('error', function (e) { root.setAttribute('data-state', 'error: ' + e.message); });
  var R = JSON.parse(document.getElementById('records').textContent);
  var D = JSON.parse(document.getElementById('dict').textContent);
  var PAGE = 50;
  var F = { endpoint: 'endpoint', suite: 'suite', tag: 'tag', status: 'status', verdict: 'verdict',
            drift: 'drift', path: 'path', q: 'q', disagree: 'disagree' };
  var state = {};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function verdictOf(r) { return D[r[5]] !== 'ok' ? 'error' : (r[6] ? 'pass' : 'fail'); }

  // Cases whose endpoints disagree (majority verdict per endpoint differs): listed first.
  var perCase = new Map();
  R.forEach(function (r) {
    if (D[r[5]] !== 'ok') return;
    var key = r[1] + '\u0000' + r[0];
    var m = perCase.get(key);
    if (!m) { m = new Map(); perCase.set(key, m); }
    var c = m.get(r[2]) || [0, 0];
    c[0] += 1; c[1] += r[6];
    m.set(r[2], c);
  });
  var disagreeing = new Set();
  perCase.forEach(function (m, key) {
    var seen = {};
    m.forEach(function (c) { seen[c[1] * 2 > c[0] ? 'p' : 'f'] = 1; });
    if (seen.p && seen.f) disagreeing.add(key);
  });
  function isDisagreement(r) { return disagreeing.has(r[1] + '\u0000' + r[0]); }
  var order = R.map(function (r, i) { return i; });
  var rank = function (r) { return isDisagreement(r) ? 0 : (verdictOf(r) === 'pass' ? 2 : 1); };
  var ranks = R.map(rank);
  order.sort(function (a, b) { return ranks[a] - ranks[b] || a - b; });

  // Filter options from the data.
  var options = { endpoint: new Map(), suite: new Map(), tag: new Map(), status: new Map(),
                  drift: new Map(), path: new Map() };
  function count(map, k) { map.set(k, (map.get(k) || 0) + 1); }
  R.forEach(function (r) {
    count(options.endpoint, D[r[2]]); count(options.suite, D[r[1]]); count(options.status, D[r[5]]);
    r[4].forEach(function (t) { count(options.tag, D[t]); });
    r[9].forEach(function (d) { count(options.drift, D[d]); });
    var seen = {};
    r[14].forEach(function (h) { if (!seen[h[1]]) { seen[h[1]] = 1; count(options.path, D[h[1]]); } });
  });
  Object.keys(options).forEach(function (name) {
    var sel = document.getElementById('f-' + name);
    if (!sel) return;
    Array.from(options[name].keys()).sort().forEach(function (k) {
      var o = el('option', k + ' (' + options[name].get(k) + ')');
      o.value = k;
      sel.appendChild(o);
    });
  });

  function readHash() {
    state = { page: 0, open: -1 };
    var h = location.hash.replace(/^#/, '');
    h.split('&').forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf('=');
      var k = decodeURIComponent(i < 0 ? kv : kv.slice(0, i));
      var v = i < 0 ? '' : decodeURIComponent(kv.slice(i + 1).replace(/\+/g, ' '));
      if (k === 'page') state.page = Math.max(0, (parseInt(v, 10) || 1) - 1);
      else if (k === 'open') state.open = parseInt(v, 10);
      else if (F[k]) state[k] = v;
    });
    Object.keys(F).forEach(function (k) {
      var c = document.getElementById('f-' + k);
      if (!c) return;
      if (c.type === 'checkbox') c.checked = state[k] === '1'; else c.value = state[k] || '';
    });
  }
  function writeHash(resetPage) {
    var parts = [];
    Object.keys(F).forEach(function (k) {
      var c = document.getElementById('f-' + k);
      var v = !c ? '' : (c.type === 'checkbox' ? (c.checked ? '1' : '') : c.value);
      if (v) parts.push(k + '=' + encodeURIComponent(v));
    });
    if (!resetPage && state.page > 0) parts.push('page=' + (state.page + 1));
    if (!resetPage && state.open >= 0) parts.push('open=' + state.open);
    var h = parts.join('&');
    if (location.hash.replace(/^#/, '') === h) render(); else location.hash = h;
  }

  function matches(r) {
    if (state.endpoint && D[r[2]] !== state.endpoint) return false;
    if (state.suite && D[r[1]] !== state.suite) return false;
    if (state.status && D[r[5]] !== state.status) return false;
    if (state.verdict && verdictOf(r) !== state.verdict) return false;
    if (state.tag && !r[4].some(function (t) { return D[t] === state.tag; })) return false;
    if (state.drift && !r[9].some(function (d) { return D[d] === state.drift; })) return false;
    if (state.path && !r[14].some(function (h) { return D[h[1]] === state.path; })) return false;
    if (state.disagree === '1' && !isDisagreement(r)) return false;
    if (state.q && r[0].toLowerCase().indexOf(state.q.toLowerCase()) < 0) return false;
    return true;
  }

  // The extracted JSON, pretty-printed as DOM text, with offending pointers highlighted.
  function esc(seg) { return String(seg).replace(/~/g, '~0').replace(/\//g, '~1'); }
  function jsonTree(v, ptr, hl, indent, out) {
    var span = el('span');
    var why = hl.get(ptr);
    if (why) { span.className = 'hl'; span.title = why.join('\n'); span.setAttribute('data-pointer', ptr); }
    out.appendChild(span);
    var pad = '  '.repeat(indent + 1), endPad = '  '.repeat(indent);
    if (Array.isArray(v)) {
      if (!v.length) { span.appendChild(document.createTextNode('[]')); return; }
      span.appendChild(document.createTextNode('[\n'));
      v.forEach(function (x, i) {
        span.appendChild(document.createTextNode(pad));
        jsonTree(x, ptr + '/' + i, hl, indent + 1, span);
        span.appendChild(document.createTextNode(i + 1 < v.length ? ',\n' : '\n'));
      });
      span.appendChild(document.createTextNode(endPad + ']'));
    } else if (v !== null && typeof v === 'object') {
      var keys = Object.keys(v);
      if (!keys.length) { span.appendChild(document.createTextNode('{}')); return; }
      span.appendChild(document.createTextNode('{\n'));
      keys.forEach(function (k, i) {
        var p = ptr + '/' + esc(k);
        var kw = el('span', JSON.stringify(k));
        var kwhy = hl.get(p);
        if (kwhy) { kw.className = 'hl'; kw.title = kwhy.join('\n'); }
        span.appendChild(document.createTextNode(pad));
        span.appendChild(kw);
        span.appendChild(document.createTextNode(': '));
        jsonTree(v[k], p, hl, indent + 1, span);
        span.appendChild(document.createTextNode(i + 1 < keys.length ? ',\n' : '\n'));
      });
      span.appendChild(document.createTextNode(endPad + '}'));
    } else {
      span.appendChild(document.createTextNode(JSON.stringify(v)));
    }
  }

  function list(title, items, box) {
    if (!items.length) return;
    box.appendChild(el('h3', title));
    var ul = el('ul');
    items.forEach(function (parts) {
      var li = el('li');
      parts.forEach(function (p, i) { li.appendChild(i % 2 ? el('code', p) : document.createTextNode(p)); });
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function detail(r) {
    var box = el('div');
    var meta = 'status ' + D[r[5]] + (r[22] ? ' (HTTP ' + r[22] + ')' : '') + ' · attempts ' + r[21] +
      ' · extraction ' + r[19] + (r[20] ? ' · finish ' + r[20] : '') + (r[23] ? ' · model ' + r[23] : '') +
      ' · ' + Math.round(r[7]) + ' ms · $' + r[8];
    box.appendChild(el('p', meta, 'meta'));
    if (r[18]) { box.appendChild(el('h3', 'Error')); box.appendChild(el('pre', r[18])); }
    box.appendChild(el('h3', 'Raw output' + (r[11] ? ' (first ' + r[10].length + ' characters of ' + r[11] +
      ' bytes; the full text is in results.jsonl)' : '')));
    box.appendChild(el('pre', r[10]));
    var hl = new Map();
    function mark(p, why) { var a = hl.get(p) || []; a.push(why); hl.set(p, a); }
    r[13].forEach(function (e) { mark(e[0], e[1] + ': ' + e[2]); });
    r[14].forEach(function (h) { mark(h[0], 'hallucinated field'); });
    r[15].forEach(function (x) { if (x[1]) mark(x[1], 'rule ' + x[0] + ': ' + x[2]); });
    if (r[12] !== null) {
      box.appendChild(el('h3', 'Extracted JSON (offending parts highlighted)'));
      var pre = el('pre');
      jsonTree(r[12], '', hl, 0, pre);
      box.appendChild(pre);
    }
    if (r[9].length) list('Drift', r[9].map(function (d) { return ['', D[d]]; }), box);
    list('Schema errors', r[13].map(function (e) { return ['', e[0] || '(root)', ' [' + e[1] + '] ' + e[2]]; }), box);
    list('Hallucinated fields', r[14].map(function (h) { return ['', h[0]]; }), box);
    list('Rule failures', r[15].map(function (x) { return ['rule ' + x[0] + ' at ', x[1] || '(whole text)', ': ' + x[2]]; }), box);
    if (r[16]) {
      var t = r[16], items = [];
      t[1].forEach(function (s) { items.push(['missing section ', s]); });
      t[2].forEach(function (s) { items.push(['extra section ', s]); });
      t[3].forEach(function (s) { items.push(['out of order ', s]); });
      t[4].forEach(function (s) { items.push(['body mismatch in ', s]); });
      items.push(['drift score ', String(t[0])]);
      list('Template', items, box);
    }
    if (r[17].length) {
      box.appendChild(el('h3', 'Gold fields'));
      var tb = el('table');
      var hr = el('tr');
      ['field', 'kind', 'match', 'expected', 'actual'].forEach(function (h) { var th = el('th', h); th.scope = 'col'; hr.appendChild(th); });
      tb.appendChild(hr);
      r[17].forEach(function (g) {
        var tr = el('tr');
        tr.appendChild(el('td', g[0] || '(root)'));
        tr.appendChild(el('td', g[1]));
        tr.appendChild(el('td', g[2] ? '\u2713 match' : '\u2717 MISMATCH', g[2] ? 'pass' : 'fail'));
        tr.appendChild(el('td', JSON.stringify(g[3])));
        tr.appendChild(el('td', g[4] === null ? '(missing)' : JSON.stringify(g[4])));
        tb.appendChild(tr);
      });
      box.appendChild(tb);
    }
    return box;
  }

  var VERDICT = { pass: '\u2713 pass', fail: '\u2717 FAIL', error: '\u26A0 error' };
  function render() {
    readHash();
    var hits = [];
    for (var i = 0; i < order.length; i++) if (matches(R[order[i]])) hits.push(order[i]);
    var pages = Math.max(1, Math.ceil(hits.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var body = document.getElementById('records-body');
    while (body.firstChild) body.removeChild(body.firstChild);
    var start = state.page * PAGE, end = Math.min(hits.length, start + PAGE);
    for (var k = start; k < end; k++) {
      var idx = hits[k], r = R[idx], v = verdictOf(r);
      var tr = el('tr');
      tr.setAttribute('data-index', idx);
      var td0 = el('td');
      var b = el('button', state.open === idx ? '\u25BE' : '\u25B8', 'toggle');
      b.setAttribute('aria-expanded', state.open === idx ? 'true' : 'false');
      b.setAttribute('aria-label', 'details of ' + r[0] + '#' + r[3] + ' on ' + D[r[2]]);
      b.addEventListener('click', (function (n) { return function () { state.open = state.open === n ? -1 : n; writeHash(false); }; })(idx));
      td0.appendChild(b);
      tr.appendChild(td0);
      tr.appendChild(el('td', VERDICT[v] + (isDisagreement(r) ? ' \u21C4' : ''), v));
      tr.appendChild(el('td', D[r[2]]));
      tr.appendChild(el('td', D[r[1]]));
      tr.appendChild(el('td', r[0] + '#' + r[3]));
      tr.appendChild(el('td', D[r[5]]));
      tr.appendChild(el('td', r[9].map(function (d) { return D[d]; }).join(', ')));
      var why = r[13].length + r[14].length + r[15].length;
      tr.appendChild(el('td', why ? String(why) : '', 'num'));
      tr.appendChild(el('td', Math.round(r[7]), 'num'));
      body.appendChild(tr);
      if (state.open === idx) {
        var dr = el('tr'), dt = el('td', null, 'detail');
        dt.colSpan = 9;
        dt.appendChild(detail(r));
        dr.appendChild(dt);
        dr.id = 'detail-' + idx;
        body.appendChild(dr);
      }
    }
    document.getElementById('records-count').textContent = hits.length ?
      'Showing ' + (start + 1) + '\u2013' + end + ' of ' + hits.length + ' matching records (' + R.length + ' in the run)' :
      'No record matches these filters (' + R.length + ' in the run)';
    document.getElementById('page-info').textContent = 'page ' + (state.page + 1) + ' of ' + pages;
    document.getElementById('prev').disabled = state.page === 0;
    document.getElementById('next').disabled = state.page + 1 >= pages;
    root.setAttribute('data-shown', String(end - start));
    root.setAttribute('data-matching', String(hits.length));
    if (!/^error/.test(root.getAttribute('data-state') || '')) root.setAttribute('data-state', 'rendered');
  }

  Object.keys(F).forEach(function (k) {
    var c = document.getElementById('f-' + k);
    if (c) c.addEventListener(k === 'q' ? 'input' : 'change', function () { state.page = 0; state.open = -1; writeHash(true); });
  });
  document.getElementById('prev').addEventListener('click', function () { state.page -= 1; state.open = -1; writeHash(false); });
  document.getElementById('next').addEventListener('click', function () { state.page += 1; state.open = -1; writeHash(false); });
  document.getElementById('reset').addEventListener('click', function () { location.hash = ''; });
  window.addEventListener('hashchange', render);
  render();
})();
)JS";

}  // namespace comply
