import { behaviourCases } from './behaviourCases';
import { errorTypeCases } from './errorTypeCases';
import type { Fixtures } from './fixtureTypes';
import { useHarness } from './harness';
import { loggedCases } from './loggedCases';
import { meteredCases } from './meteredCases';
import { tracedCases } from './tracedCases';

/** Every shared case, against the fixtures one decorator standard compiled. */
export function runDecoratorCases(fixtures: Fixtures): void {
  const harness = useHarness();
  behaviourCases(fixtures, harness);
  tracedCases(fixtures, harness);
  meteredCases(fixtures, harness);
  loggedCases(fixtures, harness);
  errorTypeCases(fixtures, harness);
}
