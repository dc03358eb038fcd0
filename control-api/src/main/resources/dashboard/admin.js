// Seismo dashboard, admin console part 1: edit and delete an API from its page (every registration field,
// secrets as ${env:…} references, redacted values kept unless replaced, problem+json errors next to their
// field, a 412 offering to reload), and bulk actions on the list (filter, select, start/stop/delete,
// import/export of the registrations file).
const { call, toast, state, el, $, stateOf } = window.seismo;

const REDACTED = '<redacted>';
/** Fields the form edits; anything else a registration carries is edited as JSON under "Other fields". */
const KNOWN = ['apiId', 'url', 'mode', 'pollIntervalMs', 'headers', 'jsonPointer', 'desiredState', 'notifyWebhooks',
  'alertOnChange', 'notifyChannels', 'ignore', 'select', 'unorderedArrays', 'arrayKeys', 'rules', 'silences', 'schedule'];
const READ_ONLY = ['version', 'createdAt', 'updatedAt', 'status'];
const RULE_KINDS = ['LATENCY_P95', 'ERROR_RATE', 'PAYLOAD_SIZE', 'NO_CHANGE', 'CHANGE_RATE', 'POINTER'];
const WINDOW_FIELDS = ['window', 'above', 'minSamples'];
/** The inputs each rule kind reads (forMs and reminderMs: all); the others are hidden unless they hold a value. */
const RULE_FIELDS = {
  LATENCY_P95: WINDOW_FIELDS, ERROR_RATE: WINDOW_FIELDS, CHANGE_RATE: WINDOW_FIELDS,
  PAYLOAD_SIZE: ['above', 'below', 'jumpPercent'], NO_CHANGE: ['periodMs'],
  POINTER: ['pointer', 'op', 'value', 'length', 'alertWhenMatches'],
};
const RULE_INPUTS = [
  ['window', 'Window', 'select', ['', '1m', '1h', '1d']],
  ['above', 'Above', 'number', 'ms, % or bytes'],
  ['below', 'Below (bytes)', 'number', ''],
  ['jumpPercent', 'Jump %', 'number', ''],
  ['periodMs', 'Unchanged for (ms)', 'integer', '3600000'],
  ['pointer', 'Pointer', 'text', '/status'],
  ['op', 'Op', 'select', ['', '==', '!=', '>', '>=', '<', '<=', 'exists', 'missing', 'matches']],
  ['value', 'Value (JSON)', 'text', '"ok"'],
  ['length', 'Compare length', 'checkbox'],
  ['alertWhenMatches', 'Alert when it matches', 'checkbox'],
  ['minSamples', 'Min samples', 'integer', '1'],
  ['forMs', 'For (ms)', 'integer', '0'],
  ['reminderMs', 'Remind every (ms)', 'integer', '0'],
];
const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function needToken(where) {
  if (state.token) return false;
  toast(`${where} needs a write token: enter it at the top right.`, true);
  $('#token').focus();
  return true;
}

// ---------------------------------------------------------------- edit and delete

/** baseline: the body the form produced when it was built, to tell fields the user did not touch. */
const edit = { id: null, etag: null, registration: null, baseline: null };

const errorSlot = name => el('small', { class: 'field-error', 'data-error-for': name });

function field(name, label, input, hint) {
  return el('label', { class: `field f-${name}`, 'data-field': name }, el('span', {}, label), input,
    hint ? el('small', { class: 'muted' }, hint) : null, errorSlot(name));
}

/** Like field, for a group of inputs and buttons (a label would pass its clicks to the first of them). */
function group(name, label, content, hint) {
  return el('div', { class: `field f-${name}`, 'data-field': name }, el('span', {}, label), content,
    hint ? el('small', { class: 'muted' }, hint) : null, errorSlot(name));
}

function removeButton(title, row, after) {
  const remove = el('button', { type: 'button', class: 'secondary small remove', title }, '×');
  remove.addEventListener('click', () => {
    row.remove();
    if (after) after();
  });
  return remove;
}

