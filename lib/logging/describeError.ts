// The logging pillar's names for the shared error description (lib/safeError.ts), so a
// marker, a logged error and a span describe an error the same way.
export { errorType, safeRead, describeThrow as describeError } from '../safeError';
