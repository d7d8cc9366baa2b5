/** `tessera commands list`: the configured commands the caller may run (admins: all), from GET /api/v1/commands. */
import type { Command } from 'commander';
import type { ApiCommand } from '../api.js';
import { connect } from '../client.js';
import { out, printJson, table } from '../output.js';
import { type CommonOptions, withCommon } from './common.js';


const argsPolicy = (a: ApiCommand['args']): string => (typeof a === 'string' ? a : `pattern ${a.pattern}`);

export const commandsCommand = (program: Command): void => {
  const commands = program.command('commands').description('the commands you may run (configured by the operator)');
  withCommon(commands.command('list').description('list the commands you may run (admins: all)'))
    .action(async (o: CommonOptions) => {
      const c = connect(o);
      const r = await c.call(c.api.GET('/api/v1/commands'));
      if (o.json) return printJson(r);
      if (r.items.length === 0) return out('No commands for you.');
      table(['name', 'id', 'args', 'groups', 'timeout', 'channel', 'description'], r.items.map((c) => [
        c.name, String(c.id), argsPolicy(c.args), c.groups.join(','), `${c.timeout}s`, c.channel, c.description ?? '',
      ]));
    });
};
