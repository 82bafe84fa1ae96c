// The admin page's staff and device sections (/beheer) against the real hall server: the hall
// manager makes a counter account (a too-short password is shown beside its field), the new
// colleague logs in at the counter page, and disabling the account ends that session at once —
// the counter page's next request is refused and it says so; a kiosk asking to pair is approved,
// renamed and revoked with the keyboard only; the history shows each change; axe finds no WCAG
// A/AA problem in any of these states.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHall, demo } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText, waitUntil } from './lib/browser.mjs';

const skip = skipReason() || false;

describe('beheer: staff accounts and devices on the admin page', { skip, timeout: 90000 }, () => {
  let hall;
  let browser;
  let page;

  before(async () => {
    hall = await startHall();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    page = await openPage(context, hall.url);
    await page.goto(`${hall.url}/beheer`);
    await page.fill('#username', demo.adminUsername);
    await page.fill('#password', demo.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#beheer-view:not([hidden])');
    await waitForText(page.locator('#staff-body'), /beheer/);
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  it('beheer: the staff list shows every account by where it is managed; file accounts cannot be chosen', async () => {
    const rows = page.locator('#staff-body tr');
    assert.equal(await page.locator('#staff-body tr[data-account="demo"] td').nth(2).textContent(), 'Instellingenbestand (ICT)');
    assert.ok((await rows.count()) >= 2);
    const choices = await page.locator('#staff-choice option').allTextContents();
    assert.deepEqual(choices, ['Nieuw account…']); // only page accounts are editable
    await assertAccessible(page, 'the staff section');
  });

  it('beheer: a too-short password is shown beside its field; a good one makes the account', async () => {
    await page.locator('#staff-username').focus();
    await page.keyboard.type('s.devries');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kort');
    await page.check('#staff-counters-list input[value="b1"]');
    await page.click('#staff-form button[type=submit]');
    await waitForText(page.locator('#staff-password-error'), /12 tot 128 tekens/);
    assert.equal(await page.getAttribute('#staff-password', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#staff-password', 'aria-describedby'), /staff-password-error/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'staff-password');
    await assertAccessible(page, 'the staff form with a field error');
    await screenshot(page, 'beheer-staff-error');

    await page.fill('#staff-password', 'een-lang-wachtwoord');
    await page.click('#staff-form button[type=submit]');
    await waitForText(page.locator('#page-message'), /opgeslagen/);
    await waitForText(page.locator('#staff-body tr[data-account="s.devries"]'), /Deze pagina.*Actief/);
    assert.equal(await page.inputValue('#staff-choice'), 's.devries');
    assert.equal(await page.getAttribute('#staff-username', 'readonly'), '');
    await waitForText(page.locator('#history-body'), /Account gemaakt.*s\.devries/);
    await assertAccessible(page, 'the staff section with a new account');
    await screenshot(page, 'beheer-staff');
  });

  it('beheer: disabling the account ends its session at once: the counter page says so on its next request', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
    const desk = await openPage(context, hall.url);
    await desk.goto(`${hall.url}/counter`);
    await desk.fill('#username', 's.devries');
    await desk.fill('#password', 'een-lang-wachtwoord');
    await desk.click('#login-form button[type=submit]');
    await desk.waitForSelector('#choose-view:not([hidden])');
    // Only counter 1 was given.
    assert.deepEqual(await desk.locator('#counter-select option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean)), ['b1']);
    await desk.selectOption('#counter-select', 'b1');
    await desk.click('#choose-form button[type=submit]');
    await desk.waitForSelector('#work-view:not([hidden])');

    await page.locator('#staff-toggle').focus();
    await page.keyboard.press('Enter');
    await waitForText(page.locator('#page-message'), /s\.devries is uitgeschakeld/);
    await waitForText(page.locator('#staff-body tr[data-account="s.devries"]'), /Uitgeschakeld/);
    await waitForText(page.locator('#staff-toggle'), /weer inschakelen/);
    await assertAccessible(page, 'the staff section with a disabled account');

    // The session is gone: the page learns it from its event stream, which the server closes, or
    // from its next action (401), and sends them to the login.
    if (await desk.locator('#open').isVisible()) await desk.click('#open').catch(() => {});
    await desk.waitForSelector('#login-view:not([hidden])');
    await waitForText(desk.locator('#login-error'), /U bent uitgelogd/);
    await desk.fill('#username', 's.devries');
    await desk.fill('#password', 'een-lang-wachtwoord');
    await desk.click('#login-form button[type=submit]');
    await waitForText(desk.locator('#login-error'), /klopt niet/);
    await context.close();
    await waitForText(page.locator('#history-body'), /Account uitgeschakeld.*s\.devries/);
  });

  it('beheer: a kiosk asking to pair is approved, renamed and revoked with the keyboard', async () => {
    const pairing = await hall.must('POST', '/api/v1/devices/pair', { body: { role: 'kiosk' } });
    const code = pairing.pairing_code;
    await page.waitForSelector(`[data-pairing="${code}"]`, { timeout: 10000 });
    await assertAccessible(page, 'the devices section with a waiting kiosk');
    await page.locator(`[data-code="${code}"]`).focus();
    await page.keyboard.type('Kiosk bij de ingang');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.approve), code);
    await page.keyboard.press('Enter');
    const item = page.locator('#enrolled-list li').first();
    await waitForText(item, /Kiosk bij de ingang/);
    const id = await item.getAttribute('data-device');
    await screenshot(page, 'beheer-devices');

    await page.fill(`[data-rename-input="${id}"]`, 'Kiosk links');
    await page.locator(`[data-rename="${id}"]`).focus();
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await hall.must('GET', '/api/v1/devices/enrolled', { token: demo.adminToken })).some((d) => d.name === 'Kiosk links'),
      'the new name');
    await waitForText(item, /^Kiosk links/); // the page has drawn the list again with the new name
    await page.locator(`[data-revoke="${id}"]`).focus();
    await page.keyboard.press('Enter');
    await waitForText(page.locator(`[data-device="${id}"]`), /ingetrokken/);
    await waitForText(page.locator('#history-body'), /Apparaat ingetrokken/);
    assert.match(await page.locator('#history-body').textContent(), /Apparaat hernoemd/);
    await assertAccessible(page, 'the devices section with a revoked kiosk');
    assertNoProblems(page);
  });
});
