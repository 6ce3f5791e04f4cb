import type { SecondFactorClient } from '../auth/second-factor-client.js';

/** A small HTTP client for the operational checks: JSON in, JSON or text out, never throws on a status. */
export interface HttpResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export class HttpClient {
  /** `secondFactor`: adds the codes the server asks for (sign-in, first signature, co-signatures). */
  constructor(
    readonly baseUrl: string,
    readonly secondFactor: SecondFactorClient | null = null,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const exchange = async (sent: unknown) => {
      if (sent !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: sent === undefined ? undefined : JSON.stringify(sent),
      });
      return { status: res.status, headers: res.headers, text: await res.text() };
    };
    const me = (tok: string) => this.get('/api/auth/me', tok);
    const res = this.secondFactor
      ? await this.secondFactor.exchange(options.body, options.token, me, exchange)
      : await exchange(options.body);
    const text = res.text;
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: res.status, body: body as T, text, headers: res.headers };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { token, body, headers });
  }

  async login(username: string, password: string): Promise<string> {
    const res = this.secondFactor
      ? await this.secondFactor.signIn((p, b, t) => this.post(p, b, t), username, password)
      : await this.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${res.text.slice(0, 200)}`);
    return res.body.accessToken;
  }
}
