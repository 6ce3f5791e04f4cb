/** [SAFE-001] The protocol's `unblinding.safety` block: one designated recipient, a role or one plain address. */
import { readFileSync } from 'node:fs';
import { formatProtocolError, parseProtocol } from '../../shared/protocol/index.js';
import { repoPath } from './helpers.js';

const demo = readFileSync(repoPath('protocols/msct-ms.yaml'), 'utf8');
const withSafety = (block: string) => {
  const text = demo.replace(/^(unblinding:\n {2}policy: [a-z-]+)$/m, `$1\n  safety:\n${block}`);
  if (text === demo) throw new Error('no unblinding block in the demo protocol');
  return parseProtocol(text, 'safety.yaml');
};
const errors = (r: ReturnType<typeof parseProtocol>) => (r.ok ? '' : r.errors.map(formatProtocolError).join('\n'));

describe('[SAFE-001] unblinding.safety in the protocol', () => {
  it('is optional, and parses a role or an e-mail recipient', () => {
    const plain = parseProtocol(demo);
    expect(plain.ok && plain.protocol.unblinding.safety).toBeUndefined();
    const role = withSafety('    recipient:\n      role: pharmacovigilance');
    expect(role.ok && role.protocol.unblinding).toMatchObject({
      policy: 'monitor-approval',
      safety: { recipient: { role: 'pharmacovigilance' } },
    });
    expect(role.ok && role.protocol.unblinding.safety).toEqual({ recipient: { role: 'pharmacovigilance' } });
    const email = withSafety('    recipient:\n      email: vigilance@chu-toulouse.fr');
    expect(email.ok && email.protocol.unblinding.safety).toEqual({ recipient: { email: 'vigilance@chu-toulouse.fr' } });
  });

  it('refuses another role, both recipients, a missing recipient and an address that is not one plain address', () => {
    expect(errors(withSafety('    recipient:\n      role: investigator'))).toMatch(
      /unblinding\.safety\.recipient\.role/,
    );
    expect(errors(withSafety('    recipient:\n      role: pharmacovigilance\n      email: pv@chu.fr'))).toMatch(
      /unblinding\.safety\.recipient/,
    );
    expect(errors(withSafety('    {}'))).toMatch(/recipient/);
    for (const bad of ['pv at chu.fr', 'a@b.fr, c@d.fr', 'Vigilance <pv@chu.fr>', 'pv@localhost']) {
      expect(errors(withSafety(`    recipient:\n      email: "${bad}"`))).toContain('is not one e-mail address');
    }
  });
});
