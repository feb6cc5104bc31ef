import type { Comparator, Condition, Operand, Path } from '../core/conditions.ts';
import { TableKeys } from './table.ts';

/** An update's operand: an attribute, any value (a record, a list of history entries), or a sum or list append. */
type UpdateOperand =
  | Operand
  | { readonly value: unknown }
  | { readonly plus: readonly [Operand, Operand] }
  | { readonly listAppend: readonly [Operand, { readonly value: readonly unknown[] }] };

export type UpdateAction =
  | { readonly set: Path; readonly to: UpdateOperand }
  | { readonly add: Path; readonly by: number }
  | { readonly remove: Path };

export const set = (path: Path, to: unknown): UpdateAction => ({ set: path, to: { value: to } });
export const increment = (path: Path): UpdateAction => ({ set: path, to: { plus: [{ attr: path }, { value: 1 }] } });
export const append = (path: Path, entries: readonly unknown[]): UpdateAction => ({
  set: path,
  to: { listAppend: [{ attr: path }, { value: entries }] },
});
export const add = (path: Path, by: number): UpdateAction => ({ add: path, by });
export const remove = (...paths: Path[]): UpdateAction[] => paths.map((path) => ({ remove: path }));

export interface Expressions {
  ConditionExpression?: string;
  UpdateExpression?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  /** Absent when nothing is compared or set: DynamoDB refuses an empty map, as it refuses an unused entry. */
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * Our attribute names read as themselves (`#status`); any other name (a signer's id) is numbered. A numbered
 * placeholder starts with a capital, a readable one never does, so the two cannot meet.
 */
const READABLE_NAME = /^[a-z][A-Za-z0-9]{0,60}$/;

/**
 * Builds the expressions of one call, naming each attribute and each value once however often the expressions
 * use it; the maps hold exactly what the expressions use, so no store call spells out a names map, and none can
 * carry an unused entry (which DynamoDB refuses). Every attribute is named through a placeholder, so reserved
 * words (`status`, `name`) never need thought.
 */
class ExpressionBuilder {
  private readonly names = new Map<string, string>();
  private readonly values = new Map<string, { placeholder: string; value: unknown }>();

  name(attribute: string): string {
    let placeholder = this.names.get(attribute);
    if (placeholder === undefined) {
      placeholder = READABLE_NAME.test(attribute) ? `#${attribute}` : `#N${this.names.size}`;
      this.names.set(attribute, placeholder);
    }
    return placeholder;
  }

  /** A list index is written as itself (`#sentAt[2]`): DynamoDB takes no placeholder for one. */
  path(path: Path): string {
    return path
      .map((step, at) =>
        typeof step === 'number' ? `[${Math.trunc(step)}]` : `${at === 0 ? '' : '.'}${this.name(step)}`,
      )
      .join('');
  }

  value(value: unknown): string {
    // Keyed by type and content, so 1 and '1' are two values and two equal records one.
    const key = `${typeof value}:${JSON.stringify(value)}`;
    let entry = this.values.get(key);
    if (entry === undefined) {
      entry = { placeholder: `:v${this.values.size}`, value };
      this.values.set(key, entry);
    }
    return entry.placeholder;
  }

  operand(operand: UpdateOperand): string {
    if ('attr' in operand) return this.path(operand.attr);
    if ('plus' in operand) return `${this.operand(operand.plus[0])} + ${this.operand(operand.plus[1])}`;
    if ('listAppend' in operand) {
      return `list_append(${this.operand(operand.listAppend[0])}, ${this.operand(operand.listAppend[1])})`;
    }
    return this.value(operand.value);
  }

  /** `and`/`or` inside another are parenthesized, so DynamoDB's precedence (NOT, AND, OR) never decides. */
  condition(condition: Condition): string {
    switch (condition.kind) {
      case 'compare':
        return `${this.operand(condition.left)} ${condition.comparator satisfies Comparator} ${this.operand(condition.right)}`;
      case 'in':
        // A value listed twice (`If-Match: "3", "3"`) is named once, and listed once.
        return `${this.path(condition.path)} IN (${[...new Set(condition.values.map((listed) => this.value(listed)))].join(', ')})`;
      case 'exists':
        return `attribute_exists(${this.path(condition.path)})`;
      case 'notExists':
        return `attribute_not_exists(${this.path(condition.path)})`;
      case 'itemExists':
        return `attribute_exists(${this.name(TableKeys.partitionKey)})`;
      case 'not':
        return `NOT (${this.condition(condition.condition)})`;
      case 'and':
      case 'or': {
        if (condition.conditions.length === 0) throw new Error(`an empty ${condition.kind} has no expression`);
        const parts = condition.conditions.map((part) =>
          part.kind === 'and' || part.kind === 'or' ? `(${this.condition(part)})` : this.condition(part),
        );
        return parts.join(condition.kind === 'and' ? ' AND ' : ' OR ');
      }
    }
  }

  update(actions: readonly UpdateAction[]): string {
    const clauses: Record<'SET' | 'ADD' | 'REMOVE', string[]> = { SET: [], ADD: [], REMOVE: [] };
    for (const action of actions) {
      if ('set' in action) clauses.SET.push(`${this.path(action.set)} = ${this.operand(action.to)}`);
      else if ('add' in action) clauses.ADD.push(`${this.path(action.add)} ${this.value(action.by)}`);
      else clauses.REMOVE.push(this.path(action.remove));
    }
    return Object.entries(clauses)
      .filter(([, parts]) => parts.length > 0)
      .map(([clause, parts]) => `${clause} ${parts.join(', ')}`)
      .join(' ');
  }

  maps(): Pick<Expressions, 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
    const names = Object.fromEntries([...this.names].map(([attribute, placeholder]) => [placeholder, attribute]));
    const values = Object.fromEntries([...this.values.values()].map((entry) => [entry.placeholder, entry.value]));
    return {
      ExpressionAttributeNames: names,
      ...(this.values.size > 0 ? { ExpressionAttributeValues: values } : {}),
    };
  }
}

/** The expressions of one call, with the names and values they use. */
export const expressions = (parts: {
  condition?: Condition;
  update?: readonly UpdateAction[];
  keyCondition?: Condition;
}): Expressions => {
  const builder = new ExpressionBuilder();
  const built: Omit<Expressions, 'ExpressionAttributeNames'> = {
    ...(parts.keyCondition ? { KeyConditionExpression: builder.condition(parts.keyCondition) } : {}),
    ...(parts.update ? { UpdateExpression: builder.update(parts.update) } : {}),
    ...(parts.condition ? { ConditionExpression: builder.condition(parts.condition) } : {}),
  };
  return { ...built, ...builder.maps() };
};
