/** A stratum as people read it: the server joins its factor levels with "|", shown here as " · ". */
export const stratumText = (s: unknown): string => (typeof s === 'string' ? s.replace(/\|/g, ' · ') : s ? JSON.stringify(s) : '—');
