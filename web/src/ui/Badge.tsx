/** Status and role badges: text plus colour, never colour alone. */
export function Badge({ tone, children, title }: { tone: string; children: string; title?: string }) {
  return <span class={`badge badge-${tone}`} title={title}>{children}</span>;
}

const STATUS_TITLE: Record<string, string> = {
  active: 'works now',
  inactive: 'switched off; can be switched back on',
  expired: 'past its expiry time',
  revoked: 'revoked for good',
};

export const StatusBadge = ({ status }: { status: string }) => <Badge tone={status} title={STATUS_TITLE[status]}>{status}</Badge>;
