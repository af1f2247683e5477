import { Stack } from 'aws-cdk-lib';
import { DataBucket } from 'cdk-analytics-blueprints';

/**
 * What `npm run bench` scales: each scenario adds one instance of a construct, with its defaults,
 * to a stack. `i` makes ids unique.
 */
export const SCENARIOS: Record<string, (stack: Stack, i: number) => void> = {
  DataBucket: (stack, i) => { new DataBucket(stack, `Lake${i}`); },
};
