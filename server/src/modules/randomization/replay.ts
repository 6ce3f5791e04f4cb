/**
 * Replay: re-derives every allocation from the scheme and its seed (ICH E9 reproducibility).
 * A generated list is regenerated from seed + parameters and must equal the stored list and its
 * fingerprint; each list allocation must use its stratum's entries in order; each dynamic
 * decision must follow from its record. Shared by the CLI (`replay --db`) and the tests.
 */
import { generateScheme, replayDynamic, schemeFingerprint, type Scheme } from '../../../../shared/engine/index.js';
import type { Protocol } from '../../../../shared/protocol/index.js';

export interface ReplayAllocation {
  randomizationNumber: number;
  stratumKey: string;
  armCode: string;
  treatmentCode: string;
  listPosition: number | null;
  covariates: Record<string, string>;
  dynamicRecord: unknown;
  /** Randomized with a downtime envelope: its channel (site and stratum) and place in it (docs/DOWNTIME.md). */
  envelope?: { channel: string; ordinal: number } | null;
}

export interface ReplayReport {
  allocations: number;
  listRegenerated: boolean | null;
  fingerprintMatches: boolean;
  mismatches: Array<{ randomizationNumber: number | null; problem: string }>;
}

/** `salt` null: a scheme stored before salting, whose fingerprint is the legacy unsalted hash. */
/**
 * `envelopesFrom`: per stratum, the first list position owned by a downtime envelope. The online
 * allocations use the positions before it in order; envelope allocations use positions from it on,
 * each channel's envelopes in increasing order.
 */
export function replayAllocations(
  protocol: Protocol,
  document: Scheme,
  storedFingerprint: string,
  seed: string | null,
  listLength: number | null,
  allocations: ReplayAllocation[],
  siteCodes: string[],
  salt: string | null = null,
  envelopesFrom: Record<string, number> = {},
): ReplayReport {
  const mismatches: ReplayReport['mismatches'] = [];
  const stored: Scheme = { ...document, salt: salt ?? undefined };
  const fingerprintMatches = schemeFingerprint(stored) === storedFingerprint;
  if (!fingerprintMatches)
    mismatches.push({
      randomizationNumber: null,
      problem: 'the stored scheme no longer matches its published fingerprint',
    });
  let listRegenerated: boolean | null = null;
  if (seed && stored.algorithm !== 'imported') {
    const regenerated = generateScheme(protocol, {
      method: stored.method,
      params: stored.params as Record<string, unknown>,
      seed,
      salt: salt ?? undefined,
      siteCodes,
      listLength: listLength ?? undefined,
      live: stored.live,
    });
    listRegenerated = schemeFingerprint(regenerated) === storedFingerprint;
    if (!listRegenerated)
      mismatches.push({
        randomizationNumber: null,
        problem: 'the list regenerated from the seed and parameters differs from the stored list',
      });
  }
  if (stored.live) {
    const scheme = { ...stored, seed: seed ?? undefined };
    const decisions = allocations.map((a) => ({
      patient: { stratumKey: a.stratumKey, covariates: a.covariates },
      armCode: a.armCode,
      treatmentCode: a.treatmentCode,
      record: a.dynamicRecord as never,
    }));
    for (const m of replayDynamic(scheme, decisions)) {
      mismatches.push({
        randomizationNumber: allocations[m.index].randomizationNumber,
        problem: `dynamic decision does not replay (expected ${m.expected}, recorded ${m.actual})`,
      });
    }
  } else {
    const used = new Map<string, number>();
    const lastOrdinal = new Map<string, number>();
    for (const a of allocations) {
      if (a.envelope) {
        const entry = stored.strata.find((s) => s.key === a.stratumKey)?.entries[(a.listPosition ?? 0) - 1];
        const from = envelopesFrom[a.stratumKey];
        if (from === undefined || a.listPosition === null || a.listPosition < from)
          mismatches.push({
            randomizationNumber: a.randomizationNumber,
            problem: `envelope allocation at list position ${a.listPosition} of ${a.stratumKey}, outside the envelopes' part`,
          });
        if (a.envelope.ordinal <= (lastOrdinal.get(a.envelope.channel) ?? 0))
          mismatches.push({
            randomizationNumber: a.randomizationNumber,
            problem: `envelope ${a.envelope.ordinal} of ${a.envelope.channel} used after a later one`,
          });
        lastOrdinal.set(a.envelope.channel, a.envelope.ordinal);
        if (!entry || entry.armCode !== a.armCode || entry.treatmentCode !== a.treatmentCode) {
          mismatches.push({
            randomizationNumber: a.randomizationNumber,
            problem: `allocation differs from list entry ${a.listPosition} of ${a.stratumKey}`,
          });
        }
        continue;
      }
      const expectedPosition = (used.get(a.stratumKey) ?? 0) + 1;
      used.set(a.stratumKey, expectedPosition);
      const entry = stored.strata.find((s) => s.key === a.stratumKey)?.entries[expectedPosition - 1];
      if (envelopesFrom[a.stratumKey] !== undefined && expectedPosition >= envelopesFrom[a.stratumKey])
        mismatches.push({
          randomizationNumber: a.randomizationNumber,
          problem: `online allocation reached the envelopes' part of ${a.stratumKey}`,
        });
      if (a.listPosition !== expectedPosition)
        mismatches.push({
          randomizationNumber: a.randomizationNumber,
          problem: `used list position ${a.listPosition} of ${a.stratumKey}, expected ${expectedPosition}`,
        });
      if (!entry || entry.armCode !== a.armCode || entry.treatmentCode !== a.treatmentCode) {
        mismatches.push({
          randomizationNumber: a.randomizationNumber,
          problem: `allocation differs from list entry ${expectedPosition} of ${a.stratumKey}`,
        });
      }
    }
  }
  return { allocations: allocations.length, listRegenerated, fingerprintMatches, mismatches };
}
