/**
 * Audit rows to syslog (issue 16): RFC 5424 messages over UDP (one datagram each) or TCP (RFC 6587 octet counting:
 * `LEN SP MSG`, so a message may hold any byte). Written here rather than with `syslog-client` (the npm client):
 * that one sends no STRUCTURED-DATA, no MSGID per message, and frames TCP with a trailing newline only.
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [audit@32473 id="…" action="…" actor="…" hash="…"] {json}
 *
 * PRI = facility × 8 + severity (5, notice); MSGID is the action; MSG is the row as JSON (`auditWire`).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { auditWire } from '../core/audit/forward.js';
import type { AuditSink, ForwardedAudit } from '../core/ports.js';

export interface SyslogOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  /** 0–23 (13: log audit, 16–23: local0–local7). */
  facility: number;
  appName: string;
  /** Per connect/write, for TCP. */
  timeoutMs?: number;
}

const SEVERITY_NOTICE = 5;
/** The SD-ID: `audit` under the enterprise number RFC 5612 reserves for documentation and examples. */
export const SD_ID = 'audit@32473';

/** A header field: printable US-ASCII without spaces, at most `max` characters, `-` when empty (RFC 5424 §6). */
const field = (v: string | null | undefined, max: number): string => {
  const s = (v ?? '').replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return s === '' ? '-' : s;
};
/** An SD-PARAM value: `"`, `\` and `]` escaped (RFC 5424 §6.3.3). */
const param = (v: string): string => v.replace(/["\\\]]/g, (c) => `\\${c}`);

const HOST = field(hostname(), 255);

/** One RFC 5424 message for an audit row. */
export const formatSyslog = (e: ForwardedAudit, o: Pick<SyslogOptions, 'facility' | 'appName'>, host = HOST, pid = process.pid): string => {
  const sd = [`id="${e.id}"`, `action="${param(e.action)}"`, `actor="${param(`${e.actorType}:${e.actorName ?? e.actorId ?? '-'}`)}"`,
    ...(e.hash ? [`hash="${e.hash}"`] : [])].join(' ');
  return `<${o.facility * 8 + SEVERITY_NOTICE}>1 ${new Date(e.at).toISOString()} ${host} ${field(o.appName, 48)} ${pid} ${field(e.action, 32)} `
    + `[${SD_ID} ${sd}] ${JSON.stringify(auditWire(e))}`;
};

/** RFC 6587 octet counting: the message's length in bytes, a space, the message. */
export const octetCounted = (msg: string): Buffer => {
  const body = Buffer.from(msg, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
};

export const syslogSink = (o: SyslogOptions): AuditSink => (o.protocol === 'udp' ? udpSink(o) : tcpSink(o));

const udpSink = (o: SyslogOptions): AuditSink => {
  let sock: UdpSocket | null = null;
  const open = (): UdpSocket => {
    if (sock) return sock;
    const s = createSocket(isIP(o.host) === 6 ? 'udp6' : 'udp4');
    s.on('error', () => { s.close(); if (sock === s) sock = null; });
    s.unref();
    return (sock = s);
  };
  return {
    name: `syslog udp://${o.host}:${o.port}`,
    async send(batch) {
      const s = open();
      for (const e of batch) {
        await new Promise<void>((done, fail) => s.send(Buffer.from(formatSyslog(e, o), 'utf8'), o.port, o.host, (err) => (err ? fail(err) : done())));
      }
    },
    async close() { sock?.close(); sock = null; },
  };
};

const tcpSink = (o: SyslogOptions): AuditSink => {
  const timeoutMs = o.timeoutMs ?? 5_000;
  let sock: Socket | null = null;
  const drop = (s: Socket): void => { s.destroy(); if (sock === s) sock = null; };
  const open = (): Promise<Socket> => {
    if (sock && !sock.destroyed) return Promise.resolve(sock);
    return new Promise((done, fail) => {
      const s = connect({ host: o.host, port: o.port });
      s.setNoDelay(true);
      s.setTimeout(timeoutMs, () => { drop(s); fail(new Error(`syslog tcp ${o.host}:${o.port}: timed out`)); });
      s.once('error', (err) => { drop(s); fail(err); });
      s.once('connect', () => {
        s.setTimeout(0);
        s.on('error', () => drop(s));
        s.on('close', () => { if (sock === s) sock = null; });
        s.on('data', () => undefined); // a receiver sends nothing; read so the socket never stalls
        s.unref();
        done((sock = s));
      });
    });
  };
  return {
    name: `syslog tcp://${o.host}:${o.port}`,
    async send(batch) {
      const s = await open();
      const frames = Buffer.concat(batch.map((e) => octetCounted(formatSyslog(e, o))));
      await new Promise<void>((done, fail) => {
        const t = setTimeout(() => { drop(s); fail(new Error(`syslog tcp ${o.host}:${o.port}: write timed out`)); }, timeoutMs);
        s.write(frames, (err) => { clearTimeout(t); if (err) { drop(s); fail(err); } else done(); });
      });
    },
    async close() {
      const s = sock;
      sock = null;
      if (s) await new Promise<void>((r) => { s.end(r); setTimeout(() => { s.destroy(); r(); }, 1_000).unref(); });
    },
  };
};
