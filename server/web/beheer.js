'use strict';
// The admin page (/beheer, admin role): the hall manager changes services, counters, opening
// hours, dated exceptions and the banner without IT. Every change is one POST to
// /api/v1/configuration, a typed command on the server; an error names its field and is shown
// beside that field; a change that would disturb today's visitors comes back as
// confirmation_needed and is sent again only after the manager confirms. The history is the audit
// trail's configuration, staff and device entries; the export is the live configuration as a hall
// file. Staff accounts made here are created, changed and disabled through /api/v1/staff (the
// file's and the directory's are shown read-only); devices through devices.js, as on the dashboard.
(() => {
  const { t, api, el } = Loket;
  const $ = (id) => document.getElementById(id);
  const LOCATIONS = ['', 'left', 'right', 'up', 'down', 'up-left', 'up-right', 'down-left', 'down-right'];
  const KINDS = ['closed', 'short', 'evening'];

  const state = {
    session: null,
    config: null,
    service: '',   // the chosen service id; '' = a new one
    counter: '',
    pending: null, // {body, prefix, done}: a change waiting for the manager's confirmation
    stream: null,
    staff: { accounts: [], roles: ['admin', 'counter'] },
    // A city: the locations this manager works at ({id, name}), from GET /api/v1/city; [] in one hall.
    myLocations: [],
    staffChoice: '' // the chosen page account; '' = a new one
  };

  function show(loggedIn) {
    $('login-view').hidden = loggedIn;
    $('beheer-view').hidden = !loggedIn;
    $('logout').hidden = !loggedIn;
    $('whoami').hidden = !loggedIn;
  }

  function logout(message) {
    if (state.stream) state.stream.close();
    state.stream = null;
    Loket.session.clear();
    state.session = null;
    show(false);
    $('login-error').textContent = message || '';
  }

  async function adminCall(path, options = {}) {
    const result = await api(path, { ...options, token: state.session.token });
    if (result.status === 401) logout(t('counter.error.unauthorized'));
    else if (result.status === 403) logout(t('common.login.forbidden'));
    return result;
  }

  async function start(session) {
    state.session = session;
    const loaded = await adminCall('/api/v1/configuration');
    if (!loaded.ok) {
      if (state.session) $('page-error').textContent = Loket.errorText(loaded, 'beheer');
      return;
    }
    show(true);
    $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${session.role || 'admin'}`) });
    setConfig(loaded.data, true);
    refreshHistory();
    await refreshStaff();
    fillStaff();
    devices.refresh();
    if (!state.stream) state.stream = Loket.connectEvents(state.session.token, { onEvent, onStateChange: () => {} });
  }

  // Another manager's change (or one from --apply-config) arrives over the event stream: the
  // lists follow at once; a form being filled in is left alone.
  async function onEvent(type) {
    if (type !== 'configuration.changed' && type !== 'reset') return;
    const loaded = await adminCall('/api/v1/configuration');
    if (loaded.ok) setConfig(loaded.data, false);
    refreshHistory();
  }

  function text(obj, code) { return (obj && obj[code]) || ''; }
  function localName(obj) { return text(obj, Loket.lang) || text(obj, 'nl'); }

  // ---- errors beside their fields -------------------------------------------------------------

  function clearErrors(form) {
    form.querySelectorAll('.field-error, .form-error').forEach((p) => { p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
  }

  // The field's own words when the page has them, else the server's message.
  function fieldText(field, error) {
    const key = `beheer.error.${field.split('.')[0]}`;
    return LOKET_STRINGS.nl[key] ? t(key) : Loket.errorText({ status: 400, error }, 'beheer');
  }

  function showError(prefix, result) {
    const form = document.querySelector(`[data-form="${prefix.split('-')[0]}"]`);
    const field = result.error && result.error.details && result.error.details.field;
    const input = field ? $(`${prefix}-${field.replace(/\./g, '-')}`) : null;
    const message = input && $(`${input.id}-error`);
    if (input && message) {
      message.textContent = fieldText(field, result.error);
      // A group (the counter's services) is marked and focused on its boxes.
      const boxes = input.matches('fieldset') ? [...input.querySelectorAll('input')] : [input];
      boxes.forEach((box) => box.setAttribute('aria-invalid', 'true'));
      if (boxes.length) boxes[0].focus();
      return;
    }
    const formError = form && form.querySelector('.form-error');
    const words = field ? `${fieldText(field, result.error)} (${field})` : Loket.errorText(result, 'beheer');
    if (formError) formError.textContent = words;
    else $('page-error').textContent = words;
  }

  // Sends one change; resolves to true when it was stored.
  // `after` runs once the change is stored (also after a confirmation).
  async function send(body, prefix, confirm = false, after = null) {
    $('page-message').textContent = '';
    $('page-error').textContent = '';
    const result = await adminCall('/api/v1/configuration', { method: 'POST', body: confirm ? { ...body, confirm: true } : body });
    if (!state.session) return false;
    if (result.ok) {
      setConfig(result.data, false);
      $('page-message').textContent = t('beheer.saved');
      Loket.announce(t('beheer.saved'));
      refreshHistory();
      if (after) after();
      return true;
    }
    if (result.error && result.error.code === 'confirmation_needed') {
      askConfirmation(body, prefix, after);
      return false;
    }
    showError(prefix, result);
    return false;
  }

  function askConfirmation(body, prefix, after) {
    state.pending = { body, prefix, after, returnFocus: document.activeElement };
    const key = `beheer.confirm.${body.type}`;
    $('confirm-text').textContent = LOKET_STRINGS.nl[key] ? t(key) : t('beheer.confirm.other');
    $('confirm-box').hidden = false;
    $('confirm-title').focus();
  }

  async function answerConfirmation(yes) {
    const pending = state.pending;
    state.pending = null;
    $('confirm-box').hidden = true;
    if (!pending) return;
    if (pending.returnFocus && pending.returnFocus.focus) pending.returnFocus.focus();
    if (yes) {
      await send(pending.body, pending.prefix, true, pending.after);
    } else {
      $('page-message').textContent = t('beheer.not_saved');
    }
  }

  // ---- rendering -----------------------------------------------------------------------------

  function setConfig(config, refill) {
    state.config = config;
    if (state.service && !config.services.some((s) => s.id === state.service)) { state.service = ''; refill = true; }
    if (state.counter && !config.counters.some((c) => c.id === state.counter)) { state.counter = ''; refill = true; }
    if (refill === true && !state.service && config.services.length) state.service = config.services[0].id;
    if (refill === true && !state.counter && config.counters.length) state.counter = config.counters[0].id;
    renderChoices();
    renderExceptions();
    if (refill) fillForms();
  }

  function renderChoices() {
    const services = state.config.services.map((s) => el('option', { value: s.id, selected: s.id === state.service }, `${s.prefix} — ${localName(s.name)}`));
    services.push(el('option', { value: '', selected: state.service === '' }, t('beheer.services.new')));
    $('service-choice').replaceChildren(...services);
    const counters = state.config.counters.map((c) => el('option', { value: c.id, selected: c.id === state.counter }, t('common.counter_label', { name: c.name })));
    counters.push(el('option', { value: '', selected: state.counter === '' }, t('beheer.counters.new')));
    $('counter-choice').replaceChildren(...counters);
  }

  function fillForms() {
    fillBanner();
    fillService();
    fillCounter();
    fillHours();
  }

  function fillBanner() {
    clearErrors($('banner-form'));
    $('banner-text-nl').value = text(state.config.banner, 'nl');
    $('banner-text-en').value = text(state.config.banner, 'en');
  }

  function fillService() {
    const form = $('service-form');
    clearErrors(form);
    const s = state.config.services.find((x) => x.id === state.service) ||
      { id: '', prefix: '', name: {}, description: {}, bring: {}, walk_in: true, appointment: true, expected_duration_s: 600, walk_in_target_s: 600 };
    $('svc-id').value = s.id;
    $('svc-id').readOnly = Boolean(s.id);
    $('svc-prefix').value = s.prefix;
    for (const f of ['name', 'description', 'bring']) {
      $(`svc-${f}-nl`).value = text(s[f], 'nl');
      $(`svc-${f}-en`).value = text(s[f], 'en');
    }
    $('svc-walk_in').checked = s.walk_in;
    $('svc-appointment').checked = s.appointment;
    showMinutes($('svc-expected_duration_s'), s.expected_duration_s);
    showMinutes($('svc-walk_in_target_s'), s.walk_in_target_s);
    $('svc-remove').hidden = !s.id;
  }

  function fillCounter() {
    clearErrors($('counter-form'));
    const c = state.config.counters.find((x) => x.id === state.counter) || { id: '', name: '', skills: [], location: '', sitting_desk: false };
    $('ctr-id').value = c.id;
    $('ctr-id').readOnly = Boolean(c.id);
    $('ctr-name').value = c.name;
    $('ctr-location').replaceChildren(...LOCATIONS.map((l) => el('option', { value: l, selected: l === c.location }, t(`beheer.location.${l || 'none'}`))));
    $('ctr-sitting_desk').checked = c.sitting_desk;
    $('ctr-skills-list').replaceChildren(...state.config.services.map((s) => el('label', {},
      el('input', { type: 'checkbox', name: 'skills', value: s.id, checked: c.skills.includes(s.id) }), ' ', localName(s.name))));
    $('ctr-remove').hidden = !c.id;
  }

  function fillHours() {
    clearErrors($('hours-form'));
    $('hours-body').replaceChildren(...state.config.hours.map((h) => {
      const day = t(`beheer.day.${h.weekday}`);
      const open = el('input', { id: `hours-${h.weekday}-periods`, value: h.periods.join(', '), 'aria-label': t('beheer.hours.open_for', { day }),
        'aria-describedby': `hours-${h.weekday}-periods-error` });
      const walkIn = el('input', { id: `hours-${h.weekday}-walk_in_periods`, value: h.walk_in_periods.join(', '),
        'aria-label': t('beheer.hours.walk_in_for', { day }), 'aria-describedby': `hours-${h.weekday}-walk_in_periods-error` });
      return el('tr', {}, el('th', { scope: 'row' }, day),
        el('td', {}, open, el('p', { id: `hours-${h.weekday}-periods-error`, class: 'error field-error' })),
        el('td', {}, walkIn, el('p', { id: `hours-${h.weekday}-walk_in_periods-error`, class: 'error field-error' })));
    }));
  }

  function renderExceptions() {
    const list = state.config.exceptions.filter((e) => !e.past);
    $('exceptions-empty').hidden = list.length > 0;
    $('exceptions-list').replaceChildren(...list.map((e) => {
      const what = e.kind === 'closed' ? t('beheer.kind.closed') : `${t(`beheer.kind.${e.kind}`)} ${e.periods.join(', ')}`;
      const note = text(e.note, Loket.lang) || text(e.note, 'nl');
      const remove = el('button', { type: 'button', class: 'secondary small', 'data-clear': e.date,
        'aria-label': t('beheer.exceptions.remove_for', { date: e.date }) }, t('beheer.exceptions.remove'));
      remove.addEventListener('click', () => send({ type: 'exception.clear', date: e.date }, 'exc'));
      return el('li', { 'data-exception': e.date }, el('strong', {}, e.date), ` — ${what}${note ? ` — ${note}` : ''} `, remove);
    }));
  }

  // "configuration.service.set" → beheer.action.service.set; staff.* and device.* keep their name.
  function actionText(action) {
    const key = `beheer.action.${action.startsWith('configuration.') ? action.slice('configuration.'.length) : action}`;
    return LOKET_STRINGS.nl[key] ? t(key) : action;
  }

  async function refreshHistory() {
    const history = await adminCall('/api/v1/configuration/history');
    if (!history.ok) return;
    const entries = history.data.entries || [];
    $('history-empty').hidden = entries.length > 0;
    $('history-body').replaceChildren(...entries.slice().reverse().map((e) => el('tr', {},
      el('td', {}, Loket.clock(e.at)), el('td', {}, e.actor), el('td', {}, actionText(e.action)),
      el('td', {}, e.target || t('common.none')), el('td', { class: 'detail' }, e.detail))));
  }

  // ---- staff accounts ------------------------------------------------------------------------

  const devices = LoketDevices.create({ call: adminCall, changed: () => refreshHistory(), rename: true, prefix: 'beheer' });

  async function refreshStaff() {
    const result = await adminCall('/api/v1/staff');
    if (!result.ok) return;
    state.staff = result.data;
    const city = await adminCall('/api/v1/city');
    if (city.ok && city.data && Array.isArray(city.data.locations))
      state.myLocations = city.data.locations.filter((l) => l.id).map((l) => ({ id: l.id, name: l.name }));
    if (state.staffChoice && !pageAccount(state.staffChoice)) state.staffChoice = '';
    renderStaff();
  }

  function pageAccount(name) { return state.staff.accounts.find((a) => a.source === 'page' && a.username === name); }

  function countersText(a) {
    if (a.role === 'admin' || a.counters.includes('*')) return t('beheer.staff.all_counters');
    if (!a.counters.length) return t('common.none');
    return a.counters.map((id) => Loket.counterLabel(state.config ? state.config.counters : [], id)).join(', ');
  }

  // An account's locations by name ("*" = every location); those of others by their id.
  function locationsText(a) {
    const list = a.locations || ['*'];
    if (list.includes('*')) return t('beheer.staff.all_locations');
    return list.map((id) => (state.myLocations.find((l) => l.id === id) || { name: id }).name).join(', ');
  }

  function renderStaff() {
    const city = state.myLocations.length > 0;
    $('staff-locations-head').hidden = !city;
    $('staff-body').replaceChildren(...state.staff.accounts.map((a) => el('tr', { 'data-account': a.username, 'data-source': a.source },
      el('th', { scope: 'row' }, a.username), el('td', {}, t(`common.role.${a.role}`)), el('td', {}, countersText(a)),
      ...(city ? [el('td', { 'data-column': 'locations' }, locationsText(a))] : []),
      el('td', {}, t(`beheer.staff.source.${a.source}`)),
      el('td', {}, a.disabled ? t('beheer.staff.disabled') : t('beheer.staff.active')))));
    const options = state.staff.accounts.filter((a) => a.source === 'page')
      .map((a) => el('option', { value: a.username, selected: a.username === state.staffChoice }, a.username));
    options.push(el('option', { value: '', selected: state.staffChoice === '' }, t('beheer.staff.new')));
    $('staff-choice').replaceChildren(...options);
  }

  function fillStaff() {
    const form = $('staff-form');
    clearErrors(form);
    const a = pageAccount(state.staffChoice) || { username: '', role: 'counter', counters: [], disabled: false };
    $('staff-username').value = a.username;
    $('staff-username').readOnly = Boolean(a.username);
    $('staff-password').value = '';
    const label = $('staff-password-label');
    label.dataset.i18n = a.username ? 'beheer.staff.password_reset' : 'beheer.staff.password_new';
    label.textContent = t(label.dataset.i18n);
    $('staff-role').replaceChildren(...state.staff.roles.map((r) => el('option', { value: r, selected: r === a.role }, t(`common.role.${r}`))));
    const counters = state.config ? state.config.counters : [];
    $('staff-counters-list').replaceChildren(
      el('label', {}, el('input', { type: 'checkbox', name: 'counters', value: '*', checked: a.counters.includes('*') }), ' ', t('beheer.staff.all_counters')),
      ...counters.map((c) => el('label', {}, el('input', { type: 'checkbox', name: 'counters', value: c.id, checked: a.counters.includes(c.id) }),
        ' ', t('common.counter_label', { name: c.name }))));
    staffRoleChanged();
    // A city: the account's locations among those this manager works at (a new account: this one).
    $('staff-locations').hidden = state.myLocations.length === 0;
    const here = (state.session && state.session.location) || '';
    const has = (id) => (a.username ? (a.locations || ['*']).some((l) => l === '*' || l === id) : id === here);
    $('staff-locations-list').replaceChildren(...state.myLocations.map((l) => el('label', {},
      el('input', { type: 'checkbox', name: 'locations', value: l.id, checked: has(l.id) }), ' ', l.name)));
    const toggle = $('staff-toggle');
    toggle.hidden = !a.username;
    toggle.dataset.i18n = a.disabled ? 'beheer.staff.enable' : 'beheer.staff.disable';
    toggle.textContent = t(toggle.dataset.i18n);
    $('staff-status').textContent = a.disabled ? t('beheer.staff.is_disabled', { name: a.username }) : '';
  }

  // A manager works everywhere: the counters do not apply.
  function staffRoleChanged() { $('staff-counters').disabled = $('staff-role').value === 'admin'; }

  async function staffDone(result, message) {
    if (!state.session) return false;
    if (!result.ok) {
      showError('staff', result);
      return false;
    }
    await refreshStaff();
    fillStaff();
    refreshHistory();
    $('page-message').textContent = message;
    Loket.announce(message);
    return true;
  }

  async function saveStaff(ev) {
    ev.preventDefault();
    clearErrors($('staff-form'));
    $('page-message').textContent = '';
    const role = $('staff-role').value;
    const counters = role === 'admin' ? [] : [...$('staff-counters-list').querySelectorAll('input:checked')].map((i) => i.value);
    const password = $('staff-password').value;
    const existing = pageAccount(state.staffChoice);
    const access = { role, counters };
    if (state.myLocations.length) access.locations = [...$('staff-locations-list').querySelectorAll('input:checked')].map((i) => i.value);
    if (!existing) {
      const username = $('staff-username').value.trim();
      const result = await adminCall('/api/v1/staff', { method: 'POST', body: { username, password, ...access } });
      if (result.ok) state.staffChoice = username;
      return staffDone(result, t('beheer.saved'));
    }
    const path = `/api/v1/staff/${encodeURIComponent(existing.username)}`;
    let result = await adminCall(`${path}/access`, { method: 'POST', body: access });
    if (result.ok && password) result = await adminCall(`${path}/password`, { method: 'POST', body: { password } });
    return staffDone(result, password && result.ok ? t('beheer.staff.password_saved') : t('beheer.saved'));
  }

  async function toggleStaff() {
    const a = pageAccount(state.staffChoice);
    if (!a) return;
    clearErrors($('staff-form'));
    const action = a.disabled ? 'enable' : 'disable';
    const result = await adminCall(`/api/v1/staff/${encodeURIComponent(a.username)}/${action}`, { method: 'POST', body: {} });
    if (await staffDone(result, t(`beheer.staff.done_${action}`, { name: a.username }))) $('staff-toggle').focus();
  }

  // ---- the forms -----------------------------------------------------------------------------

  // Minutes on the page, seconds on the server: an unchanged field keeps its exact seconds (210 s
  // shows as 4 minutes and must not become 240 s when another field is saved).
  function minutes(input) {
    if (input.dataset.seconds && input.value === input.dataset.shown) return Number(input.dataset.seconds);
    const value = Number(input.value);
    return Number.isFinite(value) && input.value.trim() !== '' ? Math.round(value * 60) : null;
  }

  function showMinutes(input, seconds) {
    input.value = String(Math.round(seconds / 60));
    input.dataset.seconds = String(seconds);
    input.dataset.shown = input.value;
  }

  function periods(value) {
    return value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  }

  function saveService(ev) {
    ev.preventDefault();
    clearErrors($('service-form'));
    const both = (f) => ({ nl: $(`svc-${f}-nl`).value.trim(), en: $(`svc-${f}-en`).value.trim() });
    const id = $('svc-id').value.trim();
    send({ type: 'service.set', service: {
      id, prefix: $('svc-prefix').value.trim().toUpperCase(),
      name: both('name'), description: both('description'), bring: both('bring'),
      walk_in: $('svc-walk_in').checked, appointment: $('svc-appointment').checked,
      expected_duration_s: minutes($('svc-expected_duration_s')), walk_in_target_s: minutes($('svc-walk_in_target_s'))
    } }, 'svc', false, () => { state.service = id; renderChoices(); fillService(); fillCounter(); });
  }

  function saveCounter(ev) {
    ev.preventDefault();
    clearErrors($('counter-form'));
    const skills = [...$('ctr-skills-list').querySelectorAll('input:checked')].map((i) => i.value);
    const id = $('ctr-id').value.trim();
    send({ type: 'counter.set', counter: {
      id, name: $('ctr-name').value.trim(), skills, location: $('ctr-location').value, sitting_desk: $('ctr-sitting_desk').checked
    } }, 'ctr', false, () => { state.counter = id; renderChoices(); fillCounter(); });
  }

  async function saveHours(ev) {
    ev.preventDefault();
    clearErrors($('hours-form'));
    let changed = 0;
    for (const h of state.config.hours.slice()) {
      const open = periods($(`hours-${h.weekday}-periods`).value);
      const walkIn = periods($(`hours-${h.weekday}-walk_in_periods`).value);
      if (open.join() === h.periods.join() && walkIn.join() === h.walk_in_periods.join()) continue;
      changed += 1;
      if (!await send({ type: 'hours.set', weekday: h.weekday, periods: open, walk_in_periods: walkIn }, `hours-${h.weekday}`)) return;
    }
    if (changed) fillHours();
    else $('page-message').textContent = t('beheer.nothing_changed');
  }

  function saveException(ev) {
    ev.preventDefault();
    clearErrors($('exception-form'));
    const body = { type: 'exception.set', date: $('exc-date').value, kind: $('exc-kind').value, periods: periods($('exc-periods').value) };
    const note = $('exc-note-nl').value.trim();
    if (note) body.note = { nl: note };
    send(body, 'exc', false, () => { $('exc-date').value = ''; $('exc-periods').value = ''; $('exc-note-nl').value = ''; });
  }

  function saveBanner(ev) {
    ev.preventDefault();
    clearErrors($('banner-form'));
    send({ type: 'banner.set', text: { nl: $('banner-text-nl').value.trim(), en: $('banner-text-en').value.trim() } }, 'banner');
  }

  // The export needs the bearer token, so a plain link cannot fetch it: fetch, then offer the blob.
  async function exportConfiguration() {
    const result = await adminCall('/api/v1/configuration/export', { raw: true });
    if (!result.ok) {
      $('export-result').textContent = Loket.errorText(result, 'beheer');
      return;
    }
    const blob = await result.response.blob();
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: 'loket-hall.toml', hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    $('export-result').textContent = t('beheer.export_done', { file: 'loket-hall.toml' });
  }

  function wire() {
    Loket.wireLoginForm(Loket.buildLoginForm($('login-view')), $('login-error'), start);
    $('token-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const token = $('admin-token').value.trim();
      if (!token) return;
      $('admin-token').value = '';
      Loket.session.save({ token, role: 'admin', expires_at: '' });
      start(Loket.session.load());
    });
    $('logout').addEventListener('click', () => logout(''));
    // Each field's error text is read out with the field.
    document.querySelectorAll('input[id], select[id]').forEach((input) => {
      if ($(`${input.id}-error`) && !input.hasAttribute('aria-describedby')) input.setAttribute('aria-describedby', `${input.id}-error`);
    });
    $('service-pick').addEventListener('submit', (ev) => ev.preventDefault());
    $('counter-pick').addEventListener('submit', (ev) => ev.preventDefault());
    $('service-choice').addEventListener('change', () => { state.service = $('service-choice').value; fillService(); });
    $('counter-choice').addEventListener('change', () => { state.counter = $('counter-choice').value; fillCounter(); });
    $('service-form').addEventListener('submit', saveService);
    $('counter-form').addEventListener('submit', saveCounter);
    $('hours-form').addEventListener('submit', saveHours);
    $('exception-form').addEventListener('submit', saveException);
    $('banner-form').addEventListener('submit', saveBanner);
    $('svc-remove').addEventListener('click', () => send({ type: 'service.remove', id: state.service }, 'svc', false, fillForms));
    $('ctr-remove').addEventListener('click', () => send({ type: 'counter.remove', id: state.counter }, 'ctr', false, fillForms));
    $('confirm-yes').addEventListener('click', () => answerConfirmation(true));
    $('confirm-no').addEventListener('click', () => answerConfirmation(false));
    $('export').addEventListener('click', exportConfiguration);
    $('staff-pick').addEventListener('submit', (ev) => ev.preventDefault());
    $('staff-choice').addEventListener('change', () => { state.staffChoice = $('staff-choice').value; fillStaff(); });
    $('staff-role').addEventListener('change', staffRoleChanged);
    $('staff-form').addEventListener('submit', saveStaff);
    $('staff-toggle').addEventListener('click', toggleStaff);
    KINDS.forEach((k) => { $('exc-kind').querySelector(`option[value="${k}"]`).dataset.kind = k; });
  }

  wire();
  Loket.initPage(() => {
    if (!state.session || !state.config) return;
    $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${state.session.role || 'admin'}`) });
    renderChoices();
    renderExceptions();
    fillCounter();
    fillHours();
    refreshHistory();
    renderStaff();
    fillStaff();
    devices.refresh();
  });
  // A device asking for a pairing sends no event: look every few seconds.
  setInterval(() => { if (state.session && state.config) devices.refresh(); }, 3000);
  const saved = Loket.session.load();
  if (saved) start(saved);
  else show(false);
})();
