/**
 * Seed 000 (Meeseeks "Api") end to end, with real curl against a listening server and real child processes:
 * token-new in a direct conversation, refusal in an open one, `tokens`, POST /message with and without `message`,
 * the outcome in the channel (API and SSE), permission removed after creation → refusal in the channel,
 * token-revoke → 401.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { slackSignature } from '../../src/core/chat/slack.js';
import { type ChatServer, chat, finished, messages, SLACK_SECRET, sh, startChatServer, tokenNew } from './support.js';

let s: ChatServer;
let alice: { id: number };
before(async () => {
  // The defaults: bound tokens are UUIDs and POST /message answers them with an empty 202, as Meeseeks does.
  s = await startChatServer({ message: { refusal_status: 202, accepted_body: 'auto' } });
  alice = await s.h.createUser('alice', { groups: ['ops'] });
});
after(async () => { await s.close(); });

/** POST /api/v1/chat with real curl and the admin's token. */
const curlChat = async (text: string): Promise<{ reply: string; ok: boolean }> => {
  const r = await sh(`curl -s -X POST -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' --data-binary "$BODY" ${s.url}/api/v1/chat`,
    { ADMIN: s.admin, BODY: JSON.stringify({ text }) });
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body);
};

/** The seed's own curl line, with the host and port of the test server. */
const post = (token: string, extra = '') => sh(`curl -s ${extra} -X POST -H "TOKEN: ${token}" ${s.url}/message`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The job a POST /message started: Meeseeks's answer is an empty 202, so the job is the newest one listed. */
const jobOf = async (r: { status: number; body: string }): Promise<number> => {
  assert.equal(r.status, 202, r.body);
  assert.equal(r.body, '', 'Meeseeks answers 202 with an empty body');
  const jobs = await s.h.req({ method: 'GET', url: '/api/v1/jobs?limit=1', headers: { cookie: s.h.adminCookie } });
  assert.equal(jobs.statusCode, 200, jobs.body);
  return jobs.json().items[0].id;
};

const boundCount = async (): Promise<number> => {
  const r = await s.h.req({ method: 'GET', url: '/api/v1/tokens?kind=bound&limit=200', headers: { cookie: s.h.adminCookie } });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().items.length;
};

/** Follows a channel's SSE stream with curl -N until `until` appears in it. */
const streamUntil = (channel: string, until: RegExp) => {
  const child = spawn('curl', ['-sN', '-H', `Authorization: Bearer ${s.admin}`, `${s.url}/api/v1/channels/${channel}/stream`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let onData: () => void = () => undefined;
  child.stdout.on('data', (b: Buffer) => { text += b.toString('utf8'); onData(); });
  const waitFor = (re: RegExp) => new Promise<string>((done, fail) => {
    onData = () => { if (re.test(text)) done(text); };
    child.on('exit', () => fail(new Error(`curl ended before ${re}: ${text}`)));
    onData();
  });
  return { connected: waitFor(/: connected/), received: () => waitFor(until), stop: () => child.kill('SIGTERM') };
};

test('token-new in a direct conversation answers "created token <value>"; in an open Slack channel it is refused and nothing is created', async () => {
  const before = await boundCount();
  const fields = new URLSearchParams({ command: '/tessera', text: 'token-new @alice #ops echo hello', user_name: 'admin', user_id: 'U1', channel_name: 'general', channel_id: 'C1' }).toString();
  const ts = String(Math.floor(s.h.clock.now() / 1000));
  const open = await sh(`curl -s -X POST -H "X-Slack-Request-Timestamp: ${ts}" -H "X-Slack-Signature: ${slackSignature(SLACK_SECRET, ts, fields)}" --data "$F" ${s.url}/api/v1/chat/slack`, { F: fields });
  assert.equal(open.status, 200, open.body);
  const body = JSON.parse(open.body);
  assert.equal(body.response_type, 'ephemeral');
  assert.match(body.text, /works only in a direct message.*nothing was done/);
  assert.doesNotMatch(body.text, /tsr_|[0-9a-f]{8}-[0-9a-f]{4}-/);
  assert.equal(await boundCount(), before, 'no token was created');

  const r = await curlChat('token-new @alice #ops echo hello');
  assert.equal(r.ok, true);
  // "This invokation will then return a UUID which is the API token."
  const value = /^created token (\S+)$/.exec(r.reply)?.[1];
  assert.match(value ?? r.reply, UUID);
  assert.equal(await boundCount(), before + 1);
});

test('the whole seed: tokens, POST /message with and without message, output in the channel (API and SSE), refusal after permission removal, revoke → 401', async () => {
  const value = await tokenNew(s.h, 'token-new <@U42|alice> <#C9|ops> show hello');

  // tokens: Meeseeks's line format, with the token id (never the value).
  const list = await curlChat('tokens -user @alice -command sho');
  const id = /^- \*(tok_[0-9A-Za-z]+)\* @alice at #ops _show hello_$/m.exec(list.reply)?.[1];
  assert.ok(id, list.reply);
  assert.ok(!list.reply.includes(value));

  // Without message: the bound command with its fixed arguments; the outcome reaches the channel, live too.
  const sse = streamUntil('ops', /\[hello\]\\n```","job_id":(\d+)/);
  await sse.connected;
  const plain = await post(value);
  assert.equal(plain.status, 202, plain.body);
  const jobId = await jobOf(plain);
  assert.ok(Number.isInteger(jobId));
  const job = await finished(s.h, jobId);
  assert.deepEqual({ status: job.status, args: job.args, output: job.output, trigger: job.trigger, user: job.user.username, token: job.token_id, channel: job.channel },
    { status: 'succeeded', args: ['hello'], output: '[hello]\n', trigger: 'token', user: 'alice', token: id, channel: 'ops' });
  const streamed = await sse.received();
  sse.stop();
  assert.match(streamed, new RegExp(`event: message\\ndata: \\{[^\\n]*"job_id":${jobId}`));
  const msg = (await messages(s.h, 'ops')).find((m) => m.job_id === jobId);
  assert.equal(msg?.text, `@alice *show hello* done (job ${jobId})\n\`\`\`\n[hello]\n\`\`\``);

  // With message, as the seed writes it (-F: multipart, so + stays literal) and urlencoded (quotes respected).
  const multi = await post(value, "-F 'message=arg1+arg2'");
  assert.equal(multi.status, 202, multi.body);
  assert.deepEqual((await finished(s.h, await jobOf(multi))).args, ['hello', 'arg1+arg2']);
  const form = await post(value, `--data-urlencode 'message=a "b c" $(id);x'`);
  assert.equal(form.status, 202, form.body);
  const split = await finished(s.h, await jobOf(form));
  assert.deepEqual(split.args, ['hello', 'a', 'b c', '$(id);x']);
  assert.equal(split.output, '[hello]\n[a]\n[b c]\n[$(id);x]\n', 'each piece reached the command literally, no shell');

  // Permission is checked at use time: group taken away → still 202, the refusal is posted to the channel.
  const patch = await s.h.req({ method: 'PATCH', url: `/api/v1/users/${alice.id}`, headers: { cookie: s.h.adminCookie }, payload: { groups: [] } });
  assert.equal(patch.statusCode, 200, patch.body);
  const refused = await post(value);
  assert.equal(refused.status, 202, refused.body);
  const rj = await finished(s.h, await jobOf(refused));
  assert.equal(rj.status, 'rejected');
  const refusal = (await messages(s.h, 'ops')).find((m) => m.job_id === rj.id);
  assert.match(refusal!.text, /^@alice \*show hello\* was refused: user 'alice' may not run 'show'/);
  await s.h.req({ method: 'PATCH', url: `/api/v1/users/${alice.id}`, headers: { cookie: s.h.adminCookie }, payload: { groups: ['ops'] } });

  // token-revoke (by value here) → the token stops at once: 401.
  const revoked = await curlChat(`token-revoke ${value}`);
  assert.deepEqual(revoked, { ok: true, reply: `Token *${id}* has been revoked` });
  const after = await post(value);
  assert.equal(after.status, 401, after.body);
  assert.equal(JSON.parse(after.body).error.code, 'TOKEN_REVOKED');
  assert.doesNotMatch((await curlChat('tokens')).reply, new RegExp(id!), 'a revoked token is no longer listed');
});

test('a disabled user\'s token still answers 202; the refusal goes to the channel', async () => {
  const bob = await s.h.createUser('bob', { groups: ['ops'] });
  const value = await tokenNew(s.h, 'token-new @bob #alerts echo hi');
  await s.h.req({ method: 'PATCH', url: `/api/v1/users/${bob.id}`, headers: { cookie: s.h.adminCookie }, payload: { disabled: true } });
  const r = await post(value);
  assert.equal(r.status, 202, r.body);
  const job = await finished(s.h, await jobOf(r));
  assert.equal(job.status, 'rejected');
  assert.match((await messages(s.h, 'alerts')).find((m) => m.job_id === job.id)!.text, /was refused: user 'bob' is disabled/);
});

test('extra arguments the command\'s policy refuses: 202, a rejected job in the channel, the command never runs', async () => {
  const fixed = await tokenNew(s.h, 'token-new @alice #ops fixed');
  const r = await post(fixed, "-F 'message=extra'");
  assert.equal(r.status, 202, r.body);
  const job = await finished(s.h, await jobOf(r));
  assert.deepEqual({ status: job.status, output: job.output, args: job.args }, { status: 'rejected', output: '', args: ['extra'] });
  assert.match((await messages(s.h, 'ops')).find((m) => m.job_id === job.id)!.text, /was refused: this command takes no extra arguments/);
  const restart = await tokenNew(s.h, 'token-new @alice #ops restart web');
  const bad = await post(restart, "--data-urlencode 'message=x;reboot'");
  assert.equal(bad.status, 202);
  assert.equal((await finished(s.h, await jobOf(bad))).status, 'rejected');
  const good = await post(restart, "--data-urlencode 'message=api-2'");
  const ok = await finished(s.h, await jobOf(good));
  assert.deepEqual({ status: ok.status, output: ok.output }, { status: 'succeeded', output: '[web]\n[api-2]\n' });
});

test('POST /message: no token → 400, unknown → 401, a personal token → 403, an unclosed quote → 400; any method works', async () => {
  const none = await sh(`curl -s -X POST ${s.url}/message`);
  assert.equal(none.status, 400);
  assert.equal(JSON.parse(none.body).error.code, 'TOKEN_MISSING');
  // A value of any other shape is looked up (UUIDs, imported tokens); a Tessera-prefixed one must pass its checksum.
  const unknown = await sh(`curl -s -X POST -H "TOKEN: invalid_token" ${s.url}/message`);
  assert.equal(unknown.status, 401);
  assert.equal(JSON.parse(unknown.body).error.code, 'TOKEN_NOT_FOUND');
  const unknownUuid = await sh(`curl -s -X POST -H "TOKEN: 0b5f7a2c-3d4e-4f60-8a1b-2c3d4e5f6a7b" ${s.url}/message`);
  assert.equal(JSON.parse(unknownUuid.body).error.code, 'TOKEN_NOT_FOUND');
  const wellFormed = await sh(`curl -s -X POST -H "TOKEN: tsr_000000000000000000000000000000000" ${s.url}/message`);
  assert.equal(wellFormed.status, 401);
  assert.equal(JSON.parse(wellFormed.body).error.code, 'TOKEN_MALFORMED');
  const personal = await post(s.admin);
  assert.equal(personal.status, 403);
  assert.equal(JSON.parse(personal.body).error.code, 'TOKEN_NOT_BOUND');
  const jwt = (await s.h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: { authorization: `Bearer ${s.admin}` }, payload: {} })).json().token as string;
  const ofJwt = await post(jwt);
  assert.equal(ofJwt.status, 403, 'a JWT is not a command-bound token either');
  assert.equal(JSON.parse(ofJwt.body).error.code, 'TOKEN_NOT_BOUND');
  const value = await tokenNew(s.h, 'token-new @alice #ops echo q');
  const quote = await post(value, `--data-urlencode 'message=a "b'`);
  assert.equal(quote.status, 400);
  assert.match(JSON.parse(quote.body).error.message, /unclosed quote/);
  const get = await sh(`curl -s -H "TOKEN: ${value}" '${s.url}/message?message=viaquery'`);
  assert.equal(get.status, 202, get.body);
  assert.deepEqual((await finished(s.h, await jobOf(get))).args, ['q', 'viaquery']);
  const bearer = await sh(`curl -s -X PUT -H "Authorization: Bearer ${value}" ${s.url}/message`);
  assert.equal(bearer.status, 202, bearer.body);
  // A body of another type is ignored, as Meeseeks reads only form values: the query's message still counts.
  const text = await sh(`curl -s -X POST -H "TOKEN: ${value}" -H 'Content-Type: text/plain' -d 'ignored' '${s.url}/message?message=fromquery'`);
  assert.equal(text.status, 202, text.body);
  assert.deepEqual((await finished(s.h, await jobOf(text))).args, ['q', 'fromquery']);
});

test('chat refusals: non-admins, unknown user/command/channel, unknown token-revoke; nothing is created', async () => {
  const carol = await s.h.createUser('carol', { groups: ['ops'] });
  const before = await boundCount();
  assert.deepEqual(await chat(s.h, 'token-new @alice #ops echo x', carol.cookie), { ok: false, reply: 'only admins may use token-new' });
  assert.deepEqual(await chat(s.h, 'token-new @nobody #ops echo x'), { ok: false, reply: "no user 'nobody'" });
  assert.deepEqual(await chat(s.h, 'token-new @alice #ops nosuch x'), { ok: false, reply: "no command 'nosuch'" });
  assert.deepEqual(await chat(s.h, 'token-new @alice #nowhere echo x'), { ok: false, reply: "no channel 'nowhere'" });
  assert.equal(await boundCount(), before);
  assert.deepEqual(await chat(s.h, 'token-revoke tok_doesnotexist1234'), { ok: false, reply: "no command-bound token 'tok_doesnotexist1234'" });
  const r = await chat(s.h, 'token-revoke tsr_000000000000000000000000000000000');
  assert.equal(r.ok, false);
  assert.doesNotMatch(r.reply, /tsr_/, 'a value is not echoed back');
  assert.equal((await chat(s.h, 'help', carol.cookie)).ok, true, 'help is for everyone');
});
