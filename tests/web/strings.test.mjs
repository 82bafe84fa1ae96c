// The web pages' texts: every key exists in Dutch and English, every key a page uses exists,
// and no page loads anything from outside the hall server. Needs no browser and no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { sourceDir } from './lib/hall.mjs';

const webDir = path.join(sourceDir, 'server', 'web');
const files = readdirSync(webDir);
const read = (f) => readFileSync(path.join(webDir, f), 'utf8');

function loadStrings() {
  const sandbox = { window: {} };
  vm.runInNewContext(read('strings.js'), sandbox);
  return sandbox.window.LOKET_STRINGS;
}

test('strings: Dutch and English have exactly the same keys', () => {
  const { nl, en } = loadStrings();
  assert.deepEqual(Object.keys(en).filter((k) => !(k in nl)), [], 'keys only in English');
  assert.deepEqual(Object.keys(nl).filter((k) => !(k in en)), [], 'keys only in Dutch');
});

test('strings: a text keeps the same {placeholders} in both languages', () => {
  const { nl, en } = loadStrings();
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  const differ = Object.keys(nl).filter((k) => names(nl[k]) !== names(en[k]));
  assert.deepEqual(differ, []);
});

test('strings: every key used by a page or script exists', () => {
  const { nl } = loadStrings();
  const used = new Set();
  for (const f of files.filter((f) => f.endsWith('.html'))) {
    for (const m of read(f).matchAll(/data-(?:i18n|i18n-label|title)="([^"]+)"/g)) used.add(m[1]);
  }
  for (const f of files.filter((f) => f.endsWith('.js') && f !== 'strings.js')) {
    for (const m of read(f).matchAll(/(?:\bt\(|'data-i18n': )'([a-z_.]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `found only ${used.size} keys in use: the scan is broken`);
  assert.deepEqual([...used].filter((k) => !(k in nl)), []);
});

test('pages: nothing is loaded from outside the hall server', () => {
  for (const f of files.filter((f) => /\.(html|css|js)$/.test(f))) {
    const outside = read(f).match(/(?:src|href)\s*=\s*["'](?:https?:)?\/\/[^"']+|@import\s+url\(\s*["']?(?:https?:)?\/\//g);
    assert.equal(outside, null, `${f} refers to an outside address`);
  }
});

test('pages: every page declares its language and a viewport, and has one h1', () => {
  for (const f of files.filter((f) => f.endsWith('.html'))) {
    const html = read(f);
    assert.match(html, /<html lang="nl">/, f);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/, f);
    assert.equal((html.match(/<h1\b/g) || []).length, 1, `${f} should have exactly one h1`);
  }
});
