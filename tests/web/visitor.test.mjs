// The visitor's phone page (/v/<code>) on a phone-sized viewport, against the real hall server:
// a kiosk check-in over the API, the page following the ticket through the queue until it is
// called ("balie 1" large, the phone vibrates), the satisfaction question once after the visit,
// English, a friendly page for an unknown code, and no cookies at all.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText } from './lib/browser.mjs';

const skip = skipReason() || false;
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' };
const pollWaitMs = 8000; // the page polls every 3 s while the visitor waits or is called

describe('visitor page: following a ticket on the phone', { skip, timeout: 60000 }, () => {
  let hall;
  let browser;
  let context;
  let page;
  let staffToken;
  let ahead;
  let mine;
  let visitorPath;

  const call = (ticket) => hall.must('POST', '/api/v1/counters/b1/call', { token: staffToken, body: { ticket_id: ticket.id } });
  const complete = (ticket) => hall.must('POST', `/api/v1/tickets/${ticket.id}/complete`, { token: staffToken, body: { outcome: 'handled' } });

  before(async () => {
    hall = await startHall();
    browser = await launchBrowser();
    staffToken = await hall.staffToken();
    await hall.must('POST', '/api/v1/counters/b1/open', { token: staffToken, body: {} });
    ahead = (await hall.checkIn({ service: 'ophalen' })).ticket;
    const checkedIn = await hall.checkIn({ service: 'ophalen' });
    mine = checkedIn.ticket;
    visitorPath = new URL(checkedIn.visitor_url).pathname;
    context = await browser.newContext(phone);
    // Record vibration instead of shaking a phone: the page calls the standard API.
    await context.addInitScript(() => {
      window.vibrations = [];
      navigator.vibrate = (pattern) => { window.vibrations.push(pattern); return true; };
    });
    page = await openPage(context, hall.url);
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  it('the QR address opens the ticket: number, place in the queue and expected wait', async () => {
    assert.match(visitorPath, /^\/v\/[A-Za-z0-9_-]{22,}$/);
    await page.goto(hall.url + visitorPath);
    await waitForText(page.locator('#number'), new RegExp(`^${mine.number}$`));
    await waitForText(page.locator('#status-line'), new RegExp(`U bent nummer ${mine.position} in de rij\\.`));
    await waitForText(page.locator('#wait-line'), /Wachttijd: ongeveer \d+(–\d+)? minuten|U bent bijna aan de beurt\./);
    await waitForText(page.locator('#service'), /ophalen/);
    assert.equal(await page.getAttribute('#live', 'aria-live'), 'polite');
    await assertAccessible(page, 'the visitor page while waiting');
    await screenshot(page, 'visitor-waiting');
  });

  it('moves up without a page reload when the visitor ahead is called', async () => {
    await page.evaluate(() => { window.sameDocument = true; });
    await call(ahead);
    await waitForText(page.locator('#status-line'), /U bent de volgende\./, pollWaitMs);
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page did not reload');
  });

  it('says "your turn: counter 1" large and vibrates when called', async () => {
    await complete(ahead);
    await call(mine);
    await waitForText(page.locator('#called-title'), /U bent aan de beurt!/, pollWaitMs);
    await waitForText(page.locator('#called-counter'), /^Balie 1$/);
    await waitForText(page.locator('#called-text'), /Ga naar balie 1\./);
    assert.match(await page.title(), /Aan de beurt: balie 1/);
    assert.equal(await page.evaluate(() => window.vibrations.length), 1, 'the phone vibrated once');
    const size = await page.locator('#called-counter').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 40, `the counter is shown large (${size}px)`);
    await assertAccessible(page, 'the visitor page when called');
    await screenshot(page, 'visitor-called');
  });

  it('after the visit asks for a score once, and needs a score before sending', async () => {
    await complete(mine);
    await waitForText(page.locator('#status-line'), /Bedankt voor uw bezoek\./, pollWaitMs);
    await page.waitForSelector('#feedback-form:not([hidden])');
    await assertAccessible(page, 'the feedback question');
    await screenshot(page, 'visitor-feedback');
    await page.click('#feedback-form button[type=submit]');
    await waitForText(page.locator('#feedback-error'), /Kies eerst een cijfer/);
    await page.click('#scores label:nth-child(8)');
    await page.fill('#comment', 'Snel geholpen');
    await page.click('#feedback-form button[type=submit]');
    await waitForText(page.locator('#feedback-done'), /Dank u wel voor uw mening!/);
    assert.equal(await page.isVisible('#feedback-form'), false);
    const stats = await hall.stats();
    assert.equal(stats.feedback.count, 1);
    assert.equal(stats.feedback.average, 8);
  });

  it('does not ask again on another phone, and speaks English on request', async () => {
    const other = await openPage(await browser.newContext(phone), hall.url);
    await other.goto(hall.url + visitorPath);
    await waitForText(other.locator('#feedback-done'), /U heeft uw mening al gegeven/);
    assert.equal(await other.isVisible('#feedback-form'), false);
    await other.click('#lang-toggle');
    await waitForText(other.locator('#status-line'), /Thank you for your visit\./);
    assert.equal(await other.getAttribute('html', 'lang'), 'en');
    assertNoProblems(other);
  });

  it('an unknown code gets a friendly page, not an error', async () => {
    const unknown = await openPage(context, hall.url);
    await unknown.goto(`${hall.url}/v/ThisCodeDoesNotExist0123456789`);
    await waitForText(unknown.locator('#unknown'), /Dit ticket kennen wij niet \(meer\)\. Tickets gelden één dag\./);
    assert.equal(await unknown.isVisible('#visit'), false);
    await assertAccessible(unknown, 'the page for an unknown code');
    await screenshot(unknown, 'visitor-unknown');
    assertNoProblems(unknown);
  });

  it('sets no cookies and had no script errors', async () => {
    assert.deepEqual(await context.cookies(), []);
    assertNoProblems(page);
  });
});
