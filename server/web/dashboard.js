'use strict';
// The hall dashboard (admin role): what is happening now (waiting per service, longest wait,
// counters, visitors at risk), the chosen day by hour against the norm, the day's totals,
// the appointment import with its line-by-line result, and the CSV export of the day.
(() => {
  const { t, api, el } = Loket;
  const $ = (id) => document.getElementById(id);

  const state = {
    session: null,
    date: '',
    services: [],
    counters: [],
    normS: 300,
    waiting: [],
    stats: null,
    stream: null
  };

  function show(loggedIn) {
    $('login-view').hidden = loggedIn;
    $('dash-view').hidden = !loggedIn;
    $('logout').hidden = !loggedIn;
    $('whoami').hidden = !loggedIn;
    $('connection').hidden = !loggedIn;
  }

  function logout(message) {
    if (state.stream) state.stream.close();
    state.stream = null;
    Loket.session.clear();
    state.session = null;
    show(false);
    $('login-error').textContent = message || '';
  }

  async function adminGet(path, options = {}) {
    const result = await api(path, { ...options, token: state.session.token });
    if (result.status === 401) logout(t('counter.error.unauthorized'));
    else if (result.status === 403) logout(t('common.login.forbidden'));
    return result;
  }

  async function start(session) {
    state.session = session;
    const stats = await adminGet(statsPath());
    if (!stats.ok) {
      if (state.session) $('dash-error').textContent = Loket.errorText(stats, 'dashboard');
      if (!state.session) return;
    }
    show(true);
    $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${session.role || 'admin'}`) });
    if (stats.ok) {
      state.stats = stats.data;
      state.date = stats.data.date;
      $('date').value = stats.data.date;
    }
    await refreshLive();
    renderStats();
    refreshAudit();
    refreshDevices();
    refreshUnsent();
    LoketBookingPanel.refresh(adminGet);
    if (!state.stream) state.stream = Loket.connectEvents(state.session.token, { onEvent, onStateChange });
  }

  function statsPath() {
    return state.date ? `/api/v1/stats?date=${encodeURIComponent(state.date)}` : '/api/v1/stats';
  }

  async function refreshLive() {
    const [hall, waiting] = await Promise.all([adminGet('/api/v1/hall'), adminGet('/api/v1/tickets?status=waiting')]);
    if (hall.ok) {
      state.services = hall.data.services || [];
      state.counters = hall.data.counters || [];
      if (hall.data.hall && hall.data.hall.norm_s) state.normS = hall.data.hall.norm_s;
    }
    if (waiting.ok) state.waiting = Array.isArray(waiting.data) ? waiting.data : (waiting.data.tickets || []);
    renderLive();
  }

  // Device enrolment: waiting pairing codes (approve with a name) and enrolled devices (revoke),
  // the same module as the admin page's (devices.js).
  const devices = LoketDevices.create({ call: adminGet, changed: () => refreshAudit() });
  function refreshDevices() { return devices.refresh(); }

  // Kiosks that issued tickets while the server was away and have not uploaded them all yet
  // (they report detail.unsent_tickets; issue 13).
  async function refreshUnsent() {
    const devices = await adminGet('/api/v1/devices');
    if (!devices.ok) return;
    const holding = devices.data.filter((d) => d.kind === 'kiosk' && d.detail && d.detail.unsent_tickets > 0);
    $('unsent-none').hidden = holding.length > 0;
    $('unsent-list').replaceChildren(...holding.map((d) =>
      el('li', { 'data-unsent': d.id }, t('dashboard.unsent.line', { name: d.name || d.id, count: d.detail.unsent_tickets }))));
  }

  // The audit trail of the chosen day (GET /api/v1/audit).
  async function refreshAudit() {
    const path = state.date ? `/api/v1/audit?day=${encodeURIComponent(state.date)}` : '/api/v1/audit';
    const audit = await adminGet(path);
    if (!audit.ok) return;
    const entries = audit.data.entries || [];
    $('audit-empty').hidden = entries.length > 0;
    $('audit-body').replaceChildren(...entries.map((e) => el('tr', {},
      el('td', {}, String(e.at).slice(11, 16)), el('td', {}, e.actor), el('td', {}, e.action),
      el('td', {}, e.target), el('td', {}, e.detail))));
  }

  async function refreshStats() {
    refreshAudit();
    const stats = await adminGet(statsPath());
    if (stats.ok) {
      state.stats = stats.data;
      $('dash-error').textContent = '';
    } else if (state.session) {
      $('dash-error').textContent = Loket.errorText(stats, 'dashboard');
    }
    renderStats();
  }

  let refreshTimer = null;
  function onEvent() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => { refreshLive(); refreshStats(); refreshUnsent(); }, 300);
  }

  function onStateChange(connection) {
    $('connection').textContent = connection === 'open' ? t('common.live') : t('common.offline');
    $('connection').classList.toggle('is-offline', connection !== 'open');
  }

  // ---- formatting ------------------------------------------------------------------------

  const locale = () => (Loket.lang === 'nl' ? 'nl-NL' : 'en-GB');
  function count(v) { return v === null || v === undefined ? t('common.none') : String(v); }
  function pct(v) {
    if (v === null || v === undefined) return t('common.none');
    return `${(Math.round(v * 10) / 10).toLocaleString(locale())}%`;
  }
  function waitTriple(w) {
    if (!w) return t('common.none');
    return [w.p50_s, w.p95_s, w.max_s].map(Loket.duration).join(' / ');
  }
  function setStat(name, text) {
    document.querySelectorAll(`[data-stat="${name}"]`).forEach((node) => { node.textContent = text; });
  }

  // ---- live part -------------------------------------------------------------------------

  function renderLive() {
    const waits = state.waiting.map((ticket) => Loket.secondsSince(ticket.issued_at) || 0);
    setStat('live.waiting', String(state.waiting.length));
    setStat('live.longest', waits.length ? Loket.duration(Math.max(...waits)) : t('common.none'));
    const open = state.counters.filter((c) => c.state === 'open').length;
    setStat('live.counters_open', t('dashboard.live.counters_open_value', { open, total: state.counters.length }));

    $('service-body').replaceChildren(...state.services.map((service) => {
      const mine = state.waiting.filter((ticket) => ticket.service === service.id);
      const longest = mine.length ? Math.max(...mine.map((ticket) => Loket.secondsSince(ticket.issued_at) || 0)) : null;
      return el('tr', { dataset: { service: service.id } },
        el('th', { scope: 'row' }, Loket.serviceName(state.services, service.id)),
        el('td', { class: 'num', dataset: { col: 'waiting' } }, String(mine.length)),
        el('td', { class: 'num' }, longest === null ? t('common.none') : Loket.duration(longest)),
        el('td', { class: 'num' }, service.estimated_wait_s === undefined ? t('common.none') : Loket.duration(service.estimated_wait_s)));
    }));

    $('counter-body').replaceChildren(...state.counters.map((counter) => el('tr', { dataset: { counter: counter.id } },
      el('th', { scope: 'row' }, Loket.counterLabel(state.counters, counter.id)),
      el('td', {}, t(`common.state.${counter.state}`)),
      el('td', {}, counter.ticket ? `${counter.ticket.number} (${t(`common.status.${counter.ticket.status}`)})` : t('common.none')))));

    const atRisk = Loket.sortByRisk(state.waiting).filter((e) => e.risk !== 'ok');
    $('at-risk').replaceChildren(...(atRisk.length
      ? atRisk.map(({ ticket, risk }) => el('li', { class: `risk-${risk}` },
        `${Loket.queueSummary(ticket)} (${Loket.serviceName(state.services, ticket.service)}) `,
        el('span', { class: `badge risk-badge risk-${risk}` }, t(`common.risk.${risk}`))))
      : [el('li', { class: 'muted' }, t('dashboard.live.at_risk_none'))]));
  }

  // ---- the day ---------------------------------------------------------------------------

  function renderStats() {
    const s = state.stats;
    if (!s) return;
    setStat('pct_appointments_within_norm', pct(s.pct_appointments_within_norm));
    setStat('pct_walk_ins_within_target', pct(s.pct_walk_ins_within_target));
    ['visitors', 'appointments', 'walk_ins', 'no_shows'].forEach((k) => setStat(k, count(s[k])));
    setStat('wait.appointment', waitTriple(s.wait && s.wait.appointment));
    setStat('wait.walk_in', waitTriple(s.wait && s.wait.walk_in));
    const feedback = s.feedback || {};
    setStat('feedback', feedback.count
      ? t(feedback.count === 1 ? 'dashboard.totals.feedback_value_one' : 'dashboard.totals.feedback_value', { average: Number(feedback.average).toLocaleString(locale(), { maximumFractionDigits: 1 }), count: feedback.count })
      : t('dashboard.totals.feedback_none'));
    ['handled', 'backoffice', 'partner', 'other'].forEach((k) => setStat(`outcomes.${k}`, count(s.outcomes ? s.outcomes[k] : null)));
    // Questions the host answered at the door, without a number (issue 18).
    setStat('answered_at_door', count(s.answered_at_door));
    renderHours(s.by_hour || []);
  }

  function minutes(seconds) {
    return seconds === null || seconds === undefined ? null : Math.round((seconds / 60) * 10) / 10;
  }

  function renderHours(hours) {
    $('day-empty').hidden = hours.some((h) => h.visitors > 0);
    const normMin = state.normS / 60;
    const label = (h) => `${String(h.hour).padStart(2, '0')}`;
    $('wait-chart').replaceChildren(LoketChart.barChart({
      id: 'wait-svg',
      title: t('dashboard.day.wait_chart'),
      description: t('dashboard.day.wait_chart_desc', { norm: normMin }),
      groups: hours.map((h) => ({ label: label(h), values: [minutes(h.appointment_wait_p95_s), minutes(h.walk_in_wait_p95_s)] })),
      series: [{ style: 'solid' }, { style: 'hatch' }],
      refLine: { value: normMin, label: t('dashboard.day.legend_norm', { norm: normMin }) },
      unit: t('common.minutes_unit')
    }));
    $('wait-legend').replaceChildren(
      el('li', {}, LoketChart.swatch('solid', 'legend-a'), ' ', t('dashboard.day.legend_appointment')),
      el('li', {}, LoketChart.swatch('hatch', 'legend-w'), ' ', t('dashboard.day.legend_walk_in')),
      el('li', {}, LoketChart.swatch('line', 'legend-n'), ' ', t('dashboard.day.legend_norm', { norm: normMin })));
    $('visitors-chart').replaceChildren(LoketChart.barChart({
      id: 'visitors-svg',
      title: t('dashboard.day.visitors_chart'),
      description: t('dashboard.day.visitors_chart_desc'),
      groups: hours.map((h) => ({ label: label(h), values: [h.visitors] })),
      series: [{ style: 'solid' }]
    }));
    $('hour-body').replaceChildren(...hours.map((h) => el('tr', { dataset: { hour: h.hour } },
      el('th', { scope: 'row' }, `${label(h)}:00`),
      el('td', { class: 'num', dataset: { col: 'visitors' } }, count(h.visitors)),
      el('td', { class: 'num' }, h.appointment_wait_p95_s === null || h.appointment_wait_p95_s === undefined ? t('common.none') : Loket.duration(h.appointment_wait_p95_s)),
      el('td', { class: 'num' }, h.walk_in_wait_p95_s === null || h.walk_in_wait_p95_s === undefined ? t('common.none') : Loket.duration(h.walk_in_wait_p95_s)),
      el('td', { class: 'num' }, pct(h.pct_appointments_within_norm)))));
  }

  // ---- import and export -----------------------------------------------------------------

  async function importFile(ev) {
    ev.preventDefault();
    const file = $('import-file').files[0];
    $('import-errors').hidden = true;
    if (!file) {
      $('import-summary').textContent = t('dashboard.import.no_file');
      $('import-file').focus();
      return;
    }
    const isCalendar = /\.ics$/i.test(file.name) || file.type === 'text/calendar';
    const result = await api('/api/v1/appointments/import', {
      method: 'POST', token: state.session.token, body: await file.text(), contentType: isCalendar ? 'text/calendar' : 'text/csv'
    });
    // A file with a bad line is refused whole (422): nothing is stored, the lines say what to fix.
    const refused = !result.ok && result.status === 422 && result.data && Array.isArray(result.data.errors);
    if (!result.ok && !refused) {
      $('import-summary').textContent = Loket.errorText(result, 'dashboard');
      return;
    }
    const r = result.data;
    const errors = r.errors || [];
    $('import-summary').textContent = refused
      ? t('dashboard.import.refused')
      : `${t('dashboard.import.result', { imported: r.imported, updated: r.updated, skipped: r.skipped })} ${errors.length ? '' : t('dashboard.import.no_errors')}`.trim();
    $('import-errors').hidden = errors.length === 0;
    $('import-error-body').replaceChildren(...errors.map((e) => el('tr', {}, el('th', { scope: 'row' }, String(e.line)), el('td', {}, e.message))));
    refreshLive();
  }

  // The export needs the bearer token, so a plain link cannot fetch it: fetch, then offer the blob.
  async function exportDay() {
    const date = $('date').value || state.date;
    const result = await api(`/api/v1/export?date=${encodeURIComponent(date)}`, { token: state.session.token, raw: true });
    if (!result.ok) {
      $('export-result').textContent = Loket.errorText(result, 'dashboard');
      return;
    }
    const blob = await result.response.blob();
    const file = `loket-${date}.csv`;
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: file, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    $('export-result').textContent = t('dashboard.export.done', { file });
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
    $('date-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.date = $('date').value;
      refreshStats();
    });
    $('import-form').addEventListener('submit', importFile);
    $('export').addEventListener('click', exportDay);
  }

  wire();
  Loket.initPage(() => {
    if (state.session) $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${state.session.role || 'admin'}`) });
    renderLive();
    renderStats();
    LoketBookingPanel.render();
  });
  setInterval(() => { if (state.session) renderLive(); }, 5000);
  // A device asking for a pairing sends no event: look every few seconds.
  setInterval(() => { if (state.session) refreshDevices(); }, 3000);
  // The booking systems are pulled on the server's schedule: their state is read every few seconds.
  setInterval(() => { if (state.session) LoketBookingPanel.refresh(adminGet); }, 5000);
  const saved = Loket.session.load();
  if (saved) start(saved);
  else show(false);
})();
