/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went within a time window: self time by
 * category (package, node subsystem, Tessera file, GC) and by function, and inclusive time by function.
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface Share { name: string; ms: number; share: number }
export interface ProfileSummary {
  file: string;
  sampledMs: number;
  /** Share of sampled time not idle: how busy the server's main thread was. */
  busy: number;
  byCategory: Share[];
  selfTop: Share[];
  inclusiveTop: Share[];
}

const shortUrl = (url: string): string => {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 14);
  const src = url.indexOf('/src/');
  if (src >= 0 && url.startsWith('file://')) return url.slice(src + 1);
  const bench = url.indexOf('/bench/');
  if (bench >= 0 && url.startsWith('file://')) return url.slice(bench + 1);
  return url;
};

/** What a frame belongs to: an npm package, a part of node, a Tessera source folder, or the VM itself. */
export const categoryOf = (f: CallFrame): string => {
  const { url, functionName } = f;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'V8: garbage collector';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return 'V8/native: (program)';
    if (functionName === '(root)') return '(root)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return `npm: ${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith('node:')) {
    const m = url.slice(5);
    if (/^(_http|http|net|internal\/http|internal\/net|internal\/stream_base|internal\/js_stream)/.test(m)) return 'node: http/net';
    if (/^(internal\/streams|stream)/.test(m)) return 'node: streams';
    if (/crypto/.test(m)) return 'node: crypto';
    if (/^(internal\/process\/task_queues|internal\/timers|timers|internal\/async_hooks|async_hooks)/.test(m)) return 'node: event loop/timers';
    if (/^(internal\/fs|fs)/.test(m)) return 'node: fs';
    if (/^(internal\/url|url)/.test(m)) return 'node: url';
    return `node: ${m.replace(/^internal\//, '').split('/')[0]}`;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return `tessera: ${url.slice(src + 1).split('/').slice(0, 3).join('/')}`;
  return `other: ${shortUrl(url)}`;
};

const frameKey = (f: CallFrame): string => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

export const summarizeProfile = (file: string, window?: [number, number], top = 30): ProfileSummary => {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const cat = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    // The time a sample stands for is the gap to the next one.
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (window && (t < window[0] || t > window[1])) continue;
    const leaf = byId.get(p.samples[i]!);
    if (!leaf) continue;
    total += dt;
    if (leaf.callFrame.functionName === '(idle)') { idle += dt; continue; }
    self.set(frameKey(leaf.callFrame), (self.get(frameKey(leaf.callFrame)) ?? 0) + dt);
    cat.set(categoryOf(leaf.callFrame), (cat.get(categoryOf(leaf.callFrame)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const k = frameKey(byId.get(id)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const busy = total - idle;
  const list = (m: Map<string, number>, n: number): Share[] => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, ms]) => ({ name, ms, share: busy > 0 ? ms / busy : 0 }));
  incl.delete('(root) ');
  return { file, sampledMs: total, busy: total > 0 ? busy / total : 0, byCategory: list(cat, 40), selfTop: list(self, top), inclusiveTop: list(incl, top * 2) };
};

export const renderSummary = (s: ProfileSummary): string => {
  const rows = (xs: Share[]): string => xs.map((x) => `${(x.share * 100).toFixed(1).padStart(6)}%  ${x.ms.toFixed(0).padStart(7)} ms  ${x.name}`).join('\n');
  return [
    `profile ${s.file}: ${s.sampledMs.toFixed(0)} ms sampled in the window, main thread busy ${(s.busy * 100).toFixed(0)}%`,
    '', 'self time by category (share of busy time):', rows(s.byCategory),
    '', 'self time by function:', rows(s.selfTop),
    '', 'inclusive time by function:', rows(s.inclusiveTop),
  ].join('\n');
};
