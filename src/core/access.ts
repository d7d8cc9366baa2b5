/** Access levels are ordered: a credential at a level may do everything the lower levels may. */
export const ACCESS_LEVELS = ['read', 'write', 'full'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export const accessRank = (a: Access): number => ACCESS_LEVELS.indexOf(a);
export const hasAccess = (have: Access, need: Access): boolean => accessRank(have) >= accessRank(need);
export const isAccess = (v: unknown): v is Access => typeof v === 'string' && (ACCESS_LEVELS as readonly string[]).includes(v);
