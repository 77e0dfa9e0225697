// The brewline dashboard: polls /v1/status every 2 s and draws the pipeline, the latest predictions, the
// model's CV metrics and confusion matrix, and live accuracy. No dependencies, works offline.
'use strict';

const $ = (id) => document.getElementById(id);
const fmtInt = (n) => (n === undefined || n === null ? '–' : Number(n).toLocaleString('en-US'));
function fmtBytes(n) {
  if (n === undefined || n === null) return '–';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  return (n / 1048576).toFixed(1) + ' MiB';
}
const pct = (x) => (x === null || x === undefined ? '–' : (100 * x).toFixed(1) + '%');
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function renderPipeline(s) {
  const run = s.run || {};
  const shards = (s.stream && s.stream.shards) || [];
  const records = shards.reduce((a, x) => a + (x.records || 0), 0);
  const bytes = shards.reduce((a, x) => a + (x.bytes || 0), 0);
  $('ingested').textContent = fmtInt(run.ingested !== undefined ? run.ingested : records);
  $('last-ingest').textContent = run.last_ingest || '–';
  $('stream-name').textContent = (s.stream && s.stream.name) || 'beers';
  $('stream-records').textContent = fmtInt(records);
  $('stream-bytes').textContent = fmtBytes(bytes);

  const lag = {};
  for (const c of s.consumers || []) {
    const l = lag[c.consumer] || (lag[c.consumer] = { records: 0, ms: 0 });
    l.records += c.records_behind; l.ms = Math.max(l.ms, c.ms_behind);
  }
  const consumers = $('consumers');
  consumers.replaceChildren();
  for (const d of s.deliveries || []) {
    const l = lag[d.name] || { records: 0, ms: 0 };
    consumers.append(el('div', { class: 'node', id: 'consumer-' + d.name },
      el('h3', {}, d.name === 'predictions' ? 'scorer (predictions)' : 'delivery ' + d.name),
      el('div', { class: 'kv' }, 'lag ', el('b', { class: 'lag' }, fmtInt(l.records)), ' records, ' + fmtInt(l.ms) + ' ms'),
      el('div', { class: 'kv' }, 'buffered ', el('b', {}, fmtBytes(d.buffered_bytes)), ' (' + fmtInt(d.buffered_records) + ')'),
      el('div', { class: 'kv' }, 'delivered ', el('b', { class: 'count' }, fmtInt(d.delivered_records)))));
  }
  const buckets = $('buckets');
  buckets.replaceChildren();
  for (const b of s.buckets || []) {
    buckets.append(el('div', { class: 'node', id: 'bucket-' + b.name },
      el('h3', {}, 'bucket ' + b.name),
      el('div', { class: 'kv' }, 'objects ', el('b', { class: 'count' }, fmtInt(b.objects))),
      el('div', { class: 'kv' }, 'bytes ', el('b', {}, fmtBytes(b.bytes)))));
  }
  $('table-rows').textContent = fmtInt(s.table && s.table.rows);
  $('prediction-rows').textContent = fmtInt(s.scorer && s.scorer.predictions);
  $('model-version').textContent = s.model && s.model.ready ? 'v' + s.model.version : 'none';
  const sc = s.scorer || {};
  $('scorer-state').textContent = sc.state + (sc.state === 'waiting' ? ' (no model)' : '');
}

function renderLatest(s) {
  const body = $('latest').querySelector('tbody');
  body.replaceChildren();
  for (const r of s.latest || []) {
    const known = r.actual_band !== null && r.actual_band !== undefined && r.predicted_band !== null;
    const mark = known ? (r.actual_band === r.predicted_band ? el('span', { class: 'hit' }, '✓') : el('span', { class: 'miss' }, '✗')) : '';
    body.append(el('tr', {}, el('td', {}, r.id), el('td', {}, r.name),
      el('td', {}, r.predicted_range || r.error || '–'), el('td', {}, r.actual_range || 'unknown'),
      el('td', {}, mark), el('td', {}, 'v' + r.model_version)));
  }
}

