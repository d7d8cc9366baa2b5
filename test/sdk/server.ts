/**
 * A real Tessera server on a random port for the SDK tests, with a service token (the SDK's own credential), the
 * `deploy:write` permission in the catalogue and helpers to make and revoke tokens through the native API.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { type Harness, startHarness } from '../helpers.js';

export interface SdkServer {
  h: Harness;
  baseUrl: string;
  /** A service token made by the admin: the credential the SDK verifies with and subscribes with. */
  service: string;
  token(body?: Record<string, unknown>): Promise<{ id: string; token: string }>;
  revoke(id: string): Promise<void>;
  close(): Promise<void>;
}

export const startSdkServer = async (): Promise<SdkServer> => {
  const h = await startHarness();
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  const admin = { cookie: h.adminCookie };
  const perm = await h.req({ method: 'POST', url: '/api/v1/permissions', headers: admin, payload: { name: 'deploy:write' } });
  assert.equal(perm.statusCode, 201, perm.body);
  const token = async (body: Record<string, unknown> = {}) => {
    const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { access: 'full', ...body } });
    assert.equal(r.statusCode, 201, r.body);
    return { id: r.json().id as string, token: r.json().token as string };
  };
  const service = (await token({ name: 'sdk-service', kind: 'service', access: 'read' })).token;
  return {
    h, baseUrl, service, token,
    async revoke(id) {
      const r = await h.req({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin });
      assert.ok(r.statusCode < 300, r.body);
    },
    close: () => h.close(),
  };
};

/** Polls `f` until it returns true, failing after `ms`; returns how long it took. */
export const within = async (ms: number, f: () => Promise<boolean> | boolean, what: string): Promise<number> => {
  const t0 = performance.now();
  for (;;) {
    if (await f()) return performance.now() - t0;
    if (performance.now() - t0 > ms) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
