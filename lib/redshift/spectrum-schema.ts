import { CustomResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

import { glueDatabaseName } from '../core/glue-database-name';
import { PropsValidator, validateAtSynth } from '../core/validation';
import { dataApiResource } from './private/data-api-function';
import { checkDatabaseIdentifier, GLUE_DATABASE_PATTERN, GLUE_DATABASE_RULE } from './private/sql-names';
import type { RedshiftWarehouse } from './warehouse';

/**
 * An external schema of a `RedshiftWarehouse`, as `RedshiftWarehouse.addExternalSchema` takes it.
 */
export interface RedshiftExternalSchemaOptions {
  /**
   * Name of the external schema in the warehouse's database: 1 to 127 lowercase letters, digits, underscores or
   * dollar signs, starting with a letter or underscore, and not a reserved word.
   * @see https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
   */
  readonly schemaName: string;
  /**
   * The Glue Data Catalog database the schema reads, in the warehouse's region: one of the warehouse's
   * `spectrum.glueDatabases` (the Spectrum role may read only those). A `glue.Database` of this app is created
   * before the schema (the schema depends on it); an imported one (`glue.Database.fromDatabaseArn`) must exist.
   */
  readonly glueDatabase: glue.IDatabase;
  /**
   * What deleting the schema's resource does in the database (stack deletion, or a new `schemaName`):
   * `DESTROY` drops the schema (`DROP SCHEMA IF EXISTS`: the Glue catalog and the lake are untouched, so no
   * data is lost and no context flag is needed); `RETAIN` and `RETAIN_ON_UPDATE_OR_DELETE` leave it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Props of `RedshiftSpectrumSchema`. */
export interface RedshiftSpectrumSchemaProps extends RedshiftExternalSchemaOptions {
  /** The warehouse, with `spectrum` set: its Spectrum role reads the catalog database. */
  readonly warehouse: RedshiftWarehouse;
}

/**
 * A Redshift Spectrum external schema as code: `CREATE EXTERNAL SCHEMA IF NOT EXISTS <schemaName> FROM DATA
 * CATALOG DATABASE '<glueDatabase>' IAM_ROLE '<the warehouse's Spectrum role>'`, run through the Redshift Data API
 * as the admin user (the secret Redshift manages) by a custom resource.
 *
 * - Create is idempotent, and fails (instead of adopting it) when a schema of that name already exists on another
 *   catalog database or role, or as a local schema.
 * - A new `glueDatabase` drops and recreates the schema under the same name (Redshift cannot alter it); a new
 *   `schemaName` creates the new schema, and the old one is dropped only with `removalPolicy: DESTROY`.
 * - Statements are waited for, throttling is retried with backoff, and a statement still running 30 s before the
 *   function's 5-minute timeout is cancelled: the deployment fails with the reason instead of hanging.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html
 *
 * @example
 * const lakeDatabase = new glue.Database(this, 'LakeDatabase', { databaseName: 'lake' });
 * const warehouse = new RedshiftWarehouse(this, 'Warehouse', { spectrum: { lakeBuckets: [lake], glueDatabases: [lakeDatabase] } });
 * warehouse.addExternalSchema('LakeSchema', { schemaName: 'lake', glueDatabase: lakeDatabase });
 */
export class RedshiftSpectrumSchema extends Construct {
  /** The schema name, as SQL uses it. */
  public readonly schemaName: string;
  /** The custom resource (`Custom::RedshiftExternalSchema`): depend on it to run after the schema exists. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: RedshiftSpectrumSchemaProps) {
    super(scope, id);
    const { warehouse } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.schemaName = props.schemaName;
    validateAtSynth(this, v => checkSpectrumSchema(v, props, removalPolicy));

    const role = warehouse.spectrumRole;
    this.resource = dataApiResource(this, 'Resource', 'Custom::RedshiftExternalSchema', warehouse._dataApiTarget(), {
      SchemaName: props.schemaName,
      GlueDatabase: glueDatabaseName(props.glueDatabase),
      // A stand-in when the warehouse has no Spectrum role: that is a synth error, never deployed.
      IamRoleArn: role ? role.roleArn : 'none',
      DropOnDelete: removalPolicy === RemovalPolicy.DESTROY ? 'true' : undefined,
    });
    // The role must be attached with its policy before Redshift assumes it to read the catalog.
    if (role) this.resource.node.addDependency(role);
    // The database must exist before Redshift reads it; the name alone (a literal for a database of this app) orders nothing.
    if (props.glueDatabase instanceof glue.Database) this.resource.node.addDependency(props.glueDatabase);
  }
}

function checkSpectrumSchema(v: PropsValidator, props: RedshiftSpectrumSchemaProps, removalPolicy: RemovalPolicy): void {
  const databases = props.warehouse._spectrumGlueDatabases;
  v.check(databases !== undefined, 'warehouse', props.warehouse.node.path,
    'must have spectrum set: the external schema reads the catalog with the warehouse\'s Spectrum role');
  checkDatabaseIdentifier(v, 'schemaName', props.schemaName);
  // Glue database names: 1 to 255 characters, stored in lower case.
  // https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html
  // https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
  const name = glueDatabaseName(props.glueDatabase);
  v.matches('glueDatabase.databaseName', name, GLUE_DATABASE_PATTERN, GLUE_DATABASE_RULE);
  // The library's own rule: the Spectrum role may read only the databases the warehouse names.
  if (databases && !Token.isUnresolved(name) && databases.every(d => !Token.isUnresolved(d))) {
    v.check(databases.includes(name), 'glueDatabase.databaseName', name,
      `must be one of the warehouse's spectrum.glueDatabases (${databases.join(', ')}): the Spectrum role may read only those`);
  }
  // SNAPSHOT has no meaning for a schema.
  v.check([RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.DESTROY].includes(removalPolicy),
    'removalPolicy', removalPolicy, 'must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY: a schema has no snapshot');
}
