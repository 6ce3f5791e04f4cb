/**
 * User acceptance test (UAT) scripts for one trial, computed from its protocol file: the set-up,
 * one script per stratum, one per eligibility rule (a passing and a failing case), one per
 * unblinding policy the protocol configures, and the end of study. A sponsor runs them on a
 * validation instance loaded with the same protocol and signs each one (GAMP 5 PQ / UAT).
 *
 * Expected results come from the engine (shared/protocol): strata from allStrata/deriveStratum,
 * eligibility verdicts and their sentences from evaluateEligibility. Texts stay English (the
 * sponsor's validation file language); the scripts name the console's pages and the API codes.
 */
import { allStrata, deriveStratum, evaluateEligibility } from '../../../shared/protocol/index.js';
import type { Criterion, Protocol, Question, Stratum } from '../../../shared/protocol/index.js';
import { rulePasses, solve } from './uat-answers.js';
import type { Answers } from './uat-answers.js';

interface UatStep {
  /** Who does it (a role of the product). */
  actor: string;
  action: string;
  /** Test data: question label → answer, or other inputs. */
  data?: Array<[string, string]>;
  expected: string;
  /** The full screening answers behind `data` (for tests that re-check them with the engine). */
  answers?: Answers;
  /** The verdict the engine gives those answers: eligible, or the ids of the failed criteria. */
  verdict?: { eligible: boolean; failed: string[]; stratum?: string };
}

