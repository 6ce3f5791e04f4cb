/** Test helpers: repository paths and the demo protocols, parsed fresh for each caller. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseProtocolOrThrow } from '../../shared/protocol/index.js';
import type { Protocol } from '../../shared/protocol/index.js';

/** Absolute path of a repository file; tests run from dist/test/unit, three levels below the root. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/** The crossover demo trial (sites A and B, strata course × EDSS band × site). */
export function msctProtocol(): Protocol {
  return parseProtocolOrThrow(readRepoFile('protocols/msct-ms.yaml'), 'msct-ms.yaml');
}

/** The 2:1 parallel demo trial (unstratified). */
export function parallelProtocol(): Protocol {
  return parseProtocolOrThrow(readRepoFile('protocols/parallel-2to1.yaml'), 'parallel-2to1.yaml');
}

/** Screening answers of an eligible RRMS patient; override fields per test. */
export function eligibleRrms(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    course: 'RRMS',
    age: 35,
    disease_duration: 5,
    edss: 4.0,
    failed_therapy_1y: true,
    relapses_12m: 1,
    relapses_24m: 1,
    gel_12m: 0,
    new_t2_12m: false,
    active_infection: false,
    immunosuppressants_3m: false,
    ...overrides,
  };
}
