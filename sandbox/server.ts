import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { timingSafeEqual } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import type { AccountSecrets } from './auth/credentials';
import { latencyProfile, parseFaultRule } from './conditions';
import { handleConsole } from './console/handler';
import { consoleState } from './console/sessions';
import { Journal } from './journal';
import { replayJournal } from './operations';
import { dispatchAws } from './dispatch';
import { fromOtherOrigin, header, type SandboxRequest, type SandboxResponse } from './protocols/http';
import { SERVICES } from './services';
import { World } from './world';

/** No request the lab's services take comes near this; a larger one is refused before it is read. */
export const MAX_REQUEST_BYTES = 20 * 1024 * 1024;
const ROUTE_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 2_000;

export interface SandboxOptions {
  port?: number;
  host?: string;
  latency?: string;
  /** When set, every admin call but health needs `Authorization: Bearer <token>`. */
  adminToken?: string;
  /** How long a Logs Insights query may run (AWS: 60 minutes). */
  queryTimeoutMs?: number;
  /** Class mode: each learner account's own secrets (sandbox/auth/learners.ts). */
  learners?: ReadonlyMap<string, AccountSecrets>;
  /** Durable state: the directory of the journal every change is written to (sandbox/journal.ts). */
  stateDir?: string;
  /** With `stateDir`: discard the state kept there and start empty. */
  reset?: boolean;
  /** With `stateDir`: how much of it one account may take (default 1 GiB). */
  accountStateLimitBytes?: number;
  /**
   * Who started it, as health says: `run` when a grading run started it for itself (it stops
   * when that run ends, so another run must not use it); `standalone` otherwise.
   */
  owner?: SandboxOwner;
}

export type SandboxOwner = 'run' | 'standalone';

/** What health says the sandbox is, so a grading run knows whether to use it. */
export interface SandboxIdentity {
  sandbox: 'lab';
  pid: number;
  /** The state directory, absolute; null when the state lives in memory only. */
  stateDir: string | null;
  owner: SandboxOwner;
}

export interface RunningSandbox {
  url: string;
  world: World;
  close(): Promise<void>;
}

/** Starts the lab sandbox: every emulated AWS service on one port, admin under `/_sandbox/`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const world = new World();
  if (options.latency) world.latency = latencyProfile(options.latency);
  if (options.queryTimeoutMs !== undefined) world.queryTimeoutMs = options.queryTimeoutMs;
  world.credentials.learners = options.learners;
  if (options.accountStateLimitBytes !== undefined)
    world.accountStateLimitBytes = options.accountStateLimitBytes;
  if (options.stateDir !== undefined) {
    const journal = Journal.open(options.stateDir, { reset: options.reset });
    try {
      await replayJournal(world, journal.entries(), journal.file);
      journal.startAppending();
    } catch (error) {
      journal.close();
      throw error;
    }
    world.journal = journal;
  }
  const startedAt = Date.now();
  const identity: SandboxIdentity = {
    sandbox: 'lab',
    pid: process.pid,
    stateDir: options.stateDir === undefined ? null : resolvePath(options.stateDir),
    owner: options.owner ?? 'standalone',
  };

  const handle = (
    incoming: IncomingMessage | Http2ServerRequest,
    outgoing: ServerResponse | Http2ServerResponse,
  ) => {
    // A request fails alone: a client that leaves mid-body (a truncated upload, an HTTP/2 stream
    // reset, an SDK timeout) ends its own request, never the sandbox with every account's state.
    serve(world, startedAt, identity, options.adminToken, incoming, outgoing).catch(() => {
      if (!outgoing.headersSent && !outgoing.destroyed) {
        outgoing.writeHead(400, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ message: 'The request body could not be read.' }));
      } else outgoing.destroy();
    });
  };
  const http1 = createServer(handle);
  http1.keepAliveTimeout = 30_000;
  // A client that trickles its headers or its body holds a connection: it is cut off.
  http1.headersTimeout = 10_000;
  http1.requestTimeout = 60_000;
  // The Bedrock runtime SDK client speaks HTTP/2 (cleartext, prior knowledge), every other client
  // HTTP/1.1: a connection opening with the HTTP/2 preface (`PRI * HTTP/2.0`) goes to HTTP/2.
  const http2 = createHttp2Server(handle);
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A connection reset before its first bytes is that connection's end, not the server's.
    socket.on('error', () => socket.destroy());
    // Nor may a connection that never says which protocol it speaks stay open.
    socket.setTimeout(ROUTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('readable', function route() {
      const head = socket.read(3) as Buffer | null;
      if (head === null) return void socket.once('readable', route);
      socket.setTimeout(0);
      socket.unshift(head);
      (head.toString('latin1') === 'PRI' ? http2 : http1).emit('connection', socket);
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  world.journal?.announce(`http://${host}:${port}`);
  return {
    url: `http://${host}:${port}`,
    world,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        world.journal?.close();
      }),
  };
}

async function serve(
  world: World,
  startedAt: number,
  identity: SandboxIdentity,
  adminToken: string | undefined,
  incoming: IncomingMessage | Http2ServerRequest,
  outgoing: ServerResponse | Http2ServerResponse,
) {
  const declared = Number(incoming.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BYTES) return tooLarge(incoming, outgoing);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return tooLarge(incoming, outgoing);
    chunks.push(chunk as Buffer);
  }
  const rawUrl = incoming.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const req: SandboxRequest = {
    method: incoming.method ?? 'GET',
    rawPath,
    path: safeDecode(rawPath),
    query: new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)),
    // HTTP/2 carries the host as `:authority`; SigV4 signs it as `host`.
    headers: { host: incoming.headers[':authority'] as string | undefined, ...incoming.headers },
    body: Buffer.concat(chunks),
  };
  let response: SandboxResponse;
  try {
    response = req.path.startsWith('/_sandbox/')
      ? (adminRefusal(req, adminToken) ?? admin(world, startedAt, identity, req))
      : ((await handleConsole(world, req)) ?? (await dispatchAws(world, req)));
  } catch (error) {
    console.error('[sandbox] unexpected error:', error);
    response = adminJson(500, { message: 'The sandbox failed to handle the request; see its log.' });
  }
  // The client may have gone while the request was handled: there is no one to answer.
  if (outgoing.destroyed) return;
  outgoing.writeHead(response.status, response.headers);
  outgoing.end(response.body);
}

/**
 * 413 before the body is read or hashed, and the connection closed so the rest is never read.
 * UNVERIFIED: AWS's front door answers 413 too; its body here is the sandbox's own.
 */
