/**
 * `tessera serve --workers 2` with `metrics.enabled`: a scrape reaches one worker, and is answered with every worker's
 * metrics added up (the primary gathers them over the cluster IPC channel: src/infra/metrics.ts). A worker that does
 * not answer makes the scrape fail with 503 METRICS_UNAVAILABLE, never a partial sum.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Server, startServer, workersThatAnswered } from './support.js';

const FORWARD_UNAUTHENTICATED = /^tessera_verifications_total\{face="forward",lane="hot",code="UNAUTHENTICATED"\} (\d+)$/m;
const CPU = /^process_cpu_seconds_total ([\d.e+-]+)$/m;

describe('tessera serve --workers 2: GET /metrics adds up every worker', () => {
  let s: Server;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-workers-metrics-'));
  before(async () => {
    const config = join(dir, 'tessera.yaml');
    writeFileSync(config, JSON.stringify({ metrics: { enabled: true, allow: ['127.0.0.1/32'] } }));
    s = await startServer({ workers: 2, env: { TESSERA_CONFIG: config } });
  });
  after(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('forward-auth requests answered by both workers are counted once each, whichever worker is scraped', async () => {
    const from = s.lines().length;
    for (let i = 0; i < 12; i++) assert.equal((await s.req('GET', '/api/v1/auth/forward')).status, 401);
    await s.waitForLine(() => workersThatAnswered(s.lines(), from).size === 2, from, 10_000);

    // Fresh connections alternate between the workers: six scrapes reach both.
    const scrapedFrom = s.lines().length;
    let lastCpu = 0;
    for (let i = 0; i < 6; i++) {
      const r = await s.req('GET', '/metrics');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.match(String(r.headers['content-type']), /^text\/plain/);
      assert.equal(FORWARD_UNAUTHENTICATED.exec(r.body as string)?.[1], '12', 'the 12 requests of both workers, summed');
      // Process metrics are the workers' sum too: the CPU total never goes back when the other worker answers.
      const cpu = Number(CPU.exec(r.body as string)?.[1]);
      assert.ok(cpu >= lastCpu, `process_cpu_seconds_total ${cpu} after ${lastCpu}`);
      lastCpu = cpu;
    }
    assert.equal(workersThatAnswered(s.lines(), scrapedFrom).size, 2, 'both workers answered scrapes');
  });

  test('a worker that does not answer: the scrape is refused with 503 METRICS_UNAVAILABLE; once it answers again, the sum is back', async () => {
    const pids = [...s.workerPids().values()];
    assert.equal(pids.length, 2);
    process.kill(pids[1]!, 'SIGSTOP');
    let answers: Awaited<ReturnType<Server['req']>>[];
    try {
      // Two scrapes at once: one is dealt to the running worker, which cannot gather the stopped one's metrics.
      const running = [s.req('GET', '/metrics'), s.req('GET', '/metrics')];
      const first = await Promise.race(running);
      assert.equal(first.status, 503);
      assert.equal((first.body as { error: { code: string } }).error.code, 'METRICS_UNAVAILABLE');
      process.kill(pids[1]!, 'SIGCONT');
      answers = await Promise.all(running);
    } finally {
      try { process.kill(pids[1]!, 'SIGCONT'); } catch { /* already running */ }
    }
    assert.ok(answers.every((a) => a.status === 200 || a.status === 503), JSON.stringify(answers.map((a) => a.status)));
    const r = await s.req('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.equal(FORWARD_UNAUTHENTICATED.exec(r.body as string)?.[1], '12');
  });
});
