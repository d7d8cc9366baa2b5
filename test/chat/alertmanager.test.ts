/** Alertmanager webhook notifications on POST /message: alert data reaches the command as environment, never as text. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alertEnv, checkAlertmanager, PER_ALERT_MAX } from '../../src/core/chat/alertmanager.js';
import { type ChatServer, finished, messages, sh, startChatServer, tokenNew } from './support.js';

/** A notification in the shape Alertmanager's webhook_config sends (docs: prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
const NOTIFICATION = {
  receiver: 'tessera-remediation',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'DiskFull', instance: 'web-1:9100', job: 'node', severity: 'critical', mountpoint: '/var' },
      annotations: { summary: 'Disk /var on web-1 is 95% full', runbook_url: 'https://runbooks.example/disk-full' },
      startsAt: '2024-05-01T10:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes',
      fingerprint: 'c4a4f3b2e1d0a9f8',
    },
    {
      status: 'resolved',
      labels: { alertname: 'DiskFull', instance: 'web-2:9100', job: 'node', severity: 'critical', mountpoint: '/var' },
      annotations: { summary: 'Disk /var on web-2 is 95% full', runbook_url: 'https://runbooks.example/disk-full' },
      startsAt: '2024-05-01T09:00:00.000Z',
      endsAt: '2024-05-01T09:30:00.000Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=node_filesystem_avail_bytes',
      fingerprint: '0a1b2c3d4e5f6789',
    },
  ],
  groupLabels: { alertname: 'DiskFull' },
  commonLabels: { alertname: 'DiskFull', job: 'node', severity: 'critical', mountpoint: '/var' },
  commonAnnotations: { runbook_url: 'https://runbooks.example/disk-full' },
  externalURL: 'http://alertmanager:9093',
  version: '4',
  groupKey: '{}:{alertname="DiskFull"}',
  truncatedAlerts: 0,
};

test('alertEnv: status, counts, common and per-alert labels, upper-cased names', () => {
  const env = alertEnv(checkAlertmanager(structuredClone(NOTIFICATION)));
  assert.equal(env.ALERT_STATUS, 'firing');
  assert.equal(env.ALERT_NAME, 'DiskFull');
  assert.equal(env.ALERT_COUNT, '2');
  assert.equal(env.ALERT_FIRING_COUNT, '1');
  assert.equal(env.ALERT_RESOLVED_COUNT, '1');
  assert.equal(env.ALERT_RECEIVER, 'tessera-remediation');
  assert.equal(env.ALERT_GROUP_KEY, '{}:{alertname="DiskFull"}');
  assert.equal(env.ALERT_LABEL_SEVERITY, 'critical');
  assert.equal(env.ALERT_GROUP_LABEL_ALERTNAME, 'DiskFull');
  assert.equal(env.ALERT_ANNOTATION_RUNBOOK_URL, 'https://runbooks.example/disk-full');
  assert.equal(env.ALERT_1_LABEL_INSTANCE, 'web-1:9100');
  assert.equal(env.ALERT_2_STATUS, 'resolved');
  assert.equal(env.ALERT_2_FINGERPRINT, '0a1b2c3d4e5f6789');
  assert.equal(env.ALERT_LABEL_INSTANCE, undefined, 'instance is not common to both alerts');
  for (const k of Object.keys(env)) assert.match(k, /^[A-Z][A-Z0-9_]{0,63}$/);
});

test('alertEnv: odd names are cleaned or left out, NULs dropped, long values cut, many alerts capped', () => {
  const alerts = Array.from({ length: PER_ALERT_MAX + 5 }, (_, i) => ({ status: 'firing', labels: { n: String(i) } }));
  const env = alertEnv(checkAlertmanager({
    version: '4', status: 'firing', alerts,
    commonLabels: { 'kube.pod-name': 'a\0b', ['x'.repeat(80)]: 'too long a name', long: 'v'.repeat(10_000) },
  }));
  assert.equal(env['ALERT_LABEL_KUBE_POD_NAME'], 'ab');
  assert.equal(Object.keys(env).some((k) => k.includes('XXXXXXXX')), false);
  assert.equal(env.ALERT_LABEL_LONG!.length, 4096);
  assert.equal(env.ALERT_COUNT, String(PER_ALERT_MAX + 5));
  assert.equal(env[`ALERT_${PER_ALERT_MAX}_LABEL_N`], String(PER_ALERT_MAX - 1));
  assert.equal(env[`ALERT_${PER_ALERT_MAX + 1}_LABEL_N`], undefined);
});

test('checkAlertmanager refuses other versions and malformed fields, naming them', () => {
  assert.throws(() => checkAlertmanager({ version: '3', alerts: [] }), /body\.version: only Alertmanager webhook version "4"/);
  assert.throws(() => checkAlertmanager({ version: '4', alerts: [1] }), /body\.alerts\[0\] must be an object/);
  assert.throws(() => checkAlertmanager({ version: '4', alerts: [{ labels: 'x' }] }), /body\.alerts\[0\]\.labels must be an object/);
  assert.throws(() => checkAlertmanager({ version: '4', alerts: [], commonLabels: [] }), /body\.commonLabels must be an object/);
});

let s: ChatServer;
before(async () => {
  s = await startChatServer();
  await s.h.createUser('oncall', { groups: ['ops'] });
});
after(async () => { await s.close(); });

test('a real Alertmanager notification (curl, Bearer as Alertmanager sends it) → the command sees ALERT_* in its environment', async () => {
  const value = await tokenNew(s.h, 'token-new @oncall #alerts alertenv');
  const body = structuredClone(NOTIFICATION) as typeof NOTIFICATION;
  body.alerts[0]!.annotations.summary = 'Disk $(touch /tmp/pwned) `id` "full"; rm -rf /';
  const r = await sh(`curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "$BODY" ${s.url}/message`,
    { TOKEN: value, BODY: JSON.stringify(body) });
  assert.equal(r.status, 202, r.body);
  const job = await finished(s.h, JSON.parse(r.body).job_id);
  assert.equal(job.status, 'succeeded', job.reason);
  const env = Object.fromEntries((job.output as string).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(env.ALERT_STATUS, 'firing');
  assert.equal(env.ALERT_NAME, 'DiskFull');
  assert.equal(env.ALERT_COUNT, '2');
  assert.equal(env.ALERT_LABEL_SEVERITY, 'critical');
  assert.equal(env.ALERT_1_LABEL_INSTANCE, 'web-1:9100');
  assert.equal(env.ALERT_1_ANNOTATION_SUMMARY, 'Disk $(touch /tmp/pwned) `id` "full"; rm -rf /', 'the value arrives as typed, unexpanded');
  assert.deepEqual(job.args, [], 'alert data never becomes arguments');
  assert.ok((await messages(s.h, 'alerts')).some((m) => m.job_id === job.id));
});

test('an Alertmanager body with an unknown version is refused (400) and starts nothing', async () => {
  const value = await tokenNew(s.h, 'token-new @oncall #alerts alertenv');
  const jobCount = async () => (await s.h.req({ method: 'GET', url: '/api/v1/jobs?limit=200', headers: { cookie: s.h.adminCookie } })).json().items.length;
  const before = await jobCount();
  const r = await sh(`curl -s -X POST -H "TOKEN: $TOKEN" -H 'Content-Type: application/json' --data-binary '{"version":"3","alerts":[]}' ${s.url}/message`, { TOKEN: value });
  assert.equal(r.status, 400, r.body);
  assert.equal(JSON.parse(r.body).error.code, 'VALIDATION_ERROR');
  assert.equal(await jobCount(), before, 'no job was recorded');
});
