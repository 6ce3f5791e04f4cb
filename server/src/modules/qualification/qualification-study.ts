/**
 * What the operational checks know about their qualification protocol (the bundled demo trial): a
 * screening that passes every criterion, the demo users, and what a blinded role must never read
 * (every arm and product code and label, and the unblinded field names) — the same oracle as the
 * blinding tests (test/support/factories.ts).
 */
import { readFileSync } from 'node:fs';
import { parseProtocolOrThrow, type Protocol } from '../../../../shared/protocol/index.js';

export const QUALIFICATION_USERS = [
  'admin',
  'investigator1',
  'investigator2',
  'pharmacist',
  'monitor',
  'statistician',
  'statistician2',
  'randstat',
  'auditor',
] as const;

export function loadProtocol(file: string): Protocol {
  return parseProtocolOrThrow(readFileSync(file, 'utf8'));
}

/** Screening answers that pass every criterion of the demo protocol. */
export function eligibleScreening(
  siteCode: string,
  screeningNumber: string,
  course: 'RRMS' | 'SPMS' | 'PPMS',
  edss: number,
) {
  return {
    siteCode,
    screeningNumber,
    factors: { course, edss },
    eligibility: {
      age: 35,
      disease_duration: 5,
      failed_therapy_1y: true,
      relapses_12m: 1,
      relapses_24m: 2,
      gel_12m: 1,
      new_t2_12m: true,
      edss_increase_12m: 1.0,
      csf_ocb: true,
      active_infection: false,
      immunosuppressants_3m: false,
    },
  };
}

export function blindedVocabulary(protocol: Protocol): string[] {
  return [...protocol.arms.flatMap((a) => [a.code, a.label]), ...protocol.products.flatMap((p) => [p.code, p.label])];
}

const ARM_FIELDS = [
  'arm',
  'armCode',
  'armLabel',
  'sequence',
  'product',
  'productCode',
  'productLabel',
  'products',
  'arms',
];

/** Arm field names and arm/product values (whole tokens) found in a response text. */
export function leakHits(text: string, vocabulary: string[]): string[] {
  const hits: string[] = [];
  for (const field of ARM_FIELDS) if (text.includes(`"${field}":`)) hits.push(`field ${field}`);
  for (const v of vocabulary) {
    const escaped = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).test(text)) hits.push(`value ${v}`);
  }
  return hits;
}

/** Parses CSV with quoted cells (RFC 4180: quotes, doubled quotes, commas and line breaks in cells). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}
