// Seismo dashboard, admin console part 1: edit and delete an API from its page (every registration field,
// secrets as ${env:…} references, redacted values kept unless replaced, problem+json errors next to their
// field, a 412 offering to reload), and bulk actions on the list (filter, select, start/stop/delete,
// import/export of the registrations file).
const { call, toast, state, el, $, stateOf } = window.seismo;

const REDACTED = '<redacted>';
/** Fields the form edits; anything else a registration carries is edited as JSON under "Other fields". */
const KNOWN = ['apiId', 'url', 'mode', 'pollIntervalMs', 'headers', 'jsonPointer', 'desiredState', 'notifyWebhooks',
  'alertOnChange'];
const READ_ONLY = ['version', 'createdAt', 'updatedAt', 'status'];

function needToken(where) {
  if (state.token) return false;
  toast(`${where} needs a write token: enter it at the top right.`, true);
  $('#token').focus();
  return true;
}

// ---------------------------------------------------------------- edit and delete

const edit = { id: null, etag: null, registration: null };

function field(name, label, input, hint) {
  return el('label', { class: `field f-${name}`, 'data-field': name }, el('span', {}, label), input,
    hint ? el('small', { class: 'muted' }, hint) : null, el('small', { class: 'field-error', 'data-error-for': name }));
}

function headerRow(name = '', value = '') {
  const remove = el('button', { type: 'button', class: 'secondary small', title: 'remove this header' }, '×');
  const row = el('div', { class: 'header-row' },
    el('input', { class: 'h-name', placeholder: 'Header-Name', value: name }),
    el('input', { class: 'h-value', placeholder: 'value or ${env:SEISMO_SECRET_…}', value }), remove);
  remove.addEventListener('click', () => row.remove());
  if (value === REDACTED) {
    const input = $('.h-value', row);
    input.value = '';
    input.placeholder = 'secret kept — type to replace';
    input.dataset.redacted = 'true';
    row.append(el('span', { class: 'chip warn', title: 'the stored value is not shown; left empty, it is kept' }, 'redacted'));
  }
  return row;
}

function webhookRow(url = '') {
  const remove = el('button', { type: 'button', class: 'secondary small', title: 'remove this webhook' }, '×');
  const input = el('input', { class: 'w-url', type: 'text', placeholder: 'https://hooks.example.com/…', value: url });
  const row = el('div', { class: 'webhook-row' }, input, remove);
  if (url.includes('#redacted-')) {
    input.readOnly = true;
    input.title = 'the stored URL is not shown (its path may hold a token); kept as it is';
    row.append(el('span', { class: 'chip warn' }, 'kept'));
  }
  remove.addEventListener('click', () => row.remove());
  return row;
}

