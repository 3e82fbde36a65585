import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
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
import { KEYSET_PAGING_HEADERS, sendPage } from '../common/pagination/pagination-headers';
import { IdParamPipe } from '../common/validation/id-param.pipe';
import { AllowDuringMaintenance } from './allow-during-maintenance.decorator';
import {
  CreateMaintenanceWindowDto,
  ListMaintenanceQueryDto,
  MaintenancePageDto,
  MaintenanceWindowDto,
  UpdateMaintenanceWindowDto,
} from './dto/maintenance-window.dto';
import { MaintenanceAdminService } from './maintenance-admin.service';

const WINDOW_ID = new IdParamPipe(/^[A-Za-z0-9_-]{1,64}$/, 'Maintenance window');

const schemaBehind = {
  type: ErrorEnvelopeDto,
  description:
    'Database unavailable, or the maintenance_windows table missing (SCHEMA_NOT_MIGRATED names the pending migration)',
};

/** /ops/maintenance: never write-blocked itself, so a window can always be ended. */
@ApiTags('ops: maintenance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorEnvelopeDto })
@ApiServiceUnavailableResponse(schemaBehind)
@AllowDuringMaintenance()
@Controller('ops/maintenance')
export class MaintenanceController {
  constructor(private readonly admin: MaintenanceAdminService) {}

  @Post()
  @Roles('L5')
  @ApiOperation({
    summary: 'Schedule a maintenance window for your org (or, for platform admins, every org with global: true)',
  })
  @ApiCreatedResponse({ type: MaintenanceWindowDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'TOO_MANY_OPEN_WINDOWS: the org is at its cap' })
  @ApiForbiddenResponse({ type: ErrorEnvelopeDto, description: 'Below L5, or a global window by a non-platform admin' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateMaintenanceWindowDto): Promise<MaintenanceWindowDto> {
    return this.admin.create(user, body);
  }

  @Get('active')
  @ApiOperation({
    summary: 'Windows in force now for your org (including global ones), for a banner; any signed-in user',
  })
  @ApiOkResponse({ type: [MaintenanceWindowDto], description: 'A bare array, newest first' })
  active(@CurrentUser() user: AuthUser): Promise<MaintenanceWindowDto[]> {
    return this.admin.active(user);
  }

  @Get()
  @Roles('L4')
  @ApiOperation({
    summary:
      'Your org’s and global windows, newest first, as a bare array; by page (X-Total-Count, Link) or by keyset cursor (Link rel="next"); ?from&to keep those overlapping [from, to)',
  })
  @ApiOkResponse({ type: [MaintenanceWindowDto], headers: KEYSET_PAGING_HEADERS })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto, description: 'VALIDATION_FAILED, or INVALID_CURSOR' })
  @ApiForbiddenResponse({ type: ErrorEnvelopeDto })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListMaintenanceQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MaintenanceWindowDto[]> {
    return sendPage(req, res, await this.admin.list(user, query));
  }

  @Get('list')
  @Roles('L4')
  @ApiOperation({
    deprecated: true,
    summary:
      'The same list as GET /ops/maintenance, in an { items, page, pageSize, total } envelope (page and total null when paged by cursor)',
  })
  @ApiOkResponse({ type: MaintenancePageDto, headers: KEYSET_PAGING_HEADERS })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto, description: 'VALIDATION_FAILED, or INVALID_CURSOR' })
  @ApiForbiddenResponse({ type: ErrorEnvelopeDto })
  async listPage(
    @CurrentUser() user: AuthUser,
    @Query() query: ListMaintenanceQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MaintenancePageDto> {
    const page = await this.admin.list(user, query);
    const items = sendPage(req, res, page);
    return 'next' in page
      ? { items, page: null, pageSize: page.pageSize, total: null }
      : { items, page: page.page, pageSize: page.pageSize, total: page.total };
  }

  @Patch(':id')
  @Roles('L5')
  @ApiOperation({ summary: 'Change a window (times, message, blockWrites)' })
  @ApiOkResponse({ type: MaintenanceWindowDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto })
  @ApiForbiddenResponse({ type: ErrorEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'No such window in your org' })
  @ApiConflictResponse({
    type: ErrorEnvelopeDto,
    description: 'TOO_MANY_OPEN_WINDOWS (reopening a window over the cap), or CONFLICT (changed concurrently)',
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', WINDOW_ID) id: string,
    @Body() body: UpdateMaintenanceWindowDto,
  ): Promise<MaintenanceWindowDto> {
    return this.admin.update(user, id, body);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('L5')
  @ApiOperation({ summary: 'End a window now (a future one is cancelled); writes resume at once on this instance' })
  @ApiOkResponse({ type: MaintenanceWindowDto })
  @ApiForbiddenResponse({ type: ErrorEnvelopeDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'No such window in your org' })
  @ApiConflictResponse({
    type: ErrorEnvelopeDto,
    description: 'CONFLICT: the window was changed or ended concurrently',
  })
  end(@CurrentUser() user: AuthUser, @Param('id', WINDOW_ID) id: string): Promise<MaintenanceWindowDto> {
    return this.admin.end(user, id);
  }
}