export interface UatScript {
  id: string;
  title: string;
  kind: 'set-up' | 'stratum' | 'eligibility' | 'downtime' | 'unblinding' | 'end-of-study';
  purpose: string;
  /** Requirement ids (requirements/*.yaml) the script shows on the sponsor's own configuration. */
  requirements: string[];
  preconditions: string[];
  steps: UatStep[];
  /** What the script covers in the protocol: a stratum key, a criterion id, a policy name. */
  covers: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function answerText(q: Question, v: boolean | number | string): string {
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return q.unit && typeof v === 'number' ? `${v} ${q.unit}` : String(v);
}

/** The screening form's answers as a table of question labels (the order of the form). */
function answerRows(protocol: Protocol, answers: Answers, site?: string): Array<[string, string]> {
  const rows: Array<[string, string]> = site ? [['Site', site]] : [];
  for (const q of protocol.questions) rows.push([q.label, answerText(q, answers[q.id])]);
  return rows;
}

/** "MS course: Relapsing-remitting · Baseline EDSS band: EDSS ≤ 5.0 · Site: Site A (A)". */
function stratumLabel(protocol: Protocol, stratum: Stratum): string {
  const parts = protocol.stratification.factors.map(
    (f) => `${f.label}: ${f.levels.find((l) => l.code === stratum.levels[f.id])?.label ?? stratum.levels[f.id]}`,
  );
  if (stratum.levels.site)
    parts.push(
      `Site: ${protocol.sites?.find((s) => s.code === stratum.levels.site)?.name ?? stratum.levels.site} (${stratum.levels.site})`,
    );
  return parts.join(' · ') || 'the single stratum (unstratified design)';
}

function siteOf(protocol: Protocol, stratum?: Stratum): string {
  const code = stratum?.levels.site ?? protocol.sites?.[0]?.code;
  return code ? `${protocol.sites?.find((s) => s.code === code)?.name ?? code} (${code})` : 'the validation site';
}

function codeFormat(protocol: Protocol): string {
  const f = protocol.treatmentCode;
  return `"${f.prefix}" followed by ${f.length} characters from ${f.alphabet}`;
}

function armsText(protocol: Protocol): string {
  return protocol.arms
    .map(
      (a) =>
        `${a.code} (${a.label}; ${a.products.map((p, i) => (protocol.design === 'crossover' ? `period ${i + 1}: ${p}` : p)).join(', ')}; ratio ${a.ratio})`,
    )
    .join(' or ');
}

const NO_ARM = 'No arm, sequence or product is shown anywhere on the page or in the notifications.';
const REGISTER: UatStep = {
  actor: 'auditor',
  action: 'Open the unblinding register and the audit trail.',
  expected:
    'One entry per reveal: who saw which patient, when, under which request; never the arm. The audit trail verifies.',
};

function setUpScript(protocol: Protocol, sites: string[]): UatScript {
  const strata = allStrata(protocol, sites);
  const method = protocol.randomization
    ? `${protocol.randomization.method} ${JSON.stringify(protocol.randomization.params)}`
    : 'the method chosen by the trial statistician';
  return {
    id: 'UAT-01',
    title: 'Set-up: protocol, list generation, rehearsal and signed activation',
    kind: 'set-up',
    purpose: `The validation instance runs study ${protocol.study.code} from this protocol file, and its list is fixed and published before the first patient.`,
    requirements: ['VAL-002', 'RAND-001', 'RAND-014', 'EMERG-007', 'ESIG-001'],
    preconditions: [
      'A validation (non-production) instance of blindrand at the release to be used in production, qualified with `blindrand qualify` (IQ/OQ).',
      'One test account per role: admin, randomization statistician, investigator for each site, pharmacist, medical monitor, two trial statisticians, auditor.',
    ],
    covers: 'set-up',
    steps: [
      {
        actor: 'randomization statistician',
        action: 'Run `blindrand protocol validate FILE` on the protocol file to be used.',
        expected: `"valid — study ${protocol.study.code}, ${protocol.design} design"; exit code 0.`,
      },
      {
        actor: 'randomization statistician',
        action: `Design page: generate the list with ${method} and a seed phrase; open the list.`,
        expected: `${strata.length} stratum list(s) (${strata.map((s) => s.key).join(', ')}), each of at least ${protocol.listLengthPerStratum} entries in complete blocks; arms ${protocol.arms.map((a) => `${a.code} ${a.ratio}`).join(' : ')} within each block.`,
      },
      {
        actor: 'randomization statistician',
        action: 'Rehearse the list on a test copy (rehearsal), then regenerate if wanted.',
        expected: 'The rehearsal runs on a copy; no allocation is recorded in the study.',
      },
      ...(usesList(protocol)
        ? [
            {
              actor: 'randomization statistician',
              action: `Before activation: reserve 2 downtime envelopes per stratum for ${siteOf(protocol)}, signing with the password.`,
              expected:
                'Envelopes numbered 1, 2, … per site and stratum; one sealed commitment per envelope in the audit trail; the auditor sees the commitment, never an arm.',
            },
            {
              actor: 'investigator, pharmacist',
              action: 'Print the envelope sheets: the investigator copy, then the pharmacy copy.',
              expected:
                'One envelope per page. Investigator copy: the code under the tamper-evident panel and no arm. Pharmacy copy: the arm. Each printing is in the audit trail.',
            },
          ]
        : []),
      {
        actor: 'randomization statistician',
        action: 'Activate the list with a wrong password, then with the right one.',
        expected:
          "Wrong password: refused (SIGNATURE_INVALID), nothing changes. Right password: status active; the signature shows printed name, UTC time and meaning. If the rehearsal showed warnings (e.g. a stratum's list ran out), activation lists them and asks for an override reason, stored and audited.",
      },
      {
        actor: 'investigator, auditor, trial statistician',
        action: 'Sign in and read the list fingerprint in the top bar or study page.',
        expected:
          'The same fingerprint for every role, equal to the one shown at activation. No list, seed or arm is visible.',
      },
    ],
  };
}

/** Downtime envelopes are cut from a list; a live (dynamic) method has none. */
function usesList(protocol: Protocol): boolean {
  return protocol.randomization?.method !== 'minimization';
}

function downtimeScript(protocol: Protocol, stratum: Stratum, answers: Answers | undefined): UatScript {
  const site = siteOf(protocol, stratum);
  return {
    id: 'UAT-D01',
    title: 'Downtime drill: envelopes used during an outage, entered afterwards, list continued',
    kind: 'downtime',
    purpose:
      'When the system is down a site randomizes from a sealed envelope; afterwards the allocation is entered, proven to come from that envelope, and the list continues without gap and in order.',
    requirements: ['ENV-004', 'ENV-005', 'ENV-006', 'ENV-007', 'ENV-009', 'ENV-010'],
    preconditions: [
      'UAT-01 passed with envelopes reserved and printed for this site; docs/DOWNTIME.md procedure at hand.',
    ],
    covers: `downtime envelopes, stratum ${stratum.key}`,
    steps: [
      { actor: 'tester', action: 'Stop the server (simulated outage).', expected: 'The console cannot be reached.' },
      {
        actor: 'investigator',
        action: `On paper: screen a patient of ${site}, take the lowest-numbered envelope of stratum ${stratum.key}, scratch the panel, write patient, time, name, sign.`,
        data: answers ? answerRows(protocol, answers, site) : undefined,
        expected: 'The envelope gives a treatment code; the pharmacy prepares from its copy of the same envelope.',
      },
      { actor: 'tester', action: 'Start the server again.', expected: 'The console is back; nothing was lost.' },
      {
        actor: 'investigator',
        action:
          'Register the patient with the paper answers, then enter the envelope (number, code read under the seal, opening time, signature).',
        expected: `Randomized with the next randomization number, stratum ${stratum.key}, "via envelope" with the opening time. ${NO_ARM}`,
      },
      {
        actor: 'investigator',
        action:
          'Enter the same envelope for another eligible patient; then an envelope with a wrong code; then an envelope of another stratum.',
        expected:
          'Refused with nothing written: ENVELOPE_ALREADY_USED; ENVELOPE_CODE_MISMATCH; ENVELOPE_WRONG_STRATUM.',
      },
      {
        actor: 'investigator',
        action: 'Randomize another patient of the same stratum online.',
        expected:
          "The next randomization number (no gap); the randomization statistician sees the next online entry of the stratum's list used, in order.",
      },
      {
        actor: 'randomization statistician',
        action: 'Void the remaining envelopes of the site, signing; try to enter a voided envelope.',
        expected: 'Voided and audited; entering one is refused: ENVELOPE_VOIDED.',
      },
      {
        actor: 'auditor',
        action: 'Open the allocation log and verify the audit trail; run `blindrand replay`.',
        expected:
          'The envelope randomization shows "via envelope N" and its opening time; the chain is intact; replay re-derives every allocation.',
      },
    ],
  };
}

function stratumScript(protocol: Protocol, stratum: Stratum, n: number, near?: Answers): UatScript {
  const answers = solve(protocol, { stratum, pass: protocol.eligibility }, near);
  const site = siteOf(protocol, stratum);
  const label = stratumLabel(protocol, stratum);
  const steps: UatStep[] = [];
  if (!answers) {
    steps.push({
      actor: 'randomization statistician',
      action: 'Review the protocol: no screening answers both pass eligibility and lead to this stratum.',
      expected: 'Either the stratum is unreachable by design (document it) or the protocol is corrected before use.',
    });
  } else {
    // The engine's own verdict, so the script states what the software will compute.
    const verdict = evaluateEligibility(protocol, answers);
    const derived = deriveStratum(protocol, answers, stratum.levels.site ?? protocol.sites?.[0]?.code ?? '');
    steps.push(
      {
        actor: 'investigator',
        action: `Sign in as the investigator of ${site}; Register patient with these screening answers.`,
        data: answerRows(protocol, answers, site),
        expected: `Eligible: ${verdict.eligible ? 'yes' : 'NO'}. Stratum ${derived.key} (${label}).`,
        answers,
        verdict: { eligible: verdict.eligible, failed: verdict.failures.map((f) => f.id), stratum: derived.key },
      },
      {
        actor: 'investigator',
        action: 'Randomize the patient, signing with the password.',
        expected: `A randomization number and a treatment code of the form ${codeFormat(protocol)}. ${NO_ARM}`,
      },
      {
        actor: 'investigator',
        action: 'Randomize the same patient again.',
        expected: 'Refused: ALREADY_RANDOMIZED naming the stratum; no second number.',
      },
      {
        actor: 'randomization statistician',
        action: `Open the list of stratum ${stratum.key} and the allocation log.`,
        expected: `The patient holds the first unused entry of this stratum's list: its arm is one of ${armsText(protocol)}.`,
      },
      {
        actor: 'pharmacist',
        action: 'Open the notifications and the pharmacy tasks.',
        expected: `A notice with the patient's code and what to prepare (never sent to a blinded role); a preparation for this patient${protocol.design === 'crossover' ? ' for each period' : ''}, with the products of the arm found in the previous step.`,
      },
      {
        actor: 'auditor',
        action: 'Open the allocation log and the audit trail.',
        expected: `The patient's row: number, site, stratum ${stratum.key}, time (UTC), who randomized; no arm. The audit trail verifies (intact).`,
      },
    );
  }
  return {
    id: `UAT-S${pad(n)}`,
    title: `Stratum ${stratum.key}`,
    kind: 'stratum',
    purpose: `A patient whose answers lead to ${label} is randomized in that stratum, from that stratum's list.`,
    requirements: ['RAND-010', 'RAND-011', 'RAND-005', 'BLIND-001', 'BLIND-011', 'EMERG-005', 'EXP-001'],
    preconditions: ['UAT-01 passed (list active).'],
    steps,
    covers: stratum.key,
  };
}

function verdictOf(protocol: Protocol, answers: Answers): { eligible: boolean; failed: string[] } {
  const v = evaluateEligibility(protocol, answers);
  return { eligible: v.eligible, failed: v.failures.map((f) => f.id) };
}

/** Failures of an answer set, in the engine's words: "text — reason". */
function failureText(protocol: Protocol, answers: Answers): string {
  return evaluateEligibility(protocol, answers)
    .failures.map((f) => `"${f.text}" — ${f.reason}`)
    .join('; ');
}

function changedRows(protocol: Protocol, from: Answers, to: Answers): Array<[string, string]> {
  return protocol.questions
    .filter((q) => from[q.id] !== to[q.id])
    .map((q): [string, string] => [q.label, `${answerText(q, to[q.id])} (instead of ${answerText(q, from[q.id])})`]);
}

function eligibilityScript(protocol: Protocol, rule: Criterion, n: number): UatScript {
  const others = protocol.eligibility.filter((r) => r !== rule);
  // A conditional rule (e.g. only for RRMS) is tested where it applies.
  const base = solve(protocol, { pass: protocol.eligibility, applies: [rule] });
  const site = siteOf(protocol);
  const steps: UatStep[] = [];
  if (base && rulePasses(protocol, rule, base)) {
    steps.push({
      actor: 'investigator',
      action: 'Register patient with these answers (the rule holds).',
      data: answerRows(protocol, base, site),
      expected: `Eligible; "${rule.text}" is not among the failed criteria.`,
      answers: base,
      verdict: verdictOf(protocol, base),
    });
  } else {
    steps.push({
      actor: 'randomization statistician',
      action: 'Review the protocol: no answers pass every rule while this rule applies.',
      expected: 'Documented as a finding before the protocol is used.',
    });
  }
  // A failing case for the rule, and for each part of an "all of" rule (each condition is checked).
  const parts = 'allOf' in rule && rule.allOf ? rule.allOf : [rule];
  for (const part of parts) {
    const siblings = parts.filter((p) => p !== part);
    const failing = base
      ? solve(protocol, { pass: [...others, ...siblings], applies: [rule], fail: [part] }, base)
      : null;
    const which = part === rule ? 'the rule' : `"${part.text}"`;
    if (base && failing) {
      steps.push(
        {
          actor: 'investigator',
          action: `Register another patient for whom ${which} does not hold, changing only these answers from the first patient.`,
          data: changedRows(protocol, base, failing),
          expected: `Not eligible. Failed: ${failureText(protocol, failing)}.`,
          answers: failing,
          verdict: verdictOf(protocol, failing),
        },
        {
          actor: 'investigator',
          action: 'Try to randomize that patient.',
          expected:
            'Refused: NOT_ELIGIBLE ("The patient does not meet the eligibility criteria and cannot be randomized."); nothing allocated.',
        },
      );
    } else {
      steps.push({
        actor: 'investigator',
        action: `Look at the screening form for ${which}.`,
        expected:
          'No answer the form accepts can fail it (the form offers only permitted values); record this observation.',
      });
    }
  }
  return {
    id: `UAT-E${pad(n)}`,
    title: `Eligibility rule ${rule.id}: ${rule.text}`,
    kind: 'eligibility',
    purpose: `The ${rule.kind} criterion "${rule.text}"${rule.appliesWhen ? ` (applies when ${rule.appliesWhen.question} is ${JSON.stringify(rule.appliesWhen.equals ?? rule.appliesWhen.in ?? [rule.appliesWhen.min, rule.appliesWhen.max])})` : ''} accepts a patient who meets it and refuses one who does not, with the reason.`,
    requirements: ['RAND-008', 'RAND-009'],
    preconditions: ['UAT-01 passed (list active).'],
    steps,
    covers: rule.id,
  };
}

interface PolicyText {
  title: string;
  steps: UatStep[];
  requirements: string[];
}

function policySteps(policy: string): PolicyText {
  const request: UatStep = {
    actor: 'investigator',
    action: 'On a randomized patient of the own site, request emergency unblinding with a reason and the password.',
    expected: 'The request is recorded; the medical monitor is notified (console and e-mail) without the arm.',
  };
  const others: UatStep = {
    actor: 'medical monitor, auditor, other investigator, trial statistician',
    action: 'Open the patient, the request, notifications and e-mails.',
    expected: `They see the request's status and who saw the allocation; ${NO_ARM}`,
  };
  switch (policy) {
    case 'break-the-glass':
      return {
        title: 'Emergency unblinding: break-the-glass',
        requirements: ['UNBL-001', 'UNBL-005', 'UNBL-009', 'BLIND-010'],
        steps: [
          {
            ...request,
            expected:
              'The arm is revealed to the requester at once, for this patient only; the medical monitor is notified without the arm.',
          },
          {
            actor: 'medical monitor',
            action: 'Review the request afterwards (justified / not justified, with a comment).',
            expected: 'The review is recorded and signed; the arm is not shown to the monitor.',
          },
          others,
          REGISTER,
        ],
      };
    case 'two-person':
      return {
        title: 'Emergency unblinding: two-person approval',
        requirements: ['UNBL-001', 'UNBL-006', 'UNBL-003', 'UNBL-009', 'BLIND-010'],
        steps: [
          request,
          {
            actor: 'medical monitor 1',
            action: 'Approve with the password; then try to approve again as the same person.',
            expected:
              'First approval recorded; the second by the same person is refused; the request is not yet revealable.',
          },
          {
            actor: 'medical monitor 2',
            action: 'Approve with the password.',
            expected: 'The request is approved; the requester is notified ("sign in to view"), without the arm.',
          },
          {
            actor: 'investigator (requester)',
            action: 'Open the reveal.',
            expected: 'The arm of this patient only; every viewing is recorded.',
          },
          others,
          {
            actor: 'investigator, medical monitors',
            action: 'Repeat with a new request: one monitor approves, the other denies.',
            expected: 'One denial is enough: the request is denied and cannot be revealed.',
          },
          REGISTER,
        ],
      };
    default:
      return {
        title: 'Emergency unblinding: medical monitor approval',
        requirements: ['UNBL-001', 'UNBL-002', 'UNBL-003', 'UNBL-004', 'UNBL-009', 'BLIND-010'],
        steps: [
          request,
          {
            actor: 'medical monitor',
            action: 'Approve with the password.',
            expected: 'Status approved; the requester is notified ("sign in to view"), without the arm.',
          },
          {
            actor: 'investigator (requester)',
            action: 'Open the reveal.',
            expected: 'The arm of this patient only; every viewing is recorded.',
          },
          others,
          {
            actor: 'investigator, medical monitor',
            action: 'Repeat with a new request, which the monitor denies.',
            expected: 'Denied: the allocation stays blinded and the reveal is refused.',
          },
          REGISTER,
        ],
      };
  }
}

interface EmergencyBlock {
  contacts?: Array<{ name: string; role?: string; phone?: string }>;
  escalateAfterMinutes?: number;
  escalateTo?: string;
}

/** The protocol's `unblinding.emergency` block (contacts and escalation rule), when it has one. */
function emergencyBlock(protocol: Protocol): EmergencyBlock | undefined {
  return (protocol.unblinding as { emergency?: EmergencyBlock }).emergency;
}

function unblindingScripts(protocol: Protocol): UatScript[] {
  const scripts: UatScript[] = [];
  const main = policySteps(protocol.unblinding.policy);
  const pre = ['UAT-01 passed; at least one patient of each site randomized (UAT-S scripts).'];
  scripts.push({
    id: 'UAT-U01',
    title: main.title,
    kind: 'unblinding',
    purpose: `The protocol's unblinding policy (${protocol.unblinding.policy}) reveals one patient's arm to the requester only, as the policy says, and registers it.`,
    requirements: main.requirements,
    preconditions: pre,
    steps: main.steps,
    covers: protocol.unblinding.policy,
  });
  const emergency = emergencyBlock(protocol);
  const safety = protocol.unblinding.safety;
  if (emergency?.escalateAfterMinutes !== undefined && emergency.escalateTo) {
    const contacts = (emergency.contacts ?? [])
      .map((c) => [c.name, c.role, c.phone].filter(Boolean).join(', '))
      .join('; ');
    const toGlass = emergency.escalateTo === 'break-the-glass';
    scripts.push({
      id: `UAT-U${pad(scripts.length + 1)}`,
      title: `Emergency unblinding: escalation to ${emergency.escalateTo} when nobody decides`,
      kind: 'unblinding',
      purpose: `A request left undecided for ${emergency.escalateAfterMinutes} minutes escalates to ${emergency.escalateTo}, once, even across a restart.`,
      requirements: toGlass ? ['EMERG-001', 'EMERG-002', 'UNBL-005'] : ['EMERG-002', 'EMERG-004'],
      preconditions: pre,
      covers: `escalation to ${emergency.escalateTo}`,
      steps: [
        {
          actor: 'investigator',
          action: 'Open the unblinding request dialog of a randomized patient.',
          expected: `The dialog lists the emergency contacts${contacts ? ` (${contacts})` : ''} and the expected response time (${emergency.escalateAfterMinutes} minutes).`,
        },
        {
          actor: 'investigator',
          action: 'Request emergency unblinding with a reason and the password; nobody decides.',
          expected: 'The request is pending; the medical monitor is notified without the arm.',
        },
        {
          actor: 'tester',
          action: `Restart the server, then wait until ${emergency.escalateAfterMinutes} minutes have passed since the request.`,
          expected: 'The request escalates once (not again after the restart); the escalation is in the audit trail.',
        },
        toGlass
          ? {
              actor: 'investigator (requester)',
              action: 'Open the patient page.',
              expected:
                'The reveal is open to the requester (break-the-glass), for this patient only; the monitor is notified and reviews it afterwards.',
            }
          : {
              actor: 'backup medical monitor',
              action: 'Open the notifications and the request.',
              expected:
                'The backup monitors are alerted, the requester is told, and the request stays pending for a normal decision.',
            },
        REGISTER,
      ],
    });
  }
  if (safety) {
    const who =
      'role' in safety.recipient ? `the ${safety.recipient.role} user` : `the address ${safety.recipient.email}`;
    scripts.push({
      id: `UAT-U${pad(scripts.length + 1)}`,
      title: 'Safety unblinding for expedited reporting',
      kind: 'unblinding',
      purpose: `A safety (SUSAR) unblinding reveals the arm only to the designated recipient (${who}); the requester and the study team receive a neutral confirmation.`,
      requirements: ['SAFE-001', 'UNBL-009', 'BLIND-010'],
      preconditions: pre,
      covers: 'safety',
      steps: [
        {
          actor: 'investigator',
          action:
            'Request a safety unblinding (expedited report) for a randomized patient, with a reason and the password.',
          expected: `Confirmation "delivered to the designated recipient", the same for every arm; no arm shown to the requester.`,
        },
        {
          actor: 'role' in safety.recipient ? safety.recipient.role : 'owner of the designated address',
          action: 'Open the safety unblinding (console) or the e-mail received.',
          expected: `${who[0].toUpperCase()}${who.slice(1)} sees the arm of this patient only.`,
        },
        {
          actor: 'medical monitor, trial statistician, investigator',
          action: 'Open the patient, requests, notifications and e-mails.',
          expected: NO_ARM,
        },
        REGISTER,
      ],
    });
  }
  scripts.push({
    id: `UAT-U${pad(scripts.length + 1)}`,
    title: 'Inadvertent unblinding report',
    kind: 'unblinding',
    purpose:
      'An unplanned unblinding is reported, signed, registered and listed for the monitor and the auditor, and the report itself reveals no arm.',
    requirements: ['INADV-001', 'BLIND-006'],
    preconditions: pre,
    covers: 'inadvertent unblinding',
    steps: [
      {
        actor: 'investigator',
        action: `Report an inadvertent unblinding of one patient, with a free text naming a product (e.g. "${protocol.products[0]?.code ?? 'arm'}").`,
        expected: 'Refused: BLINDING_RISK naming the field and the word; nothing written.',
      },
      {
        actor: 'investigator',
        action:
          'Report it again in neutral words (how it happened, who was unblinded, impact, corrective action), signing with the password.',
        expected: 'The report is recorded with the signature manifestation.',
      },
      {
        actor: 'medical monitor, auditor',
        action: 'Open the inadvertent unblinding list and the unblinding register.',
        expected: 'The report is listed; the register names the patient and who was unblinded; no arm.',
      },
    ],
  });
  return scripts;
}

function endOfStudyScript(protocol: Protocol): UatScript {
  return {
    id: 'UAT-Z01',
    title: 'End of study: lock, two signatures, release of the key',
    kind: 'end-of-study',
    purpose:
      "The database is locked, the key is released only on two trial statisticians' signatures, and the released seed proves the list was fixed before the first patient.",
    requirements: ['UNBL-007', 'UNBL-008', 'UNBL-010', 'BLIND-003', 'EXP-002', 'ESIG-002', 'DISC-001'],
    preconditions: [
      'All UAT-S, UAT-E and UAT-U scripts executed; the fingerprint published at activation noted (UAT-01).',
    ],
    covers: 'end of study',
    steps: [
      {
        actor: 'trial statistician 1',
        action: 'Before the lock: try the end-of-study unblinding and the CDISC export.',
        expected: 'Refused (the study is active); no arm shown.',
      },
      {
        actor: 'investigator',
        action: 'Before the end-of-study unblinding: open the disclosure report of the own site.',
        expected: 'Refused: STUDY_NOT_UNBLINDED.',
      },
      {
        actor: 'trial statistician 1',
        action: 'Lock the study with the password.',
        expected: 'Status locked; the signature shows printed name, UTC time and meaning.',
      },
      {
        actor: 'investigator',
        action: 'Try to register, randomize or correct a patient.',
        expected: 'Refused: STUDY_NOT_ACTIVE; nothing written.',
      },
      {
        actor: 'trial statistician 1',
        action: 'Sign the end-of-study unblinding; sign again as the same person.',
        expected: 'The first signature is recorded; the second by the same person is refused; the study stays blinded.',
      },
      {
        actor: 'randomization statistician',
        action: 'Try to sign the end-of-study unblinding.',
        expected: 'Refused (wrong role), answered like an unknown name or a wrong password.',
      },
      {
        actor: 'trial statistician 2',
        action: 'Sign the end-of-study unblinding.',
        expected:
          'Status unblinded. Both statisticians now see the arms in participants, allocation log and audit details.',
      },
      {
        actor: 'trial statistician',
        action:
          'Download the CDISC export and the released seed and salt; run `blindrand list verify --seed S --salt T --fingerprint F --list list.csv` with the fingerprint noted at activation.',
        expected: `The export has its documented columns (ARM, ARMCD, RANDDT…) and one row per randomized patient matching the allocation log; list verify passes (exit 0). Arms are ${protocol.arms.map((a) => a.code).join(', ')}.`,
      },
      {
        actor: 'investigator of each site',
        action: 'Open the disclosure report.',
        expected:
          "The treatment each of the own site's patients received, and no other site's patients; the generation is audited.",
      },
      {
        actor: 'auditor',
        action: 'Verify the audit trail and print the unblinding register (`blindrand unblinding register`).',
        expected: 'The chain is intact; the register lists every reveal of the UAT.',
      },
    ],
  };
}

/** Every UAT script of a protocol, in execution order. */
export function buildUatScripts(protocol: Protocol): UatScript[] {
  const sites = (protocol.sites ?? []).map((s) => s.code);
  const strata = allStrata(protocol, sites.length ? sites : ['SITE']);
  let near: Answers | undefined;
  let firstAnswers: Answers | undefined;
  return [
    setUpScript(protocol, sites.length ? sites : ['SITE']),
    // Each stratum's patient starts from the previous one's answers (neighbouring strata differ in
    // one factor): fewer changes to search, and scripts a tester can follow from one to the next.
    ...strata.map((s, i) => {
      const script = stratumScript(protocol, s, i + 1, near);
      near = script.steps.find((step) => step.answers)?.answers ?? near;
      firstAnswers ??= near;
      return script;
    }),
    ...protocol.eligibility.map((r, i) => eligibilityScript(protocol, r, i + 1)),
    ...(usesList(protocol) ? [downtimeScript(protocol, strata[0], firstAnswers)] : []),
    ...unblindingScripts(protocol),
    endOfStudyScript(protocol),
  ];
}
