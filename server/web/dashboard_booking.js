'use strict';
// The dashboard's panel of booking-system connections (GET /api/v1/booking/status, docs/booking.md):
// per connection whether it works, the last successful pull, the appointments it listed, the last
// error in plain language (from its kind, not the technical message) and the next pull. Used by
// dashboard.js, which owns the session: it calls refresh() with its authorised GET.
window.LoketBookingPanel = (() => {
  const $ = (id) => document.getElementById(id);
  let last = null;

  // The connection's state: works, fails (with a last error), or not pulled yet.
  function stateOf(c) {
    if (c.last_error_kind) return 'failing';
    return c.ok ? 'ok' : 'waiting';
  }

  // The kinds the server names (server/booking/booking_sync.hpp, pullErrorKind).
  const errorKinds = ['unreachable', 'timeout', 'login', 'http_error', 'fault', 'malformed'];

  function errorText(c) {
    const { t } = Loket;
    if (!c.last_error_kind) return t('common.none');
    const kind = errorKinds.includes(c.last_error_kind) ? c.last_error_kind : 'other';
    const text = t(`dashboard.booking.error.${kind}`, { status: c.last_error_status ?? '' });
    return `${text} ${t('dashboard.booking.error_since', { time: Loket.clock(c.last_error_at) })}`;
  }

  const systems = ['jcc', 'jcc_rest', 'qmatic', 'ics'];
  function systemName(system) {
    return systems.includes(system) ? Loket.t(`dashboard.booking.system.${system}`) : system;
  }

  function render(status) {
    if (status) last = status;
    if (!last) return;
    const { t, el } = Loket;
    const connectors = last.connectors || [];
    $('booking-none').hidden = connectors.length > 0;
    $('booking-table').hidden = connectors.length === 0;
    $('booking-body').replaceChildren(...connectors.map((c) => {
      const state = stateOf(c);
      return el('tr', { dataset: { connector: c.name, state } },
        el('th', { scope: 'row' }, c.name, ' ', el('span', { class: 'muted' }, `(${systemName(c.system)})`)),
        el('td', { dataset: { col: 'state' } }, el('span', { class: `badge booking-${state}` }, t(`dashboard.booking.state.${state}`))),
        el('td', { dataset: { col: 'last_success' } }, c.last_success ? Loket.clock(c.last_success) : t('dashboard.booking.never')),
        el('td', { class: 'num', dataset: { col: 'appointments' } }, c.last_success ? String(c.appointments) : t('common.none')),
        el('td', { dataset: { col: 'last_error' } }, errorText(c)),
        el('td', { dataset: { col: 'next_pull' } }, c.next_pull ? Loket.clock(c.next_pull) : t('common.none')));
    }));
  }

  // `get` is the dashboard's authorised GET (it logs out on 401/403).
  async function refresh(get) {
    const result = await get('/api/v1/booking/status');
    if (result.ok) render(result.data);
  }

  return { refresh, render };
})();
