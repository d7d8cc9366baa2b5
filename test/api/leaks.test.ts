/**
 * GitHub secret scanning's partner endpoint (issue 16), signed as GitHub signs: ECDSA P-256 SHA-256 over the raw body
 * with a key from the configured key list (here a file with a locally generated key). Leaked Tessera tokens are
 * revoked (or switched off) and audited with where they were found; everything else is a false positive.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, createHash, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-leaks-'));
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keysFile = join(dir, 'keys.json');
writeFileSync(keysFile, JSON.stringify({ public_keys: [{ key_identifier: 'k1', key: publicKey.export({ type: 'spki', format: 'pem' }), is_current: true }] }));

let h: Harness;
before(async () => { h = await startHarness({ leaks: { action: 'revoke', github_keys_url: 'http://127.0.0.1:9/unused', github_keys_file: keysFile } }); });
after(async () => { await h.close(); rmSync(dir, { recursive: true, force: true }); });

const post = (body: string, headers: Record<string, string>) =>
  h.req({ method: 'POST', url: '/api/v1/leaks/github', headers: { 'content-type': 'application/json', ...headers }, payload: body });
const signed = (body: string, key = privateKey, id = 'k1') =>
  post(body, { 'github-public-key-identifier': id, 'github-public-key-signature': sign('sha256', Buffer.from(body), key).toString('base64') });
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

describe('POST /api/v1/leaks/github', () => {
  test('a signed report revokes the leaked token, audits where it was found, and answers the feedback', async () => {
    const t = await h.adminToken({ name: 'leaky', access: 'write' });
    const body = JSON.stringify([
      { token: t.token, type: 'tessera_token', url: 'https://github.com/x/y/blob/main/.env', source: 'content' },
      { token: 'ghp_notours123', type: 'tessera_token', url: 'https://github.com/x/y', source: 'commit' },
    ]);
    const r = await signed(body);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), [
      { token_hash: sha(t.token), token_type: 'tessera_token', label: 'true_positive' },
      { token_hash: sha('ghp_notours123'), token_type: 'tessera_token', label: 'false_positive' },
    ]);
    expectError(await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) }), 401, 'TOKEN_REVOKED');
    const audit = (await h.req({ method: 'GET', url: '/api/v1/audit?action=token.leaked', headers: { cookie: h.adminCookie } })).json().items;
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0].details, { partner: 'github', url: 'https://github.com/x/y/blob/main/.env', source: 'content', action: 'revoked' });
    assert.ok(!JSON.stringify(audit).includes(t.token), 'no token value in the audit log');
    // reported again: still a true positive, nothing more to do
    assert.equal((await signed(body)).json()[0].label, 'true_positive');
  });

  test('refused without a valid signature: none, unknown key, another key, a tampered body', async () => {
    const t = await h.adminToken({ name: 'safe', access: 'read' });
    const body = JSON.stringify([{ token: t.token, type: 'tessera_token', url: 'u', source: 'content' }]);
    expectError(await post(body, {}), 401, 'LEAK_SIGNATURE_INVALID');
    expectError(await signed(body, privateKey, 'k-unknown'), 401, 'LEAK_SIGNATURE_INVALID');
    expectError(await signed(body, other.privateKey), 401, 'LEAK_SIGNATURE_INVALID');
    const sig = sign('sha256', Buffer.from(body), privateKey).toString('base64');
    expectError(await post(body.replace('content', 'CONTENT'), { 'github-public-key-identifier': 'k1', 'github-public-key-signature': sig }), 401, 'LEAK_SIGNATURE_INVALID');
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) })).statusCode, 200, 'the token still works');
  });

  test('a signed body that is not a list of reports is 400; a batch of 1,000 is answered', async () => {
    expectError(await signed('{"token": "x"}'), 400, 'VALIDATION_ERROR');
    expectError(await signed('not json'), 400, 'INVALID_JSON');
    const many = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ token: `tsr_${i}`, type: 't', url: 'u', source: 's' })));
    const r = await signed(many);
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().length, 1000);
  });
});

describe('leaks.action: deactivate', () => {
  test('the token is switched off, not revoked: its owner can switch it on again', async () => {
    const d = await startHarness({ leaks: { action: 'deactivate', github_keys_url: 'http://127.0.0.1:9/unused', github_keys_file: keysFile } });
    try {
      const t = await d.adminToken({ name: 'soft' });
      const body = JSON.stringify([{ token: t.token, type: 'tessera_token', url: 'u', source: 'content' }]);
      const r = await d.req({ method: 'POST', url: '/api/v1/leaks/github', headers: { 'content-type': 'application/json', 'github-public-key-identifier': 'k1',
        'github-public-key-signature': sign('sha256', Buffer.from(body), privateKey).toString('base64') }, payload: body });
      assert.equal(r.json()[0].label, 'true_positive');
      expectError(await d.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(t.token) }), 401, 'TOKEN_DISABLED');
      const shown = (await d.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: { cookie: d.adminCookie } })).json();
      assert.deepEqual([shown.status, shown.revoked_at], ['inactive', null]);
    } finally {
      await d.close();
    }
  });
});
