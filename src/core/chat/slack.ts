/**
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>`.
 * The timestamp must be within 5 minutes of the server's clock (either way), so a captured request cannot be
 * replayed later. The comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SLACK_WINDOW_SECONDS = 300;

export type SlackCheck = { ok: true } | { ok: false; reason: string };

export const slackSignature = (secret: string, timestamp: string, rawBody: string): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;

export const verifySlackSignature = (secret: string, headers: { timestamp?: string; signature?: string }, rawBody: string, nowMs: number): SlackCheck => {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined) return { ok: false, reason: 'the X-Slack-Signature and X-Slack-Request-Timestamp headers are required' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Slack-Request-Timestamp must be a Unix time in seconds' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_WINDOW_SECONDS) {
    return { ok: false, reason: `X-Slack-Request-Timestamp is more than ${SLACK_WINDOW_SECONDS / 60} minutes from the server's time` };
  }
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'X-Slack-Signature does not match the request' };
  return { ok: true };
};
