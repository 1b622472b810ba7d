/**
 * The one explicit registry of driver kinds. Unknown and duplicate kinds are typed errors
 * that name the kinds that are known.
 */
import { AgentError } from '../errors.js';
import type { DriverFactory } from './types.js';

export class DriverRegistry {
  readonly #factories = new Map<string, DriverFactory>();

  register<O>(factory: DriverFactory<O>): this {
    if (this.#factories.has(factory.kind)) {
      throw new AgentError(
        'driver-duplicate',
        `a driver for kind "${factory.kind}" is already registered`,
        'give each driver factory a unique kind, or register it only once',
      );
    }
    this.#factories.set(factory.kind, factory as DriverFactory);
    return this;
  }

  get(kind: string): DriverFactory {
    const factory = this.#factories.get(kind);
    if (factory === undefined) {
      throw new AgentError(
        'driver-unknown',
        `no driver for kind "${kind}"; known kinds: ${this.describeKinds()}`,
        'set the device kind to one of the known kinds',
      );
    }
    return factory;
  }

  has(kind: string): boolean {
    return this.#factories.has(kind);
  }

  kinds(): string[] {
    return [...this.#factories.keys()].sort();
  }

  describeKinds(): string {
    const kinds = this.kinds();
    return kinds.length === 0 ? '(none registered)' : kinds.join(', ');
  }
}
