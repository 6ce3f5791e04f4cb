/**
 * Checks the schema cannot express: references between sections (a criterion's question, an
 * arm's product per period), unique codes, and tests that fit their question's answer type.
 * Runs on a document that already passed the schema, so shapes can be trusted here.
 */
import type { Locator, PathSegment } from './locate.js';
import { METHOD_CODES } from './method-codes.js';
import { parsePeriodTiming } from './period-timing.js';
import type { AnswerTest, ProtocolError, Question } from './types.js';

type Raw = any;

export function semanticErrors(raw: Raw, locate: Locator): ProtocolError[] {
  const errors: ProtocolError[] = [];
  const err = (path: PathSegment[], message: string) => errors.push(locate.error(path, message));

  const unique = (list: Raw[] | undefined, field: string, section: string) => {
    const seen = new Set<string>();
    (list ?? []).forEach((item, i) => {
      const v = String(item[field]);
      if (seen.has(v))
        err([section, i, field], `duplicate ${field} "${v}"; each ${field} must be unique in ${section}`);
      seen.add(v);
    });
  };
  unique(raw.products, 'code', 'products');
  unique(raw.arms, 'code', 'arms');
  unique(raw.sites, 'code', 'sites');
  unique(raw.questions, 'id', 'questions');
  unique(raw.periods, 'number', 'periods');
  unique(raw.stratification.factors, 'id', 'stratification.factors');

  checkDesign(raw, err);
  checkEmergency(raw, err);
  const questions = new Map<string, Question>();
  (raw.questions as Raw[]).forEach((q, i) => {
    questions.set(q.id, q);
    if (q.type === 'choice' && !q.options)
      err(['questions', i], `question "${q.id}" has type choice; expected an "options" list`);
    if (q.type !== 'choice' && q.options)
      err(['questions', i, 'options'], `"options" is only allowed for type choice (question "${q.id}" is ${q.type})`);
    if (q.min !== undefined && q.max !== undefined && q.min > q.max)
      err(['questions', i, 'min'], `min ${q.min} is greater than max ${q.max}`);
  });

  const checkTest = (path: PathSegment[], questionId: string, test: AnswerTest, what: string) => {
    const q = questions.get(questionId);
    if (!q) {
      err(
        [...path, 'question'],
        `unknown question "${questionId}" in ${what}; expected one of: ${[...questions.keys()].join(', ')}`,
      );
      return;
    }
    const given = (['equals', 'in', 'min', 'max'] as const).filter((k) => test[k] !== undefined);
    if (given.length === 0) err(path, `${what} on question "${q.id}" has no test; expected equals, in, min or max`);
    if (q.type === 'boolean') {
      for (const k of given)
        if (k !== 'equals')
          err([...path, k], `question "${q.id}" is yes/no; expected "equals: true" or "equals: false", not "${k}"`);
      if (test.equals !== undefined && typeof test.equals !== 'boolean')
        err([...path, 'equals'], `question "${q.id}" is yes/no; expected true or false, got "${String(test.equals)}"`);
    } else if (q.type === 'choice') {
      for (const k of given)
        if (k === 'min' || k === 'max')
          err([...path, k], `question "${q.id}" is a choice; expected "equals" or "in", not "${k}"`);
      const values = test.in ?? (test.equals !== undefined ? [test.equals] : []);
      for (const v of values) {
        if (!q.options?.includes(String(v)))
          err(
            [...path, test.in ? 'in' : 'equals'],
            `"${String(v)}" is not an option of question "${q.id}"; expected one of: ${(q.options ?? []).join(', ')}`,
          );
      }
    } else {
      if (test.in)
        for (const v of test.in)
          if (typeof v !== 'number')
            err([...path, 'in'], `question "${q.id}" is numeric; expected numbers in "in", got "${v}"`);
      if (test.equals !== undefined && typeof test.equals !== 'number')
        err(
          [...path, 'equals'],
          `question "${q.id}" is numeric; expected a number, got ${JSON.stringify(test.equals)}`,
        );
      if (test.min !== undefined && test.max !== undefined && test.min > test.max)
        err([...path, 'min'], `min ${test.min} is greater than max ${test.max}`);
    }
  };

  const criterionIds = new Set<string>();
  const walk = (c: Raw, path: PathSegment[]) => {
    if (criterionIds.has(c.id)) err([...path, 'id'], `duplicate criterion id "${c.id}"; criterion ids must be unique`);
    criterionIds.add(c.id);
    if (c.appliesWhen)
      checkTest([...path, 'appliesWhen'], c.appliesWhen.question, c.appliesWhen, `appliesWhen of "${c.id}"`);
    const isGroup = c.anyOf !== undefined || c.allOf !== undefined;
    const hasTest = ['equals', 'in', 'min', 'max'].some((k) => c[k] !== undefined);
    if (c.anyOf && c.allOf)
      err(path, `criterion "${c.id}" has both anyOf and allOf; expected one of them (nest a group for the other)`);
    if (isGroup && (c.question !== undefined || hasTest))
      err(path, `criterion "${c.id}" is a group (anyOf/allOf) and must not also have a question or test`);
    if (!isGroup && c.question === undefined)
      err(path, `criterion "${c.id}" has no test; expected "question" with equals/in/min/max, or "anyOf"/"allOf"`);
    if (!isGroup && c.question !== undefined) checkTest(path, c.question, c, `criterion "${c.id}"`);
    (c.anyOf ?? []).forEach((child: Raw, i: number) => walk(child, [...path, 'anyOf', i]));
    (c.allOf ?? []).forEach((child: Raw, i: number) => walk(child, [...path, 'allOf', i]));
  };
  (raw.eligibility as Raw[]).forEach((c, i) => walk(c, ['eligibility', i]));

  (raw.stratification.factors as Raw[]).forEach((f, i) => {
    const path: PathSegment[] = ['stratification', 'factors', i];
    if (f.id === 'site' && raw.stratification.bySite)
      err([...path, 'id'], 'factor id "site" is reserved for bySite stratification; choose another id');
    unique(f.levels, 'code', `stratification.factors[${i}].levels`);
    (f.levels as Raw[]).forEach((level, j) =>
      checkTest([...path, 'levels', j, 'when'], f.question, level.when, `level "${level.code}" of factor "${f.id}"`),
    );
    if (!questions.has(f.question))
      err(
        [...path, 'question'],
        `unknown question "${f.question}"; expected one of: ${[...questions.keys()].join(', ')}`,
      );
  });

  const alphabet: string | undefined = raw.treatmentCode.alphabet;
  if (alphabet !== undefined && new Set(alphabet).size !== alphabet.length)
    err(['treatmentCode', 'alphabet'], 'alphabet has repeated characters; expected each character once');
  if (raw.randomization && !(METHOD_CODES as readonly string[]).includes(raw.randomization.method)) {
    err(
      ['randomization', 'method'],
      `unknown method "${raw.randomization.method}"; expected one of: ${METHOD_CODES.join(', ')}`,
    );
  }
  checkSafetyRecipient(raw, err);
  return errors;
}

