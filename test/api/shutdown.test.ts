/**
 * A request that reaches the server once it has begun to close (the next request on a keep-alive connection whose
 * request in flight holds the close) is not handled: 503 SHUTTING_DOWN in the error envelope, the connection closed
 * — not fastify's own `{"error":"Service Unavailable",…}` body (found by stopping a server under load).
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startHarness } from '../helpers.js';
import { listen } from '../security/support.js';

test('a request arriving while the server closes: 503 SHUTTING_DOWN in the envelope, Connection: close; the one in flight is answered', { timeout: 30_000 }, async () => {
  const h = await startHarness();
  const port = await listen(h);
  const sock = connect(port, '127.0.0.1');
  let text = '';
  sock.setEncoding('utf8');
  sock.on('data', (c: string) => { text += c; });
  const ended = new Promise<void>((r) => sock.on('close', () => r()));
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const body = JSON.stringify({ username: 'admin', password: 'wrong-password-for-the-test' });
  // The first request's headers and half its body: it is in flight when the close begins.
  sock.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 100));
  const closing = h.close();
  await new Promise((r) => setTimeout(r, 200));
  // The rest of the body, and a second request on the same connection (pipelined).
  sock.write(`${body.slice(10)}GET /api/v1/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await ended;
  await closing;
  const answers = text.split(/(?=HTTP\/1\.1 )/);
  assert.equal(answers.length, 2, text);
  assert.match(answers[0]!, /^HTTP\/1\.1 401 /, 'the request in flight is answered as usual');
  assert.match(answers[1]!, /^HTTP\/1\.1 503 /);
  assert.match(answers[1]!, /\r\nconnection: close\r\n/i);
  const json = JSON.parse(answers[1]!.slice(answers[1]!.indexOf('\r\n\r\n') + 4)) as { error: { code: string; request_id: string; message: string } };
  assert.equal(json.error.code, 'SHUTTING_DOWN');
  assert.ok(json.error.request_id);
});

test('a request on an idle keep-alive connection, sent just as the server begins to close: answered 503 SHUTTING_DOWN, not reset', { timeout: 30_000 }, async () => {
  const h = await startHarness({ http: { shutdown_grace_ms: 300 } }); // the default (the harness's is 0)
  const port = await listen(h);
  const sock = connect(port, '127.0.0.1');
  let text = '';
  let reset: Error | null = null;
  sock.setEncoding('utf8');
  sock.on('data', (c: string) => { text += c; });
  sock.on('error', (e) => { reset = e; });
  const ended = new Promise<void>((r) => sock.on('close', () => r()));
  await new Promise<void>((r) => sock.once('connect', () => r()));
  sock.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  while (!text.includes('"ok"')) await new Promise((r) => setTimeout(r, 10));
  // The connection is idle now; the close begins, and the client's next request is on its way a moment later.
  const closing = h.close();
  await new Promise((r) => setTimeout(r, 50));
  sock.write('GET /api/v1/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  await ended;
  await closing;
  assert.equal(reset, null);
  const answers = text.split(/(?=HTTP\/1\.1 )/);
  assert.equal(answers.length, 2, text);
  assert.match(answers[1]!, /^HTTP\/1\.1 503 /);
  assert.match(answers[1]!, /\r\nconnection: close\r\n/i);
  assert.match(answers[1]!, /"code":"SHUTTING_DOWN"/);
});
