/**
 * Creating a study (issue 16 Build 2; docs/MULTI-STUDY.md decision 7): one signed act with two signatures —
 * the calling instance admin's and the co-signature of the person who becomes the study's trial statistician,
 * typed on the same screen. The protocol file is validated first (nothing is written for a bad one); the study
 * starts in `setup` with its own audit chain, whose first entry is its creation; the statistician is its only
 * member. The admin who creates it holds no role in it (they administer the instance, not the trial).
 */
import { Injectable } from '@nestjs/common';
import type { CreatedStudyView } from '../../../../shared/contract.js';
import { formatProtocolError, parseProtocol } from '../../../../shared/protocol/index.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { SignatureService } from '../signatures/signature.service.js';
import type { CreateStudyDto } from './studies.dto.js';

/** Codes differing only in case would be two studies a person cannot tell apart in a link. */
async function codeTaken(sql: Sql, code: string): Promise<boolean> {
  // "instance" names the instance's own chain (genesis SHA-256("blindrand chain instance")): never a study's.
  if (code.toLowerCase() === 'instance') return true;
  return (await StudyRepository.list(sql)).some((s) => s.code.toLowerCase() === code.toLowerCase());
}

const codeInUse = (code: string) =>
  new DomainError('CONFLICT', `A study with the code "${code}" already exists in this instance; nothing was created.`);

@Injectable()
export class StudyCreationService {
  constructor(
    private readonly db: DatabaseService,
    private readonly signatures: SignatureService,
    private readonly protocols: ProtocolService,
  ) {}

  async create(viewer: Viewer, input: CreateStudyDto): Promise<CreatedStudyView> {
    const parsed = parseProtocol(input.protocolYaml, 'protocolYaml');
    if (!parsed.ok)
      throw new DomainError(
        'PROTOCOL_INVALID',
        `The protocol file is not valid; nothing was created. ${parsed.errors.map(formatProtocolError).join('; ')}`,
        { errors: parsed.errors },
      );
    const { code, title } = parsed.protocol.study;
    // Refused before any password is checked or code spent.
    if (await this.db.read((sql) => codeTaken(sql, code))) throw codeInUse(code);
    if (input.secondSignature.username === viewer.username)
      throw new DomainError(
        'FORBIDDEN',
        "A study is created by two people: the second signature must be the new study's trial statistician, not you.",
      );
    const admin = await this.signatures.authenticate(viewer, input.signature, 'createStudy');
    // Unknown name, an instance admin, or a wrong password: one answer (authenticateCoSigner). The statistician
    // signs as what they become, so their second factor is required whatever their role elsewhere.
    const statistician = await this.signatures.authenticateCoSigner(
      input.secondSignature,
      'createStudySecond',
      (role) => role !== 'admin',
      'statistician',
    );
    const id = await this.db.read((sql) => StudyRepository.nextId(sql));
    const protocolSha256 = sha256Hex(input.protocolYaml);
    const signatureIds = await this.db.withWriteTransaction(
      actorOf(viewer),
      async (tx) => {
        // Another creation committed since the read above: its id (and chain) or this code is taken.
        if ((await StudyRepository.nextId(tx.sql)) !== id)
          throw new DomainError('CONFLICT', 'Another study was created at the same moment; send the request again.');
        if (await codeTaken(tx.sql, code)) throw codeInUse(code);
        await StudyRepository.insert(
          tx.sql,
          { id, code, title, protocolYaml: input.protocolYaml, protocolSha256 },
          tx.now,
        );
        const content = { studyCode: code, protocolSha256 };
        const signed = [
          await this.signatures.record(tx, admin, { type: 'study.creation', id: code, content }),
          await this.signatures.record(tx, statistician, { type: 'study.creation', id: code, content }),
        ];
        await StudyRolesRepository.set(tx.sql, id, statistician.userId, 'statistician', [], viewer.username, tx.now);
        tx.audit({
          action: 'study.created',
          entityType: 'study',
          entityId: code,
          details: {
            studyId: id,
            title,
            protocolSha256,
            status: 'setup',
            createdBy: viewer.username,
            statistician: statistician.username,
            signatureIds: signed.map((s) => s.id),
            signatures: signed,
          },
        });
        tx.audit({
          action: 'study.member_granted',
          entityType: 'user',
          entityId: statistician.userId,
          details: { username: statistician.username, role: 'statistician', siteCodes: [], withStudyCreation: true },
        });
        return signed.map((s) => s.id);
      },
      // The new study's chain: it starts at SHA-256("blindrand chain " + code) with this creation.
      { studyId: id, newStudyCode: code },
    );
    await this.protocols.load(id);
    return {
      code,
      title,
      status: 'setup',
      role: null,
      siteCodes: [],
      statistician: statistician.username,
      signatureIds,
    };
  }
}
