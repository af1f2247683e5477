import { EmrConfiguration } from '../release';

const GLUE_FACTORY = 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory';

/**
 * Adds the Glue Data Catalog client factory to the classifications of the installed applications, and
 * reports user settings that contradict it.
 */
export function mergeGlueConfigurations(user: EmrConfiguration[], appNames: string[]): { configurations: EmrConfiguration[]; conflicts: string[] } {
  const wanted: Array<[string, string, string]> = [];
  if (appNames.includes('Hive')) wanted.push(['hive-site', 'hive.metastore.client.factory.class', GLUE_FACTORY]);
  if (appNames.includes('Spark')) wanted.push(['spark-hive-site', 'hive.metastore.client.factory.class', GLUE_FACTORY]);
  if (appNames.includes('Trino')) wanted.push(['trino-connector-hive', 'hive.metastore', 'glue']);
  if (appNames.includes('Presto')) wanted.push(['presto-connector-hive', 'hive.metastore', 'glue']);
  const conflicts: string[] = [];
  const out = user.map(c => ({ ...c, properties: c.properties ? { ...c.properties } : undefined }));
  for (const [classification, key, value] of wanted) {
    const existing = out.find(c => c.classification === classification);
    if (!existing) {
      out.push({ classification, properties: { [key]: value } });
      continue;
    }
    const given = existing.properties?.[key];
    if (given !== undefined && given !== value) {
      conflicts.push(`${classification} ${key} ('${given}') contradicts glueDataCatalog: true, which sets '${value}'; set glueDataCatalog: false to use another metastore`);
      continue;
    }
    (existing as { properties?: Record<string, string> }).properties = { ...existing.properties, [key]: value };
  }
  return { configurations: out, conflicts };
}
