/**
 * What the CLI prints. Data goes to stdout (JSON with --json, else tables and `key: value` lines); prompts,
 * hints and warnings go to stderr so `tessera ... --json | jq` always gets clean JSON.
 */

/** An expected CLI failure: printed as one line, with a non-zero exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); this.name = 'CliError'; }
}

/**
 * Names and comments come from other users: control characters are shown escaped so they cannot move the cursor,
 * recolour or retitle the terminal of whoever reads the output. JSON already escapes all but DEL and C1; the
 * `\uXXXX` form used here is also a valid JSON escape for the same character, so --json output stays exact.
 */
const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
export const safe = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, escape);

/** One line of text to stdout (data) or stderr (notes). */
export const out = (line = ''): void => { process.stdout.write(`${safe(line)}\n`); };
export const note = (line: string): void => { process.stderr.write(`${safe(line)}\n`); };
export const printJson = (data: unknown): void => {
  process.stdout.write(`${JSON.stringify(data, null, 2).replace(/[\u007f-\u009f]/g, escape)}\n`);
};

/** `2030-01-02 03:04Z`: minutes are precise enough to read, and UTC avoids guessing the server's zone. */
export const when = (iso: string | null | undefined, none = '-'): string =>
  (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : none);

/** Left-aligned columns, two spaces apart; the header row is uppercase. Empty cells show as '-'. */
export const table = (headers: string[], rows: string[][]): void => {
  const cells = rows.map((r) => r.map((c) => (c === '' ? '-' : safe(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  out(line(headers.map((h) => h.toUpperCase())));
  for (const r of cells) out(line(r));
};

/** Aligned `key: value` lines for one record. */
export const fields = (pairs: [string, string][]): void => {
  const w = Math.max(...pairs.map(([k]) => k.length));
  for (const [k, v] of pairs) out(`${`${k}:`.padEnd(w + 1)} ${safe(v)}`);
};
