/**
 * The study's own acts: its allocation scheme (generated or imported in setup, frozen and
 * fingerprinted at activation), activation, and the study view. The protocol, the blinding
 * vocabulary and the study row live one layer down, in ProtocolService (modules/protocol); the
 * later status changes (lock, unblinding) in StudyLifecycleService.
 */
import { Injectable } from '@nestjs/common';
import {
  generateScheme,
  importList,
  listToCsv,
  schemeFingerprint,
  type Scheme,
} from '../../../../shared/engine/index.js';
import type { SignatureManifest, StudySignaturesView } from '../../../../shared/contract.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Actor, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { requireMove, transition } from '../../database/transition.js';
import { STUDY_LIFECYCLE } from '../../../../shared/lifecycle/study.js';
import type { Sql } from '../../database/sql.js';
import { asInputError } from '../protocol/input-error.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { SignatureService, type Signer } from '../signatures/signature.service.js';
import { SIGNATURE_MEANINGS } from '../../../../shared/signature-meanings.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { drawSecret, productionSeed } from './scheme-secrets.js';
import { SchemesRepository, type SchemeRecord } from '../protocol/schemes.repository.js';
import { toStudyView, type StudyView } from './study.views.js';
import { activationWarnings, requireOverride } from './activation-summary.js';
import type { GenerateSchemeDto } from './study.dto.js';
import { FIRST_STUDY_ID } from '../../database/study-scope.js';

/** The study a write for this actor goes to (the write transaction's rule: its study, else the first). */
const studyOf = (actor: Actor): number => actor.studyId ?? FIRST_STUDY_ID;

@Injectable()
export class StudyService {
  constructor(
    private readonly db: DatabaseService,
    private readonly protocol: ProtocolService,
    private readonly signatures: SignatureService,
  ) {}

  /**
   * The manifestations of the study's signed acts (activation, lock, the two end-of-study unblinding
   * signatures), in one query. Same for every reader: the meanings are fixed texts, never an arm.
   */
  async signatureManifests(viewer: Viewer): Promise<StudySignaturesView> {
    // The study's signed acts name it by code (record_id): another study's are not this one's.
    const rows = await this.db.read((sql) =>
      sql.all<Record<string, unknown>>(
        `SELECT record_type, printed_name, meaning, signed_at FROM signatures
       WHERE record_type IN ('study.activation', 'study.lock', 'study.unblinding') AND record_id = ? ORDER BY signed_at, id`,
        [viewer.studyCode],
      ),
    );
    const of = (type: string): SignatureManifest[] =>
      rows
        .filter((r) => r.record_type === type)
        .map((r) => ({
          printedName: String(r.printed_name),
          meaning: String(r.meaning),
          signedAt: String(r.signed_at),
        }));
    // Both unblinding signatures carry one transaction time: the co-signer is the one whose meaning says so.
    const unblinding = of('study.unblinding').sort(
      (a, b) =>
        Number(a.meaning === SIGNATURE_MEANINGS.unblindSecond) - Number(b.meaning === SIGNATURE_MEANINGS.unblindSecond),
    );
    return { activation: of('study.activation').at(-1) ?? null, lock: of('study.lock').at(-1) ?? null, unblinding };
  }

  async view(viewer: Viewer): Promise<StudyView> {
    const studyId = viewer.studyId!;
    const { study, scheme } = await this.db.read(async (sql) => ({
      study: await this.protocol.current(sql, studyId),
      scheme: await SchemesRepository.latest(sql, studyId),
    }));
    return toStudyView(study, this.protocol.protocol(studyId), viewer, scheme);
  }

  /** Site codes the study's lists cover: its protocol's sites, or every site registered. */
  async siteCodes(sql: Sql, studyId: number): Promise<string[]> {
    const fromProtocol = this.protocol.protocol(studyId).sites?.map((s) => s.code);
    if (fromProtocol?.length) return fromProtocol;
    return (await SitesRepository.list(sql)).map((s) => s.code);
  }

  /** A new draft from the server's random seed (with the person's phrase mixed in), salted. */
  async generate(actor: Actor, input: GenerateSchemeDto): Promise<SchemeRecord> {
    const studyId = studyOf(actor);
    // Generated before the write transaction: a long list must not hold the write lock.
    const draft = this.generated(studyId, input, await this.db.read((sql) => this.siteCodes(sql, studyId)));
    return this.storeDraft(actor, draft.scheme, draft.listLength, 'scheme.generated', draft.extra);
  }

  /** Generates and stores a draft inside the caller's transaction (the demo seeds everything in one). */
  async generateIn(tx: WriteTx, input: GenerateSchemeDto): Promise<SchemeRecord> {
    const draft = this.generated(tx.studyId, input, await this.siteCodes(tx.sql, tx.studyId));
    return this.storeDraftIn(tx, draft.scheme, draft.listLength, 'scheme.generated', draft.extra);
  }

  private generated(
    studyId: number,
    input: GenerateSchemeDto,
    siteCodes: string[],
  ): { scheme: Scheme; listLength: number; extra: Record<string, unknown> } {
    const { seed, phraseMixed } = productionSeed(input);
    let scheme: Scheme;
    try {
      scheme = generateScheme(this.protocol.protocol(studyId), {
        method: input.method,
        params: input.params ?? {},
        seed,
        salt: drawSecret(),
        siteCodes,
        listLength: input.listLength,
        live: input.live,
      });
    } catch (err) {
      throw asInputError(err);
    }
    const listLength = input.listLength ?? this.protocol.protocol(studyId).listLengthPerStratum;
    return { scheme, listLength, extra: { seedPhraseMixed: phraseMixed, listLength } };
  }

