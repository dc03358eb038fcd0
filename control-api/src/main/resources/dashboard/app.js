// Seismo dashboard: the list of APIs and one API in detail, refreshed from the control API's REST
// endpoints and, for the live document, its SSE stream. No build step: plain ES modules and uPlot.
import { applyPatch } from './jsonpatch.js';
import { follow } from './eventstream.js';

const LIST_REFRESH_MS = 2000;
const DETAIL_REFRESH_MS = 3000;
const SPARK_MAX_AGE_MS = 15000;
const SPARK_FETCHES_PER_CYCLE = 8; // keeps a list of hundreds of APIs well under the API's rate limit
const SPARK_MINUTES = 30;
const MAX_DOCUMENT_CHARS = 200_000;

const state = {
  token: localStorage.getItem('seismo.token') || '',
  lastAnswer: null,
  apis: [],
  sparks: new Map(), // apiId -> { at, counts }
  detail: null,
};

const $ = (selector, root = document) => root.querySelector(selector);

/** Builds an element; strings become text nodes, so nothing from the API is parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children.filter(child => child !== null && child !== undefined));
  return node;
}

// ---------------------------------------------------------------- talking to the control API

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(path, { method = 'GET', body, headers: extra = {}, full = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...extra };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, cache: 'no-store',
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch (e) {
    backend(false);
    throw new ApiError(0, 'the control API does not answer');
  }
  backend(true);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    if (response.ok) throw new ApiError(response.status, `not JSON: ${text.slice(0, 80)}`);
  }
  if (!response.ok) {
    const fields = (json?.errors || []).map(error => `${error.field}: ${error.message}`).join('; ');
    const message = [json?.title || `HTTP ${response.status}`, json?.detail, fields].filter(Boolean).join(' — ');
    const error = new ApiError(response.status, message);
    error.problem = json; // the problem+json body: its `errors` name the fields
    throw error;
  }
  return full ? { json, etag: response.headers.get('ETag') } : json;
}

function backend(up) {
  const chip = $('#connection');
  const banner = $('#offline');
  document.body.dataset.backend = up ? 'up' : 'down';
  if (up) {
    state.lastAnswer = new Date();
    chip.textContent = 'connected';
    chip.className = 'chip ok';
    banner.hidden = true;
  } else {
    chip.textContent = 'offline';
    chip.className = 'chip bad';
    banner.hidden = false;
    banner.textContent = 'The control API is unreachable; retrying every few seconds. '
      + (state.lastAnswer ? `Figures shown are from ${state.lastAnswer.toLocaleTimeString()}.` : 'Nothing loaded yet.');
  }
}

function toast(message, bad = false) {
  const box = $('#toast');
  box.textContent = message;
  box.className = bad ? 'toast bad' : 'toast';
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, bad ? 8000 : 3500);
}

// ---------------------------------------------------------------- formatting

const number = new Intl.NumberFormat();

function bytes(n) {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const percent = ratio => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`);

function ago(iso) {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

const clock = iso => (iso ? new Date(iso).toLocaleTimeString() : '—');

function stateOf(api) {
  if (api.status) return api.status.state;
  return api.desiredState === 'STOPPED' ? 'STOPPED' : 'PENDING';
}

// ---------------------------------------------------------------- the list

async function refreshList() {
  const items = [];
  let after = null;
  do {
    const query = new URLSearchParams({ include: 'status', limit: '500' });
    if (after) query.set('after', after);
    const page = await call(`/apis?${query}`);
    items.push(...page.items);
    after = page.next;
  } while (after && items.length < 5000);
  state.apis = items;
  renderList(items);
}

function renderList(items) {
  const body = $('#apis tbody');
  const existing = new Map([...body.rows].map(row => [row.dataset.apiId, row]));
  items.forEach((api, index) => {
    const row = existing.get(api.apiId) || newRow(api.apiId);
    existing.delete(api.apiId);
    if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] || null);
    fillRow(row, api);
  });
  existing.forEach(row => row.remove());
  $('#empty').hidden = items.length > 0;
  const counts = {};
  items.forEach(api => { counts[stateOf(api)] = (counts[stateOf(api)] || 0) + 1; });
  $('#summary').textContent = `${items.length} registered`
    + Object.entries(counts).map(([name, count]) => ` · ${count} ${name.toLowerCase()}`).join('');
  seismo.listRendered.forEach(hook => hook(items));
}

function newRow(apiId) {
  const link = el('a', { href: `#/apis/${encodeURIComponent(apiId)}` }, apiId);
  const toggle = el('button', { type: 'button', class: 'secondary toggle' });
  toggle.addEventListener('click', () => setRunning(apiId, toggle.dataset.action));
  return el('tr', { 'data-api-id': apiId },
    el('td', {}, link), el('td', {}, el('span', { class: 'state' })), el('td', { class: 'wide last' }),
    el('td', { class: 'wide num samples' }), el('td', { class: 'num share' }), el('td', { class: 'num size' }),
    el('td', { class: 'wide spark' }), el('td', {}, toggle));
}

function fillRow(row, api) {
  const status = api.status;
  const name = stateOf(api);
  const badge = $('.state', row);
  badge.textContent = name.toLowerCase();
  badge.className = `state ${name}`;
  row.dataset.state = name;
  $('.last', row).textContent = ago(status?.lastSampleAt);
  $('.last', row).title = status?.lastSampleAt || '';
  $('.samples', row).textContent = status ? number.format(status.samples) : '—';
  $('.share', row).textContent = percent(status?.changeRatio);
  $('.size', row).textContent = status?.payloads ? bytes(status.lastPayloadBytes) : '—';
  const toggle = $('.toggle', row);
  toggle.dataset.action = api.desiredState === 'STOPPED' ? 'start' : 'stop';
  toggle.textContent = api.desiredState === 'STOPPED' ? 'Start' : 'Stop';
  const spark = state.sparks.get(api.apiId);
  if (spark) {
    const cell = $('.spark', row);
    cell.replaceChildren(sparkline(spark.counts));
    cell.title = `${spark.counts.reduce((a, b) => a + b, 0)} changes in the last ${SPARK_MINUTES} minutes`;
  }
}

/** Changes per minute as small bars, oldest left. */
function sparkline(counts) {
  const width = 120;
  const height = 24;
  const max = Math.max(1, ...counts);
  const step = width / counts.length;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  counts.forEach((count, index) => {
    if (!count) return;
    const bar = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    const h = Math.max(2, (count / max) * height);
    bar.setAttribute('x', (index * step).toFixed(1));
    bar.setAttribute('y', (height - h).toFixed(1));
    bar.setAttribute('width', Math.max(1, step - 1).toFixed(1));
    bar.setAttribute('height', h.toFixed(1));
    svg.append(bar);
  });
  const base = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  base.setAttribute('points', `0,${height - 0.5} ${width},${height - 0.5}`);
  svg.append(base);
  return svg;
}

