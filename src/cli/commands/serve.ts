import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';

/** Starts the server; on first start creates `admin` and prints its password once if none was configured. */
export const serveCommand = (program: Command): void => {
  program.command('serve')
    .description('start the Tessera server (SQLite in ./data unless configured otherwise)')
    .option('--host <host>', 'address to listen on (TESSERA_HOST)')
    .option('--port <port>', 'port to listen on (TESSERA_PORT)')
    .action(async (o: { host?: string; port?: string }) => {
      // Imported here so the other commands start without loading the server (see index.ts).
      const { loadConfig } = await import('../../config/load.js');
      const { createTessera } = await import('../../main.js');
      const env = { ...process.env };
      if (o.host) env.TESSERA_HOST = o.host;
      if (o.port) env.TESSERA_PORT = o.port;
      const config = loadConfig(env);
      const t = await createTessera(config);
      const password = config.admin_password ?? randomBytes(18).toString('base64url');
      const admin = await t.services.users.bootstrapAdmin(password);
      if (admin && !config.admin_password) {
        process.stdout.write(`\nCreated user 'admin' with password: ${password}\nIt is shown only this once.\n\n`);
      } else if (admin) {
        t.app.log.info('created user admin with the password from TESSERA_ADMIN_PASSWORD');
      }
      // Serve until SIGINT or SIGTERM, then close cleanly and return: main() owns the exit code, and once the
      // server, timers and store are closed nothing keeps the process alive. A second signal kills it as usual.
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        const on = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', on).off('SIGTERM', on);
          resolve(signal);
        };
        process.on('SIGINT', on).on('SIGTERM', on);
      });
      await t.app.listen({ host: config.host, port: config.port });
      const signal = await stopped;
      t.app.log.info({ signal }, 'shutting down');
      await t.close();
    });
};
