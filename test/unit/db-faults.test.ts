import { describe, expect, it } from '@jest/globals';
import { faultKind, translateFault } from '../../server/src/database/faults.js';
import { Mutex } from '../../server/src/database/mutex.js';
import { DomainError } from '../../server/src/common/domain-error.js';

/** TypeORM wraps driver errors in QueryFailedError with the driver's error as `driverError`. */
const wrapped = (code: string, message = 'x') =>
  Object.assign(new Error(message), { driverError: Object.assign(new Error(message), { code }) });

describe('database faults become 503s with a code (never 500), other errors pass through [REL-002]', () => {
  it('classifies SQLite and PostgreSQL outages', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '55P03', '40001', '40P01'])
      expect([code, faultKind(wrapped(code))]).toEqual([code, 'busy']);
    for (const code of ['SQLITE_FULL', '53100']) expect([code, faultKind(wrapped(code))]).toEqual([code, 'full']);
    for (const code of [
      'SQLITE_READONLY',
      'SQLITE_READONLY_DBMOVED',
      'SQLITE_IOERR',
      'SQLITE_IOERR_WRITE',
      'SQLITE_IOERR_FSYNC',
      'SQLITE_CANTOPEN',
      '57P01',
      '57P03',
      '08006',
      '08001',
      '53300',
      '25006',
      'ECONNREFUSED',
      'ECONNRESET',
    ]) {
      expect([code, faultKind(wrapped(code))]).toEqual([code, 'unavailable']);
    }
    expect(faultKind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(
      'unavailable',
    );
    expect(faultKind(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(
      faultKind(Object.assign(new Error('Query runner already released'), { name: 'QueryRunnerAlreadyReleasedError' })),
    ).toBe('unavailable');
  });

  it('leaves bugs, constraints and bad input alone', () => {
    for (const code of ['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', '42601', '22P02'])
      expect([code, faultKind(wrapped(code))]).toEqual([code, null]);
    expect(faultKind(new Error('a write transaction must record at least one audit entry'))).toBeNull();
    const domain = new DomainError('NOT_FOUND', 'nope');
    expect(translateFault(domain)).toBe(domain);
  });

  it('answers with the code, a 503 and Retry-After', () => {
    const full = translateFault(wrapped('SQLITE_FULL')) as DomainError;
    expect([full.code, full.status, Number(full.headers?.['Retry-After']) > 0]).toEqual(['STORAGE_FULL', 503, true]);
    const down = translateFault(wrapped('57P01')) as DomainError;
    expect([down.code, down.status, Number(down.headers?.['Retry-After']) > 0]).toEqual([
      'DATABASE_UNAVAILABLE',
      503,
      true,
    ]);
    const busy = translateFault(wrapped('SQLITE_BUSY')) as DomainError;
    expect([busy.code, busy.status, busy.headers?.['Retry-After']]).toEqual(['BUSY', 503, '1']);
  });
});

describe('the write queue', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a queued caller gives up at its deadline only when told to; the others keep their order', async () => {
    const m = new Mutex();
    const order: string[] = [];
    let stuck = true;
    const first = m.run(async () => {
      while (stuck) await sleep(10);
      order.push('first');
    });
    const started = Date.now();
    const second = m
      .run(
        async () => order.push('second'),
        Date.now() + 50,
        () => new Error('gave up'),
      )
      .catch((e) => `${(e as Error).message} after ${Date.now() - started} ms`);
    const third = m.run(
      async () => order.push('third'),
      Date.now() + 50,
      () => null,
    ); // the queue is moving: wait on
    const gaveUp = await second;
    expect(gaveUp).toMatch(/^gave up after \d+ ms$/);
    expect(Number(/after (\d+)/.exec(String(gaveUp))![1])).toBeLessThan(500);
    stuck = false;
    await Promise.all([first, third]);
    expect(order).toEqual(['first', 'third']);
    expect(m.queued).toBe(0);
  });
});
