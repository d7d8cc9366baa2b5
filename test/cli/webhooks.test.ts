/** `tessera webhooks …` over HTTP: create (secret printed once), list, deliveries, redeliver, update, delete. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, json, startCli } from './cli-harness.js';
import { Receiver, verifySignature } from '../webhooks/support.js';

let c: CliHarness;
let rx: Receiver;
before(async () => { rx = await Receiver.start(); c = await startCli(); await c.login(); });
after(async () => { await c.close(); await rx.close(); });

test('create prints the secret once; deliveries and redeliver show and resend the event', async () => {
  const r = await c.run(['webhooks', 'create', rx.url, '--event', 'token.created', '--description', 'cli']);
  assert.equal(r.code, 0, r.stderr);
  const id = /^Created webhook (wh_[0-9a-f]+)\.$/m.exec(r.stdout)?.[1];
  assert.ok(id, r.stdout);
  const secret = /^Signing secret \(shown only now\): (whsec_\S+)$/m.exec(r.stdout)?.[1];
  assert.ok(secret, r.stdout);
  const list = await c.run(['webhooks', 'list']);
  assert.match(list.stdout, new RegExp(`${id}\\s+${rx.url.replace(/[/.]/g, '\\$&')}\\s+token\\.created\\s+yes`));
  assert.ok(!list.stdout.includes(secret.slice(6)));

  await c.h.adminToken({ name: 'cli-hook' });
  await rx.until((g) => g.length === 1);
  verifySignature(secret, rx.got[0]!);
  for (let i = 0; i < 50; i++) {
    const api = await c.h.req({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: { cookie: c.h.adminCookie } });
    if (api.json().items[0]?.status === 'delivered') break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const ds: { id: number; status: string }[] = json(await c.run(['webhooks', 'deliveries', id, '--json']));
  assert.equal(ds[0]!.status, 'delivered');
  const text = await c.run(['webhooks', 'deliveries', id]);
  assert.match(text.stdout, /token\.created\s+delivered\s+1\s+200/);

  const again = await c.run(['webhooks', 'redeliver', id, String(ds[0]!.id)]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^Redelivering token\.created \(event msg_[0-9a-f]+\) as delivery \d+\.$/m);
  await rx.until((g) => g.length === 2);
  assert.equal(rx.got[0]!.headers['webhook-id'], rx.got[1]!.headers['webhook-id']);

  // Anything but yes or no is refused, and changes nothing (it used to switch the webhook off).
  const typo = await c.run(['webhooks', 'update', id, '--active', 'maybe']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /--active must be yes or no/);
  assert.equal((await c.h.req({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: { cookie: c.h.adminCookie } })).json().active, true);
  const off = await c.run(['webhooks', 'update', id, '--active', 'no']);
  assert.match(off.stdout, /^active: +no$/m);
  assert.doesNotMatch(off.stdout, /Signing secret/);
  assert.equal((await c.run(['webhooks', 'delete', id])).stdout, `Deleted webhook ${id}.\n`);
  const gone = await c.run(['webhooks', 'delete', id]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /NOT_FOUND/);
});

