import type { SiteView } from '../../../../shared/contract.js';
import { asBool, asStr, type Sql } from '../../database/sql.js';

const toSite = (r: Record<string, unknown>): SiteView => ({ code: asStr(r.code), name: asStr(r.name), active: asBool(r.active) });

export const SitesRepository = {
  find: (sql: Sql, code: string) => sql.one('SELECT * FROM sites WHERE code = ?', [code], toSite),
  list: (sql: Sql) => sql.all('SELECT * FROM sites ORDER BY code', [], toSite),
  insert: (sql: Sql, s: SiteView, at: string) => sql.exec('INSERT INTO sites (code, name, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [s.code, s.name, s.active, at, at]),
  update: (sql: Sql, s: SiteView, at: string) => sql.exec('UPDATE sites SET name = ?, active = ?, updated_at = ? WHERE code = ?', [s.name, s.active, at, s.code]),
};
