import type { QueryRunner } from 'typeorm';
import { Sql, type Dialect } from '../sql.js';
import type { Ddl } from './ddl.js';

/**
 * Many studies in one instance, first brick (issue 16 Build 1, docs/MULTI-STUDY.md decisions 2–4 and 8).
 *  - Every study-scoped table gets `study_id INTEGER NOT NULL REFERENCES study(id)`, filled with the
 *    existing study's id (there is at most one study before this migration; StudyRepository gives it id 1).
 *  - Unique keys that were instance-wide become per study: scheme versions, randomization numbers,
 *    treatment codes, (site, screening number).
 *  - The audit tables get `chain` (0 = the instance, later; a study's chain is its study_id) and every
 *    key becomes (chain, seq). audit_head and audit_seal_state already have one row per chain: their `id`
 *    IS the chain. The existing chain (head id 1) becomes study 1's chain, genesis 0…0, every old entry kept
 *    byte for byte (hashes do not cover the chain column).
 * SQLite cannot add a NOT NULL column without a default nor drop an inline UNIQUE, so each table is rebuilt
 * (create the new shape, copy, drop, rename, indexes again) — the shapes below are the tables as migrations
 * 001–017 left them. TypeORM turns foreign keys off around migrations; the PRAGMA lines do the same when the
 * statements are run by hand (tests), and foreign_key_check runs before commit (studyScopeCheck).
 */

interface Shape {
  table: string;
  /** Column and table-constraint definitions as 001–017 left them (ALTER-added columns last). */
  defs: string[];
  indexes?: string[];
  /** Per-study uniques: the old inline/table UNIQUE to drop, the new definition (SQLite text edits). */
  uniques?: Array<{ from: string; to: string; pgDrop: string; pgAdd: string }>;
}

