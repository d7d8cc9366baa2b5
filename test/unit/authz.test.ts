/** core/authz: the permission matcher, permission queries and CIDR allowlists, on plain values. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CidrList, checkCidrs } from '../../src/core/authz/cidr.js';
import { checkGrants, PermissionSet } from '../../src/core/authz/permissions.js';
import { evaluate, parseQuery, QUERY_MAX_DEPTH, QUERY_MAX_TERMS } from '../../src/core/authz/query.js';
import { TesseraError } from '../../src/core/errors.js';

const refused = (fn: () => unknown, field: string) => assert.throws(fn, (e: unknown) => e instanceof TesseraError && e.code === 'VALIDATION_ERROR' && e.details.field === field);

describe('the permission matcher', () => {
  const set = new PermissionSet(['deploy:*', 'billing.invoices:read', 'env.prod']);
  test('exact names and wildcards at segment ends', () => {
    assert.ok(set.has('billing.invoices:read'));
    assert.ok(set.has('deploy:write'));
    assert.ok(set.has('deploy:prod:write'));
    assert.ok(set.has('deploy:*'), 'a wildcard grant covers itself');
    assert.ok(!set.has('billing.invoices:write'));
  });
  test('no accidental prefix match', () => {
    assert.ok(!set.has('deploy'), 'deploy:* does not cover deploy itself');
    assert.ok(!set.has('deploy2:write'));
    assert.ok(!new PermissionSet(['deploy']).has('deploy2:write'));
    assert.ok(!new PermissionSet(['deploy2:*']).has('deploy'));
    assert.ok(!set.has('env.production'), 'env.prod does not cover env.production');
    assert.ok(!new PermissionSet(['deploy:write']).has('deploy:*'), 'a name does not cover a wildcard');
  });
  test('* covers everything; the empty set nothing', () => {
    assert.ok(new PermissionSet(['*']).has('anything:at.all'));
    assert.ok(!PermissionSet.EMPTY.has('a'));
  });
  test('grants are checked: wildcards only as a whole last segment', () => {
    assert.deepEqual(checkGrants('permissions', ['b:x', 'a:*', 'b:x']), ['a:*', 'b:x']);
    for (const bad of ['deploy*', 'de*ploy', '*:write', 'a::b', '', 'a b', 'x'.repeat(129), 5]) refused(() => checkGrants('permissions', [bad]), 'permissions');
  });
});

describe('permission queries', () => {
  const have = new PermissionSet(['deploy:write', 'env:staging']);
  test('a name, a list (all), and/or nested', () => {
    assert.equal(evaluate(parseQuery('deploy:write'), have).ok, true);
    assert.deepEqual(evaluate(parseQuery(['deploy:write', 'deploy:read']), have), { ok: false, missing: ['deploy:read'] });
    assert.equal(evaluate(parseQuery({ and: ['deploy:write', { or: ['env:prod', 'env:staging'] }] }), have).ok, true);
    assert.deepEqual(evaluate(parseQuery({ and: ['deploy:write', { or: ['env:prod', 'env:dev'] }] }), have), { ok: false, missing: ['env:prod', 'env:dev'] });
    assert.deepEqual(evaluate(parseQuery({ or: ['a', { and: ['b', 'deploy:write'] }] }), have), { ok: false, missing: ['a', 'b', 'deploy:write'] });
  });
  test('bad queries are 400 on the field: shape, wildcard, empty, too deep, too many names', () => {
    refused(() => parseQuery({ not: ['a'] }), 'permissions');
    refused(() => parseQuery({ and: ['a'], or: ['b'] }), 'permissions');
    refused(() => parseQuery('deploy:*'), 'permissions');
    refused(() => parseQuery({ and: [] }), 'permissions');
    refused(() => parseQuery(42), 'permissions');
    refused(() => parseQuery({ and: [['a', 'b']] }), 'permissions');
    refused(() => parseQuery({ or: 'a' }), 'permissions');
    // QUERY_MAX_DEPTH and/or inside each other are allowed (the names add no level), one more is refused
    let deep: unknown = 'a';
    for (let i = 0; i < QUERY_MAX_DEPTH; i++) deep = { and: [deep] };
    assert.doesNotThrow(() => parseQuery(deep));
    refused(() => parseQuery({ or: [deep, 'b'] }), 'permissions');
    assert.doesNotThrow(() => parseQuery([{ and: [{ and: [{ and: [{ or: ['a', 'b'] }] }] }] }]), 'a top-level list is the first level');
    refused(() => parseQuery([deep]), 'permissions');
    refused(() => parseQuery(Array.from({ length: QUERY_MAX_TERMS + 1 }, (_, i) => `p${i}`)), 'permissions');
    assert.doesNotThrow(() => parseQuery(Array.from({ length: QUERY_MAX_TERMS }, (_, i) => `p${i}`)));
  });
});

describe('CIDR allowlists', () => {
  test('IPv4, IPv6, IPv4-mapped IPv6, bare addresses', () => {
    const l = new CidrList(checkCidrs('allowed_cidrs', ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7']));
    assert.ok(l.allows('10.1.2.3'));
    assert.ok(l.allows('::ffff:10.9.9.9'));
    assert.ok(l.allows('2001:db8:1::5'));
    assert.ok(l.allows('192.0.2.7'));
    assert.ok(!l.allows('192.0.2.8'));
    assert.ok(!l.allows('11.0.0.1'));
    assert.ok(!l.allows('2001:db9::1'));
    assert.ok(!l.allows(null));
    assert.ok(!l.allows('not-an-ip'));
  });
  test('bad blocks are 400 on allowed_cidrs', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0/8', '2001:db8::/129', 'example.com', '10.0.0.0/8/1', '']) refused(() => checkCidrs('allowed_cidrs', [bad]), 'allowed_cidrs');
    assert.deepEqual(checkCidrs('allowed_cidrs', ['10.0.0.0/8', '10.0.0.0/8', '2001:DB8::/32']), ['10.0.0.0/8', '2001:db8::/32']);
  });
});
