/** forward_auth.profiles and message.refusal_status in the config (issue 19). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';

const load = (file: object) => loadConfig({}, { data_dir: '/tmp/tessera-config-forward', ...file } as never);

test('profiles: defaults (sources bearer, mode standard), names and sources checked, naming the key', () => {
  const c = load({ forward_auth: { profiles: { edge: { mode: 'nginx', access: 'write' }, api: {} } } });
  assert.deepEqual(c.forward_auth.profiles.api, { sources: ['bearer'], mode: 'standard' });
  assert.deepEqual(c.forward_auth.profiles.edge, { sources: ['bearer'], mode: 'nginx', access: 'write' });
  assert.throws(() => load({ forward_auth: { profiles: { 'Bad Name': {} } } }), /'forward_auth\.profiles\.Bad Name': a profile name must match/);
  assert.throws(() => load({ forward_auth: { profiles: { a: { sources: [] } } } }), /forward_auth\.profiles\.a\.sources/);
  assert.throws(() => load({ forward_auth: { profiles: { a: { sources: ['cookie'] } } } }), /forward_auth\.profiles\.a\.sources\.0/);
  assert.throws(() => load({ forward_auth: { profiles: { a: { sources: ['bearer', 'bearer'] } } } }), /forward_auth\.profiles\.a\.sources/);
  assert.throws(() => load({ forward_auth: { profiles: { a: { mode: 'traefik' } } } }), /forward_auth\.profiles\.a\.mode/);
  assert.deepEqual(load({}).forward_auth, { profiles: {} });
});

test('message.refusal_status: 202 by default, 403 allowed, nothing else', () => {
  assert.equal(load({}).message.refusal_status, 202);
  assert.equal(load({ message: { refusal_status: 403 } }).message.refusal_status, 403);
  assert.throws(() => load({ message: { refusal_status: 500 } }), /message\.refusal_status/);
});
