/** Plain-text and Markdown tables for the console and for bench/README.md. */

export type Align = 'l' | 'r';

export const textTable = (head: string[], rows: string[][], align: Align[] = []): string => {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (align[i] === 'r' ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
};

export const markdownTable = (head: string[], rows: string[][], align: Align[] = []): string => {
  const sep = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(sep), ...rows.map(line)].join('\n');
};

export const fmtInt = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US'));
export const fmtMs = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1));
export const fmtRatio = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(2));
export const fmtPct = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : `${Math.round(n * 100)}%`);
