'use strict';
// The host page (/host, role host): check a visitor in on their behalf — a walk-in in one tap, an
// appointment found by code, time or name — with what they need at the counter; the ticket shown
// big with its QR, or printed on a chosen kiosk (the tablet shows it when the kiosk cannot print
// within 5 s, and says why); questions answered at the door; and the hall at a glance.
(() => {
  const { t, api, el, session, errorText, clock } = window.Loket;
  const $ = (id) => document.getElementById(id);
  const kNeeds = ['sitting_desk', 'hearing_loop', 'interpreter', 'extra_time', 'companion'];
  const kPollMs = 500;
  const kHallRefreshMs = 5000;
  const state = { session: null, hall: null, mode: 'code', ticket: null, printJob: null, timer: null };

  function serviceName(service) {
    return (service.name && (service.name[window.Loket.lang] || service.name.nl)) || service.id;
  }
  function serviceNameById(id) {
    const service = state.hall && state.hall.services.find((s) => s.id === id);
    return service ? serviceName(service) : id;
  }
  function minutes(seconds) {
    if (seconds === null || seconds === undefined) return t('host.hall.no_estimate');
    return t('host.hall.minutes', { minutes: Math.max(0, Math.round(seconds / 60)) });
  }

  // ---- session ----
  function showLogin() {
    $('login-view').hidden = false;
    $('work-view').hidden = true;
    $('logout').hidden = true;
    $('whoami').hidden = true;
  }

  async function start(s) {
    if (!s || (s.role !== 'host' && s.role !== 'admin')) {
      session.clear();
      showLogin();
      if (s) $('login-error').textContent = t('common.login.forbidden');
      return;
    }
    state.session = s;
    $('login-view').hidden = true;
    $('work-view').hidden = false;
    $('logout').hidden = false;
    $('whoami').hidden = false;
    $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${s.role}`) });
    await refreshHall();
    clearInterval(state.timer);
    state.timer = setInterval(refreshHall, kHallRefreshMs);
  }

  async function call(path, options = {}) {
    const result = await api(path, { ...options, token: state.session && state.session.token });
    if (result.status === 401) {
      session.clear();
      clearInterval(state.timer);
      showLogin();
    }
    return result;
  }

  // ---- the hall ----
  async function refreshHall() {
    const result = await call('/api/v1/host/hall');
    if (!result.ok) return;
    state.hall = result.data;
    render();
  }

  function render() {
    if (!state.hall) return;
    const { services, due, breaches, kiosks } = state.hall;
    const walkIns = services.filter((s) => s.walk_in);
    $('walk-in-services').replaceChildren(...walkIns.map((s) => el('button', {
      type: 'button', class: 'host-service-button', dataset: { service: s.id }, onclick: () => issueWalkIn(s.id)
    }, el('span', { class: 'host-service-name' }, serviceName(s)),
    el('span', { class: 'host-service-wait' }, t('host.walk_in.wait', { waiting: s.waiting, wait: minutes(s.estimated_wait_s) })))));
    $('door-services').replaceChildren(...services.map((s) => el('button', {
      type: 'button', class: 'host-service-button', dataset: { service: s.id }, onclick: () => answerAtDoor(s.id)
    }, el('span', { class: 'host-service-name' }, serviceName(s)),
    el('span', { class: 'host-service-wait' }, t('host.door.count', { count: s.answered_at_door })))));
    $('hall-services').replaceChildren(...services.map((s) => el('tr', {},
      el('th', { scope: 'row' }, serviceName(s)), el('td', {}, String(s.waiting)), el('td', {}, minutes(s.estimated_wait_s)))));
    $('hall-due').replaceChildren(...(due.length ? due.map((a) => dueItem(a)) : [el('li', {}, t('host.hall.none_due'))]));
    $('hall-breaches').replaceChildren(...(breaches.length ? breaches.map((b) => el('li', {},
      b.no_counter ? t('host.hall.breach_no_counter', { number: b.number, service: serviceNameById(b.service) })
        : t('host.hall.breach', { number: b.number, service: serviceNameById(b.service), due: clock(b.due_at), call: clock(b.expected_call_at) })))
      : [el('li', {}, t('host.hall.none_breaching'))]));
    // The print choice keeps what the host chose, as long as that kiosk is still there.
    const select = $('print-on');
    const chosen = select.value || sessionStorage.getItem('loket.host.print') || '';
    select.replaceChildren(el('option', { value: '' }, t('host.print.tablet')),
      ...kiosks.map((k) => el('option', { value: k.id }, t(k.status === 'offline' || k.status === 'unknown' ? 'host.print.kiosk_offline' : 'host.print.kiosk', { name: k.name }))));
    select.value = kiosks.some((k) => k.id === chosen) ? chosen : '';
  }

  // A due appointment shows its time and services; the name only after a tap (others may see the tablet).
  function dueItem(a) {
    const item = el('li', { class: 'host-result' },
      el('span', { class: 'host-result-time' }, a.time),
      el('span', {}, a.services.map(serviceNameById).join(' + ')),
      a.late ? el('span', { class: 'badge late' }, t('host.hall.late')) : null);
    const show = el('button', { type: 'button', class: 'secondary big', onclick: async () => {
      const found = await call(`/api/v1/host/appointments?code=${encodeURIComponent(a.code)}`);
      if (!found.ok || !found.data.appointments.length) return;
      show.replaceWith(resultItem(found.data.appointments[0], true));
    } }, t('host.hall.show', { time: a.time }));
    item.append(show);
    return item;
  }

  // ---- needs and where the ticket goes ----
  function chosenNeeds() {
    const kinds = kNeeds.filter((k) => $(`need-${k}`).checked);
    return { kinds, language: $('need-language').value.trim() };
  }
  function clearNeeds() {
    kNeeds.forEach((k) => { $(`need-${k}`).checked = false; });
    $('need-language').value = '';
  }

  function idempotencyKey() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function issue(body, messageEl) {
    const key = idempotencyKey();
    messageEl.textContent = '';
    // The last ticket goes away at once: the host never reads an old number as the new one.
    $('ticket-view').hidden = true;
    $('ticket-number').textContent = '';
    const result = await postWithKey('/api/v1/host/tickets', { ...body, language: window.Loket.lang, needs: chosenNeeds() }, key);
    if (!result.ok) {
      messageEl.textContent = errorText(result, 'host');
      return;
    }
    clearNeeds();
    showTicket(result.data);
    const kiosk = $('print-on').value;
    if (kiosk) await printOn(kiosk, result.data.ticket.id);
    else $('ticket-print').textContent = t('host.print.shown');
    refreshHall();
  }

  // The API wants an Idempotency-Key on a check-in: a retry never makes a second ticket.
  async function postWithKey(path, body, key) {
    let response;
    try {
      response = await fetch(path, {
        method: 'POST', credentials: 'omit', cache: 'no-store',
        headers: { Authorization: `Bearer ${state.session.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(body)
      });
    } catch (e) {
      return { ok: false, status: 0, error: { code: 'network', message: String(e.message || e) } };
    }
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, status: response.status, data };
    return { ok: false, status: response.status, error: (data && data.error) || { code: `http_${response.status}`, message: response.statusText } };
  }

  function issueWalkIn(service) { return issue({ service }, $('walk-in-message')); }

  // ---- the ticket ----
  function drawQr(qr) {
    const box = $('ticket-qr');
    box.replaceChildren();
    if (!qr) return;
    const quiet = 4;
    const side = qr.size + 2 * quiet;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t('host.ticket.qr'));
    svg.setAttribute('shape-rendering', 'crispEdges');
    const bg = document.createElementNS(ns, 'rect');
    bg.setAttribute('width', side);
    bg.setAttribute('height', side);
    bg.setAttribute('fill', '#fff');
    svg.append(bg);
    let d = '';
    qr.rows.forEach((row, y) => {
      for (let x = 0; x < row.length; x += 1) if (row[x] === '1') d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    });
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', '#000');
    svg.append(path);
    box.append(svg);
  }

  function showTicket(answer) {
    state.ticket = answer.ticket;
    $('ticket-view').hidden = false;
    $('ticket-number').textContent = answer.ticket.number;
    const appointment = answer.ticket.appointment ? t('host.ticket.appointment', { time: clock(answer.ticket.appointment.starts_at) }) : '';
    $('ticket-service').textContent = [answer.ticket.services.map(serviceNameById).join(' + '), appointment].filter(Boolean).join(' — ');
    drawQr(answer.qr);
    $('ticket-qr').hidden = false;
    $('ticket-view').focus();
    window.Loket.announce(t('host.ticket.announce', { number: answer.ticket.number }));
  }

  // Asks the kiosk to print; while it does, the QR waits. Offline, out of paper or busy for
  // more than 5 s: the tablet shows the ticket and says why.
  async function printOn(kiosk, ticketId) {
    const name = (state.hall.kiosks.find((k) => k.id === kiosk) || { name: kiosk }).name;
    $('ticket-print').textContent = t('host.print.printing', { name });
    $('ticket-qr').hidden = true;
    let result = await call(`/api/v1/host/tickets/${ticketId}/print`, { method: 'POST', body: { kiosk } });
    while (result.ok && (result.data.status === 'queued' || result.data.status === 'printing')) {
      await new Promise((resolve) => { setTimeout(resolve, kPollMs); });
      result = await call(`/api/v1/host/print-jobs/${result.data.job}`);
    }
    if (result.ok && result.data.status === 'printed') {
      $('ticket-print').textContent = t('host.print.printed', { name });
      return;
    }
    $('ticket-qr').hidden = false;
    const reason = result.ok ? result.data.reason : 'failed';
    $('ticket-print').textContent = t(`host.print.failed.${['offline', 'paper_out', 'cover_open', 'busy'].includes(reason) ? reason : 'other'}`, { name });
  }

  async function saveNeedsOnTicket() {
    if (!state.ticket) return;
    const result = await call(`/api/v1/host/tickets/${state.ticket.id}/needs`, { method: 'POST', body: { needs: chosenNeeds() } });
    $('ticket-print').textContent = result.ok ? t('host.ticket.needs_saved') : errorText(result, 'host');
    if (result.ok) clearNeeds();
  }

  // ---- appointments ----
  const modeLabels = { code: 'host.search.code_label', time: 'host.search.time_label', name: 'host.search.name_label' };
  function setMode(mode) {
    state.mode = mode;
    ['code', 'time', 'name'].forEach((m) => $(`mode-${m}`).setAttribute('aria-pressed', String(m === mode)));
    $('search-label').dataset.i18n = modeLabels[mode];
    $('search-label').textContent = t(modeLabels[mode]);
    $('search-input').inputMode = mode === 'time' ? 'numeric' : 'text';
    $('search-input').value = '';
    $('search-results').replaceChildren();
    $('search-message').textContent = '';
    $('search-input').focus();
  }

  // One appointment found: time, services, the name (shown at once when searched by name, else on
  // a tap) and the check-in button.
  function resultItem(a, showName) {
    const name = a.name || t('host.appointment.no_name');
    const nameEl = el('span', { class: 'host-result-name' }, showName ? name : '');
    const item = el('li', { class: 'host-result' },
      el('span', { class: 'host-result-time' }, a.time),
      el('span', {}, a.services.map(serviceNameById).join(' + ')),
      nameEl);
    if (!showName) {
      const reveal = el('button', { type: 'button', class: 'secondary big', onclick: () => { nameEl.textContent = name; reveal.remove(); } },
        t('host.appointment.show_name'));
      item.append(reveal);
    }
    if (a.ticket) {
      item.append(el('span', { class: 'badge' }, t('host.appointment.checked_in', { number: a.ticket.number })));
    } else {
      item.append(el('button', { type: 'button', class: 'primary big', onclick: () => issue({ appointment_code: a.code }, $('search-message')) },
        t('host.appointment.check_in', { time: a.time })));
    }
    return item;
  }

  async function search(ev) {
    ev.preventDefault();
    const q = $('search-input').value.trim();
    $('search-message').textContent = '';
    if (!q) {
      $('search-message').textContent = t('host.search.empty');
      return;
    }
    const result = await call(`/api/v1/host/appointments?${state.mode}=${encodeURIComponent(q)}`);
    if (!result.ok) {
      $('search-message').textContent = errorText(result, 'host');
      return;
    }
    const list = result.data.appointments;
    $('search-message').textContent = list.length ? t('host.search.found', { count: list.length }) : t('host.search.none');
    $('search-results').replaceChildren(...list.map((a) => resultItem(a, state.mode === 'name')));
  }

  // ---- the door ----
  async function answerAtDoor(service) {
    const result = await call('/api/v1/host/door', { method: 'POST', body: { service } });
    $('door-message').textContent = result.ok
      ? t('host.door.recorded', { service: serviceNameById(service), count: result.data.answered_at_door })
      : errorText(result, 'host');
    if (result.ok) refreshHall();
  }

  // ---- tabs ----
  function showTab(name) {
    ['walk-in', 'appointment', 'door', 'hall'].forEach((n) => {
      $(`tab-${n}`).setAttribute('aria-pressed', String(n === name));
      $(`panel-${n}`).hidden = n !== name;
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    window.Loket.initPage(() => { render(); setModeLabel(); });
    function setModeLabel() { $('search-label').textContent = t(modeLabels[state.mode]); }
    const form = window.Loket.buildLoginForm($('login-view'));
    window.Loket.wireLoginForm(form, $('login-error'), start);
    $('logout').addEventListener('click', async () => {
      await call('/api/v1/logout', { method: 'POST' });
      session.clear();
      clearInterval(state.timer);
      showLogin();
    });
    ['walk-in', 'appointment', 'door', 'hall'].forEach((n) => $(`tab-${n}`).addEventListener('click', () => showTab(n)));
    ['code', 'time', 'name'].forEach((m) => $(`mode-${m}`).addEventListener('click', () => setMode(m)));
    $('search-form').addEventListener('submit', search);
    $('ticket-done').addEventListener('click', () => { $('ticket-view').hidden = true; state.ticket = null; });
    $('ticket-needs').addEventListener('click', saveNeedsOnTicket);
    $('print-on').addEventListener('change', () => sessionStorage.setItem('loket.host.print', $('print-on').value));
    const s = session.load();
    if (s) start(s);
    else showLogin();
  });
})();
