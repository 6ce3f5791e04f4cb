/**
 * Screening answers for the UAT scripts, found from the protocol itself: answers that land in a
 * given stratum, that pass every eligibility rule, or that fail exactly one. Every answer set is
 * checked with the engine's own evaluator (shared/protocol), so the scripts' expected results are
 * what the software computes, not a second reading of the protocol.
 *
 * The search is a hill climb over a few candidate values per question (the protocol's own bounds,
 * one step either side, midpoints), changing one answer at a time and preferring the smallest
 * change: failing cases come out as boundary cases (age 17 against "18 to 50").
 */
import { applyTest, evaluateEligibility, readAnswer } from '../../../shared/protocol/index.js';
import type { AnswerTest, Criterion, Protocol, Question, Stratum } from '../../../shared/protocol/index.js';

export type Answers = Record<string, boolean | number | string>;

/** Every answer test in the protocol that reads question `id` (criteria, conditions, strata levels). */
function testsOn(protocol: Protocol, id: string): AnswerTest[] {
  const found: AnswerTest[] = [];
  const walk = (c: Criterion) => {
    if (c.appliesWhen?.question === id) found.push(c.appliesWhen);
    if ('question' in c && c.question === id) found.push(c);
    for (const child of ('allOf' in c && c.allOf) || ('anyOf' in c && c.anyOf) || []) walk(child);
  };
  protocol.eligibility.forEach(walk);
  for (const f of protocol.stratification.factors) if (f.question === id) found.push(...f.levels.map((l) => l.when));
  return found;
}

// Decimal answers in half steps, as EDSS is scored.
const round = (q: Question, v: number) => (q.type === 'integer' ? Math.round(v) : Math.round(v * 2) / 2);

/** Candidate values of a question, interior values first (the hill climb keeps the first of equals). */
function candidates(protocol: Protocol, q: Question): Array<boolean | number | string> {
  if (q.type === 'boolean') return [false, true];
  if (q.type === 'choice') return [...(q.options ?? [])];
  const step = q.type === 'integer' ? 1 : 0.5;
  const bounds = new Set<number>();
  for (const t of testsOn(protocol, q.id)) {
    for (const v of [
      t.min,
      t.max,
      typeof t.equals === 'number' ? t.equals : undefined,
      ...(t.in ?? []).filter((x): x is number => typeof x === 'number'),
    ]) {
      if (v !== undefined) [v - step, v, v + step].forEach((x) => bounds.add(round(q, x)));
    }
  }
  if (q.min !== undefined) bounds.add(q.min);
  if (q.max !== undefined) bounds.add(q.max);
  if (!bounds.size) bounds.add(0);
  const sorted = [...bounds]
    .filter((v) => (q.min === undefined || v >= q.min) && (q.max === undefined || v <= q.max))
    .sort((a, b) => a - b);
  const mids = sorted
    .slice(1)
    .map((v, i) => round(q, (v + sorted[i]) / 2))
    .filter((v) => !bounds.has(v));
  return [...new Set([...mids, ...sorted])];
}

/** Whether one criterion, alone, passes (its own appliesWhen included). */
export function rulePasses(protocol: Protocol, rule: Criterion, answers: Answers): boolean {
  return evaluateEligibility({ ...protocol, eligibility: [rule] }, answers).eligible;
}

/** Whether a criterion's appliesWhen holds (a criterion without one always applies). */
function ruleApplies(protocol: Protocol, rule: Criterion, answers: Answers): boolean {
  if (!rule.appliesWhen) return true;
  const q = protocol.questions.find((x) => x.id === rule.appliesWhen!.question)!;
  const a = readAnswer(q, answers);
  return a.ok && applyTest(rule.appliesWhen, a.value, q).pass;
}

