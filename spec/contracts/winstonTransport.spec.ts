import winston from 'winston';
import Transport from 'winston-transport';
import { deliver } from '../../lib/logging/createAccessLog';
import { contract, installed } from './contract';

/*
 * deliver() (the access log's and @Logged's hand-off) reads winston-transport's stream state
 * to decide whether it may call `log` directly instead of `write`. That state is readable-stream's
 * `_writableState`, an internal of the Writable winston-transport extends.
 */
const WT = installed('winston-transport');
const RS = installed('readable-stream', 'winston-transport');
const USED_BY = 'lib/logging/createAccessLog.ts (deliver)';
const LEVEL = Symbol.for('level');

interface WritableState {
  length: number;
  writing: boolean;
  corked: number;
  ended: boolean;
  destroyed: boolean;
}

/** A transport whose `log` can hold its callback, as a slow destination does. */
class HoldingTransport extends Transport {
  /** Set by winston-transport when a logger pipes into it (absent from its types). */
  declare levels?: Record<string, number>;
  readonly lines: Array<Record<string | symbol, unknown>> = [];
  readonly held: Array<() => void> = [];
  hold = false;

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    this.lines.push(info);
    if (this.hold) this.held.push(callback);
    else callback();
  }
}

const stateOf = (t: Transport): WritableState | undefined =>
  (t as unknown as { _writableState?: WritableState })._writableState;
const info = (level: string, message = 'm') => ({ level, message, [LEVEL]: level });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(`winston-transport ${WT.version} (readable-stream ${RS.version}) internals read by deliver()`, () => {
  it('a transport has _writableState with the fields deliver() reads', () =>
    contract(
      WT,
      `TransportStream#_writableState (readable-stream ${RS.version}): length, writing, corked, ended, destroyed`,
      USED_BY,
      () => {
        const ws = stateOf(new HoldingTransport());
        expect(ws).toBeDefined();
        expect({
          length: typeof ws!.length,
          writing: typeof ws!.writing,
          corked: typeof ws!.corked,
          ended: typeof ws!.ended,
          destroyed: typeof ws!.destroyed,
        }).toEqual({
          length: 'number',
          writing: 'boolean',
          corked: 'number',
          ended: 'boolean',
          destroyed: 'boolean',
        });
      },
    ));

  it('the state says "nothing queued" exactly when the stream would call log at once', () =>
    contract(
      WT,
      `TransportStream#_writableState (readable-stream ${RS.version}): how write, cork, end and destroy move it`,
      USED_BY,
      async () => {
        const t = new HoldingTransport();
        t.levels = { error: 0, info: 2 };
        const ws = stateOf(t)!;
        expect({ ...pick(ws) }).toEqual({
          length: 0,
          writing: false,
          corked: 0,
          ended: false,
          destroyed: false,
        });

        // A destination still busy with one line: the next must queue behind it, not overtake it.
        t.hold = true;
        t.write(info('info', 'first'));
        expect(ws.writing).toBe(true);
        t.write(info('info', 'second'));
        expect(ws.length).toBeGreaterThan(0);
        while (t.held.length > 0) {
          t.held.shift()!();
          await turn();
        }
        expect(t.lines.map((l) => l.message)).toEqual(['first', 'second']);
        expect({ length: ws.length, writing: ws.writing }).toEqual({ length: 0, writing: false });

        t.cork();
        expect(ws.corked).toBeGreaterThan(0);
        t.uncork();
        expect(ws.corked).toBe(0);

        t.hold = false;
        t.end();
        expect(ws.ended).toBe(true);
        const destroyed = new HoldingTransport();
        destroyed.destroy();
        expect(stateOf(destroyed)!.destroyed).toBe(true);
      },
    ));

  it('deliver() keeps and drops the same lines as the stream (silent, own level, the logger level)', () =>
    contract(
      WT,
      'TransportStream#_write filtering (silent, level || parent.level, levels) and the parent/levels set on pipe',
      USED_BY,
      () => {
        const cases: Array<{ silent: boolean; level: string | undefined; parent: string; line: string }> = [];
        for (const silent of [false, true])
          for (const level of [undefined, 'error', 'info', 'debug'])
            for (const parent of ['error', 'info', 'debug'])
              for (const line of ['error', 'info', 'debug']) cases.push({ silent, level, parent, line });
        const outcome = (via: 'write' | 'deliver') =>
          cases.map((c) => {
            const t = new HoldingTransport({ level: c.level, silent: c.silent });
            // logger.add pipes the logger into the transport: that is where `parent` and `levels` come from.
            const logger = winston.createLogger({ level: c.parent, transports: [t] });
            expect(t.levels).toBe(logger.levels);
            expect((t as unknown as { parent?: unknown }).parent).toBe(logger);
            if (via === 'write') t.write(info(c.line));
            else deliver(t, info(c.line), c.line);
            logger.close();
            return { ...c, written: t.lines.length };
          });
        expect(outcome('deliver')).toEqual(outcome('write'));
      },
    ));
});

function pick(ws: WritableState): WritableState {
  return {
    length: ws.length,
    writing: ws.writing,
    corked: ws.corked,
    ended: ws.ended,
    destroyed: ws.destroyed,
  };
}
