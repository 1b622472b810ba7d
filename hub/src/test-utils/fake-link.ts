import type { BrokerLink, MessageHandler } from '../broker/types.js';

/** A broker link faked at the seam: records what the hub publishes. */
export class FakeLink implements BrokerLink {
  readonly mode = 'embedded' as const;
  published: { topic: string; payload: unknown }[] = [];
  disconnected: string[] = [];
  handler: MessageHandler = () => undefined;
  private disconnectHandler: (id: string) => void = () => undefined;
  onMessage(h: MessageHandler): void {
    this.handler = h;
  }
  onAgentDisconnect(h: (id: string) => void): void {
    this.disconnectHandler = h;
  }
  dropAgent(id: string): void {
    this.disconnectHandler(id);
  }
  async publish(topic: string, payload: Buffer): Promise<void> {
    this.published.push({ topic, payload: JSON.parse(payload.toString()) });
  }
  async start(): Promise<void> {}
  disconnectAgent(id: string): void {
    this.disconnected.push(id);
  }
  isAgentConnected(): boolean {
    return false;
  }
  async close(): Promise<void> {}
}

