/**
 * Prometheus Alertmanager's webhook body (`webhook_config`, payload version "4") → environment variables for the
 * command a bound token runs. Alert data never becomes arguments or shell text: a label value like `$(rm -rf /)` is
 * just the value of an environment variable.
 *
 * Variables (names upper-cased; any character other than A-Z, 0-9 and _ becomes _):
 *   ALERT_STATUS            firing | resolved (the group's status)
 *   ALERT_NAME              the alertname label (common labels, else group labels, else the first alert's)
 *   ALERT_RECEIVER, ALERT_GROUP_KEY, ALERT_EXTERNAL_URL
 *   ALERT_COUNT             alerts in this notification; ALERT_FIRING_COUNT, ALERT_RESOLVED_COUNT
 *   ALERT_TRUNCATED         alerts Alertmanager left out (truncatedAlerts), usually 0
 *   ALERT_GROUP_LABEL_<L>   each group label
 *   ALERT_LABEL_<L>         each label common to all alerts
 *   ALERT_ANNOTATION_<A>    each annotation common to all alerts
 *   ALERT_<i>_STATUS, ALERT_<i>_FINGERPRINT, ALERT_<i>_STARTS_AT, ALERT_<i>_ENDS_AT, ALERT_<i>_GENERATOR_URL,
 *   ALERT_<i>_LABEL_<L>, ALERT_<i>_ANNOTATION_<A>   for the first 10 alerts, i = 1..10
 * A name longer than 64 characters is left out; a value is cut at 4096 characters (NUL characters removed); per-alert
 * variables stop once the environment reaches 64 KiB, and ALERT_ENV_TRUNCATED=1 then says so.
 */
import { invalid } from '../errors.js';

export interface AlertmanagerAlert {
  status?: string;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
}

export interface AlertmanagerBody {
  version: string;
  status?: string;
  receiver?: string;
  groupKey?: string;
  truncatedAlerts?: number;
  groupLabels?: Record<string, unknown>;
  commonLabels?: Record<string, unknown>;
  commonAnnotations?: Record<string, unknown>;
  externalURL?: string;
  alerts: AlertmanagerAlert[];
}

export const PER_ALERT_MAX = 10;
const VALUE_MAX = 4096;
const NAME_MAX = 64;
const ENV_BUDGET = 64 * 1024;

/** Whether a parsed JSON body is meant as an Alertmanager notification (it has an `alerts` list). */
export const looksLikeAlertmanager = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && Array.isArray((body as { alerts?: unknown }).alerts);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the shape (VALIDATION_ERROR naming the field otherwise) and returns it typed. */
export const checkAlertmanager = (body: unknown): AlertmanagerBody => {
  if (!isMap(body) || !Array.isArray(body.alerts)) return invalid('alerts', 'body: an Alertmanager notification needs an alerts list');
  if (body.version !== '4') return invalid('version', `body.version: only Alertmanager webhook version "4" is understood, got ${JSON.stringify(body.version ?? null)}`);
  for (const k of ['groupLabels', 'commonLabels', 'commonAnnotations'] as const) {
    if (body[k] !== undefined && !isMap(body[k])) invalid(k, `body.${k} must be an object`);
  }
  for (const k of ['status', 'receiver', 'groupKey', 'externalURL'] as const) {
    if (body[k] !== undefined && typeof body[k] !== 'string') invalid(k, `body.${k} must be a string`);
  }
  body.alerts.forEach((a: unknown, i: number) => {
    if (!isMap(a)) invalid(`alerts[${i}]`, `body.alerts[${i}] must be an object`);
    const alert = a as Record<string, unknown>;
    for (const k of ['labels', 'annotations'] as const) {
      if (alert[k] !== undefined && !isMap(alert[k])) invalid(`alerts[${i}].${k}`, `body.alerts[${i}].${k} must be an object`);
    }
  });
  return body as unknown as AlertmanagerBody;
};

const envName = (raw: string): string | null => {
  const n = raw.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return n.length > NAME_MAX || !/^[A-Z]/.test(n) ? null : n;
};

const envValue = (v: unknown): string => {
  const s = typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
  return s.replaceAll('\0', '').slice(0, VALUE_MAX);
};

/** The environment for one notification (see the list above). */
export const alertEnv = (body: AlertmanagerBody): Record<string, string> => {
  const env: Record<string, string> = {};
  let size = 0;
  const put = (name: string, v: unknown): void => {
    const n = envName(name);
    if (n === null || Object.hasOwn(env, n)) return; // the first of two names that clean up alike wins
    const value = envValue(v);
    env[n] = value;
    size += n.length + value.length + 2;
  };
  const putMap = (prefix: string, m: Record<string, unknown> | undefined): void => {
    for (const [k, v] of Object.entries(m ?? {})) put(`${prefix}${k}`, v);
  };
  const alerts = body.alerts;
  put('ALERT_STATUS', body.status ?? '');
  put('ALERT_NAME', body.commonLabels?.alertname ?? body.groupLabels?.alertname ?? alerts[0]?.labels?.alertname ?? '');
  put('ALERT_RECEIVER', body.receiver ?? '');
  put('ALERT_GROUP_KEY', body.groupKey ?? '');
  put('ALERT_EXTERNAL_URL', body.externalURL ?? '');
  put('ALERT_COUNT', String(alerts.length));
  put('ALERT_FIRING_COUNT', String(alerts.filter((a) => a.status === 'firing').length));
  put('ALERT_RESOLVED_COUNT', String(alerts.filter((a) => a.status === 'resolved').length));
  put('ALERT_TRUNCATED', String(Number.isInteger(body.truncatedAlerts) ? body.truncatedAlerts : 0));
  putMap('ALERT_GROUP_LABEL_', body.groupLabels);
  putMap('ALERT_LABEL_', body.commonLabels);
  putMap('ALERT_ANNOTATION_', body.commonAnnotations);
  for (let i = 0; i < Math.min(alerts.length, PER_ALERT_MAX); i++) {
    if (size >= ENV_BUDGET) { env.ALERT_ENV_TRUNCATED = '1'; break; }
    const a = alerts[i]!;
    const p = `ALERT_${i + 1}_`;
    put(`${p}STATUS`, a.status ?? '');
    put(`${p}FINGERPRINT`, a.fingerprint ?? '');
    put(`${p}STARTS_AT`, a.startsAt ?? '');
    put(`${p}ENDS_AT`, a.endsAt ?? '');
    put(`${p}GENERATOR_URL`, a.generatorURL ?? '');
    putMap(`${p}LABEL_`, a.labels);
    putMap(`${p}ANNOTATION_`, a.annotations);
  }
  return env;
};
