/** `blindrand uat`: the scripts cover every stratum, eligibility rule and unblinding policy of a protocol. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allStrata, deriveStratum, evaluateEligibility } from '../../shared/protocol/index.js';
import type { Criterion, Protocol } from '../../shared/protocol/index.js';
import { runCli } from '../../server/src/cli/main.js';
import { buildUatScripts } from '../../server/src/cli/uat.js';
import { loadRequirements } from '../trace/load.js';
import { msctProtocol, parallelProtocol, repoPath } from './helpers.js';

function ids(c: Criterion): string[] {
  const children = ('allOf' in c && c.allOf) || ('anyOf' in c && c.anyOf) || [];
  return [c.id, ...children.flatMap(ids)];
}

function siteCodes(p: Protocol): string[] {
  return (p.sites ?? []).map((s) => s.code);
}

// Built once per protocol for the whole file (the answer search takes a second on a busy machine).
const built = new Map<string, { protocol: Protocol; scripts: ReturnType<typeof buildUatScripts> }>();
function scriptsOf(name: string, load: () => Protocol) {
  if (!built.has(name)) {
    const protocol = load();
    built.set(name, { protocol, scripts: buildUatScripts(protocol) });
  }
  return built.get(name)!;
}

describe.each([
  ['msct-ms.yaml', msctProtocol],
  ['parallel-2to1.yaml', parallelProtocol],
])('UAT scripts of %s [VAL-003]', (name, load) => {
  const { protocol, scripts } = scriptsOf(name, load);

  it('has one script per stratum whose answers are eligible and land in that stratum (checked again with the engine)', () => {
    const strata = allStrata(protocol, siteCodes(protocol).length ? siteCodes(protocol) : ['SITE']);
    const stratumScripts = scripts.filter((s) => s.kind === 'stratum');
    expect(stratumScripts.map((s) => s.covers)).toEqual(strata.map((s) => s.key));
    for (const script of stratumScripts) {
      const step = script.steps.find((s) => s.answers)!;
      expect(step).toBeDefined();
      const site = protocol.stratification.bySite ? deriveSite(script.covers) : (siteCodes(protocol)[0] ?? '');
      expect(evaluateEligibility(protocol, step.answers!)).toEqual({ eligible: true, failures: [] });
      expect(deriveStratum(protocol, step.answers!, site).key).toBe(script.covers);
      expect(step.expected).toContain(`Stratum ${script.covers}`);
    }
  });

  it("has, for every eligibility rule, a passing case and failing cases that fail that rule only, with the engine's reason", () => {
    const eligibilityScripts = scripts.filter((s) => s.kind === 'eligibility');
    expect(eligibilityScripts.map((s) => s.covers)).toEqual(protocol.eligibility.map((r) => r.id));
    for (const script of eligibilityScripts) {
      const rule = protocol.eligibility.find((r) => r.id === script.covers)!;
      const [passing, ...failing] = script.steps.filter((s) => s.answers);
      expect(evaluateEligibility(protocol, passing.answers!).eligible).toBe(true);
      for (const step of failing) {
        const verdict = evaluateEligibility(protocol, step.answers!);
        expect(verdict.eligible).toBe(false);
        for (const f of verdict.failures) {
          expect(ids(rule)).toContain(f.id);
          expect(step.expected).toContain(f.reason);
        }
      }
      // A rule the form can fail has a failing case; one it cannot (choices limited to the allowed values) says so.
      if (!failing.length)
        expect(script.steps.some((s) => s.expected.startsWith('No answer the form accepts can fail'))).toBe(true);
    }
  });

  it('covers the unblinding policy and the end of study, and every script ends in a signature block', () => {
    const policy = scripts.filter((s) => s.kind === 'unblinding');
    expect(policy[0].covers).toBe(protocol.unblinding.policy);
    expect(policy.some((s) => s.covers === 'safety')).toBe(protocol.unblinding.safety !== undefined);
    expect(policy.at(-1)!.covers).toBe('inadvertent unblinding');
    expect(scripts.filter((s) => s.kind === 'end-of-study')).toHaveLength(1);
    // A list method: envelopes are reserved before activation and a downtime drill follows.
    expect(scripts[0].steps.some((s) => s.action.startsWith('Before activation: reserve 2 downtime envelopes'))).toBe(
      true,
    );
    expect(scripts.filter((s) => s.kind === 'downtime')).toHaveLength(1);
    expect(new Set(scripts.map((s) => s.id)).size).toBe(scripts.length);
  });

  it('names only requirements that exist in requirements/*.yaml', () => {
    const known = new Set(loadRequirements(repoPath('.')).requirements.map((r) => r.id));
    expect(scripts.flatMap((s) => s.requirements).filter((id) => !known.has(id))).toEqual([]);
  });
});

function deriveSite(stratumKey: string): string {
  return /site=([^|]+)/.exec(stratumKey)![1];
}

describe('UAT scripts: findings and the command [VAL-003]', () => {
  it("the crossover's failing cases include the boundaries of the age range and the course-specific groups", () => {
    const { scripts } = scriptsOf('msct-ms.yaml', msctProtocol);
    const age = scripts.find((s) => s.covers === 'age')!;
    expect(age.steps.some((s) => s.expected.includes('answer is 17 years; required at least 18 years'))).toBe(true);
    const rrms = scripts.find((s) => s.covers === 'rrms')!;
    expect(rrms.steps.filter((s) => s.answers && !s.verdict!.eligible).map((s) => s.verdict!.failed)).toEqual([
      ['rrms-therapy'],
      ['rrms-activity'],
    ]);
  });

  it('a stratum no eligible patient can reach is reported as a finding, not given made-up answers', () => {
    const protocol = msctProtocol();
    // PPMS patients with EDSS ≥ 5.5 excluded by an extra rule: those strata become unreachable.
    protocol.eligibility.push({
      id: 'no-ppms-high',
      kind: 'exclusion',
      text: 'Exclusion: PPMS with EDSS ≥ 5.5',
      appliesWhen: { question: 'course', equals: 'PPMS' },
      question: 'edss',
      max: 5.0,
    });
    const scripts = buildUatScripts(protocol);
    const unreachable = scripts.filter(
      (s) => s.kind === 'stratum' && s.steps[0].action.startsWith('Review the protocol'),
    );
    expect(unreachable.map((s) => s.covers)).toEqual([
      'course=PPMS|edss=GE5.5|site=A',
      'course=PPMS|edss=GE5.5|site=B',
    ]);
  });

  it('a protocol with a safety recipient gets a safety unblinding script naming that recipient', () => {
    const protocol = parallelProtocol();
    protocol.unblinding.safety = { recipient: { email: 'pv@chu-toulouse.fr' } };
    const safety = buildUatScripts(protocol).find((s) => s.covers === 'safety')!;
    expect(safety.requirements).toContain('SAFE-001');
    expect(safety.steps[1].expected).toBe('The address pv@chu-toulouse.fr sees the arm of this patient only.');
  });

  it('a protocol with an escalation rule gets an escalation script stating the contacts, the delay and the outcome', () => {
    const protocol = parallelProtocol();
    Object.assign(protocol.unblinding, {
      emergency: {
        contacts: [{ name: 'Dr Claire Martin', role: 'Medical monitor', phone: '+33 5 61 00 00 01' }],
        escalateAfterMinutes: 30,
        escalateTo: 'backup-monitor',
      },
    });
    const escalation = buildUatScripts(protocol).find((s) => s.covers === 'escalation to backup-monitor')!;
    expect(escalation.steps[0].expected).toBe(
      'The dialog lists the emergency contacts (Dr Claire Martin, Medical monitor, +33 5 61 00 00 01) and the expected response time (30 minutes).',
    );
    expect(escalation.steps[3].expected).toContain('stays pending for a normal decision');
  });

  it('`blindrand uat --out DIR` writes an index and one signed script per file, in md and html; a bad format exits 1', async () => {
    // In this process (cli.test spawns the real binary once for the whole CLI).
    const md = await inProcess('uat', '--protocol', repoPath('protocols/parallel-2to1.yaml'), '--out', join(tmp, 'md'));
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`9 UAT scripts for study MSC-PAR21 written to ${join(tmp, 'md')}`);
    expect(
      await inProcess(
        'uat',
        '--protocol',
        repoPath('protocols/parallel-2to1.yaml'),
        '--out',
        join(tmp, 'html'),
        '--format',
        'html',
      ),
    ).toMatchObject({ code: 0 });
    for (const format of ['md', 'html']) {
      const files = readdirSync(join(tmp, format)).sort();
      expect(files).toEqual(
        ['UAT-01', 'UAT-D01', 'UAT-E01', 'UAT-E02', 'UAT-E03', 'UAT-S01', 'UAT-U01', 'UAT-U02', 'UAT-Z01', 'index'].map(
          (f) => `${f}.${format}`,
        ),
      );
      for (const f of files.filter((x) => !x.startsWith('index'))) {
        const text = readFileSync(join(tmp, format, f), 'utf8');
        expect(text).toContain('Executed by (printed name, role)');
        expect(text).toContain('Deviation number and description');
        expect(text).toMatch(/SHA-256 [0-9a-f]{64}/);
      }
    }
    const bad = await inProcess('uat', '--protocol', repoPath('protocols/parallel-2to1.yaml'), '--format', 'pdf');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--format must be md or html');
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'blindrand-uat-'));

/** Runs the CLI in this process, capturing what it writes. */
async function inProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
