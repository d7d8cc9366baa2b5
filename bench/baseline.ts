/**
 * Reference servers, started pinned to the server core by bench/run.ts:
 *   node --import tsx bench/baseline.ts constant        raw node:http, a constant small JSON body (the baseline)
 *   node --import tsx bench/baseline.ts sqlite <db>     raw node:http + JSON.parse + SHA-256 + one SQLite lookup per
 *                                                        request: the floor for a verification that misses every cache
 *   node --import tsx bench/baseline.ts fastify         the framework ceiling: a bare fastify 5 app (no plugins, no
 *                                                        hooks, logger off) with the two routes Tessera is loaded on
 *   node --import tsx bench/baseline.ts answer <file>   raw node:http answering, to every request, the status, headers
 *                                                        and body recorded in <file> (JSON: {status, headers, body}):
 *                                                        Tessera's own answer bytes with none of its work (paired.ts
 *                                                        BENCH_PAIRED_ANSWER=1)
 * All listen on 127.0.0.1 on a free port and print `LISTENING <port>`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { REFERENCE_LOOKUP } from './lib/reference-lookup.js';

/** `dbFile`: the SQLite file of `sqlite`, the recorded answer of `answer`. */
const [mode, dbFile] = process.argv.slice(2);
const CONSTANT = Buffer.from('{"valid":true,"code":"VALID","token":null}');

const readBody = (req: IncomingMessage, cb: (body: string) => void): void => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => { if (body.length < 65_536) body += c; });
  req.on('end', () => cb(body));
};

const constant = (req: IncomingMessage, res: ServerResponse): void => {
  readBody(req, () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': CONSTANT.length });
    res.end(CONSTANT);
  });
};

/** A recorded answer (paired.ts writes it from one of Tessera's): the same bytes for every request. */
const recorded = (file: string): ((req: IncomingMessage, res: ServerResponse) => void) => {
  // The headers as Tessera sent them, Content-Length included (none on a 204); node adds Date, Connection, Keep-Alive.
  const a = JSON.parse(readFileSync(file, 'utf8')) as { status: number; headers: Record<string, string>; body: string };
  const body = Buffer.from(a.body);
  return (req, res) => {
    readBody(req, () => {
      res.writeHead(a.status, a.headers);
      res.end(body);
    });
  };
};

const sqliteLookup = (file: string): ((req: IncomingMessage, res: ServerResponse) => void) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const find = db.prepare(REFERENCE_LOOKUP);
  return (req, res) => {
    readBody(req, (body) => {
      let token = '';
      try { token = String((JSON.parse(body) as { token?: unknown }).token ?? ''); } catch { /* empty token: not found */ }
      const row = find.get(createHash('sha256').update(token).digest('hex')) as { id: string; access: string } | undefined;
      const out = JSON.stringify(row ? { valid: true, code: 'VALID', token: { id: row.id, access: row.access } } : { valid: false, code: 'NOT_FOUND', token: null });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  };
};

/**
 * What fastify itself costs: the same request shapes as Tessera's hot routes, routed by find-my-way, `POST` bodies
 * parsed by fastify's JSON parser and checked against a body schema (ajv), the reply serialised from a response
 * schema (fast-json-stringify) — what a route of any fastify app pays before doing its own work. The body is the
 * baseline's constant.
 */
const bareFastify = async (): Promise<void> => {
  const app = Fastify({ logger: false, keepAliveTimeout: 72_000 });
  const reply = { valid: true, code: 'VALID', token: null };
  const response = { 200: { type: 'object', properties: { valid: { type: 'boolean' }, code: { type: 'string' }, token: { type: 'null' } } } };
  app.get('/api/v1/auth/forward', { schema: { response } }, async () => reply);
  app.post('/api/v1/verify', {
    schema: { body: { type: 'object', properties: { token: { type: 'string', maxLength: 1024 } }, required: ['token'] }, response },
  }, async () => reply);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`LISTENING ${new URL(address).port}\n`);
  process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
};

const startNodeHttp = (handler: (req: IncomingMessage, res: ServerResponse) => void): void => {
  const server = createServer({ keepAliveTimeout: 72_000 }, handler);
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(`LISTENING ${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  process.once('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
};

if (mode === 'fastify') await bareFastify();
else if (mode === 'sqlite' && dbFile) startNodeHttp(sqliteLookup(dbFile));
else if (mode === 'answer' && dbFile) startNodeHttp(recorded(dbFile));
else if (mode === 'constant' || mode === undefined) startNodeHttp(constant);
else throw new Error('usage: baseline.ts constant | sqlite <db> | fastify | answer <file>');
