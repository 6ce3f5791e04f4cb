import type { Ddl } from './ddl.js';

/** Users, sites, sessions, the audit chain and its checkpoints, electronic signatures. */
export function foundation(t: Ddl): string[] {
  return [
    `CREATE TABLE sites (
      code VARCHAR(32) PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      active ${t.bool} NOT NULL DEFAULT ${t.true},
      created_at ${t.ts} NOT NULL,
      updated_at ${t.ts} NOT NULL)`,
    `CREATE TABLE users (
      id VARCHAR(36) PRIMARY KEY,
      username VARCHAR(64) NOT NULL UNIQUE,
      display_name VARCHAR(200) NOT NULL,
      email VARCHAR(320),
      role VARCHAR(32) NOT NULL,
      site_codes ${t.json} NOT NULL,
      password_hash TEXT NOT NULL,
      active ${t.bool} NOT NULL DEFAULT ${t.true},
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_at ${t.ts},
      created_at ${t.ts} NOT NULL,
      updated_at ${t.ts} NOT NULL)`,
    `CREATE TABLE sessions (
      id VARCHAR(36) PRIMARY KEY,
      token_hash CHAR(64) NOT NULL UNIQUE,
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      created_at ${t.ts} NOT NULL,
      last_seen_at ${t.ts} NOT NULL,
      expires_at ${t.ts} NOT NULL,
      revoked_at ${t.ts})`,
    `CREATE INDEX sessions_user ON sessions(user_id)`,
    // One row: the chain's head. Every write transaction locks it first, which serializes writers
    // (BEGIN IMMEDIATE semantics on SQLite, SELECT … FOR UPDATE on PostgreSQL).
    `CREATE TABLE audit_head (
      id INTEGER PRIMARY KEY,
      seq INTEGER NOT NULL,
      hash CHAR(64) NOT NULL)`,
    `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
    `CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      at ${t.ts} NOT NULL,
      actor VARCHAR(64) NOT NULL,
      role VARCHAR(32) NOT NULL,
      action VARCHAR(64) NOT NULL,
      entity_type VARCHAR(64) NOT NULL,
      entity_id VARCHAR(128),
      reason TEXT,
      details ${t.json} NOT NULL,
      prev_hash CHAR(64) NOT NULL,
      hash CHAR(64) NOT NULL)`,
    `CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id)`,
    `CREATE TABLE audit_checkpoints (
      size INTEGER PRIMARY KEY,
      head_hash CHAR(64) NOT NULL,
      at ${t.ts} NOT NULL,
      signature TEXT NOT NULL,
      public_key TEXT NOT NULL)`,
    `CREATE TABLE signatures (
      id VARCHAR(36) PRIMARY KEY,
      signer_id VARCHAR(36) NOT NULL REFERENCES users(id),
      signer_username VARCHAR(64) NOT NULL,
      printed_name VARCHAR(200) NOT NULL,
      meaning TEXT NOT NULL,
      signed_at ${t.ts} NOT NULL,
      record_type VARCHAR(64) NOT NULL,
      record_id VARCHAR(128) NOT NULL,
      record_hash CHAR(64) NOT NULL,
      seal TEXT NOT NULL)`,
    `CREATE INDEX signatures_record ON signatures(record_type, record_id)`,
  ];
}
