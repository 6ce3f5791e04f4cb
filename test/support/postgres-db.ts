/**
 * Empty databases in the throwaway PostgreSQL cluster that npm test starts (PG_ADMIN_URL): one per
 * test app or reliability scenario, so tests never share state.
 */
import pg from 'pg';

let counter = 0;

/** The cluster's admin URL; a clear error when the tests run without a cluster. */
export function postgresAdminUrl(): string {
  const admin = process.env.PG_ADMIN_URL;
  if (!admin)
    throw new Error(
      'PG_ADMIN_URL is required (npm test starts a PostgreSQL cluster and sets it; DB=postgres runs the API tests on it)',
    );
  return admin;
}

/** The URL of database `name` in the cluster. */
export function postgresUrlFor(name: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` on an admin connection to the cluster (CREATE/DROP/ALTER DATABASE). */
async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a new database named `<prefix>_<pid>_<time>_<n>` and returns its URL: empty, or a copy of
 * `template` (template-db.ts).
 */
export async function createPostgresDatabase(prefix: string, template?: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now()}_${counter++}`;
  await withPostgresAdmin((client) =>
    client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`),
  );
  return postgresUrlFor(name);
}
