/**
 * Entering a study: its links and the remembered choice. Below the router and the components (both use it),
 * so that neither imports the other (test/lint/folder-cycles.mjs).
 */
import * as api from '../api/client.js';
import { studyPagePath } from '../../../shared/study-paths.js';
import { useSessionStore } from './session.js';
import { useStudiesStore } from './studies.js';

/** A study page's link: `/s/<code>/<page>`. */
export const studyPath = studyPagePath;

/** Puts the console in a study and remembers it on the server for the next sign-in. */
export async function enterStudy(code: string): Promise<void> {
  const session = useSessionStore();
  useStudiesStore().select(code);
  if (!session.user || session.user.lastStudyCode === code) return;
  try {
    await api.rememberStudy(code);
    session.noteUser({ lastStudyCode: code });
  } catch {
    /* remembered at the next entry; the console is in the study either way */
  }
}
