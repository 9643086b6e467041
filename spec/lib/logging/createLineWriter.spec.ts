import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import Transport from 'winston-transport';
import type { ObservabilityOptions } from '../../../lib/config';
import { runWithRequestContext } from '../../../lib/context';
import type { ObservabilityCore } from '../../../lib/createObservabilityCore';
import { createLineWriter, type LineWriter } from '../../../lib/logging/createLineWriter';
import { closeAll, testObservability } from '../../helpers/testObservability';

afterEach(closeAll);

const MESSAGE = Symbol.for('message');

/** Keeps each finished line (`info[MESSAGE]`) and record, as a transport receives them. */
class LineCatcher extends Transport {
  readonly lines: string[] = [];
  readonly records: Record<string, unknown>[] = [];

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    this.lines.push(String(info[MESSAGE]));
    this.records.push({ ...info });
    callback();
  }
}

function setup(logging: ObservabilityOptions['logging'] = {}) {
  const catcher = new LineCatcher();
  const { obs } = testObservability({
    tracing: { exporter: new InMemorySpanExporter(), processor: 'simple' },
    logging: { level: 'info', format: 'json', ...logging, transports: [catcher] },
  });
  return { obs, catcher, writer: writerOf(obs) };
}

function writerOf(obs: ObservabilityCore): LineWriter {
  const { config } = obs;
  return createLineWriter(obs.logger, {
    service: config.serviceName,
    name: config.logging.name ?? config.serviceName,
    sanitizer: obs.logging.sanitizer,
    pretty: config.logging.format === 'pretty',
    colors: config.logging.colors,
    caller: config.logging.caller,
    onError: (e) => obs.reportError('logging', e),
  });
}

// Two lines written within the same millisecond or not: the timestamp is the one field that may differ.
const sameTime = (line: string): string => line.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|^\d\d:\d\d:\d\d\.\d{3}/, 'T');

/** Writes a line through the writer, then the same line through winston, inside a request with a span or not. */
function both(
  obs: ObservabilityCore,
  catcher: LineCatcher,
  inRequest: boolean,
  viaWriter: () => void,
  viaWinston: () => void,
) {
  // One span and request for both lines, so their ids are the same.
  const span = obs.tracer.startSpan('request');
  const request = { requestId: 'req-"1"', method: 'GET', path: '/x', startTime: 0 };
  const run = (fn: () => void) =>
    inRequest
      ? runWithRequestContext(request, () => context.with(trace.setSpan(context.active(), span), fn))
      : fn();
  run(viaWriter);
  run(viaWinston);
  span.end();
  expect(catcher.lines).toHaveLength(2);
  const [ours, winstons] = catcher.lines.map(sameTime);
  expect(ours).toBe(winstons);
  // The records transports receive (their own formats read these), without the rendered line.
  const [a, b] = catcher.records.map((r) => ({ ...Object.fromEntries(Object.entries(r)), timestamp: 'T' }));
  expect(a).toEqual(b);
  return catcher.records[0]!;
}

describe('createLineWriter', () => {
  it.each([true, false])(
    'writes a prepared line exactly as the logger would (in a request: %s)',
    (inRequest) => {
      const { obs, catcher, writer } = setup();
      const line = writer.prepare('info', 'Calc.add succeeded', { class: 'Calc', function: 'add' });
      const fields = { class: 'Calc', function: 'add', duration_ms: 0.125 };
      const written = both(
        obs,
        catcher,
        inRequest,
        () => line.write(0.125),
        () => obs.logger.log('info', 'Calc.add succeeded', fields),
      );
      expect(written).toMatchObject({
        level: 'info',
        message: 'Calc.add succeeded',
        class: 'Calc',
        duration_ms: 0.125,
      });
      expect('trace_id' in written).toBe(inRequest);
      if (inRequest) expect(written.request_id).toBe('req-"1"');
    },
  );

  it('writes a prepared line without a duration, and a line with nested fields, as the logger would', () => {
    const { obs, catcher, writer } = setup({ level: 'debug' });
    const line = writer.prepare('debug', 'Calc.add called', { class: 'Calc', function: 'add' });
    both(
      obs,
      catcher,
      true,
      () => line.write(),
      () => obs.logger.log('debug', 'Calc.add called', { class: 'Calc', function: 'add' }),
    );
    catcher.lines.length = 0;
    catcher.records.length = 0;
    const error = Object.assign(new TypeError('broken "x"'), { code: 'E_X' });
    const fields = () => ({
      class: 'Calc',
      function: 'fail',
      duration_ms: 1,
      error: { type: 'TypeError', message: error.message, code: error.code, stack: error.stack },
      args: [{ password: 'hunter2', n: 1n }],
    });
    const written = both(
      obs,
      catcher,
      true,
      () => writer.write('error', 'Calc.fail failed', fields()),
      () => obs.logger.log('error', 'Calc.fail failed', fields()),
    );
    expect(JSON.stringify(written)).not.toContain('hunter2');
  });

  it.each<[string, ObservabilityOptions['logging']]>([
    ['a redacted field name', { redactKeys: ['class', 'request_id'] }],
    ['a string limit below the trace id length', { maxStringLength: 20 }],
    ['pretty lines', { format: 'pretty', colors: false }],
  ])('matches the logger with %s', (_name, logging) => {
    const { obs, catcher, writer } = setup(logging);
    const line = writer.prepare('warn', 'Some.very.long.name succeeded', {
      class: 'SomeVeryLongClassName',
      function: 'run',
    });
    const fields = { class: 'SomeVeryLongClassName', function: 'run', duration_ms: 2 };
    both(
      obs,
      catcher,
      true,
      () => line.write(2),
      () => obs.logger.log('warn', 'Some.very.long.name succeeded', fields),
    );
  });

  it('leaves printf-style messages, caller capture and default fields to winston', () => {
    const { obs, catcher, writer } = setup({ caller: true });
    writer.prepare('info', 'Calc.add 100% done', { class: 'Calc', function: 'add' }).write(1);
    obs.logger.defaultMeta = { tenant: 't1' };
    writer.write('info', 'with defaults', { class: 'Calc' });
    expect(catcher.records[0]).toMatchObject({ message: 'Calc.add 100% done', 'code.file.path': __filename });
    expect(catcher.records[1]).toMatchObject({ message: 'with defaults', tenant: 't1', class: 'Calc' });
  });

  it('respects transport levels and writes nothing once the instance is shut down', async () => {
    const { obs, catcher, writer } = setup({ level: 'debug' });
    catcher.level = 'warn';
    expect(writer.enabled('debug')).toBe(false);
    const debug = writer.prepare('debug', 'quiet', { class: 'C' });
    debug.write(1);
    writer.prepare('warn', 'loud', { class: 'C' }).write(1);
    expect(catcher.lines.map((l) => JSON.parse(l).message)).toEqual(['loud']);
    await obs.shutdown();
    writer.prepare('warn', 'after shutdown', { class: 'C' }).write(1);
    writer.write('error', 'after shutdown', { class: 'C' });
    expect(catcher.lines).toHaveLength(1);
  });
});