function shapes(t: Ddl): Shape[] {
  return [
    {
      table: 'schemes',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'version INTEGER NOT NULL UNIQUE',
        'state VARCHAR(16) NOT NULL',
        'method VARCHAR(32) NOT NULL',
        `params ${t.json} NOT NULL`,
        'algorithm VARCHAR(64) NOT NULL',
        'library_version VARCHAR(16) NOT NULL',
        'seed_commitment CHAR(64)',
        'seed TEXT',
        `live ${t.bool} NOT NULL`,
        'list_length INTEGER',
        'fingerprint CHAR(64) NOT NULL',
        'scheme_json TEXT NOT NULL',
        'created_by VARCHAR(64) NOT NULL',
        `created_at ${t.ts} NOT NULL`,
        'salt VARCHAR(64)',
      ],
      uniques: [
        {
          from: 'version INTEGER NOT NULL UNIQUE',
          to: 'UNIQUE (study_id, version)',
          pgDrop: 'schemes_version_key',
          pgAdd: 'schemes_study_id_version_key',
        },
      ],
    },
    {
      table: 'list_entries',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'scheme_id VARCHAR(36) NOT NULL REFERENCES schemes(id)',
        'stratum_key VARCHAR(200) NOT NULL',
        'position INTEGER NOT NULL',
        'arm_code VARCHAR(64) NOT NULL',
        'treatment_code VARCHAR(64) NOT NULL',
        'UNIQUE (scheme_id, stratum_key, position)',
        'UNIQUE (scheme_id, treatment_code)',
      ],
    },
    {
      table: 'stratum_cursors',
      defs: [
        'scheme_id VARCHAR(36) NOT NULL REFERENCES schemes(id)',
        'stratum_key VARCHAR(200) NOT NULL',
        'next_position INTEGER NOT NULL',
        'PRIMARY KEY (scheme_id, stratum_key)',
      ],
    },
    {
      table: 'participants',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'site_code VARCHAR(32) NOT NULL REFERENCES sites(code)',
        'screening_number VARCHAR(64) NOT NULL',
        'status VARCHAR(16) NOT NULL',
        `answers ${t.json} NOT NULL`,
        `eligibility_failures ${t.json} NOT NULL`,
        'stratum_key VARCHAR(200)',
        `stratum_levels ${t.json}`,
        `randomized_in_error ${t.bool} NOT NULL DEFAULT ${t.false}`,
        'created_by VARCHAR(64) NOT NULL',
        `created_at ${t.ts} NOT NULL`,
        `updated_at ${t.ts} NOT NULL`,
        'UNIQUE (site_code, screening_number)',
      ],
      uniques: [
        {
          from: 'UNIQUE (site_code, screening_number)',
          to: 'UNIQUE (study_id, site_code, screening_number)',
          pgDrop: 'participants_site_code_screening_number_key',
          pgAdd: 'participants_study_id_site_code_screening_number_key',
        },
      ],
    },
    {
      table: 'allocations',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'participant_id VARCHAR(36) NOT NULL UNIQUE REFERENCES participants(id)',
        'scheme_id VARCHAR(36) NOT NULL REFERENCES schemes(id)',
        'list_entry_id VARCHAR(36) UNIQUE REFERENCES list_entries(id)',
        'stratum_key VARCHAR(200) NOT NULL',
        'randomization_number INTEGER NOT NULL UNIQUE',
        'arm_code VARCHAR(64) NOT NULL',
        'treatment_code VARCHAR(64) NOT NULL UNIQUE',
        `dynamic_record ${t.json}`,
        `covariates ${t.json} NOT NULL`,
        `randomized_at ${t.ts} NOT NULL`,
        'randomized_by VARCHAR(64) NOT NULL',
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
      ],
      uniques: [
        {
          from: 'randomization_number INTEGER NOT NULL UNIQUE',
          to: 'UNIQUE (study_id, randomization_number)',
          pgDrop: 'allocations_randomization_number_key',
          pgAdd: 'allocations_study_id_randomization_number_key',
        },
        {
          from: 'treatment_code VARCHAR(64) NOT NULL UNIQUE',
          to: 'UNIQUE (study_id, treatment_code)',
          pgDrop: 'allocations_treatment_code_key',
          pgAdd: 'allocations_study_id_treatment_code_key',
        },
      ],
    },
    {
      table: 'idempotency_keys',
      defs: [
        'idem_key VARCHAR(128) PRIMARY KEY',
        'user_id VARCHAR(36) NOT NULL',
        'route VARCHAR(200) NOT NULL',
        'body_hash CHAR(64) NOT NULL',
        'status_code INTEGER NOT NULL',
        `response ${t.json} NOT NULL`,
        `created_at ${t.ts} NOT NULL`,
      ],
    },
    {
      table: 'corrections',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'participant_id VARCHAR(36) NOT NULL REFERENCES participants(id)',
        'field VARCHAR(64) NOT NULL',
        `old_value ${t.json}`,
        `new_value ${t.json}`,
        'reason TEXT NOT NULL',
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
        'created_by VARCHAR(64) NOT NULL',
        `created_at ${t.ts} NOT NULL`,
      ],
    },
    {
      table: 'dispensations',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'participant_id VARCHAR(36) NOT NULL REFERENCES participants(id)',
        'allocation_id VARCHAR(36) NOT NULL REFERENCES allocations(id)',
        'period INTEGER NOT NULL',
        'product_code VARCHAR(64) NOT NULL',
        'lot_number VARCHAR(64) NOT NULL',
        'prepared_by VARCHAR(64) NOT NULL',
        'prepared_by_name VARCHAR(200) NOT NULL',
        `dispensed_at ${t.ts} NOT NULL`,
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
        'UNIQUE (participant_id, period)',
      ],
    },
    {
      table: 'unblinding_requests',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'participant_id VARCHAR(36) NOT NULL REFERENCES participants(id)',
        'site_code VARCHAR(32) NOT NULL',
        'policy VARCHAR(32) NOT NULL',
        'status VARCHAR(16) NOT NULL',
        'reason TEXT NOT NULL',
        `emergency ${t.bool} NOT NULL`,
        'requested_by_id VARCHAR(36) NOT NULL REFERENCES users(id)',
        'requested_by VARCHAR(64) NOT NULL',
        'requested_by_name VARCHAR(200) NOT NULL',
        `requested_at ${t.ts} NOT NULL`,
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
        `decided_at ${t.ts}`,
        `first_revealed_at ${t.ts}`,
        'reveal_count INTEGER NOT NULL DEFAULT 0',
        `updated_at ${t.ts} NOT NULL`,
        `escalated_at ${t.ts}`,
        'escalated_to VARCHAR(32)',
      ],
      indexes: [
        'CREATE INDEX unblinding_requests_participant ON unblinding_requests(participant_id)',
        'CREATE INDEX unblinding_requests_open ON unblinding_requests(status, escalated_at, requested_at)',
      ],
    },
    {
      table: 'unblinding_decisions',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'request_id VARCHAR(36) NOT NULL REFERENCES unblinding_requests(id)',
        'kind VARCHAR(16) NOT NULL',
        `approve ${t.bool} NOT NULL`,
        'comment TEXT NOT NULL',
        'decided_by_id VARCHAR(36) NOT NULL REFERENCES users(id)',
        'decided_by VARCHAR(64) NOT NULL',
        'decided_by_name VARCHAR(200) NOT NULL',
        `decided_at ${t.ts} NOT NULL`,
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
        'UNIQUE (request_id, decided_by_id, kind)',
      ],
    },
    {
      table: 'unblinding_register',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'kind VARCHAR(32) NOT NULL',
        'participant_id VARCHAR(36) REFERENCES participants(id)',
        'request_id VARCHAR(36) REFERENCES unblinding_requests(id)',
        'user_id VARCHAR(36) NOT NULL REFERENCES users(id)',
        'username VARCHAR(64) NOT NULL',
        'display_name VARCHAR(200) NOT NULL',
        'role VARCHAR(32) NOT NULL',
        'reason TEXT NOT NULL',
        `seen_at ${t.ts} NOT NULL`,
      ],
      indexes: ['CREATE INDEX unblinding_register_participant ON unblinding_register(participant_id)'],
    },
    {
      table: 'notifications',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'user_id VARCHAR(36) NOT NULL REFERENCES users(id)',
        'kind VARCHAR(64) NOT NULL',
        'title VARCHAR(300) NOT NULL',
        'body TEXT NOT NULL',
        'entity_type VARCHAR(64)',
        'entity_id VARCHAR(128)',
        `created_at ${t.ts} NOT NULL`,
        `read_at ${t.ts}`,
        'link VARCHAR(500)',
      ],
      indexes: ['CREATE INDEX notifications_user ON notifications(user_id, created_at)'],
    },
    {
      table: 'rehearsals',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'scheme_id VARCHAR(36) NOT NULL',
        'scheme_version INTEGER NOT NULL',
        'patients INTEGER NOT NULL',
        `warnings ${t.json} NOT NULL`,
        'run_by VARCHAR(64) NOT NULL',
        `run_at ${t.ts} NOT NULL`,
      ],
      indexes: ['CREATE INDEX rehearsals_scheme ON rehearsals(scheme_id, run_at)'],
    },
    {
      table: 'envelopes',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'scheme_id VARCHAR(36) NOT NULL REFERENCES schemes(id)',
        'number INTEGER NOT NULL',
        'site_code VARCHAR(32) NOT NULL REFERENCES sites(code)',
        'stratum_key VARCHAR(200) NOT NULL',
        'ordinal INTEGER NOT NULL',
        'list_entry_id VARCHAR(36) NOT NULL UNIQUE REFERENCES list_entries(id)',
        'commitment CHAR(64) NOT NULL',
        'nonce CHAR(64) NOT NULL',
        'status VARCHAR(16) NOT NULL',
        'reserved_by VARCHAR(64) NOT NULL',
        `reserved_at ${t.ts} NOT NULL`,
        'reserve_signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
        'print_count INTEGER NOT NULL DEFAULT 0',
        'allocation_id VARCHAR(36) UNIQUE REFERENCES allocations(id)',
        `opened_at ${t.ts}`,
        'opened_by VARCHAR(200)',
        'reconciled_by VARCHAR(64)',
        `reconciled_at ${t.ts}`,
        'voided_by VARCHAR(64)',
        `voided_at ${t.ts}`,
        'void_reason TEXT',
        'void_signature_id VARCHAR(36) REFERENCES signatures(id)',
        'UNIQUE (scheme_id, number)',
        'UNIQUE (scheme_id, site_code, stratum_key, ordinal)',
      ],
      indexes: ['CREATE INDEX envelopes_stratum ON envelopes (scheme_id, stratum_key)'],
    },
    {
      table: 'safety_unblindings',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'participant_id VARCHAR(36) NOT NULL REFERENCES participants(id)',
        'site_code VARCHAR(32) NOT NULL',
        'reason TEXT NOT NULL',
        'report_reference VARCHAR(100)',
        'recipient_kind VARCHAR(16) NOT NULL',
        'recipient VARCHAR(320) NOT NULL',
        'requested_by_id VARCHAR(36) NOT NULL REFERENCES users(id)',
        'requested_by VARCHAR(64) NOT NULL',
        'requested_by_name VARCHAR(200) NOT NULL',
        `requested_at ${t.ts} NOT NULL`,
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
        `first_viewed_at ${t.ts}`,
        'view_count INTEGER NOT NULL DEFAULT 0',
      ],
      indexes: ['CREATE INDEX safety_unblindings_participant ON safety_unblindings(participant_id)'],
    },
    {
      table: 'inadvertent_unblindings',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'occurred_on VARCHAR(10) NOT NULL',
        'how_it_happened TEXT NOT NULL',
        'who_was_unblinded TEXT NOT NULL',
        'impact_assessment TEXT NOT NULL',
        'corrective_action TEXT NOT NULL',
        'reported_by_id VARCHAR(36) NOT NULL REFERENCES users(id)',
        'reported_by VARCHAR(64) NOT NULL',
        'reported_by_name VARCHAR(200) NOT NULL',
        'reporter_role VARCHAR(32) NOT NULL',
        `reported_at ${t.ts} NOT NULL`,
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
      ],
    },
    {
      table: 'inadvertent_unblinding_patients',
      defs: [
        'report_id VARCHAR(36) NOT NULL REFERENCES inadvertent_unblindings(id)',
        'participant_id VARCHAR(36) NOT NULL REFERENCES participants(id)',
        'PRIMARY KEY (report_id, participant_id)',
      ],
    },
    {
      table: 'access_reviews',
      defs: [
        'id VARCHAR(36) PRIMARY KEY',
        'study_code VARCHAR(64) NOT NULL',
        `reviewed_at ${t.ts} NOT NULL`,
        'reviewer_id VARCHAR(36) NOT NULL REFERENCES users(id)',
        'reviewer VARCHAR(64) NOT NULL',
        'conclusion TEXT NOT NULL',
        `period_start ${t.ts}`,
        `next_due_at ${t.ts} NOT NULL`,
        'audit_seq INTEGER NOT NULL',
        'content_hash CHAR(64) NOT NULL',
        `report ${t.json} NOT NULL`,
        'signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id)',
      ],
      indexes: ['CREATE INDEX access_reviews_study ON access_reviews(study_code, reviewed_at)'],
    },
  ];
}

