/**
 * The prom-client recorder (src/infra/metrics.ts) and its documentation: histogram buckets are cumulative with
 * `+Inf`, `_sum` and `_count`; children are made once; every metric family is in docs/metrics.md and on the Grafana
 * dashboard (docs/grafana/tessera.json), and every metric the dashboard queries exists.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promMetrics } from '../../src/infra/metrics.js';
import { storeErrorKind } from '../../src/core/metrics.js';

const ROOT = join(import.meta.dirname, '../..');

test('histograms are cumulative, with +Inf, _sum and _count; counters count; children are made once', async () => {
  const m = promMetrics({ defaultMetrics: false });
  const lane = m.lane('verify');
  assert.equal(m.lane('verify'), lane, 'the same child every time');
  for (const s of [0.00004, 0.0003, 0.0003, 0.02, 9]) lane.observe(s);
  const codes = m.verifications('forward', 'hot');
  assert.equal(m.verifications('forward', 'hot'), codes);
  codes.count('VALID'); codes.count('VALID'); codes.count('TOKEN_REVOKED');
  m.job('deploy', 'succeeded', 2);
  const out = (await m.render()).body;
  const v = (line: string): number => Number(out.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1] ?? NaN);
  const b = (le: string): number => v(`tessera_hot_lane_request_duration_seconds_bucket{route="verify",le="${le}"}`);
  assert.equal(b('0.00005'), 1);
  assert.equal(b('0.00025'), 1);
  assert.equal(b('0.0005'), 3);
  assert.equal(b('0.025'), 4);
  assert.equal(b('5'), 4);
  assert.equal(b('+Inf'), 5);
  assert.equal(v('tessera_hot_lane_request_duration_seconds_count{route="verify"}'), 5);
  assert.ok(Math.abs(v('tessera_hot_lane_request_duration_seconds_sum{route="verify"}') - 9.02064) < 1e-9);
  assert.equal(v('tessera_verifications_total{face="forward",lane="hot",code="VALID"}'), 2);
  assert.equal(v('tessera_verifications_total{face="forward",lane="hot",code="TOKEN_REVOKED"}'), 1);
  assert.equal(v('tessera_jobs_total{command="deploy",outcome="succeeded"}'), 1);
  assert.equal(v('tessera_job_duration_seconds_bucket{command="deploy",outcome="succeeded",le="5"}'), 1);
  assert.equal(v('tessera_job_duration_seconds_bucket{command="deploy",outcome="succeeded",le="1"}'), 0);
});

test('store errors: STORE_UNAVAILABLE, driver exceptions behind INTERNAL_ERROR, nothing else', () => {
  assert.equal(storeErrorKind('STORE_UNAVAILABLE', new Error('x')), 'unavailable');
  assert.equal(storeErrorKind('INTERNAL_ERROR', Object.assign(new Error('no such table'), { name: 'SqliteError', code: 'SQLITE_ERROR' })), 'unexpected');
  assert.equal(storeErrorKind('INTERNAL_ERROR', Object.assign(new Error('relation does not exist'), { severity: 'ERROR', code: '42P01' })), 'unexpected');
  assert.equal(storeErrorKind('INTERNAL_ERROR', new TypeError('x is undefined')), null);
  assert.equal(storeErrorKind('TOKEN_NOT_FOUND', new Error('x')), null);
});

test('every metric family is documented and on the dashboard; the dashboard queries only real metrics', async () => {
  const out = (await promMetrics().render()).body;
  const families = [...out.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((x) => ({ name: x[1]!, type: x[2]! }));
  const ours = families.filter((f) => f.name.startsWith('tessera_'));
  assert.equal(ours.length, 11);
  const doc = readFileSync(join(ROOT, 'docs/metrics.md'), 'utf8');
  const dash = JSON.parse(readFileSync(join(ROOT, 'docs/grafana/tessera.json'), 'utf8')) as { panels: { type: string; targets?: { expr: string }[] }[] };
  const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  for (const f of ours) {
    assert.ok(doc.includes(`\`${f.name}\``), `${f.name} in docs/metrics.md`);
    assert.ok(exprs.some((e) => e.includes(f.name)), `${f.name} on the dashboard`);
  }
  const known = new Set(families.flatMap((f) => (f.type === 'histogram' ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name])));
  for (const e of exprs) {
    for (const name of e.match(/\b(?:tessera|process|nodejs)_[a-z0-9_]+/g) ?? []) assert.ok(known.has(name), `the dashboard queries ${name}, which is not exposed`);
  }
});
