/**
 * `tessera` — the command line. One file per command group under commands/; this is the only place that calls
 * process.exit. Expected failures (a server error code, bad config) print one line; anything else a stack.
 *
 * Startup time matters for a CLI: the server side (main.ts, config, fastify, schemas) takes about a second to
 * load, so only `serve` and `users create --local` import it, lazily. Keep it out of this file's imports.
 */
import { VERSION_TEXT } from '../version.js';
import { Command, CommanderError } from 'commander';
import { CliError, safe } from './output.js';
import { chatCommand } from './commands/chat.js';
import { commandsCommand } from './commands/commands.js';
import { jobsCommand } from './commands/jobs.js';
import { jwtCommand } from './commands/jwt.js';
import { webhooksCommand } from './commands/webhooks.js';
import { runCommand } from './commands/run.js';
import { loginCommand } from './commands/login.js';
import { serveCommand } from './commands/serve.js';
import { tokensCommand } from './commands/tokens.js';
import { usersCommand } from './commands/users.js';
import { rolesCommand } from './commands/roles.js';
import { auditCommand } from './commands/audit.js';
import { verifyCommand } from './commands/verify.js';
import { importCommand } from './commands/import.js';


/** By name, not instanceof: importing config/load.js here would load the server's schema compiler for every command. */
const isConfigError = (e: unknown): e is Error => e instanceof Error && e.name === 'ConfigError';

export const buildProgram = (): Command => {
  const program = new Command('tessera').version(VERSION_TEXT).description('Tessera: self-hosted API tokens').exitOverride();
  serveCommand(program);
  loginCommand(program);
  tokensCommand(program);
  usersCommand(program);
  rolesCommand(program);
  auditCommand(program);
  verifyCommand(program);
  chatCommand(program);
  commandsCommand(program);
  runCommand(program);
  jobsCommand(program);
  jwtCommand(program);
  importCommand(program);
  webhooksCommand(program);
  return program;
};

/**
 * A reader that stops reading (`tessera tokens list | head -1`) closes the pipe: the rest of the output has nowhere to
 * go, which is not a failure of the command. Without this, the write's EPIPE is an uncaught error with a stack.
 */
export const exitOnClosedPipe = (): void => {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
};

export const main = async (argv: string[]): Promise<number> => {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof CliError || isConfigError(e)) {
      process.stderr.write(`tessera: ${safe(e.message)}\n`);
      return e instanceof CliError ? e.exitCode : 78;
    }
    process.stderr.write(`tessera: unexpected error\n${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
};

// Run directly (`node dist/cli/index.js`, as `npm start` does, or `node --import tsx src/cli/index.ts`). bin/tessera.js
// imports this module and calls main() itself, so it must not match here, or every command would run twice.
const isEntry = process.argv[1] !== undefined && /cli[\\/]index\.[jt]s$/.test(process.argv[1]);
if (isEntry) {
  exitOnClosedPipe();
  main(process.argv).then((code) => { if (code !== 0) process.exit(code); });
}
