/** `{ field: { old, new } }` for the fields whose values differ: the audit trail never hides an earlier value. */
export function changesBetween<T extends object>(
  before: T,
  after: T,
  fields: Array<keyof T>,
): Record<string, { old: unknown; new: unknown }> {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const field of fields) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      changes[String(field)] = { old: before[field], new: after[field] };
  }
  return changes;
}
