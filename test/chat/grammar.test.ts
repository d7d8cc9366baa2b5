import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelName, DEFAULT_LIST_LIMIT, parseChat, userName } from '../../src/core/chat/grammar.js';
import { split } from '../../src/runner/split.js';

const parse = (line: string) => parseChat(split(line));

test('token-new: plain and Slack mentions name the same user and channel; the rest is command and args', () => {
  const want = { kind: 'token-new', user: 'alice', channel: 'ops', command: 'restart', args: ['web', 'a b'] };
  assert.deepEqual(parse('token-new @alice #ops restart web "a b"'), { ok: true, cmd: want });
  assert.deepEqual(parse('token-new <@U123|alice> <#C1|ops> restart web "a b"'), { ok: true, cmd: want });
  assert.deepEqual(parse('token-new alice ops restart web \'a b\''), { ok: true, cmd: want });
  assert.deepEqual(parse('token-new @alice #ops echo'), { ok: true, cmd: { kind: 'token-new', user: 'alice', channel: 'ops', command: 'echo', args: [] } });
});

test('token-new: Meeseeks\'s error for too few arguments; a Slack user escape without a name is refused', () => {
  for (const l of ['token-new', 'token-new @alice', 'token-new @alice #ops']) {
    const r = parse(l);
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /^not enough arguments passed in/);
  }
  const r = parse('token-new <@U123> #ops echo');
  assert.equal(r.ok, false);
  assert.match((r as { error: string }).error, /cannot tell which user <@U123> is/);
  assert.equal(parse('token-new @alice <#C1> echo').ok, false);
  assert.equal(parse('token-new # @x echo').ok, false);
});

test('tokens: default limit 5; flags in Go style (-f v, --f v, -f=v); -user/-channel accept mentions', () => {
  assert.deepEqual(parse('tokens'), { ok: true, cmd: { kind: 'tokens', limit: DEFAULT_LIST_LIMIT } });
  assert.equal(DEFAULT_LIST_LIMIT, 5);
  assert.deepEqual(parse('tokens -command ec -limit 20'), { ok: true, cmd: { kind: 'tokens', command: 'ec', limit: 20 } });
  assert.deepEqual(parse('tokens --user <@U1|bob> -channel=<#C1|ops> -limit=2'),
    { ok: true, cmd: { kind: 'tokens', user: 'bob', channel: 'ops', limit: 2 } });
  assert.deepEqual(parse('tokens -user @bob -channel #ops'), { ok: true, cmd: { kind: 'tokens', user: 'bob', channel: 'ops', limit: 5 } });
});

test('tokens: bad flags and limits are refused with the reason', () => {
  const cases: [string, RegExp][] = [
    ['tokens -limit 0', /-limit must be a whole number/],
    ['tokens -limit x', /-limit must be a whole number/],
    ['tokens -limit 201', /from 1 to 200/],
    ['tokens -limit', /flag -limit needs a value/],
    ['tokens -owner bob', /unknown flag '-owner'/],
    ['tokens bob', /unexpected argument 'bob'/],
  ];
  for (const [line, re] of cases) {
    const r = parse(line);
    assert.equal(r.ok, false, line);
    assert.match((r as { error: string }).error, re, line);
  }
});

test('token-revoke takes exactly one argument (Meeseeks\'s message); help and the empty line are help', () => {
  assert.deepEqual(parse('token-revoke tok_abc'), { ok: true, cmd: { kind: 'token-revoke', ref: 'tok_abc' } });
  for (const l of ['token-revoke', 'token-revoke a b']) {
    const r = parse(l);
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, /^only one token ID should be passed as an argument/);
  }
  assert.deepEqual(parse('help'), { ok: true, cmd: { kind: 'help' } });
  assert.deepEqual(parse('   '), { ok: true, cmd: { kind: 'help' } });
});

test('an unknown command names the known ones', () => {
  const r = parse('tokens-new @a #b c');
  assert.equal(r.ok, false);
  assert.match((r as { error: string }).error, /unknown command 'tokens-new'.*token-new, tokens, token-revoke, help/);
});

test('userName / channelName', () => {
  assert.deepEqual(userName('<@U0AB|carol.x>'), { ok: true, name: 'carol.x' });
  assert.deepEqual(userName('@dave'), { ok: true, name: 'dave' });
  assert.equal(userName('@').ok, false);
  assert.equal(userName('#ops').ok, false);
  assert.deepEqual(channelName('<#C0AB|general>'), { ok: true, name: 'general' });
  assert.deepEqual(channelName('#general'), { ok: true, name: 'general' });
  assert.equal(channelName('@general').ok, false);
});
