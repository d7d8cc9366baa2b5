/**
 * `tessera` — the command line. One file per command group under commands/; this is the only place that calls
 * process.exit. Expected failures (a server error code, bad config) print one line; anything else a stack.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { VERSION } from '../main.js';
import { CliError } from './output.js';
import { serveCommand } from './commands/serve.js';

export const buildProgram = (): Command => {
  const program = new Command('tessera').version(VERSION).description('Tessera: self-hosted API tokens').exitOverride();
  serveCommand(program);
  return program;
};

export const main = async (argv: string[]): Promise<number> => {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof CliError || e instanceof ConfigError) {
      process.stderr.write(`tessera: ${e.message}\n`);
      return e instanceof CliError ? e.exitCode : 78;
    }
    process.stderr.write(`tessera: unexpected error\n${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
};

const isEntry = process.argv[1] !== undefined && /(?:cli[\\/]index\.ts|bin[\\/]tessera(?:\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv).then((code) => { if (code !== 0) process.exit(code); });
}
