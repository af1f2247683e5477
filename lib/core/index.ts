export * from './data-bucket';
export * from './monitoring';
export * from './managed-policy-role';
export * from './secure-vpc';
export * from './alarm-topic';
export { S3EndpointAccess } from './endpoint-policies';
export { KeyGrantPolicy } from './encryption-key';
export * from './network';
