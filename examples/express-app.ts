/**
 * An Express app protected by Tessera (the 58 hand-written lines of issue 15, as four). Run it:
 *
 *   TESSERA_URL=http://127.0.0.1:9696 TESSERA_SERVICE_TOKEN=tsr_… node --import tsx examples/express-app.ts
 *   curl -H "Authorization: Bearer $TOKEN" localhost:3000/deploy
 *
 * The tests (test/sdk/apps.ts) run `createApp` against a real Tessera server.
 */
import express from 'express';
import { tessera } from '../sdk/express.js';
import { LocalVerifier } from '../sdk/local.js';
import type { Verifies } from '../sdk/guard.js';

export const createApp = (verifier: Verifies) => {
  const app = express();
  app.get('/whoami', tessera({ verifier }), (req, res) => { res.json({ token: req.tessera!.token.id, owner: req.tessera!.token.owner }); });
  app.get('/write', tessera({ verifier, access: 'write' }), (_req, res) => { res.json({ ok: true }); });
  app.get('/deploy', tessera({ verifier, permissions: 'deploy:write' }), (req, res) => { res.json({ deployed: true, by: req.tessera!.token.id }); });
  return app;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const credential = process.env.TESSERA_SERVICE_TOKEN;
  if (!credential) {
    console.error('set TESSERA_SERVICE_TOKEN to a service token (or an admin\'s): the verifier checks tokens with it');
    process.exit(1);
  }
  const verifier = new LocalVerifier({
    baseUrl: process.env.TESSERA_URL ?? 'http://127.0.0.1:9696', credential,
    onState: (s) => console.error(`tessera: local cache ${s.caching ? 'on' : 'off'} (${s.reason})`),
  });
  await verifier.start();
  const port = Number(process.env.PORT ?? 3000);
  createApp(verifier).listen(port, () => console.error(`listening on :${port}`));
}
