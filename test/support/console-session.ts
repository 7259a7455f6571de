import { spawn } from 'node:child_process';
import path from 'node:path';
import { io } from 'socket.io-client';
import type { LiveClient, TestStack } from './test-stack';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = path.join(__dirname, 'ts-register.js');
const CLI = path.join(ROOT, 'apps/cli/src/main.ts');

/**
 * Runs `npm run cli -- <args>` from the sources against the stack's Redis prefix and database, `input`
 * on stdin, with `env` added to its environment.
 */
export function runCli(
  stack: TestStack,
  args: string[],
  input = '',
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', REGISTER, CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: stack.config.redis.url,
        REDIS_PREFIX: stack.config.redis.prefix,
        DATABASE_URL: stack.config.database.url,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export interface ConsoleAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** A browser-like caller of the API: keeps the session cookie it was given, sends the CSRF header on writes. */
export class ConsoleSession {
  cookie: string | null = null;

  constructor(private readonly baseUrl: string) {}

  async login(email: string, password: string): Promise<ConsoleAnswer> {
    const answer = await this.call('POST', '/api/v1/auth/login', { email, password });
    const setCookie = answer.headers.get('set-cookie');
    if (answer.status === 200 && setCookie) this.cookie = setCookie.split(';')[0];
    return answer;
  }

  async call(method: string, path: string, body?: unknown, options: { csrf?: boolean } = {}): Promise<ConsoleAnswer> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.csrf ?? method !== 'GET') headers['x-stockwall-csrf'] = '1';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      // CSV and empty bodies stay text.
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** A /live socket authenticated by the cookie alone (no token in the handshake). */
  async connectLive(baseUrl = this.baseUrl): Promise<LiveClient> {
    const socket: LiveClient = io(`${baseUrl}/live`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: this.cookie ? { cookie: this.cookie } : {},
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return socket;
  }
}
