/**
 * A server view that drifts from its shared contract type fails the build. The TypeScript compiler API
 * type-checks a views file as it would be after a deliberate mistake (the edited text is served in memory
 * in place of the real file, so nothing is written to the tree), and must report the mismatch.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = process.cwd();

/**
 * The diagnostics of each edited file when its text is `edit(original)`. One program for all the edits (the
 * imports are parsed once); only the edited files are checked, their imports are read but not reported.
 */
function diagnosticsWith(edits: Record<string, (text: string) => string>): Record<string, string[]> {
  const changed = new Map<string, string>();
  for (const [file, edit] of Object.entries(edits)) {
    const path = resolve(root, file);
    const original = readFileSync(path, 'utf8');
    changed.set(path, edit(original));
    expect(changed.get(path)).not.toBe(original);
  }
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    incremental: false,
    tsBuildInfoFile: undefined,
    sourceMap: false,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, fresh) => {
    const text = changed.get(resolve(name));
    return text === undefined ? read(name, language, onError, fresh) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...changed.keys()], options, host);
  return Object.fromEntries(
    Object.keys(edits).map((file) => [
      file,
      program
        .getSemanticDiagnostics(program.getSourceFile(resolve(root, file)))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    ]),
  );
}

const PARTICIPANT_VIEWS = 'server/src/modules/participants/participant.views.ts';
const STUDY_VIEWS = 'server/src/modules/study/study.views.ts';

describe('a deliberate mismatch between a server view and its shared type fails the build', () => {
  it('a renamed field of ParticipantView, and undefined where StudyView says null, are both reported', () => {
    const errors = diagnosticsWith({
      [PARTICIPANT_VIEWS]: (s) =>
        s.replace('    eligibilityFailures: p.eligibilityFailures,', '    eligibilityFailure: p.eligibilityFailures,'),
      [STUDY_VIEWS]: (s) => s.replace('timing: p.timing ?? null', 'timing: p.timing'),
    });
    expect(errors[PARTICIPANT_VIEWS]).toEqual([
      "Object literal may only specify known properties, but 'eligibilityFailure' does not exist in type 'ParticipantView'. Did you mean to write 'eligibilityFailures'?",
    ]);
    expect(errors[STUDY_VIEWS].join('\n')).toMatch(
      /Type 'string \| undefined' is not assignable to type 'string \| null'/,
    );
  });
});
