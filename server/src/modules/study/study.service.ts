/**
 * The study: its protocol (loaded once from PROTOCOL_FILE into the database), its status
 * (setup → active → locked → unblinded, each change signed and audited), and its allocation scheme
 * (generated or imported in setup, frozen and fingerprinted at activation).
 */
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { EngineError, generateScheme, importList, listToCsv, schemeFingerprint, type Scheme } from '../../../../shared/engine/index.js';
import { formatProtocolError, parseProtocol, StratumDerivationError, type Protocol } from '../../../../shared/protocol/index.js';
import type { SignatureManifest, StudySignaturesView, StudyStatus } from '../../../../shared/contract.js';
import { blindingVocabulary, type BlindingVocabulary } from '../../common/blinding.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, SYSTEM_ACTOR, type Actor, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { isUniqueViolation, type Sql } from '../../database/sql.js';
import { sha256Hex } from '../audit/audit-chain.js';
import { SignatureService, type Signer } from '../signatures/signature.service.js';
import { SIGNATURE_MEANINGS } from '../../../../shared/signature-meanings.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { drawSecret, productionSeed } from './scheme-secrets.js';
import { SchemesRepository, type SchemeRecord } from './schemes.repository.js';
import { StudyRepository } from './study.repository.js';
import type { StudyRecord } from './study.record.js';
import { toStudyView, type StudyView } from './study.views.js';
import { activationWarnings, requireOverride } from './activation-summary.js';
import type { GenerateSchemeDto } from './study.dto.js';

/** Engine and protocol errors are the caller's input problems: 400 with the engine's sentence. */
export function asInputError(err: unknown): unknown {
  // Line-level problems (an imported list) travel as details.problems, so the console lists them by line.
  if (err instanceof EngineError) return new DomainError('VALIDATION_FAILED', err.message, err.problems.length ? { problems: err.problems } : undefined);
  if (err instanceof StratumDerivationError) return new DomainError('VALIDATION_FAILED', err.message);
  return err;
}

@Injectable()
export class StudyService implements OnApplicationBootstrap {
  private loaded: { protocol: Protocol; vocabulary: BlindingVocabulary } | null = null;

  constructor(private readonly db: DatabaseService, private readonly signatures: SignatureService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureLoaded();
  }

