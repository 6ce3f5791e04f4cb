import type { SiteView } from '../../../../shared/contract.js';
import { isLocale } from '../../../../shared/i18n/catalogue.js';
import { asBool, asStr, type Sql } from '../../database/sql.js';

const toSite = (r: Record<string, unknown>): SiteView => ({
  code: asStr(r.code),
  name: asStr(r.name),
  active: asBool(r.active),
  locale: isLocale(r.locale) ? r.locale : null,
});

export const SitesRepository = {
  find: (sql: Sql, code: string) => sql.one('SELECT * FROM sites WHERE code = ?', [code], toSite),
  list: (sql: Sql) => sql.all('SELECT * FROM sites ORDER BY code', [], toSite),
  insert: (sql: Sql, s: SiteView, at: string) =>
    sql.exec('INSERT INTO sites (code, name, active, locale, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
      s.code,
      s.name,
      s.active,
      s.locale ?? null,
      at,
      at,
    ]),
  update: (sql: Sql, s: SiteView, at: string) =>
    sql.exec('UPDATE sites SET name = ?, active = ?, locale = ?, updated_at = ? WHERE code = ?', [
      s.name,
      s.active,
      s.locale ?? null,
      at,
      s.code,
    ]),
};
