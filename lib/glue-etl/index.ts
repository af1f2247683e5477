export * from './jobs/job-options';
export * from './jobs/spark-etl-job';
export * from './jobs/python-shell-job';
export * from './crawler';
export * from './network';
export * from './workflow';
export * from './glue-etl-pipeline';
export * from './glue-etl-pipeline-props';
