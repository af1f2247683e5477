/**
 * A worker type a Spark ETL job (`glueetl`) can run on. The streaming-only G.025X and the legacy
 * Standard type are not listed: a Spark ETL job cannot take them.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/worker-types.html
 */
export class GlueSparkWorkerType {
  /** 1 DPU per worker (4 vCPUs, 16 GB memory): scalable and cost-effective for most jobs. */
  public static readonly G_1X = new GlueSparkWorkerType('G.1X');
  /** 2 DPU per worker (8 vCPUs, 32 GB memory). */
  public static readonly G_2X = new GlueSparkWorkerType('G.2X');
  /** 4 DPU per worker (16 vCPUs, 64 GB memory), Glue 3.0 or later. */
  public static readonly G_4X = new GlueSparkWorkerType('G.4X');
  /** 8 DPU per worker (32 vCPUs, 128 GB memory), Glue 3.0 or later. */
  public static readonly G_8X = new GlueSparkWorkerType('G.8X');
  /** 12 DPU per worker (48 vCPUs, 192 GB memory), Glue 3.0 or later; not in every Region. */
  public static readonly G_12X = new GlueSparkWorkerType('G.12X');
  /** 16 DPU per worker (64 vCPUs, 256 GB memory), Glue 3.0 or later; not in every Region. */
  public static readonly G_16X = new GlueSparkWorkerType('G.16X');
  /** Memory-optimized: 1 M-DPU per worker (4 vCPUs, 32 GB memory), Glue 3.0 or later; not in every Region. */
  public static readonly R_1X = new GlueSparkWorkerType('R.1X');
  /** Memory-optimized: 2 M-DPU per worker (8 vCPUs, 64 GB memory), Glue 3.0 or later; not in every Region. */
  public static readonly R_2X = new GlueSparkWorkerType('R.2X');
  /** Memory-optimized: 4 M-DPU per worker (16 vCPUs, 128 GB memory), Glue 3.0 or later; not in every Region. */
  public static readonly R_4X = new GlueSparkWorkerType('R.4X');
  /** Memory-optimized: 8 M-DPU per worker (32 vCPUs, 256 GB memory), Glue 3.0 or later; not in every Region. */
  public static readonly R_8X = new GlueSparkWorkerType('R.8X');

  /**
   * A worker type this library does not list yet, by the name Glue's `WorkerType` takes. The construct
   * warns at synth that it does not know it; Glue rejects an unknown name at deploy.
   * @param name the worker type, for example 'G.1X'
   */
  public static of(name: string): GlueSparkWorkerType {
    return new GlueSparkWorkerType(name);
  }

  /** The worker type as Glue's `WorkerType` takes it, for example 'G.1X'. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** The worker type's name. */
  public toString(): string {
    return this.name;
  }
}

/**
 * How much compute a Spark ETL job gets: a worker type and a number of workers. Spark jobs on Glue 2.0
 * and later take these and never a DPU count (`MaxCapacity`), so this type has no way to write one.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/add-job.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html (WorkerType, NumberOfWorkers, MaxCapacity)
 */
export class GlueSparkCapacity {
  /**
   * A number of workers of one type. A Spark job needs a driver and at least one executor: at least 2
   * workers, whatever the type. The most a job may have is an account quota (Max workers per job),
   * which you can raise, so the construct does not cap it.
   * @param workerType the worker type, for example `GlueSparkWorkerType.G_1X`
   * @param workerCount how many workers, a whole number of at least 2
   */
  public static workers(workerType: GlueSparkWorkerType, workerCount: number): GlueSparkCapacity {
    return new GlueSparkCapacity(workerType, workerCount);
  }

  /** The worker type. */
  public readonly workerType: GlueSparkWorkerType;
  /** The number of workers. */
  public readonly workerCount: number;

  private constructor(workerType: GlueSparkWorkerType, workerCount: number) {
    this.workerType = workerType;
    this.workerCount = workerCount;
  }
}

/**
 * How much compute a Python shell job gets: Glue accepts exactly 1/16 DPU or 1 DPU (`MaxCapacity`) and no
 * worker type or count, so these two are the only values of this type.
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html
 */
export class GluePythonShellCapacity {
  /** 0.0625 DPU (1/16): the cheapest, enough for API calls and small files. */
  public static readonly SIXTEENTH_DPU = new GluePythonShellCapacity(0.0625);
  /** 1 DPU (4 vCPUs, 16 GB memory). */
  public static readonly ONE_DPU = new GluePythonShellCapacity(1);

  /** The capacity in DPUs: 0.0625 or 1. */
  public readonly dpu: number;

  private constructor(dpu: number) {
    this.dpu = dpu;
  }
}
