/** The Slack slash-command endpoint: Slack's request signature (correct, wrong, stale), user mapping, direct only. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { slackSignature, verifySlackSignature } from '../../src/core/chat/slack.js';
import { type ChatServer, SLACK_SECRET, startChatServer } from './support.js';

// The example from Slack's documentation (https://api.slack.com/authentication/verifying-requests-from-slack).
const DOC_BODY = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_TS = '1531420618';
const DOC_SIG = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

test('the signature of Slack\'s documented example, and what is refused', () => {
  assert.equal(slackSignature(SLACK_SECRET, DOC_TS, DOC_BODY), DOC_SIG);
  const now = Number(DOC_TS) * 1000;
  assert.deepEqual(verifySlackSignature(SLACK_SECRET, { timestamp: DOC_TS, signature: DOC_SIG }, DOC_BODY, now), { ok: true });
  assert.deepEqual(verifySlackSignature(SLACK_SECRET, { timestamp: DOC_TS, signature: DOC_SIG }, DOC_BODY, now + 299_000), { ok: true });
  const refused = (h: { timestamp?: string; signature?: string }, body = DOC_BODY, at = now) => {
    const r = verifySlackSignature(SLACK_SECRET, h, body, at);
    assert.equal(r.ok, false);
    return (r as { reason: string }).reason;
  };
  assert.match(refused({ timestamp: DOC_TS, signature: DOC_SIG }, DOC_BODY, now + 301_000), /more than 5 minutes/);
  assert.match(refused({ timestamp: DOC_TS, signature: DOC_SIG }, DOC_BODY, now - 301_000), /more than 5 minutes/);
  assert.match(refused({ timestamp: DOC_TS, signature: DOC_SIG }, `${DOC_BODY}&x=1`), /does not match/);
  assert.match(refused({ timestamp: DOC_TS, signature: DOC_SIG.replace(/.$/, '4') }), /does not match/);
  assert.match(refused({ timestamp: DOC_TS, signature: 'v0=short' }), /does not match/);
  assert.match(refused({ timestamp: DOC_TS }), /headers are required/);
  assert.match(refused({ timestamp: '12ab', signature: DOC_SIG }), /Unix time/);
});

let s: ChatServer;
before(async () => {
  s = await startChatServer();
  await s.h.createUser('dana', { groups: ['ops'] });
});
after(async () => { await s.close(); });

const slack = async (fields: Record<string, string>, o: { secret?: string; skewSeconds?: number; tamper?: boolean } = {}) => {
  const body = new URLSearchParams({ command: '/tessera', user_id: 'U1', channel_id: 'D1', ...fields }).toString();
  const ts = String(Math.floor(s.h.clock.now() / 1000) + (o.skewSeconds ?? 0));
  const sig = slackSignature(o.secret ?? SLACK_SECRET, ts, body);
  return s.h.req({
    method: 'POST', url: '/api/v1/chat/slack', payload: o.tamper ? body.replace('help', 'tokens') : body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig },
  });
};

test('a correctly signed request from a direct message runs the command; the reply is ephemeral', async () => {
  const r = await slack({ text: 'token-new <@U9|dana> <#C1|ops> echo from-slack', user_name: 'admin', channel_name: 'directmessage' });
  assert.equal(r.statusCode, 200, r.body);
  const b = r.json();
  assert.equal(b.response_type, 'ephemeral');
  assert.match(b.text, /^created token [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const list = await slack({ text: 'tokens -user <@U9|dana>', user_name: 'admin', channel_name: 'directmessage' });
  assert.match(list.json().text, /^- \*tok_\w+\* @dana at #ops _echo from-slack_$/);
  const audit = await s.h.req({ method: 'GET', url: '/api/v1/audit?action=token.create', headers: { cookie: s.h.adminCookie } });
  const ev = audit.json().items[0];
  assert.deepEqual([ev.actor.name, ev.details.kind, ev.details.via, ev.details.owner], ['admin', 'bound', 'chat:slack', 'dana']);
});

test('a wrongly signed, tampered or stale request is refused with 401 and does nothing', async () => {
  const cases = [
    await slack({ text: 'help', user_name: 'admin', channel_name: 'directmessage' }, { secret: 'not-the-secret' }),
    await slack({ text: 'help', user_name: 'admin', channel_name: 'directmessage' }, { tamper: true }),
    await slack({ text: 'help', user_name: 'admin', channel_name: 'directmessage' }, { skewSeconds: -301 }),
    await s.h.req({ method: 'POST', url: '/api/v1/chat/slack', payload: 'text=help', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  ];
  for (const r of cases) {
    assert.equal(r.statusCode, 401, r.body);
    assert.equal(r.json().error.code, 'SLACK_SIGNATURE_INVALID');
  }
});

test('a signed body that is not a form is 415 UNSUPPORTED_MEDIA_TYPE, as any body of a type a route does not take', async () => {
  const body = JSON.stringify({ command: '/tessera', text: 'help' });
  const ts = String(Math.floor(s.h.clock.now() / 1000));
  const r = await s.h.req({ method: 'POST', url: '/api/v1/chat/slack', payload: body,
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(SLACK_SECRET, ts, body) } });
  assert.equal(r.statusCode, 415, r.body);
  assert.equal(r.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
});

test('Slack users are Tessera users by username; non-admins and open channels get a refusal', async () => {
  const unknown = await slack({ text: 'tokens', user_name: 'roadrunner', channel_name: 'directmessage' });
  assert.match(unknown.json().text, /no enabled Tessera user named 'roadrunner'/);
  const user = await slack({ text: 'tokens', user_name: 'dana', channel_name: 'directmessage' });
  assert.equal(user.json().text, 'only admins may use tokens');
  const open = await slack({ text: 'tokens', user_name: 'admin', channel_name: 'privategroup' });
  assert.match(open.json().text, /works only in a direct message/);
});

test('without a signing secret the endpoint is off (404)', async () => {
  const t = await startChatServer({ slack_signing_secret: undefined });
  try {
    const r = await t.h.req({ method: 'POST', url: '/api/v1/chat/slack', payload: 'text=help', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.statusCode, 404);
    assert.match(r.json().error.message, /slack_signing_secret/);
  } finally {
    await t.close();
  }
});