/** Leaves of a criterion's tree whose test holds / fails, to guide the climb inside any/all groups. */
function leafCount(protocol: Protocol, rule: Criterion, answers: Answers, wantPass: boolean): number {
  if ('allOf' in rule && rule.allOf)
    return rule.allOf.reduce((n, c) => n + leafCount(protocol, c, answers, wantPass), 0);
  if ('anyOf' in rule && rule.anyOf)
    return rule.anyOf.reduce((n, c) => n + leafCount(protocol, c, answers, wantPass), 0);
  const { appliesWhen: _ignored, ...leaf } = rule;
  return rulePasses(protocol, leaf as Criterion, answers) === wantPass ? 1 : 0;
}

/** How far answers are from a stratum (or, without one, from any): factor levels that differ or fit none. */
function stratumDistance(protocol: Protocol, stratum: Stratum | undefined, answers: Answers): number {
  let d = 0;
  for (const f of protocol.stratification.factors) {
    const q = protocol.questions.find((x) => x.id === f.question)!;
    const a = readAnswer(q, answers);
    const level = a.ok ? f.levels.find((l) => applyTest(l.when, a.value, q).pass) : undefined;
    if (!level || (stratum && level.code !== stratum.levels[f.id])) d += 1;
  }
  return d;
}

export interface Goal {
  stratum?: Stratum;
  /** Rules that must pass. */
  pass?: Criterion[];
  /** Conditional rules that must apply (a rule for RRMS is tested on an RRMS patient). */
  applies?: Criterion[];
  /** Rules that must fail while applying. */
  fail?: Criterion[];
}

/** Penalty of answers against a goal: 0 when the goal holds. */
function penalty(protocol: Protocol, goal: Goal, answers: Answers): number {
  // Every answer set must derive a stratum, or registering it would fail for another reason.
  let p = 100 * stratumDistance(protocol, goal.stratum, answers);
  for (const rule of goal.pass ?? []) {
    if (!rulePasses(protocol, rule, answers)) p += 10 + leafCount(protocol, rule, answers, false);
  }
  for (const rule of goal.applies ?? []) if (!ruleApplies(protocol, rule, answers)) p += 50;
  for (const rule of goal.fail ?? []) {
    if (!ruleApplies(protocol, rule, answers)) p += 50;
    else if (rulePasses(protocol, rule, answers)) p += 10 + leafCount(protocol, rule, answers, true);
  }
  return p;
}

/**
 * A plausible starting point: the middle of a range an unconditional rule sets (age 34 for 18–50),
 * the question's minimum otherwise (0 relapses), "no" to yes/no questions, the first option.
 */
function startingAnswers(protocol: Protocol): Answers {
  const answers: Answers = {};
  for (const q of protocol.questions) {
    if (q.type === 'boolean') answers[q.id] = false;
    else if (q.type === 'choice') answers[q.id] = q.options?.[0] ?? '';
    else {
      const range = protocol.eligibility.find(
        (c): c is Criterion & AnswerTest & { question: string } =>
          'question' in c && c.question === q.id && !c.appliesWhen && c.min !== undefined && c.max !== undefined,
      );
      answers[q.id] = range ? round(q, (range.min! + range.max!) / 2) : (q.min ?? 0);
    }
  }
  return answers;
}

/**
 * Answers meeting the goal, changing as few answers of `from` as it can; null when none is found
 * (the script then says so: a stratum or rule no patient can reach is a finding in itself).
 */
export function solve(protocol: Protocol, goal: Goal, from: Answers = startingAnswers(protocol)): Answers | null {
  let current = { ...from };
  let score = penalty(protocol, goal, current);
  for (let round = 0; round < 200 && score > 0; round++) {
    let best: { answers: Answers; score: number; distance: number } | null = null;
    for (const q of protocol.questions) {
      for (const value of candidates(protocol, q)) {
        if (value === current[q.id]) continue;
        const trial = { ...current, [q.id]: value };
        const s = penalty(protocol, goal, trial);
        const distance =
          typeof value === 'number' && typeof current[q.id] === 'number'
            ? Math.abs(value - (current[q.id] as number))
            : 0;
        if (s < score && (!best || s < best.score || (s === best.score && distance < best.distance)))
          best = { answers: trial, score: s, distance };
      }
    }
    if (!best) return null;
    current = best.answers;
    score = best.score;
  }
  return score === 0 ? current : null;
}
