import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { KpiRooms } from './kpi-rooms';
import { LiveAdmission } from './live-admission';
import { LiveBackpressure } from './live-backpressure';
import { LiveHeartbeats } from './live-heartbeats';
import { LiveSubscriptions } from './live-subscriptions';
import { LiveTokenSweep } from './live-token-sweep';
import { StockRooms } from './stock-rooms';

const STOCK_FLUSH_SWEEP_MS = 1_000;
const HEARTBEAT_SWEEP_MS = 1_000;
const BACKPRESSURE_SWEEP_MS = 500;
const TOKEN_SWEEP_MS = 5_000;

/** The periodic work of `/live`, started once the namespace exists and stopped with the module. */
@Injectable()
export class LiveHousekeeping implements OnModuleDestroy {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly stockRooms: StockRooms,
    private readonly kpiRooms: KpiRooms,
    private readonly heartbeats: LiveHeartbeats,
    private readonly backpressure: LiveBackpressure,
    private readonly tokenSweep: LiveTokenSweep,
    private readonly admission: LiveAdmission,
    private readonly subscriptions: LiveSubscriptions,
  ) {}

  start(): void {
    this.timers.push(
      // Version-only deltas of quiet rooms and rooms emptied by leaving clients.
      setInterval(() => this.stockRooms.flush(), STOCK_FLUSH_SWEEP_MS),
      setInterval(() => this.backpressure.apply(), BACKPRESSURE_SWEEP_MS),
      setInterval(() => this.sweepTokens(), TOKEN_SWEEP_MS),
      setInterval(() => this.heartbeats.send(), HEARTBEAT_SWEEP_MS),
    );
    for (const timer of this.timers) timer.unref();
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.stockRooms.stop();
    this.kpiRooms.stop();
  }

  private sweepTokens(): void {
    const now = Date.now();
    this.admission.forgetIdle(now);
    this.subscriptions.forgetIdle(now);
    void this.tokenSweep.sweep();
  }
}
