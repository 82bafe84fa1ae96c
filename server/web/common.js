'use strict';
// Shared by the counter console, the dashboard and the visitor page: texts in the chosen
// language, calls to the hall server's API (errors come back as values, never as exceptions),
// the staff session (a bearer token in sessionStorage, never a cookie), the live event stream,
// and time formatting. Loaded after strings.js; no page state lives here.
window.Loket = (() => {
  const strings = window.LOKET_STRINGS;
  const languages = Object.keys(strings);
  const listeners = [];
  let lang = languages.includes(sessionStorage.getItem('loket.lang')) ? sessionStorage.getItem('loket.lang') : 'nl';
  // Server time minus browser time, from the Date header: waits are shown with the hall's clock
  // even when a municipal PC's clock is a few minutes off.
  let clockOffsetMs = 0;

  function t(key, vars) {
    const text = strings[lang][key] ?? strings.nl[key];
    if (text === undefined) {
      console.error('loket: missing text key', key);
      return key;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name) => (vars && name in vars ? String(vars[name]) : whole));
  }

  function applyStrings(root = document) {
    document.documentElement.lang = lang;
    root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    root.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
    if (document.body.dataset.title) document.title = `${t(document.body.dataset.title)} — ${t('common.brand')}`;
    const toggle = document.getElementById('lang-toggle');
    if (toggle) {
      const other = otherLanguage();
      toggle.textContent = strings[lang]['common.other_language'];
      toggle.lang = other;
      toggle.setAttribute('aria-label', strings[lang]['common.other_language_label']);
    }
  }

  function otherLanguage() {
    return languages[(languages.indexOf(lang) + 1) % languages.length];
  }

  function setLanguage(code) {
    if (!languages.includes(code)) return;
    lang = code;
    sessionStorage.setItem('loket.lang', code);
    applyStrings();
    listeners.forEach((fn) => fn(code));
  }

  // Wires the language button and the static texts; `onChange` redraws the page's dynamic parts.
  function initPage(onChange) {
    if (onChange) listeners.push(onChange);
    const toggle = document.getElementById('lang-toggle');
    if (toggle) toggle.addEventListener('click', () => setLanguage(otherLanguage()));
    applyStrings();
  }

  // One API call. Resolves to {ok, status, data} or {ok: false, status, error: {code, message}};
  // status 0 means the server could not be reached.
  // `headers`: more request headers (an Idempotency-Key).
  async function api(path, { method = 'GET', body, token, contentType, raw = false, headers: extra = {} } = {}) {
    const headers = { ...extra };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload = body;
    if (body !== undefined && contentType) {
      headers['Content-Type'] = contentType;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
    } catch (e) {
      return { ok: false, status: 0, error: { code: 'network', message: String(e.message || e) } };
    }
    const serverDate = Date.parse(response.headers.get('Date') || '');
    if (!Number.isNaN(serverDate)) clockOffsetMs = serverDate - Date.now();
    if (raw && response.ok) return { ok: true, status: response.status, response };
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (response.ok) return { ok: true, status: response.status, data };
    const error = (data && data.error) || { code: `http_${response.status}`, message: text.slice(0, 200) || response.statusText };
    return { ok: false, status: response.status, error, data };
  }

  // A readable message for a failed call: a known code in the page's words, else the server's text.
  function errorText(result, prefix) {
    if (result.status === 0) return t('common.offline');
    const key = `${prefix}.error.${result.error.code}`;
    if (strings.nl[key]) return t(key);
    return t('common.error', { message: result.error.message || result.error.code });
  }

  const session = {
    load() {
      const token = sessionStorage.getItem('loket.token');
      const expires = Date.parse(sessionStorage.getItem('loket.expires') || '');
      if (!token) return null;
      if (!Number.isNaN(expires) && expires <= now()) {
        session.clear();
        return null;
      }
      let counters = ['*'];
      try { counters = JSON.parse(sessionStorage.getItem('loket.counters') || '["*"]'); } catch { /* keep all */ }
      return { token, role: sessionStorage.getItem('loket.role') || '', counters, location: sessionStorage.getItem('loket.location') || '' };
    },
    // `counters`: the counter ids this account may work at ("*" = all), as the login answered.
    // `location`: where this session works (a city; empty in one hall).
    save({ token, role, expires_at: expiresAt, counters, location }) {
      sessionStorage.setItem('loket.token', token);
      sessionStorage.setItem('loket.location', location || '');
      sessionStorage.setItem('loket.role', role || '');
      sessionStorage.setItem('loket.expires', expiresAt || '');
      sessionStorage.setItem('loket.counters', JSON.stringify(Array.isArray(counters) ? counters : ['*']));
    },
    clear() {
      ['loket.token', 'loket.role', 'loket.expires', 'loket.counters', 'loket.location'].forEach((k) => sessionStorage.removeItem(k));
    }
  };

  // The login form shared by the staff pages, put at the start of `section`; returns the form.
  // Element ids (login-title, username, password, login-error) are the same on every page.
  function buildLoginForm(section) {
    const form = el('form', { id: 'login-form', novalidate: true },
      el('label', { for: 'username', 'data-i18n': 'common.login.username' }),
      el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true }),
      el('label', { for: 'password', 'data-i18n': 'common.login.password' }),
      el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      el('p', { id: 'login-error', class: 'error', role: 'alert' }),
      el('button', { type: 'submit', class: 'primary', 'data-i18n': 'common.login.submit' }));
    section.prepend(el('h2', { id: 'login-title', 'data-i18n': 'common.login.title' }), form);
    applyStrings(section);
    return form;
  }

  // The location choice of the login form, for an account that works at several locations:
  // a list of the locations it may choose, by name (GET /api/v1/locations), before the error line.
  async function showLocationChoice(form, choices) {
    const names = {};
    const list = await api('/api/v1/locations');
    if (list.ok && list.data && Array.isArray(list.data.locations)) list.data.locations.forEach((l) => { names[l.id] = l.name; });
    let select = form.elements.location;
    if (!select) {
      select = el('select', { id: 'location', name: 'location', required: true });
      form.querySelector('.error').before(el('label', { for: 'location', 'data-i18n': 'common.login.location' }), select);
      applyStrings(form);
    }
    select.replaceChildren(...choices.map((id) => el('option', { value: id }, names[id] || id)));
  }

  // Handles the login form: calls `onSuccess(session)` after a good login.
  function wireLoginForm(form, errorEl, onSuccess) {
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const username = form.elements.username.value.trim();
      const password = form.elements.password.value;
      errorEl.textContent = '';
      if (!username || !password) {
        errorEl.textContent = t('common.login.missing');
        (username ? form.elements.password : form.elements.username).focus();
        return;
      }
      const body = { username, password };
      if (form.elements.location && form.elements.location.value) body.location = form.elements.location.value;
      const result = await api('/api/v1/login', { method: 'POST', body });
      if (!result.ok) {
        // A city: an account that works at several locations chooses one (docs/locations.md).
        const details = (result.error && result.error.details) || {};
        if (details.field === 'location' && Array.isArray(details.choices)) {
          await showLocationChoice(form, details.choices);
          errorEl.textContent = t('common.login.choose_location');
          form.elements.location.focus();
          return;
        }
        if (result.status === 401) errorEl.textContent = t('common.login.failed');
        else if (result.status === 429) errorEl.textContent = t('common.login.throttled');
        else errorEl.textContent = errorText(result, 'common');
        form.elements.password.select();
        return;
      }
      form.elements.password.value = '';
      session.save(result.data);
      onSuccess(session.load());
    });
  }

  const streamTypes = ['ticket.issued', 'ticket.called', 'ticket.recalled', 'ticket.started', 'ticket.completed',
    'ticket.no_show', 'ticket.transferred', 'ticket.cancelled', 'counter.updated', 'device.updated', 'configuration.changed', 'reset'];

  // Live events for staff. EventSource reconnects by itself (sending Last-Event-ID); when the
  // server refuses the stream (expired token) it stops, so we open a new one after a pause and
  // let the page reload its state, since events may have been missed in between.
  function connectEvents(token, { onEvent, onStateChange }) {
    let source = null;
    let retryTimer = null;
    let stopped = false;
    function open() {
      source = new EventSource(`/api/v1/events?access_token=${encodeURIComponent(token)}`);
      source.onopen = () => onStateChange('open');
      source.onerror = () => {
        onStateChange('error');
        if (source.readyState === EventSource.CLOSED && !stopped) {
          retryTimer = setTimeout(() => { open(); onEvent('reset', {}); }, 5000);
        }
      };
      streamTypes.forEach((type) => source.addEventListener(type, (ev) => {
        let data = {};
        try { data = ev.data ? JSON.parse(ev.data) : {}; } catch { return; }
        onEvent(type, data);
      }));
    }
    open();
    return {
      close() {
        stopped = true;
        clearTimeout(retryTimer);
        if (source) source.close();
      }
    };
  }

  function now() { return Date.now() + clockOffsetMs; }

  // "10:15" from an RFC 3339 time: the string already carries the hall's offset, so its own
  // wall-clock part is the hall's local time whatever the browser's time zone is.
  function clock(iso) {
    return typeof iso === 'string' && iso.length >= 16 ? iso.slice(11, 16) : t('common.none');
  }

  // "4:20" for 260 seconds, "1:02:03" past an hour.
  function duration(seconds) {
    if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return t('common.none');
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = String(s % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
  }

  function secondsSince(iso) {
    const at = Date.parse(iso);
    return Number.isNaN(at) ? null : (now() - at) / 1000;
  }

  // Where a waiting ticket stands against its norm: past it, predicted to breach it (the
  // expected call comes after due_at, or due_at is less than a minute away), or on time.
  function risk(ticket) {
    const due = Date.parse(ticket.due_at);
    if (Number.isNaN(due)) return 'ok';
    const at = now();
    if (at >= due) return 'late';
    const expectedCall = at + (ticket.estimated_wait_s || 0) * 1000;
    if (expectedCall >= due || due - at < 60000) return 'at_risk';
    return 'ok';
  }
  const riskRank = { late: 0, at_risk: 1, ok: 2 };

  // Predicted breaches first (past the norm, then at risk, each by due time), then the queue order.
  function sortByRisk(tickets) {
    return tickets
      .map((ticket) => ({ ticket, risk: risk(ticket) }))
      .sort((a, b) => riskRank[a.risk] - riskRank[b.risk]
        || (a.risk !== 'ok' ? Date.parse(a.ticket.due_at) - Date.parse(b.ticket.due_at) : 0)
        || (a.ticket.position ?? 0) - (b.ticket.position ?? 0)
        || Date.parse(a.ticket.issued_at) - Date.parse(b.ticket.issued_at));
  }

  // A service's name in the current language; the id when the service is unknown.
  function serviceName(services, id) {
    const service = services.find((s) => s.id === id);
    if (!service) return id || t('common.none');
    return (service.name && (service.name[lang] || service.name.nl)) || id;
  }

  // "A012 wacht 4:20 — afspraak 10:15": how staff see a waiting visitor at a glance.
  function queueSummary(ticket) {
    const waited = duration(secondsSince(ticket.issued_at));
    return ticket.appointment
      ? t('counter.queue.summary_appointment', { number: ticket.number, waited, time: clock(ticket.appointment.starts_at) })
      : t('counter.queue.summary_walk_in', { number: ticket.number, waited, time: clock(ticket.issued_at) });
  }

  function counterLabel(counters, id) {
    const counter = counters.find((c) => c.id === id);
    return t('common.counter_label', { name: counter ? counter.name : id });
  }

  // Small DOM helper: el('td', {class: 'x'}, 'text', child…).
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    });
    children.flat().forEach((c) => {
      if (c === null || c === undefined || c === false) return;
      node.append(c instanceof Node ? c : String(c));
    });
    return node;
  }

  // Says `text` once to screen readers through the page's polite live region.
  function announce(text) {
    const region = document.getElementById('announce');
    if (!region) return;
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  }

  return {
    t, initPage, applyStrings, get lang() { return lang; }, setLanguage,
    api, errorText, session, buildLoginForm, wireLoginForm, connectEvents,
    now, clock, duration, secondsSince, risk, sortByRisk, serviceName, counterLabel, queueSummary, el, announce
  };
})();
