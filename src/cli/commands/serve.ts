import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { createTessera } from '../../main.js';

/** Starts the server; on first start creates `admin` and prints its password once if none was configured. */
export const serveCommand = (program: Command): void => {
  program.command('serve')
    .description('start the Tessera server (SQLite in ./data unless configured otherwise)')
    .option('--host <host>', 'address to listen on (TESSERA_HOST)')
    .option('--port <port>', 'port to listen on (TESSERA_PORT)')
    .action(async (o: { host?: string; port?: string }) => {
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
      const stop = async (signal: string): Promise<void> => {
        t.app.log.info({ signal }, 'shutting down');
        await t.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      await t.app.listen({ host: config.host, port: config.port });
    });
};