/** A safety recipient's e-mail must be one plain address (it receives arms: no list, no display name, no typo'd domain). */
function checkSafetyRecipient(raw: Raw, err: (path: PathSegment[], message: string) => void): void {
  const email = raw.unblinding?.safety?.recipient?.email;
  if (email !== undefined && !/^[^\s@,;<>"]+@[^\s@,;<>"]+\.[A-Za-z]{2,}$/.test(email)) {
    err(
      ['unblinding', 'safety', 'recipient', 'email'],
      `"${email}" is not one e-mail address; expected e.g. pharmacovigilance@hospital.fr`,
    );
  }
}

function checkDesign(raw: Raw, err: (path: PathSegment[], message: string) => void): void {
  const periods: Raw[] = raw.periods ?? [];
  if (raw.design === 'crossover' && periods.length < 2)
    err(['periods'], `a crossover design needs at least 2 periods; got ${periods.length}`);
  periods.forEach((p, i) => {
    if (p.timing !== undefined && parsePeriodTiming(p.timing) === null)
      err(
        ['periods', i, 'timing'],
        `timing "${p.timing}" is not understood; expected "day N", "week N" or "month N" (counted from randomization)`,
      );
    if (p.number !== i + 1)
      err(
        ['periods', i, 'number'],
        `expected period number ${i + 1} (periods are numbered 1, 2, … in order), got ${p.number}`,
      );
  });
  const periodCount = Math.max(periods.length, 1);
  const productCodes = new Set((raw.products as Raw[]).map((p) => p.code));
  const sequences = new Set<string>();
  (raw.arms as Raw[]).forEach((arm, i) => {
    if (arm.products.length !== periodCount) {
      err(
        ['arms', i, 'products'],
        `arm "${arm.code}" lists ${arm.products.length} product(s); expected one per period (${periodCount})`,
      );
    }
    (arm.products as string[]).forEach((code, j) => {
      if (!productCodes.has(code))
        err(['arms', i, 'products', j], `unknown product "${code}"; expected one of: ${[...productCodes].join(', ')}`);
    });
    const seq = arm.products.join('>');
    if (raw.design === 'crossover' && sequences.has(seq))
      err(
        ['arms', i, 'products'],
        `arm "${arm.code}" repeats the sequence of another arm; crossover sequences must differ`,
      );
    sequences.add(seq);
  });
}

/** The escalation rule must be able to do something: a backup monitor to alert, or a policy to escalate from. */
function checkEmergency(raw: Raw, err: (path: PathSegment[], message: string) => void): void {
  const e = raw.unblinding.emergency;
  if (!e) return;
  if (e.escalateTo === 'backup-monitor' && !(e.backupMonitors?.length > 0)) {
    err(
      ['unblinding', 'emergency', 'escalateTo'],
      'escalateTo is backup-monitor; expected a "backupMonitors" list of medical monitors\' usernames',
    );
  }
  if (e.escalateTo === 'break-the-glass' && e.backupMonitors !== undefined) {
    err(['unblinding', 'emergency', 'backupMonitors'], '"backupMonitors" is only used with escalateTo: backup-monitor');
  }
  // Under policy break-the-glass nothing is ever pending, so the rule is simply never used (the
  // file stays valid when only the policy line is changed).
  const seen = new Set<string>();
  (e.backupMonitors ?? []).forEach((u: string, i: number) => {
    if (seen.has(u)) err(['unblinding', 'emergency', 'backupMonitors', i], `duplicate backup monitor "${u}"`);
    seen.add(u);
  });
}
