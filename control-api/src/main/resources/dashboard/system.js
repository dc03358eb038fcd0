// Seismo dashboard, admin console part 2: the system page (#/system) — brokers, the topology's instances,
// threads, tasks, state, commit latency and consumer lag, and the ingest instances with their partitions,
// APIs, jobs, schedule lag and outage buffer. Every figure comes from GET /system, which asks the services.
const { call, el, $, bytes } = window.seismo;

const REFRESH_MS = 5000;
const view = $('#system-view');
let timer = null;

const fixed = (value, digits = 1) => (value === null || value === undefined ? '—' : Number(value).toFixed(digits));
const chip = (text, kind) => el('span', { class: `chip ${kind}` }, text);

function table(id, headings, rows) {
  return el('div', { class: 'table-wrap' }, el('table', { id, class: 'system' },
    el('thead', {}, el('tr', {}, ...headings.map(heading => el('th', {}, heading)))),
    el('tbody', {}, ...rows)));
}

function render(system) {
  const brokers = system.brokers;
  const topology = system.topology;
  const ingest = system.ingest;
  const lagRows = (topology.lag.partitions || []).map(row => el('tr', { 'data-topic': row.topic, 'data-partition': String(row.partition) },
    el('td', {}, row.topic), el('td', { class: 'num' }, String(row.partition)),
    el('td', { class: 'num' }, row.committed === null ? '—' : String(row.committed)),
    el('td', { class: 'num' }, String(row.end)),
    el('td', { class: `num lag ${row.lag > 0 ? 'behind' : ''}` }, String(row.lag))));
  const instanceRows = topology.instances.flatMap(instance => {
    const threads = Array.isArray(instance.threads) ? instance.threads : [];
    const head = el('tr', { class: 'instance', 'data-state': instance.state || '' },
      el('td', {}, `${instance.host}:${instance.port}`, instance.self ? el('span', { class: 'muted' }, ' (this one)') : null),
      el('td', {}, instance.state ? chip(instance.state, instance.state === 'RUNNING' ? 'ok' : 'warn') : chip(instance.error || '?', 'bad')),
      el('td', { class: 'num' }, String(threads.length)),
      el('td', {}, (instance.partitions || []).join(', ') || '—'), el('td', {}), el('td', {}));
    const threadRows = threads.map(thread => el('tr', { class: 'thread' },
      el('td', { class: 'muted' }, `↳ ${thread.name}`), el('td', {}, thread.state),
      el('td', { class: 'num' }, `${thread.activeTasks.length}+${thread.standbyTasks.length}`),
      el('td', {}, thread.activeTasks.map(task => task.taskId).join(', ') || '—'),
      el('td', { class: 'num commit-latency' }, fixed(thread.commitLatencyAvgMs)),
      el('td', { class: 'num' }, fixed(thread.commitLatencyMaxMs))));
    return [head, ...threadRows];
  });
  const memberRows = (ingest.members || []).map(member => el('tr', { class: 'member' },
    el('td', {}, member.clientId), el('td', {}, member.host), el('td', {}, member.partitions.join(', ') || '—'),
    el('td', { class: 'num' }, String(member.apis)), el('td', { class: 'num' }, String(member.due)),
    el('td', { class: 'apis-owned', title: member.apiIds.join(', ') }, truncate(member.apiIds.join(', '), 80))));
  const ingestRows = (ingest.instances || []).map(instance => {
    const buffer = instance.outageBuffer || {};
    const fill = buffer.limitBytes ? buffer.bytes / buffer.limitBytes : null;
    const jobs = Object.entries(instance.jobs || {}).map(([kind, states]) =>
      `${kind}: ${Object.entries(states).map(([name, count]) => `${count} ${name}`).join(', ')}`).join(' · ');
    return el('tr', { class: 'ingest', 'data-ready': String(!!instance.ready) },
      el('td', {}, instance.url),
      el('td', {}, instance.ready ? chip('ready', 'ok') : chip(instance.error || instance.readiness?.kafka || 'not ready', 'bad')),
      el('td', { class: 'num running' }, instance.running === undefined ? '—' : String(instance.running)),
      el('td', {}, jobs || '—'),
      el('td', { class: 'num' }, `${fixed(instance.scheduleLag?.meanMs)} / ${fixed(instance.scheduleLag?.maxMs)}`),
      el('td', { class: 'num buffer' }, buffer.limitBytes === undefined || buffer.limitBytes === null ? '—'
        : `${bytes(buffer.bytes)} of ${bytes(buffer.limitBytes)} (${fixed(fill * 100)}%) · ${buffer.records} records`),
      el('td', { class: 'num' }, instance.rawEvents ? `${instance.rawEvents.sent} / ${instance.rawEvents.failed} / ${instance.rawEvents.dropped}` : '—'));
  });
  view.replaceChildren(
    el('div', { class: 'section-head' }, el('h1', {}, 'System'),
      el('span', { class: 'muted', id: 'system-at' }, `as of ${new Date(system.at).toLocaleTimeString()}`)),
    el('h2', {}, 'Kafka ', brokers.reachable ? chip('reachable', 'ok') : chip('unreachable', 'bad')),
    el('p', { id: 'brokers', class: 'muted', 'data-reachable': String(brokers.reachable) }, brokers.reachable
      ? `cluster ${brokers.clusterId} · controller ${brokers.controller} · brokers ${brokers.nodes.map(node => `${node.id} ${node.host}:${node.port}`).join(', ')}`
      : brokers.error),
    el('h2', {}, `Topology ${topology.applicationId}`, el('span', { class: 'muted' }, `${topology.instances.length} instance(s)`)),
    table('topology-instances', ['Instance / thread', 'State', 'Threads / tasks', 'Input partitions / tasks', 'Commit avg ms', 'Commit max ms'], instanceRows),
    el('h2', {}, 'Consumer lag', el('span', { id: 'lag-total', class: 'muted' },
      topology.lag.error ? topology.lag.error : `${topology.lag.total} records behind in all`)),
    table('lag', ['Topic', 'Partition', 'Committed', 'End', 'Lag'], lagRows),
    el('h2', {}, `Ingest group ${ingest.groupId}`, ingest.state ? chip(ingest.state, ingest.state.toUpperCase() === 'STABLE' ? 'ok' : 'warn') : null,
      ingest.error ? el('span', { class: 'muted' }, ingest.error) : null),
    table('ingest-members', ['Member', 'Host', 'Partitions', 'APIs', 'Due (running)', 'APIs owned'], memberRows),
    el('h2', {}, 'Ingest instances'),
    ingestRows.length ? table('ingest-instances', ['Instance', 'Health', 'Jobs running', 'Jobs by state', 'Schedule lag mean / max ms',
      'Outage buffer', 'Raw sent / failed / dropped'], ingestRows)
      : el('p', { class: 'muted' }, 'No ingest instance configured: set SEISMO_API_INGEST_URLS to their base URLs (port SEISMO_INGEST_HTTP_PORT).'));
}

const truncate = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);

async function refresh() {
  try {
    render(await call('/system'));
  } catch (e) {
    if (!view.children.length) view.replaceChildren(el('p', { class: 'muted' }, `System view unavailable: ${e.message}`));
  }
}

window.seismo.pages.system = {
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
window.seismo.route();
