// The dashboard's booking-system panel against the real hall server with two [[booking]]
// connections to a calendar server on loopback (an iCalendar feed, GET as the ICS connector
// asks): one that works, one that refuses Loket's login. The panel shows per connection the
// state, the last successful pull, the appointments fetched, the last error in plain Dutch and the
// next attempt — as GET /api/v1/booking/status says; the feed going down and coming back shows.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startHall, demo } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText, waitUntil } from './lib/browser.mjs';

const skip = skipReason() || false;

// 20261201T093000Z for an instant.
const icsTime = (ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

// The calendar server: /balie.ics is the hall's agenda, /prive.ics wants a login Loket lacks.
function calendarServer() {
  const soon = Date.now();
  const events = [['WEBAFSPRAAK1', 30], ['WEBAFSPRAAK2', 60]].map(([uid, minutes]) => [
    'BEGIN:VEVENT', `UID:${uid.toLowerCase()}@agenda.gemeente.example`, 'DTSTAMP:20261120T100000Z',
    `DTSTART:${icsTime(soon + minutes * 60000)}`, 'DURATION:PT15M', 'CATEGORIES:Paspoort',
    'ATTENDEE;CN=Sanne Bakker:mailto:sanne@example.nl', 'END:VEVENT'].join('\r\n'));
  const feed = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Loket tests//Agenda//NL', ...events, 'END:VCALENDAR', ''].join('\r\n');
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/balie.ics') {
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8' });
      res.end(feed);
    } else if (req.url === '/prive.ics') {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="agenda"', 'Content-Type': 'text/plain' });
      res.end('Unauthorized');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  let port = 0;
  return {
    async listen() {
      await new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
      port = server.address().port;
      return `http://127.0.0.1:${port}`;
    },
    // The calendar server is gone: connections are refused until listen() again (same port).
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };
}

describe('dashboard: the booking systems panel', { skip, timeout: 100000 }, () => {
  let calendar;
  let hall;
  let browser;
  let page;

  before(async () => {
    calendar = calendarServer();
    const base = await calendar.listen();
    const section = (name, file) => [
      '[[booking]]', 'system = "ics"', `name = "${name}"`, `endpoint = "${base}/${file}"`, 'pull_interval_s = 10',
      '[booking.products]', '"Paspoort" = "paspoort"', ''].join('\n');
    hall = await startHall({ configAppend: section('agenda-balie', 'balie.ics') + section('agenda-prive', 'prive.ics') });
    browser = await launchBrowser();
    page = await openPage(await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' }), hall.url);
    await page.goto(`${hall.url}/dashboard`);
    await page.click('details summary');
    await page.fill('#admin-token', demo.adminToken);
    await page.click('#token-form button[type=submit]');
    await page.waitForSelector('#dash-view:not([hidden])');
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
    if (calendar) await calendar.close().catch(() => {});
  });

  const status = async () => (await hall.must('GET', '/api/v1/booking/status', { token: demo.adminToken })).connectors;
  const row = (name) => page.locator(`#booking-body tr[data-connector="${name}"]`);
  const cell = (name, col) => row(name).locator(`[data-col="${col}"]`);
  const hhmm = (iso) => iso.slice(11, 16);

  it('shows each connection as the status says: one working, one refusing the login, in plain Dutch', async () => {
    await waitUntil(async () => (await status()).every((c) => c.last_success || c.last_error), 'both connections pulled once', 20000);
    const [balie, prive] = await status();
    assert.equal(balie.ok, true);
    assert.equal(balie.appointments, 2);
    assert.equal(prive.ok, false);
    assert.equal(prive.last_error_kind, 'login');
    assert.equal(prive.last_error_status, 401);

    await waitForText(cell('agenda-balie', 'state'), /^Werkt$/);
    assert.equal(await row('agenda-balie').locator('th').textContent(), 'agenda-balie (agenda)');
    assert.equal(await cell('agenda-balie', 'appointments').textContent(), '2');
    assert.equal(await cell('agenda-balie', 'last_error').textContent(), '—');
    // Both sides read afresh: the server pulls every 10 s, the page reads the status every 5 s.
    const sameAsStatus = (col, field) => waitUntil(async () => {
      const shown = await cell('agenda-balie', col).textContent();
      return shown === hhmm((await status())[0][field]) ? shown : false;
    }, `the ${col} cell shows the status's ${field}`, 15000);
    await sameAsStatus('last_success', 'last_success');
    await sameAsStatus('next_pull', 'next_pull');

    await waitForText(cell('agenda-prive', 'state'), /^Storing$/);
    assert.equal(await cell('agenda-prive', 'last_success').textContent(), 'Nog niet');
    assert.equal(await cell('agenda-prive', 'appointments').textContent(), '—');
    const error = await cell('agenda-prive', 'last_error').textContent();
    assert.match(error, /^Het boekingssysteem weigert de inlog van Loket\. Controleer de gebruikersnaam en het wachtwoord\. \(sinds \d\d:\d\d\)$/);
    assert.doesNotMatch(error, /HTTP|401/, 'no technical message for staff');
    await assertAccessible(page, 'the booking panel');
    await screenshot(page, 'dashboard-booking');
  });

  it('shows the calendar going down with the next attempt, and coming back', async () => {
    await calendar.close();
    await waitForText(cell('agenda-balie', 'state'), /^Storing$/, 25000);
    const [down] = await status();
    assert.equal(down.last_error_kind, 'unreachable');
    assert.equal(await cell('agenda-balie', 'appointments').textContent(), '2', 'what the last successful pull fetched');
    await waitForText(cell('agenda-balie', 'last_error'),
      new RegExp(`^Loket kan het boekingssysteem niet bereiken\\. \\(sinds ${hhmm(down.last_error_at)}\\)$`));
    await waitUntil(async () => {
      const [now] = await status();
      return now.last_error_kind === 'unreachable' && (await cell('agenda-balie', 'next_pull').textContent()) === hhmm(now.next_pull);
    }, 'the next attempt as the status says', 15000);
    assert.ok(down.next_pull > down.last_error_at, 'the next attempt is after the error');
    await assertAccessible(page, 'the booking panel with a connection down');

    await calendar.listen();
    await waitForText(cell('agenda-balie', 'state'), /^Werkt$/, 25000);
    assert.equal(await cell('agenda-balie', 'last_error').textContent(), '—');
    const [back] = await status();
    assert.ok(back.last_success > down.last_error_at, 'a pull after the error succeeded');
    assertNoProblems(page);
  });
});
