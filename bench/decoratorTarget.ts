import type { ExternalResult } from './external';
import type { TargetOutcome } from './report';

const TARGET = 'each decorator within 2 us/call of the hand-written version';

/** The part of `runDecoratorsBench`'s result this target reads. */
interface DecoratorFigures {
  readonly worstDeltaNs: number;
  readonly withinTarget: boolean;
}

/** Reads the decorators bench's figures against the 2 us/call target. */
export function decoratorTarget(result: ExternalResult): TargetOutcome {
  if (result.error) return { target: TARGET, measured: 'the decorators bench failed', outcome: 'MISS' };
  if (!('value' in result)) return { target: TARGET, measured: `bench/${result.file} not present yet`, outcome: 'n/a' };
  const v = result.value as Partial<DecoratorFigures> | undefined;
  if (typeof v?.worstDeltaNs !== 'number') return { target: TARGET, measured: 'see Decorators below', outcome: 'n/a' };
  return {
    target: TARGET,
    measured: `worst single decorator +${(v.worstDeltaNs / 1000).toFixed(2)} us/call over hand-written`,
    outcome: v.withinTarget ? 'PASS' : 'MISS',
  };
}
