/** A tiny listener set for transports: add returns its own remover; emit never throws. */
export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    const once = (value: T): void => listener(value); // a fresh function, so adding the same listener twice works
    this.#listeners.add(once);
    return () => this.#listeners.delete(once);
  }

  emit(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }

  clear(): void {
    this.#listeners.clear();
  }
}