/** The audit tables keyed by seq (or size): they get `chain` and a (chain, seq) key. */
const AUDIT_SHAPES = (t: Ddl): Array<Shape & { key: string }> => [
  {
    table: 'audit_log',
    key: 'seq',
    defs: [
      'seq INTEGER PRIMARY KEY',
      `at ${t.ts} NOT NULL`,
      'actor VARCHAR(64) NOT NULL',
      'role VARCHAR(32) NOT NULL',
      'action VARCHAR(64) NOT NULL',
      'entity_type VARCHAR(64) NOT NULL',
      'entity_id VARCHAR(128)',
      'reason TEXT',
      `details ${t.json} NOT NULL`,
      'prev_hash CHAR(64) NOT NULL',
      'hash CHAR(64) NOT NULL',
    ],
    indexes: ['CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id)'],
  },
  {
    table: 'audit_checkpoints',
    key: 'size',
    defs: [
      'size INTEGER PRIMARY KEY',
      'head_hash CHAR(64) NOT NULL',
      `at ${t.ts} NOT NULL`,
      'signature TEXT NOT NULL',
      'public_key TEXT NOT NULL',
    ],
  },
  {
    table: 'audit_sealed',
    key: 'seq',
    defs: ['seq INTEGER PRIMARY KEY', 'nonce CHAR(64) NOT NULL', 'content TEXT NOT NULL'],
  },
];

