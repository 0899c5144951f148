import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a local service (PostgreSQL, Redis), so a test can take the
 * service away from the gateway and give it back without touching the service itself: `cut()`
 * drops every connection and refuses new ones (as a crashed or restarted server does), `restore()`
 * listens again on the same port. `stall()` keeps every connection open but carries nothing either
 * way (a network that silently stops delivering, where nothing is refused and only timeouts tell),
 * and `flow()` delivers what waited, in order.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<[client: Socket, upstream: Socket]>();
  private stalled = false;
  private port = 0;

  private constructor(private readonly targetPort: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await proxy.restore();
    return proxy;
  }

  get listeningPort(): number {
    return this.port;
  }

  async restore(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      if (!this.stalled) connectPair(pair);
      client.on('close', () => {
        this.pairs.delete(pair);
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  stall(): void {
    this.stalled = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  flow(): void {
    this.stalled = false;
    for (const pair of this.pairs) connectPair(pair);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}

function connectPair([client, upstream]: [Socket, Socket]): void {
  client.pipe(upstream);
  upstream.pipe(client);
}
