'use strict';
// The visitor's phone page, opened from the QR on the ticket (/v/<public_code>). It polls the
// public visit endpoint (no login, no cookies), says the position and the expected wait, shows
// "your turn: counter 4" large and vibrates when called, and asks the satisfaction question once
// after the visit. The code in the address is the only key; the page shows no personal data.
(() => {
  const { t, api, el } = Loket;
  const $ = (id) => document.getElementById(id);
  const pollDelayMs = { waiting: 3000, called: 3000, serving: 10000 };
  const code = decodeURIComponent(location.pathname.replace(/^\/v\//, '').replace(/\/+$/, ''));
  const feedbackKey = `loket.feedback.${code}`;

  let visit = null;
  let timer = null;
  let updatedAt = null;

  function counterName(v) {
    if (v.counter_name) return v.counter_name;
    if (v.counter && typeof v.counter === 'object') return v.counter.name || v.counter.id;
    return v.counter || '';
  }

  // "6–10 minuten" from the server's range in seconds; a short wait says "almost your turn".
  function waitText(v) {
    const range = v.estimated_wait_range_s;
    const low = Math.floor(((range && range[0]) ?? v.estimated_wait_s ?? 0) / 60);
    const high = Math.ceil(((range && range[1]) ?? v.estimated_wait_s ?? 0) / 60);
    if (high <= 1) return t('visitor.wait_none');
    if (low >= high) return t('visitor.wait_one', { min: high });
    return t('visitor.wait', { low, high });
  }

  // Writes text only when it changed, so the polite live region speaks only on real news.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function render() {
    if (!visit) return;
    $('visit').hidden = false;
    $('unknown').hidden = true;
    setText($('number'), visit.number || '');
    const serviceName = visit.service_name && (visit.service_name[Loket.lang] || visit.service_name.nl);
    setText($('service'), serviceName || '');
    const status = visit.status;
    const counter = counterName(visit);
    const called = status === 'called';
    $('called').hidden = !called;
    setText($('called-title'), called ? t('visitor.called_title') : '');
    setText($('called-counter'), called ? t('visitor.called_counter', { counter }) : '');
    setText($('called-text'), called ? t('visitor.called', { counter }) : '');

    let statusLine = '';
    let waitLine = '';
    if (status === 'waiting') {
      statusLine = visit.position === 1 ? t('visitor.position_next') : t('visitor.position', { n: visit.position });
      waitLine = waitText(visit);
    } else if (status === 'serving') {
      statusLine = t('visitor.serving', { counter });
    } else if (status === 'done') {
      statusLine = t('visitor.done');
    } else if (status === 'no_show') {
      statusLine = t('visitor.no_show');
    } else if (status === 'cancelled') {
      statusLine = t('visitor.cancelled');
    }
    setText($('status-line'), statusLine);
    setText($('wait-line'), waitLine);
    $('status-line').hidden = !statusLine;
    $('wait-line').hidden = !waitLine;
    $('watch').hidden = !(status === 'waiting' || status === 'called');
    document.title = called ? `${t('visitor.called_doc_title', { counter })} — ${t('common.brand')}` : `${t('visitor.title')} — ${t('common.brand')}`;

    // Once per visit: the server says whether feedback was given (from this phone or another).
    const given = sessionStorage.getItem(feedbackKey) || (visit.feedback_given ? 'already' : '');
    $('feedback-form').hidden = status !== 'done' || !!given;
    $('feedback-done').hidden = !given;
    if (given) setText($('feedback-done'), t(given === 'already' ? 'visitor.feedback.already' : 'visitor.feedback.thanks'));
    setText($('updated'), updatedAt ? t('visitor.updated', { time: updatedAt.toLocaleTimeString(Loket.lang === 'nl' ? 'nl-NL' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }) }) : '');
  }

  function showUnknown() {
    visit = null;
    $('visit').hidden = true;
    $('unknown').hidden = false;
    document.title = `${t('visitor.unknown_title')} — ${t('common.brand')}`;
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  async function poll() {
    clearTimeout(timer);
    // Codes are URL-safe random text; anything else cannot be a ticket, so do not even ask.
    if (!/^[A-Za-z0-9_-]{8,128}$/.test(code)) {
      showUnknown();
      return;
    }
    const result = await api(`/api/v1/visits/${encodeURIComponent(code)}`);
    if (result.status === 404 || result.status === 400) {
      showUnknown();
      return;
    }
    if (!result.ok) {
      $('offline').hidden = false;
      schedule(8000);
      return;
    }
    $('offline').hidden = true;
    const previous = visit;
    visit = result.data;
    updatedAt = new Date();
    if (visit.status === 'called' && (!previous || previous.status !== 'called') && navigator.vibrate) {
      navigator.vibrate([400, 200, 400, 200, 400]);
    }
    render();
    const delay = pollDelayMs[visit.status];
    if (delay) schedule(delay);
  }

  function buildScores() {
    $('scores').replaceChildren(...Array.from({ length: 10 }, (_, i) => el('label', {},
      el('input', { type: 'radio', name: 'score', value: String(i + 1) }), el('span', {}, String(i + 1)))));
  }

  async function sendFeedback(ev) {
    ev.preventDefault();
    const form = $('feedback-form');
    const chosen = form.querySelector('input[name="score"]:checked');
    $('feedback-error').textContent = '';
    if (!chosen) {
      $('feedback-error').textContent = t('visitor.feedback.missing');
      form.querySelector('input[name="score"]').focus();
      return;
    }
    const body = { score: Number(chosen.value) };
    const comment = form.elements.comment.value.trim();
    if (comment) body.comment = comment;
    const result = await api(`/api/v1/visits/${encodeURIComponent(code)}/feedback`, { method: 'POST', body });
    if (result.ok || result.status === 409) {
      sessionStorage.setItem(feedbackKey, result.ok ? 'sent' : 'already');
      render();
      $('feedback-done').setAttribute('tabindex', '-1');
      $('feedback-done').focus();
    } else {
      $('feedback-error').textContent = t('visitor.feedback.failed');
    }
  }

  const asked = new URLSearchParams(location.search).get('lang');
  if (asked) Loket.setLanguage(asked);
  buildScores();
  $('feedback-form').addEventListener('submit', sendFeedback);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && visit && pollDelayMs[visit.status]) poll();
  });
  Loket.initPage(() => (visit ? render() : (!$('unknown').hidden && showUnknown())));
  poll();
})();
