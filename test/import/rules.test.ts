/**
 * Import rules (issue 17): hash-only rows verified by their value, owners (refused or created), the report's reason
 * codes, a batch that lands whole or not at all, admins only, no value or hash in the audit log. Both stores.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { expectError } from '../api/support.js';
import { csvRows, fixture, importRows, verifyCode } from './support.js';

let h: Harness;
let alice: { id: number; token: string };
before(async () => { h = await startHarness(); alice = await h.createUser('alice'); });
after(async () => { await h.close(); });

test('hash-only rows: verified by the value the old system handed out; a malformed hash is refused', async () => {
  const r = await importRows(h, { format: 'csv', rows: csvRows('legacy-hashes.csv'), first_line: 2 });
  assert.deepEqual({ imported: r.imported, refused: r.refused }, { imported: 2, refused: 1 });
  assert.deepEqual(r.rows, [{ line: 4, reason: 'INVALID_HASH', message: 'hash must be a SHA-256 digest: 64 hexadecimal digits', source_id: 'L-3' }]);
  const [one, two] = readFileSync(fixture('legacy-values.txt'), 'utf8').trim().split('\n');
  assert.equal(await verifyCode(h, one!), 'VALID');
  assert.equal(await verifyCode(h, two!), 'VALID', 'an upper-case hex digest is read as the same hash');
  const v = (await h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token: two, access: 'full' } })).json();
  assert.equal(v.code, 'INSUFFICIENT_ACCESS', 'the imported access level (write) holds');
  const me = await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(one!) });
  assert.equal(me.statusCode, 403, 'a read token may not manage tokens, but it authenticated');
  assert.equal(await verifyCode(h, `${one}x`), 'NOT_FOUND', 'an unknown value without the prefix is looked up and not found');
  const listed = (await h.req({ method: 'GET', url: '/api/v1/tokens?owner=alice', headers: { cookie: h.adminCookie } })).json().items;
  const legacy = listed.find((t: { name: string }) => t.name === 'legacy-two');
  assert.deepEqual([legacy.prefix, legacy.expires_at, legacy.access], ['', '2031-01-01T00:00:00.000Z', 'write']);
});

test('unknown owners are refused per row, or created with create_users', async () => {
  const rows = [{ value: 'legacy-value-carol-0001', owner: 'carol' }, { value: 'legacy-value-alice-0001', owner: 'alice' }];
  const refused = await importRows(h, { format: 'json', rows });
  assert.deepEqual([refused.imported, refused.rows.map((x) => [x.line, x.reason])], [1, [[1, 'UNKNOWN_OWNER']]]);
  const created = await importRows(h, { format: 'json', rows, create_users: true });
  assert.deepEqual({ imported: created.imported, skipped: created.skipped, users: created.created_users }, { imported: 1, skipped: 1, users: ['carol'] });
  const row = (await h.req({ method: 'GET', url: '/api/v1/audit?action=token.import&limit=1', headers: { cookie: h.adminCookie } })).json().items[0];
  assert.deepEqual([row.details.count, row.details.skipped, row.details.created_users], [1, 1, ['carol']], 'the audit row names the user made for it');
  const u = await h.t.services.store.getUserByLogin('carol');
  assert.ok(u && u.role === 'user' && !u.disabled);
  assert.equal(await verifyCode(h, 'legacy-value-carol-0001'), 'VALID');
  // Whoever holds an imported value may revoke it by value, as a Tessera token.
  const r = await h.req({ method: 'POST', url: '/api/v1/tokens/revoke-by-value', payload: { token: 'legacy-value-carol-0001' } });
  assert.equal(r.statusCode, 202);
  assert.equal(await verifyCode(h, 'legacy-value-carol-0001'), 'REVOKED');
});

test('a value asked about before it was imported is valid at once (the negative cache forgets it)', async () => {
  const value = 'legacy-value-asked-before-01';
  assert.equal(await verifyCode(h, value), 'NOT_FOUND');
  assert.equal(await verifyCode(h, value), 'NOT_FOUND', 'asked twice: answered from the negative cache where there is one');
  const r = await importRows(h, { format: 'json', rows: [{ value, owner: 'alice' }] });
  assert.equal(r.imported, 1);
  assert.equal(await verifyCode(h, value), 'VALID');
});

test('the report: every reason code, lines counted from first_line; values with spaces or control characters refused', async () => {
  const r = await importRows(h, { format: 'json', first_line: 10, rows: [
    { owner: 'alice' },
    { value: 'has a space in it', owner: 'alice' },
    { value: 'dup-value-00000001', owner: 'alice', name: 'same' },
    { value: 'dup-value-00000001', owner: 'alice' },
    { value: 'dup-value-00000002', owner: 'alice', name: 'same' },
    { value: 'kind-value-0000001', owner: 'alice', kind: 'robot' },
    { value: 'perm-value-0000001', owner: 'alice', permissions: ['deploy:write'] },
  ] });
  assert.deepEqual(r.rows.map((x) => [x.line, x.reason]), [
    [10, 'MISSING_VALUE'], [11, 'INVALID_VALUE'], [13, 'DUPLICATE_IN_FILE'], [14, 'DUPLICATE_NAME'], [15, 'INVALID_FIELD'], [16, 'PERMISSION_NOT_HELD'],
  ]);
  assert.equal(r.imported, 1);
});

test('a batch lands whole or not at all: a name taken by a stored live token refuses every row of that call', async () => {
  const taken = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.adminCookie }, payload: { name: 'taken', kind: 'service' } });
  assert.equal(taken.statusCode, 201);
  const r = await importRows(h, { format: 'json', rows: [
    { value: 'batch-value-0000001', kind: 'service', name: 'fresh' },
    { value: 'batch-value-0000002', kind: 'service', name: 'taken' },
  ] });
  assert.deepEqual({ imported: r.imported, reasons: r.rows.map((x) => x.reason) }, { imported: 0, reasons: ['NAME_TAKEN', 'NAME_TAKEN'] });
  assert.equal(await verifyCode(h, 'batch-value-0000001'), 'NOT_FOUND', 'the other row of the batch was not written either');
  const names = (await h.req({ method: 'GET', url: '/api/v1/tokens?kind=service', headers: { cookie: h.adminCookie } })).json().items.map((t: { name: string }) => t.name);
  assert.ok(!names.includes('fresh'));
});

test('admins only; a bad format or too many rows is a 400; the audit log has counts, never values or hashes', async () => {
  const rows = [{ value: 'audit-value-0000001', owner: 'alice' }];
  expectError(await h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: bearer(alice.token), payload: { format: 'json', rows } }), 403, 'FORBIDDEN');
  expectError(await h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: { cookie: h.adminCookie }, payload: { format: 'xml', rows } }), 400, 'VALIDATION_ERROR');
  expectError(await h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: { cookie: h.adminCookie },
    payload: { format: 'json', rows: Array.from({ length: 20_001 }, () => ({})) } }), 400, 'VALIDATION_ERROR');
  await importRows(h, { format: 'json', rows });
  const audit = await h.req({ method: 'GET', url: '/api/v1/audit?action=token.import&limit=1', headers: { cookie: h.adminCookie } });
  const e = audit.json().items[0];
  assert.deepEqual([e.details.format, e.details.count], ['json', 1]);
  const text = JSON.stringify(audit.json());
  assert.ok(!text.includes('audit-value-0000001'), 'no value in the audit log');
  const hash = (await import('node:crypto')).createHash('sha256').update('audit-value-0000001').digest('hex');
  assert.ok(!text.includes(hash) && !h.logs().includes(hash) && !h.logs().includes('audit-value-0000001'), 'no value or hash in the audit log or the server log');
});

test('a time beyond the year 9999 (or before 1970) is refused per row, and nothing stored breaks a listing', async () => {
  const r = await importRows(h, { format: 'csv', rows: [
    { value: 'bigtime-value-00001', owner: 'alice', name: 'bigtime', expires_at: '99999999999999999' },
    { value: 'bigtime-value-00002', owner: 'alice', created_at: '+275760-09-13T00:00:00Z' },
    { value: 'bigtime-value-00003', owner: 'alice', expires_at: '-5' },
    { value: 'bigtime-value-00004', owner: 'alice', expires_at: '9999-12-31T00:00:00Z' },
  ] });
  assert.deepEqual(r.rows.map((x) => [x.line, x.reason]), [[1, 'INVALID_FIELD'], [2, 'INVALID_FIELD'], [3, 'INVALID_FIELD']]);
  assert.equal(r.imported, 1);
  assert.equal(await verifyCode(h, 'bigtime-value-00001'), 'NOT_FOUND');
  const list = await h.req({ method: 'GET', url: '/api/v1/tokens?owner=alice&limit=100', headers: { cookie: h.adminCookie } });
  assert.equal(list.statusCode, 200, list.body);
});

test('create_users: a user made for rows that were not imported after all is deleted again', async () => {
  const taken = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.adminCookie }, payload: { name: 'taken-again', kind: 'service' } });
  assert.equal(taken.statusCode, 201);
  // The batch is refused whole (a name taken): dave, made for its first row, must not stay.
  const refused = await importRows(h, { format: 'json', create_users: true, rows: [
    { value: 'dave-value-00000001', owner: 'dave' },
    { value: 'svc-value-000000001', kind: 'service', name: 'taken-again' },
  ] });
  assert.deepEqual([refused.imported, refused.created_users], [0, []]);
  assert.equal(await h.t.services.store.getUserByLogin('dave'), null);
  // A row refused on its own (a bad field after its owner was made): erin is deleted, frank (imported) stays.
  const mixed = await importRows(h, { format: 'json', create_users: true, rows: [
    { value: 'erin-value-00000001', owner: 'erin', name: 'n'.repeat(500) },
    { value: 'frank-value-0000001', owner: 'frank' },
  ] });
  assert.deepEqual([mixed.imported, mixed.created_users], [1, ['frank']]);
  assert.equal(await h.t.services.store.getUserByLogin('erin'), null);
  assert.ok(await h.t.services.store.getUserByLogin('frank'));
});
