/**
 * Preloaded into a server by bench/alloc.ts (`node --import <this file>`): the first SIGUSR2 starts V8's sampling heap
 * profiler, counting objects that garbage collection took as well (so the figure is what was allocated, not what
 * survived); the second stops it and writes the bytes allocated by each function to the file `$BENCH_HEAP_OUT`
 * (JSON: [[name, bytes], ...], largest first). A built-in or native function is named with its caller after `<`.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const s = new Session();
s.connect();
s.post('HeapProfiler.enable');
const where = (f) => `${f.functionName || '(anonymous)'} ${f.url.replace(/.*\/(dist|node_modules|bench)\//, '$1/')}:${f.lineNumber + 1}`;
let sampling = false;
process.on('SIGUSR2', () => {
  if (!sampling) {
    sampling = true;
    s.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    return;
  }
  s.post('HeapProfiler.stopSampling', (err, r) => {
    if (err) throw err;
    const by = new Map();
    const walk = (node, parent) => {
      const me = where(node.callFrame);
      const name = node.callFrame.url === '' && parent !== null ? `${me} < ${parent}` : me;
      by.set(name, (by.get(name) ?? 0) + node.selfSize);
      for (const c of node.children) walk(c, me);
    };
    walk(r.profile.head, null);
    writeFileSync(process.env.BENCH_HEAP_OUT, JSON.stringify([...by].sort((a, b) => b[1] - a[1])));
  });
});
