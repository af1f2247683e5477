/**
 * A synthesized CloudFormation template made concrete: every intrinsic (`Ref`, `Fn::GetAtt`, `Fn::Join`,
 * `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::If`, `Fn::FindInMap`, `Fn::GetAZs`) and pseudo parameter is
 * resolved to a stable fake value in the real format of the resource type, so that policies can be
 * evaluated as IAM would see them after deployment.
 *
 * Names: a resource's name property when the template sets one, else its logical ID (lower-cased where the
 * service only accepts lower case). A `Ref` returns what CloudFormation documents for the type (a role's
 * name, a key's ID, a topic's ARN, a queue's URL...), `Fn::GetAtt Arn` the ARN in the service's format.
 * An attribute this model does not know throws: a policy must never be evaluated against a guessed value.
 */

/** A CloudFormation value, as found in a synthesized template. */
export type CfnValue = unknown;

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, CfnValue>;
}

/** A synthesized template (`Template.fromStack(stack).toJSON()`). */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Conditions?: Record<string, CfnValue>;
  readonly Mappings?: Record<string, Record<string, Record<string, CfnValue>>>;
  readonly Parameters?: Record<string, { Default?: CfnValue }>;
}

/** The account, region and stack name the fake values are made in. */
export interface CfnEnvironment {
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
}

/** Name property per type: a property name or a function of the properties. */
const NAME_PROPERTY: Record<string, string | ((p: Record<string, CfnValue>) => CfnValue)> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Logs::LogStream': 'LogStreamName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::OpenSearchService::Domain': 'DomainName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Glue::Database': p => (p.DatabaseInput as Record<string, CfnValue> | undefined)?.Name,
  'AWS::Glue::Table': p => (p.TableInput as Record<string, CfnValue> | undefined)?.Name,
  'AWS::Glue::Connection': p => (p.ConnectionInput as Record<string, CfnValue> | undefined)?.Name,
  'AWS::Glue::Crawler': 'Name',
  'AWS::Glue::Job': 'Name',
  'AWS::Glue::Workflow': 'Name',
  'AWS::Glue::Trigger': 'Name',
  'AWS::Glue::SecurityConfiguration': 'Name',
  'AWS::Redshift::Cluster': 'ClusterIdentifier',
  'AWS::Redshift::SnapshotCopyGrant': 'SnapshotCopyGrantName',
  'AWS::EMR::SecurityConfiguration': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Athena::WorkGroup': 'Name',
};

/** Types whose generated names are lower case (S3, OpenSearch and Redshift accept nothing else). */
const LOWER_CASE_NAMES = new Set(['AWS::S3::Bucket', 'AWS::OpenSearchService::Domain', 'AWS::Redshift::Cluster']);

/** EC2 IDs: `<prefix>-<logical id in lower case>`. */
const EC2_ID_PREFIX: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc', 'AWS::EC2::Subnet': 'subnet', 'AWS::EC2::SecurityGroup': 'sg', 'AWS::EC2::VPCEndpoint': 'vpce',
  'AWS::EC2::RouteTable': 'rtb', 'AWS::EC2::InternetGateway': 'igw', 'AWS::EC2::NatGateway': 'nat', 'AWS::EC2::FlowLog': 'fl',
  'AWS::EC2::LaunchTemplate': 'lt',
};
/** The EC2 ARN resource type of each EC2 ID type. */
const EC2_ARN_TYPE: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc', 'AWS::EC2::Subnet': 'subnet', 'AWS::EC2::SecurityGroup': 'security-group', 'AWS::EC2::VPCEndpoint': 'vpc-endpoint',
  'AWS::EC2::RouteTable': 'route-table', 'AWS::EC2::InternetGateway': 'internet-gateway', 'AWS::EC2::NatGateway': 'natgateway',
  'AWS::EC2::FlowLog': 'vpc-flow-log', 'AWS::EC2::LaunchTemplate': 'launch-template',
};

function isObject(v: CfnValue): v is Record<string, CfnValue> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A template whose values can be resolved to concrete strings. */
export class CfnModel {
  public readonly resources: Record<string, CfnResource>;

  constructor(public readonly template: CfnTemplate, public readonly env: CfnEnvironment) {
    this.resources = template.Resources;
  }