  /** Loads the protocol into the database on first start; afterwards the database's copy rules. */
  async ensureLoaded(): Promise<void> {
    if ((await this.db.read((sql) => StudyRepository.protocolYaml(sql))) === null) {
      const path = this.db.config.protocolFile;
      let yaml: string;
      try {
        yaml = readFileSync(path, 'utf8');
      } catch {
        throw new Error(`PROTOCOL_FILE: cannot read ${path}`);
      }
      const protocol = this.parse(yaml, path);
      try {
        await this.db.withWriteTransaction(SYSTEM_ACTOR, async (tx) => {
          const sha = sha256Hex(yaml);
          await StudyRepository.insert(tx.sql, { code: protocol.study.code, title: protocol.study.title, protocolYaml: yaml, protocolSha256: sha }, tx.now);
          tx.audit({ action: 'study.loaded', entityType: 'study', entityId: protocol.study.code, details: { protocolFile: path, protocolSha256: sha, status: 'setup' } });
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // another instance loaded it first
      }
    }
    const yaml = await this.db.read((sql) => StudyRepository.protocolYaml(sql));
    const protocol = this.parse(yaml!, 'stored protocol');
    this.loaded = { protocol, vocabulary: blindingVocabulary(protocol) };
  }

  private parse(yaml: string, source: string): Protocol {
    const result = parseProtocol(yaml, source);
    if (!result.ok) throw new Error(`the protocol file is not valid:\n${result.errors.map(formatProtocolError).join('\n')}`);
    return result.protocol;
  }

  protocol(): Protocol {
    if (!this.loaded) throw new Error('the study is not loaded yet');
    return this.loaded.protocol;
  }

  /** Null before the study is loaded (the interceptor then has nothing to protect). */
  vocabulary(): BlindingVocabulary | null {
    return this.loaded?.vocabulary ?? null;
  }

  async current(sql: Sql): Promise<StudyRecord> {
    const study = await StudyRepository.find(sql);
    if (!study) throw new Error('study row missing');
    return study;
  }

  /** Throws STUDY_NOT_ACTIVE unless the study is in one of the given statuses. */
  requireStatus(study: StudyRecord, allowed: StudyStatus[], action: string): void {
    if (!allowed.includes(study.status)) {
      throw new DomainError('STUDY_NOT_ACTIVE', `Cannot ${action}: the study is ${study.status} (needs ${allowed.join(' or ')}).`);
    }
  }

  /**
   * The manifestations of the study's signed acts (activation, lock, the two end-of-study unblinding
   * signatures), in one query. Same for every reader: the meanings are fixed texts, never an arm.
   */
  async signatureManifests(): Promise<StudySignaturesView> {
    const rows = await this.db.read((sql) => sql.all<Record<string, unknown>>(
      `SELECT record_type, printed_name, meaning, signed_at FROM signatures
       WHERE record_type IN ('study.activation', 'study.lock', 'study.unblinding') ORDER BY signed_at, id`, [],
    ));
    const of = (type: string): SignatureManifest[] => rows.filter((r) => r.record_type === type)
      .map((r) => ({ printedName: String(r.printed_name), meaning: String(r.meaning), signedAt: String(r.signed_at) }));
    // Both unblinding signatures carry one transaction time: the co-signer is the one whose meaning says so.
    const unblinding = of('study.unblinding').sort((a, b) => Number(a.meaning === SIGNATURE_MEANINGS.unblindSecond) - Number(b.meaning === SIGNATURE_MEANINGS.unblindSecond));
    return { activation: of('study.activation').at(-1) ?? null, lock: of('study.lock').at(-1) ?? null, unblinding };
  }

  async view(viewer: Viewer): Promise<StudyView> {
    const { study, scheme } = await this.db.read(async (sql) => ({ study: await this.current(sql), scheme: await SchemesRepository.latest(sql) }));
    return toStudyView(study, this.protocol(), viewer, scheme);
  }

  /** Site codes the lists cover: the protocol's sites, or every site registered. */
  async siteCodes(sql: Sql): Promise<string[]> {
    const fromProtocol = this.protocol().sites?.map((s) => s.code);
    if (fromProtocol?.length) return fromProtocol;
    return (await SitesRepository.list(sql)).map((s) => s.code);
  }

  /** A new draft from the server's random seed (with the person's phrase mixed in), salted. */
  async generate(actor: Actor, input: GenerateSchemeDto): Promise<SchemeRecord> {
    // Generated before the write transaction: a long list must not hold the write lock.
    const draft = this.generated(input, await this.db.read((sql) => this.siteCodes(sql)));
    return this.storeDraft(actor, draft.scheme, draft.listLength, 'scheme.generated', draft.extra);
  }

  /** Generates and stores a draft inside the caller's transaction (the demo seeds everything in one). */
  async generateIn(tx: WriteTx, input: GenerateSchemeDto): Promise<SchemeRecord> {
    const draft = this.generated(input, await this.siteCodes(tx.sql));
    return this.storeDraftIn(tx, draft.scheme, draft.listLength, 'scheme.generated', draft.extra);
  }

  private generated(input: GenerateSchemeDto, siteCodes: string[]): { scheme: Scheme; listLength: number; extra: Record<string, unknown> } {
    const { seed, phraseMixed } = productionSeed(input);
    let scheme: Scheme;
    try {
      scheme = generateScheme(this.protocol(), { method: input.method, params: input.params ?? {}, seed, salt: drawSecret(), siteCodes, listLength: input.listLength, live: input.live });
    } catch (err) {
      throw asInputError(err);
    }
    const listLength = input.listLength ?? this.protocol().listLengthPerStratum;
    return { scheme, listLength, extra: { seedPhraseMixed: phraseMixed, listLength } };
  }

  async import(actor: Actor, csv: string): Promise<SchemeRecord> {
    const siteCodes = await this.db.read((sql) => this.siteCodes(sql));
    let scheme: Scheme;
    try {
      // Salted like a generated list: a fingerprint over a plain list could be matched by guessing its arms.
      scheme = { ...importList(this.protocol(), csv, { siteCodes }), salt: drawSecret() };
    } catch (err) {
      throw asInputError(err);
    }
    // No digest of the CSV itself is audited: it holds the arms, so its hash could be tested against guesses.
    return this.storeDraft(actor, scheme, null, 'scheme.imported', {});
  }

  private async storeDraft(actor: Actor, scheme: Scheme, listLength: number | null, action: string, extra: Record<string, unknown>): Promise<SchemeRecord> {
    return this.db.withWriteTransaction(actor, (tx) => this.storeDraftIn(tx, scheme, listLength, action, extra));
  }

  private async storeDraftIn(tx: WriteTx, scheme: Scheme, listLength: number | null, action: string, extra: Record<string, unknown>): Promise<SchemeRecord> {
    const fingerprint = schemeFingerprint(scheme);
    const study = await StudyRepository.findForUpdate(tx.sql);
    if (study!.status !== 'setup') throw new DomainError('SCHEME_LOCKED', `The scheme is frozen: the study is ${study!.status}. It can only change during set-up.`);
    const record = await SchemesRepository.insertDraft(tx.sql, scheme, listLength, fingerprint, tx.actor.username, tx.now);
    const entries = scheme.strata.reduce((n, s) => n + s.entries.length, 0);
    tx.audit({
      action,
      entityType: 'scheme',
      entityId: record.id,
      details: { version: record.version, method: scheme.method, params: scheme.params, algorithm: scheme.algorithm, live: scheme.live, seedCommitment: scheme.seedCommitment ?? null, fingerprint, strata: scheme.strata.length, entries, ...extra },
    });
    return record;
  }

  /** The scheme for the statistician: parameters, fingerprint, and the list (JSON or CSV). */
  async schemeDocument(): Promise<{ record: SchemeRecord; document: Scheme; csv: string }> {
    return this.db.read(async (sql) => {
      const record = await SchemesRepository.latest(sql);
      if (!record) throw new DomainError('SCHEME_MISSING', 'No allocation scheme has been generated or imported yet.');
      const document = (await SchemesRepository.document(sql, record.id))!;
      return { record, document, csv: listToCsv(document) };
    });
  }

  /** setup → active: freezes the list and publishes its fingerprint. Signed. */
  async activate(viewer: Viewer, signature: { password: string; meaning?: string } | undefined, overrideReason?: string): Promise<StudyView> {
    // Checked before the password is asked for, so a missing reason never costs a signature attempt.
    const override = overrideReason?.trim() || null;
    await this.db.read(async (sql) => requireOverride(await activationWarnings(sql), override));
    const signer = await this.signatures.authenticate(viewer, signature, 'activate');
    await this.db.withWriteTransaction(actorOf(viewer), (tx) => this.activateIn(tx, signer, override));
    return this.view(viewer);
  }

  /**
   * Activation inside a write transaction; `signer` is null only for the demo's system activation.
   * Warnings of the draft's latest rehearsal need an override reason (checked again here, under the lock).
   */
  async activateIn(tx: WriteTx, signer: Signer | null, override: string | null = null): Promise<void> {
    const study = (await StudyRepository.findForUpdate(tx.sql))!;
    if (study.status !== 'setup') throw new DomainError('INVALID_TRANSITION', `The study is already ${study.status}.`);
    const scheme = await SchemesRepository.latest(tx.sql);
    if (!scheme || scheme.state !== 'draft') throw new DomainError('SCHEME_MISSING', 'Generate or import an allocation scheme before activating the study.');
    if (scheme.salt === null) {
      throw new DomainError('SCHEME_LEGACY', 'This draft was made before fingerprints were salted; its fingerprint could be tested against guesses. Generate or import the list again, then activate.');
    }
    const warnings = signer ? await activationWarnings(tx.sql) : [];
    requireOverride(warnings, override);
    const overridden = warnings.length ? { overrideReason: override, overriddenWarnings: warnings } : {};
    const signed = signer
      ? await this.signatures.record(tx, signer, { type: 'study.activation', id: study.code, content: { studyCode: study.code, schemeId: scheme.id, fingerprint: scheme.fingerprint, ...overridden } })
      : null;
    await SchemesRepository.setState(tx.sql, scheme.id, 'active');
    await StudyRepository.setStatus(tx.sql, 'active', tx.now, { activeSchemeId: scheme.id, listFingerprint: scheme.fingerprint });
    tx.audit({
      action: 'study.activated',
      entityType: 'study',
      entityId: study.code,
      reason: signer ? (warnings.length ? override : null) : 'demo data: activated at first start',
      details: { changes: { status: { old: 'setup', new: 'active' } }, ...overridden, listFingerprint: scheme.fingerprint, schemeVersion: scheme.version, method: scheme.method, signatureId: signed?.id ?? null, signature: signed },
    });
  }
}
