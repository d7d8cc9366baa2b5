/**
 * Kysely's schema introspection, limited to this node's schema (`current_schema()`).
 *
 * The Migrator asks the introspector which tables exist before every run. Kysely's own PostgreSQL introspector reads
 * every schema of the database and calls `pg_get_serial_sequence()` on each table, which raises `schema "…" does not
 * exist` when another schema is dropped at that moment (several tenants, or one schema per test, in one database). This
 * one reads `information_schema` of the current schema only, so another schema's life cannot fail our start.
 */
import { type DatabaseIntrospector, type DatabaseMetadata, type DatabaseMetadataOptions, type Kysely, type SchemaMetadata, sql, type TableMetadata } from 'kysely';

interface ColumnRow {
  table_name: string;
  table_type: string;
  column_name: string;
  data_type: string;
  udt_schema: string;
  is_nullable: string;
  column_default: string | null;
  is_identity: string;
  schema: string;
}

const KYSELY_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

export class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const rows = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows.rows.map((r) => ({ name: r.name }));
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const rows = await sql<ColumnRow>`
      select c.table_name, t.table_type, c.column_name, c.udt_name as data_type, c.udt_schema, c.is_nullable,
             c.column_default, c.is_identity, c.table_schema as schema
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const r of rows.rows) {
      if (!options.withInternalKyselyTables && KYSELY_TABLES.has(r.table_name)) continue;
      let t = tables.get(r.table_name);
      if (!t) {
        t = { name: r.table_name, schema: r.schema, isView: r.table_type === 'VIEW', columns: [] };
        tables.set(r.table_name, t);
      }
      t.columns.push({
        name: r.column_name,
        dataType: r.data_type,
        dataTypeSchema: r.udt_schema,
        isNullable: r.is_nullable === 'YES',
        hasDefaultValue: r.column_default !== null || r.is_identity === 'YES',
        isAutoIncrementing: r.is_identity === 'YES' || /^nextval\(/.test(r.column_default ?? ''),
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}
