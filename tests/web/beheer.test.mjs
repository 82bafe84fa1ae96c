// The admin page (/beheer) against the real hall server: the hall manager changes a service's
// "what to bring" and the kiosk's service list carries it; a closed day makes the kiosk's walk-in
// refused; errors stand beside their fields; a change that would disturb today's visitors waits for
// a confirmation given with the keyboard; the page works at 1366×768 and at 200 % zoom, in Dutch
// and English, and axe-core finds no WCAG A/AA problem in any of these states.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHall, demo } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText, waitUntil } from './lib/browser.mjs';

const skip = skipReason() || false;

describe('beheer: the admin page', { skip, timeout: 90000 }, () => {
  let hall;
  let browser;
  let context;
  let page;

  const kioskServices = () => hall.must('GET', '/api/v1/services', { token: demo.kioskToken });
  const configuration = () => hall.must('GET', '/api/v1/configuration', { token: demo.adminToken });

  before(async () => {
    hall = await startHall();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    page = await openPage(context, hall.url);
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  it('beheer: a counter account is refused; the admin account opens the page', async () => {
    await page.goto(`${hall.url}/beheer`);
    await assertAccessible(page, 'the admin page login');
    await page.fill('#username', demo.username);
    await page.fill('#password', demo.password);
    await page.click('#login-form button[type=submit]');
    await waitForText(page.locator('#login-error'), /geen toegang/);
    await page.fill('#username', demo.adminUsername);
    await page.fill('#password', demo.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#beheer-view:not([hidden])');
    await waitForText(page.locator('#whoami'), /Ingelogd als beheerder/);
    await waitUntil(() => page.locator('#svc-id').inputValue(), 'the first service in the form');
    await assertAccessible(page, 'the admin page');
    await screenshot(page, 'beheer');
    assertNoProblems(page);
  });

  it("beheer: a new 'what to bring' for a service reaches the kiosk's services and the history", async () => {
    await page.selectOption('#service-choice', 'paspoort');
    await page.fill('#svc-bring-nl', 'uw oude paspoort en twee pasfoto\'s');
    await page.click('#service-form button[type=submit]');
    await waitForText(page.locator('#page-message'), /opgeslagen/);
    const paspoort = (await kioskServices()).find((s) => s.id === 'paspoort');
    assert.equal(paspoort.bring.nl, "uw oude paspoort en twee pasfoto's");
    // The kiosk's confirmation screen and printed ticket take "what to bring" from this list
    // (shared/kiosk: view_builder, ticket_mapping) for the service its check-in answer names.
    const { ticket } = await hall.checkIn({ service: 'paspoort' });
    assert.equal(ticket.service, 'paspoort');
    await waitForText(page.locator('#history-body'), /Dienst gewijzigd.*paspoort/);
    // A duration shown in whole minutes (210 s as 4) keeps its seconds when another field is saved.
    await page.selectOption('#service-choice', 'ophalen');
    assert.equal(await page.inputValue('#svc-expected_duration_s'), '4');
    await page.fill('#svc-bring-en', 'your old document and a photo');
    await page.click('#service-form button[type=submit]');
    await waitUntil(async () => (await configuration()).services.find((x) => x.id === 'ophalen').bring.en === 'your old document and a photo',
      'the new English text');
    assert.equal((await configuration()).services.find((x) => x.id === 'ophalen').expected_duration_s, 210);
    assertNoProblems(page);
  });

  it('beheer: a wrong field is shown beside that field, marked and focused', async () => {
    await page.fill('#svc-prefix', '1');
    await page.click('#service-form button[type=submit]');
    await waitForText(page.locator('#svc-prefix-error'), /hoofdletter/);
    assert.equal(await page.getAttribute('#svc-prefix', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#svc-prefix', 'aria-describedby'), /svc-prefix-error/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'svc-prefix');
    await assertAccessible(page, 'the admin page with a field error');
    await screenshot(page, 'beheer-field-error');
    await page.selectOption('#service-choice', 'paspoort'); // back to the stored values
    assert.equal(await page.inputValue('#svc-prefix'), 'A');
  });

  it('beheer: a closed day today makes the kiosk refuse walk-ins with "not open today"', async () => {
    const { today } = await configuration();
    await page.fill('#exc-date', today);
    await page.selectOption('#exc-kind', 'closed');
    await page.fill('#exc-note-nl', 'Studiedag');
    await page.click('#exception-form button[type=submit]');
    // A visitor of the earlier test is still in the hall: the page asks first.
    await page.waitForSelector('#confirm-box:not([hidden])');
    await page.click('#confirm-yes');
    await page.waitForSelector(`[data-exception="${today}"]`);
    // The list may follow the event stream's configuration.changed before the POST's own answer
    // arrives; the form is emptied when that answer does.
    await waitUntil(async () => (await page.inputValue('#exc-date')) === '', 'the form to be ready for the next day');
    const refused = await hall.api('POST', '/api/v1/tickets', { token: demo.kioskToken, body: { service: 'ophalen', language: 'nl' }, headers: { 'Idempotency-Key': 'closed-day' } });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, 'hall_closed');
    // Without opening hours today the kiosk shows kiosk.problem.hall_closed.text_no_hours.
    assert.equal(refused.body.error.details, undefined);
    await assertAccessible(page, 'the admin page with a closed day');
    await screenshot(page, 'beheer-closed-day');
    await page.click(`[data-clear="${today}"]`);
    await waitUntil(async () => !(await page.isVisible(`[data-exception="${today}"]`)), 'the closed day to go');
    await hall.checkIn({ service: 'ophalen' });
  });

  it('beheer: removing a service visitors wait for asks first; the keyboard confirms', async () => {
    await page.selectOption('#service-choice', 'ophalen');
    await page.click('#svc-remove');
    await page.waitForSelector('#confirm-box:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-title');
    await assertAccessible(page, 'the admin page asking for a confirmation');
    await screenshot(page, 'beheer-confirm');
    await page.click('#confirm-no');
    await waitForText(page.locator('#page-message'), /niet doorgevoerd/);
    assert.ok((await kioskServices()).some((s) => s.id === 'ophalen'));

    await page.click('#svc-remove');
    await page.waitForSelector('#confirm-box:not([hidden])');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-yes');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#page-message'), /opgeslagen/);
    assert.ok(!(await kioskServices()).some((s) => s.id === 'ophalen'));
    assert.ok(!(await page.locator('#service-choice option').allTextContents()).some((t) => /ophalen/i.test(t)));
  });

  it('beheer: a counter gets a location and a desk at sitting height', async () => {
    await page.selectOption('#counter-choice', 'b1');
    await page.selectOption('#ctr-location', 'left');
    await page.check('#ctr-sitting_desk');
    await page.click('#counter-form button[type=submit]');
    await waitForText(page.locator('#page-message'), /opgeslagen/);
    const b1 = (await configuration()).counters.find((c) => c.id === 'b1');
    assert.equal(b1.location, 'left');
    assert.equal(b1.sitting_desk, true);
  });

  it('beheer: the banner reaches the hall snapshot kiosks and displays read', async () => {
    await page.fill('#banner-text-nl', 'Vandaag zijn wij om 12:00 gesloten');
    await page.click('#banner-form button[type=submit]');
    await waitForText(page.locator('#page-message'), /opgeslagen/);
    const hallView = await hall.must('GET', '/api/v1/hall', { token: demo.displayToken });
    assert.equal(hallView.hall.banner.nl, 'Vandaag zijn wij om 12:00 gesloten');
  });

  it('beheer: English, 200 % zoom at 1366×768 (no sideways scrolling) and no axe problems', async () => {
    await page.click('#lang-toggle');
    await waitForText(page.locator('h1'), /Hall administration/);
    await assertAccessible(page, 'the admin page in English');
    await page.click('#lang-toggle');
    await page.setViewportSize({ width: 683, height: 384 }); // 1366×768 at 200 %
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(sideways <= 0, `the page scrolls ${sideways} px sideways at 200 %`);
    await assertAccessible(page, 'the admin page at 200 %');
    await screenshot(page, 'beheer-zoom-200');
    await page.setViewportSize({ width: 1366, height: 768 });
    assertNoProblems(page);
  });
});
