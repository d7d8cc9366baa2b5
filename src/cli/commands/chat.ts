/**
 * `tessera chat "<line>"`: one Meeseeks chat command (token-new, tokens, token-revoke, help) sent to
 * POST /api/v1/chat with the CLI's login. The CLI is a direct conversation (only you read the reply), so token
 * management works here. Prints the reply; exits 1 when the command was refused.
 */
import type { Command } from 'commander';
import { connect } from '../client.js';
import { CliError, out, printJson } from '../output.js';
import { type CommonOptions, withCommon } from './common.js';

export const chatCommand = (program: Command): void => {
  withCommon(program.command('chat').description('run a chat command: token-new @user #channel command [args...], tokens, token-revoke, help'))
    .argument('<line...>', 'the chat line; quote it as one argument, e.g. tessera chat "token-new @alice #ops restart web"')
    // `tessera chat tokens -limit 20` unquoted: the chat's own flags are words of the line, not options of the CLI.
    .allowUnknownOption()
    .action(async (words: string[], o: CommonOptions) => {
      const text = words.join(' ');
      const c = connect(o);
      const r = await c.call(c.api.POST('/api/v1/chat', { body: { text } }));
      if (o.json) printJson(r);
      else for (const line of r.reply.split('\n')) out(line);
      if (!r.ok) throw new CliError('the chat command was refused', 1);
    });
};
