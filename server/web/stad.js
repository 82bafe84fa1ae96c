'use strict';
// The city dashboard (admin role, a city with several locations: docs/locations.md): every
// location the manager works at, side by side — waiting now, the longest wait, today's share of
// appointments within the norm, open counters and device alerts. Read from GET /api/v1/city every
// ten seconds (the event stream carries one location's events only).
(() => {
  const { t, api, el } = Loket;
  const $ = (id) => document.getElementById(id);
  const kRefreshMs = 10000;
  let session = null;
  let timer = null;
  let last = null; // the last figures, drawn again when the language changes

  function show(loggedIn) {
    $('login-view').hidden = loggedIn;
    $('city-view').hidden = !loggedIn;
    $('logout').hidden = !loggedIn;
    $('whoami').hidden = !loggedIn;
  }

  function logout(message) {
    clearTimeout(timer);
    Loket.session.clear();
    session = null;
    show(false);
    $('login-error').textContent = message || '';
  }

  function minutes(seconds) {
    return t('city.minutes', { n: Math.floor(Math.max(0, seconds) / 60) });
  }

  // One row of the table: a figure for every location.
  function row(labelKey, locations, cell) {
    return el('tr', {}, el('th', { scope: 'row' }, t(labelKey)), locations.map((l) => el('td', {}, cell(l))));
  }

  function render(data) {
    const locations = data.locations || [];
    const head = $('city-head');
    head.replaceChildren(el('th', { scope: 'col' }, t('city.figure')),
      ...locations.map((l) => el('th', { scope: 'col', class: l.current ? 'current' : undefined },
        l.name, l.current ? el('span', { class: 'muted' }, ` (${t('city.yours')})`) : null)));
    const normMinutes = Math.round((data.norm_s || 300) / 60);
    $('city-body').replaceChildren(
      row('city.waiting', locations, (l) => String(l.waiting)),
      row('city.longest', locations, (l) => (l.waiting ? minutes(l.longest_wait_s) : t('common.none'))),
      row('city.within_norm', locations, (l) => (l.appointments_within_norm_pct === null ? t('common.none')
        : t('city.percent', { pct: Math.round(l.appointments_within_norm_pct), norm: normMinutes }))),
      row('city.open_counters', locations, (l) => t('city.counters_of', { open: l.open_counters, total: l.counters })),
      row('city.alerts', locations, (l) => (l.device_alerts.length === 0 ? t('city.no_alerts')
        : el('ul', { class: 'plain' }, l.device_alerts.map((d) => el('li', { class: 'error' },
          t('city.alert', { name: d.name, status: t(`city.status.${d.status}`) })))))));
    $('city-updated').textContent = t('city.updated', { time: Loket.clock(data.at) });
  }

  async function refresh() {
    clearTimeout(timer);
    if (!session) return;
    const result = await api('/api/v1/city', { token: session.token });
    if (result.status === 401) return logout(t('counter.error.unauthorized'));
    if (result.status === 403) return logout(t('common.login.forbidden'));
    if (!result.ok) $('city-error').textContent = Loket.errorText(result, 'city');
    else {
      $('city-error').textContent = '';
      last = result.data;
      render(last);
    }
    timer = setTimeout(refresh, kRefreshMs);
  }

  async function start(s) {
    session = s;
    show(true);
    $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${s.role || 'admin'}`) });
    await refresh();
  }

  Loket.initPage(() => { if (last && session) render(last); });
  Loket.wireLoginForm(Loket.buildLoginForm($('login-view')), $('login-error'), start);
  $('logout').addEventListener('click', async () => {
    if (session) await api('/api/v1/logout', { method: 'POST', token: session.token, body: {} });
    logout('');
  });
  const saved = Loket.session.load();
  if (saved) start(saved);
  else show(false);
})();
