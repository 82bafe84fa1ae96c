// offline: the counter console through a server crash (issue 13). The console's "next" reaches
// the server, which calls a visitor and is killed (-9) before the answer arrives. The console says
// it is reconnecting (Dutch, English on request; axe-core finds no WCAG A/AA violation), offers no
// action that cannot work, and sends the same "next" again with the same Idempotency-Key until the
// server is back on the same port and database: exactly one visitor is called, and the console
// shows who. A new press afterwards is a new key and calls the next visitor.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHall, demo } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText, waitUntil } from './lib/browser.mjs';

const skip = skipReason() || false;
const nextPath = '**/api/v1/counters/b1/next';

describe('offline: the counter console through a server crash', { skip, timeout: 90000 }, () => {
  let hall;
  let browser;

  before(async () => {
    hall = await startHall();
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  it('shows it is reconnecting, disables its actions, and its retried "next" calls exactly one visitor', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    const page = await openPage(context, hall.url);
    await page.goto(`${hall.url}/counter`);
    await page.fill('#username', demo.username);
    await page.fill('#password', demo.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#choose-view:not([hidden])');
    await page.selectOption('#counter-select', 'b1');
    await page.click('#choose-form button[type=submit]');
    await waitForText(page.locator('#connection'), /Live verbonden/);
    await page.click('#open');
    await waitForText(page.locator('#counter-state'), /Balie 1 is: Open/);
    for (let i = 0; i < 3; i += 1) await hall.checkIn({ service: 'uittreksel' });
    await waitForText(page.locator('#queue-count'), /3/);

    // Every "next" the console sends, with its key.
    const keys = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/counters/b1/next')) keys.push(r.headers()['idempotency-key']); });
    // The first "next" reaches the server and calls a visitor; the server dies before answering.
    let firstAnswer = null;
    await page.route(nextPath, async (route) => {
      const response = await route.fetch();
      firstAnswer = await response.json();
      await hall.kill9();
      await route.abort('connectionreset');
    }, { times: 1 });
    await page.click('#next');

    await page.waitForSelector('#reconnecting:not([hidden])');
    await waitForText(page.locator('#reconnecting-title'), /Opnieuw verbinden met de server/);
    await waitForText(page.locator('#reconnecting-retry'), /Uw laatste actie \(Volgende\) sturen we opnieuw/);
    assert.ok(firstAnswer && firstAnswer.ticket, 'the first try reached the server');
    // Nothing that cannot work is offered: every action is disabled, with the banner as the reason.
    for (const id of ['#next', '#open', '#pause', '#close', '#change-counter']) {
      assert.ok(await page.locator(id).isDisabled(), `${id} is disabled while the server is away`);
    }
    assert.match(await page.locator('#next').getAttribute('aria-describedby'), /reconnecting-reason/);
    assert.ok(await page.locator('#queue-body button[data-action="call"]').first().isDisabled());
    // It keeps trying, always with the key of the first try.
    await waitUntil(() => keys.length >= 3, 'two retries while the server is away', 15000);
    await assertAccessible(page, 'the counter console while reconnecting');
    await screenshot(page, 'counter-reconnecting');
    await page.click('#lang-toggle');
    await waitForText(page.locator('#reconnecting-title'), /Reconnecting to the server/);
    await waitForText(page.locator('#reconnecting-retry'), /We are sending your last action \(Next\) again/);
    await assertAccessible(page, 'the counter console while reconnecting, in English');
    await page.click('#lang-toggle');

    await hall.restart();
    await page.waitForSelector('#reconnecting', { state: 'hidden', timeout: 15000 });
    const number = firstAnswer.ticket.number;
    await waitForText(page.locator('#desk-message'), new RegExp(`${number} opgeroepen naar balie 1`));
    await waitForText(page.locator('#current-number'), new RegExp(number));
    assert.ok(keys.length >= 3 && keys.every((k) => k === keys[0]), `one key for every try: ${JSON.stringify(keys)}`);
    assert.match(keys[0], /^[0-9a-f]{32}$/);
    const staff = await hall.staffToken();
    const called = await hall.must('GET', '/api/v1/tickets?status=called', { token: staff });
    assert.deepEqual(called.map((t) => t.number), [number], 'exactly one visitor was called');
    assert.equal((await hall.must('GET', '/api/v1/tickets?status=waiting', { token: staff })).length, 2);
    assert.equal(await page.locator('#next').isDisabled(), false);
    await waitForText(page.locator('#connection'), /Live verbonden/, 15000);

    // Back to normal work: complete the visitor, and a new press (a new key) calls the next one.
    await page.click('#complete');
    await waitForText(page.locator('#desk-message'), new RegExp(`${number} is afgerond`));
    await page.click('#next');
    await waitUntil(() => keys.length >= 4 && keys[keys.length - 1] !== keys[0], 'a new key for a new press');
    await waitForText(page.locator('#desk-message'), /opgeroepen naar balie 1/);
    const after = await hall.must('GET', '/api/v1/tickets?status=waiting', { token: staff });
    assert.equal(after.length, 1);
    assertNoProblems(page);
    await context.close();
  });
});
