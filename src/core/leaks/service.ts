/**
 * Leak response (issue 16): a secret-scanning partner (GitHub) reports token values it found in public places. Each
 * Tessera token among them is revoked at once (or only switched off, by config) and audited as `token.leaked` with
 * where it was found; the answer says which reports were real. A report is trusted only after the face checked its
 * signature (`LeakSignatures`, src/infra/github-keys.ts); nothing here trusts the caller.
 */
import type { AuditService } from '../audit/service.js';
import type { LeakSignatures, Store } from '../ports.js';
import { systemContext, type RequestContext } from '../principal.js';
import { hashValue, screen } from '../tokens/format.js';
import type { Verifier } from '../tokens/verifier.js';
import type { Clock } from '../ports.js';

export interface LeakReport { token: string; type?: string; url?: string; source?: string }
export interface LeakFeedback { token_hash: string; token_type: string; label: 'true_positive' | 'false_positive' }

export interface LeakOptions {
  /** `revoke` (default) stops the token for good; `deactivate` switches it off so its owner can look first. */
  action: 'revoke' | 'deactivate';
  prefix: string;
}

export class LeakService {
  constructor(private readonly d: { store: Store; verifier: Verifier; audit: AuditService; clock: Clock; signatures: LeakSignatures; opts: LeakOptions }) {}

  /** Whether a partner's request is signed by one of its published keys (raw body, key id, base64 signature). */
  verifySignature(raw: string, keyId: string | undefined, signature: string | undefined): Promise<boolean> {
    if (!keyId || !signature) return Promise.resolve(false);
    return this.d.signatures.verify(raw, keyId, signature);
  }

  /** Handles one batch of reports (already signature-checked); returns the partner's feedback, one entry per report. */
  async report(ctx: RequestContext, reports: LeakReport[], partner: string): Promise<LeakFeedback[]> {
    const out: LeakFeedback[] = [];
    const actor = { ...systemContext(), ip: ctx.ip, requestId: ctx.requestId };
    for (const r of reports) {
      const hash = hashValue(r.token);
      const type = r.type ?? 'tessera_token';
      const found = screen(r.token, this.d.opts.prefix) ? await this.d.store.findBySecretHash(hash) : null;
      if (!found) { out.push({ token_hash: hash, token_type: type, label: 'false_positive' }); continue; }
      const t = found.token;
      const now = this.d.clock.now();
      const done = t.revokedAt !== null ? 'already revoked' : this.d.opts.action === 'deactivate' ? 'deactivated' : 'revoked';
      // The token's end and the audit row (and its token.leaked event) in one transaction.
      await this.d.audit.audited(actor, async (s) => {
        if (done === 'deactivated') await s.updateToken(t.id, { active: false, updatedAt: now });
        else if (done === 'revoked') await s.revokeToken(t.id, now);
      }, () => ({ action: 'token.leaked', target: { type: 'token', id: t.id }, details: { partner, url: r.url ?? null, source: r.source ?? null, action: done } }));
      this.d.verifier.invalidateToken(t.id);
      await this.d.verifier.published();
      out.push({ token_hash: hash, token_type: type, label: 'true_positive' });
    }
    return out;
  }
}
