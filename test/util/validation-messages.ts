import { IConstruct } from 'constructs';

/**
 * The validation messages of `c` (not its children), each after the construct path, as
 * `<path>: <message>`. The constructs return their messages without the path, because aws-cdk-lib
 * prints it in front of each one at synth (`[<path>] <message>`); tests put it back so that every
 * assertion still says which construct reported the problem.
 */
export function validationMessages(c: IConstruct): string[] {
  return c.node.validate().map(m => `${c.node.path}: ${m}`);
}