  async import(actor: Actor, csv: string): Promise<SchemeRecord> {
    const studyId = studyOf(actor);
    const siteCodes = await this.db.read((sql) => this.siteCodes(sql, studyId));
    let scheme: Scheme;
    try {
      // Salted like a generated list: a fingerprint over a plain list could be matched by guessing its arms.
      scheme = { ...importList(this.protocol.protocol(studyId), csv, { siteCodes }), salt: drawSecret() };
    } catch (err) {
      throw asInputError(err);
    }
    // No digest of the CSV itself is audited: it holds the arms, so its hash could be tested against guesses.
    return this.storeDraft(actor, scheme, null, 'scheme.imported', {});
  }

  private async storeDraft(
    actor: Actor,
    scheme: Scheme,
    listLength: number | null,
    action: string,
    extra: Record<string, unknown>,
  ): Promise<SchemeRecord> {
    return this.db.withWriteTransaction(actor, (tx) => this.storeDraftIn(tx, scheme, listLength, action, extra));
  }

  private async storeDraftIn(
    tx: WriteTx,
    scheme: Scheme,
    listLength: number | null,
    action: string,
    extra: Record<string, unknown>,
  ): Promise<SchemeRecord> {
    const fingerprint = schemeFingerprint(scheme);
    const study = await StudyRepository.findForUpdate(tx.sql, tx.studyId);
    if (study!.status !== 'setup')
      throw new DomainError(
        'SCHEME_LOCKED',
        `The scheme is frozen: the study is ${study!.status}. It can only change during set-up.`,
      );
    const record = await SchemesRepository.insertDraft(
      tx.sql,
      tx.studyId,
      scheme,
      listLength,
      fingerprint,
      tx.actor.username,
      tx.now,
    );
    const entries = scheme.strata.reduce((n, s) => n + s.entries.length, 0);
    tx.audit({
      action,
      entityType: 'scheme',
      entityId: record.id,
      details: {
        version: record.version,
        method: scheme.method,
        params: scheme.params,
        algorithm: scheme.algorithm,
        live: scheme.live,
        seedCommitment: scheme.seedCommitment ?? null,
        fingerprint,
        strata: scheme.strata.length,
        entries,
        ...extra,
      },
    });
    return record;
  }

  /** The scheme for the statistician: parameters, fingerprint, and the list (JSON or CSV). */
  async schemeDocument(studyId: number): Promise<{ record: SchemeRecord; document: Scheme; csv: string }> {
    return this.db.read(async (sql) => {
      const record = await SchemesRepository.latest(sql, studyId);
      if (!record) throw new DomainError('SCHEME_MISSING', 'No allocation scheme has been generated or imported yet.');
      const document = (await SchemesRepository.document(sql, studyId, record.id))!;
      return { record, document, csv: listToCsv(document) };
    });
  }

  /** setup → active: freezes the list and publishes its fingerprint. Signed. */
  async activate(
    viewer: Viewer,
    signature: { password: string; meaning?: string } | undefined,
    overrideReason?: string,
  ): Promise<StudyView> {
    // Checked before the password is asked for, so a missing reason never costs a signature attempt.
    const override = overrideReason?.trim() || null;
    await this.db.read(async (sql) => requireOverride(await activationWarnings(sql, viewer.studyId!), override));
    const signer = await this.signatures.authenticate(viewer, signature, 'activate');
    await this.db.withWriteTransaction(actorOf(viewer), (tx) => this.activateIn(tx, signer, override));
    return this.view(viewer);
  }

  /**
   * Activation inside a write transaction; `signer` is null only for the demo's system activation.
   * Warnings of the draft's latest rehearsal need an override reason (checked again here, under the lock).
   */
  async activateIn(tx: WriteTx, signer: Signer | null, override: string | null = null): Promise<void> {
    const study = (await StudyRepository.findForUpdate(tx.sql, tx.studyId))!;
    const subject = { id: study.code, status: study.status };
    requireMove(STUDY_LIFECYCLE, subject, 'activate', undefined, { message: `The study is already ${study.status}.` });
    const scheme = await SchemesRepository.latest(tx.sql, tx.studyId);
    if (!scheme || scheme.state !== 'draft')
      throw new DomainError('SCHEME_MISSING', 'Generate or import an allocation scheme before activating the study.');
    if (scheme.salt === null) {
      throw new DomainError(
        'SCHEME_LEGACY',
        'This draft was made before fingerprints were salted; its fingerprint could be tested against guesses. Generate or import the list again, then activate.',
      );
    }
    const warnings = signer ? await activationWarnings(tx.sql, tx.studyId) : [];
    requireOverride(warnings, override);
    const overridden = warnings.length ? { overrideReason: override, overriddenWarnings: warnings } : {};
    const signed = signer
      ? await this.signatures.record(tx, signer, {
          type: 'study.activation',
          id: study.code,
          content: { studyCode: study.code, schemeId: scheme.id, fingerprint: scheme.fingerprint, ...overridden },
        })
      : null;
    await SchemesRepository.setState(tx.sql, tx.studyId, scheme.id, 'active');
    await transition(tx, STUDY_LIFECYCLE, subject, 'activate', {
      write: (to) =>
        StudyRepository.setStatus(tx.sql, tx.studyId, to, tx.now, {
          activeSchemeId: scheme.id,
          listFingerprint: scheme.fingerprint,
        }),
      reason: signer ? (warnings.length ? override : null) : 'demo data: activated at first start',
      details: {
        ...overridden,
        listFingerprint: scheme.fingerprint,
        schemeVersion: scheme.version,
        method: scheme.method,
        signatureId: signed?.id ?? null,
        signature: signed,
      },
    });
  }
}
