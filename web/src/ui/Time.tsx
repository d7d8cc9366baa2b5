import { fullDate, relative } from './format.js';

/** A relative time ("3 hours ago") with the exact date in a tooltip and for machines. */
export function Time({ iso, empty = '—' }: { iso: string | null | undefined; empty?: string }) {
  if (!iso) return <span class="muted">{empty}</span>;
  return <time dateTime={iso} title={fullDate(iso)}>{relative(iso)}</time>;
}
