import { Writable } from 'node:stream';
import winston from 'winston';
import Transport from 'winston-transport';
import type { TelemetrySource } from '../../../lib/errorReporter';
import { UNMATCHED_ROUTE, type FinishedRequest } from '../../../lib/requestLifecycle';
import { MemoryTransport } from '../../helpers/memoryTransport';
import { closeAll, testObservability } from '../../helpers/testObservability';
import { logLines } from './logLines';

afterEach(closeAll);

class ThrowingTransport extends Transport {
  calls = 0;
  constructor(private readonly failures: number) {
    super();
  }

  override log(_info: unknown, callback: () => void): void {
    this.calls++;
    if (this.calls <= this.failures) throw new Error(`transport broke (${this.calls})`);
    callback();
  }
}

class CallbackErrorTransport extends Transport {
  override log(_info: unknown, callback: (err?: Error) => void): void {
    callback(new Error('disk full'));
  }
}

function setup(failing: Transport) {
  const reports: Array<[TelemetrySource, unknown]> = [];
  const good = new MemoryTransport();
  const { obs } = testObservability({
    onError: (e, source) => reports.push([source, e]),
    logging: { transports: [failing, good] },
  });
  return { obs, good, reports };
}

const finished = (): FinishedRequest =>
  ({
    method: 'GET',
    route: UNMATCHED_ROUTE,
    path: '/x',
    statusCode: 200,
    aborted: false,
    durationSeconds: 0.001,
    requestBytes: 0,
    responseBytes: 2,
    error: undefined,
    requestId: 'r1',
    traceId: undefined,
    spanId: undefined,
    req: { headers: {}, socket: {} },
  }) as unknown as FinishedRequest;

const tick = () => new Promise((r) => setImmediate(r));

describe('a failing transport', () => {
  it('that throws is reported once, never reaches the caller, and does not stop the other transports', async () => {
    const failing = new ThrowingTransport(5);
    const { obs, good, reports } = setup(failing);
    for (let i = 0; i < 10; i++) expect(() => obs.logger.info(`line ${i}`)).not.toThrow();
    expect(() => obs.logging.accessLog(finished())).not.toThrow();
    await tick();
    expect(
      logLines(good)
        .filter((l) => l.message.startsWith('line'))
        .map((l) => l.message),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i}`));
    expect(logLines(good).some((l) => l.logger === 'access')).toBe(true);
    expect(reports).toHaveLength(1);
    expect(reports[0][0]).toBe('logging');
    expect(String(reports[0][1])).toContain('transport broke (1)');
    // the stream of the failing transport did not wedge: after its failures it gets lines again
    expect(failing.calls).toBeGreaterThan(5);
  });

  it("whose stream emits 'error' is reported once and does not crash the process", async () => {
    let writes = 0;
    const broken = new Writable({
      write(_chunk, _enc, cb) {
        writes++;
        cb(new Error('EPIPE'));
      },
    });
    const { obs, good, reports } = setup(new winston.transports.Stream({ stream: broken }));
    for (let i = 0; i < 5; i++) {
      obs.logger.warn(`line ${i}`);
      await tick();
    }
    obs.logging.accessLog(finished());
    await tick();
    expect(writes).toBeGreaterThan(0);
    expect(logLines(good).filter((l) => l.message.startsWith('line'))).toHaveLength(5);
    expect(reports.filter(([, e]) => String(e).includes('EPIPE'))).toHaveLength(1);
    expect(reports.every(([s]) => s === 'logging')).toBe(true);
  });

  it('that calls back with an error is reported once', async () => {
    const { obs, good, reports } = setup(new CallbackErrorTransport());
    for (let i = 0; i < 5; i++) {
      obs.logger.info(`line ${i}`);
      await tick();
    }
    expect(logLines(good).filter((l) => l.message.startsWith('line'))).toHaveLength(5);
    expect(reports).toHaveLength(1);
    expect(String(reports[0][1])).toContain('disk full');
  });

  it('added later with logger.add is guarded too', async () => {
    const { obs, good, reports } = setup(new MemoryTransport());
    obs.logger.add(new ThrowingTransport(100));
    expect(() => obs.logger.info('after add')).not.toThrow();
    await tick();
    expect(logLines(good).map((l) => l.message)).toContain('after add');
    expect(reports).toHaveLength(1);
  });

  it('with no onError, the default reporter warns once through the remaining transports', async () => {
    const good = new MemoryTransport();
    const { obs } = testObservability({ logging: { transports: [new ThrowingTransport(100), good] } });
    for (let i = 0; i < 3; i++) obs.logger.info(`line ${i}`);
    await tick();
    const warnings = logLines(good).filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      message: expect.stringContaining('logging failure'),
      error: { type: 'Error', message: 'transport broke (1)' },
    });
    expect(obs.errors.counts().logging).toBe(1);
  });
});