function headerRow(name = '', value = '') {
  const row = el('div', { class: 'header-row' },
    el('input', { class: 'h-name', placeholder: 'Header-Name', value: name }),
    el('input', { class: 'h-value', placeholder: 'value or ${env:SEISMO_SECRET_…}', value }));
  row.append(removeButton('remove this header', row));
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
  const input = el('input', { class: 'w-url', type: 'text', placeholder: 'https://hooks.example.com/…', value: url });
  const row = el('div', { class: 'webhook-row' }, input);
  row.append(removeButton('remove this webhook', row));
  if (url.includes('#redacted-')) {
    input.readOnly = true;
    input.title = 'the stored URL is not shown (its path may hold a token); kept as it is';
    row.append(el('span', { class: 'chip warn' }, 'kept'));
  }
  return row;
}

/** A textarea of one value per line (JSON Pointer patterns). */
function lines(name, values, placeholder) {
  const list = values || [];
  return el('textarea', { name, rows: String(Math.min(8, Math.max(2, list.length + 1))), spellcheck: 'false', placeholder },
    list.join('\n'));
}

const readLines = textarea => textarea.value.split('\n').map(line => line.replace(/\r$/, '')).filter(line => line.trim() !== '');

function arrayKeyRow(pattern = '', key = '') {
  const row = el('div', { class: 'arraykey-row' },
    el('input', { class: 'ak-pattern', placeholder: '/items', value: pattern }), el('span', { class: 'muted' }, '→'),
    el('input', { class: 'ak-key', placeholder: 'id', value: key }));
  row.append(removeButton('remove this keyed array', row));
  return row;
}

/** A time range (a silence or a paused window) as ISO-8601 instants, as GET shows them; name: silences or schedule.paused. */
function rangeRow(name, range = {}, renumber) {
  const row = el('div', { class: 'range-row', 'data-list': name },
    el('label', { class: 'range-part', 'data-part': 'from' }, el('span', {}, 'from'),
      el('input', { class: 'tr-from', placeholder: '2026-12-24T18:00:00Z', value: range.from || '' }), el('small', { class: 'field-error' })),
    el('label', { class: 'range-part', 'data-part': 'until' }, el('span', {}, 'until'),
      el('input', { class: 'tr-until', placeholder: '2026-12-25T06:00:00Z', value: range.until || '' }), el('small', { class: 'field-error' })),
    el('label', { class: 'range-part grow', 'data-part': 'reason' }, el('span', {}, 'reason'),
      el('input', { class: 'tr-reason', placeholder: 'maintenance', value: range.reason || '' }), el('small', { class: 'field-error' })),
    el('small', { class: 'field-error row-error' }));
  $('.row-error', row).before(removeButton('remove this window', row, renumber));
  return row;
}

/** Gives the rows of a list their index, so an error such as silences[1].until finds its input. */
function renumber(container) {
  [...container.children].forEach((row, index) => {
    const list = row.dataset.list;
    row.dataset.index = String(index);
    $('.row-error', row).dataset.errorFor = `${list}[${index}]`;
    row.querySelectorAll('[data-part]').forEach(part => {
      $('.field-error', part).dataset.errorFor = `${list}[${index}].${part.dataset.part}`;
    });
  });
}

function ruleInput(name, type, extra, value) {
  if (type === 'select') {
    const select = el('select', { class: `r-${name}` }, ...extra.map(option => el('option', { value: option }, option || '—')));
    select.value = value ?? '';
    return select;
  }
  if (type === 'checkbox') {
    const box = el('input', { type: 'checkbox', class: `r-${name}` });
    box.checked = !!value;
    return box;
  }
  return el('input', { type: 'text', class: `r-${name}`, inputmode: type === 'text' ? 'text' : 'decimal', placeholder: extra || '',
    value: value === null || value === undefined ? '' : String(value) });
}

