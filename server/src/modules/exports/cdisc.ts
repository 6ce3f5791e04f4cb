/**
 * The unblinded analysis export in CDISC style (one row per randomized subject, DM / ADSL
 * variables), readable from any SQL handle: the server's, or the CLI's offline one.
 *
 * Columns, in order:
 * - USUBJID  `<study code>-<site>-<screening number>`; SITEID; RANDNO (randomization number);
 *   RANDDT (date of randomization, ISO 8601 yyyy-mm-dd, UTC)
 * - ARMCD / ARM: planned arm code and label (in a crossover, the sequence)
 * - ACTARMCD / ACTARM: actual arm from the dispensations: the planned arm while every dispensed
 *   period gave that arm's product; another arm if the products given match that arm instead;
 *   `UNPLAN` / "Unplanned Treatment" if they match none; `NOTTRT` / "Not Treated" if nothing was
 *   dispensed (SDTM controlled terms)
 * - crossover only: TRTSEQP (planned sequence of products, e.g. MSC-PBO), TRT01P, TRT02P, … (planned
 *   product per period)
 * - one column per stratification factor, named by the factor id in capitals (e.g. COURSE, EDSS),
 *   holding the level code the patient was randomized in ("analyze as randomized")
 */
import { parseStratumKey, type Protocol } from '../../../../shared/protocol/index.js';
import { toCsv } from '../../common/csv.js';

type All = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const CDISC_BASE_COLUMNS = ['USUBJID', 'SITEID', 'RANDNO', 'RANDDT', 'ARMCD', 'ARM', 'ACTARMCD', 'ACTARM'] as const;

/** Per-period planned treatment columns of a crossover: TRTSEQP, TRT01P, TRT02P, … */
function crossoverColumns(protocol: Protocol): string[] {
  if (protocol.design !== 'crossover') return [];
  return ['TRTSEQP', ...protocol.periods.map((_, i) => `TRT${String(i + 1).padStart(2, '0')}P`)];
}

/** A stratification factor's column: its id in capitals, letters and digits only; kept clear of the standard columns. */
function strataColumns(protocol: Protocol): Array<{ factorId: string; column: string }> {
  const taken = new Set<string>([...CDISC_BASE_COLUMNS, ...crossoverColumns(protocol)]);
  return protocol.stratification.factors.map((f) => {
    let column = f.id.toUpperCase().replace(/[^A-Z0-9]/g, '') || 'STRAT';
    while (taken.has(column)) column = `${column}R`;
    taken.add(column);
    return { factorId: f.id, column };
  });
}

export function cdiscColumns(protocol: Protocol): string[] {
  return [...CDISC_BASE_COLUMNS, ...crossoverColumns(protocol), ...strataColumns(protocol).map((s) => s.column)];
}

/** The arm whose products, period by period, agree with what was dispensed (null: none does). */
function actualArm(
  protocol: Protocol,
  plannedCode: string,
  given: Map<number, string>,
): { code: string; label: string } {
  if (given.size === 0) return { code: 'NOTTRT', label: 'Not Treated' };
  const fits = (products: string[]) =>
    protocol.periods.every((p, i) => !given.has(p.number) || given.get(p.number) === products[i]);
  const planned = protocol.arms.find((a) => a.code === plannedCode);
  const match = planned && fits(planned.products) ? planned : protocol.arms.find((a) => fits(a.products));
  return match ? { code: match.code, label: match.label } : { code: 'UNPLAN', label: 'Unplanned Treatment' };
}

/** One row per randomized subject, in randomization order. */
async function readCdiscRows(
  all: All,
  studyId: number,
  protocol: Protocol,
  studyCode: string,
): Promise<Array<Record<string, string>>> {
  const allocations = await all(
    // Randomized offline with a downtime envelope: the date is when the envelope was opened (docs/DOWNTIME.md).
    `SELECT a.randomization_number, a.participant_id, a.stratum_key, a.arm_code, COALESCE(e.opened_at, a.randomized_at) AS randomized_at, p.site_code, p.screening_number
     FROM allocations a JOIN participants p ON p.id = a.participant_id LEFT JOIN envelopes e ON e.allocation_id = a.id WHERE a.study_id = ? ORDER BY a.randomization_number`,
    [studyId],
  );
  const dispensed = new Map<string, Map<number, string>>();
  for (const d of await all('SELECT participant_id, period, product_code FROM dispensations WHERE study_id = ?', [
    studyId,
  ])) {
    const key = String(d.participant_id);
    if (!dispensed.has(key)) dispensed.set(key, new Map());
    dispensed.get(key)!.set(Number(d.period), String(d.product_code));
  }
  const strata = strataColumns(protocol);
  const periodColumns = crossoverColumns(protocol);
  return allocations.map((a) => {
    const arm = protocol.arms.find((x) => x.code === String(a.arm_code));
    const actual = actualArm(protocol, String(a.arm_code), dispensed.get(String(a.participant_id)) ?? new Map());
    const levels = parseStratumKey(String(a.stratum_key));
    const row: Record<string, string> = {
      USUBJID: `${studyCode}-${a.site_code}-${a.screening_number}`,
      SITEID: String(a.site_code),
      RANDNO: String(a.randomization_number),
      RANDDT: String(a.randomized_at).slice(0, 10),
      ARMCD: String(a.arm_code),
      ARM: arm?.label ?? String(a.arm_code),
      ACTARMCD: actual.code,
      ACTARM: actual.label,
    };
    if (periodColumns.length) {
      const products = arm?.products ?? [];
      row.TRTSEQP = products.join('-');
      protocol.periods.forEach((_, i) => (row[periodColumns[i + 1]] = products[i] ?? ''));
    }
    for (const s of strata) row[s.column] = levels[s.factorId] ?? '';
    return row;
  });
}

/** One study's export as CSV with exactly `cdiscColumns(protocol)`. */
export async function cdiscCsv(all: All, studyId: number, protocol: Protocol, studyCode: string): Promise<string> {
  return toCsv(await readCdiscRows(all, studyId, protocol, studyCode), cdiscColumns(protocol));
}
