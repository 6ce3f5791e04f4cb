/** How corrections name their field and show values, shared by the correction form and the history. */
import type { StudyQuestionView } from '../../../../shared/contract.js';
import { t } from '../../i18n/index.js';

/** The correction field that marks a randomized patient as randomized in error (not a screening question). */
export const RANDOMIZED_IN_ERROR = 'randomizedInError';

/** The field's label in words: the screening question's label, or "Randomized in error". */
export function fieldLabel(field: string, questions: StudyQuestionView[]): string {
  if (field === RANDOMIZED_IN_ERROR) return t('participants.randomizedInErrorField');
  const q = questions.find((x) => x.id === field);
  return q ? q.label + (q.unit ? ` (${q.unit})` : '') : field;
}

/** A stored answer in words: yes/no for booleans, an em dash when there is none. */
export function valueText(value: unknown): string {
  if (value === true) return t('common.yes');
  if (value === false) return t('common.no');
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
