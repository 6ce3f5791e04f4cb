import type {
  CreateUserInput,
  ReasonInput,
  RoleGrantDecisionInput,
  UpdateUserInput,
} from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SignatureDto } from '../../common/request.dto.js';

/**
 * An e-mail address, checked by pattern: class-validator's IsEmail throws ("URI malformed") on lone
 * UTF-16 surrogates, which would answer 500 to bad input.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL_MESSAGE = 'email must be an e-mail address such as name@example.org';
import { ROLES, type Role } from '../../../../shared/roles.js';
import { LOCALES, type Locale } from '../../../../shared/i18n/catalogue.js';
import { LOCALE_MESSAGE } from '../accounts/locale.js';

export class CreateUserDto implements CreateUserInput {
  @ApiProperty({ example: 'investigator3' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
    message: 'username must be 2–64 lowercase letters, digits, dots, dashes or underscores',
  })
  username: string;

  @ApiProperty({ example: 'Dr. Ada Example' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[])
  role: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  siteCodes?: string[];

  /** Refused with a sentence (an admin never chooses another person's password); accepted here only to say so. */
  @ApiPropertyOptional({
    deprecated: true,
    description: 'Refused: the user sets their own password from a one-time e-mailed link',
  })
  @IsOptional()
  password?: string;

  @ApiProperty({ description: 'Where the one-time set-password link is sent' })
  @IsOptional()
  @Matches(EMAIL, { message: EMAIL_MESSAGE })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    nullable: true,
    description: "Language of the console, notifications and e-mails (null: the site's)",
  })
  @IsOptional()
  @IsIn(LOCALES as unknown as string[], { message: LOCALE_MESSAGE })
  locale?: Locale | null;
}

export class UpdateUserDto implements UpdateUserInput {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES as unknown as string[])
  role?: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  siteCodes?: string[];

  @ApiPropertyOptional({ description: 'false deactivates the account (users are never deleted)' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(EMAIL, { message: EMAIL_MESSAGE })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    nullable: true,
    description: "Language of the console, notifications and e-mails (null: the site's)",
  })
  @IsOptional()
  @IsIn(LOCALES as unknown as string[], { message: LOCALE_MESSAGE })
  locale?: Locale | null;

  @ApiPropertyOptional({ description: 'Why the change is made (kept in the audit trail)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ResetPasswordDto implements ReasonInput {
  @ApiPropertyOptional({ deprecated: true, description: 'Refused: the user receives a one-time set-password link' })
  @IsOptional()
  newPassword?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ReasonDto implements ReasonInput {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class GrantListQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: 'pending' | 'approved' | 'rejected';
}

export class GrantDecisionDto implements RoleGrantDecisionInput {
  @ApiProperty()
  @IsBoolean()
  approve: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;

  @ApiProperty({ type: SignatureDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature: SignatureDto;
}