/** Refreshes the stalest sparklines, a few per cycle. */
async function refreshSparks() {
  const now = Date.now();
  const due = state.apis
    .filter(api => now - (state.sparks.get(api.apiId)?.at || 0) > SPARK_MAX_AGE_MS)
    .sort((a, b) => (state.sparks.get(a.apiId)?.at || 0) - (state.sparks.get(b.apiId)?.at || 0))
    .slice(0, SPARK_FETCHES_PER_CYCLE);
  for (const api of due) {
    const to = new Date(Math.ceil(now / 60000) * 60000);
    const from = new Date(to.getTime() - SPARK_MINUTES * 60000);
    try {
      const metrics = await call(`/apis/${encodeURIComponent(api.apiId)}/metrics?window=1m`
        + `&from=${from.toISOString()}&to=${to.toISOString()}`);
      const counts = new Array(SPARK_MINUTES).fill(0);
      metrics.items.forEach(item => {
        const slot = Math.floor((Date.parse(item.windowStart) - from.getTime()) / 60000);
        if (slot >= 0 && slot < SPARK_MINUTES) counts[slot] += item.changes;
      });
      state.sparks.set(api.apiId, { at: Date.now(), counts });
    } catch (e) {
      state.sparks.set(api.apiId, { at: Date.now(), counts: new Array(SPARK_MINUTES).fill(0) });
      if (e.status === 0) return;
    }
  }
  if (due.length) renderList(state.apis);
}