  /** The resource of a logical ID; throws if the template has none. */
  public resource(logicalId: string): CfnResource {
    const r = this.resources[logicalId];
    if (!r) throw new Error(`The template has no resource ${logicalId}`);
    return r;
  }

  /** The logical IDs of every resource of a type. */
  public ofType(type: string): string[] {
    return Object.keys(this.resources).filter(id => this.resources[id].Type === type);
  }

  /** Resolves every intrinsic in `value`; `AWS::NoValue` removes the key or element. */
  public resolve(value: CfnValue): CfnValue {
    if (Array.isArray(value)) return value.map(v => this.resolve(v)).filter(v => v !== undefined);
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(keys[0], value[keys[0]]);
    }
    const out: Record<string, CfnValue> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = this.resolve(v);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }

  /** Resolves `value` and requires a string. */
  public str(value: CfnValue, what = 'value'): string {
    const r = this.resolve(value);
    if (typeof r !== 'string') throw new Error(`${what} does not resolve to a string: ${JSON.stringify(value)}`);
    return r;
  }

  /** The physical name of a resource: its name property, else its logical ID. */
  public nameOf(logicalId: string): string {
    const r = this.resource(logicalId);
    const prop = NAME_PROPERTY[r.Type];
    const given = prop === undefined ? undefined : typeof prop === 'string' ? r.Properties?.[prop] : prop(r.Properties ?? {});
    if (given !== undefined) return this.str(given, `${logicalId} name`);
    return LOWER_CASE_NAMES.has(r.Type) ? logicalId.toLowerCase() : logicalId;
  }

  /** What `Ref` returns for a resource, a parameter or a pseudo parameter. */
  public ref(name: string): CfnValue {
    const { account, region, stackName } = this.env;
    switch (name) {
      case 'AWS::AccountId': return account;
      case 'AWS::Region': return region;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${region}:${account}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NoValue': return undefined;
      case 'AWS::NotificationARNs': return [];
    }
    const param = this.template.Parameters?.[name];
    if (param) return this.resolve(param.Default);
    const r = this.resource(name);
    const id = name;
    if (EC2_ID_PREFIX[r.Type]) return `${EC2_ID_PREFIX[r.Type]}-${id.toLowerCase()}`;
    switch (r.Type) {
      case 'AWS::IAM::ManagedPolicy': case 'AWS::SNS::Topic': case 'AWS::SecretsManager::Secret': case 'AWS::StepFunctions::StateMachine':
        return this.arn(id);
      case 'AWS::KMS::Key': return id;
      case 'AWS::SQS::Queue': return `https://sqs.${region}.amazonaws.com/${account}/${this.nameOf(id)}`;
      case 'AWS::EMR::Cluster': return `j-${id.toUpperCase()}`;
      case 'AWS::EC2::EIP': return '192.0.2.1';
    }
    if (r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource') return `${id}-physical-id`;
    return this.nameOf(id);
  }

  /** The ARN of a resource, in its service's format. */
  public arn(logicalId: string): string {
    const { account, region } = this.env;
    const r = this.resource(logicalId);
    const name = () => this.nameOf(logicalId);
    if (EC2_ARN_TYPE[r.Type]) return `arn:aws:ec2:${region}:${account}:${EC2_ARN_TYPE[r.Type]}/${this.ref(logicalId)}`;
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::IAM::Role': return `arn:aws:iam::${account}:role${this.iamPath(p.Path)}${name()}`;
      case 'AWS::IAM::ManagedPolicy': return `arn:aws:iam::${account}:policy${this.iamPath(p.Path)}${name()}`;
      case 'AWS::IAM::InstanceProfile': return `arn:aws:iam::${account}:instance-profile${this.iamPath(p.Path)}${name()}`;
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${name()}`;
      case 'AWS::KMS::Key': return `arn:aws:kms:${region}:${account}:key/${logicalId}`;
      case 'AWS::KMS::Alias': return `arn:aws:kms:${region}:${account}:${name()}`;
      case 'AWS::Kinesis::Stream': return `arn:aws:kinesis:${region}:${account}:stream/${name()}`;
      case 'AWS::KinesisFirehose::DeliveryStream': return `arn:aws:firehose:${region}:${account}:deliverystream/${name()}`;
      case 'AWS::SNS::Topic': return `arn:aws:sns:${region}:${account}:${name()}`;
      case 'AWS::SQS::Queue': return `arn:aws:sqs:${region}:${account}:${name()}`;
      case 'AWS::Logs::LogGroup': return `arn:aws:logs:${region}:${account}:log-group:${name()}:*`;
      case 'AWS::SecretsManager::Secret': return `arn:aws:secretsmanager:${region}:${account}:secret:${name()}-AbCdEf`;
      case 'AWS::OpenSearchService::Domain': return `arn:aws:es:${region}:${account}:domain/${name()}`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${region}:${account}:function:${name()}`;
      case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${region}:${account}:stateMachine:${name()}`;
      case 'AWS::Glue::Database': return `arn:aws:glue:${region}:${account}:database/${name()}`;
      case 'AWS::Glue::Table': return `arn:aws:glue:${region}:${account}:table/${this.str(p.DatabaseName)}/${name()}`;
      case 'AWS::Glue::Crawler': return `arn:aws:glue:${region}:${account}:crawler/${name()}`;
      case 'AWS::Glue::Job': return `arn:aws:glue:${region}:${account}:job/${name()}`;
      case 'AWS::Glue::Workflow': return `arn:aws:glue:${region}:${account}:workflow/${name()}`;
      case 'AWS::Glue::Trigger': return `arn:aws:glue:${region}:${account}:trigger/${name()}`;
      case 'AWS::Glue::Connection': return `arn:aws:glue:${region}:${account}:connection/${name()}`;
      case 'AWS::Redshift::Cluster': return `arn:aws:redshift:${region}:${account}:cluster:${name()}`;
      case 'AWS::EMR::Cluster': return `arn:aws:elasticmapreduce:${region}:${account}:cluster/${this.ref(logicalId)}`;
      case 'AWS::Events::Rule': return `arn:aws:events:${region}:${account}:rule/${name()}`;
      case 'AWS::CloudWatch::Alarm': return `arn:aws:cloudwatch:${region}:${account}:alarm:${name()}`;
    }
    throw new Error(`No ARN format for ${logicalId} (${r.Type}): add it to test/access/cfn.ts`);
  }

  /** `Fn::GetAtt` of a resource. */
  public getAtt(logicalId: string, attribute: string): CfnValue {
    const r = this.resource(logicalId);
    const { region } = this.env;
    if (attribute === 'Arn' || attribute === `${r.Type.split('::')[2]}Arn`) return this.arn(logicalId);
    const p = r.Properties ?? {};
    const known: Record<string, () => CfnValue> = {
      'AWS::IAM::Role.RoleId': () => `AROA${logicalId.toUpperCase()}`,
      'AWS::S3::Bucket.DomainName': () => `${this.nameOf(logicalId)}.s3.amazonaws.com`,
      'AWS::S3::Bucket.RegionalDomainName': () => `${this.nameOf(logicalId)}.s3.${region}.amazonaws.com`,
      'AWS::KMS::Key.KeyId': () => logicalId,
      'AWS::SNS::Topic.TopicName': () => this.nameOf(logicalId),
      'AWS::SQS::Queue.QueueName': () => this.nameOf(logicalId),
      'AWS::SQS::Queue.QueueUrl': () => this.ref(logicalId),
      'AWS::OpenSearchService::Domain.DomainEndpoint': () => `vpc-${this.nameOf(logicalId)}-fake.${region}.es.amazonaws.com`,
      'AWS::EC2::VPC.DefaultSecurityGroup': () => `sg-${logicalId.toLowerCase()}-default`,
      'AWS::EC2::VPC.CidrBlock': () => this.resolve(p.CidrBlock),
      'AWS::EC2::VPC.VpcId': () => this.ref(logicalId),
      'AWS::EC2::SecurityGroup.GroupId': () => this.ref(logicalId),
      'AWS::EC2::SecurityGroup.VpcId': () => this.resolve(p.VpcId),
      'AWS::EC2::Subnet.SubnetId': () => this.ref(logicalId),
      'AWS::EC2::Subnet.AvailabilityZone': () => this.resolve(p.AvailabilityZone),
      'AWS::EMR::Cluster.Id': () => this.ref(logicalId),
      'AWS::EMR::Cluster.MasterPublicDNS': () => `ip-10-0-0-1.${region}.compute.internal`,
      'AWS::Redshift::Cluster.Endpoint.Address': () => `${this.nameOf(logicalId)}.fake.${region}.redshift.amazonaws.com`,
      'AWS::Redshift::Cluster.Endpoint.Port': () => String(this.resolve(p.Port) ?? 5439),
      // The secret Redshift creates when it manages the admin password: redshift!<cluster>-<admin user>-<6 characters>.
      'AWS::Redshift::Cluster.MasterPasswordSecretArn': () =>
        `arn:aws:secretsmanager:${region}:${this.env.account}:secret:redshift!${this.nameOf(logicalId)}-${this.resolve(p.MasterUsername) ?? 'admin'}-AbCdEf`,
      'AWS::SecretsManager::Secret.Id': () => this.arn(logicalId),
    };
    const f = known[`${r.Type}.${attribute}`];
    if (f) return f();
    if (r.Type.startsWith('Custom::')) return `${logicalId}.${attribute}`;
    throw new Error(`No value for Fn::GetAtt ${logicalId}.${attribute} (${r.Type}): add it to test/access/cfn.ts`);
  }

  /** The tags of a resource: the `Tags` property as a list of `{Key, Value}` or as a map. */
  public tagsOf(logicalId: string): Record<string, string> {
    const tags = this.resolve(this.resource(logicalId).Properties?.Tags);
    const out: Record<string, string> = {};
    if (Array.isArray(tags)) {
      for (const t of tags as Array<{ Key: string; Value: string }>) out[t.Key] = t.Value;
    } else if (isObject(tags)) {
      for (const [k, v] of Object.entries(tags)) out[k] = String(v);
    }
    return out;
  }

  private iamPath(path: CfnValue): string {
    return path === undefined ? '/' : this.str(path);
  }

  private intrinsic(fn: string, arg: CfnValue): CfnValue {
    switch (fn) {
      case 'Ref': return this.ref(arg as string);
      case 'Fn::GetAtt': {
        const [id, ...attr] = typeof arg === 'string' ? arg.split('.') : (arg as string[]);
        return this.getAtt(id, attr.join('.'));
      }
      case 'Fn::Join': {
        const [sep, list] = arg as [string, CfnValue];
        return (this.resolve(list) as CfnValue[]).map(v => this.str(v, 'Fn::Join element')).join(sep);
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::Select': {
        const [index, list] = arg as [CfnValue, CfnValue];
        return (this.resolve(list) as CfnValue[])[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [sep, s] = arg as [string, CfnValue];
        return this.str(s).split(sep);
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg as [string, CfnValue, CfnValue];
        return this.condition(cond) ? this.resolve(yes) : this.resolve(no);
      }
      case 'Fn::FindInMap': {
        const [map, k1, k2] = (arg as CfnValue[]).map(v => this.resolve(v)) as string[];
        return this.resolve(this.template.Mappings?.[map]?.[k1]?.[k2]);
      }
      case 'Fn::GetAZs': return ['a', 'b', 'c'].map(z => `${this.env.region}${z}`);
      case 'Fn::Base64': return this.str(arg);
      case 'Fn::Equals': {
        const [a, b] = arg as [CfnValue, CfnValue];
        return JSON.stringify(this.resolve(a)) === JSON.stringify(this.resolve(b));
      }
      case 'Fn::Not': return !this.resolve((arg as CfnValue[])[0]);
      case 'Fn::And': return (arg as CfnValue[]).every(v => this.resolve(v));
      case 'Fn::Or': return (arg as CfnValue[]).some(v => this.resolve(v));
      case 'Condition': return this.condition(arg as string);
    }
    throw new Error(`Unsupported intrinsic ${fn}: ${JSON.stringify(arg)}`);
  }

  private condition(name: string): boolean {
    const c = this.template.Conditions?.[name];
    if (c === undefined) throw new Error(`The template has no condition ${name}`);
    return !!this.resolve(c);
  }

  private sub(arg: CfnValue): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, CfnValue>]);
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, expr: string) => {
      if (expr in vars) return this.str(vars[expr], `Fn::Sub variable ${expr}`);
      const dot = expr.indexOf('.');
      if (dot > 0 && !expr.startsWith('AWS::')) return this.str(this.getAtt(expr.slice(0, dot), expr.slice(dot + 1)));
      return this.str(this.ref(expr), `Fn::Sub \${${expr}}`);
    }).replace(/\$\{!/g, '${');
  }
}
