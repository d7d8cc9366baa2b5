/**
 * Who may call the commands, jobs, channels, chat, JWT and introspection routes: each route against every kind of caller (admin,
 * alice's full/write/read tokens and session, a service token, a command-bound token, and the dead credentials), one
 * exact answer each. The command is /bin/true, in group ops (alice is in ops); `:job` is alice's finished job,
 * `:otherJob` the admin's.
 */
import { everyone, type MatrixRoute, matrixHooks, runMatrix } from './matrix.js';

const ctx = matrixHooks();

const BOUND = '403 TOKEN_BOUND';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const ROUTES: MatrixRoute[] = [
  // commands: listing needs any user credential; running needs `write` and a user (docs/commands.md)
  { method: 'GET', path: '/api/v1/commands',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '403 FORBIDDEN', bound: BOUND } },
  { method: 'POST', path: '/api/v1/commands/true/run', payload: {},
    want: { admin: '202', full: '202', write: '202', read: '403 INSUFFICIENT_ACCESS', session: '202', service: '403 FORBIDDEN', bound: BOUND } },
  { method: 'POST', path: '/api/v1/commands/nosuch/run', label: 'unknown command', payload: {},
    want: { admin: '404 COMMAND_NOT_FOUND', full: '404 COMMAND_NOT_FOUND', write: '404 COMMAND_NOT_FOUND', read: '404 COMMAND_NOT_FOUND',
      session: '404 COMMAND_NOT_FOUND', service: '403 FORBIDDEN', bound: BOUND } },
  // jobs: own jobs; admins all; a service token has none
  { method: 'GET', path: '/api/v1/jobs',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '403 FORBIDDEN', bound: BOUND } },
  { method: 'GET', path: '/api/v1/jobs/:job', label: 'alice\'s job',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '404 NOT_FOUND', bound: BOUND } },
  { method: 'GET', path: '/api/v1/jobs/:otherJob', label: 'the admin\'s job',
    want: { admin: '200', full: '404 NOT_FOUND', write: '404 NOT_FOUND', read: '404 NOT_FOUND', session: '404 NOT_FOUND', service: '404 NOT_FOUND', bound: BOUND } },
  { method: 'GET', path: '/api/v1/jobs/:job/stream', label: 'alice\'s job', stream: true,
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '404 NOT_FOUND', bound: BOUND } },
  { method: 'GET', path: '/api/v1/jobs/:otherJob/stream', label: 'the admin\'s job', stream: true,
    want: { admin: '200', full: '404 NOT_FOUND', write: '404 NOT_FOUND', read: '404 NOT_FOUND', session: '404 NOT_FOUND', service: '404 NOT_FOUND', bound: BOUND } },
  // channels: any valid credential reads every channel (outcomes are team-visible), service tokens included
  { method: 'GET', path: '/api/v1/channels',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '200', bound: BOUND } },
  { method: 'GET', path: '/api/v1/channels/ops/messages',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '200', bound: BOUND } },
  { method: 'GET', path: '/api/v1/channels/nosuch/messages', label: 'unknown channel',
    want: { admin: '404 CHANNEL_NOT_FOUND', full: '404 CHANNEL_NOT_FOUND', write: '404 CHANNEL_NOT_FOUND', read: '404 CHANNEL_NOT_FOUND',
      session: '404 CHANNEL_NOT_FOUND', service: '404 CHANNEL_NOT_FOUND', bound: BOUND } },
  { method: 'GET', path: '/api/v1/channels/ops/stream', stream: true,
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '200', bound: BOUND } },
  // chat: any valid credential may talk (each chat command checks its own rights)
  { method: 'POST', path: '/api/v1/chat', payload: { text: 'help' },
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '200', bound: BOUND } },
  // Slack: only the signature counts; no credential of any kind stands in for it
  { method: 'POST', path: '/api/v1/chat/slack', payload: 'text=help&user_name=alice', headers: form,
    want: everyone('401 SLACK_SIGNATURE_INVALID') },
  // JWT: any valid credential gets a JWT of its own rights; rotating the signing key is for admins
  { method: 'POST', path: '/api/v1/auth/jwt',
    want: { admin: '200', full: '200', write: '200', read: '200', session: '200', service: '200', bound: BOUND } },
  { method: 'POST', path: '/api/v1/auth/jwt/keys/rotate',
    want: { admin: '200', full: '403 FORBIDDEN', write: '403 INSUFFICIENT_ACCESS', read: '403 INSUFFICIENT_ACCESS', session: '403 FORBIDDEN',
      service: '403 FORBIDDEN', bound: BOUND } },
  { method: 'GET', path: '/.well-known/jwks.json', want: everyone('200') },
  // RFC 7662 introspection: a service token or a token with full access (docs/introspection.md)
  { method: 'POST', path: '/api/v1/introspect', payload: 'token=tsr_x', headers: form,
    want: { admin: '200', full: '200', write: '403 INSUFFICIENT_ACCESS', read: '403 INSUFFICIENT_ACCESS', session: '403 INSUFFICIENT_ACCESS',
      service: '200', bound: BOUND } },
];

runMatrix(ROUTES, ctx);
