/**
 * A job that ends while the store refuses writes (an outage, simulated on the real store by renaming its `jobs`
 * table away and back): its outcome is stored once the store answers again, not lost with the job left `running`
 * until the next restart. The command waits for a file the test creates, so the outage covers its end for certain.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { SqlStore } from '../../src/store/sql-store.js';
import type { Harness } from '../helpers.js';
import { script, scriptDir, settled, startJobsHarness } from './support.js';

const dir = scriptDir();
const gate = join(dir, 'go');
let h: Harness;

before(async () => {
  h = await startJobsHarness({
    hold: { id: 1, argv: [script(dir, 'hold.sh', `echo before\nwhile [ ! -e "${gate}" ]; do sleep 0.02; done\necho after`)], timeout: 600 },
  });
});
after(async () => {
  writeFileSync(gate, '');
  await h.close();
});

const failures = (): number => h.logs().split('\n').filter((l) => l.includes('recording a job outcome failed')).length;

test('an outcome the store refused is stored when the store is back', { timeout: 30_000 }, async () => {
  const r = await h.req({ method: 'POST', url: '/api/v1/commands/hold/run', headers: { cookie: h.adminCookie } });
  assert.equal(r.statusCode, 202, r.body);
  const id = r.json().id as number;
  const db = (h.t.services.store as SqlStore).db;
  await sql`alter table jobs rename to jobs_away`.execute(db);
  writeFileSync(gate, ''); // the command ends during the outage
  for (let i = 0; i < 400 && failures() < 2; i++) await new Promise((done) => setTimeout(done, 25));
  assert.ok(failures() >= 2, 'the store refused the outcome, and was asked again');
  await sql`alter table jobs_away rename to jobs`.execute(db);

  const ended = await settled(h, id);
  assert.deepEqual([ended.status, ended.output], ['succeeded', 'before\nafter\n']);
  const stored = (await h.req({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { cookie: h.adminCookie } })).json();
  assert.deepEqual([stored.status, stored.exit_code, stored.output], ['succeeded', 0, 'before\nafter\n']);
  const posted = (await h.req({ method: 'GET', url: '/api/v1/channels/default/messages?limit=1', headers: { cookie: h.adminCookie } })).json();
  assert.equal(posted.items[0].job_id, id, 'the outcome was posted to the channel once stored');
});
