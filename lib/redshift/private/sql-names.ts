import { Token } from 'aws-cdk-lib';

import { PropsValidator } from '../../core/validation';
import { REDSHIFT_RESERVED_WORDS } from './reserved-words';

/**
 * Names the Data API custom resources put in SQL, checked at synth with the same rules the handler checks again
 * (lib/redshift/assets/data-api-handler/sql.js), so that no name can end the identifier or literal it is in.
 *
 * Identifiers: Redshift's standard identifiers, restricted to lower-case ASCII so that quoted and unquoted
 * spellings name the same object: 1 to 127 bytes, starting with a letter or underscore, then letters, digits,
 * underscores or dollar signs; not a reserved word.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html
 */
export const DATABASE_IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_$]{0,126}$/;
export const DATABASE_IDENTIFIER_RULE = '1 to 127 lowercase letters, digits, underscores or dollar signs, starting with a letter or underscore';

/**
 * Glue database names as Spectrum reads them: Glue stores names in lower case; 1 to 255 characters.
 * @see https://docs.aws.amazon.com/glue/latest/dg/define-database.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html
 */
export const GLUE_DATABASE_PATTERN = /^[a-z0-9_][a-z0-9_-]{0,254}$/;
export const GLUE_DATABASE_RULE = 'a Glue database name: 1 to 255 lowercase letters, digits, underscores or hyphens';

/** Checks an identifier the handler will quote into SQL. */
export function checkDatabaseIdentifier(v: PropsValidator, property: string, value: string): void {
  // Standard identifiers: 1 to 127 bytes, a letter or underscore first, then letters, digits, _ or $.
  // https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
  v.matches(property, value, DATABASE_IDENTIFIER_PATTERN, DATABASE_IDENTIFIER_RULE);
  if (Token.isUnresolved(value)) return;
  // https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html
  v.check(!REDSHIFT_RESERVED_WORDS.has(value.toUpperCase()), property, value, `must not be a reserved word of Redshift (${value.toUpperCase()})`);
}
