// Seismo dashboard, admin console part 4: alerts and incidents. The #/alerts page lists the alerts of all
// APIs, newest first (GET /alerts, or GET /apis/{id}/alerts for one API), each with what became of it per
// receiver; the open incidents among them, and the APIs failing or stalled now. An API's page shows where
// each of its alert rules stands (GET /apis/{id}/incidents) and its latest alerts.
const { call, el, $, ago, state } = window.seismo;

const REFRESH_MS = 5000;
const KINDS = ['FAILING', 'STALLED', 'RECOVERED', 'THRESHOLD', 'CHANGED', 'TEST', 'UNKNOWN'];
const view = $('#alerts-view');
const page = { kind: '', apiId: '', limit: '50', items: [], next: null, older: false, error: null, shown: '', asked: 0 };
let timer = null;

const when = iso => (iso ? new Date(iso).toLocaleString() : '—');
const apiLink = apiId => el('a', { href: `#/apis/${encodeURIComponent(apiId)}`, class: 'api-link' }, apiId);

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One receiver's outcome: the webhook by its position, host and fingerprint (never its URL), and how it went. */
function delivery(d) {
  const receiver = d.host ? `webhook ${d.index + 1} · ${d.host}` : `receiver ${d.index + 1} · ${d.fingerprint || '?'}`;
  return el('li', { class: 'delivery', 'data-outcome': d.outcome || '', title: d.fingerprint ? `fingerprint ${d.fingerprint}` : '' },
    el('span', { class: 'receiver' }, receiver), ' · ',
    el('span', { class: `outcome ${d.outcome || ''}` }, d.outcome || 'pending'),
    ` · ${plural(d.attempts, 'attempt')}`,
    d.httpStatus ? el('span', { class: 'http' }, ` · HTTP ${d.httpStatus}`) : null,
    d.error && d.error !== `HTTP ${d.httpStatus}` ? el('span', { class: 'error' }, ` · ${d.error}`) : null,
    d.at ? el('span', { class: 'muted' }, ` · ${new Date(d.at).toLocaleTimeString()}`) : null);
}

function deliveries(alert) {
  if (!alert.deliveries?.length) {
    return el('span', { class: 'muted', title: 'No webhook delivery recorded for this alert: the API has no webhooks, '
      + 'the notifier has not delivered it yet, or it is older than the API\'s 20 most recent deliveries' }, 'none recorded');
  }
  return el('ul', { class: 'deliveries' }, ...alert.deliveries.map(delivery));
}

/** A row of an alerts table; withApi: the all-APIs page (the API's own page leaves that column out). */
function alertRow(alert, withApi) {
  const rule = alert.ruleId || alert.incidentId
    ? el('div', {}, alert.ruleId ? el('div', {}, 'rule ', el('code', {}, alert.ruleId)) : null,
      alert.incidentId ? el('div', { class: 'muted incident', title: alert.incidentId }, `incident ${incidentOpened(alert.incidentId)}`) : null)
    : el('span', { class: 'muted' }, '—');
  return el('tr', { class: 'alert', 'data-id': alert.id, 'data-api-id': alert.apiId, 'data-kind': alert.kind },
    el('td', { class: 'at', title: alert.at }, when(alert.at), el('div', { class: 'muted' }, ago(alert.at))),
    withApi ? el('td', {}, apiLink(alert.apiId)) : null,
    el('td', {}, el('span', { class: `kind ${alert.kind}` }, alert.kind)),
    el('td', { class: 'detail' }, alert.detail),
    el('td', { class: 'rule' }, rule),
    el('td', { class: 'delivered' }, deliveries(alert)));
}

/** An incident id is apiId/ruleId/opened-at (epoch ms): shown as the time it opened. */
function incidentOpened(incidentId) {
  const ms = Number(String(incidentId).split('/').pop());
  return Number.isFinite(ms) && ms > 0 ? `opened ${new Date(ms).toLocaleString()}` : incidentId;
}

