/**
 * The verifier's SQLite fast path (audit-verify.ts: the database writes each entry's canonical text,
 * ChainVerifier.pushCanonical hashes it) must decide exactly as the row-by-row check (push): the same
 * VerifyResult for an intact chain and for every tampering, including text moved between fields with
 * the stored hash kept, NULLs, numbers and BLOBs where text belongs. Each chain is verified twice, with
 * and without the raw reader, and the two results compared.
 */
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { generateKeyPairSync, sign } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.js';
import {
  checkpointMessage,
  entryHash,
  entryText,
  GENESIS_HASH,
  type AuditEntryContent,
} from '../../server/src/database/audit/audit-chain.js';
import { sealDetails } from '../../server/src/database/audit/audit-seal.js';
import { verifyAuditChain, type VerifySource } from '../../server/src/modules/audit/audit-verify.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const SCHEMA = [
  'CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash CHAR(64) NOT NULL)',
  'CREATE TABLE study (id INTEGER PRIMARY KEY, code VARCHAR(64) NOT NULL)',
  `CREATE TABLE audit_log (chain INTEGER NOT NULL, seq INTEGER NOT NULL, at VARCHAR(32) NOT NULL, actor VARCHAR(64) NOT NULL, role VARCHAR(32) NOT NULL,
     action VARCHAR(64) NOT NULL, entity_type VARCHAR(64) NOT NULL, entity_id VARCHAR(128), reason TEXT, details TEXT NOT NULL,
     prev_hash CHAR(64) NOT NULL, hash CHAR(64) NOT NULL, PRIMARY KEY (chain, seq))`,
  'CREATE TABLE audit_checkpoints (chain INTEGER NOT NULL, size INTEGER NOT NULL, head_hash CHAR(64) NOT NULL, at VARCHAR(32) NOT NULL, signature TEXT NOT NULL, public_key TEXT NOT NULL, PRIMARY KEY (chain, size))',
  'CREATE TABLE audit_sealed (chain INTEGER NOT NULL, seq INTEGER NOT NULL, nonce CHAR(64) NOT NULL, content TEXT NOT NULL, PRIMARY KEY (chain, seq))',
  'CREATE TABLE audit_seal_state (id INTEGER PRIMARY KEY, legacy_size INTEGER NOT NULL, legacy_first_sealed INTEGER)',
];

const AWKWARD = [
  'plain',
  'with "quotes"',
  'back\\slash',
  'é ü 中文 😀',
  'line\nbreak\ttab',
  'ctl\u0001\u001f',
  'del\u007f',
  '',
  'a,"b":"c',
];

/** A chain of `size` entries: canonical details mostly, some stored with keys out of order (older writers), sealed parts. */
function buildChain(size: number): Database.Database {
  const db = new Database(':memory:');
  for (const s of SCHEMA) db.exec(s);
  db.prepare('INSERT INTO audit_seal_state (id, legacy_size, legacy_first_sealed) VALUES (1, 0, NULL)').run();
  const insert = db.prepare('INSERT INTO audit_log VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let hash = GENESIS_HASH;
  for (let seq = 1; seq <= size; seq++) {
    const pick = (k: number) => AWKWARD[(seq * k) % AWKWARD.length];
    const raw: Record<string, unknown> = { zeta: seq, alpha: pick(3), nested: { b: [1, null, pick(5)], a: -0.5 } };
    if (seq % 4 === 0) raw.unblinded = { arm: seq % 8 ? 'A' : 'B', kit: `K-${seq}` };
    // Details holding the entry's own key names: the fast path cuts the details out of the hashed text.
    if (seq % 8 === 4) Object.assign(raw, { details: { entityId: seq }, entityId: ',"entityId":null' });
    if (seq % 9 === 0) raw.note = { unblinded: 'a value, not the top-level key' };
    const { stored, sealed } = sealDetails(raw);
    const content: AuditEntryContent = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: seq % 5 ? 'investigator1' : pick(7),
      role: 'investigator',
      action: seq % 3 ? 'participant.registered' : AWKWARD[Math.floor(seq / 3) % AWKWARD.length],
      entityType: 'participant',
      entityId: seq % 6 ? `p-${seq}` : null,
      reason: seq % 7 ? null : pick(11),
      details: stored,
    };
    const next = entryHash(hash, content);
    // One entry in five stores its details as JSON.stringify wrote them (keys out of canonical order).
    const detailsText = seq % 5 === 2 ? JSON.stringify(stored) : canonicalJson(stored);
    insert.run(
      seq,
      content.at,
      content.actor,
      content.role,
      content.action,
      content.entityType,
      content.entityId,
      content.reason,
      detailsText,
      hash,
      next,
    );
    if (sealed)
      db.prepare('INSERT INTO audit_sealed VALUES (1, ?, ?, ?)').run(seq, sealed.nonce, canonicalJson(sealed.content));
    hash = next;
    if (seq % 25 === 0) {
      const cp = { size: seq, headHash: hash, at: content.at };
      const signature = sign(null, Buffer.from(checkpointMessage(cp)), privateKey).toString('base64');
      db.prepare('INSERT INTO audit_checkpoints VALUES (1, ?, ?, ?, ?, ?)').run(seq, hash, cp.at, signature, 'unused');
    }
  }
  db.prepare('INSERT INTO audit_head VALUES (1, ?, ?)').run(size, hash);
  return db;
}