function tooLarge(
  incoming: IncomingMessage | Http2ServerRequest,
  outgoing: ServerResponse | Http2ServerResponse,
): void {
  // HTTP/2 has no Connection header: there the stream alone ends.
  const close = 'stream' in outgoing ? {} : { connection: 'close' };
  outgoing.writeHead(413, { 'content-type': 'application/json', ...close });
  outgoing.end(
    JSON.stringify({
      message: `Request body too large: the sandbox takes at most ${MAX_REQUEST_BYTES} bytes.`,
    }),
    () => incoming.destroy(),
  );
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The sandbox's own endpoints (not AWS): health, reset, the audit log of calls, injected faults
 * and the latency profile.
 */
/**
 * Who may call the admin endpoints. In every mode: no request from a page of another origin (the
 * browser names it in `Origin`), and no change sent as a simple request, which any page could
 * send without asking: a change must say `Content-Type: application/json`, which makes a browser
 * ask first, and the sandbox never says yes. With a token, every call but health must carry it.
 */
function adminRefusal(req: SandboxRequest, adminToken: string | undefined): SandboxResponse | undefined {
  if (fromOtherOrigin(req)) {
    return adminJson(403, { message: 'The sandbox admin endpoints refuse requests from other origins.' });
  }
  if (req.method !== 'GET' && !/^application\/json\b/i.test(header(req, 'content-type') ?? '')) {
    return adminJson(415, {
      message: 'A sandbox admin change must be sent as Content-Type: application/json.',
    });
  }
  if (adminToken !== undefined && req.path !== '/_sandbox/health') {
    const given = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1] ?? '';
    const matches =
      given.length === adminToken.length && timingSafeEqual(Buffer.from(given), Buffer.from(adminToken));
    if (!matches)
      return adminJson(401, {
        message: 'The sandbox admin endpoints need Authorization: Bearer <admin token>.',
      });
  }
  return undefined;
}

function admin(
  world: World,
  startedAt: number,
  identity: SandboxIdentity,
  req: SandboxRequest,
): SandboxResponse {
  const route = `${req.method} ${req.path}`;
  try {
    switch (route) {
      case 'GET /_sandbox/health':
        return adminJson(200, {
          status: 'ok',
          services: [...new Set(SERVICES.map((s) => s.name))],
          latency: world.latency.name,
          uptimeMs: Date.now() - startedAt,
          ...identity,
        });
      case 'POST /_sandbox/reset':
        world.reset();
        consoleState(world).clear();
        return adminJson(200, { reset: true });
      case 'GET /_sandbox/audit': {
        const since = req.query.get('since');
        return adminJson(200, {
          calls: world.audit.list({
            account: req.query.get('account') ?? undefined,
            since: since ? Date.parse(since) : undefined,
          }),
        });
      }
      case 'DELETE /_sandbox/audit':
        world.audit.clear();
        return adminJson(200, { cleared: true });
      case 'GET /_sandbox/faults':
        return adminJson(200, { faults: world.faults.list() });
      case 'PUT /_sandbox/faults': {
        const body = readJson(req) as { faults?: unknown };
        if (!Array.isArray(body.faults)) throw new Error('Expected a JSON body {"faults": [...]}.');
        world.faults.replace(body.faults.map(parseFaultRule));
        return adminJson(200, { faults: world.faults.list() });
      }
      case 'GET /_sandbox/latency':
        return adminJson(200, world.latency);
      case 'PUT /_sandbox/latency': {
        const body = readJson(req) as { profile?: unknown };
        world.latency = latencyProfile(String(body.profile));
        return adminJson(200, world.latency);
      }
      default:
        return adminJson(404, {
          message: `No sandbox endpoint ${route}. Endpoints: GET /_sandbox/health, POST /_sandbox/reset, GET|DELETE /_sandbox/audit, GET|PUT /_sandbox/faults, GET|PUT /_sandbox/latency.`,
        });
    }
  } catch (error) {
    return adminJson(400, { message: (error as Error).message });
  }
}

function readJson(req: SandboxRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    throw new Error('The request body is not valid JSON.');
  }
}

function adminJson(status: number, body: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
