/** `workers` (issue 18): a count or `auto`, from the file, TESSERA_WORKERS or `serve --workers`; `auto` = the cores. */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { workerCount } from '../../src/main.js';

test('workers: default 1; a number or auto from TESSERA_WORKERS; auto counts the cores', () => {
  assert.equal(loadConfig({}).workers, 1);
  assert.equal(workerCount(loadConfig({})), 1);
  assert.equal(loadConfig({ TESSERA_WORKERS: '4' }).workers, 4);
  assert.equal(workerCount(loadConfig({ TESSERA_WORKERS: '4' })), 4);
  assert.equal(loadConfig({ TESSERA_WORKERS: 'auto' }).workers, 'auto');
  assert.equal(workerCount(loadConfig({ TESSERA_WORKERS: 'auto' })), availableParallelism());
});

test('workers: anything else is a configuration error naming the key', () => {
  for (const bad of ['0', 'two', '-1', '1000']) {
    assert.throws(() => loadConfig({ TESSERA_WORKERS: bad }), (e: Error) => e instanceof ConfigError && /'workers'/.test(e.message), bad);
  }
});
