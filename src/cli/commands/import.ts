/**
 * `tessera import <file> [--format …]`: tokens exported from FileBin, Semaphore, Meeseeks, Query or any system (CSV or
 * JSON with the generic columns) imported through `POST /api/v1/tokens/import` (admins), `--batch-size` rows a call
 * (each call one transaction), with a progress bar on a terminal and a report of every row not imported (its line
 * in the file and a reason code). See docs/migrate.md.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { parse } from 'csv-parse';
import { connect } from '../client.js';
import { CliError, out, printJson } from '../output.js';
import { type CommonOptions, withCommon } from './common.js';

const FORMATS = ['filebin', 'semaphore', 'meeseeks', 'query', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface RowOutcome { line: number; reason: string; message: string; source_id?: string }
interface Report { imported: number; skipped: number; refused: number; created_users: string[]; rows: RowOutcome[] }

interface ImportOptions extends CommonOptions { format?: string; createUsers?: boolean; batchSize: string; delimiter?: string }

type Row = Record<string, unknown>;
/** A row and the line of the file it starts on. */
interface Numbered { line: number; row: Row }

const isRecord = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * JSON: an array of rows, an object of rows (a key → record dump, as Meeseeks's bbolt bucket: every value a record),
 * or one row a line (always so for .ndjson/.jsonl; a file of one line is one row).
 */
async function* jsonRows(file: string): AsyncGenerator<Numbered> {
  const text = await readFile(file, 'utf8');
  const t = text.trimStart();
  const perLine = /\.(ndjson|jsonl)$/i.test(file);
  if (!perLine && (t.startsWith('[') || (t.startsWith('{') && !/}\s*\n\s*{/.test(t)))) {
    let data: unknown;
    try { data = JSON.parse(text); } catch (e) { throw new CliError(`${file} is not valid JSON: ${(e as Error).message}`, 65); }
    const list = Array.isArray(data) ? data : Object.values(data as object).every(isRecord) ? Object.values(data as object) : [data];
    for (let i = 0; i < list.length; i++) yield { line: i + 1, row: list[i] as Row };
    return;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    let row: unknown;
    try { row = JSON.parse(l); } catch { throw new CliError(`${file} line ${i + 1} is not valid JSON`, 65); }
    yield { line: i + 1, row: row as Row };
  }
}

/** `mysql --batch`'s escapes in a tab-separated field: `\t`, `\n`, `\r`, `\0`, `\\`; `NULL` alone is a SQL null. */
const unescapeBatch = (v: string): string | null => (v === 'NULL' ? null
  : v.replace(/\\([tnr0\\])/g, (_m, c: string) => ({ t: '\t', n: '\n', r: '\r', '0': '\0', '\\': '\\' }[c] ?? c)));

/**
 * CSV with a header line (csv-parse, streamed): each record with the line it starts on. Tab-separated files are read
 * as `mysql --batch` writes them (docs/migrate.md's FileBin export): no quoting (a `"` is text), backslash escapes,
 * `NULL` for a null.
 */
async function* csvRows(file: string, delimiter: string): AsyncGenerator<Numbered> {
  const tab = delimiter === '\t';
  const parser = createReadStream(file).pipe(parse({
    columns: true, skip_empty_lines: true, bom: true, delimiter, info: true, relax_column_count: false,
    ...(tab ? { quote: false, cast: (v: string) => unescapeBatch(v) } : {}),
  }));
  try {
    for await (const r of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) yield { line: r.info.lines, row: r.record };
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`, 65);
  }
}

/** How many lines the file has (for the progress bar's total), without parsing it. */
const countLines = async (file: string): Promise<number> => {
  let n = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) for (const b of chunk) if (b === 10) n++;
  return n;
};

const isJsonFile = (file: string): boolean => /\.(json|ndjson|jsonl)$/i.test(file);

export const importCommand = (program: Command): void => {
  withCommon(program.command('import <file>')
    .description('import tokens from another product, keeping their values (admins); see docs/migrate.md')
    .option('--format <format>', `${FORMATS.join('|')} (default: json for .json/.ndjson files, else csv)`)
    .option('--create-users', 'create owners that do not exist yet (else their rows are refused with UNKNOWN_OWNER)')
    .option('--batch-size <n>', 'rows per request (at most 20000); each request is one transaction', '5000')
    .option('--delimiter <c>', 'CSV field separator (default ","; "tab" for tab-separated exports)'))
    .action(async (file: string, o: ImportOptions) => {
      const format = (o.format ?? (isJsonFile(file) ? 'json' : 'csv')) as Format;
      if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}`, 64);
      const size = Number(o.batchSize);
      if (!Number.isInteger(size) || size < 1 || size > 20_000) throw new CliError('--batch-size must be an integer from 1 to 20000', 64);
      try { await stat(file); } catch { throw new CliError(`cannot read ${file}`, 66); }
      // Meeseeks records are JSON; the other product formats are read as JSON from a .json/.ndjson file, else as CSV.
      const json = format === 'json' || format === 'meeseeks' || (format !== 'csv' && isJsonFile(file));
      const delimiter = o.delimiter === undefined ? ',' : o.delimiter === 'tab' ? '\t' : o.delimiter;
      const rows = json ? jsonRows(file) : csvRows(file, delimiter);
      const client = connect(o);

      const total: Report = { imported: 0, skipped: 0, refused: 0, created_users: [], rows: [] };
      const bar = process.stderr.isTTY && !o.json ? new SingleBar({ format: 'importing [{bar}] {value}/{total} rows | {imported} imported, {skipped} skipped, {refused} refused', etaBuffer: 50 }, Presets.shades_classic) : null;
      if (bar) bar.start(Math.max(1, (await countLines(file)) - (json ? 0 : 1)), 0, { imported: 0, skipped: 0, refused: 0 });
      let done = 0;
      const send = async (batch: Numbered[]): Promise<void> => {
        // first_line: the batch's first line in the file, so the audit row's lines are the file's.
        const first = batch[0]!.line;
        const r = await client.call(client.api.POST('/api/v1/tokens/import', { body: { format, rows: batch.map((b) => b.row), first_line: first, create_users: o.createUsers ?? false } })) as Report;
        total.imported += r.imported; total.skipped += r.skipped; total.refused += r.refused;
        total.created_users.push(...r.created_users);
        // The server numbers rows from first_line on, one a row: map them back to the file's lines (a CSV record may
        // span lines).
        for (const x of r.rows) total.rows.push({ ...x, line: batch[x.line - first]?.line ?? x.line });
        done += batch.length;
        bar?.update(done, { imported: total.imported, skipped: total.skipped, refused: total.refused });
      };
      let batch: Numbered[] = [];
      try {
        for await (const r of rows) {
          batch.push(r);
          if (batch.length >= size) { await send(batch); batch = []; }
        }
        if (batch.length > 0) await send(batch);
      } finally {
        bar?.stop();
      }

      if (o.json) printJson(total);
      else {
        out(`Imported ${total.imported} token${total.imported === 1 ? '' : 's'}, skipped ${total.skipped} (already imported), refused ${total.refused}.`);
        if (total.created_users.length > 0) out(`Created users: ${total.created_users.join(', ')} (set their passwords before they sign in).`);
        for (const x of total.rows) out(`line ${x.line}: ${x.reason}: ${x.message}${x.source_id !== undefined ? ` (id ${x.source_id})` : ''}`);
      }
      if (total.refused > 0) throw new CliError(`${total.refused} row${total.refused === 1 ? ' was' : 's were'} not imported (see the report above)`, 1);
    });
};
