import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const file = (text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'tessera-cfg-')), 'tessera.yaml');
  writeFileSync(p, text);
  return p;
};

test('defaults: port 9696 on all interfaces, data in ./data, nested defaults filled', () => {
  const c = loadConfig({});
  assert.equal(c.port, 9696);
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.data_dir, './data');
  assert.equal(c.login_throttle.max_failures, 5);
  assert.equal(c.cache.max_entries, 100_000);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.cache));
});

test('a YAML file sets keys and the environment wins over it', () => {
  const p = file('port: 8000\nhost: 127.0.0.1\ncache:\n  ttl_seconds: 5\n');
  const c = loadConfig({ TESSERA_CONFIG: p, TESSERA_PORT: '8100' });
  assert.equal(c.port, 8100);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.cache.ttl_seconds, 5);
  assert.equal(c.cache.max_entries, 100_000);
});

test('JSON is valid YAML', () => {
  const c = loadConfig({ TESSERA_CONFIG: file('{"port": 7000, "data_dir": "/tmp/x"}') });
  assert.equal(c.port, 7000);
  assert.equal(c.data_dir, '/tmp/x');
});

test('invalid config fails with a message naming the key', () => {
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('prot: 1\n') }), (e: Error) => e instanceof ConfigError && /unknown key 'prot'/.test(e.message));
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('cache:\n  max: 3\n') }), /unknown key 'cache.max'/);
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('port: "high"\n') }), /'port' must be integer/);
  assert.throws(() => loadConfig({ TESSERA_PORT: 'abc' }), /TESSERA_PORT \(port\) must be an integer/);
  assert.throws(() => loadConfig({ TESSERA_PORT: '70000' }), /'port' must be <= 65535/);
  assert.throws(() => loadConfig({ TESSERA_TOKEN_PREFIX: 'Bad-' }), /'token_prefix'/);
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file(': : :\n  - [') }), /not valid YAML/);
  // One line (line and column), not the parser's drawing of the spot
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('commands:\n  deploy:\n    argv: [a]\n   ops: 1\n') }), (e: Error) => /not valid YAML: .*line \d+, column \d+/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => loadConfig({ TESSERA_CONFIG: '/nonexistent/tessera.yaml' }), /cannot read config file/);
});

test('settings that would refuse every request of a kind fail at start: a default JWT ttl over the maximum, a default expiry over the maximum lifetime', () => {
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('jwt:\n  ttl_seconds: 100000\n  max_ttl_seconds: 3600\n') }),
    (e: Error) => e instanceof ConfigError && /'jwt.ttl_seconds' \(100000\) must not be longer than 'jwt.max_ttl_seconds' \(3600\)/.test(e.message));
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('tokens:\n  policy:\n    max_lifetime_seconds: 3600\n    default_expiry_seconds: 7200\n') }),
    (e: Error) => e instanceof ConfigError && /'tokens.policy.default_expiry_seconds' \(7200\) must not be longer than 'tokens.policy.max_lifetime_seconds' \(3600\)/.test(e.message));
  assert.equal(loadConfig({ TESSERA_CONFIG: file('jwt:\n  ttl_seconds: 3600\n  max_ttl_seconds: 3600\n') }).jwt.ttl_seconds, 3600);
});

test('a value that fits none of a setting\'s shapes gets one complaint: the allowed values, or what is wrong with it', () => {
  assert.throws(() => loadConfig({ TESSERA_LOG_LEVEL: 'verbose' }),
    (e: Error) => e.message === "invalid configuration: 'log_level' must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'");
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('workers: 0\n') }), (e: Error) => e.message === "invalid configuration: 'workers' must be >= 1");
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('provider: ldap\nport: "x"\n') }),
    (e: Error) => /'provider' must be one of '[a-z]+'(, '[a-z]+')*/.test(e.message) && /'port' must be integer/.test(e.message) && !/anyOf|constant/.test(e.message));
});

test('trust_proxy in a file as one word or a comma list, as the environment takes it', () => {
  assert.deepEqual(loadConfig({ TESSERA_CONFIG: file('trust_proxy: loopback\n') }).trust_proxy, ['loopback']);
  assert.deepEqual(loadConfig({ TESSERA_CONFIG: file('trust_proxy: "loopback, 10.0.0.0/8"\n') }).trust_proxy, ['loopback', '10.0.0.0/8']);
  assert.deepEqual(loadConfig({ TESSERA_TRUST_PROXY: 'loopback' }).trust_proxy, ['loopback']);
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('trust_proxy: nowhere\n') }), /'trust_proxy' entry 'nowhere'/);
});

test('password_min_length: default 8, set by file or environment, at least 1; the admin password must meet it', () => {
  assert.equal(loadConfig({}).password_min_length, 8);
  assert.equal(loadConfig({ TESSERA_CONFIG: file('password_min_length: 4\n') }).password_min_length, 4);
  assert.equal(loadConfig({ TESSERA_PASSWORD_MIN_LENGTH: '12' }).password_min_length, 12);
  assert.equal(loadConfig({}, { password_min_length: 1 }).password_min_length, 1);
  const named = (e: Error) => e instanceof ConfigError && /'password_min_length'/.test(e.message);
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('password_min_length: 0\n') }), named);
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('password_min_length: -3\n') }), /'password_min_length' must be >= 1/);
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('password_min_length: "four"\n') }), /'password_min_length' must be integer/);
  assert.throws(() => loadConfig({ TESSERA_CONFIG: file('password_min_length: 2.5\n') }), named);
  assert.throws(() => loadConfig({ TESSERA_PASSWORD_MIN_LENGTH: 'x' }), /TESSERA_PASSWORD_MIN_LENGTH \(password_min_length\) must be an integer/);
  assert.throws(() => loadConfig({ TESSERA_ADMIN_PASSWORD: 'twelve-chars', TESSERA_PASSWORD_MIN_LENGTH: '16' }),
    /'admin_password' is shorter than 'password_min_length' \(16\)/);
  // The admin password follows the setting both ways: a lower minimum lets a shorter one through (no fixed 8).
  assert.equal(loadConfig({ TESSERA_ADMIN_PASSWORD: 'abcde', TESSERA_PASSWORD_MIN_LENGTH: '4' }).admin_password, 'abcde');
  assert.throws(() => loadConfig({ TESSERA_ADMIN_PASSWORD: 'abcde' }), /'admin_password' is shorter than 'password_min_length' \(8\)/);
});

test('an invalid password_min_length stops `tessera serve` at start, naming the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cfg-'));
  try {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bin/tessera.js', 'serve'], {
        env: { ...process.env, TESSERA_CONFIG: file('password_min_length: 0\n'), TESSERA_DATA_DIR: dir, TESSERA_PORT: '0' }, timeout: 20_000,
      }, (err, _stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? null : 0, stderr }));
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid configuration: 'password_min_length' must be >= 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
