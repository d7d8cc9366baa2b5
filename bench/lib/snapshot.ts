/**
 * Benchmarks a commit instead of the work tree (BENCH_REF): others may be editing src/ while a run takes its
 * fifteen minutes. Extracts the commit's src/, sdk/, scripts/ (the build), package.json and tsconfig.json with `git archive` into a directory,
 * copies the current bench/ beside them and links node_modules, so every child process runs that tree.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './proc.js';

export const snapshotTree = (ref: string, dest: string): { root: string; commit: string } => {
  if (!/^[\w./~^-]+$/.test(ref)) throw new Error(`BENCH_REF: not a plain git revision: '${ref}'`);
  const sha = spawnSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' });
  if (sha.status !== 0) throw new Error(`BENCH_REF: unknown revision '${ref}': ${sha.stderr}`);
  mkdirSync(dest, { recursive: true });
  const tar = join(dest, '..', `tree-${process.pid}.tar`);
  // scripts/ holds the build (BENCH_RUNTIME=dist); older commits have none (they run with BENCH_RUNTIME=tsx).
  const paths = ['src', 'sdk', 'package.json', 'tsconfig.json'];
  if (spawnSync('git', ['cat-file', '-e', `${ref}:scripts/build.mjs`], { cwd: ROOT }).status === 0) paths.push('scripts');
  const a = spawnSync('git', ['archive', '--format=tar', '-o', tar, ref, '--', ...paths], { cwd: ROOT, encoding: 'utf8' });
  if (a.status !== 0) throw new Error(`git archive failed: ${a.stderr}`);
  const x = spawnSync('tar', ['-xf', tar, '-C', dest], { encoding: 'utf8' });
  if (x.status !== 0) throw new Error(`tar failed: ${x.stderr}`);
  symlinkSync(join(ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
  cpSync(join(ROOT, 'bench'), join(dest, 'bench'), { recursive: true, filter: (p) => !p.includes(`${join(ROOT, 'bench', 'results')}`) });
  return { root: dest, commit: sha.stdout.trim() };
};
