/** scripts/lab-server.ts: the port and HTTP wait shared by the README test and the notebook browser test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { freePort, waitForHttp } from '../../scripts/lab-server';

/** A child that stays up until killed (stands in for the server process). */
function sleeper() {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

test('freePort: a port on 127.0.0.1 that a server can then listen on', async () => {
  const port = await freePort();
  assert.ok(Number.isInteger(port) && port > 0 && port < 65536);
  const s = http.createServer((_q, r) => r.end('ok'));
  s.listen(port, '127.0.0.1');
  await once(s, 'listening');
  s.close();
});

test('waitForHttp: resolves once the URL answers 2xx, not before', async () => {
  const port = await freePort();
  let hits = 0;
  // 503 twice, then 200: the wait must poll through the errors.
  const s = http.createServer((_q, r) => {
    hits++;
    r.statusCode = hits <= 2 ? 503 : 200;
    r.end();
  });
  s.listen(port, '127.0.0.1');
  await once(s, 'listening');
  const child = sleeper();
  try {
    await waitForHttp(`http://127.0.0.1:${port}/lab`, child, 20_000, 'server', 20);
    assert.equal(hits, 3);
  } finally {
    child.kill();
    s.close();
  }
});

test('waitForHttp: an exited server or the time limit rejects, naming what, the URL and why', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/nothing`;
  const dead = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
  await once(dead, 'exit');
  await assert.rejects(waitForHttp(url, dead, 20_000, 'npm run lab'), {
    message: `npm run lab exited with code 3 before answering ${url}`,
  });
  const child = sleeper();
  try {
    await assert.rejects(waitForHttp(url, child, 300, 'JupyterLab', 50), {
      message: `JupyterLab did not answer at ${url} within 0.3 s`,
    });
  } finally {
    child.kill();
  }
});
