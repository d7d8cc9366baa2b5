import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Config } from '../../config/schema.js';
import { BUILD, SCHEMA, VERSION, VERSION_TEXT } from '../../version.js';
import { CliError } from '../output.js';

/**
 * Starts the server; on first start creates `admin` and prints its password once if none was configured. That happens
 * before listening (a client that sees the server up can log in at once), so the password is printed even when the
 * listen then fails: it is never lost.
 *
 * A start-up failure the operator can fix (port in use, data directory, database unreachable or refusing, wrong secret
 * key, bad configuration) is one line naming the cause, exit 1 (78 for configuration); only a bug prints a stack.
 */
export const serveCommand = (program: Command): void => {
  program.command('serve')
    .description('start the Tessera server (SQLite in ./data unless configured otherwise)')
    .option('--host <host>', 'address to listen on (TESSERA_HOST)')
    .option('--port <port>', 'port to listen on (TESSERA_PORT)')
    .option('--workers <n>', 'processes serving the port: a number, or auto = one per core (TESSERA_WORKERS)')
    .action(async (o: { host?: string; port?: string; workers?: string }) => {
      // Imported here so the other commands start without loading the server (see index.ts).
      const { loadConfig } = await import('../../config/load.js');
      const { createTessera, drainWhenPrimaryGone, runPrimary, workerCount, workerNumber } = await import('../../main.js');
      const env = { ...process.env };
      if (o.host) env.TESSERA_HOST = o.host;
      if (o.port) env.TESSERA_PORT = o.port;
      if (o.workers) env.TESSERA_WORKERS = o.workers;
      const config = loadConfig(env);
      const count = workerCount(config);
      const worker = workerNumber(env);
      if (worker === undefined && count > 1) {
        // The primary: the start-up steps once, then the workers (src/infra/cluster.ts); it serves no request itself.
        const code = await runPrimary(config, count, async (t) => { await bootstrap(t, config); }).catch((e: unknown) => { throw startupFailure(e, config); });
        if (code !== 0) throw new CliError(`tessera serve --workers ${count}: a worker failed to start (see the log above)`);
        return;
      }
      const t = await createTessera(config, worker !== undefined ? { worker: { id: worker, count } } : { lock: true })
        .catch((e: unknown) => { throw startupFailure(e, config); });
      // Serve until SIGINT, SIGTERM or SIGHUP (there is no reload: a closed terminal or a reload stops it cleanly rather
      // than killing it), then close cleanly and return: main() owns the exit code, and once the
      // server, timers and store are closed nothing keeps the process alive. A second signal kills it as usual.
      // A worker drains on SIGTERM from its primary (which also gets a terminal's SIGINT and passes it on as SIGTERM),
      // or when its primary is gone (its IPC channel closes: no connection can reach it any more). It ignores every
      // later SIGTERM while it drains: a signal to the whole process group (systemd's stop, `kill -- -pgid`) reaches
      // it once directly and once more from its primary; the primary's SIGKILL after `drain` is the last word.
      if (worker !== undefined) drainWhenPrimaryGone();
      const stopped = new Promise<string>((resolve) => {
        const on = (signal: string): void => {
          process.off('SIGINT', on).off('SIGTERM', on).off('SIGHUP', on).off('disconnect', onDisconnect);
          if (worker !== undefined) process.on('SIGTERM', () => undefined);
          resolve(signal);
        };
        const onDisconnect = (): void => on('primary gone');
        if (worker !== undefined) {
          // A terminal's SIGINT and SIGHUP reach the workers too: the primary passes the stop on as SIGTERM.
          process.on('SIGINT', () => undefined).on('SIGHUP', () => undefined).on('SIGTERM', on).on('disconnect', onDisconnect);
        } else {
          process.on('SIGINT', on).on('SIGTERM', on).on('SIGHUP', on);
        }
      });
      let printed = false;
      try {
        if (worker === undefined) printed = await bootstrap(t, config); // workers: the primary did it
        await t.app.listen({ host: config.host, port: config.port });
        // Which build answers, in the log of every start: what an upgrade's log is read for (docs/upgrading.md).
        t.app.log.info({ version: VERSION, commit: BUILD?.commit ?? null, schema: SCHEMA }, `tessera ${VERSION_TEXT} serving`);
      } catch (e) {
        await t.close().catch(() => undefined);
        const failure = startupFailure(e, config);
        // The admin made by this start stays: its password, printed above the error, is easy to miss there.
        throw printed && failure instanceof CliError ? new CliError(`${failure.message}. The admin password printed above was set and is not shown again: keep it`) : failure;
      }
      const signal = await stopped;
      t.app.log.info({ signal }, 'shutting down');
      await t.close();
      // A worker's IPC channel would keep it alive: let go of it once everything is closed.
      if (worker !== undefined && process.connected) process.disconnect();
    });
};

