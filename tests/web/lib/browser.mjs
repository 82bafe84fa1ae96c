// Debian's Chromium driven by playwright-core for the browser tests, axe-core for the WCAG 2.1
// A/AA check of every page state, and screenshots for docs/web/ (written only when
// LOKET_WEB_SCREENSHOTS names a folder, so a normal test run leaves the source tree alone).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const webTestsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const chromiumPath = process.env.LOKET_CHROMIUM || '/usr/bin/chromium';

// Why the browser tests cannot run here, or '' when they can. Only missing npm packages skip
// them (ctest reports the skip through this line's "SKIPPED" marker); a missing Chromium fails.
export function skipReason() {
  if (existsSync(path.join(webTestsDir, 'node_modules', 'playwright-core'))
      && existsSync(path.join(webTestsDir, 'node_modules', 'axe-core'))) return '';
  const reason = 'tests/web/node_modules is missing: run "npm ci" in tests/web (./test.sh does)';
  console.log(`loket-web: SKIPPED: ${reason}`);
  return reason;
}

export async function launchBrowser() {
  const { chromium } = require('playwright-core');
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (or set LOKET_CHROMIUM)`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--lang=nl-NL']
  });
}

// A page that fails the test on any script error, on any Content-Security-Policy violation (the
// server's strict CSP is in force: no inline script, style or handler), on a page answer without
// that CSP, and records every request that left the hall server (the pages must load nothing
// from elsewhere).
export async function openPage(context, hallUrl) {
  const page = await context.newPage();
  const problems = [];
  // Chromium logs a refused inline script or style as a console error too; the event also
  // catches violations it reports without one (e.g. a blocked style attribute).
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile || ''}:${e.lineNumber || ''})`);
    });
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`); });
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' || !r.url().startsWith(hallUrl)) return;
    const csp = r.headers()['content-security-policy'] || '';
    if (!/script-src 'self'/.test(csp) || /unsafe-inline|unsafe-eval/.test(csp)) problems.push(`page without the strict CSP: ${r.url()} (${csp})`);
  });
  page.on('request', (r) => { if (!r.url().startsWith(hallUrl) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`outside request: ${r.url()}`); });
  page.problems = problems;
  return page;
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], 'the page had script errors or loaded something from outside the hall server');
}

const axeSource = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe-core on the page as it is now and fails on any WCAG 2.0/2.1 level A or AA violation.
export async function assertAccessible(page, what) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource());
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations']
  }));
  const described = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')}`);
  assert.equal(described.length, 0, `axe-core found WCAG A/AA violations on ${what}:\n${described.join('\n')}`);
}

export async function screenshot(page, name) {
  const dir = process.env.LOKET_WEB_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

// Waits until the element's text matches (the pages update from live events and polls, so a
// test waits for the condition, never for a fixed time). Returns the text.
export async function waitForText(locator, pattern, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await locator.textContent({ timeout: 1000 }).catch(() => '')) || '').replace(/\s+/g, ' ').trim();
    if (pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`waited ${timeoutMs} ms for ${pattern}, but the text is "${last}"`);
}

// Waits until an async check returns a truthy value; fails with the last value seen.
export async function waitUntil(check, what, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`waited ${timeoutMs} ms for ${what}; last value: ${JSON.stringify(last)}`);
}
