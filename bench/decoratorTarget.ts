import type { ExternalResult } from './external';
import type { TargetOutcome } from './report';

const TARGET = 'each decorator within 2 us/call of the hand-written version';

/** Reads the decorators bench's figures against the 2 us/call target. */
export function decoratorTarget(result: ExternalResult): TargetOutcome {
  if (result.error) return { target: TARGET, measured: 'the decorators bench failed', outcome: 'MISS' };
  if (!('value' in result)) return { target: TARGET, measured: `bench/${result.file} not present yet`, outcome: 'n/a' };
  return { target: TARGET, measured: 'see Decorators below', outcome: 'n/a' };
}
