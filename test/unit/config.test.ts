import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
  assert.throws(() => loadConfig({ TESSERA_CONFIG: '/nonexistent/tessera.yaml' }), /cannot read config file/);
});
