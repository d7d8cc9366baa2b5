/**
 * The layer rules of docs/architecture.md, checked over the import graph of src/ (TypeScript's own pre-processor
 * reads every import and export-from, type-only ones included). A wrong import fails here with `file → import (rule)`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

/** Where a file sits: its top folder under src/ (core, http, …), or `main` for src/main.ts. */
const layerOf = (file: string): string => {
  const r = relative(SRC, file);
  if (r.startsWith('..')) return relative(ROOT, file).split('/')[0]!; // sdk/, outside src/
  const top = r.split('/')[0]!;
  return top.endsWith('.ts') ? top.replace(/\.ts$/, '') : top;
};

/**
 * Who may import whom (besides their own folder). Packages: `node:*` built-ins are allowed where listed, every other
 * package only where named. This table is the one in docs/architecture.md.
 */
const RULES: Record<string, { src: string[]; packages: (string | RegExp)[] }> = {
  core: { src: [], packages: ['node:crypto', 'node:zlib', 'node:net'] },
  runner: { src: ['core'], packages: [/^node:/] },
  version: { src: [], packages: ['node:fs'] },
  config: { src: ['runner', 'core'], packages: [/^node:/, 'typebox', 'ajv', 'yaml'] },
  store: { src: ['core'], packages: [/^node:/, 'kysely', 'better-sqlite3', 'pg'] },
  infra: { src: ['core', 'runner'], packages: [/^node:/, 'jose', '@node-rs/argon2', 'ioredis', 'rate-limiter-flexible', 'prom-client', 'standardwebhooks', 'nodemailer'] },
  http: { src: ['core'], packages: [/^node:/, 'fastify', /^@fastify\//, 'typebox', 'ajv', 'ajv-formats'] },
  cli: { src: ['config', 'main', 'core', 'sdk', 'version'], packages: [/^node:/, 'commander', 'cli-progress', 'csv-parse'] },
  main: { src: ['core', 'config', 'store', 'infra', 'http', 'runner', 'version'], packages: [/^node:/] },
};

const walk = (p: string): string[] => (statSync(p).isDirectory() ? readdirSync(p).flatMap((f) => walk(join(p, f))) : [p]);

interface Edge { from: string; to: string; spec: string }

/** Every import of every file under src/: relative ones resolved to files, others kept as package names. */
export const importGraph = (): Edge[] => walk(SRC).filter((f) => f.endsWith('.ts')).flatMap((file) =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(({ fileName: spec }) => ({
    from: file, spec,
    to: spec.startsWith('.') ? resolve(dirname(file), spec).replace(/\.js$/, '.ts') : spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!,
  })));

const show = (e: Edge, why: string): string => `${relative(ROOT, e.from)} → ${e.spec} (${why})`;

export const layerViolations = (edges: Edge[]): string[] => edges.flatMap((e) => {
  const from = layerOf(e.from);
  const rule = RULES[from];
  if (!rule) return [show(e, `no rule for layer '${from}'`)];
  if (e.spec.startsWith('.')) {
    const to = layerOf(e.to);
    return to === from || rule.src.includes(to) ? [] : [show(e, `${from} may import ${rule.src.join(', ') || 'nothing else in src/'}`)];
  }
  return rule.packages.some((p) => (typeof p === 'string' ? p === e.to : p.test(e.to))) ? [] : [show(e, `${from} may not use the package '${e.to}'`)];
});

/** Inside http/: a compat face imports no native route file and no other face (shared pieces live in compat/*.ts). */
export const faceViolations = (edges: Edge[]): string[] => edges.flatMap((e) => {
  const from = relative(join(SRC, 'http'), e.from).split('/');
  const to = relative(join(SRC, 'http'), e.to).split('/');
  if (!e.spec.startsWith('.') || from[0]!.startsWith('..') || to[0]!.startsWith('..')) return [];
  if (from[0] === 'compat' && to[0] === 'routes') return [show(e, 'a compat face must not import a native route file')];
  if (from[0] === 'routes' && to[0] === 'compat') return [show(e, 'a native route must not import a compat face')];
  if (from[0] === 'compat' && to[0] === 'compat' && from.length > 2 && to.length > 2 && from[1] !== to[1]) return [show(e, 'one compat face must not import another')];
  return [];
});

/** Cycles between files, and between the folders of src/core (core/auth ↔ core/tokens and the like). */
export const cycles = (edges: Edge[], group: (file: string) => string | null): string[][] => {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!e.spec.startsWith('.')) continue;
    const a = group(e.from);
    const b = group(e.to);
    if (a === null || b === null || a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open'); stack.push(n);
    for (const m of next.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop(); state.set(n, 'done');
  };
  for (const n of [...next.keys()].sort()) if (!state.has(n)) visit(n);
  return found;
};

const coreFolder = (file: string): string | null => {
  const r = relative(join(SRC, 'core'), file);
  if (r.startsWith('..')) return null;
  const parts = r.split('/');
  return parts.length === 1 ? `core/${parts[0]}` : `core/${parts[0]}/`;
};

const edges = importGraph();

test('every import follows the layer table of docs/architecture.md', () => {
  assert.ok(edges.length > 300, `the graph has ${edges.length} imports: the walk found the sources`);
  assert.deepEqual(layerViolations(edges), []);
});

test('compat faces and native routes do not import each other', () => {
  assert.deepEqual(faceViolations(edges), []);
});

test('no import cycle between files of src/', () => {
  assert.deepEqual(cycles(edges, (f) => (f.startsWith(SRC) ? relative(ROOT, f) : null)).map((c) => c.join(' → ')), []);
});

test('no import cycle between the folders of src/core', () => {
  assert.deepEqual(cycles(edges, coreFolder).map((c) => c.join(' → ')), []);
});

test('the checker itself finds a wrong import, a face crossing and a cycle', () => {
  const f = (p: string): string => join(SRC, p);
  const wrong: Edge[] = [
    { from: f('core/tokens/service.ts'), to: f('store/sql-store.ts'), spec: '../../store/sql-store.js' },
    { from: f('cli/commands/jobs.ts'), to: f('http/routes/v1/jobs.ts'), spec: '../../http/routes/v1/jobs.js' },
    { from: f('core/ports.ts'), to: 'fastify', spec: 'fastify' },
  ];
  assert.equal(layerViolations(wrong).length, 3);
  assert.equal(faceViolations([{ from: f('http/compat/semaphore/index.ts'), to: f('http/routes/v1/auth.ts'), spec: '../../routes/v1/auth.js' }]).length, 1);
  const loop: Edge[] = [
    { from: f('core/auth/service.ts'), to: f('core/tokens/verifier.ts'), spec: '../tokens/verifier.js' },
    { from: f('core/tokens/service.ts'), to: f('core/auth/jwt.ts'), spec: '../auth/jwt.js' },
  ];
  assert.deepEqual(cycles(loop, coreFolder).map((c) => c.join(' → ')), ['core/auth/ → core/tokens/ → core/auth/']);
});