async function setRunning(apiId, action) {
  if (!state.token) {
    toast('Starting and stopping needs a write token: enter it at the top right.', true);
    $('#token').focus();
    return;
  }
  try {
    await call(`/apis/${encodeURIComponent(apiId)}/${action}`, { method: 'POST' });
    toast(`${apiId}: ${action === 'start' ? 'started' : 'stopped'}`);
    await refreshList();
    if (state.detail?.id === apiId) await refreshDetail(state.detail);
  } catch (e) {
    toast(`${apiId}: ${e.message}`, true);
  }
}

async function register(event) {
  event.preventDefault();
  const form = event.target;
  const result = $('#register-result');
  const fields = Object.fromEntries(new FormData(form));
  if (!state.token) {
    result.textContent = 'Registering needs a write token: enter it at the top right.';
    return;
  }
  const body = { apiId: fields.apiId, url: fields.url, mode: fields.mode, pollIntervalMs: Number(fields.interval) * 1000 };
  try {
    const created = await call('/apis', { method: 'POST', body });
    result.textContent = `Registered ${created.apiId} (version ${created.version}).`;
    form.reset();
    await refreshList();
  } catch (e) {
    result.textContent = `Not registered: ${e.message}`;
  }
}

// ---------------------------------------------------------------- one API in detail

function openDetail(id) {
  const detail = { id, charts: {}, document: undefined, events: 0, stream: null, window: $('#d-window').value };
  state.detail = detail;
  $('#d-title').textContent = id;
  $('#d-url').textContent = '';
  $('#d-state').textContent = '';
  $('#d-cards').replaceChildren();
  $('#efficiency-bars').replaceChildren();
  $('#changes').replaceChildren();
  $('#logs tbody').replaceChildren();
  $('#logs-older').hidden = true;
  $('#logs-newest').hidden = true;
  $('#fields tbody').replaceChildren();
  $('#suggestions').replaceChildren();
  $('#fields-meta').textContent = '';
  $('#fields-rules').textContent = '';
  $('#document').textContent = 'waiting for the stream…';
  $('#document').dataset.events = '0';
  $('#doc-meta').textContent = '';
  document.querySelectorAll('.charts figure').forEach(figure => {
    $('.chart', figure).replaceChildren();
    delete figure.dataset.points;
    delete figure.dataset.total;
  });
  openStream(detail);
  refreshDetail(detail).catch(() => {});
}

function closeDetail() {
  const detail = state.detail;
  if (!detail) return;
  detail.stream?.abort();
  Object.values(detail.charts).forEach(chart => chart.destroy());
  state.detail = null;
}

function openStream(detail) {
  detail.stream?.abort();
  const stream = new AbortController();
  detail.stream = stream;
  follow(`/apis/${encodeURIComponent(detail.id)}/stream`, {
    token: () => state.token,
    signal: stream.signal,
    onState: text => {
      const chip = $('#doc-status');
      chip.textContent = text;
      chip.className = text === 'live' ? 'chip ok' : 'chip warn';
    },
    onEvent: event => onStreamEvent(detail, event),
  });
}

function onStreamEvent(detail, event) {
  if (state.detail !== detail) return;
  if (event.type === 'error') {
    $('#doc-meta').textContent = `stream error: ${event.data}`;
    return;
  }
  try {
    if (event.type === 'data') detail.document = JSON.parse(event.data);
    else if (event.type === 'patch') detail.document = applyPatch(detail.document, JSON.parse(event.data));
    else return;
  } catch (e) {
    $('#doc-meta').textContent = `resynchronizing: ${e.message}`;
    openStream(detail); // a fresh connection starts with a snapshot
    return;
  }
  detail.events++;
  const pre = $('#document');
  const text = JSON.stringify(detail.document, null, 2);
  pre.textContent = text.length > MAX_DOCUMENT_CHARS
    ? `${text.slice(0, MAX_DOCUMENT_CHARS)}\n… (${bytes(text.length)}, shown in part)` : text;
  pre.dataset.events = String(detail.events);
  pre.classList.add('flash');
  setTimeout(() => pre.classList.remove('flash'), 600);
  $('#doc-meta').textContent = `${event.type === 'data' ? 'snapshot' : 'patched'} at ${new Date().toLocaleTimeString()}`
    + ` · ${detail.events} event${detail.events === 1 ? '' : 's'} · id ${(event.id || '').slice(0, 12)}`;
}

