/** `tessera jwt rotate-key`: a new JWT signing key (admins), through POST /api/v1/auth/jwt/keys/rotate. */
import type { Command } from 'commander';
import { connect } from '../client.js';
import { out, printJson } from '../output.js';
import { type CommonOptions, withCommon } from './common.js';

export const jwtCommand = (program: Command): void => {
  const jwt = program.command('jwt').description("Tessera's JWT signing keys (admins)");
  withCommon(jwt.command('rotate-key').description('sign JWTs with a new key; the previous key stays published until its JWTs have expired'))
    .action(async (o: CommonOptions) => {
      const c = connect(o);
      const r = await c.call(c.api.POST('/api/v1/auth/jwt/keys/rotate'));
      if (o.json) return printJson(r);
      out(`Rotated the JWT signing key: new key ${r.kid}.`);
      out(`Published keys: ${r.published_kids.join(', ')} (retired keys stay until the JWTs they signed have expired).`);
    });
};
