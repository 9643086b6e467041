import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  IncomingMessage,
  OutgoingMessage,
  request as httpRequest,
  ServerResponse,
  type RequestListener,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countBodies, holdBodyCounting, type BodyCounts } from '../../middleware/bodyCounter';
import { expressVersions } from '../helpers/expressVersions';
import { contract, installed, type Installed } from './contract';

/*
 * middleware/bodyCounter.ts counts body bytes by wrapping ServerResponse.prototype.write/end
 * (every response, Express's included, must reach them) and each request's `push` (where
 * Node's HTTP parser hands the body over). Node is not in package.json's dependencies but
 * its `engines` range: these tests name the Node version they ran on.
 */
const NODE: Installed = { name: 'node', version: process.versions.node };
const USED_BY = 'middleware/bodyCounter.ts';

let release: () => void;
beforeAll(() => {
  release = holdBodyCounting();
});
afterAll(() => release());

/** Serves `handler` with counting on, sends one request and returns what each side saw. */
async function exchange(
  handler: RequestListener,
  send?: { body: Buffer; chunked: boolean },
): Promise<{ counted: BodyCounts; received: number }> {
  let counted: BodyCounts | undefined;
  const server: Server = createServer((req, res) => {
    counted = countBodies(req, res);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const received = await new Promise<number>((resolve, reject) => {
      const headers: Record<string, string> =
        send === undefined
          ? {}
          : send.chunked
            ? { 'transfer-encoding': 'chunked' }
            : { 'content-length': String(send.body.length) };
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/',
          method: send ? 'POST' : 'GET',
          headers: { ...headers, 'content-type': 'application/json', connection: 'close' },
        },
        (res) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () => resolve(n));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (send?.chunked) {
        // Two chunks, so the parser pushes more than once.
        req.write(send.body.subarray(0, 7));
        req.end(send.body.subarray(7));
      } else req.end(send?.body);
    });
    return { counted: counted!, received };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe(`node ${NODE.version}: the methods body counting wraps`, () => {
  it('ServerResponse.prototype inherits write and end, as (chunk, encoding, callback), from OutgoingMessage', () =>
    contract(
      NODE,
      'http.ServerResponse.prototype.write/end (inherited from OutgoingMessage.prototype, arity 3: chunk, encoding, callback)',
      USED_BY,
      () => {
        // Read where Node defines them: ServerResponse.prototype itself carries our wrappers now.
        expect(Object.getPrototypeOf(ServerResponse.prototype)).toBe(OutgoingMessage.prototype);
        const { write, end } = OutgoingMessage.prototype;
        expect([
          Object.hasOwn(OutgoingMessage.prototype, 'write'),
          Object.hasOwn(OutgoingMessage.prototype, 'end'),
        ]).toEqual([true, true]);
        expect([typeof write, write.length, typeof end, end.length]).toEqual(['function', 3, 'function', 3]);
        expect(typeof IncomingMessage.prototype.push).toBe('function');
      },
    ));

  it('every response byte passes through write or end: strings in any encoding, buffers, pipes, callbacks', () =>
    contract(NODE, 'OutgoingMessage write/end as the only body entry points', USED_BY, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'body-contract-'));
      const file = join(dir, 'f.bin');
      writeFileSync(file, Buffer.alloc(70_000, 7));
      try {
        const direct = await exchange((_req, res) => {
          res.write('héllo');
          res.write('00ff', 'hex');
          res.write(new Uint8Array([1, 2, 3]), () => undefined);
          res.end(Buffer.from('end'), () => undefined);
        });
        expect(direct.counted.response).toBe(direct.received);
        expect(direct.received).toBe(Buffer.byteLength('héllo') + 2 + 3 + 3);
        const piped = await exchange((_req, res) => void createReadStream(file).pipe(res));
        expect(piped.counted.response).toBe(70_000);
        expect(piped.received).toBe(70_000);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it("the HTTP parser hands each request body chunk to the request's push", () =>
    contract(
      NODE,
      "IncomingMessage#push as the parser's body hand-off (content-length and chunked)",
      USED_BY,
      async () => {
        const body = Buffer.from(JSON.stringify({ sku: 'a-1', note: 'ünïcode' }));
        for (const chunked of [false, true]) {
          const r = await exchange(
            (req, res) => {
              req.resume();
              req.on('end', () => res.end('ok'));
            },
            { body, chunked },
          );
          expect({ chunked, request: r.counted.request }).toEqual({ chunked, request: body.length });
        }
      },
    ));
});

describe.each(expressVersions)('%s: responses reach the wrapped prototype', (name, express) => {
  // express 4 is installed under the alias express4.
  const dependency = installed(name === 'express 4' ? 'express4' : 'express');
  const label = dependency.name;

  it('its response object inherits from http.ServerResponse.prototype and keeps no write/end of its own', () =>
    contract(dependency, `${label}'s response prototype (express.response)`, USED_BY, () => {
      expect(Object.getPrototypeOf(express.response)).toBe(ServerResponse.prototype);
      expect([Object.hasOwn(express.response, 'write'), Object.hasOwn(express.response, 'end')]).toEqual([
        false,
        false,
      ]);
    }));

  it('res.send, res.json and res.sendFile bodies, and express.json request bodies, are counted', () =>
    contract(
      dependency,
      `${label}'s res.send/json/sendFile and body-parser reading through push`,
      USED_BY,
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'body-contract-'));
        writeFileSync(join(dir, 'page.html'), '<p>' + 'a'.repeat(5000) + '</p>');
        try {
          const app = express();
          app.use(express.json());
          app.get('/send', (_req, res) => void res.send('x'.repeat(321)));
          app.post('/json', (req, res) => void res.status(201).json({ got: req.body }));
          app.get('/file', (_req, res) => res.sendFile(join(dir, 'page.html')));
          for (const [path, send] of [
            ['/send'],
            ['/json', { body: Buffer.from('{"a":"ü"}'), chunked: false }],
            ['/file'],
          ] as const) {
            const r = await exchange((req, res) => {
              req.url = path;
              app(req, res);
            }, send);
            expect({ path, response: r.counted.response }).toEqual({ path, response: r.received });
            if (send) expect(r.counted.request).toBe(send.body.length);
            expect(r.received).toBeGreaterThan(0);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    ));
});
