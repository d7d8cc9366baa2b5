/**
 * `tessera run <command> [args...] [--channel c] [--wait]`: POST /api/v1/commands/{name}/run as the logged-in user.
 * Prints the job; with --wait follows its output (GET /api/v1/jobs/{id}/stream) to stdout and exits with the
 * command's exit code (124 timed out, 1 failed without one). Arguments that begin with `-` go after `--`:
 * `tessera run deploy --wait -- --force web`.
 */
import type { Command } from 'commander';
import { connect } from '../client.js';
import { fields, note, printJson } from '../output.js';
import { type CommonOptions, withCommon } from './common.js';
import { jobFields, waitAndReport } from './jobs.js';

export const runCommand = (program: Command): void => {
  withCommon(program.command('run').description('run a command as you; prints the job, or with --wait its output and exit code'))
    .argument('<command>', 'the command\'s name (see tessera commands list)')
    .argument('[args...]', 'extra arguments, if the command allows them (after -- when one begins with -)')
    .option('--channel <name>', 'where the outcome is posted (default: the command\'s channel)')
    .option('--wait', 'follow the output until the command ends, and exit with its exit code')
    .action(async (name: string, args: string[], o: CommonOptions & { channel?: string; wait?: boolean }) => {
      const client = connect(o);
      const job = await client.call(client.api.POST('/api/v1/commands/{name}/run', { params: { path: { name } }, body: {
        args, ...(o.channel !== undefined ? { channel: o.channel } : {}),
      } }));
      if (!o.wait) {
        if (o.json) printJson(job); else fields(jobFields(job));
        return;
      }
      if (!o.json) note(`job ${job.id} (${job.command}) started; its outcome goes to #${job.channel}`);
      await waitAndReport(client, job.id, o);
    });
};
