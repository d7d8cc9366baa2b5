/**
 * The argument policy of a configured command: whether, and which, extra arguments a caller may append to the
 * command's own argv (Meeseeks lets whoever holds a token append anything; Tessera makes the operator choose).
 *
 *   'none'              no extra arguments at all (the safe default for a command-bound token);
 *   'any'               any arguments (each one still reaches the command as one literal argv entry, never a shell);
 *   { pattern: '...' }  every extra argument must FULLY match this regular expression (JavaScript syntax, `u` flag,
 *                       anchored for you: `[a-z0-9-]+` means `^(?:[a-z0-9-]+)$`).
 *
 * Call `compileArgPolicy` when the configuration is loaded: it throws `ArgPolicyError` with a message naming the
 * config key for an unknown policy or a pattern that does not compile, so a bad config never starts a server.
 * `checkArgs` then runs on every request; it never throws.
 *
 * Patterns come from the operator, arguments from callers. A pattern with nested quantifiers (`(a+)+`) can take
 * exponential time on a hostile argument and block the event loop; keep patterns simple (a character class and a
 * quantifier is the usual need).
 */

import type { ArgPolicy } from '../core/job-types.js';

export type { ArgPolicy };

export type ArgCheck = { ok: true } | { ok: false; reason: string };

export class ArgPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgPolicyError';
  }
}

// Compiled regexes, keyed by the policy object, so each pattern is compiled once however often it is checked. Config
// objects are frozen; a WeakMap works on them and does not keep a replaced (reloaded) config alive.
const compiled = new WeakMap<object, RegExp>();

function compile(pattern: string): RegExp {
  // Compiling the bare pattern first rejects one that would escape the anchoring group: `a)|(b` does not compile on
  // its own, but `^(?:a)|(b)$` would, and would match anything that starts with `a`.
  new RegExp(pattern, 'u');
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/**
 * Validates a policy as read from the configuration and compiles its pattern. `where` names the config key in the
 * error message (e.g. `commands.restart.args`). Returns the policy itself (typed), ready for `checkArgs`.
 */
export function compileArgPolicy(policy: unknown, where = 'args'): ArgPolicy {
  if (policy === 'none' || policy === 'any') return policy;
  if (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) {
    const keys = Object.keys(policy);
    const pattern = (policy as { pattern?: unknown }).pattern;
    if (typeof pattern !== 'string' || keys.length !== 1) {
      throw new ArgPolicyError(`${where}: expected 'none', 'any' or { pattern: <regular expression> }`);
    }
    try {
      compiled.set(policy, compile(pattern));
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new ArgPolicyError(`${where}: pattern ${JSON.stringify(pattern)} is not a valid regular expression (${detail})`);
    }
    return policy as ArgPolicy;
  }
  throw new ArgPolicyError(`${where}: expected 'none', 'any' or { pattern: <regular expression> }, got ${JSON.stringify(policy)}`);
}

/** A short, printable rendering of a caller's argument for an error message (it may be long or contain controls). */
const show = (arg: string): string => JSON.stringify(arg.length > 64 ? `${arg.slice(0, 64)}…` : arg);

/** Checks the extra arguments a caller wants to append. Never throws. */
export function checkArgs(policy: ArgPolicy, extra: readonly string[]): ArgCheck {
  if (extra.length === 0) return { ok: true };
  if (policy === 'none') return { ok: false, reason: 'this command takes no extra arguments' };
  // No argv entry can hold a NUL byte (the OS passes C strings); say so here instead of failing at spawn time.
  const nul = extra.findIndex((a) => a.includes('\0'));
  if (nul >= 0) return { ok: false, reason: `argument ${nul + 1} contains a NUL character` };
  if (policy === 'any') return { ok: true };
  let re = compiled.get(policy);
  if (!re) {
    // Not compiled at config load (a policy built in code): compile now, once.
    try {
      re = compile(policy.pattern);
    } catch {
      return { ok: false, reason: 'the command\'s argument pattern is invalid' };
    }
    compiled.set(policy, re);
  }
  for (let i = 0; i < extra.length; i++) {
    if (!re.test(extra[i]!)) {
      return { ok: false, reason: `argument ${i + 1} (${show(extra[i]!)}) does not match the allowed pattern` };
    }
  }
  return { ok: true };
}
