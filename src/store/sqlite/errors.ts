/**
 * "The database cannot be used now", SQLite's part (through the driver wrapper of ../driver-errors.ts): the write lock
 * still held by another process after the wait of lock-wait.ts (another worker's long write, a `sqlite3` shell), a full disk, an
 * I/O error, a file that cannot be opened or written — STORE_UNAVAILABLE (503), never a 500. Constraint violations
 * and bad statements are not among them.
 */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL)(_|$)/;

export const isSqliteUnavailable = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE.test(code);
};

/** SQLite ended the transaction itself (a full disk, an I/O error): the ROLLBACK after it has nothing to undo. */
export const nothingToRollBack = (e: unknown): boolean =>
  /no transaction is active/.test(String((e as { message?: unknown } | null)?.message ?? ''));
