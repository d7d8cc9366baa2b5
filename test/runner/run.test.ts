// runCommand against real child processes (/bin/sh, /bin/echo, /bin/sleep, node -e).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_OUTPUT_CAP_BYTES, DEFAULT_PATH, runCommand } from '../../src/runner/run.js';
import { split } from '../../src/runner/split.js';

const NODE = process.execPath;
const node = (code: string, ...args: string[]): string[] => [NODE, '-e', code, '--', ...args];

/**
 * Whether a process still runs. ESRCH means gone. A zombie also counts as dead: it runs no code, and in a container
 * whose PID 1 does not reap orphans (as in some sandboxes), a killed grandchild stays a zombie indefinitely.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // vanished between the two checks
  }
}

async function waitDead(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !alive(pid);
}

const firstPid = (output: string): number => {
  const pid = Number(output.trim().split('\n')[0]);
  assert.ok(Number.isInteger(pid) && pid > 1, `expected a pid in ${JSON.stringify(output)}`);
  return pid;
};

test('a command that succeeds: exit 0, output captured, times set', async () => {
  const before = Date.now();
  const r = await runCommand({ argv: ['/bin/echo', 'hello', 'world'], timeoutMs: 5_000 });
  assert.equal(r.status, 'succeeded');
  assert.equal(r.exitCode, 0);
  assert.equal(r.signal, null);
  assert.equal(r.output, 'hello world\n');
  assert.equal(r.truncated, false);
  assert.equal(r.error, undefined);
  assert.ok(r.startedAt >= before && r.endedAt >= r.startedAt);
});

test('a command that fails: exit 3 gives status failed, exitCode 3, stdout and stderr both kept', async () => {
  const r = await runCommand({ argv: ['/bin/sh', '-c', 'echo out; echo err >&2; exit 3'], timeoutMs: 5_000 });
  assert.equal(r.status, 'failed');
  assert.equal(r.exitCode, 3);
  assert.equal(r.error, undefined, 'a plain exit code is not an error');
  assert.match(r.output, /out\n/);
  assert.match(r.output, /err\n/);
});

test('stdout and stderr are combined in arrival order, and streamed to onOutput', async () => {
  const chunks: string[] = [];
  const code = "process.stdout.write('a'); setTimeout(() => process.stderr.write('b'), 100); setTimeout(() => process.stdout.write('c'), 200)";
  const r = await runCommand({ argv: node(code), timeoutMs: 5_000 }, { onOutput: (c) => chunks.push(c) });
  assert.equal(r.output, 'abc');
  assert.deepEqual(chunks, ['a', 'b', 'c']);
});

test('output over the cap is truncated to exactly the cap and the process still ends quickly', async () => {
  const t0 = Date.now();
  const r = await runCommand({ argv: ['/bin/sh', '-c', 'yes | head -c 10000000'], timeoutMs: 20_000 });
  assert.equal(r.status, 'succeeded', 'the pipe was drained: head wrote all 10 MB');
  assert.equal(r.truncated, true);
  assert.equal(r.output.length, DEFAULT_OUTPUT_CAP_BYTES);
  assert.ok(Date.now() - t0 < 5_000);

  // 5 MB in one go on stderr, with a small cap; onOutput receives only what is kept.
  let streamed = '';
  const big = await runCommand(
    { argv: node("process.stderr.write('x'.repeat(5 * 1024 * 1024))"), timeoutMs: 20_000, outputCapBytes: 1000 },
    { onOutput: (c) => (streamed += c) },
  );
  assert.equal(big.status, 'succeeded');
  assert.equal(big.truncated, true);
  assert.equal(big.output, 'x'.repeat(1000));
  assert.equal(streamed, big.output);

  const exact = await runCommand({ argv: ['/bin/echo', 'abcd'], timeoutMs: 5_000, outputCapBytes: 5 });
  assert.deepEqual([exact.output, exact.truncated], ['abcd\n', false], 'output exactly at the cap is not truncated');
});

test('the cap never cuts a UTF-8 character in half', async () => {
  const r = await runCommand({ argv: node("process.stdout.write('é'.repeat(10))"), timeoutMs: 5_000, outputCapBytes: 5 });
  assert.equal(r.output, 'éé'); // 4 bytes; a third é would need 6
  assert.equal(r.truncated, true);
  // A character split across two writes (and so, usually, two chunks) is decoded whole.
  const s = await runCommand({ argv: node("const b = Buffer.from('é'); process.stdout.write(b.subarray(0, 1)); setTimeout(() => process.stdout.write(b.subarray(1)), 50)"), timeoutMs: 5_000 });
  assert.equal(s.output, 'é');
});

test('past its timeout the whole process group is killed, grandchildren included', async () => {
  const t0 = Date.now();
  const r = await runCommand({ argv: ['/bin/sh', '-c', 'sleep 100 & echo $!; sleep 100'], timeoutMs: 300 });
  const elapsed = Date.now() - t0;
  assert.equal(r.status, 'timed_out');
  assert.equal(r.exitCode, null);
  assert.equal(r.signal, 'SIGTERM');
  assert.match(r.error ?? '', /timed out after 300 ms/);
  assert.ok(elapsed >= 290 && elapsed < 300 + 2_000 + 1_000, `took ${elapsed} ms`);
  const grandchild = firstPid(r.output);
  assert.ok(await waitDead(grandchild, 2_000), `grandchild ${grandchild} is still alive`);
});

test('a group that ignores SIGTERM gets SIGKILL after the grace period', async () => {
  const t0 = Date.now();
  const r = await runCommand({ argv: ['/bin/sh', '-c', 'trap "" TERM; sleep 100 & echo $!; sleep 100'], timeoutMs: 200, killGraceMs: 300 });
  const elapsed = Date.now() - t0;
  assert.equal(r.status, 'timed_out');
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(elapsed >= 490 && elapsed < 3_000, `took ${elapsed} ms`);
  const grandchild = firstPid(r.output);
  assert.ok(await waitDead(grandchild, 2_000), `grandchild ${grandchild} is still alive`);
});

test('what a command leaves running in its group is stopped when it exits, even if it holds the output pipe', async () => {
  const quiet = await runCommand({ argv: ['/bin/sh', '-c', 'sleep 100 >/dev/null 2>&1 & echo $!'], timeoutMs: 5_000 });
  assert.equal(quiet.status, 'succeeded');
  assert.ok(await waitDead(firstPid(quiet.output), 3_000));

  const t0 = Date.now();
  const holding = await runCommand({ argv: ['/bin/sh', '-c', 'sleep 100 & echo $!'], timeoutMs: 5_000 });
  assert.equal(holding.status, 'succeeded');
  assert.equal(holding.exitCode, 0);
  assert.ok(Date.now() - t0 < 2_500, 'did not wait for the background sleep');
  assert.ok(await waitDead(firstPid(holding.output), 3_000));
});

test('an argument with ; $(id) quotes and spaces reaches the command as ONE literal argument', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-run-'));
  const evil = `x; $(id) \`id\` 'q' "dq" a  b > ${join(dir, 'pwned')} | cat & $HOME`;
  const r = await runCommand({ argv: node('console.log(JSON.stringify(process.argv.slice(1)))', evil), timeoutMs: 5_000 });
  assert.equal(r.status, 'succeeded');
  assert.deepEqual(JSON.parse(r.output), [evil]);

  // Through a shell script too: "$1" is data to sh, never re-parsed. And from split() to argv, end to end.
  const extra = split(`"a;b \\"c\\"" '$(id)' a|b`);
  assert.deepEqual(extra, ['a;b "c"', '$(id)', 'a|b']);
  const s = await runCommand({ argv: ['/bin/sh', '-c', 'printf "[%s]\\n" "$@"', 'sh', evil, ...extra], timeoutMs: 5_000 });
  assert.equal(s.output, `[${evil}]\n[a;b "c"]\n[$(id)]\n[a|b]\n`);
  assert.doesNotMatch(s.output, /uid=/);
  assert.equal(existsSync(join(dir, 'pwned')), false);
});

test('a missing executable is a failed result with a clear error, not a throw', async () => {
  for (const exe of ['/nonexistent/tessera-nope', 'tessera-no-such-command']) {
    const r = await runCommand({ argv: [exe, 'x'], timeoutMs: 5_000 });
    assert.equal(r.status, 'failed');
    assert.equal(r.exitCode, null);
    assert.equal(r.error, `executable not found: ${exe}`);
  }
  const dir = await runCommand({ argv: ['/tmp'], timeoutMs: 5_000 });
  assert.equal(dir.status, 'failed');
  assert.match(dir.error ?? '', /permission denied|could not start/);
});

test('env is merged onto PATH/HOME/LANG and the server environment does not leak', async () => {
  process.env.TESSERA_RUNNER_SENTINEL = 'must-not-leak';
  try {
    const r = await runCommand({ argv: node('console.log(JSON.stringify(process.env))'), env: { FOO: 'bar baz', LANG: 'C' }, timeoutMs: 5_000 });
    assert.equal(r.status, 'succeeded');
    const env = JSON.parse(r.output) as Record<string, string>;
    assert.equal(env.TESSERA_RUNNER_SENTINEL, undefined);
    assert.equal(env.FOO, 'bar baz');
    assert.equal(env.LANG, 'C', 'spec.env overrides the base');
    assert.equal(env.PATH, DEFAULT_PATH);
    assert.ok(env.HOME);
    // Nothing else from the server (the child may add its own, e.g. node sets none; sh would set PWD).
    assert.deepEqual(Object.keys(env).sort(), ['FOO', 'HOME', 'LANG', 'PATH']);
  } finally {
    delete process.env.TESSERA_RUNNER_SENTINEL;
  }
});

test('cwd is honoured; a missing cwd is a failed result naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cwd-'));
  const r = await runCommand({ argv: ['/bin/pwd'], cwd: dir, timeoutMs: 5_000 });
  assert.equal(r.output.trim(), realpathSync(dir));
  const missing = await runCommand({ argv: ['/bin/pwd'], cwd: join(dir, 'nope'), timeoutMs: 5_000 });
  assert.equal(missing.status, 'failed');
  assert.equal(missing.error, `working directory not found: ${join(dir, 'nope')}`);
});

test('an abort signal stops the command group; an already aborted signal starts nothing', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const r = await runCommand({ argv: ['/bin/sh', '-c', 'sleep 100 & echo $!; sleep 100'], timeoutMs: 10_000 }, { signal: ac.signal });
  assert.equal(r.status, 'failed');
  assert.equal(r.error, 'aborted');
  assert.ok(await waitDead(firstPid(r.output), 2_000));
  const again = await runCommand({ argv: ['/bin/echo', 'x'], timeoutMs: 5_000 }, { signal: ac.signal });
  assert.deepEqual([again.status, again.error, again.output], ['failed', 'aborted', '']);
});

test('death by a signal is a failure that names the signal', async () => {
  const r = await runCommand({ argv: ['/bin/sh', '-c', 'kill -KILL $$'], timeoutMs: 5_000 });
  assert.deepEqual([r.status, r.exitCode, r.signal, r.error], ['failed', null, 'SIGKILL', 'killed by SIGKILL']);
});

test('a bad spec is a failed result, never a throw', async () => {
  const cases: Array<[Parameters<typeof runCommand>[0], RegExp]> = [
    [{ argv: [], timeoutMs: 1_000 }, /argv must name an executable/],
    [{ argv: ['/bin/echo'], timeoutMs: 0 }, /timeoutMs/],
    [{ argv: ['/bin/echo'], timeoutMs: 2 ** 31 }, /timeoutMs/],
    [{ argv: ['/bin/echo'], timeoutMs: 1_000, outputCapBytes: -1 }, /outputCapBytes/],
    [{ argv: ['/bin/echo', 'a\0b'], timeoutMs: 1_000 }, /NUL/],
    [{ argv: ['/bin/echo'], env: { X: 'a\0b' }, timeoutMs: 1_000 }, /NUL/],
  ];
  for (const [spec, error] of cases) {
    const r = await runCommand(spec);
    assert.equal(r.status, 'failed');
    assert.match(r.error ?? '', error);
  }
});

test('a throwing onOutput listener does not break the run', async () => {
  const r = await runCommand({ argv: ['/bin/echo', 'hi'], timeoutMs: 5_000 }, { onOutput: () => { throw new Error('listener'); } });
  assert.deepEqual([r.status, r.output], ['succeeded', 'hi\n']);
});

test('onGroup reports the group ended only once it is gone or has had its SIGKILL, not when the leader exits', async () => {
  const events: { running: boolean; at: number }[] = [];
  const t0 = Date.now();
  // The leader exits at once; its child ignores SIGTERM and holds no pipe of ours.
  const r = await runCommand({
    argv: ['/bin/sh', '-c', 'trap "" TERM; (trap "" TERM; exec sleep 30) >/dev/null 2>&1 & exit 0'], timeoutMs: 10_000, killGraceMs: 600,
  }, { onGroup: (_pgid, running) => events.push({ running, at: Date.now() - t0 }) });
  assert.equal(r.status, 'succeeded');
  assert.deepEqual(events.map((e) => e.running), [true], 'still running when the job is answered');
  await new Promise((res) => setTimeout(res, 1000));
  assert.deepEqual(events.map((e) => e.running), [true, false]);
  assert.ok(events[1]!.at >= 550, `ended after the SIGKILL (${events[1]!.at} ms)`);
});

test('onGroup reports a group that ends with its leader at once, once', async () => {
  const events: boolean[] = [];
  const r = await runCommand({ argv: ['/bin/echo', 'hi'], timeoutMs: 10_000 }, { onGroup: (_pgid, running) => events.push(running) });
  assert.equal(r.status, 'succeeded');
  assert.deepEqual(events, [true, false]);
});
