/** Options every command that talks to a server shares. */
import type { Command } from 'commander';
import type { ApiPage } from '../api.js';

export interface CommonOptions { url?: string; json?: boolean }

export const withCommon = (cmd: Command): Command => cmd
  .option('--url <url>', 'server URL (default: $TESSERA_URL, then the one from `tessera login`)')
  .option('--json', "print the server's JSON");

/**
 * One page, or with `all` every page followed through next_cursor, merged into one page shape so --json output
 * looks the same either way.
 */
export const fetchPages = async <T>(page: (cursor: string | undefined) => Promise<ApiPage<T>>, cursor0: string | undefined, all: boolean): Promise<ApiPage<T>> => {
  const first = await page(cursor0);
  if (!all) return first;
  const items = [...first.items];
  let cursor = first.next_cursor;
  while (cursor) {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.next_cursor;
  }
  return { items, next_cursor: null };
};