const isConstraint = (def: string) => /^(PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK)\s*\(/i.test(def);
const columnsOf = (defs: string[]) => defs.filter((d) => !isConstraint(d)).map((d) => d.split(/\s+/)[0]);

/** The column definitions with `extra` added after the last column, and constraints after it. */
function withColumn(defs: string[], extra: string, constraints: string[]): string[] {
  return [...defs.filter((d) => !isConstraint(d)), extra, ...defs.filter(isConstraint), ...constraints];
}

/** SQLite: rebuild `table` from the shape `from` to `to`, copying `columns` (and `fill` for the new column). */
function rebuild(table: string, to: string[], columns: string[], extra: { column: string; fill: string } | null) {
  const list = columns.join(', ');
  return [
    `CREATE TABLE ${table}__018 (\n  ${to.join(',\n  ')})`,
    extra
      ? `INSERT INTO ${table}__018 (${list}, ${extra.column}) SELECT ${list}, ${extra.fill} FROM ${table}`
      : `INSERT INTO ${table}__018 (${list}) SELECT ${list} FROM ${table}`,
    `DROP TABLE ${table}`,
    `ALTER TABLE ${table}__018 RENAME TO ${table}`,
  ];
}

/** The existing study's id (at most one study exists when 018 runs); NULL with no study fails NOT NULL. */
const THE_STUDY = '(SELECT MIN(id) FROM study)';
/** The existing chain is the one of head row 1: study 1's. */
const EXISTING_CHAIN = '1';

function perStudyDefs(s: Shape): string[] {
  let defs = s.defs;
  const added: string[] = [];
  for (const u of s.uniques ?? []) {
    const at = defs.indexOf(u.from);
    if (at < 0) throw new Error(`018: ${s.table} has no "${u.from}"`);
    defs = defs
      .map((d) => (d === u.from ? d.replace(/\s+UNIQUE$/, '') : d))
      .filter((d) => !isConstraint(d) || d !== u.from);
    added.push(u.to);
  }
  return withColumn(defs, 'study_id INTEGER NOT NULL REFERENCES study(id)', added);
}

function chainDefs(s: Shape & { key: string }): string[] {
  const defs = s.defs.map((d) => (d === `${s.key} INTEGER PRIMARY KEY` ? `${s.key} INTEGER NOT NULL` : d));
  return withColumn(defs, 'chain INTEGER NOT NULL', [`PRIMARY KEY (chain, ${s.key})`]);
}

export function studyScope(t: Ddl): string[] {
  if (t.dialect === 'postgres') {
    const out: string[] = [];
    for (const s of shapes(t)) {
      out.push(
        `ALTER TABLE ${s.table} ADD COLUMN study_id INTEGER REFERENCES study(id)`,
        `UPDATE ${s.table} SET study_id = ${THE_STUDY}`,
        `ALTER TABLE ${s.table} ALTER COLUMN study_id SET NOT NULL`,
      );
      for (const u of s.uniques ?? []) {
        const columns = /\(([^)]*)\)/.exec(u.to)?.[1];
        out.push(
          `ALTER TABLE ${s.table} DROP CONSTRAINT ${u.pgDrop}`,
          `ALTER TABLE ${s.table} ADD CONSTRAINT ${u.pgAdd} UNIQUE (${columns})`,
        );
      }
    }
    for (const a of AUDIT_SHAPES(t)) {
      out.push(
        `ALTER TABLE ${a.table} ADD COLUMN chain INTEGER NOT NULL DEFAULT ${EXISTING_CHAIN}`,
        `ALTER TABLE ${a.table} ALTER COLUMN chain DROP DEFAULT`,
        `ALTER TABLE ${a.table} DROP CONSTRAINT ${a.table}_pkey`,
        `ALTER TABLE ${a.table} ADD PRIMARY KEY (chain, ${a.key})`,
      );
    }
    return out;
  }
  const out = ['PRAGMA foreign_keys = OFF'];
  for (const s of shapes(t)) {
    out.push(...rebuild(s.table, perStudyDefs(s), columnsOf(s.defs), { column: 'study_id', fill: THE_STUDY }));
    out.push(...(s.indexes ?? []));
  }
  for (const a of AUDIT_SHAPES(t)) {
    out.push(...rebuild(a.table, chainDefs(a), columnsOf(a.defs), { column: 'chain', fill: EXISTING_CHAIN }));
    out.push(...(a.indexes ?? []));
  }
  out.push('PRAGMA foreign_keys = ON');
  return out;
}

