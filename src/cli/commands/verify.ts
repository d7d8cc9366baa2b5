/**
 * `tessera verify <token>`: asks the server whether a token is valid, like any service would.
 * Exit codes follow grep: 0 valid, 1 not valid, 2 the check itself failed, so `if tessera verify ...` is safe.
 */
import { type Command, CommanderError, Option } from 'commander';
import { type Access, ACCESS_CHOICES } from '../api.js';
import { connect } from '../client.js';
import { CliError, out, printJson, when } from '../output.js';
import { readSecret } from '../prompt.js';
import { type CommonOptions, withCommon } from './common.js';

interface VerifyResult {
  valid: boolean;
  code: string;
  token: { id: string; name: string | null; kind: string; owner: { id: number; username: string | null } | null; access: string; expires_at: string | null } | null;
}

export const verifyCommand = (program: Command): void => {
  withCommon(program.command('verify').description('check a token; exit 0 if valid, 1 if not, 2 if the check failed'))
    .argument('<token>', "the token value, or '-' to read it from stdin (keeps it out of `ps` and shell history)")
    .addOption(new Option('--access <level>', 'also require at least this access level').choices(ACCESS_CHOICES))
    // A usage error (an unknown option, a bad --access, no token) is a check that failed, never "not valid".
    .exitOverride((e) => { throw e.exitCode === 0 ? e : new CommanderError(2, e.code, e.message); })
    .action(async (value: string, o: CommonOptions & { access?: Access }) => {
      let r: VerifyResult;
      try {
        const token = value === '-' ? await readSecret('Token', { fromStdin: true }) : value;
        // The caller's own token is optional: a server with verify_policy=public answers anyone.
        const c = connect(o, { tokenOptional: true });
        r = await c.call(c.api.POST('/api/v1/verify', { body: { token, access: o.access } }));
      } catch (e) {
        if (e instanceof CliError) throw new CliError(e.message, 2);
        throw e;
      }
      if (o.json) printJson(r);
      else if (r.valid && r.token) {
        const who = r.token.owner ? `owner ${r.token.owner.username ?? `#${r.token.owner.id}`}` : r.token.kind;
        out(`VALID: ${r.token.id}${r.token.name ? ` (${r.token.name})` : ''}, ${who}, access ${r.token.access}, expires ${when(r.token.expires_at, 'never')}`);
      } else out(`INVALID: ${r.code}`);
      // Only main() may exit; a CliError is how a command asks for exit code 1.
      if (!r.valid) throw new CliError(`token is not valid: ${r.code}`, 1);
    });
};