function buildForm(registration) {
  const panel = $('#edit-panel');
  const other = Object.fromEntries(Object.entries(registration)
    .filter(([name]) => !KNOWN.includes(name) && !READ_ONLY.includes(name)));
  const mode = el('select', { name: 'mode' }, ...['POLL', 'SSE', 'BOTH'].map(value => el('option', { value }, value)));
  mode.value = registration.mode || 'POLL';
  const desired = el('select', { name: 'desiredState' },
    ...['RUNNING', 'STOPPED'].map(value => el('option', { value }, value.toLowerCase())));
  desired.value = registration.desiredState || 'RUNNING';
  const alert = el('input', { type: 'checkbox', name: 'alertOnChange' });
  alert.checked = !!registration.alertOnChange;
  const headers = el('div', { class: 'headers' },
    ...Object.entries(registration.headers || {}).map(([name, value]) => headerRow(name, value)));
  const addHeader = el('button', { type: 'button', class: 'secondary small' }, '+ header');
  addHeader.addEventListener('click', () => headers.append(headerRow()));
  const webhooks = el('div', { class: 'webhooks' }, ...(registration.notifyWebhooks || []).map(url => webhookRow(url)));
  const addWebhook = el('button', { type: 'button', class: 'secondary small' }, '+ webhook');
  addWebhook.addEventListener('click', () => webhooks.append(webhookRow()));
  const form = el('form', { id: 'edit-form', class: 'edit', novalidate: '' },
    el('div', { id: 'edit-conflict', class: 'conflict', hidden: '' }),
    el('p', { id: 'edit-message', class: 'form-message' }),
    field('url', 'URL', el('input', { name: 'url', type: 'text', value: registration.url || '' })),
    el('div', { class: 'row' },
      field('mode', 'Mode', mode),
      field('pollIntervalMs', 'Every (s)', el('input', { name: 'interval', type: 'number', min: '0.001', step: 'any',
        value: String((registration.pollIntervalMs || 10000) / 1000) }), 'poll interval'),
      field('desiredState', 'Desired state', desired),
      field('alertOnChange', 'Alert on change', alert)),
    field('headers', 'Request headers', el('div', {}, headers, addHeader),
      'secret values as ${env:NAME} references (NAME allowed by SEISMO_SECRET_ENV_ALLOW); a redacted value left empty is kept'),
    field('jsonPointer', 'JSON selection (RFC 6901 pointer)', el('input', { name: 'jsonPointer', type: 'text',
      value: registration.jsonPointer || '', placeholder: '/data/items' }), 'analyse only this part of the document; empty: all'),
    field('notifyWebhooks', 'Webhooks (alerts)', el('div', {}, webhooks, addWebhook)),
    field('other', 'Other fields (JSON)', el('textarea', { name: 'other', rows: '3', spellcheck: 'false' },
      Object.keys(other).length ? JSON.stringify(other, null, 2) : ''), 'any further registration fields, sent as they are'),
    el('div', { class: 'row' },
      el('button', { type: 'submit', id: 'edit-save' }, 'Save'),
      el('button', { type: 'button', id: 'edit-cancel', class: 'secondary' }, 'Cancel'),
      el('span', { class: 'muted' }, `version ${registration.version} · updated ${new Date(registration.updatedAt).toLocaleString()}`)));
  form.addEventListener('submit', save);
  $('#edit-cancel', form).addEventListener('click', closeEdit);
  panel.replaceChildren(el('h2', {}, `Edit ${registration.apiId}`), form);
  panel.hidden = false;
}

async function openEdit() {
  const id = state.detail?.id;
  if (!id) return;
  try {
    const { json, etag } = await call(`/apis/${encodeURIComponent(id)}`, { full: true });
    Object.assign(edit, { id, etag, registration: json });
    buildForm(json);
  } catch (e) {
    toast(`${id}: ${e.message}`, true);
  }
}

function closeEdit() {
  $('#edit-panel').hidden = true;
  $('#edit-panel').replaceChildren();
  edit.id = null;
}

/** The body of the PUT: the form's fields; a redacted header left empty is sent back as redacted (kept). */
function formBody(form) {
  const body = {};
  for (const row of form.querySelectorAll('.header-row')) {
    const name = $('.h-name', row).value.trim();
    let value = $('.h-value', row).value;
    if (!name) continue;
    if (value === '' && $('.h-value', row).dataset.redacted) value = REDACTED;
    body.headers = body.headers || {};
    body.headers[name] = value;
  }
  body.headers = body.headers || {};
  body.url = form.elements.url.value.trim();
  body.mode = form.elements.mode.value;
  const seconds = Number(form.elements.interval.value);
  body.pollIntervalMs = Number.isFinite(seconds) ? Math.round(seconds * 1000) : form.elements.interval.value;
  body.desiredState = form.elements.desiredState.value;
  body.alertOnChange = form.elements.alertOnChange.checked;
  const pointer = form.elements.jsonPointer.value.trim();
  if (pointer) body.jsonPointer = pointer;
  body.notifyWebhooks = [...form.querySelectorAll('.w-url')].map(input => input.value.trim()).filter(Boolean);
  const other = form.elements.other.value.trim();
  if (other) {
    let parsed;
    try {
      parsed = JSON.parse(other);
    } catch (e) {
      throw Object.assign(new Error('not JSON'), { field: 'other', problem: { errors: [{ field: 'other', message: `not JSON: ${e.message}` }] } });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw Object.assign(new Error('not an object'), { problem: { errors: [{ field: 'other', message: 'must be a JSON object' }] } });
    }
    Object.assign(body, parsed);
  }
  return body;
}