async function refreshDetail(detail) {
  const id = encodeURIComponent(detail.id);
  const window = detail.window;
  const [registration, status, metrics, changes, logs, fields, sent] = await Promise.allSettled([
    call(`/apis/${id}`), call(`/apis/${id}/status`), call(`/apis/${id}/metrics?window=${window}`),
    call(`/apis/${id}/changes?limit=20`), call(`/apis/${id}/logs?limit=25`), call(`/apis/${id}/fields?window=${window}`),
    call(`/apis/${id}/stream/clients`),
  ]);
  if (state.detail !== detail || detail.window !== window) return;
  if (registration.status === 'rejected' && registration.reason.status === 404) {
    $('#d-url').textContent = `No API with id '${detail.id}'.`;
    return;
  }
  if (registration.status === 'fulfilled') {
    const value = registration.value;
    const cadence = value.mode === 'SSE' ? 'streamed' : `every ${value.pollIntervalMs / 1000} s`;
    $('#d-url').textContent = `${value.mode} ${value.url} · ${cadence} · ${value.desiredState.toLowerCase()}`;
    $('#d-start').disabled = value.desiredState !== 'STOPPED';
    $('#d-stop').disabled = value.desiredState === 'STOPPED';
    detail.desiredState = value.desiredState;
    renderRules(value);
  }
  if (status.status === 'fulfilled') renderStatus(status.value);
  else if (status.reason.status === 404) $('#d-state').textContent = 'not sampled yet';
  if (metrics.status === 'fulfilled') renderCharts(detail, metrics.value);
  if (changes.status === 'fulfilled') renderChanges(changes.value.items);
  if (logs.status === 'fulfilled' && !detail.logPaged) renderLogs(logs.value);
  if (fields.status === 'fulfilled') renderFields(detail, fields.value);
  if (sent.status === 'fulfilled') renderProxySent(sent.value);
  seismo.detailRefreshed.forEach(hook => hook(detail));
}

// ---------------------------------------------------------------- per-field change frequency

function renderRules(registration) {
  const rules = [];
  if (registration.jsonPointer) rules.push(`narrowed to ${registration.jsonPointer}`);
  if (registration.select?.length) rules.push(`select ${registration.select.join(', ')}`);
  if (registration.ignore?.length) rules.push(`ignoring ${registration.ignore.join(', ')}`);
  if (registration.unorderedArrays?.length) rules.push(`sets ${registration.unorderedArrays.join(', ')}`);
  const keys = Object.entries(registration.arrayKeys || {});
  if (keys.length) rules.push(`records by key ${keys.map(([path, key]) => `${path} → ${key}`).join(', ')}`);
  $('#fields-rules').textContent = rules.length ? `What counts as a change: ${rules.join(' · ')}` : 'No change rules: every difference counts.';
}

function heat(share) {
  const alpha = Math.min(1, Math.max(0.06, share));
  return `rgba(248, 113, 113, ${alpha.toFixed(2)})`;
}

