/**
 * UAT scripts as Markdown or HTML: one document per script (an index lists them), each with its
 * steps (action, test data, expected result, and empty columns for the observed result and
 * pass/fail) and a signature block the tester and reviewer fill in by hand or in their eQMS.
 */
import type { Protocol } from '../../../shared/protocol/index.js';
import type { UatScript } from './uat.js';

export type UatFormat = 'md' | 'html';

export interface UatHeader {
  protocolFile: string;
  /** SHA-256 of the protocol file: the scripts are valid for exactly this configuration. */
  protocolSha256: string;
  version: string;
  generatedAt: string;
}

const SIGNATURE_ROWS = [
  'Executed by (printed name, role)',
  'Signature',
  'Date (UTC)',
  'Result (Pass / Fail)',
  'Deviation number and description (if any)',
  'Reviewed by (printed name, signature, date)',
];

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

function headerLines(protocol: Protocol, h: UatHeader): string[] {
  return [
    `Study ${protocol.study.code} — ${protocol.study.title}`,
    `Protocol file ${h.protocolFile}, SHA-256 ${h.protocolSha256}; blindrand ${h.version}; generated ${h.generatedAt}.`,
  ];
}

function scriptMarkdown(protocol: Protocol, script: UatScript, h: UatHeader): string {
  const out = [
    `# ${script.id} — ${script.title}`,
    '',
    ...headerLines(protocol, h).map((l) => `${l}  `),
    '',
    `**Purpose.** ${script.purpose}`,
    '',
    `**Requirements shown.** ${script.requirements.join(', ')}`,
    '',
    '**Preconditions.**',
    '',
  ];
  for (const p of script.preconditions) out.push(`- ${p}`);
  out.push(
    '',
    '| # | Who | Action | Test data | Expected result | Observed result | Pass / Fail |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  script.steps.forEach((s, i) => {
    const data = (s.data ?? []).map(([k, v]) => `${k}: **${v}**`).join('<br>');
    out.push(`| ${i + 1} | ${mdCell(s.actor)} | ${mdCell(s.action)} | ${mdCell(data)} | ${mdCell(s.expected)} |  |  |`);
  });
  out.push('', '**Signatures.**', '', '| | |', '| --- | --- |');
  for (const r of SIGNATURE_ROWS) out.push(`| ${r} | |`);
  return out.join('\n') + '\n';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `body{font-family:system-ui,sans-serif;margin:2em;font-size:11pt}table{border-collapse:collapse;width:100%;margin:1em 0}
td,th{border:1px solid #555;padding:4px 6px;vertical-align:top;text-align:left}th{background:#eee}
.sig td:first-child{width:35%}.sig td{height:2.2em}@media print{body{margin:0}.script{page-break-after:always}}`;

function scriptHtml(protocol: Protocol, script: UatScript, h: UatHeader): string {
  const rows = script.steps
    .map(
      (s, i) =>
        `<tr><td>${i + 1}</td><td>${esc(s.actor)}</td><td>${esc(s.action)}</td><td>${(s.data ?? []).map(([k, v]) => `${esc(k)}: <b>${esc(v)}</b>`).join('<br>')}</td><td>${esc(s.expected)}</td><td></td><td></td></tr>`,
    )
    .join('\n');
  return [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(script.id)} — ${esc(script.title)}</title><style>${CSS}</style></head><body><section class="script">`,
    `<h1>${esc(script.id)} — ${esc(script.title)}</h1>`,
    ...headerLines(protocol, h).map((l) => `<p>${esc(l)}</p>`),
    `<p><b>Purpose.</b> ${esc(script.purpose)}</p><p><b>Requirements shown.</b> ${esc(script.requirements.join(', '))}</p>`,
    `<p><b>Preconditions.</b></p><ul>${script.preconditions.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`,
    '<table><thead><tr><th>#</th><th>Who</th><th>Action</th><th>Test data</th><th>Expected result</th><th>Observed result</th><th>Pass / Fail</th></tr></thead><tbody>',
    rows,
    '</tbody></table><h2>Signatures</h2><table class="sig"><tbody>',
    SIGNATURE_ROWS.map((r) => `<tr><td>${esc(r)}</td><td></td></tr>`).join(''),
    '</tbody></table></section></body></html>',
  ].join('\n');
}

export function indexDocument(protocol: Protocol, scripts: UatScript[], h: UatHeader, format: UatFormat): string {
  const ext = format;
  if (format === 'md') {
    const out = [
      '# User acceptance test scripts',
      '',
      ...headerLines(protocol, h).map((l) => `${l}  `),
      '',
      'Execute in this order on a validation instance loaded with this exact protocol file; sign each script.',
      '',
      '| Script | Title | Covers | Requirements |',
      '| --- | --- | --- | --- |',
    ];
    for (const s of scripts)
      out.push(
        `| [${s.id}](${s.id}.${ext}) | ${mdCell(s.title)} | ${mdCell(s.covers)} | ${s.requirements.join(', ')} |`,
      );
    return out.join('\n') + '\n';
  }
  const rows = scripts
    .map(
      (s) =>
        `<tr><td><a href="${s.id}.${ext}">${esc(s.id)}</a></td><td>${esc(s.title)}</td><td>${esc(s.covers)}</td><td>${esc(s.requirements.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>UAT scripts — ${esc(protocol.study.code)}</title><style>${CSS}</style></head><body>
<h1>User acceptance test scripts</h1>${headerLines(protocol, h)
    .map((l) => `<p>${esc(l)}</p>`)
    .join('')}
<p>Execute in this order on a validation instance loaded with this exact protocol file; sign each script.</p>
<table><thead><tr><th>Script</th><th>Title</th><th>Covers</th><th>Requirements</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}

export function renderScript(protocol: Protocol, script: UatScript, h: UatHeader, format: UatFormat): string {
  return format === 'html' ? scriptHtml(protocol, script, h) : scriptMarkdown(protocol, script, h);
}
