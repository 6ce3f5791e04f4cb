/**
 * The printable HTML form of a signed qualification report: the same facts as the JSON (which is the
 * signed original; the HTML quotes its digest), every value escaped.
 */
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';
import type { QualificationReport } from './report.js';

const escape = (v: unknown) =>
  String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderReportHtml(report: QualificationReport, locale: Locale): string {
  const t = (key: string, params?: Record<string, string | number>) =>
    escape(translate(locale, `qualification.${key}`, params));
  const env = report.environment;
  const rows = report.checks
    .map(
      (c) =>
        `<tr class="${c.pass ? 'pass' : 'fail'}"><td>${escape(c.id)}</td><td>${escape(c.requirements.join(', '))}</td><td>${escape(c.title)}</td><td>${escape(c.expected)}</td><td>${escape(c.observed)}</td><td>${c.pass ? t('pass') : t('fail')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${t('reportTitle')} ${escape(report.id)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px;vertical-align:top;font-size:.9em}tr.fail td{background:#fdd}tr.pass td:last-child{color:#060}dt{font-weight:bold}code{word-break:break-all}</style>
</head><body>
<h1>${t('reportTitle')}</h1>
<p><strong>${report.result === 'pass' ? t('resultPass') : t('resultFail')}</strong> — ${t('summary', { passed: report.summary.passed, total: report.summary.total })}</p>
<dl>
<dt>${t('reportId')}</dt><dd>${escape(report.id)}</dd>
<dt>${t('runBy')}</dt><dd>${escape(report.runBy.displayName)} (${escape(report.runBy.username)}, ${escape(report.runBy.role)})</dd>
<dt>${t('when')}</dt><dd>${escape(report.startedAt)} – ${escape(report.finishedAt)}</dd>
<dt>${t('environment')}</dt><dd>blindrand ${escape(env.version)}; Node ${escape(env.node)}; ${escape(env.os)}; ${escape(env.databaseVersion)}; ${escape(env.publicUrl)}</dd>
<dt>${t('digest')}</dt><dd><code>${escape(report.signature.digest)}</code></dd>
<dt>${t('publicKey')}</dt><dd><code>${escape(report.signature.publicKey)}</code></dd>
</dl>
<table><thead><tr><th>${t('colCheck')}</th><th>${t('colRequirements')}</th><th>${t('colTitle')}</th><th>${t('colExpected')}</th><th>${t('colObserved')}</th><th>${t('colResult')}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p>${t('verifyHint', { id: report.id })}</p>
</body></html>
`;
}
