/**
 * Which of a validator's complaints to tell (ajv's errors, as fastify hands them over and as the configuration's
 * loader gets them): shared by the HTTP edge's 400s and the configuration's start errors, so both say "must be one of
 * 'debug', 'info', …" rather than "must be equal to constant; must match a schema in anyOf".
 */
export type Complaint = { instancePath: string; schemaPath?: string; message?: string; keyword: string; params: Record<string, unknown> };

/**
 * The complaint a message is made of: the first, except for a value that matches none of a union's shapes (`anyOf`),
 * where ajv lists each shape's complaints. Then: the value has none of the shapes' types — the first complaint (a
 * repeated query parameter: "must be given once"); every shape is a constant — "must be one of …"; else the first
 * complaint of a shape whose type the value has, which says what is wrong with it (60 repeated `?permission=` are
 * too many, not "must be string").
 */
export const firstComplaint = (vs: readonly Complaint[]): Complaint => {
  const union = vs.find((v) => v.keyword === 'anyOf');
  if (union?.schemaPath === undefined) return vs[0]!;
  const prefix = `${union.schemaPath}/`;
  const shapes = new Map<string, Complaint[]>();
  for (const v of vs) {
    if (!v.schemaPath?.startsWith(prefix)) continue;
    const i = v.schemaPath.slice(prefix.length).split('/')[0]!;
    shapes.set(i, [...(shapes.get(i) ?? []), v]);
  }
  const typed = [...shapes.values()].filter((cs) => !cs.some((c) => c.keyword === 'type' && c.instancePath === union.instancePath));
  if (typed.length === 0) return vs[0]!;
  if (typed.every((cs) => cs.length === 1 && cs[0]!.keyword === 'const')) {
    return { ...union, keyword: 'enum', message: `must be one of ${typed.map((cs) => `'${String(cs[0]!.params.allowedValue)}'`).join(', ')}` };
  }
  return typed[0]!.find((c) => c.keyword !== 'type') ?? typed[0]![0]!;
};
