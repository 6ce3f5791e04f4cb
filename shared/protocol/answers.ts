/**
 * Reading one screening answer against its question's type, and applying an answer test
 * (equals / in / min / max). Shared by eligibility and stratum derivation so both read answers
 * the same way.
 */
import type { AnswerTest, Protocol, Question } from './types.js';

export type AnswerValue = boolean | number | string;
export type ReadAnswer = { ok: true; value: AnswerValue } | { ok: false; reason: string };

/** Find a question by id; a protocol that passed parseProtocol has every referenced question. */
export function questionById(protocol: Protocol, id: string): Question {
  const q = protocol.questions.find((x) => x.id === id);
  if (!q) throw new Error(`protocol has no question "${id}"`);
  return q;
}

/** The answer to `question`, checked against its type, options and plausible range. */
export function readAnswer(question: Question, answers: Record<string, unknown>): ReadAnswer {
  const name = `"${question.id}" (${question.label})`;
  if (
    !Object.prototype.hasOwnProperty.call(answers, question.id) ||
    answers[question.id] === null ||
    answers[question.id] === undefined
  ) {
    return { ok: false, reason: `no answer to question ${name}` };
  }
  const v = answers[question.id];
  switch (question.type) {
    case 'boolean':
      return typeof v === 'boolean'
        ? { ok: true, value: v }
        : { ok: false, reason: `answer to ${name} must be true or false, got ${JSON.stringify(v)}` };
    case 'choice':
      if (typeof v === 'string' && question.options?.includes(v)) return { ok: true, value: v };
      return {
        ok: false,
        reason: `answer to ${name} must be one of ${(question.options ?? []).join(', ')}, got ${JSON.stringify(v)}`,
      };
    case 'number':
    case 'integer': {
      if (typeof v !== 'number' || !Number.isFinite(v))
        return { ok: false, reason: `answer to ${name} must be a number, got ${JSON.stringify(v)}` };
      if (question.type === 'integer' && !Number.isInteger(v))
        return { ok: false, reason: `answer to ${name} must be a whole number, got ${v}` };
      if ((question.min !== undefined && v < question.min) || (question.max !== undefined && v > question.max)) {
        return {
          ok: false,
          reason: `answer ${v} to ${name} is outside the possible range ${question.min ?? '−∞'}–${question.max ?? '∞'}`,
        };
      }
      return { ok: true, value: v };
    }
  }
}

/** Whether a (type-checked) answer passes a test; when not, why, in words. */
export function applyTest(test: AnswerTest, value: AnswerValue, question: Question): { pass: boolean; reason: string } {
  const unit = question.unit ? ` ${question.unit}` : '';
  const shown =
    typeof value === 'boolean' ? (value ? 'yes' : 'no') : `${String(value)}${typeof value === 'number' ? unit : ''}`;
  if (test.equals !== undefined && value !== test.equals) {
    const want = typeof test.equals === 'boolean' ? (test.equals ? 'yes' : 'no') : String(test.equals);
    return { pass: false, reason: `answer is ${shown}; required ${want}` };
  }
  if (test.in !== undefined && !test.in.includes(value as string | number)) {
    return { pass: false, reason: `answer is ${shown}; required one of ${test.in.join(', ')}` };
  }
  if (test.min !== undefined && typeof value === 'number' && value < test.min) {
    return { pass: false, reason: `answer is ${shown}; required at least ${test.min}${unit}` };
  }
  if (test.max !== undefined && typeof value === 'number' && value > test.max) {
    return { pass: false, reason: `answer is ${shown}; required at most ${test.max}${unit}` };
  }
  return { pass: true, reason: '' };
}
