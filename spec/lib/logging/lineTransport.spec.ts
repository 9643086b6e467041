import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { LineTransport } from '../../../lib/logging/LineTransport';
import { ObservabilityConfigError } from '../../../lib/configError';
import type { TelemetrySource } from '../../../lib/errorReporter';
import { createObservability } from '../../../middleware/createObservability';

const tick = () => new Promise((r) => setImmediate(r));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'line-transport-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function logger(transport: LineTransport): winston.Logger {
  return winston.createLogger({ format: winston.format.json(), transports: [transport] });
}

describe('LineTransport', () => {
  it('writes the lines of one event-loop turn together when the turn ends', async () => {
    const file = join(dir, 'logs', 'app.log');
    const transport = new LineTransport({ destination: file });
    const writes = () => (transport as unknown as { _stream: { writes: number } })._stream.writes;
    const log = logger(transport);
    log.info('one');
    log.info('two', { orderId: 'o-1' });
    log.warn('three');
    expect(read(file)).toEqual([]);

    await tick();
    await tick();
    expect(read(file).map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { level: 'info', message: 'one' },
      { level: 'info', message: 'two', orderId: 'o-1' },
      { level: 'warn', message: 'three' },
    ]);
    expect(writes()).toBe(1);
    transport.close();
  });

  it('writes at once when the pending lines pass flushAtLength', () => {
    const file = join(dir, 'app.log');
    const transport = new LineTransport({ destination: file, flushAtLength: 100 });
    const log = logger(transport);
    log.info('x'.repeat(120));
    expect(read(file)).toHaveLength(1);
    log.info('short');
    expect(read(file)).toHaveLength(1);
    transport.close();
    expect(read(file)).toHaveLength(2);
  });

  it('reopens its file after rotation moved it away', async () => {
    const file = join(dir, 'app.log');
    const transport = new LineTransport({ destination: file });
    const log = logger(transport);
    log.info('before rotation');
    await tick();
    renameSync(file, `${file}.1`);
    log.info('pending at rotation');
    transport.reopen();
    log.info('after rotation');
    await tick();
    await tick();
    expect(read(`${file}.1`).map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['before rotation', 'pending at rotation']);
    expect(read(file).map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['after rotation']);
    transport.close();
  });

  it('writes pending lines when the instance shuts down', async () => {
    const file = join(dir, 'app.log');
    const obs = createObservability({
      serviceName: 'line-test',
      global: false,
      tracing: false,
      logging: { transports: [new LineTransport({ destination: file })], format: 'json' },
    });
    obs.logger.info('last words', { orderId: 'o-9' });
    await obs.shutdown();
    const lines = read(file).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ message: 'last words', orderId: 'o-9', service: 'line-test' })]);
    // The file it opened is closed too (the close is asynchronous: a few turns at most).
    const openOnFile = () => readdirSync('/proc/self/fd').filter((fd) => safeReadlink(`/proc/self/fd/${fd}`) === file).length;
    for (let i = 0; i < 50 && openOnFile() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(openOnFile()).toBe(0);
  });

  it.each([
    ['process.exit() in the same turn', "log.info('before exit'); process.exit(3);", 3],
    ['an uncaught exception', "log.info('before exit'); throw new Error('boom');", 1],
  ])('writes pending lines when the process ends through %s', (_name, body, code) => {
    const file = join(dir, 'exit.log');
    const script = [
      `const winston = require('winston');`,
      `const { LineTransport } = require(${JSON.stringify(join(__dirname, '../../../lib/logging/LineTransport'))});`,
      `const log = winston.createLogger({ format: winston.format.json(), transports: [new LineTransport({ destination: ${JSON.stringify(file)} })] });`,
      body,
    ].join('\n');
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.status).toBe(code);
    expect(read(file).map((l) => JSON.parse(l) as unknown)).toEqual([{ level: 'info', message: 'before exit' }]);
  });

  it('is the default transport: lines reach stdout as JSON', () => {
    const script = [
      `const { createObservability } = require(${JSON.stringify(join(__dirname, '../../../index'))});`,
      `const obs = createObservability({ serviceName: 'stdout-test', global: false, tracing: false, logging: { format: 'json' } });`,
      `obs.logger.info('to stdout', { orderId: 'o-2' });`,
      `obs.logger.warn('and again');`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.status).toBe(0);
    const lines = child.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', message: 'to stdout', orderId: 'o-2', service: 'stdout-test' }),
      expect.objectContaining({ level: 'warn', message: 'and again' }),
    ]);
  });

  it("reports a destination's write errors through the instance and never throws at the caller", async () => {
    const fd = openSync(join(dir, 'closed.log'), 'w');
    closeSync(fd);
    const reports: Array<[TelemetrySource, unknown]> = [];
    const transport = new LineTransport({ destination: fd });
    const obs = createObservability({
      serviceName: 'line-test',
      global: false,
      tracing: false,
      onError: (e, source) => reports.push([source, e]),
      logging: { transports: [transport] },
    });
    expect(() => obs.logger.info('lost')).not.toThrow();
    await tick();
    await tick();
    expect(reports).toEqual([['logging', expect.objectContaining({ code: 'EBADF' })]]);
    expect(transport.writeErrors).toBe(1);
    await obs.shutdown();
  });

  it('counts the lines of a failed write as dropped', async () => {
    const fd = openSync(join(dir, 'closed.log'), 'w');
    closeSync(fd);
    const transport = new LineTransport({ destination: fd });
    const log = logger(transport);
    log.info('a');
    await tick();
    log.info('b');
    log.info('c');
    await tick();
    await tick();
    expect(transport.dropped).toBe(3);
    expect(transport.writeErrors).toBe(2);
    transport.close();
  });

  it.each([
    [{ destination: '' }, /"LineTransport destination" is ""/],
    [{ destination: -1 }, /"LineTransport destination" is -1; expected a file descriptor/],
    [{ flushAtLength: 0 }, /"LineTransport flushAtLength" is 0; expected a positive whole number/],
    [{ maxPendingLength: 1.5 }, /"LineTransport maxPendingLength" is 1.5/],
    [{ exitFlushTimeoutMs: -1 }, /"LineTransport exitFlushTimeoutMs" is -1; expected a non-negative whole number of milliseconds/],
  ])('rejects %j at construction', (options, message) => {
    expect(() => new LineTransport(options as never)).toThrow(ObservabilityConfigError);
    expect(() => new LineTransport(options as never)).toThrow(message);
  });

  it('rejects a file it cannot open at construction, naming the path and the reason', () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, '');
    const destination = join(blocker, 'app.log');
    expect(() => new LineTransport({ destination })).toThrow(ObservabilityConfigError);
    expect(() => new LineTransport({ destination })).toThrow(
      `"LineTransport destination" is ${JSON.stringify(destination)}; expected a file that can be opened for appending (EEXIST`,
    );
  });
});
