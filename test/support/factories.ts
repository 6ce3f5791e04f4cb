/** Test data factories for the demo protocol (protocols/msct-ms.yaml); no shared mutable fixtures. */
import fs, { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseProtocolOrThrow, type Protocol } from '../../shared/protocol/index.js';
import { DEMO_PASSWORD, type Api } from './test-app.js';

/**
 * The demo protocol, parsed (YAML, then the ajv schema compiled and checked: a quarter of a second of CPU) once
 * per Jest worker instead of once per test file (issue 14). Jest gives each file its own module registry but the
 * same Node built-ins, so the parsed form is kept on the fs module object, as JSON text keyed by the file's text:
 * each call returns a new object of the calling file's own realm, equal to a fresh parse. Kept only when the JSON
 * round trip is exact (no undefined members, dates or non-finite numbers), else every call parses.
 */
const PARSED = Symbol.for('blindrand.test.demoProtocol');
const holder = fs as unknown as { [PARSED]?: { yaml: string; json: string } };

export function demoProtocol(): Protocol {
  const yaml = readFileSync(join(process.cwd(), 'protocols', 'msct-ms.yaml'), 'utf8');
  const cached = holder[PARSED];
  if (cached?.yaml === yaml) return JSON.parse(cached.json) as Protocol;
  const protocol = parseProtocolOrThrow(yaml);
  const json = JSON.stringify(protocol);
  if (isDeepStrictEqual(JSON.parse(json), protocol)) holder[PARSED] = { yaml, json };
  return protocol;
}

export type Course = 'RRMS' | 'SPMS' | 'PPMS';

/** Screening answers that pass every criterion for the given course and EDSS. */
export function eligibleAnswers(course: Course = 'RRMS', edss = 4.5) {
  const factors = { course, edss };
  const eligibility: Record<string, unknown> = {
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
  };
  return { factors, eligibility };
}

let serial = 0;

/** Registers a patient (eligible unless overridden) and returns its id. */
export async function newParticipant(
  api: Api,
  token: string,
  options: { site?: string; course?: Course; edss?: number; eligibility?: Record<string, unknown> } = {},
): Promise<string> {
  const site = options.site ?? 'A';
  const answers = eligibleAnswers(options.course, options.edss);
  const res = await api.post(
    '/api/participants',
    {
      siteCode: site,
      screeningNumber: `${site}-${process.pid}-${++serial}`,
      factors: answers.factors,
      eligibility: { ...answers.eligibility, ...(options.eligibility ?? {}) },
    },
    token,
  );
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return res.body.id;
}

export function randomize(api: Api, token: string, participantId: string, key: string, password = DEMO_PASSWORD) {
  return api.post(`/api/participants/${participantId}/randomize`, { signature: { password } }, token, {
    'idempotency-key': key,
  });
}

/** Runs `tasks` with at most `limit` in flight (a pool of concurrent clients). */
export async function pool<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

/** Every arm code, arm label, product code and product label of the protocol: what a blinded role must never see. */
export function blindedVocabulary(protocol: Protocol): string[] {
  return [...protocol.arms.flatMap((a) => [a.code, a.label]), ...protocol.products.flatMap((p) => [p.code, p.label])];
}

/** Hits of arm field names and arm/product values in a response text (whole tokens). */
export function leakHits(text: string, vocabulary: string[]): string[] {
  const hits: string[] = [];
  for (const field of [
    'arm',
    'armCode',
    'armLabel',
    'sequence',
    'product',
    'productCode',
    'productLabel',
    'products',
    'arms',
  ]) {
    if (text.includes(`"${field}":`)) hits.push(`field ${field}`);
  }
  for (const v of vocabulary) {
    const escaped = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).test(text)) hits.push(`value ${v}`);
  }
  return hits;
}