function renderFields(detail, fields) {
  const total = fields.total;
  const json = Math.max(0, total.samples - total.notJsonSamples);
  $('#fields-meta').textContent = `· ${number.format(total.samples)} samples, ${number.format(total.changes)} changed, `
    + `${fields.items.length} window${fields.items.length === 1 ? '' : 's'} of ${fields.window}`
    + (total.notJsonSamples ? ` · ${number.format(total.notJsonSamples)} not JSON (compared by hash)` : '');
  const windows = fields.items.slice(-48);
  const rows = total.paths.map(path => el('tr', {},
    el('td', { class: 'path' }, path.path === '' ? '(whole document)' : path.path),
    el('td', { class: 'num' }, number.format(path.changes)),
    el('td', { class: 'num' }, el('span', { class: 'fshare', style: `--share:${Math.round(path.share * 100)}%` }, percent(path.share))),
    el('td', {}, el('span', { class: 'strip' }, ...windows.map(window => {
      const found = window.paths.find(p => p.path === path.path);
      const share = found ? found.share : 0;
      return el('span', { class: 'cell', style: `background:${found ? heat(share) : 'transparent'}`,
        title: `${clock(window.start)}: ${found ? found.changes : 0} of ${window.samples - window.notJsonSamples} samples` });
    })))));
  if (total.otherChanges) {
    rows.push(el('tr', { class: 'muted' }, el('td', {}, `other (${number.format(total.otherPaths)} paths not kept)`),
      el('td', { class: 'num' }, number.format(total.otherChanges)), el('td', {}), el('td', {})));
  }
  if (!rows.length) {
    rows.push(el('tr', {}, el('td', { colspan: '4', class: 'muted' }, total.samples && !json
      ? 'not JSON: the payload is compared by hash and size only, it has no fields'
      : 'No field changed in this range.')));
  }
  $('#fields tbody').replaceChildren(...rows);
  $('#suggestions').replaceChildren(...fields.suggestions.map(suggestion => {
    const button = el('button', { type: 'button', class: 'ignore' }, 'Ignore it');
    button.addEventListener('click', () => addIgnore(detail, suggestion.pattern));
    return el('li', {}, el('strong', {}, 'volatile — ignore? '), el('code', {}, suggestion.pattern), ` ${suggestion.reason} `, button);
  }));
}

async function addIgnore(detail, pattern) {
  try {
    await call(`/apis/${encodeURIComponent(detail.id)}/ignore`, { method: 'POST', body: { patterns: [pattern] } });
    toast(`${pattern} is now ignored: it no longer counts as a change.`);
    refreshDetail(detail).catch(() => {});
  } catch (e) {
    toast(e.status === 401 || e.status === 403 ? 'Paste a write token at the top right to add ignore rules.' : e.message, true);
  }
}

function renderStatus(status) {
  const badge = $('#d-state');
  badge.textContent = status.state.toLowerCase();
  badge.className = `state ${status.state}`;
  const card = (label, value, bad = false) => el('div', { class: 'card' },
    el('div', { class: 'label' }, label), el('div', { class: bad ? 'value bad' : 'value' }, String(value)));
  $('#d-cards').replaceChildren(
    card('Samples', number.format(status.samples)),
    card('Changes', number.format(status.changes)),
    card('Changed share', percent(status.changeRatio)),
    card('Payload', bytes(status.lastPayloadBytes)),
    ...(status.lastPayloadJson === false ? [card('Payload type', 'not JSON — compared by hash and size', true)] : []),
    card('Document', bytes(status.lastDocumentBytes)),
    card('Last latency', `${status.lastLatencyMs} ms`),
    card('Not modified', number.format(status.notModified)),
    card('Errors', number.format(status.errors), status.errors > 0),
    card('Last sample', ago(status.lastSampleAt)),
    card('Last change', ago(status.lastChangeAt)),
  );
  if (status.lastError) {
    $('#d-cards').append(card('Last error', `${status.lastError.category}: ${status.lastError.message}`, true));
  }
  renderEfficiency(status.efficiency);
  renderMeasured(status.measured);
}

/** Seismo's own /stream, measured: what this instance sent to its clients (this page is one of them). */
function renderProxySent(sent) {
  const open = sent.open.length;
  $('#proxy-sent').textContent = `Seismo's own stream of this API (this instance, since ${clock(sent.since)}): `
    + `${bytes(sent.bytes)} actually sent in ${sent.events} event${sent.events === 1 ? '' : 's'} over `
    + `${sent.connections} connection${sent.connections === 1 ? '' : 's'}, ${open} open now`
    + (open ? ` (${sent.open.map(client => bytes(client.bytes)).join(', ')})` : '')
    + '; the streaming bar above is the model for one client over the API\'s whole life.';
}

/** Mode BOTH: the bytes each side actually received and the sentence on which saw the changes first. */
function renderMeasured(measured) {
  const shown = Boolean(measured && measured.pollBytes > 0 && measured.streamBytes > 0);
  $('#measured').hidden = !shown;
  if (!shown) return;
  renderBars($('#measured-bars'), [
    ['Polling, received', measured.pollBytes, 'polled', null],
    ['Streaming, received', measured.streamBytes, 'streamed', null],
  ]);
  $('#measured-summary').textContent = measured.summary
    || 'No new version of the document yet: the comparison starts with the first change.';
}

