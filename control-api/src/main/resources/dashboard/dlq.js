// Seismo dashboard, admin console part 3: the dead letters (#/dlq) — each record the topology could not
// decode or process, with its origin, its error and its bytes decoded where they can be; re-process one or
// all (sent back to the partition they came from) or discard them. Every action is recorded (GET /dlq shows it).
const { call, toast, state, el, $ } = window.seismo;

const REFRESH_MS = 5000;
const view = $('#dlq-view');
let timer = null;
let filter = 'open';
let discardArmedUntil = 0;

function needToken() {
  if (state.token) return false;
  toast('Dead-letter actions need a write token: enter it at the top right.', true);
  $('#token').focus();
  return true;
}

function decodedText(decoded) {
  if (!decoded || decoded.value === null || decoded.value === undefined) return '(no value)';
  const text = typeof decoded.value === 'string' ? decoded.value : JSON.stringify(decoded.value, null, 2);
  return decoded.truncated ? `${text}\n… (shown in part)` : text;
}

function actionText(action) {
  if (!action) return null;
  const target = action.target ? ` → ${action.target.topic} ${action.target.partition}@${action.target.offset}` : '';
  return `${action.action.toLowerCase()} ${new Date(action.at).toLocaleString()} by ${action.by}${target}`;
}

function row(letter) {
  const buttons = el('span', { class: 'row-actions' });
  if (!letter.action) {
    const again = el('button', { type: 'button', class: 'secondary reprocess' }, 'Re-process');
    again.addEventListener('click', () => act(`/dlq/${letter.id}/reprocess`, `${letter.id}: re-processed`));
    const discard = el('button', { type: 'button', class: 'secondary discard' }, 'Discard');
    discard.addEventListener('click', () => act(`/dlq/${letter.id}/discard`, `${letter.id}: discarded`));
    buttons.append(again, discard);
  }
  const origin = letter.origin || {};
  const format = letter.decoded?.format === 'avro' ? `avro ${letter.decoded.schema}` : letter.decoded?.format;
  return el('tr', { 'data-id': letter.id, 'data-key': letter.key ?? '', 'data-action': letter.action?.action ?? '' },
    el('td', {}, new Date(letter.timestamp).toLocaleString(), el('div', { class: 'muted' }, `dlq ${letter.id}`)),
    el('td', { class: 'origin' }, origin.topic ?? '—', el('div', { class: 'muted' }, `partition ${origin.partition ?? '?'} · offset ${origin.offset ?? '?'}`)),
    el('td', {}, letter.key ?? '—'),
    el('td', { class: 'error' }, el('strong', {}, (letter.error?.exception || '').split('.').pop()),
      ` ${letter.error?.message ?? ''}`),
    el('td', { class: 'decoded' }, el('details', {}, el('summary', {}, `${format} · ${letter.valueBytes} bytes`),
      el('pre', { class: 'document' }, decodedText(letter.decoded)))),
    el('td', { class: 'state-cell' }, letter.action ? el('span', { class: 'chip ok' }, actionText(letter.action)) : el('span', { class: 'chip warn' }, 'open'),
      buttons));
}

async function act(path, done, body) {
  if (needToken()) return;
  try {
    const answer = await call(path, { method: 'POST', body });
    toast(answer.count !== undefined ? `${answer.count} ${answer.action.toLowerCase()}` : done);
    $('#dlq-result').textContent = answer.count !== undefined
      ? `${answer.count} letter(s) ${answer.action.toLowerCase()}.` : `${done}.`;
  } catch (e) {
    toast(e.message, true);
    $('#dlq-result').textContent = e.message;
  }
  await refresh(true);
}

function render(page) {
  const states = el('select', { id: 'dlq-state' }, ...['open', 'handled', 'all'].map(value => el('option', { value }, value)));
  states.value = filter;
  states.addEventListener('change', () => { filter = states.value; refresh(true); });
  const all = el('button', { type: 'button', id: 'dlq-reprocess-all' }, `Re-process all open (${page.open})`);
  all.disabled = !page.open;
  all.addEventListener('click', () => act('/dlq/reprocess', 'all re-processed'));
  const discard = el('button', { type: 'button', id: 'dlq-discard-all', class: 'secondary danger' },
    `Discard all open (${page.open})`);
  discard.disabled = !page.open;
  if (Date.now() < discardArmedUntil) discard.textContent = `Really discard ${page.open}?`;
  discard.addEventListener('click', event => {
    if (Date.now() >= discardArmedUntil) { // asks once more (the page re-renders meanwhile: remembered here)
      discardArmedUntil = Date.now() + 10000;
      event.currentTarget.textContent = `Really discard ${page.open}?`;
      return;
    }
    discardArmedUntil = 0;
    act('/dlq/discard', 'all discarded');
  });
  const result = $('#dlq-result')?.textContent || '';
  view.replaceChildren(
    el('div', { class: 'section-head' }, el('h1', {}, 'Dead letters'),
      el('span', { id: 'dlq-summary', class: 'muted' }, `${page.total} on seismo.dlq · ${page.open} open of the ${page.scanned} newest read`),
      el('span', { class: 'actions' }, states, all, discard)),
    el('p', { id: 'dlq-result', class: 'muted' }, result),
    page.items.length
      ? el('div', { class: 'table-wrap' }, el('table', { id: 'dlq', class: 'dlq' },
        el('thead', {}, el('tr', {}, ...['At', 'Origin', 'Key', 'Error', 'Value', 'State'].map(name => el('th', {}, name)))),
        el('tbody', {}, ...page.items.map(row))))
      : el('p', { id: 'dlq-empty', class: 'muted' }, filter === 'open' ? 'No open dead letters.' : 'No dead letters.'));
}

async function refresh(force = false) {
  if (view.hidden) return;
  // an open <details> (a value being read) would close on a re-render: the timer leaves the page alone then
  if (!force && view.querySelector('details[open]')) return;
  try {
    render(await call(`/dlq?state=${filter}&limit=200`));
  } catch (e) {
    if (!view.children.length) view.replaceChildren(el('p', { class: 'muted' }, `Dead letters unavailable: ${e.message}`));
  }
}

window.seismo.pages.dlq = {
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
