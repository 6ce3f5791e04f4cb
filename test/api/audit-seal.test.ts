/**
 * Issue 11, item 1: the audit chain is no arm oracle. For every hash, digest or commitment a blinded
 * role can read, an attacker who knows everything about an entry except its arm (and product) tries
 * every arm and product: nothing matches. The same attack against the old build's rule (hash over the
 * plaintext `details.unblinded`, digests in plain view) finds every arm — so the test can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.js';
import { isBlinded, type Role } from '../../shared/roles.js';
import {
  entryHash,
  GENESIS_HASH,
  publicKeyFromBase64,
  verifyChain,
  type StoredAuditEntry,
} from '../../server/src/database/audit/audit-chain.js';
import {
  commitmentOf,
  sealStateFromEntries,
  UNBLINDED_DETAILS_KEY,
} from '../../server/src/database/audit/audit-seal.js';
import { demoProtocol, newParticipant, randomize } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type Api, type TestApp } from '../support/test-app.js';
import { decide, requestUnblinding, reveal, signed } from './fixtures/unblinding-helpers.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

const HEX64 = /[0-9a-f]{64}/g;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const protocol = demoProtocol();
const ARMS = protocol.arms.map((a) => a.code);
const PRODUCTS = protocol.products.map((p) => p.code);

/** Every GET a role might read (those it may not read answer 403/404 and add nothing). */
const SURFACES = [
  '/api/audit?limit=500',
  '/api/audit/export',
  '/api/audit/verify',
  '/api/audit/checkpoints',
  '/api/study',
  '/api/study/scheme',
  '/api/participants',
  '/api/allocation-log',
  '/api/allocation-log?format=csv',
  '/api/unblinding-requests',
  '/api/unblinding-register',
  '/api/notifications',
  '/api/users',
  '/api/sites',
  '/api/auth/me',
  '/api/study/scheme/release',
];

/** Every 64-hex value the given roles can read anywhere (all audit pages included). */
async function visibleHexValues(api: Api, tokens: Record<string, string>, roles: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const role of roles) {
    const texts: string[] = [];
    for (const path of SURFACES) {
      const res = await api.get(path, tokens[role]);
      if (res.status === 200) texts.push(res.text);
    }
    const participants = await api.get('/api/participants', tokens[role]);
    if (participants.status === 200)
      for (const p of participants.body) texts.push((await api.get(`/api/participants/${p.id}`, tokens[role])).text);
    for (let after = 500; ; after += 500) {
      const page = await api.get(`/api/audit?limit=500&after=${after}`, tokens[role]);
      if (page.status !== 200 || page.body.entries.length === 0) break;
      texts.push(page.text);
    }
    for (const text of texts) for (const m of text.matchAll(HEX64)) seen.add(m[0]);
  }
  return seen;
}

/** The attacker's guesses for a sealed value: each arm and product in place of the real one (the truth is among them). */
function guesses(sealed: Record<string, unknown>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  if ('armCode' in sealed) for (const arm of ARMS) out.push({ ...sealed, armCode: arm });
  if ('productCode' in sealed) for (const product of PRODUCTS) out.push({ ...sealed, productCode: product });
  if (out.length === 0) out.push(sealed); // digests: the attacker's best guess is the true file itself
  return out;
}

interface Sealed {
  seq: number;
  action: string;
  at: string;
  actor: string;
  role: string;
  entityType: string;
  entityId: string | null;
  reason: string | null;
  /** Details as stored (the commitment in place of the sealed value). */
  details: Record<string, unknown>;
  content: Record<string, unknown>;
  truth: string;
}

async function sealedEntries(raw: RawDb): Promise<Sealed[]> {
  const rows = await raw.all(
    'SELECT l.*, s.content AS sealed_content FROM audit_log l JOIN audit_sealed s ON s.seq = l.seq ORDER BY l.seq',
  );
  return rows
    .filter((r) => r.action !== 'audit.seal_anchor')
    .map((r) => {
      const content = JSON.parse(r.sealed_content);
      return {
        seq: Number(r.seq),
        action: r.action,
        at: r.at,
        actor: r.actor,
        role: r.role,
        entityType: r.entity_type,
        entityId: r.entity_id,
        reason: r.reason,
        details: JSON.parse(r.details),
        content,
        truth: canonicalJson(content),
      };
    });
}

