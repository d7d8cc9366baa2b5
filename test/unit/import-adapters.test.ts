/** The import adapters (pure row → record) and the shape rule for imported values, without a server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filebin } from '../../src/core/import/filebin.js';
import { generic } from '../../src/core/import/generic.js';
import { meeseeks } from '../../src/core/import/meeseeks.js';
import { query } from '../../src/core/import/query.js';
import { RowError, time } from '../../src/core/import/record.js';
import { semaphore } from '../../src/core/import/semaphore.js';
import { screen } from '../../src/core/tokens/format.js';

const reason = (fn: () => unknown): string => {
  try { fn(); } catch (e) { if (e instanceof RowError) return e.reason; throw e; }
  return 'none';
};

test('times: SQL text as UTC, RFC 3339, epoch seconds or milliseconds, empty = none', () => {
  assert.equal(time({ t: '2024-03-01 10:15:00' }, 't'), Date.UTC(2024, 2, 1, 10, 15));
  assert.equal(time({ t: '2024-03-01T10:15:00+02:00' }, 't'), Date.UTC(2024, 2, 1, 8, 15));
  assert.equal(time({ t: 1717900000 }, 't'), 1717900000_000);
  assert.equal(time({ t: '1717900000000' }, 't'), 1717900000_000);
  assert.equal(time({ t: 1632960000 }, 't', 's'), 1632960000_000, 'a unit that is given is obeyed');
  assert.equal(time({ t: 1632960000000 }, 't', 'ms'), 1632960000000);
  assert.equal(reason(() => time({ t: 1632960000000 }, 't', 's')), 'INVALID_FIELD', 'beyond the year 9999');
  assert.equal(time({ t: 1632960000000 }, 't', 's', 'never'), null, 'or none, where the product would never reach it');
  assert.equal(reason(() => time({ t: '-1' }, 't', 'ms')), 'INVALID_FIELD', 'before 1970');
  assert.equal(time({ t: '' }, 't'), null);
  assert.equal(time({}, 't'), undefined);
  assert.equal(reason(() => time({ t: 'yesterday' }, 't')), 'INVALID_FIELD');
});

test('FileBin: levels map basic/apikey/full to read/write/full; the owner is username, else the user id', () => {
  const r = filebin({ key: 'k'.repeat(32), user: 7, created: '2024-01-02 03:04:05', comment: 'c', access_level: 'basic' });
  assert.deepEqual([r.value, r.owner, r.access, r.kind, r.createdAt], ['k'.repeat(32), '7', 'read', 'personal', Date.UTC(2024, 0, 2, 3, 4, 5)]);
  assert.equal(filebin({ key: 'x'.repeat(32), user: 7, username: 'flo' }).owner, 'flo');
  assert.equal(filebin({ key: 'x'.repeat(32), user: 7 }).access, 'write', 'FileBin\'s column default is apikey');
  assert.equal(reason(() => filebin({ user: 7 })), 'MISSING_VALUE');
  assert.equal(reason(() => filebin({ key: 'x', user: 7, access_level: 'root' })), 'INVALID_FIELD');
});

test('Semaphore: expired rows are refused; booleans as 1/0, t/f, true/false', () => {
  for (const expired of ['1', 't', 'true', true]) assert.equal(reason(() => semaphore({ id: 'v', user_id: 1, expired })), 'EXPIRED_IN_SOURCE');
  const r = semaphore({ id: 'v', user_id: 1, expired: 'f', name: '', expires_at: '2030-01-01T00:00:00Z' });
  assert.deepEqual([r.owner, r.name, r.access, r.expiresAt], ['1', null, 'full', Date.UTC(2030, 0, 1)]);
  assert.equal(reason(() => semaphore({ id: 'v', user_id: 1, expired: 'maybe' })), 'INVALID_FIELD');
});

test('Meeseeks: Slack links give the user and channel names; text splits into command and arguments', () => {
  const r = meeseeks({ token: 'u', userLink: '<@U1|alice>', channelLink: '<#C1|ops>', text: ' deploy  web  prod ', created_on: '2018-08-15T10:00:00Z' });
  assert.deepEqual([r.owner, r.kind, r.binding], ['alice', 'bound', { command: 'deploy', args: ['web', 'prod'], channel: 'ops' }]);
  assert.equal(meeseeks({ token: 'u', userLink: '<@alice>', channelLink: '#ops', text: 'echo' }).binding?.channel, 'ops');
  assert.equal(reason(() => meeseeks({ token: 'u', userLink: '<@alice>', channelLink: '<#C1|ops>', text: '' })), 'INVALID_FIELD');
});

test('Query: the "never expires" sentinel, seconds, write → access; user tokens by e-mail', () => {
  const never = query({ id: 1, name: 'app', token: 'j', expiration_date: 100, updated_at: 100, created_at: 90, write: 1, active: 1 });
  assert.deepEqual([never.kind, never.expiresAt, never.access, never.createdAt, never.sourceId], ['service', null, 'write', 90_000, '1']);
  const dated = query({ id: 2, name: 'r', token: 'j', expiration_date: 200, updated_at: 100, write: 0, active: 0 });
  assert.deepEqual([dated.expiresAt, dated.access, dated.active], [200_000, 'read', false]);
  // The seed's own example, stored by Query's API in milliseconds: never reached there (compared in seconds).
  const ms = query({ id: 3, name: 'seed', token: 'j', expiration_date: 1632960000000, updated_at: 100, write: 1 });
  assert.equal(ms.expiresAt, null);
  const user = query({ user_uuid: 'x', email: 'a@b.c', admin: 1, token: 'j', expiration_date: 1, updated_at: 1 });
  assert.deepEqual([user.kind, user.owner, user.access], ['personal', 'a@b.c', 'full']);
  assert.equal(reason(() => query({ user_uuid: 'x', token: 'j' })), 'UNKNOWN_OWNER');
});

test('generic: value or hash, kinds, access, lists as JSON or comma-separated', () => {
  const r = generic({ hash: 'AB', owner: 'alice', permissions: '["a:b","c:d"]', roles: 'x, y', kind: 'personal' });
  assert.deepEqual([r.hash, r.value, r.permissions, r.roles], ['AB', undefined, ['a:b', 'c:d'], ['x', 'y']]);
  assert.equal(generic({ value: 'v', kind: 'service', name: 's', owner: 'ignored' }).owner, null);
  assert.equal(reason(() => generic({ owner: 'a' })), 'MISSING_VALUE');
  assert.equal(reason(() => generic({ value: 'v', owner: 'a', access: 'admin' })), 'INVALID_FIELD');
  assert.equal(reason(() => generic({ value: 'v' })), 'UNKNOWN_OWNER');
});

test('imported values are looked up: any printable value up to 1,024 characters; a prefixed one only with its checksum', () => {
  for (const v of ['3b2951af-8e4c-42e1-b6ef-218fee048fc0', 'HAZt9xslXTTIQrh6bpy0VAq3GZuO2R8U', 'kwofd61g93-yuqvex8efmhjkgnbxlo8mp1tin6spyhu=', 'eyJ.a.b12345', 'short']) {
    assert.ok(screen(v, 'tsr_'), v);
  }
  for (const v of ['', 'tsr_anything-at-all', 'tab\there-x', 'x'.repeat(1025)]) assert.ok(!screen(v, 'tsr_'), v);
});
