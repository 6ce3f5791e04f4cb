/**
 * Which API paths belong to a study and which to the instance (docs/MULTI-STUDY.md decisions 5 and 9), decided
 * here and nowhere else: http.ts sends every study path to the study the console is in
 * (`/participants` → `/api/studies/<code>/participants`), and the instance paths as they are. The roots are
 * the server's instance routes (shared/study-paths.ts, also read by server/src/http/v1-study-paths.ts). A path already under
 * `/studies/<code>` names its study itself (the access review).
 */
import { INSTANCE_API_ROOTS } from '../../../shared/study-paths.js';

let bound: string | null = null;

/** The study every study call goes to; null before one is chosen (signed out: the v1 path, the first study). */
export function bindStudy(code: string | null): void {
  bound = code;
}

/** The path to request: study paths under the bound study, instance paths unchanged. */
export function scopedPath(path: string): string {
  const root = /^\/([^/?#]+)/.exec(path)?.[1];
  if (!root || INSTANCE_API_ROOTS.has(root) || bound === null) return path;
  return `/studies/${encodeURIComponent(bound)}${path}`;
}
