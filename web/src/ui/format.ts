/** Display helpers: dates, relative times, durations. */
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const fullDate = (iso: string | null | undefined): string => (iso ? dtf.format(new Date(iso)) : '');

/** "3 minutes ago", "in 2 days". */
export const relative = (iso: string | null | undefined, now = Date.now()): string => {
  if (!iso) return '';
  const diff = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(diff);
  const [v, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 60 ? [diff, 'second'] : abs < 3600 ? [diff / 60, 'minute'] : abs < 86400 ? [diff / 3600, 'hour']
      : abs < 86400 * 30 ? [diff / 86400, 'day'] : abs < 86400 * 365 ? [diff / (86400 * 30), 'month'] : [diff / (86400 * 365), 'year'];
  return rtf.format(Math.round(v), unit);
};

export const duration = (seconds: number): string => {
  if (seconds === 0) return 'none';
  if (seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} seconds`;
};

/** yyyy-mm-dd of a date in local time (for <input type="date">). */
export const dateInput = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The end of a local calendar day given as yyyy-mm-dd, as an ISO instant. */
export const endOfDay = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 59).toISOString();
};
