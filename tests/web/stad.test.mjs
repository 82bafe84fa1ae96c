// The city dashboard (/stad) against the real server with firmware-config/city.example.toml:
// an account that works at several locations chooses one at log-in; a manager sees every
// location side by side, with the figures GET /api/v1/city gives; a manager of one location sees
// that one only; counter staff are refused. axe-core checks the page (WCAG 2.1 A/AA).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startHall } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText } from './lib/browser.mjs';

const skip = skipReason() || false;
const password = 'demo-demo-demo';

describe('stad: every location side by side', { skip, timeout: 60000 }, () => {
  let hall;
  let browser;
  let context;

  const checkIn = (token, service) => hall.must('POST', '/api/v1/tickets', {
    token, body: { service, language: 'nl' }, headers: { 'Idempotency-Key': randomUUID() }
  }, [201]);

  before(async () => {
    hall = await startHall({ configFile: 'city.example.toml' });
    browser = await launchBrowser();
    // Stadhuis: three waiting, one counter open; Noord: one waiting; Oosterdorp: quiet.
    for (const service of ['paspoort', 'ophalen', 'uittreksel']) await checkIn('stadhuis-kiosk-token', service);
    await checkIn('noord-kiosk-token', 'ophalen');
    const { token } = await hall.must('POST', '/api/v1/login', { body: { username: 'demo', password, location: 'stadhuis' } });
    await hall.must('POST', '/api/v1/counters/b1/open', { token, body: {} });
    // A display that reported a fault: an alert at Noord.
    await hall.must('POST', '/api/v1/devices/heartbeat', { token: 'noord-display-token', body: { status: 'error', detail: {} } });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  async function logIn(page, username) {
    await page.goto(`${hall.url}/stad`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('#login-form button[type=submit]');
  }

  it('a manager of every location chooses one, then sees all three side by side', async () => {
    const page = await openPage(context, hall.url);
    await logIn(page, 'beheer');
    // Three locations to choose from, by name.
    await waitForText(page.locator('#login-error'), /Kies waar u vandaag werkt/);
    assert.deepEqual(await page.locator('#location option').allTextContents(),
      ['Stadhuis Rijnwaarde', 'Servicepunt Noord', 'Servicepunt Oosterdorp']);
    await assertAccessible(page, 'the log-in with a location choice');
    await page.selectOption('#location', 'stadhuis');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#city-view:not([hidden])');

    const api = await hall.must('GET', '/api/v1/city', { token: await page.evaluate(() => sessionStorage.getItem('loket.token')) });
    assert.deepEqual(api.locations.map((l) => l.waiting), [3, 1, 0]);
    const head = await page.locator('#city-head th').allTextContents();
    assert.deepEqual(head, ['Cijfer', 'Stadhuis Rijnwaarde (uw locatie)', 'Servicepunt Noord', 'Servicepunt Oosterdorp']);
    const rows = await page.locator('#city-body tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    assert.deepEqual(rows[0], ['Nu wachtend', '3', '1', '0']);
    assert.equal(rows[1][0], 'Langste wachttijd');
    assert.match(rows[1][1], /^\d+ min\.$/);
    assert.equal(rows[1][3], '—');
    assert.deepEqual(rows[2], ['Afspraken binnen de norm (vandaag)', '—', '—', '—']);
    assert.deepEqual(rows[3], ['Balies open', '1 van 3', '0 van 2', '0 van 1']);
    assert.equal(rows[4][0], 'Meldingen van apparaten');
    assert.match(rows[4][1], /Zuil bij de ingang: (geen verbinding|nog niets gehoord)/);
    assert.match(rows[4][2], /Scherm Noord: storing/);
    await assertAccessible(page, 'the city dashboard');
    await screenshot(page, 'stad');
    assertNoProblems(page);

    // In English too.
    await page.click('#lang-toggle');
    await waitForText(page.locator('#city-body tr').first(), /Waiting now/);
    await page.click('#lang-toggle');
    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');
    await page.close();
  });

  it('a manager of one location logs in without a choice and sees that one only', async () => {
    const page = await openPage(context, hall.url);
    await logIn(page, 'beheer-noord');
    await page.waitForSelector('#city-view:not([hidden])');
    await waitForText(page.locator('#city-head'), /Servicepunt Noord \(uw locatie\)/);
    assert.equal(await page.locator('#city-head th').count(), 2);
    assert.equal(await page.locator('#location').count(), 0);
    await page.click('#logout');
    await page.close();
  });

  it('counter staff are refused', async () => {
    const page = await openPage(context, hall.url);
    await logIn(page, 'noord');
    await waitForText(page.locator('#login-error'), /geen toegang/);
    await page.close();
  });
});
