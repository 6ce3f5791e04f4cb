/**
 * Live status of each criterion of the protocol's checklist while the investigator answers, using
 * the shared answer readers (the same ones the server's evaluator uses). The server's verdict on
 * registration remains the authority.
 */
import { applyTest, readAnswer } from '../../../../shared/protocol/answers.js';
import { evaluateEligibility, type EligibilityFailure } from '../../../../shared/protocol/eligibility.js';
import type { Protocol, Question } from '../../../../shared/protocol/types.js';
import type { EligibilityCriterionView, StudyQuestionView } from '../../../../shared/contract.js';

export type CriterionStatus = 'pass' | 'fail' | 'unanswered' | 'not-applicable';

type Test = { equals?: unknown; in?: unknown[]; min?: number; max?: number; question?: string };

function testHolds(questions: StudyQuestionView[], test: Test, answers: Record<string, unknown>): boolean | null {
  const q = questions.find((x) => x.id === test.question) as Question | undefined;
  if (!q) return null;
  const a = readAnswer(q, answers);
  if (!a.ok) return null;
  return applyTest(test as never, a.value, q).pass;
}

/** The status of one criterion (and, recursively, of its group). */
export function criterionStatus(
  questions: StudyQuestionView[],
  c: EligibilityCriterionView,
  answers: Record<string, unknown>,
): CriterionStatus {
  if (c.appliesWhen) {
    const applies = testHolds(questions, c.appliesWhen as Test, answers);
    if (applies === null) return 'unanswered';
    if (!applies) return 'not-applicable';
  }
  if (c.allOf || c.anyOf) {
    const kids = (c.allOf ?? c.anyOf)!
      .map((k) => criterionStatus(questions, k, answers))
      .filter((s) => s !== 'not-applicable');
    if (c.allOf) return kids.includes('fail') ? 'fail' : kids.includes('unanswered') ? 'unanswered' : 'pass';
    return kids.includes('pass') || kids.length === 0 ? 'pass' : kids.includes('unanswered') ? 'unanswered' : 'fail';
  }
  const holds = testHolds(questions, c as Test, answers);
  return holds === null ? 'unanswered' : holds ? 'pass' : 'fail';
}

/** The failed criteria with the reason, in the server's words (shared evaluator). */
export function failedCriteria(
  questions: StudyQuestionView[],
  eligibility: EligibilityCriterionView[],
  answers: Record<string, unknown>,
): EligibilityFailure[] {
  try {
    return evaluateEligibility({ questions, eligibility } as unknown as Protocol, answers).failures;
  } catch {
    return [];
  }
}