function alertsTable(id, items, withApi) {
  const headings = ['At', ...(withApi ? ['API'] : []), 'Kind', 'Detail', 'Rule / incident', 'Delivery per receiver'];
  return el('div', { class: 'table-wrap' }, el('table', { id, class: 'alerts' },
    el('thead', {}, el('tr', {}, ...headings.map(heading => el('th', {}, heading)))),
    el('tbody', {}, ...items.map(alert => alertRow(alert, withApi)))));
}

/**
 * The incidents still open among the alerts shown: the newest alert of an incident is its THRESHOLD (a
 * RECOVERED closing it would be newer, so it would be among them). Only when no kind filter hides RECOVERED.
 */
function openIncidents(items) {
  const newest = new Map();
  for (const alert of items) {
    if (alert.incidentId && !newest.has(alert.incidentId)) newest.set(alert.incidentId, alert);
  }
  return [...newest.values()].filter(alert => alert.kind === 'THRESHOLD');
}

/** The heading and filters, built once (a re-render would take the focus from a filter being typed in). */
function skeleton() {
  const kinds = el('select', { id: 'alerts-kind', title: 'kind' }, el('option', { value: '' }, 'all kinds'),
    ...KINDS.map(kind => el('option', { value: kind }, kind.toLowerCase())));
  kinds.addEventListener('change', () => { page.kind = kinds.value; reload(); });
  const api = el('input', { id: 'alerts-api', type: 'search', placeholder: 'one API: its id', list: 'alerts-api-ids' });
  api.addEventListener('change', () => { page.apiId = api.value.trim(); reload(); });
  const limit = el('select', { id: 'alerts-limit', title: 'alerts per page' },
    ...['20', '50', '100', '200'].map(value => el('option', { value }, `${value} a page`)));
  limit.addEventListener('change', () => { page.limit = limit.value; reload(); });
  view.replaceChildren(
    el('div', { class: 'section-head' }, el('h1', {}, 'Alerts and incidents'), el('span', { id: 'alerts-summary', class: 'muted' })),
    el('div', { class: 'alerts-filters' }, kinds, api, el('datalist', { id: 'alerts-api-ids' }), limit),
    el('div', { id: 'alerts-body' }));
}

function render() {
  if (!$('#alerts-kind', view)) skeleton();
  $('#alerts-kind', view).value = page.kind;
  if (document.activeElement !== $('#alerts-api', view)) $('#alerts-api', view).value = page.apiId;
  $('#alerts-limit', view).value = page.limit;
  $('#alerts-api-ids', view).replaceChildren(...state.apis.map(item => el('option', { value: item.apiId })));
  $('#alerts-summary', view).textContent = page.error ? page.error
    : `${plural(page.items.length, 'alert')} shown, newest first${page.apiId ? ` · API ${page.apiId}` : ''}`
      + `${page.kind ? ` · ${page.kind.toLowerCase()} only` : ''}`;
  const older = el('button', { type: 'button', id: 'alerts-older', class: 'secondary' }, 'Older alerts');
  older.hidden = !page.next;
  older.addEventListener('click', loadOlder);
  const failing = state.apis.filter(item => ['FAILING', 'STALLED'].includes(item.status?.state));
  const incidents = page.kind ? null : openIncidents(page.items);
  $('#alerts-body', view).replaceChildren(
    el('h2', {}, 'Failing or stalled now'),
    failing.length
      ? el('ul', { id: 'failing-now', class: 'plain' }, ...failing.map(item => el('li', { 'data-api-id': item.apiId },
        apiLink(item.apiId), ' ', el('span', { class: `state ${item.status.state}` }, item.status.state.toLowerCase()),
        item.status.lastError ? el('span', { class: 'muted' }, ` ${item.status.lastError.category}: ${item.status.lastError.message}`) : null)))
      : el('p', { id: 'failing-now', class: 'muted' }, 'No API is failing or stalled.'),
    el('h2', {}, 'Open incidents'),
    incidents === null
      ? el('p', { class: 'muted' }, 'Shown without a kind filter (a RECOVERED alert closes an incident).')
      : incidents.length
        ? el('ul', { id: 'open-incidents', class: 'plain' }, ...incidents.map(alert => el('li', { 'data-incident-id': alert.incidentId },
          apiLink(alert.apiId), ' rule ', el('code', {}, alert.ruleId || '?'), ` ${incidentOpened(alert.incidentId)}: `, alert.detail)))
        : el('p', { id: 'open-incidents', class: 'muted' }, 'No incident open among the alerts shown.'),
    el('h2', {}, 'Alerts'),
    page.items.length ? alertsTable('alerts', page.items, true)
      : el('p', { id: 'alerts-empty', class: 'muted' }, page.error ? '' : 'No alerts.'),
    older);
}