function renderEfficiency(efficiency) {
  renderBars($('#efficiency-bars'), [
    ['Polling', efficiency.bytesPolled, 'polled', null],
    ['Conditional (304)', efficiency.bytesConditional, 'conditional', efficiency.conditionalSavingRatio],
    ['Streaming (SSE + patches)', efficiency.bytesStreamed, 'streamed', efficiency.streamingSavingRatio],
  ]);
}

/** Byte bars scaled to the largest: rows of [label, bytes, kind, saving ratio or null]. */
function renderBars(container, rows) {
  const max = Math.max(1, ...rows.map(row => row[1]));
  container.replaceChildren(...rows.flatMap(([label, value, kind, saving]) => [
    el('span', {}, label),
    el('div', { class: `bar ${kind}`, style: `width:${((value / max) * 100).toFixed(2)}%`, 'data-bytes': String(value) }),
    el('span', {}, bytes(value), saving === null ? null
      : el('span', { class: 'saving' }, ` saves ${percent(saving)}`)),
  ]));
}

const PALETTE = ['#3559e0', '#7a5af8', '#c01048', '#12805c'];

function renderCharts(detail, metrics) {
  const xs = metrics.items.map(item => Date.parse(item.windowStart) / 1000);
  const field = name => metrics.items.map(item => item[name] ?? null);
  const range = [Date.parse(metrics.from) / 1000, Date.parse(metrics.to) / 1000];
  plot(detail, 'fig-size', range, [xs, field('sizeMean'), field('sizeMax')], ['mean', 'max'], false);
  plot(detail, 'fig-changes', range, [xs, field('changes')], ['changes'], true);
  plot(detail, 'fig-latency', range, [xs, field('latencyP50Ms'), field('latencyP95Ms'), field('latencyP99Ms')],
    ['p50', 'p95', 'p99'], false);
  plot(detail, 'fig-errors', range, [xs, field('errors')], ['errors'], true);
}

function plot(detail, figureId, range, data, labels, bars) {
  const figure = document.getElementById(figureId);
  figure.dataset.points = String(data[0].length);
  figure.dataset.total = String(data.slice(1).flat().reduce((sum, value) => sum + (value || 0), 0));
  const existing = detail.charts[figureId];
  if (existing) {
    existing.seismoRange.value = range;
    existing.setData(data);
    return;
  }
  const target = $('.chart', figure);
  const shownRange = { value: range }; // the whole requested period, so the chart grows as windows arrive
  const options = {
    width: Math.max(200, target.clientWidth),
    height: 200,
    scales: { x: { time: true, range: () => shownRange.value } },
    axes: [{}, { size: 60 }],
    legend: { live: true },
    series: [{}, ...labels.map((label, index) => ({
      label,
      stroke: PALETTE[index],
      fill: bars ? `${PALETTE[index]}66` : undefined,
      width: 1.5,
      spanGaps: false,
      paths: bars ? uPlot.paths.bars({ size: [0.7, 40] }) : undefined,
      points: { show: !bars },
    }))],
  };
  const chart = new uPlot(options, data, target);
  chart.seismoRange = shownRange;
  detail.charts[figureId] = chart;
}

function renderChanges(items) {
  $('#changes').replaceChildren(...items.map(change => {
    const operations = Array.isArray(change.patch) ? change.patch : [];
    const shown = operations.slice(0, 20).map(operation => el('li', {},
      el('span', { class: `op op-${operation.op}` }, operation.op), ' ', operation.path,
      operation.from !== undefined ? ` ← ${operation.from}` : null,
      operation.value !== undefined ? ` = ${truncate(JSON.stringify(operation.value), 160)}` : null));
    if (operations.length > shown.length) shown.push(el('li', { class: 'muted' }, `… ${operations.length - shown.length} more`));
    return el('li', {},
      el('div', {}, el('strong', {}, clock(change.at)),
        ` · ${change.opCount} op${change.opCount === 1 ? '' : 's'} · ${bytes(change.patchBytes)} patch`
        + ` for a ${bytes(change.documentBytes)} document · ${change.source.toLowerCase()}`),
      change.patch === null ? el('div', { class: 'muted' }, 'not JSON: compared by hash, no patch') : el('ul', { class: 'ops' }, ...shown));
  }));
  if (!items.length) $('#changes').append(el('li', { class: 'muted' }, 'No changes yet.'));
}

