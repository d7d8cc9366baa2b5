import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SplitError, split } from '../../src/runner/split.js';

test('whitespace separates; runs of spaces, tabs and newlines count once', () => {
  assert.deepEqual(split('restart  web\tnow\n'), ['restart', 'web', 'now']);
  assert.deepEqual(split('   a   '), ['a']);
});

test('empty or blank input gives no arguments', () => {
  assert.deepEqual(split(''), []);
  assert.deepEqual(split(' \t\n '), []);
});

test('double quotes group words: "b c" is one argument', () => {
  assert.deepEqual(split('a "b c" d'), ['a', 'b c', 'd']);
});

test('single quotes are fully literal, backslashes and double quotes included', () => {
  assert.deepEqual(split(`'it is \\n "x"'`), ['it is \\n "x"']);
});

test('inside double quotes only \\" and \\\\ are escapes; other backslashes stay', () => {
  assert.deepEqual(split('"say \\"hi\\" c:\\\\dir \\n"'), ['say "hi" c:\\dir \\n']);
});

test('outside quotes a backslash escapes the next character, a space included', () => {
  assert.deepEqual(split('a\\ b c\\"d \\\\'), ['a b', 'c"d', '\\']);
  assert.deepEqual(split('x\\'), ['x\\'], 'a trailing backslash stays literal');
  assert.deepEqual(split('\\😀'), ['😀'], 'a whole code point is escaped');
});

test('shell metacharacters are plain characters: a;b stays one argument', () => {
  assert.deepEqual(split('a;b'), ['a;b']);
  assert.deepEqual(split('x | y && $(id) `id` > /etc/passwd $HOME *'), ['x', '|', 'y', '&&', '$(id)', '`id`', '>', '/etc/passwd', '$HOME', '*']);
  assert.deepEqual(split('rm;reboot'), ['rm;reboot']);
});

test('quoted and unquoted parts that touch make one argument; empty quotes give an empty argument', () => {
  assert.deepEqual(split(`a"b c"d'e f'`), ['ab cde f']);
  assert.deepEqual(split(`x '' ""`), ['x', '', '']);
});

test('an unclosed quote throws SplitError("unclosed quote")', () => {
  for (const line of [`echo 'oops`, 'echo "oops', 'a "b\\"', `"`]) {
    assert.throws(
      () => split(line),
      (e: unknown) => e instanceof SplitError && e.message === 'unclosed quote' && e.code === 'UNCLOSED_QUOTE',
      line,
    );
  }
  try {
    split('ab "cd');
  } catch (e) {
    assert.equal((e as SplitError).position, 3);
  }
});

test('Meeseeks form example: message=arg1+arg2 (multipart keeps +) is one argument', () => {
  assert.deepEqual(split('arg1+arg2'), ['arg1+arg2']);
});
