/**
 * `tessera roles list|show|create|update|delete|grant` and `tessera permissions list|define|delete`: the
 * authorization catalogue over /api/v1/roles, /api/v1/permissions and /api/v1/groups (docs/permissions.md).
 */
import type { Command } from 'commander';
import { connect } from '../client.js';
import { fields, out, printJson, table } from '../output.js';
import { collect, positiveInt } from '../parse.js';
import { type CommonOptions, withCommon } from './common.js';

interface Role { name: string; description: string; permissions: string[]; max_lifetime_seconds: number | null; builtin: boolean }

const byName = (name: string) => ({ params: { path: { name } } });

const roleFields = (r: Role): [string, string][] => [
  ['name', r.name], ['description', r.description || '-'], ['permissions', r.permissions.join(' ') || '-'],
  ['max lifetime', r.max_lifetime_seconds === null ? '-' : `${r.max_lifetime_seconds} s`], ['built in', r.builtin ? 'yes' : 'no'],
];

export const rolesCommand = (program: Command): void => {
  const roles = program.command('roles').description('roles: named bundles of permissions (read, write, full are built in)');

  withCommon(roles.command('list').description('list the roles')).action(async (o: CommonOptions) => {
    const c = connect(o);
    const r = await c.call(c.api.GET('/api/v1/roles'));
    if (o.json) return printJson(r.items);
    table(['name', 'permissions', 'max lifetime', 'built in'],
      r.items.map((x) => [x.name, x.permissions.join(' ') || '-', x.max_lifetime_seconds === null ? '-' : `${x.max_lifetime_seconds} s`, x.builtin ? 'yes' : '']));
  });

  withCommon(roles.command('show').description('show one role').argument('<name>', 'role name')).action(async (name: string, o: CommonOptions) => {
    const c = connect(o);
    const r = await c.call(c.api.GET('/api/v1/roles/{name}', byName(name)));
    if (o.json) return printJson(r);
    fields(roleFields(r));
  });

  withCommon(roles.command('create').description('define a role (admins)').argument('<name>', 'role name'))
    .option('--permission <name>', 'a permission of the role (deploy:write, deploy:*); repeat for more', collect)
    .option('--description <text>', 'what the role is for')
    .option('--max-lifetime <seconds>', 'tokens carrying the role may not live longer than this', positiveInt)
    .action(async (name: string, o: CommonOptions & { permission?: string[]; description?: string; maxLifetime?: number }) => {
      const c = connect(o);
      const r = await c.call(c.api.POST('/api/v1/roles', { body: { name, permissions: o.permission ?? [], description: o.description, max_lifetime_seconds: o.maxLifetime } }));
      if (o.json) return printJson(r);
      out(`Created role ${r.name}.`);
      fields(roleFields(r));
    });

  withCommon(roles.command('update').description('change a role (admins); whoever carries it changes at once').argument('<name>', 'role name'))
    .option('--permission <name>', 'replace the permissions; repeat for more', collect)
    .option('--description <text>', 'new description')
    .option('--max-lifetime <seconds>', 'new maximum token lifetime', positiveInt)
    .action(async (name: string, o: CommonOptions & { permission?: string[]; description?: string; maxLifetime?: number }) => {
      const c = connect(o);
      const r = await c.call(c.api.PATCH('/api/v1/roles/{name}', { ...byName(name), body: { permissions: o.permission, description: o.description, max_lifetime_seconds: o.maxLifetime } }));
      if (o.json) return printJson(r);
      out(`Updated role ${r.name}.`);
      fields(roleFields(r));
    });

  withCommon(roles.command('delete').description('delete a role (admins)').argument('<name>', 'role name')).action(async (name: string, o: CommonOptions) => {
    const c = connect(o);
    await c.call(c.api.DELETE('/api/v1/roles/{name}', byName(name)));
    if (o.json) printJson({ name, deleted: true }); else out(`Deleted role ${name}.`);
  });

  withCommon(roles.command('grant').description("set what a group's members are granted (admins); no --role/--permission removes the grant").argument('<group>', 'group name'))
    .option('--role <name>', 'a role; repeat for more', collect)
    .option('--permission <name>', 'a permission; repeat for more', collect)
    .action(async (group: string, o: CommonOptions & { role?: string[]; permission?: string[] }) => {
      const c = connect(o);
      const g = await c.call(c.api.PUT('/api/v1/groups/{name}/grants', { ...byName(group), body: { roles: o.role ?? [], permissions: o.permission ?? [] } }));
      if (o.json) return printJson(g);
      out(`Group ${g.group} is granted roles: ${g.roles.join(' ') || '-'}; permissions: ${g.permissions.join(' ') || '-'}.`);
    });

  const perms = program.command('permissions').description('the permission catalogue (names your services check)');
  withCommon(perms.command('list').description('list the catalogue')).action(async (o: CommonOptions) => {
    const c = connect(o);
    const r = await c.call(c.api.GET('/api/v1/permissions'));
    if (o.json) return printJson(r.items);
    table(['name', 'description'], r.items.map((p) => [p.name, p.description || '-']));
  });
  withCommon(perms.command('define').description('add a permission to the catalogue (admins)').argument('<name>', 'e.g. deploy:write'))
    .option('--description <text>', 'what it allows')
    .action(async (name: string, o: CommonOptions & { description?: string }) => {
      const c = connect(o);
      const p = await c.call(c.api.POST('/api/v1/permissions', { body: { name, description: o.description } }));
      if (o.json) return printJson(p);
      out(`Defined permission ${p.name}.`);
    });
  withCommon(perms.command('delete').description('remove a permission from the catalogue (admins)').argument('<name>', 'permission name'))
    .action(async (name: string, o: CommonOptions) => {
      const c = connect(o);
      await c.call(c.api.DELETE('/api/v1/permissions/{name}', byName(name)));
      if (o.json) printJson({ name, deleted: true }); else out(`Removed permission ${name}.`);
    });
};
