import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-cmdcfg-'));
const file = (text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'tessera-cfg-')), 'tessera.yaml');
  writeFileSync(p, text);
  return p;
};
const load = (yaml: string) => loadConfig({ TESSERA_CONFIG: file(yaml) });
const fails = (yaml: string, re: RegExp) => assert.throws(() => load(yaml), (e: Error) => e instanceof ConfigError && re.test(e.message), `expected ${re}`);

test('a full example loads, with defaults filled in', () => {
  const c = load(`
groups: [ops, dev]
commands:
  restart-web:
    id: 7
    argv: [sh, /opt/restart-web.sh]
    args: { pattern: '[a-z0-9-]+' }
    groups: [ops]
    timeout: 30
    env: { MODE: safe }
    description: restart the web tier
    channel: ops
  hello:
    id: 8
    argv: [/bin/echo, hi]
channels:
  ops:
    webhook: https://hooks.slack.com/services/T/B/X
    retry: { attempts: 5, backoff_ms: 500 }
  quiet: {}
jobs: { max_concurrent: 2 }
`);
  assert.deepEqual(c.commands['restart-web']!.args, { pattern: '[a-z0-9-]+' });
  assert.equal(c.commands['restart-web']!.output_cap, 65_536);
  assert.equal(c.commands.hello!.args, 'none');
  assert.deepEqual(c.commands.hello!.groups, []);
  assert.equal(c.commands.hello!.timeout, 60);
  assert.deepEqual(c.channels.quiet!.retry, { attempts: 3, backoff_ms: 1000 });
  assert.equal(c.jobs.max_concurrent, 2);
  assert.equal(c.jobs.max_queued, 100);
  assert.ok(Object.isFrozen(c.commands.hello!.argv));
});

test('no commands configured is fine (the default)', () => {
  const c = loadConfig({});
  assert.deepEqual(c.commands, {});
  assert.deepEqual(c.channels, {});
  assert.deepEqual(c.groups, []);
});

test('unknown keys in a command, a channel or jobs are named', () => {
  fails('commands:\n  a:\n    id: 1\n    argv: [/bin/true]\n    shell: true\n', /unknown key 'commands\.a\.shell'/);
  fails('channels:\n  ops:\n    url: http://x\n', /unknown key 'channels\.ops\.url'/);
  fails('channels:\n  ops:\n    retry: { tries: 2 }\n', /unknown key 'channels\.ops\.retry\.tries'/);
  fails('jobs:\n  pool: 3\n', /unknown key 'jobs\.pool'/);
});

test('an unknown group, a missing executable, a duplicate id fail start with a message naming the problem', () => {
  fails('groups: [ops]\ncommands:\n  a:\n    id: 1\n    argv: [/bin/true]\n    groups: [ops, wheel]\n', /commands\.a\.groups: unknown group 'wheel'/);
  fails('commands:\n  a:\n    id: 1\n    argv: [no-such-program-xyz]\n', /commands\.a\.argv\[0\]: executable 'no-such-program-xyz' not found/);
  fails('commands:\n  a:\n    id: 1\n    argv: [/nonexistent/bin/tool]\n', /executable '\/nonexistent\/bin\/tool' not found/);
  fails('commands:\n  a:\n    id: 1\n    argv: [./relative.sh]\n', /must be an absolute path or a name found on PATH/);
  fails('commands:\n  a:\n    id: 4\n    argv: [/bin/true]\n  b:\n    id: 4\n    argv: [/bin/true]\n', /commands\.b\.id: id 4 is already used by command 'a'/);
});

test('argv[0] must be executable: a plain file is refused; a bare name is found on the command\'s PATH', () => {
  const plain = join(dir, 'plain.sh');
  writeFileSync(plain, 'echo hi\n');
  fails(`commands:\n  a:\n    id: 1\n    argv: [${plain}]\n`, /not found or not executable/);
  chmodSync(plain, 0o755);
  assert.equal(load(`commands:\n  a:\n    id: 1\n    argv: [${plain}]\n`).commands.a!.argv[0], plain);
  assert.equal(load('commands:\n  a:\n    id: 1\n    argv: [echo]\n').commands.a!.id, 1);
  fails(`commands:\n  a:\n    id: 1\n    argv: [plain.sh]\n`, /not found/);
  assert.ok(load(`commands:\n  a:\n    id: 1\n    argv: [plain.sh]\n    env: { PATH: ${dir} }\n`));
});

test('other mistakes: empty argv, bad names, unknown channel, bad pattern, bad cwd, bad env name, bad webhook', () => {
  fails('commands:\n  a:\n    id: 1\n    argv: []\n', /'commands\.a\.argv' must NOT have fewer than 1 items/);
  fails('commands:\n  a:\n    argv: [/bin/true]\n', /must have required property 'id'/);
  fails('commands:\n  Bad Name:\n    id: 1\n    argv: [/bin/true]\n', /commands\.Bad Name: a command name must match/);
  fails('commands:\n  a:\n    id: 1\n    argv: [/bin/true]\n    channel: ops\n', /commands\.a\.channel: unknown channel 'ops'/);
  fails("commands:\n  a:\n    id: 1\n    argv: [/bin/true]\n    args: { pattern: 'a)|(b' }\n", /commands\.a\.args\.pattern: not a valid regular expression/);
  fails('commands:\n  a:\n    id: 1\n    argv: [/bin/true]\n    args: some\n', /commands\.a\.args/);
  fails('commands:\n  a:\n    id: 1\n    argv: [/bin/true]\n    cwd: /nonexistent-dir\n', /commands\.a\.cwd/);
  fails('commands:\n  a:\n    id: 1\n    argv: [/bin/true]\n    env: { "A-B": x }\n', /commands\.a\.env: 'A-B' is not a valid/);
  fails('channels:\n  ops:\n    webhook: ftp://x\n', /'channels\.ops\.webhook' must match/);
  fails('groups: ["bad group"]\n', /'groups\/0'|'groups\.0'/);
});
