/** The signed records of this module, rebuilt from storage for signature verification (see signatures/signed-records.ts). */
import { byIdIn, type ContentLoader } from '../signatures/signed-records.js';
import { reservationContent, toEnvelopeRecord, voidContent } from './envelope.record.js';

export const ENVELOPE_SIGNED_RECORDS: Record<string, ContentLoader> = {
  'envelope.reservation': async (sql, id, studyId) => {
    const { where, params } = byIdIn(studyId, 'e');
    const e = await sql.one(`SELECT e.*, 0 AS position FROM envelopes e WHERE ${where}`, params(id), toEnvelopeRecord);
    return e && reservationContent(e);
  },
  'envelope.void': async (sql, id, studyId) => {
    const { where, params } = byIdIn(studyId, 'e');
    const e = await sql.one(`SELECT e.*, 0 AS position FROM envelopes e WHERE ${where}`, params(id), toEnvelopeRecord);
    return e && e.status === 'voided'
      ? voidContent({ id: e.id, number: e.number, reason: e.voidReason ?? '', voidedBy: e.voidedBy ?? '' })
      : null;
  },
};