/** Verifies through the fast path (raw reader) and the row-by-row path; counts rows the fast path handed back. */
async function bothWays(db: Database.Database) {
  let reread = 0;
  const source = (fast: boolean): VerifySource => ({
    chain: 1,
    snapshot: async (work) =>
      work(
        async (sql, params = []) => {
          if (sql.includes('AND l.seq = ?')) reread++;
          return db.prepare(sql).all(...params) as Record<string, unknown>[];
        },
        fast
          ? async (sql, params) =>
              db
                .prepare(sql)
                .raw(true)
                .all(...params) as unknown[][]
          : undefined,
      ),
    checkpointFilePath: null,
    trustedKey: publicKey,
    pageSize: 37,
  });
  const fast = await verifyAuditChain(source(true));
  const fastRereads = reread;
  const slow = await verifyAuditChain(source(false));
  return { fast, slow, fastRereads };
}

describe('audit verify: the SQLite fast path decides as the row-by-row check', () => {
  const SIZE = 120;

  it('entryText is canonicalJson of the entry, awkward strings included', () => {
    for (const s of AWKWARD) {
      const e = {
        seq: 7,
        at: s,
        actor: s,
        role: s,
        action: s,
        entityType: s,
        entityId: s,
        reason: null,
        details: { [s]: s, b: [s] },
      };
      const { seq, at, actor, role, action, entityType, entityId, reason, details } = e;
      expect(entryText(e)).toBe(canonicalJson({ seq, at, actor, role, action, entityType, entityId, reason, details }));
    }
    // Shapes the fast writer does not take fall back to canonicalJson (undefined is dropped there).
    const odd = {
      seq: 1,
      at: 'x',
      actor: 'a',
      role: 'r',
      action: 'act',
      entityType: 't',
      entityId: undefined as unknown as null,
      reason: null,
      details: {},
    };
    expect(entryText(odd)).toBe(
      '{"action":"act","actor":"a","at":"x","details":{},"entityType":"t","reason":null,"role":"r","seq":1}',
    );
  });

  it('an intact chain: valid both ways, and only rows the database cannot write canonically are read again', async () => {
    const db = buildChain(SIZE);
    const { fast, slow, fastRereads } = await bothWays(db);
    expect(slow.valid).toBe(true);
    expect(fast).toEqual(slow);
    // Re-read: details stored out of key order (one in five) or strings json_quote escapes
    // differently from JSON.stringify (control characters); all the others go through the fast path.
    expect(fastRereads).toBeGreaterThan(0);
    expect(fastRereads).toBeLessThan(SIZE / 2);
  });

  it('105 tamperings (single characters in every column, text moved between fields, NULL, numbers, BLOBs): same result both ways, all caught', async () => {
    const db = buildChain(SIZE);
    const columns = [
      'at',
      'actor',
      'role',
      'action',
      'entity_type',
      'entity_id',
      'reason',
      'details',
      'prev_hash',
      'hash',
    ];
    let rng = 424242;
    const random = (n: number) => Math.floor(((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    let caught = 0;
    const needsEscape = (v: unknown) => typeof v === 'string' && JSON.stringify(v).slice(1, -1) !== v;
    const all = db.prepare('SELECT seq, actor, action, reason FROM audit_log').all() as Array<Record<string, unknown>>;
    const escapeColumns = ['actor', 'action', 'reason'];
    const escapable = escapeColumns.map((c) => all.filter((r) => needsEscape(r[c])).map((r) => Number(r.seq)));
    for (const seqs of escapable) expect(seqs.length).toBeGreaterThan(3);
    for (let i = 0; i < 105; i++) {
      const kind = i % 7;
      const escapeColumn = Math.floor(i / 7) % 3;
      const seq = kind === 6 ? escapable[escapeColumn][random(escapable[escapeColumn].length)] : 1 + random(SIZE);
      const restore: Array<[string, unknown[]]> = [];
      const set = (table: string, column: string, value: unknown) => {
        const [row] = db.prepare(`SELECT ${column} AS v FROM ${table} WHERE seq = ?`).all(seq) as Array<{ v: unknown }>;
        if (!row) return false;
        try {
          db.prepare(`UPDATE ${table} SET ${column} = ? WHERE seq = ?`).run(value, seq);
        } catch {
          return false; // NOT NULL: the schema refuses this one
        }
        restore.push([`UPDATE ${table} SET ${column} = ? WHERE seq = ?`, [row.v, seq]]);
        return true;
      };
      const row = db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as Record<string, string | null>;
      let changed = false;
      if (kind <= 2) {
        const column = columns[random(columns.length)];
        const v = row[column];
        if (v === null || v.length === 0) continue;
        const pos = random(v.length);
        changed = set(
          'audit_log',
          column,
          v.slice(0, pos) + (v[pos] === 'a' ? 'b' : v[pos] === '"' ? '\\' : 'a') + v.slice(pos + 1),
        );
      } else if (kind === 3) {
        // Text moved across a field boundary, hash kept: a naive concatenation would give the same bytes.
        const actor = String(row.actor);
        changed =
          set('audit_log', 'action', `${row.action}","actor":"${actor.slice(0, 1)}`) &&
          set('audit_log', 'actor', actor.slice(1));
      } else if (kind === 6) {
        // A value replaced by its own JSON escape (with "q" → with \"q\"): unquoted, the bytes would not change.
        const column = escapeColumns[escapeColumn];
        const escaped = row[column] === null ? null : JSON.stringify(row[column]).slice(1, -1);
        const target = db.prepare("SELECT seq FROM audit_log WHERE actor LIKE '%\"%' ESCAPE '!' LIMIT 1").get() as
          { seq: number } | undefined;
        void target;
        if (escaped === null || escaped === row[column]) continue;
        changed = set('audit_log', column, escaped);
      } else if (kind === 4) {
        const column = ['at', 'actor', 'details', 'entity_id', 'reason'][random(5)];
        const value = [null, 12345, Buffer.from('blob'), 1.5][random(4)];
        if (row[column] === value) continue;
        changed = set('audit_log', column, value);
      } else if (kind === 5) {
        changed = set('audit_sealed', random(2) ? 'content' : 'nonce', random(2) ? '{"arm":"B"}' : 'ab'.repeat(32));
      }
      if (!changed) continue;
      const { fast, slow } = await bothWays(db);
      for (const [sql, params] of restore.reverse()) db.prepare(sql).run(...params);
      expect({ i, seq, fast }).toEqual({ i, seq, fast: slow });
      if (!fast.valid) caught++;
      else throw new Error(`tampering ${i} (kind ${kind}) of entry ${seq} not caught: ${JSON.stringify(restore)}`);
    }
    expect(caught).toBeGreaterThan(60);
    expect((await bothWays(db)).fast.valid).toBe(true);
  });
});
