import { Body, Controller, Get, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRole } from '../auth/auth.decorators';
import type { VerifiedToken } from '../auth/token-policy';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { createUserSchema, CreateUserDto, updateUserSchema, UpdateUserDto, userIdParamSchema } from './users.dto';
import { UsersService } from './users.service';

type AuthenticatedRequest = Request & { user: VerifiedToken };

@ApiTags('users')
@Controller('api/v1/users')
@RequireRole('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Console accounts' })
  list() {
    return this.users.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add an account (e-mail, role, password of at least 12 characters)' })
  create(@Body(new ZodValidationPipe(createUserSchema)) body: CreateUserDto, @Req() request: AuthenticatedRequest) {
    return this.users.create(body, request.user.sub);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a role or disable an account: its sessions and sockets end at once' })
  update(
    @Param('id', new ZodValidationPipe(userIdParamSchema)) id: string,
    @Body(new ZodValidationPipe(updateUserSchema)) body: UpdateUserDto,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.users.update(id, body, request.user.sub);
  }
}
