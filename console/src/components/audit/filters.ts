export interface AuditFilterValues {
  action: string;
  actor: string;
  entityType: string;
  entityId: string;
  from: string;
  to: string;
}
