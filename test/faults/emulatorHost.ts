import { createServer, type Server, type Socket } from 'node:net';
import { startEmulator, type Emulator, type Fleet } from '../../dev/emulator';
import { useAwsEnvironment } from '../support/awsEnv';

/** What the stand-in can read of a request that reaches a dead emulator: its SigV4 credential scope. */
export interface SignedRequest {
  accessKeyId?: string;
  region?: string;
  service?: string;
}

const NO_RATE_LIMIT = { rateLimit: false as const };
const CREDENTIAL = /^authorization:\s*AWS4-HMAC-SHA256\s+Credential=([^/\s]+)\/\d{8}\/([^/\s]+)\/([^/\s]+)\//im;

/**
 * The loopback emulator for one test file, on a port that stays the same for
 * the whole file, so it can die and come back where the SDK expects it. The
 * SDK finds it through the standard environment variables only
 * (AWS_ENDPOINT_URL and the first principal's keys).
 */
export class EmulatorHost {
  private emulator?: Emulator;
  private standIn?: Server;
  private restarting?: Promise<void>;
  private restoreEnv = () => {};
  private port = 0;
  /** Emulators started on the port after the first one. */
  restarts = 0;
  /** Connections that reached the port while the emulator was down, and were reset. */
  refused = 0;

  /** @param fleet the fleet as it is at the moment an emulator starts (first start and restarts). */
  constructor(private fleet: () => Fleet) {}

  async start(): Promise<void> {
    this.emulator = await startEmulator({ fleet: this.fleet(), faults: NO_RATE_LIMIT });
    this.port = this.emulator.port;
    const main = this.emulator.principal();
    this.restoreEnv = useAwsEnvironment({
      AWS_ENDPOINT_URL: this.emulator.url,
      AWS_ACCESS_KEY_ID: main.accessKeyId,
      AWS_SECRET_ACCESS_KEY: main.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
  }

  /** Where restarted emulators get their fleet from. */
  useFleet(fleet: () => Fleet): void {
    this.fleet = fleet;
  }

  get current(): Emulator {
    if (!this.emulator) throw new Error('the emulator is down');
    return this.emulator;
  }

  get up(): boolean {
    return this.emulator !== undefined;
  }

  /**
   * The emulator dies now: every open connection is cut (the request in hand
   * included). Until `keepDown` lets a request through, connections to the port
   * are accepted and reset, which is what a client sees of a server that is
   * restarting. The first request `keepDown` lets through brings up a new
   * emulator on the same port with the fleet as it is now; its connection is
   * reset once the new emulator listens, so the SDK's retry reaches the new one.
   * Safe to call from an `onRequest` hook (do not await it there).
   */
  async crash(keepDown: (request: SignedRequest) => boolean): Promise<void> {
    const dead = this.emulator;
    this.emulator = undefined;
    await dead?.close();
    const standIn = createServer(socket => this.turnAway(socket, keepDown));
    this.standIn = standIn;
    await listenOn(standIn, this.port);
  }

  /** Brings the emulator back if it is down; a no-op otherwise. */
  async ensureUp(): Promise<void> {
    if (this.emulator) return;
    await this.restart();
  }

  async stop(): Promise<void> {
    this.restoreEnv();
    this.standIn?.close();
    this.standIn = undefined;
    await this.emulator?.close();
    this.emulator = undefined;
  }

  private turnAway(socket: Socket, keepDown: (request: SignedRequest) => boolean): void {
    let head = '';
    socket.on('error', () => {});
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n') && head.length < 64 * 1024) return;
      socket.off('data', onData);
      socket.pause();
      const match = CREDENTIAL.exec(head);
      const request: SignedRequest = match ? { accessKeyId: match[1], region: match[2], service: match[3] } : {};
      if (keepDown(request)) {
        this.refused += 1;
        socket.resetAndDestroy();
        return;
      }
      void this.restart().finally(() => socket.resetAndDestroy());
    };
    socket.on('data', onData);
  }

  private restart(): Promise<void> {
    this.restarting ??= (async () => {
      // Stop accepting first; connections in hand stay open until reset.
      this.standIn?.close();
      this.standIn = undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          this.emulator = await startEmulator({ fleet: this.fleet(), port: this.port, faults: NO_RATE_LIMIT });
          this.restarts += 1;
          return;
        } catch (error) {
          // The stand-in's listening socket may take a moment to let go of the port.
          if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 100) throw error;
          await new Promise(resolve => setTimeout(resolve, 10));
        }
      }
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }
}

async function listenOn(server: Server, port: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (error) {
      // The emulator that just closed may take a moment to let go of the port.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 100) throw error;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}
