import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EmrSpotStack } from '../../examples/emr-spot';
import { EmrFleetsStack } from '../../examples/emr-spot/fleets';
import { TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('examples/emr-spot', () => {
  let groups: EmrSpotStack;
  let fleets: EmrFleetsStack;
  const templates = new Map<Stack, Template>();
  beforeAll(() => {
    const app = testApp();
    groups = new EmrSpotStack(app, 'EmrSpot', { env: TEST_ENV });
    fleets = new EmrFleetsStack(app, 'EmrFleets', { env: TEST_ENV });
    templates.set(groups, Template.fromStack(groups));
    templates.set(fleets, Template.fromStack(fleets));
  });

  test('instance groups example matches the snapshot', () => {
    expect(templates.get(groups)!.toJSON()).toMatchSnapshot();
  });

  test('instance fleets example matches the snapshot', () => {
    expect(templates.get(fleets)!.toJSON()).toMatchSnapshot();
  });

  test('both examples pass the four cdk-nag packs', () => {
    expect(nagFindings(groups)).toEqual([]);
    expect(nagFindings(fleets)).toEqual([]);
  });

  test('acknowledges only the listed findings (contract list)', () => {
    expect(nagAcknowledgments(groups.cluster)).toMatchSnapshot();
    expect(nagAcknowledgments(fleets.cluster)).toMatchSnapshot();
  });
});
