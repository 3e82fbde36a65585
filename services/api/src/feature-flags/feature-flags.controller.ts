import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
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
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Roles } from '../auth/roles/roles.decorator';
import { ErrorEnvelopeDto } from '../common/errors/error-envelope.dto';
import { KeysetPageQueryDto, PageQueryDto } from '../common/pagination/pagination.dto';
import { KEYSET_PAGING_HEADERS, PAGINATION_HEADERS, sendPage } from '../common/pagination/pagination-headers';
import { IdParamPipe } from '../common/validation/id-param.pipe';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';
import {
  CreateFeatureFlagDto,
  EvaluationDto,
  FeatureFlagDto,
  FlagAuditDto,
  FlagChangeDto,
  KilledFlagDto,
  UpdateFeatureFlagDto,
  FLAG_KEY_PATTERN,
} from './dto/feature-flag.dto';
import { FeatureFlagsService } from './feature-flags.service';

const FLAG_KEY = new IdParamPipe(FLAG_KEY_PATTERN, 'Feature flag');
const pagingHeaders = Object.fromEntries(PAGINATION_HEADERS.map((h) => [h, { schema: { type: 'string' } }]));

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
  @ApiOperation({
    summary:
      'Create a flag for your org (global: true for platform admins), audited as CREATE (201); if the key exists, change only the fields given, audited as UPDATE (200)',
  })
  @ApiCreatedResponse({ type: FeatureFlagDto, description: 'Created' })
  @ApiOkResponse({ type: FeatureFlagDto, description: 'The key existed: the fields given were changed' })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto })
  @ApiForbiddenResponse({
    type: ErrorEnvelopeDto,
    description: 'Below L5 (INSUFFICIENT_ROLE), or a global flag by a non-platform admin (PLATFORM_ADMIN_REQUIRED)',
  })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'Created concurrently by another request' })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateFeatureFlagDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FeatureFlagDto> {
    const { flag, created } = await this.flags.createOrUpdate(user, body);
    res.status(created ? 201 : 200);
    return flag;
  }

  @Get()
  @Roles('L4')
  @ApiOperation({
    summary:
      'Your org’s flags and the global flags it does not override, by key, as a bare array (pageSize default 100; X-Total-Count, Link)',
  })
  @ApiOkResponse({ type: [FeatureFlagDto], headers: pagingHeaders })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FeatureFlagDto[]> {
    return sendPage(req, res, await this.flags.list(user, query));
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
  @Roles('L5')
  @AllowDuringMaintenance()
  @ApiOperation({
    summary:
      'Kill switch: active=false and rolloutPct=0 with a KILL audit, in one transaction; works during maintenance',
  })
  @ApiCreatedResponse({ type: KilledFlagDto, description: '`message` and the killed flag' })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto })
  kill(
    @CurrentUser() user: AuthUser,
    @Param('key', FLAG_KEY) key: string,
    @Body() body: FlagChangeDto,
  ): Promise<KilledFlagDto> {
    return this.flags.kill(user, key, body.reason);
  }

  @Get(':key/audit')
  @Roles('L4')
  @ApiOperation({
    summary:
      'The flag’s audit trail with the acting user, newest first, as a bare array; by page (X-Total-Count, Link) or by keyset cursor (Link rel="next")',
  })
  @ApiOkResponse({ type: [FlagAuditDto], headers: KEYSET_PAGING_HEADERS })
  @ApiBadRequestResponse({
    type: ErrorEnvelopeDto,
    description: 'INVALID_CURSOR: a cursor this list did not issue, or cursor with page',
  })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto })
  async audit(
    @CurrentUser() user: AuthUser,
    @Param('key', FLAG_KEY) key: string,
    @Query() query: KeysetPageQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FlagAuditDto[]> {
    return sendPage(req, res, await this.flags.audit(user, key, query));
  }

  @Get(':key/evaluate')
  @ApiOperation({ summary: 'Evaluate the flag for the signed-in user; never fails (enabled=false with a reason)' })
  @ApiOkResponse({ type: EvaluationDto })
  evaluate(@CurrentUser() user: AuthUser, @Param('key') key: string): Promise<EvaluationDto> {
    return this.flags.evaluate(key, user);
  }
}
