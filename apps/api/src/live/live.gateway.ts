import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { LIVE_NAMESPACE, SubscribeAck } from '@stockwall/contracts';
import { LiveAdmission } from './live-admission';
import { LiveHousekeeping } from './live-housekeeping';
import { LiveServer } from './live-server';
import type { LiveNamespace, LiveSocket } from './live-socket';
import { LiveSubscriptions } from './live-subscriptions';

/**
 * `/live`, the Socket.IO side of the live services: every namespace's handshake goes through
 * LiveAdmission, `subscribe` through LiveSubscriptions; the rooms (StockRooms, KpiRooms) get the
 * change feed's notices from LiveBroadcaster, and LiveHousekeeping runs the heartbeats,
 * backpressure and token sweeps.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection {
  /** Set by Nest before afterInit. */
  @WebSocketServer()
  private namespace!: LiveNamespace;

  constructor(
    private readonly server: LiveServer,
    private readonly admission: LiveAdmission,
    private readonly subscriptions: LiveSubscriptions,
    private readonly housekeeping: LiveHousekeeping,
  ) {}

  afterInit(): void {
    const namespace = this.namespace;
    // socket.io always serves the main namespace `/`, which nothing here uses: it gets the same
    // handshake check, so no namespace takes a connection without a token or past the limit.
    const main: LiveNamespace = namespace.server.of('/');
    for (const guarded of [namespace, main]) guarded.use((socket, next) => this.admission.admit(socket, next));
    this.server.attach(namespace, [namespace, main]);
    main.on('connection', (socket) => this.handleConnection(socket));
    this.housekeeping.start();
  }

  /** Past the middleware nothing reads the handshake's HTTP request again: let it go (several KB per socket). */
  handleConnection(socket: LiveSocket): void {
    (socket.conn as unknown as { request: unknown }).request = null;
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    return this.subscriptions.subscribe(socket, body);
  }
}
