import { Controller, Get, Module, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, type SchemaObject } from '@nestjs/swagger';
import { Public } from '../../src/auth/decorators/public.decorator';
import { FeatureFlagsModule } from '../../src/feature-flags/feature-flags.module';
import { RequireFlag } from '../../src/feature-flags/require-flag.guard';

/**
 * Routes that exist only in tests, standing in for the business endpoints other modules will
 * add: a write any signed-in user may make, an anonymous write, and a flag-gated read.
 */
const OK: SchemaObject = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean', enum: [true] } } };

@Controller('probe')
class ProbeController {
  @Post('orders')
  @ApiCreatedResponse({ schema: OK })
  createOrder(): { ok: true } {
    return { ok: true };
  }

  @Public()
  @Post('public')
  @ApiCreatedResponse({ schema: OK })
  publicWrite(): { ok: true } {
    return { ok: true };
  }

  @Get('beta')
  @RequireFlag('beta-menu')
  @ApiOkResponse({
    schema: { type: 'object', required: ['beta'], properties: { beta: { type: 'boolean', enum: [true] } } },
  })
  beta(): { beta: true } {
    return { beta: true };
  }
}

@Module({ imports: [FeatureFlagsModule], controllers: [ProbeController] })
export class ProbeModule {}
