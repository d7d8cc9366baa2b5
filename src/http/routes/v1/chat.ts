/**
 * The chat faces of Meeseeks's token commands (docs/chat.md):
 * - `POST /api/v1/chat` `{"text": "<line>"}`: the caller, authenticated like any API call, is the only reader of the
 *   reply, so the conversation is direct. Answers 200 `{"reply", "ok"}` (a refused command is `ok: false` with the
 *   reason in `reply`, as a chat would answer).
 * - `POST /api/v1/chat/slack`: a Slack slash command (urlencoded, signed with the app's signing secret). Answers in
 *   Slack's shape `{"response_type": "ephemeral", "text"}`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { MAX_LINE } from '../../../core/chat/service.js';
import { fail } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import { errors } from '../../schemas.js';

const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

interface SlackBody { raw: string; fields: Record<string, string> }

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

export const chatRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/chat', {
    config: { auth: 'required' },
    schema: {
      tags: ['chat'], summary: 'Run one chat command (token-new, tokens, token-revoke, help) in a direct conversation', security: SECURITY,
      body: T.Object({ text: T.String({ maxLength: MAX_LINE, description: 'the chat line, e.g. token-new @alice #ops restart web' }) }, { additionalProperties: false }),
      response: { 200: T.Object({ reply: T.String(), ok: T.Boolean() }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const r = await s.chat.handle(req.ctx, req.body.text, { direct: true, via: 'api' });
    return { reply: r.text, ok: r.ok };
  });

  // Slack signs the exact bytes it sent, so this route keeps the raw urlencoded body (its own parser, in this scope).
  await app.register(async (slack) => {
    slack.removeContentTypeParser('application/x-www-form-urlencoded');
    slack.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      const raw = body as string;
      const fields: Record<string, string> = Object.create(null);
      for (const [k, v] of new URLSearchParams(raw)) fields[k] = v;
      done(null, { raw, fields } satisfies SlackBody);
    });
    slack.post('/api/v1/chat/slack', {
      config: { auth: 'none' },
      schema: {
        tags: ['chat'],
        summary: 'Slack slash command (signed with the app\'s signing secret); replies are ephemeral',
        description: 'Urlencoded body as Slack sends it (`text`, `user_name`, `channel_name`, …). The Slack user is the Tessera user with '
          + 'the same username; only `channel_name=directmessage` is a direct conversation. Off (404) without slack_signing_secret.',
        consumes: ['application/x-www-form-urlencoded'],
        response: { 200: T.Object({ response_type: T.Literal('ephemeral'), text: T.String() }), ...errors(400, 401, 404, 415) },
      },
    }, async (req) => {
      const body = req.body as SlackBody | undefined;
      if (!body || typeof body.raw !== 'string') return fail('UNSUPPORTED_MEDIA_TYPE', 'send the slash command as application/x-www-form-urlencoded, as Slack does');
      const r = await s.chat.slack({
        rawBody: body.raw, fields: body.fields, timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature'),
        ip: req.ip ?? null, requestId: req.id,
      });
      return { response_type: 'ephemeral' as const, text: r.text };
    });
  });
};