const truncate = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);

const LOG_KINDS = {
  POLL: 'poll', SSE_OPEN: 'stream opened', SSE_CLOSE: 'stream closed', SSE_ERROR: 'stream failed',
  SSE_HEARTBEAT_GAP: 'stream went quiet',
};

/** "dns 3 · connect 4 · tls 12 · wait 80 · download 2 ms", phases that did not happen left out. */
function phases(timings) {
  if (!timings) return '';
  const parts = [['dns', timings.dnsMs], ['connect', timings.connectMs], ['tls', timings.tlsMs],
    ['wait', timings.firstByteMs], ['download', timings.downloadMs]].filter(([, ms]) => ms >= 0);
  return parts.length ? `${parts.map(([name, ms]) => `${name} ${ms}`).join(' · ')} ms` : '';
}

function headerList(title, headers) {
  if (!headers || !headers.length) return null;
  return el('div', {}, el('strong', {}, title),
    el('pre', { class: 'headers' }, headers.map(h => `${h.name}: ${h.value}`).join('\n')));
}

function logRow(entry) {
  const stream = entry.kind !== 'POLL';
  const what = stream
    ? `${LOG_KINDS[entry.kind] || entry.kind}${entry.kind === 'SSE_OPEN' ? '' : ` after ${entry.connectionEvents} event${entry.connectionEvents === 1 ? '' : 's'}, ${bytes(entry.connectionBytes)} in ${Math.round(entry.connectionMs / 1000)} s`}`
    + (entry.eventId ? ` · ${entry.kind === 'SSE_OPEN' ? 'resumed after' : 'last'} id ${truncate(entry.eventId, 24)}` : '')
    : `poll${entry.redirects ? ` · ${entry.redirects} redirect${entry.redirects === 1 ? '' : 's'}` : ''}`;
  const sent = headerList('Sent', entry.requestHeaders);
  const received = headerList('Received', entry.responseHeaders);
  return el('tr', { 'data-kind': entry.kind },
    el('td', {}, clock(entry.at)),
    el('td', {}, what),
    el('td', {}, entry.httpStatus ? String(entry.httpStatus) : '—', entry.conditional ? ' (conditional)' : null),
    el('td', { class: 'num', title: phases(entry.timings) }, stream ? '' : `${entry.latencyMs} ms`,
      entry.timings ? el('div', { class: 'muted phases' }, phases(entry.timings)) : null),
    el('td', { class: 'num', title: `${entry.wireBodyBytes} bytes on the wire` }, stream ? '' : bytes(entry.bodyBytes)),
    el('td', {}, entry.changed ? 'changed' : ''),
    el('td', { class: 'hash', title: entry.contentHash || '' },
      entry.contentHash ? entry.contentHash.slice(0, 10) : '', entry.json === false && entry.contentHash ? ' (not JSON)' : ''),
    el('td', { class: 'error' }, entry.error ? `${entry.error.category}: ${entry.error.message}` : (stream && entry.detail) || ''),
    el('td', {}, sent || received ? el('details', {}, el('summary', {}, 'headers'), sent, received) : ''));
}

/** The newest page of the log; "Older entries" appends the next ones (and holds the refresh until "Newest"). */
function renderLogs(page, append = false) {
  const rows = page.items.map(logRow);
  if (append) $('#logs tbody').append(...rows);
  else $('#logs tbody').replaceChildren(...rows);
  if (!append && !page.items.length) $('#logs tbody').append(el('tr', {}, el('td', { colspan: '9', class: 'muted' }, 'No entries yet.')));
  const detail = state.detail;
  if (detail) detail.logNext = page.next;
  $('#logs-older').hidden = !page.next;
  $('#logs-newest').hidden = !(detail && detail.logPaged);
}