function ruleRow(rule = {}, renumberRules) {
  const kind = el('select', { class: 'r-kind' }, el('option', { value: '' }, 'kind…'),
    ...RULE_KINDS.map(value => el('option', { value }, value)));
  kind.value = rule.kind && RULE_KINDS.includes(rule.kind) ? rule.kind : '';
  const part = (name, label, input) => el('label', { class: `rule-part rp-${name}`, 'data-part': name },
    el('span', {}, label), input, el('small', { class: 'field-error' }));
  const row = el('div', { class: 'rule-row', 'data-list': 'rules' },
    part('id', 'Rule id', el('input', { type: 'text', class: 'r-id', placeholder: 'latency-high', value: rule.id || '' })),
    part('kind', 'Kind', kind),
    ...RULE_INPUTS.map(([name, label, type, extra]) => part(name, label, ruleInput(name, type, extra, rule[name]))),
    el('small', { class: 'field-error row-error' }));
  $('.row-error', row).before(removeButton('remove this rule', row, renumberRules));
  const shown = () => {
    const wanted = RULE_FIELDS[kind.value] || [];
    RULE_INPUTS.forEach(([name, , type]) => {
      if (['forMs', 'reminderMs'].includes(name)) return;
      const input = $(`.r-${name}`, row);
      const holds = type === 'checkbox' ? input.checked : input.value !== '';
      $(`.rp-${name}`, row).hidden = !wanted.includes(name) && !holds;
    });
  };
  kind.addEventListener('change', shown);
  shown();
  return row;
}

/** A typed number from a text input: a number if it reads as one, else the text (the API names the error). */
function numeric(text, integer) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) return trimmed;
  return value;
}

function readRule(row) {
  const text = name => $(`.r-${name}`, row).value;
  const kind = text('kind');
  const rule = { id: text('id').trim(), kind: kind || null };
  for (const [name, , type] of RULE_INPUTS) {
    if (type === 'checkbox') rule[name] = $(`.r-${name}`, row).checked;
    else if (type === 'number' || type === 'integer') rule[name] = numeric(text(name), type === 'integer');
    else if (name === 'pointer' && kind === 'POINTER') rule[name] = text(name); // '' is the whole document
    else rule[name] = text(name) === '' ? null : text(name);
  }
  return rule;
}

function readRange(row) {
  return { from: $('.tr-from', row).value.trim() || null, until: $('.tr-until', row).value.trim() || null,
    reason: $('.tr-reason', row).value.trim() || null };
}

function rangeList(name, ranges) {
  const container = el('div', { class: 'ranges', 'data-list': name });
  const again = () => renumber(container);
  (ranges || []).forEach(range => container.append(rangeRow(name, range, again)));
  const add = el('button', { type: 'button', class: 'secondary small', 'data-add': name }, name === 'silences' ? '+ silence' : '+ paused window');
  add.addEventListener('click', () => {
    container.append(rangeRow(name, {}, again));
    again();
  });
  again();
  return el('div', {}, container, add);
}

function scheduleGroup(schedule) {
  const s = schedule || {};
  const days = el('span', { class: 'days' }, ...DAYS.map(day => {
    const box = el('input', { type: 'checkbox', class: 'day', value: day });
    box.checked = (s.activeDays || []).includes(day);
    return el('label', { class: 'day' }, box, ` ${day.toLowerCase()}`);
  }));
  return el('div', { class: 'schedule' },
    el('div', { class: 'row' },
      field('schedule.cron', 'Cron (5 fields)', el('input', { name: 'scheduleCron', type: 'text', value: s.cron || '',
        placeholder: '*/5 9-17 * * MON-FRI' }), 'poll at these times instead of every interval'),
      field('schedule.timeZone', 'Time zone', el('input', { name: 'scheduleTimeZone', type: 'text',
        value: s.timeZone || '', placeholder: 'UTC' }), 'IANA, e.g. Europe/Paris')),
    el('div', { class: 'row' },
      group('schedule.activeDays', 'Active days', days, 'none ticked: every day'),
      field('schedule.activeFrom', 'Active from', el('input', { name: 'scheduleFrom', type: 'text', value: s.activeFrom || '',
        placeholder: '08:00', class: 'short' }), 'HH:mm'),
      field('schedule.activeUntil', 'Active until', el('input', { name: 'scheduleUntil', type: 'text', value: s.activeUntil || '',
        placeholder: '18:00', class: 'short' }), 'HH:mm, exclusive')),
    group('schedule.paused', 'Paused windows', rangeList('schedule.paused', s.paused), 'no polls (and no STALLED) within them'),
    errorSlot('schedule'));
}

