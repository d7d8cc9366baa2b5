/** `tessera chat "<line>"`: the real CLI binary, logged in with `tessera login`, against a listening server. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN_PASSWORD } from '../helpers.js';
import { type ChatServer, sh, startChatServer, tempDir } from './support.js';
import { type Run, runTessera } from '../tessera-process.js';

let s: ChatServer;
let home: { dir: string; remove(): void };

/** Runs the CLI (the server answers from this process), with a clean environment. */
const run = (args: string[], input = ''): Promise<Run> =>
  runTessera(args, { HOME: home.dir, TESSERA_CLI_CONFIG: join(home.dir, 'credentials.json') }, { input });

before(async () => {
  s = await startChatServer();
  home = tempDir();
  await s.h.createUser('frank', { groups: ['ops'] });
  const login = await run(['login', '--url', s.url], `${ADMIN_PASSWORD}\n`);
  assert.equal(login.code, 0, login.stderr);
});
after(async () => { await s.close(); home.remove(); });

test('tessera chat creates a bound token that works with the seed\'s curl line, lists it, and revokes it', async () => {
  const created = await run(['chat', 'token-new @frank #ops echo from-cli']);
  assert.equal(created.code, 0, created.stderr);
  const value = /^created token ([0-9a-f-]{36})\n$/.exec(created.stdout)?.[1];
  assert.ok(value, created.stdout);
  const r = await sh(`curl -s -X POST -H "TOKEN: ${value}" ${s.url}/message`);
  assert.equal(r.status, 202, r.body);

  const list = await run(['chat', 'tokens', '-user', '@frank']);
  assert.equal(list.code, 0, list.stderr);
  const id = /^- \*(tok_\w+)\* @frank at #ops _echo from-cli_$/m.exec(list.stdout)?.[1];
  assert.ok(id, list.stdout);

  const json = await run(['chat', '--json', `token-revoke ${id}`]);
  assert.deepEqual(JSON.parse(json.stdout), { reply: `Token *${id}* has been revoked`, ok: true });
  const after = await sh(`curl -s -X POST -H "TOKEN: ${value}" ${s.url}/message`);
  assert.equal(after.status, 401);
});

test('a refused chat command prints the reason and exits 1; help prints several lines', async () => {
  const bad = await run(['chat', 'token-new @nobody #ops echo x']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, "no user 'nobody'\n");
  assert.match(bad.stderr, /refused/);
  const help = await run(['chat', 'help']);
  assert.equal(help.code, 0);
  assert.ok(help.stdout.split('\n').length > 4);
  assert.match(help.stdout, /^- token-new @user #channel command \[args\.\.\.\]/m);
});
