/**
 * The PostgreSQL change feed (LISTEN/NOTIFY) on its own: what one feed publishes, the others receive (not itself);
 * a terminated connection is reported as lost, then restored after the reconnect, and what was published meanwhile
 * is delivered. And the unreachable-database error mapping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Change, ChangeListener } from '../../src/core/ports.js';
import { clientConfig } from '../../src/store/postgres/index.js';
import { isUnavailable } from '../../src/store/postgres/errors.js';
import { PgChangeFeed } from '../../src/store/postgres/notify.js';
import { freshSchema, pgAdmin, postgresReachable, postgresUrl, requireServices, type TestSchema } from '../services.js';

/** A listener that records what it is told and lets a test wait for the next event. */
const recorder = () => {
  const events: (Change | 'lost' | 'restored')[] = [];
  let wake: (() => void) | null = null;
  const push = (e: Change | 'lost' | 'restored') => { events.push(e); wake?.(); };
  const l: ChangeListener = { changed: (c) => push(c), lost: () => push('lost'), restored: () => push('restored') };
  const until = async (pred: () => boolean): Promise<void> => {
    while (!pred()) await new Promise<void>((r) => { wake = r; });
  };
  return { l, events, until };
};

test('driver errors that mean "unreachable" map to STORE_UNAVAILABLE; others do not', () => {
  for (const e of [{ code: 'ECONNREFUSED' }, { code: '57P01' }, { code: '08006' }, new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'), { errors: [{ code: 'ECONNREFUSED' }, { code: 'EHOSTUNREACH' }] }]) {
    assert.equal(isUnavailable(e), true, JSON.stringify(e));
  }
  for (const e of [{ code: '23505' }, { code: '42P01' }, new Error('syntax error at or near "x"'), null, 'text']) {
    assert.equal(isUnavailable(e), false, JSON.stringify(e));
  }
});

const reachable = await postgresReachable();
if (!reachable && requireServices()) {
  test('PostgreSQL is reachable (TESSERA_REQUIRE_SERVICES=1)', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
} else if (!reachable) {
  test(`change feed: postgres — SKIPPED: PostgreSQL not reachable at ${postgresUrl()}`, { skip: true }, () => {});
} else {
  describe('PostgreSQL change feed', () => {
    let schema: TestSchema;
    let other: TestSchema;
    before(async () => { schema = await freshSchema(); other = await freshSchema(); });
    after(async () => { await schema.drop(); await other.drop(); });

    test('changes reach the other feeds of the same schema only, and never come back to the sender', async () => {
      const a = new PgChangeFeed(clientConfig(schema.url(`feed-a-${schema.name}`)));
      const b = new PgChangeFeed(clientConfig(schema.url(`feed-b-${schema.name}`)));
      const x = new PgChangeFeed(clientConfig(other.url(`feed-x-${other.name}`)));
      const ra = recorder(); const rb = recorder(); const rx = recorder();
      try {
        await Promise.all([a.start(ra.l), b.start(rb.l), x.start(rx.l)]);
        assert.ok(a.live() && b.live() && x.live());
        a.publish({ kind: 'token', id: 'tok_one' });
        a.publish({ kind: 'user', id: 7 });
        a.publish({ kind: 'all' });
        await rb.until(() => rb.events.length === 3);
        assert.deepEqual(rb.events, [{ kind: 'token', id: 'tok_one' }, { kind: 'user', id: 7 }, { kind: 'all' }]);
        // A marker from B proves A's own three were not echoed back to it before B's arrived.
        b.publish({ kind: 'token', id: 'tok_marker' });
        await ra.until(() => ra.events.length >= 1);
        assert.deepEqual(ra.events, [{ kind: 'token', id: 'tok_marker' }]);
        x.publish({ kind: 'token', id: 'tok_other_schema' });
        a.publish({ kind: 'token', id: 'tok_two' });
        await rb.until(() => rb.events.length === 4);
        assert.deepEqual(rb.events[3], { kind: 'token', id: 'tok_two' }, 'nothing from the other schema came in between');
      } finally {
        await Promise.all([a.close(), b.close(), x.close()]);
      }
    });

    test('a terminated connection → lost(); reconnect → restored(); changes published meanwhile are delivered', async () => {
      const app = `feed-t-${schema.name}`;
      const t = new PgChangeFeed(clientConfig(schema.url(app)), { minBackoffMs: 50 });
      const peer = new PgChangeFeed(clientConfig(schema.url(`feed-p-${schema.name}`)));
      const rt = recorder(); const rp = recorder();
      try {
        await Promise.all([t.start(rt.l), peer.start(rp.l)]);
        await pgAdmin('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [app]);
        await rt.until(() => rt.events.includes('lost'));
        t.publish({ kind: 'token', id: 'tok_while_down' }); // queued if still down, sent at once if already back
        await rt.until(() => rt.events.includes('restored'));
        assert.deepEqual(rt.events.slice(0, 2), ['lost', 'restored']);
        assert.equal(t.live(), true);
        await rp.until(() => rp.events.some((e) => typeof e === 'object' && e.kind === 'token' && e.id === 'tok_while_down'));
        // And it receives again.
        peer.publish({ kind: 'token', id: 'tok_after' });
        await rt.until(() => rt.events.some((e) => typeof e === 'object' && e.kind === 'token' && e.id === 'tok_after'));
      } finally {
        await Promise.all([t.close(), peer.close()]);
      }
    });
  });
}