function readSchedule(form) {
  const cron = form.elements.scheduleCron.value.trim();
  const timeZone = form.elements.scheduleTimeZone.value.trim();
  const activeDays = [...form.querySelectorAll('.schedule input.day:checked')].map(box => box.value);
  const activeFrom = form.elements.scheduleFrom.value.trim();
  const activeUntil = form.elements.scheduleUntil.value.trim();
  const paused = [...form.querySelectorAll('.ranges[data-list="schedule.paused"] > .range-row')].map(readRange);
  if (!cron && (!timeZone || timeZone === 'UTC') && !activeDays.length && !activeFrom && !activeUntil && !paused.length) {
    return null; // nothing set: polled every interval, all the time
  }
  return { cron: cron || null, timeZone: timeZone || null, activeDays, activeFrom: activeFrom || null,
    activeUntil: activeUntil || null, paused };
}

function section(title, ...children) {
  return el('fieldset', { class: 'edit-section' }, el('legend', {}, title), ...children);
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
  const keys = el('div', { class: 'arraykeys' },
    ...Object.entries(registration.arrayKeys || {}).map(([pattern, key]) => arrayKeyRow(pattern, key)));
  const addKey = el('button', { type: 'button', class: 'secondary small' }, '+ keyed array');
  addKey.addEventListener('click', () => keys.append(arrayKeyRow()));
  const rules = el('div', { class: 'rules' });
  const renumberRules = () => renumber(rules);
  (registration.rules || []).forEach(rule => rules.append(ruleRow(rule, renumberRules)));
  renumberRules();
  const addRule = el('button', { type: 'button', class: 'secondary small', id: 'add-rule' }, '+ rule');
  addRule.addEventListener('click', () => {
    rules.append(ruleRow({}, renumberRules));
    renumberRules();
  });
  const form = el('form', { id: 'edit-form', class: 'edit', novalidate: '' },
    el('div', { id: 'edit-conflict', class: 'conflict', hidden: '' }),
    el('p', { id: 'edit-message', class: 'form-message' }),
    section('What to watch',
      field('url', 'URL', el('input', { name: 'url', type: 'text', value: registration.url || '' })),
      el('div', { class: 'row' },
        field('mode', 'Mode', mode),
        field('pollIntervalMs', 'Every (s)', el('input', { name: 'interval', type: 'number', min: '0.001', step: 'any',
          value: String((registration.pollIntervalMs || 10000) / 1000) }), 'poll interval'),
        field('desiredState', 'Desired state', desired),
        field('alertOnChange', 'Alert on change', alert)),
      group('headers', 'Request headers', el('div', {}, headers, addHeader),
        'secret values as ${env:NAME} references (NAME allowed by SEISMO_SECRET_ENV_ALLOW); a redacted value left empty is kept')),
    section('What counts as a change',
      field('jsonPointer', 'JSON selection (RFC 6901 pointer)', el('input', { name: 'jsonPointer', type: 'text',
        value: registration.jsonPointer || '', placeholder: '/data/items' }), 'analyse only this part of the document; empty: all'),
      field('select', 'Select (one pointer a line)', lines('select', registration.select, '/data/price'),
        'keep only these parts, at their paths; not with a JSON selection'),
      field('ignore', 'Ignore (one pattern a line)', lines('ignore', registration.ignore, '/meta/requestId\n/items/*/updatedAt'),
        'members matching a pattern are not compared; * is one segment, ** any number'),
      field('unorderedArrays', 'Unordered arrays (one pattern a line)', lines('unorderedArrays', registration.unorderedArrays, '/tags'),
        'arrays that are sets: a reordering is no change'),
      group('arrayKeys', 'Arrays of records by key', el('div', {}, keys, addKey),
        'pattern of the array → the member naming each record, e.g. /items → id')),
    section('When to poll', scheduleGroup(registration.schedule)),
    section('Alerts',
      group('rules', 'Alert rules', el('div', {}, rules, addRule),
        'LATENCY_P95 (above ms), ERROR_RATE (above %), CHANGE_RATE (above changes), PAYLOAD_SIZE (above/below bytes, jump %),'
        + ' NO_CHANGE (period), POINTER (pointer op value); an incident opens once it holds for forMs'),
      group('silences', 'Silences (maintenance windows)', rangeList('silences', registration.silences),
        'no alert of this API is raised within them'),
      group('notifyWebhooks', 'Webhooks', el('div', {}, webhooks, addWebhook)),
      field('notifyChannels', 'Channels', el('input', { name: 'notifyChannels', type: 'text',
        value: (registration.notifyChannels || []).join(', '), placeholder: 'ops-slack, oncall-email' }),
      'names from the deployment\'s channels file (SEISMO_NOTIFY_CHANNELS_FILE), comma-separated')),
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
  try {
    edit.baseline = formBody(form);
  } catch (e) {
    edit.baseline = null;
  }
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
  edit.baseline = null;
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
  body.jsonPointer = pointer || null;
  body.select = readLines(form.elements.select);
  body.ignore = readLines(form.elements.ignore);
  body.unorderedArrays = readLines(form.elements.unorderedArrays);
  body.arrayKeys = {};
  for (const row of form.querySelectorAll('.arraykey-row')) {
    const pattern = $('.ak-pattern', row).value.trim();
    const key = $('.ak-key', row).value.trim();
    if (pattern || key) body.arrayKeys[pattern] = key;
  }
  body.rules = [...form.querySelectorAll('.rules > .rule-row')].map(readRule);
  body.silences = [...form.querySelectorAll('.ranges[data-list="silences"] > .range-row')].map(readRange);
  body.schedule = readSchedule(form);
  body.notifyWebhooks = [...form.querySelectorAll('.w-url')].map(input => input.value.trim()).filter(Boolean);
  body.notifyChannels = form.elements.notifyChannels.value.split(',').map(name => name.trim()).filter(Boolean);
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

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A field the user did not touch goes back exactly as GET /apis/{id} returned it (the form may read it
 * differently: 10.0 as 10, a schedule of defaults as none), so saving one field changes nothing else.
 */
function untouchedAsRead(body) {
  if (!edit.baseline || !edit.registration) return body;
  for (const [name, value] of Object.entries(body)) {
    if (Object.hasOwn(edit.registration, name) && Object.hasOwn(edit.baseline, name) && same(value, edit.baseline[name])) {
      body[name] = edit.registration[name];
    }
  }
  return body;
}

/** The places an error of `field` may be shown, most precise first: rules[0].above, rules[0], rules. */
function errorTargets(field) {
  const targets = [field];
  let rest = field;
  for (;;) {
    const cut = Math.max(rest.lastIndexOf('.'), rest.lastIndexOf('['));
    if (cut <= 0) break;
    rest = rest.slice(0, cut);
    targets.push(rest);
  }
  return targets;
}

/** Shows each problem+json error next to the field it names ("rules[0].above" → that input of that rule, "headers.X-Key" → headers). */
function showErrors(form, problem) {
  form.querySelectorAll('.field-error').forEach(small => { small.textContent = ''; });
  form.querySelectorAll('.invalid').forEach(node => node.classList.remove('invalid'));
  const unplaced = [];
  for (const error of problem?.errors || []) {
    const name = String(error.field || '');
    const base = name.split(/[.[]/)[0];
    let small = null;
    for (const target of errorTargets(name)) {
      small = form.querySelector(`.field-error[data-error-for="${CSS.escape(target)}"]`);
      if (small) break;
    }
    if (!small && !KNOWN.includes(base)) small = form.querySelector('.field-error[data-error-for="other"]');
    if (small) {
      small.textContent = [small.textContent, `${error.field}: ${error.message}`].filter(Boolean).join('\n');
      small.parentElement.classList.add('invalid'); // the field, or the one input of a rule or window it names
      const part = small.closest('.rule-part');
      if (part) part.hidden = false; // an input of another kind than the one chosen
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
    body = untouchedAsRead(formBody(form));
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