function renderModel(s) {
  const m = s.model || {};
  const box = $('model-metrics');
  const table = $('confusion');
  table.replaceChildren();
  if (!m.ready) { box.textContent = m.message || 'no model yet'; return; }
  const cv = m.cv || {};
  const mean = (k) => (cv[k] && cv[k].mean !== undefined ? cv[k].mean : null);
  box.textContent = `v${m.version} · trained ${m.created_at} on ${fmtInt(m.training_rows)} beers · CV accuracy ${pct(mean('accuracy'))}` +
    ` · macro-F1 ${pct(mean('macro_f1'))} · within one band ${pct(mean('within_one_band'))}`;
  const labels = m.bands || [];
  if (!cv.confusion) return;
  table.append(el('tr', {}, el('th', {}, 'true \\ predicted'), ...labels.map((l) => el('th', {}, l))));
  cv.confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    table.append(el('tr', {}, el('th', {}, labels[i] || i), ...row.map((v, j) => {
      const td = el('td', {}, v);
      const a = v / total;
      td.style.background = `rgba(${i === j ? '46,125,50' : '198,40,40'},${(0.08 + 0.6 * a).toFixed(2)})`;
      return td;
    })));
  });
}

function renderQuality(s) {
  const q = s.quality || { versions: [], series: [] };
  const box = $('quality');
  if (!q.versions.length) { box.textContent = 'no scored beer with a known IBU yet'; }
  else {
    box.replaceChildren(...q.versions.map((v) => el('div', {},
      `v${v.version}: accuracy ${pct(v.accuracy)} · macro-F1 ${pct(v.macro_f1)} over the last ${v.window} (of ${v.samples}) · CV macro-F1 ${pct(v.cv_macro_f1)} `,
      v.drift ? el('span', { class: 'drift' }, 'DRIFT: ' + v.drift_reason) : el('span', { class: 'hit' }, 'ok'))));
  }
  const c = $('quality-chart');
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  g.strokeStyle = '#ddd'; g.fillStyle = '#999'; g.font = '10px sans-serif';
  for (const y of [0, 0.5, 1]) {
    const py = c.height - 10 - y * (c.height - 20);
    g.beginPath(); g.moveTo(30, py); g.lineTo(c.width, py); g.stroke(); g.fillText(pct(y), 0, py + 3);
  }
  const pts = q.series || [];
  if (pts.length < 1) return;
  const colors = ['#b8860b', '#1565c0', '#6a1b9a', '#2e7d32', '#c62828'];
  const byVersion = {};
  pts.forEach((p, i) => (byVersion[p.version] = byVersion[p.version] || []).push([i, p.accuracy]));
  Object.keys(byVersion).forEach((v, k) => {
    g.strokeStyle = colors[k % colors.length]; g.lineWidth = 2; g.beginPath();
    byVersion[v].forEach(([i, a], n) => {
      const x = 30 + (pts.length === 1 ? 0 : i / (pts.length - 1)) * (c.width - 35);
      const y = c.height - 10 - a * (c.height - 20);
      n ? g.lineTo(x, y) : g.moveTo(x, y);
    });
    g.stroke();
  });
}

async function refresh() {
  try {
    const r = await fetch('v1/status', { cache: 'no-store' });
    const s = await r.json();
    renderPipeline(s); renderLatest(s); renderModel(s); renderQuality(s);
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.loaded = 'true';
  } catch (e) {
    $('updated').textContent = 'cannot reach the server: ' + e;
  }
}

$('predict-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const beer = {};
  for (const input of ev.target.querySelectorAll('input')) {
    if (input.value !== '') beer[input.name] = Number(input.value);
  }
  const out = $('predict-result');
  out.textContent = 'predicting…';
  try {
    const r = await fetch('v1/predict', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(beer) });
    const p = await r.json();
    if (!r.ok) { out.textContent = `error ${r.status}: ${p.error.field ? p.error.field + ': ' : ''}${p.error.message}`; return; }
    const probs = Object.entries(p.probabilities).map(([label, v]) =>
      el('div', {}, el('span', { class: 'bar', style: `width:${Math.round(v * 150)}px` }), ` ${label} ${pct(v)}`));
    out.replaceChildren(el('div', {}, 'IBU band ', el('span', { class: 'band', id: 'predicted-band' }, p.range), ` (model v${p.model_version})`), ...probs);
  } catch (e) {
    out.textContent = 'request failed: ' + e;
  }
});

refresh();
setInterval(refresh, 2000);