/** The old build's details: plaintext under `unblinded`, and the export digests outside it. */
function oldDetails(e: Sealed): Record<string, unknown> {
  if (e.action === 'export.cdisc' || e.action === 'scheme.imported') {
    const { [UNBLINDED_DETAILS_KEY]: _sealed, ...rest } = e.details;
    return { ...rest, ...e.content };
  }
  return { ...e.details, [UNBLINDED_DETAILS_KEY]: e.content };
}

/**
 * The attack: for each sealed entry and each guess, every value a guess determines — the entry hash
 * under the plaintext rule (with the prevHash the reader sees), bare digests of the guess, and the digests
 * the guess carries — looked up among the values the reader can see. Returns the guesses that hit.
 */
function attack(
  entries: Sealed[],
  visible: Set<string>,
  prevHashOf: (seq: number) => string | undefined,
  detailsFor: (e: Sealed, guess: Record<string, unknown>) => Record<string, unknown>,
) {
  const hits: Array<{ seq: number; guess: string; right: boolean }> = [];
  for (const e of entries) {
    for (const g of guesses(e.content)) {
      const prev = prevHashOf(e.seq);
      const candidates = [
        sha256(canonicalJson(g)),
        sha256(JSON.stringify(g)),
        ...Object.values(g).filter((v): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)),
      ];
      if (prev) {
        const { content: _c, truth: _t, details: _d, ...head } = e;
        candidates.push(entryHash(prev, { ...head, details: detailsFor(e, g) }));
      }
      if (candidates.some((c) => visible.has(c)))
        hits.push({ seq: e.seq, guess: canonicalJson(g), right: canonicalJson(g) === e.truth });
    }
  }
  return hits;
}

