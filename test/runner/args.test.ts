import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgPolicyError, checkArgs, compileArgPolicy, type ArgPolicy } from '../../src/runner/args.js';

test("'none' allows no extra arguments", () => {
  assert.deepEqual(checkArgs('none', []), { ok: true });
  const r = checkArgs('none', ['x']);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /no extra arguments/);
});

test("'any' allows anything an argv entry can hold, but not a NUL", () => {
  assert.deepEqual(checkArgs('any', ['a;b', '$(id)', ' spaced ', '']), { ok: true });
  const r = checkArgs('any', ['ok', 'a\0b']);
  assert.deepEqual(r, { ok: false, reason: 'argument 2 contains a NUL character' });
});

test('a pattern must match each argument fully (it is anchored)', () => {
  const policy = compileArgPolicy({ pattern: '[a-z0-9-]+' }, 'commands.restart.args');
  assert.deepEqual(checkArgs(policy, ['web-1', 'db']), { ok: true });
  const r = checkArgs(policy, ['web-1', 'web;reboot']);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /argument 2 \("web;reboot"\) does not match/);
  assert.equal(checkArgs(policy, ['x\ny']).ok, false, 'no multiline escape from the anchors');
  assert.equal(checkArgs(policy, ['']).ok, false);
});

test('alternation stays anchored: a|ab matches "ab" but not "abc"', () => {
  const policy = compileArgPolicy({ pattern: 'a|ab' });
  assert.equal(checkArgs(policy, ['ab']).ok, true);
  assert.equal(checkArgs(policy, ['abc']).ok, false);
  assert.equal(checkArgs(policy, ['xab']).ok, false);
});

test('a pattern that does not compile is refused at config load, naming the key', () => {
  assert.throws(
    () => compileArgPolicy({ pattern: '(' }, 'commands.deploy.args'),
    (e: unknown) => e instanceof ArgPolicyError && /^commands\.deploy\.args: pattern "\(" is not a valid regular expression/.test(e.message),
  );
  // Would compile once wrapped as ^(?:a)|(b)$ and match anything starting with "a": refused.
  assert.throws(() => compileArgPolicy({ pattern: 'a)|(b' }), ArgPolicyError);
});

test('unknown policies are refused at config load', () => {
  for (const bad of ['all', 42, null, [], { pattern: 1 }, { pattern: 'x', flags: 'i' }, {}]) {
    assert.throws(() => compileArgPolicy(bad, 'cmd.args'), (e: unknown) => e instanceof ArgPolicyError && e.message.startsWith('cmd.args: '), JSON.stringify(bad));
  }
});

test('a policy built in code (not compiled at load) is compiled on first use; a bad one is refused, not thrown', () => {
  const policy: ArgPolicy = { pattern: '\\d+' };
  assert.equal(checkArgs(policy, ['123']).ok, true);
  assert.equal(checkArgs(policy, ['12a']).ok, false);
  assert.deepEqual(checkArgs({ pattern: '[' }, ['x']), { ok: false, reason: "the command's argument pattern is invalid" });
});

test('long arguments are shortened in the reason', () => {
  const r = checkArgs({ pattern: 'x' }, ['y'.repeat(500)]);
  assert.equal(r.ok, false);
  assert.ok((r as { reason: string }).reason.length < 120);
});
