import type { ExternalResult } from './external';
import type { TargetOutcome } from './report';

const TARGET = 'decorators over the bare method: @Traced <= 2.5, @Metered <= 0.3, @Logged <= 3, stacked <= 6 us/call';

/** The part of `runDecoratorsBench`'s result this target reads. */
interface DecoratorFigures {
  readonly rows: ReadonlyArray<{ readonly key: string; readonly overheadNs: number; readonly withinTarget: boolean }>;
  readonly withinTarget: boolean;
}

/** Reads the decorators bench's figures against the four per-call targets (every place the bench calls from). */
export function decoratorTarget(result: ExternalResult): TargetOutcome {
  if (result.error) return { target: TARGET, measured: 'the decorators bench failed', outcome: 'MISS' };
  if (!('value' in result)) return { target: TARGET, measured: `bench/${result.file} not present yet`, outcome: 'n/a' };
  const v = result.value as Partial<DecoratorFigures> | undefined;
  if (!Array.isArray(v?.rows)) return { target: TARGET, measured: 'see Decorators below', outcome: 'n/a' };
  // The worst place for each variant.
  const worst = new Map<string, number>();
  for (const r of v.rows) worst.set(r.key, Math.max(worst.get(r.key) ?? -Infinity, r.overheadNs));
  return {
    target: TARGET,
    measured: [...worst].map(([name, ns]) => `${name} +${(ns / 1000).toFixed(2)}`).join(', '),
    outcome: v.withinTarget ? 'PASS' : 'MISS',
  };
}
