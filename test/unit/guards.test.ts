import { describe, expect, it } from 'vitest';
import { attr, eq, evaluate, itemExists, value } from '../../functions/core/conditions.ts';
import { refusals } from '../../functions/core/errors.ts';
import {
  explain,
  firstFailing,
  guard,
  refusalOf,
  refuse,
  ruleCondition,
  type Failure,
  type Rule,
} from '../../functions/core/guards.ts';
import { freshRequest } from '../support/requests.ts';

const { request } = freshRequest(2);
const holds = eq(attr('status'), value(request.status));
const fails = eq(attr('status'), value('NOT-A-STATUS'));

describe('a rule: ordered guards, the first failing one explaining a refusal', () => {
  it('names the first guard the request fails, in order, and none when all hold', () => {
    const rule: Rule<string> = [guard('a', holds, 'A'), guard('b', fails, 'B'), guard('c', fails, 'C')];
    expect(firstFailing(rule, request)?.name).toBe('b');
    expect(firstFailing(rule.slice(0, 1), request)).toBeUndefined();
    expect(firstFailing([guard('exists', itemExists(), 'gone'), ...rule], undefined)?.failure).toBe('gone');
  });

  it('explains each kind of failure: a refusal from the request, 412, retry, nothing to write', () => {
    const failingWith = (failure: Failure): Rule<Failure> => [
      guard('holds', holds, 'retry'),
      guard('x', fails, failure),
    ];
    expect(explain(failingWith(refuse((current) => refusals.alreadyResent(current?.id ?? ''))), request)).toEqual(
      refusals.alreadyResent(request.id),
    );
    expect(explain(failingWith('precondition'), request)).toEqual(refusals.preconditionFailed());
    expect(explain(failingWith('retry'), request)).toBe('retry');
    expect(explain(failingWith('unneeded'), request)).toBe('unneeded');
    expect(explain([guard('holds', holds, 'retry')], request)).toBeUndefined();
    expect(refusalOf(failingWith('retry'), request)).toBeUndefined();
    expect(refusalOf(failingWith('precondition'), request)?.code).toBe('PRECONDITION_FAILED');
  });

  it('writes on every guard at once: the rule holds exactly when no guard fails', () => {
    const rule: Rule<string> = [guard('a', holds, 'A'), guard('b', fails, 'B')];
    expect(evaluate(ruleCondition(rule), request)).toBe(false);
    expect(evaluate(ruleCondition(rule.slice(0, 1)), request)).toBe(true);
  });
});
