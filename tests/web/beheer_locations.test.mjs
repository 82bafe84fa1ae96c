// The admin page's staff accounts in a city (/beheer with firmware-config/city.example.toml): a
// manager changes which locations an existing account works at, among the locations the manager
// works at; the account's other locations are not shown and stay as they are; an account left
// with no location is refused beside the field. axe-core checks the form (WCAG 2.1 A/AA).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHall } from './lib/hall.mjs';
import { skipReason, launchBrowser, openPage, assertNoProblems, assertAccessible, screenshot, waitForText } from './lib/browser.mjs';

const skip = skipReason() || false;
const password = 'demo-demo-demo';

describe('beheer: the locations of a staff account in a city', { skip, timeout: 90000 }, () => {
  let hall;
  let browser;
  let context;
  let cityToken; // the manager of every location, at the town hall

  const accountOf = async (username) => {
    const list = await hall.must('GET', '/api/v1/staff', { token: cityToken });
    return list.accounts.find((a) => a.username === username);
  };

  before(async () => {
    hall = await startHall({ configFile: 'city.example.toml' });
    ({ token: cityToken } = await hall.must('POST', '/api/v1/login', { body: { username: 'beheer', password, location: 'stadhuis' } }));
    // Made at the town hall only.
    await hall.must('POST', '/api/v1/staff', {
      token: cityToken, body: { username: 'p.jansen', password: 'een-lang-wachtwoord', role: 'counter', counters: ['*'], locations: ['stadhuis'] }
    }, [201]);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  });
  after(async () => {
    if (browser) await browser.close();
    if (hall) await hall.stop();
  });

  async function logIn(page, username, location) {
    await page.goto(`${hall.url}/beheer`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('#login-form button[type=submit]');
    if (location) {
      await waitForText(page.locator('#login-error'), /Kies waar u vandaag werkt/);
      await page.selectOption('#location', location);
      await page.click('#login-form button[type=submit]');
    }
    await page.waitForSelector('#beheer-view:not([hidden])');
    await waitForText(page.locator('#staff-body'), /p\.jansen|beheer/);
  }

  it('beheer: a manager of every location gives an account a second location', async () => {
    const page = await openPage(context, hall.url);
    await logIn(page, 'beheer', 'stadhuis');
    await waitForText(page.locator('#staff-body tr[data-account="p.jansen"] td[data-column="locations"]'), /^Stadhuis Rijnwaarde$/);
    await page.selectOption('#staff-choice', 'p.jansen');
    // Every location this manager works at, by name; the account's one checked.
    const boxes = page.locator('#staff-locations-list input');
    assert.deepEqual(await page.locator('#staff-locations-list label').allTextContents(),
      [' Stadhuis Rijnwaarde', ' Servicepunt Noord', ' Servicepunt Oosterdorp']);
    assert.deepEqual(await boxes.evaluateAll((b) => b.map((x) => x.checked)), [true, false, false]);
    await assertAccessible(page, 'the staff form with locations');
    await page.check('#staff-locations-list input[value="noord"]');
    await page.click('#staff-form button[type=submit]');
    await waitForText(page.locator('#page-message'), /opgeslagen/);
    await waitForText(page.locator('#staff-body tr[data-account="p.jansen"] td[data-column="locations"]'),
      /^Stadhuis Rijnwaarde, Servicepunt Noord$/);
    assert.deepEqual((await accountOf('p.jansen')).locations, ['stadhuis', 'noord']);
    await screenshot(page, 'beheer-staff-locations');

    // No location at all is refused beside the field, and changes nothing.
    await page.uncheck('#staff-locations-list input[value="stadhuis"]');
    await page.uncheck('#staff-locations-list input[value="noord"]');
    await page.click('#staff-form button[type=submit]');
    await waitForText(page.locator('#staff-locations-error'), /Kies ten minste één locatie/);
    assert.equal(await page.getAttribute('#staff-locations-list input[value="stadhuis"]', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'stadhuis');
    await assertAccessible(page, 'the staff form with a location error');
    assert.deepEqual((await accountOf('p.jansen')).locations, ['stadhuis', 'noord']);
    assertNoProblems(page);
    await page.close();
  });

  it('beheer: a manager of one location sees and changes that location only; the others stay', async () => {
    const page = await openPage(context, hall.url);
    await logIn(page, 'beheer-noord');
    await page.selectOption('#staff-choice', 'p.jansen');
    assert.deepEqual(await page.locator('#staff-locations-list label').allTextContents(), [' Servicepunt Noord']);
    assert.equal(await page.isChecked('#staff-locations-list input[value="noord"]'), true);
    // Taken off Noord: it keeps the town hall, which this manager does not see, and leaves Noord's list.
    await page.uncheck('#staff-locations-list input[value="noord"]');
    await page.click('#staff-form button[type=submit]');
    await waitForText(page.locator('#page-message'), /opgeslagen/);
    assert.deepEqual((await accountOf('p.jansen')).locations, ['stadhuis']);
    assert.equal(await page.locator('#staff-body tr[data-account="p.jansen"]').count(), 0);
    assertNoProblems(page);
    await page.close();
  });
});
