/** A job's channel message: the command line says where each argument ends, and reads back as the same arguments. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Job } from '../../src/core/job-types.js';
import { commandLine, outcomeText } from '../../src/core/jobs/messages.js';
import { parseChat } from '../../src/core/chat/grammar.js';
import { split } from '../../src/runner/split.js';

const job = (args: string[]): Job => ({
  id: 9, command: 'echo-args', commandId: 1, args, userId: 2, username: 'alice', tokenId: null, channel: 'ops',
  trigger: 'api', status: 'succeeded', exitCode: 0, output: '', truncated: false, reason: null, startedAt: 0, endedAt: 1, node: null,
});

test('arguments with spaces, quotes, backslashes or nothing in them are quoted; plain ones are not', () => {
  assert.equal(outcomeText(job(['hello', 'a', 'b c'])), '@alice *echo-args hello a "b c"* done (job 9)');
  assert.equal(outcomeText(job(['hello', 'a', 'b', 'c'])), '@alice *echo-args hello a b c* done (job 9)');
  assert.equal(commandLine('x', ['', "it's", 'a\\b', 'say "hi"']), 'x "" "it\'s" "a\\\\b" "say \\"hi\\""');
});

test('the line reads back, through the chat grammar, as the same arguments', () => {
  const args = ['hello', 'b c', '', "it's", 'a\\b', 'say "hi"'];
  const parsed = parseChat(split(`token-new @alice #ops ${commandLine('echo-args', args)}`));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  assert.deepEqual(parsed.cmd, { kind: 'token-new', user: 'alice', channel: 'ops', command: 'echo-args', args });
});
