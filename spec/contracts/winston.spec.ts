import { PassThrough } from 'node:stream';
import winston from 'winston';
import { contract, installed, loadAs } from './contract';

const WINSTON = installed('winston');
const TRIPLE_BEAM = installed('triple-beam', 'winston');

describe(`winston ${WINSTON.version} internals read by the logger guard`, () => {
  it('the Stream transport keeps the destination in _stream, where its errors can be heard', () =>
    contract(
      WINSTON,
      'transports.Stream#_stream (the destination stream)',
      'lib/logging/guardLogger.ts (guardTransport)',
      () => {
        const destination = new PassThrough();
        const transport = new winston.transports.Stream({ stream: destination });
        const inner = (transport as unknown as { _stream?: unknown })._stream;
        expect(inner).toBe(destination);
        // Without a listener there, an EPIPE of the destination would be an uncaught error.
        const heard: unknown[] = [];
        (inner as PassThrough).on('error', (e) => heard.push(e));
        destination.emit('error', new Error('EPIPE'));
        expect(heard).toHaveLength(1);
      },
    ));

  it('the line symbols written by hand are the ones winston reads', () =>
    contract(
      TRIPLE_BEAM,
      'LEVEL, MESSAGE and SPLAT symbols',
      'lib/logging (createAccessLog, createLineWriter, createLogFormat, guardLogger, LineTransport)',
      () => {
        // winston's own copy of triple-beam, the one its formats and transports use.
        const { LEVEL, MESSAGE, SPLAT } = loadAs<Record<string, symbol>>('triple-beam', 'winston');
        expect([LEVEL, MESSAGE, SPLAT]).toEqual([
          Symbol.for('level'),
          Symbol.for('message'),
          Symbol.for('splat'),
        ]);
      },
    ));
});
