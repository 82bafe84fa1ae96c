// The hall dashboard against the real hall server: after a short morning played over the API,
// every figure on the page matches /api/v1/stats and the live queue; an appointment file with
// bad lines is imported through the page with a line-by-line result; the day is exported as CSV.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHall, demo } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText, waitUntil } from './lib/browser.mjs';

const skip = skipReason() || false;

// The page's own formatting, written out again so that a change on either side is noticed.
const none = '—';
const pct = (v) => (v === null || v === undefined ? none : `${(Math.round(v * 10) / 10).toLocaleString('nl-NL')}%`);
const count = (v) => (v === null || v === undefined ? none : String(v));
const mmss = (s) => `${Math.floor(s / 60)}:${String(Math.round(s) % 60).padStart(2, '0')}`;
const triple = (w) => [w.p50_s, w.p95_s, w.max_s].map(mmss).join(' / ');

describe('dashboard: the hall in figures', { skip, timeout: 60000 }, () => {
  let hall;
  let browser;
  let page;
  let staffToken;
  let today;

  before(async () => {
    hall = await startHall();
    browser = await launchBrowser();
    staffToken = await hall.staffToken();
    const staff = { token: staffToken };
    await hall.must('POST', '/api/v1/counters/b1/open', { ...staff, body: {} });
    await hall.must('POST', '/api/v1/counters/b2/open', { ...staff, body: {} });
    const tickets = [];
    for (const service of ['paspoort', 'ophalen', 'ophalen', 'verhuizing', 'uittreksel', 'paspoort']) {
      tickets.push((await hall.checkIn({ service })).ticket);
    }
    // b1: two visitors (handled, partner); b2: one no-show, one back office; two keep waiting.
    const outcomes = [['b1', 'handled'], ['b2', null], ['b1', 'partner'], ['b2', 'backoffice']];
    for (const [counter, outcome] of outcomes) {
      const { ticket } = await hall.must('POST', `/api/v1/counters/${counter}/next`, { ...staff });
      if (outcome) await hall.must('POST', `/api/v1/tickets/${ticket.id}/complete`, { ...staff, body: { outcome } });
      else await hall.must('POST', `/api/v1/tickets/${ticket.id}/no-show`, { ...staff });
      if (outcome === 'handled') {
        const visit = await hall.must('GET', '/api/v1/tickets', { ...staff });
        const code = (Array.isArray(visit) ? visit : visit.tickets).find((t) => t.id === ticket.id).public_code;
        await hall.must('POST', `/api/v1/visits/${code}/feedback`, { body: { score: 9 } }, [201]);
      }
    }
    today = (await hall.stats()).date;
    page = await openPage(await browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' }), hall.url);
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  it('the start page links to the counter console and the dashboard', async () => {
    await page.goto(`${hall.url}/`);
    assert.deepEqual(await page.locator('main a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), ['/counter', '/dashboard', '/beheer']);
    await assertAccessible(page, 'the start page');
    await screenshot(page, 'index');
  });

  it('a counter account is refused; the admin account and an admin token open the dashboard', async () => {
    await page.goto(`${hall.url}/dashboard`);
    await assertAccessible(page, 'the dashboard login');
    await page.fill('#username', demo.username);
    await page.fill('#password', demo.password);
    await page.click('#login-form button[type=submit]');
    await waitForText(page.locator('#login-error'), /geen toegang/);

    await page.fill('#username', demo.adminUsername);
    await page.fill('#password', demo.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#dash-view:not([hidden])');
    await waitForText(page.locator('#whoami'), /Ingelogd als beheerder/);
    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');

    await page.click('details summary');
    await page.fill('#admin-token', demo.adminToken);
    await page.click('#token-form button[type=submit]');
    await page.waitForSelector('#dash-view:not([hidden])');
    assert.equal(await page.inputValue('#date'), today);
  });

  it('every figure of the day matches /api/v1/stats', async () => {
    const stats = await hall.stats();
    const expected = {
      visitors: count(stats.visitors),
      appointments: count(stats.appointments),
      walk_ins: count(stats.walk_ins),
      no_shows: count(stats.no_shows),
      pct_appointments_within_norm: pct(stats.pct_appointments_within_norm),
      pct_walk_ins_within_target: pct(stats.pct_walk_ins_within_target),
      'wait.appointment': triple(stats.wait.appointment),
      'wait.walk_in': triple(stats.wait.walk_in),
      'outcomes.handled': count(stats.outcomes.handled ?? 0),
      'outcomes.partner': count(stats.outcomes.partner ?? 0),
      'outcomes.backoffice': count(stats.outcomes.backoffice ?? 0),
      'outcomes.other': count(stats.outcomes.other ?? 0),
      feedback: `${stats.feedback.average.toLocaleString('nl-NL', { maximumFractionDigits: 1 })} (1 antwoord)`
    };
    assert.equal(stats.visitors, 6);
    assert.equal(stats.no_shows, 1);
    assert.equal(stats.feedback.average, 9);
    assert.equal(stats.feedback.count, 1);
    const shown = async () => Object.fromEntries(await Promise.all(Object.keys(expected).map(async (k) => [k, (await page.textContent(`[data-stat="${k}"]`)).trim()])));
    await waitUntil(async () => JSON.stringify(await shown()) === JSON.stringify(expected), 'the page shows the figures of /api/v1/stats');

    const hours = await page.locator('#hour-body tr').evaluateAll((rows) => rows.map((r) => [Number(r.dataset.hour), r.querySelector('[data-col=visitors]').textContent]));
    assert.deepEqual(hours, stats.by_hour.map((h) => [h.hour, String(h.visitors)]));
    assert.equal(await page.locator('#wait-svg rect[stroke]').count() > 0, true, 'the wait chart has bars');
  });

  it('the staff log lists the day\'s counter actions by ticket number, as /api/v1/audit', async () => {
    const audit = await hall.must('GET', `/api/v1/audit?day=${today}`, { token: demo.adminToken });
    const opened = audit.entries.filter((e) => e.action === 'counter.open').map((e) => e.target);
    assert.deepEqual(opened, ['b1', 'b2']);
    await waitUntil(async () => (await page.locator('#audit-body tr').count()) === audit.entries.length, 'the staff log shows every entry of the day');
    const rows = await page.locator('#audit-body tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows.map((r) => [r[1], r[2], r[3]]), audit.entries.slice(0, rows.length).map((e) => [e.actor, e.action, e.target]));
    assert.ok(rows.some((r) => r[2] === 'ticket.no_show'), 'the no-show is in the log');
  });

  it('the live part matches the queue and the counters', async () => {
    const waiting = await hall.must('GET', '/api/v1/tickets?status=waiting', { token: staffToken });
    const list = Array.isArray(waiting) ? waiting : waiting.tickets;
    assert.equal(list.length, 2);
    await waitForText(page.locator('[data-stat="live.waiting"]'), /^2$/);
    await waitForText(page.locator('[data-stat="live.counters_open"]'), /^2 van \d+$/);
    for (const service of new Set(list.map((t) => t.service))) {
      const n = list.filter((t) => t.service === service).length;
      await waitForText(page.locator(`#service-body tr[data-service="${service}"] [data-col=waiting]`), new RegExp(`^${n}$`));
    }
    // A new check-in reaches the dashboard through the event stream.
    await hall.checkIn({ service: 'geboorte' });
    await waitForText(page.locator('[data-stat="live.waiting"]'), /^3$/);
    await assertAccessible(page, 'the dashboard with figures');
  });

  it('refuses an appointment file with bad lines whole, reports them by line number, then imports the corrected file', async () => {
    const good = [
      'code,date,time,services,duration_min,persons,name',
      `K7Q2MX,${today},23:15,paspoort,10,1,J. de Vries`,
      `M3N4PQ,${today},23:30,paspoort+rijbewijs,20,2,A. Jansen`
    ];
    const bad = [
      `BAD1,${today},23:45,paspoort,10,1,Te korte code`,
      `R5T6UV,${today},25:00,paspoort,10,1,Geen tijd`,
      `W7X8YZ,${today},23:50,zwemles,10,1,Onbekende dienst`
    ];
    const csvFile = (lines) => ({ name: 'afspraken.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await page.setInputFiles('#import-file', csvFile([...good, ...bad]));
    await page.click('#import-form button[type=submit]');
    await waitForText(page.locator('#import-summary'), /^Niets ingelezen\./);
    const lines = await page.locator('#import-error-body tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th').textContent, r.querySelector('td').textContent]));
    assert.deepEqual(lines.map(([line]) => line), ['4', '5', '6']);
    lines.forEach(([line, message]) => assert.ok(message.trim().length > 0, `line ${line} has a message`));
    await assertAccessible(page, 'the import result');
    await screenshot(page, 'dashboard');
    const none = await hall.must('GET', `/api/v1/appointments?date=${today}`, { token: demo.adminToken });
    assert.deepEqual((Array.isArray(none) ? none : none.appointments).map((a) => a.code), [], 'a refused file stores nothing');

    await page.setInputFiles('#import-file', csvFile(good));
    await page.click('#import-form button[type=submit]');
    await waitForText(page.locator('#import-summary'), /^2 nieuw, 0 bijgewerkt, 0 overgeslagen\. Geen fouten\.$/);
    await page.setInputFiles('#import-file', csvFile(good));
    await page.click('#import-form button[type=submit]');
    await waitForText(page.locator('#import-summary'), /^0 nieuw, 0 bijgewerkt, \d+ overgeslagen\./);
    const booked = await hall.must('GET', `/api/v1/appointments?date=${today}`, { token: demo.adminToken });
    assert.deepEqual((Array.isArray(booked) ? booked : booked.appointments).map((a) => a.code).sort(), ['K7Q2MX', 'M3N4PQ']);
  });

  it('shows which kiosk still holds tickets from an outage, and how many (offline kiosks)', async () => {
    // The kiosk's heartbeat says what its journal holds; the dashboard names the kiosk and the count.
    await hall.must('POST', '/api/v1/devices/heartbeat', {
      token: demo.kioskToken,
      body: { status: 'ok', detail: { printer: 'ok', unsent_tickets: 12, no_number_tickets: 0, offline_ready: true } }
    });
    await page.reload();
    const line = await waitForText(page.locator('#unsent-list li'), /12/);
    assert.match(line, /12/);
    assert.equal(await page.locator('#unsent-none').isHidden(), true);
    await assertAccessible(page, 'the dashboard with a kiosk holding unsent tickets');
    await page.locator('#unsent-list').scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-unsent');
    // Uploaded: the kiosk reports 0 and drops off the list.
    await hall.must('POST', '/api/v1/devices/heartbeat', {
      token: demo.kioskToken,
      body: { status: 'ok', detail: { printer: 'ok', unsent_tickets: 0, no_number_tickets: 0, offline_ready: true } }
    });
    await page.reload();
    await waitUntil(async () => (await page.locator('#unsent-list li').count()) === 0, 'the kiosk leaves the list once its tickets are in');
  });

  it('exports the day as a CSV file without personal data', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    assert.equal(download.suggestedFilename(), `loket-${today}.csv`);
    const text = readFileSync(await download.path(), 'utf8');
    const server = await hall.must('GET', `/api/v1/export?date=${today}`, { token: demo.adminToken });
    assert.equal(text, server);
    assert.ok(text.split('\n').length >= 7, 'a header and a line per visit');
    assert.doesNotMatch(text, /de Vries|Jansen/);
    await waitForText(page.locator('#export-result'), new RegExp(`loket-${today}\\.csv`));
    assertNoProblems(page);
  });
});
