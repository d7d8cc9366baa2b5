/**
 * A Hono app protected by Tessera. Hono runs anywhere fetch does; serve `app.fetch` with your runtime (Bun, Deno,
 * Workers; on Node, @hono/node-server). This module only builds the app (`createApp`): running it alone does nothing.
 * The tests (test/sdk/apps.ts) call `app.fetch` against a real Tessera server.
 */
import { Hono } from 'hono';
import { tessera } from '../sdk/hono.js';
import type { Verifies } from '../sdk/guard.js';

export const createApp = (verifier: Verifies) => {
  const app = new Hono();
  app.get('/whoami', tessera({ verifier }), (c) => c.json({ token: c.get('tessera').token.id, owner: c.get('tessera').token.owner }));
  app.get('/write', tessera({ verifier, access: 'write' }), (c) => c.json({ ok: true }));
  app.get('/deploy', tessera({ verifier, permissions: 'deploy:write' }), (c) => c.json({ deployed: true, by: c.get('tessera').token.id }));
  return app;
};
