// A morning at two counters, each in its own browser context (its own staff session), against
// the real hall server: visitors check in at the kiosk over the API, both consoles see the queue
// live, staff call, recall, start, complete, mark a no-show, call out of order, transfer, see a
// kiosk's paper alert and pause. Every state of the console passes axe-core (WCAG 2.1 A/AA).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHall, demo } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText, waitUntil } from './lib/browser.mjs';

const skip = skipReason() || false;

describe('counter console: a morning with two counters', { skip, timeout: 60000 }, () => {
  let hall;
  let browser;
  let staffToken;
  let desk1;
  let desk2;
  const issued = [];

  // Logs in on a fresh browser context (its own sessionStorage) and takes the counter. With
  // `firstWrongPassword` the page first checks the refusal and the login form's accessibility.
  async function takeCounter(counterId, { firstWrongPassword = false } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    const page = await openPage(context, hall.url);
    await page.goto(`${hall.url}/counter`);
    await page.fill('#username', demo.username);
    if (firstWrongPassword) {
      await page.fill('#password', 'not-the-password');
      await page.click('#login-form button[type=submit]');
      await waitForText(page.locator('#login-error'), /Gebruikersnaam of wachtwoord klopt niet\./);
      await assertAccessible(page, 'the counter login with an error');
      await screenshot(page, 'counter-login');
    }
    await page.fill('#password', demo.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#choose-view:not([hidden])');
    await page.selectOption('#counter-select', counterId);
    await page.click('#choose-form button[type=submit]');
    await page.waitForSelector('#work-view:not([hidden])');
    await waitForText(page.locator('#connection'), /Live verbonden/);
    return page;
  }

  const queueNumbers = (page) => page.locator('#queue-body th.number').allTextContents();
  const byNumber = (number) => issued.find((t) => t.number === number);

  before(async () => {
    // The shortest norm the hall allows (60 s), so an appointment visitor is at risk at once.
    hall = await startHall({ configOverrides: { norm_s: 60 } });
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  it('a wrong password is refused clearly; two staff members log in, take counters 1 and 2 and open them', async () => {
    desk1 = await takeCounter('b1', { firstWrongPassword: true });
    // The test checks the server's side with desk 1's own session (a login costs a password hash).
    staffToken = await desk1.evaluate(() => sessionStorage.getItem('loket.token'));
    desk2 = await takeCounter('b2');
    await desk1.click('#open');
    await desk2.click('#open');
    await waitForText(desk1.locator('#counter-state'), /Balie 1 is: Open/);
    await waitForText(desk2.locator('#counter-state'), /Balie 2 is: Open/);
    const counters = await hall.must('GET', '/api/v1/counters', { token: staffToken });
    assert.deepEqual(counters.filter((c) => ['b1', 'b2'].includes(c.id)).map((c) => c.state), ['open', 'open']);
  });

  it('visitors who check in at the kiosk appear live in both queues', async () => {
    for (const service of ['paspoort', 'ophalen', 'verhuizing', 'uittreksel', 'ophalen']) {
      issued.push((await hall.checkIn({ service })).ticket);
    }
    // An appointment for this very minute (hall time, taken from a ticket), checked in now.
    const [date, time] = [issued[0].issued_at.slice(0, 10), issued[0].issued_at.slice(11, 16)];
    const csv = `code,date,time,services,duration_min,persons,name\nK7Q2MX,${date},${time},rijbewijs,10,1,J. de Vries\n`;
    const imported = await hall.must('POST', '/api/v1/appointments/import', { token: demo.adminToken, body: csv, contentType: 'text/csv' });
    assert.equal(imported.imported, 1, JSON.stringify(imported));
    issued.push((await hall.checkIn({ appointment_code: 'K7Q2MX' })).ticket);

    const numbers = issued.map((t) => t.number).sort();
    await waitUntil(async () => (await queueNumbers(desk1)).sort().join() === numbers.join(), 'desk 1 shows all six tickets');
    await waitUntil(async () => (await queueNumbers(desk2)).sort().join() === numbers.join(), 'desk 2 shows all six tickets');
    await waitForText(desk1.locator('#queue-count'), /6 wachtend/);
    const row = desk1.locator('#queue-body tr', { hasText: issued[0].number });
    await waitForText(row, /Paspoort/);
    await waitForText(row, /Ingecheckt \d\d:\d\d/);
    await waitForText(row, /Op tijd/);
  });

  it('the appointment visitor close to the norm is marked and listed first', async () => {
    const appointment = issued[issued.length - 1];
    const first = desk1.locator('#queue-body tr').first();
    await waitForText(first.locator('th'), new RegExp(`^${appointment.number}$`));
    await waitForText(first, /Dreigt te laat|Over de norm/);
    await waitForText(first, new RegExp(`Afspraak ${issued[0].issued_at.slice(11, 16)}`));
    await waitForText(first, /J\. de Vries/);
    await waitForText(desk1.locator('#attention-list'), new RegExp(`${appointment.number} wacht \\d+:\\d\\d — afspraak \\d\\d:\\d\\d`));
  });

  it('"Volgende" calls a visitor to counter 1, who leaves counter 2\'s queue at once', async () => {
    await desk1.click('#next');
    const number = await waitForText(desk1.locator('#current-number'), /^[A-Z]\d{3}$/);
    await waitForText(desk1.locator('#current-status'), /Opgeroepen/);
    await waitForText(desk1.locator('#desk-message'), new RegExp(`${number} opgeroepen naar balie 1`));
    await waitUntil(async () => !(await queueNumbers(desk2)).includes(number), `${number} gone from desk 2's queue`);
    const ticket = await hall.ticket(staffToken, byNumber(number).id);
    assert.equal(ticket.status, 'called');
    assert.equal(ticket.counter, 'b1');
  });

  it('Alt+V calls the next visitor to counter 2', async () => {
    await desk2.locator('body').press('Alt+KeyV');
    const number = await waitForText(desk2.locator('#current-number'), /^[A-Z]\d{3}$/);
    assert.notEqual(number, await desk1.locator('#current-number').textContent());
    assert.equal((await hall.ticket(staffToken, byNumber(number).id)).counter, 'b2');
    await assertAccessible(desk2, 'the counter console with a called visitor');
  });

  it('counter 1 recalls, starts and completes with the outcome "back office"', async () => {
    const number = await desk1.locator('#current-number').textContent();
    await desk1.click('#recall');
    await waitForText(desk1.locator('#desk-message'), new RegExp(`${number} opnieuw opgeroepen`));
    await desk1.click('#start');
    await waitForText(desk1.locator('#current-status'), /Wordt geholpen/);
    assert.equal(await desk1.locator('#recall').isVisible(), false, 'no recall while serving');
    await desk1.check('#complete-form input[value=backoffice]');
    await desk1.fill('#complete-note', 'Aanvraag naar de backoffice');
    await desk1.click('#complete');
    await waitForText(desk1.locator('#desk-message'), new RegExp(`${number} is afgerond`));
    await desk1.waitForSelector('#current-ticket', { state: 'hidden' });
    const ticket = await hall.ticket(staffToken, byNumber(number).id);
    assert.equal(ticket.status, 'done');
    assert.equal(ticket.outcome, 'backoffice');
  });

  it('counter 2 marks its visitor as a no-show', async () => {
    const number = await desk2.locator('#current-number').textContent();
    await desk2.click('#no-show');
    await waitForText(desk2.locator('#desk-message'), new RegExp(`${number} is niet verschenen`));
    assert.equal((await hall.ticket(staffToken, byNumber(number).id)).status, 'no_show');
  });

  it('counter 1 calls the last visitor in its queue out of order', async () => {
    const waiting = await queueNumbers(desk1);
    const last = waiting[waiting.length - 1];
    await desk1.click(`#queue-body button[aria-label="Oproepen: ${last}"]`);
    await waitForText(desk1.locator('#current-number'), new RegExp(`^${last}$`));
    assert.equal((await hall.ticket(staffToken, byNumber(last).id)).status, 'called');
  });

  it('counter 1 transfers its visitor to another service; the number keeps its place in the queue', async () => {
    const number = await desk1.locator('#current-number').textContent();
    await desk1.selectOption('#transfer-target', 'service:overig');
    await desk1.click('#transfer-form button[type=submit]');
    await waitForText(desk1.locator('#desk-message'), new RegExp(`${number} is doorgestuurd`));
    const ticket = await hall.ticket(staffToken, byNumber(number).id);
    assert.equal(ticket.status, 'waiting');
    assert.equal(ticket.number, number);
    assert.equal(ticket.service, 'overig');
    await waitUntil(async () => (await queueNumbers(desk2)).includes(number), `${number} back in desk 2's queue`);
  });

  it('counter 1 transfers a visitor to counter 2: only counter 2 sees them', async () => {
    // The console still shows the visitor it just transferred (who may well be called again:
    // they kept their place): take the number from the call's own message.
    await desk1.click('#next');
    const message = await waitForText(desk1.locator('#desk-message'), /[A-Z]\d{3} opgeroepen naar balie 1/);
    const number = message.match(/([A-Z]\d{3}) opgeroepen/)[1];
    await waitForText(desk1.locator('#current-number'), new RegExp(`^${number}$`));
    await desk1.selectOption('#transfer-target', 'counter:b2');
    await desk1.click('#transfer-form button[type=submit]');
    await waitForText(desk1.locator('#desk-message'), new RegExp(`${number} is doorgestuurd`));
    await waitUntil(async () => (await queueNumbers(desk2)).includes(number), `${number} in desk 2's queue`);
    await waitUntil(async () => !(await queueNumbers(desk1)).includes(number), `${number} not in desk 1's queue`);
    const ticket = await hall.ticket(staffToken, byNumber(number).id);
    assert.equal(ticket.status, 'waiting');
    assert.equal(ticket.only_counter, 'b2');
  });

  it('both consoles show a kiosk whose paper runs low', async () => {
    await hall.must('POST', '/api/v1/devices/heartbeat', { token: demo.kioskToken, body: { status: 'degraded', detail: { printer: 'paper_low' } } });
    await waitForText(desk1.locator('#alerts'), /papier bijna op/);
    await waitForText(desk2.locator('#alerts'), /papier bijna op/);
    await assertAccessible(desk1, 'the counter console with a hall alert and a queue');
    await screenshot(desk1, 'counter-console');
  });

  it('counter 2 pauses; the server and the console agree', async () => {
    await desk2.click('#pause');
    await waitForText(desk2.locator('#counter-state'), /Balie 2 is: Pauze/);
    await desk2.click('#lang-toggle');
    await waitForText(desk2.locator('#counter-state'), /Counter 2 is: Paused/);
    assert.equal(await desk2.getAttribute('html', 'lang'), 'en');
    await desk2.click('#lang-toggle');
    const counters = await hall.must('GET', '/api/v1/counters', { token: staffToken });
    assert.equal(counters.find((c) => c.id === 'b2').state, 'paused');
    await desk2.click('#next');
    await waitForText(desk2.locator('#desk-message'), /\S/);
    assert.equal(await desk2.locator('#current-ticket').isVisible(), false, 'a paused counter calls nobody');
  });

  it('the day\'s statistics count what the consoles did', async () => {
    const stats = await hall.stats();
    assert.equal(stats.no_shows, 1);
    assert.equal(stats.outcomes.backoffice, 1);
    assertNoProblems(desk1);
    assertNoProblems(desk2);
  });
});
