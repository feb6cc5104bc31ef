import { and, evaluate, type Condition } from './conditions.ts';
import { DomainError, refusals } from './errors.ts';
import type { SignRequest } from './sign-request.ts';

/**
 * One condition a write lands on, and what it means when the stored request fails it. A write's rule is an
 * ordered list of guards: the store writes on all of them at once (`ruleCondition`), and core explains a refused
 * write by the FIRST guard the request as it stood fails, so the order is the precedence of the refusals.
 */
export interface Guard<Failure> {
  name: string;
  holds: Condition;
  failure: Failure;
}

export type Rule<Failure> = readonly Guard<Failure>[];

/**
 * What a failed guard of a caller's write means:
 * - a refusal, named from the request as it stood (undefined only for the guard that the request exists);
 * - 'precondition': the request is not at a version If-Match named (412);
 * - 'retry': nothing refuses the write; it only lost to a change stamped later than its own time;
 * - 'unneeded': there is nothing to write (a first view already recorded).
 */
export type Failure =
  { refuse: (current: SignRequest | undefined) => DomainError } | 'precondition' | 'retry' | 'unneeded';

export const refuse = (refusal: (current: SignRequest | undefined) => DomainError): Failure => ({ refuse: refusal });

export const guard = <F>(name: string, holds: Condition, failure: F): Guard<F> => ({ name, holds, failure });

/** The one condition the store writes on: every guard of the rule. */
export const ruleCondition = <F>(rule: Rule<F>): Condition => and(...rule.map((each) => each.holds));

/** The first guard `current` fails, in the rule's order; undefined when the write would land on it. */
export const firstFailing = <F>(rule: Rule<F>, current: SignRequest | undefined): Guard<F> | undefined =>
  rule.find((each) => !evaluate(each.holds, current));

/**
 * Why a write is refused on `current`: the refusal of its first failing guard (412 for 'precondition'), 'retry'
 * or 'unneeded'; undefined when every guard holds.
 */
export const explain = (
  rule: Rule<Failure>,
  current: SignRequest | undefined,
): DomainError | 'retry' | 'unneeded' | undefined => {
  const failing = firstFailing(rule, current)?.failure;
  if (failing === undefined || failing === 'retry' || failing === 'unneeded') return failing;
  if (failing === 'precondition') return refusals.preconditionFailed();
  return failing.refuse(current);
};

/** The refusal a write meets on `current`, or undefined when it lands or only needs writing again. */
export const refusalOf = (rule: Rule<Failure>, current: SignRequest | undefined): DomainError | undefined => {
  const explained = explain(rule, current);
  return explained instanceof DomainError ? explained : undefined;
};
