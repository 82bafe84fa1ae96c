'use strict';
// The counter console: log in, take a counter, open / pause / close it, call the next visitor
// (button or Alt+V), act on the called visitor, and watch this counter's queue and the hall's
// device alerts live. All state comes from the server; the page re-reads it after every event.
// When the server cannot be reached the console says it is reconnecting, disables every action
// (the banner gives the reason), and sends its last action again with the same Idempotency-Key
// until an answer comes: the server runs it once, so a retried "next" never calls two visitors.
(() => {
  const { t, api, el } = Loket;
  const $ = (id) => document.getElementById(id);

  const state = {
    session: null,
    counterId: sessionStorage.getItem('loket.counter'),
    services: [],
    counters: [],
    waiting: [],
    devices: [],
    stream: null,
    queueSignature: '',
    knownAlerts: null,
    reachable: true,
    // The action sent and not yet answered: {path, body, key, what(), onDone, tries}.
    pending: null,
    focusBefore: null // the button that had the focus when the server went away
  };

  // How long to wait before sending the pending action again, and between looks while away.
  const kRetryMs = [500, 1000, 2000, 3000];
  let retryTimer = null;
  let probeTimer = null;

  function show(view) {
    ['login-view', 'choose-view', 'work-view'].forEach((id) => { $(id).hidden = id !== view; });
    const loggedIn = view !== 'login-view';
    $('logout').hidden = !loggedIn;
    $('whoami').hidden = !loggedIn;
    $('change-counter').hidden = view !== 'work-view';
    $('connection').hidden = view !== 'work-view';
  }

  function myCounter() {
    return state.counters.find((c) => c.id === state.counterId) || null;
  }

  function logout(message) {
    if (state.stream) state.stream.close();
    state.stream = null;
    clearTimeout(retryTimer);
    clearTimeout(probeTimer);
    state.pending = null;
    document.body.removeAttribute('aria-busy');
    setReachable(true);
    Loket.session.clear();
    state.session = null;
    show('login-view');
    $('login-error').textContent = message || '';
    $('username').focus();
  }

  // Reads a staff endpoint; a refused token sends the user back to the login form.
  async function staffGet(path) {
    const result = await api(path, { token: state.session.token });
    if (result.status === 401) logout(t('counter.error.unauthorized'));
    return result;
  }

  async function loadHall() {
    const result = await staffGet('/api/v1/hall');
    if (!result.ok) return false;
    state.services = result.data.services || [];
    state.counters = result.data.counters || [];
    return true;
  }

  async function start() {
    $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${state.session.role}`) });
    if (!(await loadHall())) {
      // Server unreachable: keep the session and try again; a refused token already logged out.
      if (state.session) {
        show('login-view');
        $('login-error').textContent = t('common.offline');
        setTimeout(start, 5000);
      }
      return;
    }
    if (myCounter() && allowedCounters().includes(myCounter())) enterWork();
    else chooseCounter();
  }

  // The counters this account may work at.
  function allowedCounters() {
    const allowed = state.session.counters || ['*'];
    return state.counters.filter((c) => allowed.includes('*') || allowed.includes(c.id));
  }

  function chooseCounter() {
    const select = $('counter-select');
    select.replaceChildren(...allowedCounters().map((c) => el('option', { value: c.id, selected: c.id === state.counterId },
      `${Loket.counterLabel(state.counters, c.id)} — ${t(`common.state.${c.state}`)}`)));
    show('choose-view');
    select.focus();
  }

  function enterWork() {
    sessionStorage.setItem('loket.counter', state.counterId);
    show('work-view');
    renderAll();
    refresh();
    if (!state.stream) {
      state.stream = Loket.connectEvents(state.session.token, { onEvent, onStateChange });
    }
    $('next').focus();
  }

  let refreshTimer = null;
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 100);
  }

  async function refresh() {
    if (!state.session) return;
    const [counters, waiting, devices] = await Promise.all([
      staffGet('/api/v1/counters'),
      staffGet('/api/v1/tickets?status=waiting'),
      staffGet('/api/v1/devices')
    ]);
    if (!state.session) return;
    if ([counters, waiting, devices].some(unreachable)) {
      setReachable(false);
      return;
    }
    if (state.pending && !state.reachable) {
      // The server answers again: send the waiting action now rather than at its next try.
      clearTimeout(retryTimer);
      send();
    } else {
      setReachable(true);
    }
    if (counters.ok) state.counters = counters.data;
    if (waiting.ok) state.waiting = Array.isArray(waiting.data) ? waiting.data : (waiting.data.tickets || []);
    if (devices.ok) state.devices = devices.data;
    renderAll();
  }

  function onEvent(type) {
    if (type === 'reset') {
      loadHall().then(refresh);
      return;
    }
    scheduleRefresh();
  }

  function onStateChange(connection) {
    const line = $('connection');
    line.textContent = connection === 'open' ? t('common.live') : t('common.offline');
    line.classList.toggle('is-offline', connection !== 'open');
    // Open: read what changed meanwhile. Lost: look whether the server answers at all.
    scheduleRefresh();
  }

  // ---- the connection --------------------------------------------------------------------

  // No answer from the server (or a proxy saying it has none): the action did not arrive, or
  // its answer was lost. Anything else, a refusal too, is an answer.
  function unreachable(result) {
    return result.status === 0 || result.status === 502 || result.status === 503 || result.status === 504;
  }

  // A new key per press: 128 random bits (crypto.getRandomValues also works on plain http).
  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function setReachable(reachable) {
    if (state.reachable === reachable) return;
    state.reachable = reachable;
    clearTimeout(probeTimer);
    if (reachable) {
      Loket.announce(t('counter.reconnecting.back'));
    } else {
      Loket.announce(t('counter.reconnecting.title'));
      // While away and nothing to send: look again now and then (the pending action looks itself).
      const probe = () => {
        if (state.reachable || !state.session) return;
        if (!state.pending) refresh();
        probeTimer = setTimeout(probe, kRetryMs[kRetryMs.length - 1]);
      };
      probeTimer = setTimeout(probe, kRetryMs[0]);
    }
    renderConnection();
  }

  // The reconnecting banner, and every action button disabled (with the banner as its reason)
  // while the server cannot be reached. (An action waiting for its answer keeps the buttons and
  // their focus; act() ignores presses meanwhile.)
  function renderConnection() {
    const away = !state.reachable && !!state.session && !$('work-view').hidden;
    const banner = $('reconnecting');
    const actions = '#work-view button, #change-counter';
    const focused = document.activeElement;
    banner.hidden = !away;
    $('reconnecting-retry').textContent = away && state.pending ? t('counter.reconnecting.retry', { action: state.pending.what() }) : '';
    document.querySelectorAll(actions).forEach((button) => {
      button.disabled = !state.reachable;
      const described = (button.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== 'reconnecting-reason');
      if (away) described.push('reconnecting-reason');
      if (described.length) button.setAttribute('aria-describedby', described.join(' '));
      else button.removeAttribute('aria-describedby');
    });
    // A disabled button would drop the keyboard focus: it goes to the banner, and back to the
    // button when the server answers again.
    if (away && focused && focused.matches && focused.matches(actions)) {
      state.focusBefore = focused;
      banner.focus();
    } else if (!away && state.focusBefore) {
      if (focused === banner || focused === document.body) {
        if (document.contains(state.focusBefore)) state.focusBefore.focus();
      }
      state.focusBefore = null;
    }
  }

  // ---- rendering -------------------------------------------------------------------------

  function renderAll() {
    if (!state.session || $('work-view').hidden) return;
    renderDesk();
    renderQueue();
    renderAlerts();
    renderConnection();
  }

  function renderDesk() {
    const counter = myCounter();
    if (!counter) return;
    $('counter-state').textContent = t('counter.state.line', { name: counter.name, state: t(`common.state.${counter.state}`) });
    $('counter-state').dataset.state = counter.state;
    $('open').setAttribute('aria-pressed', String(counter.state === 'open'));
    $('pause').setAttribute('aria-pressed', String(counter.state === 'paused'));
    $('close').setAttribute('aria-pressed', String(counter.state === 'closed'));

    const ticket = counter.ticket;
    $('current-none').hidden = !!ticket;
    $('current-ticket').hidden = !ticket;
    if (!ticket) return;
    $('current-number').textContent = ticket.number;
    $('current-status').textContent = t(`common.status.${ticket.status}`);
    $('current-status').dataset.status = ticket.status;
    $('current-service').textContent = ticketServices(ticket);
    const details = [t(`common.kind.${ticket.kind}`)];
    if (ticket.appointment) {
      details.push(t('counter.current.appointment', { time: Loket.clock(ticket.appointment.starts_at) }));
      if (ticket.appointment.name) details.push(ticket.appointment.name);
    }
    details.push(t('counter.current.checked_in', { time: Loket.clock(ticket.issued_at) }));
    if (ticket.called_at) details.push(t('counter.current.called_at', { time: Loket.clock(ticket.called_at) }));
    $('current-details').textContent = details.join(' · ');
    // What the visitor needs at the counter, as the host marked it (issue 18).
    const needs = ticket.needs || { kinds: [], language: '' };
    const needTexts = needs.kinds.map((k) => t(`counter.need.${k}`));
    if (needs.language) needTexts.push(t('counter.need.language', { language: needs.language }));
    $('current-needs').hidden = needTexts.length === 0;
    $('current-needs').textContent = needTexts.length ? `${t('counter.needs.title')} ${needTexts.join(', ')}` : '';
    const called = ticket.status === 'called';
    $('recall').hidden = !called;
    $('start').hidden = !called;
    $('no-show').hidden = !called;
    renderTransferTargets(counter);
  }

  function renderTransferTargets(counter) {
    const select = $('transfer-target');
    const previous = select.value;
    const serviceOptions = state.services.map((s) => el('option', { value: `service:${s.id}` }, Loket.serviceName(state.services, s.id)));
    const counterOptions = state.counters.filter((c) => c.id !== counter.id)
      .map((c) => el('option', { value: `counter:${c.id}` }, Loket.counterLabel(state.counters, c.id)));
    select.replaceChildren(
      el('optgroup', { label: t('counter.action.transfer_services') }, serviceOptions),
      el('optgroup', { label: t('counter.action.transfer_counters') }, counterOptions));
    if (previous) select.value = previous;
  }

  function ticketServices(ticket) {
    const ids = ticket.services && ticket.services.length ? ticket.services : [ticket.service];
    return ids.map((id) => Loket.serviceName(state.services, id)).join(' + ');
  }

  // The queue this counter may serve: tickets whose every service this counter handles, except
  // tickets transferred to one counter (`only_counter`), which only that counter sees.
  function myQueue() {
    const counter = myCounter();
    if (!counter) return [];
    return state.waiting.filter((ticket) => {
      if (ticket.status && ticket.status !== 'waiting') return false;
      if (ticket.only_counter) return ticket.only_counter === counter.id;
      const ids = ticket.services && ticket.services.length ? ticket.services : [ticket.service];
      return ids.every((id) => (counter.services || []).includes(id));
    });
  }

  function waitedText(ticket) {
    return Loket.duration(Loket.secondsSince(ticket.issued_at));
  }

  function renderQueue() {
    const entries = Loket.sortByRisk(myQueue());
    state.queueSignature = entries.map((e) => `${e.ticket.id}:${e.risk}`).join(',') + Loket.lang;
    const focusedId = document.activeElement && document.activeElement.dataset.ticketId;

    $('queue-count').textContent = t('counter.queue.count', { count: entries.length });
    $('queue-empty').hidden = entries.length > 0;
    $('queue-table').hidden = entries.length === 0;
    $('queue-body').replaceChildren(...entries.map(({ ticket, risk }) => el('tr', { class: `risk-${risk}`, dataset: { ticketId: ticket.id } },
      el('th', { scope: 'row', class: 'number' }, ticket.number),
      el('td', {}, ticketServices(ticket), ticket.appointment && ticket.appointment.name
        ? el('span', { class: 'muted block' }, ticket.appointment.name) : null),
      el('td', {}, ticket.appointment
        ? t('counter.current.appointment', { time: Loket.clock(ticket.appointment.starts_at) })
        : t('counter.current.checked_in', { time: Loket.clock(ticket.issued_at) })),
      el('td', { class: 'waited' }, waitedText(ticket)),
      el('td', {}, el('span', { class: `badge risk-badge risk-${risk}` }, t(`common.risk.${risk}`))),
      el('td', {}, el('button', {
        type: 'button', class: 'secondary small', dataset: { ticketId: ticket.id, action: 'call' },
        'aria-label': t('counter.action.call_label', { number: ticket.number })
      }, t('counter.action.call'))))));

    const urgent = entries.filter((e) => e.risk !== 'ok');
    $('attention').hidden = urgent.length === 0;
    $('attention-list').replaceChildren(...urgent.map(({ ticket, risk }) => el('li', { class: `risk-${risk}`, dataset: { ticketId: ticket.id } },
      el('span', { class: 'summary' }, Loket.queueSummary(ticket)), ' ', el('span', { class: `badge risk-badge risk-${risk}` }, t(`common.risk.${risk}`)))));

    renderConnection();
    if (focusedId) {
      const again = $('queue-body').querySelector(`button[data-ticket-id="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
  }

  // Every second: waits grow in place; the table is rebuilt only when order or marks change, so
  // keyboard focus and a screen reader's place in the table are not thrown away.
  function tick() {
    if (!state.session || $('work-view').hidden) return;
    const entries = Loket.sortByRisk(myQueue());
    const signature = entries.map((e) => `${e.ticket.id}:${e.risk}`).join(',') + Loket.lang;
    if (signature !== state.queueSignature) {
      renderQueue();
      return;
    }
    entries.forEach(({ ticket }) => {
      const row = $('queue-body').querySelector(`tr[data-ticket-id="${CSS.escape(String(ticket.id))}"] .waited`);
      if (row) row.textContent = waitedText(ticket);
      const line = $('attention-list').querySelector(`li[data-ticket-id="${CSS.escape(String(ticket.id))}"] .summary`);
      if (line) line.textContent = Loket.queueSummary(ticket);
    });
  }

  function alertsFor(device) {
    const name = device.name || device.id;
    const printer = device.detail && device.detail.printer;
    if (device.status === 'offline') {
      const text = device.last_seen
        ? t('counter.alerts.offline', { device: name, time: Loket.clock(device.last_seen) })
        : t('counter.alerts.never_seen', { device: name });
      return [{ key: `${device.id}:offline`, level: 'error', text }];
    }
    if (printer && printer !== 'ok' && ['paper_low', 'paper_out', 'cover_open'].includes(printer)) {
      return [{ key: `${device.id}:${printer}`, level: printer === 'paper_low' ? 'warning' : 'error', text: t(`counter.alerts.${printer}`, { device: name }) }];
    }
    if (printer === 'offline') {
      return [{ key: `${device.id}:printer_offline`, level: 'error', text: t('counter.alerts.printer_offline', { device: name }) }];
    }
    if (device.status === 'error' || device.status === 'degraded') {
      return [{ key: `${device.id}:${device.status}`, level: device.status === 'error' ? 'error' : 'warning', text: t(`counter.alerts.${device.status}`, { device: name }) }];
    }
    return [];
  }

  function renderAlerts() {
    const alerts = state.devices.flatMap(alertsFor);
    $('alerts').replaceChildren(...(alerts.length
      ? alerts.map((a) => el('li', { class: `alert alert-${a.level}`, dataset: { alert: a.key } }, a.text))
      : [el('li', { class: 'muted' }, t('counter.alerts.none'))]));
    const keys = new Set(alerts.map((a) => a.key));
    if (state.knownAlerts) alerts.filter((a) => !state.knownAlerts.has(a.key)).forEach((a) => Loket.announce(a.text));
    state.knownAlerts = keys;
  }

  // ---- actions ---------------------------------------------------------------------------

  function say(text, isError) {
    const line = $('desk-message');
    line.textContent = text;
    line.classList.toggle('error', !!isError);
  }

  // Runs one staff action with its own Idempotency-Key; a second press while one is under way
  // (or while the server is away) is ignored. `what` names the action in the reconnecting banner.
  function act(path, body, onDone, what) {
    if (state.pending || !state.reachable || !state.session) return;
    state.pending = { path, body, onDone, what, key: newKey(), tries: 0 };
    document.body.setAttribute('aria-busy', 'true');
    renderConnection();
    send();
  }

  // Sends the pending action; without an answer, again with the same key after a pause.
  async function send() {
    const p = state.pending;
    if (!p || !state.session) return;
    const result = await api(p.path, { method: 'POST', body: p.body, token: state.session.token, headers: { 'Idempotency-Key': p.key } });
    if (state.pending !== p) return; // logged out meanwhile
    if (unreachable(result)) {
      p.tries += 1;
      document.body.removeAttribute('aria-busy'); // the banner says what goes on, and must be heard
      setReachable(false);
      renderConnection();
      retryTimer = setTimeout(send, kRetryMs[Math.min(p.tries, kRetryMs.length) - 1]);
      return;
    }
    state.pending = null;
    document.body.removeAttribute('aria-busy');
    setReachable(true);
    renderConnection();
    if (result.status === 401) {
      logout(t('counter.error.unauthorized'));
      return;
    }
    if (result.ok) say(p.onDone(result), false);
    else say(Loket.errorText(result, 'counter'), true);
    await refresh();
  }

  function calledText(result) {
    const ticket = result.data && result.data.ticket;
    const counter = myCounter();
    return ticket ? t('counter.done.called', { number: ticket.number, counter: counter ? counter.name : state.counterId }) : '';
  }

  function next() {
    act(`/api/v1/counters/${encodeURIComponent(state.counterId)}/next`, undefined,
      (result) => (result.status === 204 ? t('counter.next.empty') : calledText(result)), () => t('counter.next'));
  }

  function setCounterState(action, stateName) {
    act(`/api/v1/counters/${encodeURIComponent(state.counterId)}/${action}`, action === 'open' ? {} : undefined,
      () => t('counter.done.state', { name: myCounter() ? myCounter().name : state.counterId, state: t(`common.state.${stateName}`) }),
      () => t(`counter.state.${action}`));
  }

  function ticketAction(action, body, doneKey, labelKey) {
    const ticket = myCounter() && myCounter().ticket;
    if (!ticket) return;
    act(`/api/v1/tickets/${encodeURIComponent(ticket.id)}/${action}`, body, () => t(doneKey, { number: ticket.number }),
      () => `${t(labelKey)} ${ticket.number}`);
  }

  function wire() {
    Loket.wireLoginForm(Loket.buildLoginForm($('login-view')), $('login-error'), (session) => { state.session = session; start(); });
    $('logout').addEventListener('click', () => logout(''));
    $('change-counter').addEventListener('click', chooseCounter);
    $('choose-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.counterId = $('counter-select').value;
      if (myCounter()) enterWork();
    });
    $('open').addEventListener('click', () => setCounterState('open', 'open'));
    $('pause').addEventListener('click', () => setCounterState('pause', 'paused'));
    $('close').addEventListener('click', () => setCounterState('close', 'closed'));
    $('next').addEventListener('click', next);
    $('recall').addEventListener('click', () => ticketAction('recall', undefined, 'counter.done.recalled', 'counter.action.recall'));
    $('start').addEventListener('click', () => ticketAction('start', undefined, 'counter.done.started', 'counter.action.start'));
    $('no-show').addEventListener('click', () => ticketAction('no-show', undefined, 'counter.done.no_show', 'counter.action.no_show'));
    $('transfer-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const [kind, id] = $('transfer-target').value.split(':');
      if (!id) return;
      ticketAction('transfer', kind === 'counter' ? { counter: id } : { service: id }, 'counter.done.transferred', 'counter.action.transfer');
    });
    $('complete-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const form = ev.target;
      const body = { outcome: form.elements.outcome.value };
      const note = form.elements.note.value.trim();
      if (note) body.note = note;
      form.elements.note.value = '';
      ticketAction('complete', body, 'counter.done.completed', 'counter.action.complete');
    });
    $('queue-body').addEventListener('click', (ev) => {
      const button = ev.target.closest('button[data-action="call"]');
      if (!button) return;
      const number = button.closest('tr').querySelector('th.number').textContent;
      act(`/api/v1/counters/${encodeURIComponent(state.counterId)}/call`, { ticket_id: ticketIdValue(button.dataset.ticketId) }, calledText,
        () => `${t('counter.action.call')} ${number}`);
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.code === 'KeyV' && !$('work-view').hidden) {
        ev.preventDefault();
        next();
      }
    });
  }

  // Ticket ids travel as the server gave them (number or string); data attributes are strings.
  function ticketIdValue(text) {
    const found = state.waiting.find((ticket) => String(ticket.id) === text);
    return found ? found.id : text;
  }

  wire();
  Loket.initPage(() => {
    if (state.session) $('whoami').textContent = t('common.logged_in_as', { role: t(`common.role.${state.session.role}`) });
    renderAll();
    renderConnection();
  });
  setInterval(tick, 1000);
  setInterval(() => { if (state.session && !$('work-view').hidden) refresh(); }, 30000);
  state.session = Loket.session.load();
  if (state.session) start();
  else show('login-view');
})();
