import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorEnvelopeDto } from '../common/errors/error-envelope.dto';
import { pageOf, PageQueryDto } from '../common/pagination/pagination.dto';
import { PAGINATION_HEADERS, sendPage } from '../common/pagination/pagination-headers';
import { BranchesRepository } from './branches.repository';
import { BranchDto, toBranchDto } from './dto/branch.dto';

/** Branches per page unless `pageSize` says otherwise: every branch of almost any org on one page. */
const BRANCH_PAGE_SIZE = 100;

/** GET /branches: the caller's org's branches (the org always comes from the token). */
@ApiTags('branches')
@ApiBearerAuth()
@Controller('branches')
export class BranchesController {
  constructor(private readonly branches: BranchesRepository) {}

  @Get()
  @ApiOperation({
    summary: `Your org's branches by name, as a bare array; paged (pageSize default ${BRANCH_PAGE_SIZE}) with X-Total-Count and Link headers`,
  })
  @ApiQuery({ name: 'pageSize', required: false, schema: { minimum: 1, maximum: 100, default: BRANCH_PAGE_SIZE } })
  @ApiOkResponse({
    type: [BranchDto],
    headers: Object.fromEntries(PAGINATION_HEADERS.map((h) => [h, { schema: { type: 'string' } }])),
  })
  @ApiUnauthorizedResponse({ type: ErrorEnvelopeDto })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BranchDto[]> {
    const { page, pageSize, skip } = pageOf(query, BRANCH_PAGE_SIZE);
    const { items, total } = await this.branches.listForOrg(user.orgId, skip, pageSize);
    return sendPage(req, res, { items: items.map(toBranchDto), page, pageSize, total });
  }
}
