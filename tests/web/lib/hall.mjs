// Starts the real hall server binary for a browser test (temporary database, port 0) and talks
// to its API the way a kiosk, a display or the appointment system would. Every test gets its
// own server; `stop()` ends it and removes the temporary files.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const sourceDir = process.env.LOKET_SOURCE_DIR
  || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const demo = {
  kioskToken: 'demo-kiosk-token',
  displayToken: 'demo-display-token',
  adminToken: 'demo-admin-token',
  username: 'demo',
  adminUsername: 'beheer',
  password: 'demo-demo-demo'
};

// The example hall's configuration, optionally with some `key = value` lines changed (a test that
// needs a visitor to reach the norm within seconds sets a short norm instead of sleeping minutes)
// and TOML text appended (a [[booking]] section).
function writeConfig(dir, overrides, append = '') {
  let text = readFileSync(path.join(sourceDir, 'firmware-config', 'hall.example.toml'), 'utf8');
  for (const [key, value] of Object.entries(overrides)) {
    const line = new RegExp(`^(\\s*${key}\\s*=).*$`, 'm');
    if (!line.test(text)) throw new Error(`hall.example.toml has no "${key} =" line to override`);
    text = text.replace(line, `$1 ${value}`);
  }
  const file = path.join(dir, 'hall.toml');
  writeFileSync(file, append ? `${text}\n${append}\n` : text);
  return file;
}

// `configFile`: another file of firmware-config/ (city.example.toml: several locations).
export async function startHall({ configOverrides = {}, configAppend = '', configFile = '' } = {}) {
  const bin = process.env.LOKET_SERVER_BIN;
  if (!bin) throw new Error('LOKET_SERVER_BIN is not set: run these tests through ctest, or set it to the loket-server binary');
  const dir = mkdtempSync(path.join(tmpdir(), 'loket-web-'));
  const config = configFile ? path.join(sourceDir, 'firmware-config', configFile)
    : Object.keys(configOverrides).length || configAppend
      ? writeConfig(dir, configOverrides, configAppend)
      : path.join(sourceDir, 'firmware-config', 'hall.example.toml');
  // Starts the server on `listen` and resolves to its URL once it listens.
  let child;
  let output = '';
  const launch = (listen) => new Promise((resolve, reject) => {
    child = spawn(bin, ['--config', config, '--db', path.join(dir, 'hall.sqlite'), '--listen', listen,
      '--web-dir', path.join(sourceDir, 'server', 'web')], { stdio: ['ignore', 'pipe', 'pipe'] });
    output = '';
    const timer = setTimeout(() => reject(new Error(`loket-server did not say "listening on" within 20 s:\n${output}`)), 20000);
    const onData = (chunk) => {
      output += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`loket-server ended (${signal ? `signal ${signal}` : `exit code ${code}`}) before listening:\n${output}`));
    });
  }).then((found) => {
    child.stdout.resume();
    child.stderr.resume();
    return found;
  });
  const url = await launch('127.0.0.1:0');

  const hall = {
    url,
    // A crash: the server gets no chance to clean up.
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    // The same server again on the same port and database, as after a crash or an update.
    async restart() {
      const again = await launch(new URL(url).host);
      if (again !== url) throw new Error(`the restarted server listens on ${again}, not ${url}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },

    // One API call; resolves to {status, body} (body parsed when it is JSON).
    async api(method, apiPath, { token, body, contentType, headers = {} } = {}) {
      const h = { ...headers };
      if (token) h.Authorization = `Bearer ${token}`;
      let payload;
      if (body !== undefined) {
        h['Content-Type'] = contentType || 'application/json';
        payload = contentType ? body : JSON.stringify(body);
      }
      const res = await fetch(url + apiPath, { method, headers: h, body: payload });
      const text = await res.text();
      let parsed = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* CSV and other text stays a string */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },

    // Like api() but fails the test with the server's answer when the status is not expected.
    async must(method, apiPath, options = {}, expected = [200, 201, 204]) {
      const res = await hall.api(method, apiPath, options);
      if (!expected.includes(res.status)) {
        throw new Error(`${method} ${apiPath} → ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body;
    },

    async staffToken() {
      const body = await hall.must('POST', '/api/v1/login', { body: { username: demo.username, password: demo.password } });
      return body.token;
    },

    // A kiosk check-in, exactly as the kiosk program sends it.
    async checkIn(request) {
      return hall.must('POST', '/api/v1/tickets', {
        token: demo.kioskToken, body: { language: 'nl', ...request }, headers: { 'Idempotency-Key': randomUUID() }
      }, [201]);
    },

    async stats(date) {
      return hall.must('GET', `/api/v1/stats${date ? `?date=${date}` : ''}`, { token: demo.adminToken });
    },

    async ticket(token, id) {
      const list = await hall.must('GET', '/api/v1/tickets', { token });
      return (Array.isArray(list) ? list : list.tickets).find((t) => t.id === id);
    }
  };
  return hall;
}
