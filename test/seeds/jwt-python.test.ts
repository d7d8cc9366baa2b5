/**
 * An independent verifier checks Tessera's JWTs: Debian's PyJWT (python3-jwt) under /usr/bin/python3, given only the
 * JWKS document. A tampered JWT must fail there too.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';
import { requireServices } from '../services.js';

const PY = '/usr/bin/python3';
const SCRIPT = `
import json, sys, jwt
jwks, token = json.loads(sys.argv[1]), sys.argv[2]
header = jwt.get_unverified_header(token)
key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]]
try:
    claims = jwt.decode(token, key=key.key, algorithms=["ES256"], issuer="tessera")
except jwt.InvalidTokenError as e:
    print(type(e).__name__); sys.exit(1)
print(json.dumps(claims))
`;

const havePyJwt = existsSync(PY) && spawnSync(PY, ['-c', 'import jwt'], { stdio: 'ignore' }).status === 0;

if (!havePyJwt && !requireServices()) {
  test('JWT checked by PyJWT — SKIPPED: /usr/bin/python3 with python3-jwt is not installed (apt-get install python3-jwt)', { skip: true }, () => {});
} else {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  const py = (jwks: unknown, token: string) => spawnSync(PY, ['-c', SCRIPT, JSON.stringify(jwks), token], { encoding: 'utf8' });

  test('PyJWT verifies a Tessera JWT against the published JWKS, and refuses a tampered one', async () => {
    assert.ok(havePyJwt, 'python3-jwt must be installed for this check (TESSERA_REQUIRE_SERVICES=1)');
    const jwt = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: { cookie: h.adminCookie } })).json().token as string;
    const jwks = (await h.req({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const ok = py(jwks, jwt);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const claims = JSON.parse(ok.stdout);
    assert.equal(claims.sub, '1');
    assert.equal(claims.access, 'full');
    const [head, body, sig] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '2' })).toString('base64url');
    const bad = py(jwks, `${head}.${forged}.${sig}`);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /InvalidSignatureError/);
    const otherSig = py(jwks, `${head}.${body}.${Buffer.from('x'.repeat(64)).toString('base64url')}`);
    assert.equal(otherSig.status, 1);
  });

  test('a down-scoped JWT carries its permissions as the scope claim, PyJWT accepts it, and Tessera honours it', async () => {
    assert.ok(havePyJwt, 'python3-jwt must be installed for this check (TESSERA_REQUIRE_SERVICES=1)');
    const admin = { cookie: h.adminCookie };
    const t = (await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { kind: 'service', name: 'scoped', permissions: ['deploy:*', 'billing:read'] } })).json();
    const bearer = { authorization: `Bearer ${t.token}` };
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer, payload: { permissions: ['deploy:write'] } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().scope, 'deploy:write');
    const ok = py((await h.req({ method: 'GET', url: '/.well-known/jwks.json' })).json(), r.json().token);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(JSON.parse(ok.stdout).scope, 'deploy:write');
    const jwtBearer = { authorization: `Bearer ${r.json().token}` };
    const fw = await h.req({ method: 'GET', url: '/api/v1/auth/forward?permission=deploy:write', headers: jwtBearer });
    assert.equal(fw.statusCode, 204, fw.body);
    assert.equal(fw.headers['x-tessera-permissions'], 'deploy:write');
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/forward?permission=billing:read', headers: jwtBearer })).statusCode, 403);
    // without a subset the scope is everything the credential grants; more than it grants is refused
    const full = (await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer })).json();
    assert.deepEqual(full.scope.split(' ').sort(), ['billing:read', 'deploy:*', 'tessera:read', 'tessera:write']);
    const more = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer, payload: { permissions: ['admin:all'] } });
    assert.equal(more.statusCode, 403);
    assert.equal(more.json().error.code, 'PERMISSION_NOT_HELD');
  });

  test('python3 is Debian\'s', () => {
    assert.match(execFileSync(PY, ['--version'], { encoding: 'utf8' }), /Python 3/);
  });
}
