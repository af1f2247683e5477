import { CustomResource, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { validateAtSynth } from '../core/validation';
import { dataApiResource } from './private/data-api-function';
import { checkDatabaseIdentifier } from './private/sql-names';
import type { RedshiftWarehouse } from './warehouse';

/** Props of `RedshiftDatabaseGroups`. */
export interface RedshiftDatabaseGroupsProps {
  /** The warehouse whose database gets the groups. */
  readonly warehouse: RedshiftWarehouse;
  /**
   * The groups: 1 to 127 lowercase letters, digits, underscores or dollar signs each, starting with a letter or
   * underscore, and not a reserved word.
   * @default - the user groups the warehouse's WLM queues route by (`workloadManagement.userGroups`: wildcard
   * patterns left out)
   */
  readonly groups?: string[];
}

/**
 * Database groups that must exist in a warehouse, created through the Redshift Data API as the admin user by a
 * custom resource: by default the user groups its WLM queues route by, so that users added to them land in their
 * queue. Missing groups are created (`CREATE GROUP` after checking `pg_group`, since it has no IF NOT EXISTS); no
 * group is ever dropped, on update or delete (a group holds no data, and dropping one that holds privileges fails).
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_GROUP.html
 * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-executing-queries.html
 */
export class RedshiftDatabaseGroups extends Construct {
  /** The groups ensured. */
  public readonly groups: string[];
  /** The custom resource (`Custom::RedshiftDatabaseGroups`). */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: RedshiftDatabaseGroupsProps) {
    super(scope, id);
    const fromWlm = props.groups === undefined;
    this.groups = props.groups ?? props.warehouse.workloadManagement.userGroups;
    const groups = this.groups;
    validateAtSynth(this, v => {
      v.check(groups.length > 0, 'groups', fromWlm ? 'the WLM user groups (none)' : groups,
        fromWlm ? 'must not be empty: the warehouse\'s WLM queues route by no user group, so pass groups' : 'must have at least 1 entry');
      groups.forEach((g, i) => checkDatabaseIdentifier(v, `groups[${i}]`, g));
      const resolved = groups.filter(g => !Token.isUnresolved(g));
      v.check(new Set(resolved).size === resolved.length, 'groups', groups, 'must name each group once');
    });
    this.resource = dataApiResource(this, 'Resource', 'Custom::RedshiftDatabaseGroups', props.warehouse._dataApiTarget(), { Groups: groups });
  }
}
