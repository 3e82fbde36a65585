import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from './register';

/** On app.close() (graceful shutdown), export the spans still buffered and stop the SDK. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}

/** OpenTelemetry's lifecycle inside the app; the SDK itself starts in register.ts, before the app. */
@Module({ providers: [TracingShutdown] })
export class TracingModule {}
