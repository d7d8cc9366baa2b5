/**
 * Running `tessera` (bin/tessera.js) from a test: a server, a CLI call.
 *
 * `childEnv()`: the environment such a process gets — a clean one, with PATH, plus TESSERA_COMPILED when the run set
 * it. `npm test` (scripts/test.mjs) builds dist/ first and sets it, so those processes start from the compiled
 * JavaScript — what `npm start` and the package run — about a third sooner than through tsx (bench/README.md,
 * "Start-up: compiled vs tsx"). A test file run on its own runs src/ through tsx.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../bin/tessera.js');

export const childEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  ...(process.env.TESSERA_COMPILED === '1' ? { TESSERA_COMPILED: '1' } : {}),
});

export interface Run { code: number; stdout: string; stderr: string }

/**
 * Runs `tessera ...args` to its end, asynchronously (a server in the test's own process must keep answering it), with
 * `env` over `childEnv()`. `input` is written to stdin, a pipe (never a TTY), closed unless `keepStdinOpen`;
 * `onStdout` sees stdout as it comes.
 */
export const runTessera = (args: string[], env: Record<string, string>, o: { input?: string; keepStdinOpen?: boolean; onStdout?: (sofar: string) => void } = {}): Promise<Run> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...childEnv(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); o.onStdout?.(stdout); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the child may exit without reading stdin
    child.stdin.write(o.input ?? '');
    if (!o.keepStdinOpen) child.stdin.end();
  });
