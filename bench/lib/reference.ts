/** The reference servers of bench/baseline.ts (`constant`, `fastify`, `sqlite <db>`), started pinned to one core. */
import { join } from 'node:path';
import { type Child, ROOT, scriptArgs, startChild } from './proc.js';

/**
 * Starts `bench/baseline.ts <args>` on `core` and resolves once it prints `LISTENING <port>`. `onStart` hears of the
 * child at once, so a caller can stop it if anything later fails.
 */
export const startReference = async (args: string[], core: string,
  o: { nodeFlags?: string[]; onStart?: (c: Child) => void; wrap?: string[]; timeoutMs?: number } = {}): Promise<{ child: Child; url: string }> => {
  let seen: (port: number) => void = () => undefined;
  const listening = new Promise<number>((res) => { seen = res; });
  // `wrap`: a command the server runs under (e.g. valgrind), node its last argument.
  const [cmd, ...pre] = o.wrap !== undefined && o.wrap.length > 0 ? [...o.wrap, process.execPath] : [process.execPath];
  const child = startChild(cmd!, [...pre, ...await scriptArgs(join(ROOT, 'bench/baseline.ts'), o.nodeFlags), ...args], {
    core, onStdout: (x) => { const m = /LISTENING (\d+)/.exec(x); if (m) seen(Number(m[1])); },
  });
  o.onStart?.(child);
  const port = await Promise.race([listening, child.wait(o.timeoutMs ?? 30_000).then(() => { throw new Error(`baseline.ts ${args.join(' ')} exited:\n${child.output()}`); })]);
  return { child, url: `http://127.0.0.1:${port}` };
};
