/**
 * GitHub secret scanning across two real nodes on one PostgreSQL database (issue 16): a report signed with a locally
 * generated P-256 key (the key list is a file named in the config, as GitHub's URL would be) is sent to node A; the
 * leaked token must be refused on node B within 1 s, though B had just cached it as valid (60 s cache lifetime), so
 * only the change feed can tell B. A bad signature on A changes nothing on either node. The delay is printed.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bearer, type Cluster, needPostgres, pollUntil, startCluster } from './support.js';

const sha = (v: string) => createHash('sha256').update(v).digest('hex');

if (await needPostgres('multi-node leak reports')) {
  describe('POST /api/v1/leaks/github on node A, enforced on node B', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-leaks-mn-'));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keysFile = join(dir, 'keys.json');
    const configFile = join(dir, 'tessera.yaml');
    writeFileSync(keysFile, JSON.stringify({ public_keys: [{ key_identifier: 'k1', key: publicKey.export({ type: 'spki', format: 'pem' }), is_current: true }] }));
    writeFileSync(configFile, `leaks:\n  action: revoke\n  github_keys_url: http://127.0.0.1:9/unused\n  github_keys_file: ${JSON.stringify(keysFile)}\n`);

    let c: Cluster;
    let adminA: string;
    before(async () => {
      c = await startCluster({ env: { TESSERA_CONFIG: configFile } });
      adminA = await c.login(c.a);
    });
    after(async () => { await c?.close(); rmSync(dir, { recursive: true, force: true }); });

    const report = (body: string, key = privateKey) => fetch(`${c.a.url}/api/v1/leaks/github`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'github-public-key-identifier': 'k1', 'github-public-key-signature': sign('sha256', Buffer.from(body), key).toString('base64') },
    });
    const create = async (name: string): Promise<{ id: string; token: string }> => {
      const r = await c.a.req('POST', '/api/v1/tokens', { headers: { cookie: adminA }, body: { name, access: 'write' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const meOnB = (token: string) => c.b.req('GET', '/api/v1/auth/me', { headers: bearer(token) });

    test('a badly signed report on A changes nothing: the token still works on both nodes', async () => {
      const t = await create('still-fine');
      const body = JSON.stringify([{ token: t.token, type: 'tessera_token', url: 'https://github.com/o/r/blob/main/x', source: 'content' }]);
      const r = await report(body, stranger.privateKey);
      assert.equal(r.status, 401);
      assert.equal((await r.json()).error.code, 'LEAK_SIGNATURE_INVALID');
      assert.equal((await meOnB(t.token)).status, 200);
      assert.equal((await c.a.req('GET', '/api/v1/auth/me', { headers: bearer(t.token) })).status, 200);
    });

    test('a validly signed report on A: the feedback array, and the token refused on B within 1 s', async () => {
      const leaked = await create('leaked');
      const bystander = await create('bystander');
      for (const t of [leaked, bystander]) assert.equal((await meOnB(t.token)).status, 200, 'B has the token cached as valid');
      const body = JSON.stringify([
        { token: leaked.token, type: 'tessera_token', url: 'https://github.com/o/r/blob/main/.env', source: 'content' },
        { token: 'tsr_notatesseratoken', type: 'tessera_token', url: 'https://github.com/o/r/commit/1', source: 'commit' },
      ]);
      const r = await report(body);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), [
        { token_hash: sha(leaked.token), token_type: 'tessera_token', label: 'true_positive' },
        { token_hash: sha('tsr_notatesseratoken'), token_type: 'tessera_token', label: 'false_positive' },
      ]);
      const ms = await pollUntil(async () => (await meOnB(leaked.token)).status === 401, 1_000);
      console.log(`  leak report on A → refused on B after ${ms.toFixed(1)} ms`);
      assert.equal((await meOnB(leaked.token)).body.error.code, 'TOKEN_REVOKED');
      assert.equal((await meOnB(bystander.token)).status, 200, 'other tokens keep working');

      const audit = await c.b.req('GET', '/api/v1/audit?action=token.leaked', { headers: { cookie: await c.login(c.b) } });
      assert.equal(audit.status, 200);
      assert.deepEqual(audit.body.items.map((e: { target: { id: string }; details: unknown }) => [e.target.id, e.details]),
        [[leaked.id, { partner: 'github', url: 'https://github.com/o/r/blob/main/.env', source: 'content', action: 'revoked' }]]);
      assert.ok(!JSON.stringify(audit.body).includes(leaked.token), 'no token value in the audit log');
    });
  });
}
