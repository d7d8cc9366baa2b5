/** `tessera audit verify`: checks the audit log's hash chain on the server (admins); exit 1 at the first broken link. */
import type { Command } from 'commander';
import { connect } from '../client.js';
import { CliError, out, printJson } from '../output.js';
import { type CommonOptions, withCommon } from './common.js';

export const auditCommand = (program: Command): void => {
  const audit = program.command('audit').description('the audit log (admins)');
  withCommon(audit.command('verify').description('check the audit hash chain; exits 1 and names the first broken row'))
    .action(async (o: CommonOptions) => {
      const c = connect(o);
      const r = await c.call(c.api.GET('/api/v1/audit/verify'));
      if (o.json) printJson(r);
      else if (r.ok) out(`The audit chain is intact (${r.checked} rows checked).`);
      if (!o.json && r.unchained > 0) out(`${r.unchained} older rows, written before the chain began, are not covered by it.`);
      if (!r.ok) throw new CliError(`the audit chain is broken at row ${r.first_broken!.id}: ${r.first_broken!.reason} (${r.checked} rows before it are intact)`);
    });
};