/** Shows each problem+json error next to the field it names ("headers.X-Key" → headers, "notifyWebhooks[1]" → notifyWebhooks). */
function showErrors(form, problem) {
  form.querySelectorAll('.field-error').forEach(small => { small.textContent = ''; });
  form.querySelectorAll('.field.invalid').forEach(label => label.classList.remove('invalid'));
  const unplaced = [];
  for (const error of problem?.errors || []) {
    const base = String(error.field || '').split(/[.[]/)[0];
    const small = form.querySelector(`.field-error[data-error-for="${CSS.escape(base)}"]`)
      || (KNOWN.includes(base) ? null : form.querySelector('.field-error[data-error-for="other"]'));
    if (small) {
      small.textContent = [small.textContent, `${error.field}: ${error.message}`].filter(Boolean).join('\n');
      small.closest('.field').classList.add('invalid');
    } else {
      unplaced.push(`${error.field}: ${error.message}`);
    }
  }
  return unplaced;
}

async function save(event) {
  event.preventDefault();
  const form = event.target;
  const message = $('#edit-message', form);
  message.textContent = '';
  message.className = 'form-message';
  if (needToken('Editing')) return;
  let body;
  try {
    body = formBody(form);
  } catch (e) {
    showErrors(form, e.problem);
    return;
  }
  showErrors(form, null);
  try {
    const { json, etag } = await call(`/apis/${encodeURIComponent(edit.id)}`,
      { method: 'PUT', body, headers: { 'If-Match': edit.etag }, full: true });
    Object.assign(edit, { etag, registration: json });
    toast(`${json.apiId}: saved (version ${json.version})`);
    closeEdit();
    await window.seismo.refreshDetail();
    await window.seismo.refreshList();
  } catch (e) {
    if (e.status === 412) {
      const conflict = $('#edit-conflict', form);
      const reload = el('button', { type: 'button', id: 'edit-reload' }, 'Reload');
      reload.addEventListener('click', openEdit);
      conflict.replaceChildren(el('strong', {}, 'Someone else changed this API since you opened it.'),
        ' Your changes were not saved. Reload to edit the current version (your edits are discarded).', ' ', reload);
      conflict.hidden = false;
      return;
    }
    const unplaced = showErrors(form, e.problem);
    message.textContent = `Not saved: ${e.problem?.title || e.message}${e.problem?.detail ? ` — ${e.problem.detail}` : ''}`
      + (unplaced.length ? ` (${unplaced.join('; ')})` : '');
    message.className = 'form-message bad';
  }
}

async function deleteApi(button) {
  const id = state.detail?.id;
  if (!id || needToken('Deleting')) return;
  if (button.dataset.confirm !== 'yes') {
    button.dataset.confirm = 'yes';
    button.textContent = `Really delete ${id}?`;
    setTimeout(() => { button.dataset.confirm = ''; button.textContent = 'Delete'; }, 6000);
    return;
  }
  button.dataset.confirm = '';
  button.textContent = 'Delete';
  try {
    const { etag } = await call(`/apis/${encodeURIComponent(id)}`, { full: true });
    await call(`/apis/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { 'If-Match': etag } });
    toast(`${id}: deleted`);
    location.hash = '#';
    await window.seismo.refreshList();
  } catch (e) {
    toast(`${id}: not deleted: ${e.message}`, true);
  }
}

$('#d-edit').addEventListener('click', openEdit);
$('#d-delete').addEventListener('click', event => deleteApi(event.currentTarget));
window.addEventListener('hashchange', () => { if (edit.id && edit.id !== state.detail?.id) closeEdit(); });

// ---------------------------------------------------------------- bulk actions on the list

const selected = new Set();

function buildBulk() {
  const states = el('select', { id: 'filter-state', title: 'state' }, el('option', { value: '' }, 'all states'),
    ...['RUNNING', 'PENDING', 'STALLED', 'FAILING', 'STOPPED'].map(value => el('option', { value }, value.toLowerCase())));
  const text = el('input', { id: 'filter-text', type: 'search', placeholder: 'filter: id or URL' });
  const tag = el('input', { id: 'filter-tag', type: 'search', placeholder: 'tag', class: 'short' });
  const file = el('input', { id: 'import-file', type: 'file', accept: 'application/json,.json', hidden: '' });
  const button = (id, label, handler, kind = 'secondary') => {
    const b = el('button', { id, type: 'button', class: kind }, label);
    b.addEventListener('click', handler);
    return b;
  };
  $('#bulk').replaceChildren(
    el('div', { class: 'filters' }, states, text, tag, el('span', { id: 'shown-count', class: 'muted' })),
    el('div', { class: 'bulk-actions' },
      el('span', { id: 'selected-count', class: 'muted' }, '0 selected'),
      button('bulk-start', 'Start', () => bulk('start')),
      button('bulk-stop', 'Stop', () => bulk('stop')),
      button('bulk-delete', 'Delete', event => bulk('delete', event.currentTarget), 'secondary danger'),
      button('export', 'Export', exportFile),
      button('import', 'Import…', () => file.click()), file),
    el('p', { id: 'bulk-result', class: 'muted' }));
  [states, text, tag].forEach(input => input.addEventListener('input', () => applyFilter(state.apis)));
  file.addEventListener('change', () => { if (file.files[0]) importFile(file.files[0]).finally(() => { file.value = ''; }); });
  const head = $('#apis thead tr');
  const all = el('input', { type: 'checkbox', id: 'select-all', title: 'select all shown' });
  all.addEventListener('change', () => {
    visibleRows().forEach(row => setSelected(row, all.checked));
    updateSelected();
  });
  head.prepend(el('th', { class: 'select' }, all));
}

function visibleRows() {
  return [...document.querySelectorAll('#apis tbody tr')].filter(row => !row.hidden);
}

function setSelected(row, on) {
  const box = $('.pick', row);
  if (box) box.checked = on;
  if (on) selected.add(row.dataset.apiId);
  else selected.delete(row.dataset.apiId);
}

function updateSelected() {
  $('#selected-count').textContent = `${selected.size} selected`;
  ['bulk-start', 'bulk-stop', 'bulk-delete'].forEach(id => { $(`#${id}`).disabled = selected.size === 0; });
}

function matches(api, filter) {
  if (filter.state && stateOf(api) !== filter.state) return false;
  if (filter.text && !`${api.apiId} ${api.url}`.toLowerCase().includes(filter.text)) return false;
  if (filter.tag && !(api.tags || []).some(tag => String(tag).toLowerCase().includes(filter.tag))) return false;
  return true;
}

/** Runs after every render of the list: a checkbox per row, rows outside the filter hidden. */
function applyFilter(items) {
  const filter = {
    state: $('#filter-state').value,
    text: $('#filter-text').value.trim().toLowerCase(),
    tag: $('#filter-tag').value.trim().toLowerCase(),
  };
  const byId = new Map(items.map(api => [api.apiId, api]));
  let shown = 0;
  for (const row of document.querySelectorAll('#apis tbody tr')) {
    if (!$('.pick', row)) {
      const box = el('input', { type: 'checkbox', class: 'pick', title: `select ${row.dataset.apiId}` });
      box.addEventListener('change', () => { setSelected(row, box.checked); updateSelected(); });
      row.prepend(el('td', { class: 'select' }, box));
    }
    const api = byId.get(row.dataset.apiId);
    row.hidden = !api || !matches(api, filter);
    if (!row.hidden) shown++;
    $('.pick', row).checked = selected.has(row.dataset.apiId);
  }
  for (const id of [...selected]) if (!byId.has(id)) selected.delete(id);
  $('#shown-count').textContent = shown === items.length ? '' : `${shown} of ${items.length} shown`;
  updateSelected();
}

async function bulk(action, button) {
  if (needToken('Bulk actions')) return;
  const ids = [...selected].filter(id => visibleRows().some(row => row.dataset.apiId === id));
  if (!ids.length) return;
  if (action === 'delete' && button.dataset.confirm !== 'yes') {
    button.dataset.confirm = 'yes';
    button.textContent = `Really delete ${ids.length}?`;
    setTimeout(() => { button.dataset.confirm = ''; button.textContent = 'Delete'; }, 6000);
    return;
  }
  if (button) { button.dataset.confirm = ''; button.textContent = 'Delete'; }
  const failed = [];
  let done = 0;
  for (const id of ids) {
    const path = `/apis/${encodeURIComponent(id)}`;
    try {
      if (action === 'delete') {
        const { etag } = await call(path, { full: true });
        await call(path, { method: 'DELETE', headers: { 'If-Match': etag } });
        selected.delete(id);
      } else {
        await call(`${path}/${action}`, { method: 'POST' });
      }
      done++;
    } catch (e) {
      failed.push(`${id}: ${e.message}`);
    }
  }
  const verb = { start: 'started', stop: 'stopped', delete: 'deleted' }[action];
  $('#bulk-result').textContent = `${done} ${verb}${failed.length ? `, ${failed.length} failed: ${failed.join('; ')}` : ''}`;
  toast(`${done} ${verb}`, failed.length > 0);
  await window.seismo.refreshList();
}

// ---------------------------------------------------------------- import and export

/**
 * The registrations file: {"apis": [registration, …]} with each registration as GET /apis/{id} shows it
 * (secret header values redacted, webhook URLs shown by fingerprint) minus the read-only version and times.
 * Import takes that or a bare JSON array; existing apiIds are replaced (PUT with their current ETag), new
 * ones registered (POST).
 */
async function exportFile() {
  const apis = [];
  let after = null;
  do {
    const query = new URLSearchParams({ limit: '500' });
    if (after) query.set('after', after);
    const page = await call(`/apis?${query}`);
    apis.push(...page.items.map(strip));
    after = page.next;
  } while (after);
  const text = `${JSON.stringify({ apis }, null, 2)}\n`;
  const link = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })),
    download: `seismo-registrations-${new Date().toISOString().slice(0, 10)}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  $('#bulk-result').textContent = `Exported ${apis.length} registrations.`;
}

function strip(registration) {
  const copy = { ...registration };
  READ_ONLY.forEach(name => delete copy[name]);
  return copy;
}

async function importFile(file) {
  if (needToken('Importing')) return;
  const result = $('#bulk-result');
  let items;
  try {
    const parsed = JSON.parse(await file.text());
    items = Array.isArray(parsed) ? parsed : parsed?.apis;
    if (!Array.isArray(items)) throw new Error('expected a JSON array or {"apis": [...]}');
  } catch (e) {
    result.textContent = `Not imported: ${file.name} is not a registrations file (${e.message}).`;
    return;
  }
  const outcome = { created: 0, replaced: 0, failed: [] };
  for (const item of items) {
    const registration = strip(item || {});
    const id = registration.apiId;
    const path = `/apis/${encodeURIComponent(id)}`;
    try {
      let existing = null;
      try {
        existing = await call(path, { full: true });
      } catch (e) {
        if (e.status !== 404) throw e;
      }
      if (existing) {
        await call(path, { method: 'PUT', body: registration, headers: { 'If-Match': existing.etag } });
        outcome.replaced++;
      } else {
        await call('/apis', { method: 'POST', body: registration });
        outcome.created++;
      }
    } catch (e) {
      outcome.failed.push(`${id ?? '(no apiId)'}: ${e.message}`);
    }
  }
  result.textContent = `Imported ${file.name}: ${outcome.created} created, ${outcome.replaced} replaced`
    + (outcome.failed.length ? `, ${outcome.failed.length} failed — ${outcome.failed.join('; ')}` : '.');
  await window.seismo.refreshList();
}

buildBulk();
updateSelected();
window.seismo.listRendered.push(applyFilter);