/**
 * The first admin, before listening (a client that sees the server up can log in at once), so the password is printed
 * even when the listen then fails: it is never lost.
 */
const bootstrap = async (t: { services: { users: { bootstrapAdmin(p: string): Promise<unknown> } }; app: { log: { info(m: string): void } } }, config: Readonly<Config>): Promise<boolean> => {
  const password = config.admin_password ?? randomBytes(18).toString('base64url');
  const admin = await t.services.users.bootstrapAdmin(password);
  if (admin && !config.admin_password) {
    process.stdout.write(`\nCreated user 'admin' with password: ${password}\nIt is shown only this once.\n\n`);
    return true;
  }
  if (admin) t.app.log.info('created user admin with the password from admin_password (config file or TESSERA_ADMIN_PASSWORD)');
  return false;
};

/** The failure as one line when the operator can act on it; anything else unchanged (a bug: main() prints its stack). */
export const startupFailure = (e: unknown, config: Readonly<Config>): unknown => {
  const err = e as (NodeJS.ErrnoException & { reason?: string; severity?: string; hostname?: string }) | null;
  if (!err || typeof err !== 'object' || err.name === 'ConfigError') return e;
  // A migration that failed, or a database migrated by a newer Tessera: starting again cannot mend it, so exit 78,
  // which the systemd unit does not restart (RestartPreventExitStatus=78), as for a configuration error.
  if (err.name === 'MigrationError') return new CliError(err.message, 78);
  if (err.name === 'DataDirInUse' || err.name === 'JwtKeyFileError') return new CliError(err.message);
  const code = typeof err.code === 'string' ? err.code : '';
  // The host does not resolve (a name, not an address): listen's own lookup fails before it binds.
  if (err.syscall === 'getaddrinfo' && err.hostname === config.host) return new CliError(`cannot listen on ${config.host}:${config.port}: the name '${config.host}' does not resolve (${code})`);
  if (err.syscall === 'listen' || err.syscall === 'bind') { // bind: a worker of serve --workers N (the primary listens)
    const where = `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE') return new CliError(`cannot listen on ${where}: port ${config.port} is in use (another server is running there); choose another with --port or TESSERA_PORT`);
    if (code === 'EACCES') return new CliError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`);
    if (code === 'EADDRNOTAVAIL') return new CliError(`cannot listen on ${where}: ${config.host} is not an address of this machine`);
    return new CliError(`cannot listen on ${where}: ${code || err.message}`);
  }
  // File system errors (node's have a syscall and a path): the data directory or a file in it.
  if (err.syscall && typeof err.path === 'string') {
    return new CliError(`cannot use the data directory ${config.data_dir}: ${err.syscall} ${err.path}: ${code || err.message}`);
  }
  if (code.startsWith('SQLITE_')) return new CliError(`cannot open the SQLite database in ${config.data_dir}: ${err.message} (${code})`);
  const db = config.database_url ? databaseName(config.database_url) : 'the database';
  if (code === 'STORE_UNAVAILABLE') {
    return new CliError(config.database_url ? `cannot reach the database ${db}: ${err.reason ?? err.message}`
      : `cannot use the SQLite database in ${config.data_dir}: ${err.reason ?? err.message}`);
  }
  // What the driver says when the connection's settings cannot work with this server (sslmode=require without SSL).
  if (/does not support SSL|SSL connection|no schema has been selected/i.test(err.message ?? '')) return new CliError(`cannot use the database ${db}: ${err.message}`);
  // PostgreSQL refused us (wrong password, no such database, no permission): its SQLSTATE and message.
  if (typeof err.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) return new CliError(`the database ${db} refused the start: ${err.message} (SQLSTATE ${code})`);
  return e;
};

/** `host:port/database` of a connection URL: never its password. */
const databaseName = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(database_url)';
  }
};
