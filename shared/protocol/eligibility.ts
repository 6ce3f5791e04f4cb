/**
 * The eligibility evaluator: walks the protocol's criteria tree against the screening answers
 * and returns EVERY failed criterion with a reason, so an investigator sees all that is wrong
 * at once. A missing answer is a failure, never a silent pass.
 */
import { applyTest, questionById, readAnswer } from './answers.js';
import type { Condition, Criterion, Protocol } from './types.js';

export interface EligibilityFailure {
  id: string;
  text: string;
  reason: string;
}

export interface EligibilityResult {
  eligible: boolean;
  failures: EligibilityFailure[];
}

type Outcome = { pass: boolean; failures: EligibilityFailure[]; reason: string };

function testCondition(
  protocol: Protocol,
  cond: Condition,
  answers: Record<string, unknown>,
): { holds: boolean } | { error: string } {
  const q = questionById(protocol, cond.question);
  const a = readAnswer(q, answers);
  if (!a.ok) return { error: a.reason };
  return { holds: applyTest(cond, a.value, q).pass };
}

function evaluate(protocol: Protocol, c: Criterion, answers: Record<string, unknown>): Outcome {
  if (c.appliesWhen) {
    const applies = testCondition(protocol, c.appliesWhen, answers);
    if ('error' in applies) {
      const reason = `cannot tell whether it applies: ${applies.error}`;
      return { pass: false, reason, failures: [{ id: c.id, text: c.text, reason }] };
    }
    if (!applies.holds) return { pass: true, reason: '', failures: [] };
  }
  if ('allOf' in c && c.allOf) {
    const children = c.allOf.map((child) => evaluate(protocol, child, answers));
    const failures = children.flatMap((o) => o.failures);
    return { pass: failures.length === 0, failures, reason: failures.map((f) => f.reason).join('; ') };
  }
  if ('anyOf' in c && c.anyOf) {
    const children = c.anyOf.map((child) => evaluate(protocol, child, answers));
    if (children.some((o) => o.pass)) return { pass: true, reason: '', failures: [] };
    const reason = `none of the following holds: ${c.anyOf.map((child, i) => `${child.text} (${children[i].reason})`).join('; ')}`;
    return { pass: false, reason, failures: [{ id: c.id, text: c.text, reason }] };
  }
  const leaf = c as Criterion & Condition;
  const q = questionById(protocol, leaf.question);
  const a = readAnswer(q, answers);
  const verdict = a.ok ? applyTest(leaf, a.value, q) : { pass: false, reason: a.reason };
  return verdict.pass
    ? { pass: true, reason: '', failures: [] }
    : { pass: false, reason: verdict.reason, failures: [{ id: c.id, text: c.text, reason: verdict.reason }] };
}

/**
 * Evaluate every eligibility criterion of the protocol.
 * @param answers screening answers keyed by question id (booleans, numbers, choice codes)
 */
export function evaluateEligibility(protocol: Protocol, answers: Record<string, unknown>): EligibilityResult {
  const failures = protocol.eligibility.flatMap((c) => evaluate(protocol, c, answers).failures);
  return { eligible: failures.length === 0, failures };
}