/** Back to the 017 shapes: the columns go, the uniques are instance-wide again (fails if two studies collide). */
export function studyScopeDown(t: Ddl): string[] {
  if (t.dialect === 'postgres') {
    const out: string[] = [];
    for (const a of AUDIT_SHAPES(t).reverse()) {
      out.push(
        `ALTER TABLE ${a.table} DROP CONSTRAINT ${a.table}_pkey`,
        `ALTER TABLE ${a.table} DROP COLUMN chain`,
        `ALTER TABLE ${a.table} ADD PRIMARY KEY (${a.key})`,
      );
    }
    for (const s of shapes(t).reverse()) {
      for (const u of s.uniques ?? []) {
        const columns = /\(([^)]*)\)/.exec(u.to)?.[1]?.replace('study_id, ', '');
        out.push(
          `ALTER TABLE ${s.table} DROP CONSTRAINT ${u.pgAdd}`,
          `ALTER TABLE ${s.table} ADD CONSTRAINT ${u.pgDrop} UNIQUE (${columns})`,
        );
      }
      out.push(`ALTER TABLE ${s.table} DROP COLUMN study_id`);
    }
    return out;
  }
  const out = ['PRAGMA foreign_keys = OFF'];
  for (const a of AUDIT_SHAPES(t).reverse()) {
    out.push(...rebuild(a.table, a.defs, columnsOf(a.defs), null), ...(a.indexes ?? []));
  }
  for (const s of shapes(t).reverse()) {
    out.push(...rebuild(s.table, s.defs, columnsOf(s.defs), null), ...(s.indexes ?? []));
  }
  out.push('PRAGMA foreign_keys = ON');
  return out;
}

/** SQLite: the rebuilt tables' foreign keys still hold (TypeORM runs migrations with them off). */
export async function studyScopeCheck(runner: QueryRunner, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  const broken = await new Sql(runner, dialect).all('PRAGMA foreign_key_check');
  if (broken.length)
    throw new Error(
      `migration 018: ${broken.length} rows break a foreign key after the rebuild (first: ${JSON.stringify(broken[0])})`,
    );
}
