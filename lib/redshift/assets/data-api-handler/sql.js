'use strict';
/**
 * The SQL this handler runs, built only from names that pass the same rules the constructs check at synth.
 * The event is checked again here: nothing reaches a statement without passing a rule, identifiers are
 * double-quoted and string literals single-quoted with quotes doubled, so that a name can never end the
 * identifier or literal it is in.
 *
 * Identifier rule (a subset of Redshift's standard identifiers, lower case so that quoted and unquoted
 * spellings name the same object): 1 to 127 ASCII letters, digits, underscores or dollar signs, starting with
 * a letter or underscore. https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
 */
const { SafeError } = require('./errors');

const IDENTIFIER = /^[a-z_][a-z0-9_$]{0,126}$/;
/** Glue database names: 1 to 255 characters, lower case letters, digits and underscores in practice (Glue lowercases names). */
const GLUE_DATABASE = /^[a-z0-9_][a-z0-9_-]{0,254}$/;
/** An IAM role ARN of any partition. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
/** The words Redshift reserves (r_pg_keywords), which the constructs also reject. */
const RESERVED = new Set(require('./reserved-words'));

/** Checks one identifier; `what` names it in the error. */
function checkIdentifier(what, name) {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new SafeError(`${what} ${JSON.stringify(String(name).slice(0, 140))} is not a valid name: 1 to 127 lowercase letters, digits, `
      + 'underscores or dollar signs, starting with a letter or underscore');
  }
  if (RESERVED.has(name.toUpperCase())) throw new SafeError(`${what} ${name} is a reserved word of Redshift`);
  return name;
}

function checkGlueDatabase(name) {
  if (typeof name !== 'string' || !GLUE_DATABASE.test(name)) {
    throw new SafeError(`GlueDatabase ${JSON.stringify(String(name).slice(0, 260))} is not a Glue database name (lowercase letters, digits, _ and -)`);
  }
  return name;
}

function checkRoleArn(arn) {
  if (typeof arn !== 'string' || !ROLE_ARN.test(arn)) throw new SafeError('IamRoleArn is not an IAM role ARN');
  return arn;
}

/** A delimited identifier: "name" with any double quote doubled (the rule admits none; belt and braces). */
function ident(name) {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal: 'text' with any single quote doubled and no backslash (Redshift treats \ as an escape). */
function literal(text) {
  if (text.includes('\\')) throw new SafeError('a string literal may not contain a backslash');
  return `'${text.replace(/'/g, "''")}'`;
}

/** CREATE EXTERNAL SCHEMA IF NOT EXISTS on a Glue Data Catalog database of the cluster's region. */
function createExternalSchema(schema, glueDatabase, roleArn) {
  return `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${ident(checkIdentifier('SchemaName', schema))} `
    + `FROM DATA CATALOG DATABASE ${literal(checkGlueDatabase(glueDatabase))} IAM_ROLE ${literal(checkRoleArn(roleArn))}`;
}

/** DROP SCHEMA IF EXISTS, without CASCADE and without DROP EXTERNAL DATABASE: the catalog and the lake stay. */
function dropSchema(schema) {
  return `DROP SCHEMA IF EXISTS ${ident(checkIdentifier('SchemaName', schema))}`;
}

/** The catalog database and options of an external schema (svv_external_schemas), by a bound parameter. */
const DESCRIBE_EXTERNAL_SCHEMA = 'SELECT databasename, esoptions FROM svv_external_schemas WHERE schemaname = :schema_name';

/** Every group of the cluster. */
const LIST_GROUPS = 'SELECT groname FROM pg_group';

/** CREATE GROUP (Redshift has no IF NOT EXISTS for groups: the handler checks pg_group first). */
function createGroup(name) {
  return `CREATE GROUP ${ident(checkIdentifier('Groups', name))}`;
}

module.exports = {
  checkIdentifier, checkGlueDatabase, checkRoleArn, ident, literal,
  createExternalSchema, dropSchema, createGroup, DESCRIBE_EXTERNAL_SCHEMA, LIST_GROUPS,
};
