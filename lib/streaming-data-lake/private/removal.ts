// Moved to lib/core/removal-policy.ts; kept so that code importing it from here still compiles.
export { retainExceptOnCreate } from '../../core/removal-policy';