async function olderLogs() {
  const detail = state.detail;
  if (!detail || !detail.logNext) return;
  const page = await call(`/apis/${encodeURIComponent(detail.id)}/logs?limit=25&cursor=${encodeURIComponent(detail.logNext)}`);
  if (state.detail !== detail) return;
  detail.logPaged = true;
  renderLogs(page, true);
}

async function newestLogs() {
  const detail = state.detail;
  if (!detail) return;
  detail.logPaged = false;
  renderLogs(await call(`/apis/${encodeURIComponent(detail.id)}/logs?limit=25`));
}

// ---------------------------------------------------------------- wiring

function route() {
  const match = location.hash.match(/^#\/apis\/([^/]+)$/);
  const id = match ? decodeURIComponent(match[1]) : null;
  const pageName = (location.hash.match(/^#\/([a-z]+)$/) || [])[1];
  const page = seismo.pages[pageName] ? pageName : null;
  if (id !== (state.detail?.id ?? null)) {
    closeDetail();
    if (id) openDetail(id);
  }
  for (const [name, other] of Object.entries(seismo.pages)) {
    if (name !== page && other.shown) {
      other.shown = false;
      other.hide();
    }
  }
  if (page && !seismo.pages[page].shown) {
    seismo.pages[page].shown = true;
    seismo.pages[page].show();
  }
  document.querySelectorAll('.top nav a').forEach(link => link.classList.toggle('current',
    link.getAttribute('href') === (page ? `#/${page}` : '#')));
  $('#list-view').hidden = id !== null || page !== null;
  $('#detail-view').hidden = id === null;
}

/**
 * What the admin modules (admin.js, system.js, dlq.js, alerts.js) use: the API client, the shared state and page
 * helpers; pages register under seismo.pages[name] ({ show, hide }) and are routed as #/name.
 */
const seismo = {
  call, toast, state, el, $, bytes, ago, clock, stateOf, ApiError,
  refreshList, refreshDetail: () => (state.detail ? refreshDetail(state.detail) : Promise.resolve()),
  pages: {}, listRendered: [], detailRefreshed: [], route: () => route(),
};
window.seismo = seismo;

async function every(ms, task) {
  for (;;) {
    try {
      await task();
    } catch (e) {
      if (e.status !== 0) console.warn(e);
    }
    await new Promise(resolve => setTimeout(resolve, ms));
  }
}

$('#token').value = state.token;
$('#token-form').addEventListener('submit', event => {
  event.preventDefault();
  state.token = $('#token').value.trim();
  if (state.token) localStorage.setItem('seismo.token', state.token);
  else localStorage.removeItem('seismo.token');
  toast(state.token ? 'Token saved in this browser.' : 'Token removed.');
  if (state.detail) openStream(state.detail);
});
$('#register-form').addEventListener('submit', register);
$('#d-start').addEventListener('click', () => setRunning(state.detail.id, 'start'));
$('#d-stop').addEventListener('click', () => setRunning(state.detail.id, 'stop'));
$('#logs-older').addEventListener('click', () => olderLogs().catch(e => toast(`log: ${e.message}`, true)));
$('#logs-newest').addEventListener('click', () => newestLogs().catch(e => toast(`log: ${e.message}`, true)));
$('#d-window').addEventListener('change', event => {
  if (!state.detail) return;
  state.detail.window = event.target.value;
  Object.values(state.detail.charts).forEach(chart => chart.destroy());
  state.detail.charts = {};
  refreshDetail(state.detail).catch(() => {});
});
new ResizeObserver(() => {
  Object.entries(state.detail?.charts || {}).forEach(([figureId, chart]) => {
    chart.setSize({ width: Math.max(200, $('.chart', document.getElementById(figureId)).clientWidth), height: 200 });
  });
}).observe($('main'));
window.addEventListener('hashchange', route);
// the admin modules load after this one (module scripts run in document order) and register their pages
window.addEventListener('load', route);

every(LIST_REFRESH_MS, async () => {
  await refreshList();
  await refreshSparks();
});
every(DETAIL_REFRESH_MS, async () => {
  if (state.detail) await refreshDetail(state.detail);
});