describe(`sealed audit details (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  const tokens: Record<string, string> = {};
  const blindedReaders: Role[] = ['auditor', 'admin', 'investigator', 'medical_monitor'];
  const users: Record<string, string> = {
    auditor: 'auditor',
    admin: 'admin',
    investigator: 'investigator1',
    medical_monitor: 'monitor',
    statistician: 'statistician',
  };
  let visibleWhileBlind: Set<string>;

  beforeAll(async () => {
    t = await startTestApp({ CHECKPOINT_EVERY: '5' });
    for (const u of ['admin', 'auditor', 'investigator1', 'investigator2', 'monitor', 'statistician', 'pharmacist'])
      tokens[u] = await t.api.login(u);
    for (const [role, user] of Object.entries(users)) tokens[role] = tokens[user];
    const patients: string[] = [];
    for (let i = 0; i < 8; i++) {
      const inv = i % 2 ? 'investigator2' : 'investigator1';
      const id = await newParticipant(t.api, tokens[inv], {
        site: i % 2 ? 'B' : 'A',
        course: i % 3 ? 'RRMS' : 'SPMS',
        edss: i % 4 ? 4 : 6,
      });
      expect((await randomize(t.api, tokens[inv], id, `seal-${i}-${Date.now()}`)).status).toBe(201);
      patients.push(id);
    }
    for (const [i, period] of [
      [0, 1],
      [1, 1],
      [0, 2],
    ] as const) {
      expect(
        (
          await t.api.post(
            '/api/pharmacy/dispensations',
            { participantId: patients[i], period, lotNumber: `LOT-${i}-${period}`, ...signed() },
            tokens.pharmacist,
          )
        ).status,
      ).toBe(201);
    }
    const request = await requestUnblinding(t.api, tokens.investigator1, patients[2]);
    expect(request.status).toBe(201);
    expect((await decide(t.api, tokens.monitor, request.body.id, true)).status).toBeLessThan(300);
    expect((await reveal(t.api, tokens.investigator1, request.body.id)).status).toBe(200);
    raw = await openRawDb(t.config);
    // Before end-of-study unblinding the trial statistician counts as blinded (once roles make it so).
    const readers = isBlinded('statistician') ? [...blindedReaders, 'statistician'] : blindedReaders;
    visibleWhileBlind = await visibleHexValues(t.api, tokens, readers);
    // End of study: lock, two signatures, the unblinded CDISC export (whose digest is audited).
    expect(
      (
        await t.api.post(
          '/api/study/lock',
          { ...signed(), reason: 'Database lock for the seal test' },
          tokens.statistician,
        )
      ).status,
    ).toBeLessThan(300);
    expect(
      (
        await t.api.post(
          '/api/study/unblind',
          { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
          tokens.statistician,
        )
      ).status,
    ).toBeLessThan(300);
    expect((await t.api.get('/api/exports/cdisc', tokens.statistician)).status).toBe(200);
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('every hash, digest and commitment a blinded role reads resists trying every arm and product; the old rule gives every arm away [BLIND-004]', async () => {
    const entries = await sealedEntries(raw);
    const kinds = new Set(entries.map((e) => e.action));
    for (const action of ['participant.randomized', 'dispensation.recorded', 'unblinding.revealed', 'export.cdisc'])
      expect(kinds).toContain(action);

    const visible = new Set([...visibleWhileBlind, ...(await visibleHexValues(t.api, tokens, blindedReaders))]);
    const shown = new Map<number, { prevHash: string; hash: string }>();
    for (const e of (await t.api.get('/api/audit?limit=500', tokens.auditor)).body.entries) shown.set(e.seq, e);
    const sealedView = (e: Sealed, g: Record<string, unknown>) => ({ ...e.details, [UNBLINDED_DETAILS_KEY]: g });
    const now = attack(entries, visible, (seq) => shown.get(seq)?.prevHash, sealedView);

    // The same entries under the old build: plaintext hashed into the chain, export digests in view.
    const all = await raw.all(
      'SELECT l.*, s.content AS sealed_content FROM audit_log l LEFT JOIN audit_sealed s ON s.seq = l.seq ORDER BY l.seq',
    );
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    const oldPrev = new Map<number, string>();
    const oldVisible = new Set<string>();
    let prev = GENESIS_HASH;
    for (const r of all) {
      const sealed = bySeq.get(Number(r.seq));
      const details = sealed ? oldDetails(sealed) : JSON.parse(r.details);
      oldPrev.set(Number(r.seq), prev);
      prev = entryHash(prev, {
        seq: Number(r.seq),
        at: r.at,
        actor: r.actor,
        role: r.role,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        reason: r.reason,
        details,
      });
      oldVisible.add(prev);
      const { [UNBLINDED_DETAILS_KEY]: _redacted, ...inView } = details;
      for (const m of JSON.stringify(inView).matchAll(HEX64)) oldVisible.add(m[0]);
    }
    const old = attack(
      entries,
      oldVisible,
      (seq) => oldPrev.get(seq),
      (e, g) =>
        e.action === 'export.cdisc' || e.action === 'scheme.imported'
          ? oldDetails(e)
          : { ...e.details, [UNBLINDED_DETAILS_KEY]: g },
    );

    console.log(
      `seal attack: ${entries.length} sealed entries, ${visible.size} hex values visible to blinded roles; hits now=${now.length}, hits on the old rule=${old.length} (right ${old.filter((h) => h.right).length})`,
    );
    expect(now).toEqual([]);
    // On the old rule the attack finds the true arm/product of every sealed entry, and only the true one.
    expect(old.filter((h) => h.right).map((h) => h.seq)).toEqual(entries.map((e) => e.seq));
    expect(old.filter((h) => !h.right)).toEqual([]);
  });

  it('blinded readers verify the whole chain from what they read; they never get a nonce [AUDIT-005]', async () => {
    const entries: StoredAuditEntry[] = [];
    for (let after = 0; ;) {
      const page = (await t.api.get(`/api/audit?limit=500&after=${after}`, tokens.auditor)).body;
      entries.push(...page.entries);
      if (page.next === null) break;
      after = page.next;
    }
    expect(entries.some((e) => e.seal !== undefined)).toBe(false);
    expect(JSON.stringify(entries)).not.toMatch(/"nonce"/);
    const checkpoints = (await t.api.get('/api/audit/checkpoints', tokens.auditor)).body;
    expect(checkpoints.length).toBeGreaterThan(3);
    const result = verifyChain(entries, checkpoints, publicKeyFromBase64(checkpoints[0].publicKey), {
      state: sealStateFromEntries(entries),
      full: false,
    });
    expect(result).toMatchObject({ valid: true, count: entries.length, problems: [] });
    // A guessed arm put in place of the commitment breaks the hash: the reader's check is real.
    const target = entries.findIndex((e) => e.action === 'participant.randomized');
    const forged = entries.map((e, i) =>
      i === target
        ? { ...e, details: { ...(e.details as object), unblinded: { armCode: ARMS[0], dynamicRecord: null } } }
        : e,
    );
    expect(
      verifyChain(forged, checkpoints, publicKeyFromBase64(checkpoints[0].publicKey), { full: false }).firstInvalidSeq,
    ).toBe(entries[target].seq);
  });

  it('unblinded readers get the sealed value and its nonce, and can check the commitment [AUDIT-005]', async () => {
    const entries = (await t.api.get('/api/audit?limit=500&action=participant.randomized', tokens.statistician)).body
      .entries;
    expect(entries.length).toBe(8);
    for (const e of entries) {
      expect(ARMS).toContain(e.details.unblinded.armCode);
      expect(commitmentOf(e.seal.nonce, e.details.unblinded)).toBe(e.seal.commitment);
      expect(e.hash).toBe(
        entryHash(e.prevHash, { ...e, details: { ...e.details, unblinded: { commitment: e.seal.commitment } } }),
      );
    }
  });

  it('the server and the offline verifier check every sealed value against its commitment [AUDIT-005]', async () => {
    const [row] = await raw.all(
      "SELECT s.seq, s.nonce, s.content FROM audit_sealed s JOIN audit_log l ON l.seq = s.seq WHERE l.action = 'participant.randomized' ORDER BY s.seq LIMIT 1",
    );
    const content = JSON.parse(row.content);
    const other = ARMS.find((a) => a !== content.armCode)!;
    expect((await t.api.get('/api/audit/verify', tokens.auditor)).body).toMatchObject({ valid: true });
    await raw.run('UPDATE audit_sealed SET content = ? WHERE seq = ?', [
      JSON.stringify({ ...content, armCode: other }),
      row.seq,
    ]);
    try {
      const res = (await t.api.get('/api/audit/verify', tokens.auditor)).body;
      expect(res).toMatchObject({ valid: false, firstInvalidSeq: Number(row.seq) });
      expect(res.problems.join(' ')).toMatch(/sealed details do not match their commitment/);
      if (!usingPostgres && t.config.database.dialect === 'sqlite') {
        let out = '';
        try {
          execFileSync('node', [CLI, 'audit', 'verify', '--db', t.config.database.path, '--json'], {
            encoding: 'utf8',
            stdio: 'pipe',
          });
        } catch (err: any) {
          out = err.stdout;
        }
        expect(JSON.parse(out)).toMatchObject({ valid: false, firstInvalidSeq: Number(row.seq) });
      }
      await raw.run('DELETE FROM audit_sealed WHERE seq = ?', [row.seq]);
      expect((await t.api.get('/api/audit/verify', tokens.auditor)).body.problems.join(' ')).toMatch(
        /sealed details are missing/,
      );
    } finally {
      await raw.run('DELETE FROM audit_sealed WHERE seq = ?', [row.seq]);
      await raw.run('INSERT INTO audit_sealed (chain, seq, nonce, content) VALUES (1, ?, ?, ?)', [
        row.seq,
        row.nonce,
        row.content,
      ]);
    }
    expect((await t.api.get('/api/audit/verify', tokens.auditor)).body).toMatchObject({ valid: true });
  });
});
