/**
 * Audit retention (`audit.retention_days`): rows older than the retention are deleted by the server's sweep, which
 * also runs at start — a server restarted more often than hourly prunes all the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough } from 'node:stream';
import { createTessera } from '../../src/main.js';
import { startHarness, TestClock } from '../helpers.js';

test('a restarted server deletes audit rows older than audit.retention_days soon after it starts', async () => {
  const h = await startHarness({ audit: { retention_days: 1 } });
  try {
    await h.adminToken({ name: 'old-row' });
    const before = await h.t.services.audit.list({ limit: 100 });
    assert.ok(before.items.some((e) => e.action === 'token.create'), 'the audit log has the rows to prune');
    await h.t.close();
    // The same data, two days later: everything written above is past the retention.
    const clock = new TestClock(Date.now() + 2 * 86_400_000);
    const t2 = await createTessera(h.t.config, { clock, logStream: new PassThrough() });
    try {
      let left = before.items.length;
      for (let i = 0; i < 100 && left > 0; i++) {
        await sleep(20);
        left = (await t2.services.audit.list({ limit: 100, until: clock.now() - 86_400_000 })).items.length;
      }
      assert.equal(left, 0, 'the old rows are deleted without waiting an hour');
    } finally {
      await t2.close();
    }
  } finally {
    await h.close();
  }
});

test('audit.retention_days 0 keeps every row across a restart', async () => {
  const h = await startHarness({ audit: { retention_days: 0 } });
  try {
    await h.adminToken({ name: 'kept' });
    const n = (await h.t.services.audit.list({ limit: 100 })).items.length;
    await h.t.close();
    const t2 = await createTessera(h.t.config, { clock: new TestClock(Date.now() + 400 * 86_400_000), logStream: new PassThrough() });
    try {
      await sleep(200);
      assert.ok((await t2.services.audit.list({ limit: 100 })).items.length >= n);
    } finally {
      await t2.close();
    }
  } finally {
    await h.close();
  }
});