function query(before) {
  const params = new URLSearchParams({ limit: page.limit });
  if (page.kind && !page.apiId) params.set('kind', page.kind);
  if (before) params.set('before', before);
  return page.apiId ? `/apis/${encodeURIComponent(page.apiId)}/alerts?${params}` : `/alerts?${params}`;
}

/** GET /apis/{id}/alerts has no kind filter: the page applies it to what it read. */
const kept = items => (page.kind && page.apiId ? items.filter(alert => alert.kind === page.kind) : items);

async function refresh() {
  if (view.hidden) return;
  const asked = ++page.asked; // an answer to an older question (before a filter changed) is dropped
  try {
    const first = await call(query(null));
    if (asked !== page.asked) return;
    const fresh = kept(first.items);
    if (page.older) { // older pages loaded: keep them below the fresh first page
      const seen = new Set(fresh.map(alert => alert.id));
      page.items = [...fresh, ...page.items.filter(alert => !seen.has(alert.id))];
    } else {
      page.items = fresh;
      page.next = first.next;
    }
    page.error = null;
  } catch (e) {
    if (asked !== page.asked) return;
    page.error = `Alerts unavailable: ${e.message}`;
  }
  const shown = JSON.stringify([page.items, page.next, page.error, state.apis.map(item => [item.apiId, item.status?.state])]);
  if (shown !== page.shown || !view.children.length) { // re-rendered only when something changed
    page.shown = shown;
    render();
  }
}

async function loadOlder() {
  if (!page.next) return;
  const asked = ++page.asked;
  try {
    const more = await call(query(page.next));
    if (asked !== page.asked) return;
    const seen = new Set(page.items.map(alert => alert.id));
    page.items.push(...kept(more.items).filter(alert => !seen.has(alert.id)));
    page.next = more.next;
    page.older = true;
  } catch (e) {
    page.error = `Older alerts unavailable: ${e.message}`;
  }
  page.shown = '';
  render();
}

function reload() {
  page.items = [];
  page.next = null;
  page.older = false;
  page.shown = '';
  refresh();
}

window.seismo.pages.alerts = {
  show() {
    view.hidden = false;
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  },
  hide() {
    view.hidden = true;
    clearInterval(timer);
  },
};

// ---------------------------------------------------------------- on an API's page

function incidentRow(incident) {
  const stateKind = incident.open ? 'bad' : incident.state === 'PENDING' ? 'warn' : 'ok';
  return el('tr', { class: incident.open ? 'incident open' : 'incident', 'data-rule-id': incident.ruleId, 'data-state': incident.state },
    el('td', {}, el('code', {}, incident.ruleId)),
    el('td', {}, incident.kind),
    el('td', {}, el('span', { class: `chip ${stateKind}` }, incident.state.toLowerCase())),
    el('td', {}, incident.holds === null || incident.holds === undefined ? '—' : incident.holds ? 'holds' : 'clear'),
    el('td', { title: incident.since || '' }, incident.since ? ago(incident.since) : '—'),
    el('td', { title: incident.openedAt || '' }, incident.openedAt ? when(incident.openedAt) : '—'),
    el('td', { class: 'num' }, incident.value === null || incident.value === undefined ? '—' : String(Math.round(incident.value * 100) / 100)),
    el('td', { class: 'detail' }, incident.detail || ''),
    el('td', { title: incident.evaluatedAt || '' }, incident.evaluatedAt ? ago(incident.evaluatedAt) : '—'));
}

