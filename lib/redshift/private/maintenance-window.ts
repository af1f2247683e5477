import { Token } from 'aws-cdk-lib';

import { PropsValidator } from '../../core/validation';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WINDOW = /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/i;

/**
 * A weekly maintenance window `ddd:hh24:mi-ddd:hh24:mi` (UTC) of at least 30 minutes; it may wrap
 * around the end of the week.
 * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html (PreferredMaintenanceWindow)
 */
export function checkMaintenanceWindow(v: PropsValidator, property: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  const m = WINDOW.exec(value);
  if (!v.check(m !== null, property, value, 'must have the format ddd:hh24:mi-ddd:hh24:mi in UTC, for example \'sun:03:00-sun:03:30\'')) return;
  const start = DAYS.indexOf(m![1].toLowerCase()) * 1440 + Number(m![2]) * 60 + Number(m![3]);
  const end = DAYS.indexOf(m![4].toLowerCase()) * 1440 + Number(m![5]) * 60 + Number(m![6]);
  const minutes = (end - start + 7 * 1440) % (7 * 1440);
  v.check(minutes >= 30, property, value, `must be at least 30 minutes long (got ${minutes})`);
}
