import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Roles } from '../auth/roles/roles.decorator';
import { ErrorEnvelopeDto } from '../common/errors/error-envelope.dto';
import { PageQueryDto } from '../common/pagination/pagination.dto';
import { IdParamPipe } from '../common/validation/id-param.pipe';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';
import {
  CreateFeatureFlagDto,
  EvaluationDto,
  FeatureFlagDto,
  FeatureFlagListDto,
  FlagAuditPageDto,
  FlagChangeDto,
  UpdateFeatureFlagDto,
  FLAG_KEY_PATTERN,
} from './dto/feature-flag.dto';
import { FeatureFlagsService } from './feature-flags.service';

const FLAG_KEY = new IdParamPipe(FLAG_KEY_PATTERN, 'Feature flag');

/** /ops/flags: reads L4+, writes L5; global flags need a platform admin. */
@ApiTags('ops: feature flags')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorEnvelopeDto })
@ApiServiceUnavailableResponse({
  type: ErrorEnvelopeDto,
  description: 'Maintenance (writes), database unavailable, or schema not migrated',
})
@Controller('ops/flags')
export class FeatureFlagsController {
  constructor(private readonly flags: FeatureFlagsService) {}

  @Post()
  @Roles('L5')
  @ApiOperation({ summary: 'Create a flag for your org (global: true for platform admins); audited as CREATE' })
  @ApiCreatedResponse({ type: FeatureFlagDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto })
  @ApiForbiddenResponse({
    type: ErrorEnvelopeDto,
    description: 'Below L5 (INSUFFICIENT_ROLE), or a global flag by a non-platform admin (PLATFORM_ADMIN_REQUIRED)',
  })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'The key exists in this org' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateFeatureFlagDto): Promise<FeatureFlagDto> {
    return this.flags.create(user, body);
  }

  @Get()
  @Roles('L4')
  @ApiOperation({ summary: 'Your org’s flags and the global flags it does not override' })
  @ApiOkResponse({ type: FeatureFlagListDto })
  list(@CurrentUser() user: AuthUser): Promise<FeatureFlagListDto> {
    return this.flags.list(user);
  }

  @Get(':key')
  @Roles('L4')
  @ApiOperation({ summary: 'One flag (your org’s, else the global one)' })
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto })
  get(@CurrentUser() user: AuthUser, @Param('key', FLAG_KEY) key: string): Promise<FeatureFlagDto> {
    return this.flags.get(user, key);
  }

  @Patch(':key')
  @Roles('L5')
  @ApiOperation({ summary: 'Change description, rolloutPct or scopes; audited as UPDATE' })
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('key', FLAG_KEY) key: string,
    @Body() body: UpdateFeatureFlagDto,
  ): Promise<FeatureFlagDto> {
    return this.flags.update(user, key, body);
  }

  @Patch(':key/toggle')
  @Roles('L5')
  @ApiOperation({ summary: 'Switch a flag on or off; audited as TOGGLE' })
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto })
  toggle(
    @CurrentUser() user: AuthUser,
    @Param('key', FLAG_KEY) key: string,
    @Body() body: FlagChangeDto,
  ): Promise<FeatureFlagDto> {
    return this.flags.toggle(user, key, body.reason);
  }

  @Post(':key/kill')
  @HttpCode(200)
  @Roles('L5')
  @AllowDuringMaintenance()
  @ApiOperation({
    summary:
      'Kill switch: active=false and rolloutPct=0 with a KILL audit, in one transaction; works during maintenance',
  })
  @ApiOkResponse({ type: FeatureFlagDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto })
  kill(
    @CurrentUser() user: AuthUser,
    @Param('key', FLAG_KEY) key: string,
    @Body() body: FlagChangeDto,
  ): Promise<FeatureFlagDto> {
    return this.flags.kill(user, key, body.reason);
  }

  @Get(':key/audit')
  @Roles('L4')
  @ApiOperation({ summary: 'The flag’s audit trail, newest first' })
  @ApiOkResponse({ type: FlagAuditPageDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto })
  audit(
    @CurrentUser() user: AuthUser,
    @Param('key', FLAG_KEY) key: string,
    @Query() query: PageQueryDto,
  ): Promise<FlagAuditPageDto> {
    return this.flags.audit(user, key, query);
  }

  @Get(':key/evaluate')
  @ApiOperation({ summary: 'Evaluate the flag for the signed-in user; never fails (enabled=false with a reason)' })
  @ApiOkResponse({ type: EvaluationDto })
  evaluate(@CurrentUser() user: AuthUser, @Param('key') key: string): Promise<EvaluationDto> {
    return this.flags.evaluate(key, user);
  }
}