async function refreshApiAlerts(detail) {
  const id = encodeURIComponent(detail.id);
  const [incidents, alerts] = await Promise.allSettled([call(`/apis/${id}/incidents`), call(`/apis/${id}/alerts?limit=10`)]);
  if (state.detail !== detail) return;
  const box = $('#d-incidents');
  if (incidents.status === 'fulfilled') {
    const items = incidents.value.items;
    const open = items.filter(incident => incident.open).length;
    $('#d-incidents-meta').textContent = `· ${items.length ? `${plural(open, 'open incident')} of ${plural(items.length, 'rule')}` : 'no rule evaluated yet'}`
      + ` · polling ${incidents.value.schedule}`;
    box.replaceChildren(items.length
      ? el('div', { class: 'table-wrap' }, el('table', { id: 'incidents', class: 'incidents' },
        el('thead', {}, el('tr', {}, ...['Rule', 'Kind', 'State', 'Condition', 'Since', 'Opened', 'Value', 'Detail', 'Evaluated']
          .map(heading => el('th', {}, heading)))),
        el('tbody', {}, ...items.map(incidentRow))))
      : el('p', { class: 'muted' }, 'No alert rule evaluated yet: add rules with Edit (they are evaluated on every sample).'));
  } else if (!box.children.length || incidents.reason.status !== 0) {
    box.replaceChildren(el('p', { class: 'muted' }, `Incidents unavailable: ${incidents.reason.message}`));
  }
  const list = $('#d-alerts');
  if (alerts.status === 'fulfilled') {
    const items = alerts.value.items;
    list.replaceChildren(items.length ? alertsTable('api-alerts', items, false)
      : el('p', { class: 'muted' }, 'No alerts for this API.'),
    el('p', {}, el('a', { href: '#/alerts', id: 'd-all-alerts', 'data-api-id': detail.id }, 'All alerts →')));
  }
}

$('#d-alerts').addEventListener('click', event => {
  const link = event.target.closest('#d-all-alerts');
  if (link) { // the alerts page, filtered to this API
    page.apiId = link.dataset.apiId;
    page.kind = '';
    page.items = [];
    page.next = null;
    page.older = false;
    page.shown = '';
  }
});

/** POST /apis/{id}/notify: a TEST alert through the same path as real ones; its deliveries show up in the list. */
async function notifyTest() {
  const id = state.detail?.id;
  if (!id) return;
  if (!state.token) {
    window.seismo.toast('Sending a test alert needs a write token: enter it at the top right.', true);
    $('#token').focus();
    return;
  }
  try {
    const answer = await call(`/apis/${encodeURIComponent(id)}/notify`, { method: 'POST' });
    window.seismo.toast(`${id}: a TEST alert is on its way to ${plural(answer.targets, 'webhook')}; its deliveries appear below.`);
    await refreshApiAlerts(state.detail);
  } catch (e) {
    window.seismo.toast(`${id}: no test alert: ${e.message}`, true);
  }
}

$('#d-notify-test').addEventListener('click', notifyTest);
window.addEventListener('hashchange', () => { // another API (or none): nothing of the previous one stays shown
  if (state.detail?.id === $('#d-all-alerts')?.dataset.apiId) return;
  $('#d-incidents').replaceChildren();
  $('#d-alerts').replaceChildren();
  $('#d-incidents-meta').textContent = '';
});
window.seismo.detailRefreshed.push(detail => refreshApiAlerts(detail).catch(() => {}));
window.seismo.route();
