/**
 * Direct API calls used only to PREPARE a journey (e.g. a randomized patient for the pharmacist's
 * journey), so each journey test stands alone. The journey itself is always walked by clicking.
 */
import { randomUUID } from 'node:crypto';
import { testSecondFactor } from '../../support/env.js';

export class Api {
  private tokens = new Map<string, string>();
  /** Adds the second-factor codes the server asks for (the demo secret; test servers accept a code twice). */
  private readonly secondFactor = testSecondFactor();
  constructor(
    readonly baseUrl: string,
    readonly password: string,
  ) {
    this.secondFactor.reuseSteps = true;
  }

  private async post(path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async token(username: string): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const res = await this.secondFactor.signIn((p, b, t) => this.post(p, b, t), username, this.password);
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    const token = String(res.body.accessToken);
    this.tokens.set(username, token);
    return token;
  }

  async call<T = unknown>(
    username: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const token = await this.token(username);
    const res = await this.secondFactor.exchange(body, token, undefined, async (sent) => {
      const answer = await fetch(`${this.baseUrl}/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: sent === undefined ? undefined : JSON.stringify(sent),
      });
      return { ok: answer.ok, status: answer.status, text: await answer.text() };
    });
    const text = res.text;
    if (!res.ok) throw new Error(`${method} ${path} as ${username}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Screening answers of the demo protocol (protocols/msct-ms.yaml) that make a patient eligible (RRMS, EDSS ≤ 5.0). */
const ELIGIBLE_ANSWERS: Record<string, string | number | boolean> = {
  course: 'RRMS',
  age: 35,
  disease_duration: 5,
  edss: 4,
  failed_therapy_1y: true,
  relapses_12m: 1,
  relapses_24m: 2,
  gel_12m: 1,
  new_t2_12m: false,
  edss_increase_12m: 0,
  csf_ocb: false,
  active_infection: false,
  immunosuppressants_3m: false,
};

export interface Randomized {
  id: string;
  randomizationNumber: number | string;
  treatmentCode: string;
}

/** Registers an eligible patient at `site` (not randomized); returns its id. */
export async function eligiblePatient(
  api: Api,
  investigator: string,
  site: string,
  screeningNumber: string,
): Promise<string> {
  const p = await api.call<{ id: string }>(investigator, 'POST', '/participants', {
    siteCode: site,
    screeningNumber,
    factors: { course: ELIGIBLE_ANSWERS.course, edss: ELIGIBLE_ANSWERS.edss },
    eligibility: ELIGIBLE_ANSWERS,
  });
  return p.id;
}

/** Registers an eligible patient at `site` and randomizes it. */
export async function randomizedPatient(
  api: Api,
  investigator: string,
  site: string,
  screeningNumber: string,
): Promise<Randomized> {
  const p = await api.call<{ id: string }>(investigator, 'POST', '/participants', {
    siteCode: site,
    screeningNumber,
    factors: { course: ELIGIBLE_ANSWERS.course, edss: ELIGIBLE_ANSWERS.edss },
    eligibility: ELIGIBLE_ANSWERS,
  });
  const r = await api.call<{ randomizationNumber: number | string; treatmentCode: string }>(
    investigator,
    'POST',
    `/participants/${p.id}/randomize`,
    { signature: { password: api.password } },
    { 'Idempotency-Key': randomUUID() },
  );
  return { id: p.id, randomizationNumber: r.randomizationNumber, treatmentCode: r.treatmentCode };
}
