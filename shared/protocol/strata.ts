/**
 * Strata: the cross product of the protocol's stratification factors (and the site when
 * `bySite`). A stratum key is canonical — factors in protocol order, then `site` — e.g.
 * `course=RRMS|edss=LE5|site=A`, so the same patient always lands in the same stratum.
 */
import { applyTest, questionById, readAnswer } from './answers.js';
import type { Protocol } from './types.js';

/** Key of the only stratum of an unstratified design. */
const UNSTRATIFIED_KEY = 'all';

export interface Stratum {
  key: string;
  levels: Record<string, string>;
}

/** A screening answer needed for the stratum is missing or fits no level. Code for the HTTP layer. */
export class StratumDerivationError extends Error {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'StratumDerivationError';
  }
}

/** Factor ids in key order: the protocol's factors, then `site` when stratifying by site. */
export function stratumFactorIds(protocol: Protocol): string[] {
  const ids = protocol.stratification.factors.map((f) => f.id);
  return protocol.stratification.bySite ? [...ids, 'site'] : ids;
}

/** The canonical key of a set of levels (levels must hold every factor of the protocol). */
function stratumKey(protocol: Protocol, levels: Record<string, string>): string {
  const ids = stratumFactorIds(protocol);
  return ids.length === 0 ? UNSTRATIFIED_KEY : ids.map((id) => `${id}=${levels[id]}`).join('|');
}

/** Parse `a=x|b=y` back into levels (the inverse of stratumKey). */
export function parseStratumKey(key: string): Record<string, string> {
  if (key === UNSTRATIFIED_KEY) return {};
  const levels: Record<string, string> = {};
  for (const part of key.split('|')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`malformed stratum key "${key}"; expected factor=level joined by "|"`);
    levels[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return levels;
}

/**
 * The stratum of a patient from the screening answers and the enrolling site.
 * @throws StratumDerivationError naming the question whose answer is missing or fits no level
 */
export function deriveStratum(protocol: Protocol, answers: Record<string, unknown>, siteCode: string): Stratum {
  const levels: Record<string, string> = {};
  for (const factor of protocol.stratification.factors) {
    const q = questionById(protocol, factor.question);
    const a = readAnswer(q, answers);
    if (!a.ok)
      throw new StratumDerivationError(`cannot derive stratification factor "${factor.label}": ${a.reason}`, q.id);
    const level = factor.levels.find((l) => applyTest(l.when, a.value, q).pass);
    if (!level) {
      throw new StratumDerivationError(
        `answer ${JSON.stringify(a.value)} to "${q.id}" fits no level of stratification factor "${factor.label}" (levels: ${factor.levels.map((l) => l.code).join(', ')})`,
        q.id,
      );
    }
    levels[factor.id] = level.code;
  }
  if (protocol.stratification.bySite) {
    if (typeof siteCode !== 'string' || siteCode === '')
      throw new StratumDerivationError('cannot derive the stratum: no site code given', 'site');
    if (protocol.sites && !protocol.sites.some((s) => s.code === siteCode)) {
      throw new StratumDerivationError(
        `unknown site "${siteCode}"; the protocol lists ${protocol.sites.map((s) => s.code).join(', ')}`,
        'site',
      );
    }
    levels.site = siteCode;
  }
  return { key: stratumKey(protocol, levels), levels };
}

/**
 * Every stratum of the protocol for the given sites, in a fixed order (factor levels in
 * protocol order, site codes as given). Sites are ignored unless the protocol stratifies by site.
 */
export function allStrata(protocol: Protocol, siteCodes: string[]): Stratum[] {
  const axes: Array<{ id: string; codes: string[] }> = protocol.stratification.factors.map((f) => ({
    id: f.id,
    codes: f.levels.map((l) => l.code),
  }));
  if (protocol.stratification.bySite) {
    const sites = siteCodes.length > 0 ? siteCodes : (protocol.sites ?? []).map((s) => s.code);
    if (sites.length === 0)
      throw new StratumDerivationError('the protocol stratifies by site but no site codes were given', 'site');
    axes.push({ id: 'site', codes: [...new Set(sites)] });
  }
  let combos: Array<Record<string, string>> = [{}];
  for (const axis of axes) combos = combos.flatMap((c) => axis.codes.map((code) => ({ ...c, [axis.id]: code })));
  return combos.map((levels) => ({ key: stratumKey(protocol, levels), levels }));
}
